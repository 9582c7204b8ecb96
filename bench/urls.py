"""The project's URLs plus the bench's baselines: a trivial view and an admin
site whose Product changelist pages like the Product List."""

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns

from .admin import site


def healthz(request):
    """The trivial view the load test compares the Product List with."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/healthz", healthz, name="bench_healthz"),
    path("bench-admin/", site.urls),
    *project_urlpatterns,
]
