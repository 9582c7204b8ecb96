"""The Archive Library table: same style as the Product List's."""

import django_tables2 as tables
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from inventory.tables import ProductTable, label_cells


@label_cells
class ArchiveTable(ProductTable):
    archived_at = tables.DateTimeColumn(
        verbose_name=_("Archived"), format="SHORT_DATETIME_FORMAT"
    )
    archived_by = tables.Column(
        verbose_name=_("Archived by"),
        accessor="archived_by__username",
        order_by="archived_by__username",
        default="—",
    )
    stock_units = tables.Column(
        verbose_name=_("Stock"),
        accessor="fbo_available",
        order_by="fbo_available",
        attrs={"th": {"class": "num"}, "td": {"class": "num"}},
        empty_values=(),
    )
    status = None
    reserved_units = None
    fbo_available = None
    fbs_available = None

    class Meta(ProductTable.Meta):
        sequence = (
            "selection",
            "offer_id",
            "name",
            "sku",
            "moderation",
            "archived_at",
            "archived_by",
            "stock_units",
            "actions",
        )
        attrs = {"class": "table", "data-testid": "archive-table"}
        empty_text = _("The Archive Library is empty for this filter.")
        order_by = ("-archived_at",)

    def render_stock_units(self, record):
        return record.fbo_available + record.fbs_available + record.reserved_units

    def render_actions(self, record):
        return render_to_string(
            "archive/cells/library_actions.html",
            {"record": record, "deletable": record.is_deletable},
        )
