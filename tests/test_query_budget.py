"""The query budget: what a list page or a bulk action costs, pinned.

Each figure is checked at two catalogue sizes, 30 and 300 products: a count
that grows with the catalogue is the regression this file exists to catch
(bench/ measures the timings). Transaction control statements are left out
of the counts, because SQLite sends BEGIN as a statement and PostgreSQL does
not; the budgets then read the same on both databases.
"""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from archive.services import archive_products, delete_products, restore_products
from archive.tables import ArchiveTable
from archive.views import library_queryset
from bench.measure import query_log
from inventory.factories import ProductFactory, StockFactory
from inventory.models import Product, Stock
from inventory.services.visibility import hide_out_of_stock
from inventory.tables import ProductTable
from orders.services import place_order

SIZES = [30, 300]

# session, user, seller membership, the capped page count, page rows, the tab
# counts (one query), the warehouse choices of the filter form
LIST_PAGE_QUERIES = 7
ARCHIVE_PAGE_QUERIES = 7
# entry, the UPDATE, the copy into the log, closing the entry, the refusals
# with their total; PostgreSQL first row-locks the selection (one more)
ARCHIVE_QUERIES = {"sqlite": 5, "postgresql": 6}
# Refused whole: nothing to copy into the log, and the entry is dropped.
REFUSED_ARCHIVE_QUERIES = {"sqlite": 4, "postgresql": 5}
RESTORE_QUERIES = 5
# ... plus deleting the stock rows and the products
DELETE_QUERIES = 7
# one batch (the catalogue is under HIDE_BATCH_SIZE) and the run's single log
# copy, see inventory/services/visibility.py; PostgreSQL adds the advisory
# lock and its release
HIDE_QUERIES = {"sqlite": 10, "postgresql": 12}
PLACE_ORDER_QUERIES = 11


def build(seller, fbo, fbs, size):
    """``size`` products of every kind, a tenth archived, a word per row."""
    now = timezone.now()
    products = []
    for i in range(size):
        approved = i % 3 == 0
        products.append(
            Product(
                seller=seller,
                offer_id=f"B-{i:04d}",
                name=f"Budget item {'even' if i % 2 == 0 else 'odd'} {i}",
                moderation="approved" if approved else "pending",
                sku=90_000_000 + i if approved else None,
                archived_at=now if i % 10 == 9 else None,
                out_of_stock_since=now - timedelta(days=40) if i % 5 == 0 else None,
            )
        )
    products = Product.objects.bulk_create(products)
    stocks = []
    for i, product in enumerate(products):
        if i % 4 == 1:
            stocks.append(Stock(product=product, warehouse=fbo, present=5, reserved=1))
        if i % 4 == 2:
            stocks.append(Stock(product=product, warehouse=fbs, present=3))
    Stock.objects.bulk_create(stocks)
    return products


@pytest.fixture(params=SIZES, ids=lambda n: f"{n}-products")
def catalogue(request, seller, fbo, fbs):
    return build(seller, fbo, fbs, request.param)


def queries_of(function, *args, **kwargs):
    with query_log() as log:
        function(*args, **kwargs)
    return log.queries


@pytest.mark.parametrize(
    "params",
    [{}, {"page": "2"}, {"q": "even"}, {"stock": "out_of_stock"}],
    ids=["page-1", "page-2", "search", "stock-state"],
)
def test_product_list_page_costs_the_same_queries_at_any_size(
    seller_client, catalogue, params
):
    url = reverse("inventory:product_list")

    queries = queries_of(seller_client.get, url, params)

    assert queries == LIST_PAGE_QUERIES


def test_archive_library_page_costs_the_same_queries_at_any_size(
    seller_client, catalogue
):
    queries = queries_of(seller_client.get, reverse("archive:library"))

    assert queries == ARCHIVE_PAGE_QUERIES


def test_archive_all_matching_costs_a_fixed_number_of_queries(
    seller, seller_user, catalogue
):
    matching = Product.objects.of_seller(seller).active().filter(name__contains="even")

    queries = queries_of(archive_products, seller, matching, actor=seller_user)

    assert queries == ARCHIVE_QUERIES[connection.vendor]


