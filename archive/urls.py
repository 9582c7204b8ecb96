from django.urls import path

from . import views

app_name = "archive"

urlpatterns = [
    path("", views.ArchiveLibraryView.as_view(), name="library"),
]
