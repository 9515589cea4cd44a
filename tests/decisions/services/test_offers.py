"""decisions/services/offers.py: add, change and remove offers."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from decisions import services
from decisions.models import (
    MAX_OFFERS_PER_DECISION,
    OFFER_FIELDS,
    OFFER_PAY_FIELDS,
    Decision,
    LogEntry,
    Offer,
)
from decisions.services.offers import offer_deadline_extend, offer_negotiated
from offerdesk.accounts.models import User
from tests.decisions.services import locks_taken, log_kinds
from tests.factories import OfferFactory

pytestmark = pytest.mark.django_db

D = Decimal
TODAY = timezone.localdate


def _details(offer: Offer, **changes: object) -> services.OfferData:
    """The offer as stored, with ``changes``: what an edit form submits."""
    stored = Offer.objects.get(pk=offer.pk)
    return replace(
        services.OfferData(**{name: getattr(stored, name) for name in OFFER_FIELDS}), **changes
    )


def test_offer_data_holds_exactly_the_models_offer_fields():
    names = [field.name for field in dataclasses.fields(services.OfferData)]
    assert sorted(names) == sorted(OFFER_FIELDS)
    assert len(set(OFFER_FIELDS)) == len(OFFER_FIELDS)


def test_offer_data_defaults_are_the_models_defaults():
    for field in dataclasses.fields(services.OfferData):
        if field.default is dataclasses.MISSING:
            continue
        model_default = Offer._meta.get_field(field.name).get_default()
        assert field.default == model_default, field.name


def test_offer_create_and_update_each_log_once(decision: Decision, user: User):
    offer = services.offer_create(
        decision=decision,
        actor=user,
        data=services.OfferData(
            company="Acme", role="Engineer", currency="EUR", base_salary=D(80_000)
        ),
    )
    changes = services.offer_update(
        offer=offer, actor=user, data=_details(offer, base_salary=D(85_000), notes="Called back")
    )
    assert changes == {
        "base_salary": {"before": "80000", "after": "85000"},
        "notes": {"before": "", "after": "Called back"},
    }
    # The first offer with pay also fixes the salary scale (suggested from its pay).
    assert log_kinds(decision) == [
        "decision_created",
        "offer_added",
        "criterion_changed",
        "offer_changed",
    ]
    offer.refresh_from_db()
    assert (offer.base_salary, offer.notes, offer.version) == (D(85_000), "Called back", 1)


def test_offer_create_logs_every_offer_field(decision: Decision, user: User):
    offer = services.offer_create(
        decision=decision,
        actor=user,
        data=services.OfferData(currency="EUR", company="Acme", role="Engineer"),
    )
    entry = decision.log_entries.first()
    assert entry.data["offer"] == offer.pk
    assert set(entry.data) == {"offer", *OFFER_FIELDS}


def test_offer_update_that_changes_nothing_writes_nothing(offer: Offer, user: User):
    assert services.offer_update(offer=offer, actor=user, data=_details(offer)) == {}
    offer.refresh_from_db()
    assert offer.version == 0
    assert log_kinds(offer.decision) == ["decision_created"]


def test_offer_in_the_base_currency_always_converts_at_one(decision: Decision, user: User):
    offer = services.offer_create(
        decision=decision,
        actor=user,
        data=services.OfferData(company="Acme", role="Engineer", currency="EUR", rate_to_base=D(3)),
    )
    assert offer.rate_to_base == 1
    services.offer_update(offer=offer, actor=user, data=_details(offer, rate_to_base=D(3)))
    offer.refresh_from_db()
    assert offer.rate_to_base == 1


def test_an_offer_in_another_currency_keeps_its_rate(decision: Decision, user: User):
    offer = services.offer_create(
        decision=decision,
        actor=user,
        data=services.OfferData(
            company="Acme",
            role="Engineer",
            currency="GBP",
            rate_to_base=D("1.17"),
            rate_on=dt.date(2026, 11, 30),
        ),
    )
    offer.refresh_from_db()
    assert offer.rate_to_base == D("1.17")


def test_offer_create_refuses_a_negative_amount_and_saves_nothing(decision: Decision, user: User):
    with pytest.raises(ValidationError):
        services.offer_create(
            decision=decision,
            actor=user,
            data=services.OfferData(currency="EUR", company="Acme", role="X", bonus=D(-1)),
        )
    assert not Offer.objects.exists()
    assert log_kinds(decision) == ["decision_created"]


def test_offer_update_refuses_an_invalid_value_and_changes_nothing(offer: Offer, user: User):
    with pytest.raises(ValidationError):
        services.offer_update(offer=offer, actor=user, data=_details(offer, company=""))
    offer.refresh_from_db()
    assert (offer.company, offer.version) == ("Acme", 0)
    assert log_kinds(offer.decision) == ["decision_created"]


def test_offer_update_compares_with_the_stored_row_not_the_callers_instance(
    offer: Offer, user: User
):
    data = _details(offer, role="Lead")
    offer.notes = "Typed in memory only"
    offer.base_salary = D(1)
    changes = services.offer_update(offer=offer, actor=user, data=data)
    assert changes == {"role": {"before": "Data Engineer", "after": "Lead"}}


def test_offer_update_logs_the_stored_value_as_before_when_the_caller_is_stale(
    offer: Offer, user: User
):
    stale = Offer.objects.get(pk=offer.pk)
    Offer.objects.filter(pk=offer.pk).update(base_salary=D(90_000))
    data = services.OfferData(
        **{name: getattr(stale, name) for name in OFFER_FIELDS if name != "base_salary"},
        base_salary=D(85_000),
    )
    changes = services.offer_update(offer=stale, actor=user, data=data)
    assert changes == {"base_salary": {"before": "90000", "after": "85000"}}


def test_offer_update_refuses_a_stale_version_and_saves_nothing(offer: Offer, user: User):
    read = Offer.objects.get(pk=offer.pk).version
    services.offer_update(
        offer=offer, actor=user, data=_details(offer, notes="First"), expected_version=read
    )
    with pytest.raises(ValidationError) as refused:
        services.offer_update(
            offer=offer, actor=user, data=_details(offer, notes="Second"), expected_version=read
        )
    assert refused.value.code == "stale"
    offer.refresh_from_db()
    assert (offer.notes, offer.version) == ("First", read + 1)
    assert log_kinds(offer.decision).count("offer_changed") == 1


def test_offer_update_logs_pay_fields_by_their_names(offer: Offer, user: User):
    moved = _details(offer, bonus=D(5_000), currency="GBP", rate_to_base=D("1.17"), rate_on=TODAY())
    services.offer_update(offer=offer, actor=user, data=moved)
    entry = offer.decision.log_entries.get(kind="offer_changed")
    assert set(entry.data["changes"]) == {"bonus", "currency", "rate_to_base", "rate_on"}
    assert set(entry.data["changes"]) <= set(OFFER_PAY_FIELDS)


def test_the_service_keeps_the_pay_rules_a_form_would(decision: Decision, user: User):
    # A caller that skipped the form is refused alike: another currency at the rate of
    # 1 and from no day, options without prices; nothing is saved.
    data = services.OfferData(
        company="Acme", role="Engineer", currency="GBP", equity_kind="options"
    )
    with pytest.raises(ValidationError) as refused:
        services.offer_create(decision=decision, actor=user, data=data)
    assert set(refused.value.message_dict) == {
        "rate_to_base",
        "rate_on",
        "share_price",
        "strike_price",
    }
    assert not decision.offers.exists()


def test_offer_remove_keeps_a_snapshot_in_the_log(offer: Offer, user: User):
    decision = offer.decision
    services.offer_remove(offer=offer, actor=user)
    assert not decision.offers.exists()
    entry = decision.log_entries.first()
    assert (entry.kind, entry.data["company"], entry.data["base_salary"]) == (
        "offer_removed",
        "Acme",
        "80000",
    )


def test_a_decision_takes_offers_up_to_the_cap_and_refuses_the_next(decision: Decision, user: User):
    OfferFactory.create_batch(MAX_OFFERS_PER_DECISION - 1, decision=decision)
    data = services.OfferData(currency="EUR", company="Last", role="Engineer")
    services.offer_create(decision=decision, actor=user, data=data)
    logged = decision.log_entries.count()
    with pytest.raises(ValidationError, match=f"at most {MAX_OFFERS_PER_DECISION} offers"):
        services.offer_create(decision=decision, actor=user, data=replace(data, company="Next"))
    assert decision.offers.count() == MAX_OFFERS_PER_DECISION
    assert decision.log_entries.count() == logged


@pytest.mark.parametrize("status", ["accepted", "confirmed", "retracted"])
def test_an_offer_told_yes_or_taken_back_is_not_removed(offer: Offer, user: User, status: str):
    Offer.objects.filter(pk=offer.pk).update(
        status=status, confirmed_on=TODAY() if status == "confirmed" else None
    )
    entries = LogEntry.objects.count()
    with pytest.raises(ValidationError, match="stays") as refused:
        services.offer_remove(offer=offer, actor=user)
    if status != "retracted":
        assert "Change your mind" in refused.value.messages[0]
    assert Offer.objects.filter(pk=offer.pk, status=status).exists()
    assert LogEntry.objects.count() == entries


@pytest.mark.parametrize("status", ["open", "declined", "expired", "withdrawn"])
def test_other_offers_are_still_removed(offer: Offer, user: User, status: str):
    Offer.objects.filter(pk=offer.pk).update(status=status)
    services.offer_remove(offer=offer, actor=user)
    assert not Offer.objects.filter(pk=offer.pk).exists()


@pytest.mark.parametrize("status", ["accepted", "confirmed", "retracted"])
def test_an_offer_is_not_created_accepted_or_taken_back(
    decision: Decision, user: User, status: str
):
    entries = LogEntry.objects.count()
    data = services.OfferData(currency="EUR", company="Acme", role="Engineer", status=status)
    with pytest.raises(ValidationError) as refused:
        services.offer_create(decision=decision, actor=user, data=data)
    assert "deciding on it" in refused.value.error_dict["status"][0].messages[0]
    assert not decision.offers.exists()
    assert LogEntry.objects.count() == entries


def test_an_offer_is_still_created_declined(decision: Decision, user: User):
    data = services.OfferData(currency="EUR", company="Acme", role="Engineer", status="declined")
    offer = services.offer_create(decision=decision, actor=user, data=data)
    assert offer.status == "declined"


@pytest.mark.parametrize(
    "write",
    [
        lambda offer, user: services.offer_update(
            offer=offer, actor=user, data=_details(offer, notes="Called")
        ),
        lambda offer, user: offer_negotiated(
            offer=offer, actor=user, figures={"base_salary": D(90_000)}
        ),
        lambda offer, user: offer_deadline_extend(
            offer=offer, actor=user, until=TODAY() + dt.timedelta(days=9), today=TODAY()
        ),
        lambda offer, user: services.offer_remove(offer=offer, actor=user),
    ],
    ids=["update", "negotiated", "deadline_extend", "remove"],
)
def test_a_write_to_an_offer_locks_its_decision_before_the_offer(offer: Offer, user: User, write):
    # Every writer takes the decision first: two writers taking them in opposite
    # orders could each wait for the other (a deadlock on PostgreSQL).
    with locks_taken() as taken:
        write(offer, user)
    assert taken[0] == "Decision"
    assert "Offer" not in taken or taken.index("Offer") > 0
