from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone

from decisions.models import Decision, LogEntry, Offer, Rating
from decisions.selectors import comparison
from offerdesk.accounts.models import User

pytestmark = pytest.mark.django_db


def test_seed_demo_loads_one_decision_with_three_rated_offers_once(capsys):
    call_command("seed_demo")
    call_command("seed_demo")
    user = User.objects.get(username="demo")
    assert user.check_password("offerdesk-demo")
    decision = Decision.objects.get(owner=user)
    assert decision.offers.count() == 3
    assert decision.criteria.count() == 5
    assert Rating.objects.count() == 12
    assert Offer.objects.count() == 3
    # Started, salary anchored, three offers, one grid of ratings.
    assert LogEntry.objects.count() == 6
    out = capsys.readouterr().out
    assert "already there" in out
    assert "password “offerdesk-demo”" in out


def test_the_demo_shows_a_lead_drivers_a_flip_a_pay_figure_and_an_unknown():
    call_command("seed_demo")
    ranked = comparison(Decision.objects.get(owner__username="demo"))
    said = {claim.kind for claim in ranked.claims}
    assert {"lead", "drivers", "flip", "pay_to_overtake", "unknown"} <= said
    assert ranked.headline.kind == "lead"
    assert ranked.leader.offer.company == "Northwind Analytics"
    [unknown] = ranked.claims_of("unknown")
    assert unknown.text.startswith("Fjord Health has no Role clarity rating yet")


def test_the_demo_signs_with_the_address_it_sends_from():
    call_command("seed_demo")
    user = User.objects.get(username="demo")
    assert user.email in user.signature


def test_the_demo_gives_pay_in_the_ways_the_offer_form_takes_it():
    call_command("seed_demo")
    offers = {o.company: o for o in Offer.objects.filter(decision__owner__username="demo")}
    fjord, lumen = offers["Fjord Health"], offers["Lumen Bank"]
    # In pounds at a rate of a day gone by, with options worth their price above the strike.
    assert fjord.converted
    assert fjord.rate_on is not None
    assert fjord.rate_on < timezone.localdate()
    assert (fjord.equity_kind, fjord.share_price, fjord.strike_price) == ("options", 12, 4)
    # 14 salaries of 7,500 where living costs more than at home.
    assert (lumen.salary_period, lumen.monthly_salary, lumen.salaries_per_year) == (
        "monthly",
        7_500,
        14,
    )
    assert lumen.base_salary == 105_000
    assert lumen.cost_of_living == 115
    assert offers["Northwind Analytics"].equity_kind == "rsu"
