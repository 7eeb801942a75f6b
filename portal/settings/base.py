"""Settings shared by every environment.

Everything that differs between a laptop and production is read from the environment:
``DATABASE_URL``, ``REDIS_URL``, ``ELASTICSEARCH_URL``, ``SECRET_KEY``, ``ALLOWED_HOSTS``,
``DEBUG``. Defaults give an embedded set-up: SQLite, local-memory cache and Wagtail's
database search backend, so ``make run`` needs nothing else installed.
"""

import json
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from portal import sentry

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", ".localhost", "127.0.0.1", "[::1]"])

INSTALLED_APPS = [
    # Project apps (one per user-facing capability; see README "Layout")
    "portal",
    "home",
    "guides",
    "faq",
    "interviews",
    "taxservice",
    "correspondence",
    "participation",
    "subscriptions",
    "submission",
    "search",
    "linkcheck",
    "editorial",
    "monitoring",
    "inforequests",  # 依申请公开: applications under the 条例's procedure, 复议/诉讼 records
    "registers",  # 公示名录: 欠税公告, 失信主体, A级纳税人, 双公示, imported from spreadsheets
    "disclosure",  # 政府信息公开: the catalogue (信息索引, 索引号, 公开目录)
    "annualreports",  # 政府信息公开工作年度报告 (and 网站工作年度报表), computed from the records
    "cluster",  # 站点开通: new sites from editable site templates; 站点关停
    "signin",  # staff sign-in: wider login throttles, password-reset limits, second factor
    "visits",  # the visit counter: page views and distinct visitors per site and day
    # The demo (manage.py load_demo) only where asked for: dev and test settings, or DEMO_APP=1
    # (the benchmark runs production settings on demo data). Never on a production site: it
    # creates accounts with published passwords.
    *(["demo"] if env_bool("DEMO_APP") else []),
    # Wagtail
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.contrib.search_promotions",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "editorial.apps.EditorialUsersConfig",  # wagtail.users, its group editor audited (editorial/audit.py)
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    # Security and forms for the public
    "axes",
    "captcha",
    # The second factor of staff sign-in (signin/): TOTP authenticators and recovery codes
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # The outbox of outgoing mail (portal/outbox.py); after "portal", whose send_queued_mail
    # command (post_office's, with retries spaced out) takes the place of post_office's own.
    "post_office",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    # First, so every response (even one refused by a later middleware) and every log line
    # of the request carries its X-Request-ID.
    "portal.requestid.RequestIdMiddleware",
    # /healthz and /readyz for the load balancer, before the SSL redirect, host validation,
    # the page cache and the database (portal/health.py).
    "portal.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "portal.security.SecurityHeadersMiddleware",  # Content-Security-Policy, Permissions-Policy
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Counts public page views, those the page cache answers too (visits/counter.py).
    "visits.middleware.VisitCounterMiddleware",
    # Anonymous visitors' pages from the cache, before sessions and the database (portal/pagecache.py).
    "portal.pagecache.PageCacheMiddleware",
    # The site, its identity, menu and restricted paths, kept per process between edits (portal/sitedata.py).
    "portal.sitedata.SiteDataMiddleware",
    # A closed site (站点关停) shows its notice on every public address (portal/cluster.py).
    "portal.cluster.ClosedSiteMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "portal.languages.EnglishEditionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): the second factor given
    "django.contrib.messages.middleware.MessageMiddleware",
    # Staff who must use a second factor and have not given it yet: held at /admin/2fa/.
    "signin.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Axes last: it reads the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "portal.accessibility.context",
            ],
        },
    },
]

