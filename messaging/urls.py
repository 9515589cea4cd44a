from __future__ import annotations

from django.urls import path, register_converter

from messaging import views
from messaging.purposes import BY_SLUG, Purpose


class PurposeConverter:
    """A message's purpose in its composer's address, by slug ("still-open")."""

    regex = "|".join(BY_SLUG)

    def to_python(self, value: str) -> Purpose:
        return BY_SLUG[value]

    def to_url(self, value: Purpose | str) -> str:
        slug = value.slug if isinstance(value, Purpose) else value
        if slug not in BY_SLUG:
            raise ValueError(f"{slug!r} is not a message purpose")
        return slug


register_converter(PurposeConverter, "purpose")

app_name = "messaging"

urlpatterns = [
    path("<int:decision_id>/decline/", views.hub, name="hub"),
    path(
        "<int:decision_id>/offers/<int:offer_id>/<purpose:purpose>/",
        views.compose_view,
        name="compose",
    ),
    path(
        "<int:decision_id>/offers/<int:offer_id>/<purpose:purpose>/edit/",
        views.save_edits,
        name="save_edits",
    ),
    path(
        "<int:decision_id>/offers/<int:offer_id>/<purpose:purpose>/sent/",
        views.mark_sent,
        name="mark_sent",
    ),
    path(
        "<int:decision_id>/offers/<int:offer_id>/<purpose:purpose>/<str:file_format>/download/",
        views.download,
        name="download",
    ),
    path(
        "<int:decision_id>/offers/<int:offer_id>/counter-answer/",
        views.counter_answer,
        name="counter_answer",
    ),
    path(
        "<int:decision_id>/offers/<int:offer_id>/extension-answer/",
        views.extension_answer,
        name="extension_answer",
    ),
    path(
        "<int:decision_id>/offers/<int:offer_id>/deadline.ics",
        views.deadline_ics,
        name="deadline_ics",
    ),
    path(
        "<int:decision_id>/offers/<int:offer_id>/stay-in-touch/",
        views.stay_in_touch,
        name="stay_in_touch",
    ),
    path(
        "<int:decision_id>/offers/<int:offer_id>/stay-in-touch.ics",
        views.stay_in_touch_ics,
        name="stay_in_touch_ics",
    ),
]
