from django.views.generic import TemplateView

from inventory.mixins import SellerRequiredMixin


class OrderListView(SellerRequiredMixin, TemplateView):
    template_name = "orders/order_list.html"
    extra_context = {"active_tab": "orders"}
