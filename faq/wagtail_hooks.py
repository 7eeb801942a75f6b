"""Admin: the FAQ entries (*常见问题*, with their vote counts) and the feedback report
(报告 → 常见问题反馈); on service guides, their entries; in site search, the 常见问题 results."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, LiveStatusTagColumn, UpdatedAtColumn
from wagtail.rich_text import get_text_for_indexing
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from guides import panels as guide_panels
from portal import extensions
from search import types

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


def describe_faq(faq: FAQ, request) -> types.RecordHit:
    """The question, its page on this site's FAQ index, the update date and the answer's text."""
    return types.RecordHit(
        faq.question, queries.entry_url(faq, request), faq.updated, get_text_for_indexing(faq.answer)
    )


# An entry is a few sentences, so full-text ranking (BM25's length normalisation) puts it above
# the service guide or policy that answers the same question in full. Weighted at 0.3 the
# entries follow those pages: on the 74 test queries (tests/data/search_queries.json, SQLite)
# every expected page stays in the top three and an entry is in the top three of 9; at 1.0,
# 8 expected pages dropped out, at 0.5 one. PostgreSQL's ts_rank ignores length, so the
# weight is not applied there (search/engine.py): the entry for this exact question then comes
# second, after the guide it points to.
FAQ_WEIGHT = 0.3


@hooks.register(types.REGISTER_HOOK)
def search_result_types():
    return [
        types.ResultType(
            "faq",
            _("常见问题"),
            records=queries.site_search_records,
            describe=describe_faq,
            order=15,
            weight=FAQ_WEIGHT,
        )
    ]
