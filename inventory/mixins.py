"""What every seller-facing view shares: sign-in, the seller scope, the tabs."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q

from .context_processors import current_seller
from .exceptions import NotASeller
from .models import Order, Product


def tab_counts(seller):
    """The counts shown on the header's tabs, one query for the products."""
    counts = Product.objects.of_seller(seller).aggregate(
        active=Count("pk", filter=Q(archived_at__isnull=True)),
        archived=Count("pk", filter=Q(archived_at__isnull=False)),
    )
    counts["orders"] = Order.objects.of_seller(seller).awaiting_packaging().count()
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
