"""Public views: a column's feed, its sign-up form, and the two links in the mails.

URLs (``urls.py``, in the visitor's language: English ones under ``/en/``):

- ``/feeds/<column id>.xml``: the RSS 2.0 feed (``feeds.py``), from the page cache like a page;
- ``/subscribe/<column id>/`` and ``…/sent/``: the 邮件订阅 form, a ``PublicFormView``;
- ``/subscribe/confirm/<token>/`` and ``/subscribe/unsubscribe/<token>/``: a GET shows a
  button, the POST acts, so a mail scanner that opens every link confirms or cancels
  nothing. Both are authorised by the signed token, not by a session: they are exempt from
  CSRF (a forged request would need the token, which only the mailbox has) because a mail
  program's one-click unsubscribe (RFC 8058) posts without cookies. They show no address
  and are never cached.
"""

from __future__ import annotations

from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from portal.forms import PublicFormView
from portal.ratelimit import RateLimit

from . import queries, services, tokens
from .feeds import ColumnFeed
from .forms import SubscribeForm

SUBSCRIBE_LIMIT = RateLimit("subscribe", "SUBSCRIBE_RATE_LIMIT", "SUBSCRIBE_RATE_WINDOW")

column_feed_view = ColumnFeed()


def column_feed(request, pk: int):
    column = queries.column_on_site(request, pk)
    if column is None:
        raise Http404
    return column_feed_view(request, column=column)


class SubscribeView(PublicFormView):
    """邮件订阅 for one column: the confirmation mail goes out (or not, when the address is
    already subscribed); the answer is the same either way."""

    form_class = SubscribeForm
    template = "subscriptions/subscribe.html"
    rate_limit = SUBSCRIBE_LIMIT
    limit_message = gettext_lazy("您在一小时内提交的订阅申请已达上限，请稍后再试。")

    def get_context(self):
        return {"confirm_days": tokens.CONFIRM_DAYS}

    def render(self, form=None, status: int = 200, **context):
        """A column is not a routable page (it has no ``render``): the form is shown with the
        column as its ``page`` (title, breadcrumbs, metadata), without the column's listing."""
        if form is not None:
            context["form"] = form
        return _column_page(self.request, self.template, self.page, {**self.get_context(), **context}, status)

    def form_valid(self, form):
        services.request_subscription(form.cleaned_data["email"], self.page)
        return HttpResponseRedirect(reverse("subscription_sent", args=[self.page.pk]))


def subscribe(request, pk: int):
    column = queries.column_on_site(request, pk)
    if column is None:
        raise Http404
    return SubscribeView.serve(request, column)


def sent(request, pk: int):
    column = queries.column_on_site(request, pk)
    if column is None:
        raise Http404
    return _column_page(request, "subscriptions/sent.html", column, {"confirm_days": tokens.CONFIRM_DAYS})


def _column_page(request, template: str, column, context: dict, status: int = 200):
    return TemplateResponse(request, template, {"page": column, "self": column, **context}, status=status)


def _answer(request, template: str, context: dict | None = None, status: int = 200):
    response = TemplateResponse(request, template, context or {}, status=status)
    add_never_cache_headers(response)
    return response


def _bad_link(request, column=None, expired: bool = False):
    context = {"column": column, "expired": expired, "confirm_days": tokens.CONFIRM_DAYS}
    return _answer(request, "subscriptions/bad_link.html", context, status=400)


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token: str):
    try:
        email, column_id = tokens.read_confirm_token(token)
    except tokens.Expired as expired:
        return _bad_link(request, queries.subscribable_column(request, expired.column_id), expired=True)
    except tokens.BadLink:
        return _bad_link(request)
    column = queries.subscribable_column(request, column_id)
    if column is None:  # unpublished, restricted or no longer of a type with alerts
        raise Http404
    if request.method == "POST":
        services.confirm(email, column)
        return _answer(request, "subscriptions/confirmed.html", {"column": column})
    return _answer(request, "subscriptions/confirm.html", {"column": column})


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token: str):
    """GET: the button; POST (the button, or a mail program's one-click request with
    ``List-Unsubscribe=One-Click``): every subscription of the address is deleted."""
    try:
        email = tokens.read_unsubscribe_token(token)
    except tokens.BadLink:
        return _bad_link(request)
    if request.method == "POST":
        services.unsubscribe(email)
        return _answer(request, "subscriptions/unsubscribed.html")
    return _answer(request, "subscriptions/unsubscribe.html")
