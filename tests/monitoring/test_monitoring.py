"""栏目更新监测 and 发文统计: which columns are stale or due, the reminder e-mails (sent once),
the publication ranking, the exports, and who sees which site."""

import csv
import io
import smtplib
from datetime import date, datetime, time, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook
from post_office.models import STATUS, Email
from wagtail.models import Page, Site

from home.models import ArticlePage, ColumnPage, HomePage, StandardPage
from monitoring import services, statistics
from monitoring.models import ColumnReminder
from portal.models import SiteIdentity
from tests.helpers import deliver_queued_mail, staff_client

REPORT = "/admin/reports/stale-columns/"
STATISTICS = "/admin/reports/publication-statistics/"
TODAY = timezone.localdate()


def at(day: date):
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


def add_column(parent, slug, title, column_type, **fields) -> ColumnPage:
    column = ColumnPage(title=title, slug=slug, column_type=column_type, **fields)
    parent.add_child(instance=column)
    column.save_revision().publish()
    return column


def add_article(column, slug, first_published: date, title=None, republished: date | None = None) -> ArticlePage:
    article = ArticlePage(title=title or slug, slug=slug, body=[])
    column.add_child(instance=article)
    article.save_revision().publish()
    Page.objects.filter(pk=article.pk).update(
        first_published_at=at(first_published), last_published_at=at(republished or first_published)
    )
    return article


@pytest.fixture
def test_site(db):
    """A fourth site with columns whose state on ``TODAY`` is known:
    stale — 动态甲 (news, default 14 days, last new article 20 days ago, edited yesterday),
    空栏目 (no content), 政策文件 (180 days, 181 days ago) and the home page (its notice column
    was last updated 30 days ago, period 14); due — 动态乙 (14 days, 12 days ago);
    on time — 通知公告 (default 180 days, 30 days ago); not monitored — 链接栏目 (empty)."""
    Site.clear_site_root_paths_cache()  # a previous test's (rolled back) site may still be cached
    root = Page.get_first_root_node()
    home = HomePage(title="测试市税务局", slug="ceshi")
    root.add_child(instance=home)
    home.save_revision().publish()
    site = Site.objects.create(hostname="ceshi.localhost", port=80, root_page=home, site_name="测试市税务局")
    identity = SiteIdentity.for_site(site)
    identity.email = "bgs@ceshi.example"  # no 名称 text: the report names the site by its Site name
    identity.save()
    news_a = add_column(home, "dta", '=HYPERLINK("http://x")动态甲', "news", responsible_email="dta@ceshi.example")
    add_article(news_a, "a1", TODAY - timedelta(days=40))
    add_article(news_a, "a2", TODAY - timedelta(days=20), republished=TODAY - timedelta(days=1))
    news_b = add_column(home, "dtb", "动态乙", "news", update_period_days=14, responsible_email="dta@ceshi.example")
    add_article(news_b, "b1", TODAY - timedelta(days=12))
    notice = add_column(home, "tzgg", "通知公告", "notice", department="办公室")
    add_article(notice, "n1", TODAY - timedelta(days=30))
    add_column(home, "kong", "空栏目", "other", department="办公室")
    add_column(home, "lianjie", "链接栏目", "service", monitored=False)
    policy = add_column(home, "zcwj", "政策文件", "policy", responsible_email="zcfgc@ceshi.example")
    add_article(policy, "p1", TODAY - timedelta(days=181))
    home.notice_column = notice
    home.save_revision().publish()
    yield site
    Site.clear_site_root_paths_cache()


def titles(statuses):
    return {status.page.title: status.state for status in statuses}


