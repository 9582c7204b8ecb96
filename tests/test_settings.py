"""Settings read from the environment: production refuses unsafe defaults.

The production cases start a fresh ``manage.py`` process, because settings
are read once at import and the test process runs with DEBUG on.
"""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

BASE_DIR = Path(__file__).resolve().parent.parent
# The suite's own conveniences must not leak into a "production" process; the
# async switch is set by conftest.py for Playwright and fails the deploy check.
INHERITED_NOT = {
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "ADMIN_URL",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


def manage(*args, **env):
    """Run manage.py with a clean, production-like environment plus ``env``."""
    environ = {
        key: value
        for key, value in os.environ.items()
        if key not in INHERITED_NOT and not key.startswith("SECURE_")
    }
    environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    environ.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_env(**overrides):
    return {
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "dashboard.example.com",
        "SECURE_HSTS_PRELOAD": "1",
        **overrides,
    }


def test_deploy_check_passes_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **production_env())

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_deploy_check_fails_when_https_redirect_is_off():
    env = production_env(SECURE_SSL_REDIRECT="0")

    result = manage("check", "--deploy", "--fail-level", "WARNING", **env)

    assert result.returncode == 1
    assert "security.W008" in result.stderr


def test_production_refuses_to_start_without_secret_key():
    env = production_env()
    del env["SECRET_KEY"]

    result = manage("check", **env)

    assert result.returncode == 1
    assert (
        "SECRET_KEY must be set when DEBUG is off. Set DEBUG=1 for local "
        "development." in result.stderr
    )


def test_admin_url_follows_the_environment():
    result = manage(
        "shell",
        "-c",
        "from django.urls import reverse; print(reverse('admin:index'))",
        DEBUG="1",
        ADMIN_URL="/staff-only/",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("/staff-only/")


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite's own transaction settings"
)
def test_sqlite_writers_queue_instead_of_failing():
    options = settings.DATABASES["default"]["OPTIONS"]

    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 5


def test_static_files_are_served_without_collectstatic(client):
    response = client.get(f"{settings.STATIC_URL}css/app.css")

    assert response.status_code == 200
    assert b"".join(response.streaming_content)
