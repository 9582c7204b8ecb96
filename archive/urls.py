from django.urls import path

from . import views

app_name = "archive"

urlpatterns = [
    path("", views.ArchiveLibraryView.as_view(), name="library"),
    path("export.csv", views.ArchiveExportView.as_view(), name="export"),
    # The Operation menus post here: the library's own, and the Product List's
    # (whose selection is rebuilt with the Product List's filter).
    path("operate/", views.LibraryOperateView.as_view(), name="operate"),
    path(
        "operate/products/",
        views.ProductListOperateView.as_view(),
        name="operate_products",
    ),
]
