"""The product page of the marketplace search and buying from it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from inventory.factories import ProductFactory, StockFactory
from inventory.models import Order, Stock

BUYER = {"buyer_name": "Ann Buyer", "buyer_email": "ann@example.com"}


def product_url(product):
    return reverse("search:product", args=[product.pk])


@pytest.fixture
def teapot(seller):
    return ProductFactory(seller=seller, approved=True, name="Red teapot")


def test_product_page_shows_the_product_and_the_buy_form(client, teapot, fbo):
    StockFactory(product=teapot, warehouse=fbo, present=3)

    response = client.get(product_url(teapot))

    content = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Red teapot</h1>" in content
    assert "3 in stock" in content
    assert ">Buy</button>" in content


def test_out_of_stock_product_page_cannot_be_ordered(client, teapot):
    response = client.get(product_url(teapot))

    content = response.content.decode()
    assert "This product is out of stock and cannot be ordered now." in content
    assert ">Buy</button>" not in content


@pytest.mark.parametrize(
    "state",
    [
        {"moderation": "pending", "sku": None},
        {"archived_at": timezone.now()},
        {
            "out_of_stock_since": timezone.now() - timedelta(days=40),
            "hidden_from_search_at": timezone.now() - timedelta(days=9),
        },
    ],
    ids=["unapproved", "archived", "hidden"],
)
def test_product_page_of_a_product_buyers_cannot_find_is_404(client, teapot, state):
    type(teapot).objects.filter(pk=teapot.pk).update(**state)

    response = client.get(product_url(teapot))

    assert response.status_code == 404


def test_buying_from_the_marketplace_warehouse_reserves_stock(client, teapot, fbo):
    StockFactory(product=teapot, warehouse=fbo, present=5)

    response = client.post(product_url(teapot), {"quantity": "2", **BUYER})

    order = Order.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("search:ordered", args=[order.pk])
    assert (order.buyer_name, order.buyer_email) == ("Ann Buyer", "ann@example.com")
    assert order.state == Order.State.AWAITING_PACKAGING
    line = order.lines.get()
    assert (line.product, line.warehouse, line.quantity) == (teapot, fbo, 2)
    stock = Stock.objects.get(product=teapot, warehouse=fbo)
    assert (stock.present, stock.reserved) == (5, 2)


def test_confirmation_shows_the_order_number(client, teapot, fbo):
    StockFactory(product=teapot, warehouse=fbo, present=5)

    response = client.post(product_url(teapot), {"quantity": "1", **BUYER}, follow=True)

    order = Order.objects.get()
    content = response.content.decode()
    assert f"Thank you! Your order No. {order.pk} has been placed." in content
    assert f'<h1 data-testid="order-number">Order No. {order.pk}</h1>' in content
    assert "OZON Moscow" in content


def test_marketplace_warehouse_is_preferred_when_it_has_enough(
    client, teapot, fbo, fbs
):
    StockFactory(product=teapot, warehouse=fbo, present=2)
    StockFactory(product=teapot, warehouse=fbs, present=9)

    client.post(product_url(teapot), {"quantity": "2", **BUYER})

    assert Order.objects.get().lines.get().warehouse == fbo


def test_seller_warehouse_ships_when_the_marketplace_has_too_few(
    client, teapot, fbo, fbs, fbs2
):
    StockFactory(product=teapot, warehouse=fbo, present=1)
    StockFactory(product=teapot, warehouse=fbs, present=3)
    StockFactory(product=teapot, warehouse=fbs2, present=6)

    client.post(product_url(teapot), {"quantity": "3", **BUYER})

    assert Order.objects.get().lines.get().warehouse == fbs2


def test_not_enough_in_any_one_warehouse_is_refused_with_the_most_orderable(
    client, teapot, fbo, fbs
):
    StockFactory(product=teapot, warehouse=fbo, present=2)
    StockFactory(product=teapot, warehouse=fbs, present=3, reserved=1)

    response = client.post(product_url(teapot), {"quantity": "4", **BUYER})

    assert response.status_code == 409
    assert "Sorry, only 2 units of “Red teapot” can be ordered now." in (
        response.content.decode()
    )
    assert not Order.objects.exists()


def test_sold_out_meanwhile_shows_a_clear_message(client, teapot, fbo):
    stock = StockFactory(product=teapot, warehouse=fbo, present=1)
    page = client.get(product_url(teapot))
    assert ">Buy</button>" in page.content.decode()
    Stock.objects.filter(pk=stock.pk).update(reserved=1)

    response = client.post(product_url(teapot), {"quantity": "1", **BUYER})

    assert response.status_code == 409
    assert "Sorry, “Red teapot” has just sold out." in response.content.decode()
    assert not Order.objects.exists()


def test_losing_the_race_inside_place_order_shows_the_sold_out_message(
    client, teapot, fbo, monkeypatch
):
    StockFactory(product=teapot, warehouse=fbo, present=1)
    from inventory.exceptions import InsufficientStock
    from orders import search_views

    def lose_the_race(*args, **kwargs):
        Stock.objects.filter(product=teapot).update(reserved=1)
        raise InsufficientStock("gone")

    monkeypatch.setattr(search_views, "place_order", lose_the_race)

    response = client.post(product_url(teapot), {"quantity": "1", **BUYER})

    assert response.status_code == 409
    assert "Sorry, “Red teapot” has just sold out." in response.content.decode()


@pytest.mark.parametrize(
    ("quantity", "error"),
    [
        ("0", "Ensure this value is greater than or equal to 1."),
        ("-3", "Ensure this value is greater than or equal to 1."),
        ("101", "Ensure this value is less than or equal to 100."),
        ("abc", "Enter a whole number."),
        ("1.5", "Enter a whole number."),
        ("", "This field is required."),
    ],
)
def test_bad_quantity_is_refused_and_reserves_nothing(
    client, teapot, fbo, quantity, error
):
    StockFactory(product=teapot, warehouse=fbo, present=500)

    response = client.post(product_url(teapot), {"quantity": quantity, **BUYER})

    assert response.status_code == 400
    assert error in response.content.decode()
    assert not Order.objects.exists()
    assert Stock.objects.get(product=teapot).reserved == 0


def test_bad_email_is_refused(client, teapot, fbo):
    StockFactory(product=teapot, warehouse=fbo, present=5)

    response = client.post(
        product_url(teapot),
        {"quantity": "1", "buyer_name": "Ann", "buyer_email": "not-an-email"},
    )

    assert response.status_code == 400
    assert "Enter a valid email address." in response.content.decode()
    assert not Order.objects.exists()


def test_buying_a_hidden_product_is_404_and_reserves_nothing(client, teapot, fbo):
    StockFactory(product=teapot, warehouse=fbo, present=5)
    type(teapot).objects.filter(pk=teapot.pk).update(
        out_of_stock_since=timezone.now(), hidden_from_search_at=timezone.now()
    )

    response = client.post(product_url(teapot), {"quantity": "1", **BUYER})

    assert response.status_code == 404
    assert not Order.objects.exists()


def test_buying_the_last_unit_starts_the_out_of_stock_clock(client, teapot, fbo):
    StockFactory(product=teapot, warehouse=fbo, present=1)

    client.post(product_url(teapot), {"quantity": "1", **BUYER})

    teapot.refresh_from_db()
    assert teapot.out_of_stock_since is not None


def test_confirmation_of_an_order_placed_elsewhere_is_404(client, teapot, fbo):
    StockFactory(product=teapot, warehouse=fbo, present=5)
    client.post(product_url(teapot), {"quantity": "1", **BUYER})
    order = Order.objects.get()
    client.cookies.clear()

    response = client.get(reverse("search:ordered", args=[order.pk]))

    assert response.status_code == 404


def test_get_of_the_product_page_changes_nothing(client, teapot, fbo):
    StockFactory(product=teapot, warehouse=fbo, present=5)

    client.get(product_url(teapot), {"quantity": "1", **BUYER})

    assert not Order.objects.exists()
