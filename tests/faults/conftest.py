"""The real stack for the fault tests (``make faults``, i.e. ``pytest -m faults``).

Every part runs in a process of its own that the tests start, stop and restart: gunicorn with
``portal.settings.production``, PostgreSQL (a scratch database on the local server, created,
migrated and loaded with the demo once per session, dropped at the end), a Redis server of our
own (Debian's ``redis-server`` on a spare port, never the system one) and an SMTP server
(aiosmtpd, or a socket that accepts and never answers). Nothing is shared with the pytest-django
test database: these tests request no ``db`` fixture, so the session builds none.

When PostgreSQL, ``redis-server``, gunicorn or aiosmtpd is missing the tests skip with a
message, unless ``REQUIRE_FAULTS=1`` (set by ``.ci/run``), when they fail.

Preparing the database (migrate, ``load_demo``) and ``collectstatic`` take about two minutes on
two cores. While working on these tests, ``FAULTS_REUSE=/some/folder`` keeps the database and
the media and static folders there between runs (prepared once; delete the folder, and drop
the database it names, after changing migrations or the demo). CI never sets it.

Fixtures: ``postgres_db``, ``redis_server``, ``smtp_server`` (session), ``production_env``
(the environment gunicorn and ``manage.py`` run with), ``gunicorn_app(name, port, env)``
(module: started on demand, stopped when the module ends), and ``report`` (figures printed to
the terminal whatever ``-s`` says).
"""

from __future__ import annotations

import email
import email.header
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.faults.client import Visitor

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
REDIS_SERVER = os.environ.get("REDIS_SERVER_PATH", shutil.which("redis-server") or "/usr/bin/redis-server")
POSTGRES_SERVER = os.environ.get("FAULTS_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
HOSTS = {"main": "localhost", "jia": "jia.localhost", "yi": "yi.localhost"}
# What the environment of the test run must not pass on to the stack.
NOT_INHERITED = (
    "DJANGO_SETTINGS_MODULE",
    "DATABASE_URL",
    "REDIS_URL",
    "EMAIL_BACKEND",
    "PAGE_CACHE_SECONDS",
    "MEDIA_ROOT",
    "PRIVATE_MEDIA_ROOT",
    "STATIC_ROOT",
    "DEMO_APP",
    "DEBUG",
)


def unavailable(message: str):
    """Skip (a newcomer's machine) or fail (CI sets REQUIRE_FAULTS=1)."""
    if os.environ.get("REQUIRE_FAULTS") == "1":
        pytest.fail(f"fault tests required (REQUIRE_FAULTS=1) but cannot run: {message}", pytrace=False)
    pytest.skip(f"fault tests skipped: {message}")


def require_tools() -> None:
    """Everything the stack needs besides PostgreSQL, checked before anything starts (the
    message names every missing piece at once)."""
    missing = []
    if not Path(REDIS_SERVER).exists():
        missing.append(f"redis-server not found at {REDIS_SERVER} (apt-get install -y redis-server)")
    if not Path(GUNICORN).exists():
        missing.append(f"gunicorn not found at {GUNICORN} (make install)")
    try:
        import aiosmtpd  # noqa: F401
    except ImportError:
        missing.append("aiosmtpd is not installed (make install)")
    if missing:
        unavailable("; ".join(missing))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def stop_group(process: subprocess.Popen | None, sig=signal.SIGTERM, timeout: float = 15) -> None:
    """Stop a process started with ``start_new_session=True`` and everything it started."""
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, sig)
        process.wait(timeout=timeout)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


@pytest.fixture(autouse=True)
def fresh_limits():
    """(tests/conftest.py empties this process's cache around each test: nothing of the stack.)"""
    yield


@pytest.fixture(autouse=True)
def fresh_site_data():
    yield


# ---- figures --------------------------------------------------------------------------------


def _print(config, line: str) -> None:
    """Straight to the terminal, with or without ``-s``."""
    capture = config.pluginmanager.getplugin("capturemanager")
    with capture.global_and_fixture_disabled():
        print(line, flush=True)


