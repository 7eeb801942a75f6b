"""Filing calendar (征期日历) and service halls (办税地图): the month table and year list,
holiday extensions, the iCalendar feed, the home page's 本月征期 box, the district filter,
geo: links and the optional tile map."""

import re
from datetime import date
from decimal import Decimal
from html import unescape

import icalendar
import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone
from wagtail.models import Site

from portal.models import WorkdayOverride
from portal.security import content_security_policy
from portal.workdays import WorkCalendar
from taxservice import ical, maps
from taxservice.demo import deadline_rows
from taxservice.models import FilingCalendarPage, FilingDeadline, ServiceHallIndexPage, ServiceHallPage
from taxservice.rules import holiday_name, monthly_deadline
from tests.helpers import HOSTS

pytestmark = pytest.mark.django_db

CALENDAR_URL = "/nsfw/zqrl/"
HALLS_URL = "/nsfw/bsdt/"
DEADLINE_CELL = re.compile(
    r'<td class="filing-calendar__day filing-calendar__day--deadline[^"]*"[^>]*>\s*'
    r'<span class="filing-calendar__date">(\d+)</span>\s*<strong class="filing-calendar__mark">申报截止</strong>'
)
TILES = "https://tiles.example.test/{z}/{x}/{y}.png"


def site_page(model, key="main"):
    root = Site.objects.get(hostname=HOSTS[key]).root_page
    return model.objects.live().descendant_of(root).filter(locale__language_code="zh-hans").get()


@pytest.fixture
def calendar_2026():
    """The main site's calendar with the 2026 rows (the demo loads the current year's)."""
    page = site_page(FilingCalendarPage)
    if not page.deadlines.filter(date__year=2026).exists():
        for row in deadline_rows(2026):
            page.deadlines.add(row)
        page.save_revision().publish()
    return page


def cn_date(day: date) -> str:
    return f"{day.month}月{day.day}日"


# ---- the rule ---------------------------------------------------------------------------
def test_chinesecalendar_has_the_2026_national_day_holiday():
    assert [holiday_name(date(2026, 10, day)) for day in range(1, 9)] == ["国庆节"] * 7 + [None]


def test_monthly_deadlines_follow_the_extension_rules():
    work = WorkCalendar()
    october = monthly_deadline(2026, 10, work)
    assert october.date == date(2026, 10, 22)  # 15 + 7 days of 国庆节
    assert october.note() == "因国庆节假期顺延至10月22日"
    august = monthly_deadline(2026, 8, work)  # the 15th is a Saturday
    assert august.date == date(2026, 8, 17)
    assert august.note() == "8月15日为星期六，顺延至8月17日"
    june = monthly_deadline(2026, 6, work)
    assert june.date == date(2026, 6, 15) and june.note() == ""
    assert monthly_deadline(2026, 5, work).date == date(2026, 5, 20)  # 劳动节 1–5 May
    assert monthly_deadline(2026, 2, work).date == date(2026, 2, 24)  # the 15th falls in 春节


def test_a_workday_override_moves_the_deadline():
    WorkdayOverride.objects.create(date=date(2026, 6, 15), is_workday=False, note="示例：临时放假")
    assert monthly_deadline(2026, 6).date == date(2026, 6, 16)


def test_an_editor_left_note_is_filled_from_the_rule():
    row = FilingDeadline(date=date(2026, 10, 22), tax_types="增值税")
    row.clean()
    assert row.note == "因国庆节假期顺延至10月22日"
    kept = FilingDeadline(date=date(2026, 10, 22), tax_types="增值税", note="以电子税务局公布为准")
    kept.clean()
    assert kept.note == "以电子税务局公布为准"


