"""信息报送 with Wagtail's own mechanisms: the submitted text is a draft copy of the city
article in the chosen column of the main site (``Page.copy``), reviewed in the workflow the
main site assigns to that tree (``Workflow.start``) and published by it; the ``Submission``
row only records the submission and follows the copy's workflow (``signals.py``).

- ``submit``: copy (draft, unique slug, 来源 = city site when empty, owner = submitter), row,
  workflow start; the submission itself is the authorised act, so the city editor needs no
  permission on the main site's tree.
- ``resubmit``: the original was published again: its content becomes a new revision of the
  copy, which goes (back) to review; the live copy keeps the approved text meanwhile.
- ``mark_*``: status changes from the workflow and publishing signals, logged in the page
  history of the copy and of the original.
"""

from __future__ import annotations

import uuid

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import Page, Site, TranslatableMixin, WorkflowState

from home.models import ArticlePage, ColumnPage, PolicyInterpretationPage

from .models import Submission

# Article types a city may submit: plain articles and interpretations. A city's policy
# document (PolicyDocumentPage, an ArticlePage too) is issued by the city and is not reissued.
SUBMITTABLE_TYPES = (ArticlePage, PolicyInterpretationPage)

# Page fields that are content (copied on a resubmission); the other Page fields belong to
# the copy (its place in the tree, slug, owner, publishing state).
PAGE_CONTENT_FIELDS = ("title", "draft_title", "seo_title", "search_description")


class SubmissionError(Exception):
    """A submission that cannot be made; the message is for the editor."""


def main_site() -> Site | None:
    return Site.objects.select_related("root_page").filter(is_default_site=True).first()


def site_of(page: Page) -> Site | None:
    """The site whose tree holds the page (the deepest root above it)."""
    sites = [site for site in Site.objects.select_related("root_page") if page.path.startswith(site.root_page.path)]
    return max(sites, key=lambda site: site.root_page.depth, default=None)


def site_name(site: Site) -> str:
    return site.site_name or site.hostname


def is_submittable(page: Page) -> bool:
    """A live article of a city site (not of the main site) of a type that may be submitted."""
    if not page.live or page.specific_class not in SUBMITTABLE_TYPES:
        return False
    main = main_site()
    site = site_of(page)
    return bool(main and site and site.pk != main.pk and not page.path.startswith(main.root_page.path))


def target_columns(page: Page):
    """The live columns of the main site that accept the page's type, in tree order."""
    main = main_site()
    if main is None:
        return ColumnPage.objects.none()
    page_class = page.specific_class
    if page_class not in ColumnPage.allowed_subpage_models():
        return ColumnPage.objects.none()
    return ColumnPage.objects.live().descendant_of(main.root_page).filter(locale_id=page.locale_id).order_by("path")


def unique_slug(column: Page, slug: str) -> str:
    taken = set(column.get_children().values_list("slug", flat=True))
    candidate, number = slug, 1
    while candidate in taken:
        number += 1
        candidate = f"{slug}-{number}"
    return candidate


def existing(page: Page, column: Page) -> Submission | None:
    return Submission.objects.filter(source_page_id=page.pk, target_column_id=column.pk).first()


@transaction.atomic
def submit(page: Page, column: ColumnPage, user, note: str = "") -> Submission:
    """Copy ``page`` as a draft into ``column`` of the main site and start its workflow there."""
    page = page.specific
    if not is_submittable(page):
        raise SubmissionError(_("只有城市网站已发布的文章可以报送省局网站。"))
    if not target_columns(page).filter(pk=column.pk).exists():
        raise SubmissionError(_("请选择省局网站中可以接收该文章的栏目。"))
    previous = existing(page, column)
    if previous:
        raise SubmissionError(_("该文章已报送到此栏目（%(status)s）。") % {"status": previous.get_status_display()})
    site = site_of(page)
    name = site_name(site)
    update_attrs = {"slug": unique_slug(column, page.slug)}
    if not page.source:
        update_attrs["source"] = name
    copy = page.copy(
        to=column,
        keep_live=False,
        copy_revisions=False,
        user=user,
        update_attrs=update_attrs,
        log_action="wagtail.copy",
    ).specific
    workflow = copy.get_workflow()
    submission = Submission.objects.create(
        source_page=page,
        copy=copy,
        target_column=column,
        source_site=site,
        source_site_name=name,
        source_url=page.get_full_url() or "",
        title=page.title,
        note=note,
        submitted_by=user,
        workflow_name=workflow.name if workflow else "",
    )
    data = _log_data(submission)
    log(instance=copy, action="submission.submit", user=user, data=data)
    log(instance=page, action="submission.submit", user=user, data=data)
    if workflow:
        workflow.start(copy, user)
    return submission


