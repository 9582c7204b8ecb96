"""Out-of-stock tracking: the clock that hide_out_of_stock reads.

Every stock change anywhere calls :func:`sync_out_of_stock` inside its own
transaction, so stock and clock never disagree.
"""

import logging

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from ..models import Product

logger = logging.getLogger(__name__)


@transaction.atomic
def sync_out_of_stock(products, now=None):
    """Keep ``out_of_stock_since`` true to the stock of ``products``.

    ``products`` is a queryset (or list of IDs) of the products whose stock
    just changed. When available reached 0 everywhere the clock starts now;
    when it rose again the clock is cleared and the product is visible in
    search again. Two set-based UPDATEs; call it inside the stock change's
    transaction so nobody sees stock and clock disagree.
    """
    now = now or timezone.now()
    if not isinstance(products, QuerySet):
        products = Product.objects.filter(pk__in=list(products))
    started = (
        products.filter(out_of_stock_since__isnull=True)
        .out_of_stock()
        .update(out_of_stock_since=now)
    )
    restocked = (
        products.filter(
            Q(out_of_stock_since__isnull=False) | Q(hidden_from_search_at__isnull=False)
        )
        .in_stock()
        .update(out_of_stock_since=None, hidden_from_search_at=None)
    )
    if started or restocked:
        logger.info("out-of-stock clock: %d started, %d cleared", started, restocked)
    return started, restocked
