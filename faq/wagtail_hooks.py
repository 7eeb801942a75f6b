"""Admin: the FAQ entries (*常见问题*, with their vote counts) and the feedback report
(报告 → 常见问题反馈); on service guides, their entries."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, LiveStatusTagColumn, UpdatedAtColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from guides import panels as guide_panels
from portal import extensions

from . import queries
from .admin_views import FeedbackReportView, vote_counts
from .models import FAQ


class FAQViewSet(SnippetViewSet):
    model = FAQ
    icon = "help"
    menu_label = _("常见问题")
    menu_order = 260
    add_to_admin_menu = True
    list_display = [
        "question",
        "updated",
        Column("helpful_votes", label=_("有帮助"), sort_key="helpful_votes"),
        Column("unhelpful_votes", label=_("没帮助"), sort_key="unhelpful_votes"),
        Column("comment_count", label=_("意见"), sort_key="comment_count"),
        UpdatedAtColumn(),
        LiveStatusTagColumn(),
    ]
    list_filter = ["themes", "live"]
    search_fields = ["question", "keywords", "answer"]
    search_backend_name = None  # the admin box matches substrings; the public search segments words

    def get_queryset(self, request):
        return vote_counts(FAQ.objects.all())


register_snippet(FAQViewSet)


@hooks.register("register_admin_urls")
def register_report_url():
    return [path("reports/faq-feedback/", FeedbackReportView.as_view(), name="faq_feedback_report")]


class FeedbackReportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("faq.change_faq")


@hooks.register("register_reports_menu_item")
def register_report_menu_item():
    return FeedbackReportMenuItem(_("常见问题反馈"), reverse("faq_feedback_report"), icon_name="help", order=710)


@hooks.register(guide_panels.GUIDE_FAQ)
def guide_faqs(page, request):
    """The knowledge base's entries for a service guide: those linked to it, then its theme's."""
    faqs, index_url = queries.faqs_for_guide(page, request)
    if not faqs:
        return None
    return extensions.Panel("faq/includes/guide_faqs.html", {"shared_faqs": faqs, "faq_index_url": index_url})
