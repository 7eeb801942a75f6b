"""Editorial work (issue #7): roles per site, the 发布审核 workflow and its mail, the 本站待办
dashboard panel, scheduled publishing and the audit of permission changes."""

from datetime import timedelta
from html.parser import HTMLParser
from io import StringIO
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    ModelLogEntry,
    Page,
    PageLogEntry,
    Task,
    Workflow,
    WorkflowPage,
    WorkflowState,
    WorkflowTask,
)

from correspondence.models import Letter
from demo.files import make_image, make_pdf
from editorial.roles import group_name
from home.models import SitemapPage
from portal.models import PortalDocument, PortalImage
from tests.helpers import deliver_queued_mail, site_of

pytestmark = pytest.mark.django_db
User = get_user_model()
PASSWORDS = {"jia_editor": "demo-jia-2026", "jia_reviewer": "demo-jia-reviewer-2026"}


def staff(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def sitemap(key: str) -> SitemapPage:
    """A page of the site with a form that posts without JavaScript (no StreamField)."""
    return SitemapPage.objects.descendant_of(site_of(key).root_page).get(locale__language_code="zh-hans")


class FormFields(HTMLParser):
    """The values a browser would post from the page editor's form."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self.textarea = None
        self.select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.data.setdefault(name, []).append(attrs.get("value") or "")
        elif tag == "textarea" and name:
            self.textarea = name
            self.data[name] = [""]
        elif tag == "select" and name:
            self.data.setdefault(name, [])
            self.select = name
        elif tag == "option" and "selected" in attrs and self.select:
            self.data[self.select].append(attrs.get("value") or "")

    def handle_data(self, data):
        if self.textarea:
            self.data[self.textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self.textarea = None
        elif tag == "select":
            self.select = None


def form_values(url: str) -> dict:
    parser = FormFields()
    parser.feed(staff("admin").get(url).content.decode())
    return {key: value for key, value in parser.data.items() if key != "csrfmiddlewaretoken"}


def edit_form(page: Page, **changes) -> dict:
    return {**form_values(f"/admin/pages/{page.pk}/edit/"), **changes}


def save(client: Client, page: Page, action: str = "", **changes):
    data = edit_form(page, **changes)
    if action:
        data[f"action-{action}"] = action
    return client.post(f"/admin/pages/{page.pk}/edit/", data)


# ---- roles: the permission matrix -------------------------------------------------------
ROLES = ["editor", "reviewer", "secrecy", "admin"]
MAY = {
    # role: (view the editor, save a draft, publish) in their own site; nothing elsewhere
    "editor": (True, True, False),
    "reviewer": (True, True, True),
    "secrecy": (False, False, False),  # only while a page waits on their workflow step
    "admin": (True, True, True),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("where", ["own", "other"])
@pytest.mark.parametrize("action", ["view", "edit", "publish"])
def test_permission_matrix(role, where, action):
    client = staff(f"jia_{role}")
    page = sitemap("jia" if where == "own" else "yi")
    allowed = MAY[role][["view", "edit", "publish"].index(action)] and where == "own"
    if action == "view":
        response = client.get(f"/admin/pages/{page.pk}/edit/")
        assert (response.status_code == 200) is allowed
        return
    new_title = f"网站地图（{role}{action}）"
    save(client, page, action="publish" if action == "publish" else "", title=new_title)
    page.refresh_from_db()
    latest = page.get_latest_revision_as_object().title
    if action == "edit":
        assert (latest == new_title) is allowed
        assert page.title != new_title  # a draft: the live page is unchanged
    else:
        assert (page.title == new_title) is allowed


def test_the_main_site_has_provincial_groups_and_their_accounts():
    main = site_of("main")
    for role in ROLES:
        group = Group.objects.get(name=group_name(main, role))
        assert group.name.startswith("示例省税务局·")
        user = User.objects.get(username=f"sheng_{role}")
        assert list(user.groups.all()) == [group]
        assert user.email == f"sheng_{role}@tax-shili.example"
    editor = staff("sheng_editor")
    assert editor.get(f"/admin/pages/{sitemap('main').pk}/edit/").status_code == 200
    assert editor.get(f"/admin/pages/{sitemap('jia').pk}/edit/").status_code != 200


def test_demo_city_editor_keeps_the_password():
    for username, password in PASSWORDS.items():
        assert User.objects.get(username=username).check_password(password)


# ---- images, documents and letters of another site -------------------------------------
def test_a_city_editor_uploads_to_their_collection_only():
    client = staff("jia_editor")
    own = Collection.objects.get(name="甲市税务局")
    other = Collection.objects.get(name="乙市税务局")
    png = make_image("上传", palette="blue", seed="editorial", width=320, height=200)
    response = client.post(
        "/admin/images/add/",
        {"title": "甲市上传", "file": SimpleUploadedFile("a.png", png), "collection": own.pk},
    )
    assert response.status_code == 302
    assert PortalImage.objects.filter(title="甲市上传", collection=own).exists()
    # with one collection allowed, Wagtail files the upload there whatever the form says
    client.post(
        "/admin/images/add/",
        {"title": "乙市上传", "file": SimpleUploadedFile("b.png", png), "collection": other.pk},
    )
    assert not PortalImage.objects.filter(collection=other, title="乙市上传").exists()
    pdf = make_pdf("上传文件", ["正文"], issuer="甲市税务局")
    response = client.post(
        "/admin/documents/add/",
        {"title": "甲市文件", "file": SimpleUploadedFile("a.pdf", pdf), "collection": own.pk},
    )
    assert response.status_code == 302
    assert PortalDocument.objects.filter(title="甲市文件", collection=own).exists()


def test_a_city_editor_sees_only_their_images_and_documents():
    client = staff("jia_editor")
    own_image = PortalImage.objects.filter(collection__name="甲市税务局").order_by("-created_at").first()
    # another site's file with a title of its own (each site has a 党政机关网站标识 of the same title)
    own_titles = PortalImage.objects.filter(collection__name="甲市税务局").values("title")
    other_image = PortalImage.objects.filter(collection__name="乙市税务局").exclude(title__in=own_titles).first()
    own_document = PortalDocument.objects.filter(collection__name="甲市税务局").order_by("-created_at").first()
    own_document_titles = PortalDocument.objects.filter(collection__name="甲市税务局").values("title")
    other_document = (
        PortalDocument.objects.filter(collection__name="乙市税务局").exclude(title__in=own_document_titles).first()
    )
    images = client.get("/admin/images/").content.decode()
    assert own_image.title in images and other_image.title not in images
    chooser = client.get("/admin/images/chooser/").json()["html"]
    assert own_image.title in chooser and other_image.title not in chooser
    documents = client.get("/admin/documents/").content.decode()
    assert own_document.title in documents and other_document.title not in documents
    chooser = client.get("/admin/documents/chooser/").json()["html"]
    assert own_document.title in chooser and other_document.title not in chooser
    assert client.get(f"/admin/images/{other_image.pk}/").status_code != 200
    assert client.get(f"/admin/documents/edit/{other_document.pk}/").status_code != 200


def test_a_city_editor_cannot_see_another_sites_letters():
    client = staff("jia_editor")
    other = Letter.objects.filter(site=site_of("yi")).first()
    own = Letter.objects.filter(site=site_of("jia")).first()
    listing = client.get("/admin/letters/").content.decode()
    assert own.code in listing and other.code not in listing
    assert client.get(f"/admin/letters/{other.pk}/").status_code == 404


def test_reviewers_and_secrecy_reviewers_do_not_handle_letters():
    for username in ("jia_reviewer", "jia_secrecy"):
        assert staff(username).get("/admin/letters/").status_code in (302, 403)


# ---- the workflow ------------------------------------------------------------------------
def submit(page: Page, title: str, username: str = "jia_editor", **changes):
    return save(staff(username), page, action="submit", title=title, **changes)


def act(username: str, page: Page, action: str, comment: str = ""):
    state = Page.objects.get(pk=page.pk).current_workflow_task_state
    data = {"comment": comment} if comment or action == "reject" else {}
    return staff(username).post(f"/admin/pages/workflow/action/{page.pk}/{action}/{state.pk}/", data)


def recipients(mailoutbox) -> set[str]:
    """Who was mailed: the sender delivers what the workflow queued, then each message's addresses."""
    deliver_queued_mail()
    return {address for message in mailoutbox for address in message.to}


def test_the_workflow_moves_through_each_step_and_publishes(mailoutbox):
    page = sitemap("jia")
    submit(page, "网站地图（送审）")
    page.refresh_from_db()
    assert page.current_workflow_task.name == "甲市税务局·审核"
    assert page.title == "网站地图"  # not live yet
    # only the site's 审核 members are told, not superusers, not other sites' reviewers
    assert recipients(mailoutbox) == {"jia_reviewer@tax-shili.example"}
    mailoutbox.clear()

    act("jia_reviewer", page, "approve", comment="内容无误")
    page.refresh_from_db()
    assert page.current_workflow_task.name == "甲市税务局·保密审查"
    assert page.title == "网站地图"
    assert "jia_secrecy@tax-shili.example" in recipients(mailoutbox)
    mailoutbox.clear()

    # the confidentiality reviewer sees it on the dashboard, can open and preview it while it waits on them
    secrecy = staff("jia_secrecy")
    dashboard = secrecy.get("/admin/").content.decode()
    assert "甲市税务局·保密审查：1 篇待处理" in dashboard and f"/admin/pages/{page.pk}/edit/" in dashboard
    assert secrecy.get(f"/admin/pages/{page.pk}/edit/").status_code == 200
    task = Page.objects.get(pk=page.pk).current_workflow_task
    assert secrecy.get(f"/admin/pages/workflow/preview/{page.pk}/{task.pk}/").status_code == 200
    act("jia_secrecy", page, "approve")
    page.refresh_from_db()
    assert page.live and page.title == "网站地图（送审）"
    assert Page.objects.get(pk=page.pk).current_workflow_state is None
    assert "jia_editor@tax-shili.example" in recipients(mailoutbox)  # the submitter hears it went through
    actions = set(PageLogEntry.objects.filter(page=page).values_list("action", flat=True))
    assert {"wagtail.workflow.start", "wagtail.workflow.approve", "wagtail.publish"} <= actions


def test_the_last_approver_lands_on_the_dashboard_told_the_page_is_live():
    page = sitemap("jia")
    submit(page, "网站地图（终审）")
    act("jia_reviewer", page, "approve")
    page = Page.objects.get(pk=page.pk)
    assert page.current_workflow_task.name == "甲市税务局·保密审查"
    # 保密审查 approves the last step in the page editor, as the admin's 批准 button does
    data = {**edit_form(page), "action-workflow-action": "true", "workflow-action-name": "approve"}
    secrecy = staff("jia_secrecy")
    response = secrecy.post(f"/admin/pages/{page.pk}/edit/", data)
    assert response.status_code == 302 and response["Location"] == "/admin/"
    dashboard = secrecy.get(response["Location"])
    html = dashboard.content.decode()
    assert dashboard.status_code == 200 and "没有权限" not in html
    assert "“网站地图（终审）”已审核通过并发布。" in html
    page.refresh_from_db()
    assert page.live and page.title == "网站地图（终审）"
    assert f'href="{page.full_url}"' in html  # the published page, to check it


def test_an_approver_sent_back_the_page_lands_on_the_dashboard():
    page = sitemap("jia")
    submit(page, "网站地图（退回）")
    act("jia_reviewer", page, "approve")
    page = Page.objects.get(pk=page.pk)
    data = {
        **edit_form(page),
        "action-workflow-action": "true",
        "workflow-action-name": "reject",
        "workflow-action-extra-data": '{"comment": "涉密内容，请删除"}',
    }
    secrecy = staff("jia_secrecy")
    response = secrecy.post(f"/admin/pages/{page.pk}/edit/", data)
    assert response.status_code == 302 and response["Location"] == "/admin/"
    html = secrecy.get("/admin/").content.decode()
    assert "没有权限" not in html and "“网站地图（退回）”已退回修改。" in html
    assert Page.objects.get(pk=page.pk).title == "网站地图"


def test_a_reviewer_who_may_still_edit_stays_in_the_editor_flow():
    page = sitemap("jia")
    submit(page, "网站地图（初审）")
    page = Page.objects.get(pk=page.pk)
    data = {**edit_form(page), "action-workflow-action": "true", "workflow-action-name": "approve"}
    response = staff("jia_reviewer").post(f"/admin/pages/{page.pk}/edit/", data)
    assert response.status_code == 302 and response["Location"] == f"/admin/pages/{page.get_parent().pk}/"


def test_a_reviewer_of_another_site_cannot_act():
    page = sitemap("jia")
    submit(page, "网站地图（送审）")
    page.refresh_from_db()
    act("yi_reviewer", page, "approve")
    page.refresh_from_db()
    assert page.current_workflow_task.name == "甲市税务局·审核"


def test_a_rejected_page_stays_unpublished_and_the_submitter_is_told(mailoutbox):
    page = sitemap("jia")
    submit(page, "网站地图（有误）")
    deliver_queued_mail().clear()
    page.refresh_from_db()
    act("jia_reviewer", page, "reject", comment="标题有误，请修改")
    page.refresh_from_db()
    assert page.title == "网站地图"
    assert page.get_latest_revision_as_object().title == "网站地图（有误）"
    state = WorkflowState.objects.get(pk=page.workflow_states.latest("created_at").pk)
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert recipients(mailoutbox) == {"jia_editor@tax-shili.example"}
    assert "标题有误" in mailoutbox[0].body
    log = PageLogEntry.objects.filter(page=page, action="wagtail.workflow.reject").get()
    assert log.user.username == "jia_reviewer"


# ---- the dashboard panel -----------------------------------------------------------------
def test_the_dashboard_shows_what_waits_in_the_own_site():
    jia_page = sitemap("jia")
    submit(jia_page, "网站地图（待审）")
    yi_page = sitemap("yi")
    submit(yi_page, "乙市网站地图（待审）", username="yi_editor")
    html = staff("jia_reviewer").get("/admin/").content.decode()
    assert "本站待办" in html
    assert "甲市税务局·审核：1 篇待处理" in html
    assert f"/admin/pages/{jia_page.pk}/edit/" in html
    assert f"/admin/pages/{yi_page.pk}/edit/" not in html
    html = staff("yi_reviewer").get("/admin/").content.decode()
    assert "乙市税务局·审核：1 篇待处理" in html
    assert "甲市税务局·审核" not in html and f"/admin/pages/{jia_page.pk}/edit/" not in html


def test_the_dashboard_lists_returned_drafts_and_the_coming_week():
    page = sitemap("jia")
    submit(page, "网站地图（有误）")
    page.refresh_from_db()
    act("jia_reviewer", page, "reject", comment="请补充说明")
    article = page.get_parent().get_children().live().exclude(pk=page.pk).specific().first()
    article.expire_at = timezone.now() + timedelta(days=3)
    article.save()
    html = staff("jia_editor").get("/admin/").content.decode()
    assert "退回修改的稿件" in html and "请补充说明" in html
    assert "七日内生效或失效" in html and article.title in html


def test_the_dashboard_panel_stays_bounded(django_assert_max_num_queries):
    submit(sitemap("jia"), "网站地图（待审）")
    client = staff("jia_reviewer")
    client.get("/admin/")  # warm caches (site root paths, permissions)
    with django_assert_max_num_queries(60):
        assert client.get("/admin/").status_code == 200


# ---- scheduled publishing ----------------------------------------------------------------
def test_an_approved_page_with_a_go_live_date_waits_for_publish_scheduled():
    page = sitemap("jia")
    go_live = (timezone.now() + timedelta(days=2)).replace(second=0, microsecond=0)
    # the editor sets 生效日 (go-live) in the draft; the approval schedules it instead of publishing now
    submit(page, "网站地图（定时）", go_live_at=timezone.localtime(go_live).strftime("%Y-%m-%d %H:%M"))
    page.refresh_from_db()
    act("jia_reviewer", page, "approve")
    page.refresh_from_db()
    act("jia_secrecy", page, "approve")
    page.refresh_from_db()
    assert page.title == "网站地图"
    scheduled = page.scheduled_revision
    assert scheduled is not None and scheduled.approved_go_live_at == go_live
    html = staff("jia_editor").get("/admin/").content.decode()
    assert "七日内生效或失效" in html and "生效日" in html

    call_command("publish_scheduled", stdout=StringIO())
    page.refresh_from_db()
    assert page.title == "网站地图"  # not yet
    later = go_live + timedelta(minutes=5)  # the cron job's next run after 生效日
    with mock.patch("django.utils.timezone.now", return_value=later):
        call_command("publish_scheduled", stdout=StringIO())
    page.refresh_from_db()
    assert page.live and page.title == "网站地图（定时）"


def test_publish_scheduled_takes_an_expired_page_down():
    page = sitemap("yi")
    page.expire_at = timezone.now() - timedelta(minutes=1)
    page.save()
    call_command("publish_scheduled", stdout=StringIO())
    page.refresh_from_db()
    assert not page.live and page.expired
    assert PageLogEntry.objects.filter(page=page, action="wagtail.unpublish.scheduled").exists()


# ---- audit -------------------------------------------------------------------------------
def test_a_permission_change_in_the_group_editor_is_in_the_site_history():
    group = Group.objects.get(name=group_name(site_of("jia"), "secrecy"))
    admin = staff("admin")
    data = form_values(f"/admin/groups/edit/{group.pk}/")
    # grant 编辑 on the site's home page through the page permissions panel
    home = site_of("jia").root_page
    change_page = Permission.objects.get(content_type__app_label="wagtailcore", codename="change_page")
    prefix = "page_permissions"
    count = int(data[f"{prefix}-TOTAL_FORMS"][0])
    data[f"{prefix}-TOTAL_FORMS"] = str(count + 1)
    data[f"{prefix}-{count}-page"] = str(home.pk)
    data[f"{prefix}-{count}-permissions"] = ["change_page"]
    response = admin.post(f"/admin/groups/edit/{group.pk}/", data)
    assert response.status_code == 302, response.context["form"].errors
    assert GroupPagePermission.objects.filter(group=group, page=home, permission=change_page).exists()
    entry = ModelLogEntry.objects.filter(action="editorial.permission_added", object_id=str(group.pk)).latest("pk")
    assert entry.user.username == "admin"
    history = admin.get("/admin/reports/site-history/").content.decode()
    assert "授予权限" in history and "change_page" in history and group.name in history

    # and taking it away again is logged too
    data = form_values(f"/admin/groups/edit/{group.pk}/")
    data["page_permissions-0-DELETE"] = ["on"]
    assert admin.post(f"/admin/groups/edit/{group.pk}/", data).status_code == 302
    assert not GroupPagePermission.objects.filter(group=group).exists()
    assert ModelLogEntry.objects.filter(action="editorial.permission_removed", object_id=str(group.pk)).exists()
    assert "撤销权限" in admin.get("/admin/reports/site-history/").content.decode()


def test_group_membership_changes_are_logged():
    user = User.objects.get(username="jia_editor")
    group = Group.objects.get(name=group_name(site_of("jia"), "reviewer"))
    user.groups.add(group)
    user.groups.remove(group)
    actions = list(
        ModelLogEntry.objects.filter(object_id=str(user.pk), action__startswith="editorial.member").values_list(
            "action", "data"
        )
    )
    assert ("editorial.member_added", {"group": group.name, "group_id": group.pk}) in actions
    assert ("editorial.member_removed", {"group": group.name, "group_id": group.pk}) in actions


# ---- Wagtail's initial workflow and groups -----------------------------------------------
LEFTOVERS = ("Moderators approval", "Moderators", "Editors")


def test_wagtails_initial_workflow_and_groups_are_not_left_in_the_admin():
    assert not Workflow.objects.filter(name="Moderators approval").exists()
    assert not Task.objects.filter(name="Moderators approval").exists()
    assert not Group.objects.filter(name__in=["Moderators", "Editors"]).exists()
    admin = staff("admin")
    for url in ("/admin/workflows/list/", "/admin/workflows/tasks/index/", "/admin/groups/", "/admin/"):
        html = admin.get(url).content.decode()
        assert not [word for word in LEFTOVERS if word in html], url
    assert "甲市税务局 发布审核" in admin.get("/admin/workflows/list/").content.decode()


def wagtails_initial_setup() -> tuple[Workflow, GroupApprovalTask, Group, Group]:
    """What Wagtail's migrations create: two groups with rights over the whole tree and the
    Moderators' one-step workflow on the tree's root."""
    moderators, editors = Group.objects.create(name="Moderators"), Group.objects.create(name="Editors")
    root = Page.get_first_root_node()
    publish = Permission.objects.get(content_type__app_label="wagtailcore", codename="publish_page")
    GroupPagePermission.objects.create(group=moderators, page=root, permission=publish)
    task = GroupApprovalTask.objects.create(name="Moderators approval")
    task.groups.set([moderators])
    workflow = Workflow.objects.create(name="Moderators approval", active=True)
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.create(workflow=workflow, page=root)
    return workflow, task, moderators, editors


def test_setup_roles_removes_wagtails_unused_initial_workflow_and_groups():
    workflow, task, moderators, editors = wagtails_initial_setup()
    out = StringIO()
    call_command("setup_roles", stdout=out)
    assert not Workflow.objects.filter(pk=workflow.pk).exists() and not Task.objects.filter(pk=task.pk).exists()
    assert not Group.objects.filter(pk__in=[moderators.pk, editors.pk]).exists()
    assert not WorkflowPage.objects.filter(page__depth=1).exists()
    assert "Moderators approval" in out.getvalue()


def test_setup_roles_renames_wagtails_initial_workflow_and_groups_that_are_in_use():
    workflow, task, moderators, editors = wagtails_initial_setup()
    page = sitemap("jia")
    WorkflowPage.objects.create(workflow=workflow, page=page)  # an editor put it on a page
    member = User.objects.create_user("old_editor", password="x", is_staff=True)
    member.groups.set([editors])
    call_command("setup_roles", stdout=StringIO())
    workflow.refresh_from_db()
    task.refresh_from_db()
    moderators.refresh_from_db()
    editors.refresh_from_db()
    assert workflow.name == task.name == "全站审核员审批（Wagtail 初始）"
    assert WorkflowPage.objects.filter(workflow=workflow, page=page).exists()
    assert moderators.name == "全站审核员（Wagtail 初始）" and editors.name == "全站编辑（Wagtail 初始）"
    assert list(member.groups.all()) == [editors]
    call_command("setup_roles", stdout=StringIO())  # and again: nothing changes
    assert Workflow.objects.get(pk=workflow.pk).name == "全站审核员审批（Wagtail 初始）"


def test_setup_roles_keeps_wagtails_initial_workflow_once_a_page_went_through_it():
    workflow, task, moderators, _editors = wagtails_initial_setup()
    page = sitemap("jia")
    someone = User.objects.get(username="admin")
    workflow.start(page, someone).cancel(user=someone)
    call_command("setup_roles", stdout=StringIO())
    assert Workflow.objects.get(pk=workflow.pk).name == "全站审核员审批（Wagtail 初始）"
    assert Task.objects.get(pk=task.pk).name == "全站审核员审批（Wagtail 初始）"
    assert Group.objects.get(pk=moderators.pk).name == "全站审核员（Wagtail 初始）"  # its task's group


# ---- setup_roles -------------------------------------------------------------------------
def test_setup_roles_twice_creates_nothing_the_second_time():
    out = StringIO()
    call_command("setup_roles", stdout=out)
    assert "Nothing to do" in out.getvalue()


def test_setup_roles_folds_an_old_style_editors_group():
    jia = site_of("jia")
    old = Group.objects.create(name="甲市税务局编辑")
    portal_permission = Permission.objects.get(content_type__app_label="portal", codename="add_portalimage")
    GroupCollectionPermission.objects.create(
        group=old, collection=Collection.objects.get(name="甲市税务局"), permission=portal_permission
    )
    veteran = User.objects.create_user("jia_veteran", password="x", is_staff=True)
    veteran.groups.set([old])
    GroupCollectionPermission.objects.filter(group__name=group_name(jia, "editor")).delete()
    out = StringIO()
    call_command("setup_roles", "--site", "jia.localhost", stdout=out)
    assert "jia_veteran" in out.getvalue() and "add_image" in out.getvalue()
    assert not Group.objects.filter(name="甲市税务局编辑").exists()
    assert [group.name for group in veteran.groups.all()] == [group_name(jia, "editor")]
    assert veteran.has_perm("wagtailadmin.access_admin")