@pytest.fixture
def report(request):
    """``report("line")`` prints a figure at once, with or without ``-s``; the lines are also
    kept on the test's report (``user_properties``, e.g. in a JUnit XML)."""
    lines = []

    def say(line: str) -> None:
        lines.append(line)
        _print(request.config, f"\n    [{request.node.name}] {line}")

    yield say
    if lines:
        request.node.user_properties.append(("figures", "\n".join(lines)))


@pytest.fixture(scope="session")
def report_session(request):
    def say(line: str) -> None:
        _print(request.config, f"\n    [faults] {line}")

    return say


# ---- PostgreSQL -----------------------------------------------------------------------------


@dataclass
class PostgresDatabase:
    server: str
    name: str

    @property
    def url(self) -> str:
        return f"{self.server}/{self.name}"

    def connect(self, database: str | None = None):
        import psycopg

        return psycopg.connect(f"{self.server}/{database or self.name}", autocommit=True, connect_timeout=5)

    def query(self, sql: str, params=()) -> list[tuple]:
        with self.connect() as conn:
            return conn.execute(sql, params).fetchall()

    def value(self, sql: str, params=()):
        rows = self.query(sql, params)
        return rows[0][0] if rows else None

    def terminate_connections(self) -> int:
        """Drop every connection to the database (what a PostgreSQL restart or failover does
        to the application); the number dropped."""
        with self.connect("postgres") as conn:
            rows = conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                [self.name],
            ).fetchall()
        return sum(1 for (done,) in rows if done)

    def captcha_answer(self, key: str) -> str:
        """What the captcha image says (a test cannot read it): the stored challenge."""
        answer = self.value("SELECT response FROM captcha_captchastore WHERE hashkey = %s", [key])
        assert answer is not None, f"no captcha {key} in the database"
        return answer

    def letters_by_code(self, codes) -> dict[str, int]:
        rows = self.query(
            "SELECT code, count(*) FROM correspondence_letter WHERE code = ANY(%s) GROUP BY code", [list(codes)]
        )
        return dict(rows)

    def letters_with_subject(self, text: str) -> int:
        return self.value("SELECT count(*) FROM correspondence_letter WHERE subject LIKE %s", [f"%{text}%"])


@pytest.fixture(scope="session")
def postgres_db():
    """A scratch database on the local PostgreSQL server (``FAULTS_POSTGRES_URL``, default
    ``postgres://postgres@127.0.0.1:5432``), dropped when the session ends. Migrated and loaded
    with the demo by ``production_env``."""
    require_tools()
    try:
        import psycopg

        with psycopg.connect(f"{POSTGRES_SERVER}/postgres", connect_timeout=5, autocommit=True) as conn:
            conn.execute("SELECT 1")
    except Exception as exc:
        unavailable(f"PostgreSQL does not answer at {POSTGRES_SERVER} ({exc})")
    reuse = os.environ.get("FAULTS_REUSE")
    if reuse:
        Path(reuse).mkdir(parents=True, exist_ok=True)
        named = Path(reuse) / "database"
        if not named.exists():
            named.write_text(f"portal_faults_kept_{secrets.token_hex(3)}")
        database = PostgresDatabase(POSTGRES_SERVER, named.read_text().strip())
    else:
        database = PostgresDatabase(POSTGRES_SERVER, f"portal_faults_{os.getpid()}_{secrets.token_hex(3)}")
    with database.connect("postgres") as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database.name]).fetchone():
            conn.execute(f'CREATE DATABASE "{database.name}"')
    yield database
    if not reuse:
        with database.connect("postgres") as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{database.name}" WITH (FORCE)')


# ---- Redis ----------------------------------------------------------------------------------


