"""Settings read the environment; production refuses to start insecurely."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "db": settings.DATABASES["default"]["ENGINE"],
    "db_name": str(settings.DATABASES["default"]["NAME"]),
    "db_options": settings.DATABASES["default"].get("OPTIONS", {}),
    "cache": settings.CACHES["default"]["BACKEND"],
    "cache_location": settings.CACHES["default"].get("LOCATION", ""),
    "search": settings.WAGTAILSEARCH_BACKENDS["default"]["BACKEND"],
    "search_urls": settings.WAGTAILSEARCH_BACKENDS["default"].get("URLS", []),
    "debug": settings.DEBUG,
    "hosts": settings.ALLOWED_HOSTS,
}))
"""

CLEAN_ENV = {
    k: v
    for k, v in os.environ.items()
    if k
    not in {
        "DATABASE_URL",
        "REDIS_URL",
        "ELASTICSEARCH_URL",
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "DEBUG",
        "DJANGO_SETTINGS_MODULE",
        "DATABASE_JIT",
    }
}


def run_settings(module: str, **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env={**CLEAN_ENV, "DJANGO_SETTINGS_MODULE": module, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_defaults_are_embedded_sqlite_locmem_and_database_search():
    result = run_settings("portal.settings.dev")
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["db"] == "django.db.backends.sqlite3"
    assert values["db_name"].endswith("db.sqlite3")
    assert values["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert values["search"] == "search.backends"  # Wagtail's database backend, ranked faster on SQLite
    assert values["debug"] is True


def test_services_come_from_the_environment():
    result = run_settings(
        "portal.settings.dev",
        DATABASE_URL="postgres://portal@db.internal:5432/portal",
        REDIS_URL="redis://cache.internal:6379/1",
        ELASTICSEARCH_URL="http://search.internal:9200",
        ALLOWED_HOSTS="tax.example.gov.cn,.tax.example.gov.cn",
        DEBUG="false",
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["db"] == "django.db.backends.postgresql"
    assert values["db_name"] == "portal"
    assert values["cache"] == "portal.cache.RedisCache"
    assert values["cache_location"] == "redis://cache.internal:6379/1"
    assert values["search"] == "search.elasticsearch"  # Wagtail's Elasticsearch 9 backend, the portal's analyzer
    assert values["search_urls"] == ["http://search.internal:9200"]
    assert values["hosts"] == ["tax.example.gov.cn", ".tax.example.gov.cn"]
    assert values["debug"] is False


def test_postgresql_connections_compile_no_query_unless_asked():
    """A ranked search at 200,000 pages paid ~90 ms of JIT compiling (README, "A province")."""
    url = "postgres://portal@db.internal:5432/portal"
    values = json.loads(run_settings("portal.settings.dev", DATABASE_URL=url).stdout)
    assert values["db_options"]["options"] == "-c jit=off"
    values = json.loads(run_settings("portal.settings.dev", DATABASE_URL=url, DATABASE_JIT="on").stdout)
    assert "options" not in values["db_options"]


@pytest.mark.django_db
def test_the_database_connection_has_jit_off_on_postgresql():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only (CI runs the suite on it too)")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def test_production_refuses_to_start_without_a_secret_key():
    result = run_settings("portal.settings.production", ALLOWED_HOSTS="tax.example.gov.cn")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_a_development_key():
    result = run_settings(
        "portal.settings.production",
        SECRET_KEY="dev-only-insecure-key-do-not-use-in-production",
        ALLOWED_HOSTS="tax.example.gov.cn",
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_starts_with_a_real_key_and_hosts():
    result = run_settings(
        "portal.settings.production",
        SECRET_KEY="k" * 30 + "Zq8-vYb2_Lm4nP0rS6tU",
        ALLOWED_HOSTS="tax.example.gov.cn",
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["debug"] is False
    assert values["hosts"] == ["tax.example.gov.cn"]


PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "portal.settings.production",
    "SECRET_KEY": "dummy-deploy-check-" + "Zq8-vYb2_Lm4nP0rS6tU" * 2,
    "ALLOWED_HOSTS": "tax.example.gov.cn,.tax.example.gov.cn",
}


def deploy_check(**env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**CLEAN_ENV, **PRODUCTION_ENV, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_with_production_settings_reports_nothing():
    """``manage.py check --deploy`` with production settings, a dummy secret and Redis (not
    reached: the check reads the settings): no warning."""
    result = deploy_check(REDIS_URL="redis://cache.internal:6379/1")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_deploy_check_fails_without_a_shared_cache():
    """Without REDIS_URL every gunicorn worker would keep its own page cache and counters."""
    result = deploy_check()
    assert result.returncode != 0
    assert "(portal.E001) The default cache (django.core.cache.backends.locmem.LocMemCache)" in result.stderr
    assert "Set REDIS_URL" in result.stderr
    dummy = deploy_check(DJANGO_SETTINGS_MODULE="tests.settings_dummy_cache")
    assert dummy.returncode != 0 and "portal.E001" in dummy.stderr


def test_the_wsgi_worker_loads_its_urls_up_front_and_keeps_them_out_of_the_garbage_collector():
    """gunicorn's entry point: the URLconf is imported before the first request, and the
    objects loaded by then are frozen (no full garbage collection pass walks them)."""
    probe = (
        "import gc, json, sys; import portal.wsgi; "
        "print(json.dumps({'frozen': gc.get_freeze_count(), 'urls': 'portal.urls' in sys.modules}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        env={
            **CLEAN_ENV,
            "DJANGO_SETTINGS_MODULE": "portal.settings.production",
            "SECRET_KEY": "k" * 30 + "Zq8-vYb2_Lm4nP0rS6tU",
            "ALLOWED_HOSTS": "tax.example.gov.cn",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["urls"] is True
    assert values["frozen"] > 100_000


def readme_cron_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("#### Scheduled jobs (cron)", 1)[1].split("```cron", 1)[1].split("```", 1)[0]
    return [line.split("manage.py", 1)[1].split()[0] for line in block.splitlines() if "manage.py" in line]


def test_every_job_in_the_readmes_cron_block_is_a_command():
    from django.core.management import get_commands

    commands = readme_cron_commands()
    assert "captcha_clean" in commands and "axes_reset_logs" in commands
    assert [name for name in commands if name not in get_commands()] == []


def test_captcha_clean_deletes_expired_challenges_only(db):
    from datetime import timedelta

    from captcha.models import CaptchaStore
    from django.core.management import call_command
    from django.utils import timezone

    fresh, expired = CaptchaStore.generate_key(), CaptchaStore.generate_key()
    CaptchaStore.objects.filter(hashkey=expired).update(expiration=timezone.now() - timedelta(minutes=1))
    call_command("captcha_clean", verbosity=0)
    kept = CaptchaStore.objects.filter(hashkey__in=[fresh, expired]).values_list("hashkey", flat=True)
    assert list(kept) == [fresh]
