"""An order reserves a product, blocks its archive, and is assembled, in a
real Chromium."""

import pytest
from playwright.sync_api import expect

from inventory.factories import ProductFactory, StockFactory
from inventory.models import Stock
from orders.services import place_order

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def ordered_lamp(seller, fbs):
    lamp = ProductFactory(
        seller=seller, offer_id="LAMP-1", name="Desk lamp", approved=True
    )
    StockFactory(product=lamp, warehouse=fbs, present=2)
    order = place_order(
        [(lamp, fbs, 2)], buyer_name="Ann Buyer", buyer_email="ann@example.com"
    )
    return lamp, order


def operation(page, label):
    page.locator("[data-operation-menu] summary").click()
    page.get_by_role("menuitem", name=label).click()
    page.wait_for_load_state()


def test_an_order_blocks_the_archive_until_it_is_assembled(
    login, live_server, seller_user, ordered_lamp
):
    lamp, order = ordered_lamp
    page = login("acme")
    row = page.locator('tr[data-offer-id="LAMP-1"]')
    messages = page.locator(".messages")

    # Every unit is reserved: the row says so and the archive is refused.
    expect(row).to_contain_text("reserved by 1 order")
    row.locator("input[name=ids]").check()
    operation(page, "Archive")
    expect(messages).to_contain_text("LAMP-1: Cannot be archived: reserved by 1 order.")

    # The reserved count links to the order, which the seller assembles.
    row.get_by_role("link", name="reserved by 1 order").click()
    page.wait_for_load_state()
    expect(page.locator("[data-testid=filtered-product]")).to_contain_text(
        "Orders holding “Desk lamp” (LAMP-1)."
    )
    page.locator(f"[data-testid=assemble-{order.pk}]").click()
    page.wait_for_load_state()
    expect(messages).to_contain_text("1 order assembled: its units left the warehouse.")
    expect(page.locator(f'tr[data-order-id="{order.pk}"]')).to_contain_text(
        "Assembled, awaiting shipment"
    )

    # The units left the warehouse, so the product can now be archived.
    page.get_by_role("link", name="Product List").click()
    page.wait_for_load_state()
    page.locator("[data-testid=archive-LAMP-1]").click()
    page.wait_for_load_state()
    expect(messages).to_contain_text("1 product moved to the Archive Library.")
    stock = Stock.objects.get(product=lamp)
    assert (stock.present, stock.reserved) == (0, 0)
    lamp.refresh_from_db()
    assert lamp.archived_at is not None


def test_stock_is_edited_per_product_and_uploaded_from_a_file(
    login, live_server, seller_user, seller, fbs
):
    ProductFactory(seller=seller, offer_id="MUG-1", name="Mug", approved=True)
    page = login("acme")
    row = page.locator('tr[data-offer-id="MUG-1"]')

    # One product's form, from its row.
    page.locator("[data-testid=edit-stock-MUG-1]").click()
    page.get_by_label("Acme main").fill("4")
    page.locator("[data-testid=save-stock]").click()
    page.wait_for_load_state()
    expect(page.locator(".messages")).to_contain_text("Stock of “Mug” saved.")
    expect(row.locator('td[data-label="My warehouse"]')).to_have_text("4")

    # A file with a bad row changes nothing and names the row.
    page.locator("[data-testid=stock-upload-link]").click()
    page.set_input_files("input[type=file]", files=[csv_upload("MUG-1,Acme main,lots")])
    page.locator("[data-testid=upload-submit]").click()
    expect(page.locator("[data-testid=upload-errors]")).to_contain_text(
        "Row 2: the quantity “lots” is not a whole number."
    )

    # A clean file is previewed, then applied.
    page.set_input_files("input[type=file]", files=[csv_upload("MUG-1,Acme main,9")])
    page.locator("[data-testid=upload-submit]").click()
    expect(page.locator("[data-testid=upload-preview]")).to_contain_text("Mug")
    page.locator("[data-testid=apply-upload]").click()
    page.wait_for_load_state()
    expect(page.locator(".messages")).to_contain_text(
        "Stock updated from the file: 1 row applied."
    )
    assert Stock.objects.get(product__offer_id="MUG-1").present == 9


def csv_upload(row):
    body = f"offer_id,warehouse,quantity\n{row}\n".encode()
    return {"name": "stock.csv", "mimeType": "text/csv", "buffer": body}
