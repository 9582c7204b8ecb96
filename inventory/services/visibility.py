"""Out-of-stock tracking and hiding from search.

Every stock change anywhere calls :func:`sync_out_of_stock` inside its own
transaction, so stock and clock never disagree. The scheduled
``hide_out_of_stock`` command calls :func:`hide_out_of_stock`, which reads
only the clock.
"""

import logging
from collections import Counter
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from ..models import ActivityEntry, Product, Seller
from .activity import close_entry, log_stamped_products, open_entry

logger = logging.getLogger(__name__)

# Products hidden per transaction. Large enough that the per-batch statements
# cost little next to the rows they write, small enough that a batch's row
# locks are held for a fraction of a second.
HIDE_BATCH_SIZE = 10_000

# The PostgreSQL advisory lock key shared by every hide_out_of_stock run, on
# whichever server cron starts it ("hide" in ASCII, a fixed arbitrary number).
HIDE_LOCK_KEY = 0x68696465


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


@dataclass
class HideResult:
    """What one hide_out_of_stock run did (or, for a dry run, would do)."""

    days: int
    cutoff: datetime
    dry_run: bool = False
    # Products hidden; for a dry run, products due.
    count: int = 0
    by_seller: dict[int, int] = field(default_factory=dict)
    entry: ActivityEntry | None = None
    # Another run held the lock, so this one did nothing.
    locked_out: bool = False
    # For a dry run: the due products, oldest clock first (a lazy queryset).
    due: QuerySet | None = None


@contextmanager
def _run_lock():
    """Yield whether this process may run: only one run at a time anywhere.

    On PostgreSQL a session advisory lock (not a transaction one, since the
    run commits batch by batch) that a second run fails to take at once. A
    crashed run's lock goes with its connection. SQLite has no such lock; there
    the whole run is one IMMEDIATE transaction, which queues a second run
    behind the first, and the second then finds nothing left to hide.
    """
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [HIDE_LOCK_KEY])
        acquired = cursor.fetchone()[0]
    try:
        yield acquired
    finally:
        if acquired:
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [HIDE_LOCK_KEY])
            except DatabaseError:
                # The connection is broken, or an outer transaction aborted:
                # the lock then lasts until the connection closes (at the
                # latest when the command's process exits), and the original
                # error is the one worth raising.
                logger.warning("hide_out_of_stock: could not release its lock")


@dataclass
class _Run:
    """What every batch of one run shares."""

    seller: Seller | None
    details: dict
    by_seller: Counter = field(default_factory=Counter)


def _seller_pk(seller):
    if seller is None or isinstance(seller, Seller):
        return getattr(seller, "pk", None)
    return int(seller)


def _hide_batch(due, *, now, entry, batch_size, run):
    """Hide one batch in its own transaction.

    Return the entry, how many were hidden, and whether more may be due.

    The batch is picked in clock order through the partial index
    ``product_hiding_due``. Each committed batch leaves that index, so the
    next batch's scan starts at fresh rows instead of walking past the ones
    already hidden. The UPDATE repeats the rule in its WHERE: a product
    restocked since the SELECT stays visible. The entry's count and
    per-seller figures are brought up to date in the same transaction, so a
    run that fails half-way leaves a true record of the batches it committed.
    """
    with transaction.atomic():
        rows = list(
            due.order_by("out_of_stock_since").values_list("pk", "seller_id")[
                :batch_size
            ]
        )
        if not rows:
            return entry, 0, False
        ids = [pk for pk, _seller in rows]
        if entry is None:
            entry = open_entry(
                ActivityEntry.Operation.HIDE,
                seller=run.seller,
                details=run.details,
            )
        hidden = due.filter(pk__in=ids).update(
            hidden_from_search_at=now, last_activity_id=entry.pk
        )
        log_stamped_products(entry, among=ids)
        if hidden == len(ids):
            run.by_seller.update(seller_id for _pk, seller_id in rows)
        else:
            # Rare: a restock raced the SELECT; count what was really hidden.
            run.by_seller.update(
                dict(
                    Product.objects.filter(last_activity_id=entry.pk, pk__in=ids)
                    .order_by()
                    .values_list("seller_id")
                    .annotate(n=Count("pk"))
                )
            )
        entry.details["sellers"] = {str(k): v for k, v in run.by_seller.items()}
        ActivityEntry.objects.filter(pk=entry.pk).update(details=entry.details)
        close_entry(entry, sum(run.by_seller.values()))
        return entry, hidden, len(rows) == batch_size


def hide_out_of_stock(
    *,
    days=None,
    seller=None,
    now=None,
    dry_run=False,
    batch_size=HIDE_BATCH_SIZE,
    progress=None,
):
    """Hide from search the products out of stock for more than ``days``.

    ``days`` defaults to ``settings.HIDE_OUT_OF_STOCK_AFTER_DAYS``; ``seller``
    (a Seller or its ID) limits the run to one seller. Archived and
    unapproved products are hidden too: the flag records "out of stock too
    long", so a product restored or approved later stays out of search until
    it is restocked, exactly as if it had stayed on sale.

    One activity entry per run (its seller set only when the run is limited
    to one seller), with every hidden product as an item and the per-seller
    counts in its details; no entry when nothing was due.
    ``progress(done, total)`` is called after each batch.
    """
    days = settings.HIDE_OUT_OF_STOCK_AFTER_DAYS if days is None else days
    if isinstance(days, bool) or not isinstance(days, int) or days < 1:
        raise ValueError("days must be a positive whole number")
    now = now or timezone.now()
    seller_id = _seller_pk(seller)
    due = Product.objects.due_for_hiding(days, now)
    if seller_id is not None:
        due = due.filter(seller_id=seller_id)
    result = HideResult(days=days, cutoff=now - timedelta(days=days))

    if dry_run:
        result.dry_run = True
        result.by_seller = dict(
            due.order_by().values_list("seller_id").annotate(n=Count("pk"))
        )
        result.count = sum(result.by_seller.values())
        result.due = due.select_related("seller").order_by("out_of_stock_since", "pk")
        logger.info(
            "hide_out_of_stock dry run: %d products due (days=%d, seller=%s)",
            result.count,
            days,
            seller_id,
        )
        return result

    run = _Run(
        seller=Seller(pk=seller_id) if seller_id is not None else None,
        details={"days": days, "cutoff": result.cutoff.isoformat()},
    )
    with _run_lock() as acquired:
        if not acquired:
            result.locked_out = True
            logger.info("hide_out_of_stock: another run is in progress; skipped")
            return result
        # SQLite binds each ID of a batch as one parameter, and caps them.
        cap = connection.features.max_query_params
        if cap:
            batch_size = min(batch_size, cap - 10)
        total = due.count() if progress else 0
        done = 0
        # SQLite: one transaction for the whole run (see _run_lock).
        outer = transaction.atomic() if connection.vendor == "sqlite" else nullcontext()
        with outer:
            more = True
            while more:
                result.entry, hidden, more = _hide_batch(
                    due, now=now, entry=result.entry, batch_size=batch_size, run=run
                )
                done += hidden
                if progress and hidden:
                    progress(done, max(total, done))

    result.by_seller = dict(run.by_seller)
    result.count = sum(result.by_seller.values())
    logger.info(
        "hide_out_of_stock: hid %d products of %d sellers "
        "(days=%d, seller=%s, entry=%s)",
        result.count,
        len(result.by_seller),
        days,
        seller_id,
        getattr(result.entry, "pk", None),
    )
    return result
