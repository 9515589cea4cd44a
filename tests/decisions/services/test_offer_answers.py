"""The employer's answer to a counter-ask or a request for time: offer_negotiated and
offer_deadline_extend."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from decisions.models import MAX_AMOUNT, LogEntry, Offer
from decisions.services.offers import offer_deadline_extend, offer_negotiated

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 4)


def _changes(offer: Offer) -> list[LogEntry]:
    return list(offer.decision.log_entries.filter(kind=LogEntry.Kind.OFFER_CHANGED))


@pytest.fixture
def beta(offer: Offer) -> Offer:
    offer.company, offer.currency = "Beta", "USD"
    offer.base_salary, offer.signing_bonus = Decimal(120_000), Decimal(0)
    offer.save()
    return offer


def test_new_figures_update_the_offer_and_log_that_the_negotiation_did_it(beta, user):
    changes = offer_negotiated(
        offer=beta,
        actor=user,
        figures={"base_salary": Decimal(126_000), "bonus": None, "signing_bonus": Decimal(5_000)},
    )
    beta.refresh_from_db()
    assert (beta.base_salary, beta.signing_bonus, beta.bonus) == (126_000, 5_000, 0)
    assert set(changes) == {"base_salary", "signing_bonus"}
    [entry] = _changes(beta)
    # No figure in the summary: a coach who may not see pay reads it as it is.
    assert entry.summary == "Beta improved the offer after you asked: base salary, signing bonus"
    assert entry.data["after"] == "negotiation"
    assert entry.data["changes"]["base_salary"] == {"before": "120000", "after": "126000"}
    assert beta.version == 1


def test_a_lower_figure_is_recorded_as_a_change_not_an_improvement(beta, user):
    offer_negotiated(offer=beta, actor=user, figures={"base_salary": Decimal(118_000)})
    assert _changes(beta)[0].summary.startswith("Beta changed the offer after you asked")


def test_the_same_figures_write_nothing(beta, user):
    assert offer_negotiated(offer=beta, actor=user, figures={"base_salary": Decimal(120_000)}) == {}
    assert _changes(beta) == []


@pytest.mark.parametrize(
    "figures",
    [
        {},
        {"base_salary": None},
        {"base_salary": Decimal(130_000), "bonus": Decimal(-1)},
        {"base_salary": Decimal(130_000), "signing_bonus": MAX_AMOUNT + 1},
    ],
)
def test_bad_figures_are_refused_and_nothing_is_saved(beta, user, figures):
    with pytest.raises(ValidationError):
        offer_negotiated(offer=beta, actor=user, figures=figures)
    beta.refresh_from_db()
    assert beta.base_salary == 120_000
    assert beta.version == 0
    assert _changes(beta) == []


def test_a_name_that_is_no_negotiated_figure_is_a_programming_error(beta, user):
    with pytest.raises(ValueError, match="company"):
        offer_negotiated(offer=beta, actor=user, figures={"company": "Gamma"})


def test_an_offer_no_longer_open_keeps_its_figures(beta, user):
    Offer.objects.filter(pk=beta.pk).update(status=Offer.Status.DECLINED)
    with pytest.raises(ValidationError, match="no longer open"):
        offer_negotiated(offer=beta, actor=user, figures={"base_salary": Decimal(130_000)})
    assert _changes(beta) == []


def test_an_agreed_extension_moves_the_deadline_and_logs_it(beta, user):
    Offer.objects.filter(pk=beta.pk).update(response_deadline=dt.date(2026, 12, 12))
    offer_deadline_extend(offer=beta, actor=user, until=dt.date(2026, 12, 20), today=TODAY)
    beta.refresh_from_db()
    assert beta.response_deadline == dt.date(2026, 12, 20)
    [entry] = _changes(beta)
    assert (
        entry.summary
        == "Beta agreed to wait for your answer until Dec. 20, 2026 (it was Dec. 12, 2026)"
    )
    assert entry.data["changes"]["response_deadline"] == {
        "before": "2026-12-12",
        "after": "2026-12-20",
    }


@pytest.mark.parametrize(
    "until",
    [
        TODAY,
        dt.date(2026, 12, 1),
        dt.date(2026, 12, 12),
        dt.date(2026, 12, 10),
        dt.date(2028, 1, 1),
    ],
)
def test_a_day_that_is_no_extension_is_refused(beta, user, until):
    Offer.objects.filter(pk=beta.pk).update(response_deadline=dt.date(2026, 12, 12))
    with pytest.raises(ValidationError) as refused:
        offer_deadline_extend(offer=beta, actor=user, until=until, today=TODAY)
    assert "until" in refused.value.message_dict
    beta.refresh_from_db()
    assert beta.response_deadline == dt.date(2026, 12, 12)
    assert _changes(beta) == []
