"""Online interviews: pages, questions and moderation, the host console, guest links,
the polling endpoint and the archive."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from interviews import services
from interviews.models import Entry, GuestInvitation, InterviewPage, Question, Status
from tests.helpers import answered_form, url_of


def demo_interviews(status: str) -> list[InterviewPage]:
    pages = InterviewPage.objects.live().filter(locale__language_code="zh-hans").order_by("scheduled_start")
    return [page for page in pages if page.status() == status]


@pytest.fixture
def upcoming(db) -> InterviewPage:
    return demo_interviews(Status.UPCOMING)[0]


@pytest.fixture
def archived(db) -> InterviewPage:
    """The archived interview with the most questions (it has a written reply, a corrected
    answer and a rejected question)."""
    return max(demo_interviews(Status.ENDED), key=lambda page: page.questions.count())


@pytest.fixture
def host_client(db):
    client = Client(HTTP_HOST="localhost:8000")
    client.force_login(get_user_model().objects.get(username="host"))
    return client


def poll(client, page, since=0, **headers):
    return client.get(reverse("interviews:transcript", args=(page.pk,)), {"since": since}, **headers)


def question_data(client, page, **changes) -> dict:
    return {
        **answered_form(client, url_of(page) + "ask/"),
        "name": "乙市会计小周",
        "content": "请问优化办税缴费服务的措施里，跨区域涉税事项报告能否全程网上办理？",
        **changes,
    }


def ask(client, page, **changes):
    return client.post(url_of(page) + "ask/", question_data(client, page, **changes))


def go_live(page):
    services.start(page, None)
    page.refresh_from_db()
    return page


# ---- pages -----------------------------------------------------------------------------
def test_index_lists_upcoming_and_archive_by_year(client, upcoming, archived):
    index = upcoming.get_parent()
    html = client.get(url_of(index)).content.decode()
    assert "访谈预告" in html and upcoming.title in html
    assert archived.title in html
    year = timezone.localtime(archived.scheduled_start).year
    assert client.get(url_of(index), {"year": year}).status_code == 200
    # Not a year: an address that names no listing (portal/params.py), never a 500.
    assert client.get(url_of(index), {"year": "abc"}).status_code == 404


def test_upcoming_page_announces_topic_guests_and_invites_questions(client, upcoming):
    html = client.get(url_of(upcoming)).content.decode()
    assert "预告" in html
    for link in upcoming.guest_links.select_related("guest"):
        assert link.guest.name in html and link.guest.photo_alt in html
    assert 'href="' + url_of(upcoming) + 'ask/"' in html
    assert "interview.js" in html  # live updates once it starts
    assert "刷新页面，查看最新访谈内容" in html  # and a refresh link without JavaScript


def test_archive_shows_the_whole_transcript_printable_without_polling(client, archived):
    response = client.get(url_of(archived))
    html = response.content.decode()
    assert "已结束" in html and "interview.js" not in html
    entries = archived.entries.filter(hidden=False)
    for entry in entries:
        assert entry.text.split("\n")[0][:20] in html
    assert "会后书面答复" in html
    assert "打印文字实录" in html
    assert 'class="pinned"' in html and "置顶" in html
    if archived.entries.filter(edited_at__isnull=False).exists():
        assert "修改）" in html
    for rejected in archived.questions.filter(moderation=Question.Moderation.REJECTED):
        assert rejected.content[:20] not in html


def test_interview_and_policy_link_both_ways(client, archived):
    policy = archived.policy_links.first().policy
    interview_html = client.get(url_of(archived)).content.decode()
    assert policy.title in interview_html
    policy_html = client.get(url_of(policy)).content.decode()
    assert "相关在线访谈" in policy_html and archived.title in policy_html


def test_duration_outside_60_to_120_minutes_is_refused(upcoming):
    from django.core.exceptions import ValidationError

    upcoming.scheduled_end = upcoming.scheduled_start + timedelta(minutes=30)
    with pytest.raises(ValidationError):
        upcoming.full_clean()


# ---- questions from the public ---------------------------------------------------------
def test_a_question_is_held_until_approved_and_never_shown_before(client, upcoming):
    response = ask(client, upcoming)
    assert response.status_code == 302 and response["Location"].endswith("ask/sent/")
    question = upcoming.questions.get(name="乙市会计小周")
    assert question.moderation == Question.Moderation.PENDING
    secret = question.content[:20]
    for response in (
        client.get(url_of(upcoming)),
        client.get(url_of(upcoming) + "ask/"),
        client.get(url_of(upcoming) + "ask/sent/"),
        client.get(url_of(upcoming.get_parent())),
        poll(client, upcoming),
    ):
        assert secret not in response.content.decode()
    services.moderate(question, None, approve=False)
    assert secret not in poll(client, upcoming).content.decode()
    assert secret not in client.get(url_of(upcoming)).content.decode()


def test_an_approved_question_appears_in_page_and_feed(client, upcoming):
    ask(client, upcoming)
    question = upcoming.questions.get(name="乙市会计小周")
    services.moderate(question, None, approve=True)
    assert question.content[:20] in poll(client, upcoming).json()["entries"][-1]["html"]
    assert "网友“乙市会计小周”提问" in client.get(url_of(upcoming)).content.decode()


def test_bad_question_input_says_what_is_wrong_and_saves_nothing(client, upcoming):
    before = Question.objects.count()
    response = ask(client, upcoming, content="太短", captcha_1="0000")
    html = response.content.decode()
    assert response.status_code == 400
    assert "至少 10 个字" in html and "验证码不正确" in html and 'aria-invalid="true"' in html
    response = ask(client, upcoming, content="<script>alert(1)</script>请问这个问题怎么处理才好呢")
    assert response.status_code == 400 and "网页代码" in response.content.decode()
    assert Question.objects.count() == before


def test_questions_are_rate_limited_per_address(client, upcoming, settings):
    settings.QUESTION_RATE_LIMIT = 2
    for _ in range(2):
        assert ask(client, upcoming).status_code == 302
    response = ask(client, upcoming)
    assert response.status_code == 429 and "上限" in response.content.decode()
    assert upcoming.questions.filter(name="乙市会计小周").count() == 2


def test_no_questions_after_the_end(client, archived):
    before = Question.objects.count()
    assert "不再接收提问" in client.get(url_of(archived) + "ask/").content.decode()
    response = client.post(url_of(archived) + "ask/", {"name": "网友", "content": "这是一个在访谈结束以后才提出的问题"})
    assert response.status_code == 403
    assert Question.objects.count() == before


# ---- polling ---------------------------------------------------------------------------
def test_polling_returns_only_new_entries_and_304_when_nothing_changed(client, upcoming):
    page = go_live(upcoming)
    first = services.post_host_entry(page, None, "各位网友，大家好！欢迎参加今天的在线访谈。")
    response = poll(client, page)
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "live" and [entry["id"] for entry in data["entries"]] == [first.pk]
    assert "max-age=5" in response["Cache-Control"] and "public" in response["Cache-Control"]

    revision = data["revision"]
    again = poll(client, page, since=revision)
    assert again.json()["entries"] == []
    not_modified = poll(client, page, since=revision, HTTP_IF_NONE_MATCH=again["ETag"])
    assert not_modified.status_code == 304 and not_modified.content == b""

    second = services.post_host_entry(page, None, "下面请嘉宾作开场介绍。")
    changed = poll(client, page, since=revision, HTTP_IF_NONE_MATCH=again["ETag"])
    assert changed.status_code == 200
    assert [entry["id"] for entry in changed.json()["entries"]] == [second.pk]


def test_an_unchanged_transcript_costs_one_query(client, upcoming, django_assert_max_num_queries):
    page = go_live(upcoming)
    services.post_host_entry(page, None, "访谈开始。")
    current = poll(client, page, since=poll(client, page).json()["revision"])
    with django_assert_max_num_queries(1):
        unchanged = poll(client, page, since=current.json()["revision"], HTTP_IF_NONE_MATCH=current["ETag"])
    assert unchanged.status_code == 304


def test_corrections_and_withdrawals_reach_the_feed(client, upcoming):
    page = go_live(upcoming)
    entry = services.post_host_entry(page, None, "今天的嘉宾是纳税服务处的两位同志。")
    revision = poll(client, page).json()["revision"]
    services.correct(entry, None, "今天的嘉宾是纳税服务处的两位负责同志。")
    changed = poll(client, page, since=revision).json()
    assert "负责同志" in changed["entries"][0]["html"] and "已于" in changed["entries"][0]["html"]
    services.set_hidden(entry, None, True)
    hidden = poll(client, page, since=changed["revision"]).json()["entries"]
    assert hidden == [{"id": entry.pk, "parent": None, "revision": hidden[0]["revision"], "hidden": True}]
    assert "负责同志" not in client.get(url_of(page)).content.decode()


def test_unpublished_interviews_have_no_feed(client, upcoming):
    upcoming.unpublish()
    assert poll(client, upcoming).status_code == 404


# ---- guests ----------------------------------------------------------------------------
def guest_of(page):
    return page.guest_links.select_related("guest").first().guest


def test_a_guest_link_works_only_for_its_own_interview_while_valid(client, upcoming, archived):
    invitation, token = services.invite(upcoming, guest_of(upcoming), None)
    own = client.get(reverse("interviews:guest_token", args=(upcoming.pk, token)))
    assert own.status_code == 200 and guest_of(upcoming).name in own.content.decode()
    assert "no-store" in own["Cache-Control"]

    other = client.get(reverse("interviews:guest_token", args=(archived.pk, token)))
    assert other.status_code == 403
    answer = client.post(reverse("interviews:guest_token_answer", args=(archived.pk, token)), {"text": "越权回答"})
    assert answer.status_code == 403
    assert not Entry.objects.filter(text="越权回答").exists()

    tampered = token[:-2] + ("aa" if not token.endswith("aa") else "bb")
    assert client.get(reverse("interviews:guest_token", args=(upcoming.pk, tampered))).status_code == 403

    GuestInvitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    expired = client.get(reverse("interviews:guest_token", args=(upcoming.pk, token)))
    assert expired.status_code == 403 and "过期" in expired.content.decode()

    invitation, token = services.invite(upcoming, guest_of(upcoming), None)
    services.revoke(invitation)
    revoked = client.get(reverse("interviews:guest_token", args=(upcoming.pk, token)))
    assert revoked.status_code == 403 and "撤销" in revoked.content.decode()


def test_a_guest_answers_an_approved_question_under_it(client, upcoming):
    page = go_live(upcoming)
    guest = guest_of(page)
    question = page.questions.filter(moderation=Question.Moderation.PENDING).first()
    services.moderate(question, None, approve=True, guest=guest)
    _invitation, token = services.invite(page, guest, None)
    console = client.get(reverse("interviews:guest_token", args=(page.pk, token))).content.decode()
    assert "请您回答的问题" in console and question.content[:20] in console
    # Pending questions are not shown to guests either.
    for pending in page.questions.filter(moderation=Question.Moderation.PENDING):
        assert pending.content[:20] not in console

    response = client.post(
        reverse("interviews:guest_token_answer", args=(page.pk, token)),
        {"question": question.pk, "text": "可以的，跨区域涉税事项报告已经实现全程网上办理。"},
    )
    assert response.status_code == 302
    answer = Entry.objects.get(parent=question.entry)
    assert answer.guest == guest and answer.kind == Entry.Kind.ANSWER
    html = client.get(url_of(page)).content.decode()
    assert html.index(question.content[:20]) < html.index("全程网上办理。")


def test_a_guest_cannot_answer_a_question_that_is_not_approved(client, upcoming):
    page = go_live(upcoming)
    question = page.questions.filter(moderation=Question.Moderation.PENDING).first()
    _invitation, token = services.invite(page, guest_of(page), None)
    response = client.post(
        reverse("interviews:guest_token_answer", args=(page.pk, token)), {"question": question.pk, "text": "回答"}
    )
    assert response.status_code == 400 and "尚未通过审核" in response.content.decode()
    assert not page.entries.filter(text="回答").exists()


def test_posting_after_the_end_is_refused(client, upcoming):
    page = go_live(upcoming)
    _invitation, token = services.invite(page, guest_of(page), None)
    services.end(page, None)
    page.refresh_from_db()
    before = Entry.objects.count()
    response = client.post(reverse("interviews:guest_token_answer", args=(page.pk, token)), {"text": "结束后的发言"})
    assert response.status_code == 403 and "访谈已结束" in response.content.decode()
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.post_host_entry(page, None, "结束后的主持人发言")
    assert Entry.objects.count() == before


def test_a_guest_with_an_account_reaches_only_their_interview(upcoming, archived):
    client = Client(HTTP_HOST="localhost:8000")
    assert client.get(reverse("interviews:guest_account", args=(upcoming.pk,))).status_code == 302  # log in first
    client.force_login(get_user_model().objects.get(username="guest"))
    assert client.get(reverse("interviews:guest_account", args=(upcoming.pk,))).status_code == 200
    assert client.get(reverse("interviews:guest_account", args=(archived.pk,))).status_code == 403


# ---- the host console ------------------------------------------------------------------
def console(page) -> str:
    return reverse("interview_host:console", args=(page.pk,))


def action(page, name) -> str:
    return reverse("interview_host:action", args=(page.pk, name))


def test_only_hosts_with_edit_rights_reach_the_console(upcoming):
    anonymous = Client(HTTP_HOST="localhost:8000")
    assert anonymous.get(console(upcoming)).status_code == 302
    editor = Client(HTTP_HOST="localhost:8000")
    user = get_user_model().objects.get(username="jia_editor")
    editor.force_login(user)
    assert editor.get(reverse("interview_host:index")).status_code in (302, 403)
    assert editor.post(action(upcoming, "start")).status_code in (403, 404)
    # Even with the host permission, the jia editor cannot host the main site's interviews.
    user.user_permissions.add(Permission.objects.get(codename="host_interview"))
    editor.force_login(get_user_model().objects.get(pk=user.pk))
    assert editor.get(console(upcoming)).status_code == 404
    upcoming.refresh_from_db()
    assert upcoming.status() == Status.UPCOMING


def test_a_host_runs_an_interview_from_the_console(host_client, upcoming, client):
    listing = host_client.get(reverse("interview_host:index")).content.decode()
    assert upcoming.title in listing
    page_html = host_client.get(console(upcoming)).content.decode()
    pending = upcoming.questions.filter(moderation=Question.Moderation.PENDING)
    assert pending.first().content[:20] in page_html

    assert host_client.post(action(upcoming, "start")).status_code == 302
    assert poll(client, upcoming).json()["status"] == "live"
    guest = guest_of(upcoming)
    first, second = list(pending[:2])
    host_client.post(action(upcoming, "approve"), {"question": first.pk, "guest": guest.pk})
    host_client.post(action(upcoming, "reject"), {"question": second.pk})
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.moderation == "approved" and first.guest == guest and second.moderation == "rejected"

    host_client.post(action(upcoming, "post"), {"text": "欢迎各位网友！"})
    entry = upcoming.entries.get(text="欢迎各位网友！")
    host_client.post(action(upcoming, "correct"), {"entry": entry.pk, "text": "欢迎各位网友收看！"})
    host_client.post(action(upcoming, "pin"), {"entry": entry.pk})
    data = poll(client, upcoming).json()
    assert "欢迎各位网友收看！" in data["pinned"] and "已于" in data["pinned"]
    assert second.content[:20] not in str(data)

    host_client.post(action(upcoming, "invite"), {"guest": guest.pk, "hours": 3})
    invitation = upcoming.invitations.get()
    assert guest.name in host_client.get(console(upcoming)).content.decode()
    host_client.post(action(upcoming, "revoke"), {"invitation": invitation.pk})
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None

    host_client.post(action(upcoming, "end"))
    assert poll(client, upcoming).json()["status"] == "ended"
    refused = host_client.post(action(upcoming, "post"), {"text": "结束以后"}, follow=True)
    assert "访谈已结束" in refused.content.decode()
    assert not upcoming.entries.filter(text="结束以后").exists()

    # After the end: a written reply to the approved, unanswered question.
    host_client.post(action(upcoming, "written"), {"question": first.pk, "guest": guest.pk, "text": "书面答复内容。"})
    reply = upcoming.entries.get(text="书面答复内容。")
    assert reply.written and reply.parent == first.entry
    assert "会后书面答复" in client.get(url_of(upcoming)).content.decode()


def test_host_image_needs_alt_text(host_client, upcoming):
    import io

    from PIL import Image

    go_live(upcoming)
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, "PNG")
    buffer.seek(0)
    buffer.name = "live.png"
    response = host_client.post(action(upcoming, "post"), {"text": "", "image": buffer, "image_alt": ""}, follow=True)
    assert "替代文字" in response.content.decode()
    assert not upcoming.entries.exists()
    buffer.seek(0)
    host_client.post(
        action(upcoming, "post"), {"text": "", "image": buffer, "image_alt": "访谈现场，两位嘉宾正在回答问题"}
    )
    entry = upcoming.entries.get()
    assert entry.image is not None
    assert (
        'alt="访谈现场，两位嘉宾正在回答问题"'
        in Client(HTTP_HOST="localhost:8000").get(url_of(upcoming)).content.decode()
    )


def test_guest_link_command_prints_working_links(upcoming, capsys):
    from django.core.management import call_command

    call_command("interview_guest_link", "upcoming")
    output = capsys.readouterr().out
    links = re.findall(r"http://\S+/interviews/\d+/guest/\S+/", output)
    assert len(links) == upcoming.guest_links.count()
    path = links[0].split(":8000", 1)[1]
    assert Client(HTTP_HOST="localhost:8000").get(path).status_code == 200


# ---- cost ------------------------------------------------------------------------------
# Measured: the page (routing from the site data: portal/routing.py) and its live state; an
# archive's content (guests, images, policies, the transcript) is kept in the shared cache until
# its revision moves (portal.pages ``shares_content``); the index reads its interviews in one query.
INTERVIEW_MAX_QUERIES = 2
INDEX_MAX_QUERIES = 6


def test_interview_page_costs_the_same_however_long_the_transcript(client, archived, django_assert_max_num_queries):
    path = url_of(archived)
    client.get(path)
    with django_assert_max_num_queries(INTERVIEW_MAX_QUERIES) as before:
        assert client.get(path).status_code == 200
    first = len(before)  # now: the next request clears the connection's query log
    question = archived.entries.filter(kind=Entry.Kind.QUESTION).first()
    guest = guest_of(archived)
    for number in range(50):
        Entry.objects.create(
            interview=archived,
            kind=Entry.Kind.ANSWER,
            parent=question,
            guest=guest,
            speaker=guest.name,
            text=f"补充{number}",
        )
    client.get(path)  # the new entries purged the page: the site's shared data reloads once
    with django_assert_max_num_queries(first):
        assert "补充49" in client.get(path).content.decode()


def test_interview_index_query_ceiling(client, upcoming, django_assert_max_num_queries):
    path = url_of(upcoming.get_parent())
    client.get(path)
    with django_assert_max_num_queries(INDEX_MAX_QUERIES):
        assert client.get(path).status_code == 200


def test_loading_the_demo_again_re_announces_a_stale_upcoming_interview(upcoming):
    from django.core.management import call_command

    past = timezone.now() - timedelta(days=3)
    InterviewPage.objects.filter(pk=upcoming.pk).update(scheduled_start=past, scheduled_end=past + timedelta(hours=1))
    assert InterviewPage.objects.get(pk=upcoming.pk).status() == Status.ENDED
    call_command("load_demo", verbosity=0)
    page = InterviewPage.objects.get(pk=upcoming.pk)
    assert page.status() == Status.UPCOMING and page.scheduled_start > timezone.now()
    assert page.questions.filter(moderation=Question.Moderation.PENDING).count() == 3
