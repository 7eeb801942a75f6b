"""``manage.py backup`` and ``manage.py restore`` (portal/backups.py; README, "Backup and
restore") on the session's demo cluster: on SQLite, or on PostgreSQL when DATABASE_URL names
it. The restore runs as an operator runs it, in another process with production settings,
into an empty database and empty directories; every page, letter, attachment, image and
document is then found again, and every file byte for byte."""

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from wagtail.models import Page

from correspondence.models import Letter, LetterAttachment
from portal import backups
from portal.models import PortalDocument, PortalImage

ROOT = Path(__file__).resolve().parents[2]
POSTGRES = connection.vendor == "postgresql"

# What must come back, row by row: (model, columns).
KEPT = [
    (Page, ["id", "path", "url_path", "title", "live", "content_type_id", "locale_id"]),
    (Letter, ["id", "code", "name", "phone", "email", "subject", "status", "site_id"]),
    (LetterAttachment, ["id", "letter_id", "file", "original_name", "size"]),
    (PortalImage, ["id", "file", "file_hash", "width", "height"]),
    (PortalDocument, ["id", "file", "file_hash"]),
]


def rows_of(cursor) -> dict[str, list[tuple]]:
    found = {}
    for model, columns in KEPT:
        table = model._meta.db_table
        cursor.execute(f'SELECT {", ".join(columns)} FROM "{table}" ORDER BY id')
        found[table] = [tuple(row) for row in cursor.fetchall()]
    return found


