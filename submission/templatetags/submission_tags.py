"""On an article page: where a submitted copy comes from, or where its original was taken up.

One query per article or interpretation page (both directions at once), none on a policy."""

from django import template
from django.db.models import Q

from ..models import Submission
from ..services import SUBMITTABLE_TYPES

register = template.Library()

SHOWN_ON_ORIGINAL = (Submission.Status.ACCEPTED, Submission.Status.RE_REVIEW)


@register.simple_tag(takes_context=True)
def submission_links(context, page) -> dict:
    """``{"origin": <Submission of which the page is the copy>, "taken_up": [(title, url)]}``."""
    result = {"origin": None, "taken_up": []}
    if type(page) not in SUBMITTABLE_TYPES:  # policy documents are never submitted: no query
        return result
    request = context.get("request")
    rows = Submission.objects.filter(
        Q(copy_id=page.pk) | Q(source_page_id=page.pk, status__in=SHOWN_ON_ORIGINAL, copy__live=True)
    ).select_related("copy")
    for row in rows:
        if row.copy_id == page.pk:
            result["origin"] = row
        else:
            url = row.copy.get_full_url(request)
            if url:
                result["taken_up"].append((row.copy.title, url))
    return result
