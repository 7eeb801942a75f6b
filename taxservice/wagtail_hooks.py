"""What the filing calendar and the hall directory add to other pages: the 本月征期 box on the
site's home page; on a city's local guide, the halls its 受理地点 names (address, hours,
phone and a link to the hall's page in the 办税地图)."""

from django.utils import timezone
from wagtail import hooks

from guides import panels as guide_panels
from home import panels as home_panels
from portal import extensions
from portal.sitedata import remember_for

from . import queries


@hooks.register(home_panels.HOME_PAGE)
def month_deadlines(page, request):
    """This month's filing deadlines of the site's live calendar (one query per day and site
    data snapshot: kept with the site data, under today's date)."""
    today = timezone.localdate()
    deadlines = remember_for(
        request, "month_deadlines", (page.pk, today), lambda: queries.month_deadlines_for_home(page, today)
    )
    if not deadlines:
        return None
    return extensions.Panel("taxservice/includes/month_deadlines.html", {"filing_deadlines": deadlines})


@hooks.register(guide_panels.LOCAL_GUIDE_PLACE)
def halls_of_local_guide(page, request):
    """The halls a local guide's place names, as the 办税地图 shows them (no query once the
    site data holds the site's halls)."""
    halls = queries.halls_named_in(page.local_place, request)
    if not halls:
        return None
    return extensions.Panel("taxservice/includes/local_guide_halls.html", {"named_halls": halls})
