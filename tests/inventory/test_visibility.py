"""The out-of-stock clock and restocking, directly and through the services.

Restocking in any way (a stock edit, a supply, a cancelled order releasing
units) clears the clock and makes a hidden product visible at once; the clock
starts when available stock reaches 0 (an order assembled, stock set to 0).
"""

from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest

from inventory.factories import ProductFactory, StockFactory, UserFactory
from inventory.models import Product
from inventory.services.stock import receive_supply, set_stock
from inventory.services.visibility import hide_out_of_stock, sync_out_of_stock
from orders.services import assemble_orders, cancel_orders, place_order

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
LONG_AGO = NOW - timedelta(days=40)
BUYER = {"buyer_name": "Ann Buyer", "buyer_email": "ann@example.com"}


@pytest.fixture
def hidden(seller):
    """An approved product out of stock for 40 days and hidden from search."""
    return ProductFactory(
        seller=seller,
        approved=True,
        out_of_stock_since=LONG_AGO,
        hidden_from_search_at=LONG_AGO + timedelta(days=31),
    )


@pytest.fixture
def staff(db):
    return UserFactory(username="staff", is_staff=True)


def visible(product):
    return Product.objects.visible_in_search().filter(pk=product.pk).exists()


def clock(product):
    product.refresh_from_db()
    return product.out_of_stock_since


# sync_out_of_stock on its own


def test_sync_starts_the_clock_when_nothing_is_available(seller, fbo):
    product = ProductFactory(seller=seller, approved=True)
    StockFactory(product=product, warehouse=fbo, present=3, reserved=3)

    started, restocked = sync_out_of_stock([product.pk], now=NOW)

    assert (started, restocked) == (1, 0)
    assert clock(product) == NOW


def test_sync_keeps_a_running_clock(seller):
    product = ProductFactory(seller=seller, approved=True, out_of_stock_since=LONG_AGO)

    sync_out_of_stock(Product.objects.filter(pk=product.pk), now=NOW)

    assert clock(product) == LONG_AGO


def test_sync_clears_clock_and_unhides_when_stock_is_available(hidden, fbo):
    StockFactory(product=hidden, warehouse=fbo, present=1)

    started, restocked = sync_out_of_stock([hidden.pk], now=NOW)

    assert (started, restocked) == (0, 1)
    assert clock(hidden) is None
    assert hidden.hidden_from_search_at is None
    assert visible(hidden)


def test_sync_leaves_products_in_stock_without_a_clock_alone(seller, fbo):
    product = ProductFactory(seller=seller, approved=True)
    StockFactory(product=product, warehouse=fbo, present=2)

    assert sync_out_of_stock([product.pk], now=NOW) == (0, 0)


def test_restocked_product_is_not_hidden_by_the_next_run(hidden, fbo):
    StockFactory(product=hidden, warehouse=fbo, present=1)
    sync_out_of_stock([hidden.pk], now=NOW)

    result = hide_out_of_stock(now=NOW + timedelta(days=1))

    assert result.count == 0
    assert visible(hidden)


# Through the stock and order services


def test_stock_edit_makes_a_hidden_product_visible_again(
    hidden, seller, seller_user, fbs
):
    set_stock(seller, hidden, fbs, 4, actor=seller_user)

    assert clock(hidden) is None
    assert visible(hidden)


def test_setting_stock_to_zero_starts_the_clock(seller, seller_user, fbs):
    product = ProductFactory(seller=seller, approved=True)
    set_stock(seller, product, fbs, 2, actor=seller_user)

    with mock.patch("django.utils.timezone.now", return_value=NOW):
        set_stock(seller, product, fbs, 0, actor=seller_user)

    assert clock(product) == NOW


def test_supply_makes_a_hidden_product_visible_again(hidden, staff, fbo):
    receive_supply(hidden, fbo, 10, actor=staff)

    assert clock(hidden) is None
    assert visible(hidden)


def test_placing_an_order_for_the_last_units_starts_the_clock(seller, fbo):
    product = ProductFactory(seller=seller, approved=True)
    StockFactory(product=product, warehouse=fbo, present=2)

    with mock.patch("django.utils.timezone.now", return_value=NOW):
        place_order([(product, fbo, 2)], **BUYER)

    assert clock(product) == NOW


def test_assembling_the_order_of_the_last_units_keeps_the_clock(
    seller, seller_user, fbo
):
    product = ProductFactory(seller=seller, approved=True)
    StockFactory(product=product, warehouse=fbo, present=2)
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        order = place_order([(product, fbo, 2)], **BUYER)

    assemble_orders(seller, [order.pk], actor=seller_user)

    assert clock(product) == NOW


def test_assembling_an_order_with_stock_left_starts_no_clock(seller, seller_user, fbo):
    product = ProductFactory(seller=seller, approved=True)
    StockFactory(product=product, warehouse=fbo, present=3)
    order = place_order([(product, fbo, 2)], **BUYER)

    assemble_orders(seller, [order.pk], actor=seller_user)

    assert clock(product) is None


def test_cancelled_order_releasing_units_clears_the_clock(seller, seller_user, fbo):
    product = ProductFactory(seller=seller, approved=True)
    StockFactory(product=product, warehouse=fbo, present=2)
    order = place_order([(product, fbo, 2)], **BUYER)
    assert clock(product) is not None

    cancel_orders(seller, [order.pk], actor=seller_user)

    assert clock(product) is None


def test_cancelling_an_order_unhides_a_product_hidden_while_reserved(
    seller, seller_user, fbo
):
    product = ProductFactory(seller=seller, approved=True)
    StockFactory(product=product, warehouse=fbo, present=2)
    with mock.patch("django.utils.timezone.now", return_value=LONG_AGO):
        order = place_order([(product, fbo, 2)], **BUYER)
    hide_out_of_stock(now=NOW)
    assert not visible(product)

    cancel_orders(seller, [order.pk], actor=seller_user)

    assert visible(product)
