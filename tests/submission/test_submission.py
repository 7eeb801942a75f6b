"""信息报送: a city article submitted to a column of the provincial (main) site appears there
only after the main site's reviewers approve it, shows its source and links back; later
edits of the original go back to review instead of replacing the live text."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from wagtail.models import (
    GroupApprovalTask,
    GroupPagePermission,
    PageLogEntry,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from home.models import ArticlePage, ColumnPage
from submission.models import Submission
from tests.helpers import deliver_queued_mail

pytestmark = pytest.mark.django_db

User = get_user_model()


@pytest.fixture
def main_home():
    return Site.objects.get(is_default_site=True).root_page


@pytest.fixture
def news(main_home):
    return ColumnPage.objects.descendant_of(main_home).get(slug="swyw")


@pytest.fixture
def jia_article():
    root = Site.objects.get(hostname="jia.localhost").root_page
    # one that the demo has not submitted yet
    return ArticlePage.objects.live().descendant_of(root).exact_type(ArticlePage).get(slug="donghu-visit-manufacturers")


@pytest.fixture
def reviewer(main_home):
    """A main-site reviewer in the one task of a workflow assigned to the main site's tree."""
    group = Group.objects.create(name="测试·省局审核")
    group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    for permission_type in ("change", "publish"):  # approving the last task publishes the page
        GroupPagePermission.objects.create(group=group, page=main_home, permission_type=permission_type)
    workflow = Workflow.objects.create(name="省局审核流程")
    task = GroupApprovalTask.objects.create(name="省局审核")
    task.groups.set([group])
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.update_or_create(page=main_home, defaults={"workflow": workflow})
    user = User.objects.create_user("test_reviewer", email="reviewer@tax-shili.example", password="x", is_staff=True)
    user.groups.add(group)
    return user


@pytest.fixture
def no_workflow():
    """No workflow anywhere (not even Wagtail's default one on the root page)."""
    WorkflowPage.objects.all().delete()


def login(client, username):
    client.force_login(User.objects.get(username=username))
    return client


def submit_url(page):
    return reverse("submission_admin:submit", args=[page.pk])


def submit(client, page, column, note=""):
    return client.post(submit_url(page), {"column": column.pk, "note": note})


def approve(client, copy):
    task_state = copy.current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[copy.pk, "approve", task_state.pk])
    return client.post(url, {"comment": ""})


def test_menu_item_on_a_city_article_for_its_editor_only(client, jia_article, news):
    login(client, "jia_editor")
    html = client.get(reverse("wagtailadmin_pages:edit", args=[jia_article.pk])).content.decode()
    assert "报送省局网站" in html and submit_url(jia_article) in html

    client.force_login(User.objects.filter(is_superuser=True).first())
    main_article = ArticlePage.objects.live().child_of(news).first()
    html = client.get(reverse("wagtailadmin_pages:edit", args=[main_article.pk])).content.decode()
    assert "报送省局网站" not in html
    assert client.get(submit_url(main_article)).status_code == 404

    login(client, "yi_editor")  # an editor of another site cannot edit the page, nor submit it
    assert client.get(reverse("wagtailadmin_pages:edit", args=[jia_article.pk])).status_code in (302, 403)
    assert client.get(submit_url(jia_article)).status_code == 403
    assert submit(client, jia_article, news).status_code == 403
    assert not Submission.objects.filter(source_page=jia_article).exists()


