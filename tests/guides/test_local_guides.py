"""Local guides on city sites (网站群的办事指南, issue #22 item 7): one guide, the province's,
with each city's own place, hours, phone and notes, edited by that city's editors, in the
catalogue and search of both; and the cities' 表格下载 and 依申请公开."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client
from wagtail.models import Locale, Page, PageViewRestriction, Site

from guides.models import LocalGuidePage, ServiceGuideIndexPage, ServiceGuidePage
from portal.models import SiteIdentity
from tests.editorial.test_editorial import FormFields
from tests.helpers import HOSTS, outline, site_of, unmarked_chinese, url_of

pytestmark = pytest.mark.django_db

PROVINCE = "http://localhost:8000"


def province_guide(slug: str) -> ServiceGuidePage:
    return ServiceGuidePage.objects.get(url_path=f"/home/nsfw/bszn/{slug}/")


def local_guide(key: str, slug: str) -> LocalGuidePage:
    return LocalGuidePage.objects.get(url_path=f"/{site_of(key).root_page.slug}/nsfw/bszn/{slug}/")


def city_index(key: str) -> ServiceGuideIndexPage:
    return ServiceGuideIndexPage.objects.get(url_path=f"/{site_of(key).root_page.slug}/nsfw/bszn/")


def listed_links(html: str) -> dict[str, str]:
    """Title -> link of the guides a guide index lists."""
    return {
        title: href for href, title in re.findall(r'<h2 class="guide-list__title"><a href="([^"]*)">([^<]+)</a>', html)
    }


def staff(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def form_data(client: Client, url: str, **changes) -> dict:
    parser = FormFields()
    parser.feed(client.get(url).content.decode())
    data = {key: value for key, value in parser.data.items() if key != "csrfmiddlewaretoken"}
    return {**data, **changes}


# ---- the city's page: the province's item and the local details ------------------------
def test_the_city_page_shows_the_province_item_with_the_local_hall_hours_and_phone(site_client):
    guide, local = province_guide("fp-pzhd"), local_guide("jia", "fp-pzhd")
    response = site_client("jia").get("/nsfw/bszn/fp-pzhd/")
    html = response.content.decode()
    assert response.status_code == 200
    assert outline(response).h1_text == [local.title]
    # the province's item, as the province keeps it
    assert guide.summary in html
    assert guide.item_code in html
    for material in guide.materials.all():
        assert material.name in html
    assert "《中华人民共和国发票管理办法》第十五条" in html  # its legal basis
    assert guide.conditions[0].value in html
    # the city's own place, hours, phone and notes, not the province's
    assert "甲市第一办税服务厅（东湖区明德路88号）发票综合窗口" in html
    assert "征期最后3个工作日延时至18:00" in html and "0000-8612301" in html
    assert local.local_notes in html
    assert guide.place not in html
    # the halls its place names, from the 办税地图, and the way back to the province's guide
    assert 'href="/nsfw/bsdt/donghu/">甲市第一办税服务厅</a>' in html
    assert 'href="/nsfw/bsdt/xishan/">甲市第二办税服务厅</a>' in html
    assert f'href="{PROVINCE}/nsfw/bszn/fp-pzhd/">查看省局办事指南' in html
    assert '"@type": "GovernmentService"' in html and "0000-8612301" in html.split("GovernmentService")[1]


def test_one_guide_not_a_copy_the_province_edit_shows_on_the_city_page(site_client):
    guide = province_guide("fp-pzhd")
    guide.summary = "省局修改后的事项简介：票种核定全程网上办理。"
    guide.save_revision().publish()
    assert "省局修改后的事项简介" in site_client("jia").get("/nsfw/bszn/fp-pzhd/").content.decode()
    assert "省局修改后的事项简介" in site_client("yi").get("/nsfw/bszn/fp-pzhd/").content.decode()
    assert "summary" not in {field.name for field in LocalGuidePage._meta.get_fields()}  # nothing of it is stored


def test_left_empty_the_hours_and_phone_are_the_provinces(site_client):
    guide, local = province_guide("zm-wszm"), local_guide("jia", "zm-wszm")
    assert not local.local_hours and not local.local_phone
    html = site_client("jia").get("/nsfw/bszn/zm-wszm/").content.decode()
    assert guide.hours in html and guide.phone in html


def test_the_city_page_prints_the_provinces_checklist(site_client):
    guide = province_guide("fp-pzhd")
    response = site_client("jia").get("/nsfw/bszn/fp-pzhd/checklist/")
    assert response.status_code == 200
    html = response.content.decode()
    assert all(material.name in html for material in guide.materials.all())
    assert 'href="/nsfw/bszn/fp-pzhd/"' in html  # back to the city's page


# ---- the province's page lists the cities -----------------------------------------------
def test_the_province_guide_lists_the_cities_that_handle_it(client):
    html = client.get("/nsfw/bszn/fp-pzhd/").content.decode()
    cities = html.split('id="local-versions"')[1].split("</ul>")[0]
    assert '<a href="http://jia.localhost:8000/nsfw/bszn/fp-pzhd/">甲市税务局</a>' in cities
    assert '<a href="http://yi.localhost:8000/nsfw/bszn/fp-pzhd/">乙市税务局</a>' in cities
    assert "0000-8612301" in cities and "0001-8715021" in cities
    # an item no city has taken up lists none
    assert 'id="local-versions"' not in client.get("/nsfw/bszn/fp-hzfp/").content.decode()


def test_a_new_local_page_shows_on_the_cached_province_guide_once_published(client, settings):
    settings.PAGE_CACHE_SECONDS = 300
    cache.clear()
    assert "jia.localhost:8000/nsfw/bszn/" not in client.get("/nsfw/bszn/fp-hzfp/").content.decode()
    assert client.get("/nsfw/bszn/fp-hzfp/")["X-Page-Cache"] == "hit"
    page = LocalGuidePage(
        title="开具红字发票", slug="fp-hzfp", guide=province_guide("fp-hzfp"), local_place="甲市第一办税服务厅"
    )
    city_index("jia").add_child(instance=page)
    page.save_revision().publish()
    assert (
        'href="http://jia.localhost:8000/nsfw/bszn/fp-hzfp/">甲市税务局</a>'
        in client.get("/nsfw/bszn/fp-hzfp/").content.decode()
    )
    cache.clear()


def test_the_english_province_guide_lists_the_cities_marked_chinese(site_client):
    english = province_guide("fp-pzhd").get_translation(Locale.objects.get(language_code="en"))
    html = site_client("main").get(url_of(english)).content.decode()
    cities = html.split('id="local-versions"')[1].split("</ul>")[0]
    assert 'href="http://jia.localhost:8000/nsfw/bszn/fp-pzhd/" hreflang="zh-Hans">Jia City Tax Service</a>' in cities
    assert unmarked_chinese(f"<div>{cities}</div>") == []
    assert unmarked_chinese(html) == []


def test_a_local_page_reads_in_english_with_the_english_guide(site_client):
    """A city that opens its English edition translates its local pages like any page; the
    English page shows the province's English guide."""
    english = Locale.objects.get(language_code="en")
    local = local_guide("jia", "fp-pzhd")
    translated = local.copy_for_translation(english, copy_parents=True)
    translated.local_place = "Jia No. 1 Tax Service Hall, 88 Mingde Road, Donghu District"
    translated.save_revision().publish()
    for ancestor in translated.get_ancestors().filter(depth__gt=1).specific():
        if not ancestor.live:
            ancestor.save_revision().publish()
    identity = SiteIdentity.objects.get(site__hostname=HOSTS["jia"])
    identity.english_edition = True
    identity.save()
    response = site_client("jia").get("/en/nsfw/bszn/fp-pzhd/")
    html = response.content.decode()
    assert response.status_code == 200 and '<html lang="en"' in html
    assert province_guide("fp-pzhd").get_translation(english).title in html
    assert "Jia No. 1 Tax Service Hall" in html


