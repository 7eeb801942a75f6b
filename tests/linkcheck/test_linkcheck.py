"""Link checking (错链检测): ``manage.py check_links`` and the admin report.

No test touches the network: DNS and sockets are replaced for every test, and external
checks go through a mocked resolver (``linkcheck.net.resolve``) and a fake connection
factory (``linkcheck.net.open_connection``)."""

import csv
import io
import socket
import threading
import time

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from wagtail.models import Page, Site
from wagtail.rich_text import RichText

from home.models import ArticleAttachment, ArticlePage, ArticleRelatedLink, ColumnPage
from linkcheck import net
from linkcheck.checker import PER_HOST_LIMIT, ExternalChecker
from linkcheck.models import BrokenLink, LinkCheckRun
from portal.models import PortalDocument
from tests.helpers import staff_client

PUBLIC = "93.184.216.34"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Any real DNS lookup or connection fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


class FakeWeb:
    """Stands in for DNS and HTTP: ``hosts`` maps host → addresses, ``answers`` maps
    (host, path) → (status, Location) for HEAD; every connection opened is recorded."""

    def __init__(self, monkeypatch, hosts=None, answers=None, head_not_allowed=()):
        self.hosts = hosts or {}
        self.answers = answers or {}
        self.head_not_allowed = set(head_not_allowed)
        self.connections = []  # (scheme, host, address, port)
        self.requests = []  # (method, host, path)
        monkeypatch.setattr(net, "resolve", self.resolve)
        monkeypatch.setattr(net, "open_connection", self.open_connection)

    def resolve(self, host):
        return self.hosts.get(host, [PUBLIC])

    def open_connection(self, scheme, host, address, port, timeout):
        self.connections.append((scheme, host, address, port))
        web = self

        class Connection:
            def request(self, method, target, headers=None):
                assert "LinkChecker" in headers["User-Agent"]
                web.requests.append((method, host, target))
                self.method, self.target = method, target

            def getresponse(self):
                if self.method == "HEAD" and (host, self.target) in web.head_not_allowed:
                    status, location = 405, None
                else:
                    status, location = web.answers.get((host, self.target), (200, None))

                class Response:
                    def __init__(self):
                        self.status = status

                    def getheader(self, name):
                        return location if name == "Location" else None

                    def close(self):
                        pass

                return Response()

            def close(self):
                pass

        return Connection()

    def hosts_contacted(self):
        return {host for _scheme, host, _address, _port in self.connections}


def jia_site():
    return Site.objects.select_related("root_page").get(hostname="jia.localhost")


def jia_article():
    return ArticlePage.objects.live().descendant_of(jia_site().root_page).exact_type(ArticlePage).first()


def jia_column():
    return ColumnPage.objects.live().descendant_of(jia_site().root_page).first()


def site_path(page):
    """The page's path on its own site (``/news/`` rather than ``/jia/news/``)."""
    return page.url_path[len(jia_site().root_page.url_path) - 1 :]


def set_body(page, html):
    page.body = [("paragraph", RichText(html))]
    page.save()


def check(*args):
    out = io.StringIO()
    call_command("check_links", *args, stdout=out)
    return out.getvalue()


def rows(**filters):
    return list(BrokenLink.objects.filter(**filters).order_by("url"))


def test_seeded_broken_internal_links_are_reported_with_their_page():
    article, column = jia_article(), jia_column()
    good = Page.objects.get(pk=column.pk)
    doomed = ArticlePage.objects.live().descendant_of(jia_site().root_page).exclude(pk=article.pk).first()
    doomed_id = doomed.pk
    doomed.delete()
    unpublished = ArticlePage.objects.live().descendant_of(jia_site().root_page).exclude(pk=article.pk).last()
    unpublished.unpublish()
    document = PortalDocument.objects.create(title="2019 年申报表（旧）", file=ContentFile(b"old", name="old-form.pdf"))
    document_id = document.pk
    document.delete()
    lost_file = PortalDocument.objects.create(title="办税指南", file=ContentFile(b"pdf", name="guide.pdf"))
    lost_file.file.storage.delete(lost_file.file.name)
    set_body(
        article,
        f'<p>参见<a linktype="page" id="{doomed_id}">已撤下的通知</a>、'
        f'<a linktype="document" id="{document_id}">旧申报表</a>、'
        '<a href="/no-such-column/">旧栏目</a>，'
        f'以及<a linktype="page" id="{good.pk}">本栏目</a>和<a href="{site_path(column)}">栏目首页</a>。</p>',
    )
    ArticleRelatedLink.objects.create(page=article, title="已撤回的文章", link_page=unpublished)
    ArticleAttachment.objects.create(page=article, document=lost_file, title="办税指南")

    output = check("--internal-only")

    found = {row.url: row for row in rows(page=article)}
    assert {
        f"站内页面 #{doomed_id}",
        f"文档 #{document_id}",
        "/no-such-column/",
        f"站内页面 #{unpublished.pk}",
        f"文档 #{lost_file.pk}",
    } == set(found)
    assert found[f"站内页面 #{doomed_id}"].reason == "链接的页面已删除"
    assert found[f"站内页面 #{unpublished.pk}"].reason == "链接的页面未发布"
    assert found[f"文档 #{document_id}"].reason == "链接的文档已删除"
    assert found[f"文档 #{lost_file.pk}"].reason == "文档文件缺失"
    assert found["/no-such-column/"].reason == "页面不存在（404）"
    assert found["/no-such-column/"].field == "正文"
    assert all(row.site == jia_site() and row.kind == "internal" for row in found.values())
    assert "5 broken" in output


