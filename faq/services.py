"""Recording feedback: the only write the public can make to the FAQ."""

from django.db import transaction

from .models import FAQ, Feedback


@transaction.atomic
def record_feedback(faq: FAQ, helpful: bool, comment: str, site=None) -> Feedback:
    return Feedback.objects.create(faq=faq, helpful=helpful, comment=comment.strip(), site=site)
