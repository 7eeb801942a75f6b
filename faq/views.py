"""Public views of the FAQ index page, called from its routes in ``models.py``.

The index and the entry pages carry no form that posts (the two feedback buttons are a GET
form leading to the follow-up page), so anonymous visitors get them from the page cache.
The follow-up page asks for the captcha and is never cached; every POST is rate-limited."""

from __future__ import annotations

from django.http import Http404, HttpResponseRedirect
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from portal.navigation import current_site
from portal.ratelimit import RateLimit

from . import queries, services
from .forms import HELPFUL_CHOICES, FeedbackForm

FEEDBACK_LIMIT = RateLimit("faq_feedback", "FAQ_FEEDBACK_RATE_LIMIT", "FAQ_FEEDBACK_RATE_WINDOW")


def _entry(page, faq_id: int):
    faq = queries.live_faqs(page.locale_id).filter(pk=faq_id).prefetch_related("themes").first()
    if faq is None:
        raise Http404
    return faq


def index(request, page):
    return page.render(request, context_overrides=queries.faq_index(page, request))


def question(request, page, faq_id: int):
    faq = _entry(page, faq_id)
    guides, policies = queries.related_pages(faq, request)
    return page.render(
        request,
        template="faq/faq_question.html",
        context_overrides={"faq": faq, "related_guides": guides, "related_policies": policies},
    )


@never_cache
def feedback(request, page, faq_id: int):
    faq = _entry(page, faq_id)
    status = 200
    if request.method == "POST":
        if FEEDBACK_LIMIT.exceeded(request):
            return FEEDBACK_LIMIT.refuse(request, _("您在一小时内提交的反馈已达上限，请稍后再试。"))
        form = FeedbackForm(request.POST)
        if "new_captcha" in request.POST:
            form = form.fresh_copy()
        elif form.is_valid():
            data = form.cleaned_data
            services.record_feedback(faq, data["helpful"] == "yes", data["comment"], current_site(request))
            FEEDBACK_LIMIT.hit(request)
            return HttpResponseRedirect(f"{page.get_url(request)}{faq.pk}/feedback/thanks/")
        else:
            status = 400
    else:
        choice = request.GET.get("helpful")
        form = FeedbackForm(initial={"helpful": choice} if choice in dict(HELPFUL_CHOICES) else {})
    response = page.render(request, template="faq/feedback.html", context_overrides={"faq": faq, "form": form})
    response.status_code = status
    return response


def thanks(request, page, faq_id: int):
    faq = _entry(page, faq_id)
    return page.render(request, template="faq/feedback_thanks.html", context_overrides={"faq": faq})
