"""The Orders tab: the seller's orders, their Operation menu, an order page.

Assemble and Cancel, from the menu over ticked rows or "all matching this
filter", from a row's buttons or from the order page, all post to
``OrderOperateView``, which runs the one service and reports one message.
"""

import logging

from django.db.models import Count, OuterRef, Prefetch, Subquery, Sum
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy, ngettext, ngettext_lazy
from django.views.generic import DetailView

from inventory.bulk import (
    BulkOperation,
    OperationRegistry,
    ResultWording,
    report_result,
)
from inventory.mixins import SellerRequiredMixin, tab_counts
from inventory.models import Order, OrderLine, Product, Stock
from inventory.views import BulkOperateView, SellerTableView

from .filters import OrderFilter
from .services import assemble_orders, cancel_orders
from .tables import OrderTable

logger = logging.getLogger(__name__)

ORDER_OPERATIONS = OperationRegistry(
    BulkOperation("assemble", gettext_lazy("Assemble"), assemble_orders),
    BulkOperation("cancel", gettext_lazy("Cancel"), cancel_orders, destructive=True),
)

DONE_MESSAGES = {
    "assemble": lambda n: ngettext(
        "%(n)d order assembled: its units left the warehouse.",
        "%(n)d orders assembled: their units left the warehouse.",
        n,
    ),
    "cancel": lambda n: ngettext(
        "%(n)d order cancelled: its units are available again.",
        "%(n)d orders cancelled: their units are available again.",
        n,
    ),
}
ORDER_WORDING = ResultWording(
    left_unchanged=ngettext_lazy(
        "%(n)d order was left unchanged:",
        "%(n)d orders were left unchanged:",
        "n",
    ),
    more=ngettext_lazy("…and %(n)d more order.", "…and %(n)d more orders.", "n"),
)
TOO_MANY_ORDERS = ngettext_lazy(
    'At most %(cap)d order can be ticked at once; choose "all matching this '
    'filter" instead.',
    'At most %(cap)d orders can be ticked at once; choose "all matching this '
    'filter" instead.',
    "cap",
)
# The cancel confirmation page names at most this many orders.
CONFIRM_LISTED = 50


def order_queryset(seller):
    """The seller's orders annotated with what the table shows per row."""
    first_line = OrderLine.objects.filter(order=OuterRef("pk")).order_by("pk")
    return (
        Order.objects.of_seller(seller)
        .annotate(
            units=Sum("lines__quantity"),
            line_count=Count("lines"),
            first_product=Subquery(first_line.values("product__name")[:1]),
        )
        .order_by("-placed_at", "-id")
    )


class OrderListView(SellerTableView):
    template_name = "orders/order_list.html"
    filterset_class = OrderFilter
    table_class = OrderTable
    active_tab = "orders"
    operations = ORDER_OPERATIONS
    page_selected_text = ngettext_lazy(
        "The %(n)s order on this page is selected.",
        "All %(n)s orders on this page are selected.",
        "n",
    )
    all_selected_text = gettext_lazy(
        "All %(n)s orders matching this filter are selected."
    )
    operate_url_name = "orders:operate"

    def base_queryset(self):
        return order_queryset(self.seller)

    def get_operations(self):
        return self.operations.for_user(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        product_id = (
            self.filterset.form.cleaned_data.get("product")
            if (self.filterset.is_bound and self.filterset.is_valid())
            else None
        )
        if product_id is not None:
            context["filtered_product"] = (
                Product.objects.of_seller(self.seller).filter(pk=product_id).first()
            )
        return context


class OrderDetailView(SellerRequiredMixin, DetailView):
    template_name = "orders/order_detail.html"
    context_object_name = "order"

    def get_queryset(self):
        lines = OrderLine.objects.select_related("product", "warehouse").order_by("pk")
        return Order.objects.of_seller(self.seller).prefetch_related(
            Prefetch("lines", queryset=lines)
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        lines = list(self.object.lines.all())
        stock = {
            (row.product_id, row.warehouse_id): row
            for row in Stock.objects.filter(
                product_id__in=[line.product_id for line in lines]
            )
        }
        for line in lines:
            line.stock = stock.get((line.product_id, line.warehouse_id))
        context.update(
            active_tab="orders",
            lines=lines,
            operations=ORDER_OPERATIONS.for_user(self.request.user),
            next_url=self.request.get_full_path(),
        )
        return context


class OrderOperateView(BulkOperateView):
    """Run Assemble or Cancel over a posted selection of orders (POST only)."""

    registry = ORDER_OPERATIONS
    filterset_class = OrderFilter
    return_url_name = "orders:order_list"
    selection_wording = {
        "nothing_selected": gettext_lazy("No orders were selected."),
        "too_many": TOO_MANY_ORDERS,
    }

    def base_queryset(self):
        return Order.objects.of_seller(self.seller)

    def return_url(self):
        # The order page's buttons come back to it through ``next``.
        target = self.request.POST.get("next", "")
        if target and url_has_allowed_host_and_scheme(
            target,
            allowed_hosts={self.request.get_host()},
            require_https=self.request.is_secure(),
        ):
            return target
        return super().return_url()

    def confirm(self, operation, selection):
        """Name the orders a cancel will release before it runs."""
        to_cancel = selection.queryset.awaiting_packaging().order_by("-placed_at")
        count = to_cancel.count()
        listed = list(to_cancel[:CONFIRM_LISTED])
        context = {
            "operation": operation,
            "selection": selection,
            "to_cancel": listed,
            "to_cancel_count": count,
            "unlisted_count": max(count - len(listed), 0),
            "left_alone_count": selection.queryset.count() - count,
            "action_url": self.request.get_full_path(),
            "next_url": self.request.POST.get("next", ""),
            "back_url": self.return_url(),
            "active_tab": "orders",
            "tab_counts": tab_counts(self.seller),
        }
        return render(self.request, "orders/confirm_cancel.html", context)

    def report(self, operation, result):
        report_result(
            self.request,
            result,
            done_message=DONE_MESSAGES[operation.key](result.done),
            wording=ORDER_WORDING,
            label=lambda refusal: refusal.name,
            listed=CONFIRM_LISTED,
        )
