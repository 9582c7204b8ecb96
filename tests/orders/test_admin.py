import pytest
from django.urls import reverse

from inventory.factories import StaffFactory
from inventory.models import ActivityEntry, Order, Stock
from orders.services import place_order

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:inventory_order_changelist")
ADD = reverse("admin:inventory_order_add")
SUPPLY = reverse("admin:orders_supply_receipt")


@pytest.fixture
def staff_client(client, db):
    client.force_login(StaffFactory(username="boss"))
    return client


def line_data(product, warehouse, quantity, **extra):
    return {
        "buyer_name": "Desk order",
        "buyer_email": "desk@example.com",
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "1",
        "lines-MAX_NUM_FORMS": "10",
        "lines-0-product": product.pk,
        "lines-0-warehouse": warehouse.pk,
        "lines-0-quantity": quantity,
        **extra,
    }


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def test_staff_place_an_order_in_the_admin(staff_client, stocked, fbo):
    response = staff_client.post(ADD, line_data(stocked, fbo, 2), follow=True)

    order = Order.objects.get()
    assert messages_of(response) == [
        f"Order {order.pk} placed; its units are reserved."
    ]
    assert Stock.objects.get(product=stocked).reserved == 2


def test_an_admin_order_beyond_the_stock_is_refused_naming_the_product(
    staff_client, stocked, fbo
):
    response = staff_client.post(ADD, line_data(stocked, fbo, 9))

    assert response.status_code == 200
    assert "Not enough “Blue kettle” in stock: 5 available, 9 ordered." in (
        response.content.decode()
    )
    assert not Order.objects.exists()


def test_assemble_action_in_the_admin(staff_client, stocked, fbo, buyer):
    order = place_order([(stocked, fbo, 2)], **buyer)

    response = staff_client.post(
        CHANGELIST,
        {"action": "assemble", "_selected_action": [order.pk]},
        follow=True,
    )

    order.refresh_from_db()
    assert order.state == Order.State.ASSEMBLED
    assert messages_of(response) == ["1 order changed."]
    row = Stock.objects.get(product=stocked)
    assert (row.present, row.reserved) == (3, 0)


def test_cancel_action_refuses_an_assembled_order_with_the_reason(
    staff_client, stocked, fbo, buyer
):
    order = place_order([(stocked, fbo, 2)], **buyer)
    staff_client.post(
        CHANGELIST, {"action": "assemble", "_selected_action": [order.pk]}, follow=True
    )

    response = staff_client.post(
        CHANGELIST, {"action": "cancel", "_selected_action": [order.pk]}, follow=True
    )

    assert messages_of(response) == [
        f"Order {order.pk}: Assembled orders cannot be cancelled."
    ]


def test_orders_cannot_be_deleted_in_the_admin(staff_client, stocked, fbo, buyer):
    order = place_order([(stocked, fbo, 2)], **buyer)

    response = staff_client.post(
        reverse("admin:inventory_order_delete", args=[order.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert Order.objects.filter(pk=order.pk).exists()


def test_supply_receipt_adds_to_present(staff_client, stocked, fbo):
    response = staff_client.post(
        SUPPLY,
        {"product": stocked.pk, "warehouse": fbo.pk, "quantity": 7},
        follow=True,
    )

    assert messages_of(response) == [
        "7 units of “Blue kettle” received into OZON Moscow; 12 present now."
    ]
    assert Stock.objects.get(product=stocked, warehouse=fbo).present == 12
    assert ActivityEntry.objects.filter(
        operation=ActivityEntry.Operation.SUPPLY
    ).exists()


def test_supply_receipt_refuses_a_seller_warehouse(staff_client, stocked, fbs):
    response = staff_client.post(
        SUPPLY, {"product": stocked.pk, "warehouse": fbs.pk, "quantity": 7}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["warehouse"] == [
        "Select a valid choice. That choice is not one of the available choices."
    ]
    assert not Stock.objects.filter(warehouse=fbs).exists()


def test_supply_page_is_for_staff_only(seller_client):
    response = seller_client.get(SUPPLY)

    assert response.status_code == 302
    assert "/login/" in response["Location"]
