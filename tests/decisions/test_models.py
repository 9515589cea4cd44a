"""The database itself refuses what the data must never hold, whatever the forms did."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from decisions.models import Criterion, Decision, Offer, Rating
from offerdesk.accounts.models import User
from tests.factories import CriterionFactory, OfferFactory, UserFactory

pytestmark = pytest.mark.django_db


def _refused(callable_) -> bool:
    try:
        with transaction.atomic():
            callable_()
    except IntegrityError:
        return True
    return False


@pytest.mark.parametrize("weight", [-1, 101, 1000])
def test_criterion_weight_outside_0_100_is_refused(decision: Decision, weight: int):
    criterion = decision.criteria.first()
    assert _refused(lambda: Criterion.objects.filter(pk=criterion.pk).update(weight=weight))


def test_criterion_weight_bounds_are_accepted(decision: Decision):
    criterion = decision.criteria.first()
    for weight in (0, 100):
        assert not _refused(
            lambda w=weight: Criterion.objects.filter(pk=criterion.pk).update(weight=w)
        )


def test_criterion_names_are_unique_per_decision_whatever_the_case(decision: Decision):
    assert _refused(lambda: CriterionFactory(decision=decision, name="CULTURE"))


def test_the_same_criterion_name_is_fine_in_another_decision(
    decision: Decision, foreign_decision: Decision
):
    assert not _refused(lambda: CriterionFactory(decision=foreign_decision, name="Growth"))
    assert not _refused(lambda: CriterionFactory(decision=decision, name="Growth"))


def test_a_decision_has_one_computed_compensation_criterion(decision: Decision):
    assert _refused(lambda: CriterionFactory(decision=decision, kind=Criterion.Kind.TOTAL_COMP))


def test_an_amount_floor_must_be_the_worse_end(decision: Decision):
    assert _refused(
        lambda: CriterionFactory(
            decision=decision, kind=Criterion.Kind.AMOUNT_LOW, floor=Decimal(10), target=Decimal(60)
        )
    )
    assert not _refused(
        lambda: CriterionFactory(
            decision=decision, kind=Criterion.Kind.AMOUNT_LOW, floor=Decimal(60), target=Decimal(10)
        )
    )


def test_a_rating_criterion_has_no_floor(decision: Decision):
    assert _refused(lambda: CriterionFactory(decision=decision, floor=Decimal(3)))


@pytest.mark.parametrize(
    "field", ["base_salary", "bonus", "equity_per_year", "signing_bonus", "benefits_value"]
)
@pytest.mark.parametrize("amount", [Decimal(-1), Decimal(100_000_001)])
def test_offer_amounts_outside_the_range_are_refused(offer: Offer, field: str, amount: Decimal):
    assert _refused(lambda: Offer.objects.filter(pk=offer.pk).update(**{field: amount}))


def test_offer_rate_must_be_positive(offer: Offer):
    assert _refused(lambda: Offer.objects.filter(pk=offer.pk).update(rate_to_base=0))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("currency", "XXX"),
        ("work_mode", "moon"),
        ("status", "maybe"),
        ("company", ""),
        ("role", ""),
    ],
)
def test_offer_refuses_unknown_codes_and_empty_names(offer: Offer, field: str, value: str):
    assert _refused(lambda: Offer.objects.filter(pk=offer.pk).update(**{field: value}))


@pytest.mark.parametrize(
    ("field", "value"), [("base_currency", "ABC"), ("status", "x"), ("title", "")]
)
def test_decision_refuses_bad_values(decision: Decision, field: str, value: str):
    assert _refused(lambda: Decision.objects.filter(pk=decision.pk).update(**{field: value}))


@pytest.mark.parametrize("score", [Decimal("-0.5"), Decimal("10.5")])
def test_rating_score_outside_0_10_is_refused(offer: Offer, score: Decimal):
    criterion = offer.decision.criteria.get(name="Culture")
    assert _refused(lambda: Rating.objects.create(offer=offer, criterion=criterion, score=score))


def test_one_rating_per_offer_and_criterion(offer: Offer):
    criterion = offer.decision.criteria.get(name="Culture")
    Rating.objects.create(offer=offer, criterion=criterion, score=5)
    assert _refused(lambda: Rating.objects.create(offer=offer, criterion=criterion, score=6))


def test_rating_amount_cannot_be_negative(offer: Offer):
    criterion = CriterionFactory(decision=offer.decision, kind=Criterion.Kind.AMOUNT_LOW)
    assert _refused(lambda: Rating.objects.create(offer=offer, criterion=criterion, amount=-5))


def test_user_email_is_unique_whatever_the_case(user: User):
    assert _refused(lambda: UserFactory(email=user.email.upper()))


def test_pay_in_base_converts_with_the_offers_rate(decision: Decision):
    offer = OfferFactory(
        decision=decision, currency="GBP", rate_to_base=Decimal("1.2"), base_salary=Decimal(50_000),
        bonus=Decimal(5_000),
    )  # fmt: skip
    assert offer.first_year_total == Decimal(55_000)
    assert offer.first_year_total_in_base == Decimal("66000.00")
    assert offer.pay_in_base("annualised") == Decimal("66000.00")
