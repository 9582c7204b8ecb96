"""Staff side of orders: the order admin, and supply receipts.

Nothing here writes stock or order state itself: placing an order, Assemble,
Cancel and a supply receipt call the same services as the dashboard, so the
reservation rules, the out-of-stock clock and the activity log hold here too.
"""

import logging

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.db.models import Count, Sum
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from inventory.exceptions import DomainError
from inventory.forms import WholeNumberField
from inventory.models import Order, OrderLine, Product, Stock, Warehouse
from inventory.services.stock import receive_supply

from .services import assemble_orders, cancel_orders, place_order

logger = logging.getLogger(__name__)

MAX_ADMIN_LINES = 10


def _product_widget(site):
    return ForeignKeyRawIdWidget(
        OrderLine._meta.get_field("product").remote_field, site
    )


class OrderLineInline(admin.TabularInline):
    """The lines as placed; they cannot change without breaking reservations."""

    model = OrderLine
    fields = ["product", "warehouse", "quantity"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class PlaceOrderForm(forms.Form):
    buyer_name = forms.CharField(label=gettext_lazy("Buyer name"), max_length=200)
    buyer_email = forms.EmailField(label=gettext_lazy("Buyer e-mail"))


class OrderLineForm(forms.Form):
    product = forms.ModelChoiceField(
        label=gettext_lazy("Product"), queryset=Product.objects.all()
    )
    warehouse = forms.ModelChoiceField(
        label=gettext_lazy("Warehouse"), queryset=Warehouse.objects.all()
    )
    quantity = WholeNumberField(label=gettext_lazy("Quantity"), min_value=1)


OrderLineFormSet = forms.formset_factory(
    OrderLineForm,
    extra=3,
    max_num=MAX_ADMIN_LINES,
    validate_max=True,
    min_num=1,
    validate_min=True,
)


class SupplyForm(forms.Form):
    product = forms.ModelChoiceField(
        label=gettext_lazy("Product"), queryset=Product.objects.all()
    )
    warehouse = forms.ModelChoiceField(
        label=gettext_lazy("OZON warehouse"),
        queryset=Warehouse.objects.filter(kind=Warehouse.Kind.MARKETPLACE),
    )
    quantity = WholeNumberField(
        label=gettext_lazy("Units received"),
        min_value=1,
        help_text=gettext_lazy("Added to the units present in the warehouse."),
    )


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ["id", "seller", "state", "buyer_name", "placed_at", "units"]
    list_filter = ["state", "seller"]
    list_select_related = ["seller"]
    search_fields = ["=id", "buyer_name", "buyer_email", "lines__product__offer_id"]
    date_hierarchy = "placed_at"
    fields = [
        "seller",
        "state",
        "buyer_name",
        "buyer_email",
        "placed_at",
        "assembled_at",
        "cancelled_at",
    ]
    # State and times move only through Assemble and Cancel.
    readonly_fields = [
        "seller",
        "state",
        "placed_at",
        "assembled_at",
        "cancelled_at",
    ]
    inlines = [OrderLineInline]
    actions = ["assemble", "cancel"]
    change_list_template = "orders/admin/order_change_list.html"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(_units=Sum("lines__quantity"), _lines=Count("lines"))
        )

    @admin.display(description=gettext_lazy("units"), ordering="_units")
    def units(self, obj):
        return obj._units

    def has_delete_permission(self, request, obj=None):
        # Deleting an order would leave its units reserved forever; cancel it.
        return False

    def get_urls(self):
        own = [
            path(
                "supply/",
                self.admin_site.admin_view(self.supply_view),
                name="orders_supply_receipt",
            ),
        ]
        return own + super().get_urls()

    # Actions: the dashboard's services, staff scope (seller=None).

    @admin.action(description=gettext_lazy("Assemble selected orders"))
    def assemble(self, request, queryset):
        self._report(request, assemble_orders(None, queryset, actor=request.user))

    @admin.action(description=gettext_lazy("Cancel selected orders"))
    def cancel(self, request, queryset):
        self._report(request, cancel_orders(None, queryset, actor=request.user))

    def _report(self, request, result):
        if result.done:
            self.message_user(
                request,
                ngettext("%(n)d order changed.", "%(n)d orders changed.", result.done)
                % {"n": result.done},
                messages.SUCCESS,
            )
        for refusal in result.refused:
            self.message_user(
                request,
                _("%(order)s: %(reason)s")
                % {"order": refusal.name, "reason": refusal.reason},
                messages.WARNING,
            )

    # Placing an order: the add page runs place_order, all lines or none.

    def add_view(self, request, form_url="", extra_context=None):
        form = PlaceOrderForm(request.POST or None)
        lines = OrderLineFormSet(request.POST or None, prefix="lines")
        for line_form in lines.forms + [lines.empty_form]:
            line_form.fields["product"].widget = _product_widget(self.admin_site)
        if request.method == "POST" and form.is_valid() and lines.is_valid():
            rows = [
                (
                    f.cleaned_data["product"],
                    f.cleaned_data["warehouse"],
                    f.cleaned_data["quantity"],
                )
                for f in lines.forms
                if f.cleaned_data
            ]
            try:
                order = place_order(rows, actor=request.user, **form.cleaned_data)
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                self.log_addition(request, order, [{"added": {}}])
                self.message_user(
                    request,
                    _("Order %(id)s placed; its units are reserved.")
                    % {"id": order.pk},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(
                    reverse("admin:inventory_order_change", args=[order.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Place an order"),
            "opts": self.opts,
            "form": form,
            "lines": lines,
            "media": self.media + form.media + lines.media,
        }
        return TemplateResponse(request, "orders/admin/place_order.html", context)

    # Supply receipts into an OZON warehouse.

    def supply_view(self, request):
        form = SupplyForm(request.POST or None)
        form.fields["product"].widget = _product_widget(self.admin_site)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                stock = receive_supply(
                    data["product"],
                    data["warehouse"],
                    data["quantity"],
                    actor=request.user,
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                self.message_user(
                    request,
                    _(
                        "%(n)s units of “%(name)s” received into %(warehouse)s; "
                        "%(present)s present now."
                    )
                    % {
                        "n": data["quantity"],
                        "name": data["product"].name,
                        "warehouse": data["warehouse"].name,
                        "present": stock.present,
                    },
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(
                    reverse("admin:inventory_stock_changelist")
                    + f"?product__id__exact={stock.product_id}"
                )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Receive a supply"),
            "opts": Stock._meta,
            "form": form,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "orders/admin/supply.html", context)
