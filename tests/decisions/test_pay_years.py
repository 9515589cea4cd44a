"""Pay year by year on the compare page, the coach's page and the report."""

from __future__ import annotations

from decimal import Decimal
from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from decisions.models import CoachGrant, Decision, Offer
from decisions.report import report_html, report_view
from decisions.selectors import comparison, comparison_without_pay
from tests.factories import OfferFactory, UserFactory

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def acme_and_beta(decision: Decision) -> tuple[Offer, Offer]:
    # Acme pays 100,000 a year; Beta 90,000 plus a back-loaded grant of 40,000
    # (2,000, 6,000, 16,000, 16,000): 92,000, 96,000, 106,000, 106,000.
    acme = OfferFactory(decision=decision, company="Acme", base_salary=D(100_000))
    beta = OfferFactory(
        decision=decision,
        company="Beta",
        base_salary=D(90_000),
        equity_per_year=D(10_000),
        vesting=Offer.Vesting.BACK_LOADED,
    )
    return acme, beta


def test_each_row_holds_its_years_and_what_they_add_up_to(decision, acme_and_beta):
    acme, beta = acme_and_beta
    rows = {row.offer.pk: row for row in comparison(decision).rows}
    assert rows[beta.pk].pay_years == (D(92_000), D(96_000), D(106_000), D(106_000))
    assert rows[beta.pk].pay_cumulative == [D(92_000), D(188_000), D(294_000), D(400_000)]
    assert rows[acme.pk].pay_cumulative[-1] == 4 * rows[acme.pk].pay_annualised


def test_the_crossover_is_said_in_words(decision, acme_and_beta):
    ranked = comparison(decision)
    # 400,000 against 400,000: Beta catches up exactly.
    assert ranked.crossovers == (
        "Beta pays less than Acme in year 1 but more from year 3; "
        "by year 4 the two have paid the same in total.",
    )


def test_the_crossover_counts_in_the_decisions_currency(decision: Decision):
    OfferFactory(decision=decision, company="Acme", base_salary=D(100_000))
    OfferFactory(
        decision=decision,
        company="Beta",
        currency="USD",
        rate_to_base=D("0.5"),
        base_salary=D(180_000),
        equity_per_year=D(25_000),
        vesting=Offer.Vesting.BACK_LOADED,
    )
    # In euros: 90,000 + 2,500 / 7,500 / 20,000 / 20,000 = 92,500, 97,500, 110,000, 110,000.
    assert comparison(decision).crossovers == (
        "Beta pays less than Acme in year 1 but more from year 3; "
        "by year 4 it is €10,000 ahead in total.",
    )


def test_an_offer_without_a_base_salary_is_left_out_of_the_years(decision, acme_and_beta):
    unknown = OfferFactory(decision=decision, company="Gamma", base_salary=None)
    ranked = comparison(decision)
    assert unknown.pk not in {row.offer.pk for row in ranked.pay_rows}
    assert len(ranked.pay_rows) == 2


def test_the_compare_page_shows_the_table_chart_and_crossover(
    owner_client: Client, decision: Decision, acme_and_beta
):
    response = owner_client.get(reverse("decisions:compare", args=[decision.pk]))
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "Pay year by year" in page
    assert "by year 4 the two have paid the same in total." in page
    assert "Pay in each year, in EUR" in page
    # Beta's year 3 and its total so far.
    assert "€106,000" in page
    assert "€294,000" in page


def test_a_coach_without_pay_gets_no_years_and_no_crossover(decision, acme_and_beta):
    hidden = comparison_without_pay(comparison(decision, figures=False))
    assert hidden.pay_rows == []
    assert hidden.crossovers == ()


def test_the_report_prints_the_years_for_the_owner_and_not_for_a_coach_without_pay(
    decision: Decision, user, acme_and_beta
):
    owners = report_html(report_view(decision), paper_size="a4")
    assert "Pay year by year" in owners
    assert "€294,000" in owners
    grant = CoachGrant.objects.create(
        client=user, coach=UserFactory(), granted_at=timezone.now(), hide_compensation=True
    )
    coachs = report_html(report_view(decision, grant), paper_size="a4")
    assert "Pay year by year" not in coachs
    assert "294,000" not in coachs
    assert "the two have paid the same" not in coachs


