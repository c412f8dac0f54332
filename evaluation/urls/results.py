"""URLs of a session's close: results, finalisation, exports, decisions, nominations and the paper path."""
from django.urls import path

from ..views import results as views

urlpatterns = [
    path("sessions/<int:pk>/results/", views.session_results_view, name="session-results"),
    path("sessions/<int:pk>/results/export/", views.session_results_xlsx, name="session-results-xlsx"),
    path("sessions/<int:pk>/finalise/", views.session_finalise_view, name="session-finalise"),
    path("sessions/<int:pk>/minutes.pdf", views.session_minutes_pdf, name="session-minutes-pdf"),
    path("sessions/<int:pk>/decision/new/", views.decision_create, name="decision-create"),
    path("sessions/<int:pk>/paper/sheets.pdf", views.session_paper_sheets, name="session-paper-sheets"),
    path("sessions/<int:pk>/paper/template.xlsx", views.session_paper_template, name="session-paper-template"),
    path("sessions/<int:pk>/paper/import/", views.session_paper_import, name="session-paper-import"),
    path("decisions/", views.decision_list_view, name="decision-list"),
    path("decisions/export/", views.decision_list_xlsx, name="decision-list-xlsx"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision-detail"),
    path("decisions/<int:pk>/decision.pdf", views.decision_pdf_view, name="decision-pdf"),
    path("nominations/", views.nomination_list_view, name="nominations"),
    path("nominations/export/", views.nomination_list_xlsx, name="nominations-xlsx"),
]
