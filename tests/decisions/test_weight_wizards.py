"""The weight wizards, putting their weights back, and the gut check (decisions.weight_views)."""

from __future__ import annotations

from decimal import Decimal
from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse

from decisions.models import Decision, LogEntry, Rating
from decisions.selectors import comparison
from tests.factories import OfferFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_offers(decision: Decision):
    salary = decision.criteria.get(kind="total_comp")
    salary.floor, salary.target = Decimal(60_000), Decimal(200_000)
    salary.save()
    calm = OfferFactory(decision=decision, company="Calm Co", base_salary=Decimal(80_000))
    rich = OfferFactory(decision=decision, company="Rich Inc", base_salary=Decimal(150_000))
    for offer, scores in (
        (calm, {"Culture": 9, "Work-life balance": 9, "Role clarity": 8, "Location": 8}),
        (rich, {"Culture": 5, "Work-life balance": 3, "Role clarity": 7, "Location": 6}),
    ):
        for name, value in scores.items():
            Rating.objects.create(
                offer=offer, criterion=decision.criteria.get(name=name), value=value
            )
    return calm, rich


def _url(decision: Decision, wizard: str) -> str:
    return reverse(f"decisions:weights_{wizard}", args=[decision.pk])


def _weights(decision: Decision) -> dict[str, int]:
    return dict(decision.criteria.values_list("name", "weight"))


def _ids(decision: Decision) -> dict[str, int]:
    return dict(decision.criteria.values_list("name", "pk"))


def _swing_answers(decision: Decision, top: str, points: dict[str, int]) -> dict[str, object]:
    ids = _ids(decision)
    data: dict[str, object] = {"version": decision.version, "top": ids[top]}
    data.update({f"points-{ids[name]}": value for name, value in points.items()})
    return data


SWING_POINTS = {"Culture": 20, "Role clarity": 10, "Work-life balance": 10, "Location": 0}


def test_the_swing_wizard_asks_one_question_at_a_time_and_saves_nothing_before_apply(
    owner_client: Client, decision: Decision, two_offers
):
    before = _weights(decision)
    page = owner_client.get(_url(decision, "swing"))
    assert page.status_code == HTTPStatus.OK
    assert page.context_data["question"] == "top"
    ids = _ids(decision)
    step = owner_client.post(
        _url(decision, "swing"), {"version": decision.version, "asked": "top", "top": ids["Salary"]}
    )
    assert step.context_data["question"] == f"points-{ids['Culture']}"
    assert step.context_data["step"] == (2, 5)
    review = owner_client.post(
        _url(decision, "swing"),
        {**_swing_answers(decision, "Salary", SWING_POINTS), "asked": f"points-{ids['Location']}"},
    )
    assert review.context_data["question"] == "review"
    assert _weights(decision) == before
    assert not decision.log_entries.filter(kind=LogEntry.Kind.WEIGHTS_CHANGED).exists()


def test_applying_the_swing_wizard_is_one_logged_change_that_moves_the_ranking(
    owner_client: Client, decision: Decision, two_offers
):
    calm, rich = two_offers
    assert comparison(decision).leader.offer == calm
    response = owner_client.post(
        _url(decision, "swing"),
        {**_swing_answers(decision, "Salary", SWING_POINTS), "asked": "review", "action": "apply"},
    )
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("decisions:compare", args=[decision.pk])
    assert _weights(decision) == {"Salary": 100, **SWING_POINTS}
    entries = decision.log_entries.filter(kind=LogEntry.Kind.WEIGHTS_CHANGED)
    assert entries.count() == 1
    entry = entries.get()
    assert entry.summary.startswith("Weights from the swing wizard")
    assert entry.data["origin"] == "swing"
    assert comparison(decision).leader.offer == rich


def test_the_previous_weights_are_one_click_away(
    owner_client: Client, decision: Decision, two_offers
):
    before = _weights(decision)
    owner_client.post(
        _url(decision, "swing"),
        {**_swing_answers(decision, "Salary", SWING_POINTS), "asked": "review", "action": "apply"},
    )
    page = owner_client.get(reverse("decisions:compare", args=[decision.pk]))
    assert page.context_data["put_back"] is not None
    assert b"Put back the weights I had" in page.content
    response = owner_client.post(reverse("decisions:weights_put_back", args=[decision.pk]))
    assert response.status_code == HTTPStatus.FOUND
    assert _weights(decision) == before
    latest = decision.log_entries.filter(kind=LogEntry.Kind.WEIGHTS_CHANGED).first()
    assert latest.data["origin"] == "put_back"
    page = owner_client.get(reverse("decisions:compare", args=[decision.pk]))
    assert page.context_data["put_back"] is None