def _log_data(submission: Submission) -> dict:
    return {
        "submission": {
            "id": submission.pk,
            "source_site": submission.source_site_name,
            "source_page": submission.source_page_id,
            "column": submission.target_column_id,
            "note": submission.note,
        }
    }


def apply_content(original: Page, draft: Page, source_name: str) -> None:
    """Put the original's content on an (unsaved) draft of the copy, as ``Page.copy`` does:
    the content fields and the child rows (attachments, related links ...)."""
    page_fields = {field.name for field in Page._meta.concrete_fields}
    for field in original._meta.concrete_fields:
        if field.primary_key or field.name in page_fields or getattr(field.remote_field, "parent_link", False):
            continue
        setattr(draft, field.attname, getattr(original, field.attname))
    for name in PAGE_CONTENT_FIELDS:
        setattr(draft, name, getattr(original, name))
    if not draft.source:
        draft.source = source_name
    exclude = list(original.default_exclude_fields_in_copy) + list(original.exclude_fields_in_copy)
    child_map = original.copy_all_child_relations(draft, exclude=exclude)
    for child in child_map.values():
        if isinstance(child, TranslatableMixin):
            child.translation_key = uuid.uuid4()  # like Page.copy: unique per locale


@transaction.atomic
def resubmit(submission: Submission, original: Page, user) -> None:
    """The original was published again: offer its new text to the main site's reviewers."""
    copy_page = submission.copy.specific
    draft = copy_page.get_latest_revision_as_object()
    apply_content(original.specific, draft, submission.source_site_name)
    draft.save_revision(user=user, log_action=True)
    state = copy_page.current_workflow_state
    workflow = copy_page.get_workflow()
    if state and state.status == WorkflowState.STATUS_IN_PROGRESS:
        pass  # the reviewers now see (and an approval publishes) the latest revision
    elif state and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        state.resume(user)
    elif workflow:
        workflow.start(copy_page, user)
    first_review = submission.status == Submission.Status.IN_REVIEW and not copy_page.live
    submission.status = Submission.Status.IN_REVIEW if first_review else Submission.Status.RE_REVIEW
    submission.title = original.title
    submission.source_url = original.get_full_url() or submission.source_url
    submission.workflow_name = workflow.name if workflow else ""
    submission.save(update_fields=["status", "title", "source_url", "workflow_name", "updated_at"])
    data = _log_data(submission)
    log(instance=copy_page, action="submission.resubmit", user=user, data=data)
    log(instance=original, action="submission.resubmit", user=user, data=data)


def _set_status(submission: Submission, status: str, action: str, user) -> None:
    submission.status = status
    fields = ["status", "updated_at"]
    if status == Submission.Status.ACCEPTED:
        submission.accepted_at = timezone.now()
        fields.append("accepted_at")
    submission.save(update_fields=fields)
    data = _log_data(submission)
    for page in (submission.copy, submission.source_page):
        if page is not None:
            log(instance=page.specific, action=action, user=user, data=data)


def mark_accepted(submission: Submission, user=None) -> None:
    _set_status(submission, Submission.Status.ACCEPTED, "submission.accept", user)


def mark_returned(submission: Submission, user=None) -> None:
    _set_status(submission, Submission.Status.RETURNED, "submission.return", user)
