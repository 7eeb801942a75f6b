"""``manage.py restore BACKUP [--force]``: a backup made by ``manage.py backup`` into an empty
database and empty storage (portal/backups.py; README, "Backup and restore")."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal import backups


class Command(BaseCommand):
    help = (
        "Restore a backup directory into an empty database and empty storage; checks every archive first "
        "and every file and table after."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", help="a directory made by manage.py backup")
        parser.add_argument("--database", default="default", help="the database alias (default: default)")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace a database that has tables and overwrite stored files of the same name",
        )

    def handle(self, *args, **options):
        try:
            report = backups.restore(Path(options["backup"]), options["database"], force=options["force"])
        except backups.BackupError as exc:
            raise CommandError(str(exc)) from None
        files = ", ".join(f"{alias} {count} files" for alias, count in report.files.items())
        self.stdout.write(
            f"restored {report.path}: {report.tables} tables, {report.rows} rows, {files}, every one checked, "
            f"in {report.seconds:.1f} s. If this code is newer than the backup, run manage.py migrate; "
            "with Elasticsearch, manage.py update_index."
        )
