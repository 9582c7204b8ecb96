"""Archive, restore and delete: the only code that moves products in and out
of the Archive Library. Views, admin actions and tests all call these.

Each operation is one transaction of a few set-based statements, whatever the
size of the selection:

1. open an activity entry;
2. one conditional UPDATE whose WHERE holds the rule (``archivable()``,
   ``restorable()``, ``deletable()``) and which stamps the changed rows with the
   entry, so a product that became ineligible meanwhile is simply not matched;
3. copy the stamped rows into the log with one INSERT ... SELECT (when any
   changed; a selection refused whole leaves no entry, as it changed nothing);
4. (delete only) delete the stamped rows' stock, then the rows;
5. close the entry, and explain the refusals with one SELECT capped at
   ``MAX_LISTED_REFUSALS`` rows (and a COUNT only when the cap is reached).
"""

import logging

from django.db import connection, transaction
from django.db.models import F, Func, QuerySet, Subquery
from django.utils import timezone

from inventory import reasons
from inventory.models import ActivityEntry, ActivityItem, Product, Stock
from inventory.services.activity import (
    OperationResult,
    Refusal,
    close_entry,
    log_stamped_products,
    open_entry,
)

logger = logging.getLogger(__name__)

# A huge selection lists this many refusals and reports the rest as a count.
MAX_LISTED_REFUSALS = 100

Operation = ActivityEntry.Operation


def _scope(seller):
    products = Product.objects.all()
    return products if seller is None else products.of_seller(seller)


def _clean_ids(products):
    ids = []
    for value in products:
        pk = value.pk if isinstance(value, Product) else value
        try:
            ids.append(int(pk))
        except (TypeError, ValueError):
            continue
    return list(dict.fromkeys(ids))


def _selection(seller, products):
    """The seller's products the hint names; posted IDs, if any, as a list.

    The hint is never trusted: it is narrowed to the seller's own products
    here, and the rule is applied again in the statement that changes them.
    """
    scope = _scope(seller)
    if isinstance(products, QuerySet):
        query = products.query
        if products.model is Product and not (
            query.is_sliced or query.distinct or query.annotations
        ):
            # Merge the conditions into one WHERE rather than "id IN (SELECT
            # id FROM the same table)": right after a bulk change, stale
            # statistics can turn that self-join into a nested loop that is
            # quadratic in the selection (minutes at 100,000 rows).
            return scope & products.order_by(), None
        return scope.filter(pk__in=products.order_by().values("pk")), None
    ids = _clean_ids(products)
    return scope.filter(pk__in=ids), ids


def _explain(result, refused_qs, explain, posted_ids, selection, entry=None):
    """Fill ``result.refused`` from the rows the operation did not change."""
    if posted_ids is not None and result.done == len(posted_ids):
        return  # every posted product changed: nothing to explain
    # The total rides along as an uncorrelated subquery, which both databases
    # evaluate once: a capped list costs one query, not a list and a COUNT.
    total_of_refused = refused_qs.order_by().values(n=Func(F("pk"), function="COUNT"))
    rows = list(
        refused_qs.with_stock()
        .with_open_order_count()
        .annotate(_refused_total=Subquery(total_of_refused))
        .order_by("pk")[:MAX_LISTED_REFUSALS]
    )
    total = rows[0]._refused_total if rows else 0
    result.refused = [Refusal(p.pk, p.offer_id, p.name, explain(p)) for p in rows]
    if posted_ids is not None:
        missing = len(posted_ids) - result.done - total
        if missing > 0:
            # Only a tampered or stale form names products the seller does not
            # have; another seller's product reads exactly like a missing one.
            found = set(selection.values_list("pk", flat=True))
            if entry is not None:
                found.update(
                    ActivityItem.objects.filter(entry=entry).values_list(
                        "product_id", flat=True
                    )
                )
            for pk in posted_ids:
                if pk not in found and len(result.refused) < MAX_LISTED_REFUSALS:
                    result.refused.append(Refusal(pk, "", "", reasons.not_found()))
            total += missing
    result.refused_total = total


