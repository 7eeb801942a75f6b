"""Public views of an interview and the guest's console.

- The interview page shows the whole transcript so far (it works without JavaScript);
  ``interview.js`` then polls ``transcript.json`` for what changed.
- ``transcript.json?since=<revision>`` returns only entries added or changed after that
  revision. Its ETag is the interview's revision and status, read in one query, so a
  client whose transcript is current gets 304 without any entry being read or rendered;
  responses may be cached for a few seconds by browsers and the proxy.
- The question form (``ask/``) is its own route so that the interview page itself stays
  cacheable; pages with forms send ``Cache-Control: no-store``.
- The guest console is reached through a personal link (``guest/<token>/``) or, for a
  guest with a staff account, after logging in (``guest/``).
"""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotModified, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from portal import pagecache
from portal.errors import PermissionRefused
from portal.forms import PublicFormView
from portal.languages import localize_pages
from portal.ratelimit import RateLimit

from . import queries, services
from .forms import GuestAnswerForm, QuestionForm
from .models import InterviewPage, Question, Status

QUESTION_LIMIT = RateLimit("question", "QUESTION_RATE_LIMIT", "QUESTION_RATE_WINDOW")
POLL_MAX_AGE = 5  # seconds a transcript delta may be cached
POLL_INTERVAL = 5  # seconds between polls (interview.js)


def interview(request, page: InterviewPage):
    state = page.live_state
    status = page.status()
    context = {
        "status": status,
        "state": state,
        # An archived transcript is rendered once per site data snapshot and state revision
        # ({% sitefragment %}: corrections and written replies purge the page and bump the
        # revision), so its entries are loaded only then.
        "archived": status == Status.ENDED,
        "entries": SimpleLazyObject(lambda: queries.transcript(page)),
        "pinned": SimpleLazyObject(lambda: state.pinned) if state.pinned_id else None,
        "guests": SimpleLazyObject(
            lambda: [link.guest for link in page.guest_links.select_related("guest", "guest__photo")]
        ),
        "image_list": page.images.select_related("image"),
        "policies": SimpleLazyObject(
            lambda: localize_pages(
                [link.policy for link in page.policy_links.select_related("policy") if link.policy.live]
            )
        ),
        "poll_interval": POLL_INTERVAL,
    }
    key = page.content_key(request) if status == Status.ENDED else None
    # An archive's content is shared (``PortalPage.shares_content``) until its transcript's
    # revision moves; upcoming and live pages are rendered for each request.
    context["content_key"] = (*key, state.revision) if key else None
    response = page.render(request, context_overrides=context)
    if status != Status.ENDED:
        # Upcoming and live pages change with the host's actions; an archive is cached.
        pagecache.exempt(response)
    return response


class QuestionView(PublicFormView):
    """网友提问 (``ask/``): held for the host's moderation; closed once the interview ends."""

    form_class = QuestionForm
    template = "interviews/ask.html"
    rate_limit = QUESTION_LIMIT
    limit_message = gettext_lazy("您在一小时内提交的问题已达上限，请稍后再提问。")

    def refusal(self):
        return None if self.page.accepts_questions() else self.closed(closed=True)

    def form_valid(self, form):
        services.submit_question(self.page, form.cleaned_data["name"], form.cleaned_data["content"])
        return self.redirect_to("ask/sent/")


def ask_sent(request, page: InterviewPage):
    return page.render(request, template="interviews/ask_sent.html")


# ---- polling ---------------------------------------------------------------------------
def entry_html(entry, language: str, in_pinned: bool = False) -> str:
    with translation.override(language):
        return render_to_string("interviews/includes/entry.html", {"entry": entry, "in_pinned": in_pinned})


def entry_data(entry, language: str) -> dict:
    data = {"id": entry.pk, "parent": entry.parent_id, "revision": entry.revision}
    if entry.hidden:
        data["hidden"] = True
    else:
        data["html"] = entry_html(entry, language)
    return data