def test_good_internal_links_are_not_reported():
    article, column = jia_article(), jia_column()
    set_body(
        article,
        f'<p><a linktype="page" id="{column.pk}">栏目</a> '
        f'<a href="{site_path(column)}">同一栏目</a> '
        f'<a href="http://jia.localhost{site_path(column)}">完整地址</a> '
        '<a href="/search/?q=发票">站内搜索</a> <a href="mailto:bgs@jia.tax-shili.example">邮箱</a> '
        '<a href="#top">回到顶部</a></p>',
    )
    check("--internal-only")
    assert rows(page=article) == []


def test_links_to_other_sites_of_the_cluster_are_routed_through_that_site():
    article = jia_article()
    set_body(
        article,
        '<p><a href="http://localhost/no-such-page-on-main/">省局旧页面</a>'
        '<a href="//localhost/no-such-page-either/">省局另一旧页面</a></p>',
    )
    check("--internal-only")
    found = rows(page=article)
    assert [row.url for row in found] == ["//localhost/no-such-page-either/", "http://localhost/no-such-page-on-main/"]
    assert all(row.kind == "internal" and row.reason == "页面不存在（404）" for row in found)


def test_relative_links_are_resolved_against_the_page():
    article = jia_article()
    set_body(article, '<p><a href="../">所在栏目</a><a href="old-attachment/">旧附件页</a></p>')
    check("--internal-only")
    assert [row.url for row in rows(page=article)] == ["old-attachment/"]


@pytest.mark.parametrize("address", ["10.0.0.5", "127.0.0.1", "::1", "169.254.169.254", "::ffff:192.168.1.1"])
def test_private_addresses_are_never_requested(monkeypatch, address):
    web = FakeWeb(monkeypatch, hosts={"intranet.tax-shili.example": [address]})
    article = jia_article()
    set_body(article, '<p><a href="http://intranet.tax-shili.example/admin/">内部系统</a></p>')
    check("--site", "jia.localhost")
    assert "intranet.tax-shili.example" not in web.hosts_contacted()
    assert all(address != used for _scheme, _host, used, _port in web.connections)
    [row] = rows(page=article)
    assert (row.status, row.reason, row.kind) == ("refused", "内网地址，未检查", "external")


def test_a_host_with_one_private_address_among_public_ones_is_refused(monkeypatch):
    web = FakeWeb(monkeypatch, hosts={"mixed.example": [PUBLIC, "192.168.0.10"]})
    assert net.check_url("https://mixed.example/", 5).status == "refused"
    assert web.connections == []


def test_external_links_broken_or_fine_by_status(monkeypatch):
    web = FakeWeb(
        monkeypatch,
        answers={("old.example.com", "/retired/"): (404, None), ("www.chinatax.gov.cn", "/"): (200, None)},
        head_not_allowed={("www.chinatax.gov.cn", "/")},
    )
    article = jia_article()
    set_body(
        article,
        '<p><a href="https://old.example.com/retired/">旧网站</a>'
        '<a href="https://www.chinatax.gov.cn/">国家税务总局</a>'
        '<a href="https://old.example.com/retired/">旧网站（重复）</a></p>',
    )
    check("--site", "jia.localhost")
    [row] = rows(page=article)
    assert (row.url, row.reason, row.kind) == ("https://old.example.com/retired/", "服务器返回 HTTP 404", "external")
    # Each URL once per run; GET only where HEAD was refused; connected to the vetted address.
    assert web.requests.count(("HEAD", "old.example.com", "/retired/")) == 1
    assert ("GET", "www.chinatax.gov.cn", "/") in web.requests
    assert all(address == PUBLIC for _scheme, _host, address, _port in web.connections)


def test_redirect_to_a_private_address_is_refused(monkeypatch):
    web = FakeWeb(
        monkeypatch,
        hosts={"metadata.internal": ["169.254.169.254"]},
        answers={("short.example", "/x"): (302, "http://metadata.internal/latest/")},
    )
    outcome = net.check_url("https://short.example/x", 5)
    assert (outcome.ok, outcome.status) == (False, "refused")
    assert web.hosts_contacted() == {"short.example"}


