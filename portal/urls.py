from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from portal.captcha import captcha_audio
from portal.csp import csp_report
from portal.sitemaps import SITEMAPS, sitemap_index
from portal.views import accessibility_help, favicon, robots_txt, site_directory, toggle_elderly_mode

urlpatterns = [
    path("django-admin/", admin.site.urls),
    # The admin's login and password reset with the wider throttles, and the second step (signin/).
    path("admin/", include("signin.urls")),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # The captcha's audio is put together in Python (portal/captcha.py), at simple-captcha's own address.
    path("captcha/audio/<slug:key>.wav", captcha_audio, name="portal_captcha_audio"),
    path("captcha/", include("captcha.urls")),
    path("forms/download/", include("guides.urls")),
    path("interviews/", include("interviews.urls")),
    path("taxservice/", include("taxservice.urls")),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("csp-report/", csp_report, name="csp_report"),
    path("favicon.ico", favicon, name="favicon"),
    path("sitemap.xml", sitemap_index, name="sitemap"),
    path("sitemap-<slug:section>.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap_section"),
]

if settings.DEBUG or settings.SERVE_MEDIA:
    from django.urls import re_path
    from django.views.static import serve

    urlpatterns += [re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})]

# Language-aware routes: Chinese unprefixed, English under /en/ (issue #8 adds the edition).
urlpatterns += i18n_patterns(
    path("search/", include("search.urls")),
    path("a11y/", accessibility_help, name="accessibility_help"),
    path("sites/", site_directory, name="site_directory"),
    path("a11y/elderly/", toggle_elderly_mode, name="elderly_mode"),
    path("", include("subscriptions.urls")),  # a column's /feeds/<id>.xml and /subscribe/<id>/
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

# Error pages in the visitor's language, with the request id; 400 and 500 without the database.
handler400 = "portal.errors.bad_request"
handler403 = "portal.errors.permission_denied"
handler404 = "portal.errors.page_not_found"
handler500 = "portal.errors.server_error"
