"""站点开通 in one step (issue #27): a complete site from an editable template, by command and
in the admin; re-running changes nothing; a hostname or code in use is refused; 站点关停."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from wagtail.models import GroupPagePermission, Page, Site, WorkflowPage

from cluster.models import SiteTemplate, SiteTemplateNode
from cluster.services import Refused, SiteSpec, open_site
from correspondence.models import LetterDepartment, MailboxPage
from disclosure import checks
from editorial.roles import site_group
from home.models import ColumnPage, HomePage
from inforequests.models import ApplicationPage
from portal.models import SiteIdentity
from signin.models import TwoFactorPolicy
from tests.helpers import site_of, staff_client

pytestmark = pytest.mark.django_db

COUNTY = {
    "name": "国家税务总局丙县税务局",
    "hostname": "bing.localhost",
    "organisation_code": "11999001MB0000201Y",
    "site_code": "bm29000212",
    "email": "bgs@bing.tax-shili.example",
    "address": "示例省乙市丙县城关镇人民路1号",
}


def county_spec(**changes) -> SiteSpec:
    fields = {**COUNTY, **changes}
    return SiteSpec(template=SiteTemplate.objects.get(key="county"), parent=site_of("yi"), **fields)


def test_the_command_opens_a_complete_county_site_that_serves_its_pages():
    call_command(
        "open_site",
        COUNTY["name"],
        COUNTY["hostname"],
        "--parent",
        "yi.localhost",
        "--template",
        "county",
        "--code",
        COUNTY["organisation_code"],
        "--site-code",
        COUNTY["site_code"],
        "--email",
        COUNTY["email"],
        "--address",
        COUNTY["address"],
        verbosity=0,
    )
    site = Site.objects.get(hostname="bing.localhost")
    assert site.port == 8000  # the parent's
    home = site.root_page.specific
    assert isinstance(home, HomePage) and home.live
    # the template's tree, published, with departments and update periods
    columns = {c.slug: c for c in ColumnPage.objects.descendant_of(home)}
    assert {"gzdt", "tzgg", "xxgk", "xxgkml", "nsfw", "bsfwt"} <= set(columns)
    news = ColumnPage.objects.descendant_of(home).get(slug="gzdt")
    assert (news.department, news.update_period_days, news.live, news.show_in_menus) == ("办公室", 14, True, True)
    # identity and footer, the English edition off
    identity = SiteIdentity.objects.get(site=site)
    assert identity.parent_site == site_of("yi")
    assert identity.organisation_code == COUNTY["organisation_code"] and not identity.english_edition
    assert identity.contact_page.slug == "contact" and identity.sitemap_page.slug == "sitemap"
    # mailboxes with categories and a 承办部门 that gets the new letters
    mailboxes = MailboxPage.objects.descendant_of(home)
    assert {m.kind for m in mailboxes} == {"director", "consultation"}
    # 依申请公开 under 政府信息公开, as a procedure rather than a mailbox
    assert ApplicationPage.objects.child_of(columns["xxgk"]).live().get().slug == "ysqgk"
    assert all(m.category_names for m in mailboxes)
    department = LetterDepartment.objects.get(site=site)
    assert (department.name, department.email) == ("丙县税务局办公室", COUNTY["email"])
    # roles and the 发布审核 workflow
    editors = site_group(site, "editor")
    assert GroupPagePermission.objects.filter(group=editors, page=home, permission__codename="add_page").exists()
    assert WorkflowPage.objects.filter(page=home, workflow__name="丙县税务局 发布审核").exists()
    for role in ("reviewer", "secrecy", "admin"):
        assert site_group(site, role) is not None

    client = Client(HTTP_HOST="bing.localhost:8000")
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>国家税务总局丙县税务局</title>" in html
    assert COUNTY["address"] in html
    assert 'href="/gzdt/"' in html  # in the main navigation
    for path in ("/gzdt/", "/hdjl/", "/hdjl/jzxx/", "/contact/", "/nsfw/bszn/", "/nsfw/bgxz/", "/sitemap/"):
        assert client.get(path).status_code == 200, path
    assert "示例省乙市丙县城关镇人民路1号" in client.get("/contact/").content.decode()


def test_running_it_again_changes_nothing():
    first = open_site(county_spec())
    assert len(first.done) > 40
    pages = Page.objects.count()
    again = open_site(county_spec())
    assert again.site == first.site
    assert again.done == []
    assert Page.objects.count() == pages


def test_a_missing_page_is_added_on_a_second_run_and_staff_edits_stay():
    site = open_site(county_spec()).site
    news = ColumnPage.objects.descendant_of(site.root_page).get(slug="gzdt")
    news.title = "本局要闻"
    news.save_revision().publish()
    MailboxPage.objects.descendant_of(site.root_page).get(slug="zxxx").delete()
    again = open_site(county_spec())
    assert any("纳税咨询" in what for what in again.done)
    assert ColumnPage.objects.descendant_of(site.root_page).get(slug="gzdt").title == "本局要闻"


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"hostname": "jia.localhost"}, "域名 jia.localhost 已由“国家税务总局甲市税务局”使用"),
        ({"organisation_code": "11999001MB0000111X"}, "机构代码 11999001MB0000111X 已由“国家税务总局临江县税务局”使用"),
        ({"site_code": "bm29000101"}, "网站标识码 bm29000101 已由“国家税务总局甲市税务局”使用"),
        ({"hostname": "Bad_Host!"}, "格式不正确"),
    ],
)
def test_a_hostname_or_code_in_use_is_refused_and_nothing_is_written(changes, message):
    pages, sites = Page.objects.count(), Site.objects.count()
    with pytest.raises(Refused) as refused:
        open_site(county_spec(**changes))
    assert message in str(refused.value)
    assert (Page.objects.count(), Site.objects.count()) == (pages, sites)


def test_the_command_refuses_with_the_message():
    with pytest.raises(CommandError, match="已由“国家税务总局甲市税务局”使用"):
        call_command(
            "open_site", "国家税务总局某县税务局", "jia.localhost", "--template", "county", "--code", "X1", verbosity=0
        )
    with pytest.raises(CommandError, match="请填写机构代码"):
        call_command("open_site", "国家税务总局某县税务局", "mou.localhost", "--template", "county", verbosity=0)
    assert not Site.objects.filter(hostname="mou.localhost").exists()


def test_the_template_is_data_an_administrator_edits():
    template = SiteTemplate.objects.get(key="county")
    SiteTemplateNode.objects.create(
        template=template,
        sort_order=100,
        parent_slug="",
        slug="ztzl",
        title="专题专栏",
        page_type="home.ColumnPage",
        column_type="topic",
        department="办公室",
        update_period_days=60,
        show_in_menus=True,
    )
    site = open_site(county_spec()).site
    topic = ColumnPage.objects.child_of(site.root_page).get(slug="ztzl")
    assert (topic.column_type, topic.update_period_days) == ("topic", 60)


def test_a_broken_template_is_refused_with_its_row():
    template = SiteTemplate.objects.get(key="county")
    SiteTemplateNode.objects.create(
        template=template, sort_order=100, parent_slug="nowhere", slug="x", title="X", page_type="home.StandardPage"
    )
    with pytest.raises(Refused, match="上级页面 nowhere 不存在"):
        open_site(county_spec())
    assert not Site.objects.filter(hostname="bing.localhost").exists()


def test_the_new_admins_use_a_second_factor_when_the_parents_do():
    policy = TwoFactorPolicy.load()
    assert policy.groups.filter(pk=site_group(site_of("yi"), "admin").pk).exists()
    site = open_site(county_spec()).site
    assert policy.groups.filter(pk=site_group(site, "admin").pk).exists()


# ---- the admin ---------------------------------------------------------------------------
def test_the_main_sites_administrator_opens_a_site_in_the_admin():
    client = staff_client("sheng_admin")
    assert "/admin/cluster/" in client.get("/admin/").content.decode()  # 设置 → 站点管理
    listing = client.get("/admin/cluster/")
    assert listing.status_code == 200
    assert "国家税务总局临江县税务局" in listing.content.decode()
    form = client.get("/admin/cluster/open/")
    assert form.status_code == 200
    county = SiteTemplate.objects.get(key="county")
    data = {**COUNTY, "parent": site_of("yi").pk, "template": county.pk}
    response = client.post("/admin/cluster/open/", data)
    assert response.status_code == 302
    assert Site.objects.filter(hostname="bing.localhost").exists()
    assert "已开通 国家税务总局丙县税务局" in client.get("/admin/cluster/").content.decode()


def test_the_admin_form_shows_why_it_refuses():
    client = staff_client("sheng_admin")
    county = SiteTemplate.objects.get(key="county")
    data = {**COUNTY, "hostname": "jia.localhost", "site_code": "12", "template": county.pk}
    response = client.post("/admin/cluster/open/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "网站标识码是10位字母或数字" in html
    data["site_code"] = COUNTY["site_code"]
    response = client.post("/admin/cluster/open/", data)
    assert response.status_code == 400
    assert "已由“国家税务总局甲市税务局”使用" in response.content.decode()


@pytest.mark.parametrize("username", ["jia_admin", "sheng_editor", "sheng_reviewer"])
def test_others_may_not_open_or_close_sites(username):
    """Refused the way Wagtail refuses its own views: back to the dashboard, nothing done."""
    client = staff_client(username)
    assert "/admin/cluster/" not in client.get("/admin/").content.decode()  # no menu item
    refused = client.get("/admin/cluster/")
    assert (refused.status_code, refused.url) == (302, "/admin/")
    county = SiteTemplate.objects.get(key="county")
    response = client.post("/admin/cluster/open/", {**COUNTY, "template": county.pk})
    assert (response.status_code, response.url) == (302, "/admin/")
    assert not Site.objects.filter(hostname="bing.localhost").exists()
    response = client.post(f"/admin/cluster/{site_of('yi').pk}/close/", {"notice": "x"})
    assert (response.status_code, response.url) == (302, "/admin/")
    assert not SiteIdentity.objects.get(site=site_of("yi")).closed


# ---- 站点关停 ----------------------------------------------------------------------------
def test_a_closed_site_shows_its_notice_everywhere_and_keeps_its_records():
    site = site_of("yi")
    pages = Page.objects.descendant_of(site.root_page).count()
    visitor = Client(HTTP_HOST="yi.localhost:8000")
    assert visitor.get("/").status_code == 200  # cached before closing
    client = staff_client("sheng_admin")
    response = client.post(f"/admin/cluster/{site.pk}/close/", {"notice": "本站已整合至国家税务总局甲市税务局网站。"})
    assert response.status_code == 302
    for path in ("/", "/gzdt/", "/hdjl/jzxx/", "/search/?q=发票", "/no-such-page/"):
        response = visitor.get(path)
        assert response.status_code == 410, path
        html = response.content.decode()
        assert "国家税务总局乙市税务局已关停" in html
        assert "本站已整合至国家税务总局甲市税务局网站。" in html
        assert 'href="http://localhost:8000/"' in html  # its parent's site
    assert Page.objects.descendant_of(site.root_page).count() == pages
    # out of the other sites' navigation
    assert "国家税务总局乙市税务局" not in Client(HTTP_HOST="localhost:8000").get("/").content.decode()
    # the admin stays open, and reopening brings it back
    assert Client(HTTP_HOST="yi.localhost:8000").get("/admin/login/").status_code == 200
    client.post(f"/admin/cluster/{site.pk}/close/", {"reopen": "1"})
    assert visitor.get("/").status_code == 200


def test_the_default_site_cannot_be_closed():
    client = staff_client("sheng_admin")
    response = client.post(f"/admin/cluster/{site_of('main').pk}/close/", {"notice": ""})
    assert response.status_code == 400
    assert "不能关停" in response.content.decode()
    assert Client(HTTP_HOST="localhost:8000").get("/").status_code == 200


def test_close_site_command():
    out = io.StringIO()
    call_command("close_site", "linjiang.localhost", "--notice", "并入甲市税务局网站。", stdout=out)
    assert "linjiang.localhost closed." in out.getvalue()
    assert Client(HTTP_HOST="linjiang.localhost:8000").get("/").status_code == 410
    call_command("close_site", "linjiang.localhost", "--reopen", stdout=out)
    assert Client(HTTP_HOST="linjiang.localhost:8000").get("/").status_code == 200


def test_the_templates_are_edited_as_snippets():
    client = staff_client("admin")
    listing = client.get("/admin/snippets/cluster/sitetemplate/")
    assert listing.status_code == 200
    assert "县级税务局网站" in listing.content.decode()
    county = SiteTemplate.objects.get(key="county")
    form = client.get(f"/admin/snippets/cluster/sitetemplate/edit/{county.pk}/")
    assert form.status_code == 200
    html = form.content.decode()
    assert "nodes-TOTAL_FORMS" in html and "局长信箱" in html


def test_the_new_site_is_checked_for_statutory_disclosure_as_its_parent_is():
    """The parent's 法定主动公开 checklist comes along, on the new site's own columns."""
    site = open_site(county_spec()).site
    rows = {row.basis: row for row in checks.statuses([site])}
    notices = ColumnPage.objects.descendant_of(site.root_page).get(slug="tzgg")
    assert [column.pk for column in rows["第十九条"].columns] == [notices.pk]  # 乙市 maps 通知公告 there
    assert rows["第十九条"].state == "empty"
    assert rows["第二十条第（七）项"].state == "no_column"
    assert "法定主动公开内容 国家税务总局丙县税务局" not in open_site(county_spec()).done  # once
