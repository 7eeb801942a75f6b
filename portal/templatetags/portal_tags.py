"""Template tags shared by every page: navigation, breadcrumbs, page metadata,
document links and pagination."""

import math
from datetime import timedelta

from django import template
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.dateparse import parse_duration
from django.utils.encoding import escape_uri_path
from django.utils.html import format_html
from wagtail.models import Site

from portal import cluster, languages, punctuation, sitedata
from portal.addresses import absolute_url as site_absolute_url
from portal.models import SiteIdentity
from portal.navigation import breadcrumb_trail, menu_items

register = template.Library()

# Open Graph wants language_TERRITORY.
OG_LOCALES = {"zh-hans": "zh_CN", "en": "en_US"}


@register.filter
def localized(page):
    """A linked page in the active language: its live translation, else the page itself."""
    return languages.localize_page(page)


@register.filter
def localized_link(page):
    """Like ``localized`` for a link that needs only the page's URL and title (one query
    less, and none when the view or tag has batched the links already)."""
    return languages.localize_page(page, specific=False)


@register.filter
def lang_of(page):
    """``lang``/``hreflang`` for a link from an English page to a page left in Chinese."""
    if page is None or languages.is_default_language():
        return ""
    language = page.locale.language_code
    if language == translation.get_language():
        return ""
    return format_html(' lang="{0}" hreflang="{0}"', bcp47(language))


@register.filter
def bcp47(language_code: str) -> str:
    """Django language code to a BCP 47 tag for ``lang``: ``zh-hans`` -> ``zh-Hans``."""
    return translation.to_locale(language_code or "").replace("_", "-")


@register.filter
def minutes(duration) -> int | str:
    """Whole minutes, rounded up, of a timedelta or an ISO 8601 duration (``PT1H``); "" for
    anything else (the lockout page's cool-off time, which django-axes may leave out)."""
    if isinstance(duration, str):
        duration = parse_duration(duration)
    if not isinstance(duration, timedelta) or duration.total_seconds() <= 0:
        return ""
    return math.ceil(duration.total_seconds() / 60)


@register.simple_tag(takes_context=True)
def main_menu(context):
    """The site's top-level menu, marking the item the page is or is under. Rendered once per
    site data snapshot for each such marking and reused."""
    request = context.get("request")
    page = context.get("page")
    items = []
    for item in menu_items(request):
        if page is not None and page.pk == item.pk:
            current = "page"
        elif page is not None and page.path.startswith(item.path):
            current = "true"
        else:
            current = ""
        items.append({"page": item, "current": current})
    at_root = request is not None and request.path == "/"
    key = (at_root, *(item["page"].pk for item in items if item["current"]), *(i["current"] for i in items))
    return sitedata.remember_for(
        request,
        "menu_html",
        key,
        lambda: render_to_string("tags/main_menu.html", {"items": items, "request": request}, request=request),
    )


@register.inclusion_tag("tags/breadcrumbs.html", takes_context=True)
def breadcrumbs(context):
    request = context.get("request")
    page = context.get("page")
    return {"trail": breadcrumb_trail(request, page), "page": page, "request": request}


@register.inclusion_tag("tags/page_meta.html", takes_context=True)
def page_meta(context):
    """National page-metadata tags (SiteName ... Url) and Open Graph tags."""
    request = context.get("request")
    page = context.get("page")
    identity = SiteIdentity.for_request(request) if request else None
    site = Site.find_for_request(request) if request else None
    url = site_absolute_url(request) if request else ""  # from the Site, never the Host header
    meta = {}
    if identity:
        meta["SiteName"] = identity.site_name
        meta["SiteDomain"] = site.hostname if site else ""
        if identity.site_code:
            meta["SiteIDCode"] = identity.site_code
    if page is not None and hasattr(page, "get_page_meta"):
        meta.update(page.get_page_meta())
    if identity and "Description" not in meta and identity.description:
        meta["Description"] = identity.description
    if identity and "Keywords" not in meta and identity.keywords:
        meta["Keywords"] = identity.keywords
    meta["Url"] = url
    og = {
        "og:site_name": meta.get("SiteName", ""),
        "og:title": (page.seo_title or page.title) if page is not None else meta.get("SiteName", ""),
        "og:type": "article" if "ArticleTitle" in meta else "website",
        "og:url": url,
        "og:locale": OG_LOCALES.get(translation.get_language() or "", "zh_CN"),
    }
    if meta.get("Description"):
        og["og:description"] = meta["Description"]
    return {"meta": meta.items(), "og": og.items()}


