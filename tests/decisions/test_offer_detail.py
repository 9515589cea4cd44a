"""The page of one offer (decisions.views.offer_page, selectors.offer_detail)."""

from __future__ import annotations

from decimal import Decimal
from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse

from decisions import services
from decisions.models import Decision, Offer, Rating
from decisions.selectors import offer_detail
from messaging.models import Message
from offerdesk.accounts.models import User
from tests.factories import DecisionFactory, OfferFactory, UserFactory

pytestmark = pytest.mark.django_db


def _url(offer: Offer) -> str:
    return reverse("decisions:offer_detail", args=[offer.decision_id, offer.pk])


def test_the_offer_page_shows_what_the_candidate_entered(owner_client: Client, decision: Decision):
    offer = OfferFactory(
        decision=decision,
        company="Acme",
        role="Data Engineer",
        base_salary=Decimal(90_000),
        bonus=Decimal(10_000),
        notes="Ask about the on-call rota.",
        recruiter_name="Sam Lee",
        recruiter_email="sam@acme.example",
    )
    culture = decision.criteria.get(name="Culture")
    Rating.objects.create(offer=offer, criterion=culture, value=8, note="Kind interviewers")
    response = owner_client.get(_url(offer))
    assert response.status_code == HTTPStatus.OK
    assert response.template_name == "decisions/offer_detail.html"
    page = response.content.decode()
    for text in (
        "Acme",
        "Data Engineer",
        "Ask about the on-call rota.",
        "Sam Lee",
        "sam@acme.example",
        "Kind interviewers",
        "8/10",
    ):
        assert text in page
    # The pay as worked out: base and bonus make the first year.
    assert "€100,000" in page
    assert reverse("decisions:offer_edit", args=[decision.pk, offer.pk]) in page
    assert reverse("messaging:compose", args=[decision.pk, offer.pk, "decline"]) in page


def test_the_offer_page_says_where_the_offer_ranks(decision: Decision, user: User):
    leader = OfferFactory(decision=decision, company="Leader", base_salary=Decimal(150_000))
    behind = OfferFactory(decision=decision, company="Behind", base_salary=Decimal(60_000))
    detail = offer_detail(behind)
    assert detail.rank == 2
    assert detail.ranked_count == 2
    assert offer_detail(leader).rank == 1
    # Every criterion has a line, and the points known add up to the score.
    assert len(detail.lines) == decision.criteria.count()
    known = [line.points for line in detail.lines if line.points is not None]
    assert sum(known) == pytest.approx(detail.row.result.score, abs=0.5)


def test_the_messages_to_the_employer_are_listed(owner_client: Client, decision: Decision):
    offer = OfferFactory(decision=decision, company="Acme")
    assert "Nothing written to them yet." in owner_client.get(_url(offer)).content.decode()
    message = Message.objects.create(offer=offer, purpose="decline", subject="Thank you")
    page = owner_client.get(_url(offer)).content.decode()
    assert "Decline the offer" in page
    assert message.get_absolute_url() in page


def test_someone_elses_offer_is_a_404(owner_client: Client, foreign_decision: Decision):
    foreign = foreign_decision.offers.get()
    assert owner_client.get(_url(foreign)).status_code == HTTPStatus.NOT_FOUND


def test_an_offer_under_another_decision_of_the_owner_is_a_404(
    owner_client: Client, decision: Decision, user: User
):
    offer = OfferFactory(decision=decision)
    other = DecisionFactory(owner=user)
    wrong = reverse("decisions:offer_detail", args=[other.pk, offer.pk])
    assert owner_client.get(wrong).status_code == HTTPStatus.NOT_FOUND


def test_a_coach_reads_offers_on_the_coachs_pages_not_this_one(decision: Decision, user: User):
    offer = OfferFactory(decision=decision)
    coach = UserFactory(email="coach@example.com")
    _, token = services.invitation_create(
        client=user,
        email="coach@example.com",
        hide_compensation=True,
        accept_url=lambda token: f"http://testserver/coach/accept/{token}/",
    )
    services.invitation_accept(token=token, coach=coach)
    browser = Client()
    browser.force_login(coach)
    assert browser.get(_url(offer)).status_code == HTTPStatus.NOT_FOUND
