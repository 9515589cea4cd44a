"""decisions.services.weights (and what it reads in selectors): wizard weights,
putting them back, the gut check."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from decisions import selectors, services
from decisions.models import Decision, LogEntry
from offerdesk.accounts.models import User
from tests.factories import OfferFactory

pytestmark = pytest.mark.django_db


def _apply(decision: Decision, user: User, origin: str = "swing", value: int = 50):
    weights = {c.pk: (100 if c.position == 0 else value) for c in decision.criteria.all()}
    return services.weights_from_wizard(
        decision=decision,
        actor=user,
        origin=origin,
        weights=weights,
        expected_version=decision.version,
        details={"answers": {}},
    )


def test_sliders_log_their_origin_and_the_weights_by_criterion(decision: Decision, user: User):
    before = {str(c.pk): c.weight for c in decision.criteria.all()}
    services.criteria_reweight(
        decision=decision, actor=user, weights={c.pk: 10 for c in decision.criteria.all()}
    )
    entry = decision.log_entries.first()
    assert entry.summary.startswith("Changed weights: ")
    assert entry.data["origin"] == "sliders"
    assert entry.data["weights_before"] == before
    assert set(entry.data["weights_after"].values()) == {10}


def test_an_unknown_origin_is_refused(decision: Decision, user: User):
    with pytest.raises(ValidationError):
        services.criteria_reweight(decision=decision, actor=user, weights={}, origin="dice")
    with pytest.raises(ValidationError):
        _apply(decision, user, origin="sliders")


def test_a_wizard_change_can_be_put_back_once(decision: Decision, user: User):
    before = dict(decision.criteria.values_list("pk", "weight"))
    _apply(decision, user)
    offer = selectors.weights_put_back_offer(decision)
    assert offer is not None
    assert offer.weights == before
    assert offer.words == "from the swing wizard"
    services.weights_put_back(decision=decision, actor=user)
    assert dict(decision.criteria.values_list("pk", "weight")) == before
    assert decision.log_entries.first().data["put_back_from"] == offer.entry.pk
    assert selectors.weights_put_back_offer(decision) is None
    with pytest.raises(ValidationError, match="no weights to put back"):
        services.weights_put_back(decision=decision, actor=user)


def test_a_new_criterion_since_the_wizard_means_nothing_to_put_back(decision: Decision, user: User):
    _apply(decision, user)
    services.criterion_add(
        decision=decision, actor=user, data=services.CriterionData(name="Team", weight=10)
    )
    assert selectors.weights_put_back_offer(decision) is None


def test_a_stale_wizard_apply_writes_nothing(decision: Decision, user: User):
    count = decision.log_entries.count()
    with pytest.raises(ValidationError):
        services.weights_from_wizard(
            decision=decision,
            actor=user,
            origin="pairwise",
            weights={c.pk: 10 for c in decision.criteria.all()},
            expected_version=decision.version + 1,
            details={},
        )
    assert decision.log_entries.count() == count


def test_the_gut_check_refuses_an_unknown_feeling_and_another_decisions_offer(
    decision: Decision, user: User, foreign_decision: Decision
):
    offer = OfferFactory(decision=decision, company="Acme")
    with pytest.raises(ValidationError):
        services.gut_check_add(decision=decision, actor=user, offer=offer, feeling="meh")
    with pytest.raises(ValidationError):
        services.gut_check_add(
            decision=decision, actor=user, offer=foreign_decision.offers.get(), feeling="fine"
        )
    entry = services.gut_check_add(decision=decision, actor=user, offer=offer, feeling="relieved")
    assert entry.kind == LogEntry.Kind.REFLECTION
    assert entry.summary == "Gut check: relieved if Acme won"
