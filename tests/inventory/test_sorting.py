"""The ``sort`` parameter: only the table's sortable columns are obeyed."""

import warnings

import pytest
from django.urls import reverse

from inventory.factories import ProductFactory


@pytest.fixture
def two_products(seller):
    return (
        ProductFactory(seller=seller, offer_id="A-1", name="Zebra mug"),
        ProductFactory(seller=seller, offer_id="B-2", name="Apple mug"),
    )


def offer_ids_in_order(response):
    return [row.record.offer_id for row in response.context["table"].page.object_list]


def test_product_list_sorts_by_name_ascending(seller_client, two_products):
    response = seller_client.get(reverse("inventory:product_list"), {"sort": "name"})

    assert offer_ids_in_order(response) == ["B-2", "A-1"]


def test_product_list_sorts_by_name_descending(seller_client, two_products):
    response = seller_client.get(reverse("inventory:product_list"), {"sort": "-name"})

    assert offer_ids_in_order(response) == ["A-1", "B-2"]


@pytest.mark.parametrize("sort", ["1.5", "seller__name", "--name", "checkbox", "-"])
@pytest.mark.parametrize("url_name", ["inventory:product_list", "archive:library"])
def test_unknown_sort_is_ignored_without_a_warning(
    seller_client, two_products, url_name, sort
):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        response = seller_client.get(reverse(url_name), {"sort": sort})

    assert response.status_code == 200
