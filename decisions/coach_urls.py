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
    path("decisions/<int:decision_id>/report.pdf", views.report, name="report"),
]
