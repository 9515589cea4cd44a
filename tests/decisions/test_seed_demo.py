from __future__ import annotations

import pytest
from django.core.management import call_command

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
