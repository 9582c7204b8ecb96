from django.urls import path

from . import search_views

app_name = "search"

urlpatterns = [
    path("", search_views.SearchView.as_view(), name="search"),
    path("<int:pk>/", search_views.ProductView.as_view(), name="product"),
    path("ordered/<int:pk>/", search_views.OrderedView.as_view(), name="ordered"),
]
