"""Login throttling (django-axes): a lockout after LOGIN_FAILURE_LIMIT
failures that the right password does not lift, and that holds across
gunicorn workers because the count lives in a shared store.
"""

import secrets
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django.urls import reverse

from inventory.factories import SellerMemberFactory, UserFactory
from loadtest.http import Browser
from loadtest.server import Gunicorn, child_environment

REDIS_URL = "redis://127.0.0.1:6379/0"
WRONG = {"password": "not-the-password"}
LOCKED_OUT_TEXT = "Too many failed sign-in attempts"
FORM_ERROR = "Please enter a correct username and password."


def redis_reachable():
    try:
        return redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping()
    except redis.RedisError:
        return False


needs_redis = pytest.mark.skipif(
    not redis_reachable(), reason="no Redis on 127.0.0.1:6379"
)


@pytest.fixture(
    params=[
        "database",
        pytest.param("redis", marks=needs_redis),
    ]
)
def axes_store(request, settings):
    """Run the test once with each store axes can count failures in."""
    if request.param == "redis":
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": REDIS_URL,
                # A prefix of its own: other processes share this Redis.
                "KEY_PREFIX": f"test-axes-{uuid.uuid4().hex}",
            }
        }
        settings.AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
    else:
        settings.AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
    AxesProxyHandler.implementation = None
    yield request.param
    AxesProxyHandler.implementation = None


def sign_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def fail(client, username, times):
    return [sign_in(client, username, WRONG["password"]) for _ in range(times)]


def test_failures_below_the_limit_show_the_form_error(client, seller_user, axes_store):
    responses = fail(client, "acme", settings.AXES_FAILURE_LIMIT - 1)

    assert [r.status_code for r in responses] == [200] * len(responses)
    assert FORM_ERROR in responses[-1].content.decode()


def test_failure_at_the_limit_shows_the_locked_out_page(
    client, seller_user, axes_store
):
    responses = fail(client, "acme", settings.AXES_FAILURE_LIMIT)

    assert responses[-1].status_code == 429
    assert LOCKED_OUT_TEXT in responses[-1].content.decode()


def test_right_password_is_refused_while_locked_out(client, seller_user, axes_store):
    fail(client, "acme", settings.AXES_FAILURE_LIMIT)

    response = sign_in(client, "acme", "password")

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_of_one_user_leaves_another_free(
    client, seller_user, other_user, axes_store
):
    # The lockout is per username and address, so an attacker who guesses at
    # one account cannot lock every seller out from their own office.
    fail(client, "acme", settings.AXES_FAILURE_LIMIT)

    response = sign_in(client, "rival", "password")

    assert response.status_code == 302


def test_success_below_the_limit_resets_the_count(client, seller_user, axes_store):
    fail(client, "acme", settings.AXES_FAILURE_LIMIT - 1)
    sign_in(client, "acme", "password")
    client.logout()

    responses = fail(client, "acme", settings.AXES_FAILURE_LIMIT - 1)

    assert responses[-1].status_code == 200


# Across processes


