from __future__ import annotations

from django.urls import path

from decisions import coach_views as views

app_name = "coach"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("access/", views.coach_access, name="access"),
    path("access/<int:grant_id>/revoke/", views.grant_revoke, name="grant_revoke"),
    path("access/<int:grant_id>/privacy/", views.grant_privacy, name="grant_privacy"),
    path(
        "invitations/<int:invitation_id>/withdraw/",
        views.invitation_withdraw,
        name="invitation_withdraw",
    ),
    path("accept/<str:token>/", views.accept, name="accept"),
    path("decisions/<int:decision_id>/", views.review, name="review"),
    path("decisions/<int:decision_id>/comment/", views.comment, name="comment"),
    path("decisions/<int:decision_id>/conversation/", views.conversation, name="conversation"),
    path(
        "decisions/<int:decision_id>/threads/<int:thread_id>/reply/",
        views.follow_up,
        name="follow_up",
    ),
    path("decisions/<int:decision_id>/homework/", views.homework_set, name="homework_set"),
    path(
        "decisions/<int:decision_id>/homework/<int:homework_id>/withdraw/",
        views.homework_withdraw,
        name="homework_withdraw",
    ),
    path("decisions/<int:decision_id>/notes/", views.note_add, name="note_add"),
    path(
        "decisions/<int:decision_id>/notes/<int:note_id>/remove/",
        views.note_delete,
        name="note_delete",
    ),
    path("decisions/<int:decision_id>/report.pdf", views.report, name="report"),
]
