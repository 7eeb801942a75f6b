"""常见问题 (FAQ knowledge base): shared entries, search by Chinese words and synonyms, theme
filter, entries on guide pages, per-entry pages, feedback with captcha and rate limit."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from faq.models import FAQ, FAQIndexPage, Feedback
from guides.models import ServiceGuidePage
from tests.helpers import answered_form, chinese, outline, site_of

pytestmark = pytest.mark.django_db

INCREASE = "如何申请增加发票用量？"
TWO_SALARIES = "取得两处以上工资薪金所得，为什么年终要补缴个人所得税？"
SECRET_COMMENT = "这是一条只给工作人员看的意见，请勿公开"

# Measured on the demo content, after one warm-up request (see tests/portal/test_query_counts.py).
# None depends on how many entries exist (themes are prefetched for the whole page).
FAQ_INDEX_MAX_QUERIES = 10
FAQ_SEARCH_MAX_QUERIES = 13  # + the ranked search and the ids left after the theme filter
FAQ_ENTRY_MAX_QUERIES = 9
FAQ_FEEDBACK_MAX_QUERIES = 8


def index_url(key="main") -> str:
    site = site_of(key)
    page = FAQIndexPage.objects.live().descendant_of(site.root_page).get(locale=site.root_page.locale)
    return page.relative_url(site)


def entry(question: str) -> FAQ:
    return chinese(FAQ.objects).get(question=question)


def listed_questions(html: str) -> list[str]:
    return re.findall(r'<h2 class="guide-list__title"><a href="[^"]+">([^<]+)</a></h2>', html)


def feedback_data(client, url: str, **changes) -> dict:
    return {**answered_form(client, url), "helpful": "no", "comment": SECRET_COMMENT, **changes}


# ---- content and pages ------------------------------------------------------------------
def test_demo_has_shared_entries_and_a_faq_page_on_every_site(site_client):
    live = chinese(FAQ.objects.filter(live=True))
    assert live.count() >= 40
    assert live.filter(guide_links__isnull=False).distinct().count() >= 30
    for key in ("main", "jia", "yi"):
        url = index_url(key)
        assert url.startswith("/nsfw/")
        html = site_client(key).get(url).content.decode()
        assert "共 " in html and f"{live.count()} 条常见问题" in html


def test_a_city_site_lists_the_shared_entries_and_links_to_its_own_pages(site_client):
    faq = entry(INCREASE)
    client = site_client("jia")
    html = client.get(index_url("jia"), {"q": "发票用量"}).content.decode()
    assert INCREASE in html
    assert f'href="{index_url("jia")}{faq.pk}/"' in html
    response = client.get(f"{index_url('jia')}{faq.pk}/")
    assert response.status_code == 200 and "电子税务局" in response.content.decode()
    assert "国家税务总局甲市税务局" in response.content.decode()


def test_the_faq_page_is_in_the_service_column_and_every_entry_in_the_sitemap(client):
    faq = entry(INCREASE)
    assert f'href="{index_url()}"' in client.get("/nsfw/").content.decode()
    sitemap = client.get("/sitemap-pages.xml").content.decode()
    assert f"http://localhost:8000{index_url()}{faq.pk}/</loc>" in sitemap
    assert "/feedback/" not in sitemap


def test_an_entry_has_its_own_page_with_links_to_its_guides_and_policies(client):
    faq = entry(INCREASE)
    response = client.get(f"{index_url()}{faq.pk}/")
    assert response.status_code == 200
    doc = outline(response)
    assert doc.h1_text == [INCREASE]
    html = response.content.decode()
    guide = ServiceGuidePage.objects.live().get(slug="fp-pzhd", locale=faq.locale)
    assert f'href="{guide.relative_url(guide.get_site())}"' in html
    assert "全面推行数字化电子发票" in html
    assert "这条回答对您有帮助吗？" in html and "有帮助" in html and "没帮助" in html


def test_a_draft_entry_is_not_shown_anywhere(client):
    faq = entry(INCREASE)
    faq.live = False
    faq.save()
    assert client.get(f"{index_url()}{faq.pk}/").status_code == 404
    assert INCREASE not in client.get(index_url(), {"q": "发票用量"}).content.decode()
    assert f"{index_url()}{faq.pk}/</loc>" not in client.get("/sitemap-pages.xml").content.decode()
    assert client.get(f"{index_url()}999999/").status_code == 404


def test_staff_add_an_entry_in_the_admin_and_it_appears_on_the_guide_and_the_faq_page(client):
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

    from guides.models import Theme

    guide = ServiceGuidePage.objects.live().get(slug="sb-ccs", locale__language_code="zh-hans")
    theme = chinese(Theme.objects).get(slug="sbns")
    staff = Client(HTTP_HOST="localhost:8000")
    staff.force_login(get_user_model().objects.get(username="admin"))
    data = nested_form_data(
        {
            "question": "车船税可以在哪里缴纳？",
            "answer": rich_text("<p>购买机动车交通事故责任强制保险时，由保险机构代收代缴。</p>"),
            "keywords": "车船税,交强险",
            "updated": "2026-10-01",
            "guide_links": inline_formset([{"guide": guide.pk}]),
            "policy_links": inline_formset([]),
            "action-publish": "publish",
        }
    )
    data["themes"] = [theme.pk]
    assert staff.post("/admin/snippets/faq/faq/add/", data).status_code == 302
    faq = FAQ.objects.get(question="车船税可以在哪里缴纳？")
    assert faq.live and list(faq.themes.all()) == [theme]
    guide_html = client.get(guide.relative_url(guide.get_site())).content.decode()
    assert "<summary>车船税可以在哪里缴纳？</summary>" in guide_html
    yi = Client(HTTP_HOST="yi.localhost:8000")
    assert "车船税可以在哪里缴纳？" in yi.get(index_url("yi"), {"q": "交强险"}).content.decode()
    assert "车船税可以在哪里缴纳？" in client.get(index_url(), {"q": "交强险", "theme": "sbns"}).content.decode()


# ---- search and filter ----------------------------------------------------------------------
def test_search_finds_entries_by_chinese_words(client):
    html = client.get(index_url(), {"q": "发票"}).content.decode()
    questions = listed_questions(html)
    assert INCREASE in questions
    assert all("社保" not in question and "社会保险" not in question for question in questions)
    assert "<mark>发票</mark>" in html
    # words inside a longer run of characters: "发票用量" is not a word the text contains
    html = client.get(index_url(), {"q": "怎么增加发票的用量"}).content.decode()
    assert listed_questions(html)[0] == INCREASE


def test_search_finds_entries_through_a_synonym(client):
    faq = entry(TWO_SALARIES)
    assert "个税" not in faq.question + faq.answer + faq.keywords
    html = client.get(index_url(), {"q": "个税"}).content.decode()
    assert TWO_SALARIES in listed_questions(html)


def test_a_query_that_matches_nothing_says_so(client):
    html = client.get(index_url(), {"q": "宇宙飞船"}).content.decode()
    assert listed_questions(html) == []
    assert "没有找到相关的常见问题" in html and "12366" in html


def test_theme_filter_lists_only_that_theme_with_counts(client):
    html = client.get(index_url(), {"theme": "sbf"}).content.decode()
    questions = listed_questions(html)
    assert "灵活就业人员怎样缴纳社会保险费？" in questions and INCREASE not in questions
    total = chinese(FAQ.objects.filter(live=True, themes__slug="sbf")).count()
    assert f"共 {total} 条常见问题" in html
    assert 'aria-current="true">社保费缴纳' in html
    # search and theme combine; the theme counts follow the search
    html = client.get(index_url(), {"theme": "fpbl", "q": "发票"}).content.decode()
    assert INCREASE in listed_questions(html)
    html = client.get(index_url(), {"theme": "sbf", "q": "发票"}).content.decode()
    assert listed_questions(html) == []


def test_the_index_is_paginated(client):
    html = client.get(index_url()).content.decode()
    assert len(listed_questions(html)) == FAQIndexPage.per_page
    second = client.get(index_url(), {"page": 2}).content.decode()
    assert len(listed_questions(second)) == FAQIndexPage.per_page
    assert not set(listed_questions(html)) & set(listed_questions(second))
    assert client.get(index_url(), {"page": "abc"}).status_code == 200


# ---- guide pages ------------------------------------------------------------------------
def test_a_guide_page_shows_its_related_entries(client):
    faq = entry(INCREASE)
    guide = ServiceGuidePage.objects.live().get(slug="fp-pzhd", locale=faq.locale)
    html = client.get(guide.relative_url(guide.get_site())).content.decode()
    section = html.split('<h2 id="faq">常见问题</h2>', 1)[1]
    assert f"<summary>{INCREASE}</summary>" in section
    assert f'href="{index_url()}{faq.pk}/"' in section
    assert f'href="{index_url()}?theme=fpbl"' in section


def test_a_guide_without_linked_entries_shows_those_of_its_theme(client):
    guide = ServiceGuidePage.objects.live().filter(slug="fp-pzhd").first()
    chinese(FAQ.objects).filter(guide_links__guide=guide).update(live=False)
    html = client.get(guide.relative_url(guide.get_site())).content.decode()
    section = html.split('<h2 id="faq">常见问题</h2>', 1)[1]
    assert INCREASE not in section
    assert "发票丢失了应该怎么处理？" in section or "开错了发票，怎样开具红字发票？" in section
    assert section.count('<details class="faq-item">') <= 5 + len(guide.faq)


# ---- feedback ---------------------------------------------------------------------------
def test_feedback_counts_a_vote_and_keeps_the_comment_from_every_public_page(client):
    faq = entry(INCREASE)
    question_url = f"{index_url()}{faq.pk}/"
    feedback_url = question_url + "feedback/"
    before = faq.feedback.filter(helpful=False).count()
    # the first click is a plain button; the follow-up page has the choice made and asks for the captcha
    html = client.get(feedback_url, {"helpful": "no"}).content.decode()
    assert 'value="no" required id="id_helpful_1" checked' in html or re.search(r'value="no"[^>]*checked', html)
    assert 'name="captcha_1"' in html
    response = client.post(feedback_url, feedback_data(client, feedback_url))
    assert response.status_code == 302 and response["Location"].endswith(question_url + "feedback/thanks/")
    thanks = client.get(response["Location"]).content.decode()
    assert "感谢您的评价" in thanks
    assert faq.feedback.filter(helpful=False).count() == before + 1
    assert Feedback.objects.get(comment=SECRET_COMMENT).site.hostname == "localhost"

    guide = ServiceGuidePage.objects.live().get(slug="fp-pzhd", locale=faq.locale)
    public = [
        thanks,
        client.get(question_url).content.decode(),
        client.get(index_url()).content.decode(),
        client.get(index_url(), {"q": "工作人员看的意见"}).content.decode(),
        client.get(guide.relative_url(guide.get_site())).content.decode(),
        client.get("/search/", {"q": "工作人员看的意见"}).content.decode(),
        Client(HTTP_HOST="jia.localhost:8000").get(f"{index_url('jia')}{faq.pk}/").content.decode(),
    ]
    assert all(SECRET_COMMENT not in html for html in public)

    staff = Client(HTTP_HOST="localhost:8000")
    staff.force_login(get_user_model().objects.get(username="admin"))
    report = staff.get("/admin/reports/faq-feedback/").content.decode()
    assert SECRET_COMMENT in report and INCREASE in report
    listing = staff.get("/admin/snippets/faq/faq/", {"q": "发票用量"}).content.decode()
    assert INCREASE in listing and "没帮助" in listing
    assert re.search(rf"<td[^>]*>\s*{before + 1}\s*</td>", listing)


def test_the_feedback_report_is_for_staff_who_edit_the_faq_only():
    editor = get_user_model().objects.get(username="jia_editor")
    client = Client(HTTP_HOST="localhost:8000")
    client.force_login(editor)
    assert client.get("/admin/reports/faq-feedback/").status_code in (302, 403)


def test_feedback_without_a_valid_captcha_is_refused_and_counts_nothing(client):
    faq = entry(INCREASE)
    feedback_url = f"{index_url()}{faq.pk}/feedback/"
    before = Feedback.objects.count()
    response = client.post(feedback_url, feedback_data(client, feedback_url, captcha_1="0000"))
    assert response.status_code == 400
    assert "验证码不正确" in response.content.decode()
    response = client.post(feedback_url, {"helpful": "yes"})
    assert response.status_code == 400
    response = client.post(feedback_url, feedback_data(client, feedback_url, website="http://spam.example"))
    assert response.status_code == 400
    response = client.post(feedback_url, feedback_data(client, feedback_url, helpful="maybe"))
    assert response.status_code == 400 and "请从列表中选择" in response.content.decode()
    assert Feedback.objects.count() == before


def test_a_new_captcha_keeps_the_choice_and_the_comment(client):
    faq = entry(INCREASE)
    feedback_url = f"{index_url()}{faq.pk}/feedback/"
    before = Feedback.objects.count()
    response = client.post(feedback_url, feedback_data(client, feedback_url, new_captcha="1"))
    html = response.content.decode()
    assert response.status_code == 200 and SECRET_COMMENT in html and "有错误" not in html
    assert Feedback.objects.count() == before


def test_feedback_is_rate_limited_per_address(client, settings):
    settings.FAQ_FEEDBACK_RATE_LIMIT = 2
    faq = entry(INCREASE)
    feedback_url = f"{index_url()}{faq.pk}/feedback/"
    before = Feedback.objects.count()
    for _ in range(2):
        assert client.post(feedback_url, feedback_data(client, feedback_url, helpful="yes")).status_code == 302
    response = client.post(feedback_url, feedback_data(client, feedback_url, helpful="yes"))
    assert response.status_code == 429 and "上限" in response.content.decode()
    assert Feedback.objects.count() == before + 2


def test_faq_pages_carry_no_post_form_so_they_can_be_cached(client):
    faq = entry(INCREASE)
    for url in (index_url(), f"{index_url()}{faq.pk}/"):
        html = client.get(url).content.decode()
        assert 'method="post"' not in html and "csrfmiddlewaretoken" not in html
    response = client.get(f"{index_url()}{faq.pk}/feedback/")
    assert "no-store" in response["Cache-Control"]


# ---- query ceilings -------------------------------------------------------------------------
def test_faq_pages_query_ceilings_do_not_grow_with_the_entries(client, django_assert_max_num_queries):
    from guides.models import Theme

    faq = entry(INCREASE)
    cases = [
        (index_url(), {}, FAQ_INDEX_MAX_QUERIES),
        (index_url(), {"theme": "fpbl", "page": 2}, FAQ_INDEX_MAX_QUERIES),
        (index_url(), {"q": "个税 发票"}, FAQ_SEARCH_MAX_QUERIES),
        (f"{index_url()}{faq.pk}/", {}, FAQ_ENTRY_MAX_QUERIES),
        (f"{index_url()}{faq.pk}/feedback/", {"helpful": "no"}, FAQ_FEEDBACK_MAX_QUERIES),
    ]

    def measure():
        for url, params, ceiling in cases:
            client.get(url, params)
            with django_assert_max_num_queries(ceiling):
                assert client.get(url, params).status_code == 200

    measure()
    themes = list(chinese(Theme.objects.all()))
    for i in range(30):
        extra = FAQ(question=f"批量问题{i:02d}：发票和个税", answer="<p>批量回答。</p>", locale=faq.locale, live=True)
        extra.themes = themes[i % len(themes) :][:2]
        extra.save()
    measure()
