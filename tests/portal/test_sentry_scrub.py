"""Error reports to a Sentry-compatible server (portal/sentry.py; README, "Error reporting
(Sentry)"): what the scrubber removes, checked on events as sentry-sdk builds them, without a
server."""

import copy
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from portal import sentry

ROOT = Path(__file__).resolve().parents[2]

# What a letter writer typed, and what identifies a visitor: none of it may leave the machine.
PERSONAL = [
    "张三丰",
    "13912345678",
    "0571-88886666",
    "zhangsan@example.com",
    "110101199003077777",
    "11010119900307X",
    "sessionid-value-abc",
    "csrf-token-value",
    "Basic dXNlcjpwYXNz",
    "203.0.113.9",
    "我家住在东湖区幸福路8号",
    "DEMO2026",
]


def django_event() -> dict:
    """An event shaped like sentry-sdk's Django integration's, for a letter that failed to save."""
    return {
        "event_id": "a1b2c3d4e5f60718293a4b5c6d7e8f90",
        "level": "error",
        "platform": "python",
        "server_name": "web-1",
        "release": "portal@5b7f26d",
        "sdk": {"name": "sentry.python.django", "version": "2.76.0"},
        "contexts": {"runtime": {"name": "CPython", "version": "3.11.2"}, "trace": {"trace_id": "0" * 31 + "1"}},
        "transaction": "/hdjl/jzxx/letters/",
        "request": {
            "url": "https://tax.example.gov.cn/hdjl/jzxx/letters/?phone=13912345678&name=%E5%BC%A0",
            "method": "POST",
            "query_string": "phone=13912345678&email=zhangsan@example.com",
            "data": {
                "name": "张三丰",
                "phone": "13912345678",
                "email": "zhangsan@example.com",
                "subject": "退税",
                "content": "我家住在东湖区幸福路8号，身份证110101199003077777",
                "csrfmiddlewaretoken": "csrf-token-value",
            },
            "cookies": {"sessionid": "sessionid-value-abc", "csrftoken": "csrf-token-value"},
            "headers": {
                "Host": "tax.example.gov.cn",
                "User-Agent": "Mozilla/5.0",
                "Cookie": "sessionid=sessionid-value-abc",
                "Authorization": "Basic dXNlcjpwYXNz",
                "X-Forwarded-For": "203.0.113.9",
                "Referer": "https://tax.example.gov.cn/hdjl/?email=zhangsan@example.com",
            },
            "env": {"REMOTE_ADDR": "203.0.113.9", "SERVER_NAME": "web-1", "SERVER_PORT": "8001"},
        },
        "user": {"id": "42", "username": "jia_editor", "email": "zhangsan@example.com", "ip_address": "203.0.113.9"},
        "exception": {
            "values": [
                {
                    "type": "IntegrityError",
                    "value": 'duplicate key: Key (email)=(zhangsan@example.com), call 13912345678 or "0571-88886666"',
                    "module": "django.db.utils",
                    "mechanism": {"type": "django", "handled": False},
                    "stacktrace": {
                        "frames": [
                            {
                                "filename": "correspondence/services.py",
                                "function": "submit_letter",
                                "module": "correspondence.services",
                                "lineno": 92,
                                "context_line": "                letter.save()",
                                "vars": {
                                    "data": {"name": "'张三丰'", "phone": "'13912345678'"},
                                    "password": "'DEMO2026'",
                                    "letter": "<Letter: XJ20261124001 13912345678 来电>",
                                    "request": "<WSGIRequest: POST '/hdjl/?id_number=110101199003077777'>",
                                    "id_number": "'11010119900307X'",
                                    "attempt": "0",
                                },
                            }
                        ]
                    },
                }
            ]
        },
        "breadcrumbs": {
            "values": [
                {
                    "category": "query",
                    "message": 'INSERT INTO "correspondence_letter" ("name", "phone") VALUES (%s, %s)',
                    "data": {"db.params": ["张三丰", "13912345678"], "db.executemany": False},
                },
                {"category": "portal.csp", "message": "writer zhangsan@example.com wrote", "level": "warning"},
            ]
        },
        "logentry": {"message": "letter from %s failed", "params": ["zhangsan@example.com"]},
        "extra": {"sys.argv": ["gunicorn"], "contact": "13912345678"},
    }


