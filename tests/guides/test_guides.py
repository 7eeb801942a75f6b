"""Service guides, the form library and download counting (issue #3)."""

import json
import re
from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.db.models import Q
from wagtail.models import Collection, Locale

from guides.downloads import count_download
from guides.models import (
    Department,
    FormItem,
    FormLibraryPage,
    GuideMaterial,
    ServiceGuideIndexPage,
    ServiceGuidePage,
    Theme,
)
from guides.structured_data import is_free_of_charge
from portal.models import PortalDocument
from tests.helpers import chinese, outline

pytestmark = pytest.mark.django_db


def path_of(page):
    return page.get_url_parts()[2]


@pytest.fixture
def guide_index():
    return ServiceGuideIndexPage.objects.get(
        slug="bszn", url_path="/home/nsfw/bszn/"
    )  # the main site's (cities have one)


@pytest.fixture
def library():
    return FormLibraryPage.objects.get(slug="bgxz", url_path="/home/nsfw/bgxz/")


@pytest.fixture
def all_on_one_page(monkeypatch):
    monkeypatch.setattr(ServiceGuideIndexPage, "per_page", 500)
    monkeypatch.setattr(FormLibraryPage, "per_page", 500)


def listed_titles(html: str) -> set[str]:
    return set(re.findall(r'<h2 class="(?:guide|form)-list__title">(?:<a href="[^"]*">)?([^<]+)<', html))


def expected_titles(**filters) -> set[str]:
    guides = chinese(ServiceGuidePage.objects.live())
    condition = Q()
    if "audience" in filters:
        condition &= Q(for_individuals=True) if filters["audience"] == "individual" else Q(for_enterprises=True)
    if "theme" in filters:
        condition &= Q(theme__slug=filters["theme"])
    if "department" in filters:
        condition &= Q(department__slug=filters["department"])
    if filters.get("online"):
        condition &= Q(visits=0)
    return set(guides.filter(condition).values_list("title", flat=True))


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"theme": "fpbl"},
        {"audience": "individual"},
        {"audience": "enterprise"},
        {"department": "sdsc"},
        {"online": "1"},
        {"theme": "grsds", "audience": "individual"},
        {"theme": "sbns", "audience": "enterprise", "online": "1"},
        {"department": "hwlwsc", "theme": "fpbl", "online": "1"},
    ],
)
def test_filters_return_exactly_the_right_guides(client, guide_index, all_on_one_page, params):
    response = client.get(path_of(guide_index), params)
    assert response.status_code == 200
    html = response.content.decode()
    expected = expected_titles(**params)
    assert listed_titles(html) == expected
    assert f"共 {len(expected)} 项办事指南" in html


def test_each_filter_option_shows_the_count_it_would_give(client, guide_index, all_on_one_page):
    html = client.get(path_of(guide_index), {"audience": "enterprise"}).content.decode()
    for theme in chinese(Theme.objects.all()):
        expected = len(expected_titles(audience="enterprise", theme=theme.slug))
        if expected == 0:  # an option that would give nothing is shown, but not as a link
            assert f'<span class="facet__empty">{theme.name} <span class="facet__count">（0）</span>' in html
            continue
        assert re.search(
            rf'href="\?audience=enterprise&amp;theme={theme.slug}"[^>]*>{theme.name} '
            rf'<span class="facet__count">（{expected}）</span>',
            html,
        ), theme.name
    online = len(expected_titles(audience="enterprise", online=True))
    assert f'全程网办 <span class="facet__count">（{online}）</span>' in html
    # the selected option is marked and links back to "not selected"
    assert re.search(r'<a href="\?"[^>]*aria-current="true">法人', html)


@pytest.mark.parametrize(
    "params",
    [
        {"theme": "nope"},
        {"audience": "robot"},
        {"online": "yes"},
        {"page": "abc"},
        {"department": "<script>"},
        {"page": "-3", "theme": "fpbl"},
    ],
)
def test_unknown_filter_values_are_ignored_not_errors(client, guide_index, params):
    response = client.get(path_of(guide_index), params)
    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("<main")[1]


def test_all_guides_are_demo_sized():
    guides = chinese(ServiceGuidePage.objects.live())
    assert guides.count() >= 30
    themes = chinese(Theme.objects.all())
    assert set(guides.values_list("theme__slug", flat=True)) == set(themes.values_list("slug", flat=True))
    assert guides.filter(for_individuals=True).exists() and guides.filter(for_enterprises=True).exists()
    assert guides.filter(visits=0).exists()
    assert chinese(FormItem.objects).count() >= 25


def guide_with_everything():
    return next(
        g
        for g in ServiceGuidePage.objects.live().order_by("path")
        if g.faq
        and g.steps
        and g.conditions
        and g.statutory_days
        and g.online_url
        and g.legal_basis.filter(policy__isnull=False).exists()
        and g.materials.filter(form__sample__isnull=False).exists()
    )


