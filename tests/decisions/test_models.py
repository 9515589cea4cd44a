"""The database itself refuses what the data must never hold, whatever the forms did."""

from __future__ import annotations

from decimal import Decimal

import pytest
from allauth.account.models import EmailAddress
from django.db import IntegrityError, transaction
from django.utils import timezone

from decisions import kinds
from decisions.kinds import MAX_AMOUNT
from decisions.models import (
    OFFER_CONTACT_FIELDS,
    OFFER_FIELDS,
    OFFER_IDENTITY_FIELDS,
    OFFER_PAY_AMOUNTS,
    OFFER_PAY_FIELDS,
    OFFER_TERMS_FIELDS,
    CoachGrant,
    Criterion,
    Decision,
    LogEntry,
    Offer,
    Rating,
)
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


@pytest.mark.parametrize("code", kinds.codes(computed=True))
def test_a_decision_has_one_computed_criterion(decision: Decision, code: str):
    assert _refused(lambda: CriterionFactory(decision=decision, kind=code))
    culture = decision.criteria.get(name="Culture")
    assert _refused(lambda: Criterion.objects.filter(pk=culture.pk).update(kind=code))


def test_a_computed_criterion_in_each_of_two_decisions_is_fine(
    decision: Decision, foreign_decision: Decision
):
    computed = Criterion.objects.filter(kind__in=kinds.codes(computed=True))
    assert computed.filter(decision=decision).count() == 1
    assert computed.filter(decision=foreign_decision).count() == 1


def test_an_unknown_kind_is_refused(decision: Decision):
    culture = decision.criteria.get(name="Culture")
    assert _refused(lambda: Criterion.objects.filter(pk=culture.pk).update(kind="vibes"))


def _criterion_of_kind(decision: Decision, code: str) -> Criterion:
    """A criterion of ``code`` in ``decision``: the existing one if the kind is computed."""
    if kinds.get(code).computed:
        return decision.criteria.get(kind=code)
    return CriterionFactory(decision=decision, kind=code)


@pytest.mark.parametrize("code", kinds.codes(anchors="floor_target"))
def test_the_floor_must_be_the_worse_end_of_an_amount(decision: Decision, code: str):
    criterion = _criterion_of_kind(decision, code)
    low, high = Decimal(10), Decimal(60)
    worse_first = (low, high) if kinds.get(code).higher_is_better else (high, low)
    anchors = Criterion.objects.filter(pk=criterion.pk)
    assert _refused(lambda: anchors.update(floor=worse_first[1], target=worse_first[0]))
    assert _refused(lambda: anchors.update(floor=low, target=low))
    assert not _refused(lambda: anchors.update(floor=worse_first[0], target=worse_first[1]))


def test_an_amount_floor_above_its_target_is_refused(decision: Decision):
    assert _refused(
        lambda: CriterionFactory(
            decision=decision, kind=kinds.AMOUNT, floor=Decimal(90), target=Decimal(50)
        )
    )


def test_an_amount_has_both_ends_of_its_scale_or_neither(decision: Decision):
    assert _refused(
        lambda: CriterionFactory(decision=decision, kind=kinds.AMOUNT, floor=Decimal(90))
    )
    assert _refused(
        lambda: CriterionFactory(decision=decision, kind=kinds.AMOUNT_LOW, target=Decimal(5))
    )
    assert not _refused(lambda: CriterionFactory(decision=decision, kind=kinds.AMOUNT))


@pytest.mark.parametrize("code", kinds.codes(anchors="fixed"))
@pytest.mark.parametrize(
    "anchors",
    [{"target": Decimal(8)}, {"floor": Decimal(1), "target": Decimal(8)}, {"floor": Decimal(0)},
     {"floor": Decimal(11)}],
    ids=["target", "both", "floor-at-the-bottom", "floor-past-the-top"],
)  # fmt: skip
def test_a_fixed_scale_criterion_has_no_target_and_a_floor_inside_it(
    decision: Decision, code: str, anchors: dict
):
    assert _refused(lambda: CriterionFactory(decision=decision, kind=code, **anchors))


