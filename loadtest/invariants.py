"""The checks the load run makes once every actor has stopped.

Each check is one SQL question (or a few) over the whole scratch database,
compared with what the actors were told over HTTP. A check returns
``(name, ok, detail)``.
"""

from collections import defaultdict

from django.db import connection
from django.db.models import Count, F, Sum

from inventory.models import (
    ActivityEntry,
    ActivityItem,
    Order,
    OrderLine,
    Product,
    Stock,
)

Op = ActivityEntry.Operation


def _scalar(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def _table(model):
    return connection.ops.quote_name(model._meta.db_table)


def archived_products_hold_no_reservation():
    bad = _scalar(
        f"SELECT COUNT(*) FROM {_table(Stock)} s JOIN {_table(Product)} p "
        "ON p.id = s.product_id WHERE p.archived_at IS NOT NULL AND s.reserved > 0"
    )
    return (
        "no archived product with units reserved",
        bad == 0,
        f"{bad} stock rows of archived products hold reservations",
    )


def reserved_within_present():
    bad = _scalar(
        f"SELECT COUNT(*) FROM {_table(Stock)} WHERE reserved < 0 OR reserved > present"
    )
    rows = Stock.objects.count()
    return (
        "0 <= reserved <= present",
        bad == 0,
        f"{bad} of {rows} stock rows out of bounds",
    )


def _line_totals(state):
    totals = defaultdict(int)
    lines = (
        OrderLine.objects.filter(order__state=state)
        .values("product_id", "warehouse_id")
        .annotate(units=Sum("quantity"))
    )
    for row in lines:
        totals[(row["product_id"], row["warehouse_id"])] = row["units"]
    return totals


def stock_ledger(initial_present, supplies):
    """reserved + consumed <= received, and the figures add up exactly.

    received = initial stock + supplies; consumed = units of assembled
    orders. Then ``present`` must equal received - consumed and ``reserved``
    the units of orders still awaiting packaging.
    """
    consumed = _line_totals(Order.State.ASSEMBLED)
    awaiting = _line_totals(Order.State.AWAITING_PACKAGING)
    received = defaultdict(int, initial_present)
    for key, units in supplies.items():
        received[key] += units
    over, present_off, reserved_off = [], [], []
    rows = Stock.objects.values_list(
        "product_id", "warehouse_id", "present", "reserved"
    )
    for product_id, warehouse_id, present, reserved in rows:
        key = (product_id, warehouse_id)
        if reserved + consumed[key] > received[key]:
            over.append(key)
        if present != received[key] - consumed[key]:
            present_off.append(key)
        if reserved != awaiting[key]:
            reserved_off.append(key)
    return [
        (
            "reserved + consumed <= received (initial + supplies)",
            not over,
            f"{len(over)} rows over",
        ),
        (
            "present = received - consumed",
            not present_off,
            f"{len(present_off)} rows off",
        ),
        (
            "reserved = units of orders awaiting packaging",
            not reserved_off,
            f"{len(reserved_off)} rows off",
        ),
    ]


def hidden_only_when_out_of_stock():
    bad = (
        Product.objects.hidden_from_search().in_stock().count()
        + Product.objects.filter(out_of_stock_since__isnull=True).out_of_stock().count()
        + Product.objects.filter(out_of_stock_since__isnull=False).in_stock().count()
    )
    return (
        "out-of-stock clock true to stock; hidden only when out of stock",
        bad == 0,
        f"{bad} products off",
    )


def activity_matches_requests(stats):
    """Every change the pages reported has its activity entry, no more."""

    def logged_count(operation):
        return (
            ActivityEntry.objects.filter(operation=operation).aggregate(n=Sum("count"))[
                "n"
            ]
            or 0
        )

    def logged_orders(operation):
        entries = ActivityEntry.objects.filter(operation=operation)
        return sum(len(e.details.get("orders", [])) for e in entries)

    checks = []
    for key, operation in (
        ("archive", Op.ARCHIVE),
        ("restore", Op.RESTORE),
        ("delete", Op.DELETE),
    ):
        logged = logged_count(operation)
        reported = stats.done[key]
        checks.append(
            (
                f"{key}: products reported done = logged",
                logged == reported,
                f"{reported} reported, {logged} logged",
            )
        )
    for key, operation in (("assemble", Op.ASSEMBLE), ("cancel", Op.CANCEL)):
        logged = logged_orders(operation)
        reported = stats.done[key]
        checks.append(
            (
                f"{key}: orders reported done = logged",
                logged == reported,
                f"{reported} reported, {logged} logged",
            )
        )
    placed = len(stats.orders_placed)
    logged = ActivityEntry.objects.filter(operation=Op.PLACE_ORDER).count()
    orders = Order.objects.count()
    checks.append(
        (
            "orders placed = orders stored = place_order entries",
            placed == orders == logged,
            f"{placed} placed, {orders} stored, {logged} logged",
        )
    )
    supplies = ActivityEntry.objects.filter(operation=Op.SUPPLY).count()
    checks.append(
        (
            "supplies received = supply entries",
            supplies == stats.supply_count,
            f"{stats.supply_count} received, {supplies} logged",
        )
    )
    hidden = logged_count(Op.HIDE)
    checks.append(
        (
            "products the command hid = logged",
            hidden == stats.hidden,
            f"{stats.hidden} hidden, {hidden} logged",
        )
    )
    mismatched = (
        ActivityEntry.objects.filter(
            operation__in=[Op.ARCHIVE, Op.RESTORE, Op.DELETE, Op.HIDE]
        )
        .annotate(items_logged=Count("items"))
        .exclude(items_logged=F("count"))
        .count()
    )
    checks.append(
        (
            "each bulk entry lists exactly the products it counts",
            mismatched == 0,
            f"{mismatched} entries off",
        )
    )
    return checks


def deleted_products_keep_their_record(catalogue):
    existing = set(Product.objects.values_list("pk", flat=True))
    deleted = set(catalogue.products) - existing
    records = {
        item.product_id: (item.offer_id, item.name)
        for item in ActivityItem.objects.filter(
            entry__operation=Op.DELETE, product_id__in=deleted
        )
    }
    missing = [pk for pk in deleted if records.get(pk) != catalogue.products[pk]]
    return (
        "every deleted product keeps its offer ID and name in the log",
        not missing,
        f"{len(deleted)} deleted, {len(missing)} without a record",
    )


def no_server_errors(stats, access_lines, error_log_text):
    from_client = len(stats.server_errors)
    from_server = sum(1 for row in access_lines if row[3] >= 500)
    tracebacks = error_log_text.count("Traceback (most recent call last)")
    return (
        "no 5xx (client, access log) and no traceback in the server log",
        from_client == from_server == tracebacks == 0,
        f"{from_client} seen, {from_server} logged, {tracebacks} tracebacks",
    )


def check_all(catalogue, stats, access_lines, error_log_text):
    checks = [
        archived_products_hold_no_reservation(),
        reserved_within_present(),
        *stock_ledger(catalogue.initial_present, stats.supplies),
        hidden_only_when_out_of_stock(),
        *activity_matches_requests(stats),
        deleted_products_keep_their_record(catalogue),
        no_server_errors(stats, access_lines, error_log_text),
    ]
    return [
        {"check": name, "ok": bool(ok), "detail": detail} for name, ok, detail in checks
    ]
