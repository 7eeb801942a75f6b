"""The disclosure catalogue (政府信息公开目录): every disclosed item gets a 信息索引 with a
索引号 on first publication, shown at the top of its page and listed, filtered and searched
on the site's 公开目录; staff put other pages in and take them out; numbers never change
and are never given twice."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.models import Page, PageViewRestriction, Site

from disclosure import services
from disclosure.models import (
    CatalogueEntry,
    CatalogueSettings,
    DisclosureCataloguePage,
    IndexSequence,
    validate_pattern,
)
from home.models import ArticlePage, ColumnPage, PolicyDocumentPage
from tests.helpers import staff_client

pytestmark = pytest.mark.django_db

MAIN_CODE = "11990000MB0000001A"


@pytest.fixture
def main():
    return Site.objects.get(is_default_site=True)


@pytest.fixture
def column(main):
    def find(slug, site=None):
        return ColumnPage.objects.descendant_of((site or main).root_page).get(slug=slug)

    return find


def publish_article(parent, title, slug, **fields):
    page = ArticlePage(
        title=title, slug=slug, date=fields.pop("date", None) or datetime.datetime.now(datetime.UTC), **fields
    )
    parent.add_child(instance=page)
    page.save_revision().publish()
    return ArticlePage.objects.get(pk=page.pk)


def publish_policy(parent, title, slug, **fields):
    page = PolicyDocumentPage(
        title=title, slug=slug, issuing_body=fields.pop("issuing_body", "国家税务总局示例省税务局"), **fields
    )
    parent.add_child(instance=page)
    page.save_revision().publish()
    return PolicyDocumentPage.objects.get(pk=page.pk)


def last_serial(site, year):
    return IndexSequence.objects.get(site=site, year=year).last


# ---- numbering ------------------------------------------------------------------------


def test_an_article_of_a_disclosure_column_is_numbered_on_first_publication_and_keeps_its_number(main, column):
    year = datetime.date.today().year
    before = last_serial(main, year)
    page = publish_article(column("jgzn"), "示例省税务局内设机构调整情况", "jgtz-test")
    entry = services.entry_for(page)
    assert entry.index_number == f"{MAIN_CODE}/{year}-{before + 1:05d}"
    assert entry.organisation == "国家税务总局示例省税务局"
    # a later edit and publication keeps the number; the page's date follows
    page.title = "示例省税务局内设机构调整情况（更新）"
    page.date = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
    page.save_revision().publish()
    entry.refresh_from_db()
    assert entry.index_number == f"{MAIN_CODE}/{year}-{before + 1:05d}"
    assert entry.published_date == datetime.date(2026, 3, 2)
    assert CatalogueEntry.objects.filter(translation_key=page.translation_key).count() == 1


def test_news_is_not_in_the_catalogue_unless_staff_put_it_there(column):
    page = publish_article(column("swyw"), "示例省税务局召开座谈会", "zth-test")
    assert services.entry_for(page) is None


def test_a_policy_keeps_the_number_it_had_on_the_old_site_and_a_new_one_is_numbered(main, column):
    adopted = publish_policy(column("zcwj"), "关于迁移文件的公告", "qy-test", index_number=f"{MAIN_CODE}/2019-00042")
    assert services.entry_for(adopted).index_number == f"{MAIN_CODE}/2019-00042"
    assert services.entry_for(adopted).year == datetime.date.today().year
    # the same 原索引号 again (a copy-paste slip) is not reused: the page is numbered afresh
    twin = publish_policy(column("zcwj"), "关于另一文件的公告", "qy-test-2", index_number=f"{MAIN_CODE}/2019-00042")
    assert services.entry_for(twin).index_number != f"{MAIN_CODE}/2019-00042"
    assert services.entry_for(twin).index_number.startswith(f"{MAIN_CODE}/")


def test_a_policys_own_fields_fill_its_index_and_follow_each_publication(column):
    policy = publish_policy(
        column("zcwj"),
        "国家税务总局示例省税务局关于测试事项的公告",
        "cs-test",
        document_number="示税公告〔2026〕99号",
        written_date=datetime.date(2026, 9, 1),
    )
    entry = services.entry_for(policy)
    assert (entry.genre, entry.document_number, entry.written_date, entry.validity) == (
        "announcement",
        "示税公告〔2026〕99号",
        datetime.date(2026, 9, 1),
        "valid",
    )
    policy.validity = PolicyDocumentPage.Validity.EXPIRED
    policy.save_revision().publish()
    entry.refresh_from_db()
    assert entry.validity == "expired"


def test_numbers_are_drawn_per_site_and_a_number_matching_an_adopted_one_is_passed_over(main, column):
    jia = Site.objects.get(hostname="jia.localhost")
    year = datetime.date.today().year
    main_before, jia_before = last_serial(main, year), last_serial(jia, year)
    # a policy adopted the number the sequence would give next
    taken = f"{MAIN_CODE}/{year}-{main_before + 1:05d}"
    publish_policy(column("zcwj"), "关于已占用编号的公告", "zy-test", index_number=taken)
    page = publish_article(column("jgzn"), "下一条公开信息", "xyt-test")
    assert services.entry_for(page).index_number == f"{MAIN_CODE}/{year}-{main_before + 2:05d}"
    jia_page = publish_article(column("xxgkml", jia), "甲市税务局公开信息", "jia-test")
    assert services.entry_for(jia_page).index_number == f"11990100MB0000101B/{year}-{jia_before + 1:05d}"


def test_a_deleted_pages_number_is_never_given_again(main, column):
    first = publish_article(column("jgzn"), "将被删除的信息", "del-test")
    number = services.entry_for(first).index_number
    first.delete()
    entry = CatalogueEntry.objects.get(index_number=number, site=main)
    assert entry.page_id is None  # the entry stays, its number taken
    second = publish_article(column("jgzn"), "之后发布的信息", "after-del-test")
    assert services.entry_for(second).index_number > number


def test_the_pattern_is_a_site_setting_and_bad_patterns_are_refused(main, column):
    settings = CatalogueSettings.for_site(main)
    settings.index_pattern = "SL-{serial:3}"
    settings.save()
    page = publish_article(column("jgzn"), "新规则编号的信息", "pattern-test")
    assert services.entry_for(page).index_number == "SL-001"
    for bad in (
        "{org}/{year}",
        "{serial}{serial}",
        "{org}/{serial}/{name}",
        "{year}-{serial:0}",
        "{__class__}{serial}",
    ):
        with pytest.raises(ValidationError):
            validate_pattern(bad)
    validate_pattern("{org}-{year}-{serial:6}")


def test_an_english_translation_shares_its_sources_entry(main):
    policy = PolicyDocumentPage.objects.get(slug="p2026-03-einvoice", locale__language_code="zh-hans")
    english = PolicyDocumentPage.objects.get(translation_key=policy.translation_key, locale__language_code="en")
    english.save_revision().publish()
    assert CatalogueEntry.objects.filter(translation_key=policy.translation_key).count() == 1
    assert services.entry_for(english).index_number == f"{MAIN_CODE}/2026-00103"


# ---- on the page ----------------------------------------------------------------------


def test_the_index_block_heads_a_disclosed_page(client):
    html = client.get("/zcwj/p2026-03-einvoice/").content.decode()
    block = html[html.index("doc-info--index") : html.index("</dl>", html.index("doc-info--index"))]
    for label, value in (
        ("索引号", f"{MAIN_CODE}/2026-00103"),
        ("主题分类", "发票办理"),
        ("体裁分类", "公告"),
        ("发布机构", "国家税务总局示例省税务局"),
        ("文号", "示税公告〔2026〕3号"),
        ("公开方式", "主动公开"),
        ("公开时限", "长期公开"),
        ("有效性", "有效"),
    ):
        assert f"<dt>{label}</dt><dd>" in block and value in block, label
    assert '<a href="/xxgk/gkml/">' in html


def test_the_english_page_shows_the_same_index_in_english(client):
    html = client.get("/en/policies/p2026-03-einvoice/").content.decode()
    assert "<dt>Index number</dt><dd>11990000MB0000001A/2026-00103</dd>" in html
    assert "<dt>Genre</dt><dd>Announcement</dd>" in html
    assert '<dd lang="zh-Hans">国家税务总局示例省税务局</dd>' in html


def test_a_page_outside_the_catalogue_keeps_its_date_line(client):
    html = client.get("/gzdt/swyw/swyw-einvoice-full-coverage/").content.decode()
    assert "doc-info--index" not in html
    assert 'class="article__meta"' in html


# ---- the catalogue page ----------------------------------------------------------------


def test_the_catalogue_lists_every_disclosed_item_of_its_site_only(client, site_client, main):
    html = client.get("/xxgk/gkml/").content.decode()
    total = CatalogueEntry.objects.filter(site=main, withdrawn=False, page__live=True).count()
    assert f"共 {total} 条公开信息" in html
    newest = CatalogueEntry.objects.filter(site=main, withdrawn=False, page__live=True).first()
    assert newest.page.title in html and newest.index_number in html
    assert "甲市税务局" not in html.split('catalogue-list">')[1].split("</ol>")[0]
    jia = site_client("jia").get("/xxgk/gkml/").content.decode()
    assert "国家税务总局甲市税务局政府信息公开指南" in jia
    assert "11990100MB0000101B/" in jia


def test_filters_combine_and_each_option_counts_what_it_would_give(client, main):
    html = client.get("/xxgk/gkml/?genre=announcement&year=2026").content.decode()
    expected = CatalogueEntry.objects.filter(
        site=main, withdrawn=False, page__live=True, genre="announcement", year=2026
    ).count()
    assert f"共 {expected} 条公开信息" in html
    assert "已筛选：公告、2026。" in html
    # the chosen year's link takes the year away and keeps the genre, and the other way round
    assert '<a href="?genre=announcement" aria-current="true">2026' in html
    assert '<a href="?year=2026" aria-current="true">公告' in html
    themed = client.get("/xxgk/gkml/?theme=fpbl").content.decode()
    assert "关于全面推行数字化电子发票有关事项的公告" in themed
    assert "国家税务总局示例省税务局主要职责" not in themed


def test_search_finds_by_title_index_number_and_document_number(client):
    for query in ("数字化电子发票", "2026-00103", "示税公告〔2026〕3号"):
        html = client.get("/xxgk/gkml/", {"q": query}).content.decode()
        assert "关于全面推行数字化电子发票有关事项的公告" in html, query
    html = client.get("/xxgk/gkml/", {"q": "没有这样的文件"}).content.decode()
    assert "没有符合条件的公开信息。" in html


@pytest.mark.parametrize(
    "query", ["?year=abcd", "?year=99999", "?genre=bogus", "?page=999", "?page=x", "?theme=nope", "?org=" + "甲" * 500]
)
def test_odd_parameters_give_the_catalogue_not_an_error(client, query):
    assert client.get("/xxgk/gkml/" + query).status_code == 200


def test_unpublished_and_restricted_items_leave_the_catalogue(client):
    policy = PolicyDocumentPage.objects.get(slug="p2026-04-rd", locale__language_code="zh-hans")
    other = PolicyDocumentPage.objects.get(slug="p2026-06-iit", locale__language_code="zh-hans")
    assert policy.title in client.get("/xxgk/gkml/", {"q": policy.title}).content.decode()
    assert other.title in client.get("/xxgk/gkml/", {"q": other.title}).content.decode()
    policy.unpublish()
    PageViewRestriction.objects.create(page=other, restriction_type=PageViewRestriction.PASSWORD, password="x")
    assert "没有符合条件的公开信息。" in client.get("/xxgk/gkml/", {"q": policy.title}).content.decode()
    assert "没有符合条件的公开信息。" in client.get("/xxgk/gkml/", {"q": other.title}).content.decode()


def test_the_english_catalogue_shows_english_titles_and_marks_chinese_ones(client):
    html = client.get("/en/information-disclosure/catalogue/").content.decode()
    assert "Announcement of the Shili Provincial Tax Service" in html
    # (searched: the registers, published last by the demo, come first in the whole list)
    html = client.get("/en/information-disclosure/catalogue/", {"q": "主要职责"}).content.decode()
    assert 'lang="zh-Hans" hreflang="zh-Hans">国家税务总局示例省税务局主要职责</a>' in html


# Measured: 10 queries for a search of the catalogue (routing and page, the counts of the four
# filter groups, the total and the listed entries with their pages and themes; the site's
# themes and restricted paths are kept with the site data); unsearched, the counts are kept too.
CATALOGUE_SEARCH_MAX_QUERIES = 10


def test_the_catalogues_queries_do_not_grow_with_its_items(client, column):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(path):
        client.get(path)  # site data warmed
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured)

    before = count("/xxgk/gkml/?q=信息")
    plain = count("/xxgk/gkml/")
    parent = column("jgzn")
    for n in range(50):
        publish_article(parent, f"批量公开信息{n}", f"bulk-{n}")
    assert count("/xxgk/gkml/?q=信息") == before <= CATALOGUE_SEARCH_MAX_QUERIES
    assert count("/xxgk/gkml/") == plain
    assert "批量公开信息49" in client.get("/xxgk/gkml/").content.decode()


# ---- staff ------------------------------------------------------------------------------


def entry_url(page):
    return reverse("disclosure_admin:entry", args=[page.pk])


def test_an_editor_who_cannot_publish_is_refused(column):
    page = ArticlePage.objects.child_of(column("tzgg")).live().first()
    response = staff_client("sheng_editor").get(entry_url(page))
    assert response.status_code == 403
    assert "只有可以发布该页面的用户" in response.content.decode()


def test_a_reviewer_puts_a_news_item_into_the_catalogue_edits_it_and_takes_it_out(client, column):
    page = ArticlePage.objects.child_of(column("swyw")).live().first()
    staff = staff_client("sheng_reviewer")
    response = staff.post(
        entry_url(page),
        {"genre": "news", "organisation": "示例省税务局办公室", "mode": "active", "time_limit": "long_term"},
    )
    assert response.status_code == 302
    entry = services.entry_for(page)
    assert entry.added_by_staff and entry.organisation == "示例省税务局办公室"
    number = entry.index_number
    assert number in client.get(page.url).content.decode()
    assert page.title in client.get("/xxgk/gkml/", {"q": number}).content.decode()

    staff.post(
        entry_url(page),
        {"genre": "bulletin", "organisation": "示例省税务局办公室", "mode": "active", "time_limit": "limited"},
    )
    entry.refresh_from_db()
    assert (entry.genre, entry.time_limit, entry.index_number) == ("bulletin", "limited", number)
    assert "限期公开" in client.get(page.url).content.decode()

    staff.post(entry_url(page), {"withdraw": "1"})
    assert "doc-info--index" not in client.get(page.url).content.decode()
    assert page.title not in client.get("/xxgk/gkml/").content.decode()
    # put back: the same number
    staff.post(
        entry_url(page),
        {"genre": "news", "organisation": "示例省税务局办公室", "mode": "active", "time_limit": "long_term"},
    )
    assert services.entry_for(page).index_number == number


def test_what_a_column_or_type_put_in_cannot_be_taken_out_nor_a_policys_facts_overwritten(column):
    policy = PolicyDocumentPage.objects.get(slug="p2026-03-einvoice", locale__language_code="zh-hans")
    staff = staff_client("sheng_reviewer")
    response = staff.post(entry_url(policy), {"withdraw": "1"})
    assert response.status_code == 400
    assert "不能移出" in response.content.decode()
    staff.post(
        entry_url(policy),
        {
            "genre": "notice",
            "organisation": "别的机关",
            "document_number": "改号",
            "mode": "active",
            "time_limit": "long_term",
        },
    )
    entry = services.entry_for(policy)
    assert (entry.genre, entry.organisation, entry.document_number) == (
        "notice",
        "国家税务总局示例省税务局",
        "示税公告〔2026〕3号",
    )


def test_missing_fields_are_reported_and_nothing_is_saved(column):
    page = ArticlePage.objects.child_of(column("swyw")).live().first()
    response = staff_client("sheng_reviewer").post(
        entry_url(page), {"genre": "nonsense", "mode": "", "time_limit": "long_term"}
    )
    assert response.status_code == 400
    assert services.entry_for(page) is None


def test_the_page_header_offers_the_index_to_those_who_may_publish(column):
    page = ArticlePage.objects.child_of(column("tzgg")).live().first()
    edit = reverse("wagtailadmin_pages:edit", args=[page.pk])
    assert entry_url(page) in staff_client("sheng_reviewer").get(edit).content.decode()
    assert entry_url(page) not in staff_client("sheng_editor").get(edit).content.decode()


def test_a_new_site_gets_its_catalogue_page_from_its_template():
    county = Site.objects.get(hostname="linjiang.localhost")
    assert DisclosureCataloguePage.objects.live().descendant_of(county.root_page).exists()


def test_index_disclosed_numbers_pages_published_before_the_catalogue(main, column):
    page = publish_article(column("jgzn"), "升级前发布的信息", "legacy-test")
    CatalogueEntry.objects.filter(translation_key=page.translation_key).delete()
    assert services.entry_for(page) is None
    assert services.index_existing(main) == 1
    assert services.entry_for(page) is not None
    assert services.index_existing(main) == 0
    assert Page.objects.filter(pk=page.pk).exists()
