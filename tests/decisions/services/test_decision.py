"""decisions/services/decision.py: start a decision, change its details, archive it."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from decisions import kinds, services
from decisions.models import Criterion, Decision
from offerdesk.accounts.models import User
from tests.decisions.services import log_kinds
from tests.factories import OfferFactory

pytestmark = pytest.mark.django_db


def _details(decision: Decision, **changes: object) -> services.DecisionData:
    """The decision's details as stored, with ``changes``: what an edit form submits."""
    decision = Decision.objects.get(pk=decision.pk)
    stored = services.DecisionData(
        title=decision.title,
        goals=decision.goals,
        base_currency=decision.base_currency,
        pay_basis=decision.pay_basis,
    )
    return replace(stored, **changes)


def test_decision_create_adds_five_default_criteria_and_one_log_entry(user: User):
    decision = services.decision_create(
        owner=user,
        data=services.DecisionData(title="  Spring 2027 job search ", base_currency="EUR"),
    )
    assert decision.title == "Spring 2027 job search"
    criteria = list(decision.criteria.values_list("name", "kind", "weight"))
    assert criteria == [
        ("Salary", kinds.TOTAL_COMP, 30),
        ("Culture", kinds.RATING, 20),
        ("Role clarity", kinds.RATING, 15),
        ("Work-life balance", kinds.RATING, 20),
        ("Location", kinds.RATING, 15),
    ]
    assert log_kinds(decision) == ["decision_created"]
    assert decision.log_entries.get().author == user


def test_decision_create_stores_every_detail_it_is_given(user: User):
    data = services.DecisionData(
        title="Move to Lisbon", goals="Learn", base_currency="GBP", pay_basis="first_year"
    )
    decision = services.decision_create(owner=user, data=data)
    decision.refresh_from_db()
    assert (decision.title, decision.goals, decision.base_currency, decision.pay_basis) == (
        "Move to Lisbon",
        "Learn",
        "GBP",
        "first_year",
    )


def test_decision_create_refuses_an_unknown_currency_and_saves_nothing(user: User):
    with pytest.raises(ValidationError):
        services.decision_create(
            owner=user, data=services.DecisionData(title="X", base_currency="ZZZ")
        )
    assert not Decision.objects.exists()
    assert not Criterion.objects.exists()


def test_decision_create_refuses_a_blank_title(user: User):
    with pytest.raises(ValidationError):
        services.decision_create(owner=user, data=services.DecisionData(title="   "))
    assert not Decision.objects.exists()


def test_decision_update_logs_before_and_after(decision: Decision, user: User):
    changes = services.decision_update(
        decision=decision, actor=user, data=_details(decision, title=" Autumn search ")
    )
    assert changes == {"title": {"before": "Spring 2027 job search", "after": "Autumn search"}}
    entry = decision.log_entries.first()
    assert entry.kind == "decision_changed"
    assert entry.author == user
    assert entry.data["changes"]["title"]["after"] == "Autumn search"
    decision.refresh_from_db()
    assert decision.title == "Autumn search"


def test_an_update_that_changes_nothing_writes_nothing(decision: Decision, user: User):
    before = decision.log_entries.count()
    assert services.decision_update(decision=decision, actor=user, data=_details(decision)) == {}
    assert decision.log_entries.count() == before


def test_decision_update_refuses_an_unknown_currency_and_changes_nothing(
    decision: Decision, user: User
):
    with pytest.raises(ValidationError):
        services.decision_update(
            decision=decision, actor=user, data=_details(decision, base_currency="ZZZ")
        )
    decision.refresh_from_db()
    assert decision.base_currency == "EUR"
    assert log_kinds(decision) == ["decision_created"]


