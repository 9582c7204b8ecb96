"""The staff admin for the ground floor's models.

Products (and the Archive Library proxy) are registered by ``archive.admin``,
orders by ``orders.admin``. Every changelist joins what its columns show
(``list_select_related``) so a page costs a fixed number of queries.
"""

import logging

from django import forms
from django.conf import settings
from django.contrib import admin
from django.db import transaction
from django.db.models import Count, F
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from .models import (
    ActivityEntry,
    ActivityItem,
    Seller,
    SellerMember,
    Stock,
    Warehouse,
)
from .services.activity import log_single
from .services.visibility import sync_out_of_stock

logger = logging.getLogger(__name__)


class SellerMemberInline(admin.TabularInline):
    model = SellerMember
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Seller)
class SellerAdmin(admin.ModelAdmin):
    list_display = ["name", "member_count", "product_count", "created_at"]
    search_fields = ["name", "members__user__username"]
    date_hierarchy = "created_at"
    inlines = [SellerMemberInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                _members=Count("members", distinct=True),
                _products=Count("products", distinct=True),
            )
        )

    @admin.display(description=_("members"), ordering="_members")
    def member_count(self, obj):
        return obj._members

    @admin.display(description=_("products"), ordering="_products")
    def product_count(self, obj):
        return obj._products


@admin.register(SellerMember)
class SellerMemberAdmin(admin.ModelAdmin):
    list_display = ["user", "seller", "user_email", "user_is_active"]
    list_filter = ["seller"]
    list_select_related = ["user", "seller"]
    search_fields = ["user__username", "user__email", "seller__name"]
    raw_id_fields = ["user"]

    @admin.display(description=_("e-mail"), ordering="user__email")
    def user_email(self, obj):
        return obj.user.email

    @admin.display(description=_("active"), boolean=True, ordering="user__is_active")
    def user_is_active(self, obj):
        return obj.user.is_active


@admin.register(Warehouse)
class WarehouseAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "seller"]
    list_filter = ["kind", "seller"]
    list_select_related = ["seller"]
    search_fields = ["name", "seller__name"]


class StockAdminForm(forms.ModelForm):
    class Meta:
        model = Stock
        fields = ["product", "warehouse", "present"]

    def clean_present(self):
        # The database refuses these too; here staff get a sentence instead
        # of the constraint's name.
        present = self.cleaned_data["present"]
        reserved = self.instance.reserved or 0
        if present is not None and present < reserved:
            raise forms.ValidationError(
                _(
                    "Present cannot be below the %(reserved)s units reserved "
                    "by open orders."
                )
                % {"reserved": reserved}
            )
        if present is not None and present > settings.MAX_STOCK:
            raise forms.ValidationError(
                _("At most %(cap)s units of a product fit in one warehouse.")
                % {"cap": number_format(settings.MAX_STOCK, force_grouping=True)}
            )
        return present


@admin.register(Stock)
class StockAdmin(admin.ModelAdmin):
    form = StockAdminForm
    list_display = [
        "product",
        "seller",
        "warehouse",
        "present",
        "reserved",
        "available",
        "updated_at",
    ]
    list_filter = ["warehouse__kind", "warehouse"]
    list_select_related = ["product", "product__seller", "warehouse"]
    search_fields = [
        "product__offer_id",
        "product__name",
        "=product__sku",
        "product__seller__name",
    ]
    raw_id_fields = ["product"]
    # Only orders move reserved units (placing, assembling, cancelling); an
    # edit here would leave reserved and the open orders disagreeing.
    readonly_fields = ["reserved", "updated_at"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(_available=F("present") - F("reserved"))
        )

    @admin.display(description=_("seller"), ordering="product__seller__name")
    def seller(self, obj):
        return obj.product.seller

    @admin.display(description=_("available"), ordering="_available")
    def available(self, obj):
        return obj.present - obj.reserved

    def save_model(self, request, obj, form, change):
        # A staff correction is a stock change like any other: the
        # out-of-stock clock follows it and the activity log records it.
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            self._after_stock_change(request, obj)

    def delete_model(self, request, obj):
        with transaction.atomic():
            super().delete_model(request, obj)
            self._after_stock_change(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            rows = list(queryset.values_list("product_id", "product__seller_id"))
            super().delete_queryset(request, queryset)
            sellers = Seller.objects.in_bulk({seller_id for _, seller_id in rows})
            for seller_id, seller in sellers.items():
                products = [p for p, s in rows if s == seller_id]
                sync_out_of_stock(products)
                log_single(
                    ActivityEntry.Operation.SET_STOCK,
                    products,
                    seller=seller,
                    actor=request.user,
                    details={"source": "admin", "deleted_rows": len(products)},
                )

    def _after_stock_change(self, request, obj):
        sync_out_of_stock([obj.product_id])
        log_single(
            ActivityEntry.Operation.SET_STOCK,
            [obj.product_id],
            seller=obj.product.seller,
            actor=request.user,
            details={
                "source": "admin",
                "warehouse": obj.warehouse_id,
                "present": obj.present,
            },
        )
        logger.info(
            "admin stock change: product %s warehouse %s present %s by user %s",
            obj.product_id,
            obj.warehouse_id,
            obj.present,
            request.user.pk,
        )


class ActivityItemInline(admin.TabularInline):
    model = ActivityItem
    fields = ["product_id", "offer_id", "name", "present", "reserved"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ActivityEntry)
class ActivityEntryAdmin(admin.ModelAdmin):
    """The activity log: evidence of who changed what, so nobody edits it."""

    list_display = ["created_at", "operation", "seller", "actor", "count"]
    list_filter = ["operation", "seller"]
    list_select_related = ["seller", "actor"]
    search_fields = ["items__offer_id", "items__name", "=items__product_id"]
    date_hierarchy = "created_at"
    fields = ["created_at", "operation", "seller", "actor", "count", "details"]
    readonly_fields = fields
    inlines = [ActivityItemInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