# Database: SQLite by default, anything dj-database-url understands via DATABASE_URL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
        # A kept connection is checked before a request uses it, so one that PostgreSQL dropped
        # (a restart, a failover, pg_terminate_backend) costs the next request nothing.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("postgresql") and os.environ.get("DATABASE_JIT", "off") == "off":
    # PostgreSQL compiles a query whose estimated cost passes jit_above_cost: at a province's
    # size (200,000 pages) a ranked search crosses it and pays ~90 ms of compiling for a query
    # that runs once. DATABASE_JIT=on keeps the server's setting (a pooler that refuses startup
    # options, such as PgBouncer without ignore_startup_parameters, needs it or jit off there).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when REDIS_URL is set, local memory otherwise.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's, reusing its client and carrying on when Redis is down (portal/cache.py)
            "BACKEND": "portal.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "portal",
            # A Redis that is down or does not answer costs a request this long, not seconds:
            # the cache then carries on as a miss (portal/cache.py).
            "OPTIONS": {
                "socket_connect_timeout": float(os.environ.get("REDIS_TIMEOUT", "0.5")),
                "socket_timeout": float(os.environ.get("REDIS_TIMEOUT", "0.5")),
            },
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "portal",
        }
    }

# Page cache for anonymous visitors (portal/pagecache.py): seconds a page is kept (0 turns it
# off), and how long a proxy or CDN in front may keep it (publishing cannot purge those).
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "300"))
PAGE_CACHE_PROXY_SECONDS = int(os.environ.get("PAGE_CACHE_PROXY_SECONDS", "60"))
# The visit counter (visits/): on unless VISITS_ENABLED=0; each worker pushes its counts to the
# cache every VISITS_PUSH_SECONDS (0: on every request), `manage.py flush_visits` stores them.
VISITS_ENABLED = env_bool("VISITS_ENABLED", True)
VISITS_PUSH_SECONDS = float(os.environ.get("VISITS_PUSH_SECONDS", "2"))
# Each site's identity, menu and restricted paths kept per process until an edit bumps the
# page cache's versions (portal/sitedata.py); on in every environment, tests included.
SITE_DATA_CACHE = env_bool("SITE_DATA_CACHE", True)
# The part inside <main> of a page whose content is its own published text (articles,
# policies, guides, archived interviews: ``PortalPage.shares_content``), rendered once per
# site data version and kept in the cache, shared by every worker and visitor, editors
# included (portal/sitedata.py, ``remember_shared``); at most as long as a cached page, since
# what no save purges (an interview's status label on a policy) may change meanwhile; 0: off.
CONTENT_CACHE_SECONDS = int(os.environ.get("CONTENT_CACHE_SECONDS", "300"))

# Search: Wagtail's database backend by default, Elasticsearch when ELASTICSEARCH_URL is set.
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
if ELASTICSEARCH_URL:
    WAGTAILSEARCH_BACKENDS = {
        "default": {
            # Wagtail's Elasticsearch 9 backend with the whitespace analyzer for jieba-segmented text.
            "BACKEND": "search.elasticsearch",
            "URLS": [ELASTICSEARCH_URL],
            "INDEX_PREFIX": os.environ.get("ELASTICSEARCH_INDEX_PREFIX", "portal_"),
            "TIMEOUT": 5,
        }
    }
else:
    # Wagtail's database backend, with faster ranked searches on SQLite (search/backends.py).
    WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.backends"}}

