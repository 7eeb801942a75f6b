"""What happens when the last step of a workflow approves (``WAGTAIL_FINISH_WORKFLOW_ACTION``).

Wagtail's default publishes the approved revision as the approving user and checks that user's
publish permission, so the last step (保密审查) would need publish rights on the whole site and
could publish any page outside the workflow. Here the approval itself is the authority: the
revision is published (or scheduled, if it has a future 生效日) as the approver, without a
standing publish permission. Only members of the step's group can approve (``GroupApprovalTask``).
Where the approver goes afterwards: ``wagtail_hooks.after_review``.

Wagtail imports this module while it defines its own models (``WorkflowState``), so it imports
nothing from Wagtail.
"""


def publish_approved(workflow_state, user=None):
    workflow_state.content_object.get_latest_revision().publish(user=user, skip_permission_checks=True)
