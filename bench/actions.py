"""Mutations: bulk archive, restore and delete, hide_out_of_stock, orders.

Each service call is timed against the raw statement a DBA would write with
the same WHERE, on the same rows: the raw one runs, its effect is undone
(untimed), then the service runs (or the other way round), so both start
from the same state and both commit. Rows changed by the raw baseline are
stamped ``last_activity_id = -1`` so that the undo finds exactly them.
"""

import time
import tracemalloc
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import F

from inventory.models import OrderLine, Product, Stock

from .measure import ratio, timed

RAW_STAMP = -1


def _table(model):
    return model._meta.db_table


def _like(column):
    """Case-insensitive substring match, as each database spells it."""
    if connection.vendor == "postgresql":
        return f"{column} ILIKE %s"
    return f"{column} LIKE %s"


def _search():
    """The Product List's text search (name or offer ID), as raw SQL."""
    return f"({_like('name')} OR {_like('offer_id')})"


def _raw(sql, params):
    """Run one raw statement in its own transaction; return (seconds, rows)."""
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.rowcount
    return time.perf_counter() - start, rows


def _result(service_s, log, done, raw_s, raw_rows, **extra):
    return {
        "service_ms": service_s * 1000,
        "raw_ms": raw_s * 1000,
        "vs_raw": ratio(service_s, raw_s),
        "queries": log.queries,
        "transaction_statements": log.control,
        "done": done,
        "raw_rows": raw_rows,
        **extra,
    }


def _no_units(alias):
    stock = _table(Stock)
    return (
        f"NOT EXISTS (SELECT 1 FROM {stock} s WHERE s.product_id = {alias}.id "
        f"AND s.present > 0)"
    )


def _best(pairs):
    """From (seconds, log, result) tries, the fastest, with its log."""
    return min(pairs, key=lambda pair: pair[0])


def bulk_actions(catalogue, services, filters, repeats=1):
    """Archive all matching 'lot07', restore them, delete the 'clearance' ones.

    Each is tried ``repeats`` times, raw and service alike, and the best try
    of each side is kept: other processes on the machine only add time.
    """
    product = _table(Product)
    seller, user = catalogue.seller, catalogue.user
    now = connection.ops.adapt_datetimefield_value(catalogue.now)
    results = {}
    unarchive = (
        f"UPDATE {product} SET archived_at = NULL, archived_by_id = NULL "
        f"WHERE last_activity_id = %s"
    )
    rearchive = (
        f"UPDATE {product} SET archived_at = %s, archived_by_id = %s "
        f"WHERE last_activity_id = %s"
    )

    # Archive: raw, undone, then the service (undone too, but for the last).
    raws, services_tried = [], []
    for attempt in range(repeats):
        raws.append(
            _raw(
                f"UPDATE {product} SET archived_at = %s, archived_by_id = %s, "
                f"last_activity_id = %s, updated_at = %s "
                f"WHERE seller_id = %s AND archived_at IS NULL AND {_search()} "
                f"AND {_no_units(product)}",
                [now, user.pk, RAW_STAMP, now, seller.pk, "%lot07%", "%lot07%"],
            )
        )
        _raw(unarchive, [RAW_STAMP])
        selection = filters.active_matching("lot07")
        tried = timed(services.archive_products, seller, selection, actor=user)
        services_tried.append(tried)
        if attempt < repeats - 1:
            _raw(unarchive, [tried[2].entry.pk])
    raw_s, raw_rows = min(raws)
    service_s, log, result = _best(services_tried)
    results["archive"] = _result(
        service_s, log, result.done, raw_s, raw_rows, refused=result.refused_total
    )

    # Restore: the service, redone raw, then the raw statement (redone but
    # for the last).
    raws, services_tried = [], []
    for attempt in range(repeats):
        selection = filters.archived_matching("lot07")
        tried = timed(services.restore_products, seller, selection, actor=user)
        services_tried.append(tried)
        _raw(rearchive, [now, user.pk, tried[2].entry.pk])
        raws.append(
            _raw(
                f"UPDATE {product} SET archived_at = NULL, archived_by_id = NULL, "
                f"last_activity_id = %s, updated_at = %s "
                f"WHERE seller_id = %s AND archived_at IS NOT NULL "
                f"AND {_search()}",
                [RAW_STAMP, now, seller.pk, "%lot07%", "%lot07%"],
            )
        )
        if attempt < repeats - 1:
            _raw(rearchive, [now, user.pk, RAW_STAMP])
    raw_s, raw_rows = min(raws)
    service_s, log, result = _best(services_tried)
    results["restore"] = _result(service_s, log, result.done, raw_s, raw_rows)

    # Delete: the rows are copied aside, the service deletes them, the copy
    # goes back, the raw statements delete them again (and back, but for the
    # last try).
    deletable = (
        f"seller_id = %s AND archived_at IS NOT NULL AND sku IS NULL "
        f"AND moderation <> 'approved' AND {_search()} "
        f"AND NOT EXISTS (SELECT 1 FROM {_table(OrderLine)} l "
        f"WHERE l.product_id = {product}.id)"
    )
    params = [seller.pk, "%clearance%", "%clearance%"]
    saved = _save_rows(seller, "clearance")
    raws, services_tried = [], []
    for attempt in range(repeats):
        selection = filters.archived_matching("clearance")
        services_tried.append(
            timed(services.delete_products, seller, selection, actor=user)
        )
        _put_back(catalogue, saved)
        start = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {_table(Stock)} WHERE product_id IN "
                f"(SELECT id FROM {product} WHERE {deletable})",
                params,
            )
            cursor.execute(f"DELETE FROM {product} WHERE {deletable}", params)
            rows = cursor.rowcount
        raws.append((time.perf_counter() - start, rows))
        if attempt < repeats - 1:
            _put_back(catalogue, saved)
    raw_s, raw_rows = min(raws)
    service_s, log, result = _best(services_tried)
    results["delete"] = _result(service_s, log, result.done, raw_s, raw_rows)
    return results


