from __future__ import annotations

import pytest
from django.core.management import call_command

from decisions.models import Decision, LogEntry, Offer, Rating
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
