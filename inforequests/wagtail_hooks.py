"""Admin: 依申请公开 (applications, scoped to the user's sites)."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from search.personal import PERSONAL_NAMES

from . import queries
from .admin_views import ApplicationPermissionPolicy, ApplicationViewSet
from .models import Application

register_permission_policy(Application, ApplicationPermissionPolicy(Application), exact_class=True)


@hooks.register("register_admin_viewset")
def register_application_viewset():
    return ApplicationViewSet("applications")


@hooks.register(PERSONAL_NAMES)
def applicant_names(texts):
    """An applicant's name is masked in the search log and never listed as a popular search."""
    return queries.applicant_names_in(texts)
