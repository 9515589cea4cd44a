from __future__ import annotations

from django.urls import path

from messaging import views

app_name = "messaging"

urlpatterns = [
    path("<int:decision_id>/decline/", views.hub, name="hub"),
    path("<int:decision_id>/offers/<int:offer_id>/decline/", views.compose_view, name="compose"),
    path(
        "<int:decision_id>/offers/<int:offer_id>/decline/edit/",
        views.save_edits,
        name="save_edits",
    ),
    path(
        "<int:decision_id>/offers/<int:offer_id>/decline/sent/", views.mark_sent, name="mark_sent"
    ),
    path(
        "<int:decision_id>/offers/<int:offer_id>/decline/<str:file_format>/download/",
        views.download,
        name="download",
    ),
    path(
        "<int:decision_id>/offers/<int:offer_id>/deadline.ics",
        views.deadline_ics,
        name="deadline_ics",
    ),
]
