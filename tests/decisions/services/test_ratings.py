"""decisions/services/ratings.py: the ratings grid, saved in one go."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from decisions import kinds, services
from decisions.kinds import MAX_AMOUNT
from decisions.models import Decision, Offer, Rating
from offerdesk.accounts.models import User
from tests.decisions.services import log_kinds
from tests.factories import CriterionFactory

pytestmark = pytest.mark.django_db

D = Decimal


def _cell(offer: Offer, name: str, **values: object) -> services.RatingInput:
    criterion = offer.decision.criteria.get(name=name)
    return services.RatingInput(offer_id=offer.pk, criterion_id=criterion.pk, **values)


def _version(decision: Decision) -> int:
    return Decision.objects.get(pk=decision.pk).version


def test_ratings_save_writes_the_grid_in_one_entry_with_before_and_after(offer: Offer, user: User):
    decision = offer.decision
    cells = [
        _cell(offer, "Culture", value=D(7), note="Kind people"),
        _cell(offer, "Location", value=D(4)),
    ]
    services.ratings_save(decision=decision, actor=user, cells=cells)
    changes = services.ratings_save(
        decision=decision,
        actor=user,
        cells=[_cell(offer, "Culture", value=D(8), note="Kind people")],
    )
    assert changes[0]["before"] == {"value": "7", "note": "Kind people"}
    assert changes[0]["after"] == {"value": "8", "note": "Kind people"}
    assert log_kinds(decision).count("ratings_changed") == 2
    assert Rating.objects.get(criterion__name="Culture").value == 8
    assert Rating.objects.get(criterion__name="Location").value == 4


def test_ratings_save_bumps_the_decision_version(offer: Offer, user: User):
    before = _version(offer.decision)
    services.ratings_save(
        decision=offer.decision, actor=user, cells=[_cell(offer, "Culture", value=D(7))]
    )
    assert _version(offer.decision) == before + 1


def test_ratings_save_with_no_change_writes_nothing(offer: Offer, user: User):
    cells = [_cell(offer, "Culture", value=D(7))]
    services.ratings_save(decision=offer.decision, actor=user, cells=cells)
    version = _version(offer.decision)
    assert services.ratings_save(decision=offer.decision, actor=user, cells=cells) == []
    assert log_kinds(offer.decision).count("ratings_changed") == 1
    assert _version(offer.decision) == version


def test_clearing_a_value_is_a_change(offer: Offer, user: User):
    services.ratings_save(
        decision=offer.decision, actor=user, cells=[_cell(offer, "Culture", value=D(7))]
    )
    changes = services.ratings_save(
        decision=offer.decision, actor=user, cells=[_cell(offer, "Culture", value=None)]
    )
    assert changes[0]["after"] == {"value": None, "note": ""}
    assert Rating.objects.get().value is None


def test_ratings_save_refuses_a_stale_grid_and_saves_nothing(offer: Offer, user: User):
    read = _version(offer.decision)
    services.ratings_save(
        decision=offer.decision,
        actor=user,
        cells=[_cell(offer, "Culture", value=D(7))],
        expected_version=read,
    )
    with pytest.raises(ValidationError) as refused:
        services.ratings_save(
            decision=offer.decision,
            actor=user,
            cells=[_cell(offer, "Culture", value=D(2))],
            expected_version=read,
        )
    assert refused.value.code == "stale"
    assert Rating.objects.get().value == 7


def test_ratings_save_refuses_a_foreign_offer_and_saves_nothing(
    offer: Offer, foreign_decision: Decision, user: User
):
    foreign_offer = foreign_decision.offers.get()
    culture = offer.decision.criteria.get(name="Culture")
    cells = [
        _cell(offer, "Culture", value=D(7)),
        services.RatingInput(offer_id=foreign_offer.pk, criterion_id=culture.pk, value=D(1)),
    ]
    with pytest.raises(ValidationError):
        services.ratings_save(decision=offer.decision, actor=user, cells=cells)
    assert not Rating.objects.exists()


def test_ratings_save_refuses_a_foreign_criterion_and_saves_nothing(
    offer: Offer, foreign_decision: Decision, user: User
):
    foreign_criterion = foreign_decision.criteria.get(name="Culture")
    cells = [services.RatingInput(offer_id=offer.pk, criterion_id=foreign_criterion.pk, value=D(1))]
    with pytest.raises(ValidationError):
        services.ratings_save(decision=offer.decision, actor=user, cells=cells)
    assert not Rating.objects.exists()


def test_ratings_save_refuses_the_computed_criterion(offer: Offer, user: User):
    with pytest.raises(ValidationError, match="computed"):
        services.ratings_save(
            decision=offer.decision, actor=user, cells=[_cell(offer, "Salary", value=D(5))]
        )
    assert not Rating.objects.exists()


def test_a_rating_of_eleven_is_refused_and_nothing_is_saved(offer: Offer, user: User):
    version = _version(offer.decision)
    cells = [_cell(offer, "Location", value=D(6)), _cell(offer, "Culture", value=D(11))]
    with pytest.raises(ValidationError, match="0 to 10"):
        services.ratings_save(decision=offer.decision, actor=user, cells=cells)
    assert not Rating.objects.exists()
    assert log_kinds(offer.decision) == ["decision_created"]
    assert _version(offer.decision) == version


@pytest.mark.parametrize("value", [D(0), D(10), D("7.5")])
def test_ratings_at_and_within_the_scale_are_saved(offer: Offer, user: User, value: Decimal):
    services.ratings_save(
        decision=offer.decision, actor=user, cells=[_cell(offer, "Culture", value=value)]
    )
    assert Rating.objects.get().value == value


@pytest.mark.parametrize("value", [D(-1), MAX_AMOUNT + 1])
def test_an_amount_outside_its_range_is_refused(offer: Offer, user: User, value: Decimal):
    commute = CriterionFactory(decision=offer.decision, name="Commute", kind=kinds.AMOUNT_LOW)
    cells = [services.RatingInput(offer_id=offer.pk, criterion_id=commute.pk, value=value)]
    with pytest.raises(ValidationError):
        services.ratings_save(decision=offer.decision, actor=user, cells=cells)
    assert not Rating.objects.exists()


def test_amount_criteria_store_amounts_past_the_rating_scale(offer: Offer, user: User):
    commute = CriterionFactory(
        decision=offer.decision, name="Commute", kind=kinds.AMOUNT_LOW, unit="minutes"
    )
    changes = services.ratings_save(
        decision=offer.decision,
        actor=user,
        cells=[services.RatingInput(offer_id=offer.pk, criterion_id=commute.pk, value=D(35))],
    )
    assert Rating.objects.get().value == 35
    assert (changes[0]["kind"], changes[0]["unit"]) == ("amount_low", "minutes")
