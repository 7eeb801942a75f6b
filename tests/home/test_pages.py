"""Every page type renders on every site, with its key text, metadata and an accessible shell."""

import re

import pytest
from wagtail.models import Site

from home.models import ArticlePage, ColumnPage, HomePage, SitemapPage, StandardPage
from tests.helpers import HOSTS, outline

pytestmark = pytest.mark.django_db


def pages_of(key, model):
    root = Site.objects.get(hostname=HOSTS[key]).root_page
    return model.objects.live().descendant_of(root, inclusive=True)


def path_of(page):
    return page.get_url_parts()[2]


SITE_KEYS = ["main", "jia", "yi"]


@pytest.mark.parametrize("key", SITE_KEYS)
@pytest.mark.parametrize("model", [HomePage, ColumnPage, ArticlePage, StandardPage, SitemapPage])
def test_every_page_type_renders_on_every_site(site_client, key, model):
    page = pages_of(key, model).order_by("path").first()
    assert page is not None, f"demo content has no {model.__name__} on {key}"
    response = site_client(key).get(path_of(page))
    assert response.status_code == 200
    doc = outline(response)
    # one h1, which names the page (the home page's h1 names the site)
    assert len(doc.h1_text) == 1
    if model is not HomePage:
        assert doc.h1_text[0].strip() == page.title
    html = response.content.decode()
    assert '<html lang="zh-Hans"' in html
    assert len(doc.all("main")) == 1 and doc.all("main")[0]["id"] == "main-content"
    assert len(doc.all("header")) >= 1 and len(doc.all("footer")) >= 1
    # skip link is the first link of the body
    first_link = next(attrs for tag, attrs in doc.tags if tag == "a")
    assert first_link["href"] == "#main-content"


def test_article_shows_its_fields_attachments_and_images(site_client):
    article = pages_of("main", ArticlePage).filter(attachments__isnull=False).order_by("path").first()
    html = site_client("main").get(path_of(article)).content.decode()
    assert article.title in html
    assert article.source in html and article.author in html and article.editor in html
    assert article.date.strftime("%Y-%m-%d") in html
    attachment = article.attachments.first()
    assert attachment.document.url in html
    assert f"（{attachment.document.file_extension.upper()}，" in html  # format and size next to the link


def test_article_images_have_alt_text(site_client):
    for key in SITE_KEYS:
        for article in pages_of(key, ArticlePage):
            if not any(block.block_type == "image" for block in article.body):
                continue
            doc = outline(site_client(key).get(path_of(article)))
            images = [img for img in doc.all("img") if "/media/" in img.get("src", "")]
            assert images
            for img in images:
                assert img.get("alt"), f"image without alt on {article.title}"


def test_tables_have_captions_and_header_cells(site_client):
    article = next(p for p in pages_of("main", ArticlePage) if any(b.block_type == "table" for b in p.body))
    html = site_client("main").get(path_of(article)).content.decode()
    assert "<caption>" in html
    assert '<th scope="col"' in html
    assert 'role="region"' in html and 'tabindex="0"' in html  # wide tables scroll by keyboard


def test_article_metadata_follows_the_national_norms(site_client):
    article = pages_of("jia", ArticlePage).order_by("path").first()
    column = article.get_parent().specific
    meta = outline(site_client("jia").get(path_of(article))).meta()
    assert meta["SiteName"] == "国家税务总局甲市税务局"
    assert meta["SiteDomain"] == "jia.localhost"
    assert meta["SiteIDCode"] == "bm29000101"
    assert meta["ColumnName"] == column.title
    assert meta["ColumnType"] == column.get_column_type_display()
    assert meta["ArticleTitle"] == article.title
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", meta["PubDate"])
    assert meta["ContentSource"] == article.source
    assert meta["Author"] == article.author
    assert meta["Description"] == article.summary
    assert meta["Keywords"] == article.keywords
    assert meta["Url"] == f"http://jia.localhost:8000{path_of(article)}"


def test_column_metadata_and_open_graph(site_client):
    column = pages_of("main", ColumnPage).get(slug="tzgg")
    response = site_client("main").get(path_of(column))
    doc = outline(response)
    meta = doc.meta()
    assert meta["ColumnName"] == "通知公告"
    assert meta["ColumnType"] == "通知公告"
    assert "ArticleTitle" not in meta
    og = {a["property"]: a["content"] for a in doc.all("meta") if "property" in a}
    assert og["og:title"] == "通知公告"
    assert og["og:site_name"] == "国家税务总局示例省税务局"


def test_navigation_marks_the_current_column(site_client):
    article = pages_of("main", ArticlePage).filter(url_path__contains="/gzdt/").first()
    doc = outline(site_client("main").get(path_of(article)))
    current = [a for a in doc.all("a") if a.get("aria-current")]
    nav_current = [a for a in current if a["href"] == "/gzdt/"]
    assert nav_current and nav_current[0]["aria-current"] == "true"
    column_doc = outline(site_client("main").get("/gzdt/"))
    assert any(a.get("aria-current") == "page" and a["href"] == "/gzdt/" for a in column_doc.all("a"))


