"""Stock changes: the seller's own figures, supply receipts, and the lock order.

Lock order, shared by every service that changes stock (here and in
``orders.services``): order rows first (by ID), then the product rows (by
ID), then the stock rows. The product row lock is what keeps an archive and
an order for the same product from both succeeding, and it lets
``sync_out_of_stock`` rewrite product rows without a lock-upgrade deadlock.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from ..exceptions import InvalidStock
from ..models import ActivityEntry, Product, Stock, Warehouse
from .activity import log_single
from .visibility import sync_out_of_stock

logger = logging.getLogger(__name__)

# Rows per UPDATE ... CASE statement of a bulk stock change.
BATCH_SIZE = 500


def _number(value):
    return number_format(value, force_grouping=True)


def _pk(obj):
    return getattr(obj, "pk", obj)


def lock_products(product_ids):
    """Lock the product rows in ID order and return them by ID.

    Taking the locks in one fixed order means two transactions that touch
    the same products queue instead of deadlocking. On SQLite this is a no-op:
    the IMMEDIATE transaction already holds the database's single write lock.
    """
    rows = (
        Product.objects.select_for_update()
        .filter(pk__in=sorted(set(product_ids)))
        .order_by("pk")
    )
    return {product.pk: product for product in rows}


def check_quantity(value):
    """Return ``value`` as an int within 0..MAX_STOCK, or raise InvalidStock."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidStock(_("The quantity must be a whole number."))
    if value < 0:
        raise InvalidStock(_("The quantity cannot be negative."))
    if value > settings.MAX_STOCK:
        raise InvalidStock(
            _("The quantity cannot be above %(cap)s.")
            % {"cap": _number(settings.MAX_STOCK)}
        )
    return value


@dataclass(frozen=True)
class StockChange:
    """One row of a bulk stock change: set ``available`` for one pair."""

    product_id: int
    warehouse_id: int
    available: int


def _cap_error(product, reserved, available):
    return InvalidStock(
        _(
            "%(available)s available plus %(reserved)s reserved for “%(name)s” "
            "would be above the cap of %(cap)s units."
        )
        % {
            "available": _number(available),
            "reserved": _number(reserved),
            "name": product.name,
            "cap": _number(settings.MAX_STOCK),
        }
    )


def _apply_available(changes, products):
    """Write ``present = reserved + available`` for every change, set-based.

    The products are locked by the caller, so ``reserved`` cannot move
    between the cap check and the UPDATE.
    """
    pairs = Q()
    for change in changes:
        pairs |= Q(product_id=change.product_id, warehouse_id=change.warehouse_id)
    existing = {
        (row.product_id, row.warehouse_id): row.reserved
        for row in Stock.objects.filter(pairs).only(
            "product_id", "warehouse_id", "reserved"
        )
    }
    for change in changes:
        reserved = existing.get((change.product_id, change.warehouse_id), 0)
        if reserved + change.available > settings.MAX_STOCK:
            raise _cap_error(products[change.product_id], reserved, change.available)

    updates = [c for c in changes if (c.product_id, c.warehouse_id) in existing]
    for start in range(0, len(updates), BATCH_SIZE):
        batch = updates[start : start + BATCH_SIZE]
        whens = [
            When(
                product_id=c.product_id,
                warehouse_id=c.warehouse_id,
                then=Value(c.available),
            )
            for c in batch
        ]
        match = Q()
        for c in batch:
            match |= Q(product_id=c.product_id, warehouse_id=c.warehouse_id)
        Stock.objects.filter(match).update(
            present=F("reserved") + Case(*whens, output_field=IntegerField())
        )
    Stock.objects.bulk_create(
        [
            Stock(
                product_id=c.product_id,
                warehouse_id=c.warehouse_id,
                present=c.available,
                reserved=0,
            )
            for c in changes
            if (c.product_id, c.warehouse_id) not in existing
        ]
    )


def _seller_product(seller, product):
    found = Product.objects.of_seller(seller).filter(pk=_pk(product)).first()
    if found is None:
        raise InvalidStock(_("That product was not found."))
    return found


def _seller_warehouse(seller, warehouse):
    found = (
        Warehouse.objects.filter(seller=seller, kind=Warehouse.Kind.SELLER)
        .filter(pk=_pk(warehouse))
        .first()
    )
    if found is None:
        raise InvalidStock(_("That warehouse was not found among your own warehouses."))
    return found


def _refuse_archived(product):
    if product.archived_at is not None:
        raise InvalidStock(
            _("“%(name)s” is in the archive; restore it to change its stock.")
            % {"name": product.name}
        )


