"""URLs of the evaluation app (councils): the member's queue, councils, sessions and scoring."""
from django.urls import path

from ..views import councils, scoring

urlpatterns = [
    # A member's scoring
    path("", scoring.queue, name="queue"),
    path("score/<int:pk>/", scoring.score, name="score"),
    path("score/<int:pk>/save/", scoring.score_save, name="score-save"),
    path("score/<int:pk>/note/", scoring.score_note, name="score-note"),
    path("score/<int:pk>/submit/", scoring.score_submit, name="score-submit"),
    path("score/<int:pk>/conflict/", scoring.score_conflict, name="score-conflict"),
    path("score/<int:pk>/documents/<int:document_pk>/", scoring.score_document, name="score-document"),
    # Councils
    path("councils/", councils.council_list, name="council-list"),
    path("councils/export/", councils.council_export, name="council-export"),
    path("councils/new/", councils.council_create, name="council-create"),
    path("councils/<int:pk>/", councils.council_detail, name="council-detail"),
    path("councils/<int:pk>/members/", councils.council_member_add, name="council-member-add"),
    path("councils/members/<int:pk>/remove/", councils.council_member_remove, name="council-member-remove"),
    path("councils/<int:pk>/advisers/", councils.adviser_add, name="council-adviser-add"),
    path("councils/advisers/<int:pk>/remove/", councils.adviser_remove, name="council-adviser-remove"),
    path("councils/<int:pk>/sessions/", councils.session_create, name="session-create"),
    # Sessions
    path("sessions/<int:pk>/", councils.session_detail, name="session-detail"),
    path("sessions/<int:pk>/assign/", councils.session_assign, name="session-assign"),
    path("sessions/<int:pk>/present/", councils.session_present, name="session-present"),
    path("scorecards/<int:pk>/reopen/", councils.scorecard_reopen_view, name="scorecard-reopen"),
]