def _save_rows(seller, word):
    products = list(
        Product.objects.of_seller(seller)
        .in_archive()
        .filter(name__icontains=word)
        .values_list(*[f.attname for f in Product._meta.concrete_fields])
    )
    ids = [row[0] for row in products]
    stocks = list(
        Stock.objects.filter(product_id__in=ids).values_list(
            "product_id", "warehouse_id", "present", "reserved", "updated_at"
        )
    )
    return products, stocks


def _put_back(catalogue, saved):
    products, stocks = saved
    adapt = connection.ops.adapt_datetimefield_value
    fields = Product._meta.concrete_fields

    def db_row(row):
        return tuple(
            adapt(v) if f.get_internal_type() == "DateTimeField" else v
            for f, v in zip(fields, row, strict=True)
        )

    with transaction.atomic():
        catalogue.insert(Product, [f.column for f in fields], map(db_row, products))
        catalogue.insert(
            Stock,
            ["product_id", "warehouse_id", "present", "reserved", "updated_at"],
            ((*s[:4], adapt(s[4])) for s in stocks),
        )


def hide(catalogue, hide_out_of_stock, days, repeats=1):
    """hide_out_of_stock against one raw UPDATE, over the whole marketplace."""
    product = _table(Product)
    now = catalogue.now
    db_now = connection.ops.adapt_datetimefield_value(now)
    cutoff = connection.ops.adapt_datetimefield_value(now - timedelta(days=days))
    due = Product.objects.due_for_hiding(days, now).count()
    unhide = (
        f"UPDATE {product} SET hidden_from_search_at = NULL, "
        f"last_activity_id = NULL WHERE last_activity_id = %s"
    )
    raws, tries = [], []
    for attempt in range(repeats):
        raws.append(
            _raw(
                f"UPDATE {product} SET hidden_from_search_at = %s, "
                f"last_activity_id = %s "
                f"WHERE hidden_from_search_at IS NULL AND out_of_stock_since < %s",
                [db_now, RAW_STAMP, cutoff],
            )
        )
        _raw(unhide, [RAW_STAMP])
        tried = timed(hide_out_of_stock, now=now)
        tries.append(tried)
        entry = getattr(tried[2], "entry", None)
        if attempt < repeats - 1 and entry is not None:
            _raw(unhide, [entry.pk])
    raw_s, raw_rows = min(raws)
    service_s, log, result = _best(tries)
    return _result(service_s, log, _count_of(result), raw_s, raw_rows, due=due)


def _count_of(result):
    for name in ("hidden", "count", "done", "due"):
        value = getattr(result, name, None)
        if isinstance(value, int):
            return value
    return result if isinstance(result, int) else None


def orders(catalogue, place_order, count):
    """``count`` one-line orders placed one by one, against raw reservations."""
    stock_rows = list(
        Stock.objects.filter(
            product__seller=catalogue.seller,
            product__moderation="approved",
            product__archived_at__isnull=True,
            product__hidden_from_search_at__isnull=True,
            warehouse__kind="fbo",
            present__gte=F("reserved") + 2,
        )
        .order_by("-product_id")
        .values_list("pk", "product_id", "warehouse_id")[:count]
    )
    stock = _table(Stock)
    # The baseline: one conditional UPDATE per order, each committed alone.
    cursor = connection.cursor()
    start = time.perf_counter()
    reserved = 0
    for pk, _product, _warehouse in stock_rows:
        cursor.execute(
            f"UPDATE {stock} SET reserved = reserved + 1 "
            f"WHERE id = %s AND present >= reserved + 1",
            [pk],
        )
        reserved += cursor.rowcount
    raw_s = time.perf_counter() - start
    cursor.close()
    Stock.objects.filter(pk__in=[row[0] for row in stock_rows]).update(
        reserved=F("reserved") - 1
    )

    def place_all():
        for _pk, product_id, warehouse_id in stock_rows:
            place_order(
                [(product_id, warehouse_id, 1)],
                buyer_name="Bench buyer",
                buyer_email="buyer@example.com",
            )
        return len(stock_rows)

    service_s, log, placed = timed(place_all)
    return {
        **_result(service_s, log, placed, raw_s, reserved),
        "orders_per_s": placed / service_s if service_s else None,
        "raw_per_s": reserved / raw_s if raw_s else None,
        "queries_per_order": log.queries / placed if placed else None,
    }


def memory(catalogue, services, filters, small_word, large_word):
    """Peak Python memory of archiving all matching: few rows against many."""
    figures = {}
    for key, word in (("small", small_word), ("large", large_word)):
        selection = filters.active_matching(word)
        matching = selection.count()
        tracemalloc.start()
        tracemalloc.reset_peak()
        result = services.archive_products(
            catalogue.seller, selection, actor=catalogue.user
        )
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        figures[key] = {
            "word": word,
            "matching": matching,
            "done": result.done,
            "peak_kib": peak / 1024,
        }
        if result.entry is not None:
            Product.objects.filter(last_activity_id=result.entry.pk).update(
                archived_at=None, archived_by=None
            )
    figures["ratio"] = ratio(figures["large"]["peak_kib"], figures["small"]["peak_kib"])
    return figures