def test_the_report_picks_exactly_the_stale_and_due_columns(test_site):
    statuses = services.attention_needed(services.column_statuses(test_site, TODAY))
    assert titles(statuses) == {
        "测试市税务局": "stale",
        '=HYPERLINK("http://x")动态甲': "stale",
        "空栏目": "stale",
        "政策文件": "stale",
        "动态乙": "due",
    }
    by_title = {status.page.title: status for status in statuses}
    assert by_title['=HYPERLINK("http://x")动态甲'].days_overdue == 6  # 20 days old, period 14: the edit does not count
    assert by_title["政策文件"].period_days == 180 and by_title["政策文件"].days_overdue == 1
    assert by_title["空栏目"].days_overdue is None and by_title["空栏目"].recipient == "bgs@ceshi.example"
    assert by_title["测试市税务局"].period_days == 14 and by_title["测试市税务局"].days_overdue == 16
    # Sixteen days earlier: 动态乙's only article was not yet published (an empty column), the
    # home page reached its deadline that day, the other columns were on time.
    earlier = services.attention_needed(services.column_statuses(test_site, TODAY - timedelta(days=16)))
    assert titles(earlier) == {"空栏目": "stale", "动态乙": "stale", "测试市税务局": "due"}


def test_the_admin_report_lists_them_with_links_to_the_column_editor(test_site):
    admin = staff_client("admin")
    html = admin.get(REPORT, {"site": test_site.pk}).content.decode()
    for slug in ("dta", "dtb", "kong", "zcwj"):
        column = ColumnPage.objects.get(slug=slug, path__startswith=test_site.root_page.path)
        assert f"/admin/pages/{column.pk}/edit/" in html
    for slug in ("tzgg", "lianjie"):
        column = ColumnPage.objects.get(slug=slug, path__startswith=test_site.root_page.path)
        assert f"/admin/pages/{column.pk}/edit/" not in html
    assert "空栏目" in html and "还剩 2 天" in html
    everything = admin.get(REPORT).content.decode()
    assert "测试市税务局" in everything and "国家税务总局甲市税务局" in everything


def test_the_reminder_command_mails_each_address_once_and_is_safe_to_run_twice(test_site, mailoutbox):
    def ours():
        deliver_queued_mail()
        return {mail.to[0]: mail for mail in mailoutbox if mail.to[0].endswith("@ceshi.example")}

    call_command("remind_stale_columns", "--dry-run", stdout=io.StringIO())
    assert not deliver_queued_mail() and not ColumnReminder.objects.exists()
    call_command("remind_stale_columns", stdout=io.StringIO())
    mails = ours()
    assert set(mails) == {"dta@ceshi.example", "zcfgc@ceshi.example", "bgs@ceshi.example"}
    assert "动态甲" in mails["dta@ceshi.example"].body and "动态乙" in mails["dta@ceshi.example"].body
    assert "1 个栏目已超期，1 个栏目即将到期" in mails["dta@ceshi.example"].subject
    assert "空栏目" in mails["bgs@ceshi.example"].body and "测试市税务局" in mails["bgs@ceshi.example"].body
    assert "通知公告" not in mails["bgs@ceshi.example"].body and "链接栏目" not in mails["bgs@ceshi.example"].body
    assert "政策文件" in mails["zcfgc@ceshi.example"].body
    reminded = ColumnReminder.objects.filter(page__path__startswith=test_site.root_page.path)
    assert reminded.count() == 5
    sent = len(mailoutbox)

    call_command("remind_stale_columns", stdout=io.StringIO())
    assert len(deliver_queued_mail()) == sent and reminded.count() == 5

    # A week later the still-stale columns are reminded again; 动态乙, now stale, too.
    mailoutbox.clear()
    call_command("remind_stale_columns", "--today", str(TODAY + timedelta(days=7)), stdout=io.StringIO())
    assert set(ours()) == {"dta@ceshi.example", "zcfgc@ceshi.example", "bgs@ceshi.example"}
    assert "2 个栏目已超期，0 个栏目即将到期" in ours()["dta@ceshi.example"].subject


def test_a_due_column_that_becomes_stale_is_reminded_at_once(test_site, mailoutbox):
    call_command("remind_stale_columns", stdout=io.StringIO())
    deliver_queued_mail().clear()
    call_command("remind_stale_columns", "--today", str(TODAY + timedelta(days=3)), stdout=io.StringIO())
    mails = [mail for mail in deliver_queued_mail() if mail.to == ["dta@ceshi.example"]]
    assert len(mails) == 1 and "动态乙" in mails[0].body and "动态甲" not in mails[0].body


