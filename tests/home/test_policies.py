"""Policy documents and their interpretations (issue #3)."""

import json
import re

import pytest

from home.models import PolicyDocumentPage, PolicyInterpretationPage
from tests.helpers import chinese

pytestmark = pytest.mark.django_db


def path_of(page):
    return page.get_url_parts()[2]


def json_ld(html):
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))


def test_demo_has_enough_policies_and_interpretations():
    assert PolicyDocumentPage.objects.live().count() >= 12
    assert PolicyInterpretationPage.objects.live().count() >= 8
    assert PolicyDocumentPage.objects.filter(validity="expired").exists()


def test_policy_page_shows_its_identifiers(client):
    """In the 信息索引 block of the disclosure catalogue (disclosure/): the 发文机关 is the 发布机构."""
    policy = PolicyDocumentPage.objects.live().filter(validity="valid").exclude(document_number="").first()
    html = client.get(path_of(policy)).content.decode()
    for label, value in [
        ("索引号", policy.index_number),  # the 原索引号 the demo's policies carry, adopted by the catalogue
        ("发布机构", policy.issuing_body),
        ("文号", policy.document_number),
        ("成文日期", policy.written_date.strftime("%Y-%m-%d")),
        ("有效性", "有效"),
    ]:
        assert re.search(rf"<dt>{label}</dt><dd[^>]*>(<[^>]+>)*{re.escape(value)}", html), label
    assert "本文件已失效" not in html and "本文件已被修改" not in html


def document_information(html: str) -> list[list[str]]:
    """The policy's information block (文件信息) as a screen reader meets it: a list of
    groups, each the tags of the terms and values in it."""
    block = re.search(r'<dl class="doc-info[^"]*">(.*?)</dl>', html, re.S)
    assert block, "no document information list"
    groups = re.findall(r"<div[^>]*>(.*?)</div>", block.group(1), re.S)
    assert re.sub(r"<div[^>]*>.*?</div>", "", block.group(1), flags=re.S).strip() == ""  # nothing outside a group
    return [re.findall(r"<(dt|dd|th|td)\b", group) for group in groups]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_document_information_pairs_each_label_with_its_value(client, language):
    """Each label is announced with its own value: one term and one value per group, never
    two pairs in one table row (which screen readers read as one row of four cells)."""
    policies = PolicyDocumentPage.objects.live().filter(locale__language_code=language)
    assert policies.exists()
    for policy in policies:
        html = client.get(path_of(policy)).content.decode()
        assert "doc-info" in html
        groups = document_information(html)
        assert len(groups) == 10, path_of(policy)  # the 信息索引: 索引号 … 有效性
        assert all(tags == ["dt", "dd"] for tags in groups), (path_of(policy), groups)


def test_expired_policy_says_so_and_links_its_replacement(client):
    policy = PolicyDocumentPage.objects.live().filter(validity="expired", replaced_by__isnull=False).first()
    html = client.get(path_of(policy)).content.decode()
    notice = html.split('role="note"')[1].split("</div>")[0]
    assert "本文件已失效" in notice
    assert f'href="{path_of(policy.replaced_by)}"' in notice
    assert html.index("本文件已失效") < html.index("<h1>")  # before anything else
    assert '<strong class="validity validity--expired">失效</strong>' in html


def test_amended_policy_is_marked(client):
    policy = PolicyDocumentPage.objects.live().filter(validity="amended").first()
    assert "本文件已被修改" in client.get(path_of(policy)).content.decode()


def test_policy_lists_its_interpretations_and_back(client):
    interpretation = PolicyInterpretationPage.objects.live().first()
    policies = PolicyDocumentPage.objects.filter(interpretation_links__page=interpretation)
    html = client.get(path_of(interpretation)).content.decode()
    for policy in policies:
        assert f'href="{path_of(policy)}">{policy.title}</a>' in html
        if policy.document_number:
            assert f"（{policy.document_number}）" in html
        policy_html = client.get(path_of(policy)).content.decode()
        section = policy_html.split('id="interpretations-title"')[1]
        assert f'href="{path_of(interpretation)}">{interpretation.title}</a>' in section
        assert interpretation.get_kind_display() in section


def test_an_interpretation_can_explain_several_policies(client):
    multi = next(i for i in PolicyInterpretationPage.objects.live() if i.policy_links.count() > 1)
    html = client.get(path_of(multi)).content.decode()
    assert html.count('class="validity validity--') >= 2


def test_unpublished_interpretations_are_not_listed(client):
    interpretation = PolicyInterpretationPage.objects.live().first()
    policy = interpretation.policy_links.first().policy
    interpretation.unpublish()
    assert interpretation.title not in client.get(path_of(policy)).content.decode()


def test_policy_and_interpretation_json_ld(client):
    policy = PolicyDocumentPage.objects.live().filter(validity="expired").first()
    data = json_ld(client.get(path_of(policy)).content.decode())
    assert data["@type"] == "Legislation"
    assert data["name"] == policy.title
    assert data["legislationLegalForce"] == "NotInForce"
    assert data["legislationPassedBy"]["name"] == policy.issuing_body
    if policy.document_number:
        assert data["legislationIdentifier"] == policy.document_number
    interpretation = PolicyInterpretationPage.objects.live().first()
    data = json_ld(client.get(path_of(interpretation)).content.decode())
    assert data["@type"] == "Article" and data["headline"] == interpretation.title
    assert data["about"] and all(item["@type"] == "Legislation" for item in data["about"])


def test_articles_carry_article_json_ld(client):
    from home.models import ArticlePage

    article = ArticlePage.objects.live().exact_type(ArticlePage).first()
    data = json_ld(client.get(path_of(article)).content.decode())
    assert data["@type"] == "Article"
    assert data["headline"] == article.title
    assert data["publisher"]["@type"] == "GovernmentOrganization"
    assert re.match(r"\d{4}-\d{2}-\d{2}T", data["datePublished"])


def test_policy_column_lists_policies_newest_first(client):
    html = client.get("/zcwj/").content.decode()
    policies = list(chinese(PolicyDocumentPage.objects.live()).order_by("-date")[:5])
    positions = [html.index(p.title) for p in policies]
    assert positions == sorted(positions)
