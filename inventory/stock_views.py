"""Stock editing in the dashboard: one product's form, and the CSV upload.

The upload is all or nothing, with a preview: a file with any bad row is
sent back with an error per row and changes nothing; a clean file is shown
row by row (before and after) and applied, in one transaction, only when the
seller confirms. The checked rows wait in the session between the two steps.
"""

import logging
import uuid

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from .exceptions import InvalidStock
from .mixins import SellerRequiredMixin, tab_counts
from .models import Product, Stock, Warehouse
from .services.stock import StockChange, set_stocks
from .stock_forms import (
    StockEditForm,
    StockUploadForm,
    parse_stock_csv,
)

logger = logging.getLogger(__name__)

SESSION_KEY = "stock_upload"


class StockPageMixin(SellerRequiredMixin):
    def render_page(self, template, **context):
        context.update(active_tab="products", tab_counts=tab_counts(self.seller))
        return render(self.request, template, context)


class StockEditView(StockPageMixin, View):
    """Set the available units of one product in each of the seller's warehouses."""

    template_name = "inventory/stock_edit.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.pk = kwargs["pk"]

    def load(self):
        product = get_object_or_404(Product.objects.of_seller(self.seller), pk=self.pk)
        warehouses = list(
            Warehouse.objects.filter(seller=self.seller, kind=Warehouse.Kind.SELLER)
        )
        rows = Stock.objects.filter(product=product).select_related("warehouse")
        marketplace = [
            r for r in rows if r.warehouse.kind == Warehouse.Kind.MARKETPLACE
        ]
        own = {r.warehouse_id: r for r in rows if r.warehouse.seller_id is not None}
        return product, warehouses, own, marketplace

    def page(self, form, product, marketplace):
        return self.render_page(
            self.template_name,
            form=form,
            product=product,
            marketplace_rows=marketplace,
        )

    def get(self, request, *args, **kwargs):
        product, warehouses, own, marketplace = self.load()
        form = StockEditForm(warehouses=warehouses, stock=own)
        return self.page(form, product, marketplace)

    def post(self, request, *args, **kwargs):
        product, warehouses, own, marketplace = self.load()
        form = StockEditForm(request.POST, warehouses=warehouses, stock=own)
        if product.archived_at is not None or not form.is_valid():
            return self.page(form, product, marketplace)
        changes = form.changes(product)
        if not changes:
            messages.info(request, _("Nothing changed."))
            return HttpResponseRedirect(reverse("inventory:product_list"))
        try:
            set_stocks(self.seller, changes, actor=request.user)
        except InvalidStock as error:
            form.add_error(None, error.message)
            return self.page(form, product, marketplace)
        messages.success(
            request,
            _("Stock of “%(name)s” saved.") % {"name": product.name},
        )
        return HttpResponseRedirect(reverse("inventory:product_list"))


class StockUploadView(StockPageMixin, View):
    """Upload a CSV of available units; preview it; apply it on confirmation."""

    template_name = "inventory/stock_upload.html"

    def get(self, request, *args, **kwargs):
        return self.render_page(self.template_name, form=StockUploadForm())

    def post(self, request, *args, **kwargs):
        if request.POST.get("action") == "apply":
            return self.apply()
        form = StockUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_page(self.template_name, form=form)
        parsed = parse_stock_csv(self.seller, form.cleaned_data["file"])
        if parsed.errors:
            return self.render_page(
                self.template_name, form=StockUploadForm(), errors=parsed.errors
            )
        token = uuid.uuid4().hex
        request.session[SESSION_KEY] = {
            "token": token,
            "changes": [
                [c.product_id, c.warehouse_id, c.available] for c in parsed.changes
            ],
        }
        return self.render_page(
            self.template_name,
            form=StockUploadForm(),
            preview=parsed.rows,
            token=token,
        )

    def apply(self):
        request = self.request
        pending = request.session.get(SESSION_KEY)
        if not pending or pending.get("token") != request.POST.get("token"):
            messages.warning(
                request,
                _(
                    "This preview has expired or was already applied; upload the "
                    "file again."
                ),
            )
            return HttpResponseRedirect(reverse("inventory:stock_upload"))
        changes = [StockChange(*row) for row in pending["changes"]]
        try:
            count = set_stocks(self.seller, changes, actor=request.user)
        except InvalidStock as error:
            # Something changed since the preview (an archive, an order that
            # pushed a row over the cap): nothing was applied.
            messages.error(
                request,
                _("Nothing was applied: %(reason)s") % {"reason": error.message},
            )
            return HttpResponseRedirect(reverse("inventory:stock_upload"))
        del request.session[SESSION_KEY]
        messages.success(
            request,
            ngettext(
                "Stock updated from the file: %(n)d row applied.",
                "Stock updated from the file: %(n)d rows applied.",
                count,
            )
            % {"n": count},
        )
        return HttpResponseRedirect(reverse("inventory:product_list"))
