"""URLs of product ideas, screening and the lists sent to the province."""
from django.urls import path

from ..enums import IdeaStatus
from ..views import ideas as views

urlpatterns = [
    path("ideas/", views.idea_list_view, name="idea-list"),
    path("ideas/export/", views.idea_export, name="idea-export"),
    path("ideas/new/", views.idea_create, name="idea-create"),
    path("ideas/subject-search/", views.subject_search, name="idea-subject-search"),
    path("ideas/subject-products/", views.subject_products, name="idea-subject-products"),
    path("ideas/screen/", views.idea_bulk_screen, name="idea-bulk-screen"),
    path("ideas/send/", views.idea_send, name="idea-send"),
    path("ideas/lists/", views.province_lists, name="province-lists"),
    path("ideas/lists/export/", views.province_lists_export, name="province-lists-export"),
    path("ideas/lists/<int:pk>/", views.idea_list_detail, name="idea-list-detail"),
    path("ideas/attachments/<int:pk>/", views.attachment_download, name="idea-attachment"),
    path("ideas/attachments/<int:pk>/remove/", views.attachment_remove, name="idea-attachment-remove"),
    path("ideas/<int:pk>/", views.idea_detail, name="idea-detail"),
    path("ideas/<int:pk>/edit/", views.idea_edit, name="idea-edit"),
    path("ideas/<int:pk>/submit/", views.idea_submit, name="idea-submit"),
    *(path(f"ideas/<int:pk>/{action}/", views.idea_screen, {"action": action}, name=f"idea-{action}")
      for action in IdeaStatus.SCREENING),
]
