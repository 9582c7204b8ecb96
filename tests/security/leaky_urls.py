"""A URLconf with a view that forgets the seller scope, for the self-check."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path

from inventory.models import Product


def unscoped_product(request, pk):
    # The bug the tenancy matrix exists to catch: no of_seller(...) here.
    product = get_object_or_404(Product.objects.all(), pk=pk)
    return HttpResponse(product.name)


urlpatterns = [path("leaky/<int:pk>/", unscoped_product, name="leaky")]
