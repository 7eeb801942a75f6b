"""Tables 二, 三 and 四 computed from the records, checked against matrices worked by hand:
which application counts in which row and column of a year, the balance 一 + 二 = 三(七) + 四,
the 复议/诉讼 result as it stood on 31 December, and the 规章/规范性文件 counts."""

from datetime import date

import pytest

from annualreports import figures, layout
from home.models import ColumnPage, PolicyDocumentPage
from inforequests import services
from inforequests.models import Review
from tests.helpers import site_of
from tests.inforequests.helpers import apply

from .helpers import decided, organisation

pytestmark = pytest.mark.django_db

YEAR = 2023


def nonzero(counts: dict) -> dict:
    """{(row, column): n} of the cells that are not 0, totals included."""
    return {(row, column): n for row, cells in counts.items() for column, n in cells.items() if n}


@pytest.fixture
def jia_2023():
    """Ten applications to the 甲市 bureau around 2023, each placed by hand:

    A person,   received 2022-12-20, disclosed 2023-01-10      -> 上年结转, 予以公开
    B person,   received 2022-12-01, disclosed 2022-12-30      -> not in 2023 at all
    C 商业企业, received 2023-03-01, withheld (third party)    -> 新收, 不予公开 4
    D 科研机构, received 2023-04-03, not held                   -> 新收, 无法提供 1
    E 公益组织, received 2023-05-04, repeated                   -> 新收, 不予处理 2
    F 法律服务, received 2023-06-01, fee not paid               -> 新收, 其他处理 2
    G 其他,     received 2023-12-20, answered 2024-01-08       -> 新收, 结转下年度
    H person,   received 2023-06-12, still open                 -> 新收, 结转下年度
    I person,   received 2024-02-01                             -> not in 2023
    J person,   received 2023-05-08, partly disclosed 2023-05-20 -> 新收, 部分公开
    """
    made = {
        "A": decided("jia", date(2022, 12, 20), date(2023, 1, 10), "disclosed"),
        "B": decided("jia", date(2022, 12, 1), date(2022, 12, 30), "disclosed"),
        "C": decided(
            "jia",
            date(2023, 3, 1),
            date(2023, 3, 20),
            "withheld",
            "third_party",
            **organisation("commercial", "示例甲市恒达商贸有限公司", "91990100MA0000001X"),
        ),
        "D": decided(
            "jia",
            date(2023, 4, 3),
            date(2023, 4, 20),
            "unavailable",
            "not_held",
            **organisation("research", "示例省财经研究院", "12990000000000002Y"),
        ),
        "E": decided(
            "jia",
            date(2023, 5, 4),
            date(2023, 5, 10),
            "not_processed",
            "repeated",
            **organisation("nonprofit", "甲市助学公益基金会", "53990100000000003Z"),
        ),
        "F": decided(
            "jia",
            date(2023, 6, 1),
            date(2023, 7, 20),
            "other",
            "no_fee",
            **organisation("legal_service", "示例明正律师事务所", "31990000000000004A"),
        ),
        "G": decided(
            "jia",
            date(2023, 12, 20),
            date(2024, 1, 8),
            "disclosed",
            **organisation("other_org", "甲市城东社区居民委员会", "57990100000000005B"),
        ),
        "H": apply("jia", on=date(2023, 6, 12), name="李未结", id_number="119900198802020022"),
        "I": decided("jia", date(2024, 2, 1), date(2024, 2, 20), "disclosed"),
        "J": decided(
            "jia", date(2023, 5, 8), date(2023, 5, 20), "partial", name="孙一鸣", id_number="119900199105050055"
        ),
    }
    return made


def test_table_three_counts_each_application_in_its_row_and_column(jia_2023):
    data = figures.compute(site_of("jia"), YEAR)
    expected = {
        ("new", "person"): 2,  # H, J
        ("new", "commercial"): 1,
        ("new", "research"): 1,
        ("new", "nonprofit"): 1,
        ("new", "legal_service"): 1,
        ("new", "other_org"): 1,
        ("new", "total"): 7,
        ("carried", "person"): 1,  # A
        ("carried", "total"): 1,
        ("disclosed", "person"): 1,  # A
        ("disclosed", "total"): 1,
        ("partial", "person"): 1,  # J
        ("partial", "total"): 1,
        ("withheld:third_party", "commercial"): 1,
        ("withheld:third_party", "total"): 1,
        ("unavailable:not_held", "research"): 1,
        ("unavailable:not_held", "total"): 1,
        ("not_processed:repeated", "nonprofit"): 1,
        ("not_processed:repeated", "total"): 1,
        ("other:no_fee", "legal_service"): 1,
        ("other:no_fee", "total"): 1,
        ("decided", "person"): 2,
        ("decided", "commercial"): 1,
        ("decided", "research"): 1,
        ("decided", "nonprofit"): 1,
        ("decided", "legal_service"): 1,
        ("decided", "total"): 6,
        ("open", "person"): 1,  # H
        ("open", "other_org"): 1,  # G, answered in 2024
        ("open", "total"): 2,
    }
    assert nonzero(data["requests"]) == expected
    assert set(data["requests"]) == set(layout.REQUEST_ROW_KEYS)  # every row of the format, zeros too
    assert len(layout.REQUEST_ROW_KEYS) == 2 + 2 + 8 + 3 + 5 + 3 + 1 + 1