# ---- the calendar page ------------------------------------------------------------------
def test_month_table_and_list_show_each_deadline(client, calendar_2026):
    rows = list(calendar_2026.deadlines.filter(date__year=2026).order_by("date"))
    assert len(rows) == 15  # 12 months and 3 yearly settlements
    for month in range(1, 13):
        response = client.get(CALENDAR_URL, {"month": f"2026-{month:02d}"})
        assert response.status_code == 200
        html = response.content.decode()
        assert f'<caption id="calendar-caption">2026年{month}月日历' in html
        assert html.count('<th scope="col">') == 7
        due = [row for row in rows if row.date.month == month]
        assert sorted(int(day) for day in DEADLINE_CELL.findall(html)) == sorted({row.date.day for row in due})
        for row in due:
            assert cn_date(row.date) in html
            for tax_type in row.tax_type_list:
                assert tax_type in html
        # the year list: every deadline of 2026, each linking to its month
        year_list = html.split('id="year-title"')[1]
        for row in rows:
            assert f'href="?month={row.date:%Y-%m}">{row.display_title}</a>：<strong>{cn_date(row.date)}' in year_list


def test_quarterly_months_list_corporate_income_tax_prepayment(client, calendar_2026):
    html = client.get(CALENDAR_URL, {"month": "2026-04"}).content.decode()
    month_part = html.split('id="year-title"')[0]
    assert "企业所得税（季度预缴）" in month_part
    html = client.get(CALENDAR_URL, {"month": "2026-05"}).content.decode()
    assert "企业所得税（季度预缴）" not in html.split('id="year-title"')[0]


def test_a_holiday_shifted_deadline_shows_its_note(client, calendar_2026):
    html = client.get(CALENDAR_URL, {"month": "2026-10"}).content.decode()
    assert DEADLINE_CELL.findall(html) == ["22"]
    assert "因国庆节假期顺延至10月22日" in html
    assert "10月22日（星期四）" in html
    assert html.count('<span class="filing-calendar__tag">国庆节</span>') == 7
    html = client.get(CALENDAR_URL, {"month": "2026-01"}).content.decode()
    assert "因元旦假期顺延，遇休息日再顺延至1月19日" in html
    assert "调休上班" in html  # Sunday 4 January 2026


def test_month_navigation_links_to_the_neighbouring_months(client, calendar_2026):
    html = client.get(CALENDAR_URL, {"month": "2026-01"}).content.decode()
    assert 'href="?month=2025-12" rel="prev"' in html
    assert 'href="?month=2026-02" rel="next"' in html
    assert "回到本月" in html or "本月" in html


@pytest.mark.parametrize("value", ["abc", "2026-13", "2026-00", "99999-01", "2026-10-01", "1899-05", "<script>"])
def test_an_invalid_month_falls_back_to_this_month(client, value):
    response = client.get(CALENDAR_URL, {"month": value})
    assert response.status_code == 200
    html = response.content.decode()
    today = timezone.localdate()
    assert f'<caption id="calendar-caption">{today.year}年{today.month}月日历' in html
    assert "未能识别月份" in html
    assert "<script>" not in html.split("<main")[1]


def test_the_current_month_is_shown_by_default_with_today_marked(client):
    html = client.get(CALENDAR_URL).content.decode()
    today = timezone.localdate()
    assert f'<caption id="calendar-caption">{today.year}年{today.month}月日历' in html
    assert 'aria-current="date"' in html
    assert "未能识别月份" not in html


def test_only_one_calendar_per_site():
    main_home = Site.objects.get(hostname=HOSTS["main"]).root_page
    assert not FilingCalendarPage.can_create_at(main_home)
    assert not FilingCalendarPage.can_create_at(site_page(ServiceHallIndexPage).get_parent())


