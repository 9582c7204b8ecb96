"""Orders placed from many threads at once, each with its own connection.

On PostgreSQL the threads really run in parallel against row locks. On SQLite
the single write lock serializes them; the test there proves the services
stay correct when transactions queue on the busy timeout.
"""

import sqlite3
import threading
import time
from collections import Counter

import pytest
from django.db import connection, connections, transaction
from django.db.models import F

from inventory.exceptions import DomainError
from inventory.factories import ProductFactory, StockFactory
from inventory.models import Order, Stock
from orders.exceptions import InsufficientStock
from orders.services import place_order

BUYER = {"buyer_name": "Racer", "buyer_email": "racer@example.com"}


def run_in_threads(task, *, attempts, threads):
    """Run ``task`` ``attempts`` times from ``threads`` threads.

    Returns a Counter of outcomes: "ok", "refused" or the name of any other
    exception. Each thread closes its own connection when done.
    """
    outcomes = Counter()
    lock = threading.Lock()
    remaining = iter(range(attempts))
    start = threading.Barrier(threads)

    def worker():
        start.wait()
        try:
            while True:
                with lock:
                    if next(remaining, None) is None:
                        return
                try:
                    task()
                    outcome = "ok"
                except InsufficientStock:
                    outcome = "refused"
                except Exception as error:  # noqa: BLE001 - counted and asserted
                    outcome = type(error).__name__
                with lock:
                    outcomes[outcome] += 1
        finally:
            connection.close()

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in pool), "a thread hung"
    return outcomes


def naive_reserve(product, warehouse):
    """Read available, then write: the check-then-act race the services avoid."""
    with transaction.atomic():
        row = Stock.objects.get(product=product, warehouse=warehouse)
        if row.present - row.reserved < 1:
            raise InsufficientStock()
        time.sleep(0.002)
        Stock.objects.filter(pk=row.pk).update(reserved=row.reserved + 1)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_thousand_orders_from_32_threads_reserve_exactly_the_stock(seller, fbo):
    product = ProductFactory(seller=seller, approved=True)
    StockFactory(product=product, warehouse=fbo, present=100)
    naive = ProductFactory(seller=seller, approved=True)
    StockFactory(product=naive, warehouse=fbo, present=100)

    outcomes = run_in_threads(
        lambda: place_order([(product, fbo, 1)], **BUYER), attempts=1000, threads=32
    )
    naive_outcomes = run_in_threads(
        lambda: naive_reserve(naive, fbo), attempts=1000, threads=32
    )

    assert outcomes == Counter(ok=100, refused=900)
    assert Stock.objects.get(product=product).reserved == 100
    assert Order.objects.filter(lines__product=product).count() == 100
    # The naive version promised more units than there were: the test sees
    # the race, so the services' result above is not luck.
    assert naive_outcomes["ok"] > 100


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_orders_with_lines_in_opposite_order_do_not_deadlock(seller, fbo, fbs):
    kettle = ProductFactory(seller=seller, approved=True)
    mug = ProductFactory(seller=seller, approved=True)
    StockFactory(product=kettle, warehouse=fbo, present=1000)
    StockFactory(product=mug, warehouse=fbs, present=1000)
    flip = iter(range(10_000))

    def order_both():
        lines = [(kettle, fbo, 1), (mug, fbs, 1)]
        if next(flip) % 2:
            lines.reverse()
        place_order(lines, **BUYER)

    outcomes = run_in_threads(order_both, attempts=200, threads=8)

    assert outcomes == Counter(ok=200)
    reserved = dict(Stock.objects.values_list("product_id", "reserved"))
    assert reserved == {kettle.pk: 200, mug.pk: 200}


