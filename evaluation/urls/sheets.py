"""URLs of the evaluation app (score sheets)."""
from django.urls import path

from ..views import sheets

urlpatterns = [
    path("sheets/", sheets.sheet_list, name="sheet-list"),
    path("sheets/export/", sheets.sheet_list_export, name="sheet-list-export"),
    path("sheets/import/", sheets.sheet_import_view, name="sheet-import"),
    path("sheets/<int:pk>/", sheets.sheet_detail, name="sheet-detail"),
    path("sheets/<int:pk>/download/<str:fmt>/", sheets.sheet_download, name="sheet-download"),
]