@pytest.mark.parametrize(
    ("code", "floor"), [(kinds.RATING, Decimal(4)), (kinds.YES_NO, Decimal(1))]
)
def test_a_fixed_scale_takes_a_floor_inside_it(decision: Decision, code: str, floor: Decimal):
    assert not _refused(lambda: CriterionFactory(decision=decision, kind=code, floor=floor))


def test_a_suggested_range_has_both_ends(decision: Decision):
    assert _refused(
        lambda: CriterionFactory(decision=decision, kind=kinds.AMOUNT, suggested_from="offers")
    )
    assert _refused(
        lambda: CriterionFactory(
            decision=decision, kind=kinds.AMOUNT, floor=1, target=2, suggested_from="guess"
        )
    )


def test_a_rating_range_runs_upwards_from_its_value(offer):
    criterion = offer.decision.criteria.get(name="Culture")
    assert _refused(lambda: Rating.objects.create(offer=offer, criterion=criterion, value_high=8))
    assert _refused(
        lambda: Rating.objects.create(offer=offer, criterion=criterion, value=8, value_high=5)
    )
    assert not _refused(
        lambda: Rating.objects.create(offer=offer, criterion=criterion, value=5, value_high=8)
    )


@pytest.mark.parametrize("field", ["floor", "target"])
@pytest.mark.parametrize("amount", [Decimal(-1), MAX_AMOUNT + 1])
def test_criterion_anchors_outside_the_range_are_refused(
    decision: Decision, field: str, amount: Decimal
):
    criterion = CriterionFactory(decision=decision, kind=kinds.AMOUNT)
    assert _refused(lambda: Criterion.objects.filter(pk=criterion.pk).update(**{field: amount}))


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


@pytest.mark.parametrize("value", [Decimal("-0.5"), MAX_AMOUNT + 1])
def test_a_rating_value_outside_0_and_max_amount_is_refused(offer: Offer, value: Decimal):
    criterion = CriterionFactory(decision=offer.decision, kind=kinds.AMOUNT_LOW)
    assert _refused(lambda: Rating.objects.create(offer=offer, criterion=criterion, value=value))


@pytest.mark.parametrize("value", [None, Decimal(0), MAX_AMOUNT])
def test_a_rating_value_from_0_to_max_amount_or_unknown_is_accepted(
    offer: Offer, value: Decimal | None
):
    criterion = CriterionFactory(decision=offer.decision, kind=kinds.AMOUNT)
    assert not _refused(
        lambda: Rating.objects.create(offer=offer, criterion=criterion, value=value)
    )


def test_one_rating_per_offer_and_criterion(offer: Offer):
    criterion = offer.decision.criteria.get(name="Culture")
    Rating.objects.create(offer=offer, criterion=criterion, value=5)
    assert _refused(lambda: Rating.objects.create(offer=offer, criterion=criterion, value=6))


def test_only_one_account_can_have_an_address_confirmed_whatever_the_case(user: User):
    """Two accounts may type one address (a sign-up with a taken address is answered
    like any other, settings.ACCOUNT_PREVENT_ENUMERATION), but only one can confirm it."""
    newcomer = UserFactory(email=user.email.upper(), email_confirmed=False)
    assert EmailAddress.objects.get(user=user).verified
    assert _refused(
        lambda: EmailAddress.objects.create(
            user=newcomer, email=user.email.lower(), primary=True, verified=True
        )
    )


def test_pay_in_base_converts_with_the_offers_rate(decision: Decision):
    offer = OfferFactory(
        decision=decision, currency="GBP", rate_to_base=Decimal("1.2"), base_salary=Decimal(50_000),
        bonus=Decimal(5_000),
    )  # fmt: skip
    assert offer.first_year_total == Decimal(55_000)
    assert offer.first_year_total_in_base == Decimal("66000.00")
    assert offer.pay_in_base("annualised") == Decimal("66000.00")


def test_a_criterion_asks_the_registry_what_its_kind_does(decision: Decision):
    salary = decision.criteria.get(name="Salary")
    assert salary.kind_spec is kinds.get(kinds.TOTAL_COMP)
    assert decision.criteria.get(name="Culture").kind_spec.fixed_scale == (0.0, 10.0)