def test_too_many_redirects_are_broken(monkeypatch):
    FakeWeb(monkeypatch, answers={("loop.example", "/"): (301, "/")})
    outcome = net.check_url("https://loop.example/", 5)
    assert not outcome.ok and outcome.reason == "重定向次数过多"


def test_other_schemes_are_not_requested(monkeypatch):
    web = FakeWeb(monkeypatch)
    article = jia_article()
    set_body(
        article,
        '<p><a href="ftp://files.example.com/form.doc">旧表格</a><a href="javascript:alert(1)">脚本</a>'
        '<a href="tel:12366">热线</a></p>',
    )
    check("--site", "jia.localhost")
    assert "files.example.com" not in web.hosts_contacted()
    assert {(row.url, row.status) for row in rows(page=article)} == {
        ("ftp://files.example.com/form.doc", "unsupported"),
        ("javascript:alert(1)", "unsupported"),
    }


def test_running_twice_keeps_one_row_and_its_first_seen_and_fixed_links_disappear(monkeypatch):
    FakeWeb(monkeypatch, answers={("old.example.com", "/retired/"): (404, None)})
    article = jia_article()
    set_body(
        article, '<p><a href="https://old.example.com/retired/">旧网站</a><a href="/no-such-column/">旧栏目</a></p>'
    )
    check("--site", "jia.localhost")
    first = {row.url: row.first_seen for row in rows(page=article)}
    assert len(first) == 2
    check("--site", "jia.localhost")
    second = rows(page=article)
    assert len(second) == 2 and {row.url: row.first_seen for row in second} == first
    assert all(row.last_checked > row.first_seen for row in second)
    set_body(article, '<p><a href="https://old.example.com/retired/">旧网站</a></p>')  # one link fixed
    check("--site", "jia.localhost")
    assert [row.url for row in rows(page=article)] == ["https://old.example.com/retired/"]
    # An internal-only run leaves the external rows alone; an unpublished page's links go.
    check("--site", "jia.localhost", "--internal-only")
    assert [row.url for row in rows(page=article)] == ["https://old.example.com/retired/"]
    article.unpublish()
    check("--site", "jia.localhost")
    assert rows(page=article) == []
    assert LinkCheckRun.objects.filter(finished_at__isnull=False).count() == 5


def test_quick_links_and_related_link_urls_are_checked(monkeypatch):
    FakeWeb(monkeypatch, answers={("gone.example.org", "/"): (410, None)})
    home = jia_site().root_page.specific
    home.quick_links = [
        ("link", {"title": "旧系统", "description": "", "page": None, "url": "https://gone.example.org/"})
    ]
    home.save()
    article = jia_article()
    ArticleRelatedLink.objects.create(page=article, title="旧系统", link_url="https://gone.example.org/")
    check("--site", "jia.localhost")
    assert {(row.page_id, row.field) for row in rows(url="https://gone.example.org/")} == {
        (home.pk, "快捷服务"),
        (article.pk, "外部链接"),
    }


