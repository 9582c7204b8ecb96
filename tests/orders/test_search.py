"""The marketplace search page: what buyers find, and what they don't."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from inventory.factories import ProductFactory, StockFactory

URL = reverse("search:search")


def card_names(response):
    return [p.name for p in response.context["page_obj"].object_list]


@pytest.fixture
def on_sale(seller, fbo):
    product = ProductFactory(seller=seller, approved=True, name="Red teapot")
    StockFactory(product=product, warehouse=fbo, present=4)
    return product


def test_search_is_public(client, on_sale):
    response = client.get(URL)

    assert response.status_code == 200
    assert "Red teapot" in response.content.decode()


def test_search_finds_products_by_words_of_the_name(client, seller, on_sale):
    ProductFactory(seller=seller, approved=True, name="Green kettle")

    response = client.get(URL, {"q": "teapot red"})

    assert card_names(response) == ["Red teapot"]
    assert "1 product found for “teapot red”" in response.content.decode()


def test_search_matches_case_insensitively(client, on_sale):
    response = client.get(URL, {"q": "TEAPOT"})

    assert card_names(response) == ["Red teapot"]


def test_search_finds_a_product_by_sku(client, on_sale):
    response = client.get(URL, {"q": str(on_sale.sku)})

    assert card_names(response) == ["Red teapot"]


def test_search_with_a_huge_number_finds_nothing_without_error(client, on_sale):
    response = client.get(URL, {"q": "9" * 40})

    assert response.status_code == 200
    assert card_names(response) == []
    assert "Nothing matches your search. Try other words." in (
        response.content.decode()
    )


def test_search_hides_unapproved_products(client, seller):
    ProductFactory(seller=seller, name="Pending teapot")
    ProductFactory(seller=seller, failed=True, name="Failed teapot")

    response = client.get(URL, {"q": "teapot"})

    assert card_names(response) == []


def test_search_hides_archived_products(client, seller):
    ProductFactory(seller=seller, approved=True, archived=True, name="Old teapot")

    response = client.get(URL, {"q": "teapot"})

    assert card_names(response) == []


def test_search_hides_products_hidden_for_being_out_of_stock(client, seller):
    long_ago = timezone.now() - timedelta(days=40)
    ProductFactory(
        seller=seller,
        approved=True,
        name="Forgotten teapot",
        out_of_stock_since=long_ago,
        hidden_from_search_at=long_ago + timedelta(days=31),
    )

    response = client.get(URL, {"q": "teapot"})

    assert card_names(response) == []


def test_out_of_stock_product_not_yet_hidden_is_listed_as_out_of_stock(client, seller):
    ProductFactory(
        seller=seller,
        approved=True,
        name="Empty teapot",
        out_of_stock_since=timezone.now() - timedelta(days=3),
    )

    response = client.get(URL, {"q": "teapot"})

    assert card_names(response) == ["Empty teapot"]
    assert '<span class="badge bad" data-testid="out-of-stock">Out of stock</span>' in (
        response.content.decode()
    )


def test_fully_reserved_product_is_listed_as_out_of_stock(client, seller, fbo):
    product = ProductFactory(seller=seller, approved=True, name="Reserved teapot")
    StockFactory(product=product, warehouse=fbo, present=2, reserved=2)

    response = client.get(URL)

    assert response.context["page_obj"].object_list[0].available == 0
    assert "Out of stock" in response.content.decode()


def test_listed_stock_adds_marketplace_and_seller_warehouses(
    client, on_sale, fbs, fbs2
):
    StockFactory(product=on_sale, warehouse=fbs, present=3, reserved=1)
    StockFactory(product=on_sale, warehouse=fbs2, present=1)

    response = client.get(URL)

    assert "7 in stock" in response.content.decode()


def test_search_pages_through_results(client, seller):
    for i in range(30):
        ProductFactory(seller=seller, approved=True, name=f"Mug {i:02d}")

    response = client.get(URL, {"q": "mug", "page": "2"})

    assert len(card_names(response)) == 6
    content = response.content.decode()
    assert "Page 2 of 2" in content
    assert 'href="?q=mug&amp;page=1"' in content


def test_invalid_page_number_shows_a_page_instead_of_an_error(client, on_sale):
    response = client.get(URL, {"page": "abc"})

    assert response.status_code == 200
    assert card_names(response) == ["Red teapot"]


def test_overlong_query_is_ignored(client, on_sale):
    response = client.get(URL, {"q": "x" * 500})

    assert response.status_code == 200
    assert card_names(response) == ["Red teapot"]


def test_search_page_queries_do_not_grow_with_the_results(
    client, seller, fbo, fbs, django_assert_num_queries
):
    for i in range(24):
        product = ProductFactory(seller=seller, approved=True, name=f"Cup {i}")
        StockFactory(product=product, warehouse=fbo, present=i)
        StockFactory(product=product, warehouse=fbs, present=1)

    # One COUNT for the paginator, one SELECT for the page with its stock.
    with django_assert_num_queries(2):
        response = client.get(URL, {"q": "cup"})

    assert len(card_names(response)) == 24


def test_anonymous_buyer_sees_no_seller_tabs(client, on_sale):
    response = client.get(URL)

    assert 'class="tabs"' not in response.content.decode()
