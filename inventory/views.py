from django.views.generic import TemplateView

from .mixins import SellerRequiredMixin


class ProductListView(SellerRequiredMixin, TemplateView):
    template_name = "inventory/product_list.html"
    extra_context = {"active_tab": "products"}
