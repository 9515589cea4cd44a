"""Random input into every text-heavy form: never a server error, errors on the
fields when refused, nothing half-saved, and accepted text stored and shown exactly."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape as django_escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape

from decisions.models import Criterion, Decision, LogEntry, Offer
from offerdesk.accounts.models import User

pytestmark = pytest.mark.django_db

EXAMPLES = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Any text a person could paste, surrogates aside (they cannot be encoded at all).
texts = st.text(st.characters(exclude_categories=("Cs",)), max_size=160)
numbers = st.one_of(
    st.integers(-(10**12), 10**12).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    texts,
)


def _post(client: Client, url: str, data: dict) -> object:
    response = client.post(url, data)
    assert response.status_code < 500
    return response


def _refused_with_field_errors(response) -> bool:
    if response.status_code not in (HTTPStatus.OK, HTTPStatus.BAD_REQUEST):
        return False
    values = list(response.context_data.values())
    for value in list(values):
        if isinstance(value, dict):
            values.extend(value.values())
    forms = [v for v in values if hasattr(v, "errors") and hasattr(v, "is_bound")]
    return any(form.is_bound and form.errors for form in forms)


def _shown(text: str, page: str) -> bool:
    """Jinja2 (MarkupSafe) and Django's widgets escape quotes differently; either will do."""
    return str(escape(text)) in page or django_escape(text) in page


@EXAMPLES
@given(title=texts, goals=texts, currency=st.sampled_from(["EUR", "USD", "XXX", ""]))
def test_decision_form(owner_client: Client, user: User, title, goals, currency):
    before = Decision.objects.count()
    response = _post(
        owner_client,
        reverse("decisions:list"),
        {"title": title, "goals": goals, "base_currency": currency},
    )
    if response.status_code == HTTPStatus.FOUND:
        decision = Decision.objects.latest("pk")
        assert decision.title == title.strip()
        assert decision.goals == goals.strip()
        page = owner_client.get(decision.get_absolute_url()).content.decode()
        assert _shown(decision.title, page)
    else:
        assert _refused_with_field_errors(response)
        assert Decision.objects.count() == before


@EXAMPLES
@given(company=texts, role=texts, notes=texts, salary=numbers, bonus=numbers, rate=numbers,
       currency=st.sampled_from(["EUR", "GBP", "ABC"]), deadline=texts)  # fmt: skip
def test_offer_form(
    owner_client: Client,
    decision: Decision,
    company,
    role,
    notes,
    salary,
    bonus,
    rate,
    currency,
    deadline,
):
    before = Offer.objects.count()
    data = {
        "company": company, "role": role, "notes": notes, "base_salary": salary, "bonus": bonus,
        "rate_to_base": rate, "currency": currency, "response_deadline": deadline,
        "work_mode": "hybrid", "status": "open", "equity_per_year": "0", "signing_bonus": "0",
        "benefits_value": "0", "vesting": "even", "annual_raise": "0",
        "recruiter_name": "", "recruiter_email": "",
    }  # fmt: skip
    response = _post(owner_client, reverse("decisions:offer_create", args=[decision.pk]), data)
    if response.status_code == HTTPStatus.FOUND:
        offer = Offer.objects.latest("pk")
        assert (offer.company, offer.role, offer.notes) == (
            company.strip(),
            role.strip(),
            notes.strip(),
        )
        page = owner_client.get(decision.get_absolute_url()).content.decode()
        assert _shown(offer.company, page)
    else:
        assert _refused_with_field_errors(response)
        assert Offer.objects.count() == before


@EXAMPLES
@given(name=texts, unit=texts, weight=numbers, floor=numbers, target=numbers,
       kind=st.sampled_from(["rating", "amount", "amount_low", "total_comp", "nope"]))  # fmt: skip
def test_criterion_form(
    owner_client: Client, decision: Decision, name, unit, weight, floor, target, kind
):
    before = Criterion.objects.count()
    data = {
        "name": name,
        "unit": unit,
        "weight": weight,
        "floor": floor,
        "target": target,
        "kind": kind,
    }
    response = _post(owner_client, reverse("decisions:criterion_add", args=[decision.pk]), data)
    if response.status_code == HTTPStatus.FOUND:
        criterion = Criterion.objects.latest("pk")
        assert criterion.name == name.strip()
        page = owner_client.get(reverse("decisions:criteria", args=[decision.pk])).content.decode()
        assert _shown(criterion.name, page)
    else:
        assert _refused_with_field_errors(response)
        assert Criterion.objects.count() == before


@EXAMPLES
@given(full_name=texts, address=texts, phone=texts, signature=texts,
       paper=st.sampled_from(["a4", "letter", "A3"]))  # fmt: skip
def test_profile_form(
    owner_client: Client, user: User, full_name, address, phone, signature, paper
):
    data = {"full_name": full_name, "email": user.email, "postal_address": address, "phone": phone,
            "signature": signature, "paper_size": paper}  # fmt: skip
    response = _post(owner_client, reverse("profile"), data)
    user.refresh_from_db()
    if response.status_code == HTTPStatus.FOUND:
        assert (user.full_name, user.signature) == (full_name.strip(), signature.strip())
        page = owner_client.get(reverse("profile")).content.decode()
        assert _shown(user.signature, page)
    else:
        assert _refused_with_field_errors(response)


@EXAMPLES
@given(body=texts, kind=st.sampled_from(["goal", "scenario", "reflection"]), private=st.booleans())
def test_reflection_form(owner_client: Client, decision: Decision, body, kind, private):
    before = LogEntry.objects.count()
    data = {"kind": kind, f"{kind}-body": body}
    if private:
        data[f"{kind}-private"] = "on"
    response = _post(owner_client, reverse("decisions:reflect", args=[decision.pk]), data)
    if response.status_code == HTTPStatus.FOUND:
        entry = LogEntry.objects.latest("pk")
        assert (entry.body, entry.private) == (body.strip(), private)
        page = owner_client.get(reverse("decisions:log", args=[decision.pk]), {"kind": kind})
        assert _shown(entry.body, page.content.decode())
    else:
        assert _refused_with_field_errors(response)
        assert LogEntry.objects.count() == before
