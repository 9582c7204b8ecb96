from django.urls import include, path

from . import views

app_name = "inventory"

urlpatterns = [
    path("", views.ProductListView.as_view(), name="product_list"),
    path("export.csv", views.ProductExportView.as_view(), name="product_export"),
    # Stock editing and the CSV upload (orders issue) live in their own module.
    path("", include("inventory.stock_urls")),
]
