"""The Product List: a filtered, sorted, paginated table of the seller's
products, and its CSV export. The operations on a selection are posted to
the archive app's URL (named in the template), so nothing here imports it."""

import csv
import logging
from dataclasses import dataclass
from functools import partial

from django.contrib import messages
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.http import HttpResponseRedirect, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from django.views import View
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from .bulk import parse_selection
from .exceptions import SelectionError
from .filters import ProductFilter
from .mixins import SellerRequiredMixin
from .models import Product
from .paginators import CappedPaginator
from .tables import ProductTable

logger = logging.getLogger(__name__)

PAGE_SIZES = (25, 50, 100)


@dataclass(frozen=True)
class MenuItem:
    """An Operation menu entry whose handler lives in another app."""

    key: str
    label: str
    destructive: bool = False


# Query-string keys that are not filters, dropped when a filter is rebuilt.
NON_FILTER_KEYS = ("page", "per_page", "sort")


class SellerTableView(SellerRequiredMixin, SingleTableMixin, FilterView):
    """A seller's filtered table: filter, sort, page and size in the URL.

    Subclasses give ``filterset_class``, ``table_class`` and ``base_queryset``.
    Every row figure comes from annotations, so a page costs the same few
    queries whether it shows 25 rows or 100.
    """

    active_tab = None
    operations = ()  # MenuItem or inventory.bulk.BulkOperation entries
    # The selection banner's sentences, in the list's own noun.
    page_selected_text = ngettext_lazy(
        "The %(n)s product on this page is selected.",
        "All %(n)s products on this page are selected.",
        "n",
    )
    all_selected_text = _("All %(n)s products matching this filter are selected.")
    operate_url_name = None
    export_url_name = None

    def base_queryset(self):
        raise NotImplementedError

    def get_operations(self):
        return list(self.operations or ())

    def get_queryset(self):
        return self.base_queryset()

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["seller"] = self.seller
        return kwargs

    def page_size(self):
        try:
            size = int(self.request.GET.get("per_page", PAGE_SIZES[0]))
        except ValueError:
            return PAGE_SIZES[0]
        return size if size in PAGE_SIZES else PAGE_SIZES[0]

    def sort_terms(self, table):
        """The ``sort`` parameter's terms that name a sortable column."""
        sortable = {column.name for column in table.columns if column.orderable}
        terms = self.request.GET.get(table.prefixed_order_by_field, "").split(",")
        return [term for term in terms if term.removeprefix("-") in sortable]

    def get_table(self, **kwargs):
        table = self.get_table_class()(
            data=self.get_table_data(), **self.get_table_kwargs(), **kwargs
        )
        # Sorting from the URL, but only by the table's own sortable columns:
        # anything else in ``sort`` is ignored rather than handed to
        # django-tables2 as an accessor. Pagination by hand so that the page
        # size is one of PAGE_SIZES and a page past the end shows the last one
        # (after an archive emptied it) instead of a 404.
        order_by = self.sort_terms(table)
        if order_by:
            table.order_by = order_by
        # The count stops at COUNT_CAP rows, so a page view costs the same at
        # 10k and at 1M products (inventory/paginators.py).
        paginate = partial(
            table.paginate,
            paginator_class=CappedPaginator,
            per_page=self.page_size(),
        )
        try:
            paginate(page=self.request.GET.get("page", 1))
        except PageNotAnInteger:
            paginate(page=1)
        except EmptyPage:
            paginate(page=table.paginator.num_pages)
        # render_table gives its template a fresh context: carry these along.
        table.page_sizes = PAGE_SIZES
        table.page_size = self.page_size()
        return table

    def selection_texts(self, table):
        on_page = len(table.page.object_list)
        return {
            "page": self.page_selected_text % {"n": on_page},
            "all": self.all_selected_text % {"n": table.paginator.count_label},
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        filter_query = query.copy()
        for key in NON_FILTER_KEYS:
            filter_query.pop(key, None)
        context.update(
            active_tab=self.active_tab,
            page_sizes=PAGE_SIZES,
            page_size=self.page_size(),
            query_string=query.urlencode(),
            filter_query_string=filter_query.urlencode(),
            is_filtered=any(v for k, v in filter_query.items()),
            operations=self.get_operations(),
            selection_texts=self.selection_texts(context["table"]),
            operate_url_name=self.operate_url_name,
            export_url_name=self.export_url_name,
        )
        return context


class BulkOperateView(SellerRequiredMixin, View):
    """Run one registered operation over a posted selection (POST only).

    Every list's Operation menu and row buttons post here. Subclasses give
    ``registry``, ``filterset_class``, ``return_url_name``, ``base_queryset()``
    (the seller's rows of that tab), ``report()``, and ``confirm()`` when the
    registry holds a destructive operation; ``selection_wording`` words the
    selection's warnings in the list's noun (see ``parse_selection``).
    """

    http_method_names = ["post"]
    registry = None
    filterset_class = None
    return_url_name = None
    selection_wording = {}

    def base_queryset(self):
        raise NotImplementedError

    def confirm(self, operation, selection):
        raise NotImplementedError

    def report(self, operation, result):
        raise NotImplementedError

    def return_url(self):
        # The form posts to this URL with the page's own query string, so the
        # way back keeps its filter, sort and page.
        url = reverse(self.return_url_name)
        query = self.request.GET.urlencode()
        return f"{url}?{query}" if query else url

    def selection(self):
        return parse_selection(
            self.request.POST,
            self.request.GET,
            self.base_queryset(),
            self.filterset_class,
            request=self.request,
            **self.selection_wording,
        )

    def post(self, request, *args, **kwargs):
        operation = self.registry.get(request.POST.get("operation", ""))
        if operation is None or not operation.allowed_for(request.user):
            messages.warning(request, _("Choose an operation from the menu."))
            return HttpResponseRedirect(self.return_url())
        try:
            selection = self.selection()
        except SelectionError as error:
            messages.warning(request, error.message)
            return HttpResponseRedirect(self.return_url())
        # A destructive operation first shows what it will do; only the POST
        # from that page, with ``confirmed``, runs it.
        if operation.destructive and request.POST.get("confirmed") != "yes":
            return self.confirm(operation, selection)
        result = operation.run(self.seller, selection.hint(), actor=request.user)
        self.report(operation, result)
        return HttpResponseRedirect(self.return_url())


class ProductListView(SellerTableView):
    template_name = "inventory/product_list.html"
    filterset_class = ProductFilter
    table_class = ProductTable
    active_tab = "products"
    operate_url_name = "archive:operate_products"
    export_url_name = "inventory:product_export"

    def base_queryset(self):
        return (
            Product.objects.of_seller(self.seller)
            .active()
            .with_stock()
            .with_open_order_count()
        )

    # The archive app runs the operation (its view owns the registry); the
    # menu only names it, so this app does not import the archive app.
    operations = (MenuItem("archive", _("Archive")),)


class Echo:
    """A file-like object whose write returns the line, for streaming CSV."""

    def write(self, value):
        return value


class CsvExportView(SellerRequiredMixin, View):
    """Stream the filtered list as CSV, one row at a time.

    ``values_list(...).iterator()`` keeps memory flat however large the
    catalogue: no model instances, no full result held in Python.
    """

    filterset_class = ProductFilter
    filename = "products.csv"
    columns = ()  # (header, values_list path)

    def base_queryset(self):
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        filterset = self.filterset_class(
            data=request.GET or None,
            queryset=self.base_queryset(),
            request=request,
            seller=self.seller,
        )
        queryset = filterset.qs if filterset.is_bound else filterset.queryset
        if filterset.is_bound and not filterset.is_valid():
            queryset = queryset.none()
        rows = queryset.order_by("pk").values_list(*(p for _h, p in self.columns))
        writer = csv.writer(Echo())

        def lines():
            yield writer.writerow([str(header) for header, _p in self.columns])
            for row in rows.iterator(chunk_size=2000):
                yield writer.writerow(self.format_row(row))

        logger.info("csv export: seller=%s file=%s", self.seller.pk, self.filename)
        response = StreamingHttpResponse(lines(), content_type="text/csv")
        stamp = timezone.now().strftime("%Y%m%d-%H%M")
        name = self.filename.replace(".csv", f"-{stamp}.csv")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    def format_row(self, row):
        return [csv_cell(value) for value in row]


# A spreadsheet runs a cell that starts with one of these as a formula; a
# product named "=HYPERLINK(...)" must arrive as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class ProductExportView(CsvExportView):
    filename = "products.csv"
    columns = (
        (_("Offer ID"), "offer_id"),
        (_("Name"), "name"),
        (_("SKU"), "sku"),
        (_("Moderation"), "moderation"),
        (_("OZON warehouse"), "fbo_available"),
        (_("My warehouse"), "fbs_available"),
        (_("Reserved"), "reserved_units"),
        (_("Out of stock since"), "out_of_stock_since"),
        (_("Hidden from search at"), "hidden_from_search_at"),
    )

    def base_queryset(self):
        return Product.objects.of_seller(self.seller).active().with_stock()
