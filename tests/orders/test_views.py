import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from inventory.factories import (
    OrderFactory,
    OrderLineFactory,
    ProductFactory,
    StockFactory,
)
from inventory.models import Order, Stock
from orders.services import place_order

pytestmark = pytest.mark.django_db

LIST = reverse("orders:order_list")
OPERATE = reverse("orders:operate")


@pytest.fixture
def order(stocked, fbo, buyer):
    return place_order([(stocked, fbo, 2)], **buyer)


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def test_order_list_shows_the_sellers_orders(seller_client, order):
    response = seller_client.get(LIST)

    assert response.status_code == 200
    assert f'data-order-id="{order.pk}"' in response.content.decode()
    assert "Blue kettle" in response.content.decode()


def test_order_list_selection_banner_counts_orders(seller_client, seller):
    OrderFactory.create_batch(26, seller=seller)

    response = seller_client.get(LIST)

    page = response.content.decode()
    assert "All 25 orders on this page are selected." in page
    assert "All 26 orders matching this filter are selected." in page


def test_order_list_hides_another_sellers_orders(seller_client, other_seller):
    foreign = OrderFactory(seller=other_seller)

    response = seller_client.get(LIST)

    assert f'data-order-id="{foreign.pk}"' not in response.content.decode()


def test_order_list_filters_by_product(seller_client, order, seller, fbo, buyer):
    mug = ProductFactory(seller=seller, approved=True, name="Red mug")
    StockFactory(product=mug, warehouse=fbo, present=3)
    other = place_order([(mug, fbo, 1)], **buyer)

    response = seller_client.get(LIST, {"product": mug.pk})

    page = response.content.decode()
    assert f'data-order-id="{other.pk}"' in page
    assert f'data-order-id="{order.pk}"' not in page
    assert "Orders holding “Red mug”" in page


def test_order_list_filters_by_state(seller_client, order, seller, seller_user):
    from orders.services import cancel_orders

    cancel_orders(seller, [order.pk], actor=seller_user)

    awaiting = seller_client.get(LIST, {"state": "awaiting_packaging"})
    cancelled = seller_client.get(LIST, {"state": "cancelled"})

    assert f'data-order-id="{order.pk}"' not in awaiting.content.decode()
    assert f'data-order-id="{order.pk}"' in cancelled.content.decode()


def list_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST)
    assert response.status_code == 200
    return len(queries)


def test_order_list_query_count_does_not_grow_with_rows(seller_client, seller):
    OrderLineFactory(order__seller=seller, product__seller=seller)
    few = list_queries(seller_client)
    for _ in range(20):
        OrderLineFactory(order__seller=seller, product__seller=seller)

    many = list_queries(seller_client)

    assert many == few


def test_assemble_from_the_menu(seller_client, order, stocked):
    response = seller_client.post(
        OPERATE,
        {"operation": "assemble", "scope": "ids", "ids": [order.pk]},
        follow=True,
    )

    order.refresh_from_db()
    assert order.state == Order.State.ASSEMBLED
    assert messages_of(response) == ["1 order assembled: its units left the warehouse."]
    row = Stock.objects.get(product=stocked)
    assert (row.present, row.reserved) == (3, 0)


def test_assembling_again_reports_the_order_as_already_assembled(seller_client, order):
    data = {"operation": "assemble", "scope": "ids", "ids": [order.pk]}
    seller_client.post(OPERATE, data, follow=True)

    response = seller_client.post(OPERATE, data, follow=True)

    assert messages_of(response) == [
        "1 order was left unchanged:",
        f"Order {order.pk}: Already assembled.",
    ]


def test_cancel_asks_for_confirmation_and_changes_nothing(seller_client, order):
    response = seller_client.post(
        OPERATE, {"operation": "cancel", "scope": "ids", "ids": [order.pk]}
    )

    order.refresh_from_db()
    assert response.status_code == 200
    assert "1 order will be cancelled." in response.content.decode()
    assert order.state == Order.State.AWAITING_PACKAGING


def test_confirmed_cancel_releases_the_units(seller_client, order, stocked):
    response = seller_client.post(
        OPERATE,
        {"operation": "cancel", "scope": "ids", "ids": [order.pk], "confirmed": "yes"},
        follow=True,
    )

    order.refresh_from_db()
    assert order.state == Order.State.CANCELLED
    assert messages_of(response) == [
        "1 order cancelled: its units are available again."
    ]
    assert Stock.objects.get(product=stocked).reserved == 0