def test_menu_shows_the_sites_top_level_columns_only(site_client):
    html = site_client("jia").get("/").content.decode()
    nav = html.split('aria-label="主导航"')[1].split("</nav>")[0]
    for title in ["工作动态", "通知公告", "政府信息公开", "纳税服务"]:
        assert f">{title}</a>" in nav
    assert "办税服务厅" not in nav  # second-level columns stay out of the top menu
    assert "专题专栏" not in nav  # the provincial site's column


def test_breadcrumbs_lead_home(site_client):
    article = pages_of("main", ArticlePage).filter(url_path__contains="/gzdt/swyw/").first()
    html = site_client("main").get(path_of(article)).content.decode()
    crumbs = html.split('aria-label="当前位置"')[1].split("</nav>")[0]
    assert '<a href="/">首页</a>' in crumbs
    assert '<a href="/gzdt/">工作动态</a>' in crumbs
    assert '<a href="/gzdt/swyw/">税务要闻</a>' in crumbs
    assert f'<span aria-current="page">{article.title}</span>' in crumbs


def test_column_lists_articles_below_it_newest_first_with_pagination(site_client):
    column = pages_of("main", ColumnPage).get(slug="gzdt")
    articles = list(ArticlePage.objects.live().descendant_of(column).order_by("-date"))
    html = site_client("main").get("/gzdt/").content.decode()
    positions = [html.index(a.title) for a in articles[: min(5, len(articles))]]
    assert positions == sorted(positions)
    assert "[税务要闻]" in html  # each item says which sub-column it sits in


@pytest.mark.parametrize("page_param", ["abc", "-1", "0", "99999", "1.5", "%00"])
def test_bad_page_numbers_never_crash(site_client, page_param):
    response = site_client("main").get(f"/gzdt/?page={page_param}")
    assert response.status_code == 200


def test_pagination_pages_through_a_long_column(site_client):
    column = pages_of("main", ColumnPage).get(slug="swyw")
    for n in range(25):
        column.add_child(instance=ArticlePage(title=f"分页测试文章{n:02d}", slug=f"page-test-{n}", body="[]"))
    first = site_client("main").get("/gzdt/swyw/").content.decode()
    assert 'aria-label="分页"' in first and 'rel="next"' in first
    second = site_client("main").get("/gzdt/swyw/?page=2").content.decode()
    assert 'aria-current="page">2<' in second


def test_the_column_total_counts_policies_and_leaves_out_drafts_and_restricted_pages(site_client):
    from wagtail.models import PageViewRestriction

    from home.models import PolicyDocumentPage

    column = pages_of("main", ColumnPage).get(slug="swyw")
    for n in range(23):
        column.add_child(instance=ArticlePage(title=f"计数文章{n:02d}", slug=f"count-{n}", body="[]"))
    column.add_child(
        instance=PolicyDocumentPage(title="计数政策", slug="count-policy", body="[]", issuing_body="示例省税务局")
    )
    column.add_child(instance=ArticlePage(title="计数草稿", slug="count-draft", body="[]", live=False))
    restricted = column.add_child(instance=ArticlePage(title="计数受限", slug="count-restricted", body="[]"))
    PageViewRestriction.objects.create(page=restricted, restriction_type=PageViewRestriction.LOGIN)
    shown = ArticlePage.objects.live().public().descendant_of(column).count()
    assert shown == len(ArticlePage.objects.live().descendant_of(column)) - 1  # the restricted one
    html = site_client("main").get("/gzdt/swyw/").content.decode()
    pages = -(-shown // column.per_page)
    assert f"第 1 页，共 {pages} 页（{shown} 条）" in html


def test_home_page_shows_notices_featured_columns_and_quick_links(site_client):
    home = pages_of("main", HomePage).get()
    html = site_client("main").get("/").content.decode()
    latest_notice = ArticlePage.objects.live().descendant_of(home.notice_column).order_by("-date").first()
    assert latest_notice.title in html
    for item in home.featured_columns.all():
        assert f">{item.column.title}</h2>" in html
    assert "电子税务局" in html and "https://etax.tax-shili.example/" in html


def test_sitemap_page_lists_columns_and_standard_pages(site_client):
    html = site_client("main").get("/sitemap/").content.decode()
    for title in ["工作动态", "税务要闻", "政府信息公开", "信息公开年报", "无障碍声明", "联系我们"]:
        assert f">{title}</a>" in html, title
    some_article = pages_of("main", ArticlePage).first()
    assert some_article.title not in html


def test_draft_and_expired_pages_are_not_public(site_client):
    article = pages_of("yi", ArticlePage).first()
    path = path_of(article)
    article.unpublish()
    assert site_client("yi").get(path).status_code == 404
    column_html = site_client("yi").get(path_of(article.get_parent())).content.decode()
    assert article.title not in column_html


def test_tree_rules_keep_the_tree_sane():
    home = HomePage.objects.first()
    column = ColumnPage.objects.first()
    article = ArticlePage.objects.first()
    assert not ArticlePage.can_create_at(home)
    assert ArticlePage.can_create_at(column)
    assert ColumnPage.can_create_at(home) and ColumnPage.can_create_at(column)
    assert not ColumnPage.can_create_at(article)
    assert not SitemapPage.can_create_at(home)  # one per site, and the demo site has it
    assert not HomePage.can_create_at(home)
