"""Public reads of applications: what an applicant sees of their own application."""

from __future__ import annotations

from correspondence.queries import names_in

from .models import ApplicantType, Application, ApplicationEvent


def public_events(application: Application) -> list[ApplicationEvent]:
    """The steps shown to the applicant, without who took them."""
    return [event for event in application.events.all() if event.public]


def extension_reason(application: Application) -> str:
    event = application.events.filter(action=ApplicationEvent.Action.EXTENDED).order_by("-created_at").first()
    return event.note if event else ""


def applicant_names_in(texts: list[str]) -> set[str]:
    """Applicants' names (people, not organisations) that occur in the texts: masked in the
    search log and kept off the popular searches (``search.personal``)."""
    return names_in(texts, Application.objects.filter(applicant_type=ApplicantType.PERSON))