# ---- the iCalendar feed -----------------------------------------------------------------
def test_the_ics_feed_parses_and_has_every_deadline(client, calendar_2026):
    html = client.get(CALENDAR_URL).content.decode()
    feed_url = f"/taxservice/calendar/{calendar_2026.pk}.ics"
    assert f'href="webcal://localhost:8000{feed_url}"' in html
    assert f'href="{feed_url}" download' in html
    response = client.get(feed_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content
    assert b"\r\n" in body and b"\n" not in body.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))
    parsed = icalendar.Calendar.from_ical(body)
    events = list(parsed.walk("VEVENT"))
    rows = list(calendar_2026.deadlines.order_by("date"))
    assert len(events) == len(rows)
    by_date = {}
    for event in events:
        start = event["DTSTART"].dt
        assert isinstance(start, date) and not hasattr(start, "hour")  # an all-day date
        by_date.setdefault(start, []).append(event)
    for row in rows:
        assert row.date in by_date
    october = by_date[date(2026, 10, 22)][0]
    assert str(october["SUMMARY"]) == "征期截止：10月申报纳税期限"
    description = str(october["DESCRIPTION"])
    assert "因国庆节假期顺延至10月22日" in description
    assert "企业所得税（季度预缴）" in description
    assert "http://localhost:8000/nsfw/zqrl/" in description
    uids = [str(event["UID"]) for event in events]
    assert len(set(uids)) == len(uids)
    again = icalendar.Calendar.from_ical(client.get(feed_url).content)
    assert [str(event["UID"]) for event in again.walk("VEVENT")] == uids  # stable between requests


def test_the_feed_of_an_unpublished_calendar_is_not_found(client, calendar_2026):
    calendar_2026.unpublish()
    assert client.get(f"/taxservice/calendar/{calendar_2026.pk}.ics").status_code == 404


def test_ical_text_is_escaped_and_folded():
    text = "申报纳税种类：增值税、消费税；城市维护建设税,教育费附加\\地方教育附加\n" * 3
    body = ical.calendar(
        "示例日历",
        [{"uid": "a@example.test", "date": date(2026, 10, 22), "summary": text, "description": text, "url": ""}],
        stamp=timezone.now(),
    )
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    event = icalendar.Calendar.from_ical(body).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == text
    assert str(event["DESCRIPTION"]) == text


def test_folding_never_cuts_a_character_or_an_escape_in_two():
    """A fold between a backslash and the character it escapes (``\\`` CRLF SPACE ``,``) is allowed
    by RFC 5545, but Google Calendar and Outlook then drop or garble the event; every position of
    the text (with the punctuation editors type: commas, semicolons, line breaks) against the
    75-octet boundary is tried."""
    for shift in range(80):
        text = "x" * shift + "增值税,消费税;附加税\n" * 4
        body = ical.calendar(
            "示例日历",
            [{"uid": "a@example.test", "date": date(2026, 10, 22), "summary": text, "description": text, "url": ""}],
            stamp=timezone.now(),
        )
        for line in body.encode().split(b"\r\n"):
            line.decode("utf-8")  # each physical line is whole UTF-8: no character cut at a fold
            backslashes = len(line) - len(line.rstrip(b"\\"))
            assert backslashes % 2 == 0, f"an escape cut in two at shift {shift}: {line!r}"
        event = icalendar.Calendar.from_ical(body).walk("VEVENT")[0]
        assert str(event["SUMMARY"]) == text and str(event["DESCRIPTION"]) == text


# ---- the home page ----------------------------------------------------------------------
@pytest.mark.parametrize("key", ["main", "jia", "yi"])
def test_the_home_page_highlights_this_months_deadline(site_client, key):
    today = timezone.localdate()
    calendar = site_page(FilingCalendarPage, key)
    rows = list(calendar.deadlines.filter(date__year=today.year, date__month=today.month))
    assert rows
    html = site_client(key).get("/").content.decode()
    box = html.split('id="filing-title"')[1].split("</section>")[0]
    assert "本月征期" in html
    for row in rows:
        assert f"{cn_date(row.date)}" in box
        if row.note:
            assert row.note in box
    assert f'href="{CALENDAR_URL}"' in box


def test_the_home_page_box_disappears_without_a_deadline_this_month(client):
    today = timezone.localdate()
    calendar = site_page(FilingCalendarPage)
    FilingDeadline.objects.filter(page=calendar, date__year=today.year, date__month=today.month).delete()
    html = client.get("/").content.decode()
    assert 'id="filing-title"' not in html


