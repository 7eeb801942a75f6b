"""Admin report 常见问题反馈: votes per entry (least helpful first) and the latest comments.
Comments are shown here only; no public page reads them."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from .models import FAQ, Feedback

REPORT_ROWS = 100


def vote_counts(queryset):
    """The entries with ``helpful_votes``, ``unhelpful_votes`` and ``comment_count``."""
    return queryset.annotate(
        helpful_votes=Count("feedback", filter=Q(feedback__helpful=True)),
        unhelpful_votes=Count("feedback", filter=Q(feedback__helpful=False)),
        comment_count=Count("feedback", filter=~Q(feedback__comment="")),
    )


class FeedbackReportView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "faq/admin/feedback_report.html"
    page_title = _("常见问题反馈")
    header_icon = "help"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("faq.change_faq"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        entries = (
            vote_counts(FAQ.objects.select_related("locale"))
            .filter(feedback__isnull=False)
            .order_by("-unhelpful_votes", "-comment_count", "question")
        )
        context["entries"] = list(entries[:REPORT_ROWS])
        context["comments"] = list(
            Feedback.objects.exclude(comment="").select_related("faq", "site").order_by("-created_at")[:REPORT_ROWS]
        )
        context["edit_url_name"] = FAQ.snippet_viewset.get_url_name("edit")
        return context
