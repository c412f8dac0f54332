"""URLs of products, business plans and dossiers."""
from django.urls import path

from ..views import catalog as views
from ..views import intake

urlpatterns = [
    path("", views.product_list_view, name="list"),
    path("export/", views.product_export, name="export"),
    path("<int:pk>/", views.product_detail, name="detail"),
    path("<int:pk>/edit/", views.product_edit, name="edit"),
    path("<int:pk>/photos/", views.product_photos, name="photos"),
    path("photos/<int:pk>/", views.photo_download, name="photo"),
    # Business plans (steps 3-4)
    path("plans/", views.plan_list_view, name="plan-list"),
    path("plans/export/", views.plan_export, name="plan-export"),
    path("plans/new/<int:idea_pk>/", views.plan_create, name="plan-create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan-detail"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan-edit"),
    path("plans/<int:pk>/document/", views.plan_document, name="plan-document"),
    path("plans/<int:pk>/product/", views.plan_product_create, name="plan-product-create"),
    path("plans/<int:plan_pk>/milestones/new/", views.milestone_edit, name="milestone-create"),
    path("plans/milestones/<int:pk>/edit/", views.milestone_edit, name="milestone-edit"),
    path("plans/milestones/<int:pk>/delete/", views.milestone_delete, name="milestone-delete"),
    path("plans/<int:plan_pk>/support/new/", views.support_edit, name="support-create"),
    path("plans/support/<int:pk>/edit/", views.support_edit, name="support-edit"),
    path("plans/support/<int:pk>/delete/", views.support_delete, name="support-delete"),
    # Dossiers for evaluation
    path("dossiers/", views.dossier_list_view, name="dossier-list"),
    path("dossiers/export/", views.dossier_export, name="dossier-export"),
    path("dossiers/new/<int:product_pk>/", views.dossier_create, name="dossier-create"),
    path("dossiers/send/", intake.dossier_send, name="dossier-send"),
    path("dossiers/lists/", intake.dossier_lists, name="dossier-lists"),
    path("dossiers/<int:pk>/", views.dossier_detail, name="dossier-detail"),
    path("dossiers/<int:pk>/documents/", views.dossier_upload, name="dossier-upload"),
    path("dossiers/<int:pk>/samples/", views.dossier_samples, name="dossier-samples"),
    path("dossiers/<int:pk>/submit/", views.dossier_submit, name="dossier-submit"),
    path("dossiers/<int:pk>/return/", intake.dossier_return, name="dossier-return"),
    path("dossiers/<int:pk>/check/", intake.dossier_check, name="dossier-check"),
    path("dossiers/documents/<int:pk>/", views.dossier_document_download, name="dossier-document"),
    path("dossiers/documents/<int:pk>/delete/", views.dossier_document_delete, name="dossier-document-delete"),
]
