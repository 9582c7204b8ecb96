"""The Archive Library, and the POST endpoints of both Operation menus.

Every operation, whether chosen from a menu over ticked rows, over "all
matching this filter", or from a row's own button, arrives at an
``OperateView``: the selection is parsed (``inventory.bulk``), the service
runs, one message reports it, and the user lands back on the page they came
from with its filter, sort and page.
"""

import logging

from django.db.models import Exists, OuterRef
from django.shortcuts import render
from django.utils.translation import gettext_lazy, ngettext_lazy

from inventory.bulk import (
    BulkOperation,
    OperationRegistry,
    ResultWording,
    report_result,
)
from inventory.filters import ProductFilter
from inventory.mixins import tab_counts
from inventory.models import Product
from inventory.views import BulkOperateView, CsvExportView, SellerTableView

from .filters import ArchiveFilter
from .services import (
    archive_products,
    delete_products,
    deletion_preview,
    restore_products,
)
from .tables import ArchiveTable
from .wording import DONE_MESSAGES

logger = logging.getLogger(__name__)

PRODUCT_LIST_OPERATIONS = OperationRegistry(
    BulkOperation("archive", gettext_lazy("Archive"), archive_products),
)
LIBRARY_OPERATIONS = OperationRegistry(
    BulkOperation("restore", gettext_lazy("Restore"), restore_products),
    BulkOperation("delete", gettext_lazy("Delete"), delete_products, destructive=True),
)
PRODUCT_WORDING = ResultWording(
    left_unchanged=ngettext_lazy(
        "%(n)d product was left unchanged:",
        "%(n)d products were left unchanged:",
        "n",
    ),
    more=ngettext_lazy("…and %(n)d more product.", "…and %(n)d more products.", "n"),
)
# The confirmation page names at most this many of the products to delete.
CONFIRM_LISTED = 50


def library_queryset(seller):
    deletable = Product.objects.deletable().filter(pk=OuterRef("pk"))
    return (
        Product.objects.of_seller(seller)
        .in_archive()
        .with_stock()
        .select_related("archived_by")
        .annotate(is_deletable=Exists(deletable))
    )


class ArchiveLibraryView(SellerTableView):
    template_name = "archive/library.html"
    filterset_class = ArchiveFilter
    table_class = ArchiveTable
    active_tab = "archive"
    operations = LIBRARY_OPERATIONS
    operate_url_name = "archive:operate"
    export_url_name = "archive:export"

    def base_queryset(self):
        return library_queryset(self.seller)

    def get_operations(self):
        return self.operations.for_user(self.request.user)


class ArchiveExportView(CsvExportView):
    filterset_class = ArchiveFilter
    filename = "archive.csv"
    columns = (
        (gettext_lazy("Offer ID"), "offer_id"),
        (gettext_lazy("Name"), "name"),
        (gettext_lazy("SKU"), "sku"),
        (gettext_lazy("Moderation"), "moderation"),
        (gettext_lazy("Archived"), "archived_at"),
        (gettext_lazy("Archived by"), "archived_by__username"),
        (gettext_lazy("OZON warehouse"), "fbo_available"),
        (gettext_lazy("My warehouse"), "fbs_available"),
        (gettext_lazy("Reserved"), "reserved_units"),
    )

    def base_queryset(self):
        return Product.objects.of_seller(self.seller).in_archive().with_stock()


class OperateView(BulkOperateView):
    """The product tabs' operations: archive, restore, delete."""

    def confirm(self, operation, selection):
        """The page that names what a destructive operation will do."""
        listed, count, preview = deletion_preview(self.seller, selection.hint())
        context = {
            "operation": operation,
            "selection": selection,
            "to_delete": listed,
            "to_delete_count": count,
            "unlisted_count": max(count - len(listed), 0),
            "preview": preview,
            "action_url": self.request.get_full_path(),
            "cancel_url": self.return_url(),
            "active_tab": "archive",
            "tab_counts": tab_counts(self.seller),
        }
        return render(self.request, "archive/confirm_delete.html", context)

    def report(self, operation, result):
        report_result(
            self.request,
            result,
            done_message=DONE_MESSAGES[operation.key](result.done),
            wording=PRODUCT_WORDING,
            label=lambda refusal: refusal.offer_id or f"#{refusal.product_id}",
        )


class ProductListOperateView(OperateView):
    registry = PRODUCT_LIST_OPERATIONS
    filterset_class = ProductFilter
    return_url_name = "inventory:product_list"

    def base_queryset(self):
        return Product.objects.of_seller(self.seller).active()


class LibraryOperateView(OperateView):
    registry = LIBRARY_OPERATIONS
    filterset_class = ArchiveFilter
    return_url_name = "archive:library"

    def base_queryset(self):
        return Product.objects.of_seller(self.seller).in_archive()
