"""Static files in production: hashed names, gzip and brotli, cached for a year, served by
whitenoise from this machine (no third-party CDN)."""

import json
import subprocess
import sys

from tests.portal.test_settings import CLEAN_ENV, ROOT

PRODUCTION = {
    **CLEAN_ENV,
    "DJANGO_SETTINGS_MODULE": "portal.settings.production",
    "SECRET_KEY": "static-files-test-" + "Zq8-vYb2_Lm4nP0rS6tU" * 2,
    "ALLOWED_HOSTS": "testserver",
}

PROBE = """
import json, django
django.setup()
from django.templatetags.static import static
from django.test import Client
url = static("portal/css/portal.css")
client = Client()
br = client.get(url, HTTP_ACCEPT_ENCODING="gzip, br", secure=True)
gz = client.get(url, HTTP_ACCEPT_ENCODING="gzip", secure=True)
print(json.dumps({
    "url": url,
    "status": br.status_code,
    "br": br.get("Content-Encoding"),
    "gz": gz.get("Content-Encoding"),
    "cache": br.get("Cache-Control"),
    "type": br.get("Content-Type"),
}))
"""


def test_collected_static_files_are_hashed_compressed_and_cached_for_a_year(tmp_path):
    env = {**PRODUCTION, "STATIC_ROOT": str(tmp_path)}
    # The project's own files; Django's and Wagtail's admin assets are left out to keep it quick.
    ignore = [arg for name in ("admin", "wagtail*", "table_block") for arg in ("-i", name)]
    collect = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0", *ignore],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert collect.returncode == 0, collect.stderr
    assert list(tmp_path.glob("portal/css/portal.*.css.br")) and list(tmp_path.glob("portal/css/portal.*.css.gz"))

    served = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert served.returncode == 0, served.stderr
    result = json.loads(served.stdout.strip().splitlines()[-1])
    assert result["url"].startswith("/static/portal/css/portal.") and result["url"] != "/static/portal/css/portal.css"
    assert result["status"] == 200 and result["type"].startswith("text/css")
    assert result["br"] == "br" and result["gz"] == "gzip"
    assert "max-age=315360000" in result["cache"] and "immutable" in result["cache"]