def test_the_kind_choices_are_the_registrys():
    assert Criterion._meta.get_field("kind").choices == kinds.CHOICES


def test_offer_fields_name_every_field_a_candidate_edits_once():
    # The day an acceptance was confirmed and the day to stay in touch are set by
    # their flows' services (acceptance, stay in touch), never typed on the offer form.
    set_by_flows = {"confirmed_on", "stay_in_touch_on"}
    not_entered = {"id", "decision", "version", "created_at", "updated_at", *set_by_flows}
    editable = {f.name for f in Offer._meta.concrete_fields} - not_entered
    assert sorted(OFFER_FIELDS) == sorted(editable)


def test_offer_field_groups_are_disjoint_parts_of_offer_fields():
    groups = [OFFER_IDENTITY_FIELDS, OFFER_PAY_FIELDS, OFFER_TERMS_FIELDS, OFFER_CONTACT_FIELDS]
    names = [name for group in groups for name in group]
    assert len(names) == len(set(names))
    assert set(names) <= set(OFFER_FIELDS)
    assert set(OFFER_PAY_AMOUNTS) <= set(OFFER_PAY_FIELDS)


def test_every_pay_amount_is_range_checked_by_the_database(offer: Offer):
    for field in OFFER_PAY_AMOUNTS:
        assert _refused(
            lambda f=field: Offer.objects.filter(pk=offer.pk).update(**{f: MAX_AMOUNT + 1})
        ), field


def test_active_grants_are_the_unrevoked_ones(user: User, other_user: User):
    active = CoachGrant.objects.create(client=user, coach=other_user)
    CoachGrant.objects.create(client=other_user, coach=user, revoked_at=timezone.now())
    assert list(CoachGrant.objects.active()) == [active]


def test_a_pair_has_at_most_one_active_grant(user: User, other_user: User):
    CoachGrant.objects.create(client=user, coach=other_user, revoked_at=timezone.now())
    CoachGrant.objects.create(client=user, coach=other_user)
    assert _refused(lambda: CoachGrant.objects.create(client=user, coach=other_user))


def test_nobody_coaches_themselves(user: User):
    assert _refused(lambda: CoachGrant.objects.create(client=user, coach=user))


def test_a_decision_holds_one_accepted_offer_at_most(decision: Decision):
    OfferFactory(decision=decision, status=Offer.Status.ACCEPTED)
    # Another decision's acceptance, and other statuses beside it, are fine.
    OfferFactory(status=Offer.Status.CONFIRMED)
    OfferFactory(decision=decision, status=Offer.Status.RETRACTED)
    for status in (Offer.Status.ACCEPTED, Offer.Status.CONFIRMED):
        with pytest.raises(IntegrityError), transaction.atomic():
            OfferFactory(decision=decision, status=status)


def test_only_a_confirmed_offer_has_its_day_and_it_always_does(decision: Decision):
    today = timezone.localdate()
    OfferFactory(decision=decision, status=Offer.Status.CONFIRMED, confirmed_on=today)
    for status, day in [
        (Offer.Status.CONFIRMED, None),
        (Offer.Status.ACCEPTED, today),
        (Offer.Status.RETRACTED, today),
        (Offer.Status.OPEN, today),
    ]:
        with pytest.raises(IntegrityError), transaction.atomic():
            OfferFactory(status=status, confirmed_on=day)


def test_message_kinds_are_named_for_every_purpose():
    # The log shows a drafted acceptance or counter-ask too; the summary names which.
    labels = {
        LogEntry.Kind.MESSAGE_DRAFTED.label,
        LogEntry.Kind.MESSAGE_EXPORTED.label,
        LogEntry.Kind.MESSAGE_SENT.label,
    }
    assert labels == {"Message drafted", "Message exported", "Message sent"}


def test_an_offer_knows_whether_its_acceptance_was_taken_back():
    assert Offer(status=Offer.Status.RETRACTED).is_retracted
    assert not Offer(status=Offer.Status.WITHDRAWN).is_retracted
    assert not Offer(status=Offer.Status.RETRACTED).is_accepted