def test_a_refused_address_does_not_stop_the_reminders_to_the_others(test_site, monkeypatch):
    """Reminders go to bgs@, dta@ and zcfgc@ in that order; the mail server refuses dta@."""
    deliver = LocmemBackend.send_messages

    def refuse_dta(backend, messages):
        if any("dta@ceshi.example" in message.to for message in messages):
            raise smtplib.SMTPRecipientsRefused({"dta@ceshi.example": (550, b"5.1.1 no such mailbox")})
        return deliver(backend, messages)

    monkeypatch.setattr(LocmemBackend, "send_messages", refuse_dta)
    call_command("remind_stale_columns", stdout=io.StringIO())
    delivered = {message.to[0] for message in deliver_queued_mail() if message.to[0].endswith("@ceshi.example")}
    assert delivered == {"bgs@ceshi.example", "zcfgc@ceshi.example"}
    refused = Email.objects.get(to__contains="dta@ceshi.example")
    assert refused.status == STATUS.requeued and refused.logs.get().exception_type == "SMTPRecipientsRefused"
    assert ColumnReminder.objects.filter(recipient__endswith="@ceshi.example").count() == 5


def seed_publications():
    """jia: 3 articles in 2020-01 and 1 in 2020-02; yi: 2 in 2020-02; a standard page in
    jia (not counted)."""
    jia, yi = (Site.objects.get(hostname=f"{key}.localhost").root_page for key in ("jia", "yi"))
    jia_column = ColumnPage.objects.get(slug="gzdt", path__startswith=jia.path)
    yi_column = ColumnPage.objects.get(slug="gzdt", path__startswith=yi.path)
    for n, day in enumerate([date(2020, 1, 5), date(2020, 1, 20), date(2020, 1, 31), date(2020, 2, 1)]):
        add_article(jia_column, f"old-jia-{n}", day)
    for n, day in enumerate([date(2020, 2, 10), date(2020, 2, 29)]):
        add_article(yi_column, f"old-yi-{n}", day)
    page = StandardPage(title="旧页面", slug="old-standard", body=[])
    jia.add_child(instance=page)
    page.save_revision().publish()
    Page.objects.filter(pk=page.pk).update(first_published_at=at(date(2020, 1, 10)))


def test_the_publication_ranking_matches_the_seeded_counts(test_site):
    seed_publications()
    rows = statistics.publication_statistics(date(2020, 1, 1), date(2020, 3, 1), TODAY)
    by_host = {row.site.hostname: row for row in rows}
    assert by_host["jia.localhost"].monthly_counts == [3, 1, 0] and by_host["jia.localhost"].rank == 1
    assert by_host["yi.localhost"].monthly_counts == [0, 2, 0] and by_host["yi.localhost"].rank == 2
    assert by_host["ceshi.localhost"].total == 0 and by_host["ceshi.localhost"].rank == 3
    assert by_host["localhost"].rank is None
    ceshi = by_host["ceshi.localhost"]
    assert (ceshi.monitored, ceshi.on_time) == (6, 2)  # home + 5 monitored columns; 动态乙 and 通知公告 on time
    html = staff_client("admin").get(STATISTICS, {"from": "2020-01", "to": "2020-03"}).content.decode()
    assert "发文量排名" in html and "2020-03" in html and "33.3%" in html


