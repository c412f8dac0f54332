"""URLs of the commune's pre-assessment of a dossier."""
from django.urls import path

from ..views import preassessment as views

urlpatterns = [
    path("dossiers/<int:pk>/pre-assessment/", views.dossier_preassessment, name="dossier-preassessment"),
]