@register.simple_tag(takes_context=True)
def canonical_link(context):
    """``<link rel="canonical">``: the page's own path at its Site's configured address
    (scheme, hostname, port: ``Site.root_url``), never the Host header of the request, which
    a visitor or a proxy chooses and a cached page would pass on to everyone. Listings keep
    their page number after the first page; filters and any other parameters are left out
    (a filtered listing points at the whole listing)."""
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        return ""
    url = site.root_url + escape_uri_path(request.path)
    if set(request.GET) == {"page"}:  # (page_obj may be lazy: not read without a page number)
        number = getattr(context.get("page_obj"), "number", 1)
        if number > 1:
            url += f"?page={number}"
    return format_html('<link rel="canonical" href="{}">', url)


@register.simple_tag(takes_context=True)
def absolute_url(context, path=None):
    """This page's address (or ``path``'s) at its Site's configured address, for a share
    link: never the Host header of the request (``portal/addresses.py``)."""
    request = context.get("request")
    return site_absolute_url(request, path) if request is not None else ""


@register.simple_tag
def document_link(document, title=""):
    """A download link that says what the file is: title, format and size."""
    if document is None:
        return ""
    size = document.get_file_size()
    details = document.format_label
    if size:
        details = f"{details}{punctuation.punct('，')}{filesizeformat(size)}" if details else filesizeformat(size)
    # without a title of its own the link shows the file's title, in Chinese
    lang = "" if title or languages.is_default_language() else format_html(' lang="{}"', "zh-Hans")
    return format_html(
        '<a class="doc-link__a" href="{}" download{}>{}</a> <span class="doc-link__meta">{}</span>',
        document.url,
        lang,
        title or document.title,
        punctuation.parens(details),
    )


@register.inclusion_tag("tags/pagination.html", takes_context=True)
def pagination(context, page_obj, label=None):
    """Accessible pagination, labelled in the page's language; keeps the other query parameters."""
    request = context.get("request")
    params = request.GET.copy() if request else {}

    def url_for(number):
        query = params.copy()
        query["page"] = number
        return "?" + query.urlencode()

    window = range(max(1, page_obj.number - 2), min(page_obj.paginator.num_pages, page_obj.number + 2) + 1)
    return {
        "page_obj": page_obj,
        "label": label or translation.gettext("分页"),
        "pages": [(n, url_for(n)) for n in window],
        "first_url": url_for(1),
        "last_url": url_for(page_obj.paginator.num_pages),
        "previous_url": url_for(page_obj.previous_page_number()) if page_obj.has_previous() else "",
        "next_url": url_for(page_obj.next_page_number()) if page_obj.has_next() else "",
    }


FOOTER_PAGES = ("sitemap", "accessibility", "contact", "privacy", "error_report")


@register.simple_tag(takes_context=True)
def site_footer(context):
    """The footer: the site's information links, the cluster's other sites and the site's
    identity. The same on every page of a site in one language, so it is rendered once per
    site data snapshot (``portal/sitedata.py``) and reused until something is saved."""
    request = context.get("request")
    return sitedata.remember(request, "footer_html", lambda: _render_footer(request))