@require_GET
def transcript_json(request, pk: int):
    row = (
        InterviewPage.objects.live()
        .filter(pk=pk)
        .select_related("state", "locale")
        .only("scheduled_end", "locale__language_code", "state__revision", "state__started_at", "state__ended_at")
        .first()
    )
    if row is None:
        raise Http404
    state = row.live_state
    status = row.status()
    try:
        since = max(0, int(request.GET.get("since", "0")))
    except ValueError:
        since = 0
    since = min(since, state.revision)
    etag = f'"{pk}-{state.revision}-{status}-{since}"'
    if etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
        response = HttpResponseNotModified()
    else:
        language = row.locale.language_code
        entries = queries.changed_since(pk, since) if state.revision > since else []
        pinned = entry_html(state.pinned, language, in_pinned=True) if state.pinned_id else None
        with translation.override(language):
            status_label = str(Status(status).label)
        response = JsonResponse(
            {
                "revision": state.revision,
                "status": status,
                "status_label": status_label,
                "pinned": pinned,
                "entries": [entry_data(entry, language) for entry in entries],
            },
            json_dumps_params={"ensure_ascii": False},
        )
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=POLL_MAX_AGE)
    return response


# ---- guests ----------------------------------------------------------------------------
def _interview_or_404(pk: int) -> InterviewPage:
    return get_object_or_404(InterviewPage.objects.select_related("state"), pk=pk)


@never_cache
def guest_console_token(request, pk: int, token: str):
    interview = _interview_or_404(pk)
    invitation = services.invitation_from_token(token, interview.pk)
    action = reverse("interviews:guest_token_answer", args=(interview.pk, token))
    return _guest_console(request, interview, invitation.guest, action)


@never_cache
def guest_console_account(request, pk: int):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), login_url=reverse("wagtailadmin_login"))
    interview = _interview_or_404(pk)
    guest = interview_guest_for_user(interview, request.user)
    return _guest_console(request, interview, guest, reverse("interviews:guest_account_answer", args=(interview.pk,)))


def interview_guest_for_user(interview, user):
    link = interview.guest_links.select_related("guest").filter(guest__user=user).first()
    if link is None or not user.is_active:
        raise PermissionRefused(_("您不是本期访谈的嘉宾。"))
    return link.guest


def _guest_console(request, interview, guest, action, form=None, status=200, form_key=None):
    assigned, queue = [], []
    for question in queries.unanswered_questions(interview):
        (assigned if question.guest_id == guest.pk else queue).append(question)
    response = TemplateResponse(
        request,
        "interviews/guest_console.html",
        {
            "interview": interview,
            "guest": guest,
            "status": interview.status(),
            "assigned": assigned,
            "queue": queue,
            "answered": interview.entries.filter(guest=guest, hidden=False).select_related("parent"),
            "action": action,
            "form": form,
            "form_key": form_key,
        },
        status=status,
    )
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
@require_POST
def guest_answer_token(request, pk: int, token: str):
    interview = _interview_or_404(pk)
    invitation = services.invitation_from_token(token, interview.pk)
    action = reverse("interviews:guest_token_answer", args=(interview.pk, token))
    return _guest_answer(
        request, interview, invitation.guest, action, reverse("interviews:guest_token", args=(pk, token))
    )


@never_cache
@require_POST
def guest_answer_account(request, pk: int):
    if not request.user.is_authenticated:
        raise PermissionDenied
    interview = _interview_or_404(pk)
    guest = interview_guest_for_user(interview, request.user)
    action = reverse("interviews:guest_account_answer", args=(pk,))
    return _guest_answer(request, interview, guest, action, reverse("interviews:guest_account", args=(pk,)))


def _guest_answer(request, interview, guest, action, console_url):
    question = None
    question_id = request.POST.get("question", "")
    if question_id:
        if not question_id.isdigit():
            raise Http404
        question = Question.objects.filter(pk=int(question_id), interview=interview).select_related("entry").first()
        if question is None:
            raise Http404
    form = GuestAnswerForm(request.POST)
    if form.is_valid():
        try:
            services.guest_answer(interview, guest, form.cleaned_data["text"], question)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return HttpResponseRedirect(console_url + "?answered=" + timezone.now().strftime("%H%M%S"))
    status = 403 if interview.status() == Status.ENDED else 400
    form_key = question.pk if question else "remark"
    return _guest_console(request, interview, guest, action, form=form, status=status, form_key=form_key)
