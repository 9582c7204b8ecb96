"""Each rule in inventory/querysets.py against products in each state."""

from datetime import timedelta

import pytest
from django.utils import timezone

from inventory.factories import (
    OrderFactory,
    OrderLineFactory,
    ProductFactory,
    StockFactory,
)
from inventory.models import Order, Product, Stock

NOW = timezone.now()


@pytest.fixture
def states(seller, fbo, fbs, fbs2):
    """One product per stock / archive / moderation state, by name."""
    make = ProductFactory
    products = {
        "fbo_only": make(seller=seller, approved=True),
        "fbs_only": make(seller=seller, approved=True),
        "fully_reserved": make(seller=seller, approved=True),
        "partly_reserved": make(seller=seller, approved=True),
        "empty_rows": make(seller=seller, approved=True),
        "no_rows": make(seller=seller, approved=True),
        "pending": make(seller=seller),
        "failed": make(seller=seller, failed=True),
        "archived_approved": make(seller=seller, approved=True, archived=True),
        "archived_pending": make(seller=seller, archived=True),
        "archived_failed": make(seller=seller, failed=True, archived=True),
    }
    stock = [
        ("fbo_only", fbo, 5, 0),
        ("fbs_only", fbs, 2, 0),
        ("fbs_only", fbs2, 3, 0),
        ("fully_reserved", fbo, 2, 2),
        ("partly_reserved", fbo, 5, 2),
        ("empty_rows", fbo, 0, 0),
        ("empty_rows", fbs, 0, 0),
    ]
    for name, warehouse, present, reserved in stock:
        StockFactory(
            product=products[name],
            warehouse=warehouse,
            present=present,
            reserved=reserved,
        )
    return products


def names(queryset, states):
    by_pk = {product.pk: name for name, product in states.items()}
    return {by_pk[pk] for pk in queryset.values_list("pk", flat=True)}


def everything(states):
    return Product.objects.filter(pk__in=[p.pk for p in states.values()])


# Stock figures


def test_with_stock_sums_available_and_reserved_per_warehouse_kind(seller, fbo, fbs):
    product = ProductFactory(seller=seller, approved=True)
    StockFactory(product=product, warehouse=fbo, present=7, reserved=3)
    StockFactory(product=product, warehouse=fbs, present=4, reserved=1)

    row = Product.objects.with_stock().get(pk=product.pk)

    assert (row.fbo_available, row.fbs_available) == (4, 3)
    assert (row.fbo_reserved, row.fbs_reserved, row.reserved_units) == (3, 1, 4)


def test_with_stock_adds_up_every_seller_warehouse(states):
    row = Product.objects.with_stock().get(pk=states["fbs_only"].pk)

    assert (row.fbo_available, row.fbs_available) == (0, 5)


def test_with_stock_shows_zero_for_a_product_without_stock_rows(states):
    row = Product.objects.with_stock().get(pk=states["no_rows"].pk)

    assert (row.fbo_available, row.fbs_available, row.reserved_units) == (0, 0, 0)


def test_with_stock_shows_zero_available_for_a_fully_reserved_product(states):
    row = Product.objects.with_stock().get(pk=states["fully_reserved"].pk)

    assert (row.fbo_available, row.fbs_available, row.reserved_units) == (0, 0, 2)


# Stock states


def test_in_stock_is_available_units_in_some_warehouse(states):
    result = names(everything(states).in_stock(), states)

    assert result == {"fbo_only", "fbs_only", "partly_reserved"}


def test_out_of_stock_includes_the_fully_reserved_product(states):
    result = names(everything(states).active().out_of_stock(), states)

    assert result == {"fully_reserved", "empty_rows", "no_rows", "pending", "failed"}


def test_reserved_is_any_unit_promised_to_an_order(states):
    result = names(everything(states).reserved(), states)

    assert result == {"fully_reserved", "partly_reserved"}


def test_not_reserved_is_the_complement_of_reserved(states):
    reserved = names(everything(states).reserved(), states)

    not_reserved = names(everything(states).not_reserved(), states)

    assert not_reserved == set(states) - reserved


# Operations' rules


def test_archivable_needs_no_available_and_no_reserved_unit(states):
    result = names(everything(states).archivable(), states)

    assert result == {"empty_rows", "no_rows", "pending", "failed"}


def test_fully_reserved_product_shows_zero_but_is_not_archivable(states):
    product = everything(states).with_stock().get(pk=states["fully_reserved"].pk)

    assert (product.fbo_available, product.fbs_available) == (0, 0)
    assert not Product.objects.filter(pk=product.pk).archivable().exists()


def test_in_archive_is_every_archived_product(states):
    result = names(everything(states).in_archive(), states)

    assert result == {"archived_approved", "archived_pending", "archived_failed"}


def test_restorable_is_what_is_in_the_archive(states):
    assert names(everything(states).restorable(), states) == names(
        everything(states).in_archive(), states
    )


def test_deletable_is_archived_and_never_approved(states):
    result = names(everything(states).deletable(), states)

    assert result == {"archived_pending", "archived_failed"}


def test_deletable_excludes_a_product_that_was_ever_ordered(seller, fbo):
    product = ProductFactory(seller=seller, failed=True, archived=True)
    OrderLineFactory(order__seller=seller, product=product, warehouse=fbo)

    assert not Product.objects.filter(pk=product.pk).deletable().exists()


