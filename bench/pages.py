"""List pages: the Product List against the admin changelist and raw SQL.

Each variant is requested through the test client, alternately from the
Product List and from the admin changelist of the same products (one seller,
not archived, the same filter, the same page size), after a warm-up; the
figure is the best of the repeats, since other processes on the machine can
only add time. A
request's server time is its wall time in the client, which runs the whole
Django stack in this process. Its database time is the time spent in the
driver (execute and fetch) by its queries; the baseline re-runs the same
statements with the same parameters raw on the driver's cursor.
"""

import time
from dataclasses import dataclass

from django.db import connection
from django.test import Client
from django.urls import reverse

from inventory.models import Product

from . import admin as bench_admin
from .measure import best, query_log, ratio, raw_statements, raw_time

DEFAULT_PAGE_SIZE = 50


@dataclass
class Variant:
    key: str
    label: str
    list_params: dict
    admin_params: dict


def page_size():
    """The Product List's page size, as its view or table declares it."""
    try:
        from inventory import views
    except ImportError:  # pragma: no cover - the app always exists
        return DEFAULT_PAGE_SIZE
    view = getattr(views, "ProductListView", None)
    for name in ("paginate_by", "page_size", "per_page"):
        value = getattr(view, name, None)
        if isinstance(value, int):
            return value
    table = getattr(view, "table_class", None)
    table_pagination = getattr(view, "table_pagination", None) or {}
    if isinstance(table_pagination, dict) and "per_page" in table_pagination:
        return table_pagination["per_page"]
    meta = getattr(table, "_meta", None)
    if meta is not None and getattr(meta, "per_page", None):
        return meta.per_page
    return DEFAULT_PAGE_SIZE


def variants(catalogue, size, per_page, list_filter_params):
    """The pages measured at ``size``: page 1, a deep page, two filters."""
    seller_scope = {"seller__id__exact": catalogue.seller.pk}
    active = {**seller_scope, "archived_at__isnull": "True"}
    active_count = Product.objects.of_seller(catalogue.seller).active().count()
    # The middle of the catalogue, or the last page the pager offers when it
    # stops at a count cap (inventory/paginators.py).
    middle = max(1, (active_count // per_page) // 2)
    cap = getattr(_paginator_class(), "cap", None)
    deep = middle if cap is None else min(middle, max(1, cap // per_page))
    deep_label = (
        f"page {deep:,} (middle)"
        if deep == middle
        else (f"page {deep:,} (last offered)")
    )
    search, stock = list_filter_params["search"], list_filter_params["stock"]
    admin_stock = list_filter_params["admin_stock"]
    return [
        Variant("page1", "page 1", {}, active),
        Variant(
            "deep",
            deep_label,
            {list_filter_params["page"]: deep},
            {**active, "p": deep},
        ),
        Variant(
            "search",
            "search 'lot07'",
            {search[0]: search[1]},
            {**active, "q": search[1]},
        ),
        Variant(
            "stock",
            f"stock: {stock[1]}",
            {stock[0]: stock[1]},
            {**active, admin_stock[0]: admin_stock[1]},
        ),
    ]


def _paginator_class():
    try:
        from inventory.paginators import CappedPaginator
    except ImportError:
        return None
    return CappedPaginator


class PageBench:
    def __init__(self, catalogue, per_page, repeats):
        self.catalogue = catalogue
        self.per_page = per_page
        self.repeats = repeats
        self.admin_class, self.admin_is_projects = bench_admin.configure(per_page)
        self.list_url = reverse("inventory:product_list")
        self.admin_url = reverse("bench_admin:inventory_product_changelist")
        self.seller_client = Client()
        self.seller_client.force_login(catalogue.user)
        self.staff_client = Client()
        self.staff_client.force_login(catalogue.staff)

    def _get(self, client, url, params):
        start = time.perf_counter()
        response = client.get(url, params)
        elapsed = time.perf_counter() - start
        if response.status_code != 200:
            raise RuntimeError(f"{url} {params} answered {response.status_code}")
        return elapsed

    def _db(self, client, url, params):
        with query_log(keep_sql=True, time_fetches=True) as log:
            client.get(url, params)
        statements = raw_statements(
            s for s in log.sql if s[0].lstrip().upper().startswith("SELECT")
        )
        return log, raw_time(statements)

    def measure(self, variant):
        lists, admins = [], []
        # Warm caches, template loaders and the planner, then alternate.
        for _ in range(2):
            self._get(self.seller_client, self.list_url, variant.list_params)
            self._get(self.staff_client, self.admin_url, variant.admin_params)
        for _ in range(self.repeats):
            lists.append(
                self._get(self.seller_client, self.list_url, variant.list_params)
            )
            admins.append(
                self._get(self.staff_client, self.admin_url, variant.admin_params)
            )
        db_times, raw_times, queries = [], [], None
        admin_queries = None
        for _ in range(self.repeats):
            log, raw = self._db(self.seller_client, self.list_url, variant.list_params)
            db_times.append(log.db_time)
            raw_times.append(raw)
            queries = log.queries
        with query_log() as admin_log:
            self.staff_client.get(self.admin_url, variant.admin_params)
        admin_queries = admin_log.queries
        server, admin = best(lists), best(admins)
        db, raw = best(db_times), best(raw_times)
        return {
            "label": variant.label,
            "server_ms": server * 1000,
            "admin_ms": admin * 1000,
            "vs_admin": ratio(server, admin),
            "db_ms": db * 1000,
            "raw_ms": raw * 1000,
            "db_vs_raw": ratio(db, raw),
            "queries": queries,
            "admin_queries": admin_queries,
        }

    def page_sql(self, variant):
        """The statements of one Product List request, for the record."""
        with query_log(keep_sql=True) as log:
            self.seller_client.get(self.list_url, variant.list_params)
        return [
            {"sql": sql, "params": [str(p) for p in (params or ())]}
            for sql, params, _many in log.sql
        ]


def explain(sql, params):
    """The plan the database chooses for one statement, as text lines."""
    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql, params)
        rows = cursor.fetchall()
    if connection.vendor == "sqlite":
        return [row[-1] for row in rows]
    return [row[0] for row in rows]