def test_changing_the_base_currency_works_out_every_rate_to_it(decision: Decision, user: User):
    # EUR to GBP: the pound offer's 1.17 says one euro is 1/1.17 pounds, and the other
    # rates follow from it, each logged for its offer.
    pound = OfferFactory(
        decision=decision,
        currency="GBP",
        rate_to_base=Decimal("1.17"),
        rate_on=dt.date(2026, 11, 30),
    )
    dollar = OfferFactory(
        decision=decision,
        currency="USD",
        rate_to_base=Decimal("0.9"),
        rate_on=dt.date(2026, 12, 2),
    )
    euro = OfferFactory(decision=decision, currency="EUR", rate_to_base=Decimal(1))
    services.decision_update(
        decision=decision, actor=user, data=_details(decision, base_currency="GBP")
    )
    for offer in (pound, dollar, euro):
        offer.refresh_from_db()
    # In the decision's own currency an offer converts at 1, from no day's rate.
    assert (pound.rate_to_base, pound.rate_on) == (1, None)
    # 0.9 EUR a dollar at 1/1.17 GBP a euro; the older of the two rates' days.
    assert (dollar.rate_to_base, dollar.rate_on) == (Decimal("0.769231"), dt.date(2026, 11, 30))
    assert (euro.rate_to_base, euro.rate_on) == (Decimal("0.854701"), dt.date(2026, 11, 30))
    assert dollar.version == euro.version == 1
    assert log_kinds(decision).count("offer_changed") == 3
    entry = decision.log_entries.filter(kind="offer_changed", data__offer=dollar.pk).get()
    assert entry.data["changes"]["rate_to_base"] == {"before": "0.9", "after": "0.769231"}


def test_a_currency_no_offer_is_paid_in_is_refused_and_changes_nothing(
    decision: Decision, user: User
):
    pound = OfferFactory(decision=decision, currency="GBP", rate_to_base=Decimal("1.17"))
    with pytest.raises(ValidationError, match="No offer is paid in USD"):
        services.decision_update(
            decision=decision, actor=user, data=_details(decision, base_currency="USD")
        )
    decision.refresh_from_db()
    pound.refresh_from_db()
    assert (decision.base_currency, pound.rate_to_base) == ("EUR", Decimal("1.17"))
    assert log_kinds(decision) == ["decision_created"]


def test_decision_update_compares_with_the_stored_row_not_the_callers_instance(
    decision: Decision, user: User
):
    # The caller's instance says one thing, the database another: the database wins.
    decision.title = "Edited in memory only"
    decision.goals = "Also only in memory"
    data = _details(decision, pay_basis="first_year")
    changes = services.decision_update(decision=decision, actor=user, data=data)
    assert changes == {"pay_basis": {"before": "annualised", "after": "first_year"}}


def test_decision_update_logs_the_stored_value_as_before_when_the_caller_is_stale(
    decision: Decision, user: User
):
    stale = Decision.objects.get(pk=decision.pk)
    Decision.objects.filter(pk=decision.pk).update(title="Renamed elsewhere")
    data = services.DecisionData(
        title="Mine",
        goals=stale.goals,
        base_currency=stale.base_currency,
        pay_basis=stale.pay_basis,
    )
    changes = services.decision_update(decision=stale, actor=user, data=data)
    assert changes == {"title": {"before": "Renamed elsewhere", "after": "Mine"}}


def test_archive_and_restore_each_log_once(decision: Decision, user: User):
    services.decision_archive(decision=decision, actor=user)
    services.decision_archive(decision=decision, actor=user)
    decision.refresh_from_db()
    assert decision.status == "archived"
    services.decision_reopen(decision=decision, actor=user)
    services.decision_reopen(decision=decision, actor=user)
    decision.refresh_from_db()
    assert decision.status == "open"
    assert log_kinds(decision)[1:] == ["decision_archived", "decision_reopened"]


def test_restoring_a_decided_decision_makes_it_decided_again(decision: Decision, user: User):
    chosen = OfferFactory(decision=decision)
    services.decision_decide(
        decision=decision, actor=user, chosen_offer=chosen, why="", confidence=None, review_on=None
    )
    services.decision_archive(decision=decision, actor=user)
    services.decision_reopen(decision=decision, actor=user)
    decision.refresh_from_db()
    assert decision.status == "decided"
    assert decision.log_entries.first().data == {"before": "archived", "after": "decided"}


def test_archive_reads_the_stored_status_not_the_callers(decision: Decision, user: User):
    decision.status = Decision.Status.ARCHIVED  # in memory only
    services.decision_archive(decision=decision, actor=user)
    decision.refresh_from_db()
    assert decision.status == "archived"
    assert log_kinds(decision) == ["decision_created", "decision_archived"]
