"""Public views of the mailboxes, called from the page routes in ``models.py``.

Pages with a form (the mailbox, the lookup) and pages with a writer's private data (the
confirmation, a lookup result) are never cached (``Cache-Control: no-store``)."""

from __future__ import annotations

from django.http import Http404, HttpResponseRedirect
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from portal import params
from portal.forms import PublicFormView
from portal.navigation import current_site
from portal.ratelimit import LimitUnavailable, RateLimit

from . import queries, services, stats
from .forms import LetterForm, LookupForm

LETTER_LIMIT = RateLimit("letter", "LETTER_RATE_LIMIT", "LETTER_RATE_WINDOW")
LOOKUP_LIMIT = RateLimit("lookup", "LOOKUP_RATE_LIMIT", "LOOKUP_RATE_WINDOW")
# failed lookups of one code from any address: changing address does not give more guesses
LOOKUP_CODE_LIMIT = RateLimit("lookup-code", "LOOKUP_CODE_RATE_LIMIT", "LOOKUP_CODE_RATE_WINDOW")
SESSION_KEY = "correspondence_sent"


def mailbox_index(request, page):
    return page.render(
        request,
        context_overrides={"mailboxes": page.mailboxes(request), "sections": queries.other_sections(page, request)},
    )


class LetterView(PublicFormView):
    """The letter form on a mailbox page; a sent letter goes to ``sent/`` with its code and
    password, which only this browser's session can show, once."""

    form_class = LetterForm
    template = "correspondence/mailbox_page.html"
    rate_limit = LETTER_LIMIT
    limit_message = gettext_lazy("您在一小时内提交的来信已达上限，为防止滥用，暂时不能继续提交。")

    def get_form_kwargs(self):
        return {"mailbox": self.page}

    def get_context(self):
        return {"recent": queries.published(self.page)[:5]}

    def form_valid(self, form):
        data = form.cleaned_data
        letter, password = services.submit_letter(
            self.page, current_site(self.request), data, data.get("attachments", []), get_language()
        )
        self.request.session[SESSION_KEY] = {"mailbox": self.page.pk, "letter": letter.pk, "password": password}
        return self.redirect_to("sent/")


@never_cache
def sent(request, page):
    """The confirmation with the query code and password, shown once."""
    data = request.session.pop(SESSION_KEY, None)
    if not data or data.get("mailbox") != page.pk:
        return HttpResponseRedirect(page.get_url(request))
    letter = page.letters.get(pk=data["letter"])
    response = page.render(
        request,
        template="correspondence/sent.html",
        context_overrides={"letter": letter, "password": data["password"]},
    )
    return response


def published_letters(request, page):
    letters, category, year = queries.filtered_published(
        page, request.GET.get("category", ""), params.year(request.GET.get("year"))
    )
    return page.render(
        request,
        template="correspondence/letter_list.html",
        context_overrides={
            "page_obj": queries.paginate(letters, request.GET.get("page")),
            "category": category,
            "year": year,
            "years": queries.published_years(page),
        },
    )


def published_letter(request, page, letter_id: int):
    letter = queries.published(page).filter(pk=letter_id).first()
    if letter is None:
        raise Http404
    return page.render(request, template="correspondence/letter_detail.html", context_overrides={"letter": letter})


class CodeLookupView(PublicFormView):
    """A lookup by 查询码 and password (a letter's, a 依申请公开 application's). Only failed
    lookups count towards the limits (the owner may look again and again): one per address
    (``LOOKUP_LIMIT``) and one per code from any address (``LOOKUP_CODE_LIMIT``; over it the
    code is refused even with the right password, so guessing from many addresses never
    learns it). Subclasses say how a code is found (``find``) and what is shown (``found``)."""

    form_class = LookupForm
    rate_limit = LOOKUP_LIMIT
    count_every_success = False
    code_limit_message: str  # the 429 page's explanation when one code has failed too often

    def find(self, code: str, password: str):
        """The record for the code and password, or None."""
        raise NotImplementedError

    def found(self, form, record):
        raise NotImplementedError

    def form_valid(self, form):
        code = services.normal_code(form.cleaned_data["code"])
        try:
            code_over_limit = LOOKUP_CODE_LIMIT.exceeded_for(code)
        except LimitUnavailable:
            return self.unavailable()
        if code_over_limit:
            return LOOKUP_CODE_LIMIT.refuse(self.request, str(self.code_limit_message), identity=code)
        record = self.find(code, form.cleaned_data["password"])
        if record is None:
            self.rate_limit.hit(self.request)
            LOOKUP_CODE_LIMIT.hit_for(code)
            form.add_error(None, _("查询码或密码不正确，请核对后重试。"))
            return self.render(form, status=400)
        return self.found(form, record)


class LookupView(CodeLookupView):
    """信件查询: the code and password show the letter's status, timeline and reply."""

    template = "correspondence/lookup.html"
    limit_message = gettext_lazy("查询失败次数过多，为保护来信人信息，暂时不能继续查询。")
    code_limit_message = gettext_lazy("这个查询码的查询失败次数过多，为保护来信人信息，暂时不能查询这封信件。")

    def find(self, code, password):
        return services.find_letter(code, password)

    def found(self, form, letter):
        if letter.mailbox.live:
            # A code works in any mailbox's lookup: the result is shown under the letter's own
            # mailbox (its heading, breadcrumb, links), whichever lookup page it was typed into.
            self.page = letter.mailbox
        return self.render(
            form,
            letter=letter,
            mailbox_heading=queries.lookup_heading(letter, self.request),
            events=[event for event in letter.events.all() if event.public],
            overdue=letter.is_overdue(),
        )


def statistics(request, page, mailboxes):
    years = stats.years(mailboxes)
    today = timezone.localdate()
    requested = params.year(request.GET.get("year"))
    year = requested if requested in years else (years[0] if years else today.year)
    months, total, by_mailbox = stats.year_table(mailboxes, year, today)
    return page.render(
        request,
        template="correspondence/statistics.html",
        context_overrides={
            "year": year,
            "years": years,
            "months": months,
            "total": total,
            "by_mailbox": by_mailbox if len(mailboxes) > 1 else [],
            "chart": chart(months),
            "today": today,
        },
    )


def chart(months) -> dict:
    """Bar positions for the SVG chart (received and answered per month)."""
    top = max([row.received for row in months] + [1])
    height, bar, gap = 160, 12, 16
    bars = []
    for index, row in enumerate(months):
        x = 40 + index * (2 * bar + gap)
        bars.append(
            {
                "label": row.label,
                "x": x,
                "received": row.received,
                "answered": row.answered,
                "received_h": round(height * row.received / top),
                "answered_h": round(height * row.answered / top),
                "received_y": 10 + height - round(height * row.received / top),
                "answered_y": 10 + height - round(height * row.answered / top),
                "label_x": x + bar,
            }
        )
    return {"bars": bars, "top": top, "width": 40 + 12 * (2 * bar + gap), "height": height, "bar": bar}
