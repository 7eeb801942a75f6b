"""Demo settings of column monitoring: each demo column gets a responsible address (by its
maintaining department, in the site's mail domain); container columns that only hold
sub-columns are left out of monitoring (their sub-columns are monitored), and the policy
columns take the national six-month default. A column is configured only while its
负责人邮箱 is empty, so loading again leaves staff edits alone. With the demo's dated
articles this leaves some columns stale and some due, so the report is not empty."""

from __future__ import annotations

from wagtail.models import Site

from home.models import ColumnPage
from portal.models import SiteIdentity

DEPARTMENT_MAILBOXES = {
    "办公室": "bgs",
    "人事处": "rsc",
    "财务管理处": "cwglc",
    "纳税服务处": "nsfwc",
    "纳税服务科": "nsfwk",
    "政策法规处": "zcfgc",
}
TYPE_DEFAULT_PERIOD = {"zcwj", "zcjd"}  # 政策文件, 政策解读: the national 180-day default


class MonitoringLoader:
    def __init__(self, loader):
        self.loader = loader

    def run(self) -> None:
        for site in Site.objects.select_related("root_page"):
            email = SiteIdentity.for_site(site).email
            domain = email.partition("@")[2]
            if not domain:
                continue
            root = site.root_page
            columns = ColumnPage.objects.filter(
                path__startswith=root.path, locale_id=root.locale_id, responsible_email=""
            )
            for column in columns:
                mailbox = DEPARTMENT_MAILBOXES.get(column.department, "bgs")
                column.responsible_email = f"{mailbox}@{domain}"
                if column.slug in TYPE_DEFAULT_PERIOD:
                    column.update_period_days = None
                has_sub_columns = column.get_children().type(ColumnPage).exists()
                has_content = column.get_children().not_type(ColumnPage).exists()
                if has_sub_columns and not has_content:
                    column.monitored = False
                if column.live and not column.has_unpublished_changes:
                    column.save_revision().publish()  # the editor opens the latest revision
                else:
                    column.save(update_fields=["responsible_email", "update_period_days", "monitored"])
                self.loader.note(f"monitoring settings for column {site.hostname}/{column.slug}")
