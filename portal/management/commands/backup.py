"""``manage.py backup [DIRECTORY]``: the database and every stored file into DIRECTORY/portal-<time>/
(portal/backups.py; README, "Backup and restore")."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal import backups


class Command(BaseCommand):
    help = "Back up the database, MEDIA_ROOT's files and the private files (letter attachments) into one directory."

    def add_arguments(self, parser):
        parser.add_argument("directory", nargs="?", default="backups", help="where the backup directory is made")
        parser.add_argument("--database", default="default", help="the database alias (default: default)")

    def handle(self, *args, **options):
        try:
            report = backups.backup(Path(options["directory"]), options["database"])
        except backups.BackupError as exc:
            raise CommandError(str(exc)) from None
        files = ", ".join(f"{alias} {count} files" for alias, count in report.files.items())
        self.stdout.write(
            f"{report.path}: {report.engine}, {report.tables} tables, {report.rows} rows, {files}; "
            f"{report.bytes / 1e6:.1f} MB in {report.seconds:.1f} s"
        )