# ---- service halls ----------------------------------------------------------------------
def test_every_site_has_halls_under_its_service_column(site_client):
    counts = {}
    for key in HOSTS:
        index = site_page(ServiceHallIndexPage, key)
        counts[key] = ServiceHallPage.objects.child_of(index).live().count()
        html = site_client(key).get("/nsfw/").content.decode()
        assert f'href="{HALLS_URL}"' in html and f'href="{CALENDAR_URL}"' in html  # the column's section nav
        sitemap = site_client(key).get("/sitemap-pages.xml").content.decode()
        assert f"{CALENDAR_URL}</loc>" in sitemap and f"{HALLS_URL}</loc>" in sitemap
    assert counts["main"] >= 3 and counts["jia"] >= 2 and counts["yi"] >= 1
    assert sum(counts.values()) >= 6


def test_the_hall_directory_filters_by_district(client):
    html = client.get(HALLS_URL).content.decode()
    assert '<label for="hall-district">所在区县</label>' in html
    assert '<select id="hall-district" name="district">' in html
    assert '<button type="submit" class="button">筛选</button>' in html
    assert "示例市政务路办税服务厅" in html and "示例市滨江办税服务厅" in html
    response = client.get(HALLS_URL, {"district": "滨江区"})
    assert response.status_code == 200
    html = response.content.decode()
    listing = html.split('class="hall-list"')[1]
    assert "示例市滨江办税服务厅" in listing
    assert "示例市政务路办税服务厅" not in listing
    assert '<option value="滨江区" selected>' in html
    assert "滨江区：共 1 个办税服务厅" in html