def test_leaving_early_takes_what_has_vested_by_then(decision: Decision):
    OfferFactory(
        decision=decision,
        company="Acme",
        base_salary=D(120_000),
        equity_per_year=D(24_000),
        signing_bonus=D(6_000),
        cliff_months=12,
    )
    [row] = comparison(decision).rows
    assert row.pay_leave_early == (D(66_000), D(150_000), D(294_000))
    hidden = comparison_without_pay(comparison(decision, figures=False))
    assert hidden.rows[0].pay_leave_early is None


def test_the_compare_page_says_what_leaving_early_takes(
    owner_client: Client, decision: Decision, acme_and_beta
):
    page = owner_client.get(reverse("decisions:compare", args=[decision.pk])).content.decode()
    assert "If you leave early" in page
    assert "After 6 months" in page
    assert "12 months" in page


OFFER_POST = {
    "company": "Northwind", "role": "Engineer", "location": "", "work_mode": "hybrid",
    "status": "open", "currency": "EUR", "rate_to_base": "1", "base_salary": "90000",
    "bonus": "0", "equity_per_year": "10000", "signing_bonus": "0", "benefits_value": "0",
    "vesting": "even", "annual_raise": "0", "response_deadline": "", "recruiter_name": "",
    "recruiter_email": "", "notes": "",
}  # fmt: skip


def test_the_offer_form_saves_a_cliff_and_refreshers_and_refuses_a_long_cliff(
    owner_client: Client, decision: Decision
):
    url = reverse("decisions:offer_create", args=[decision.pk])
    refused = owner_client.post(url, {**OFFER_POST, "cliff_months": "18"})
    assert refused.status_code == HTTPStatus.BAD_REQUEST
    assert "at most 12 months" in refused.content.decode()
    assert not decision.offers.exists()
    saved = owner_client.post(
        url, {**OFFER_POST, "cliff_months": "6", "refresher_per_year": "5000"}
    )
    assert saved.status_code == HTTPStatus.FOUND
    offer = decision.offers.get()
    assert (offer.cliff_months, offer.refresher_per_year) == (6, D(5_000))


def test_an_offer_form_without_the_new_terms_takes_the_usual_ones(
    owner_client: Client, decision: Decision
):
    owner_client.post(reverse("decisions:offer_create", args=[decision.pk]), OFFER_POST)
    offer = decision.offers.get()
    assert (offer.cliff_months, offer.refresher_per_year) == (12, D(0))


def test_an_offer_in_another_currency_is_refused_at_the_default_rate_of_1(
    owner_client: Client, decision: Decision
):
    url = reverse("decisions:offer_create", args=[decision.pk])
    refused = owner_client.post(url, {**OFFER_POST, "currency": "GBP", "rate_to_base": "1"})
    assert refused.status_code == HTTPStatus.BAD_REQUEST
    assert "1 GBP is rarely worth exactly 1 EUR" in refused.content.decode()
    assert not decision.offers.exists()
    saved = owner_client.post(
        url, {**OFFER_POST, "currency": "GBP", "rate_to_base": "1.17", "rate_on": "2026-11-30"}
    )
    assert saved.status_code == HTTPStatus.FOUND
    page = owner_client.get(reverse("decisions:compare", args=[decision.pk])).content.decode()
    assert "Northwind converted at 1 GBP = 1.17 EUR, the rate you entered" in page


def test_a_new_offer_starts_in_the_decisions_currency(owner_client: Client, decision: Decision):
    response = owner_client.get(reverse("decisions:offer_create", args=[decision.pk]))
    assert response.context_data["form"]["currency"].value() == decision.base_currency == "EUR"


def test_a_change_of_rate_is_logged(owner_client: Client, decision: Decision):
    url = reverse("decisions:offer_create", args=[decision.pk])
    pounds = {**OFFER_POST, "currency": "GBP", "rate_on": "2026-11-30"}
    owner_client.post(url, {**pounds, "rate_to_base": "1.17"})
    offer = decision.offers.get()
    owner_client.post(
        reverse("decisions:offer_edit", args=[decision.pk, offer.pk]),
        {**pounds, "rate_to_base": "1.15", "version": offer.version},
    )
    assert decision.log_entries.first().data["changes"]["rate_to_base"] == {
        "before": "1.17",
        "after": "1.15",
    }
