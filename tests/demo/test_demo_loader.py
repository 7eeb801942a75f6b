"""The demo loader creates a real-looking cluster and is idempotent."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from PIL import Image
from wagtail.models import Collection, Page, Revision, Site

from demo import files
from demo.fonts.labels import drawn_characters
from home.models import ArticlePage, ColumnPage, HomePage
from portal.models import PortalDocument, PortalImage, SiteIdentity
from tests.helpers import HOSTS, cmap_characters

pytestmark = pytest.mark.django_db


def counts():
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "sites": Site.objects.count(),
        "images": PortalImage.objects.count(),
        "documents": PortalDocument.objects.count(),
        "identities": SiteIdentity.objects.count(),
        "users": get_user_model().objects.count(),
        "groups": Group.objects.count(),
        "collections": Collection.objects.count(),
    }


def test_running_the_loader_again_duplicates_nothing(capsys):
    before = counts()
    call_command("load_demo")
    assert "(0 objects created)" in capsys.readouterr().out
    assert counts() == before


def test_the_loader_keeps_editors_changes():
    article = ArticlePage.objects.live().first()
    article.title = "编辑修改后的标题"
    article.save_revision().publish()
    call_command("load_demo", verbosity=0)
    article.refresh_from_db()
    assert article.title == "编辑修改后的标题"


def test_demo_cluster_has_the_promised_size():
    main_root = Site.objects.get(hostname=HOSTS["main"]).root_page
    assert ColumnPage.objects.descendant_of(main_root).count() >= 8
    assert ArticlePage.objects.live().count() >= 40
    # the province, two cities with their content, and a county site opened through 站点开通
    assert HomePage.objects.filter(locale__language_code="zh-hans").count() == 4
    assert HomePage.objects.filter(locale__language_code="en").count() == 1  # the main site's English edition
    for key in HOSTS:
        root = Site.objects.get(hostname=HOSTS[key]).root_page
        assert ArticlePage.objects.live().descendant_of(root).count() >= 8, key


def test_demo_files_are_real_pdf_and_docx():
    formats = set()
    for document in PortalDocument.objects.all():
        with document.file.open("rb") as handle:
            head = handle.read(4)
        # size and hash are stored at load time, so showing "PDF，52.1 KB" never writes on a GET
        assert document.file_size == document.file.size and document.file_hash
        if document.file_extension == "pdf":
            assert head == b"%PDF"
        elif document.file_extension == "docx":
            assert head == b"PK\x03\x04"
        formats.add(document.file_extension)
    assert formats == {"pdf", "docx"}


def test_every_demo_image_has_alt_text():
    assert PortalImage.objects.count() >= 10
    assert not PortalImage.objects.filter(description="").exists()


def test_demo_accounts_can_use_the_admin():
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser and user.check_password("demo-admin-2026")
    editor = get_user_model().objects.get(username="jia_editor")
    assert not editor.is_superuser and editor.has_perm("wagtailadmin.access_admin")


def test_every_label_the_demo_drew_is_collected_for_the_bundled_font():
    """What load_demo really drew (each PNG keeps its label as its Title) is what
    demo/fonts/labels.py collects, so the subset made from it draws every label."""
    drawn = set()
    for image in PortalImage.objects.all():
        with image.file.open("rb") as handle:
            title = Image.open(handle).text.get("Title", "")
        drawn.update(title)
    assert {"党", "政", "机", "关"} <= drawn
    assert drawn <= drawn_characters()
    assert drawn <= cmap_characters(files.BUNDLED_CJK_FONT)


def test_load_demo_says_when_it_can_draw_no_chinese(monkeypatch):
    monkeypatch.setattr(files, "find_cjk_font", lambda: None)
    out, err = StringIO(), StringIO()
    call_command("load_demo", stdout=out, stderr=err)
    assert "No CJK font" in err.getvalue() and "without their Chinese labels" in err.getvalue()
    monkeypatch.undo()
    files.find_cjk_font.cache_clear()
    out, err = StringIO(), StringIO()
    call_command("load_demo", stdout=out, stderr=err)
    assert "CJK" not in err.getvalue() + out.getvalue()  # the bundled font is always there
