"""Public reads of applications: what an applicant sees of their own application."""

from __future__ import annotations

from .models import Application, ApplicationEvent


def public_events(application: Application) -> list[ApplicationEvent]:
    """The steps shown to the applicant, without who took them."""
    return [event for event in application.events.all() if event.public]


def extension_reason(application: Application) -> str:
    event = application.events.filter(action=ApplicationEvent.Action.EXTENDED).order_by("-created_at").first()
    return event.note if event else ""