def test_submitted_article_appears_on_main_site_only_after_approval(client, site_client, jia_article, news, mailoutbox):
    """Through the main site's own 发布审核 workflow (editorial.roles): 审核, then 保密审查."""
    login(client, "jia_editor")
    form = client.get(submit_url(jia_article)).content.decode()
    assert "税务要闻" in form
    response = submit(client, jia_article, news, note="请审核")
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[jia_article.pk]), response["Location"]
    submission = Submission.objects.get(source_page=jia_article, target_column=news)
    assert submission.status == "in_review" and submission.submitted_by.username == "jia_editor"
    copy = submission.copy.specific
    assert copy.get_parent().pk == news.pk and not copy.live and copy.owner.username == "jia_editor"

    main = site_client("main")
    copy_path = copy.get_url_parts()[2]
    assert main.get(copy_path).status_code == 404
    assert jia_article.title not in main.get(news.get_url_parts()[2]).content.decode()

    # the main site's reviewers are told, and find it in their queue
    reviewer = User.objects.get(username="sheng_reviewer")
    assert any(reviewer.email in mail.to for mail in deliver_queued_mail())
    reviewer_client = site_client("main")
    reviewer_client.force_login(reviewer)
    assert jia_article.title in reviewer_client.get(reverse("wagtailadmin_home")).content.decode()
    assert approve(reviewer_client, copy).status_code == 302
    # 审核 passed: still waiting for 保密审查, still not public
    submission.refresh_from_db()
    assert submission.status == "in_review" and main.get(copy_path).status_code == 404

    secrecy_client = site_client("main")
    secrecy_client.force_login(User.objects.get(username="sheng_secrecy"))
    assert approve(secrecy_client, copy).status_code == 302
    submission.refresh_from_db()
    assert submission.status == "accepted"
    html = main.get(copy_path).content.decode()
    assert jia_article.title in html
    assert "来源：国家税务总局甲市税务局" in html
    assert f'href="{jia_article.get_full_url()}"' in html and "查看原文" in html
    assert jia_article.get_full_url().startswith("http://jia.localhost")
    assert jia_article.title in main.get(news.get_url_parts()[2]).content.decode()
    assert PageLogEntry.objects.filter(page=copy, action="submission.accept").exists()
    # the original says where it was taken up
    assert "已被省局网站采用" in site_client("jia").get(jia_article.get_url_parts()[2]).content.decode()


def test_rejected_submission_stays_unpublished(client, site_client, jia_article, news, reviewer):
    login(client, "jia_editor")
    submit(client, jia_article, news)
    submission = Submission.objects.get(source_page=jia_article)
    copy = submission.copy.specific
    copy.current_workflow_task_state.reject(user=reviewer)
    submission.refresh_from_db()
    assert submission.status == "returned"
    assert site_client("main").get(copy.get_url_parts()[2]).status_code == 404
    listing = client.get(reverse("submission_admin:index")).content.decode()
    assert jia_article.title in listing and "已退回" in listing


def test_republished_original_goes_back_to_review(client, site_client, jia_article, news, reviewer):
    login(client, "jia_editor")
    submit(client, jia_article, news)
    submission = Submission.objects.get(source_page=jia_article)
    copy = submission.copy.specific
    copy.current_workflow_task_state.approve(user=reviewer)
    old_title = jia_article.title

    draft = jia_article.get_latest_revision_as_object()
    draft.title = "东湖区税务局走访制造业企业（更新）"
    draft.save_revision(user=User.objects.get(username="jia_editor")).publish()

    submission.refresh_from_db()
    copy.refresh_from_db()
    assert submission.status == "re_review"
    assert copy.live and copy.title == old_title  # the live copy keeps the approved text
    assert copy.get_latest_revision_as_object().title == "东湖区税务局走访制造业企业（更新）"
    assert copy.workflow_in_progress
    main = site_client("main")
    html = main.get(copy.get_url_parts()[2]).content.decode()
    assert old_title in html and "（更新）" not in html

    reviewer_client = site_client("main")
    reviewer_client.force_login(reviewer)
    approve(reviewer_client, copy)
    submission.refresh_from_db()
    assert submission.status == "accepted"
    assert "东湖区税务局走访制造业企业（更新）" in main.get(copy.get_url_parts()[2]).content.decode()


def test_second_submission_to_the_same_column_is_refused(client, jia_article, news, reviewer):
    login(client, "jia_editor")
    submit(client, jia_article, news)
    response = submit(client, jia_article, news)
    assert response.status_code == 400
    assert "已报送到此栏目，当前状态：审核中" in response.content.decode()
    assert Submission.objects.filter(source_page=jia_article).count() == 1
    assert ArticlePage.objects.child_of(news).filter(title=jia_article.title).count() == 1


