"""schema.org JSON-LD of service guides (GovernmentService)."""

from __future__ import annotations

from portal.structured_data import CONTEXT, page_url, publisher


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
        "isAccessibleForFree": page.fees.strip() in ("", "不收费", "免费"),
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
