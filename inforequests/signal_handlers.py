"""What the app adds to others at start-up: its part of the daily reminder job."""

from portal import reminders


def connect() -> None:
    from .reminders import send_reminders

    reminders.register(send_reminders)
