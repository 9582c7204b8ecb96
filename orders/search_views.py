"""The buyers' marketplace search: find a product, order it, see the order.

Public pages: no sign-in, no buyer accounts. Buyers only ever see products
that are ``visible_in_search()``; anything else is a 404, as if unknown.
"""

import logging
from functools import reduce
from operator import and_

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import F, Max, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from inventory.exceptions import InsufficientStock
from inventory.models import Order, Product, Stock

from .exceptions import InvalidOrder
from .search_forms import BuyForm, SearchForm
from .services import place_order

logger = logging.getLogger(__name__)

PAGE_SIZE = 24
# The buyer's own recent orders, by ID, kept in the session: the only orders
# the confirmation page will show, since buyers have no accounts.
SESSION_ORDERS = "search_orders"
SESSION_ORDERS_KEPT = 20
BIGINT_MAX = 2**63 - 1


def storefront_products():
    """Every product buyers may find, with its stock figures for the card."""
    return (
        Product.objects.visible_in_search()
        .select_related("seller")
        .with_stock()
        .annotate(available=F("fbo_available") + F("fbs_available"))
    )


def _word_filter(word):
    match = Q(name__icontains=word) | Q(offer_id__iexact=word)
    # isdigit() is also true of "²", which int() refuses: ASCII digits only.
    if word.isascii() and word.isdigit() and int(word) <= BIGINT_MAX:
        match |= Q(sku=int(word))
    return match


class SearchView(View):
    template_name = "orders/search.html"

    def get(self, request):
        form = SearchForm(request.GET)
        words = form.words()
        products = storefront_products().order_by("-id")
        if words:
            products = products.filter(reduce(and_, map(_word_filter, words)))
        page = Paginator(products, PAGE_SIZE).get_page(request.GET.get("page"))
        return render(
            request,
            self.template_name,
            {"form": form, "query": " ".join(words), "page_obj": page},
        )


def _shortage_message(product, quantity):
    """Say how much the buyer can still order of ``product`` in one go."""
    best = (
        Stock.objects.filter(product=product)
        .able_to_supply(1)
        .aggregate(most=Max(F("present") - F("reserved")))["most"]
        or 0
    )
    if best == 0:
        return _("Sorry, “%(name)s” has just sold out.") % {"name": product.name}
    return ngettext(
        "Sorry, only %(count)d unit of “%(name)s” can be ordered now.",
        "Sorry, only %(count)d units of “%(name)s” can be ordered now.",
        best,
    ) % {"count": best, "name": product.name}


class ProductView(View):
    template_name = "orders/search_product.html"

    def get_product(self, pk):
        return get_object_or_404(storefront_products(), pk=pk)

    def render_page(self, request, product, form, *, error=None, status=200):
        context = {"product": product, "form": form, "error": error}
        return render(request, self.template_name, context, status=status)

    def get(self, request, pk):
        return self.render_page(request, self.get_product(pk), BuyForm())

    def post(self, request, pk):
        product = self.get_product(pk)
        form = BuyForm(request.POST)
        if not form.is_valid():
            return self.render_page(request, product, form, status=400)
        quantity = form.cleaned_data["quantity"]
        stock = (
            Stock.objects.filter(product=product)
            .able_to_supply(quantity)
            .select_related("warehouse")
            .first()
        )
        if stock is None:
            return self.sold_out(request, product, form, quantity)
        try:
            order = place_order(
                [(product, stock.warehouse, quantity)],
                buyer_name=form.cleaned_data["buyer_name"],
                buyer_email=form.cleaned_data["buyer_email"],
            )
        except InsufficientStock:
            # Another buyer took the units between our look and the reserve.
            return self.sold_out(request, product, form, quantity)
        except InvalidOrder as error:
            return self.render_page(
                request, product, form, error=error.message, status=400
            )
        remembered = request.session.get(SESSION_ORDERS, [])
        request.session[SESSION_ORDERS] = [order.pk, *remembered][:SESSION_ORDERS_KEPT]
        messages.success(
            request,
            _("Thank you! Your order No. %(number)s has been placed.")
            % {"number": order.pk},
        )
        return redirect("search:ordered", pk=order.pk)

    def sold_out(self, request, product, form, quantity):
        logger.info(
            "search order refused: product=%s quantity=%d (not enough stock)",
            product.pk,
            quantity,
        )
        product = self.get_product(product.pk)
        return self.render_page(
            request,
            product,
            form,
            error=_shortage_message(product, quantity),
            status=409,
        )


class OrderedView(View):
    """The confirmation of an order this browser placed."""

    template_name = "orders/search_ordered.html"

    def get(self, request, pk):
        if pk not in request.session.get(SESSION_ORDERS, []):
            raise Http404
        order = get_object_or_404(
            Order.objects.prefetch_related("lines__product", "lines__warehouse"),
            pk=pk,
        )
        return render(request, self.template_name, {"order": order})
