"""UI translations: both catalogues are complete, nothing in the code is missing from them,
the compiled .mo files match, and the English edition's interface is in English."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
LOCALES = ("en", "zh_Hans")


def catalogue(locale: str, suffix: str = "po"):
    path = ROOT / "locale" / locale / "LC_MESSAGES" / f"django.{suffix}"
    return polib.pofile(str(path)) if suffix == "po" else polib.mofile(str(path))


def key(entry):
    return (entry.msgctxt, entry.msgid)


@pytest.mark.parametrize("locale", LOCALES)
def test_every_message_is_translated(locale):
    po = catalogue(locale)
    assert len(po) > 400
    untranslated = [entry.msgid for entry in po if not entry.translated()]
    fuzzy = [entry.msgid for entry in po if "fuzzy" in entry.flags]
    assert not untranslated and not fuzzy, f"{locale}: untranslated {untranslated[:10]}, fuzzy {fuzzy[:10]}"


def test_english_translations_keep_their_placeholders():
    import re

    placeholder = re.compile(r"%\(\w+\)[sd]")
    for entry in catalogue("en"):
        if entry.msgid_plural:
            continue
        assert sorted(placeholder.findall(entry.msgid)) == sorted(placeholder.findall(entry.msgstr)), entry.msgid


@pytest.mark.parametrize("locale", LOCALES)
def test_compiled_catalogues_match_the_po_files(locale):
    """``make test`` and ``make run`` compile the .mo files (they are not in git)."""
    mo_path = ROOT / "locale" / locale / "LC_MESSAGES" / "django.mo"
    assert mo_path.exists(), "run `make translations` (manage.py compile_translations)"
    compiled = {key(entry): (entry.msgstr, entry.msgstr_plural) for entry in catalogue(locale, "mo")}
    for entry in catalogue(locale):
        assert compiled.get(key(entry)) == (entry.msgstr, entry.msgstr_plural), f"stale .mo: {entry.msgid}"


needs_gettext = pytest.mark.skipif(
    not shutil.which("xgettext") and not os.environ.get("REQUIRE_GETTEXT"),
    reason="GNU gettext is not installed (apt-get install gettext); set REQUIRE_GETTEXT=1 to fail instead",
)


@needs_gettext
def test_makemessages_finds_nothing_new(tmp_path):
    """Every string marked for translation in templates and code is already in the catalogue."""
    copy = tmp_path / "portal-copy"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(".venv", ".git", "media", "private", "static", "*.sqlite3", "__pycache__"),
    )
    subprocess.run(
        [sys.executable, "manage.py", "update_translations", "--settings=portal.settings.test"],
        cwd=copy,
        check=True,
        capture_output=True,
        env={**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"},
    )
    for locale in LOCALES:
        fresh_po = polib.pofile(str(copy / "locale" / locale / "LC_MESSAGES" / "django.po"))
        fresh = {key(entry) for entry in fresh_po if not entry.obsolete}
        committed = {key(entry) for entry in catalogue(locale) if not entry.obsolete}
        assert not fresh - committed, f"{locale}: new strings, run `make messages`: {sorted(fresh - committed)[:10]}"
        assert not committed - fresh, f"{locale}: unused strings, run `make messages`: {sorted(committed - fresh)[:10]}"


def test_english_pages_speak_english(client):
    html = client.get("/en/a11y/").content.decode()
    assert '<html lang="en"' in html
    assert "Skip to main content" in html and "跳到主要内容" not in html
    chinese = client.get("/a11y/").content.decode()
    assert '<html lang="zh-Hans"' in chinese and "跳到主要内容" in chinese
