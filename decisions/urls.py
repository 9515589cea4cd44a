from __future__ import annotations

from django.urls import path

from decisions import coach_views, views, weight_views

app_name = "decisions"

urlpatterns = [
    path("", views.decision_index, name="list"),
    path("pay-range/", views.fill_pay_range, name="pay_range"),
    path("<int:decision_id>/", views.decision_detail, name="detail"),
    path("<int:decision_id>/edit/", views.decision_edit, name="edit"),
    path("<int:decision_id>/compare/", views.compare, name="compare"),
    path("<int:decision_id>/decide/", views.decide, name="decide"),
    path("<int:decision_id>/change-your-mind/", views.change_mind, name="change_mind"),
    path("<int:decision_id>/tiebreak/", views.tiebreak, name="tiebreak"),
    path("<int:decision_id>/log/", views.log, name="log"),
    path("<int:decision_id>/coaching/", coach_views.client_coaching, name="coaching"),
    path(
        "<int:decision_id>/coaching/<int:thread_id>/answer/",
        coach_views.client_answer,
        name="thread_answer",
    ),
    path(
        "<int:decision_id>/homework/<int:homework_id>/done/",
        coach_views.client_homework_done,
        name="homework_done",
    ),
    path("<int:decision_id>/report.pdf", views.report, name="report"),
    path("<int:decision_id>/reflect/", views.reflect, name="reflect"),
    path("<int:decision_id>/look-back/", views.look_back, name="look_back"),
    path("<int:decision_id>/archive/", views.decision_archive, name="archive"),
    path("<int:decision_id>/restore/", views.decision_reopen, name="reopen"),
    path("<int:decision_id>/criteria/", views.criteria, name="criteria"),
    path("<int:decision_id>/criteria/add/", views.criterion_add, name="criterion_add"),
    path("<int:decision_id>/deal-breakers/", views.must_haves, name="must_haves"),
    path(
        "<int:decision_id>/criteria/<int:criterion_id>/edit/",
        views.criterion_edit,
        name="criterion_edit",
    ),
    path(
        "<int:decision_id>/criteria/<int:criterion_id>/move/",
        views.criterion_move,
        name="criterion_move",
    ),
    path(
        "<int:decision_id>/criteria/<int:criterion_id>/remove/",
        views.criterion_delete,
        name="criterion_delete",
    ),
    path("<int:decision_id>/offers/add/", views.offer_create, name="offer_create"),
    path("<int:decision_id>/offers/<int:offer_id>/", views.offer_page, name="offer_detail"),
    path("<int:decision_id>/offers/<int:offer_id>/edit/", views.offer_edit, name="offer_edit"),
    path(
        "<int:decision_id>/offers/<int:offer_id>/remove/",
        views.offer_delete,
        name="offer_delete",
    ),
    path(
        "<int:decision_id>/offers/<int:offer_id>/confirmed/",
        views.offer_confirm,
        name="offer_confirm",
    ),
    path(
        "<int:decision_id>/offers/<int:offer_id>/open-again/",
        views.offer_reopen,
        name="offer_reopen",
    ),
    path("<int:decision_id>/ratings/", views.ratings, name="ratings"),
    path(
        "<int:decision_id>/weights/swing/",
        weight_views.weights_wizard,
        {"wizard": "swing"},
        name="weights_swing",
    ),
    path(
        "<int:decision_id>/weights/pairwise/",
        weight_views.weights_wizard,
        {"wizard": "pairwise"},
        name="weights_pairwise",
    ),
    path(
        "<int:decision_id>/weights-put-back/",
        weight_views.weights_put_back,
        name="weights_put_back",
    ),
    path("<int:decision_id>/gut-check/", weight_views.gut_check, name="gut_check"),
]
