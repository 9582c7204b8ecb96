from django.views.generic import TemplateView

from inventory.mixins import SellerRequiredMixin


class ArchiveLibraryView(SellerRequiredMixin, TemplateView):
    template_name = "archive/library.html"
    extra_context = {"active_tab": "archive"}