def test_every_structured_field_renders(client):
    guide = guide_with_everything()
    html = client.get(path_of(guide)).content.decode()
    text_checks = [
        guide.title,
        guide.item_code,
        guide.department.name,
        guide.theme.name,
        "、".join(guide.audience_labels),
        f"{guide.statutory_days}个工作日",
        guide.fees,
        guide.hours,
        guide.phone,
        guide.online_url,
    ]
    for value in text_checks:
        assert value in html, value
    for heading in ["基本信息", "设定依据", "办理条件", "申请材料", "办理流程", "办理地点与咨询", "常见问题"]:
        assert f">{heading}</h2>" in html, heading
    assert guide.faq[0].value["question"] in html
    assert guide.steps[0].value["title"] in html
    assert guide.conditions[0].value in html
    basis = guide.legal_basis.filter(policy__isnull=False).first()
    assert f'href="{path_of(basis.policy)}"' in html
    material = guide.materials.filter(form__sample__isnull=False).first()
    assert material.name in html
    assert f'href="/forms/download/{material.form.pk}/form/"' in html
    assert f'href="/forms/download/{material.form.pk}/sample/"' in html
    assert f"（{material.form.document.file_extension.upper()}，" in html


def test_visits_zero_is_shown_as_fully_online(client):
    guide = ServiceGuidePage.objects.live().filter(visits=0).first()
    assert "0次（全程网办）" in client.get(path_of(guide)).content.decode()


def test_missing_optional_fields_leave_no_empty_headings(client, guide_index):
    bare = guide_index.add_child(
        instance=ServiceGuidePage(title="最简办事指南", slug="bare-guide", for_individuals=True)
    )
    html = client.get(path_of(bare)).content.decode()
    for heading in ["设定依据", "办理条件", "申请材料", "办理流程", "办理地点与咨询", "常见问题"]:
        assert f">{heading}</h2>" not in html, heading
    assert "事项编码" not in html and "法定办结时限" not in html and "承诺办结时限" not in html
    assert "不收费" in html  # the default fee is still stated
    doc = outline(client.get(path_of(bare)))
    assert len(doc.h1_text) == 1


def test_a_guide_needs_an_audience():
    from django.core.exceptions import ValidationError

    guide = ServiceGuidePage(title="无对象", slug="no-audience")
    with pytest.raises(ValidationError):
        guide.clean()


