"""Recording the employer's answer from the counter-ask's and the extension's composer."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from decisions.models import Decision, LogEntry, Offer, Rating
from decisions.selectors import comparison
from offerdesk.formats import date_text
from tests.factories import OfferFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def beta_behind(decision: Decision):
    """Acme leads on culture and balance; Beta pays more, not enough to come first."""
    salary = decision.criteria.get(kind="total_comp")
    salary.floor, salary.target = Decimal(60_000), Decimal(200_000)
    salary.save()
    acme = OfferFactory(decision=decision, company="Acme", base_salary=Decimal(80_000))
    beta = OfferFactory(decision=decision, company="Beta", base_salary=Decimal(115_000))
    for offer, (culture, balance) in ((acme, (9, 9)), (beta, (5, 3))):
        for name, value in (("Culture", culture), ("Work-life balance", balance)):
            Rating.objects.create(
                offer=offer, criterion=decision.criteria.get(name=name), value=value
            )
    return acme, beta


def _url(name: str, offer: Offer) -> str:
    return reverse(f"messaging:{name}", args=[offer.decision_id, offer.pk])


def _compose(offer: Offer, purpose: str) -> str:
    return reverse("messaging:compose", args=[offer.decision_id, offer.pk, purpose])


def test_the_counter_composer_offers_to_record_their_answer(owner_client: Client, beta_behind):
    _, beta = beta_behind
    response = owner_client.get(_compose(beta, "counter"))
    assert "Record their answer" in response.content.decode()
    assert response.context_data["answer_form"].prefix == "reply"


def test_improved_figures_move_the_ranking(owner_client: Client, beta_behind):
    acme, beta = beta_behind
    assert comparison(beta.decision).leader.offer == acme
    response = owner_client.post(
        _url("counter_answer", beta),
        {"reply-base_salary": "190000", "reply-signing_bonus": "", "reply-bonus": ""},
    )
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("decisions:compare", args=[beta.decision_id])
    beta.refresh_from_db()
    assert beta.base_salary == 190_000
    assert comparison(beta.decision).leader.offer == beta
    entry = beta.decision.log_entries.filter(kind=LogEntry.Kind.OFFER_CHANGED).get()
    assert entry.summary == "Beta improved the offer after you asked: base salary"
    assert entry.data["changes"]["base_salary"] == {"before": "115000", "after": "190000"}


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"reply-base_salary": "-1"},
        {"reply-base_salary": "lots"},
        {"reply-bonus": "1" * 20},
        {"reply-base_salary": "0"},
        {"reply-base_salary": "0.00", "reply-bonus": "5000"},
        {"reply-signing_bonus": "100000001"},
        {"reply-equity_per_year": "-5"},
    ],
)
def test_bad_figures_show_the_form_again_and_save_nothing(owner_client, beta_behind, data):
    _, beta = beta_behind
    response = owner_client.post(_url("counter_answer", beta), data)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.context_data["answer_form"].errors
    beta.refresh_from_db()
    assert beta.base_salary == 115_000
    assert not beta.decision.log_entries.filter(kind=LogEntry.Kind.OFFER_CHANGED).exists()


def test_a_base_salary_of_nothing_or_an_absurd_figure_is_refused_with_its_reason(
    owner_client, beta_behind
):
    _, beta = beta_behind
    response = owner_client.post(
        _url("counter_answer", beta),
        {"reply-base_salary": "0", "reply-signing_bonus": "250000000"},
    )
    form = response.context_data["answer_form"]
    assert form.errors["base_salary"] == [
        "A base salary is more than 0: give the figure they came back with, or leave it "
        "empty to keep the one you have."
    ]
    assert form.errors["signing_bonus"] == ["That is over 100,000,000: check for an extra zero."]


def test_the_answer_form_shows_the_offers_figures_now(owner_client, decision):
    offer = OfferFactory(
        decision=decision,
        company="Beta",
        currency="GBP",
        base_salary=Decimal(95_000),
        bonus=Decimal(7_500),
        signing_bonus=Decimal(0),
    )
    page = owner_client.get(_compose(offer, "counter")).content.decode()
    assert "Yearly. Now £95,000. Leave it empty to keep it." in page
    assert "Yearly. Now £7,500." in page
    assert "Now £0. Leave it empty" in page  # a signing bonus is paid once
    Offer.objects.filter(pk=offer.pk).update(base_salary=None)
    page = owner_client.get(_compose(offer, "counter")).content.decode()
    assert "Yearly. Not known yet. Leave it empty to keep it." in page


def test_a_declined_offer_keeps_its_figures(owner_client, beta_behind):
    _, beta = beta_behind
    Offer.objects.filter(pk=beta.pk).update(status=Offer.Status.DECLINED)
    response = owner_client.post(_url("counter_answer", beta), {"reply-base_salary": "150000"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    beta.refresh_from_db()
    assert beta.base_salary == 115_000


def test_an_agreed_extension_moves_the_deadline(owner_client, offer):
    today = timezone.localdate()
    Offer.objects.filter(pk=offer.pk).update(response_deadline=today + dt.timedelta(days=2))
    page = owner_client.get(_compose(offer, "extension"))
    assert "They agreed to wait?" in page.content.decode()
    until = today + dt.timedelta(days=9)
    response = owner_client.post(_url("extension_answer", offer), {"agreed-until": until})
    assert response.status_code == HTTPStatus.FOUND
    offer.refresh_from_db()
    assert offer.response_deadline == until
    # The day is written as every page writes a date (the project's date filter).
    page = owner_client.get(response["Location"]).content.decode()
    assert f"Acme now expects your answer by {date_text(until)}." in page


@pytest.mark.parametrize("days", [0, -3, 1])
def test_a_day_that_is_no_extension_is_refused(owner_client, offer, days):
    today = timezone.localdate()
    Offer.objects.filter(pk=offer.pk).update(response_deadline=today + dt.timedelta(days=1))
    until = today + dt.timedelta(days=days)
    response = owner_client.post(_url("extension_answer", offer), {"agreed-until": until})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.context_data["answer_form"].errors
    offer.refresh_from_db()
    assert offer.response_deadline == today + dt.timedelta(days=1)


def test_another_users_offer_is_a_404(owner_client, foreign_decision):
    offer = foreign_decision.offers.get()
    for name, data in (
        ("counter_answer", {"reply-base_salary": "999999"}),
        ("extension_answer", {"agreed-until": timezone.localdate() + dt.timedelta(days=5)}),
    ):
        assert owner_client.post(_url(name, offer), data).status_code == HTTPStatus.NOT_FOUND
    offer.refresh_from_db()
    assert offer.base_salary != 999_999


def test_recording_an_answer_is_never_a_get(owner_client, offer):
    response = owner_client.get(_url("counter_answer", offer))
    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_the_answer_form_starts_empty_so_figures_left_alone_stay(owner_client: Client, beta_behind):
    # A field shown with the model's default (0) would post back over the offer's figure.
    _, beta = beta_behind
    form = owner_client.get(_compose(beta, "counter")).context_data["answer_form"]
    assert all(form[name].value() is None for name in form.fields)
