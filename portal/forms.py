"""What every form the public can post to shares: a honeypot field, a minimum fill time,
the captcha, checks that reject unreadable bytes and markup in free text, and a check that a
single-line field holds one line (:class:`PublicForm`); and the one sequence that takes such a form on a page
(:class:`PublicFormView`: closed notice, rate limit, new captcha, 400 with the errors,
saving, the redirect to a confirmation, ``no-store``).

The error summary at the top of a form (templates/portal/includes/error_summary.html)
links each message to its field."""

import re
import time

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _

from portal.captcha import PortalCaptchaField
from portal.ratelimit import UNAVAILABLE_RETRY_SECONDS, LimitUnavailable, RateLimit

_MARKUP = re.compile(r"<\s*[a-zA-Z/!?]|javascript\s*:", re.IGNORECASE)
_SIGNER_SALT = "portal.forms.started"


def validate_plain_text(value: str) -> None:
    """Free text is plain text: no undecodable bytes (shown as U+FFFD after decoding),
    no control characters, no HTML tags."""
    if "\ufffd" in value:
        raise ValidationError(_("内容中有无法识别的字符，请检查输入法或编码后重新填写。"), code="encoding")
    if any(ord(char) < 32 and char not in "\n\r\t" for char in value):
        raise ValidationError(_("内容中有无法显示的控制字符，请删除后重新提交。"), code="control")
    if _MARKUP.search(value):
        raise ValidationError(_("内容中不能包含网页代码（如以“<”开头的标签），请改用文字描述。"), code="markup")


# What ends a line (str.splitlines): a name or subject holding one goes into mail headers,
# where the mail library refuses it (the notification would fail) or reads a new header.
LINE_BREAKS = frozenset("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")


def validate_single_line(value) -> None:
    """A single-line field (a name, a subject, an address) holds no line break. A browser's
    one-line box never sends one; a crafted POST can."""
    if isinstance(value, str) and not LINE_BREAKS.isdisjoint(value):
        raise ValidationError(_("此项只能填写一行，不能包含换行，请删除换行后重新提交。"), code="line_break")


def single_line(field: forms.Field) -> bool:
    """A text field shown as one line (anything but a ``Textarea``)."""
    return isinstance(field, forms.CharField) and not isinstance(field.widget, forms.Textarea)


class PlainCharField(forms.CharField):
    default_validators = [validate_plain_text]


class ErrorSummaryMixin:
    """``error_summary()`` for templates/portal/includes/error_summary.html: (anchor id,
    message) for every error; form-wide errors point at the summary itself."""

    SUMMARY_ID = "form-errors"

    def error_summary(self) -> list[tuple[str, str]]:
        items = [(self.SUMMARY_ID, str(message)) for message in self.non_field_errors()]
        for name, errors in self.errors.items():
            if name == "__all__":
                continue
            field = self[name]
            anchor = field.field.widget.id_for_label(field.auto_id) or field.auto_id
            items += [(anchor, f"{field.label}：{message}") for message in errors]
        return items


class PublicForm(ErrorSummaryMixin, forms.Form):
    """Base form for public submissions: honeypot + minimum fill time + captcha.

    ``website`` is hidden from people (and from assistive technology) but filled by bots;
    ``started`` is a signed timestamp of when the form was shown."""

    website = forms.CharField(label=_("网址（请留空）"), required=False)
    started = forms.CharField(widget=forms.HiddenInput, required=False)
    captcha = PortalCaptchaField()

    spam_message = _("提交未成功，请刷新页面后重新填写。")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages.update(self.plain_messages(field))
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        if not self.is_bound:
            self.initial["started"] = signing.TimestampSigner(salt=_SIGNER_SALT).sign(str(time.time()))

    def full_clean(self):
        # every single-line text field, also those a subclass adds after __init__ (a survey's)
        for field in self.fields.values():
            if single_line(field) and validate_single_line not in field.validators:
                field.validators.append(validate_single_line)
        super().full_clean()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            raise ValidationError(self.spam_message, code="honeypot")
        try:
            started = float(
                signing.TimestampSigner(salt=_SIGNER_SALT).unsign(cleaned.get("started") or "", max_age=24 * 3600)
            )
        except (signing.BadSignature, ValueError):
            raise ValidationError(_("页面已过期，请重新填写并提交。"), code="expired") from None
        if time.time() - started < settings.FORM_MIN_FILL_SECONDS:
            raise ValidationError(_("提交过快，请检查填写内容后再次提交。"), code="too_fast")
        return cleaned

    @staticmethod
    def plain_messages(field) -> dict:
        """Error messages in plain words (Django's stock Chinese ones read like code)."""
        choice = isinstance(field, forms.ChoiceField)
        return {
            "required": _("请选择一项。") if choice else _("此项必填，请填写。"),
            "max_length": _("最多 %(limit_value)d 个字，现在是 %(show_value)d 个字。"),
            "min_length": _("至少 %(limit_value)d 个字，现在只有 %(show_value)d 个字。"),
            "invalid_choice": _("请从列表中选择。"),
            **(
                {"invalid": _("请填写正确的电子邮箱地址，例如 name@example.com。")}
                if isinstance(field, forms.EmailField)
                else {}
            ),
        }

    def fresh_copy(self):
        """An unbound form holding what the visitor typed (to show a new captcha without
        losing their text and without showing errors)."""
        keep = {name: self.data.get(name) for name in self.fields if name not in ("captcha", "started", "website")}
        return type(self)(initial={k: v for k, v in keep.items() if v is not None}, **self.copy_kwargs())

    def copy_kwargs(self) -> dict:
        return {}


