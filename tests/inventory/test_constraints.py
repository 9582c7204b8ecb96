"""The database itself refuses every state the domain forbids.

Each case writes past the model layer (``update`` or a bare ``create``), as a
buggy service or a hand-written SQL fix could, and expects IntegrityError.
The error must name the constraint where the database reports names (both
ours do for CHECK constraints), so a case cannot pass on the wrong one.
"""

import pytest
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from inventory.factories import (
    MarketplaceWarehouseFactory,
    OrderFactory,
    OrderLineFactory,
    ProductFactory,
    SellerFactory,
    SellerWarehouseFactory,
    StockFactory,
    UserFactory,
)
from inventory.models import Order, Product, Stock, Warehouse


def assert_refused(write, *names):
    """Run ``write`` in its own transaction; it must fail naming a constraint.

    ``names`` are alternatives: SQLite reports a column's own CHECK by the
    column's name, PostgreSQL by a generated name.
    """
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        write()
    message = str(error.value)
    if names:
        assert any(name in message for name in names), message


# Stock


@pytest.mark.django_db
def test_stock_reserved_above_present_is_refused():
    stock = StockFactory(present=3, reserved=3)

    assert_refused(
        lambda: Stock.objects.filter(pk=stock.pk).update(reserved=F("present") + 1),
        "stock_reserved_within_present",
    )


@pytest.mark.django_db
def test_stock_negative_reserved_is_refused():
    stock = StockFactory(present=3, reserved=0)

    assert_refused(
        lambda: Stock.objects.filter(pk=stock.pk).update(reserved=-1),
        "stock_reserved_not_negative",
        "inventory_stock_reserved_check",
        "CHECK constraint failed: reserved",
    )


@pytest.mark.django_db
def test_stock_negative_present_is_refused():
    stock = StockFactory(present=0, reserved=0)

    assert_refused(
        lambda: Stock.objects.filter(pk=stock.pk).update(present=-1),
        "inventory_stock_present_check",
        "CHECK constraint failed: present",
    )


@pytest.mark.django_db
def test_stock_present_above_one_million_is_refused():
    stock = StockFactory(present=1_000_000)

    assert_refused(
        lambda: Stock.objects.filter(pk=stock.pk).update(present=1_000_001),
        "stock_present_within_cap",
    )


@pytest.mark.django_db
def test_stock_of_exactly_one_million_is_allowed():
    stock = StockFactory(present=0)

    Stock.objects.filter(pk=stock.pk).update(present=1_000_000)

    stock.refresh_from_db()
    assert stock.present == 1_000_000


@pytest.mark.django_db
def test_second_stock_row_for_the_same_warehouse_is_refused():
    stock = StockFactory()

    assert_refused(
        lambda: Stock.objects.create(product=stock.product, warehouse=stock.warehouse)
    )


# Product


@pytest.mark.django_db
def test_approved_product_without_sku_is_refused():
    product = ProductFactory(approved=True)

    assert_refused(
        lambda: Product.objects.filter(pk=product.pk).update(sku=None),
        "product_sku_iff_approved",
    )


@pytest.mark.django_db
@pytest.mark.parametrize("moderation", ["pending", "failed"])
def test_unapproved_product_with_sku_is_refused(moderation):
    product = ProductFactory(moderation=moderation)

    assert_refused(
        lambda: Product.objects.filter(pk=product.pk).update(sku=123_456),
        "product_sku_iff_approved",
    )


@pytest.mark.django_db
def test_same_sku_on_two_products_is_refused():
    first = ProductFactory(approved=True)
    second = ProductFactory(approved=True)

    assert_refused(lambda: Product.objects.filter(pk=second.pk).update(sku=first.sku))


@pytest.mark.django_db
def test_same_offer_id_twice_for_one_seller_is_refused():
    product = ProductFactory(offer_id="MUG-1")

    assert_refused(lambda: ProductFactory(seller=product.seller, offer_id="MUG-1"))


@pytest.mark.django_db
def test_same_offer_id_for_two_sellers_is_allowed():
    ProductFactory(seller=SellerFactory(name="One"), offer_id="MUG-1")

    ProductFactory(seller=SellerFactory(name="Two"), offer_id="MUG-1")

    assert Product.objects.filter(offer_id="MUG-1").count() == 2


@pytest.mark.django_db
def test_archived_by_on_a_product_not_archived_is_refused():
    product = ProductFactory()
    user = UserFactory()

    assert_refused(
        lambda: Product.objects.filter(pk=product.pk).update(archived_by=user),
        "product_archived_by_only_when_archived",
    )


@pytest.mark.django_db
def test_hidden_product_not_out_of_stock_is_refused():
    product = ProductFactory(approved=True)

    assert_refused(
        lambda: Product.objects.filter(pk=product.pk).update(
            hidden_from_search_at=timezone.now(), out_of_stock_since=None
        ),
        "product_hidden_only_when_out_of_stock",
    )


# Warehouse


@pytest.mark.django_db
def test_marketplace_warehouse_with_an_owner_is_refused():
    seller = SellerFactory()

    assert_refused(
        lambda: Warehouse.objects.create(kind="fbo", seller=seller, name="Odd"),
        "warehouse_kind_matches_owner",
    )


@pytest.mark.django_db
def test_seller_warehouse_without_an_owner_is_refused():
    assert_refused(
        lambda: Warehouse.objects.create(kind="fbs", seller=None, name="Odd"),
        "warehouse_kind_matches_owner",
    )


@pytest.mark.django_db
def test_two_warehouses_of_one_seller_with_one_name_are_refused():
    warehouse = SellerWarehouseFactory(name="Main")

    assert_refused(lambda: SellerWarehouseFactory(seller=warehouse.seller, name="Main"))


@pytest.mark.django_db
def test_unknown_warehouse_kind_is_refused():
    MarketplaceWarehouseFactory()

    assert_refused(
        lambda: Warehouse.objects.create(kind="xyz", seller=None, name="Odd"),
        "warehouse_kind_matches_owner",
    )


# Order


ORDER_TIMES_REFUSED = [
    pytest.param("awaiting_packaging", True, False, id="awaiting-with-assembled-at"),
    pytest.param("awaiting_packaging", False, True, id="awaiting-with-cancelled-at"),
    pytest.param("assembled", False, False, id="assembled-without-assembled-at"),
    pytest.param("assembled", True, True, id="assembled-with-cancelled-at"),
    pytest.param("cancelled", False, False, id="cancelled-without-cancelled-at"),
    pytest.param("cancelled", True, True, id="cancelled-with-assembled-at"),
    pytest.param("lost", False, False, id="unknown-state"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("state,assembled,cancelled", ORDER_TIMES_REFUSED)
def test_order_times_that_do_not_match_its_state_are_refused(
    state, assembled, cancelled
):
    order = OrderFactory()
    now = timezone.now()

    assert_refused(
        lambda: Order.objects.filter(pk=order.pk).update(
            state=state,
            assembled_at=now if assembled else None,
            cancelled_at=now if cancelled else None,
        ),
        "order_times_match_state",
    )


@pytest.mark.django_db
def test_order_line_of_zero_units_is_refused():
    assert_refused(lambda: OrderLineFactory(quantity=0), "order_line_quantity_positive")


@pytest.mark.django_db
def test_two_order_lines_for_one_product_and_warehouse_are_refused():
    line = OrderLineFactory()

    assert_refused(
        lambda: OrderLineFactory(
            order=line.order, product=line.product, warehouse=line.warehouse
        )
    )
