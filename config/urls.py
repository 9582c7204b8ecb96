from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="inventory:product_list"), name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("products/", include("inventory.urls")),
    path("archive/", include("archive.urls")),
    path("orders/", include("orders.urls")),
    path("search/", include("orders.search_urls")),
    path(settings.ADMIN_URL, admin.site.urls),
]
