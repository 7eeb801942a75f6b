"""The report page's read-only panel: the computed tables, each figure a link to the records it
counts (``admin_views.records``), and the 重新统计 checkbox."""

from __future__ import annotations

from django.urls import reverse
from wagtail.admin.panels import Panel


class FiguresPanel(Panel):
    class BoundPanel(Panel.BoundPanel):
        template_name = "annualreports/admin/figures_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            page = self.instance
            context["regenerate"] = self.form["regenerate"]
            if page.figures:
                context["report"] = tables.build(page)
                context["links"] = reverse("annualreports_records", args=(page.pk,)) if page.pk else ""
            return context


from . import tables  # noqa: E402
