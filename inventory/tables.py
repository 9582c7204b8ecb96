"""The Product List table. Rows come annotated by ``with_stock()`` and
``with_open_order_count()``, so no cell runs a query of its own."""

from dataclasses import dataclass

import django_tables2 as tables
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import localize
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from . import reasons
from .models import Product


@dataclass(frozen=True)
class Badge:
    text: str
    tone: str  # ok, warn, bad, info or "" (neutral): a CSS class


def days_out_of_stock(product, now):
    if product.out_of_stock_since is None:
        return None
    return max((now - product.out_of_stock_since).days, 0)


def status_badges(product, now=None):
    """The Product List's status badges for one annotated row."""
    now = now or timezone.now()
    badges = []
    days = days_out_of_stock(product, now)
    available = product.fbo_available + product.fbs_available
    if product.moderation == Product.Moderation.FAILED:
        badges.append(Badge(str(_("Failed moderation")), "bad"))
    elif product.moderation == Product.Moderation.PENDING:
        badges.append(Badge(str(_("Pending moderation")), ""))
    if product.hidden_from_search_at is not None:
        badges.append(Badge(str(_("Hidden from search")), "bad"))
    elif available and product.moderation == Product.Moderation.APPROVED:
        badges.append(Badge(str(_("In sale")), "ok"))
    if days is not None:
        text = (
            ngettext("Out of stock for %(n)d day", "Out of stock for %(n)d days", days)
            % {"n": days}
            if days
            else str(_("Out of stock since today"))
        )
        badges.append(Badge(text, ""))
        hide_after = settings.HIDE_OUT_OF_STOCK_AFTER_DAYS
        if product.hidden_from_search_at is None and days >= min(
            settings.HIDE_WARNING_FROM_DAYS, hide_after
        ):
            left = max(hide_after - days, 0)
            text = (
                ngettext(
                    "Hides from search in %(n)d day",
                    "Hides from search in %(n)d days",
                    left,
                )
                % {"n": left}
                if left
                else str(_("Hides from search today"))
            )
            badges.append(Badge(text, "warn"))
    elif not available:
        badges.append(Badge(str(_("Out of stock")), ""))
    if product.reserved_units:
        badges.append(Badge(str(_("Reserved — standby")), "info"))
    return badges


def selection_column():
    """The checkbox column every bulk table starts with (static/js/app.js
    finds the header box by ``data-select-page`` and the rows by ``ids``)."""
    return tables.CheckBoxColumn(
        accessor="pk",
        attrs={
            "th__input": {
                "data-select-page": "",
                "aria-label": _("Select all on this page"),
            },
            "td__input": {"name": "ids", "aria-label": _("Select")},
            "th": {"class": "check"},
            "td": {"class": "check"},
        },
        orderable=False,
    )


