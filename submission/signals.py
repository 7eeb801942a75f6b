"""The submission's status follows Wagtail: the copy published (by its workflow or by a main
site editor) → 已采用; its workflow rejected or cancelled → 已退回; the original published
again → its new text goes to the copy's reviewers (``services.resubmit``)."""

from django.db.models import Q
from django.dispatch import receiver
from wagtail.models import get_default_page_content_type
from wagtail.signals import page_published, workflow_cancelled, workflow_rejected

from . import services
from .models import Submission


@receiver(page_published)
def follow_publishing(sender, instance, revision=None, **kwargs):
    submissions = Submission.objects.filter(Q(copy_id=instance.pk) | Q(source_page_id=instance.pk))
    user = getattr(revision, "user", None)
    for submission in submissions.select_related("copy", "source_page"):
        if submission.copy_id == instance.pk:
            if submission.status != Submission.Status.ACCEPTED:
                services.mark_accepted(submission, user)
        elif submission.copy_id:
            services.resubmit(submission, instance, user or submission.submitted_by)


@receiver(workflow_rejected)
@receiver(workflow_cancelled)
def follow_refusal(sender, instance, user=None, **kwargs):
    if instance.base_content_type_id != get_default_page_content_type().id:
        return
    for submission in Submission.objects.filter(copy_id=int(instance.object_id)).select_related("copy", "source_page"):
        if submission.status != Submission.Status.RETURNED:
            services.mark_returned(submission, user)
