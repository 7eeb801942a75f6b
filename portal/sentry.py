"""Error reports to a Sentry-compatible server (Sentry, GlitchTip, ...), scrubbed first.

The settings call :func:`init` only when ``SENTRY_DSN`` is set; without sentry-sdk installed
that is said once on stderr and errors stay in the log only. The SDK runs with
``send_default_pii=False``, never reads request bodies (``max_request_body_size="never"``) and
sends no local variables of stack frames (``include_local_variables=False``: a model's str()
may carry a name);
:func:`before_send` then removes, from every event and transaction, whatever could identify a
citizen or a session, because letter writers, commenters and subscribers type their names,
phone numbers, e-mail addresses and ID numbers into the portal's forms:

* the request's body, cookies and query string, the query part of its URL and ``Referer``,
  the ``Cookie``, ``Authorization`` and forwarded-address headers, ``REMOTE_ADDR``;
* everything about the user but the id;
* in stack frames' local variables (should they be turned on), breadcrumbs' and spans' data
  and ``extra``: the value of
  any key that names personal data (``name``, ``phone``, ``email``, ``id_number``,
  ``content``, ``password``, ``data``, ``params``, 姓名, 身份证 ...), SQL parameters included;
* in every remaining string (exception messages, log messages, reprs): e-mail addresses,
  mobile and landline numbers and 居民身份证 numbers, found by their shape.

What is left locates the error: exception type and message, file, function and line, URL
path, method, host and user agent, release, environment. Free text such as a name inside an
exception message cannot be recognised; code should not put personal data in exceptions.
"""

from __future__ import annotations

import os
import re
import sys

SCRUBBED = "[scrubbed]"

_BEFORE = r"(?<![0-9A-Za-z])"
_AFTER = r"(?![0-9A-Za-z])"
TEXT_PATTERNS = [
    re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"),  # e-mail
    re.compile(_BEFORE + r"\d{17}[\dXx]" + _AFTER),  # 居民身份证 (18 characters)
    re.compile(_BEFORE + r"\d{15}" + _AFTER),  # the older 15-digit ID number
    re.compile(_BEFORE + r"(?:\+?86[ -]?)?1[3-9]\d{9}" + _AFTER),  # mobile
    re.compile(_BEFORE + r"0\d{2,3}-?\d{7,8}" + _AFTER),  # landline with its area code
]

# Keys whose values are personal (or secret), as words of the key: "name", "writer_phone",
# "db.params", "cleaned_data".
# fmt: off
PERSONAL_WORDS = frozenset({
    "name", "username", "fullname", "firstname", "lastname", "realname", "phone", "mobile", "tel", "telephone",
    "email", "mail", "contact", "address", "password", "passwd", "pwd", "secret", "token", "csrftoken",
    "csrfmiddlewaretoken", "session", "sessionid", "cookie", "cookies", "authorization", "content", "reply",
    "text", "body", "data", "params", "query", "querystring", "post", "files",
})
# Keys written without separators: "id_number", "idCard", "id-no".
PERSONAL_COMPACT = frozenset({
    "idnumber", "idcard", "idno", "identitynumber", "identitycard", "certificateno", "certificatenumber", "sfz", "sfzh",
})
# fmt: on
PERSONAL_CHINESE = ("姓名", "电话", "手机", "邮箱", "身份证", "证件", "地址", "联系", "内容")
SECRET_HEADERS = frozenset(
    {
        "cookie",
        "authorization",
        "proxy-authorization",
        "x-csrftoken",
        "x-forwarded-for",
        "x-real-ip",
        "forwarded",
        "cf-connecting-ip",
        "true-client-ip",
    }
)


def scrub_text(text: str) -> str:
    for pattern in TEXT_PATTERNS:
        text = pattern.sub(SCRUBBED, text)
    return text


