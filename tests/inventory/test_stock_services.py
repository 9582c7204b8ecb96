from datetime import timedelta

import pytest
from django.utils import timezone

from inventory.exceptions import InvalidStock
from inventory.factories import (
    ProductFactory,
    SellerWarehouseFactory,
    StockFactory,
    UserFactory,
)
from inventory.models import ActivityEntry, Stock
from inventory.services.stock import receive_supply, set_stock
from inventory.services.visibility import sync_out_of_stock

pytestmark = pytest.mark.django_db


@pytest.fixture
def product(seller):
    return ProductFactory(seller=seller, approved=True, name="Blue kettle")


@pytest.fixture
def staff(db):
    return UserFactory(username="staff", is_staff=True)


def test_set_stock_keeps_reserved_units_on_top(product, fbs, seller, seller_user):
    StockFactory(product=product, warehouse=fbs, present=10, reserved=4)

    row = set_stock(seller, product, fbs, 2, actor=seller_user)

    assert (row.present, row.reserved, row.available) == (6, 4, 2)


def test_set_stock_creates_the_row_when_missing(product, fbs, seller, seller_user):
    row = set_stock(seller, product, fbs, 7, actor=seller_user)

    assert (row.present, row.reserved) == (7, 0)


def test_set_stock_to_zero_with_reservations_keeps_them(
    product, fbs, seller, seller_user
):
    StockFactory(product=product, warehouse=fbs, present=5, reserved=5)

    row = set_stock(seller, product, fbs, 0, actor=seller_user)

    assert (row.present, row.reserved) == (5, 5)


def test_set_stock_refuses_a_negative_quantity(product, fbs, seller, seller_user):
    with pytest.raises(InvalidStock) as refused:
        set_stock(seller, product, fbs, -1, actor=seller_user)

    assert str(refused.value) == "The quantity cannot be negative."
    assert not Stock.objects.exists()


def test_set_stock_refuses_above_the_cap(product, fbs, seller, seller_user):
    with pytest.raises(InvalidStock) as refused:
        set_stock(seller, product, fbs, 1_000_001, actor=seller_user)

    assert str(refused.value) == "The quantity cannot be above 1,000,000."


def test_set_stock_refuses_when_reserved_would_push_present_over_the_cap(
    product, fbs, seller, seller_user
):
    StockFactory(product=product, warehouse=fbs, present=10, reserved=10)

    with pytest.raises(InvalidStock) as refused:
        set_stock(seller, product, fbs, 999_995, actor=seller_user)

    assert str(refused.value) == (
        "999,995 available plus 10 reserved for “Blue kettle” would be above the "
        "cap of 1,000,000 units."
    )
    assert Stock.objects.get().present == 10


def test_set_stock_refuses_an_archived_product(seller, fbs, seller_user):
    product = ProductFactory(seller=seller, archived=True, name="Old lamp")

    with pytest.raises(InvalidStock) as refused:
        set_stock(seller, product, fbs, 3, actor=seller_user)

    assert str(refused.value) == (
        "“Old lamp” is in the archive; restore it to change its stock."
    )


def test_set_stock_refuses_another_sellers_product(
    other_seller, fbs, seller, seller_user
):
    foreign = ProductFactory(seller=other_seller)

    with pytest.raises(InvalidStock) as refused:
        set_stock(seller, foreign, fbs, 3, actor=seller_user)

    assert str(refused.value) == "That product was not found."


def test_set_stock_refuses_a_marketplace_warehouse(product, fbo, seller, seller_user):
    with pytest.raises(InvalidStock) as refused:
        set_stock(seller, product, fbo, 3, actor=seller_user)

    assert str(refused.value) == (
        "That warehouse was not found among your own warehouses."
    )


def test_set_stock_refuses_another_sellers_warehouse(
    product, other_seller, seller, seller_user
):
    foreign = SellerWarehouseFactory(seller=other_seller)

    with pytest.raises(InvalidStock):
        set_stock(seller, product, foreign, 3, actor=seller_user)

    assert not Stock.objects.exists()


