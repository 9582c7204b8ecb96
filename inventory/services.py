"""Services of the ground floor: the activity log and out-of-stock tracking.

The archive and orders apps build their mutations on these; every stock
change anywhere calls :func:`sync_out_of_stock` in its own transaction.
"""

import logging
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import F, Q, QuerySet, Value
from django.utils import timezone

from .models import ActivityEntry, ActivityItem, Product
from .querysets import _sum_of_stock

logger = logging.getLogger(__name__)


@dataclass
class Refusal:
    """A product an operation left alone, and why (a translated sentence)."""

    product_id: int
    offer_id: str
    name: str
    reason: str


@dataclass
class OperationResult:
    """What a bulk operation did: how many changed, and each refusal."""

    operation: str
    done: int = 0
    refused: list[Refusal] = field(default_factory=list)
    # More refusals than were listed (the list is capped for huge selections).
    refused_total: int = 0
    entry: ActivityEntry | None = None

    @property
    def refused_unlisted(self):
        return max(self.refused_total - len(self.refused), 0)


def open_entry(operation, *, seller=None, actor=None, details=None):
    """Create the activity entry an operation stamps its rows with."""
    return ActivityEntry.objects.create(
        operation=operation,
        seller=seller,
        actor=actor if actor is not None and actor.is_authenticated else None,
        details=details or {},
    )


def log_stamped_products(entry):
    """Copy the products stamped with ``entry`` into its items, in one query.

    The copy keeps offer ID, name and stock as they are now, so the record
    stays readable after the product itself is deleted.
    """
    # Annotations are declared in the column order of the INSERT below.
    rows = (
        Product.objects.filter(last_activity_id=entry.pk)
        .order_by()
        .annotate(
            _entry=Value(entry.pk),
            _product=F("id"),
            _offer=F("offer_id"),
            _name=F("name"),
            _present=_sum_of_stock(F("present")),
            _reserved=_sum_of_stock(F("reserved")),
        )
        .values_list("_entry", "_product", "_offer", "_name", "_present", "_reserved")
    )
    select_sql, params = rows.query.sql_with_params()
    table = connection.ops.quote_name(ActivityItem._meta.db_table)
    columns = ", ".join(
        connection.ops.quote_name(ActivityItem._meta.get_field(name).column)
        for name in ("entry", "product_id", "offer_id", "name", "present", "reserved")
    )
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({columns}) {select_sql}", params)
        return cursor.rowcount


def close_entry(entry, count):
    ActivityEntry.objects.filter(pk=entry.pk).update(count=count)
    entry.count = count


def log_single(operation, products, *, seller=None, actor=None, details=None):
    """Log an operation on a known, small set of products (orders, stock)."""
    entry = open_entry(operation, seller=seller, actor=actor, details=details)
    ids = [p.pk if isinstance(p, Product) else p for p in products]
    Product.objects.filter(pk__in=ids).update(last_activity_id=entry.pk)
    count = log_stamped_products(entry)
    close_entry(entry, count)
    return entry


@transaction.atomic
def sync_out_of_stock(products, now=None):
    """Keep ``out_of_stock_since`` true to the stock of ``products``.

    ``products`` is a queryset (or list of IDs) of the products whose stock
    just changed. When available reached 0 everywhere the clock starts now;
    when it rose again the clock is cleared and the product is visible in
    search again. Two set-based UPDATEs; call it inside the stock change's
    transaction so nobody sees stock and clock disagree.
    """
    now = now or timezone.now()
    if not isinstance(products, QuerySet):
        products = Product.objects.filter(pk__in=list(products))
    started = (
        products.filter(out_of_stock_since__isnull=True)
        .out_of_stock()
        .update(out_of_stock_since=now)
    )
    restocked = (
        products.filter(
            Q(out_of_stock_since__isnull=False) | Q(hidden_from_search_at__isnull=False)
        )
        .in_stock()
        .update(out_of_stock_since=None, hidden_from_search_at=None)
    )
    if started or restocked:
        logger.info("out-of-stock clock: %d started, %d cleared", started, restocked)
    return started, restocked
