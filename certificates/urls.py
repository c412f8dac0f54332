"""URLs of the certificates app (the public verification page is at /verify/, see ocop/urls.py)."""
from django.urls import path

from .views import certificates as views
from .views import inspections, register_import

app_name = "certificates"
urlpatterns = [
    path("", views.certificate_list_view, name="list"),
    path("export/", views.certificate_export, name="export"),
    path("import/", register_import.register_import_view, name="import"),
    path("import/sample/", register_import.register_sample, name="import-sample"),
    path("expiry/", views.expiry_view, name="expiry"),
    path("expiry/export/", views.expiry_export, name="expiry-export"),
    path("<int:pk>/", views.certificate_detail, name="detail"),
    path("<int:pk>/pdf/", views.certificate_download, name="pdf"),
    path("<int:pk>/revoke/", views.certificate_revoke_view, name="revoke"),
    path("<int:pk>/renew/", views.certificate_renew_view, name="renew"),
    path("decisions/<int:pk>/issue/", views.decision_issue, name="decision-issue"),
    path("jobs/<int:pk>/", views.job_progress, name="job-progress"),
    # Inspections after recognition
    path("<int:pk>/inspections/new/", inspections.certificate_inspection_record, name="inspection-record"),
    path("<int:pk>/inspections/schedule/", inspections.certificate_inspection_schedule, name="inspection-schedule"),
    path("inspections/", inspections.inspection_list_view, name="inspection-list"),
    path("inspections/<int:pk>/", inspections.inspection_detail, name="inspection-detail"),
    path("inspections/<int:pk>/result/", inspections.inspection_result, name="inspection-result"),
    path("inspections/<int:pk>/evidence/", inspections.inspection_evidence, name="inspection-evidence"),
    path("inspections/<int:pk>/close/", inspections.inspection_close, name="inspection-close"),
    path("inspections/files/<int:pk>/", inspections.inspection_file, name="inspection-file"),
    path("inspections/plans/", inspections.plan_list_view, name="inspection-plan-list"),
    path("inspections/plans/new/", inspections.plan_create, name="inspection-plan-create"),
    path("inspections/plans/<int:pk>/", inspections.plan_detail, name="inspection-plan-detail"),
    path("inspections/plans/<int:pk>/edit/", inspections.plan_edit, name="inspection-plan-edit"),
    path("inspections/plans/<int:pk>/record/", inspections.plan_inspection_record, name="plan-inspection-record"),
    path("inspections/plans/<int:pk>/schedule/", inspections.plan_inspection_schedule,
         name="plan-inspection-schedule"),
]
