"""The load run's checks can fail: each meets a state that breaks it."""

from django.utils import timezone

from inventory.factories import (
    OrderFactory,
    OrderLineFactory,
    ProductFactory,
    StockFactory,
)
from inventory.models import ActivityEntry
from loadtest import invariants
from loadtest.actors import Stats
from loadtest.dataset import Catalogue


def test_archived_product_with_units_reserved_fails_the_check(seller, fbo):
    product = ProductFactory(seller=seller, approved=True, archived=True)
    StockFactory(product=product, warehouse=fbo, present=2, reserved=1)

    _name, ok, detail = invariants.archived_products_hold_no_reservation()

    assert (ok, detail) == (
        False,
        "1 stock rows of archived products hold reservations",
    )


def test_stock_that_grew_without_a_supply_fails_the_ledger(seller, fbo):
    stock = StockFactory(product__seller=seller, warehouse=fbo, present=12)
    initial = {(stock.product_id, fbo.pk): 10}

    checks = {name: ok for name, ok, _ in invariants.stock_ledger(initial, {})}

    assert checks["present = received - consumed"] is False


def test_reservation_without_an_order_fails_the_ledger(seller, fbo):
    stock = StockFactory(product__seller=seller, warehouse=fbo, present=5, reserved=2)
    initial = {(stock.product_id, fbo.pk): 5}

    checks = {name: ok for name, ok, _ in invariants.stock_ledger(initial, {})}

    assert checks["reserved = units of orders awaiting packaging"] is False


def test_assembled_order_keeps_the_ledger_balanced(seller, fbo):
    stock = StockFactory(product__seller=seller, warehouse=fbo, present=3)
    order = OrderFactory(seller=seller, state="assembled", assembled_at=timezone.now())
    OrderLineFactory(order=order, product=stock.product, warehouse=fbo, quantity=2)
    initial = {(stock.product_id, fbo.pk): 5}

    checks = invariants.stock_ledger(initial, {})

    assert [ok for _name, ok, _detail in checks] == [True, True, True]


def test_reported_archive_without_its_entry_fails_the_check(db):
    stats = Stats()
    stats.done["archive"] = 1

    checks = {name: ok for name, ok, _ in invariants.activity_matches_requests(stats)}

    assert checks["archive: products reported done = logged"] is False


def test_logged_archive_matching_the_report_passes(db):
    ActivityEntry.objects.create(operation="archive", count=2)
    stats = Stats()
    stats.done["archive"] = 2

    checks = {name: ok for name, ok, _ in invariants.activity_matches_requests(stats)}

    assert checks["archive: products reported done = logged"] is True


def test_deleted_product_without_a_record_fails_the_check(db):
    catalogue = Catalogue(staff_username="s", marketplace_warehouse=1)
    catalogue.products[424242] = ("GONE-1", "Gone product")

    _name, ok, detail = invariants.deleted_products_keep_their_record(catalogue)

    assert (ok, detail) == (False, "1 deleted, 1 without a record")


def test_a_5xx_in_the_access_log_fails_the_check():
    _name, ok, _detail = invariants.no_server_errors(
        Stats(), [(1, "GET", "/products/", 500)], ""
    )

    assert ok is False
