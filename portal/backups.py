"""Backup and restore of what a portal cannot rebuild: the database and the stored files
(``manage.py backup``, ``manage.py restore``; README, "Backup and restore").

A backup is one directory, ``portal-<UTC time>/``:

* ``database.sqlite3`` (SQLite's online backup API: a consistent copy while the site runs) or
  ``database.pgdump`` (``pg_dump --format=custom`` in a snapshot the row counts are taken in);
* ``media.tar`` and ``private.tar``: every file of ``STORAGES["default"]`` (``MEDIA_ROOT``:
  images, documents, form files) and ``STORAGES["private"]`` (letter attachments), read
  through the storage API, so object storage is backed up the same way as a directory;
* ``manifest.json``: the engine, each archive's sha256 and size, the sha256 and size of every
  file inside them, and the rows of every table; ``SHA256SUMS`` (``sha256sum -c``).

It is written as ``.portal-<time>.partial`` and renamed when complete. Restoring checks every
archive against the manifest before touching anything, refuses a database that has any table
or a storage that has any file unless ``force`` is given, restores the database, writes every
file back through its storage and reads it again to compare its sha256, and compares every
table's rows with the manifest. Both engines of the portal are supported, each restoring its
own kind (a SQLite backup does not go into PostgreSQL).
"""

from __future__ import annotations

import hashlib
import json
import os
import posixpath
import shutil
import sqlite3
import subprocess
import tarfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from django.core.files import File
from django.core.files.storage import storages
from django.db import connections

from portal import pagecache

FORMAT = 1
MANIFEST = "manifest.json"
SUMS = "SHA256SUMS"
# The stored files: MEDIA_ROOT's storage and the letter attachments' (portal/storage.py).
ARCHIVES = {"default": "media.tar", "private": "private.tar"}
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
CHUNK = 1024 * 1024


class BackupError(Exception):
    """Nothing was changed (or, after a restore started, what failed is said)."""


