"""The report pages' read-only panel: the computed figures (for the 政府信息公开工作年度报告, each a
link to the records it counts, ``admin_views.RecordsView``), and the 重新统计 checkbox. Each page
type names its template (``figures_template``) and context (``figures_context``)."""

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
            context["figures_template"] = page.figures_template
            if page.figures:
                context["generated_at"] = page.figures.get("generated_at", "")
                context.update(page.figures_context())
                context["links"] = reverse("annualreports_records", args=(page.pk,)) if page.pk else ""
            return context