class ProductTable(tables.Table):
    selection = selection_column()
    offer_id = tables.Column(verbose_name=_("Offer ID"))
    name = tables.Column(verbose_name=_("Name"), attrs={"td": {"class": "name"}})
    sku = tables.Column(verbose_name=_("SKU"), default="—")
    moderation = tables.Column(verbose_name=_("Moderation"))
    fbo_available = tables.Column(
        verbose_name=_("OZON warehouse"),
        attrs={"th": {"class": "num"}, "td": {"class": "num"}},
    )
    fbs_available = tables.Column(
        verbose_name=_("My warehouse"),
        attrs={"th": {"class": "num"}, "td": {"class": "num"}},
    )
    reserved_units = tables.Column(
        verbose_name=_("Reserved"),
        attrs={"th": {"class": "num"}, "td": {"class": "num"}},
    )
    status = tables.Column(
        verbose_name=_("Status"),
        orderable=False,
        empty_values=(),
        attrs={"td": {"class": "status-cell"}},
    )
    actions = tables.Column(
        verbose_name="",
        orderable=False,
        empty_values=(),
        attrs={"td": {"class": "actions"}},
    )

    class Meta:
        model = Product
        fields = ()
        sequence = (
            "selection",
            "offer_id",
            "name",
            "sku",
            "moderation",
            "fbo_available",
            "fbs_available",
            "reserved_units",
            "status",
            "actions",
        )
        template_name = "inventory/product_table.html"
        attrs = {"class": "table", "data-testid": "product-table"}
        row_attrs = {"data-offer-id": lambda record: record.offer_id}
        empty_text = _("No products match this filter.")
        order_by = ("-id",)

    def before_render(self, request):
        self.now = timezone.now()

    def render_moderation(self, record):
        return format_html(
            '<span class="moderation {}">{}</span>',
            record.moderation,
            record.get_moderation_display(),
        )

    def render_sku(self, value):
        return str(value)

    def render_reserved_units(self, record, value):
        return reserved_cell(record, value)

    def render_status(self, record):
        return badges_html(status_badges(record, getattr(self, "now", None)))

    def render_actions(self, record):
        return actions_cell(record)

    def body_html(self):
        """The rows of the page, each cell by the function that renders it.

        The same markup django-tables2's template makes, built in one pass:
        its generic path inspects a render method's signature and renders a
        template for every cell, which took about two thirds of the Product
        List's server time, more than the whole admin changelist
        (docs/benchmarks.md). A column without a fast cell below falls back
        to django-tables2's own cell.
        """
        now = getattr(self, "now", None) or timezone.now()
        orders_url = reverse("orders:order_list")
        # Translated once per page rather than once per row.
        select = str(_("Select"))
        moderation = {
            value: format_html('<span class="moderation {}">{}</span>', value, label)
            for value, label in Product.Moderation.choices
        }
        fast = {
            "selection": lambda r: format_html(
                '<input type="checkbox" name="ids" value="{}" aria-label="{}" />',
                r.pk,
                select,
            ),
            "offer_id": lambda r: conditional_escape(r.offer_id),
            "name": lambda r: conditional_escape(r.name),
            "sku": lambda r: "—" if r.sku is None else str(r.sku),
            "moderation": lambda r: (
                moderation.get(r.moderation) or self.render_moderation(r)
            ),
            "fbo_available": lambda r: str(r.fbo_available),
            "fbs_available": lambda r: str(r.fbs_available),
            "reserved_units": lambda r: reserved_cell(r, r.reserved_units, orders_url),
            "status": lambda r: badges_html(status_badges(r, now)),
            "actions": actions_cell,
        }
        # A subclass (the Archive Library's) that renders a column its own
        # way keeps django-tables2's cell for it.
        for name in list(fast):
            method = f"render_{name}"
            if getattr(type(self), method, None) is not getattr(
                ProductTable, method, None
            ):
                del fast[name]
        columns = [
            (c.name, format_html("<td {}>", c.attrs["td"].as_html()))
            for c in self.columns
        ]
        rows = []
        for row in self.paginated_rows:
            record = row.record
            cells = []
            for name, td in columns:
                render = fast.get(name)
                cell = render(record) if render else _cell_html(row.get_cell(name))
                cells.append(f"{td}{cell}</td>")
            rows.append(f"<tr {row.attrs.as_html()}>{''.join(cells)}</tr>")
        return mark_safe("".join(rows))

    def value_moderation(self, record):
        return record.get_moderation_display()

    def value_status(self, record):
        return ", ".join(b.text for b in status_badges(record))


def _cell_html(value):
    """A cell value as the table template would print it."""
    return conditional_escape(localize(template_localtime(value)))


def reserved_cell(record, units, orders_url=None):
    """Reserved units, and a link to the open orders that hold them."""
    if not units:
        return mark_safe('<span class="muted">0</span>')
    html = format_html('<span class="num-strong">{}</span>', units)
    if record.open_orders:
        text = ngettext(
            "reserved by %(n)s order", "reserved by %(n)s orders", record.open_orders
        ) % {"n": record.open_orders}
        html += format_html(
            '<br><a class="small-link" href="{}?product={}">{}</a>',
            orders_url or reverse("orders:order_list"),
            record.pk,
            text,
        )
    return html


def actions_cell(record):
    """The row's Edit stock link, then its Archive button (or why not)."""
    edit = format_html(
        '<a class="small-link" href="{}" data-testid="edit-stock-{}">{}</a> ',
        reverse("inventory:stock_edit", args=[record.pk]),
        record.offer_id,
        gettext("Edit stock"),
    )
    return edit + archive_action(record)


def archive_action(record):
    """The row's Archive button, or why the product cannot be archived."""
    blockers = reasons.archive_blockers(record)
    if blockers:
        return format_html(
            '<span class="why-not" title="{}">{}</span>',
            gettext("Only products with no stock and no reservation can be archived."),
            " · ".join(str(b) for b in blockers),
        )
    return format_html(
        '<button type="submit" class="btn small" form="row-archive" name="ids" '
        'value="{}" data-testid="archive-{}">{}</button>',
        record.pk,
        record.offer_id,
        gettext("Archive"),
    )


MODERATION_TONES = {"approved": "ok", "failed": "bad", "pending": ""}


def badge(text, tone):
    return format_html('<span class="badge {}">{}</span>', tone, text)


def badges_html(badges):
    return format_html_join(
        "", '<span class="badge {}">{}</span>', ((b.tone, b.text) for b in badges)
    )


def label_cells(table_class):
    """Give every body cell its column's name as ``data-label``, which the
    phone layout shows beside the value when a row becomes a card."""
    for column in table_class.base_columns.values():
        attrs = dict(column.attrs or {})
        td = dict(attrs.get("td", {}))
        td.setdefault("data-label", column.verbose_name or "")
        attrs["td"] = td
        column.attrs = attrs
    return table_class


label_cells(ProductTable)