@dataclass
class Report:
    path: Path
    engine: str
    seconds: float = 0.0
    bytes: int = 0
    rows: int = 0
    tables: int = 0
    files: dict[str, int] = field(default_factory=dict)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for chunk in iter(lambda: stream.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def engine_of(connection) -> str:
    if connection.vendor in DATABASE_FILES:
        return connection.vendor
    raise BackupError(f"backups cover SQLite and PostgreSQL, not {connection.vendor}")


# -- the database ------------------------------------------------------------------------------


def count_rows(cursor, tables, quote) -> dict[str, int]:
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
        counts[table] = cursor.fetchone()[0]
    return counts


def _sqlite_tables(database: sqlite3.Connection) -> list[str]:
    rows = database.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    return [name for (name,) in rows]


def _quote_sqlite(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _pg_command(connection, program: str, options: list[str], *, restore_file: Path | None = None):
    """(argv, env) for pg_dump or pg_restore on this connection's database, built the way
    Django's ``dbshell`` builds psql's (user, host, port; password, SSL files, service in the
    environment)."""
    settings_dict = connection.settings_dict
    if not settings_dict.get("NAME"):
        raise BackupError("the database settings name no database (NAME)")
    args, env = connection.client.settings_to_cmd_args_env(settings_dict, [])
    connect, name = args[1:-1], args[-1]
    if restore_file is None:
        argv = [program, *connect, *options, name]
    else:
        argv = [program, *connect, *options, f"--dbname={name}", str(restore_file)]
    return argv, {**_environ(), **(env or {})}


def _environ() -> dict[str, str]:
    return dict(os.environ)


def _run(argv, env) -> None:
    if shutil.which(argv[0]) is None:
        raise BackupError(f"{argv[0]} is not installed (PostgreSQL's client programs, the server's version or newer)")
    result = subprocess.run(argv, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{argv[0]} failed ({result.returncode}): {result.stderr.strip()[-2000:]}")


def dump_database(connection, engine: str, path: Path) -> dict[str, int]:
    """Write the database to ``path``; the rows of every table, counted in the same snapshot."""
    connection.ensure_connection()
    if engine == "sqlite":
        copy = sqlite3.connect(path)
        try:
            connection.connection.backup(copy)
            if copy.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError("the copy of the SQLite database fails its integrity check")
            return count_rows(copy.cursor(), _sqlite_tables(copy), _quote_sqlite)
        finally:
            copy.close()
    # PostgreSQL: a read-only repeatable-read transaction exports its snapshot; the rows are
    # counted in it and pg_dump dumps exactly it, so both describe one moment of a live site.
    snapshot_connection = connection.get_new_connection(connection.get_connection_params())
    try:
        snapshot_connection.autocommit = False
        with snapshot_connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            tables = connection.introspection.table_names(cursor)
            counts = count_rows(cursor, tables, connection.ops.quote_name)
            options = ["--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}", f"--file={path}"]
            _run(*_pg_command(connection, "pg_dump", options))
        snapshot_connection.rollback()
    finally:
        snapshot_connection.close()
    _run(["pg_restore", "--list", str(path)], _environ())  # the archive reads back
    return counts


def database_tables(connection) -> list[str]:
    with connection.cursor() as cursor:
        return connection.introspection.table_names(cursor)


def load_database(connection, engine: str, path: Path, *, replace: bool) -> None:
    if engine == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
        connection.close()
        return
    connection.close()
    options = ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
    if replace:
        options += ["--clean", "--if-exists"]
    _run(*_pg_command(connection, "pg_restore", options, restore_file=path))


def restored_rows(connection) -> dict[str, int]:
    with connection.cursor() as cursor:
        return count_rows(cursor, connection.introspection.table_names(cursor), connection.ops.quote_name)


# -- stored files ------------------------------------------------------------------------------


def stored_names(storage, directory: str = ""):
    """Every file of a storage, by name, through its API (a directory or a bucket alike)."""
    try:
        directories, files = storage.listdir(directory)
    except FileNotFoundError:  # a FileSystemStorage whose directory does not exist yet
        return
    for name in sorted(files):
        yield posixpath.join(directory, name) if directory else name
    for name in sorted(directories):
        yield from stored_names(storage, posixpath.join(directory, name) if directory else name)


class _Hashing:
    """A file being read into the archive, hashed on the way."""

    def __init__(self, stream):
        self.stream = stream
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, size=-1):
        data = self.stream.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data


def archive_storage(storage, path: Path) -> dict[str, dict]:
    files = {}
    with tarfile.open(path, "w", format=tarfile.PAX_FORMAT) as archive:
        for name in stored_names(storage):
            info = tarfile.TarInfo(name)
            info.size = storage.size(name)
            info.mode = 0o644
            try:
                info.mtime = int(storage.get_modified_time(name).timestamp())
            except NotImplementedError:
                info.mtime = int(time.time())
            with storage.open(name, "rb") as stream:
                hashing = _Hashing(stream)
                archive.addfile(info, hashing)
            files[name] = {"sha256": hashing.digest.hexdigest(), "bytes": hashing.size}
    return files


def first_stored_name(storage) -> str | None:
    return next(stored_names(storage), None)


def stored_sha256(storage, name: str) -> str:
    digest = hashlib.sha256()
    with storage.open(name, "rb") as stream:
        for chunk in iter(lambda: stream.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def unpack_storage(storage, path: Path, expected: dict[str, dict], *, replace: bool) -> int:
    written = 0
    with tarfile.open(path, "r") as archive:
        for member in archive:
            if not member.isfile():
                continue  # directories come with their files; nothing else is ever archived
            if member.name not in expected:
                raise BackupError(f"{path.name}: {member.name} is not in the manifest")
            if replace and storage.exists(member.name):
                storage.delete(member.name)
            saved = storage.save(member.name, File(archive.extractfile(member), name=member.name))
            if saved != member.name:
                raise BackupError(f"{member.name} was stored as {saved}: the storage already had that name")
            if stored_sha256(storage, saved) != expected[member.name]["sha256"]:
                raise BackupError(f"{member.name} does not read back as it was backed up")
            written += 1
    if written != len(expected):
        raise BackupError(f"{path.name} holds {written} files, the manifest {len(expected)}")
    return written


# -- the two commands ---------------------------------------------------------------------------


def backup(directory: Path, database: str = "default") -> Report:
    started = time.perf_counter()
    connection = connections[database]
    engine = engine_of(connection)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    final = Path(directory) / f"portal-{stamp}"
    partial = Path(directory) / f".portal-{stamp}.partial"
    if final.exists() or partial.exists():
        raise BackupError(f"{final} already exists")
    partial.mkdir(parents=True)
    try:
        database_file = DATABASE_FILES[engine]
        rows = dump_database(connection, engine, partial / database_file)
        manifest = {
            "format": FORMAT,
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "engine": engine,
            "database": {"file": database_file, "tables": rows},
            "storages": {},
        }
        for alias, archive in ARCHIVES.items():
            files = archive_storage(storages[alias], partial / archive)
            manifest["storages"][alias] = {"file": archive, "files": files}
        sums = []
        for part in [manifest["database"], *manifest["storages"].values()]:
            part["sha256"] = sha256_of(partial / part["file"])
            part["bytes"] = (partial / part["file"]).stat().st_size
            sums.append(f"{part['sha256']}  {part['file']}\n")
        (partial / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        (partial / SUMS).write_text("".join(sums), encoding="utf-8")
        partial.rename(final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return Report(
        path=final,
        engine=engine,
        seconds=time.perf_counter() - started,
        bytes=sum(path.stat().st_size for path in final.iterdir()),
        rows=sum(rows.values()),
        tables=len(rows),
        files={alias: len(part["files"]) for alias, part in manifest["storages"].items()},
    )


def read_manifest(source: Path) -> dict:
    """The manifest, once every archive it names has the checksum it records."""
    try:
        manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(f"{source} is not a backup: {exc}") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{source}: backup format {manifest.get('format')!r}, this portal reads {FORMAT}")
    if set(manifest["storages"]) != set(ARCHIVES):
        raise BackupError(f"{source}: the backup holds the storages {sorted(manifest['storages'])}")
    for part in [manifest["database"], *manifest["storages"].values()]:
        path = source / part["file"]
        if not path.is_file() or sha256_of(path) != part["sha256"]:
            raise BackupError(f"{path} is missing or damaged (its sha256 differs from the manifest)")
    return manifest


def restore(source: Path, database: str = "default", *, force: bool = False) -> Report:
    started = time.perf_counter()
    source = Path(source)
    manifest = read_manifest(source)
    connection = connections[database]
    engine = engine_of(connection)
    if manifest["engine"] != engine:
        raise BackupError(f"this is a {manifest['engine']} backup; the {database!r} database is {engine}")
    tables = database_tables(connection)
    if tables and not force:
        raise BackupError(
            f"the {database!r} database is not empty ({len(tables)} tables): restore into an empty "
            "database, or give --force to replace what it holds"
        )
    for alias in ARCHIVES:
        name = first_stored_name(storages[alias])
        if name is not None and not force:
            raise BackupError(
                f"the {alias!r} storage is not empty (it holds {name}): restore into empty storage, "
                "or give --force to overwrite files of the same name"
            )
    load_database(connection, engine, source / manifest["database"]["file"], replace=bool(tables))
    files = {}
    for alias, part in manifest["storages"].items():
        files[alias] = unpack_storage(storages[alias], source / part["file"], part["files"], replace=force)
    rows = restored_rows(connection)
    expected = manifest["database"]["tables"]
    different = {table: (rows.get(table), count) for table, count in expected.items() if rows.get(table) != count}
    if different:
        raise BackupError(f"restored tables differ from the backup (restored, backed up): {different}")
    pagecache.purge_all()  # pages cached from what the database held before
    return Report(
        path=source,
        engine=engine,
        seconds=time.perf_counter() - started,
        bytes=sum(path.stat().st_size for path in source.iterdir()),
        rows=sum(rows.values()),
        tables=len(rows),
        files=files,
    )
