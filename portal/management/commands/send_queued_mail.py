"""``manage.py send_queued_mail`` (cron, every minute): django-post-office's command, which
delivers the outbox, followed by :func:`portal.outbox.space_retries`, so a mail that keeps
failing is tried again after 5, 10, 20 … minutes rather than every ``RETRY_INTERVAL``.

It takes post_office's command's place because "portal" comes before "post_office" in
``INSTALLED_APPS``; the options are post_office's (``--processes``, ``--lockfile``,
``--log-level``)."""

from django.utils import timezone
from post_office.management.commands.send_queued_mail import Command as PostOfficeCommand

from portal.outbox import space_retries


class Command(PostOfficeCommand):
    help = "Deliver the outbox (发信队列); failed mails are tried again later, each wait twice the last."

    def handle(self, *args, **options):
        started = timezone.now()
        super().handle(*args, **options)
        space_retries(since=started)
