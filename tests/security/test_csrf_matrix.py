"""Every route refuses a POST that carries no valid CSRF token.

The matrix walks the URLconf, so a view someone marks ``csrf_exempt`` (or a
new route that bypasses the middleware) fails here. Each POST is the table's
own valid request aimed at seller A's objects: only the token is missing.
"""

import pytest
from django.middleware.csrf import _get_new_csrf_string
from django.urls import reverse

from .conftest import snapshot
from .probing import body_of, probe_url, send
from .routes import ROUTES, post_probe
from .urlwalk import admin_changelist_routes, dashboard_routes

CSRF_FAILURE = "CSRF verification failed"

DASHBOARD = sorted(route.name for route in dashboard_routes())
CHANGELISTS = sorted(route.name for route in admin_changelist_routes())


def _require_mapped(name):
    if name not in ROUTES:
        pytest.fail(f"{name} is not in tests/security/routes.py ROUTES")


def _with_token(client, data):
    token = _get_new_csrf_string()
    client.cookies["csrftoken"] = token
    return {**data, "csrfmiddlewaretoken": token}


@pytest.mark.parametrize("name", DASHBOARD)
def test_post_without_token_is_refused(world, csrf_client, name):
    _require_mapped(name)
    csrf_client.force_login(world.user)

    response = send(csrf_client, name, post_probe(name), world.own, follow=False)

    assert response.status_code == 403
    assert CSRF_FAILURE in body_of(response)


@pytest.mark.parametrize("name", DASHBOARD)
def test_post_without_token_changes_nothing(world, csrf_client, name):
    _require_mapped(name)
    csrf_client.force_login(world.user)
    before = snapshot()

    send(csrf_client, name, post_probe(name), world.own, follow=False)

    assert snapshot() == before


@pytest.mark.parametrize("name", DASHBOARD)
def test_post_with_a_valid_token_passes_the_check(world, csrf_client, name):
    # The control: the same request with a token is not refused, so the 403
    # above comes from the missing token, not from the request itself.
    _require_mapped(name)
    probe = post_probe(name)
    csrf_client.force_login(world.user)
    data = _with_token(csrf_client, probe.data(world.own))

    response = csrf_client.post(probe_url(name, probe, world.own), data)

    assert CSRF_FAILURE not in body_of(response)


@pytest.mark.parametrize("name", CHANGELISTS)
def test_admin_action_without_token_is_refused(world, csrf_client, name):
    csrf_client.force_login(world.staff)
    before = snapshot()

    response = csrf_client.post(
        reverse(name),
        {"action": "delete_selected", "_selected_action": [world.own.product]},
    )

    assert response.status_code == 403
    assert snapshot() == before
