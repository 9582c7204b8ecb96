"""Orders: place (reserve), assemble (consume) and cancel (release).

Every function here is the one place its mutation happens: the buyers'
search page, the seller's Orders tab, the admin and the tests all call them.
Locks follow the order documented in ``inventory.services.stock``: orders,
then products, then stock, each by ID.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from inventory.models import (
    ActivityEntry,
    Order,
    OrderLine,
    Seller,
    Stock,
    Warehouse,
)
from inventory.services.activity import OperationResult, log_single
from inventory.services.stock import lock_products
from inventory.services.visibility import sync_out_of_stock

from .exceptions import InsufficientStock, InvalidOrder, InvalidTransition

logger = logging.getLogger(__name__)

AWAITING = Order.State.AWAITING_PACKAGING
ASSEMBLED = Order.State.ASSEMBLED
CANCELLED = Order.State.CANCELLED


@dataclass
class OrderRefusal:
    """An order an operation left alone, and why (a translated sentence)."""

    order_id: int
    name: str
    reason: str


def _pk(obj):
    return getattr(obj, "pk", obj)


def _merge_lines(lines):
    """Return ``{(product_id, warehouse_id): quantity}`` sorted, validated."""
    merged = defaultdict(int)
    for product, warehouse, quantity in lines:
        if isinstance(quantity, bool) or not isinstance(quantity, int):
            raise InvalidOrder(_("Each quantity must be a whole number."))
        if quantity <= 0:
            raise InvalidOrder(_("Each quantity must be at least 1."))
        merged[(_pk(product), _pk(warehouse))] += quantity
    if not merged:
        raise InvalidOrder(_("An order needs at least one line."))
    if any(q > settings.MAX_STOCK for q in merged.values()):
        raise InvalidOrder(
            _("No line can order more than %(cap)s units.")
            % {"cap": settings.MAX_STOCK}
        )
    # Sorted, so that concurrent orders take the stock row locks in one order.
    return dict(sorted(merged.items()))


def _check_buyer(buyer_name, buyer_email):
    buyer_name = (buyer_name or "").strip()
    buyer_email = (buyer_email or "").strip()
    if not buyer_name:
        raise InvalidOrder(_("Please give the buyer's name."))
    try:
        validate_email(buyer_email)
    except ValidationError:
        raise InvalidOrder(_("Please give a valid e-mail address.")) from None
    return buyer_name, buyer_email


def _check_orderable(products, product_ids):
    missing = [pk for pk in product_ids if pk not in products]
    if missing:
        raise InvalidOrder(_("That product was not found."))
    for product in products.values():
        if product.archived_at is not None:
            reason = _("“%(name)s” is in the archive and cannot be ordered.")
        elif product.moderation != product.Moderation.APPROVED:
            reason = _("“%(name)s” has not passed moderation and cannot be ordered.")
        elif product.hidden_from_search_at is not None:
            reason = _("“%(name)s” is hidden from search and cannot be ordered.")
        else:
            continue
        raise InvalidOrder(reason % {"name": product.name})
    if len({p.seller_id for p in products.values()}) > 1:
        raise InvalidOrder(_("One order can hold products of one seller only."))


def _check_warehouses(warehouse_ids, seller_id):
    # A buyer orders from a marketplace warehouse or one of the seller's own.
    usable = set(
        Warehouse.objects.filter(pk__in=warehouse_ids)
        .filter(Q(kind=Warehouse.Kind.MARKETPLACE) | Q(seller_id=seller_id))
        .values_list("pk", flat=True)
    )
    if set(warehouse_ids) - usable:
        raise InvalidOrder(_("That warehouse does not ship this seller's products."))


def place_order(lines, *, buyer_name, buyer_email, actor=None):
    """Reserve every line of a new order, all lines or none.

    ``lines`` is an iterable of ``(product, warehouse, quantity)`` (objects or
    IDs). Each line is one conditional UPDATE: the row lock it takes and the
    re-checked ``present - reserved >= quantity`` make two buyers racing for
    the last unit queue, and the loser matches no row. Raises InvalidOrder
    for a malformed order and InsufficientStock naming the product when a
    line cannot be reserved; either way nothing is kept.
    """
    buyer_name, buyer_email = _check_buyer(buyer_name, buyer_email)
    merged = _merge_lines(lines)
    product_ids = sorted({p for p, _w in merged})
    with transaction.atomic():
        products = lock_products(product_ids)
        _check_orderable(products, product_ids)
        seller_id = products[product_ids[0]].seller_id
        _check_warehouses({w for _p, w in merged}, seller_id)
        for (product_id, warehouse_id), quantity in merged.items():
            reserved = Stock.objects.filter(
                product_id=product_id,
                warehouse_id=warehouse_id,
                present__gte=F("reserved") + quantity,
            ).update(reserved=F("reserved") + quantity)
            if not reserved:
                # Raising rolls back the lines already reserved above.
                raise _insufficient(products[product_id], warehouse_id, quantity)
        order = Order.objects.create(
            seller_id=seller_id,
            buyer_name=buyer_name,
            buyer_email=buyer_email,
            placed_at=timezone.now(),
        )
        OrderLine.objects.bulk_create(
            OrderLine(order=order, product_id=p, warehouse_id=w, quantity=q)
            for (p, w), q in merged.items()
        )
        sync_out_of_stock(product_ids)
        log_single(
            ActivityEntry.Operation.PLACE_ORDER,
            product_ids,
            seller=Seller(pk=seller_id),
            actor=actor,
            details={"order": order.pk},
        )
    logger.info(
        "order placed: order=%s seller=%s lines=%d units=%d",
        order.pk,
        seller_id,
        len(merged),
        sum(merged.values()),
    )
    return order


def _insufficient(product, warehouse_id, quantity):
    row = Stock.objects.filter(product=product, warehouse_id=warehouse_id).first()
    available = row.available if row else 0
    return InsufficientStock(
        _(
            "Not enough “%(name)s” in stock: %(available)s available, "
            "%(quantity)s ordered."
        )
        % {"name": product.name, "available": available, "quantity": quantity}
    )


# Assemble and cancel


def _selected_orders(seller, orders):
    """The seller's orders named by ``orders`` (a queryset or IDs): a hint."""
    base = Order.objects.all() if seller is None else Order.objects.of_seller(seller)
    if isinstance(orders, QuerySet):
        return base.filter(pk__in=orders.values("pk"))
    ids = []
    for value in orders:
        try:
            ids.append(int(_pk(value)))
        except (TypeError, ValueError):
            continue
    return base.filter(pk__in=ids)


