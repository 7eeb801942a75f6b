"""Page-cache purges for what an interview changes outside its page revisions."""

from django.db.models.signals import post_delete, post_save

from portal import pagecache

from .models import Entry, InterviewState, Status


def purge_interview(sender, instance, **kwargs):
    """The host's controls (start, end, pinned entry) change the interview page."""
    pagecache.purge_page(instance.page)


def purge_archived_transcript(sender, instance, **kwargs):
    # While an interview is live its page is not cached (interviews.views.interview);
    # after the end, corrections and written replies change the archived transcript.
    if instance.interview.status() == Status.ENDED:
        pagecache.purge_page(instance.interview)


def register_signal_handlers():
    post_save.connect(purge_interview, sender=InterviewState, dispatch_uid="interviews-purge-state")
    post_save.connect(purge_archived_transcript, sender=Entry, dispatch_uid="interviews-purge-entry")
    post_delete.connect(purge_archived_transcript, sender=Entry, dispatch_uid="interviews-purge-entry-deleted")
