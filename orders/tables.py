"""The Orders tab's table. Rows come annotated (units, lines, first product),
so no cell runs a query of its own."""

import django_tables2 as tables
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from inventory.models import Order
from inventory.tables import label_cells, selection_column

STATE_TONES = {
    Order.State.AWAITING_PACKAGING: "info",
    Order.State.ASSEMBLED: "ok",
    Order.State.CANCELLED: "",
}


class OrderTable(tables.Table):
    selection = selection_column()
    id = tables.Column(
        verbose_name=_("Order"), linkify=("orders:order_detail", [tables.A("pk")])
    )
    placed_at = tables.DateTimeColumn(verbose_name=_("Placed"), format="Y-m-d H:i")
    buyer_name = tables.Column(verbose_name=_("Buyer"))
    products = tables.Column(
        verbose_name=_("Products"),
        accessor="first_product",
        orderable=False,
        attrs={"td": {"class": "name"}},
    )
    units = tables.Column(
        verbose_name=_("Units"), attrs={"th": {"class": "num"}, "td": {"class": "num"}}
    )
    state = tables.Column(verbose_name=_("State"))
    actions = tables.Column(
        verbose_name="",
        orderable=False,
        empty_values=(),
        attrs={"td": {"class": "actions"}},
    )

    class Meta:
        model = Order
        fields = ()
        sequence = (
            "selection",
            "id",
            "placed_at",
            "buyer_name",
            "products",
            "units",
            "state",
            "actions",
        )
        template_name = "includes/table.html"
        attrs = {"class": "table", "data-testid": "order-table"}
        row_attrs = {"data-order-id": lambda record: record.pk}
        empty_text = _("No orders match this filter.")
        order_by = ("-placed_at",)

    def render_id(self, value):
        return _("No. %(id)s") % {"id": value}

    def render_products(self, record, value):
        more = record.line_count - 1
        if more > 0:
            return format_html(
                '{} <span class="muted">{}</span>',
                value,
                _("+%(n)s more") % {"n": more},
            )
        return value

    def render_state(self, record):
        return format_html(
            '<span class="badge {}">{}</span>',
            STATE_TONES[record.state],
            record.get_state_display(),
        )

    def render_actions(self, record):
        return render_to_string("orders/cells/order_actions.html", {"record": record})

    def value_state(self, record):
        return record.get_state_display()


label_cells(OrderTable)