class RedisServer:
    """Our own ``redis-server`` on a spare port (no persistence: a restart starts empty, as a
    cache may), which a test stops and starts again."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def url(self, db: int = 1) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self) -> None:
        if self.running:
            return
        command = [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        command += ["--dir", str(self.workdir), "--logfile", str(self.workdir / "redis.log")]
        self.process = subprocess.Popen(command, start_new_session=True, stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while not self.ping():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"redis-server did not start: {(self.workdir / 'redis.log').read_text()[-1000:]}")
            time.sleep(0.05)

    def stop(self, sig=signal.SIGKILL) -> None:
        """Gone at once (SIGKILL: a crash, or the machine lost); the port refuses connections."""
        stop_group(self.process, sig, timeout=5)
        self.process = None

    def ping(self) -> bool:
        import redis

        try:
            return redis.Redis(port=self.port, socket_timeout=0.5, socket_connect_timeout=0.5).ping()
        except redis.RedisError:
            return False


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    require_tools()
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop(signal.SIGTERM)


# ---- SMTP -----------------------------------------------------------------------------------


@dataclass
class Mail:
    sender: str
    recipients: list[str]
    subject: str
    body: str


class SmtpServer:
    """One port, three states: ``serve()`` (aiosmtpd, every message kept in ``messages``),
    ``hang()`` (connections are accepted and never answered, not even with the greeting: a
    mail server stuck or behind a black hole) and ``stop()`` (connections refused)."""

    def __init__(self):
        self.port = free_port()
        self.messages: list[Mail] = []
        self._controller = None
        self._hang_socket: socket.socket | None = None
        self._held: list[socket.socket] = []
        self._thread: threading.Thread | None = None

    def serve(self) -> None:
        from aiosmtpd.controller import Controller

        self.stop()
        server = self

        class Handler:
            async def handle_DATA(self, _server, _session, envelope):
                message = email.message_from_bytes(envelope.original_content or envelope.content)
                subject = str(email.header.make_header(email.header.decode_header(message.get("Subject", ""))))
                part = next((p for p in message.walk() if p.get_content_type() == "text/plain"), message)
                body = (part.get_payload(decode=True) or b"").decode(part.get_content_charset() or "utf-8", "replace")
                server.messages.append(Mail(envelope.mail_from, list(envelope.rcpt_tos), subject, body))
                return "250 Message accepted for delivery"

        self._controller = Controller(Handler(), hostname="127.0.0.1", port=self.port, ready_timeout=10)
        self._controller.start()

    def hang(self) -> None:
        self.stop()
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        listener.settimeout(0.2)
        self._hang_socket = listener

        def hold():
            while self._hang_socket is listener:
                try:
                    connection, _ = listener.accept()
                except TimeoutError:
                    continue
                except OSError:
                    return
                self._held.append(connection)  # never a byte back

        self._thread = threading.Thread(target=hold, name="smtp-hang", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None
        if self._hang_socket is not None:
            listener, self._hang_socket = self._hang_socket, None
            self._thread.join(timeout=2)
            listener.close()
            for connection in self._held:
                connection.close()
            self._held.clear()

    def to(self, address: str) -> list[Mail]:
        return [mail for mail in self.messages if address in mail.recipients]


@pytest.fixture(scope="session")
def smtp_server():
    require_tools()
    server = SmtpServer()
    server.serve()
    yield server
    server.stop()


# ---- the portal -----------------------------------------------------------------------------


def manage(env: dict, *args: str, timeout: float = 600, check: bool = True) -> subprocess.CompletedProcess:
    """``manage.py`` with the stack's environment (production settings)."""
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    if check and result.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}")
    return result