def files_under(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(Path(root).rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def demo_backup(django_db_setup, django_db_blocker, tmp_path_factory):
    """One backup of the demo for the module, with what it should give back."""
    with django_db_blocker.unblock():
        with connection.cursor() as cursor:
            rows = rows_of(cursor)
        media, private = files_under(settings.MEDIA_ROOT), files_under(settings.PRIVATE_MEDIA_ROOT)
        directory = tmp_path_factory.mktemp("backups")
        call_command("backup", str(directory), verbosity=0)
    [path] = list(directory.iterdir())
    return {"path": path, "rows": rows, "media": media, "private": private}


class Target:
    """An empty database of the session's engine and two empty directories."""

    def __init__(self, directory: Path):
        self.media, self.private = directory / "media", directory / "private"
        if POSTGRES:
            self.settings = connection.settings_dict
            self.name = f"{self.settings['NAME']}_restored"
            self.admin(f'DROP DATABASE IF EXISTS "{self.name}"', f'CREATE DATABASE "{self.name}"')
            user = quote(self.settings["USER"] or "")
            password = f":{quote(self.settings['PASSWORD'])}" if self.settings.get("PASSWORD") else ""
            host = self.settings["HOST"] or "localhost"
            self.url = f"postgres://{user}{password}@{host}:{self.settings['PORT'] or 5432}/{self.name}"
        else:
            self.path = directory / "restored.sqlite3"
            self.url = f"sqlite:///{self.path}"

    def admin(self, *statements) -> None:
        import psycopg

        params = {
            "dbname": "postgres",
            "user": self.settings["USER"],
            "host": self.settings["HOST"],
            "port": self.settings["PORT"] or 5432,
        }
        if self.settings.get("PASSWORD"):
            params["password"] = self.settings["PASSWORD"]
        with psycopg.connect(**params, autocommit=True) as admin:
            for statement in statements:
                admin.execute(statement)

    def connect(self):
        if POSTGRES:
            import psycopg

            return psycopg.connect(self.url.replace("postgres://", "postgresql://"))
        import sqlite3

        return sqlite3.connect(self.path)

    def rows(self) -> dict[str, list[tuple]]:
        database = self.connect()
        try:
            return rows_of(database.cursor())
        finally:
            database.close()

    def tables(self) -> int:
        database = self.connect()
        try:
            cursor = database.cursor()
            if POSTGRES:
                cursor.execute("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'")
            else:
                cursor.execute("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'")
            return cursor.fetchone()[0]
        finally:
            database.close()

    def drop(self) -> None:
        if POSTGRES:
            self.admin(f'DROP DATABASE IF EXISTS "{self.name}"')

    def manage(self, *args) -> subprocess.CompletedProcess:
        """manage.py as an operator runs it: production settings, from the environment."""
        skip = {"DATABASE_URL", "REDIS_URL", "PRIVATE_STORAGE", "SENTRY_DSN", "DJANGO_SETTINGS_MODULE"}
        env = {key: value for key, value in os.environ.items() if key not in skip}
        env.update(
            DJANGO_SETTINGS_MODULE="portal.settings.production",
            SECRET_KEY="restore-test-" + "abcdefghijklmnopqrstuvwxyz0123456789" * 2,
            ALLOWED_HOSTS="localhost",
            DEMO_APP="1",
            DATABASE_URL=self.url,
            MEDIA_ROOT=str(self.media),
            PRIVATE_MEDIA_ROOT=str(self.private),
        )
        return subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
        )


@pytest.fixture
def target(tmp_path):
    if POSTGRES and shutil.which("pg_restore") is None:
        pytest.skip("PostgreSQL's client programs (pg_dump, pg_restore) are not installed")
    made = Target(tmp_path)
    yield made
    made.drop()


def test_the_backup_holds_the_database_every_file_and_their_checksums(demo_backup):
    path = demo_backup["path"]
    manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["engine"] == connection.vendor
    assert sorted(p.name for p in path.iterdir()) == sorted(
        ["manifest.json", "SHA256SUMS", "media.tar", "private.tar", manifest["database"]["file"]]
    )
    for line in (path / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split("  ")
        assert backups.sha256_of(path / name) == digest
    stored = {alias: {n: e["sha256"] for n, e in part["files"].items()} for alias, part in manifest["storages"].items()}
    assert stored == {"default": demo_backup["media"], "private": demo_backup["private"]}
    tables = manifest["database"]["tables"]
    for table, rows in demo_backup["rows"].items():
        assert tables[table] == len(rows) > 0, table  # the demo has pages, letters, attachments, images, documents
    attachments = demo_backup["rows"][LetterAttachment._meta.db_table]
    assert {row[2] for row in attachments} <= set(demo_backup["private"])


def test_restore_into_an_empty_database_and_directories_gives_everything_back(demo_backup, target):
    result = target.manage("restore", str(demo_backup["path"]))
    assert result.returncode == 0, result.stderr
    assert "restored" in result.stdout
    assert target.rows() == demo_backup["rows"]
    assert files_under(target.media) == demo_backup["media"]
    assert files_under(target.private) == demo_backup["private"]
    images = demo_backup["rows"][PortalImage._meta.db_table]
    assert all((target.media / row[1]).is_file() for row in images)
    attachments = demo_backup["rows"][LetterAttachment._meta.db_table]
    assert all((target.private / row[2]).is_file() for row in attachments)

    # A second restore is refused: the database has tables now, the directories files.
    again = target.manage("restore", str(demo_backup["path"]))
    assert again.returncode != 0 and "not empty" in again.stderr
    # Unless forced, which replaces the database and overwrites the files, ending the same.
    (target.private / "stray.txt").write_text("left in place")
    forced = target.manage("restore", "--force", str(demo_backup["path"]))
    assert forced.returncode == 0, forced.stderr
    assert target.rows() == demo_backup["rows"]
    restored = files_under(target.private)
    assert restored.pop("stray.txt") and restored == demo_backup["private"]


def test_restore_refuses_a_database_that_has_tables(demo_backup, db):
    pages = Page.objects.count()
    with pytest.raises(CommandError, match="database is not empty"):
        call_command("restore", str(demo_backup["path"]))
    assert Page.objects.count() == pages


def test_restore_refuses_storage_that_has_files_and_leaves_the_database_empty(demo_backup, target):
    target.media.mkdir(parents=True)
    (target.media / "already-here.jpg").write_bytes(b"\xff\xd8\xff")
    result = target.manage("restore", str(demo_backup["path"]))
    assert result.returncode != 0
    assert "'default' storage is not empty" in result.stderr
    assert target.tables() == 0
    assert files_under(target.media) == {"already-here.jpg": hashlib.sha256(b"\xff\xd8\xff").hexdigest()}


def test_a_damaged_archive_is_refused_before_anything_is_touched(demo_backup, tmp_path, db):
    damaged = tmp_path / "damaged"
    shutil.copytree(demo_backup["path"], damaged)
    with open(damaged / "private.tar", "r+b") as archive:
        archive.seek(600)
        byte = archive.read(1)
        archive.seek(600)
        archive.write(bytes([byte[0] ^ 0xFF]))
    with pytest.raises(CommandError, match="private.tar is missing or damaged"):
        call_command("restore", str(damaged), "--force")