def test_an_unknown_district_lists_every_hall(client):
    response = client.get(HALLS_URL, {"district": "不存在区"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "没有找到“不存在区”的办税服务厅" in html
    assert "示例市政务路办税服务厅" in html and "示例市南湖办税服务厅" in html


def hall_url(hall) -> str:
    return hall.relative_url(hall.get_site())


def test_a_hall_page_has_a_geo_link_and_no_map_by_default(client):
    hall = ServiceHallPage.objects.get(slug="zhengwulu")
    html = client.get(hall_url(hall)).content.decode()
    assert 'href="geo:30.593100,114.305400?q=30.593100,114.305400(%E7%A4%BA' in html
    assert "30.593100, 114.305400" in html
    assert "示例市市中区政务路100号一楼" in html
    assert "爱心窗口（老年人、残疾人优先）" in html and "助听设备（感应线圈）" in html
    assert "hall-map" not in html
    main = html.split("<main")[1].split("</main>")[0]
    assert not re.search(r'src="(https?:)?//', main)  # nothing loaded from a third party (links are not loads)
    assert "tiles.example.test" not in html


# 示例市政务路办税服务厅
NAME = "%E7%A4%BA%E4%BE%8B%E5%B8%82%E6%94%BF%E5%8A%A1%E8%B7%AF%E5%8A%9E%E7%A8%8E%E6%9C%8D%E5%8A%A1%E5%8E%85"
ADDRESS = (  # 示例省示例市市中区政务路100号一楼
    "%E7%A4%BA%E4%BE%8B%E7%9C%81%E7%A4%BA%E4%BE%8B%E5%B8%82%E5%B8%82%E4%B8%AD%E5%8C%BA"
    "%E6%94%BF%E5%8A%A1%E8%B7%AF100%E5%8F%B7%E4%B8%80%E6%A5%BC"
)


def external_map_links(html: str) -> dict[str, dict[str, str]]:
    links = {}
    for tag in re.findall(r"<a [^>]*>[^<]*</a>", html):
        href = re.search(r'href="([^"]*)"', tag).group(1)
        if "amap.com" in href or "baidu.com" in href:
            attributes = dict(re.findall(r'([a-z-]+)="([^"]*)"', tag))
            links[re.search(r">([^<]*)</a>", tag).group(1)] = {**attributes, "href": unescape(href)}
    return links


def test_the_demo_halls_map_links_open_the_right_point_in_amap_and_baidu():
    hall = ServiceHallPage.objects.get(slug="zhengwulu")
    assert maps.amap_url(hall.latitude, hall.longitude, hall.title) == (
        f"https://uri.amap.com/marker?position=114.305400,30.593100&name={NAME}"
        "&coordinate=wgs84&src=webapp.taxportal.servicehall"
    )
    assert maps.baidu_url(hall.latitude, hall.longitude, hall.title, hall.address) == (
        f"https://api.map.baidu.com/marker?location=30.593100,114.305400&title={NAME}&content={ADDRESS}"
        "&output=html&coord_type=wgs84&src=webapp.taxportal.servicehall"
    )


def test_map_links_encode_every_character_that_could_end_a_parameter():
    url = maps.amap_url(Decimal("1"), Decimal("2"), "A&B 厅#1?x=y/+")
    assert url.split("&name=")[1].split("&coordinate=")[0] == "A%26B%20%E5%8E%85%231%3Fx%3Dy%2F%2B"
    with override_settings(MAP_LINK_SOURCE="webapp.示例 局.halls"):
        assert maps.baidu_url(Decimal("1"), Decimal("2"), "x", "y").endswith(
            "&src=webapp.%E7%A4%BA%E4%BE%8B%20%E5%B1%80.halls"
        )


def test_a_hall_page_links_amap_and_baidu_as_external_sites(client):
    hall = ServiceHallPage.objects.get(slug="zhengwulu")
    html = client.get(hall_url(hall)).content.decode()
    links = external_map_links(html)
    assert set(links) == {"高德地图", "百度地图"}
    assert links["高德地图"]["href"] == maps.amap_url(hall.latitude, hall.longitude, hall.title)
    assert links["百度地图"]["href"] == maps.baidu_url(hall.latitude, hall.longitude, hall.title, hall.address)
    for link in links.values():
        assert "noopener" in link["rel"].split() and link["hreflang"] == "zh-Hans"
    location = html.split('id="location-title"')[1].split("</section>")[0]
    assert "以下链接将打开外部网站" in location
    assert location.index('href="geo:') < location.index("uri.amap.com")  # beside the geo: link
    # links are no fetch: the page's policy needs no new source for them
    assert "amap" not in content_security_policy() and "baidu" not in content_security_policy()


def test_a_hall_without_coordinates_offers_no_map_links(client):
    hall = ServiceHallPage.objects.get(slug="zhengwulu")
    hall.latitude = hall.longitude = None
    hall.save_revision().publish()
    html = client.get(hall_url(hall)).content.decode()
    assert "暂未提供坐标" in html
    assert not external_map_links(html) and "geo:" not in html and "外部网站" not in html


def test_a_hall_page_shows_the_map_when_a_tile_server_is_configured(client):
    hall = ServiceHallPage.objects.get(slug="zhengwulu")
    with override_settings(MAP_TILE_URL=TILES, MAP_TILE_ATTRIBUTION="© 示例地图"):
        html = client.get(hall_url(hall)).content.decode()
    assert '<figure class="hall-map">' in html
    tiles = re.findall(r'<img src="(https://tiles\.example\.test/16/\d+/\d+\.png)" alt=""', html)
    assert len(tiles) == 4
    assert "地图数据：© 示例地图" in html
    assert 'class="hall-map__marker" style="left: ' in html


def test_the_tile_server_is_allowed_for_images_only():
    assert "tiles.example.test" not in content_security_policy()
    with override_settings(MAP_TILE_URL=TILES):
        policy = dict(part.split(" ", 1) for part in content_security_policy().split("; "))
    assert "https://tiles.example.test" in policy["img-src"]
    assert "tiles.example.test" not in policy["script-src"]


@pytest.mark.parametrize(
    "latitude, longitude, field",
    [("90.5", "114.3", "latitude"), ("-91", "114.3", "latitude"), ("30.5", "180.1", "longitude"),
     ("30.5", "-200", "longitude"), ("30.5", None, "longitude")],
)  # fmt: skip
def test_coordinates_out_of_range_are_refused(latitude, longitude, field):
    hall = ServiceHallPage.objects.get(slug="zhengwulu")
    hall.latitude = Decimal(latitude)
    hall.longitude = Decimal(longitude) if longitude else None
    with pytest.raises(ValidationError) as refused:
        hall.full_clean()
    assert field in refused.value.message_dict


def test_valid_coordinates_pass():
    hall = ServiceHallPage.objects.get(slug="zhengwulu")
    hall.latitude, hall.longitude = Decimal("-90"), Decimal("180")
    hall.full_clean()


# ---- query ceilings ---------------------------------------------------------------------
# Measured figures (see tests/portal/test_query_counts.py): routing costs two queries however deep
# the page; the calendar adds its year's deadlines and the workday overrides (2), the hall
# directory its halls (1); a hall page reads nothing beyond its own row.
CALENDAR_MAX_QUERIES = 7
HALL_INDEX_MAX_QUERIES = 6
HALL_MAX_QUERIES = 5


@pytest.mark.parametrize(
    "path, ceiling",
    [
        (CALENDAR_URL, CALENDAR_MAX_QUERIES),
        (CALENDAR_URL + "?month=2026-10", CALENDAR_MAX_QUERIES),
        (HALLS_URL, HALL_INDEX_MAX_QUERIES),
        (HALLS_URL + "?district=%E6%BB%A8%E6%B1%9F%E5%8C%BA", HALL_INDEX_MAX_QUERIES),
        (HALLS_URL + "zhengwulu/", HALL_MAX_QUERIES),
    ],
)
def test_query_ceilings(site_client, path, ceiling, django_assert_max_num_queries):
    client = site_client("main")
    client.get(path)  # warm the site-root cache
    with django_assert_max_num_queries(ceiling):
        assert client.get(path).status_code == 200


def test_the_calendar_costs_the_same_with_more_deadlines(site_client, calendar_2026):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = site_client("main")
    client.get(CALENDAR_URL + "?month=2026-10")

    def count():
        with CaptureQueriesContext(connection) as captured:
            client.get(CALENDAR_URL + "?month=2026-10")
        return len(captured)

    before = count()
    for row in deadline_rows(2026):
        calendar_2026.deadlines.add(row)
    calendar_2026.save_revision().publish()
    client.get(CALENDAR_URL + "?month=2026-10")  # publishing purged the site: its shared data reloads once
    assert count() == before


# ---- the admin --------------------------------------------------------------------------
@pytest.mark.parametrize("model", [FilingCalendarPage, ServiceHallIndexPage, ServiceHallPage])
def test_editors_can_open_the_new_page_types_in_the_admin(admin_client, model):
    page = model.objects.filter(locale__language_code="zh-hans").first()
    response = admin_client.get(f"/admin/pages/{page.pk}/edit/")
    assert response.status_code == 200
    html = response.content.decode()
    assert page.title in html
    if model is FilingCalendarPage:
        assert "申报纳税期限" in html and "deadlines-TOTAL_FORMS" in html  # the rows are inline on the page


def test_the_admin_refuses_out_of_range_coordinates(admin_client):
    hall = ServiceHallPage.objects.get(slug="zhengwulu")
    data = {
        "title": hall.title,
        "slug": hall.slug,
        "district": hall.district,
        "address": hall.address,
        "opening_hours": hall.opening_hours,
        "phone": hall.phone,
        "services": hall.services,
        "latitude": "95.5",
        "longitude": "114.305400",
        "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0",
        "comments-MIN_NUM_FORMS": "0",
        "comments-MAX_NUM_FORMS": "1000",
    }
    response = admin_client.post(f"/admin/pages/{hall.pk}/edit/", data)
    assert response.status_code == 200  # the form again, with the error
    assert "90" in response.content.decode()
    hall.refresh_from_db()
    assert hall.latitude == Decimal("30.593100")
    assert not hall.has_unpublished_changes
    data["latitude"] = "30.600000"
    response = admin_client.post(f"/admin/pages/{hall.pk}/edit/", data)
    assert response.status_code == 302
    assert ServiceHallPage.objects.get(pk=hall.pk).get_latest_revision_as_object().latitude == Decimal("30.600000")
