"""Letter attachments are stored and served under a safe name (issue 24, item 6): the
writer's file name never reaches a member of staff's disk as ``passwd.html``."""

from correspondence.models import LetterAttachment
from tests.correspondence.test_mailboxes import mailbox, pdf_file, png_file, send
from tests.helpers import staff_client


def download(attachment):
    return staff_client("admin").get(f"/admin/letters/{attachment.letter_id}/attachments/{attachment.pk}/")


def test_a_pdf_called_passwd_html_is_stored_and_served_as_a_pdf(client):
    response = send(client, mailbox(), attachments=[pdf_file("passwd.html"), png_file("../../收据 扫描.exe")])
    assert response.status_code == 302
    pdf, png = LetterAttachment.objects.order_by("-pk")[:2][::-1]
    assert pdf.original_name == "passwd.pdf" and png.original_name == "收据_扫描.png"
    served = download(pdf)
    assert served.status_code == 200
    assert served["Content-Disposition"] == 'attachment; filename="passwd.pdf"'
    assert "html" not in served["Content-Disposition"]
    assert "exe" not in download(png)["Content-Disposition"]


def test_an_attachment_saved_with_the_writers_name_is_served_under_a_safe_one(client):
    send(client, mailbox(), attachments=[pdf_file("收据.pdf")])
    attachment = LetterAttachment.objects.latest("pk")
    LetterAttachment.objects.filter(pk=attachment.pk).update(original_name="passwd.html")  # saved before the fix
    disposition = download(attachment)["Content-Disposition"]
    assert disposition == 'attachment; filename="passwd.pdf"'
