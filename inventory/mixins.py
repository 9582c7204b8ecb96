"""What every seller-facing view shares: sign-in, the seller scope, the tabs."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied

from .context_processors import current_seller
from .exceptions import NotASeller
from .models import Order, Product
from .paginators import COUNT_CAP, capped_counts, count_label


def tab_counts(seller):
    """The counts shown on the header's tabs, in one query.

    Each count stops at COUNT_CAP (and reads "10,000+" above it): the header
    is on every page, and an exact count of a million-product catalogue
    would cost more than the page it sits on (inventory/paginators.py).
    ``<tab>_label`` is the text to show.
    """
    products = Product.objects.of_seller(seller)
    querysets = {
        "active": products.active(),
        "archived": products.in_archive(),
        "orders": Order.objects.of_seller(seller).awaiting_packaging(),
    }
    counts = {}
    for key, value in zip(
        querysets, capped_counts(querysets.values(), COUNT_CAP), strict=True
    ):
        counts[key] = min(value, COUNT_CAP)
        counts[f"{key}_label"] = count_label(counts[key], value > COUNT_CAP)
    return counts


class SellerRequiredMixin(LoginRequiredMixin):
    """Require a signed-in member of a seller; expose it as ``self.seller``.

    Every queryset a seller view touches starts from ``self.seller``, so an ID
    of another seller's object is simply not found (404), as an unknown one.
    """

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.seller = current_seller(request)
        if self.seller is None:
            raise PermissionDenied(NotASeller.default_message)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["tab_counts"] = tab_counts(self.seller)
        return context
