"""The Product List's filters, sorting, paging, query count and CSV export."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from inventory.factories import ProductFactory, SellerWarehouseFactory, StockFactory
from inventory.models import Product

from .helpers import rows

URL = reverse("inventory:product_list")


@pytest.fixture
def catalogue(seller, fbo, fbs, fbs2):
    """One product per stock state, named after it."""
    now = timezone.now()
    made = {}
    made["in-stock"] = ProductFactory(
        seller=seller, offer_id="IN-STOCK", name="Blue kettle", approved=True
    )
    StockFactory(product=made["in-stock"], warehouse=fbo, present=5)
    made["mine"] = ProductFactory(seller=seller, offer_id="MINE", name="Red towel")
    StockFactory(product=made["mine"], warehouse=fbs2, present=1)
    made["reserved"] = ProductFactory(
        seller=seller, offer_id="RESERVED", name="Lamp", approved=True
    )
    StockFactory(product=made["reserved"], warehouse=fbo, present=1, reserved=1)
    made["empty"] = ProductFactory(
        seller=seller, offer_id="EMPTY", name="Blue mug", failed=True
    )
    made["soon"] = ProductFactory(seller=seller, offer_id="SOON", name="Glass")
    made["hidden"] = ProductFactory(seller=seller, offer_id="HIDDEN", name="Plate")
    Product.objects.filter(pk=made["soon"].pk).update(
        out_of_stock_since=now - timedelta(days=24)
    )
    Product.objects.filter(pk=made["hidden"].pk).update(
        out_of_stock_since=now - timedelta(days=40), hidden_from_search_at=now
    )
    return made


def listed(client, **params):
    return sorted(rows(client.get(URL, params)))


def test_search_matches_the_name(seller_client, catalogue):
    assert listed(seller_client, q="blue") == ["EMPTY", "IN-STOCK"]


def test_search_matches_the_offer_id(seller_client, catalogue):
    assert listed(seller_client, q="reserv") == ["RESERVED"]


def test_search_matches_the_sku(seller_client, catalogue):
    sku = catalogue["in-stock"].sku

    assert listed(seller_client, q=str(sku)) == ["IN-STOCK"]


def test_filter_by_moderation(seller_client, catalogue):
    assert listed(seller_client, moderation="failed") == ["EMPTY"]


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ("in_stock", ["IN-STOCK", "MINE"]),
        ("out_of_stock", ["EMPTY", "HIDDEN", "RESERVED", "SOON"]),
        ("reserved", ["RESERVED"]),
        ("hidden", ["HIDDEN"]),
        ("archivable", ["EMPTY", "HIDDEN", "SOON"]),
        ("hiding_soon", ["SOON"]),
    ],
)
def test_filter_by_stock_state(seller_client, catalogue, state, expected):
    assert listed(seller_client, stock=state) == expected


def test_hiding_soon_excludes_products_further_away(seller_client, seller, catalogue):
    later = ProductFactory(seller=seller, offer_id="LATER")
    Product.objects.filter(pk=later.pk).update(
        out_of_stock_since=timezone.now() - timedelta(days=22)
    )

    assert listed(seller_client, stock="hiding_soon") == ["SOON"]


def test_filter_by_my_warehouse(seller_client, catalogue, fbs2):
    assert listed(seller_client, warehouse=str(fbs2.pk)) == ["MINE"]


def test_filter_by_the_ozon_warehouse(seller_client, catalogue):
    assert listed(seller_client, warehouse="ozon") == ["IN-STOCK", "RESERVED"]


def test_warehouse_choices_are_only_the_sellers_own(
    seller_client, catalogue, other_seller, fbs, fbs2
):
    SellerWarehouseFactory(seller=other_seller, name="Rival depot")

    response = seller_client.get(URL)

    choices = [
        label
        for _value, label in response.context["filter"].form.fields["warehouse"].choices
    ]
    assert choices == ["Any warehouse", "OZON warehouse", "Acme main", "Acme second"]


def test_another_sellers_warehouse_is_an_invalid_choice(
    seller_client, catalogue, other_seller
):
    depot = SellerWarehouseFactory(seller=other_seller, name="Rival depot")

    response = seller_client.get(URL, {"warehouse": str(depot.pk)})

    assert response.status_code == 200
    assert rows(response) == []
    assert "warehouse" in response.context["filter"].form.errors


def test_unknown_stock_state_shows_an_error_not_a_500(seller_client, catalogue):
    response = seller_client.get(URL, {"stock": "bogus"})

    assert response.status_code == 200
    assert rows(response) == []


def test_sort_by_my_warehouse_descending(seller_client, seller, fbs):
    for offer, units in (("A", 1), ("B", 9), ("C", 4)):
        StockFactory(
            product=ProductFactory(seller=seller, offer_id=offer),
            warehouse=fbs,
            present=units,
        )

    response = seller_client.get(URL, {"sort": "-fbs_available"})

    assert rows(response) == ["B", "C", "A"]


def test_sort_by_offer_id(seller_client, catalogue):
    response = seller_client.get(URL, {"sort": "offer_id"})

    assert rows(response) == sorted(rows(response))


def test_page_size_choice_is_kept(seller_client, seller):
    ProductFactory.create_batch(60, seller=seller)

    response = seller_client.get(URL, {"per_page": "50"})

    assert len(rows(response)) == 50
    assert "page=2" in response.content.decode()
    assert "per_page=50" in response.content.decode()


def test_page_size_outside_the_choices_falls_back_to_25(seller_client, seller):
    ProductFactory.create_batch(30, seller=seller)

    response = seller_client.get(URL, {"per_page": "100000"})

    assert len(rows(response)) == 25


def test_page_past_the_end_shows_the_last_page(seller_client, seller):
    ProductFactory.create_batch(30, seller=seller)

    response = seller_client.get(URL, {"page": "9"})

    assert response.status_code == 200
    assert len(rows(response)) == 5


def test_pagination_links_keep_the_filter_and_sort(seller_client, seller):
    ProductFactory.create_batch(30, seller=seller, name="Mug")

    response = seller_client.get(URL, {"q": "Mug", "sort": "name"})

    assert "?q=Mug&amp;sort=name&amp;page=2" in response.content.decode()


def make_rows(seller, fbo, fbs, count):
    """Products with stock in both kinds of warehouse and some reserved."""
    for index in range(count):
        product = ProductFactory(seller=seller, approved=index % 2 == 0)
        StockFactory(product=product, warehouse=fbo, present=3, reserved=index % 2)
        StockFactory(product=product, warehouse=fbs, present=index % 3)


# session, user, seller membership, count, page rows, tab counts (one query
# since the counts are capped), warehouse choices of the filter form
PAGE_QUERIES = 7


def test_page_of_25_rows_costs_a_fixed_number_of_queries(
    seller_client, seller, fbo, fbs, django_assert_num_queries
):
    make_rows(seller, fbo, fbs, 25)

    with django_assert_num_queries(PAGE_QUERIES):
        response = seller_client.get(URL, {"per_page": "25"})

    assert len(rows(response)) == 25


def test_page_of_100_rows_costs_the_same_queries(
    seller_client, seller, fbo, fbs, django_assert_num_queries
):
    make_rows(seller, fbo, fbs, 100)

    with django_assert_num_queries(PAGE_QUERIES):
        response = seller_client.get(URL, {"per_page": "100"})

    assert len(rows(response)) == 100


def test_csv_export_streams_the_filtered_list(seller_client, catalogue, other_seller):
    ProductFactory(seller=other_seller, offer_id="RIVAL", name="Blue rival")

    response = seller_client.get(reverse("inventory:product_export"), {"q": "blue"})

    body = b"".join(response.streaming_content).decode()
    lines = body.strip().splitlines()
    assert response["Content-Type"] == "text/csv"
    assert lines[0] == (
        "Offer ID,Name,SKU,Moderation,OZON warehouse,My warehouse,Reserved,"
        "Out of stock since,Hidden from search at"
    )
    assert sorted(line.split(",")[0] for line in lines[1:]) == ["EMPTY", "IN-STOCK"]


def test_csv_export_defuses_spreadsheet_formulas(seller_client, seller):
    ProductFactory(seller=seller, offer_id="F-1", name='=HYPERLINK("x")')

    response = seller_client.get(reverse("inventory:product_export"))

    body = b"".join(response.streaming_content).decode()
    assert 'F-1,"\'=HYPERLINK(""x"")"' in body