def _finish(result, entry, seller):
    if result.done:
        close_entry(entry, result.done)
        result.entry = entry
    else:
        # The log records state changes; a selection that was refused whole
        # changed nothing, so its entry (opened to stamp rows) goes again. No
        # item was copied for it, so one raw DELETE is enough.
        table = connection.ops.quote_name(ActivityEntry._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE id = %s", [entry.pk])
    logger.info(
        "%s: seller=%s entry=%s done=%d refused=%d",
        result.operation,
        seller.pk if seller is not None else "staff",
        entry.pk,
        result.done,
        result.refused_total,
    )
    return result


@transaction.atomic
def archive_products(seller, products, *, actor):
    """Move the archivable products of the selection to the Archive Library."""
    selection, ids = _selection(seller, products)
    result = OperationResult(operation=Operation.ARCHIVE)
    entry = open_entry(Operation.ARCHIVE, seller=seller, actor=actor)
    _lock(selection.active())
    result.done = selection.archivable().update(
        archived_at=timezone.now(),
        archived_by=actor if actor is not None and actor.is_authenticated else None,
        last_activity_id=entry.pk,
    )
    if result.done:
        log_stamped_products(entry)
    _explain(
        result,
        _not_stamped(selection, entry),
        reasons.archive_refusal,
        ids,
        selection,
    )
    return _finish(result, entry, seller)


@transaction.atomic
def restore_products(seller, products, *, actor):
    """Return archived products of the selection to the Product List as they
    were: stock, moderation and search visibility are left untouched."""
    selection, ids = _selection(seller, products)
    result = OperationResult(operation=Operation.RESTORE)
    entry = open_entry(Operation.RESTORE, seller=seller, actor=actor)
    result.done = selection.restorable().update(
        archived_at=None, archived_by=None, last_activity_id=entry.pk
    )
    if result.done:
        log_stamped_products(entry)
    _explain(
        result,
        _not_stamped(selection, entry),
        reasons.restore_refusal,
        ids,
        selection,
    )
    return _finish(result, entry, seller)


@transaction.atomic
def delete_products(seller, products, *, actor):
    """Delete, permanently, the products of the selection that are archived
    and never passed moderation; the activity log keeps their record."""
    selection, ids = _selection(seller, products)
    result = OperationResult(operation=Operation.DELETE)
    entry = open_entry(Operation.DELETE, seller=seller, actor=actor)
    # Stamping first also takes the rows' locks on PostgreSQL, so nothing can
    # approve or order them between the copy into the log and the DELETE.
    stamped = selection.deletable().update(last_activity_id=entry.pk)
    if stamped:
        log_stamped_products(entry)
    if stamped:
        # Set-based deletes: Django's collector would load every product and
        # its stock rows as objects. Stock has no dependants, so its queryset
        # delete is a single statement; the products go by a raw DELETE on
        # the stamp (order lines PROTECT them, and deletable() excludes any
        # product with an order line, so nothing else points at them).
        Stock.objects.filter(product__last_activity_id=entry.pk).delete()
        table = connection.ops.quote_name(Product._meta.db_table)
        column = connection.ops.quote_name(
            Product._meta.get_field("last_activity_id").column
        )
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE {column} = %s", [entry.pk])
            result.done = cursor.rowcount
    _explain(result, selection, reasons.delete_refusal, ids, selection, entry)
    return _finish(result, entry, seller)


def _lock(queryset):
    """Row-lock the products of ``queryset`` in ID order, without fetching them.

    The stock and order services lock a product's row before they change its
    stock. Holding these locks first, the next statement (which takes a fresh
    snapshot under READ COMMITTED) sees every reservation committed before
    and none can start meanwhile; without them, an UPDATE whose rule was read
    from an older snapshot could archive a product reserved a moment ago.
    SQLite needs nothing: its IMMEDIATE transaction holds the write lock.
    """
    if connection.vendor != "postgresql":
        return
    rows = queryset.order_by("pk").values("pk").select_for_update(of=("self",))
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM ({sql}) locked", params)


def _not_stamped(selection, entry):
    # Rows stamped by this entry were changed; every other row was refused.
    return selection.exclude(last_activity_id=entry.pk)


def deletion_preview(seller, products, *, limit=50):
    """What ``delete_products`` would do now, for the confirmation page.

    Returns ``(to_delete, to_delete_count, result)`` where ``to_delete`` lists
    at most ``limit`` products and ``result`` carries the refusals. Reads
    only; the delete itself re-checks the rule.
    """
    selection, ids = _selection(seller, products)
    deletable = selection.deletable()
    count = deletable.count()
    listed = list(deletable.order_by("pk")[:limit])
    result = OperationResult(operation=Operation.DELETE, done=count)
    _explain(
        result,
        selection.exclude(pk__in=deletable.values("pk")),
        reasons.delete_refusal,
        ids,
        selection,
    )
    return listed, count, result