def _render_footer(request):
    identity = SiteIdentity.for_request(request) if request else None
    current = Site.find_for_request(request) if request else None
    chinese = languages.is_default_language()
    if identity:  # the footer's links in this language, in one query (the template asks the memo)
        languages.localize_pages(
            [page for page in (getattr(identity, f"{name}_page") for name in FOOTER_PAGES) if page], specific=False
        )
    links, more = cluster.footer_links(request, current.pk if current else None, chinese)
    context = {"identity": identity, "cluster": links, "cluster_more": more, "request": request}
    return render_to_string("tags/site_footer.html", context, request=request)


def _other_version(context):
    """The other-language version of this page (remembered per page: ``languages.other_version``)."""
    request = context.get("request")
    return languages.other_version(request, context.get("page")) if request is not None else None


@register.inclusion_tag("tags/language_switcher.html", takes_context=True)
def language_switcher(context):
    return {"version": _other_version(context)}


@register.inclusion_tag("tags/language_alternates.html", takes_context=True)
def language_alternates(context):
    """``<link rel="alternate" hreflang>`` for this page and its live translation."""
    version = _other_version(context)
    request = context.get("request")
    if not version or not version.available:
        return {"alternates": []}
    current = translation.get_language()
    return {
        "alternates": [
            (bcp47(current), site_absolute_url(request, escape_uri_path(request.path))),
            (bcp47(version.language), site_absolute_url(request, version.url)),
        ]
    }


class SiteFragmentNode(template.Node):
    def __init__(self, nodelist, name, keys, when=None):
        self.nodelist, self.name, self.keys, self.when = nodelist, name, keys, when

    def render(self, context):
        if self.when is not None and not self.when.resolve(context):
            return self.nodelist.render(context)
        request = context.get("request")
        key = tuple(variable.resolve(context) for variable in self.keys)
        name = f"fragment:{self.name.resolve(context)}"
        return sitedata.remember_for(request, name, key, lambda: self.nodelist.render(context))


@register.tag
def sitefragment(parser, token):
    """``{% sitefragment "name" key… %}…{% endsitefragment %}``: the enclosed part rendered
    once per site data snapshot (``portal/sitedata.py``: this site, this language, until the
    next save anywhere bumps the version numbers) for each value of the keys, and reused by
    every request after that, editors included. For parts many pages show alike and that
    change only when staff save something — listings, link lists — never for what depends
    on the visitor, the query string, the clock or the page's own fields (key on them, as
    the home page keys on itself). The view may hand the part's data lazily
    (``SimpleLazyObject``) so its queries run only when the part is rendered. A last
    ``when=value`` keeps it when ``value`` is true only (an archived interview's transcript,
    not a live one's)."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("sitefragment needs a name")
    when = parser.compile_filter(bits.pop()[len("when=") :]) if bits[-1].startswith("when=") else None
    nodelist = parser.parse(("endsitefragment",))
    parser.delete_first_token()
    keys = [parser.compile_filter(bit) for bit in bits[2:]]
    return SiteFragmentNode(nodelist, parser.compile_filter(bits[1]), keys, when)


class ContentFragmentNode(template.Node):
    def __init__(self, nodelist, key):
        self.nodelist, self.key = nodelist, key

    def render(self, context):
        key = self.key.resolve(context)
        if not key:
            return self.nodelist.render(context)
        return sitedata.remember_shared(context.get("request"), "content", key, lambda: self.nodelist.render(context))


@register.tag
def contentfragment(parser, token):
    """``{% contentfragment key %}…{% endcontentfragment %}``: the enclosed part kept in the
    shared cache under ``key`` and the site data versions (``sitedata.remember_shared``) when
    ``key`` is set, rendered each time when it is empty. ``base.html`` wraps a page's content
    in it with the key ``PortalPage.get_context`` gives (``content_key``)."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("contentfragment takes one key")
    nodelist = parser.parse(("endcontentfragment",))
    parser.delete_first_token()
    return ContentFragmentNode(nodelist, parser.compile_filter(bits[1]))


@register.simple_tag(takes_context=True)
def render_panel(context, panel):
    """One ``portal.extensions.Panel``: its template, with its own context over the page's."""
    with context.push(**panel.context):
        return context.template.engine.get_template(panel.template).render(context)