def test_nothing_personal_is_left_in_the_event():
    event = django_event()
    scrubbed = sentry.before_send(copy.deepcopy(event), {})
    text = json.dumps(scrubbed, ensure_ascii=False)
    for value in PERSONAL:
        assert value not in text, value
    # The raw event did carry every one of them (the test data is not vacuous).
    raw = json.dumps(event, ensure_ascii=False)
    assert all(value in raw for value in PERSONAL)


def test_what_locates_the_error_is_kept():
    scrubbed = sentry.before_send(django_event(), {})
    request = scrubbed["request"]
    assert request["url"] == "https://tax.example.gov.cn/hdjl/jzxx/letters/"
    assert request["method"] == "POST" and request["headers"]["User-Agent"] == "Mozilla/5.0"
    assert request["headers"]["Host"] == "tax.example.gov.cn"
    assert request["data"] == sentry.SCRUBBED and request["query_string"] == sentry.SCRUBBED
    assert request["cookies"] == sentry.SCRUBBED
    assert scrubbed["user"] == {"id": "42"}
    exception = scrubbed["exception"]["values"][0]
    assert exception["type"] == "IntegrityError" and exception["value"].startswith("duplicate key: Key (email)=(")
    frame = exception["stacktrace"]["frames"][0]
    assert (frame["function"], frame["lineno"], frame["context_line"]) == (
        "submit_letter",
        92,
        "                letter.save()",
    )
    assert frame["vars"]["attempt"] == "0" and frame["vars"]["data"] == sentry.SCRUBBED
    assert frame["vars"]["letter"] == f"<Letter: XJ20261124001 {sentry.SCRUBBED} 来电>"
    query = scrubbed["breadcrumbs"]["values"][0]
    assert (
        query["message"].startswith('INSERT INTO "correspondence_letter"')
        and query["data"]["db.params"] == "[scrubbed]"
    )
    # Metadata is not mistaken for personal data.
    assert scrubbed["sdk"] == {"name": "sentry.python.django", "version": "2.76.0"}
    assert scrubbed["contexts"]["runtime"]["name"] == "CPython"
    assert scrubbed["event_id"] == "a1b2c3d4e5f60718293a4b5c6d7e8f90"
    assert scrubbed["contexts"]["trace"]["trace_id"] == "0" * 31 + "1"
    assert scrubbed["release"] == "portal@5b7f26d" and scrubbed["server_name"] == "web-1"


@pytest.mark.parametrize(
    "text",
    [
        "13912345678",
        "+86 13912345678",
        "0571-88886666",
        "01088886666",
        "110101199003077777",
        "11010119900307777x",
        "110101900307777",
        "a.b-c+d@mail.example.gov.cn",
    ],
)
def test_numbers_and_addresses_are_found_inside_free_text(text):
    assert sentry.scrub_text(f"写信人（{text}）说") == f"写信人（{sentry.SCRUBBED}）说"


@pytest.mark.parametrize(
    "text",
    ["12366", "2026-11-24T03:15:00", "a1b2c3d4e5f60718293a4b5c6d7e8f90", "/hdjl/jzxx/letters/", "Wagtail 8.0.1"],
)
def test_ordinary_text_is_left_alone(text):
    assert sentry.scrub_text(text) == text


SETTINGS_PROBE = """
import sys
if "--without-sdk" in sys.argv:
    sys.modules["sentry_sdk"] = None  # not installed
from django.conf import settings
settings.DEBUG  # loads the settings
import sentry_sdk
client = sentry_sdk.get_client()
if not client.is_active():
    print("inactive")
    raise SystemExit
options = client.options
print(options["send_default_pii"], options["include_local_variables"], options["before_send"].__module__,
      options["before_send_transaction"].__module__, options["max_request_body_size"], options["environment"])
"""

