"""The candidate's own words are checked as the generated text is: once a draft is
edited, the composer checks the text that will go out, not only the preview."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse

from decisions import services as decision_services
from decisions.models import Decision
from offerdesk.accounts.models import User
from tests.factories import OfferFactory
from tests.messaging.choices import DECLINE_CHOICES

pytestmark = pytest.mark.django_db


def _compose_url(offer, view: str = "compose") -> str:
    return reverse(f"messaging:{view}", args=[offer.decision_id, offer.pk, "decline"])


def test_an_edited_draft_is_checked_as_it_will_be_sent(
    owner_client: Client, decision: Decision, user: User
):
    chosen = OfferFactory(decision=decision, company="Lumen Bank")
    other = OfferFactory(decision=decision, company="Northwind", recruiter_name="Jana Krüger")
    decision_services.decision_decide(
        decision=decision,
        actor=user,
        chosen_offer=chosen,
        why="Team",
        confidence=80,
        review_on=None,
    )
    used = owner_client.post(_compose_url(other), {**DECLINE_CHOICES, "action": "use"})
    assert used.status_code == HTTPStatus.FOUND
    page = owner_client.get(_compose_url(other))
    assert page.context_data["composer"].draft_review is None

    edited = page.context_data["composer"].draft_initial["body"] + (
        "\n\nLumen Bank offered me more: €115k."
    )
    owner_client.post(_compose_url(other, "save_edits"), {"subject": "Thanks", "body": edited})
    page = owner_client.get(_compose_url(other))

    codes = {check.code for check in page.context_data["composer"].draft_review.checks}
    assert {"names_other_employer", "mentions_money"} <= codes
    preview_codes = {check.code for check in page.context_data["composer"].review.checks}
    assert "names_other_employer" not in preview_codes
    assert "Your edited text, checked" in page.content.decode()
