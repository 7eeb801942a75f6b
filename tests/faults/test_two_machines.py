"""Two application machines behind a load balancer: two gunicorns on different ports sharing
PostgreSQL, Redis and the media folders (as NFS would), with the same settings and
``SECRET_KEY``. What one machine does, the other sees at once: published pages, uploaded
images, login lockouts, rate limits, captchas, letters, staff sessions."""

import io
import re
import secrets
from pathlib import Path

import pytest
from PIL import Image

from tests.faults.conftest import letter_form, manage, send_letter, write_letter

pytestmark = pytest.mark.faults

ADMIN = ("admin", "demo-admin-2026")
ARTICLE = "swyw-einvoice-full-coverage"  # a news item of the main site


@pytest.fixture(scope="module")
def machines(gunicorn_app):
    """A and B, started side by side. Two letters an hour per address, so that a limit is
    reached quickly."""
    env = {"LETTER_RATE_LIMIT": "2"}
    a = gunicorn_app("a", env=env, wait=False)
    b = gunicorn_app("b", env=env, wait=False)
    a.wait_ready()
    b.wait_ready()
    return a, b


@pytest.fixture(scope="module")
def admin_on_a(machines):
    a, _ = machines
    staff = a.visitor()
    assert staff.log_in(*ADMIN).status == 302
    return staff


def test_a_page_published_through_a_is_served_fresh_by_b(machines, admin_on_a, postgres_db, production_env, report):
    a, b = machines
    page_id, url_path, title = postgres_db.query(
        "SELECT id, url_path, title FROM wagtailcore_page WHERE slug = %s", [ARTICLE]
    )[0]
    path = url_path.removeprefix("/home")
    visitor = b.visitor()
    visitor.get(path)
    warm = visitor.get(path)
    assert warm.status == 200 and warm.cache == "hit" and title in warm.text

    new_title = f"{title}（更新{secrets.token_hex(3)}）"
    manage(
        production_env,
        "shell",
        "-c",
        f"from wagtail.models import Page; page = Page.objects.get(pk={page_id}).specific; "
        f"page.title = {new_title!r}; page.save_revision()",
    )
    draft = visitor.get(path)
    assert draft.cache == "hit" and new_title not in draft.text  # a draft is not published

    confirm_url = f"/admin/bulk/wagtailcore/page/publish/?id={page_id}"
    form = admin_on_a.get(confirm_url).form()
    published = admin_on_a.post(confirm_url, form.data)
    assert published.status == 302, published.text[:1000]
    fresh = visitor.get(path)
    report(
        f"published through A (the POST took {published.seconds:.2f} s); B's next GET "
        f"(answered in {fresh.seconds:.2f} s): {fresh.status}, "
        f"X-Page-Cache {fresh.cache}, new title {'shown' if new_title in fresh.text else 'MISSING'}"
    )
    assert fresh.status == 200 and new_title in fresh.text and fresh.cache == "miss"
    assert postgres_db.value("SELECT title FROM wagtailcore_page WHERE id = %s", [page_id]) == new_title


def test_an_image_uploaded_through_a_is_rendered_by_b(machines, admin_on_a, postgres_db, production_env, report):
    a, b = machines
    title = f"双机测试图片{secrets.token_hex(3)}"
    picture = io.BytesIO()
    Image.new("RGB", (640, 480), (20, 90, 160)).save(picture, format="PNG")
    form = admin_on_a.get("/admin/images/add/").form(action="/admin/images/add/")
    form["title"] = title
    uploaded = admin_on_a.post(
        "/admin/images/add/", form.data, files={"file": ("shuangji.png", picture.getvalue(), "image/png")}
    )
    assert uploaded.status == 302, uploaded.text[:2000]
    image_id, name = postgres_db.query("SELECT id, file FROM portal_portalimage WHERE title = %s", [title])[0]
    assert (Path(production_env["MEDIA_ROOT"]) / name).exists()

    staff_on_b = admin_on_a.on(b.port)  # the same browser, sent to B by the load balancer
    preview = staff_on_b.get(f"/admin/images/{image_id}/preview/max-200x200/")
    rendered = Image.open(io.BytesIO(preview.body)) if preview.status == 200 else None
    edit = staff_on_b.get(f"/admin/images/{image_id}/")
    renditions = re.findall(r'src="(/media/images/[^"]+)"', edit.text)
    report(
        f"uploaded through A ({name}); B renders it: {preview.status} "
        f"{rendered.size if rendered else ''}, B's edit page {edit.status} with {len(renditions)} rendition(s)"
    )
    assert rendered is not None and rendered.size == (200, 150)
    assert edit.status == 200 and renditions
    for url in renditions:  # written by B into the shared folder, where A's proxy would find them
        assert (Path(production_env["MEDIA_ROOT"]) / url.removeprefix("/media/")).exists()