def test_invalid_form_saves_nothing(client, jia_article, news):
    login(client, "jia_editor")
    pages_before = news.get_children().count()
    response = client.post(submit_url(jia_article), {"column": "", "note": "x"})
    assert response.status_code == 400
    assert "请选择省局网站的目标栏目" in response.content.decode()
    city_column = jia_article.get_parent()  # a city column is not a choice
    response = client.post(submit_url(jia_article), {"column": city_column.pk})
    assert response.status_code == 400
    assert "请选择省局网站中可以接收该文章的栏目" in response.content.decode()
    assert not Submission.objects.filter(source_page=jia_article).exists()
    assert news.get_children().count() == pages_before


def test_without_a_workflow_the_main_site_editors_publish_it(client, site_client, jia_article, news, no_workflow):
    login(client, "jia_editor")
    response = client.post(submit_url(jia_article), {"column": news.pk}, follow=True)
    assert "省局网站未设置审批流程" in response.content.decode()
    submission = Submission.objects.get(source_page=jia_article)
    assert submission.status == "in_review" and submission.workflow_name == ""
    copy = submission.copy.specific
    assert not copy.live
    admin = User.objects.filter(is_superuser=True).first()
    copy.get_latest_revision().publish(user=admin)
    submission.refresh_from_db()
    assert submission.status == "accepted"
    assert "来源：国家税务总局甲市税务局" in site_client("main").get(copy.get_url_parts()[2]).content.decode()


def test_listing_is_scoped_and_exports_neutralised_cells(client, jia_article, news, no_workflow):
    login(client, "jia_editor")
    submit(client, jia_article, news, note="=HYPERLINK(1)")
    jia_listing = client.get(reverse("submission_admin:index")).content.decode()
    assert jia_article.title in jia_listing
    assert "乙市税务局走访重点企业" not in jia_listing  # the demo's 乙市 submission
    export = client.get(reverse("submission_admin:index") + "?export=csv")
    assert export.content.startswith(b"\xef\xbb\xbf")  # a BOM: Excel reads the Chinese as UTF-8
    csv = export.content.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in csv and "报送说明" in csv

    client.force_login(User.objects.filter(is_superuser=True).first())
    listing = client.get(reverse("submission_admin:index")).content.decode()
    assert jia_article.title in listing and "乙市税务局走访重点企业" in listing
    accepted = client.get(reverse("submission_admin:index") + "?status=accepted").content.decode()
    assert "甲市税务局推出2026年" in accepted and jia_article.title not in accepted

    client.force_login(User.objects.create_user("nobody", password="x", is_staff=True))
    assert client.get(reverse("submission_admin:index")).status_code in (302, 403)


def test_demo_submissions(site_client, news):
    jia = Submission.objects.get(source_page__slug="chunfeng-second-batch", target_column=news)
    yi = Submission.objects.get(source_page__slug="visit-key-enterprises", target_column=news)
    assert jia.status == "accepted" and jia.copy.live
    assert yi.status == "in_review" and not yi.copy.live
    html = site_client("main").get(jia.copy.get_url_parts()[2]).content.decode()
    assert "来源：国家税务总局甲市税务局" in html and "查看原文" in html


def republish(page, title):
    draft = page.get_latest_revision_as_object()
    draft.title = title
    draft.save_revision(user=User.objects.get(username="jia_editor")).publish()


def test_returned_or_pending_copy_gets_the_new_text_for_review(client, jia_article, news, reviewer):
    login(client, "jia_editor")
    submit(client, jia_article, news)
    submission = Submission.objects.get(source_page=jia_article)
    copy = submission.copy.specific
    copy.current_workflow_task_state.reject(user=reviewer)

    republish(jia_article, "修改后再次报送")  # returned: the workflow resumes with the new text
    submission.refresh_from_db()
    copy.refresh_from_db()
    assert submission.status == "re_review" and copy.workflow_in_progress and not copy.live
    assert copy.get_latest_revision_as_object().title == "修改后再次报送"

    republish(jia_article, "审核期间又改了一次")  # still in review: the reviewers see the latest text
    copy.refresh_from_db()
    assert copy.workflow_in_progress
    assert copy.get_latest_revision_as_object().title == "审核期间又改了一次"
    assert PageLogEntry.objects.filter(page=copy, action="submission.resubmit").count() == 2
    copy.current_workflow_task_state.approve(user=reviewer)
    copy.refresh_from_db()
    assert copy.live and copy.title == "审核期间又改了一次"
