"""Archive against a reservation made at the same moment (PostgreSQL)."""

import threading

import pytest
from django.db import connection, transaction

from archive.services import archive_products
from inventory.factories import ProductFactory
from inventory.models import Stock
from inventory.services.stock import lock_products


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_archive_waits_for_a_reservation_in_flight_and_refuses(
    seller, seller_user, fbo
):
    product = ProductFactory(seller=seller, offer_id="RACE-1", approved=True)
    locked, release = threading.Event(), threading.Event()
    outcome = {}

    def reserve():
        # As the stock and order services do: lock the product, then add units.
        try:
            with transaction.atomic():
                lock_products([product.pk])
                Stock.objects.create(
                    product=product, warehouse=fbo, present=1, reserved=1
                )
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    def archive():
        try:
            outcome["result"] = archive_products(
                seller, [product.pk], actor=seller_user
            )
        finally:
            connection.close()

    reserver = threading.Thread(target=reserve)
    reserver.start()
    assert locked.wait(10)
    archiver = threading.Thread(target=archive)
    archiver.start()
    archiver.join(0.5)  # the archive is now waiting on the product's lock
    release.set()
    reserver.join(10)
    archiver.join(10)

    product.refresh_from_db()
    assert product.archived_at is None
    assert outcome["result"].done == 0
    assert outcome["result"].refused[0].reason == "Cannot be archived: 1 reserved."