@pytest.fixture
def sqlite_file_for_threads(tmp_path):
    """Point new threads' connections at a file copy of the test database.

    Django's SQLite test database lives in memory unless SQLITE_TEST_NAME
    names a file; threads need a real file to queue on its lock. The copy is
    made with SQLite's backup API once the test's data is written.
    """
    original = connections.settings["default"]
    name = original["NAME"]
    in_memory = "mode=memory" in str(name) or name == ":memory:"

    def copy():
        if not in_memory:
            return
        path = tmp_path / "threads.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(path)
        connection.connection.backup(target)
        target.close()
        connections.settings["default"] = {**original, "NAME": str(path)}

    yield copy
    connections.settings["default"] = original


def in_new_thread(function):
    result = {}

    def run():
        try:
            result["value"] = function()
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return result["value"]


@pytest.mark.django_db(transaction=True)
def test_threaded_orders_on_sqlite_reserve_exactly_the_stock(
    seller, fbo, on_postgres, sqlite_file_for_threads
):
    if on_postgres:
        pytest.skip("the PostgreSQL tests above cover this with more threads")
    product = ProductFactory(seller=seller, approved=True)
    StockFactory(product=product, warehouse=fbo, present=20)
    sqlite_file_for_threads()

    outcomes = run_in_threads(
        lambda: place_order([(product, fbo, 1)], **BUYER), attempts=60, threads=6
    )

    assert outcomes == Counter(ok=20, refused=40)
    reserved = in_new_thread(
        lambda: Stock.objects.filter(product=product).values_list(
            F("reserved"), flat=True
        )[0]
    )
    assert reserved == 20


def race(*tasks):
    """Start every task at the same moment, each in its own thread."""
    start = threading.Barrier(len(tasks))
    errors = []

    def run(task):
        start.wait()
        try:
            task()
        except DomainError:
            pass  # a clean refusal: out of stock, or archived first
        except Exception as error:  # noqa: BLE001 - asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(task,)) for task in tasks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_an_archive_racing_an_order_never_archives_reserved_units(
    seller, fbs, seller_user
):
    from archive.services import archive_products
    from inventory.services.stock import set_stock

    outcomes = Counter()
    # Head starts in seconds, cycled over the rounds: negative holds the
    # archive back, positive the order. The rounds at 0 and 1 ms are true
    # races; the longer ones make sure both orders of arrival occur, however
    # the scheduler of a loaded machine happens to favour one thread.
    head_starts = (0, -0.001, 0.001, -0.02, 0.02)
    for round_ in range(30):
        product = ProductFactory(seller=seller, approved=True)
        StockFactory(product=product, warehouse=fbs, present=1)
        head_start = head_starts[round_ % len(head_starts)]
        archive_wait, order_wait = max(-head_start, 0), max(head_start, 0)

        def clear_and_archive(product=product, wait=archive_wait):
            time.sleep(wait)
            set_stock(seller, product, fbs, 0, actor=seller_user)
            archive_products(seller, [product.pk], actor=seller_user)

        def order(product=product, wait=order_wait):
            time.sleep(wait)
            place_order([(product, fbs, 1)], **BUYER)

        errors = race(order, clear_and_archive)

        product.refresh_from_db()
        reserved = Stock.objects.get(product=product).reserved
        assert errors == []
        assert not (product.archived_at is not None and reserved > 0)
        outcomes["archived" if product.archived_at else "ordered"] += 1

    # Both orders of arrival happen over 30 rounds, or the race is not real.
    assert set(outcomes) == {"archived", "ordered"}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_order_assembled_from_8_threads_at_once_is_assembled_once(
    seller, fbo, seller_user
):
    from orders.services import assemble_orders

    product = ProductFactory(seller=seller, approved=True)
    StockFactory(product=product, warehouse=fbo, present=10)
    order = place_order([(product, fbo, 4)], **BUYER)
    done = Counter()
    lock = threading.Lock()

    def assemble():
        result = assemble_orders(seller, [order.pk], actor=seller_user)
        with lock:
            done[result.done] += 1

    errors = race(*[assemble] * 8)

    row = Stock.objects.get(product=product)
    assert errors == []
    assert done == Counter({1: 1, 0: 7})
    assert (row.present, row.reserved) == (6, 0)
