"""The tenancy matrix's comparisons catch a view that forgets the scope."""

import pytest

from .probing import answer, leaked_markers, send
from .routes import Probe, by_pk

PROBE = Probe("unscoped", url_kwargs=by_pk("product"))


@pytest.mark.urls("tests.security.leaky_urls")
def test_comparison_tells_an_unscoped_view_from_a_missing_id(client, world):
    client.force_login(world.user)

    missing = answer(send(client, "leaky", PROBE, world.missing), world.missing)
    other = answer(send(client, "leaky", PROBE, world.other), world.other)

    assert (missing["status"], other["status"]) == (404, 200)


@pytest.mark.urls("tests.security.leaky_urls")
def test_markers_find_the_other_sellers_name_on_an_unscoped_page(client, world):
    client.force_login(world.user)

    response = send(client, "leaky", PROBE, world.other)

    assert leaked_markers(response, world.other, public=False) == ["Rival public"]
