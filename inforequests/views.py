"""Public views of the application page, called from its routes in ``models.py``.

Every one is ``Cache-Control: no-store``: the form carries a CSRF token, and the confirmation,
the lookup result and the 告知书 carry the applicant's own data. A successful lookup lets
this browser, for half an hour, send the clarification asked for and download the 告知书
(``SESSION_KEY``); nothing else does."""

from __future__ import annotations

import time

from django.http import HttpResponse, HttpResponseRedirect
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from correspondence.views import CodeLookupView
from portal.forms import PublicFormView
from portal.navigation import current_site
from portal.ratelimit import RateLimit

from . import notice as notice_pdf
from . import queries, services
from .forms import ApplicationForm, ClarifyForm, LookupForm

APPLICATION_LIMIT = RateLimit("application", "APPLICATION_RATE_LIMIT", "APPLICATION_RATE_WINDOW")
SENT_KEY = "inforequests_sent"
SESSION_KEY = "inforequests_lookup"
LOOKUP_SECONDS = 30 * 60


class ApplicationView(PublicFormView):
    form_class = ApplicationForm
    template = "inforequests/application_page.html"
    rate_limit = APPLICATION_LIMIT
    limit_message = gettext_lazy("您在一小时内提交的申请已达上限，为防止滥用，暂时不能继续提交。")

    def form_valid(self, form):
        data = form.cleaned_data
        application, password = services.submit(
            self.page, current_site(self.request), data, data.get("attachments", []), get_language()
        )
        self.request.session[SENT_KEY] = {"page": self.page.pk, "application": application.pk, "password": password}
        return self.redirect_to("sent/")


@never_cache
def sent(request, page):
    """The confirmation with the 查询码 and password, shown once."""
    data = request.session.pop(SENT_KEY, None)
    if not data or data.get("page") != page.pk:
        return HttpResponseRedirect(page.get_url(request))
    application = page.applications.get(pk=data["application"])
    return page.render(
        request,
        template="inforequests/sent.html",
        context_overrides={"application": application, "password": data["password"]},
    )


def looked_up(request, page):
    """The application this browser looked up in the last half hour, or None."""
    data = request.session.get(SESSION_KEY)
    if not data or time.time() - data.get("at", 0) > LOOKUP_SECONDS:
        return None
    return page.applications.filter(pk=data.get("application")).first()


class LookupView(CodeLookupView):
    """申请查询: the code and password show the status, the clock, the timeline, a request to
    clarify (with the form to answer it) and the decision with its 告知书. The letters' limits
    on failed lookups, shared (``CodeLookupView``)."""

    template = "inforequests/lookup.html"
    limit_message = gettext_lazy("查询失败次数过多，为保护申请人信息，暂时不能继续查询。")
    code_limit_message = gettext_lazy("这个查询码的查询失败次数过多，为保护申请人信息，暂时不能查询。")

    def find(self, code, password):
        application = services.find(code, password)
        return application if application is not None and application.page_id == self.page.pk else None

    def found(self, form, application):
        self.request.session[SESSION_KEY] = {"application": application.pk, "at": time.time()}
        return self.render(form, **result_context(application))


def result_context(application, clarify_form=None) -> dict:
    return {
        "application": application,
        "events": queries.public_events(application),
        "clarify_form": clarify_form or (ClarifyForm() if application.status == "clarifying" else None),
    }


class ClarifyView(PublicFormView):
    """补正 from the lookup result; only for the application this browser has just looked up."""

    form_class = ClarifyForm
    template = "inforequests/lookup.html"
    rate_limit = APPLICATION_LIMIT
    limit_message = ApplicationView.limit_message

    def dispatch(self):
        self.application = looked_up(self.request, self.page)
        if self.application is None:
            return HttpResponseRedirect(self.page.get_url(self.request) + "lookup/")
        return super().dispatch()

    def refusal(self):
        if self.application.status != "clarifying":
            return self.closed(notice=_("这件申请现在不需要补正。"), **result_context(self.application))
        return None

    def render(self, form=None, status=200, **context):
        if form is not None:
            context = {**result_context(self.application, clarify_form=form), **context}
            form = None
        return super().render(LookupForm(), status=status, **context)

    def form_valid(self, form):
        services.clarify(self.application, form.cleaned_data["text"])
        return self.render(notice=_("补正已提交，答复期限自今日重新计算。"), **result_context(self.application))


@never_cache
def notice(request, page):
    """The 告知书 of the decided application this browser has just looked up, as a PDF."""
    application = looked_up(request, page)
    if application is None or application.is_open:
        return HttpResponseRedirect(page.get_url(request) + "lookup/")
    response = HttpResponse(notice_pdf.render(application), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{application.code}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
