"""What the bench drives in the project, found at run time.

The services and the list's filter are imported when they exist; a scenario
whose feature is missing is reported as skipped rather than failing the run.
"""

import importlib

from inventory.models import Product


def _optional(module, name):
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return None


class Selections:
    """The querysets an "all matching" action receives for a search word."""

    def __init__(self, seller, list_params):
        self.seller = seller
        self.search_param = list_params["search"][0]
        self.product_filter = _optional("inventory.filters", "ProductFilter")

    def _filtered(self, base, word):
        if self.product_filter is None:
            return base.filter(name__icontains=word)
        filterset = self.product_filter(
            {self.search_param: word}, queryset=base, seller=self.seller
        )
        return filterset.qs

    def active_matching(self, word):
        return self._filtered(Product.objects.of_seller(self.seller).active(), word)

    def archived_matching(self, word):
        base = Product.objects.of_seller(self.seller).in_archive()
        return self._filtered(base, word)


def archive_services():
    module = _optional("archive", "services")
    if module is None:
        try:
            module = importlib.import_module("archive.services")
        except ImportError:
            return None
    needed = ("archive_products", "restore_products", "delete_products")
    return module if all(hasattr(module, n) for n in needed) else None


def hide_out_of_stock():
    return _optional("inventory.services.visibility", "hide_out_of_stock")


def place_order():
    return _optional("orders.services", "place_order")


def list_params():
    """Query parameters of the Product List: page, search, a stock state."""
    return {
        "page": "page",
        "search": ("q", "lot07"),
        "stock": ("stock", "out_of_stock"),
        "admin_stock": ("bench_stock", "out_of_stock"),
    }
