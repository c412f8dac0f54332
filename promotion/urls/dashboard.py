"""URLs of the programme dashboard and its reports (mounted at /dashboard/)."""
from django.urls import path

from ..views import dashboard as views

app_name = "dashboard"
urlpatterns = [
    path("", views.dashboard, name="index"),
    path("report/", views.report_download, name="report"),
]