def test_a_login_lockout_made_on_a_holds_on_b(machines, report):
    a, b = machines
    attacker = a.visitor()
    answers = [attacker.log_in("jia_editor", f"wrong-{n}").status for n in range(5)]
    on_b = attacker.on(b.port).log_in("jia_editor", "demo-jia-2026")  # the right password, now
    other = b.visitor().log_in("jia_editor", "demo-jia-2026")  # another address is not locked out
    report(f"5 wrong passwords on A: {answers}; right password on B: {on_b.status}; another address: {other.status}")
    assert answers[:4] == [200] * 4 and answers[4] == 429
    assert on_b.status == 429 and other.status == 302


def test_a_letter_rate_limit_made_on_a_holds_on_b(machines, postgres_db, report):
    a, b = machines
    writer = a.visitor()
    first, second = write_letter(writer, postgres_db), write_letter(writer, postgres_db)
    third = write_letter(writer.on(b.port), postgres_db)
    report(
        f"LETTER_RATE_LIMIT=2: two letters through A {first.status}, {second.status}; "
        f"the third through B {third.status}"
    )
    assert first.sent and second.sent
    assert third.status == 429 and postgres_db.letters_with_subject(third.subject) == 0


def test_a_captcha_issued_by_a_is_accepted_by_b(machines, postgres_db, report):
    a, b = machines
    writer = a.visitor()
    page = writer.get("/hdjl/zxxx/")
    form = page.form(action="/hdjl/zxxx/")
    subject = f"双机验证码测试{secrets.token_hex(3)}"
    form.update(
        {
            "name": "双机测试",
            "phone": "13900001234",
            "subject": subject,
            "content": "验证码由甲机器发出，信件由乙机器接收。",
            "captcha_1": postgres_db.captcha_answer(form["captcha_0"]),
        }
    )
    form["category"] = form.first_choice("category")
    sent = send_letter(writer.on(b.port), form.data, subject, "")
    report(f"form and captcha from A, POST to B: {sent.status}, sent page {'yes' if sent.sent else 'no'}")
    assert sent.sent is not None and postgres_db.letters_by_code([sent.sent.code]) == {sent.sent.code: 1}


def test_a_letter_written_through_a_is_answered_through_b(machines, postgres_db, report):
    """With an attachment, which A stores in the shared private folder and B's staff download."""
    a, b = machines
    writer = a.visitor()
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    data, subject, address = letter_form(writer, postgres_db)
    letter = send_letter(
        writer, data, subject, address, files={"attachments": ("证明.pdf", pdf, "application/pdf")}
    ).sent
    assert letter is not None
    letter_id = postgres_db.value("SELECT id FROM correspondence_letter WHERE code = %s", [letter.code])
    staff = b.visitor()
    assert staff.log_in(*ADMIN).status == 302
    detail = staff.get(f"/admin/letters/{letter_id}/")
    assert detail.status == 200 and letter.subject in detail.text
    attachment = re.search(rf'href="(/admin/letters/{letter_id}/attachments/\d+/)"', detail.text)
    downloaded = staff.get(attachment.group(1)) if attachment else None
    assert downloaded is not None and downloaded.status == 200 and downloaded.body == pdf
    action = f"/admin/letters/{letter_id}/reply/"
    form = detail.form(action=action)
    form["reply-text"] = "您好，发票查验入口在电子税务局首页“我要查询”栏目。"
    replied = staff.post(action, form.data)
    status = postgres_db.value("SELECT status FROM correspondence_letter WHERE id = %s", [letter_id])

    writer = a.visitor()  # the writer looks it up, through A
    lookup = writer.get("/hdjl/zxxx/lookup/").form(action="/hdjl/zxxx/lookup/")
    lookup.update({"code": letter.code, "password": letter.password})
    lookup["captcha_1"] = postgres_db.captcha_answer(lookup["captcha_0"])
    found = writer.post("/hdjl/zxxx/lookup/", lookup.data)
    report(
        f"letter {letter.code} written through A with a PDF, downloaded ({downloaded.status}) and answered "
        f"({replied.status}, status {status}) through B; "
        f"the lookup through A shows the reply: {'发票查验入口' in found.text}"
    )
    assert replied.status == 302 and status == "replied"
    assert found.status == 200 and "发票查验入口" in found.text
