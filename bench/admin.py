"""The baseline staff would otherwise use: the Django admin's changelist.

The bench registers the project's own Product admin (archive/admin.py) on a
site of its own, changed in one way only: the page size is the Product
List's, so both pages show the same number of rows. Without a project admin
for Product, a plain ModelAdmin with a search box and a stock filter stands in.
"""

from django.contrib import admin

from inventory.models import Product

site = admin.AdminSite(name="bench_admin")


class StockStateFilter(admin.SimpleListFilter):
    """Stock state as the Product List offers it, for the stand-in admin."""

    title = "stock"
    parameter_name = "bench_stock"

    def lookups(self, request, model_admin):
        return [("out_of_stock", "out of stock"), ("in_stock", "in stock")]

    def queryset(self, request, queryset):
        if self.value() == "out_of_stock":
            return queryset.out_of_stock()
        if self.value() == "in_stock":
            return queryset.in_stock()
        return queryset


class PlainProductAdmin(admin.ModelAdmin):
    list_display = ("offer_id", "name", "seller", "moderation", "archived_at")
    list_filter = (StockStateFilter, "moderation")
    search_fields = ("name", "offer_id")


def project_product_admin():
    """The project's Product admin class, or None when there is none yet."""
    model_admin = admin.site._registry.get(Product)
    return type(model_admin) if model_admin is not None else None


def configure(page_size):
    """Register Product on the bench site with the Product List's page size.

    Returns the admin class used and whether it is the project's own.
    """
    base = project_product_admin()
    own = base is not None
    parent = base or PlainProductAdmin
    # The admin has no stock-state filter of its own: the bench adds the
    # Product List's, so that both pages answer the same question.
    list_filter = list(parent.list_filter)
    if StockStateFilter not in list_filter:
        list_filter.append(StockStateFilter)
    bench_admin = type(
        "BenchProductAdmin",
        (parent,),
        {
            "list_per_page": page_size,
            "list_filter": list_filter,
            "__module__": __name__,
        },
    )
    if site.is_registered(Product):
        site.unregister(Product)
    site.register(Product, bench_admin)
    # The project admin's related models (seller links, inlines) resolve
    # through the bench site too.
    for model, model_admin in admin.site._registry.items():
        if model is not Product and not site.is_registered(model):
            site.register(model, type(model_admin))
    return bench_admin, own
