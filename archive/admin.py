"""Staff admin for products and the Archive Library.

The actions call the same services as the dashboard, with ``seller=None``
(staff act across sellers), so the rules hold here too. Django's own delete
is switched off for products: it would delete without the rule.
"""

from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from inventory.models import Product, Stock

from .models import ArchivedProduct
from .services import (
    archive_products,
    delete_products,
    deletion_preview,
    restore_products,
)
from .wording import DONE_MESSAGES

# The admin's message lists this many refusals; the rest are counted.
ADMIN_LISTED_REFUSALS = 10


class StockInline(admin.TabularInline):
    model = Stock
    extra = 0
    fields = ["warehouse", "present", "reserved"]
    # Stock changes go through the stock services (which keep the
    # out-of-stock clock and the log); the inline only shows it.
    readonly_fields = ["warehouse", "present", "reserved"]
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("warehouse")

    def has_add_permission(self, request, obj=None):
        return False


def report(model_admin, request, result, done_text):
    if result.done:
        model_admin.message_user(
            request, done_text % {"n": result.done}, messages.SUCCESS
        )
    if result.refused_total:
        listed = "; ".join(
            f"{r.offer_id or f'#{r.product_id}'}: {r.reason}"
            for r in result.refused[:ADMIN_LISTED_REFUSALS]
        )
        more = result.refused_total - min(len(result.refused), ADMIN_LISTED_REFUSALS)
        text = ngettext(
            "%(n)d product was left unchanged: %(list)s",
            "%(n)d products were left unchanged: %(list)s",
            result.refused_total,
        ) % {"n": result.refused_total, "list": listed}
        if more:
            text += " " + ngettext("(and %(n)d more)", "(and %(n)d more)", more) % {
                "n": more
            }
        model_admin.message_user(request, text, messages.WARNING)


class BaseProductAdmin(admin.ModelAdmin):
    list_display = [
        "offer_id",
        "name",
        "seller",
        "sku",
        "moderation",
        "fbo_available",
        "fbs_available",
        "reserved_units",
        "archived_at",
    ]
    list_filter = [
        "moderation",
        ("archived_at", admin.EmptyFieldListFilter),
        ("hidden_from_search_at", admin.EmptyFieldListFilter),
        "seller",
    ]
    search_fields = ["offer_id", "name", "seller__name"]
    list_select_related = ["seller", "archived_by"]
    readonly_fields = [
        "archived_at",
        "archived_by",
        "out_of_stock_since",
        "hidden_from_search_at",
        "created_at",
        "updated_at",
    ]
    raw_id_fields = ["seller"]
    inlines = [StockInline]

    def get_queryset(self, request):
        return super().get_queryset(request).with_stock()

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(
            request, queryset, search_term
        )
        term = search_term.strip()
        # isdigit() is also true of "²", which int() refuses: ASCII digits only.
        if term.isascii() and term.isdigit() and len(term) < 19:
            queryset |= self.get_queryset(request).filter(sku=int(term))
        return queryset, may_have_duplicates

    def has_delete_permission(self, request, obj=None):
        # Deleting bypasses the rule (archived, never approved) and the log;
        # the Archive Library's "Delete" action is the way.
        return False

    @admin.display(description=_("OZON warehouse"), ordering="fbo_available")
    def fbo_available(self, obj):
        return obj.fbo_available

    @admin.display(description=_("My warehouse"), ordering="fbs_available")
    def fbs_available(self, obj):
        return obj.fbs_available

    @admin.display(description=_("reserved"), ordering="reserved_units")
    def reserved_units(self, obj):
        return obj.reserved_units


@admin.register(Product)
class ProductAdmin(BaseProductAdmin):
    actions = ["archive_selected"]

    @admin.action(description=_("Archive the selected products"))
    def archive_selected(self, request, queryset):
        result = archive_products(None, queryset, actor=request.user)
        report(
            self,
            request,
            result,
            DONE_MESSAGES["archive"](result.done),
        )


@admin.register(ArchivedProduct)
class ArchivedProductAdmin(BaseProductAdmin):
    actions = ["restore_selected", "delete_selected_products"]
    list_display = [
        "offer_id",
        "name",
        "seller",
        "sku",
        "moderation",
        "archived_at",
        "archived_by",
    ]
    list_filter = ["moderation", "seller"]

    def get_queryset(self, request):
        return super().get_queryset(request).in_archive()

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Restore the selected products"))
    def restore_selected(self, request, queryset):
        result = restore_products(None, queryset, actor=request.user)
        report(
            self,
            request,
            result,
            DONE_MESSAGES["restore"](result.done),
        )

    @admin.action(description=_("Delete the selected products permanently"))
    def delete_selected_products(self, request, queryset):
        """Confirm first (a POST that changes nothing), then delete."""
        if request.POST.get("confirmed") != "yes":
            listed, count, preview = deletion_preview(None, queryset)
            context = {
                **self.admin_site.each_context(request),
                "title": _("Delete products permanently?"),
                "opts": self.model._meta,
                "to_delete": listed,
                "to_delete_count": count,
                "unlisted_count": max(count - len(listed), 0),
                "preview": preview,
                "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
                "select_across": request.POST.get("select_across", "0"),
                "action": "delete_selected_products",
            }
            return TemplateResponse(
                request, "admin/archive/confirm_delete.html", context
            )
        result = delete_products(None, queryset, actor=request.user)
        report(
            self,
            request,
            result,
            DONE_MESSAGES["delete"](result.done),
        )
        return None
