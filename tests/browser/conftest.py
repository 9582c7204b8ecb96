"""Browser tests: Debian's Chromium driven by Playwright against live_server.

Playwright cannot download its own browsers here, so the launch points at the
system Chromium. Where none is installed the tests skip, except under CI
(``CI`` set), where a missing browser is an error: CI must run them.
"""

import os
import shutil

import pytest

CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome")


def find_chromium():
    explicit = os.environ.get("CHROMIUM_PATH")
    if explicit:
        return explicit if os.path.exists(explicit) else None
    for name in CHROMIUM_CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium_path():
    path = find_chromium()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("CI requires Chromium for the browser tests; none found")
        pytest.skip("no Chromium installed")
    return path


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, chromium_path):
    # The background-networking flags keep Chromium from dialling out on a
    # machine whose network is closed; --no-sandbox because CI runs as root.
    return {
        **browser_type_launch_args,
        "executable_path": chromium_path,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(autouse=True)
def _allow_sync_orm_in_live_server(monkeypatch):
    # Playwright's sync API runs an event loop in this thread; Django would
    # otherwise refuse ORM calls made from the test while it is running.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def login(page, live_server):
    """Sign in through the real login form; returns a function of username."""

    def sign_in(username, password="password"):
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_load_state()
        return page

    return sign_in
