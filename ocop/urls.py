"""Root URLs: the shared pages here, each app under its own prefix."""
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from certificates.views import public as views_public
from promotion.views import public as promotion_public

from .forms.auth import LoginForm
from .views import jobs as views_jobs
from .views import pages as views

urlpatterns = [
    path("", promotion_public.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", admin.site.urls),
    path("health/", views.health, name="health"),
    path("cycles/", views.cycle_list_view, name="cycle-list"),
    path("cycles/new/", views.cycle_create, name="cycle-create"),
    path("cycles/<int:pk>/", views.cycle_detail, name="cycle-detail"),
    path("cycles/<int:pk>/edit/", views.cycle_edit, name="cycle-edit"),
    path("cycles/<int:pk>/step/", views.cycle_set_step, name="cycle-set-step"),
    path("cycles/<int:pk>/steps/<int:step>/", views.step_plan_edit, name="cycle-step-edit"),
    path("cycles/<int:pk>/rounds/new/", views.round_create, name="round-create"),
    path("cycles/rounds/<int:pk>/edit/", views.round_edit, name="round-edit"),
    path("cycles/rounds/<int:pk>/delete/", views.round_delete, name="round-delete"),
    path("units/", views.unit_list, name="unit-list"),
    path("units/<str:code>/", views.unit_detail, name="unit-detail"),
    path("notifications/", views.notification_list_view, name="notification-list"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification-read"),
    path("notifications/read-all/", views.notifications_read_all, name="notifications-read-all"),
    path("jobs/<int:pk>/", views_jobs.file_job_view, name="file-job"),
    path("jobs/<int:pk>/progress/", views_jobs.file_job_progress, name="file-job-progress"),
    path("jobs/<int:pk>/download/", views_jobs.file_job_download, name="file-job-download"),
    path("subjects/", include("subjects.urls")),
    path("products/", include("products.urls")),
    path("evaluation/", include("evaluation.urls")),
    path("certificates/", include("certificates.urls")),
    path("promotion/", include("promotion.urls")),
    path("dashboard/", include("promotion.urls.dashboard")),
    path("catalog/", promotion_public.catalog, name="catalog"),
    path("catalog/<int:pk>/", promotion_public.catalog_product, name="catalog-product"),
    path("catalog/photos/<int:pk>.jpg", promotion_public.catalog_photo, name="catalog-photo"),
    path("api/v1/products/", promotion_public.api_products, name="api-products"),
    path("api/v1/certificates/<path:number>/", promotion_public.api_certificate, name="api-certificate"),
    path("api/v1/openapi.json", promotion_public.api_openapi, name="api-openapi"),
    path("verify/", views_public.verify_search, name="verify-search"),
    path("verify/photo/", views_public.verify_photo, name="verify-photo"),
    path("verify/<path:number>/", views_public.verify, name="verify"),
]

admin.site.site_header = admin.site.site_title = "OCOP"
