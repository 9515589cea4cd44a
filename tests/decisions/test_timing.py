from __future__ import annotations

import datetime as dt
from http import HTTPStatus
from pathlib import Path

import pytest
from django import forms
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from decisions import deadlines
from decisions.deadlines import FURTHEST_AHEAD, MAX_EXTENSION_DAYS, Clash, OfferTiming, clashes
from decisions.models import OFFER_FIELDS, Offer
from decisions.selectors import offer_timings, timing_clashes
from decisions.services.offers import offer_deadline_extend
from tests.factories import OfferFactory

TODAY = dt.date(2026, 12, 4)


def acme(**changes: object) -> OfferTiming:
    fields = {"id": 1, "name": "Acme", "is_open": True, "response_deadline": dt.date(2026, 12, 12)}
    return OfferTiming(**{**fields, **changes})


def beta(**changes: object) -> OfferTiming:
    fields = {"id": 2, "name": "Beta", "is_open": True, "expected_on": dt.date(2026, 12, 18)}
    return OfferTiming(**{**fields, **changes})


def test_an_offer_due_before_another_arrives_asks_for_two_days_past_its_arrival():
    assert clashes([acme(), beta()], today=TODAY, decided=False) == [
        Clash(
            offer=1,
            name="Acme",
            deadline=dt.date(2026, 12, 12),
            waiting_for=2,
            waiting_name="Beta",
            expected_on=dt.date(2026, 12, 18),
            ask_until=dt.date(2026, 12, 20),
        )
    ]


def test_an_offer_expected_before_the_deadline_is_no_clash():
    assert (
        clashes([acme(), beta(expected_on=dt.date(2026, 12, 10))], today=TODAY, decided=False) == []
    )


def test_an_offer_still_without_figures_and_no_day_asks_a_week_more():
    [clash] = clashes(
        [acme(), beta(expected_on=None, has_figures=False)], today=TODAY, decided=False
    )
    assert clash.expected_on is None
    assert clash.ask_until == dt.date(2026, 12, 19)


def test_an_offer_with_figures_and_no_day_expected_is_not_waited_for():
    assert clashes([acme(), beta(expected_on=None)], today=TODAY, decided=False) == []


def test_nothing_clashes_once_the_decision_is_made():
    assert clashes([acme(), beta()], today=TODAY, decided=True) == []


def test_closed_offers_neither_clash_nor_are_waited_for():
    assert clashes([acme(is_open=False), beta()], today=TODAY, decided=False) == []
    assert clashes([acme(), beta(is_open=False)], today=TODAY, decided=False) == []


def test_a_passed_deadline_or_none_is_no_clash():
    assert clashes([acme(response_deadline=None), beta()], today=TODAY, decided=False) == []
    passed = acme(response_deadline=dt.date(2026, 12, 3))
    assert clashes([passed, beta()], today=TODAY, decided=False) == []


def test_the_offer_waited_on_longest_sets_the_day():
    later = OfferTiming(id=3, name="Gamma", is_open=True, expected_on=dt.date(2026, 12, 28))
    [clash] = clashes([acme(), beta(), later], today=TODAY, decided=False)
    assert (clash.waiting_name, clash.ask_until) == ("Gamma", dt.date(2026, 12, 30))


days = st.integers(min_value=-5, max_value=120)


@given(deadline=days, expected=st.one_of(st.none(), days), figures=st.booleans())
def test_the_day_asked_for_is_after_the_deadline_and_within_the_limit(deadline, expected, figures):
    offers = [
        acme(response_deadline=TODAY + dt.timedelta(deadline)),
        beta(
            expected_on=None if expected is None else TODAY + dt.timedelta(expected),
            has_figures=figures,
        ),
    ]
    for clash in clashes(offers, today=TODAY, decided=False):
        assert TODAY < clash.ask_until <= TODAY + dt.timedelta(MAX_EXTENSION_DAYS)
        assert clash.ask_until > clash.deadline
        if clash.expected_on is not None:
            assert clash.expected_on > clash.deadline


# The notice on the decision page ---------------------------------------------------


@pytest.fixture
def acme_before_beta(decision):
    today = timezone.localdate()
    acme = OfferFactory(
        decision=decision, company="Acme", response_deadline=today + dt.timedelta(days=8)
    )
    beta = OfferFactory(
        decision=decision,
        company="Beta",
        base_salary=None,
        expected_on=today + dt.timedelta(days=14),
    )
    return acme, beta


@pytest.mark.django_db
def test_the_decision_page_says_when_deadlines_do_not_line_up(owner_client, acme_before_beta):
    acme, beta = acme_before_beta
    today = timezone.localdate()
    response = owner_client.get(reverse("decisions:detail", args=[acme.decision_id]))
    [clash] = response.context_data["timing"]
    assert (clash.offer, clash.waiting_for) == (acme.pk, beta.pk)
    html = response.content.decode()
    deadline = today + dt.timedelta(days=8)
    expected = today + dt.timedelta(days=14)
    assert (
        f"Acme wants an answer by {deadline.day} {deadline:%b}, but you expect Beta’s offer "
        f"on {expected.day} {expected:%b}."
    ) in html
    until = (today + dt.timedelta(days=16)).isoformat()
    link = reverse("messaging:compose", args=[acme.decision_id, acme.pk, "extension"])
    assert f'href="{link}?until={until}"' in html
    assert "Ask Acme for more time" in html


