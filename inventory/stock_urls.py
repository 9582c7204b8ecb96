from django.urls import path

from . import stock_views

urlpatterns = [
    path("<int:pk>/stock/", stock_views.StockEditView.as_view(), name="stock_edit"),
    path("stock/upload/", stock_views.StockUploadView.as_view(), name="stock_upload"),
]
