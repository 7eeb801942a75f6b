"""Admin: 设置 → 站点管理 (the cluster's sites, 站点开通 and 站点关停), for superusers and the
main site's 站点管理员; anybody else is refused with 403."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Site

from . import queries, services
from .forms import CloseSiteForm, OpenSiteForm


class ClusterAdminMixin(WagtailAdminTemplateMixin):
    header_icon = "site"

    def dispatch(self, request, *args, **kwargs):
        if not queries.can_manage_sites(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class SiteListView(ClusterAdminMixin, TemplateView):
    template_name = "cluster/admin/site_list.html"
    page_title = gettext_lazy("站点管理")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = queries.site_rows()
        return context


class OpenSiteView(ClusterAdminMixin, TemplateView):
    template_name = "cluster/admin/open_site.html"
    page_title = gettext_lazy("站点开通")

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = form or OpenSiteForm(initial={"parent": Site.objects.filter(is_default_site=True).first()})
        return context

    def post(self, request):
        form = OpenSiteForm(request.POST)
        if form.is_valid():
            spec = services.SiteSpec(**form.cleaned_data)
            try:
                opened = services.open_site(spec)
            except services.Refused as refused:
                for message in refused.messages:
                    form.add_error(None, message)
            else:
                if opened.done:
                    messages.success(
                        request,
                        _("已开通 %(name)s（%(host)s），建立了 %(count)d 项。")
                        % {"name": spec.name, "host": opened.site.hostname, "count": len(opened.done)},
                    )
                else:
                    messages.info(
                        request, _("%(host)s 已经开通，没有需要补充的内容。") % {"host": opened.site.hostname}
                    )
                return redirect("cluster_admin:index")
        return self.render_to_response(self.get_context_data(form=form), status=400)


class CloseSiteView(ClusterAdminMixin, TemplateView):
    template_name = "cluster/admin/close_site.html"
    page_title = gettext_lazy("站点关停")

    def dispatch(self, request, site_id):
        self.site = get_object_or_404(Site, pk=site_id)
        return super().dispatch(request)

    def get_page_subtitle(self):
        return self.site.site_name or self.site.hostname

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update({"site": self.site, "form": form or CloseSiteForm(), "closed": queries.is_closed(self.site)})
        return context

    def post(self, request):
        if "reopen" in request.POST:
            services.reopen_site(self.site)
            messages.success(request, _("%(host)s 已恢复访问。") % {"host": self.site.hostname})
            return redirect("cluster_admin:index")
        form = CloseSiteForm(request.POST)
        if form.is_valid():
            try:
                services.close_site(self.site, form.cleaned_data["notice"])
            except services.Refused as refused:
                form.add_error(None, refused.messages[0])
            else:
                messages.success(request, _("%(host)s 已关停，页面与记录均已保留。") % {"host": self.site.hostname})
                return redirect("cluster_admin:index")
        return self.render_to_response(self.get_context_data(form=form), status=400)