CAPTURE = """
import json, sys
import django
from django.conf import settings
import sentry_sdk
from sentry_sdk.transport import Transport
from portal import sentry

events = []

class Capture(Transport):
    def capture_envelope(self, envelope):
        events.extend(item.payload.json for item in envelope.items if item.type == "event")

django.setup()
sentry.init("https://public@sentry.invalid/1", transport=Capture)
# Only what the failing view needs (no database): the request id and the error pages.
settings.MIDDLEWARE = ["portal.requestid.RequestIdMiddleware", "django.middleware.common.CommonMiddleware"]
settings.ROOT_URLCONF = "tests.error_urls"
from django.core.handlers.wsgi import WSGIHandler
from django.test import RequestFactory
# Through the WSGI handler gunicorn calls, which sentry-sdk wraps (URL, headers, environment).
request = RequestFactory(HTTP_HOST="tax.example.gov.cn").post(
    "/boom/?phone=13912345678&email=zhangsan@example.com",
    {"name": "张三丰", "phone": "13912345678", "email": "zhangsan@example.com", "content": "身份证110101199003077777"},
    HTTP_COOKIE="sessionid=sessionid-value-abc; csrftoken=csrf-token-value",
    HTTP_AUTHORIZATION="Basic dXNlcjpwYXNz",
    HTTP_X_FORWARDED_FOR="203.0.113.9",
    REMOTE_ADDR="203.0.113.9",
)
statuses = []
body = b"".join(WSGIHandler()(request.environ, lambda status, headers, exc_info=None: statuses.append(status)))
sentry_sdk.flush()
print(json.dumps({"status": statuses[0], "events": events}, ensure_ascii=False))
"""


def run_python(code: str, *args: str, **env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "SENTRY_DSN"}}
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "portal.settings.test", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_without_the_package_a_dsn_is_reported_and_ignored():
    result = run_python(
        SETTINGS_PROBE.replace("import sentry_sdk\nclient", "print('loaded')\nraise SystemExit\nclient"),
        "--without-sdk",
        SENTRY_DSN="https://public@sentry.invalid/1",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "loaded"
    assert "SENTRY_DSN is set but sentry-sdk is not installed" in result.stderr


def test_the_settings_start_the_sdk_only_when_a_dsn_is_set():
    pytest.importorskip("sentry_sdk")
    result = run_python(SETTINGS_PROBE)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["inactive"]
    result = run_python(SETTINGS_PROBE, SENTRY_DSN="https://public@sentry.invalid/1", SENTRY_ENVIRONMENT="staging")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False", "portal.sentry", "portal.sentry", "never", "staging"]


def test_an_error_in_a_view_reaches_the_transport_scrubbed():
    pytest.importorskip("sentry_sdk")
    result = run_python(CAPTURE)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.splitlines()[-1])
    assert found["status"].startswith("500")
    [event] = found["events"]
    text = json.dumps(event, ensure_ascii=False)
    for value in PERSONAL:
        assert value not in text, value
    assert event["exception"]["values"][-1]["type"] == "RuntimeError"
    request = event["request"]
    assert request["url"] == "http://tax.example.gov.cn/boom/" and request["method"] == "POST"
    assert request["query_string"] == sentry.SCRUBBED
    assert request.get("env", {}).get("REMOTE_ADDR", sentry.SCRUBBED) == sentry.SCRUBBED
    assert request["headers"]["Host"] == "tax.example.gov.cn"
    # Local variables are not sent at all (a model's str() may carry a name): file, function and line are.
    frame = event["exception"]["values"][-1]["stacktrace"]["frames"][-1]
    assert frame["function"] == "explode" and frame["lineno"] and "vars" not in frame