@pytest.mark.django_db
def test_the_extension_composer_starts_from_the_day_the_notice_suggests(
    owner_client, acme_before_beta
):
    acme, _ = acme_before_beta
    url = reverse("messaging:compose", args=[acme.decision_id, acme.pk, "extension"])
    details = owner_client.get(url).context_data["composer"].choices.details
    assert details["until"] == (timezone.localdate() + dt.timedelta(days=16)).isoformat()


@pytest.mark.django_db
def test_no_notice_once_the_other_offer_is_expected_in_time(owner_client, acme_before_beta):
    acme, beta = acme_before_beta
    Offer.objects.filter(pk=beta.pk).update(expected_on=timezone.localdate())
    response = owner_client.get(reverse("decisions:detail", args=[acme.decision_id]))
    assert response.context_data["timing"] == []
    assert "for more time" not in response.content.decode()


# The offer form's expected day -----------------------------------------------------


def _offer_data(offer: Offer, **changes: object) -> dict[str, object]:
    data = {
        name: value
        for name, value in forms.model_to_dict(offer, fields=OFFER_FIELDS).items()
        if value is not None
    }
    return {**data, "version": offer.version, **changes}


@pytest.mark.django_db
def test_the_offer_form_saves_the_day_the_offer_is_expected(owner_client, offer, user):
    day = timezone.localdate() + dt.timedelta(days=10)
    url = reverse("decisions:offer_edit", args=[offer.decision_id, offer.pk])
    response = owner_client.post(url, _offer_data(offer, expected_on=day.isoformat()))
    assert response.status_code == HTTPStatus.FOUND
    offer.refresh_from_db()
    assert offer.expected_on == day


@pytest.mark.django_db
@pytest.mark.parametrize("days", [-1, 400])
def test_the_offer_form_refuses_a_past_or_far_expected_day(owner_client, offer, days):
    day = timezone.localdate() + dt.timedelta(days=days)
    url = reverse("decisions:offer_edit", args=[offer.decision_id, offer.pk])
    response = owner_client.post(url, _offer_data(offer, expected_on=day.isoformat()))
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "expected_on" in response.context_data["form"].errors
    offer.refresh_from_db()
    assert offer.expected_on is None


@pytest.mark.django_db
def test_a_stored_expected_day_that_has_passed_may_stay(owner_client, offer):
    past = timezone.localdate() - dt.timedelta(days=3)
    Offer.objects.filter(pk=offer.pk).update(expected_on=past)
    offer.refresh_from_db()
    url = reverse("decisions:offer_edit", args=[offer.decision_id, offer.pk])
    response = owner_client.post(url, _offer_data(offer, notes="Still waiting"))
    assert response.status_code == HTTPStatus.FOUND
    offer.refresh_from_db()
    assert (offer.expected_on, offer.notes) == (past, "Still waiting")


@pytest.mark.django_db
def test_the_clashes_are_read_in_one_query(acme_before_beta, django_assert_num_queries):
    acme, _ = acme_before_beta
    decision = acme.decision
    with django_assert_num_queries(1):
        assert len(timing_clashes(decision)) == 1


@pytest.mark.django_db
def test_once_acme_agrees_to_wait_past_betas_day_the_clash_is_gone(acme_before_beta, user):
    acme, _ = acme_before_beta
    today = timezone.localdate()
    offer_deadline_extend(offer=acme, actor=user, until=today + dt.timedelta(days=16), today=today)
    assert timing_clashes(acme.decision) == []


def test_offers_are_read_for_the_rule_by_the_selectors_not_the_rule():
    # deadlines.py is the pure rule; reading rows into its OfferTiming is a selector's job.
    assert not hasattr(deadlines, "offer_timings")
    rows = [
        Offer(
            pk=1,
            company="Acme",
            status="open",
            response_deadline=dt.date(2026, 12, 9),
            base_salary=1,
        ),
        Offer(pk=2, company="Beta", status="declined", base_salary=None),
    ]
    assert offer_timings(rows) == [
        OfferTiming(id=1, name="Acme", is_open=True, response_deadline=dt.date(2026, 12, 9)),
        OfferTiming(id=2, name="Beta", is_open=False, has_figures=False),
    ]


def test_the_furthest_day_ahead_is_one_constant():
    # A year and a day, written once: the offer form, the import and the extension read it.
    assert FURTHEST_AHEAD.days == 366
    root = Path(__file__).parents[2] / "decisions"
    for path in [*root.glob("*.py"), *root.glob("services/*.py")]:
        if path.name != "deadlines.py":
            assert "days=366" not in path.read_text(), path.name