AUTH_USER_MODEL = "portal.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes: 5 failed logins lock that username from that address for 30 minutes.
# Attempts are kept in the database, so a lockout holds across gunicorn workers and
# machines. Superusers list and lift lockouts under 设置 → 登录锁定 (portal/lockouts.py);
# from the shell: manage.py axes_reset_username <name> / axes_reset_ip <ip> / axes_reset.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_TEMPLATE = "429.html"  # plain layout, no database, with the request id
# The client address by the same rule as the rate limits (TRUSTED_PROXY_COUNT below);
# django-ipware is not installed, so axes' AXES_IPWARE_* settings would have no effect.
AXES_CLIENT_IP_CALLABLE = "portal.ratelimit.login_client_ip"
# Wider limits, read from axes' records within AXES_COOLOFF_TIME (signin/throttle.py): this many
# failures of one account from any address, or from one address for any accounts, and the
# login form asks for a captcha before it checks the password; LOGIN_LOCK_AFTER failures lock
# the account (or the address) for browsers that have not signed in to that account before.
LOGIN_CAPTCHA_AFTER = int(os.environ.get("LOGIN_CAPTCHA_AFTER", "10"))
LOGIN_LOCK_AFTER = int(os.environ.get("LOGIN_LOCK_AFTER", "30"))
LOGIN_DEVICE_COOKIE_DAYS = 180  # a browser stays known for an account this long after a sign-in
WAGTAILADMIN_USER_LOGIN_FORM = "signin.forms.ThrottledLoginForm"
# Password reset (signin/views.py), in a sliding hour: requests from one address, mails to one
# e-mail address (past it none is sent, and the page is the same).
PASSWORD_RESET_LIMIT_PER_ADDRESS = int(os.environ.get("PASSWORD_RESET_LIMIT_PER_ADDRESS", "5"))
PASSWORD_RESET_LIMIT_PER_EMAIL = int(os.environ.get("PASSWORD_RESET_LIMIT_PER_EMAIL", "3"))
PASSWORD_RESET_WINDOW = 60 * 60
# The second factor (django-otp): the name authenticator apps show next to the account.
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "示例省税务局网站后台")

# Staff sessions: 8 hours by default; optionally end when the browser closes.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 60 * 60)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", False)

# Internationalisation: Chinese first. Template strings are written in Chinese
# (the source language); locale/en/ holds their English translations.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
# The admin's own language, chosen by each user under 账户 → 偏好设置: the two the portal is
# translated into, not the 50-odd Wagtail ships.
WAGTAILADMIN_PERMITTED_LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["portal.formats"]  # dates: 2026-08-20 on Chinese pages, 20 Aug 2026 on English ones
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "static"))
STATIC_URL = "/static/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"
# Let Django serve /media/ (development and browser tests); in production the proxy does.
SERVE_MEDIA = env_bool("SERVE_MEDIA", False)
# Letter attachments are stored here, outside MEDIA_ROOT, and served only to staff.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private"))


def private_storage(root: Path) -> dict:
    """``STORAGES["private"]`` (letter attachments, portal/storage.py): the directory ``root``,
    or what ``PRIVATE_STORAGE`` holds, a JSON object such as ``{"BACKEND":
    "storages.backends.s3.S3Storage", "OPTIONS": {"bucket_name": "portal-private"}}`` (README,
    "Private files on object storage")."""
    configured = os.environ.get("PRIVATE_STORAGE", "").strip()
    if not configured:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": root}}
    try:
        value = json.loads(configured)
    except ValueError as exc:
        raise ImproperlyConfigured(f"PRIVATE_STORAGE is not JSON: {exc}") from None
    if not isinstance(value, dict) or not isinstance(value.get("BACKEND"), str):
        raise ImproperlyConfigured('PRIVATE_STORAGE must be a JSON object with a "BACKEND".')
    return value


STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "private": private_storage(PRIVATE_MEDIA_ROOT),
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Wagtail
WAGTAIL_SITE_NAME = "政府网站群管理后台"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://localhost:8000")
WAGTAILIMAGES_IMAGE_MODEL = "portal.PortalImage"
WAGTAILDOCS_DOCUMENT_MODEL = "portal.PortalDocument"
# Editors' images: no SVG (it can carry scripts). This is Wagtail 8's default, stated here
# so that nobody adds "svg" without sanitising it first.
WAGTAILIMAGES_EXTENSIONS = ["avif", "gif", "jpg", "jpeg", "png", "webp"]
# Documents: office files, PDF, OFD, text and zip only: never .svg, .html, .htm or .js.
WAGTAILDOCS_EXTENSIONS = ["csv", "doc", "docx", "odt", "ods", "pdf", "rtf", "txt", "xls", "xlsx", "zip", "ofd"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
# Only PDFs open in the browser; everything else is downloaded (Content-Disposition:
# attachment). Every served document carries "Content-Security-Policy: default-src 'none'"
# and "X-Content-Type-Options: nosniff" (Wagtail's defaults, stated here).
WAGTAILDOCS_INLINE_CONTENT_TYPES = ["application/pdf"]
WAGTAILDOCS_BLOCK_EMBEDDED_CONTENT = True
# Serve documents through Django so permissions and counting stay possible.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_PASSWORD_RESET_ENABLED = True
WAGTAIL_WORKFLOW_ENABLED = True
# Every snippet model has its own menu (办事服务, 常见问题, 访谈嘉宾, 信箱设置, settings): without
# this Wagtail's 片段 index (/admin/snippets/) lists none of them and refuses even superusers.
WAGTAILSNIPPETS_MENU_SHOW_ALL = True
# Workflow mail (editorial): to the step's group members only, superusers are not copied.
WAGTAILADMIN_NOTIFICATION_FROM_EMAIL = os.environ.get(
    "WAGTAILADMIN_NOTIFICATION_FROM_EMAIL", os.environ.get("DEFAULT_FROM_EMAIL", "noreply@tax-shili.example")
)
WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS = False
WAGTAIL_FINISH_WORKFLOW_ACTION = "editorial.workflows.publish_approved"  # the last approval publishes

# wagtail-localize: machine translation stays off unless configured.
WAGTAILLOCALIZE_MACHINE_TRANSLATOR = None

# django-simple-captcha: four digits, so the audio alternative can read them in Mandarin.
# portal/captcha.py puts that audio together from the clips in portal/data/captcha/ (no
# flite, espeak-ng or sox on the server); CAPTCHA_FLITE_PATH stays unset.
CAPTCHA_LENGTH = 4
CAPTCHA_TIMEOUT = 10  # minutes
CAPTCHA_CHALLENGE_FUNCT = "portal.captcha.digit_challenge"
# Drawn at the size it is shown (the widget's width and height come from here), with digits
# about 24 px high: four of them, rotated, stay inside 120 px.
CAPTCHA_IMAGE_SIZE = (120, 50)
CAPTCHA_FONT_SIZE = 34

# Requests from the public: the client address is REMOTE_ADDR, or, behind N trusted
# proxies, the Nth address from the right of X-Forwarded-For.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
# A form must stay open at least this long before it is sent (bots post at once).
FORM_MIN_FILL_SECONDS = float(os.environ.get("FORM_MIN_FILL_SECONDS", "3"))

# Mailboxes (correspondence): letters per client address per hour, failed lookups per address
# per hour and per lookup code per hour (from any address). Windows slide (portal/ratelimit.py).
LETTER_RATE_LIMIT = int(os.environ.get("LETTER_RATE_LIMIT", "5"))
LETTER_RATE_WINDOW = 3600
# 依申请公开 applications (and clarifications) per address and hour
APPLICATION_RATE_LIMIT = int(os.environ.get("APPLICATION_RATE_LIMIT", "5"))
APPLICATION_RATE_WINDOW = 3600
LOOKUP_RATE_LIMIT = int(os.environ.get("LOOKUP_RATE_LIMIT", "10"))
LOOKUP_RATE_WINDOW = 3600
LOOKUP_CODE_RATE_LIMIT = int(os.environ.get("LOOKUP_CODE_RATE_LIMIT", "10"))
LOOKUP_CODE_RATE_WINDOW = 3600
# Questions to an online interview, per client address per hour.
QUESTION_RATE_LIMIT = int(os.environ.get("QUESTION_RATE_LIMIT", "5"))
QUESTION_RATE_WINDOW = 3600
# Consultation comments and survey responses, per client address per hour (a survey also
# allows one response per browser; offices behind one address need room for several).
COMMENT_RATE_LIMIT = int(os.environ.get("COMMENT_RATE_LIMIT", "5"))
COMMENT_RATE_WINDOW = 3600
SURVEY_RATE_LIMIT = int(os.environ.get("SURVEY_RATE_LIMIT", "20"))
SURVEY_RATE_WINDOW = 3600
# Service hall maps (taxservice/maps.py): a tile server URL template such as
# https://tiles.example.gov.cn/{z}/{x}/{y}.png. Empty: no map, nothing loaded from a third
# party (halls still get a geo: link). When set, its origin is added to the CSP's img-src.
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = os.environ.get("MAP_TILE_ATTRIBUTION", "")
MAP_TILE_ZOOM = int(os.environ.get("MAP_TILE_ZOOM", "16"))
# Service halls' 高德地图 and 百度地图 links name their caller (百度: webapp.<organisation>.<application>).
MAP_LINK_SOURCE = os.environ.get("MAP_LINK_SOURCE", "webapp.taxportal.servicehall")
# Reports of Content-Security-Policy violations (the admin's report-only policy) posted to
# /csp-report/ by browsers, per client address per hour; more are refused unlogged (portal/csp.py).
CSP_REPORT_RATE_LIMIT = int(os.environ.get("CSP_REPORT_RATE_LIMIT", "100"))
CSP_REPORT_RATE_WINDOW = 3600
# "这条回答对您有帮助吗？" feedback on the FAQ, per client address per hour.
FAQ_FEEDBACK_RATE_LIMIT = int(os.environ.get("FAQ_FEEDBACK_RATE_LIMIT", "20"))
FAQ_FEEDBACK_RATE_WINDOW = 3600
# E-mail alerts for a column (subscriptions): sign-up requests per client address per hour
# (each sends a confirmation mail, so the limit is what keeps the form from mailing strangers).
SUBSCRIBE_RATE_LIMIT = int(os.environ.get("SUBSCRIBE_RATE_LIMIT", "10"))
SUBSCRIBE_RATE_WINDOW = 3600
# Site search (search/views.py): searches per client address per window (an office or a
# service hall's terminals share one address: room for several people), and the box's
# suggestions while typing (one request per pause in typing). Over it: a 429 page.
SEARCH_RATE_LIMIT = int(os.environ.get("SEARCH_RATE_LIMIT", "120"))
SEARCH_SUGGEST_RATE_LIMIT = int(os.environ.get("SEARCH_SUGGEST_RATE_LIMIT", "600"))
SEARCH_RATE_WINDOW = 600
# 热门搜索 on a search that found nothing (search/popular.py): the editors' terms, then, when
# SEARCH_POPULAR_AUTOMATIC, queries searched in the last SEARCH_POPULAR_DAYS days on at least
# SEARCH_POPULAR_MIN_DAYS days by at least SEARCH_POPULAR_MIN_VISITORS visitors (per day, summed).
SEARCH_POPULAR_AUTOMATIC = env_bool("SEARCH_POPULAR_AUTOMATIC", True)
SEARCH_POPULAR_DAYS = 30
SEARCH_POPULAR_MIN_DAYS = int(os.environ.get("SEARCH_POPULAR_MIN_DAYS", "3"))
SEARCH_POPULAR_MIN_VISITORS = int(os.environ.get("SEARCH_POPULAR_MIN_VISITORS", "10"))
# Letter attachments: STORAGES["private"] above (PRIVATE_MEDIA_ROOT or PRIVATE_STORAGE).
LETTER_ATTACHMENT_MAX_FILES = 3
LETTER_ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024

DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@tax-shili.example")
# Outgoing mail goes through a durable outbox (发信队列, portal/outbox.py): every mail Django,
# Wagtail or an app sends is written to django-post-office's queue, a row in the database in
# the transaction of the change that causes it, and nothing talks to a mail server during a
# request. `manage.py send_queued_mail` (cron, every minute) delivers the queue through the
# backend named by the EMAIL_BACKEND variable (the console here, SMTP in production.py).
EMAIL_BACKEND = "portal.outbox.EmailBackend"


def email_delivery_backend(default: str) -> str:
    """The backend the outbox is delivered through: the EMAIL_BACKEND variable, else ``default``."""
    backend = os.environ.get("EMAIL_BACKEND") or default
    if backend in {EMAIL_BACKEND, "post_office.EmailBackend"}:
        raise ImproperlyConfigured("EMAIL_BACKEND names the backend that delivers the outbox, not the outbox.")
    return backend


# Seconds the sender waits for the mail server before that attempt fails (Django's SMTP backend).
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
POST_OFFICE = {
    "BACKENDS": {"default": email_delivery_backend("django.core.mail.backends.console.EmailBackend")},
    "DEFAULT_PRIORITY": "medium",  # queued, never sent in the request ("now" would send at once)
    # A failed attempt is tried again EMAIL_RETRY_MINUTES later, each further wait twice the last
    # (portal/outbox.py: 5, 10, 20 … 320 minutes), then the mail is marked failed, about 10½ hours
    # after it was queued, and listed under 设置 → 发信队列.
    "MAX_RETRIES": int(os.environ.get("EMAIL_MAX_RETRIES", "7")),
    "RETRY_INTERVAL": timedelta(minutes=int(os.environ.get("EMAIL_RETRY_MINUTES", "5"))),
    "MESSAGE_ID_ENABLED": True,
    # The sender's domain in Message-ID (post_office would ask DNS for this machine's name).
    "MESSAGE_ID_FQDN": DEFAULT_FROM_EMAIL.rpartition("@")[2].strip("> ") or "localhost",
    "CELERY_ENABLED": False,
    "LOG_LEVEL": 2,  # every attempt, delivered or failed, is kept (the attempts and errors staff see)
    "SENDING_ORDER": ["-priority", "id"],  # oldest first
    "BATCH_SIZE": 100,
    "THREADS_PER_PROCESS": 4,  # SMTP connections at once
    "LOCK_FILE_NAME": "portal_send_queued_mail",  # one sender at a time on a machine
    # Attachments (none of the portal's mails has one) go with the private files (letter
    # attachments): out of MEDIA_ROOT, on object storage too when PRIVATE_STORAGE says so.
    "FILE_STORAGE": "private",
}

# Every line names the request it belongs to ("-" outside a request): the id a citizen reads
# off an error page, and the proxy's X-Request-ID (portal/requestid.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "portal.requestid.RequestIdFilter"}},
    "formatters": {
        "console": {"format": "{asctime} {levelname} [{request_id}] {name}: {message}", "style": "{"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": "console"},
        "null": {"class": "logging.NullHandler"},
    },
    # Django's request errors (the 500s) get the id where they are logged, so every handler
    # (mail to admins, an error tracker, pytest's caplog) sees it too.
    "loggers": {
        "django.request": {"filters": ["request_id"]},
        # post_office logs every batch at INFO (each cron minute); its warnings and errors go to
        # the console like any other (a handler of its own keeps post_office from adding one).
        "post_office": {"handlers": ["null"], "level": "WARNING"},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Errors to a Sentry-compatible server when SENTRY_DSN is set and sentry-sdk is installed,
# scrubbed of personal data first (portal/sentry.py; SENTRY_ENVIRONMENT, SENTRY_RELEASE,
# SENTRY_TRACES_SAMPLE_RATE).
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    sentry.init(SENTRY_DSN)

# Demo loader: port the demo sites are reached on (http://jia.localhost:8000/).
DEMO_PORT = int(os.environ.get("DEMO_PORT", "8000"))

PAGE_TITLE_SEPARATOR = "_"
_("政府网站群")  # keeps the project name in the message catalogue
