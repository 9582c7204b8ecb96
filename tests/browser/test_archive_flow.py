"""A seller archives, restores and deletes products in a real Chromium."""

import pytest
from playwright.sync_api import expect

from inventory.factories import (
    MarketplaceWarehouseFactory,
    OrderFactory,
    OrderLineFactory,
    ProductFactory,
    StockFactory,
)
from inventory.models import Product

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def catalogue(seller):
    fbo = MarketplaceWarehouseFactory()
    ProductFactory(seller=seller, offer_id="DRAFT-1", name="Draft mug")
    ProductFactory(seller=seller, offer_id="SOLD-1", name="Old kettle", approved=True)
    reserved = ProductFactory(
        seller=seller, offer_id="RES-1", name="Lamp", approved=True
    )
    StockFactory(product=reserved, warehouse=fbo, present=2, reserved=2)
    for _ in range(2):
        OrderLineFactory(
            order=OrderFactory(seller=seller), product=reserved, warehouse=fbo
        )


def tick(page, offer_id):
    page.locator(f'tr[data-offer-id="{offer_id}"] input[name=ids]').check()


def operation(page, label):
    page.locator("[data-operation-menu] summary").click()
    page.get_by_role("menuitem", name=label).click()
    page.wait_for_load_state()


def test_archive_restore_and_delete(login, live_server, seller_user, catalogue):
    page = login("acme")
    rows = page.locator("[data-testid=product-table] tbody tr")
    expect(rows).to_have_count(3)

    # The fully reserved product shows 0 in both columns yet says why it stays.
    expect(page.locator('tr[data-offer-id="RES-1"]')).to_contain_text("2 reserved")
    tick(page, "DRAFT-1")
    tick(page, "SOLD-1")
    tick(page, "RES-1")
    expect(page.locator("[data-selected-count]")).to_have_text("3")
    operation(page, "Archive")

    messages = page.locator(".messages")
    expect(messages).to_contain_text("2 products moved to the Archive Library.")
    expect(messages).to_contain_text("RES-1: Cannot be archived: reserved by 2 orders.")
    expect(rows).to_have_count(1)

    page.get_by_role("link", name="Archive Library").click()
    library = page.locator("[data-testid=archive-table] tbody tr")
    expect(library).to_have_count(2)

    page.locator("[data-testid=restore-SOLD-1]").click()
    page.wait_for_load_state()
    expect(messages).to_contain_text("1 product restored to the Product List.")
    expect(library).to_have_count(1)

    tick(page, "DRAFT-1")
    operation(page, "Delete")
    confirm = page.locator("[data-testid=confirm-delete]")
    expect(confirm).to_contain_text("1 product will be deleted.")
    expect(confirm).to_contain_text("Draft mug")
    expect(confirm).to_contain_text("This cannot be undone")
    page.locator("[data-testid=confirm-delete-button]").click()
    page.wait_for_load_state()

    expect(messages).to_contain_text("1 product deleted permanently.")
    expect(page.locator("[data-testid=archive-table]")).to_contain_text(
        "The Archive Library is empty for this filter."
    )
    assert sorted(Product.objects.values_list("offer_id", flat=True)) == [
        "RES-1",
        "SOLD-1",
    ]


def test_select_all_matching_archives_every_page(
    login, live_server, seller, seller_user
):
    ProductFactory.create_batch(30, seller=seller, name="Spare part")
    page = login("acme")

    page.locator("input[data-select-page]").check()
    page.get_by_role("button", name="Select all 30 matching this filter").click()
    expect(page.locator("[data-selected-count]")).to_have_text("30")
    operation(page, "Archive")

    expect(page.locator(".messages")).to_contain_text(
        "30 products moved to the Archive Library."
    )
    assert Product.objects.in_archive().count() == 30
