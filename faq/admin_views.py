"""Admin report 常见问题反馈: votes per entry (least helpful first) and the latest comments.
Comments are shown here only; no public page reads them."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from portal.reports import PortalReportView

from .models import FAQ, Feedback

REPORT_ROWS = 100


def vote_counts(queryset):
    """The entries with ``helpful_votes``, ``unhelpful_votes`` and ``comment_count``."""
    return queryset.annotate(
        helpful_votes=Count("feedback", filter=Q(feedback__helpful=True)),
        unhelpful_votes=Count("feedback", filter=Q(feedback__helpful=False)),
        comment_count=Count("feedback", filter=~Q(feedback__comment="")),
    )


class FeedbackReportView(PortalReportView):
    """Entries with votes, the least helpful first, then the latest comments; the export
    lists the entries with their votes."""

    page_title = _("常见问题反馈")
    header_icon = "help"
    results_template_name = "faq/admin/feedback_report_results.html"
    index_url_name = "faq_feedback_report"
    permission_required = "faq.change_faq"
    site_scoped = False  # the FAQ is shared by the cluster
    paginate_by = REPORT_ROWS
    export_filename = "faq-feedback"
    list_export = ["question", "locale", "helpful_votes", "unhelpful_votes", "comment_count"]
    export_headings = {
        "question": _("问题"),
        "locale": _("语言"),
        "helpful_votes": _("有帮助"),
        "unhelpful_votes": _("没帮助"),
        "comment_count": _("意见"),
    }

    def get_queryset(self):
        return (
            vote_counts(FAQ.objects.select_related("locale"))
            .filter(feedback__isnull=False)
            .order_by("-unhelpful_votes", "-comment_count", "question")
        )

    def to_row_dict(self, item):
        row = super().to_row_dict(item)
        row["locale"] = item.locale.get_display_name()
        return row

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["comments"] = list(
            Feedback.objects.exclude(comment="").select_related("faq", "site").order_by("-created_at")[:REPORT_ROWS]
        )
        context["edit_url_name"] = FAQ.snippet_viewset.get_url_name("edit")
        return context