def test_printable_checklist(client):
    guide = guide_with_everything()
    response = client.get(path_of(guide) + "checklist/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "申请材料清单" in html and "☐" in html
    for material in guide.materials.all():
        assert material.name in html


def test_forms_and_guides_link_both_ways(client, library, all_on_one_page):
    material = GuideMaterial.objects.filter(form__isnull=False, page__live=True).select_related("form", "page").first()
    guide_html = client.get(path_of(material.page)).content.decode()
    assert f"/forms/download/{material.form.pk}/form/" in guide_html
    library_html = client.get(path_of(library)).content.decode()
    block = library_html.split(f">{material.form.title}</h2>")[1].split("</li>")[0]
    assert f'href="{path_of(material.page)}">{material.page.title}</a>' in block


def test_form_library_filters(client, library, all_on_one_page):
    html = client.get(path_of(library), {"format": "docx", "theme": "fpbl"}).content.decode()
    expected = set(
        chinese(FormItem.objects.filter(formats__contains="docx", theme__slug="fpbl")).values_list("title", flat=True)
    )
    assert expected and listed_titles(html) == expected
    dept = chinese(Department.objects).first()
    html = client.get(path_of(library), {"department": dept.slug}).content.decode()
    assert listed_titles(html) == set(FormItem.objects.filter(department=dept).values_list("title", flat=True))


def a_form_in(fmt: str, code: str) -> FormItem:
    """A Chinese form of the library offered as one ``fmt`` file."""
    document = PortalDocument(
        title=f"{code}（{fmt.upper()}）",
        collection=Collection.get_first_root_node(),
        file=ContentFile(b"form", name=f"{code.lower()}.{fmt}"),
    )
    document.save()
    return FormItem.objects.create(
        code=code,
        title=f"旧版{fmt.upper()}格式表格{code}",
        document=document,
        updated=date(2026, 1, 5),
        locale=Locale.objects.get(language_code="zh-hans"),
    )


def test_the_doc_filter_lists_doc_files_and_never_docx(client, library, all_on_one_page):
    old_word = a_form_in("doc", "T-DOC-1")
    assert chinese(FormItem.objects.filter(formats__contains="docx")).exists()  # the demo's Word forms
    html = client.get(path_of(library), {"format": "doc"}).content.decode()
    assert listed_titles(html) == {old_word.title}
    assert re.search(r'DOC <span class="facet__count">（1）</span>', html)
    docx = client.get(path_of(library), {"format": "docx"}).content.decode()
    assert old_word.title not in listed_titles(docx)


def test_download_links_say_format_and_size(client, library):
    html = client.get(path_of(library)).content.decode()
    assert re.search(r'下载表格</a> <span class="doc-link__meta">（(PDF|DOCX)，[0-9.]+\s(KB|字节|bytes)）</span>', html)


def test_download_counts_and_redirects_to_the_file(client):
    form = FormItem.objects.exclude(sample=None).first()
    before = form.download_count
    response = client.get(f"/forms/download/{form.pk}/form/")
    assert response.status_code == 302 and response["Location"] == form.document.url
    assert client.get(f"/forms/download/{form.pk}/sample/")["Location"] == form.sample.url
    form.refresh_from_db()
    assert form.download_count == before + 2


def test_bad_download_requests_are_404(client):
    form = FormItem.objects.filter(sample=None).first()
    assert client.get(f"/forms/download/{form.pk}/sample/").status_code == 404
    assert client.get(f"/forms/download/{form.pk}/evil/").status_code == 404
    assert client.get("/forms/download/999999/form/").status_code == 404
    assert client.post(f"/forms/download/{form.pk}/form/").status_code == 405


def test_concurrent_downloads_both_count_and_edits_keep_the_count():
    form = FormItem.objects.first()
    start = form.download_count
    # Two requests that each loaded the form before either counted (the race a
    # read-modify-write would lose): both increments land.
    first, second = FormItem.objects.get(pk=form.pk), FormItem.objects.get(pk=form.pk)
    count_download(first.pk)
    count_download(second.pk)
    # An editor saving a form loaded before those downloads does not undo them.
    first.title = first.title + "（修订）"
    first.save()
    form.refresh_from_db()
    assert form.download_count == start + 2
    assert form.title.endswith("（修订）")


def json_ld(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match, "no JSON-LD on the page"
    return json.loads(match.group(1))


def test_guide_json_ld(client):
    guide = guide_with_everything()
    data = json_ld(client.get(path_of(guide)).content.decode())
    assert data["@context"] == "https://schema.org" and data["@type"] == "GovernmentService"
    assert data["name"] == guide.title and data["identifier"] == guide.item_code
    assert data["serviceType"] == guide.theme.name
    assert data["provider"]["@type"] == "GovernmentOrganization"
    assert data["availableChannel"]["serviceUrl"] == guide.online_url
    assert {a["audienceType"] for a in data["audience"]} == set(guide.audience_labels)
    assert data["url"].endswith(path_of(guide))


def test_a_guide_free_of_charge_with_a_note_is_accessible_for_free(client):
    guide = chinese(ServiceGuidePage.objects.live()).get(slug="fp-dk")
    assert guide.fees.startswith("不收费（")  # 不收费（代开发票本身不收费，应缴税款按规定缴纳）
    assert json_ld(client.get(path_of(guide)).content.decode())["isAccessibleForFree"] is True


@pytest.mark.parametrize(
    "fees, free",
    [
        ("", True),
        ("不收费", True),
        ("免费", True),
        ("无", True),
        ("不收费（代开发票本身不收费，应缴税款按规定缴纳）", True),
        ("免费（工本费由税务机关承担）", True),
        ("免费(首次领取)", True),
        ("  不收费。", True),
        ("无（依法应缴的税款除外）", True),
        ("（电子税务局办理）不收费", True),
        ("Free of charge", True),
        ("No fee", True),
        ("按核定金额缴纳社会保险费，办理本身不收取任何费用", False),
        ("工本费10元", False),
        ("收费（免费期已过）", False),
        ("无线网络费用另计", False),
        ("Freight charges apply", False),
    ],
)
def test_the_fee_text_says_whether_a_guide_is_free(fees, free):
    assert is_free_of_charge(fees) is free


def test_json_ld_cannot_break_out_of_its_script(client, guide_index):
    guide = guide_index.add_child(
        instance=ServiceGuidePage(
            title="测试</script><script>alert(1)</script>", slug="evil", for_individuals=True, summary="a & b <c>"
        )
    )
    html = client.get(path_of(guide)).content.decode()
    assert "<script>alert(1)" not in html
    assert json_ld(html)["name"] == guide.title


def test_options_that_would_give_nothing_are_not_links(client, guide_index):
    html = client.get(path_of(guide_index), {"theme": "fpbl"}).content.decode()
    empty = [d for d in chinese(Department.objects.all()) if not expected_titles(theme="fpbl", department=d.slug)]
    assert empty, "demo data should leave some department without invoice guides"
    for department in empty:
        assert f'<span class="facet__empty">{department.name} <span class="facet__count">（0）</span>' in html
        assert f"department={department.slug}" not in html
