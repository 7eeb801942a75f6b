"""Public views of consultations and surveys, called from the page routes in ``models.py``.

- A consultation page has no form (the comment form is at ``comment/``), so it stays in the
  page cache; approving or rejecting a comment purges it (``services.moderate``).
- The survey page shows a form or, to a browser that has already answered, a notice: it
  depends on the visitor's cookie, so it is never cached. ``results/`` is cached like any
  page; it exists only after the close, when nothing changes any more.
- A closed (or not yet open) consultation or survey refuses a POST with 403 and the same
  notice, and saves nothing. Invalid input is answered with the form and its errors (400).
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from portal.forms import PublicFormView
from portal.ratelimit import RateLimit

from . import queries, services
from .forms import CommentForm, SurveyForm
from .models import ConsultationPage, Status, SurveyPage

COMMENT_LIMIT = RateLimit("comment", "COMMENT_RATE_LIMIT", "COMMENT_RATE_WINDOW")
SURVEY_LIMIT = RateLimit("survey", "SURVEY_RATE_LIMIT", "SURVEY_RATE_WINDOW")
SURVEY_COOKIE_SALT = "participation.survey"
SURVEY_COOKIE_DAYS = 365


# ---- consultations --------------------------------------------------------------------
def consultation(request, page: ConsultationPage):
    status = page.status()
    context = {
        "status": status,
        "document_list": page.documents.select_related("document"),
        "comments": queries.approved_comments(page),
    }
    if status == Status.CLOSED:
        context["received"] = queries.received_count(page)
    return page.render(request, context_overrides=context)


class CommentView(PublicFormView):
    """An opinion on a consultation (``comment/``): held for moderation; only while open."""

    form_class = CommentForm
    template = "participation/comment.html"
    rate_limit = COMMENT_LIMIT
    limit_message = gettext_lazy("您在一小时内提交的意见已达上限，为防止滥用，暂时不能继续提交。")

    def get_context(self):
        return {"status": self.page.status()}

    def refusal(self):
        return None if self.page.is_open else self.closed()

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.submit_comment(self.page, data["name"], data["contact"], data["content"])
        except services.Closed:  # the period ended while the form was being filled in
            return self.closed()
        return self.redirect_to("comment/sent/")


def comment_sent(request, page: ConsultationPage):
    return page.render(request, template="participation/comment_sent.html")


# ---- surveys ----------------------------------------------------------------------------
def cookie_name(page: SurveyPage) -> str:
    return f"survey{page.pk}"


def has_answered(request, page: SurveyPage) -> bool:
    return request.get_signed_cookie(cookie_name(page), default=None, salt=SURVEY_COOKIE_SALT) is not None


class SurveyView(PublicFormView):
    """A questionnaire: one response per browser (a signed cookie on the survey's path),
    only while open."""

    form_class = SurveyForm
    rate_limit = SURVEY_LIMIT
    limit_message = gettext_lazy("从您的网络地址提交的答卷已达上限，暂时不能继续提交。")

    def get_form_kwargs(self):
        return {"survey": self.page}

    def get_context(self):
        return {"status": self.page.status(), "answered": has_answered(self.request, self.page)}

    def refusal(self):
        if self.page.status() != Status.OPEN or has_answered(self.request, self.page):
            return self.closed()
        return None

    def form_valid(self, form):
        try:
            services.submit_response(self.page, form.answers())
        except services.Closed:
            return self.closed()
        response = self.redirect_to("sent/")
        response.set_signed_cookie(
            cookie_name(self.page),
            "1",
            salt=SURVEY_COOKIE_SALT,
            max_age=SURVEY_COOKIE_DAYS * 24 * 3600,
            path=self.request.path,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
        return response


@never_cache
def survey_sent(request, page: SurveyPage):
    return page.render(request, template="participation/survey_sent.html")


def survey_results(request, page: SurveyPage):
    if not page.results_visible:
        raise Http404
    total, results = queries.survey_results(page)
    charts = [(result, chart(result)) for result in results if result.options]
    texts = [result for result in results if not result.options]
    return page.render(
        request,
        template="participation/survey_results.html",
        context_overrides={"total": total, "charts": charts, "texts": texts},
    )


def chart(result) -> dict:
    """Bar positions for a horizontal SVG bar chart of one question (percent of the
    respondents who answered it). The figures are in the table next to it."""
    row, label_width, bar_width = 30, 230, 260
    bars = []
    for index, option in enumerate(result.options):
        y = index * row + 6
        label = option.display if len(option.display) <= 14 else option.display[:13] + "…"
        width = round(bar_width * option.percent / 100)
        bars.append(
            {
                "label": label,
                "y": y,
                "text_y": y + 14,
                "width": width,
                "value_x": label_width + width + 6,
                "value": f"{option.percent:g}%",
            }
        )
    return {"bars": bars, "height": len(bars) * row + 8, "x": label_width, "bar_height": 18, "width": 600}