# ---- the city's catalogue ---------------------------------------------------------------
def test_the_city_catalogue_lists_its_local_guides_with_the_filters(site_client):
    client = site_client("jia")
    locals_ = {page.title: url_of(page) for page in LocalGuidePage.objects.child_of(city_index("jia")).live()}
    assert len(locals_) >= 5
    listed = listed_links(client.get("/nsfw/bszn/").content.decode())
    assert listed == locals_  # each item once, linked to the city's page
    invoices = listed_links(client.get("/nsfw/bszn/", {"theme": "fpbl"}).content.decode())
    expected = {
        page.title: url_of(page)
        for page in LocalGuidePage.objects.child_of(city_index("jia")).filter(guide__theme__slug="fpbl")
    }
    assert invoices == expected and len(expected) == 2
    individuals = listed_links(client.get("/nsfw/bszn/", {"audience": "individual"}).content.decode())
    assert set(individuals) == {
        page.title for page in LocalGuidePage.objects.child_of(city_index("jia")).filter(guide__for_individuals=True)
    }
    html = client.get("/nsfw/bszn/", {"department": "cxswc"}).content.decode()
    assert set(listed_links(html)) == {"契税申报"}
    assert re.search(r"财产和行为税处 <span class=\"facet__count\">（1）</span>", html)
    # the province's catalogue is unchanged: its own guides only, no city page
    main = site_client("main").get("/nsfw/bszn/?theme=fpbl").content.decode()
    assert all(href.startswith("/nsfw/bszn/") for href in listed_links(main).values())


