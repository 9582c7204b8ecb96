"""Two hide_out_of_stock runs at once, as cron on two app servers starts them.

Real threads with their own connections against PostgreSQL; SQLite has one
writer at a time, so these tests only run on PostgreSQL.
"""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection

from inventory.factories import ProductFactory
from inventory.models import ActivityEntry, ActivityItem, Product
from inventory.services.visibility import HIDE_LOCK_KEY, hide_out_of_stock

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def due_products(seller, n):
    return [
        ProductFactory(
            seller=seller, approved=True, out_of_stock_since=NOW - timedelta(days=40)
        )
        for _ in range(n)
    ]


def run_together(tasks):
    """Start every task at the same moment, each in its own thread."""
    start = threading.Barrier(len(tasks))
    results, errors = [None] * len(tasks), []

    def worker(i, task):
        start.wait()
        try:
            results[i] = task()
        except Exception as error:  # noqa: BLE001 - collected and asserted
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=worker, args=(i, task)) for i, task in enumerate(tasks)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a run hung"
    return results, errors


def test_two_concurrent_runs_hide_each_product_once(seller):
    products = due_products(seller, 120)

    def run():
        return hide_out_of_stock(now=NOW, batch_size=7)

    results, errors = run_together([run, run])

    assert errors == []
    assert sum(r.count for r in results) == 120
    assert Product.objects.hidden_from_search().count() == 120
    assert ActivityEntry.objects.filter(operation="hide").count() == 1
    items = ActivityItem.objects.values_list("product_id", flat=True)
    assert sorted(items) == sorted(p.pk for p in products)


def test_concurrent_runs_never_both_write_an_entry(seller):
    due_products(seller, 60)

    def run():
        return hide_out_of_stock(now=NOW, batch_size=3)

    results, errors = run_together([run, run, run])

    assert errors == []
    entries = [r.entry for r in results if r.entry is not None]
    assert len(entries) == 1
    assert entries[0].count == 60


def test_run_while_another_holds_the_lock_does_nothing(seller):
    (product,) = due_products(seller, 1)
    holding, release = threading.Event(), threading.Event()

    def other_server():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [HIDE_LOCK_KEY])
            holding.set()
            release.wait(timeout=30)
            cursor.execute("SELECT pg_advisory_unlock(%s)", [HIDE_LOCK_KEY])
        connection.close()

    thread = threading.Thread(target=other_server)
    thread.start()
    holding.wait(timeout=30)

    try:
        result = hide_out_of_stock(now=NOW)
    finally:
        release.set()
        thread.join(timeout=30)

    assert result.locked_out
    product.refresh_from_db()
    assert product.hidden_from_search_at is None
    assert not ActivityEntry.objects.exists()


def test_lock_is_released_after_a_run(seller):
    due_products(seller, 1)
    hide_out_of_stock(now=NOW)

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [HIDE_LOCK_KEY])
        acquired = cursor.fetchone()[0]
        cursor.execute("SELECT pg_advisory_unlock(%s)", [HIDE_LOCK_KEY])

    assert acquired
