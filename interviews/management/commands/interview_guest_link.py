from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils import timezone

from interviews import services
from interviews.models import InterviewPage


class Command(BaseCommand):
    help = (
        "Print a personal guest link for each guest of an interview (or one guest), "
        "e.g. to run the live demo: manage.py interview_guest_link upcoming"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "interview", help="the interview page's slug or id; 'upcoming' picks the next interview not yet ended"
        )
        parser.add_argument("--guest", default="", help="only the guest with this name")
        parser.add_argument("--hours", type=int, default=48, help="how long the link works (default 48)")

    def handle(self, *args, interview, guest, hours, **options):
        page = self.find(interview)
        links = page.guest_links.select_related("guest")
        if guest:
            links = links.filter(guest__name=guest)
        if not links:
            raise CommandError(f"{page.title} has no guest named {guest!r}")
        expires = timezone.now() + timedelta(hours=hours)
        site = page.get_site()
        base = site.root_url if site else "http://localhost:8000"
        self.stdout.write(f"{page.title} · {page.status_label()} · {page.full_url}")
        for link in links:
            invitation, token = services.invite(page, link.guest, None, expires)
            url = base + reverse("interviews:guest_token", args=(page.pk, token))
            self.stdout.write(f"{link.guest.name}: {url}")
        self.stdout.write(f"(valid until {timezone.localtime(expires):%Y-%m-%d %H:%M}; the host can revoke them)")

    def find(self, key: str) -> InterviewPage:
        pages = InterviewPage.objects.live()
        if key == "upcoming":
            for page in pages.select_related("state").order_by("scheduled_start"):
                if page.accepts_questions():
                    return page
            raise CommandError("no interview is upcoming or live")
        page = pages.filter(pk=int(key)).first() if key.isdigit() else pages.filter(slug=key).first()
        if page is None:
            raise CommandError(f"no live interview with slug or id {key!r}")
        return page
