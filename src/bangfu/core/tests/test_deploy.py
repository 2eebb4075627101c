"""Production settings (BANGFU_HTTPS=1 and the variables the README lists), in fresh processes:
settings are read once at start, so each case gets its own interpreter and environment."""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys

import pytest

HOST = "bangfu.example.org"

HTTPS_PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
client = Client()
plain = client.get("/accounts/login/")
proxied = client.get("/accounts/login/", headers={"X-Forwarded-Proto": "https"})
print(json.dumps({
    "plain_status": plain.status_code, "plain_location": plain.get("Location"),
    "proxied_status": proxied.status_code, "hsts": proxied.get("Strict-Transport-Security"),
    "csrf_cookie_secure": bool(proxied.cookies["csrftoken"]["secure"]),
    "session_cookie_secure": settings.SESSION_COOKIE_SECURE,
}))
"""


def production_env(tmp_path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BANGFU_", "DATABASE_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="bangfu.settings",
        BANGFU_VAR=str(tmp_path / "var"),
        BANGFU_SECRET_KEY=secrets.token_urlsafe(50),
        BANGFU_PII_KEY=secrets.token_urlsafe(32),
        BANGFU_ALLOWED_HOSTS=HOST,
        BANGFU_CSRF_TRUSTED_ORIGINS=f"https://{HOST}",
        BANGFU_DEBUG="0",
        BANGFU_HTTPS="1",
    )
    env.update(extra)
    return {k: v for k, v in env.items() if v != ""}


def check_deploy(env: dict[str, str]) -> str:
    result = subprocess.run([sys.executable, "-m", "bangfu.cli", "check", "--deploy"], env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout + result.stderr


def test_check_deploy_prints_no_warning_with_the_production_variables(tmp_path):
    output = check_deploy(production_env(tmp_path))
    assert "WARNINGS" not in output
    assert not re.search(r"\bW0\d\d\b", output), output
    assert "no issues" in output


def test_check_deploy_names_the_https_warnings_without_bangfu_https(tmp_path):
    output = check_deploy(production_env(tmp_path, BANGFU_HTTPS=""))
    for code in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert code in output


def test_hsts_preload_is_the_domain_owners_choice(tmp_path):
    silenced = re.compile(r"no issues \((\d+) silenced\)")
    without = int(silenced.search(check_deploy(production_env(tmp_path))).group(1))
    output = check_deploy(production_env(tmp_path, BANGFU_HSTS_PRELOAD="1"))
    assert int(silenced.search(output).group(1)) == without - 1  # W021 needs no silencing


@pytest.mark.parametrize("https", ["1", ""])
def test_bangfu_https_redirects_to_https_and_marks_cookies_secure_behind_the_proxy(tmp_path, https):
    env = production_env(tmp_path, BANGFU_HTTPS=https, BANGFU_ALLOWED_HOSTS="testserver")
    result = subprocess.run([sys.executable, "-c", HTTPS_PROBE], env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    if https:
        assert (seen["plain_status"], seen["plain_location"]) == (301, "https://testserver/accounts/login/")
        assert seen["proxied_status"] == 200
        assert seen["hsts"] == "max-age=31536000; includeSubDomains"
        assert seen["csrf_cookie_secure"] and seen["session_cookie_secure"]
    else:  # the demo on plain http keeps working
        assert seen["plain_status"] == seen["proxied_status"] == 200
        assert seen["hsts"] is None
        assert not seen["csrf_cookie_secure"] and not seen["session_cookie_secure"]
