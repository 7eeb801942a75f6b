"""schema.org JSON-LD of articles (Article), policy documents (Legislation) and
interpretations (Article about Legislation)."""

from __future__ import annotations

from django.utils import timezone

from portal.structured_data import CONTEXT, page_url, publisher

LEGAL_FORCE = {"valid": "InForce", "expired": "NotInForce", "amended": "PartiallyInForce"}


def article_data(page, request) -> dict:
    data = {
        "@context": CONTEXT,
        "@type": "Article",
        "headline": page.title,
        "datePublished": timezone.localtime(page.date).isoformat(),
        "inLanguage": "zh-Hans",
        "url": page_url(page, request),
        "mainEntityOfPage": page_url(page, request),
        "publisher": publisher(request),
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
        "url": page_url(page, request),
        "publisher": publisher(request),
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
