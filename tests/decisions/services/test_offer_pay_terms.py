"""The offer's pay terms as stored: how a monthly salary, equity by kind, the rate's
day and the cost of living are kept, and the views of pay the ranking can take."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from decisions import selectors, services
from decisions.models import OFFER_FIELDS, Decision, LogEntry, Offer
from offerdesk.accounts.models import User
from tests.factories import OfferFactory

pytestmark = pytest.mark.django_db

D = Decimal


def _create(decision: Decision, user: User, **pay: object) -> Offer:
    data = services.OfferData(
        company="Acme", role="Engineer", currency=decision.base_currency, **pay
    )
    return services.offer_create(decision=decision, actor=user, data=data)


def test_a_monthly_salary_is_kept_as_given_and_makes_the_yearly_one(decision: Decision, user: User):
    offer = _create(
        decision,
        user,
        salary_period=Offer.SalaryPeriod.MONTHLY,
        monthly_salary=D(4_000),
        salaries_per_year=14,
        base_salary=D(1),  # whatever was typed there, the months decide
    )
    offer.refresh_from_db()
    assert (offer.monthly_salary, offer.salaries_per_year, offer.base_salary) == (
        D(4_000),
        14,
        D(56_000),
    )


def test_a_yearly_salary_keeps_no_monthly_figure(decision: Decision, user: User):
    offer = _create(
        decision,
        user,
        salary_period=Offer.SalaryPeriod.YEARLY,
        monthly_salary=D(4_000),
        base_salary=D(60_000),
    )
    offer.refresh_from_db()
    assert (offer.monthly_salary, offer.base_salary) == (None, D(60_000))


def test_prices_belong_to_options_alone(decision: Decision, user: User):
    offer = _create(
        decision,
        user,
        base_salary=D(90_000),
        equity_kind=Offer.EquityKind.PRIVATE,
        share_price=D(5),
        strike_price=D(2),
    )
    offer.refresh_from_db()
    assert (offer.share_price, offer.strike_price) == (None, None)


def test_an_offer_in_the_decisions_currency_has_no_rate_day(decision: Decision, user: User):
    offer = _create(decision, user, base_salary=D(1), rate_on=dt.date(2026, 12, 1))
    offer.refresh_from_db()
    assert (offer.rate_to_base, offer.rate_on) == (D(1), None)


@pytest.mark.parametrize(
    "row",
    [
        {"equity_kind": "options", "share_price": None, "strike_price": D(1)},
        {"equity_kind": "options", "share_price": D(0), "strike_price": D(1)},
        {"equity_kind": "shares"},
        {"equity_valued_percent": D(101)},
        {"salary_period": "monthly", "monthly_salary": None},
        {"salary_period": "yearly", "monthly_salary": D(4_000)},
        {"salaries_per_year": 15},
        {"cost_of_living": 10},
        {"equity_kind": "rsu", "share_price": D(5), "strike_price": D(1)},
        {"equity_kind": "private", "strike_price": D(1)},
        # A salary by the month whose yearly base is not its months.
        {
            "salary_period": "monthly",
            "monthly_salary": D(4_000),
            "salaries_per_year": 13,
            "base_salary": D(48_000),
        },
        {
            "salary_period": "monthly",
            "monthly_salary": D(4_000),
            "salaries_per_year": 12,
            "base_salary": None,
        },
    ],
)
def test_the_database_refuses_pay_terms_that_cannot_be(decision: Decision, row: dict):
    with pytest.raises(IntegrityError), transaction.atomic():
        OfferFactory(decision=decision, **row)


def test_a_salary_by_the_month_is_stored_to_the_cent(decision: Decision):
    offer = OfferFactory(
        decision=decision,
        salary_period="monthly",
        monthly_salary=D("7142.86"),
        salaries_per_year=14,
        base_salary=D("100000.04"),
    )
    assert Offer.objects.get(pk=offer.pk).base_salary == D("100000.04")


def test_each_view_of_pay_gives_its_own_figure(decision: Decision):
    offer = OfferFactory(
        decision=decision,
        currency=decision.base_currency,
        base_salary=D(100_000),
        bonus=D(20_000),
        equity_per_year=D(0),
        signing_bonus=D(0),
        benefits_value=D(0),
        cost_of_living=125,
    )
    basis = Decision.PayBasis.FIRST_YEAR
    assert offer.pay_in_base(basis) == D(120_000)
    assert offer.pay_in_base(basis, "guaranteed") == D(100_000)
    assert offer.pay_in_base(basis, "living") == D(96_000)
    with pytest.raises(ValueError, match="Unknown view of pay"):
        offer.pay_in_base(basis, "after tax")


def test_the_log_writes_the_new_amounts_as_amounts(decision: Decision, user: User):
    offer = _create(decision, user, base_salary=D(60_000))
    stored = Offer.objects.get(pk=offer.pk)
    data = services.OfferData(**{name: getattr(stored, name) for name in OFFER_FIELDS})
    services.offer_update(
        offer=stored,
        actor=user,
        expected_version=stored.version,
        data=replace(
            data,
            salary_period=Offer.SalaryPeriod.MONTHLY,
            monthly_salary=D("7500.50"),
            salaries_per_year=14,
            equity_kind=Offer.EquityKind.OPTIONS,
            share_price=D(12_000),
            strike_price=D(4),
        ),
    )
    entry = decision.log_entries.filter(kind=LogEntry.Kind.OFFER_CHANGED).first()
    shown = {
        change.label: change.after for change in selectors.entry_view(entry, pay_shown=True).changes
    }
    assert shown["monthly salary"] == "7,500.50"
    assert shown["share price"] == "12,000"
    assert shown["strike price"] == "4"