def test_archive_refused_whole_costs_a_fixed_number_of_queries(
    seller, seller_user, fbo
):
    for i in range(130):
        product = ProductFactory(seller=seller, offer_id=f"FULL-{i}")
        StockFactory(product=product, warehouse=fbo, present=1)
    matching = Product.objects.of_seller(seller).active()

    with query_log() as log:
        result = archive_products(seller, matching, actor=seller_user)

    assert (result.refused_total, len(result.refused)) == (130, 100)
    assert log.queries == REFUSED_ARCHIVE_QUERIES[connection.vendor]


def test_restore_all_matching_costs_a_fixed_number_of_queries(
    seller, seller_user, catalogue
):
    archived = Product.objects.of_seller(seller).in_archive()

    queries = queries_of(restore_products, seller, archived, actor=seller_user)

    assert queries == RESTORE_QUERIES


def test_delete_all_matching_costs_a_fixed_number_of_queries(
    seller, seller_user, catalogue
):
    archived = Product.objects.of_seller(seller).in_archive()

    queries = queries_of(delete_products, seller, archived, actor=seller_user)

    assert queries == DELETE_QUERIES


def test_hide_out_of_stock_costs_a_fixed_number_of_queries(catalogue):
    queries = queries_of(hide_out_of_stock)

    assert queries == HIDE_QUERIES[connection.vendor]


def test_placing_an_order_costs_a_fixed_number_of_queries(catalogue, fbo):
    stock = Stock.objects.filter(
        warehouse=fbo, product__moderation="approved", product__archived_at=None
    ).first()

    queries = queries_of(
        place_order,
        [(stock.product_id, fbo.pk, 1)],
        buyer_name="Budget buyer",
        buyer_email="buyer@example.com",
    )

    assert queries == PLACE_ORDER_QUERIES


def test_counts_above_the_cap_read_cap_plus(seller_client, catalogue, monkeypatch):
    monkeypatch.setattr("inventory.mixins.COUNT_CAP", 10)
    monkeypatch.setattr("inventory.paginators.CappedPaginator.cap", 10)

    response = seller_client.get(reverse("inventory:product_list"), {"per_page": 25})

    html = response.content.decode()
    assert '<span class="count">10+</span>' in html
    assert re.search(r'data-testid="page-summary">1–10 of 10\+<', html)


# The Product List renders its rows in one pass (ProductTable.body_html); it
# must print what django-tables2's generic template prints.

TBODY = re.compile(r"<tbody.*?</tbody>", re.S)


def tbody(html):
    return re.sub(r">\s+<", "><", TBODY.search(html).group(0)).strip()


def render(table_class, queryset, request, template):
    class Table(table_class):
        class Meta(table_class.Meta):
            template_name = template

    table = Table(queryset)
    table.paginate(per_page=25)
    return tbody(table.as_html(request))


@pytest.mark.parametrize(
    ("table_class", "rows"),
    [
        (
            ProductTable,
            lambda s: (
                Product.objects.of_seller(s)
                .active()
                .with_stock()
                .with_open_order_count()
            ),
        ),
        (ArchiveTable, library_queryset),
    ],
    ids=["product-list", "archive-library"],
)
def test_fast_table_body_prints_what_django_tables2_prints(
    seller, seller_user, fbo, table_class, rows
):
    for i in range(6):
        product = ProductFactory(seller=seller, name=f"<b>Tag {i}</b>", approved=i % 2)
        if i % 3:
            StockFactory(product=product, warehouse=fbo, present=4, reserved=i % 2)
    ProductFactory(seller=seller, archived=True, name="Old & gone")
    queryset = rows(seller)
    request = RequestFactory().get("/")
    request.user = seller_user

    fast = render(table_class, queryset, request, "inventory/product_table.html")
    generic = render(table_class, queryset, request, "includes/table.html")

    assert fast == generic
    assert "&lt;b&gt;" in fast or "Old &amp; gone" in fast
