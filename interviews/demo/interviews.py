"""Demo online interviews for the provincial site (content in ``content_interviews.py``).

Archived interviews get their whole history: the host's start and end, approved questions
with their answers at the minute they were posted, one pinned and one corrected entry,
written replies after the end and a rejected question that never appears. The upcoming
interview is announced ``days_ahead`` days after the day the demo is loaded and has
questions waiting for moderation, so the live demo can be run (see README, "Online
interviews"). Users: ``host`` (访谈主持人) and ``guest`` (a guest of the upcoming interview)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.utils import timezone
from wagtail.models import GroupPagePermission, Locale, Page

from portal.workdays import WorkCalendar

from ..models import (
    Entry,
    Guest,
    InterviewGuest,
    InterviewIndexPage,
    InterviewPage,
    InterviewPolicy,
    InterviewState,
    Question,
    Status,
)
from . import content_interviews

INDEX_TITLE = "在线访谈"
INDEX_INTRO = "局领导和业务处室负责人做客在线访谈，解读税费政策，现场回答网友提问。访谈提前发布预告，欢迎提前提问。"
HOST_GROUP = "访谈主持人"
GUEST_GROUP = "访谈嘉宾"


class InterviewsLoader:
    def __init__(self, loader):
        self.loader = loader
        self.calendar = WorkCalendar.load()
        self.locale = Locale.get_default()

    def run(self, home, collection) -> InterviewIndexPage:
        index = self.loader.add_page(
            home, InterviewIndexPage(title=INDEX_TITLE, slug="zxft", intro=INDEX_INTRO, show_in_menus=True)
        )
        guests = {key: self.guest(spec, collection) for key, spec in content_interviews.GUESTS.items()}
        for spec in content_interviews.INTERVIEWS:
            self.interview(index, home, spec, guests, collection)
        self.accounts(index, guests)
        return index

    def guest(self, spec: dict, collection) -> Guest:
        guest = Guest.objects.filter(name=spec["name"], locale=self.locale).first()
        if guest:
            return guest
        alt = f"{spec['name']}，{spec['organisation']}{spec['title']}（示意头像）"
        image = self.loader.generated_image(
            f"访谈嘉宾：{spec['name']}",
            alt,
            spec["name"],
            collection,
            palette=spec["palette"],
            seed=spec["name"],
            filename=f"demo-guest-{spec['name']}.png",
            width=480,
            height=600,
        )
        guest = Guest.objects.create(
            name=spec["name"],
            title=spec["title"],
            organisation=spec["organisation"],
            bio=spec["bio"],
            photo=image,
            photo_alt=alt,
            locale=self.locale,
        )
        self.loader.note(f"guest {guest.name}")
        return guest

    def schedule(self, spec: dict):
        if "start" in spec:
            start = datetime.strptime(spec["start"], "%Y-%m-%d %H:%M")
        else:
            day = timezone.localdate() + timedelta(days=spec["days_ahead"])
            start = datetime.combine(day, time.fromisoformat(spec["start_time"]))
        start = timezone.make_aware(start)
        return start, start + timedelta(minutes=spec["minutes"])

    def interview(self, index, home, spec: dict, guests: dict, collection) -> None:
        start, end = self.schedule(spec)
        image_spec = spec["image"]
        cover = self.loader.generated_image(
            image_spec["title"],
            image_spec["alt"],
            image_spec["label"],
            collection,
            palette=image_spec["palette"],
            seed=spec["slug"],
            filename=f"demo-interview-{spec['slug']}.png",
        )
        policies = Page.objects.descendant_of(home).filter(slug__in=spec["policies"])
        announced = min(start - timedelta(days=5), timezone.now())
        page = self.loader.add_page(
            index,
            InterviewPage(
                title=spec["title"],
                slug=spec["slug"],
                summary=spec["summary"],
                scheduled_start=start,
                scheduled_end=end,
                host=spec["host"],
                host_title=spec.get("host_title", ""),
                cover=cover,
                cover_alt=image_spec["alt"],
                guest_links=[InterviewGuest(guest=guests[key]) for key in spec["guests"]],
                policy_links=[InterviewPolicy(policy=policy) for policy in policies],
            ),
            first_published_at=announced,
        )
        if "days_ahead" in spec:
            self.keep_upcoming(page, start, end)
        if page.questions.exists() or page.entries.exists():
            return
        if "start" in spec and end < timezone.now():
            self.history(page, spec, guests, start, end)
        for question in spec.get("pending", []):
            Question.objects.create(
                interview=page, name=question["name"], content=question["text"], submitted_at=timezone.now()
            )

    def keep_upcoming(self, page: InterviewPage, start, end) -> None:
        """The demo's upcoming interview stays upcoming: when the demo is loaded again after
        its date and nobody started it, it is announced again ``days_ahead`` days ahead."""
        if page.status() != Status.ENDED or page.live_state.started_at:
            return
        page.scheduled_start, page.scheduled_end = start, end
        page.save_revision().publish()
        self.loader.note(f"rescheduled {page.title}")

    def history(self, page: InterviewPage, spec: dict, guests: dict, start, end) -> None:
        """The transcript as it was posted, minute by minute."""
        revision = 0
        pinned = None

        def add(**fields) -> Entry:
            nonlocal revision
            revision += 1
            return Entry.objects.create(interview=page, revision=revision, **fields)

        def asked(question: dict, minute: int) -> Question:
            return Question.objects.create(
                interview=page,
                name=question["name"] if question["name"] != "网友" else "",
                content=question["text"],
                moderation=Question.Moderation.APPROVED,
                guest=guests[question["answers"][0]["guest"]] if question.get("answers") else None,
                submitted_at=start - timedelta(minutes=30) + timedelta(minutes=minute // 2),
                moderated_at=start + timedelta(minutes=minute),
            )

        def answer(parent: Entry, spec_answer: dict, when, written=False) -> None:
            guest = guests[spec_answer["guest"]]
            add(
                kind=Entry.Kind.ANSWER,
                parent=parent,
                guest=guest,
                speaker=guest.name,
                text=spec_answer["text"],
                written=written,
                posted_at=when,
                edited_at=when + timedelta(minutes=3) if spec_answer.get("edited") else None,
            )

        for item in spec["transcript"]:
            when = start + timedelta(minutes=item["minute"])
            if item["kind"] == "question":
                question = asked(item, item["minute"])
                entry = add(
                    kind=Entry.Kind.QUESTION,
                    question=question,
                    speaker=question.name,
                    text=question.content,
                    posted_at=when,
                )
                for reply in item.get("answers", []):
                    answer(entry, reply, start + timedelta(minutes=reply["minute"]))
            elif item["kind"] == "host":
                entry = add(kind=Entry.Kind.HOST, speaker=page.host, text=item["text"], posted_at=when)
            else:
                guest = guests[item["guest"]]
                entry = add(kind=Entry.Kind.GUEST, guest=guest, speaker=guest.name, text=item["text"], posted_at=when)
            if item.get("pinned"):
                pinned = entry
        ended_day = timezone.localtime(end).date()
        for number, item in enumerate(spec.get("written", []), start=1):
            question = asked({**item, "answers": [item["answer"]]}, spec["minutes"] - 5)
            entry = add(
                kind=Entry.Kind.QUESTION,
                question=question,
                speaker=question.name,
                text=question.content,
                posted_at=end - timedelta(minutes=5) + timedelta(seconds=number),
            )
            replied = self.calendar.add_workdays(ended_day, item["days_after"])
            answer(entry, item["answer"], timezone.make_aware(datetime.combine(replied, time(16, 0))), written=True)
        for item in spec.get("rejected", []):
            Question.objects.create(
                interview=page,
                name=item["name"],
                content=item["text"],
                moderation=Question.Moderation.REJECTED,
                submitted_at=start + timedelta(minutes=10),
                moderated_at=start + timedelta(minutes=12),
            )
        InterviewState.objects.update_or_create(
            page=page, defaults={"started_at": start, "ended_at": end, "pinned": pinned, "revision": revision}
        )
        self.loader.note(f"transcript {page.title} ({revision} entries)")

    def accounts(self, index: InterviewIndexPage, guests: dict) -> None:
        """``host`` may host the site's interviews; ``guest`` is the upcoming interview's first guest."""
        host_group, created = Group.objects.get_or_create(name=HOST_GROUP)
        if created:
            host_group.permissions.add(
                Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
                Permission.objects.get(content_type__app_label="interviews", codename="host_interview"),
            )
            for permission_type in ("change", "publish"):
                GroupPagePermission.objects.create(group=host_group, page=index, permission_type=permission_type)
        guest_group, created = Group.objects.get_or_create(name=GUEST_GROUP)
        if created:
            guest_group.permissions.add(
                Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
            )
        self.loader.user("host", "demo-host-2026", group=host_group, first_name="访谈主持人")
        self.loader.user("guest", "demo-guest-2026", group=guest_group, first_name="访谈嘉宾")
        upcoming = next((spec for spec in content_interviews.INTERVIEWS if "days_ahead" in spec), None)
        if upcoming:
            guest = guests[upcoming["guests"][0]]
            if guest.user_id is None:
                guest.user = get_user_model().objects.get(username="guest")
                guest.save(update_fields=["user"])
