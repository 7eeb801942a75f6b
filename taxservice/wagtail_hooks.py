"""What the filing calendar adds to other pages: the 本月征期 box on the site's home page."""

from wagtail import hooks

from home import panels as home_panels
from portal import extensions

from . import queries


@hooks.register(home_panels.HOME_PAGE)
def month_deadlines(page, request):
    """This month's filing deadlines of the site's live calendar (one query)."""
    deadlines = queries.month_deadlines_for_home(page)
    if not deadlines:
        return None
    return extensions.Panel("taxservice/includes/month_deadlines.html", {"filing_deadlines": deadlines})
