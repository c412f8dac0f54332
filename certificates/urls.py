"""URLs of the certificates app (the public verification page is at /verify/, see ocop/urls.py)."""
from django.urls import path

from .views import certificates as views
from .views import register_import

app_name = "certificates"
urlpatterns = [
    path("", views.certificate_list_view, name="list"),
    path("export/", views.certificate_export, name="export"),
    path("import/", register_import.register_import_view, name="import"),
    path("expiry/", views.expiry_view, name="expiry"),
    path("expiry/export/", views.expiry_export, name="expiry-export"),
    path("<int:pk>/", views.certificate_detail, name="detail"),
    path("<int:pk>/pdf/", views.certificate_download, name="pdf"),
    path("<int:pk>/revoke/", views.certificate_revoke_view, name="revoke"),
    path("<int:pk>/renew/", views.certificate_renew_view, name="renew"),
    path("decisions/<int:pk>/issue/", views.decision_issue, name="decision-issue"),
    path("jobs/<int:pk>/", views.job_progress, name="job-progress"),
]
