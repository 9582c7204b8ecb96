"""Filters offer only the seller's own choices and cannot widen a selection."""

import re

import pytest
from django.urls import reverse

from .conftest import snapshot


def warehouse_choices(page):
    select = re.search(r'<select name="warehouse"[^>]*>(.*?)</select>', page, re.S)
    return re.findall(r"<option[^>]*>([^<]*)</option>", select.group(1))


@pytest.mark.parametrize("name", ["inventory:product_list", "archive:library"])
def test_warehouse_filter_offers_only_own_warehouses(seller_client, world, name):
    response = seller_client.get(reverse(name))

    assert warehouse_choices(response.content.decode()) == [
        "Any warehouse",
        "OZON warehouse",
        "Acme main",
    ]


def test_all_matching_with_another_sellers_warehouse_is_refused(seller_client, world):
    url = f"{reverse('archive:operate_products')}?warehouse={world.other.warehouse}"
    before = snapshot()

    response = seller_client.post(
        url, {"operation": "archive", "scope": "all"}, follow=True
    )

    assert snapshot() == before
    assert [str(m) for m in response.context["messages"]] == [
        "The filter is not valid; correct it and select again."
    ]


def test_all_matching_ignores_a_forged_seller_parameter(seller_client, world):
    url = f"{reverse('archive:operate_products')}?seller={world.other.seller}"
    other_before = snapshot(world.other_seller)

    response = seller_client.post(
        url, {"operation": "archive", "scope": "all"}, follow=True
    )

    assert snapshot(world.other_seller) == other_before
    assert [str(m) for m in response.context["messages"]][0] == (
        "1 product moved to the Archive Library."
    )


def test_orders_of_another_sellers_product_list_nothing(seller_client, world):
    response = seller_client.get(
        reverse("orders:order_list"), {"product": world.other.reserved}
    )

    page = response.content.decode()
    assert response.context["table"].paginator.count == 0
    assert "Rival" not in page
