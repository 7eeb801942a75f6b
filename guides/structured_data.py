"""schema.org JSON-LD of service guides (GovernmentService)."""

from __future__ import annotations

import re

from portal.structured_data import CONTEXT, page_url, publisher

# Notes in brackets anywhere in the fee text: 不收费（应缴税款按规定缴纳）, 免费(首次领取).
_NOTES = re.compile(r"（[^）]*）|\([^)]*\)|【[^】]*】|\[[^\]]*\]")
# What a free service's fee text starts with; 无 only on its own (无线… is not 无).
_FREE = re.compile(r"(不收费|免费|无(?![\w])|free\b|no (fee|charge)s?\b|none\b)", re.IGNORECASE)


def is_free_of_charge(fees: str) -> bool:
    """The guide's 收费标准 says the service costs nothing: empty, or starting with 不收费,
    免费 or 无 (or the English edition's "Free of charge", "No fee") once notes in brackets
    are set aside."""
    text = _NOTES.sub("", fees).strip()
    return not text or _FREE.match(text) is not None


def guide_data(page, request) -> dict:
    channel = {"@type": "ServiceChannel", "name": page.title}
    if page.online_url:
        channel["serviceUrl"] = page.online_url
    if page.phone:
        channel["servicePhone"] = {"@type": "ContactPoint", "telephone": page.phone}
    if page.place:
        channel["serviceLocation"] = {"@type": "Place", "name": page.place}
    if page.hours:
        channel["availableLanguage"] = "zh-Hans"
    data = {
        "@context": CONTEXT,
        "@type": "GovernmentService",
        "name": page.title,
        "url": page_url(page, request),
        "provider": publisher(request),
        "audience": [{"@type": "Audience", "audienceType": label} for label in page.audience_labels],
        "availableChannel": channel,
        "isAccessibleForFree": is_free_of_charge(page.fees),
    }
    if page.item_code:
        data["identifier"] = page.item_code
    if page.summary:
        data["description"] = page.summary
    if page.theme_id:
        data["serviceType"] = page.theme.name
    if page.department_id:
        data["serviceOperator"] = {"@type": "GovernmentOrganization", "name": page.department.name}
    return data
