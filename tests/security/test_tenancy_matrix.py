"""Seller A aims every route at seller B's objects: B's rows are not found.

"Not found" means exactly the answer an ID that does not exist gets: same
status, same redirects, same page once the IDs themselves are made neutral.
Anything else (a 403 instead of a 404, a refusal that names B's product, a
count that includes it) tells A that the row exists.
"""

import pytest

from .conftest import snapshot
from .probing import answer, leaked_markers, send, send_and_undo
from .routes import ROUTES, probe_ids, probes_of
from .urlwalk import dashboard_routes

PROBES = probe_ids()


class _AnyTargets:
    """Answers every attribute with 1, to read a probe's URL kwargs' keys."""

    def __getattr__(self, name):
        return 1


_FAKE_TARGETS = _AnyTargets()


def _probe(name, index):
    return probes_of(name)[index]


def test_every_route_is_mapped(db):
    served = {route.name for route in dashboard_routes()}

    unmapped = sorted(served - set(ROUTES))

    assert unmapped == [], (
        "Routes missing from tests/security/routes.py ROUTES; say how to "
        f"exercise them: {unmapped}"
    )


def test_route_table_names_only_served_routes(db):
    served = {route.name for route in dashboard_routes()}

    stale = sorted(set(ROUTES) - served)

    assert stale == []


def test_every_route_with_an_id_has_a_probe_aimed_by_id(db):
    with_kwargs = {r.name: r.kwargs for r in dashboard_routes() if r.kwargs}

    unaimed = sorted(
        name
        for name, kwargs in with_kwargs.items()
        if name in ROUTES
        and not all(
            set(kwargs) <= set(probe.url_kwargs(_FAKE_TARGETS))
            for probe in ROUTES[name].probes
        )
    )

    assert unaimed == []


@pytest.mark.parametrize(
    ("name", "index"), [(n, i) for n, i, _ in PROBES], ids=[p[2] for p in PROBES]
)
def test_other_sellers_ids_get_the_answer_of_missing_ids(client, world, name, index):
    probe = _probe(name, index)
    # On public pages B's listed products appear whatever the probe aims at.
    also = (world.other,) if ROUTES[name].public else ()
    client.force_login(world.user)
    missing = answer(
        send_and_undo(client, name, probe, world.missing), world.missing, *also
    )
    client.force_login(world.user)

    other = answer(send_and_undo(client, name, probe, world.other), world.other)

    assert other == missing


@pytest.mark.parametrize(
    ("name", "index"), [(n, i) for n, i, _ in PROBES], ids=[p[2] for p in PROBES]
)
def test_other_sellers_rows_never_reach_the_page(client, world, name, index):
    probe = _probe(name, index)
    client.force_login(world.user)

    response = send(client, name, probe, world.other)

    leaked = leaked_markers(response, world.other, public=ROUTES[name].public)
    assert leaked == []


@pytest.mark.parametrize(
    ("name", "index"), [(n, i) for n, i, _ in PROBES], ids=[p[2] for p in PROBES]
)
def test_other_sellers_rows_stay_unchanged(client, world, name, index):
    probe = _probe(name, index)
    client.force_login(world.user)
    before = snapshot(world.other_seller)

    send(client, name, probe, world.other)

    assert snapshot(world.other_seller) == before