@pytest.fixture(scope="session")
def production_env(postgres_db, redis_server, smtp_server, tmp_path_factory, report_session):
    """The environment of every gunicorn and ``manage.py`` of the stack: production settings
    with a random key, the scratch database (migrated, the demo loaded), our Redis and SMTP
    server, and temporary media, private media and static folders (after collectstatic).
    Letters need no fill time here (``FORM_MIN_FILL_SECONDS=0``)."""
    reuse = os.environ.get("FAULTS_REUSE")
    files = Path(reuse) if reuse else tmp_path_factory.mktemp("stack")
    env = {key: value for key, value in os.environ.items() if key not in NOT_INHERITED}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "portal.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": ",".join([*HOSTS.values(), ".localhost", "127.0.0.1"]),
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_COOKIES": "0",
            "DATABASE_URL": postgres_db.url,
            "DB_CONN_MAX_AGE": "60",
            "REDIS_URL": redis_server.url(1),
            "MEDIA_ROOT": str(files / "media"),
            "PRIVATE_MEDIA_ROOT": str(files / "private"),
            "STATIC_ROOT": str(files / "static"),
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_server.port),
            "FORM_MIN_FILL_SECONDS": "0",
            "PAGE_CACHE_SECONDS": "300",
            "WAGTAILADMIN_BASE_URL": "http://localhost",
            "LOG_LEVEL": "WARNING",
        }
    )
    if (files / "ready").exists():
        report_session(f"stack kept in {files} (FAULTS_REUSE)")
        return env
    started = time.monotonic()
    # collectstatic needs no database: it runs beside the migrations.
    static = subprocess.Popen(
        [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        manage(env, "migrate", "--noinput", "-v0")
        migrated = time.monotonic()
        manage({**env, "DEMO_APP": "1"}, "load_demo", "-v0")
        _, errors = static.communicate(timeout=300)
    finally:
        stop_group(static)
    if static.returncode:
        raise RuntimeError(f"collectstatic failed: {errors[-2000:]}")
    if reuse:
        (files / "ready").touch()
    report_session(
        f"stack ready in {time.monotonic() - started:.0f} s "
        f"(migrate {migrated - started:.0f} s, demo and collectstatic {time.monotonic() - migrated:.0f} s)"
    )
    return env


class Gunicorn:
    """One application machine: gunicorn (gthread, 2 workers × 2 threads, as small as the
    2-core CI machine allows) in its own process group."""

    workers = 2

    def __init__(self, name: str, port: int, env: dict, logdir: Path):
        self.name, self.port, self.env = name, port, env
        self.log = logdir / f"gunicorn-{name}.log"
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 60, wait: bool = True) -> Gunicorn:
        command = [
            GUNICORN,
            "portal.wsgi",
            f"--bind=127.0.0.1:{self.port}",
            "--worker-class=gthread",
            f"--workers={self.workers}",
            "--threads=2",
            "--timeout=30",
            "--graceful-timeout=5",
            "--log-level=warning",
            f"--name=portal-{self.name}",
        ]
        with open(self.log, "a") as log:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        if wait:
            self.wait_ready(timeout)
        return self

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn {self.name} exited with {self.process.returncode}: {self.tail()}")
            try:
                if self.visitor().get("/robots.txt", timeout=5).status == 200 and len(self.worker_pids()) == 2:
                    return
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn {self.name} did not answer within {timeout} s: {self.tail()}")
            time.sleep(0.2)

    def worker_pids(self) -> list[int]:
        try:
            children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text()
        except OSError:
            return []
        return [int(pid) for pid in children.split()]

    def visitor(self, host: str = "main", forwarded_for: str | None = None) -> Visitor:
        return Visitor(self.port, HOSTS.get(host, host), forwarded_for=forwarded_for)

    def tail(self, chars: int = 3000) -> str:
        try:
            return self.log.read_text(errors="replace")[-chars:]
        except OSError:
            return ""

    def errors_logged(self) -> list[str]:
        """Tracebacks' last lines in gunicorn's log (what a 500 was)."""
        text = self.tail(200_000)
        return re.findall(r"^\w+(?:\.\w+)*(?:Error|Exception): .*$", text, re.M)

    def worker_holding(self, client_port: int) -> int | None:
        """The worker whose socket is the other end of our connection from ``client_port``."""
        wanted = f"0100007F:{self.port:04X} 0100007F:{client_port:04X}"
        inodes = {
            line.split()[9]
            for line in Path("/proc/net/tcp").read_text().splitlines()[1:]
            if " ".join(line.split()[1:3]) == wanted
        }
        for pid in self.worker_pids():
            try:
                links = {os.readlink(fd) for fd in Path(f"/proc/{pid}/fd").iterdir()}
            except OSError:
                continue
            if any(f"socket:[{inode}]" in links for inode in inodes):
                return pid
        return None

    def stop(self) -> None:
        stop_group(self.process)


@pytest.fixture(scope="module")
def gunicorn_app(production_env, tmp_path_factory):
    """``gunicorn_app("a", port=None, env={...})``: start an application machine on a spare
    port (or ``port``) with ``production_env`` plus ``env``; stopped when the module ends.
    With ``wait=False`` it returns at once (start several, then ``wait_ready()`` on each)."""
    started: list[Gunicorn] = []
    logdir = tmp_path_factory.mktemp("gunicorn")

    def start(name: str, port: int | None = None, env: dict | None = None, wait: bool = True) -> Gunicorn:
        app = Gunicorn(name, port or free_port(), {**production_env, **(env or {})}, logdir)
        started.append(app)
        return app.start(wait=wait)

    yield start
    for app in started:
        app.stop()


# ---- what several tests do ------------------------------------------------------------------


@dataclass
class SentLetter:
    code: str
    password: str
    subject: str
    email: str
    seconds: float


@dataclass
class LetterAttempt:
    subject: str
    status: int | str  # the POST's status, or the error's name
    seconds: float
    sent: SentLetter | None = None
    notes: list[str] = field(default_factory=list)


def letter_form(visitor: Visitor, db: PostgresDatabase, mailbox: str = "/hdjl/zxxx/", subject=None, timeout=15):
    """A mailbox's form as a writer fills it in (captcha answered from the database): the data
    to post, the subject (unique) and the writer's address."""
    subject = subject or f"故障测试来信{secrets.token_hex(4)}"
    address = f"writer-{secrets.token_hex(4)}@faults.example"
    page = visitor.get(mailbox, timeout=timeout)
    assert page.status == 200, (page.status, page.text[:500])
    form = page.form(action=mailbox)
    form.update(
        {
            "name": "故障测试",
            "phone": "13900001234",
            "email": address,
            "subject": subject,
            "content": "请问电子税务局的发票查验入口在哪里？谢谢。",
            "captcha_1": db.captcha_answer(form["captcha_0"]),
        }
    )
    form["category"] = form.first_choice("category")
    return form.data, subject, address


def send_letter(
    visitor: Visitor, data: dict, subject: str, address: str, mailbox="/hdjl/zxxx/", timeout=15, files=None
):
    """POST the form (``files``: see ``Visitor.post``); when it redirects, read the code and
    password off the sent page (asked again once if that GET fails, as a writer would reload it)."""
    started = time.monotonic()
    try:
        response = visitor.post(mailbox, data, files=files, timeout=timeout)
    except OSError as exc:  # a timeout, a reset connection
        return LetterAttempt(subject, type(exc).__name__, time.monotonic() - started)
    attempt = LetterAttempt(subject, response.status, time.monotonic() - started)
    if response.status == 302:
        for _ in range(2):
            try:
                sent = visitor.get(urllib.parse.urlsplit(response.location).path, timeout=timeout)
            except OSError as exc:
                attempt.notes.append(f"sent page: {type(exc).__name__}")
                continue
            codes = re.findall(r"<dt>[^<]*</dt><dd><code>([^<]+)</code></dd>", sent.text)
            if sent.status == 200 and len(codes) == 2:
                attempt.sent = SentLetter(codes[0], codes[1], subject, address, attempt.seconds)
                break
            attempt.notes.append(f"sent page: {sent.status}")
    return attempt


def write_letter(visitor: Visitor, db: PostgresDatabase, mailbox="/hdjl/zxxx/", subject=None, timeout=15):
    """A letter written and sent (see :func:`letter_form`, :func:`send_letter`)."""
    data, subject, address = letter_form(visitor, db, mailbox, subject, timeout)
    return send_letter(visitor, data, subject, address, mailbox, timeout)


PAGES = [
    ("main", "/"),
    ("main", "/gzdt/"),
    ("main", "/gzdt/swyw/"),
    ("main", "/nsfw/bszn/"),
    ("main", "/hdjl/"),
    ("jia", "/"),
    ("yi", "/"),
]


@dataclass
class Hit:
    at: float  # time.monotonic() when the request ended
    what: str  # "GET /path" or "letter"
    status: int | str  # HTTP status, or the error's name (no answer at all)
    seconds: float
    cache: str = ""

    @property
    def start(self) -> float:
        return self.at - self.seconds

    @property
    def ok(self) -> bool:
        return self.status in (200, 302)


class Traffic:
    """Steady traffic while a fault happens: ``readers`` threads asking for public pages one
    after another (no keep-alive: each request on a new connection, as many visitors), and
    with ``letters`` one more thread writing letters (each from an address of its own, so the
    letter limit never refuses one). Every answer is kept as a :class:`Hit`."""

    def __init__(self, app: Gunicorn, db: PostgresDatabase, readers: int = 2, letters: bool = False):
        self.app, self.db = app, db
        self.hits: list[Hit] = []
        self.letters: list[LetterAttempt] = []
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._read, args=(n,), daemon=True) for n in range(readers)]
        if letters:
            self._threads.append(threading.Thread(target=self._write, daemon=True))

    def __enter__(self) -> Traffic:
        self.began = time.monotonic()
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=30)

    def _read(self, offset: int) -> None:
        visitors = {host: self.app.visitor(host) for host in HOSTS}
        n = offset
        while not self._stop.is_set():
            host, path = PAGES[n % len(PAGES)]
            n += 1
            started = time.monotonic()
            try:
                response = visitors[host].get(path, timeout=10)
                status, cache = response.status, response.cache
            except OSError as exc:
                status, cache = type(exc).__name__, ""
            self.hits.append(Hit(time.monotonic(), f"GET {host}{path}", status, time.monotonic() - started, cache))

    def _write(self) -> None:
        while not self._stop.is_set():
            started = time.monotonic()
            try:
                attempt = write_letter(self.app.visitor(), self.db, timeout=10)
            except (OSError, AssertionError) as exc:  # the form page itself failed
                self.hits.append(Hit(time.monotonic(), "letter form", type(exc).__name__, time.monotonic() - started))
                continue
            self.letters.append(attempt)
            status = attempt.status if attempt.sent is None else 302
            self.hits.append(Hit(time.monotonic(), "letter", status, time.monotonic() - started))

    def between(self, start: float, end: float = float("inf")) -> list[Hit]:
        """The requests that ended in the interval."""
        return [hit for hit in self.hits if start <= hit.at < end]

    def started_between(self, start: float, end: float) -> list[Hit]:
        """The requests that were sent and answered in the interval."""
        return [hit for hit in self.hits if start <= hit.start and hit.at < end]

    @staticmethod
    def failures(hits: list[Hit]) -> list[Hit]:
        return [hit for hit in hits if not hit.ok]

    def recovered_at(self, fault: float) -> float:
        """Seconds from the fault to the first good answer after the last failure (0 when
        nothing failed)."""
        failed = self.failures(self.between(fault))
        if not failed:
            return 0.0
        last = max(hit.at for hit in failed)
        after = [hit.at for hit in self.between(last) if hit.ok]
        return (min(after) if after else float("inf")) - fault

    def summary(self, hits: list[Hit]) -> str:
        failed = self.failures(hits)
        kinds = sorted({str(hit.status) for hit in failed})
        slowest = max((hit.seconds for hit in hits), default=0)
        return (
            f"{len(hits)} requests, {len(failed)} failed{' (' + ', '.join(kinds) + ')' if kinds else ''}, "
            f"slowest {slowest:.2f} s"
        )

    def confirmed_letters(self) -> list[SentLetter]:
        return [attempt.sent for attempt in self.letters if attempt.sent is not None]

    def unconfirmed_letters(self) -> list[LetterAttempt]:
        return [attempt for attempt in self.letters if attempt.sent is None]
