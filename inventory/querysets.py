"""The domain's rules as queryset methods.

Each rule is written once, as SQL (``Exists``, subqueries, annotations), so
the same method filters a list page and guards the ``WHERE`` of the action
that changes it. Nothing here loops over rows in Python.
"""

from datetime import timedelta

from django.apps import apps
from django.db import models
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

MARKETPLACE = "fbo"
SELLER = "fbs"


def _stock_model():
    return apps.get_model("inventory", "Stock")


def _order_line_model():
    return apps.get_model("inventory", "OrderLine")


def _stock_of_product(**filters):
    return _stock_model().objects.filter(product=OuterRef("pk"), **filters)


def _sum_of_stock(expression, **filters):
    """A correlated subquery summing ``expression`` over a product's stock."""
    rows = (
        _stock_of_product(**filters)
        .order_by()
        .values("product")
        .annotate(total=Sum(expression))
        .values("total")
    )
    return Coalesce(Subquery(rows), Value(0))


class StockQuerySet(models.QuerySet):
    def available_units(self):
        return self.filter(present__gt=F("reserved"))

    def holding_units(self):
        """Rows with any unit present, whether available or reserved."""
        return self.filter(present__gt=0)

    def with_available(self):
        # Not named "available": Stock.available is a property, which an
        # annotation of the same name cannot be assigned to.
        return self.annotate(units_available=F("present") - F("reserved"))

    def able_to_supply(self, quantity):
        """Rows that can fill an order of ``quantity`` alone, best first.

        A buyer's order ships from the marketplace warehouse when it has
        enough (the marketplace's own logistics), otherwise from the seller
        warehouse with the most available; ties go to the lower warehouse ID
        so the choice is stable. Only warehouses that serve the product's
        seller count.
        """
        return (
            self.filter(present__gte=F("reserved") + quantity)
            .filter(
                Q(warehouse__kind=MARKETPLACE)
                | Q(warehouse__seller_id=F("product__seller_id"))
            )
            .annotate(
                _ships_first=Case(
                    When(warehouse__kind=MARKETPLACE, then=Value(0)), default=Value(1)
                )
            )
            .order_by("_ships_first", F("reserved") - F("present"), "warehouse_id")
        )


class ProductQuerySet(models.QuerySet):
    # Scope

    def of_seller(self, seller):
        return self.filter(seller=seller)

    def active(self):
        """Products on the Product List (not in the archive)."""
        return self.filter(archived_at__isnull=True)

    def in_archive(self):
        return self.filter(archived_at__isnull=False)

    # Stock figures

    def with_stock(self):
        """Annotate available units per warehouse kind and reserved units.

        ``fbo_available`` is the "OZON warehouse" column, ``fbs_available``
        sums the seller's own warehouses ("My warehouse").
        """
        return self.annotate(
            fbo_available=_sum_of_stock(
                F("present") - F("reserved"), warehouse__kind=MARKETPLACE
            ),
            fbs_available=_sum_of_stock(
                F("present") - F("reserved"), warehouse__kind=SELLER
            ),
            reserved_units=_sum_of_stock(F("reserved")),
            fbo_reserved=_sum_of_stock(F("reserved"), warehouse__kind=MARKETPLACE),
            fbs_reserved=_sum_of_stock(F("reserved"), warehouse__kind=SELLER),
        )

    def with_open_order_count(self):
        """Annotate how many orders awaiting packaging hold units of each."""
        lines = (
            _order_line_model()
            .objects.filter(product=OuterRef("pk"), order__state="awaiting_packaging")
            .order_by()
            .values("product")
            .annotate(n=Count("order", distinct=True))
            .values("n")
        )
        return self.annotate(open_orders=Coalesce(Subquery(lines), Value(0)))

    # Stock states

    def in_stock(self):
        """Something can be bought: available > 0 in some warehouse."""
        return self.filter(Exists(_stock_of_product(present__gt=F("reserved"))))

    def out_of_stock(self):
        """Available is 0 in every warehouse (reserved units may remain)."""
        return self.exclude(Exists(_stock_of_product(present__gt=F("reserved"))))

    def reserved(self):
        """Standby: some unit is promised to an order waiting to be assembled."""
        return self.filter(Exists(_stock_of_product(reserved__gt=0)))

    def not_reserved(self):
        return self.exclude(Exists(_stock_of_product(reserved__gt=0)))

    def holding_no_units(self):
        # available = 0 and reserved = 0 everywhere is the same as no unit
        # present anywhere, which one NOT EXISTS on a partial index answers.
        return self.exclude(Exists(_stock_of_product(present__gt=0)))

    def out_of_stock_for_more_than(self, days, now=None):
        """Out of stock (as tracked by the stock services) for over ``days``."""
        now = now or timezone.now()
        return self.filter(out_of_stock_since__lt=now - timedelta(days=days))

    def out_of_stock_for_at_least(self, days, now=None):
        now = now or timezone.now()
        return self.filter(out_of_stock_since__lte=now - timedelta(days=days))

    # Search visibility

    def visible_in_search(self):
        """What buyers find: approved, on sale (not archived), not hidden."""
        return self.filter(
            moderation="approved",
            archived_at__isnull=True,
            hidden_from_search_at__isnull=True,
        )

    def hidden_from_search(self):
        return self.filter(hidden_from_search_at__isnull=False)

    def due_for_hiding(self, days, now=None):
        """Not hidden yet, and out of stock for more than ``days``."""
        return self.filter(
            hidden_from_search_at__isnull=True
        ).out_of_stock_for_more_than(days, now)

    # Operations' rules

    def archivable(self):
        """Not archived, 0 available everywhere and nothing reserved."""
        return self.active().holding_no_units()

    def restorable(self):
        return self.in_archive()

    def deletable(self):
        """In the archive and never passed moderation (so never sold)."""
        return (
            self.in_archive()
            .filter(sku__isnull=True)
            .exclude(moderation="approved")
            .exclude(Exists(_order_line_model().objects.filter(product=OuterRef("pk"))))
        )


class OrderQuerySet(models.QuerySet):
    def of_seller(self, seller):
        return self.filter(seller=seller)

    def awaiting_packaging(self):
        return self.filter(state="awaiting_packaging")

    def assembled(self):
        return self.filter(state="assembled")

    def cancelled(self):
        return self.filter(state="cancelled")

    def holding_product(self, product):
        return self.filter(lines__product=product).distinct()
