import pytest

from inventory.exceptions import InvalidTransition
from inventory.factories import ProductFactory, StockFactory
from inventory.models import ActivityEntry, Order, Stock
from orders.services import (
    assemble_order,
    assemble_orders,
    cancel_order,
    cancel_orders,
    place_order,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(stocked, fbo, buyer):
    return place_order([(stocked, fbo, 2)], **buyer)


def figures(product):
    row = Stock.objects.get(product=product)
    return row.present, row.reserved


def test_assemble_consumes_present_and_reserved(order, stocked, seller, seller_user):
    result = assemble_orders(seller, [order.pk], actor=seller_user)

    order.refresh_from_db()
    assert result.done == 1
    assert order.state == Order.State.ASSEMBLED
    assert order.assembled_at is not None
    assert figures(stocked) == (3, 0)


def test_cancel_releases_reserved_and_keeps_present(
    order, stocked, seller, seller_user
):
    result = cancel_orders(seller, [order.pk], actor=seller_user)

    order.refresh_from_db()
    assert result.done == 1
    assert order.state == Order.State.CANCELLED
    assert figures(stocked) == (5, 0)


def test_assembling_twice_is_harmless(order, stocked, seller, seller_user):
    assemble_orders(seller, [order.pk], actor=seller_user)

    again = assemble_orders(seller, [order.pk], actor=seller_user)

    assert again.done == 0
    assert [r.reason for r in again.refused] == ["Already assembled."]
    assert figures(stocked) == (3, 0)


def test_cancelling_twice_is_harmless(order, stocked, seller, seller_user):
    cancel_orders(seller, [order.pk], actor=seller_user)

    again = cancel_orders(seller, [order.pk], actor=seller_user)

    assert again.done == 0
    assert [r.reason for r in again.refused] == ["Already cancelled."]
    assert figures(stocked) == (5, 0)


def test_a_cancelled_order_cannot_be_assembled(order, stocked, seller, seller_user):
    cancel_orders(seller, [order.pk], actor=seller_user)

    result = assemble_orders(seller, [order.pk], actor=seller_user)

    order.refresh_from_db()
    assert [r.reason for r in result.refused] == [
        "Cancelled orders cannot be assembled."
    ]
    assert order.state == Order.State.CANCELLED
    assert figures(stocked) == (5, 0)


def test_an_assembled_order_cannot_be_cancelled(order, stocked, seller, seller_user):
    assemble_orders(seller, [order.pk], actor=seller_user)

    result = cancel_orders(seller, [order.pk], actor=seller_user)

    order.refresh_from_db()
    assert [r.reason for r in result.refused] == [
        "Assembled orders cannot be cancelled."
    ]
    assert order.state == Order.State.ASSEMBLED
    assert figures(stocked) == (3, 0)


def test_single_order_wrapper_raises_the_refusal(order, seller, seller_user):
    cancel_order(seller, order, actor=seller_user)

    with pytest.raises(InvalidTransition) as refused:
        assemble_order(seller, order, actor=seller_user)

    assert str(refused.value) == "Cancelled orders cannot be assembled."


def test_another_sellers_order_is_not_touched(order, other_seller, other_user):
    result = assemble_orders(other_seller, [order.pk], actor=other_user)

    order.refresh_from_db()
    assert (result.done, result.refused_total) == (0, 0)
    assert order.state == Order.State.AWAITING_PACKAGING


def test_staff_assemble_across_sellers(order, stocked, staff):
    result = assemble_orders(None, Order.objects.all(), actor=staff)

    assert result.done == 1
    assert figures(stocked) == (3, 0)


def test_assembling_several_orders_sums_their_lines_per_stock_row(
    stocked, fbo, fbs, seller, seller_user, buyer
):
    mug = ProductFactory(seller=seller, approved=True)
    StockFactory(product=mug, warehouse=fbs, present=4)
    first = place_order([(stocked, fbo, 1), (mug, fbs, 1)], **buyer)
    second = place_order([(stocked, fbo, 2), (mug, fbs, 3)], **buyer)

    result = assemble_orders(seller, [first.pk, second.pk], actor=seller_user)

    assert result.done == 2
    assert figures(stocked) == (2, 0)
    assert figures(mug) == (0, 0)


def test_assemble_writes_the_activity_log(order, stocked, seller, seller_user):
    assemble_orders(seller, [order.pk], actor=seller_user)

    entry = ActivityEntry.objects.get(operation=ActivityEntry.Operation.ASSEMBLE)
    assert (entry.seller, entry.actor) == (seller, seller_user)
    assert entry.details == {"orders": [order.pk]}
    assert list(entry.items.values_list("product_id", flat=True)) == [stocked.pk]


def test_cancel_of_the_last_units_clears_the_out_of_stock_clock(
    stocked, fbo, seller, seller_user, buyer
):
    order = place_order([(stocked, fbo, 5)], **buyer)

    cancel_orders(seller, [order.pk], actor=seller_user)

    stocked.refresh_from_db()
    assert stocked.out_of_stock_since is None


def test_tampered_ids_are_ignored(order, seller, seller_user):
    result = assemble_orders(seller, ["x", None, order.pk], actor=seller_user)

    assert result.done == 1