def require_valid(form: forms.Form) -> None:
    """For staff actions that answer with messages rather than a re-rendered form: raise
    one ``ValidationError`` listing every problem, each prefixed with its field's label."""
    if form.is_valid():
        return
    problems = []
    for name, errors in form.errors.items():
        label = "" if name == "__all__" else f"{form[name].label}："
        problems += [f"{label}{error}" for error in errors]
    raise ValidationError(problems)


class PublicFormView:
    """The one way a page of the portal takes a form from the public (a letter, a lookup,
    an interview question, a consultation comment, a survey, FAQ feedback):

    1. ``refusal()``: the form is closed (a consultation not open, an interview over, a
       survey already answered): that notice, with 403 to a POST, nothing saved;
    2. a POST over ``rate_limit`` from this address gets the readable 429 page; when the limit
       cannot be read (the cache is down) the form is shown again with what was typed, a
       notice to send it again in a minute, and status 503, nothing saved (:meth:`unavailable`);
    3. "换一张" (``new_captcha``) shows the form again with what was typed and a new captcha;
    4. an invalid form is shown again with its error summary, status 400, nothing saved;
    5. a valid one goes to ``form_valid``, which saves through the app's services and
       answers, usually with :meth:`redirect_to` a confirmation; the rate limit counts it
       (unless ``count_every_success`` is off: the lookup counts only failures).

    Every response is ``Cache-Control: no-store``: the form carries a CSRF token and the
    confirmation may carry the visitor's own data. Pages call it from their routes:
    ``return views.LetterView.serve(request, self)``.
    """

    form_class: type[forms.Form]
    template: str | None = None  # None: the page's own template
    rate_limit: RateLimit
    limit_message: str  # the 429 page's explanation, in the form's own words
    count_every_success = True

    def __init__(self, request, page, **kwargs):
        self.request = request
        self.page = page
        self.kwargs = kwargs

    @classmethod
    def serve(cls, request, page, **kwargs):
        response = cls(request, page, **kwargs).dispatch()
        add_never_cache_headers(response)
        return response

    # ---- what a form's view says --------------------------------------------------------
    def refusal(self):
        """A response when the form does not take submissions now, else None."""
        return None

    def get_form_kwargs(self) -> dict:
        return {}

    def get_context(self) -> dict:
        return {}

    def form_valid(self, form):
        raise NotImplementedError

    # ---- shared ---------------------------------------------------------------------------
    def render(self, form=None, status: int = 200, **context):
        if form is not None:
            context["form"] = form
        response = self.page.render(
            self.request, template=self.template, context_overrides={**self.get_context(), **context}
        )
        response.status_code = status
        return response

    def redirect_to(self, suffix: str) -> HttpResponseRedirect:
        """A page below this one, on the host the visitor used (the site's configured
        address may be another name for the same server, which ``form-action 'self'`` in
        the CSP would refuse to follow)."""
        return HttpResponseRedirect(self.page.get_url(self.request) + suffix)

    def closed(self, **context):
        """The form's closed notice: 403 to a POST, 200 to a GET."""
        return self.render(status=403 if self.request.method == "POST" else 200, **context)

    def unavailable(self):
        """The rate limit cannot be read (Redis is down): 503 with the form as the visitor
        filled it in (a new captcha; files must be chosen again) and a notice saying so."""
        form = self.form_class(self.request.POST, **self.get_form_kwargs())
        shown = form.fresh_copy() if hasattr(form, "fresh_copy") else self.form_class(**self.get_form_kwargs())
        response = self.render(shown, status=503, form_unavailable=True)
        response["Retry-After"] = str(UNAVAILABLE_RETRY_SECONDS)
        return response

    def dispatch(self):
        refusal = self.refusal()
        if refusal is not None:
            return refusal
        request = self.request
        if request.method != "POST":
            return self.render(self.form_class(**self.get_form_kwargs()))
        try:
            over_limit = self.rate_limit.exceeded(request)
        except LimitUnavailable:
            return self.unavailable()
        if over_limit:
            return self.rate_limit.refuse(request, self.limit_message)
        form = self.form_class(request.POST, request.FILES, **self.get_form_kwargs())
        if "new_captcha" in request.POST and hasattr(form, "fresh_copy"):
            return self.render(form.fresh_copy())
        if not form.is_valid():
            return self.render(form, status=400)
        response = self.form_valid(form)
        if self.count_every_success and response.status_code < 400:
            self.rate_limit.hit(request)
        return response
