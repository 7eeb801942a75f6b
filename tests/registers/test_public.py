"""What visitors see of a register: the table, search by name, whole 纳税人识别号 and year,
identity numbers masked on the page and in the CSV, 失信主体 and 行政处罚 gone after their
publication period, 撤销 entries gone, the 索引号, and a fixed number of queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from disclosure.models import CatalogueEntry
from registers.identifiers import mask
from registers.models import RegisterEntry
from tests.helpers import HOSTS, url_of

from .helpers import credit_code, entry, id_card, register

pytestmark = pytest.mark.django_db


def get(page, query: str = "", host: str = "main"):
    return Client(HTTP_HOST=HOSTS[host]).get(url_of(page) + query)


def test_identity_numbers_are_masked_on_every_public_page_and_in_the_export():
    page = register("arrears")
    people = list(
        RegisterEntry.objects.filter(page=page).exclude(person_id_number="").values_list("person_id_number", flat=True)
    )
    assert len(people) == 60
    html = "".join(get(page, f"?page={n}").content.decode() for n in (1, 2, 3))
    export = get(page, "export/").content.decode("utf-8-sig")
    for number in people:
        assert number not in html and number not in export
        assert mask(number) in export
    assert "9900**********" in html


def test_a_persons_number_used_as_taxpayer_number_is_masked_too_and_found_only_whole():
    page = register("arrears")
    shop = RegisterEntry.objects.filter(page=page, taxpayer_number=id_card()).first() or entry(
        page, name="省会市测某记小吃店", taxpayer_number=id_card()
    )
    html = get(page, f"?q={shop.taxpayer_number}").content.decode()
    table = html[html.index("<tbody>") : html.index("</tbody>")]  # the search box shows what was typed
    assert shop.name in table and shop.taxpayer_number not in table and mask(shop.taxpayer_number) in table
    partial = get(page, f"?q={shop.taxpayer_number[:12]}").content.decode()
    assert shop.name not in partial and "没有符合条件的记录" in partial


def test_search_by_name_number_and_year():
    page = register("a_grade")
    target = RegisterEntry.objects.filter(page=page, year=2024).first()
    by_name = get(page, f"?q={target.name}").content.decode()
    assert target.taxpayer_number in by_name
    by_number = get(page, f"?q={target.taxpayer_number.lower()}").content.decode()
    assert target.name in by_number and "共 1 条" in by_number
    by_year = get(page, "?year=2024").content.decode()
    count = RegisterEntry.objects.filter(page=page, year=2024).count()
    assert f"共 {count} 条" in by_year and "2023年度" not in by_year
    none = get(page, "?q=不存在的公司名称").content.decode()
    assert "没有符合条件的记录" in none


def test_odd_parameters_give_the_list_not_an_error():
    page = register("violations")
    for query in ("?page=abc", "?page=999", "?year=abcd", "?year=1", "?q=" + "长" * 300):
        assert get(page, query).status_code == 200


def test_a_serious_violation_leaves_the_list_after_its_publication_period():
    page = register("violations")
    today = timezone.localdate()
    ended = entry(
        page,
        name="示例省已到期失信公司",
        taxpayer_number=credit_code(71),
        published_on=today - timedelta(days=1100),
        ends_on=today - timedelta(days=1),
    )
    last_day = entry(
        page,
        name="示例省今日到期失信公司",
        taxpayer_number=credit_code(72),
        published_on=today - timedelta(days=1095),
        ends_on=today,
    )
    html = get(page).content.decode() + get(page, "?page=2").content.decode()
    assert last_day.name in html and ended.name not in html
    assert ended.name not in get(page, "export/").content.decode("utf-8-sig")
    assert ended.name not in get(page, f"?q={ended.taxpayer_number}").content.decode()
    assert (
        RegisterEntry.objects.filter(page=page, ends_on__lt=today).count() >= 4
    )  # the demo's ended ones, kept for staff


def test_withdrawn_entries_are_not_listed():
    page = register("licences")
    shown = RegisterEntry.objects.filter(page=page).first()
    assert shown.document_number in get(page).content.decode()
    shown.withdrawn_at = timezone.now()
    shown.save()
    assert shown.document_number not in get(page).content.decode()


def test_the_table_is_accessible_and_the_export_is_a_csv():
    page = register("penalties", "jia")
    response = get(page, host="jia")
    html = response.content.decode()
    assert '<caption id="register-caption">' in html and 'scope="col"' in html and 'scope="row"' in html
    assert 'role="region"' in html and 'tabindex="0"' in html
    export = get(page, "export/?year=2025", host="jia")
    assert export["Content-Type"].startswith("text/csv") and "attachment" in export["Content-Disposition"]
    assert export.content.decode("utf-8-sig").splitlines()[0].startswith("行政相对人名称,统一社会信用代码")


def test_each_register_has_its_index_number_in_the_catalogue():
    for kind, genre in (("arrears", "announcement"), ("licences", "publicity")):
        page = register(kind)
        catalogue_entry = CatalogueEntry.objects.get(page=page)
        assert catalogue_entry.genre == genre
        html = get(page).content.decode()
        assert catalogue_entry.index_number in html
    catalogue = Client(HTTP_HOST=HOSTS["main"]).get("/xxgk/gkml/?q=欠税公告").content.decode()
    assert "欠税公告" in catalogue and CatalogueEntry.objects.get(page=register("arrears")).index_number in catalogue


@pytest.mark.parametrize("query", ["", "?year=2025", "?q=示例省"])
def test_the_listing_costs_the_same_queries_with_50_more_entries(query):
    page = register("arrears")
    get(page, query)  # warm the site data

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert get(page, query).status_code == 200
        return len(queries)

    before = count()
    for n in range(50):
        entry(page, name=f"示例省新增{n}有限公司", taxpayer_number=credit_code(100 + n), person_id_number=id_card())
    assert count() == before
    assert before <= 20