# The out-of-stock clock and search


def _out_of_stock_for(seller, age, **fields):
    return ProductFactory(
        seller=seller, approved=True, out_of_stock_since=NOW - age, **fields
    )


def test_out_of_stock_for_more_than_counts_from_the_given_now(seller):
    over = _out_of_stock_for(seller, timedelta(days=30, seconds=1))
    _out_of_stock_for(seller, timedelta(days=30))
    ProductFactory(seller=seller, approved=True)

    result = Product.objects.out_of_stock_for_more_than(30, now=NOW)

    assert list(result) == [over]


def test_out_of_stock_for_more_than_moves_with_now(seller):
    product = _out_of_stock_for(seller, timedelta(days=10))

    later = Product.objects.out_of_stock_for_more_than(30, now=NOW + timedelta(21))

    assert list(later) == [product]


def test_out_of_stock_for_at_least_includes_the_exact_day(seller):
    exact = _out_of_stock_for(seller, timedelta(days=23))

    result = Product.objects.out_of_stock_for_at_least(23, now=NOW)

    assert list(result) == [exact]


def test_visible_in_search_is_approved_on_sale_and_not_hidden(states, seller):
    hidden = _out_of_stock_for(
        seller, timedelta(days=40), hidden_from_search_at=NOW - timedelta(days=9)
    )

    result = names(everything(states).visible_in_search(), states)

    assert result == {
        "fbo_only",
        "fbs_only",
        "fully_reserved",
        "partly_reserved",
        "empty_rows",
        "no_rows",
    }
    assert not Product.objects.filter(pk=hidden.pk).visible_in_search().exists()


def test_hidden_from_search_is_every_hidden_product(seller):
    hidden = _out_of_stock_for(
        seller, timedelta(days=40), hidden_from_search_at=NOW - timedelta(days=9)
    )
    _out_of_stock_for(seller, timedelta(days=40))

    assert list(Product.objects.hidden_from_search()) == [hidden]


def test_due_for_hiding_is_visible_and_out_of_stock_too_long(seller):
    due = _out_of_stock_for(seller, timedelta(days=31))
    _out_of_stock_for(seller, timedelta(days=29))
    _out_of_stock_for(
        seller, timedelta(days=31), hidden_from_search_at=NOW - timedelta(days=1)
    )

    result = Product.objects.due_for_hiding(30, now=NOW)

    assert list(result) == [due]


# Orders


def test_with_open_order_count_counts_only_orders_awaiting_packaging(seller, fbo, fbs):
    product = ProductFactory(seller=seller, approved=True)
    first = OrderFactory(seller=seller)
    OrderLineFactory(order=first, product=product, warehouse=fbo)
    OrderLineFactory(order=first, product=product, warehouse=fbs)
    OrderLineFactory(order__seller=seller, product=product, warehouse=fbo)
    for state, stamp in (("assembled", "assembled_at"), ("cancelled", "cancelled_at")):
        OrderLineFactory(
            order=OrderFactory(seller=seller, state=state, **{stamp: NOW}),
            product=product,
            warehouse=fbo,
        )

    row = Product.objects.with_open_order_count().get(pk=product.pk)

    assert row.open_orders == 2


def test_with_open_order_count_is_zero_without_orders(states):
    row = Product.objects.with_open_order_count().get(pk=states["fbo_only"].pk)

    assert row.open_orders == 0


def test_order_states_partition_the_orders(seller):
    awaiting = OrderFactory(seller=seller)
    assembled = OrderFactory(seller=seller, state="assembled", assembled_at=NOW)
    cancelled = OrderFactory(seller=seller, state="cancelled", cancelled_at=NOW)

    orders = Order.objects.of_seller(seller)

    assert list(orders.awaiting_packaging()) == [awaiting]
    assert list(orders.assembled()) == [assembled]
    assert list(orders.cancelled()) == [cancelled]


def test_holding_product_lists_each_order_once(seller, fbo, fbs):
    product = ProductFactory(seller=seller, approved=True)
    order = OrderFactory(seller=seller)
    OrderLineFactory(order=order, product=product, warehouse=fbo)
    OrderLineFactory(order=order, product=product, warehouse=fbs)
    OrderLineFactory(order__seller=seller, warehouse=fbo)

    assert list(Order.objects.holding_product(product)) == [order]


def test_orders_of_seller_leave_out_other_sellers(seller, other_seller):
    mine = OrderFactory(seller=seller)
    OrderFactory(seller=other_seller)

    assert list(Order.objects.of_seller(seller)) == [mine]


# Stock rows


def test_stock_rows_with_available_and_holding_units(states):
    rows = Stock.objects.filter(product__in=everything(states))

    available = {s.product_id for s in rows.available_units()}
    holding = {s.product_id for s in rows.holding_units()}

    assert names(Product.objects.filter(pk__in=available), states) == {
        "fbo_only",
        "fbs_only",
        "partly_reserved",
    }
    assert names(Product.objects.filter(pk__in=holding), states) == {
        "fbo_only",
        "fbs_only",
        "partly_reserved",
        "fully_reserved",
    }


def test_stock_with_available_is_present_minus_reserved(states):
    row = Stock.objects.with_available().get(product=states["partly_reserved"])

    assert row.units_available == 3
