import pytest

from inventory.factories import ProductFactory, StockFactory
from inventory.models import ActivityEntry, Order, Stock
from orders.exceptions import InsufficientStock, InvalidOrder
from orders.services import place_order

pytestmark = pytest.mark.django_db


def stock_of(product, warehouse):
    return Stock.objects.get(product=product, warehouse=warehouse)


def test_place_order_reserves_the_units(stocked, fbo, buyer):
    order = place_order([(stocked, fbo, 2)], **buyer)

    row = stock_of(stocked, fbo)
    assert (row.present, row.reserved) == (5, 2)
    assert order.state == Order.State.AWAITING_PACKAGING
    assert list(order.lines.values_list("quantity", flat=True)) == [2]


def test_place_order_for_more_than_available_is_refused_naming_the_product(
    stocked, fbo, buyer
):
    with pytest.raises(InsufficientStock) as refused:
        place_order([(stocked, fbo, 6)], **buyer)

    assert str(refused.value) == (
        "Not enough “Blue kettle” in stock: 5 available, 6 ordered."
    )
    assert stock_of(stocked, fbo).reserved == 0
    assert not Order.objects.exists()


def test_place_order_reserves_all_lines_or_none(stocked, fbo, fbs, seller, buyer):
    scarce = ProductFactory(seller=seller, approved=True, name="Red mug")
    StockFactory(product=scarce, warehouse=fbs, present=1)

    with pytest.raises(InsufficientStock):
        place_order([(stocked, fbo, 3), (scarce, fbs, 2)], **buyer)

    assert stock_of(stocked, fbo).reserved == 0
    assert stock_of(scarce, fbs).reserved == 0
    assert not Order.objects.exists()


def test_place_order_merges_duplicate_lines(stocked, fbo, buyer):
    order = place_order([(stocked, fbo, 1), (stocked.pk, fbo.pk, 2)], **buyer)

    assert list(order.lines.values_list("quantity", flat=True)) == [3]
    assert stock_of(stocked, fbo).reserved == 3


def test_place_order_without_a_stock_row_is_insufficient(product, fbo, buyer):
    with pytest.raises(InsufficientStock) as refused:
        place_order([(product, fbo, 1)], **buyer)

    assert str(refused.value) == (
        "Not enough “Blue kettle” in stock: 0 available, 1 ordered."
    )


@pytest.mark.parametrize("quantity", [0, -1])
def test_place_order_refuses_a_quantity_below_one(stocked, fbo, buyer, quantity):
    with pytest.raises(InvalidOrder) as refused:
        place_order([(stocked, fbo, quantity)], **buyer)

    assert str(refused.value) == "Each quantity must be at least 1."


def test_place_order_refuses_an_archived_product(seller, fbo, buyer):
    product = ProductFactory(seller=seller, approved=True, archived=True, name="Old")
    StockFactory(product=product, warehouse=fbo, present=0)

    with pytest.raises(InvalidOrder) as refused:
        place_order([(product, fbo, 1)], **buyer)

    assert str(refused.value) == "“Old” is in the archive and cannot be ordered."


def test_place_order_refuses_a_product_not_approved(seller, fbo, buyer):
    product = ProductFactory(seller=seller, name="New")
    StockFactory(product=product, warehouse=fbo, present=3)

    with pytest.raises(InvalidOrder) as refused:
        place_order([(product, fbo, 1)], **buyer)

    assert str(refused.value) == (
        "“New” has not passed moderation and cannot be ordered."
    )
    assert stock_of(product, fbo).reserved == 0


def test_place_order_refuses_a_product_hidden_from_search(stocked, fbo, buyer):
    from django.utils import timezone

    Stock.objects.filter(product=stocked).update(present=0)
    stocked.out_of_stock_since = stocked.hidden_from_search_at = timezone.now()
    stocked.save()
    Stock.objects.filter(product=stocked).update(present=4)

    with pytest.raises(InvalidOrder) as refused:
        place_order([(stocked, fbo, 1)], **buyer)

    assert str(refused.value) == (
        "“Blue kettle” is hidden from search and cannot be ordered."
    )


def test_place_order_refuses_another_sellers_warehouse(stocked, other_seller, buyer):
    from inventory.factories import SellerWarehouseFactory

    foreign = SellerWarehouseFactory(seller=other_seller)
    StockFactory(product=stocked, warehouse=foreign, present=3)

    with pytest.raises(InvalidOrder) as refused:
        place_order([(stocked, foreign, 1)], **buyer)

    assert str(refused.value) == (
        "That warehouse does not ship this seller's products."
    )


def test_place_order_refuses_products_of_two_sellers(stocked, fbo, other_seller, buyer):
    foreign = ProductFactory(seller=other_seller, approved=True)
    StockFactory(product=foreign, warehouse=fbo, present=3)

    with pytest.raises(InvalidOrder) as refused:
        place_order([(stocked, fbo, 1), (foreign, fbo, 1)], **buyer)

    assert str(refused.value) == "One order can hold products of one seller only."


def test_place_order_refuses_an_invalid_email(stocked, fbo):
    with pytest.raises(InvalidOrder) as refused:
        place_order([(stocked, fbo, 1)], buyer_name="Ann", buyer_email="nope")

    assert str(refused.value) == "Please give a valid e-mail address."


def test_place_order_writes_the_activity_log(stocked, fbo, buyer, seller):
    order = place_order([(stocked, fbo, 2)], **buyer)

    entry = ActivityEntry.objects.get(operation=ActivityEntry.Operation.PLACE_ORDER)
    assert entry.seller == seller
    assert entry.details == {"order": order.pk}
    assert list(entry.items.values_list("product_id", "reserved")) == [(stocked.pk, 2)]


def test_place_order_of_the_last_units_starts_the_out_of_stock_clock(
    stocked, fbo, buyer
):
    place_order([(stocked, fbo, 5)], **buyer)

    stocked.refresh_from_db()
    assert stocked.out_of_stock_since is not None