def test_the_balance_holds_in_every_column_and_the_members_are_the_applications(jia_2023):
    data = figures.compute(site_of("jia"), YEAR)
    counts = data["requests"]
    for column, _label in layout.COLUMNS:
        assert counts["new"][column] + counts["carried"][column] == counts["decided"][column] + counts["open"][column]
    members = data["members"]["requests"]
    assert members["carried|person"] == [jia_2023["A"].pk]
    assert sorted(members["new|person"]) == sorted([jia_2023["H"].pk, jia_2023["J"].pk])
    assert figures.members_of(data, "requests", "open|total") == sorted([jia_2023["G"].pk, jia_2023["H"].pk])
    counted = {pk for ids in members.values() for pk in ids}
    assert jia_2023["B"].pk not in counted and jia_2023["I"].pk not in counted


def test_the_next_year_carries_what_was_open_and_other_sites_count_nothing_of_it(jia_2023):
    next_year = figures.compute(site_of("jia"), YEAR + 1)["requests"]
    assert next_year["carried"]["person"] == 1 and next_year["carried"]["other_org"] == 1  # H and G
    assert next_year["disclosed"]["other_org"] == 1  # G, answered on 2024-01-08
    assert next_year["new"]["person"] >= 1  # I (and the demo's applications from December 2024)
    main = figures.compute(site_of("main"), YEAR)["requests"]
    assert main["new"]["total"] == 0 and main["carried"]["total"] == 0


def review(application, kind, filed, result=Review.Result.PENDING, concluded=None):
    data = {"kind": kind, "filed_on": filed, "body": "示例省税务局", "result": result, "concluded_on": concluded}
    return services.add_review(application, None, data)


def test_table_four_takes_the_result_as_it_stood_on_31_december(jia_2023):
    review(jia_2023["C"], Review.Kind.RECONSIDERATION, date(2023, 4, 10), Review.Result.UPHELD, date(2023, 6, 1))
    review(jia_2023["D"], Review.Kind.LAWSUIT, date(2023, 5, 2), Review.Result.CORRECTED, date(2024, 2, 1))
    review(jia_2023["E"], Review.Kind.LAWSUIT_AFTER, date(2023, 9, 1), Review.Result.OTHER, date(2023, 11, 1))
    review(jia_2023["J"], Review.Kind.RECONSIDERATION, date(2024, 1, 5))  # filed in 2024
    data = figures.compute(site_of("jia"), YEAR)
    assert nonzero(data["reviews"]) == {
        ("reconsideration", "upheld"): 1,
        ("reconsideration", "total"): 1,
        ("lawsuit", "pending"): 1,  # corrected only in 2024
        ("lawsuit", "total"): 1,
        ("lawsuit_after", "other"): 1,
        ("lawsuit_after", "total"): 1,
    }
    assert data["members"]["reviews"]["lawsuit|pending"] == [jia_2023["D"].pk]
    later = figures.compute(site_of("jia"), YEAR + 1)["reviews"]
    assert later["reconsideration"] == {"upheld": 0, "corrected": 0, "other": 0, "pending": 1, "total": 1}
    assert later["lawsuit"]["total"] == 0  # counted in the year it was filed


def policy(column, slug, kind, written, repealed=None, live=True, **fields):
    page = PolicyDocumentPage(
        title=f"测试文件{slug}",
        slug=slug,
        issuing_body="国家税务总局示例省甲市税务局",
        kind=kind,
        written_date=written,
        repealed_on=repealed,
        live=live,
        **fields,
    )
    column.add_child(instance=page)
    return page


def test_table_two_counts_rules_and_normative_documents_issued_repealed_and_in_force():
    site = site_of("jia")
    year = 2010
    assert figures.policies(site, year)[0] == {
        "rules": {"issued": 0, "repealed": 0, "in_force": 0},
        "normative": {"issued": 0, "repealed": 0, "in_force": 0},
    }
    column = ColumnPage.objects.child_of(site.root_page).get(slug="xxgk")
    n = PolicyDocumentPage.Kind.NORMATIVE
    old = policy(column, "t-old", n, date(2009, 5, 1))  # in force
    new = policy(column, "t-new", n, date(2010, 3, 1))  # issued, in force
    gone = policy(column, "t-gone", n, date(2008, 1, 1), date(2010, 7, 1))  # repealed in the year
    policy(column, "t-rule", PolicyDocumentPage.Kind.RULES, date(2010, 2, 1), date(2011, 3, 1))  # repealed later
    policy(column, "t-other", PolicyDocumentPage.Kind.OTHER, date(2010, 4, 1))  # not counted
    expired = PolicyDocumentPage.Validity.EXPIRED
    policy(column, "t-expired", n, date(2009, 1, 1), validity=expired)  # 失效, no date: gone before the year
    policy(column, "t-draft", n, date(2010, 6, 1), live=False)  # not published
    policy(column, "t-future", n, date(2011, 1, 5))  # issued after the year
    counts, members = figures.policies(site, year)
    assert counts == {
        "rules": {"issued": 1, "repealed": 0, "in_force": 1},
        "normative": {"issued": 1, "repealed": 1, "in_force": 2},
    }
    assert sorted(members["normative|in_force"]) == sorted([old.pk, new.pk])
    assert members["normative|repealed"] == [gone.pk]
    assert figures.policies(site_of("yi"), year)[0]["normative"]["in_force"] == 0  # another site's documents


def test_the_demo_main_sites_documents_in_2023_and_2025():
    main = site_of("main")
    assert figures.policies(main, 2023)[0]["normative"] == {"issued": 1, "repealed": 1, "in_force": 0}
    assert figures.policies(main, 2025)[0]["normative"] == {"issued": 1, "repealed": 0, "in_force": 2}
