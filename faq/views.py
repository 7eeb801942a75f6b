"""Public views of the FAQ index page, called from its routes in ``models.py``.

The index and the entry pages carry no form that posts (the two feedback buttons are a GET
form leading to the follow-up page), so anonymous visitors get them from the page cache.
The follow-up page asks for the captcha and is never cached; every POST is rate-limited."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext_lazy

from portal.forms import PublicFormView
from portal.navigation import current_site
from portal.ratelimit import RateLimit

from . import queries, services
from .forms import HELPFUL_CHOICES, FeedbackForm

FEEDBACK_LIMIT = RateLimit("faq_feedback", "FAQ_FEEDBACK_RATE_LIMIT", "FAQ_FEEDBACK_RATE_WINDOW")


def entry(page, faq_id: int):
    faq = queries.live_faqs(page.locale_id).filter(pk=faq_id).prefetch_related("themes").first()
    if faq is None:
        raise Http404
    return faq


def index(request, page):
    return page.render(request, context_overrides=queries.faq_index(page, request))


def question(request, page, faq_id: int):
    faq = entry(page, faq_id)
    guides, policies = queries.related_pages(faq, request)
    return page.render(
        request,
        template="faq/faq_question.html",
        context_overrides={"faq": faq, "related_guides": guides, "related_policies": policies},
    )


class FeedbackView(PublicFormView):
    """这条回答对您有帮助吗？: the vote (chosen on the entry's page), a comment for staff."""

    form_class = FeedbackForm
    template = "faq/feedback.html"
    rate_limit = FEEDBACK_LIMIT
    limit_message = gettext_lazy("您在一小时内提交的反馈已达上限，请稍后再试。")

    def __init__(self, request, page, faq_id: int):
        super().__init__(request, page)
        self.faq = entry(page, faq_id)

    def get_form_kwargs(self):
        choice = self.request.GET.get("helpful")
        return {"initial": {"helpful": choice}} if choice in dict(HELPFUL_CHOICES) else {}

    def get_context(self):
        return {"faq": self.faq}

    def form_valid(self, form):
        data = form.cleaned_data
        services.record_feedback(self.faq, data["helpful"] == "yes", data["comment"], current_site(self.request))
        return self.redirect_to(f"{self.faq.pk}/feedback/thanks/")


def thanks(request, page, faq_id: int):
    faq = entry(page, faq_id)
    return page.render(request, template="faq/feedback_thanks.html", context_overrides={"faq": faq})
