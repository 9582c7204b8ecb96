"""Stock editing forms: one product's warehouses, and the CSV upload.

Both speak of *available* units (what buyers can still order), as the
marketplace's own stock update does; the reserved units are kept on top.
"""

import csv
import io
from dataclasses import dataclass, field

from django import forms
from django.conf import settings
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .forms import WholeNumberField, is_plain_integer
from .models import Product, Stock, Warehouse
from .services.stock import StockChange

# An upload larger than this is refused before it is read.
MAX_UPLOAD_BYTES = 1_000_000
MAX_UPLOAD_ROWS = 5_000
HEADER_NAMES = {
    "offer_id": {"offer id", "offer_id", "offerid", "article"},
    "warehouse": {"warehouse", "warehouse name"},
    "quantity": {"quantity", "available", "stock"},
}


def number(value):
    return number_format(value, force_grouping=True)


class StockEditForm(forms.Form):
    """Available units of one product in each of the seller's warehouses."""

    def __init__(self, *args, warehouses, stock, **kwargs):
        super().__init__(*args, **kwargs)
        self.warehouses = warehouses
        self.stock = stock
        for warehouse in warehouses:
            row = stock.get(warehouse.pk)
            reserved = row.reserved if row else 0
            self.fields[self.key(warehouse)] = WholeNumberField(
                label=warehouse.name,
                min_value=0,
                max_value=settings.MAX_STOCK - reserved,
                initial=row.available if row else 0,
                help_text=gettext_lazy(
                    "Available to buyers; %(reserved)s more are reserved by orders."
                )
                % {"reserved": reserved},
            )
            self.fields[self.key(warehouse)].reserved = reserved

    @staticmethod
    def key(warehouse):
        return f"warehouse_{warehouse.pk}"

    def changes(self, product):
        """The rows whose figure the seller changed."""
        result = []
        for warehouse in self.warehouses:
            value = self.cleaned_data[self.key(warehouse)]
            row = self.stock.get(warehouse.pk)
            if row is None or row.available != value:
                result.append(StockChange(product.pk, warehouse.pk, value))
        return result


class StockUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        help_text=gettext_lazy(
            "Columns: offer ID, warehouse, quantity (available units). "
            "First row is the header."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s; split it into smaller files.")
                % {"limit": filesizeformat(MAX_UPLOAD_BYTES)}
            )
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(
                _("The file is not UTF-8 text; save it as “CSV UTF-8” and retry.")
            ) from None


@dataclass
class PreviewRow:
    number: int
    offer_id: str
    name: str
    warehouse: str
    reserved: int
    before: int
    after: int


@dataclass
class ParsedUpload:
    changes: list = field(default_factory=list)
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)


def _header_columns(header):
    names = [cell.strip().lower() for cell in header]
    columns = {}
    for key, accepted in HEADER_NAMES.items():
        for index, name in enumerate(names):
            if name in accepted:
                columns[key] = index
                break
    return columns if len(columns) == len(HEADER_NAMES) else None


def _reader(text):
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return csv.reader(io.StringIO(text), dialect)


def parse_stock_csv(seller, text):
    """Check every row of an upload against the seller's own data.

    Returns the changes, a preview of each row, and an error per bad row;
    rows are numbered as a spreadsheet shows them (the header is row 1).
    Three queries whatever the row count: products, warehouses, stock.
    """
    parsed = ParsedUpload()
    try:
        rows = list(_reader(text))
    except csv.Error:
        # A cell past csv's field size limit, or a stray quote or NUL byte.
        parsed.errors.append(
            _(
                "The file could not be read as CSV; check that it is saved as "
                "CSV text and that no cell is longer than %(limit)s characters."
            )
            % {"limit": number(csv.field_size_limit())}
        )
        return parsed
    rows = [
        (n, row) for n, row in enumerate(rows, start=1) if any(c.strip() for c in row)
    ]
    if not rows:
        parsed.errors.append(_("The file is empty."))
        return parsed
    (_n, header), body = rows[0], rows[1:]
    columns = _header_columns(header)
    if columns is None:
        parsed.errors.append(
            _(
                "Row 1: the header must name the columns “offer ID”, “warehouse” "
                "and “quantity”."
            )
        )
        return parsed
    limit = getattr(settings, "STOCK_UPLOAD_MAX_ROWS", MAX_UPLOAD_ROWS)
    if len(body) > limit:
        parsed.errors.append(
            _("The file has %(rows)s rows; at most %(limit)s are accepted at once.")
            % {"rows": number(len(body)), "limit": number(limit)}
        )
        return parsed
    if not body:
        parsed.errors.append(_("The file has a header but no rows."))
        return parsed

    width = max(columns.values()) + 1
    cells = [
        (n, [row[i].strip() if i < len(row) else "" for i in range(width)])
        for n, row in body
    ]
    offer_ids = {row[columns["offer_id"]] for _n, row in cells}
    products = {
        p.offer_id: p
        for p in Product.objects.of_seller(seller)
        .filter(offer_id__in=offer_ids)
        .only("pk", "offer_id", "name", "archived_at")
    }
    warehouses = {
        w.name.casefold(): w
        for w in Warehouse.objects.filter(
            Q(seller=seller) | Q(kind=Warehouse.Kind.MARKETPLACE)
        )
    }
    stock = {
        (s.product_id, s.warehouse_id): s
        for s in Stock.objects.filter(product__in=[p.pk for p in products.values()])
    }
    # A row longer than the header most often holds "2,500" unquoted in a
    # comma-separated file: reading its first cells would set 2, not 2500.
    overlong = {n for n, row in body if any(c.strip() for c in row[len(header) :])}
    seen = {}
    for n, row in cells:
        if n in overlong:
            parsed.errors.append(
                _(
                    "Row %(row)s has more cells than the header; write numbers "
                    "without a thousands separator (2500, not 2,500)."
                )
                % {"row": n}
            )
            continue
        try:
            change, preview = _check_row(
                n, row, columns, products, warehouses, stock, seen
            )
        except RowError as error:
            parsed.errors.append(str(error))
        else:
            parsed.changes.append(change)
            parsed.rows.append(preview)
    return parsed