def personal_key(key) -> bool:
    if not isinstance(key, str):
        return False
    if any(word in key for word in PERSONAL_CHINESE):
        return True
    lower = key.lower()
    if re.sub(r"[^a-z0-9]", "", lower) in PERSONAL_COMPACT:
        return True
    return any(word in PERSONAL_WORDS for word in re.split(r"[^a-z0-9]+", lower))


def scrub_keys(value):
    """A mapping (frame variables, breadcrumb data, extra) with every personal key's value replaced."""
    if isinstance(value, dict):
        return {key: SCRUBBED if personal_key(key) else scrub_keys(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [scrub_keys(item) for item in value]
    return value


def scrub_strings(value):
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, dict):
        return {key: scrub_strings(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [scrub_strings(item) for item in value]
    return value


def _without_query(url):
    return url.split("?", 1)[0].split("#", 1)[0] if isinstance(url, str) else url


def _scrub_request(request: dict) -> None:
    for key in ("data", "cookies", "query_string"):
        if request.get(key):
            request[key] = SCRUBBED
    if "url" in request:
        request["url"] = _without_query(request["url"])
    headers = request.get("headers")
    if isinstance(headers, dict):
        for name in list(headers):
            if name.lower() in SECRET_HEADERS:
                headers[name] = SCRUBBED
            elif name.lower() == "referer":
                headers[name] = _without_query(headers[name])
    env = request.get("env")
    if isinstance(env, dict) and "REMOTE_ADDR" in env:
        env["REMOTE_ADDR"] = SCRUBBED


def _frames(event: dict):
    for section in ("exception", "threads"):
        for value in (event.get(section) or {}).get("values") or []:
            yield from ((value or {}).get("stacktrace") or {}).get("frames") or []


def scrub_event(event: dict) -> dict:
    request = event.get("request")
    if isinstance(request, dict):
        _scrub_request(request)
    if isinstance(event.get("user"), dict):
        event["user"] = {"id": event["user"]["id"]} if "id" in event["user"] else {}
    for frame in _frames(event):
        if "vars" in frame:
            frame["vars"] = scrub_keys(frame["vars"])
    for crumb in (event.get("breadcrumbs") or {}).get("values") or []:
        if "data" in crumb:
            crumb["data"] = scrub_keys(crumb["data"])
    for span in event.get("spans") or []:
        if "data" in span:
            span["data"] = scrub_keys(span["data"])
    if "extra" in event:
        event["extra"] = scrub_keys(event["extra"])
    logentry = event.get("logentry")
    if isinstance(logentry, dict) and logentry.get("params"):
        logentry["params"] = SCRUBBED
    return scrub_strings(event)


def before_send(event, hint):
    """sentry-sdk's ``before_send`` and ``before_send_transaction``: the event, scrubbed."""
    return scrub_event(event)


def init(dsn: str, **overrides) -> bool:
    """Start sentry-sdk for Django; False (and a line on stderr) when it is not installed.

    ``SENTRY_ENVIRONMENT`` (``production``), ``SENTRY_RELEASE`` and
    ``SENTRY_TRACES_SAMPLE_RATE`` (0: errors only) come from the environment."""
    try:
        import sentry_sdk
        from sentry_sdk.integrations.django import DjangoIntegration
    except ImportError:
        print(
            "SENTRY_DSN is set but sentry-sdk is not installed: errors are only logged "
            "(install the version pinned in requirements.txt).",
            file=sys.stderr,
        )
        return False
    options = {
        "dsn": dsn,
        "integrations": [DjangoIntegration()],
        "send_default_pii": False,
        "max_request_body_size": "never",
        # A model's str() in a frame's variables may carry a name or a letter's subject, which
        # no pattern recognises: frames keep file, function, line and source, not variables.
        "include_local_variables": False,
        "before_send": before_send,
        "before_send_transaction": before_send,
        "environment": os.environ.get("SENTRY_ENVIRONMENT", "production"),
        "release": os.environ.get("SENTRY_RELEASE") or None,
        "traces_sample_rate": float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
    }
    options.update(overrides)
    sentry_sdk.init(**options)
    return True