def test_exports_are_bom_csv_and_text_only_xlsx_without_formulas(test_site):
    admin = staff_client("admin")
    response = admin.get(REPORT, {"site": test_site.pk, "export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["站点", "栏目"] and len(rows) == 6
    assert '\'=HYPERLINK("http://x")动态甲' in [row[1] for row in rows]
    assert not any(cell.startswith("=") for row in rows for cell in row)

    response = admin.get(REPORT, {"site": test_site.pk, "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert all(cell.data_type == "s" for cell in cells)
    assert '\'=HYPERLINK("http://x")动态甲' in [cell.value for cell in cells]

    seed_publications()
    response = admin.get(STATISTICS, {"from": "2020-01", "to": "2020-02", "export": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["站点", "发文量排名", "2020-01", "2020-02"]
    jia = next(row for row in rows if row[0] == "国家税务总局甲市税务局")
    assert jia[1:5] == ["1", "3", "1", "4"]


def test_city_staff_see_only_their_own_site(test_site):
    jia = staff_client("jia_editor")
    html = jia.get(REPORT).content.decode()
    main_root = Site.objects.get(is_default_site=True).root_page
    main_columns = ColumnPage.objects.filter(path__startswith=main_root.path).values_list("pk", flat=True)
    assert "国家税务总局甲市税务局" in html
    assert not any(f"/admin/pages/{pk}/edit/" in html for pk in main_columns)
    assert "国家税务总局示例省税务局" not in html and "测试市税务局" not in html
    # Another site's report is refused (the Wagtail admin turns the refusal into a redirect home).
    for url, site in ((REPORT, test_site), (STATISTICS, main_root.get_site())):
        refused = jia.get(url, {"site": site.pk})
        assert refused.status_code == 302 and refused.url == "/admin/"
    rows = list(csv.reader(io.StringIO(jia.get(STATISTICS, {"export": "csv"}).content.decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == ["国家税务总局甲市税务局"]


def test_provincial_staff_see_every_site(test_site):
    user = get_user_model().objects.create_user("province_editor", password="x")
    user.groups.add(Group.objects.get(name="示例省税务局·编辑"))
    rows = list(
        csv.reader(
            io.StringIO(staff_client("province_editor").get(STATISTICS, {"export": "csv"}).content.decode("utf-8-sig"))
        )
    )
    assert {row[0] for row in rows[1:]} >= {
        "国家税务总局示例省税务局",
        "国家税务总局甲市税务局",
        "国家税务总局乙市税务局",
    }


def test_staff_without_a_site_are_refused_and_see_no_menu_item(db):
    from django.contrib.auth.models import Permission

    user = get_user_model().objects.create_user("nobody", password="x")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client = staff_client("nobody")
    for url in (REPORT, STATISTICS):
        refused = client.get(url)
        assert refused.status_code == 302 and refused.url == "/admin/"
    assert REPORT not in client.get("/admin/").content.decode()
    assert REPORT in staff_client("jia_editor").get("/admin/").content.decode()


def test_demo_columns_have_addresses_and_the_demo_report_is_not_empty(db):
    main = Site.objects.get(is_default_site=True)
    columns = ColumnPage.objects.filter(path__startswith=main.root_page.path, locale_id=main.root_page.locale_id)
    assert columns.get(slug="swyw").responsible_email == "bgs@tax-shili.example"
    assert columns.get(slug="zcwj").responsible_email == "zcfgc@tax-shili.example"
    assert columns.get(slug="zcwj").update_period_days is None  # the 180-day default of 政策文件
    assert not columns.get(slug="gzdt").monitored  # only sub-columns below it
    assert services.flagged_statuses(TODAY, [main])


def test_the_column_editor_has_the_monitoring_panel(db):
    column = ColumnPage.objects.get(
        slug="gzdt", path__startswith=Site.objects.get(hostname="jia.localhost").root_page.path
    )
    html = staff_client("jia_editor").get(f"/admin/pages/{column.pk}/edit/").content.decode()
    assert "栏目监测" in html and 'name="responsible_email"' in html and 'name="monitored"' in html


def test_the_reports_cost_the_same_with_50_more_articles(db):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    admin = staff_client("admin")
    main = Site.objects.get(is_default_site=True).root_page
    news = ColumnPage.objects.get(slug="swyw", path__startswith=main.path)

    def queries():
        counts = []
        for url in (REPORT, STATISTICS):
            admin.get(url)  # warm caches
            with CaptureQueriesContext(connection) as captured:
                assert admin.get(url).status_code == 200
            counts.append(len(captured))
        return counts

    before = queries()
    for n in range(50):
        add_article(news, f"bulk-{n}", TODAY - timedelta(days=n))
    assert queries() == before
