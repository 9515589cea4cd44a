"""decisions/services/log.py: what every write shares (the entry, the lock, the diff)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from decisions import services
from decisions.models import Decision, LogEntry, Offer
from decisions.services.log import apply_changes, claim_version, plain, snapshot
from offerdesk.accounts.models import User
from offerdesk.forms import STALE
from tests.factories import OfferFactory

D = Decimal


@dataclass(frozen=True)
class _Pay:
    base_salary: Decimal | None
    bonus: Decimal
    notes: str


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        (True, True),
        (7, 7),
        ("text", "text"),
        (D("80000.00"), "80000"),
        (D("7.50"), "7.5"),
        (D("1E+5"), "100000"),
        (dt.date(2027, 3, 1), "2027-03-01"),
    ],
)
def test_plain_gives_log_friendly_values(value: object, expected: object):
    assert plain(value) == expected


def test_apply_changes_returns_only_real_changes_in_plain_form():
    row = Offer(base_salary=D("80000.00"), bonus=D(0), notes="")
    changes = apply_changes(row, _Pay(base_salary=D(85_000), bonus=D("0.00"), notes=""))
    assert changes == {"base_salary": {"before": "80000", "after": "85000"}}
    assert (row.base_salary, row.bonus, row.notes) == (D(85_000), D("0.00"), "")


def test_apply_changes_on_an_equal_row_is_empty():
    row = Offer(base_salary=None, bonus=D(5), notes="x")
    assert apply_changes(row, _Pay(base_salary=None, bonus=D("5.0"), notes="x")) == {}


def test_apply_changes_sees_a_value_cleared():
    row = Offer(base_salary=D(1), bonus=D(0), notes="")
    changes = apply_changes(row, _Pay(base_salary=None, bonus=D(0), notes=""))
    assert changes == {"base_salary": {"before": "1", "after": None}}


def test_snapshot_keeps_the_named_fields_in_plain_form():
    row = Offer(company="Acme", base_salary=D("80000.00"))
    assert snapshot(row, ("company", "base_salary")) == {"company": "Acme", "base_salary": "80000"}


@pytest.mark.django_db
def test_claim_version_returns_the_next_version(decision: Decision):
    Decision.objects.filter(pk=decision.pk).update(version=4)
    assert claim_version(Decision, decision.pk, 4) == 5
    assert claim_version(Decision, decision.pk, None) == 5


@pytest.mark.django_db
def test_claim_version_refuses_a_stale_version_with_code_stale(decision: Decision):
    Decision.objects.filter(pk=decision.pk).update(version=4)
    with pytest.raises(ValidationError) as refused:
        claim_version(Decision, decision.pk, 3)
    assert refused.value.code == STALE == "stale"
    assert refused.value.messages == [services.STALE_MESSAGE]


@pytest.mark.django_db
def test_log_append_keeps_a_summary_within_its_column(decision: Decision, user: User):
    entry = services.log_append(
        decision=decision,
        author=user,
        kind=LogEntry.Kind.GOAL,
        summary="x" * 400,
        data={"a": 1},
        private=True,
    )
    entry.refresh_from_db()
    assert (len(entry.summary), entry.data, entry.private) == (300, {"a": 1}, True)


@pytest.mark.django_db
def test_every_service_writes_exactly_one_entry_per_call(decision: Decision, user: User):
    """One call, one entry: a sweep over each writing service of one decision. (A call
    that gives an amount its first value writes one more, for the scale it suggests:
    the salary range is set here so that none does.)"""
    decision.criteria.filter(name="Salary").update(floor=D(50_000), target=D(90_000))
    offer = services.offer_create(
        decision=decision,
        actor=user,
        data=services.OfferData(company="A", role="B", currency="EUR"),
    )
    keeper = OfferFactory(decision=decision)
    culture = decision.criteria.get(name="Culture")
    details = services.DecisionData(
        title=decision.title, goals="Grow", base_currency=decision.base_currency
    )
    offer_details = services.OfferData(company="A", role="Lead", currency="EUR")
    calls = [
        lambda: services.decision_update(decision=decision, actor=user, data=details),
        lambda: services.criterion_add(
            decision=decision, actor=user, data=services.CriterionData(name="Team", weight=5)
        ),
        lambda: services.criterion_update(
            criterion=culture, actor=user, data=services.CriterionData(name="Culture", weight=25)
        ),
        lambda: services.criteria_reweight(
            decision=decision, actor=user, weights={c.pk: 7 for c in decision.criteria.all()}
        ),
        lambda: services.criterion_move(criterion=culture, actor=user, direction="down"),
        lambda: services.offer_update(offer=offer, actor=user, data=offer_details),
        lambda: services.ratings_save(
            decision=decision,
            actor=user,
            cells=[services.RatingInput(offer_id=offer.pk, criterion_id=culture.pk, value=D(6))],
        ),
        lambda: services.criterion_remove(criterion=decision.criteria.get(name="Team"), actor=user),
        lambda: services.offer_remove(offer=offer, actor=user),
        lambda: services.decision_decide(
            decision=decision,
            actor=user,
            chosen_offer=keeper,
            why="",
            confidence=50,
            review_on=None,
        ),
        lambda: services.reflection_add(decision=decision, actor=user, kind="goal", body="Grow"),
        lambda: services.decision_must_haves_set(
            decision=decision, actor=user, work_modes=["onsite"], locations=[]
        ),
        lambda: services.decision_archive(decision=decision, actor=user),
        lambda: services.decision_reopen(decision=decision, actor=user),
    ]
    for call in calls:
        before = LogEntry.objects.count()
        call()
        assert LogEntry.objects.count() == before + 1
