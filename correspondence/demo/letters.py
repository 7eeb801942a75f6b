"""Demo mailboxes and letters for every site (content in ``content_letters.py``).

Letters get stable codes (``XJDEMOM01``: site initial and number) and one shared demo
password, ``DEMO2026``, so the lookup can be tried; dates are set relative to the day
the demo is loaded so that "open", "overdue" and "answered late" mean what they say.
Created only when missing, like the rest of the loader. A few letters come with attachments
(``attachments.py``), stored in the private storage like a writer's upload.

A mailbox marked ``signoff`` has its replies signed off (签批) by the group the demo loader
passes (the site's 审核 group); its letters with a ``signoff`` entry show a reply waiting for
sign-off and one approved after being sent back once, with the demo accounts named there."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.utils import timezone
from django.utils.html import escape

from portal.models import SiteIdentity
from portal.workdays import WorkCalendar

from ..models import (
    Letter,
    LetterDepartment,
    LetterEvent,
    MailboxCategory,
    MailboxIndexPage,
    MailboxPage,
)
from . import attachments, content_letters

DEMO_PASSWORD = "DEMO2026"
INDEX_TITLE = "互动交流"
INDEX_INTRO = "写信反映问题、咨询政策、投诉举报或申请公开政府信息，我们按期答复，事事有回音。"
LETTER_PERMISSIONS = ("view_letter", "handle_letter")


class LettersLoader:
    def __init__(self, loader):
        self.loader = loader
        self.calendar = WorkCalendar.load()
        self.password_hash = None
        self.approvers = None
        self.users = {}

    def run(self, spec: dict, site, home, group: Group, approvers: Group | None = None) -> None:
        """``group`` handles the site's letters; ``approvers`` signs off the replies of the
        mailboxes marked ``signoff``."""
        key = spec["key"]
        self.approvers = approvers
        departments = self.departments(site, content_letters.DEPARTMENTS[key])
        index = self.loader.add_page(
            home, MailboxIndexPage(title=INDEX_TITLE, slug="hdjl", intro=INDEX_INTRO, show_in_menus=True)
        )
        mailboxes = {}
        for entry in content_letters.MAILBOXES[key]:
            mailboxes[entry["slug"]] = self.loader.add_page(
                index,
                MailboxPage(
                    title=entry["title"],
                    slug=entry["slug"],
                    kind=entry["kind"],
                    intro=entry["intro"],
                    rules="".join(f"<p>{escape(paragraph)}</p>" for paragraph in entry["rules"]),
                    department=departments.get(entry.get("department")),
                    categories=[MailboxCategory(name=name) for name in entry["categories"]],
                    **self.signoff_settings(entry),
                ),
            )
        for number, entry in enumerate(content_letters.LETTERS[key], start=1):
            self.letter(f"XJDEMO{key[0].upper()}{number:02d}", site, mailboxes[entry["mailbox"]], departments, entry)
        self.link_error_report(site, mailboxes)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="correspondence", codename__in=LETTER_PERMISSIONS)
        )

    def signoff_settings(self, entry: dict) -> dict:
        if entry.get("signoff") and self.approvers is not None:
            return {"signoff_required": True, "signoff_group": self.approvers}
        return {}

    def require_signoff(self, mailbox: MailboxPage) -> None:
        """A demo database loaded before sign-off existed: the mailbox gets it together with
        its sign-off letters (so once; a later change in the admin stays)."""
        if mailbox.signoff_group_id or self.approvers is None:
            return
        mailbox.signoff_required = True
        mailbox.signoff_group = self.approvers
        mailbox.save_revision().publish()
        self.loader.note(f"sign-off for {mailbox.title}")

    def user(self, username: str):
        if username not in self.users:
            self.users[username] = get_user_model().objects.filter(username=username).first()
        return self.users[username]

    def departments(self, site, entries) -> dict[str, LetterDepartment]:
        found = {}
        for name, email in entries:
            department, created = LetterDepartment.objects.get_or_create(
                site=site, name=name, defaults={"email": email}
            )
            if created:
                self.loader.note(f"department {name}")
            found[name] = department
        return found

    def link_error_report(self, site, mailboxes) -> None:
        """The footer's 我为政府网站找错 goes to the site's own 网站找错 mailbox."""
        target = next((page for page in mailboxes.values() if page.kind == "site_error"), None)
        identity = SiteIdentity.for_site(site)
        if target and not identity.error_report_page_id:
            identity.error_report_page = target
            identity.save()

    def at(self, day, hour: int, minute: int = 0):
        return timezone.make_aware(datetime.combine(day, time(hour, minute)))

    def letter(self, code: str, site, mailbox: MailboxPage, departments: dict, entry: dict) -> None:
        if Letter.objects.filter(code=code).exists():
            return
        self.password_hash = self.password_hash or make_password(DEMO_PASSWORD)
        now = timezone.now()
        today = timezone.localdate()
        received_day = today - timedelta(days=entry["received_days_ago"])
        received_at = min(self.at(received_day, 9 + entry["received_days_ago"] % 9, 17), now)
        due = self.calendar.add_workdays(received_day, mailbox.reply_days)
        state = entry["state"]
        letter = Letter.objects.create(
            mailbox=mailbox,
            site=site,
            code=code,
            password_hash=self.password_hash,
            language="en" if entry["subject"].isascii() else "zh-hans",
            name=entry["name"],
            phone=entry["phone"],
            email=entry["email"],
            subject=entry["subject"],
            category=entry["category"],
            content=entry["content"],
            consent_publish=entry.get("consent", False),
            received_at=received_at,
            due_date=due,
            department=departments.get(entry.get("department")),
        )
        events = [(LetterEvent.Action.RECEIVED, received_at, "", None)]
        if state != "new":
            assigned_at = min(self.at(self.calendar.add_workdays(received_day, 1), 10), now)
            events.append((LetterEvent.Action.ASSIGNED, assigned_at, entry["department"], None))
            letter.status = Letter.Status.ASSIGNED
        if entry.get("extension_reason") and mailbox.extra_days:
            letter.due_date = self.calendar.add_workdays(due, mailbox.extra_days)
            letter.extended = True
            letter.status = Letter.Status.EXTENDED
            extended_at = min(self.at(self.calendar.add_workdays(received_day, min(5, mailbox.reply_days)), 15), now)
            events.append((LetterEvent.Action.EXTENDED, extended_at, entry["extension_reason"], None))
        signoff = entry.get("signoff")
        if signoff:
            self.require_signoff(mailbox)
            events += self.signoff_steps(letter, received_day, signoff, entry)
        if state in ("replied", "not_handled"):
            answered_day = self.calendar.add_workdays(received_day, entry["reply_after_workdays"])
            letter.answered_at = min(self.at(answered_day, 16, 30), now)
            if state == "replied":
                letter.status = Letter.Status.REPLIED
                letter.reply = entry["reply"]
                drafter = None
                if signoff:
                    approved_at = min(self.at(answered_day, 16, 20), now)
                    approver = self.user(signoff["approver"])
                    events.append((LetterEvent.Action.SIGNOFF_APPROVED, approved_at, "", approver))
                    drafter = letter.draft_by
                events.append((LetterEvent.Action.REPLIED, letter.answered_at, "", drafter))
                if entry.get("publish") and letter.consent_publish:
                    letter.is_published = True
                    letter.published_at = min(letter.answered_at + timedelta(hours=1), now)
                    events.append((LetterEvent.Action.PUBLISHED, letter.published_at, "", None))
            else:
                letter.status = Letter.Status.NOT_HANDLED
                letter.reply = entry["not_handled_reason"]
                events.append((LetterEvent.Action.NOT_HANDLED, letter.answered_at, "", None))
        letter.save()
        attachments.attach(letter, entry.get("attachments", []))
        LetterEvent.objects.bulk_create(
            LetterEvent(letter=letter, action=action, created_at=when, note=note, user=user)
            for action, when, note, user in events
        )
        self.loader.note(f"letter {code}")

    def signoff_steps(self, letter: Letter, received_day, signoff: dict, entry: dict) -> list[tuple]:
        """Submitted for sign-off (and, when ``returned``, sent back and submitted again); a
        letter in the state ``signoff`` is left waiting with its draft."""
        now = timezone.now()
        drafter, approver = self.user(signoff["drafter"]), self.user(signoff["approver"])
        submitted_day = self.calendar.add_workdays(received_day, signoff["submitted_after_workdays"])
        steps = [(LetterEvent.Action.SIGNOFF_SUBMITTED, min(self.at(submitted_day, 15), now), "", drafter)]
        if signoff.get("returned"):
            returned_at = min(self.at(self.calendar.add_workdays(submitted_day, 1), 10, 30), now)
            steps.append((LetterEvent.Action.SIGNOFF_RETURNED, returned_at, signoff["returned"], approver))
            resubmitted_day = self.calendar.add_workdays(received_day, signoff["resubmitted_after_workdays"])
            steps.append((LetterEvent.Action.SIGNOFF_SUBMITTED, min(self.at(resubmitted_day, 14), now), "", drafter))
        letter.draft_by = drafter
        if entry["state"] == "signoff":
            letter.signoff = Letter.Signoff.PENDING
            letter.draft_reply = entry["reply"]
        return steps
