"""Small site-wide views: robots.txt per site, /favicon.ico, the cluster's site directory, the
accessibility help page and the no-JavaScript switch for the elderly mode."""

from pathlib import Path

from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET, require_safe

from portal import accessibility, cluster, languages
from portal.addresses import absolute_url


@require_GET
@cache_control(max_age=3600, public=True)
def robots_txt(request):
    """The sitemap at the site's configured address (a proxy keeps this for an hour: never the
    Host header, which a visitor chooses)."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /django-admin/",
        "Disallow: /search/",
        f"Sitemap: {absolute_url(request, '/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


FAVICON = Path(__file__).resolve().parent / "static" / "portal" / "icons" / "favicon.ico"


@require_safe
@cache_control(max_age=30 * 24 * 3600, public=True)
def favicon(request):
    """/favicon.ico, asked for by browsers, bookmarks and feed readers whatever a page declares
    (pages declare the same icon under /static/: scripts/make_favicon.py draws both)."""
    return FileResponse(FAVICON.open("rb"), content_type="image/x-icon")


@require_GET
def site_directory(request):
    """市县税务局: every open site of the cluster, grouped by city (``portal/cluster.py``)."""
    tops = cluster.tree(request, languages.is_default_language())
    return TemplateResponse(request, "portal/site_directory.html", {"tops": tops})


@require_GET
def accessibility_help(request):
    """Where the toolbar link leads without JavaScript: zoom, contrast and the elderly mode."""
    return TemplateResponse(request, "portal/accessibility_help.html", {})


@require_GET
@never_cache
def toggle_elderly_mode(request):
    """Switch the elderly mode (长者模式) on or off and go back; works without JavaScript."""
    tokens = accessibility.parse(request.COOKIES.get(accessibility.COOKIE))
    if "el" in tokens:
        tokens.remove("el")
    else:
        tokens.append("el")
    target = request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    response.set_cookie(
        accessibility.COOKIE,
        accessibility.serialise(tokens),
        max_age=accessibility.MAX_AGE,
        samesite="Lax",
        secure=request.is_secure(),
    )
    return response