def test_the_city_form_library_lists_the_province_forms_and_links_the_city_guides(site_client):
    response = site_client("jia").get("/nsfw/bgxz/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "SL-FP-001" in html and "共 " in html
    assert 'href="/nsfw/bszn/fp-pzhd/">发票票种核定</a>' in html  # the city's page of the guide using it
    assert 'href="http://localhost:8000/nsfw/bszn/' in html  # the province's, where the city has none


# ---- search -----------------------------------------------------------------------------
def test_the_city_search_finds_the_local_guide_and_all_sites_finds_both(site_client):
    jia = site_client("jia").get("/search/", {"q": "票种核定", "type": "guide"}).content.decode()
    assert 'href="/nsfw/bszn/fp-pzhd/"' in jia
    assert "http://localhost:8000/nsfw/bszn/fp-pzhd/" not in jia  # the site's search stays on the site
    everywhere = site_client("main").get("/search/", {"q": "票种核定", "scope": "all", "type": "guide"})
    html = everywhere.content.decode()
    assert 'href="/nsfw/bszn/fp-pzhd/"' in html  # the province's
    assert 'href="http://jia.localhost:8000/nsfw/bszn/fp-pzhd/"' in html
    assert 'href="http://yi.localhost:8000/nsfw/bszn/fp-pzhd/"' in html
    # found by the province's text and by the city's own (a hall named in its place)
    assert 'href="/nsfw/bszn/sb-qs/"' in site_client("jia").get("/search/", {"q": "市民之家"}).content.decode()


def test_the_city_search_suggests_the_local_guide_titles(site_client):
    suggestions = site_client("jia").get("/search/suggest/", {"q": "票种"}).json()["suggestions"]
    assert "发票票种核定" in str(suggestions)


def test_a_province_edit_reaches_the_city_search(site_client):
    guide = province_guide("fp-dk")
    guide.summary = guide.summary + "（新增：可预约上门代开）"
    guide.save_revision().publish()
    assert 'href="/nsfw/bszn/fp-dk/"' in site_client("jia").get("/search/", {"q": "上门代开"}).content.decode()


# ---- a province guide that is not live: the local page is withheld ----------------------
def test_an_unpublished_province_guide_withholds_the_local_pages_until_it_is_live_again(site_client):
    guide = province_guide("fp-pzhd")
    local = local_guide("jia", "fp-pzhd")
    guide.unpublish()
    jia = site_client("jia")
    assert jia.get("/nsfw/bszn/fp-pzhd/").status_code == 404
    assert jia.get("/nsfw/bszn/fp-pzhd/checklist/").status_code == 404
    assert "发票票种核定" not in listed_links(jia.get("/nsfw/bszn/").content.decode())
    assert 'href="/nsfw/bszn/fp-pzhd/"' not in jia.get("/search/", {"q": "票种核定"}).content.decode()
    assert "/nsfw/bszn/fp-pzhd/" not in jia.get("/sitemap-pages.xml").content.decode()
    assert "/nsfw/bszn/fp-pzhd/" not in jia.get("/sitemap/").content.decode()
    assert local.live  # the city's page is kept as the city left it
    guide.save_revision().publish()
    assert jia.get("/nsfw/bszn/fp-pzhd/").status_code == 200
    assert "发票票种核定" in listed_links(jia.get("/nsfw/bszn/").content.decode())


def test_a_restricted_province_guide_withholds_the_local_pages(site_client):
    PageViewRestriction.objects.create(page=province_guide("sb-qs"), restriction_type=PageViewRestriction.LOGIN)
    jia = site_client("jia")
    assert jia.get("/nsfw/bszn/sb-qs/").status_code == 404
    assert "契税申报" not in listed_links(jia.get("/nsfw/bszn/").content.decode())
    assert 'href="/nsfw/bszn/sb-qs/"' not in jia.get("/search/", {"q": "契税"}).content.decode()


def test_a_deleted_province_guide_leaves_the_local_page_withheld_for_the_city_to_remove(site_client):
    local = local_guide("yi", "dj-xxqr")
    province_guide("dj-xxqr").delete()
    local.refresh_from_db()
    assert local.guide_id is None and local.live
    yi = site_client("yi")
    assert yi.get("/nsfw/bszn/dj-xxqr/").status_code == 404
    assert "dj-xxqr" not in yi.get("/nsfw/bszn/").content.decode()


def test_the_editor_previews_a_local_page_even_while_the_guide_is_unpublished():
    admin = staff("admin")
    local = local_guide("jia", "fp-pzhd")
    province_guide("fp-pzhd").unpublish()
    url = f"/admin/pages/{local.pk}/edit/preview/"
    assert admin.post(url, form_data(admin, f"/admin/pages/{local.pk}/edit/")).json()["is_valid"]
    response = admin.get(url)
    assert response.status_code == 200 and "0000-8612301" in response.content.decode()


def test_a_draft_change_of_the_province_guide_is_not_shown_in_the_city(site_client):
    guide = province_guide("fp-pzhd")
    guide.summary = "尚未发布的草稿简介"
    guide.save_revision()  # a draft: the live guide is unchanged
    html = site_client("jia").get("/nsfw/bszn/fp-pzhd/").content.decode()
    assert "尚未发布的草稿简介" not in html and Page.objects.get(pk=guide.pk).live


# ---- who edits what ---------------------------------------------------------------------
def test_a_city_editor_edits_their_local_page_and_nothing_of_the_province_or_the_other_city():
    editor = staff("jia_editor")
    own, other, guide = local_guide("jia", "fp-pzhd"), local_guide("yi", "fp-pzhd"), province_guide("fp-pzhd")
    url = f"/admin/pages/{own.pk}/edit/"
    assert editor.get(url).status_code == 200
    response = editor.post(url, form_data(editor, url, local_phone="0000-8612399"))
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.get_latest_revision_as_object().local_phone == "0000-8612399"  # a draft, for review
    assert own.local_phone == "0000-8612301"
    for page in (guide, other):
        refused = editor.get(f"/admin/pages/{page.pk}/edit/")
        assert refused.status_code in (302, 403)
        editor.post(f"/admin/pages/{page.pk}/edit/", {"title": "被篡改的标题"})
        page.refresh_from_db()
        assert page.get_latest_revision_as_object().title != "被篡改的标题"


def test_a_city_editor_adds_a_local_page_of_a_province_guide():
    editor = staff("jia_editor")
    index = city_index("jia")
    url = f"/admin/pages/add/guides/localguidepage/{index.pk}/"
    assert editor.get(url).status_code == 200
    guide = province_guide("dj-bg")
    chooser = editor.get(f"/admin/choose-page/{guide.get_parent().pk}/", {"page_type": "guides.serviceguidepage"})
    assert chooser.status_code == 200 and guide.title in chooser.json()["html"]  # the province's list
    data = form_data(
        editor, url, title=guide.title, slug="dj-bg", guide=str(guide.pk), local_place="甲市第二办税服务厅"
    )
    assert editor.post(url, data).status_code == 302
    added = LocalGuidePage.objects.child_of(index).get(slug="dj-bg")
    assert added.guide_id == guide.pk and not added.live  # waits for the city's review


def test_the_editor_refuses_a_second_page_of_the_same_item_and_a_guide_of_the_own_site():
    admin = staff("admin")
    index = city_index("jia")
    url = f"/admin/pages/add/guides/localguidepage/{index.pk}/"
    twin = form_data(
        admin, url, title="又一个", slug="twin", guide=str(province_guide("fp-pzhd").pk), local_place="某处"
    )
    html = admin.post(url, twin).content.decode()
    assert "本栏目已有该事项的本地办事指南" in html
    own = ServiceGuidePage(title="甲市自有事项", slug="own-item", for_individuals=True)
    index.add_child(instance=own)
    mine = form_data(admin, url, title="甲市自有事项", slug="mine", guide=str(own.pk), local_place="某处")
    assert "请选择省局网站的办事指南" in admin.post(url, mine).content.decode()
    assert not LocalGuidePage.objects.filter(slug__in=["twin", "mine"]).exists()


# ---- query ceilings ---------------------------------------------------------------------
# Measured: the city's page of a guide costs 9 queries, one less than the province's page
# (routing, the guide in one query with its theme and department, its materials, legal basis
# and the FAQ entries; the province's pays for its list of cities only after a save, like the
# halls the city's place names). The catalogue pays one query more than the province's (14):
# the local pages of the guides on the page it shows.
LOCAL_GUIDE_MAX_QUERIES = 9
CITY_CATALOGUE_MAX_QUERIES = 15


def test_the_city_guide_page_query_ceiling(site_client, django_assert_max_num_queries):
    client = site_client("jia")
    client.get("/nsfw/bszn/fp-pzhd/")
    with django_assert_max_num_queries(LOCAL_GUIDE_MAX_QUERIES):
        assert client.get("/nsfw/bszn/fp-pzhd/").status_code == 200


def test_the_city_catalogue_costs_the_same_with_more_local_guides(site_client, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = site_client("jia")
    index = city_index("jia")

    def count():
        client.get("/nsfw/bszn/?audience=individual")
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/nsfw/bszn/?audience=individual").status_code == 200
        return len(captured)

    before = count()
    taken = set(LocalGuidePage.objects.child_of(index).values_list("guide_id", flat=True))
    for guide in ServiceGuidePage.objects.live().filter(url_path__startswith="/home/").exclude(pk__in=taken)[:20]:
        page = LocalGuidePage(
            title=guide.title, slug=f"more-{guide.slug}", guide=guide, local_place="甲市第一办税服务厅"
        )
        index.add_child(instance=page)
    assert count() == before <= CITY_CATALOGUE_MAX_QUERIES


# ---- the city's 表格下载 and 依申请公开, in its navigation ------------------------------------
@pytest.mark.parametrize("key", ["jia", "yi"])
def test_the_city_has_guides_forms_and_a_disclosure_application_in_its_navigation(site_client, key):
    client = site_client(key)
    for path in ("/nsfw/bszn/", "/nsfw/bgxz/", "/xxgk/ysqgk/"):
        assert client.get(path).status_code == 200, path
    service = client.get("/nsfw/").content.decode()  # 纳税服务, a menu column: its sections
    assert 'href="/nsfw/bszn/"' in service and 'href="/nsfw/bgxz/"' in service
    home = client.get("/").content.decode()
    assert 'href="/nsfw/"' in home and 'href="/hdjl/"' in home  # the main menu
    assert 'href="/nsfw/bszn/"' in home  # 快捷服务
    assert 'href="/xxgk/ysqgk/"' in client.get("/xxgk/").content.decode()
    application_page = Page.objects.get(url_path=f"/{site_of(key).root_page.slug}/xxgk/ysqgk/")
    assert application_page.specific_class.__name__ == "ApplicationPage"
    assert LocalGuidePage.objects.child_of(city_index(key)).live().count() >= 5


def test_every_demo_site_offers_guides_and_forms():
    for key in HOSTS:
        root = Site.objects.get(hostname=HOSTS[key]).root_page
        assert ServiceGuideIndexPage.objects.live().descendant_of(root).exists(), key
