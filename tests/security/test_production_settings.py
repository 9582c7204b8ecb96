"""What a production process actually sends: HTTPS, headers, cookies, admin.

tests/test_settings.py proves ``check --deploy`` is clean; these tests start
a process with the documented production environment and look at real
responses, because the settings are read once at import and the test process
runs with DEBUG on. Each process answers a few requests through Django's test
client and prints them as JSON.
"""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent.parent
HOST = "dashboard.example.com"
ADMIN_PATH = "staff-7c1e/"

# Runs inside the production process.
PROBE_SCRIPT = """
import json
import django
django.setup()
from django.conf import settings
from django.test import Client

client = Client()
host = {"HTTP_HOST": %(host)r}
proxied = {**host, "HTTP_X_FORWARDED_PROTO": "https"}


def seen(response):
    return {
        "status": response.status_code,
        "location": response.get("Location"),
        "headers": {k.lower(): v for k, v in response.headers.items()},
        "cookies": {
            name: {"secure": bool(c["secure"]), "httponly": bool(c["httponly"]),
                   "samesite": c["samesite"]}
            for name, c in response.cookies.items()
        },
    }


print(json.dumps({
    "plain_http": seen(client.get("/accounts/login/", **host)),
    "proxied_https": seen(client.get("/accounts/login/", **proxied)),
    "admin": seen(client.get("/" + settings.ADMIN_URL, **proxied)),
    "default_admin": seen(client.get("/admin/", **proxied)),
    "session_cookie_secure": settings.SESSION_COOKIE_SECURE,
    "session_cookie_httponly": settings.SESSION_COOKIE_HTTPONLY,
}))
"""


def production_environment(static_root, **overrides):
    """The environment docs/hardening.md documents for production."""
    keep = {
        key: value
        for key, value in os.environ.items()
        if key in {"PATH", "HOME", "LANG", "PYTHONPATH", "VIRTUAL_ENV"}
    }
    return {
        **keep,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
        "CSRF_TRUSTED_ORIGINS": f"https://{HOST}",
        "TRUST_X_FORWARDED_PROTO": "1",
        "ADMIN_URL": ADMIN_PATH,
        "SECURE_HSTS_PRELOAD": "1",
        "PROXY_COUNT": "1",
        "STATIC_ROOT": str(static_root),
        # No query should run; a database that is not there would show one.
        "DATABASE_URL": f"sqlite:///{static_root}/absent.sqlite3",
        **overrides,
    }


def run(args, env):
    return subprocess.run(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    # The manifest storage refuses to render a page before collectstatic.
    root = tmp_path_factory.mktemp("static")
    result = run(
        ["manage.py", "collectstatic", "--noinput"], production_environment(root)
    )
    assert result.returncode == 0, result.stderr
    return root


def answers(static_root, **overrides):
    env = production_environment(static_root, **overrides)
    result = run(["-c", PROBE_SCRIPT % {"host": HOST}], env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def behind_proxy(static_root):
    return answers(static_root)


@pytest.fixture(scope="module")
def proxy_not_trusted(static_root):
    return answers(static_root, TRUST_X_FORWARDED_PROTO="0")


def test_documented_environment_passes_the_deploy_check(static_root):
    env = production_environment(static_root)

    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_plain_http_is_redirected_to_https(behind_proxy):
    answer = behind_proxy["plain_http"]

    assert answer["status"] == 301
    assert answer["location"] == f"https://{HOST}/accounts/login/"


def test_https_forwarded_by_the_proxy_is_served(behind_proxy):
    assert behind_proxy["proxied_https"]["status"] == 200


def test_forwarded_header_is_ignored_unless_the_proxy_is_trusted(proxy_not_trusted):
    # A client could send X-Forwarded-Proto itself; only a deployment behind
    # a proxy that sets it may trust it.
    assert proxy_not_trusted["proxied_https"]["status"] == 301


def test_https_answers_carry_hsts(behind_proxy):
    headers = behind_proxy["proxied_https"]["headers"]

    assert headers["strict-transport-security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )


@pytest.mark.parametrize(
    ("header", "value"),
    [
        ("x-content-type-options", "nosniff"),
        ("referrer-policy", "same-origin"),
        ("x-frame-options", "DENY"),
        ("cross-origin-opener-policy", "same-origin"),
    ],
)
def test_security_headers_are_sent(behind_proxy, header, value):
    assert behind_proxy["proxied_https"]["headers"][header] == value


def test_csrf_cookie_is_secure(behind_proxy):
    cookie = behind_proxy["proxied_https"]["cookies"]["csrftoken"]

    assert cookie["secure"] is True
    assert cookie["samesite"] == "Lax"


def test_session_cookie_is_secure_and_hidden_from_scripts(behind_proxy):
    assert behind_proxy["session_cookie_secure"] is True
    assert behind_proxy["session_cookie_httponly"] is True


def test_admin_is_served_at_admin_url(behind_proxy):
    answer = behind_proxy["admin"]

    assert answer["status"] == 302
    assert answer["location"].startswith(f"/{ADMIN_PATH}login/")


def test_admin_is_gone_from_the_default_path(behind_proxy):
    assert behind_proxy["default_admin"]["status"] == 404
