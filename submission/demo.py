"""Demo 信息报送: a 甲市 article taken up by the main site's 税务要闻 column (live, with its
source and a link back), and a 乙市 article waiting for the main site's review.

Created only when missing (found by source page and column). When the main site has a
workflow the submissions go through it (the 甲市 one approved by a reviewer of each task);
without one the 甲市 copy is published directly, as a main-site editor would."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from wagtail.models import GroupApprovalTask, Site, WorkflowState

from home.models import ArticlePage, ColumnPage

from . import services
from .models import Submission

MAIN_COLUMN = ("gzdt", "swyw")  # 工作动态 › 税务要闻
DEMO = [
    # (site hostname, column slug, article slug, editor username, approve?, note)
    ("jia.localhost", "gzdt", "chunfeng-second-batch", "jia_editor", True, "甲市第二批便民措施，建议在税务要闻转载。"),
    ("yi.localhost", "gzdt", "visit-key-enterprises", "yi_editor", False, "乙市走访重点企业的做法，供省局网站参考。"),
]


class SubmissionLoader:
    def __init__(self, loader):
        self.loader = loader

    def run(self) -> None:
        main = services.main_site()
        if main is None:
            return
        parent = ColumnPage.objects.child_of(main.root_page).filter(slug=MAIN_COLUMN[0]).first()
        column = ColumnPage.objects.child_of(parent).filter(slug=MAIN_COLUMN[1]).first() if parent else None
        if column is None:
            return
        User = get_user_model()
        admin = User.objects.filter(is_superuser=True).order_by("pk").first()
        for hostname, column_slug, slug, username, approve, note in DEMO:
            site = Site.objects.filter(hostname=hostname).select_related("root_page").first()
            if site is None:
                continue
            city_column = ColumnPage.objects.child_of(site.root_page).filter(slug=column_slug).first()
            article = ArticlePage.objects.child_of(city_column).filter(slug=slug).first() if city_column else None
            if article is None or Submission.objects.filter(source_page=article, target_column=column).exists():
                continue
            editor = User.objects.filter(username=username).first() or admin
            submission = services.submit(article, column, editor, note)
            if approve:
                self.approve(submission, admin)
            self.loader.note(f"submission {article.title} → {column.title}")

    def approve(self, submission: Submission, fallback_user) -> None:
        copy = submission.copy.specific
        state = copy.current_workflow_state
        if state is None:
            copy.get_latest_revision().publish(user=fallback_user)
            return
        while state.status == WorkflowState.STATUS_IN_PROGRESS and state.current_task_state:
            task = state.current_task_state.task.specific
            reviewer = fallback_user
            if isinstance(task, GroupApprovalTask):
                member = get_user_model().objects.filter(groups__in=task.groups.all(), is_active=True).first()
                # approving the last task publishes: only a member who may publish there
                if member and copy.permissions_for_user(member).can_publish():
                    reviewer = member
            state.current_task_state.approve(user=reviewer)
            state.refresh_from_db()
