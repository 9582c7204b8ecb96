"""The Product List table. Rows come annotated by ``with_stock()`` and
``with_open_order_count()``, so no cell runs a query of its own."""

from dataclasses import dataclass

import django_tables2 as tables
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

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
        badges.append(
            Badge(
                ngettext(
                    "Out of stock for %(n)d day", "Out of stock for %(n)d days", days
                )
                % {"n": days},
                "",
            )
        )
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


class ProductTable(tables.Table):
    selection = tables.CheckBoxColumn(
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
        template_name = "includes/table.html"
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
        return render_to_string(
            "inventory/cells/reserved.html", {"record": record, "units": value}
        )

    def render_status(self, record):
        return badges_html(status_badges(record, getattr(self, "now", None)))

    def render_actions(self, record):
        return render_to_string(
            "inventory/cells/product_actions.html",
            {"record": record, "blockers": reasons.archive_blockers(record)},
        )

    def value_moderation(self, record):
        return record.get_moderation_display()

    def value_status(self, record):
        return ", ".join(b.text for b in status_badges(record))


MODERATION_TONES = {"approved": "ok", "failed": "bad", "pending": ""}


def badge(text, tone):
    return format_html('<span class="badge {}">{}</span>', tone, text)


def badges_html(badges):
    return format_html_join(
        "", '<span class="badge {}">{}</span>', ((b.tone, b.text) for b in badges)
    )
