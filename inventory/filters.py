"""The Product List's filters. Each choice maps to a rule in querysets.py,
so the filter and the operation that acts on its result agree."""

from datetime import timedelta

import django_filters
from django import forms
from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .context_processors import current_seller
from .models import Product, Stock, Warehouse

MARKETPLACE_CHOICE = "ozon"
# How far ahead the "will be hidden soon" filter looks.
HIDING_SOON_DAYS = 7


def hiding_soon(queryset, now=None):
    """Visible products that hide_out_of_stock will hide within a week."""
    now = now or timezone.now()
    threshold = settings.HIDE_OUT_OF_STOCK_AFTER_DAYS - HIDING_SOON_DAYS
    return queryset.filter(
        hidden_from_search_at__isnull=True,
        out_of_stock_since__lte=now - timedelta(days=threshold),
    )


def warehouse_choices(seller):
    """The warehouse filter's choices: the marketplace's warehouses as one
    choice (the "OZON warehouse" column), then the seller's own only."""

    def choices():
        own = Warehouse.objects.filter(
            seller=seller, kind=Warehouse.Kind.SELLER
        ).values_list("pk", "name")
        return [(MARKETPLACE_CHOICE, _("OZON warehouse"))] + [
            (str(pk), name) for pk, name in own
        ]

    return choices


class SearchFilter(django_filters.CharFilter):
    """Text search over name, offer ID and SKU (a number matches the SKU)."""

    def filter(self, qs, value):
        value = (value or "").strip()
        if not value:
            return qs
        condition = Q(name__icontains=value) | Q(offer_id__icontains=value)
        # isdigit() is also true of "²", which int() refuses: ASCII digits only.
        if value.isascii() and value.isdigit() and len(value) < 19:
            condition |= Q(sku=int(value))
        return qs.filter(condition)


class ProductFilter(django_filters.FilterSet):
    STOCK_STATES = {
        "in_stock": (_("In stock"), lambda qs: qs.in_stock()),
        "out_of_stock": (_("Out of stock"), lambda qs: qs.out_of_stock()),
        "reserved": (_("Reserved (standby)"), lambda qs: qs.reserved()),
        "hidden": (_("Hidden from search"), lambda qs: qs.hidden_from_search()),
        "hiding_soon": (_("Will be hidden within 7 days"), hiding_soon),
        "archivable": (_("Can be archived"), lambda qs: qs.archivable()),
    }

    q = SearchFilter(
        label=_("Search"),
        widget=forms.TextInput(
            attrs={"placeholder": _("Name, offer ID or SKU"), "type": "search"}
        ),
    )
    moderation = django_filters.ChoiceFilter(
        label=_("Moderation"),
        choices=Product.Moderation.choices,
        empty_label=_("Any moderation"),
    )
    stock = django_filters.ChoiceFilter(
        label=_("Stock"),
        choices=[(key, label) for key, (label, _rule) in STOCK_STATES.items()],
        method="filter_stock",
        empty_label=_("Any stock"),
    )
    warehouse = django_filters.ChoiceFilter(
        label=_("Warehouse"),
        method="filter_warehouse",
        empty_label=_("Any warehouse"),
    )

    class Meta:
        model = Product
        fields = ["q", "moderation", "stock", "warehouse"]

    def __init__(self, *args, seller=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.seller = seller or current_seller(self.request)
        # A plain function (not a bound method), so the filter set can be
        # deep-copied; it runs its query only when the form is rendered or
        # validated.
        self.filters["warehouse"].extra["choices"] = warehouse_choices(self.seller)

    def filter_stock(self, queryset, name, value):
        _label, rule = self.STOCK_STATES[value]
        return rule(queryset)

    def filter_warehouse(self, queryset, name, value):
        """Products holding units (available or reserved) in the warehouse."""
        stock = Stock.objects.filter(product=OuterRef("pk"), present__gt=0)
        if value == MARKETPLACE_CHOICE:
            stock = stock.filter(warehouse__kind=Warehouse.Kind.MARKETPLACE)
        else:
            stock = stock.filter(warehouse_id=int(value), warehouse__seller=self.seller)
        return queryset.filter(Exists(stock))
