"""The demo's registers: five on each content site under 政府信息公开, a few hundred entries,
some past their publication period, loaded again without change."""

import pytest
from django.utils import timezone

from registers.demo import RegistersLoader
from registers.models import RegisterEntry, RegisterPage
from tests.helpers import HOSTS, site_of

pytestmark = pytest.mark.django_db


class Quiet:
    created = 0

    def note(self, what):
        self.created += 1

    def add_page(self, parent, page):
        return parent.get_children().get(slug=page.slug).specific


def test_the_demo_has_five_registers_per_site_and_a_few_hundred_entries():
    for key in ("main", "jia", "yi"):
        pages = RegisterPage.objects.live().descendant_of(site_of(key).root_page)
        assert sorted(pages.values_list("kind", flat=True)) == sorted(
            ["arrears", "violations", "a_grade", "licences", "penalties"]
        ), HOSTS[key]
    total = RegisterEntry.objects.count()
    assert 300 <= total <= 500
    ended = RegisterEntry.objects.filter(page__kind="violations", ends_on__lt=timezone.localdate())
    assert ended.exists() and not RegisterEntry.objects.public().filter(pk__in=ended).exists()
    loader = Quiet()
    RegistersLoader(loader).run()
    assert loader.created == 0 and RegisterEntry.objects.count() == total
