"""Two tabs or two people editing from the same starting version: the second is told,
and nothing is silently overwritten."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse

from decisions.models import Criterion, Decision, Offer, Rating
from tests.factories import OfferFactory

pytestmark = pytest.mark.django_db

OFFER = {
    "company": "Northwind", "role": "Engineer", "location": "", "work_mode": "hybrid",
    "status": "open", "currency": "EUR", "rate_to_base": "1", "base_salary": "90000",
    "bonus": "0", "equity_per_year": "0", "signing_bonus": "0", "benefits_value": "0",
    "vesting": "even", "annual_raise": "0", "response_deadline": "", "recruiter_name": "",
    "recruiter_email": "", "notes": "",
}  # fmt: skip


def test_200_paired_stale_offer_edits_overwrite_nothing(owner_client: Client, decision: Decision):
    offer = OfferFactory(decision=decision, company="Northwind", role="Engineer")
    url = reverse("decisions:offer_edit", args=[decision.pk, offer.pk])
    assert owner_client.get(url).context_data["form"]["version"].value() == 0
    silent_overwrites = 0
    for i in range(200):
        version = Offer.objects.get(pk=offer.pk).version  # what both tabs were shown
        first = owner_client.post(url, {**OFFER, "bonus": str(i + 1), "version": version})
        assert first.status_code == HTTPStatus.FOUND
        second = owner_client.post(
            url, {**OFFER, "bonus": str(i + 1), "notes": f"tab B {i}", "version": version}
        )
        assert second.status_code == HTTPStatus.CONFLICT
        assert "changed in another tab" in second.content.decode()
        offer.refresh_from_db()
        silent_overwrites += offer.notes.startswith("tab B")
    assert silent_overwrites == 0
    assert offer.version == 200


def test_a_stale_ratings_grid_is_refused(owner_client: Client, decision: Decision):
    offer = OfferFactory(decision=decision)
    culture = decision.criteria.get(name="Culture")
    url = reverse("decisions:ratings", args=[decision.pk])
    version = owner_client.get(url).context_data["form"]["version"].value()
    field = f"value-{offer.pk}-{culture.pk}"
    assert owner_client.post(url, {field: "8", "version": version}).status_code == HTTPStatus.FOUND
    stale = owner_client.post(url, {field: "2", "version": version})
    assert stale.status_code == HTTPStatus.CONFLICT
    assert Rating.objects.get().value == 8


def test_a_stale_slider_gets_a_409_fragment_with_the_message(
    owner_client: Client, decision: Decision
):
    OfferFactory(decision=decision)
    url = reverse("decisions:compare", args=[decision.pk])
    weights = {f"weight-{c.pk}": c.weight for c in decision.criteria.all()}
    salary = decision.criteria.get(kind="total_comp")
    moved = owner_client.post(
        url, {**weights, f"weight-{salary.pk}": 60, "version": 0}, headers={"HX-Request": "true"}
    )
    assert moved.status_code == HTTPStatus.OK
    assert 'name="version" value="1"' in moved.content.decode()
    stale = owner_client.post(
        url, {**weights, f"weight-{salary.pk}": 5, "version": 0}, headers={"HX-Request": "true"}
    )
    assert stale.status_code == HTTPStatus.CONFLICT
    assert stale.template_name == "decisions/_compare_results.html"
    assert "changed in another tab" in stale.content.decode()
    assert Criterion.objects.get(pk=salary.pk).weight == 60


def test_the_criteria_page_refuses_stale_weights_with_a_form_error(
    owner_client: Client, decision: Decision
):
    url = reverse("decisions:criteria", args=[decision.pk])
    weights = {f"weight-{c.pk}": 10 for c in decision.criteria.all()}
    assert owner_client.post(url, {**weights, "version": 0}).status_code == HTTPStatus.FOUND
    stale = owner_client.post(url, {**{k: 50 for k in weights}, "version": 0})
    assert stale.status_code == HTTPStatus.CONFLICT
    assert set(Decision.objects.get(pk=decision.pk).criteria.values_list("weight", flat=True)) == {
        10
    }
    assert Offer.objects.count() == 0
