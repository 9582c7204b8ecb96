"""The Archive Library's filters: the Product List's, with the states that
make sense for archived products."""

import django_filters
from django.utils.translation import gettext_lazy as _

from inventory.filters import ProductFilter


class ArchiveFilter(ProductFilter):
    STOCK_STATES = {
        "deletable": (_("Can be deleted"), lambda qs: qs.deletable()),
        "not_deletable": (
            _("Passed moderation (cannot be deleted)"),
            lambda qs: qs.exclude(pk__in=qs.deletable().values("pk")),
        ),
        "hidden": (_("Hidden from search"), lambda qs: qs.hidden_from_search()),
        "in_stock": (_("In stock"), lambda qs: qs.in_stock()),
    }

    stock = django_filters.ChoiceFilter(
        label=_("State"),
        choices=[(key, label) for key, (label, _rule) in STOCK_STATES.items()],
        method="filter_stock",
        empty_label=_("Any state"),
    )

    class Meta(ProductFilter.Meta):
        fields = ["q", "moderation", "stock", "warehouse"]
