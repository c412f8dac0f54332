"""URLs of the subjects app."""
from django.urls import path

from . import views

app_name = "subjects"
urlpatterns = [
    path("", views.subject_list_view, name="list"),
    path("export/", views.subject_export, name="export"),
    path("search/", views.subject_search, name="search"),
    path("new/", views.subject_create, name="create"),
    path("<int:pk>/", views.subject_detail, name="detail"),
    path("<int:pk>/edit/", views.subject_edit, name="edit"),
    path("<int:pk>/representatives/", views.subject_representatives, name="representatives"),
    path("<int:pk>/representatives/<int:link_pk>/remove/", views.subject_representative_remove,
         name="representative-remove"),
]
