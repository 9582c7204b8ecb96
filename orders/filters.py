"""The Orders tab's filters: state, placing date range and product."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from inventory.models import Order, OrderLine


class IdFilter(django_filters.Filter):
    """A database ID: a whole number, so "1.5" or a 30-digit value is invalid."""

    field_class = forms.IntegerField


class OrderFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=Order.State.choices, empty_label=_("Any state")
    )
    placed_from = django_filters.DateFilter(
        label=_("Placed from"),
        field_name="placed_at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    placed_to = django_filters.DateFilter(
        label=_("Placed to"),
        field_name="placed_at",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    q = django_filters.CharFilter(
        label=_("Product"),
        method="filter_text",
        widget=forms.TextInput(
            attrs={"placeholder": _("Name or offer ID"), "type": "search"}
        ),
    )
    # The Product List's "reserved by N orders" links here with the ID; the
    # page shows which product it is and a way back to all orders.
    product = IdFilter(
        method="filter_product",
        widget=forms.HiddenInput,
        min_value=1,
        max_value=2**63 - 1,
    )

    class Meta:
        model = Order
        fields = ["state", "placed_from", "placed_to", "q", "product"]

    def __init__(self, *args, seller=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.seller = seller

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        lines = OrderLine.objects.filter(order=OuterRef("pk")).filter(
            Q(product__name__icontains=value) | Q(product__offer_id__icontains=value)
        )
        return queryset.filter(Exists(lines))

    def filter_product(self, queryset, name, value):
        lines = OrderLine.objects.filter(order=OuterRef("pk"), product_id=value)
        return queryset.filter(Exists(lines))
