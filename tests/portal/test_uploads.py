"""Uploads are judged by their bytes: the public's letter attachments and a host's live photos
(portal/uploads.py), editors' images and documents (Wagtail, with SVG, HTML and scripts
refused), and what comes back out is downloaded, never rendered as a page."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection
from wagtail.permissions import policy_registry

from correspondence.models import Letter, LetterAttachment
from tests.correspondence.test_mailboxes import mailbox, pdf_file, png_file, send

pytestmark = pytest.mark.django_db

SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(document.cookie)</script><rect width="
    b'"10" height="10"/></svg>'
)
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, "PNG")
    return buffer.getvalue()


def editor_client(username="jia_editor") -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


# ---- letter attachments (the public) -----------------------------------------------------
def stored(settings):
    return (Letter.objects.count(), LetterAttachment.objects.count(), set(settings.PRIVATE_MEDIA_ROOT.rglob("*")))


@pytest.mark.parametrize(
    ("name", "body", "content_type"),
    [
        ("申请材料.pdf", HTML, "application/pdf"),
        ("照片.png", SVG, "image/png"),
        ("照片.jpg", b"\xff\xd8\xff" + HTML, "image/jpeg"),  # a JPEG signature, not a JPEG
        ("page.html", HTML, "text/html"),
    ],
)
def test_letter_attachments_that_are_not_what_they_claim_are_refused(client, settings, name, body, content_type):
    before = stored(settings)
    response = send(client, mailbox(), attachments=[SimpleUploadedFile(name, body, content_type=content_type)])
    assert response.status_code == 400
    assert f"“{name}”不是有效的 PDF、JPG 或 PNG 文件" in response.content.decode()
    assert stored(settings) == before


def test_oversize_letter_attachments_are_refused(client, settings):
    before = stored(settings)
    response = send(
        client, mailbox(), attachments=[pdf_file("大文件.pdf", size=settings.LETTER_ATTACHMENT_MAX_BYTES + 1)]
    )
    assert response.status_code == 400 and "“大文件.pdf”超过 5 MB" in response.content.decode()
    assert stored(settings) == before
    # exactly at the limit is accepted
    response = send(client, mailbox(), attachments=[pdf_file("刚好.pdf", size=settings.LETTER_ATTACHMENT_MAX_BYTES)])
    assert response.status_code == 302


def test_staff_download_attachments_as_files_of_their_recognised_type(client, admin_client):
    send(client, mailbox(), attachments=[pdf_file("收据.html"), png_file("照片.svg")])
    pdf, png = LetterAttachment.objects.order_by("-pk")[:2][::-1]
    assert (pdf.content_type, png.content_type) == ("application/pdf", "image/png")
    assert not pdf.file.name.endswith((".html", ".svg")) and not png.file.name.endswith((".html", ".svg"))
    for attachment, content_type in ((pdf, "application/pdf"), (png, "image/png")):
        response = admin_client.get(f"/admin/letters/{attachment.letter_id}/attachments/{attachment.pk}/")
        assert response.status_code == 200
        assert response["Content-Type"] == content_type
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in response["Content-Security-Policy"]
        b"".join(response.streaming_content)


def test_an_attachment_of_an_unexpected_stored_type_is_sent_as_bytes(client, admin_client):
    send(client, mailbox(), attachments=[pdf_file()])
    attachment = LetterAttachment.objects.latest("pk")
    LetterAttachment.objects.filter(pk=attachment.pk).update(content_type="text/html")
    response = admin_client.get(f"/admin/letters/{attachment.letter_id}/attachments/{attachment.pk}/")
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    b"".join(response.streaming_content)


# ---- editors' images -----------------------------------------------------------------------
def add_image(client, name: str, body: bytes):
    user = get_user_model().objects.get(username="jia_editor")
    # Wagtail checks wagtailimages.add_image (its policy's auth model): the 编辑 role has it (setup_roles).
    collection = Collection.objects.get(name="甲市税务局")
    policy = policy_registry.get_by_type(get_image_model())
    assert policy.user_has_permission_for_instance(user, "add", get_image_model()(collection=collection))
    return client.post(
        "/admin/images/add/",
        {"title": "上传测试", "file": SimpleUploadedFile(name, body), "collection": collection.pk},
    )


def test_svg_is_not_an_allowed_image_format():
    from django.conf import settings

    assert "svg" not in settings.WAGTAILIMAGES_EXTENSIONS


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("标志.svg", SVG),
        ("标志.png", SVG),  # SVG renamed
        ("photo.html", png_bytes()),  # a real PNG named as a page
    ],
)
def test_an_editors_svg_or_misnamed_image_upload_is_refused_with_a_form_error(name, body):
    before = get_image_model().objects.count()
    response = add_image(editor_client(), name, body)
    assert response.status_code == 200
    assert response.context["form"].errors.get("file")
    assert get_image_model().objects.count() == before


def test_an_editors_png_upload_is_accepted():
    before = get_image_model().objects.count()
    response = add_image(editor_client(), "照片.png", png_bytes())
    assert response.status_code == 302
    assert get_image_model().objects.count() == before + 1


# ---- editors' documents --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "body"),
    [("通知.html", HTML), ("通知.htm", HTML), ("图标.svg", SVG), ("脚本.js", b"alert(1)")],
)
def test_an_editors_html_svg_or_script_document_is_refused(name, body):
    before = get_document_model().objects.count()
    response = editor_client("admin").post(
        "/admin/documents/add/",
        {
            "title": "上传测试",
            "file": SimpleUploadedFile(name, body),
            "collection": Collection.get_first_root_node().pk,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors.get("file")
    assert get_document_model().objects.count() == before


def make_document(name: str, body: bytes):
    document = get_document_model()(title=name, collection=Collection.get_first_root_node())
    document.file.save(name, ContentFile(body), save=False)
    document.save()
    return document


def test_only_pdf_documents_open_in_the_browser_and_none_can_run_scripts(client):
    pdf = make_document("办税指南.pdf", b"%PDF-1.4\n%%EOF\n")
    response = client.get(pdf.url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert response["X-Content-Type-Options"] == "nosniff"
    b"".join(response.streaming_content)

    for name in ("说明.txt", "名单.csv"):
        response = client.get(make_document(name, b"<script>alert(1)</script>").url)
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        assert response["Content-Security-Policy"] == "default-src 'none'"
        assert response["X-Content-Type-Options"] == "nosniff"
        b"".join(response.streaming_content)


# ---- a host's live photo -------------------------------------------------------------------
def test_a_hosts_photo_is_stored_under_the_extension_of_its_bytes():
    from interviews.models import Status
    from tests.interviews.test_interviews import action, demo_interviews, go_live

    upcoming = go_live(demo_interviews(Status.UPCOMING)[0])
    host = editor_client("host")
    photo = SimpleUploadedFile("live.html", png_bytes(), content_type="text/html")
    host.post(action(upcoming, "post"), {"text": "", "image": photo, "image_alt": "访谈现场"})
    entry = upcoming.entries.get()
    assert entry.image.file.name.endswith(".png") and ".html" not in entry.image.file.name

    before = upcoming.entries.count()
    disguised = SimpleUploadedFile("live.png", SVG, content_type="image/png")
    response = host.post(
        action(upcoming, "post"), {"text": "", "image": disguised, "image_alt": "访谈现场"}, follow=True
    )
    assert "请上传 5 MB 以内的 JPG 或 PNG 图片" in response.content.decode()
    assert upcoming.entries.count() == before
