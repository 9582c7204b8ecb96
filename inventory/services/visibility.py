"""Out-of-stock tracking and hiding from search.

Every stock change anywhere calls :func:`sync_out_of_stock` inside its own
transaction, so stock and clock never disagree. The scheduled
``hide_out_of_stock`` command calls :func:`hide_out_of_stock`, which reads
only the clock.
"""

import logging
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import BooleanField, Count, F, Func, Q, QuerySet, Subquery
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


class _InArrayOf(Func):
    """PostgreSQL's ``column = ANY(ARRAY(subquery))``.

    For ``id IN (subquery)`` the planner builds a hash of the batch and scans
    every due row to probe it, so each batch would cost as much as the whole
    rest of the run. As an array the batch becomes an index condition: one
    primary-key probe per row of the batch.
    """

    template = "%(expressions)s)"
    arg_joiner = " = ANY(ARRAY"
    output_field = BooleanField()


def _in_batch(batch):
    if connection.vendor == "postgresql":
        return _InArrayOf(F("pk"), Subquery(batch))
    return Q(pk__in=Subquery(batch))


@dataclass
class _Run:
    """What every batch of one run shares."""

    seller: Seller | None
    details: dict
    hidden: int = 0


def _seller_pk(seller):
    if seller is None or isinstance(seller, Seller):
        return getattr(seller, "pk", None)
    return int(seller)


def _hide_batch(due, *, now, entry, batch_size, run):
    """Hide one batch in its own transaction: one UPDATE, no IDs in Python.

    Return the entry (opened by the first batch that finds work) and how
    many were hidden. The batch is ``UPDATE ... WHERE <rule> AND id IN
    (SELECT id ... ORDER BY out_of_stock_since LIMIT n)``: the inner SELECT
    reads the partial index ``product_hiding_due`` (see _in_batch for the
    outer side); each committed batch
    leaves that index, so the next batch starts at fresh rows instead of
    walking past the ones already hidden. The rule is repeated on the outer
    UPDATE, so a product restocked meanwhile stays visible.
    """
    with transaction.atomic():
        if entry is None:
            if not due.exists():
                return None, 0
            entry = open_entry(
                ActivityEntry.Operation.HIDE, seller=run.seller, details=run.details
            )
        batch = due.order_by("out_of_stock_since").values("pk")[:batch_size]
        hidden = due.filter(_in_batch(batch)).update(
            hidden_from_search_at=now, last_activity_id=entry.pk
        )
        run.hidden += hidden
        # Kept true batch by batch, so a run killed half-way leaves an entry
        # that says how many it hid (its products carry the entry's stamp).
        close_entry(entry, run.hidden)
        return entry, hidden


def _log_run(entry, run):
    """Copy the run's hidden products into its entry and close it.

    One INSERT ... SELECT over the stamp's index for the whole run, not one
    per batch: a per-batch copy would find its rows either through that
    index, which also holds every earlier batch, or through a long list of
    IDs, which the planner reads as a table scan. A product restocked since
    its batch (and so visible again) carries another stamp and is left out.
    """
    with transaction.atomic():
        copied = log_stamped_products(entry)
        by_seller = dict(
            Product.objects.filter(last_activity_id=entry.pk)
            .order_by()
            .values_list("seller_id")
            .annotate(n=Count("pk"))
        )
        entry.details["sellers"] = {str(k): v for k, v in by_seller.items()}
        ActivityEntry.objects.filter(pk=entry.pk).update(details=entry.details)
        close_entry(entry, copied)
    return by_seller


def _log_after_failure(entry, run):
    try:
        _log_run(entry, run)
    except DatabaseError:
        logger.exception("hide_out_of_stock: entry %s left without its items", entry.pk)


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
        total = due.count() if progress else 0
        # SQLite: one transaction for the whole run (see _run_lock).
        outer = transaction.atomic() if connection.vendor == "sqlite" else nullcontext()
        with outer:
            try:
                hidden = True
                while hidden:
                    result.entry, hidden = _hide_batch(
                        due, now=now, entry=result.entry, batch_size=batch_size, run=run
                    )
                    if progress and hidden:
                        progress(run.hidden, max(total, run.hidden))
            except Exception:
                # Log the batches that did commit before reporting the failure.
                if result.entry is not None and connection.vendor != "sqlite":
                    _log_after_failure(result.entry, run)
                raise
            if result.entry is not None:
                result.by_seller = _log_run(result.entry, run)

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
