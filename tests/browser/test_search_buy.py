"""A buyer searches the marketplace and buys, in a real Chromium."""

import pytest

from inventory.factories import ProductFactory, StockFactory
from inventory.models import Order, Stock

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def catalogue(seller, fbo):
    teapot = ProductFactory(seller=seller, approved=True, name="Red teapot")
    StockFactory(product=teapot, warehouse=fbo, present=3)
    ProductFactory(seller=seller, approved=True, name="Blue teapot")
    ProductFactory(seller=seller, approved=True, name="Green kettle")
    return teapot


def test_buyer_finds_a_product_and_buys_it(page, live_server, catalogue):
    page.goto(f"{live_server.url}/search/")
    page.fill("input[name=q]", "teapot")
    page.click("button:has-text('Find')")

    cards = page.locator("[data-testid=product-card]")
    assert cards.count() == 2
    assert page.locator("[data-testid=result-count]").inner_text() == (
        "2 products found for “teapot”"
    )
    assert (
        cards.filter(has_text="Blue teapot")
        .locator("[data-testid=out-of-stock]")
        .is_visible()
    )

    page.click("text=Red teapot")
    page.fill("input[name=quantity]", "2")
    page.fill("input[name=buyer_name]", "Ann Buyer")
    page.fill("input[name=buyer_email]", "ann@example.com")
    page.click("button:has-text('Buy')")
    page.wait_for_load_state()

    order = Order.objects.get()
    assert page.locator("[data-testid=order-number]").inner_text() == (
        f"Order No. {order.pk}"
    )
    assert f"Thank you! Your order No. {order.pk} has been placed." in (
        page.locator(".messages").inner_text()
    )
    assert Stock.objects.get(product=catalogue).reserved == 2


def test_buyer_is_told_when_the_product_sold_out_meanwhile(
    page, live_server, catalogue
):
    page.goto(f"{live_server.url}/search/{catalogue.pk}/")
    Stock.objects.filter(product=catalogue).update(reserved=3)

    page.fill("input[name=quantity]", "1")
    page.fill("input[name=buyer_name]", "Ann Buyer")
    page.fill("input[name=buyer_email]", "ann@example.com")
    page.click("button:has-text('Buy')")
    page.wait_for_load_state()

    assert page.locator("[data-testid=buy-error]").inner_text() == (
        "Sorry, “Red teapot” has just sold out."
    )
    assert page.locator("[data-testid=cannot-order]").is_visible()
    assert not Order.objects.exists()


def test_storefront_fits_a_phone_screen(page, live_server, catalogue):
    page.set_viewport_size({"width": 375, "height": 740})

    page.goto(f"{live_server.url}/search/{catalogue.pk}/")

    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 375
    assert page.locator("button:has-text('Buy')").is_visible()
