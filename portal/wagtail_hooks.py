"""Admin registration of the site-wide snippet: each site's name and footer texts, which
wagtail-localize can translate (the site identity setting links to it)."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import SiteText


class SiteTextViewSet(SnippetViewSet):
    model = SiteText
    icon = "site"
    menu_label = _("网站名称与页脚文字")
    add_to_settings_menu = True
    list_display = ["site_name", "sponsor"]


register_snippet(SiteTextViewSet)
