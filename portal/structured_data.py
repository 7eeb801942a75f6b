"""schema.org JSON-LD for pages search engines should understand: articles (Article),
policy documents (Legislation), interpretations (Article about Legislation) and service
guides (GovernmentService). Each function returns a plain dict; ``{% structured_data %}``
renders it safely into ``<script type="application/ld+json">``."""

from __future__ import annotations

from django.utils import timezone

from portal.models import SiteIdentity

CONTEXT = "https://schema.org"
LEGAL_FORCE = {"valid": "InForce", "expired": "NotInForce", "amended": "PartiallyInForce"}


def _publisher(request) -> dict:
    identity = SiteIdentity.for_request(request)
    return {"@type": "GovernmentOrganization", "name": identity.site_name, "url": request.build_absolute_uri("/")}


def _url(page, request) -> str:
    return page.get_full_url(request)


def article_data(page, request) -> dict:
    data = {
        "@context": CONTEXT,
        "@type": "Article",
        "headline": page.title,
        "datePublished": timezone.localtime(page.date).isoformat(),
        "inLanguage": "zh-Hans",
        "url": _url(page, request),
        "mainEntityOfPage": _url(page, request),
        "publisher": _publisher(request),
    }
    if page.last_published_at:
        data["dateModified"] = timezone.localtime(page.last_published_at).isoformat()
    if page.summary:
        data["description"] = page.summary
    if page.author:
        data["author"] = {"@type": "Person", "name": page.author}
    elif page.source:
        data["author"] = {"@type": "Organization", "name": page.source}
    if page.keywords:
        data["keywords"] = page.keywords
    return data


def _legislation_ref(policy) -> dict:
    ref = {"@type": "Legislation", "name": policy.title, "legislationLegalForce": LEGAL_FORCE[policy.validity]}
    if policy.document_number:
        ref["legislationIdentifier"] = policy.document_number
    return ref


def policy_data(page, request) -> dict:
    data = {
        "@context": CONTEXT,
        "@type": "Legislation",
        "name": page.title,
        "legislationLegalForce": LEGAL_FORCE[page.validity],
        "legislationPassedBy": {"@type": "GovernmentOrganization", "name": page.issuing_body},
        "datePublished": timezone.localtime(page.date).date().isoformat(),
        "inLanguage": "zh-Hans",
        "url": _url(page, request),
        "publisher": _publisher(request),
    }
    if page.document_number:
        data["legislationIdentifier"] = page.document_number
    if page.written_date:
        data["legislationDate"] = page.written_date.isoformat()
    if page.summary:
        data["description"] = page.summary
    if page.theme_id:
        data["about"] = page.theme.name
    return data


def interpretation_data(page, request, policies) -> dict:
    data = article_data(page, request)
    data["about"] = [_legislation_ref(policy) for policy in policies]
    data["genre"] = page.get_kind_display()
    return data


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
        "url": _url(page, request),
        "provider": _publisher(request),
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