def _refusal(order, target):
    name = _("Order %(id)s") % {"id": order.pk}
    if order.state == target:
        reason = {
            ASSEMBLED: _("Already assembled."),
            CANCELLED: _("Already cancelled."),
        }[target]
    elif order.state == CANCELLED:
        reason = _("Cancelled orders cannot be assembled.")
    else:
        reason = _("Assembled orders cannot be cancelled.")
    return OrderRefusal(order_id=order.pk, name=name, reason=reason)


def _transition(seller, orders, *, actor, target):
    """Move the selected orders awaiting packaging to ``target``, set-based.

    The state is in the UPDATE's WHERE, so a second submission of the same
    action changes nothing and reports the orders as already done.
    """
    operation = (
        ActivityEntry.Operation.ASSEMBLE
        if target == ASSEMBLED
        else ActivityEntry.Operation.CANCEL
    )
    result = OperationResult(operation=operation)
    now = timezone.now()
    with transaction.atomic():
        selected = _selected_orders(seller, orders)
        locked = list(
            selected.filter(state=AWAITING)
            .select_for_update()
            .order_by("pk")
            .values_list("pk", "seller_id")
        )
        order_ids = [pk for pk, _s in locked]
        refused = selected.exclude(pk__in=order_ids).order_by("pk")
        result.refused_total = refused.count()
        result.refused = [
            _refusal(o, target) for o in refused[: settings.MAX_POSTED_IDS]
        ]
        if not order_ids:
            return result

        lines = OrderLine.objects.filter(order_id__in=order_ids)
        product_ids = sorted(set(lines.values_list("product_id", flat=True)))
        lock_products(product_ids)
        stamp = {"assembled_at": now} if target == ASSEMBLED else {"cancelled_at": now}
        result.done = Order.objects.filter(pk__in=order_ids, state=AWAITING).update(
            state=target, **stamp
        )

        # One UPDATE for every stock row the orders hold: each row falls by
        # the sum of its lines' quantities.
        held = lines.filter(
            product_id=OuterRef("product_id"), warehouse_id=OuterRef("warehouse_id")
        )
        units = Subquery(
            held.order_by()
            .values("product_id", "warehouse_id")
            .annotate(total=Sum("quantity"))
            .values("total")
        )
        changes = {"reserved": F("reserved") - units}
        if target == ASSEMBLED:
            changes["present"] = F("present") - units
        Stock.objects.filter(Exists(held)).update(**changes)

        sync_out_of_stock(product_ids)
        by_seller = defaultdict(list)
        for pk, seller_id in locked:
            by_seller[seller_id].append(pk)
        for seller_id, ids in by_seller.items():
            seller_products = (
                lines.filter(order__seller_id=seller_id)
                .values_list("product_id", flat=True)
                .distinct()
            )
            result.entry = log_single(
                operation,
                list(seller_products),
                seller=Seller(pk=seller_id),
                actor=actor,
                details={"orders": ids},
            )
    logger.info(
        "orders %s: %d done, %d refused (seller=%s)",
        target,
        result.done,
        result.refused_total,
        getattr(seller, "pk", None),
    )
    return result


def assemble_orders(seller, orders, *, actor):
    """Assemble orders awaiting packaging: present and reserved both fall."""
    return _transition(seller, orders, actor=actor, target=ASSEMBLED)


def cancel_orders(seller, orders, *, actor):
    """Cancel orders awaiting packaging: reserved falls, present stays."""
    return _transition(seller, orders, actor=actor, target=CANCELLED)


def assemble_order(seller, order, *, actor):
    """Assemble one order; raise InvalidTransition with the reason if refused."""
    return _single(assemble_orders, seller, order, actor)


def cancel_order(seller, order, *, actor):
    """Cancel one order; raise InvalidTransition with the reason if refused."""
    return _single(cancel_orders, seller, order, actor)


def _single(operation, seller, order, actor):
    result = operation(seller, [order], actor=actor)
    if result.refused:
        raise InvalidTransition(result.refused[0].reason)
    if not result.done:
        raise InvalidTransition(_("That order was not found."))
    return result
