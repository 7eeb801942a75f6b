"""Browser tests: a real portal server with the demo cluster, driven by Chromium.

The server runs in its own process on a throw-away SQLite file (not the pytest-django
test database, whose transactional flush would wipe the session's demo data), with
``DEMO_PORT`` set to its port so the three sites answer at ``http://<host>.localhost:PORT/``.

Chromium is Debian's ``/usr/bin/chromium`` (``apt-get install chromium``). Without it these
tests skip with a message, unless ``REQUIRE_BROWSER=1`` (set by CI), when they fail.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


def _require_browser():
    missing = []
    if not Path(CHROMIUM).exists():
        missing.append(f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)")
    try:
        import axe_playwright_python  # noqa: F401
        import playwright  # noqa: F401
    except ImportError as exc:
        missing.append(f"{exc.name} is not installed (make install)")
    if missing:
        message = "; ".join(missing)
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"browser tests required but cannot run: {message}", pytrace=False)
        pytest.skip(f"browser tests skipped: {message}")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def portal_server(tmp_path_factory):
    """Base URL of a running portal with the demo cluster: ``portal_server("jia") + "/gzdt/"``."""
    _require_browser()
    work = tmp_path_factory.mktemp("browser-portal")
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "DATABASE_URL": f"sqlite:///{work / 'db.sqlite3'}",
        "MEDIA_ROOT": str(work / "media"),
        "SERVE_MEDIA": "1",
        "DEMO_PORT": str(port),
    }
    manage = [sys.executable, "manage.py"]
    for command in (["migrate", "--noinput", "-v0"], ["load_demo", "-v0"]):
        subprocess.run(manage + command, cwd=ROOT, env=env, check=True, timeout=600)
    log = open(work / "server.log", "w")  # noqa: SIM115 - closed at teardown
    server = subprocess.Popen(
        manage + ["runserver", f"127.0.0.1:{port}", "--noreload", "--insecure"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://localhost:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(base + "/robots.txt", timeout=2)
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail(f"portal server did not start: {(work / 'server.log').read_text()[-2000:]}")
            time.sleep(0.3)

    # "county": the demo's county site, opened through 站点开通 (demo/sites.py COUNTY_SITES)
    hosts = {"main": "localhost", "jia": "jia.localhost", "yi": "yi.localhost", "county": "linjiang.localhost"}

    def url(key="main"):
        return f"http://{hosts[key]}:{port}"

    url.database = work / "db.sqlite3"  # the server's database, e.g. to read a captcha's answer
    yield url
    server.terminate()
    server.wait(timeout=10)
    log.close()


@pytest.fixture(scope="module")
def browser(portal_server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN")
    tab = context.new_page()
    yield tab
    context.close()
