"""An employer's answer for an offer paid by the month: asked by the month, and the
yearly base and the month kept together (messaging.forms.NegotiatedFiguresForm and
decisions.services.offers.offer_negotiated)."""

from __future__ import annotations

from decimal import Decimal
from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse

from decisions.models import Decision, LogEntry, Offer
from decisions.services.offers import offer_negotiated
from messaging.forms import NegotiatedFiguresForm
from offerdesk.accounts.models import User
from tests.factories import OfferFactory

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def monthly(decision: Decision) -> Offer:
    return OfferFactory(
        decision=decision,
        company="Lumen",
        salary_period="monthly",
        monthly_salary=D(7_500),
        salaries_per_year=14,
        base_salary=D(105_000),
    )


def _answer(offer: Offer) -> str:
    return reverse("messaging:counter_answer", args=[offer.decision_id, offer.pk])


def test_the_answer_is_asked_by_the_month_with_the_month_now(monthly: Offer):
    form = NegotiatedFiguresForm(offer=monthly)
    assert form.fields["base_salary"].label == "Monthly salary"
    assert "One of 14 a year. Now €7,500.00 a month." in form.fields["base_salary"].help_text


def test_a_new_month_makes_the_new_yearly_base(owner_client: Client, monthly: Offer):
    response = owner_client.post(_answer(monthly), {"reply-base_salary": "8000"})
    assert response.status_code == HTTPStatus.FOUND
    monthly.refresh_from_db()
    assert (monthly.monthly_salary, monthly.base_salary) == (D(8_000), D(112_000))
    entry = monthly.decision.log_entries.filter(kind=LogEntry.Kind.OFFER_CHANGED).get()
    assert entry.data["changes"] == {
        "base_salary": {"before": "105000", "after": "112000"},
        "monthly_salary": {"before": "7500", "after": "8000"},
    }
    assert entry.summary.startswith("Lumen improved the offer after you asked: base salary")


def test_a_month_whose_year_is_too_large_is_refused_in_words(owner_client: Client, monthly):
    response = owner_client.post(_answer(monthly), {"reply-base_salary": "99999999"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "14 salaries of that make" in response.content.decode()
    monthly.refresh_from_db()
    assert monthly.monthly_salary == D(7_500)


def test_a_yearly_base_given_to_the_service_moves_the_month_to_the_cent(monthly: Offer, user: User):
    offer_negotiated(offer=monthly, actor=user, figures={"base_salary": D(100_000)})
    monthly.refresh_from_db()
    # 100,000 / 14 is 7,142.857...: the month to the cent, and the year made of it.
    assert (monthly.monthly_salary, monthly.base_salary) == (D("7142.86"), D("100000.04"))


def test_an_offer_paid_by_the_year_is_answered_by_the_year(owner_client: Client, decision):
    yearly = OfferFactory(decision=decision, base_salary=D(90_000))
    assert NegotiatedFiguresForm(offer=yearly).fields["base_salary"].label == "Base salary"
    owner_client.post(_answer(yearly), {"reply-base_salary": "95000"})
    yearly.refresh_from_db()
    assert (yearly.base_salary, yearly.monthly_salary) == (D(95_000), None)