def test_putting_back_is_refused_once_the_weights_moved_on(
    owner_client: Client, decision: Decision, two_offers
):
    owner_client.post(
        _url(decision, "swing"),
        {**_swing_answers(decision, "Salary", SWING_POINTS), "asked": "review", "action": "apply"},
    )
    decision.refresh_from_db()
    sliders = {f"weight-{c.pk}": 50 for c in decision.criteria.all()}
    owner_client.post(
        reverse("decisions:compare", args=[decision.pk]), {**sliders, "version": decision.version}
    )
    owner_client.post(reverse("decisions:weights_put_back", args=[decision.pk]))
    assert set(_weights(decision).values()) == {50}
    assert decision.log_entries.filter(kind=LogEntry.Kind.WEIGHTS_CHANGED).count() == 2


def test_a_missing_answer_is_asked_again_with_a_message(
    owner_client: Client, decision: Decision, two_offers
):
    ids = _ids(decision)
    response = owner_client.post(
        _url(decision, "swing"),
        {
            "version": decision.version,
            "asked": "top",
            "top": ids["Salary"],
            "action": "next",
            f"points-{ids['Culture']}": "",
        },
    )
    assert response.context_data["question"] == f"points-{ids['Culture']}"
    response = owner_client.post(
        _url(decision, "swing"),
        {
            "version": decision.version,
            "asked": f"points-{ids['Culture']}",
            "top": ids["Salary"],
            f"points-{ids['Culture']}": "",
            "action": "next",
        },
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Give a number from 0 to 100" in response.content.decode()


def test_points_above_100_are_refused_on_the_question(
    owner_client: Client, decision: Decision, two_offers
):
    ids = _ids(decision)
    asked = f"points-{ids['Culture']}"
    response = owner_client.post(
        _url(decision, "swing"),
        {"version": decision.version, "asked": asked, "top": ids["Salary"], asked: "150"},
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.context_data["question"] == asked
    assert "none is worth more" in response.content.decode()


def test_tampered_earlier_answers_start_the_wizard_again(
    owner_client: Client, decision: Decision, two_offers
):
    ids = _ids(decision)
    response = owner_client.post(
        _url(decision, "swing"),
        {
            "version": decision.version,
            "asked": f"points-{ids['Culture']}",
            "top": 999999,
            f"points-{ids['Culture']}": "10",
        },
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.context_data["question"] == "top"
    assert "starts again" in response.content.decode()


def test_a_stale_apply_saves_nothing(owner_client: Client, decision: Decision, two_offers):
    before = _weights(decision)
    answers = _swing_answers(decision, "Salary", SWING_POINTS)
    answers["version"] = decision.version + 5
    response = owner_client.post(
        _url(decision, "swing"), {**answers, "asked": "review", "action": "apply"}
    )
    assert response.status_code == HTTPStatus.CONFLICT
    assert _weights(decision) == before


def _pair_answers(decision: Decision, answers: dict[tuple[str, str], str]) -> dict[str, object]:
    ids = _ids(decision)
    names = list(decision.criteria.values_list("name", flat=True))
    data: dict[str, object] = {"version": decision.version}
    for (a, b), value in answers.items():
        first, second = sorted((a, b), key=names.index)
        if (first, second) != (a, b):  # said the other way round
            value = "1" if value == "1" else ("b" if value[0] == "a" else "a") + value[1:]
        data[f"pair-{ids[first]}-{ids[second]}"] = value
    return data


def _all_pairs(decision: Decision, value: str = "1") -> dict[tuple[str, str], str]:
    names = list(decision.criteria.values_list("name", flat=True))
    return {(a, b): value for i, a in enumerate(names) for b in names[i + 1 :]}


def test_a_consistent_pairwise_review_shows_the_ratio_and_no_warning(
    owner_client: Client, decision: Decision, two_offers
):
    response = owner_client.post(
        _url(decision, "pairwise"), {**_pair_answers(decision, _all_pairs(decision)), "asked": ""}
    )
    preview = response.context_data["preview"]
    assert preview["pairwise"].consistency_ratio == pytest.approx(0, abs=1e-9)
    assert preview["inconsistent"] is None
    assert "hang together" in response.content.decode()


def test_an_inconsistent_pairwise_answer_is_named_and_can_be_answered_again(
    owner_client: Client, decision: Decision, two_offers
):
    answers = _all_pairs(decision)
    answers[("Salary", "Culture")] = "a9"
    answers[("Culture", "Role clarity")] = "a9"
    answers[("Salary", "Role clarity")] = "b9"
    data = _pair_answers(decision, answers)
    response = owner_client.post(_url(decision, "pairwise"), {**data, "asked": ""})
    preview = response.context_data["preview"]
    assert preview["pairwise"].consistency_ratio > 0.10
    bad = preview["inconsistent"]
    assert {bad["first"].name, bad["second"].name} <= {"Salary", "Culture", "Role clarity"}
    text = response.content.decode()
    assert f"{bad['first'].name} or {bad['second'].name}" in text
    again = owner_client.post(
        _url(decision, "pairwise"), {**data, "asked": "review", "redo": bad["question"]}
    )
    assert again.context_data["question"] == bad["question"]


def test_applying_the_pairwise_wizard_logs_its_origin_and_ratio(
    owner_client: Client, decision: Decision, two_offers
):
    answers = _all_pairs(decision)
    for other in ("Culture", "Role clarity", "Work-life balance", "Location"):
        answers[("Salary", other)] = "a5"
    response = owner_client.post(
        _url(decision, "pairwise"),
        {**_pair_answers(decision, answers), "asked": "review", "action": "apply"},
    )
    assert response.status_code == HTTPStatus.FOUND
    weights = _weights(decision)
    assert weights["Salary"] == 100
    assert weights["Culture"] == 20
    entry = decision.log_entries.filter(kind=LogEntry.Kind.WEIGHTS_CHANGED).get()
    assert entry.summary.startswith("Weights from the pairwise wizard")
    assert entry.data["wizard"]["consistency_ratio"] == pytest.approx(0, abs=1e-3)


def test_the_htmx_step_is_the_fragment_and_apply_redirects_the_browser(
    owner_client: Client, decision: Decision, two_offers
):
    ids = _ids(decision)
    step = owner_client.post(
        _url(decision, "swing"),
        {"version": decision.version, "asked": "top", "top": ids["Salary"]},
        HTTP_HX_REQUEST="true",
    )
    assert step.template_name == "decisions/_weights_wizard_step.html"
    done = owner_client.post(
        _url(decision, "swing"),
        {**_swing_answers(decision, "Salary", SWING_POINTS), "asked": "review", "action": "apply"},
        HTTP_HX_REQUEST="true",
    )
    assert done["HX-Redirect"] == reverse("decisions:compare", args=[decision.pk])


def test_a_foreign_decision_is_not_found(
    owner_client: Client, decision: Decision, foreign_decision: Decision
):
    assert owner_client.get(_url(foreign_decision, "swing")).status_code == HTTPStatus.NOT_FOUND
    put_back = reverse("decisions:weights_put_back", args=[foreign_decision.pk])
    assert owner_client.post(put_back).status_code == HTTPStatus.NOT_FOUND


def test_the_gut_check_is_logged_and_disappointment_points_at_criteria(
    owner_client: Client, decision: Decision, two_offers
):
    calm, _ = two_offers
    page = owner_client.get(reverse("decisions:compare", args=[decision.pk]))
    assert "How would you feel if Calm Co won?" in page.content.decode()
    response = owner_client.post(
        reverse("decisions:gut_check", args=[decision.pk]),
        {"offer": calm.pk, "feeling": "disappointed", "note": "The pay."},
    )
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("decisions:gut_check", args=[decision.pk])
    entry = decision.log_entries.first()
    assert entry.kind == LogEntry.Kind.REFLECTION
    assert entry.data == {
        "question": "How would you feel if Calm Co won?",
        "gut_check": "disappointed",
        "offer": calm.pk,
    }
    assert entry.body == "I would feel disappointed. The pay."
    hints = owner_client.get(response.url)
    assert hints.context_data["hints"].behind[0][0] == "Salary"
    assert "Add a criterion" in hints.content.decode()


def test_a_fine_gut_check_goes_back_to_the_ranking(
    owner_client: Client, decision: Decision, two_offers
):
    calm, _ = two_offers
    response = owner_client.post(
        reverse("decisions:gut_check", args=[decision.pk]), {"offer": calm.pk, "feeling": "fine"}
    )
    assert response.url == reverse("decisions:compare", args=[decision.pk])
    assert decision.log_entries.first().summary == "Gut check: fine if Calm Co won"


def test_a_gut_check_without_a_feeling_or_on_a_foreign_offer_saves_nothing(
    owner_client: Client, decision: Decision, two_offers, foreign_decision: Decision
):
    calm, _ = two_offers
    count = decision.log_entries.count()
    url = reverse("decisions:gut_check", args=[decision.pk])
    owner_client.post(url, {"offer": calm.pk})
    owner_client.post(url, {"offer": foreign_decision.offers.get().pk, "feeling": "fine"})
    assert decision.log_entries.count() == count


def test_an_invalid_answer_over_htmx_is_swapped_in_with_its_message(
    owner_client: Client, decision: Decision, two_offers
):
    ids = _ids(decision)
    asked = f"points-{ids['Culture']}"
    response = owner_client.post(
        _url(decision, "swing"),
        {"version": decision.version, "asked": asked, "top": ids["Salary"], asked: "-3"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == HTTPStatus.OK
    assert response.template_name == "decisions/_weights_wizard_step.html"
    assert "Give a number from 0 to 100." in response.content.decode()


def test_going_back_without_the_top_swing_asks_for_it_first(
    owner_client: Client, decision: Decision, two_offers
):
    ids = _ids(decision)
    response = owner_client.post(
        _url(decision, "swing"),
        {"version": decision.version, "asked": f"points-{ids['Location']}", "action": "back"},
    )
    assert response.status_code == HTTPStatus.OK
    assert response.context_data["question"] == "top"
