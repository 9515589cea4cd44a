"""How an offer's pay was given travels in the export (version 6), an older file takes
the usual terms, and a file whose pay could not have been saved is refused in words
(decisions/portability.py)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from decisions.models import Decision, Offer
from offerdesk.accounts.models import User
from offerdesk.portability import export_user_data, import_user_data
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

D = Decimal
PAY_GIVEN = (
    "rate_to_base",
    "rate_on",
    "salary_period",
    "monthly_salary",
    "salaries_per_year",
    "base_salary",
    "equity_kind",
    "equity_valued_percent",
    "share_price",
    "strike_price",
    "cost_of_living",
)


@pytest.fixture
def demo() -> User:
    call_command("seed_demo")
    return User.objects.get(username="demo")


def _pay(user: User) -> dict[str, tuple]:
    offers = Offer.objects.filter(decision__owner=user)
    return {offer.company: tuple(getattr(offer, name) for name in PAY_GIVEN) for offer in offers}


def _offer(document: dict, company: str) -> dict:
    return next(o for o in document["decisions"][0]["offers"] if o["company"] == company)


def test_how_pay_was_given_survives_the_round_trip(demo: User):
    Offer.objects.filter(company="Northwind Analytics").update(
        equity_kind="private", equity_valued_percent=D("37.5")
    )
    twin = UserFactory()
    import_user_data(twin, export_user_data(demo))
    assert _pay(twin) == _pay(demo)
    fjord = Offer.objects.get(decision__owner=twin, company="Fjord Health")
    assert (fjord.equity_kind, fjord.share_price, fjord.strike_price) == ("options", D(12), D(4))
    assert fjord.rate_on == timezone.localdate() - dt.timedelta(days=3)
    lumen = Offer.objects.get(decision__owner=twin, company="Lumen Bank")
    assert (lumen.monthly_salary, lumen.salaries_per_year, lumen.cost_of_living) == (
        D(7_500),
        14,
        115,
    )


def test_a_version_5_file_takes_a_yearly_salary_and_listed_shares(demo: User):
    document = json.loads(export_user_data(demo))
    document["version"] = 5
    for offer in document["decisions"][0]["offers"]:
        for name in PAY_GIVEN:
            if name not in ("rate_to_base", "base_salary"):
                del offer[name]
    twin = UserFactory()
    import_user_data(twin, json.dumps(document))
    for offer in Offer.objects.filter(decision__owner=twin):
        assert (offer.salary_period, offer.monthly_salary, offer.salaries_per_year) == (
            "yearly",
            None,
            12,
        )
        assert (offer.equity_kind, offer.equity_valued_percent) == ("rsu", None)
        assert (offer.share_price, offer.strike_price) == (None, None)
        assert (offer.rate_on, offer.cost_of_living) == (None, None)
    # The yearly base of the monthly salary is what a version 5 file kept.
    assert Offer.objects.get(decision__owner=twin, company="Lumen Bank").base_salary == 105_000


@pytest.mark.parametrize(
    ("company", "change", "field"),
    [
        ("Lumen Bank", {"monthly_salary": None}, "monthly_salary"),
        ("Lumen Bank", {"base_salary": "100000.00"}, "base_salary"),
        ("Lumen Bank", {"salaries_per_year": 15}, "salaries_per_year"),
        ("Northwind Analytics", {"monthly_salary": "7000.00"}, "monthly_salary"),
        ("Fjord Health", {"share_price": None}, "share_price"),
        ("Fjord Health", {"strike_price": None}, "strike_price"),
        ("Fjord Health", {"share_price": "0"}, "share_price"),
        ("Fjord Health", {"equity_kind": "warrants"}, "equity_kind"),
        ("Fjord Health", {"rate_on": "2999-01-01"}, "rate_on"),
        ("Fjord Health", {"rate_on": "yesterday"}, "rate_on"),
        ("Northwind Analytics", {"equity_valued_percent": "100.5"}, "equity_valued_percent"),
        ("Northwind Analytics", {"cost_of_living": 10}, "cost_of_living"),
        ("Northwind Analytics", {"salary_period": "weekly"}, "salary_period"),
    ],
)
def test_pay_that_could_not_have_been_saved_is_refused_in_words(
    demo: User, company: str, change: dict, field: str
):
    document = json.loads(export_user_data(demo))
    _offer(document, company).update(change)
    twin = UserFactory()
    with pytest.raises(ValidationError, match=f"decision 1, offer \\d: {field}"):
        import_user_data(twin, json.dumps(document))
    assert not Decision.objects.filter(owner=twin).exists()