def test_set_stock_writes_the_activity_log(product, fbs, seller, seller_user):
    set_stock(seller, product, fbs, 4, actor=seller_user)

    entry = ActivityEntry.objects.get(operation=ActivityEntry.Operation.SET_STOCK)
    assert (entry.seller, entry.actor, entry.count) == (seller, seller_user, 1)
    assert entry.details == {"warehouse": fbs.pk, "available": 4}


def test_setting_stock_to_zero_starts_the_out_of_stock_clock(
    product, fbs, seller, seller_user
):
    StockFactory(product=product, warehouse=fbs, present=3)

    set_stock(seller, product, fbs, 0, actor=seller_user)

    product.refresh_from_db()
    assert product.out_of_stock_since is not None


def test_restocking_clears_the_clock_and_unhides(product, fbs, seller, seller_user):
    StockFactory(product=product, warehouse=fbs, present=0)
    long_ago = timezone.now() - timedelta(days=40)
    sync_out_of_stock([product.pk], now=long_ago)
    type(product).objects.filter(pk=product.pk).update(hidden_from_search_at=long_ago)

    set_stock(seller, product, fbs, 5, actor=seller_user)

    product.refresh_from_db()
    assert product.out_of_stock_since is None
    assert product.hidden_from_search_at is None


def test_the_clock_keeps_its_start_while_stock_stays_at_zero(
    product, fbs, seller, seller_user
):
    StockFactory(product=product, warehouse=fbs, present=0)
    started = timezone.now() - timedelta(days=5)
    sync_out_of_stock([product.pk], now=started)

    set_stock(seller, product, fbs, 0, actor=seller_user)

    product.refresh_from_db()
    assert product.out_of_stock_since == started


def test_stock_left_elsewhere_keeps_the_clock_stopped(
    product, fbs, fbo, seller, seller_user
):
    StockFactory(product=product, warehouse=fbs, present=3)
    StockFactory(product=product, warehouse=fbo, present=2)

    set_stock(seller, product, fbs, 0, actor=seller_user)

    product.refresh_from_db()
    assert product.out_of_stock_since is None


def test_receive_supply_adds_to_present(product, fbo, staff):
    StockFactory(product=product, warehouse=fbo, present=3, reserved=1)

    row = receive_supply(product, fbo, 10, actor=staff)

    assert (row.present, row.reserved) == (13, 1)


def test_receive_supply_creates_the_row_and_logs(product, fbo, staff, seller):
    row = receive_supply(product, fbo, 10, actor=staff)

    entry = ActivityEntry.objects.get(operation=ActivityEntry.Operation.SUPPLY)
    assert row.present == 10
    assert (entry.seller, entry.actor) == (seller, staff)


def test_receive_supply_is_for_staff_only(product, fbo, seller_user):
    with pytest.raises(InvalidStock) as refused:
        receive_supply(product, fbo, 10, actor=seller_user)

    assert str(refused.value) == "Only marketplace staff can receive supplies."


def test_receive_supply_goes_to_marketplace_warehouses_only(product, fbs, staff):
    with pytest.raises(InvalidStock) as refused:
        receive_supply(product, fbs, 10, actor=staff)

    assert str(refused.value) == "Supplies are received into marketplace warehouses."


def test_receive_supply_refuses_above_the_cap(product, fbo, staff):
    StockFactory(product=product, warehouse=fbo, present=999_999)

    with pytest.raises(InvalidStock) as refused:
        receive_supply(product, fbo, 2, actor=staff)

    assert str(refused.value) == (
        "This supply would take “Blue kettle” above the cap of 1,000,000."
    )


def test_receive_supply_ends_the_out_of_stock_clock(product, fbo, staff):
    StockFactory(product=product, warehouse=fbo, present=0)
    sync_out_of_stock([product.pk])

    receive_supply(product, fbo, 1, actor=staff)

    product.refresh_from_db()
    assert product.out_of_stock_since is None
