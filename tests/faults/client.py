"""A visitor of a gunicorn on 127.0.0.1 (standard library only): keeps its cookies, sends the
site's ``Host`` and, behind the production settings' one trusted proxy, its own address in
``X-Forwarded-For`` (so each visitor has its own rate limits and login lockouts); follows no
redirect; reads forms with BeautifulSoup."""

from __future__ import annotations

import http.cookiejar
import secrets
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from bs4 import BeautifulSoup


def random_address() -> str:
    """A client address of its own (``10.x.y.z``): its own rate limits and lockouts."""
    return "10." + ".".join(str(secrets.randbelow(254) + 1) for _ in range(3))


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@dataclass
class Response:
    status: int
    headers: dict
    body: bytes
    seconds: float

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")

    @property
    def cache(self) -> str:
        return self.headers.get("X-Page-Cache", "")

    def form(self, action: str | None = None, index: int = 0) -> Form:
        """The POST form (the one posting to ``action``, else the ``index``-th)."""
        soup = BeautifulSoup(self.text, "html.parser")
        forms = soup.find_all("form", method=lambda m: m and m.lower() == "post")
        if action is not None:
            forms = [f for f in forms if (f.get("action") or "").split("?")[0].endswith(action)]
        if len(forms) <= index:
            raise AssertionError(f"no POST form {action or index} in the page: {self.text[:800]}")
        return Form.read(forms[index])


class Form:
    def __init__(self, data: dict, choices: dict):
        self.data, self.choices = data, choices

    @classmethod
    def read(cls, element) -> Form:
        data, choices = {}, {}
        for field in element.find_all(["input", "textarea", "select"]):
            name = field.get("name")
            if not name:
                continue
            if field.name == "select":
                options = [o.get("value", o.text) for o in field.find_all("option")]
                choices[name] = [value for value in options if value]
                chosen = field.find("option", selected=True)
                data[name] = chosen.get("value", "") if chosen else ""
            elif field.name == "textarea":
                data[name] = field.text
            elif field.get("type") in ("checkbox", "radio"):
                if field.has_attr("checked"):
                    data[name] = field.get("value", "on")
            elif field.get("type") not in ("submit", "button", "file", "image"):
                data[name] = field.get("value", "")
        return cls(data, choices)

    def __getitem__(self, name):
        return self.data[name]

    def __setitem__(self, name, value):
        self.data[name] = value

    def update(self, values: dict) -> None:
        self.data.update(values)

    def first_choice(self, name: str) -> str:
        return self.choices[name][0]


class Visitor:
    def __init__(self, port: int, host: str = "localhost", forwarded_for: str | None = None):
        self.port, self.host = port, host
        self.forwarded_for = forwarded_for or random_address()
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect)

    def on(self, port: int) -> Visitor:
        """The same person (cookies, address) at another machine behind the load balancer."""
        other = Visitor(port, self.host, self.forwarded_for)
        other.cookies = self.cookies
        other.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect)
        return other

    def request(self, method: str, path: str, body: bytes | None = None, headers=None, timeout=15) -> Response:
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", data=body, method=method)
        request.add_header("Host", self.host)
        request.add_header("X-Forwarded-For", self.forwarded_for)
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        started = time.monotonic()
        try:
            with self.opener.open(request, timeout=timeout) as answer:
                return Response(answer.status, dict(answer.headers), answer.read(), time.monotonic() - started)
        except urllib.error.HTTPError as error:
            return Response(error.code, dict(error.headers), error.read(), time.monotonic() - started)

    def get(self, path: str, timeout=15) -> Response:
        return self.request("GET", path, timeout=timeout)

    def post(self, path: str, data: dict, files: dict | None = None, timeout=15) -> Response:
        """A form POST (multipart when ``files``: name -> (filename, bytes, content type))."""
        headers = {"Referer": f"http://{self.host}{path}"}
        if files:
            boundary = secrets.token_hex(16)
            parts = []
            for name, value in data.items():
                head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                parts.append(f"{head}{value}\r\n".encode())
            for name, (filename, content, content_type) in files.items():
                head = (
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                    f"Content-Type: {content_type}\r\n\r\n"
                )
                parts.append(head.encode() + content + b"\r\n")
            body = b"".join(parts) + f"--{boundary}--\r\n".encode()
            headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
        else:
            body = urllib.parse.urlencode(data).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        return self.request("POST", path, body, headers, timeout=timeout)

    def log_in(self, username: str, password: str) -> Response:
        """Wagtail's login form; a 302 to the admin when it worked. Accounts that must use a
        second factor (``admin``, ``<site>_admin``) then give the demo authenticator's code at
        /admin/2fa/ (README "Demo accounts"); the response is the password step's."""
        page = self.get("/admin/login/")
        form = page.form()
        form.update({"username": username, "password": password})
        response = self.post("/admin/login/", form.data)
        if response.status == 302 and self.get("/admin/").location.startswith("/admin/2fa/"):
            self.second_step()
        return response

    def second_step(self) -> None:
        """The demo authenticator's current code. A code is accepted once per account: when
        another client of the test used it already, wait for the next one (at most 30 s)."""
        from django_otp.oath import TOTP

        from signin.demo import demo_key_hex

        for _attempt in range(2):
            page = self.get("/admin/2fa/")
            form = page.form()
            form["code"] = f"{TOTP(bytes.fromhex(demo_key_hex())).token():06d}"
            if self.post("/admin/2fa/", form.data).status == 302:
                return
            time.sleep(31 - time.time() % 30)
        raise AssertionError("the second step refused the demo authenticator's code twice")