def set_stock(seller, product, warehouse, available, *, actor):
    """Set the available units of the seller's product in their own warehouse.

    ``available`` excludes reserved units, as the marketplace's own stock
    update does: the result is ``present = available + reserved``, so present
    never falls below what orders hold.
    """
    available = check_quantity(available)
    product = _seller_product(seller, product)
    warehouse = _seller_warehouse(seller, warehouse)
    with transaction.atomic():
        product = lock_products([product.pk])[product.pk]
        _refuse_archived(product)
        change = StockChange(product.pk, warehouse.pk, available)
        _apply_available([change], {product.pk: product})
        sync_out_of_stock([product.pk])
        log_single(
            ActivityEntry.Operation.SET_STOCK,
            [product.pk],
            seller=seller,
            actor=actor,
            details={"warehouse": warehouse.pk, "available": available},
        )
    logger.info(
        "set stock: seller=%s product=%s warehouse=%s available=%d",
        seller.pk,
        product.pk,
        warehouse.pk,
        available,
    )
    return Stock.objects.get(product=product, warehouse=warehouse)


def set_stocks(seller, changes, *, actor):
    """Apply many StockChange rows of one seller at once, all or none.

    The rows must already name the seller's own products and warehouses
    (the CSV upload resolves them); the scope is checked again here.
    Duplicate pairs keep the last row. Returns the number of rows written.
    """
    merged = {}
    for change in changes:
        check_quantity(change.available)
        merged[(change.product_id, change.warehouse_id)] = change
    changes = sorted(merged.values(), key=lambda c: (c.product_id, c.warehouse_id))
    if not changes:
        return 0
    product_ids = {c.product_id for c in changes}
    own_warehouses = set(
        Warehouse.objects.filter(
            seller=seller,
            kind=Warehouse.Kind.SELLER,
            pk__in={c.warehouse_id for c in changes},
        ).values_list("pk", flat=True)
    )
    if any(c.warehouse_id not in own_warehouses for c in changes):
        raise InvalidStock(_("That warehouse was not found among your own warehouses."))
    with transaction.atomic():
        products = lock_products(product_ids)
        if any(
            pk not in products or products[pk].seller_id != seller.pk
            for pk in product_ids
        ):
            raise InvalidStock(_("That product was not found."))
        for product in products.values():
            _refuse_archived(product)
        _apply_available(changes, products)
        sync_out_of_stock(product_ids)
        log_single(
            ActivityEntry.Operation.SET_STOCK,
            product_ids,
            seller=seller,
            actor=actor,
            details={"rows": len(changes), "source": "upload"},
        )
    logger.info(
        "set stock (bulk): seller=%s rows=%d products=%d",
        seller.pk,
        len(changes),
        len(product_ids),
    )
    return len(changes)


def receive_supply(product, warehouse, quantity, *, actor):
    """Add ``quantity`` units received into a marketplace warehouse (staff)."""
    if actor is None or not actor.is_staff:
        raise InvalidStock(_("Only marketplace staff can receive supplies."))
    quantity = check_quantity(quantity)
    if quantity == 0:
        raise InvalidStock(_("A supply must bring at least one unit."))
    warehouse = Warehouse.objects.filter(
        pk=_pk(warehouse), kind=Warehouse.Kind.MARKETPLACE
    ).first()
    if warehouse is None:
        raise InvalidStock(_("Supplies are received into marketplace warehouses."))
    with transaction.atomic():
        locked = lock_products([_pk(product)])
        if not locked:
            raise InvalidStock(_("That product was not found."))
        product = locked[_pk(product)]
        _refuse_archived(product)
        grown = Stock.objects.filter(
            product=product,
            warehouse=warehouse,
            present__lte=settings.MAX_STOCK - quantity,
        ).update(present=F("present") + quantity)
        if not grown:
            if Stock.objects.filter(product=product, warehouse=warehouse).exists():
                raise InvalidStock(
                    _("This supply would take “%(name)s” above the cap of %(cap)s.")
                    % {"name": product.name, "cap": _number(settings.MAX_STOCK)}
                )
            Stock.objects.create(product=product, warehouse=warehouse, present=quantity)
        sync_out_of_stock([product.pk])
        log_single(
            ActivityEntry.Operation.SUPPLY,
            [product.pk],
            seller=product.seller,
            actor=actor,
            details={"warehouse": warehouse.pk, "quantity": quantity},
        )
    logger.info(
        "supply received: product=%s warehouse=%s quantity=%d",
        product.pk,
        warehouse.pk,
        quantity,
    )
    return Stock.objects.get(product=product, warehouse=warehouse)
