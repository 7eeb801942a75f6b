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
from django.http import Http404, HttpResponseRedirect
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

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


@never_cache
def comment(request, page: ConsultationPage):
    status = 200
    if not page.is_open:
        return _closed_comment(request, page)
    if request.method == "POST":
        if COMMENT_LIMIT.exceeded(request):
            return COMMENT_LIMIT.refuse(request, _("您在一小时内提交的意见已达上限，为防止滥用，暂时不能继续提交。"))
        form = CommentForm(request.POST)
        if "new_captcha" in request.POST:
            form = form.fresh_copy()
        elif form.is_valid():
            data = form.cleaned_data
            try:
                services.submit_comment(page, data["name"], data["contact"], data["content"])
            except services.Closed:  # the period ended while the form was being filled in
                return _closed_comment(request, page)
            COMMENT_LIMIT.hit(request)
            return HttpResponseRedirect(page.url + "comment/sent/")
        else:
            status = 400
    else:
        form = CommentForm()
    response = page.render(
        request, template="participation/comment.html", context_overrides={"form": form, "status": page.status()}
    )
    response.status_code = status
    return response


def comment_sent(request, page: ConsultationPage):
    return page.render(request, template="participation/comment_sent.html")


def _closed_comment(request, page: ConsultationPage):
    """The notice that comments are not (yet, or any longer) accepted; 403 to a POST."""
    response = page.render(request, template="participation/comment.html", context_overrides={"status": page.status()})
    if request.method == "POST":
        response.status_code = 403
    return response


# ---- surveys ----------------------------------------------------------------------------
def cookie_name(page: SurveyPage) -> str:
    return f"survey{page.pk}"


def has_answered(request, page: SurveyPage) -> bool:
    return request.get_signed_cookie(cookie_name(page), default=None, salt=SURVEY_COOKIE_SALT) is not None


@never_cache
def survey(request, page: SurveyPage):
    state = page.status()
    answered = has_answered(request, page)
    context = {"status": state, "answered": answered}
    code = 200
    if state != Status.OPEN or answered:
        response = page.render(request, context_overrides=context)
        if request.method == "POST":
            response.status_code = 403
        return response
    if request.method == "POST":
        if SURVEY_LIMIT.exceeded(request):
            return SURVEY_LIMIT.refuse(request, _("从您的网络地址提交的答卷已达上限，暂时不能继续提交。"))
        form = SurveyForm(request.POST, survey=page)
        if "new_captcha" in request.POST:
            form = form.fresh_copy()
        elif form.is_valid():
            try:
                services.submit_response(page, form.answers())
            except services.Closed:
                context["status"] = page.status()
                response = page.render(request, context_overrides=context)
                response.status_code = 403
                return response
            SURVEY_LIMIT.hit(request)
            response = HttpResponseRedirect(page.url + "sent/")
            response.set_signed_cookie(
                cookie_name(page),
                "1",
                salt=SURVEY_COOKIE_SALT,
                max_age=SURVEY_COOKIE_DAYS * 24 * 3600,
                path=request.path,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
            return response
        else:
            code = 400
    else:
        form = SurveyForm(survey=page)
    context["form"] = form
    response = page.render(request, context_overrides=context)
    response.status_code = code
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
