"""decisions/services/criteria.py: add, change, reweight, reorder and remove criteria."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from decisions import kinds, services
from decisions.models import MAX_CRITERIA_PER_DECISION, Criterion, Decision, Offer, Rating
from offerdesk.accounts.models import User
from tests.decisions.services import log_kinds
from tests.factories import CriterionFactory

pytestmark = pytest.mark.django_db

D = Decimal


def _settings(criterion: Criterion, **changes: object) -> services.CriterionData:
    """The criterion as stored, with ``changes``: what an edit form submits."""
    stored = Criterion.objects.get(pk=criterion.pk)
    data = services.CriterionData(
        name=stored.name,
        kind=stored.kind,
        weight=stored.weight,
        unit=stored.unit,
        floor=stored.floor,
        target=stored.target,
    )
    return replace(data, **changes)


def _error_fields(error: ValidationError) -> set[str]:
    return set(error.error_dict)


def test_criterion_add_appends_at_the_end(decision: Decision, user: User):
    data = services.CriterionData(
        name=" Commute ",
        kind=kinds.AMOUNT_LOW,
        weight=10,
        unit="minutes",
        floor=D(90),
        target=D(15),
    )
    criterion = services.criterion_add(decision=decision, actor=user, data=data)
    assert list(decision.criteria.values_list("name", flat=True))[-1] == "Commute"
    assert criterion.position == 5
    assert log_kinds(decision)[-1] == "criterion_added"
    entry = decision.log_entries.first()
    assert entry.data == {
        "name": "Commute",
        "kind": "amount_low",
        "weight": 10,
        "unit": "minutes",
        "floor": "90",
        "target": "15",
        "suggested_from": "",
    }


def test_criterion_add_refuses_a_duplicate_name_and_logs_nothing(decision: Decision, user: User):
    with pytest.raises(ValidationError):
        services.criterion_add(
            decision=decision, actor=user, data=services.CriterionData(name="culture", weight=5)
        )
    assert log_kinds(decision) == ["decision_created"]
    assert decision.criteria.count() == 5


def test_criterion_add_refuses_an_unknown_kind(decision: Decision, user: User):
    with pytest.raises(ValidationError) as refused:
        services.criterion_add(
            decision=decision, actor=user, data=services.CriterionData(name="Vibes", kind="vibes")
        )
    assert _error_fields(refused.value) == {"kind"}
    assert not decision.criteria.filter(name="Vibes").exists()


@pytest.mark.parametrize(
    ("floor", "target", "field"),
    [(None, D(8), "target"), (D(3), D(8), "target"), (D(0), None, "floor"), (D(11), None, "floor")],
    ids=["target", "both", "floor-at-zero", "floor-past-ten"],
)
def test_a_fixed_scale_kind_takes_a_floor_inside_its_scale_and_no_target(
    decision: Decision, user: User, floor: Decimal | None, target: Decimal | None, field: str
):
    data = services.CriterionData(name="Team", kind=kinds.RATING, floor=floor, target=target)
    with pytest.raises(ValidationError) as refused:
        services.criterion_add(decision=decision, actor=user, data=data)
    assert _error_fields(refused.value) == {field}
    assert not decision.criteria.filter(name="Team").exists()
    assert log_kinds(decision) == ["decision_created"]


def test_a_rating_floor_is_a_deal_breaker_line(decision: Decision, user: User):
    data = services.CriterionData(name="Team", kind=kinds.RATING, floor=D(4))
    criterion = services.criterion_add(decision=decision, actor=user, data=data)
    assert (criterion.floor, criterion.target, criterion.floor_rules_out) == (D(4), None, True)


@pytest.mark.parametrize(("floor", "refused"), [(D(1), False), (D("0.5"), True)])
def test_a_yes_no_floor_of_one_rules_out_a_no(
    decision: Decision, user: User, floor: Decimal, refused: bool
):
    data = services.CriterionData(name="Remote days", kind=kinds.YES_NO, floor=floor)
    if refused:
        with pytest.raises(ValidationError):
            services.criterion_add(decision=decision, actor=user, data=data)
    else:
        assert services.criterion_add(decision=decision, actor=user, data=data).floor == 1


def test_changing_an_anchored_amount_into_a_rating_must_drop_its_anchors(
    decision: Decision, user: User
):
    commute = CriterionFactory(decision=decision, kind=kinds.AMOUNT_LOW, floor=D(60), target=D(10))
    with pytest.raises(ValidationError):
        services.criterion_update(
            criterion=commute, actor=user, data=_settings(commute, kind=kinds.RATING)
        )
    changes = services.criterion_update(
        criterion=commute,
        actor=user,
        data=_settings(commute, kind=kinds.RATING, floor=None, target=None),
    )
    assert set(changes) == {"kind", "floor", "target"}


@pytest.mark.parametrize(
    ("kind", "floor", "target"),
    [
        (kinds.AMOUNT, D(100), D(50)),
        (kinds.AMOUNT_LOW, D(10), D(60)),
    ],
)
def test_the_floor_must_be_the_worse_end_for_the_kinds_direction(
    decision: Decision, user: User, kind: str, floor: Decimal, target: Decimal
):
    data = services.CriterionData(name="Measure", kind=kind, floor=floor, target=target)
    with pytest.raises(ValidationError) as refused:
        services.criterion_add(decision=decision, actor=user, data=data)
    assert _error_fields(refused.value) == {"floor"}
    assert not decision.criteria.filter(name="Measure").exists()
    # The same anchors the other way round are what the kind expects.
    swapped = replace(data, floor=target, target=floor)
    criterion = services.criterion_add(decision=decision, actor=user, data=swapped)
    assert (criterion.floor, criterion.target) == (target, floor)


@pytest.mark.parametrize("kind", [kinds.AMOUNT, kinds.AMOUNT_LOW])
def test_floor_and_target_must_differ(decision: Decision, user: User, kind: str):
    data = services.CriterionData(name="Measure", kind=kind, floor=D(40), target=D(40))
    with pytest.raises(ValidationError) as refused:
        services.criterion_add(decision=decision, actor=user, data=data)
    assert _error_fields(refused.value) == {"target"}


@pytest.mark.parametrize(("floor", "target"), [(D(90), None), (None, D(15))])
def test_an_amount_takes_both_ends_of_its_scale_or_neither(
    decision: Decision, user: User, floor: Decimal | None, target: Decimal | None
):
    data = services.CriterionData(name="Commute", kind=kinds.AMOUNT_LOW, floor=floor, target=target)
    with pytest.raises(ValidationError) as refused:
        services.criterion_add(decision=decision, actor=user, data=data)
    assert _error_fields(refused.value) == {"target" if target is None else "floor"}


def test_a_first_value_suggests_the_scale_once_and_logs_it(offer: Offer, user: User):
    commute = services.criterion_add(
        decision=offer.decision,
        actor=user,
        data=services.CriterionData(name="Commute", kind=kinds.AMOUNT_LOW, unit="minutes"),
    )
    assert (commute.floor, commute.target) == (None, None)
    services.ratings_save(
        decision=offer.decision,
        actor=user,
        cells=[services.RatingInput(offer_id=offer.pk, criterion_id=commute.pk, value=D(40))],
    )
    commute.refresh_from_db()
    # 25% past the worst value, 20% short of the best, in round numbers.
    assert (commute.floor, commute.target, commute.suggested_from) == (D(50), D(32), "offers")
    assert not commute.floor_rules_out
    entry = offer.decision.log_entries.first()
    assert entry.kind == "criterion_changed"
    assert entry.summary.startswith("Offerdesk fixed the scale of “Commute”")
    assert entry.data["changes"] == {
        "floor": {"before": None, "after": "50"},
        "target": {"before": None, "after": "32"},
    }
    # Later values leave it where it is.
    services.ratings_save(
        decision=offer.decision,
        actor=user,
        cells=[services.RatingInput(offer_id=offer.pk, criterion_id=commute.pk, value=D(90))],
    )
    commute.refresh_from_db()
    assert (commute.floor, commute.target) == (D(50), D(32))


def test_saving_a_suggested_range_makes_it_the_candidates(offer: Offer, user: User):
    salary = offer.decision.criteria.get(kind=kinds.TOTAL_COMP)
    services.scales_fill(decision=offer.decision, actor=user)
    salary.refresh_from_db()
    assert salary.suggested_from == "offers"
    changes = services.criterion_update(criterion=salary, actor=user, data=_settings(salary))
    salary.refresh_from_db()
    assert changes == {"suggested_from": {"before": "offers", "after": ""}}
    assert salary.floor_rules_out


def test_clearing_an_amounts_range_suggests_it_again_from_its_values(offer: Offer, user: User):
    salary = offer.decision.criteria.get(kind=kinds.TOTAL_COMP)
    services.criterion_update(
        criterion=salary, actor=user, data=_settings(salary, floor=D(10_000), target=D(20_000))
    )
    services.criterion_update(
        criterion=salary, actor=user, data=_settings(salary, floor=None, target=None)
    )
    salary.refresh_from_db()
    # The offer pays 80,000: suggested from it, not left to float with the offers.
    assert (salary.floor, salary.target, salary.suggested_from) == (D(64_000), D(100_000), "offers")


def test_the_floor_rule_applies_on_update_too(decision: Decision, user: User):
    salary = decision.criteria.get(kind=kinds.TOTAL_COMP)
    with pytest.raises(ValidationError):
        services.criterion_update(
            criterion=salary, actor=user, data=_settings(salary, floor=D(90_000), target=D(60_000))
        )
    salary.refresh_from_db()
    assert (salary.floor, salary.target) == (None, None)


def test_a_decision_has_one_computed_criterion(decision: Decision, user: User):
    data = services.CriterionData(name="Pay again", kind=kinds.TOTAL_COMP)
    with pytest.raises(ValidationError) as refused:
        services.criterion_add(decision=decision, actor=user, data=data)
    assert _error_fields(refused.value) == {"kind"}
    culture = decision.criteria.get(name="Culture")
    with pytest.raises(ValidationError):
        services.criterion_update(
            criterion=culture, actor=user, data=_settings(culture, kind=kinds.TOTAL_COMP)
        )
    assert decision.criteria.filter(kind__in=kinds.codes(computed=True)).count() == 1
    assert log_kinds(decision) == ["decision_created"]


def test_the_computed_criterion_may_change_itself(decision: Decision, user: User):
    salary = decision.criteria.get(kind=kinds.TOTAL_COMP)
    changes = services.criterion_update(
        criterion=salary, actor=user, data=_settings(salary, floor=D(60_000), target=D(90_000))
    )
    assert changes == {
        "floor": {"before": None, "after": "60000"},
        "target": {"before": None, "after": "90000"},
    }


def test_a_computed_criterion_can_be_added_once_the_other_is_gone(decision: Decision, user: User):
    services.criterion_remove(criterion=decision.criteria.get(name="Salary"), actor=user)
    data = services.CriterionData(name="Pay", kind=kinds.TOTAL_COMP, weight=30)
    assert services.criterion_add(decision=decision, actor=user, data=data).kind == "total_comp"


def test_changing_to_a_kind_whose_values_mean_otherwise_clears_them_and_keeps_the_notes(
    offer: Offer, user: User
):
    commute = CriterionFactory(decision=offer.decision, name="Commute", kind=kinds.AMOUNT_LOW)
    services.ratings_save(
        decision=offer.decision,
        actor=user,
        cells=[
            services.RatingInput(
                offer_id=offer.pk, criterion_id=commute.pk, value=D(35), note="bus"
            )
        ],
    )
    changes = services.criterion_update(
        criterion=commute,
        actor=user,
        data=_settings(commute, kind=kinds.RATING, floor=None, target=None),
    )
    assert changes["values_cleared"] == {"before": 1, "after": 0}
    assert list(Rating.objects.filter(criterion=commute).values_list("value", "note")) == [
        (None, "bus")
    ]
    assert "cleared 1 value of the old kind" in offer.decision.log_entries.first().summary


def test_flipping_more_is_better_keeps_the_values(offer: Offer, user: User):
    commute = CriterionFactory(decision=offer.decision, name="Commute", kind=kinds.AMOUNT_LOW)
    services.ratings_save(
        decision=offer.decision,
        actor=user,
        cells=[services.RatingInput(offer_id=offer.pk, criterion_id=commute.pk, value=D(35))],
    )
    changes = services.criterion_update(
        criterion=commute,
        actor=user,
        data=_settings(commute, kind=kinds.AMOUNT, floor=None, target=None),
    )
    assert "values_cleared" not in changes
    assert Rating.objects.get(criterion=commute).value == 35
    # More is better now: the scale is suggested again, the other way round.
    commute.refresh_from_db()
    assert commute.floor < commute.target


def test_criterion_update_logs_the_rename(decision: Decision, user: User):
    criterion = decision.criteria.get(name="Location")
    services.criterion_update(
        criterion=criterion, actor=user, data=_settings(criterion, name=" Commute and city ")
    )
    entry = decision.log_entries.first()
    assert entry.kind == "criterion_changed"
    assert entry.data["changes"] == {"name": {"before": "Location", "after": "Commute and city"}}
    assert "Location" in entry.summary


def test_criterion_update_that_changes_nothing_writes_nothing(decision: Decision, user: User):
    criterion = decision.criteria.get(name="Location")
    assert (
        services.criterion_update(criterion=criterion, actor=user, data=_settings(criterion)) == {}
    )
    assert log_kinds(decision) == ["decision_created"]


def test_criterion_update_compares_with_the_stored_row_not_the_callers_instance(
    decision: Decision, user: User
):
    culture = decision.criteria.get(name="Culture")
    data = _settings(culture, weight=25)
    culture.name = "Renamed in memory only"
    culture.weight = 99
    changes = services.criterion_update(criterion=culture, actor=user, data=data)
    assert changes == {"weight": {"before": 20, "after": 25}}
    entry = decision.log_entries.first()
    assert "Culture" in entry.summary
    assert "Renamed in memory only" not in entry.summary


def test_criterion_update_refuses_to_leave_no_weight_above_zero(decision: Decision, user: User):
    culture = decision.criteria.get(name="Culture")
    services.criteria_reweight(
        decision=decision,
        actor=user,
        weights={c.pk: (10 if c.pk == culture.pk else 0) for c in decision.criteria.all()},
    )
    with pytest.raises(ValidationError, match="above zero"):
        services.criterion_update(criterion=culture, actor=user, data=_settings(culture, weight=0))
    culture.refresh_from_db()
    assert culture.weight == 10
    assert log_kinds(decision)[-1] == "weights_changed"


def test_reweight_changes_all_weights_in_one_entry(decision: Decision, user: User):
    weights = {c.pk: 10 for c in decision.criteria.all()}
    changes = services.criteria_reweight(decision=decision, actor=user, weights=weights)
    assert set(changes) == {"Salary", "Culture", "Role clarity", "Work-life balance", "Location"}
    assert changes["Salary"] == {"before": 30, "after": 10}
    assert log_kinds(decision) == ["decision_created", "weights_changed"]
    assert set(decision.criteria.values_list("weight", flat=True)) == {10}


def test_reweight_bumps_the_version_and_refuses_a_stale_one(decision: Decision, user: User):
    read = Decision.objects.get(pk=decision.pk).version
    services.criteria_reweight(
        decision=decision,
        actor=user,
        weights={c.pk: 10 for c in decision.criteria.all()},
        expected_version=read,
    )
    assert Decision.objects.get(pk=decision.pk).version == read + 1
    with pytest.raises(ValidationError) as refused:
        services.criteria_reweight(
            decision=decision,
            actor=user,
            weights={c.pk: 20 for c in decision.criteria.all()},
            expected_version=read,
        )
    assert refused.value.code == "stale"
    assert set(decision.criteria.values_list("weight", flat=True)) == {10}


def test_reweight_refuses_a_criterion_of_another_decision(
    decision: Decision, foreign_decision: Decision, user: User
):
    weights = {c.pk: 10 for c in decision.criteria.all()}
    foreign = foreign_decision.criteria.first()
    weights[foreign.pk] = 99
    with pytest.raises(ValidationError):
        services.criteria_reweight(decision=decision, actor=user, weights=weights)
    foreign.refresh_from_db()
    assert foreign.weight != 99
    assert log_kinds(decision) == ["decision_created"]


def test_reweight_refuses_all_zero(decision: Decision, user: User):
    with pytest.raises(ValidationError, match="above zero"):
        services.criteria_reweight(
            decision=decision, actor=user, weights={c.pk: 0 for c in decision.criteria.all()}
        )
    assert decision.criteria.filter(weight=0).count() == 0


@pytest.mark.parametrize("weight", [-1, 101])
def test_reweight_refuses_a_weight_outside_0_100(decision: Decision, user: User, weight: int):
    weights = {c.pk: 10 for c in decision.criteria.all()}
    weights[decision.criteria.get(name="Culture").pk] = weight
    with pytest.raises(ValidationError):
        services.criteria_reweight(decision=decision, actor=user, weights=weights)
    assert decision.criteria.get(name="Culture").weight == 20


def test_move_swaps_neighbours_and_stops_at_the_ends(decision: Decision, user: User):
    culture = decision.criteria.get(name="Culture")
    assert services.criterion_move(criterion=culture, actor=user, direction="up")
    assert list(decision.criteria.values_list("name", flat=True))[:2] == ["Culture", "Salary"]
    culture.refresh_from_db()
    assert not services.criterion_move(criterion=culture, actor=user, direction="up")
    last = decision.criteria.last()
    assert not services.criterion_move(criterion=last, actor=user, direction="down")
    assert log_kinds(decision).count("criteria_reordered") == 1


def test_criterion_remove_takes_its_ratings_and_logs_them(offer: Offer, user: User):
    decision = offer.decision
    culture = decision.criteria.get(name="Culture")
    Rating.objects.create(offer=offer, criterion=culture, value=7)
    services.criterion_remove(criterion=culture, actor=user)
    assert not Rating.objects.exists()
    entry = decision.log_entries.first()
    assert (entry.kind, entry.data["name"], entry.data["ratings_removed"]) == (
        "criterion_removed",
        "Culture",
        1,
    )


def test_a_kind_without_typed_values_keeps_no_unit(decision: Decision, user: User):
    commute = services.criterion_add(
        decision=decision,
        actor=user,
        data=services.CriterionData(name="Commute", kind=kinds.AMOUNT_LOW, unit=" minutes "),
    )
    assert commute.unit == "minutes"
    services.criterion_update(
        criterion=commute, actor=user, data=_settings(commute, kind=kinds.RATING)
    )
    commute.refresh_from_db()
    assert commute.unit == ""


def test_a_decision_takes_criteria_up_to_the_cap_and_refuses_the_next(
    decision: Decision, user: User
):
    for position in range(decision.criteria.count(), MAX_CRITERIA_PER_DECISION - 1):
        CriterionFactory(decision=decision, position=position)
    services.criterion_add(decision=decision, actor=user, data=services.CriterionData(name="Last"))
    logged = decision.log_entries.count()
    with pytest.raises(ValidationError, match=f"at most {MAX_CRITERIA_PER_DECISION} criteria"):
        services.criterion_add(
            decision=decision, actor=user, data=services.CriterionData(name="Next")
        )
    assert decision.criteria.count() == MAX_CRITERIA_PER_DECISION
    assert decision.log_entries.count() == logged