def _database_url():
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (
        f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


def _real_user(username, password):
    # The gunicorn workers use the real hashers, not this suite's fast one.
    user = UserFactory(username=username)
    user.password = PBKDF2PasswordHasher().encode(password, secrets.token_hex(8))
    user.save(update_fields=["password"])
    SellerMemberFactory(user=user)
    return user


def _gunicorn(tmp_path, limit, **env):
    return Gunicorn(
        child_environment(
            DEBUG="1",
            DATABASE_URL=_database_url(),
            LOGIN_FAILURE_LIMIT=limit,
            LOG_LEVEL="WARNING",
            **env,
        ),
        workers=3,
        access_log=tmp_path / "access.log",
    )


def _fail_across_workers(server, username, limit):
    """Send ``limit`` failed logins at once; return their answers and the
    workers' share of them (worker PID -> failures answered).

    At once, because a sync worker busy hashing one password cannot accept
    the next connection: the others must. Sent one by one, a busy machine
    tends to hand every connection to the worker that just finished.
    """
    login = "/accounts/login/"
    browsers = [Browser("127.0.0.1", server.port) for _ in range(limit)]
    tokens = [browser.form_token(login) for browser in browsers]
    seen = len(server.access_lines())
    start = threading.Barrier(limit)

    def attempt(index):
        start.wait()
        data = {"username": username, "password": "wrong"}
        return browsers[index].post(login, data, token=tokens[index]).status

    with ThreadPoolExecutor(limit) as pool:
        answers = sorted(pool.map(attempt, range(limit)))
    workers = {}
    for pid, method, _path, _status in server.access_lines()[seen:]:
        if method == "POST":
            workers[pid] = workers.get(pid, 0) + 1
    return Browser("127.0.0.1", server.port), answers, workers


def _spread(workers, limit):
    return len(workers) >= 2 and max(workers.values()) < limit


@pytest.mark.postgres
@needs_redis
@pytest.mark.django_db(transaction=True)
def test_lockout_holds_across_gunicorn_workers(tmp_path):
    limit = 4
    prefix = f"test-axes-{uuid.uuid4().hex}"

    with _gunicorn(tmp_path, limit, REDIS_URL=REDIS_URL, CACHE_KEY_PREFIX=prefix) as s:
        # The kernel picks the worker; try fresh users until the failures
        # were spread (it almost always happens on the first).
        for attempt in range(4):
            username = f"worker-test-{attempt}"
            _real_user(username, "s3cret-pass")
            browser, answers, workers = _fail_across_workers(s, username, limit)
            if _spread(workers, limit):
                break
        after = browser.login(username, "s3cret-pass").status

    # No single worker saw `limit` failures: only the shared count in Redis
    # can have locked the user out.
    assert _spread(workers, limit), workers
    assert answers == [200] * (limit - 1) + [429]
    assert after == 429


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_per_process_cache_would_not_hold_across_workers(tmp_path):
    # The control: with axes counting in each worker's own memory, failures
    # spread over workers never reach the limit. This is why production sets
    # REDIS_URL (or keeps the database handler).
    limit = 4
    handler = "axes.handlers.cache.AxesCacheHandler"

    with _gunicorn(tmp_path, limit, AXES_HANDLER=handler, REDIS_URL="") as s:
        for attempt in range(4):
            username = f"worker-control-{attempt}"
            _real_user(username, "s3cret-pass")
            _browser, answers, workers = _fail_across_workers(s, username, limit)
            if _spread(workers, limit):
                break

    assert _spread(workers, limit), workers
    assert answers == [200] * limit


# Behind proxies


def _via_proxy(client, forwarded_for, username="acme"):
    return client.post(
        reverse("login"),
        {"username": username, "password": WRONG["password"]},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def test_behind_a_proxy_each_client_address_is_counted_apart(
    client, seller_user, settings
):
    settings.PROXY_COUNT = 1
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _via_proxy(client, "203.0.113.5")

    response = _via_proxy(client, "198.51.100.7")

    assert response.status_code == 200


def test_behind_a_proxy_a_forged_forwarded_entry_does_not_escape(
    client, seller_user, settings
):
    # The client writes the left part of the header itself; only the entry
    # our proxy appended (the right-most) counts.
    settings.PROXY_COUNT = 1
    responses = [
        _via_proxy(client, f"192.0.2.{n}, 203.0.113.5")
        for n in range(settings.AXES_FAILURE_LIMIT)
    ]

    assert responses[-1].status_code == 429


def test_without_proxies_the_forwarded_header_is_ignored(client, seller_user, settings):
    settings.PROXY_COUNT = 0
    responses = [
        _via_proxy(client, f"192.0.2.{n}") for n in range(settings.AXES_FAILURE_LIMIT)
    ]

    assert responses[-1].status_code == 429


def test_admin_sign_in_is_throttled_too(client, world, axes_store):
    # The admin's login goes through the same authentication backends, so
    # guessing staff passwords there meets the same lockout.
    login = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(login, {"username": "staff", "password": "wrong"})

    after = client.post(login, {"username": "staff", "password": "password"})

    assert (response.status_code, after.status_code) == (429, 429)