def test_all_matching_is_recomputed_from_the_filter(
    seller_client, order, seller, fbo, buyer
):
    mug = ProductFactory(seller=seller, approved=True)
    StockFactory(product=mug, warehouse=fbo, present=3)
    other = place_order([(mug, fbo, 1)], **buyer)

    seller_client.post(
        f"{OPERATE}?product={mug.pk}", {"operation": "assemble", "scope": "all"}
    )

    order.refresh_from_db()
    other.refresh_from_db()
    assert other.state == Order.State.ASSEMBLED
    assert order.state == Order.State.AWAITING_PACKAGING


def test_another_sellers_order_id_changes_nothing(
    seller_client, other_seller, fbo, buyer
):
    foreign_product = ProductFactory(seller=other_seller, approved=True)
    StockFactory(product=foreign_product, warehouse=fbo, present=3)
    foreign = place_order([(foreign_product, fbo, 1)], **buyer)

    response = seller_client.post(
        OPERATE,
        {"operation": "assemble", "scope": "ids", "ids": [foreign.pk]},
        follow=True,
    )

    foreign.refresh_from_db()
    assert foreign.state == Order.State.AWAITING_PACKAGING
    assert messages_of(response) == ["Nothing matched the selection."]


def test_an_empty_selection_is_refused_with_a_warning(seller_client, order):
    response = seller_client.post(
        OPERATE, {"operation": "assemble", "scope": "ids"}, follow=True
    )

    assert messages_of(response) == ["No orders were selected."]


def test_an_unknown_operation_is_refused_with_a_warning(seller_client, order):
    response = seller_client.post(
        OPERATE, {"operation": "ship", "scope": "ids", "ids": [order.pk]}, follow=True
    )

    order.refresh_from_db()
    assert messages_of(response) == ["Choose an operation from the menu."]
    assert order.state == Order.State.AWAITING_PACKAGING


def test_a_tampered_id_is_a_bad_request(seller_client, order):
    response = seller_client.post(
        OPERATE, {"operation": "assemble", "scope": "ids", "ids": ["1;drop"]}
    )

    assert response.status_code == 400


def test_too_many_ticked_ids_are_refused(seller_client, order, settings):
    settings.MAX_POSTED_IDS = 2

    response = seller_client.post(
        OPERATE,
        {"operation": "assemble", "scope": "ids", "ids": [1, 2, 3]},
        follow=True,
    )

    assert messages_of(response) == [
        'At most 2 orders can be ticked at once; choose "all matching this '
        'filter" instead.'
    ]


def test_get_on_operate_changes_nothing(seller_client, order):
    response = seller_client.get(OPERATE, {"operation": "assemble", "ids": order.pk})

    order.refresh_from_db()
    assert response.status_code == 405
    assert order.state == Order.State.AWAITING_PACKAGING


def test_order_page_shows_its_lines(seller_client, order):
    response = seller_client.get(reverse("orders:order_detail", args=[order.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Blue kettle" in page
    assert "OZON Moscow" in page


def test_another_sellers_order_page_is_not_found(seller_client, other_seller):
    foreign = OrderFactory(seller=other_seller)

    response = seller_client.get(reverse("orders:order_detail", args=[foreign.pk]))

    assert response.status_code == 404


def test_assemble_from_the_order_page_returns_to_it(seller_client, order):
    detail = reverse("orders:order_detail", args=[order.pk])

    response = seller_client.post(
        OPERATE,
        {"operation": "assemble", "scope": "ids", "ids": [order.pk], "next": detail},
    )

    assert response["Location"] == detail


def test_an_outside_next_url_is_ignored(seller_client, order):
    response = seller_client.post(
        OPERATE,
        {
            "operation": "assemble",
            "scope": "ids",
            "ids": [order.pk],
            "next": "https://evil.example/",
        },
    )

    assert response["Location"] == LIST


@pytest.mark.parametrize(
    "query",
    [
        {"product": "abc"},
        {"product": "99999999999999999999999"},
        {"state": "shipped"},
        {"placed_from": "yesterday"},
    ],
)
def test_a_tampered_filter_shows_no_orders_instead_of_failing(
    seller_client, order, query
):
    response = seller_client.get(LIST, query)

    assert response.status_code == 200
    assert f'data-order-id="{order.pk}"' not in response.content.decode()


def test_orders_of_a_date_range(seller_client, order):
    day = timezone.localdate(order.placed_at).isoformat()

    inside = seller_client.get(LIST, {"placed_from": day, "placed_to": day})
    after = seller_client.get(LIST, {"placed_from": "2999-01-01"})

    assert f'data-order-id="{order.pk}"' in inside.content.decode()
    assert f'data-order-id="{order.pk}"' not in after.content.decode()