def test_pinned_connection_uses_the_vetted_address_and_names_the_host(monkeypatch):
    sent, targets = [], []

    class FakeSocket:
        def sendall(self, data):
            sent.append(data)

        def makefile(self, mode):
            return io.BytesIO(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")

        def close(self):
            pass

    def create_connection(address, timeout=None, *args):
        targets.append(address)
        return FakeSocket()

    monkeypatch.setattr(net, "resolve", lambda host: [PUBLIC])
    monkeypatch.setattr(socket, "create_connection", create_connection)
    outcome = net.check_url("http://www.example.com/税务/", 5)
    assert targets == [(PUBLIC, 80)]
    request = b"".join(sent)
    assert request.startswith(b"HEAD /%E7%A8%8E%E5%8A%A1/ HTTP/1.1\r\n")
    assert b"Host: www.example.com\r\n" in request
    assert (outcome.ok, outcome.http_status) == (False, 404)


@pytest.mark.parametrize(
    "address,public",
    [
        ("93.184.216.34", True),
        ("2606:2800:220:1:248:1893:25c8:1946", True),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.1.1", False),
        ("100.64.0.1", False),
        ("0.0.0.0", False),
        ("224.0.0.1", False),
        ("fd00::1", False),
        ("fec0::1", False),
        ("fe80::1", False),
        ("::ffff:10.0.0.1", False),
        ("2002:c0a8:0101::1", False),  # 6to4 around 192.168.1.1
        ("64:ff9b::a00:1", False),  # NAT64 around 10.0.0.1
    ],
)
def test_public_address_rules(address, public):
    assert net.is_public(address) is public


# ---- the report -----------------------------------------------------------------------


def seed_rows_on_two_sites():
    jia = jia_article()
    yi_site = Site.objects.get(hostname="yi.localhost")
    yi = ArticlePage.objects.live().descendant_of(yi_site.root_page).exact_type(ArticlePage).first()
    set_body(jia, '<p><a href="/jia-old-column/">甲市旧栏目</a></p>')
    set_body(yi, '<p><a href="=HYPERLINK(&quot;http://evil.example&quot;)">乙市旧栏目</a></p>')
    check("--internal-only")
    return jia, yi


def test_report_is_scoped_to_the_editors_site():
    jia, yi = seed_rows_on_two_sites()
    html = staff_client("jia_editor").get("/admin/reports/broken-links/").content.decode()
    assert "/jia-old-column/" in html and jia.title in html
    assert f"/admin/pages/{jia.pk}/edit/" in html
    assert "乙市旧栏目" not in html and "HYPERLINK" not in html
    admin = staff_client("admin").get("/admin/reports/broken-links/").content.decode()
    assert "/jia-old-column/" in admin and "HYPERLINK" in admin
    filtered = staff_client("admin").get(f"/admin/reports/broken-links/?site={jia_site().pk}").content.decode()
    assert "/jia-old-column/" in filtered and "HYPERLINK" not in filtered
    anonymous = Client(HTTP_HOST="localhost:8000").get("/admin/reports/broken-links/")
    assert anonymous.status_code == 302 and "/admin/login/" in anonymous["Location"]


def test_report_menu_item_and_empty_state():
    client = staff_client("jia_editor")
    assert "/admin/reports/broken-links/" in client.get("/admin/").content.decode()
    html = client.get("/admin/reports/broken-links/").content.decode()
    assert "没有发现错链" in html and "尚未运行过错链检测" in html


def test_export_is_bom_csv_neutralises_formulas_and_keeps_scope():
    seed_rows_on_two_sites()
    response = staff_client("admin").get("/admin/reports/broken-links/?export=csv")
    assert response.content.startswith(b"\xef\xbb\xbf")  # a BOM: Excel reads the Chinese as UTF-8
    body = response.content.decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(body)))
    assert table[0][:2] == ["站点", "所在页面"]
    urls = [row[4] for row in table[1:]]
    assert "/jia-old-column/" in urls
    assert any(url.startswith("'=HYPERLINK") for url in urls)
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in table for cell in row)
    jia_only = staff_client("jia_editor").get("/admin/reports/broken-links/?export=csv")
    assert "HYPERLINK" not in jia_only.content.decode("utf-8-sig")
    xlsx = staff_client("admin").get("/admin/reports/broken-links/?export=xlsx")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    cells = [str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert any(cell.startswith("'=HYPERLINK") for cell in cells)
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)


def test_english_edition_paths_are_routed_through_the_english_tree():
    main = Site.objects.get(is_default_site=True)
    article = ArticlePage.objects.live().descendant_of(main.root_page).exact_type(ArticlePage).first()
    set_body(article, '<p><a href="/en/">English</a><a href="/en/no-such-page/">Old English page</a></p>')
    check("--internal-only", "--site", "localhost")
    assert [row.url for row in rows(page=article)] == ["/en/no-such-page/"]
    english = ArticlePage.objects.live().filter(locale__language_code="en").exact_type(ArticlePage).first()
    set_body(english, '<p><a href="/en/no-such-page/">Old English page</a></p>')
    check("--internal-only", "--site", "localhost")  # the English pages belong to the main site
    assert [(row.url, row.site) for row in rows(page=english)] == [("/en/no-such-page/", main)]


def test_external_requests_respect_the_concurrency_limits(monkeypatch):
    lock = threading.Lock()
    running = {"all": 0, "max": 0, "host": {}, "host_max": 0}

    def slow_check(url, timeout):
        host = url.split("/")[2]
        with lock:
            running["all"] += 1
            running["host"][host] = running["host"].get(host, 0) + 1
            running["max"] = max(running["max"], running["all"])
            running["host_max"] = max(running["host_max"], running["host"][host])
        time.sleep(0.05)
        with lock:
            running["all"] -= 1
            running["host"][host] -= 1
        return net.OK

    monkeypatch.setattr(net, "check_url", slow_check)
    checker = ExternalChecker(timeout=5, concurrency=3)
    checker.check_many([f"https://site{n}.example/" for n in range(9)] + ["https://site0.example/"])
    assert 1 < running["max"] <= 3 and len(checker.results) == 9  # the repeated URL is checked once
    checker = ExternalChecker(timeout=5, concurrency=8)
    checker.check_many([f"https://one.example/page{n}/" for n in range(6)])
    assert 0 < running["host_max"] <= PER_HOST_LIMIT


def test_command_refuses_an_unknown_site():
    with pytest.raises(CommandError, match="jia.localhost"):
        check("--site", "bing.localhost")
    assert not LinkCheckRun.objects.exists()
