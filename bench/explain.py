"""The plan of a query that uses each index, on a bench catalogue.

    python -m bench.explain [--size 100000]

Builds a catalogue like ``python -m bench`` does (same database rules), runs
``EXPLAIN`` on the statement each index exists for, and prints, per index,
whether the plan names it, with the plan itself. docs/benchmarks.md quotes
the output.
"""

import argparse
import os
import sys


def statements(catalogue):
    """(index, why, queryset or (sql, params)) for every index we rely on."""
    from django.db import connection
    from django.utils import timezone

    from inventory.models import Order, Product
    from inventory.paginators import capped_count_sql

    seller = catalogue.seller
    products = Product.objects.of_seller(seller)
    active_ids = products.active().order_by("-id").values("pk")[9975:10000]
    archived_sql = capped_count_sql(products.in_archive())
    orders_sql = capped_count_sql(Order.objects.of_seller(seller).awaiting_packaging())
    # One batch of hide_out_of_stock, as it selects it.
    due = (
        Product.objects.due_for_hiding(30, timezone.now())
        .order_by("out_of_stock_since")
        .values("pk")[:10_000]
    )
    stamped = Product.objects.filter(last_activity_id=123).values("pk")
    archivable = products.archivable().filter(name__contains="lot07").values("pk")
    table = connection.ops.quote_name
    stock_rows = (
        f"SELECT reserved FROM {table('inventory_stock')} "
        "WHERE product_id = %s AND warehouse_id = %s",
        [catalogue.next_product_id - 5, catalogue.fbo[0].pk],
    )
    return [
        (
            "product_active_by_seller",
            "a deep Product List page: the page's IDs (deferred join)",
            active_ids,
        ),
        (
            "product_archived_by_seller",
            "the Archive Library tab's capped count",
            (f"SELECT {archived_sql[0]}", archived_sql[1]),
        ),
        (
            "inventory_o_seller__0a7b95_idx",
            "the Orders tab's capped count (orders awaiting packaging)",
            (f"SELECT {orders_sql[0]}", orders_sql[1]),
        ),
        ("product_hiding_due", "hide_out_of_stock: the products due", due),
        (
            "product_last_activity",
            "copying an operation's stamped rows into the activity log",
            stamped,
        ),
        (
            "stock_holding_units",
            "the archive rule: no stock row holding units (NOT EXISTS)",
            archivable,
        ),
        (
            # The unique (product, warehouse) index, which SQLite builds as an
            # automatic index; PostgreSQL prefers the foreign key's index on
            # product alone (a product has one to three stock rows).
            "sqlite_autoindex_inventory_stock_1|inventory_stock_product_id",
            "place_order's conditional UPDATE finds one stock row",
            stock_rows,
        ),
    ]


def explain(statement):
    from django.db import connection

    if isinstance(statement, tuple):
        sql, params = statement
    else:
        sql, params = statement.query.sql_with_params()
    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql, params)
        rows = cursor.fetchall()
    if connection.vendor == "sqlite":
        return [row[-1] for row in rows]
    return [row[0] for row in rows]


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.explain")
    parser.add_argument("--size", type=int, default=100_000)
    args = parser.parse_args(argv)

    from .__main__ import prepare_database

    url, cleanup = prepare_database()
    os.environ["BENCH_DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        from .catalogue import Catalogue

        call_command("migrate", verbosity=0, interactive=False)
        catalogue = Catalogue()
        catalogue.grow_to(args.size)
        print(f"## {connection.vendor}, {args.size:,} products\n")
        missing = 0
        for index, why, statement in statements(catalogue):
            plan = explain(statement)
            used = any(name in line for line in plan for name in index.split("|"))
            missing += not used
            print(f"### {index}: {'used' if used else 'NOT USED'}\n\n{why}.\n")
            print("```\n" + "\n".join(plan) + "\n```\n")
        connection.close()
    finally:
        cleanup()
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