class RowError(Exception):
    """A bad row of an upload; the message names the row."""


def _check_row(n, row, columns, products, warehouses, stock, seen):
    """Return the row's StockChange and preview, or raise RowError."""
    offer_id = row[columns["offer_id"]]
    warehouse_name = row[columns["warehouse"]]
    raw = row[columns["quantity"]].replace(" ", "").replace("\u00a0", "")
    context = {"row": n, "offer": offer_id, "warehouse": warehouse_name, "value": raw}

    if not offer_id:
        raise RowError(_("Row %(row)s: the offer ID is empty.") % context)
    product = products.get(offer_id)
    if product is None:
        raise RowError(
            _("Row %(row)s: no product with offer ID “%(offer)s” in your catalogue.")
            % context
        )
    if product.archived_at is not None:
        raise RowError(
            _(
                "Row %(row)s: “%(offer)s” is in the Archive Library; restore it "
                "to change its stock."
            )
            % context
        )
    warehouse = warehouses.get(warehouse_name.casefold())
    if warehouse is None:
        raise RowError(
            _("Row %(row)s: you have no warehouse named “%(warehouse)s”.") % context
        )
    if warehouse.kind == Warehouse.Kind.MARKETPLACE:
        raise RowError(
            _(
                "Row %(row)s: “%(warehouse)s” is an OZON warehouse; its stock "
                "changes only when the marketplace receives a supply."
            )
            % context
        )
    try:
        if not is_plain_integer(raw):
            raise ValueError(raw)  # "٣" or "1_000": int() would take them
        quantity = int(raw)
    except ValueError:
        raise RowError(
            _("Row %(row)s: the quantity “%(value)s” is not a whole number.") % context
        ) from None
    if quantity < 0:
        raise RowError(
            _("Row %(row)s: the quantity %(value)s is negative; 0 is the least.")
            % context
        )
    row_stock = stock.get((product.pk, warehouse.pk))
    reserved = row_stock.reserved if row_stock else 0
    context.update(
        cap=number(settings.MAX_STOCK),
        value=number(quantity),
        reserved=number(reserved),
    )
    if quantity > settings.MAX_STOCK:
        raise RowError(
            _("Row %(row)s: the quantity %(value)s is above the cap of %(cap)s.")
            % context
        )
    if quantity + reserved > settings.MAX_STOCK:
        raise RowError(
            _(
                "Row %(row)s: %(value)s available plus %(reserved)s reserved would "
                "be above the cap of %(cap)s."
            )
            % context
        )
    pair = (product.pk, warehouse.pk)
    if pair in seen:
        context["first"] = seen[pair]
        raise RowError(
            _(
                "Row %(row)s: “%(offer)s” in “%(warehouse)s” is already set on "
                "row %(first)s."
            )
            % context
        )
    seen[pair] = n
    preview = PreviewRow(
        number=n,
        offer_id=product.offer_id,
        name=product.name,
        warehouse=warehouse.name,
        reserved=reserved,
        before=row_stock.available if row_stock else 0,
        after=quantity,
    )
    return StockChange(product.pk, warehouse.pk, quantity), preview
