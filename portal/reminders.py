"""Daily reminder jobs. ``manage.py send_letter_reminders`` (run from cron each morning) sends
the letters' reminders and then runs every job registered here, so one cron line reminds
staff of everything that is due: an app registers its job in its ``ready()``, e.g. 依申请公开
(inforequests/reminders.py). A job is called with the command (for ``stdout``/``stderr``) and
must be safe to run twice a day."""

from __future__ import annotations

from collections.abc import Callable

_jobs: list[Callable] = []


def register(job: Callable) -> None:
    if job not in _jobs:
        _jobs.append(job)


def jobs() -> list[Callable]:
    return list(_jobs)
