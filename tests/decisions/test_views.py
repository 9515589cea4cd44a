from __future__ import annotations

import datetime as dt
from decimal import Decimal
from http import HTTPStatus
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import URLPattern, reverse

from decisions import services
from decisions.forms import RatingsGridForm
from decisions.models import (
    MAX_CRITERIA_PER_DECISION,
    MAX_OFFERS_PER_DECISION,
    Criterion,
    Decision,
    LogEntry,
    Offer,
    Rating,
)
from decisions.selectors import comparison
from decisions.urls import urlpatterns
from offerdesk.accounts.models import User
from tests.factories import (
    CriterionFactory,
    DecisionFactory,
    OfferFactory,
    homework_in,
    question_in,
)

pytestmark = pytest.mark.django_db


def _url_for(pattern: URLPattern, decision: Decision) -> str:
    """Fill a decisions URL pattern with ids that all belong to ``decision``."""
    kwargs = {}
    converters = pattern.pattern.converters
    if "decision_id" in converters:
        kwargs["decision_id"] = decision.pk
    if "offer_id" in converters:
        kwargs["offer_id"] = decision.offers.first().pk
    if "criterion_id" in converters:
        kwargs["criterion_id"] = decision.criteria.last().pk
    if "thread_id" in converters:
        kwargs["thread_id"] = question_in(decision).pk
    if "homework_id" in converters:
        kwargs["homework_id"] = homework_in(decision).pk
    return reverse(f"decisions:{pattern.name}", kwargs=kwargs)


OBJECT_PATTERNS = [p for p in urlpatterns if "decision_id" in p.pattern.converters]


def _object_urls(decision: Decision) -> list[str]:
    return [_url_for(p, decision) for p in OBJECT_PATTERNS]


def test_every_decision_url_sends_anonymous_visitors_to_log_in(
    client: Client, foreign_decision: Decision
):
    for url in [reverse("decisions:list"), *_object_urls(foreign_decision)]:
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == HTTPStatus.FOUND, url
            assert response.url.startswith(reverse("account_login")), url


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_users_decision_offer_or_criterion_is_a_404(
    owner_client: Client, decision: Decision, foreign_decision: Decision, method: str
):
    """Every URL with ids: 404 for someone else's, unless the method itself is refused
    (405 before any lookup, the same for the owner, so it tells nothing)."""
    assert len(OBJECT_PATTERNS) >= 12
    # The owner's own requests may remove an offer or a criterion; keep spares.
    OfferFactory.create_batch(3, decision=decision)
    # Built first: a URL to a thread or homework writes the coach's question or homework.
    foreign = {p.name: _url_for(p, foreign_decision) for p in OBJECT_PATTERNS}
    snapshot = LogEntry.objects.filter(decision=foreign_decision).count()
    for pattern in OBJECT_PATTERNS:
        send = getattr(owner_client, method)
        own = send(_url_for(pattern, decision), {"direction": "up"})
        response = send(foreign[pattern.name], {"direction": "up", "title": "Hacked"})
        assert b"Secret Corp" not in response.content
        if own.status_code == HTTPStatus.METHOD_NOT_ALLOWED:
            assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED, pattern.name
        else:
            assert response.status_code == HTTPStatus.NOT_FOUND, pattern.name
    assert LogEntry.objects.filter(decision=foreign_decision).count() == snapshot
    assert Decision.objects.get(pk=foreign_decision.pk).title == "Private search of someone else"


def test_a_foreign_offer_under_my_own_decision_is_a_404(
    owner_client: Client, decision: Decision, foreign_decision: Decision
):
    foreign_offer = foreign_decision.offers.get()
    foreign_criterion = foreign_decision.criteria.first()
    urls = [
        reverse("decisions:offer_edit", args=[decision.pk, foreign_offer.pk]),
        reverse("decisions:offer_delete", args=[decision.pk, foreign_offer.pk]),
        reverse("decisions:criterion_edit", args=[decision.pk, foreign_criterion.pk]),
        reverse("decisions:criterion_delete", args=[decision.pk, foreign_criterion.pk]),
        reverse("decisions:criterion_move", args=[decision.pk, foreign_criterion.pk]),
    ]
    for url in urls:
        assert owner_client.post(url, {"direction": "up"}).status_code == HTTPStatus.NOT_FOUND
    assert Offer.objects.filter(pk=foreign_offer.pk).exists()


def test_the_owner_sees_every_page_of_their_decision(owner_client: Client, offer: Offer):
    for url in _object_urls(offer.decision):
        response = owner_client.get(url)
        assert response.status_code in (HTTPStatus.OK, HTTPStatus.METHOD_NOT_ALLOWED), url


# Decisions -------------------------------------------------------------------


def test_the_list_invites_a_new_user_to_start(owner_client: Client):
    response = owner_client.get(reverse("decisions:list"))
    assert response.status_code == HTTPStatus.OK
    assert response.template_name == "decisions/decision_list.html"
    assert b"No decisions yet" in response.content


def test_creating_a_decision_redirects_to_it_with_a_message(owner_client: Client, user: User):
    response = owner_client.post(
        reverse("decisions:list"),
        {"title": "Spring 2027 job search", "base_currency": "EUR", "goals": "Grow"},
        follow=True,
    )
    decision = Decision.objects.get(owner=user)
    assert response.redirect_chain[-1][0] == decision.get_absolute_url()
    assert b"five starting criteria" in response.content
    assert decision.criteria.count() == 5


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"title": "", "base_currency": "EUR"}, "title"),
        ({"title": "   ", "base_currency": "EUR"}, "title"),
        ({"title": "x" * 121, "base_currency": "EUR"}, "title"),
        ({"title": "Search", "base_currency": "XYZ"}, "base_currency"),
        ({"title": "Search", "base_currency": "EUR", "goals": "g" * 4001}, "goals"),
    ],
)
def test_bad_decision_input_shows_field_errors_and_saves_nothing(
    owner_client: Client, data: dict, field: str
):
    response = owner_client.post(reverse("decisions:list"), data)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert field in response.context_data["form"].errors
    assert not Decision.objects.exists()


def test_renaming_a_decision(owner_client: Client, decision: Decision):
    url = reverse("decisions:edit", args=[decision.pk])
    response = owner_client.post(
        url,
        {"title": "Autumn search", "base_currency": "EUR", "goals": "", "pay_basis": "annualised"},
    )
    assert response.status_code == HTTPStatus.FOUND
    decision.refresh_from_db()
    assert decision.title == "Autumn search"


def test_a_currency_the_rates_cannot_reach_is_a_message_on_the_form(
    owner_client: Client, decision: Decision
):
    OfferFactory(decision=decision, company="Fjord", currency="GBP", rate_to_base=Decimal("1.17"))
    url = reverse("decisions:edit", args=[decision.pk])
    response = owner_client.post(
        url,
        {"title": decision.title, "base_currency": "USD", "goals": "", "pay_basis": "annualised"},
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "No offer is paid in USD" in response.context_data["form"].errors["base_currency"][0]
    decision.refresh_from_db()
    assert decision.base_currency == "EUR"


def test_archive_and_restore(owner_client: Client, decision: Decision):
    owner_client.post(reverse("decisions:archive", args=[decision.pk]))
    decision.refresh_from_db()
    assert decision.status == "archived"
    listing = owner_client.get(reverse("decisions:list"))
    assert listing.context_data["archived"] == [decision]
    owner_client.post(reverse("decisions:reopen", args=[decision.pk]))
    decision.refresh_from_db()
    assert decision.status == "open"


def test_archive_needs_a_post(owner_client: Client, decision: Decision):
    response = owner_client.get(reverse("decisions:archive", args=[decision.pk]))
    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_decision_page_lists_offers_with_converted_pay(owner_client: Client, decision: Decision):
    OfferFactory(
        decision=decision, company="Fjord", currency="GBP", rate_to_base=Decimal("1.17"),
        base_salary=Decimal(78_000),
    )  # fmt: skip
    response = owner_client.get(decision.get_absolute_url())
    content = response.content.decode()
    assert "Fjord" in content
    assert "€91,260" in content
    assert "£78,000 year 1,<br>at 1 GBP = 1.17 EUR</span>" in content


def test_decision_page_gives_the_rate_with_its_day(owner_client: Client, decision: Decision):
    OfferFactory(
        decision=decision, company="Fjord", currency="GBP", rate_to_base=Decimal("1.17"),
        rate_on=dt.date(2026, 12, 3), base_salary=Decimal(78_000),
    )  # fmt: skip
    content = owner_client.get(decision.get_absolute_url()).content.decode()
    assert "at 1 GBP = 1.17 EUR (Dec. 3, 2026)" in content


def test_until_something_is_rated_rating_leads_and_deciding_waits(
    owner_client: Client, decision: Decision, user: User, offer: Offer
):
    """With no rating, the ranking rests on pay alone: 'Rate the offers' is the main
    button and 'Decide' a secondary one that says why; one rating turns them round."""
    page = owner_client.get(decision.get_absolute_url()).content.decode()
    assert "Nothing is rated yet, so the ranking rests on pay alone." in page
    assert 'class="button button--small button--secondary" href="/decisions/' in page
    assert page.index(">Rate the offers<") < page.index(">See the ranking<")
    # The offer's name leads to its own page.
    detail = reverse("decisions:offer_detail", args=[decision.pk, offer.pk])
    assert f'<a class="strong" href="{detail}">Acme</a>' in page

    culture = decision.criteria.get(name="Culture")
    services.ratings_save(
        decision=decision,
        actor=user,
        cells=[services.RatingInput(offer_id=offer.pk, criterion_id=culture.pk, value=Decimal(7))],
    )
    page = owner_client.get(decision.get_absolute_url()).content.decode()
    assert "Ready to choose?" in page
    assert "Nothing is rated yet" not in page
    assert page.index(">See the ranking<") < page.index(">Rate the offers<")


# Criteria ------------------------------------------------------------------------


def test_saving_all_weights_in_one_post(owner_client: Client, decision: Decision):
    data = {f"weight-{c.pk}": 20 for c in decision.criteria.all()}
    response = owner_client.post(reverse("decisions:criteria", args=[decision.pk]), data)
    assert response.status_code == HTTPStatus.FOUND
    assert set(decision.criteria.values_list("weight", flat=True)) == {20}


@pytest.mark.parametrize("bad", ["101", "-1", "ten", ""])
def test_a_bad_weight_is_a_field_error_and_nothing_changes(
    owner_client: Client, decision: Decision, bad: str
):
    criteria = list(decision.criteria.all())
    data = {f"weight-{c.pk}": 20 for c in criteria}
    data[f"weight-{criteria[0].pk}"] = bad
    response = owner_client.post(reverse("decisions:criteria", args=[decision.pk]), data)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert f"weight-{criteria[0].pk}" in response.context_data["weights_form"].errors
    assert list(decision.criteria.values_list("weight", flat=True)) == [30, 20, 15, 20, 15]


def test_all_weights_zero_is_refused(owner_client: Client, decision: Decision):
    data = {f"weight-{c.pk}": 0 for c in decision.criteria.all()}
    response = owner_client.post(reverse("decisions:criteria", args=[decision.pk]), data)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert b"above zero" in response.content


def test_adding_renaming_reordering_and_removing_a_criterion(
    owner_client: Client, decision: Decision
):
    add = owner_client.post(
        reverse("decisions:criterion_add", args=[decision.pk]),
        {
            "name": "Commute",
            "kind": "amount_low",
            "weight": "10",
            "unit": "minutes",
            "floor": "90",
            "target": "15",
        },
    )
    assert add.status_code == HTTPStatus.FOUND
    commute = decision.criteria.get(name="Commute")
    edit = owner_client.post(
        reverse("decisions:criterion_edit", args=[decision.pk, commute.pk]),
        {
            "name": "Commute time",
            "kind": "amount_low",
            "weight": "12",
            "unit": "minutes",
            "floor": "90",
            "target": "15",
        },
    )
    assert edit.status_code == HTTPStatus.FOUND
    owner_client.post(
        reverse("decisions:criterion_move", args=[decision.pk, commute.pk]), {"direction": "up"}
    )
    names = list(decision.criteria.values_list("name", flat=True))
    assert names[-2:] == ["Commute time", "Location"]
    owner_client.post(reverse("decisions:criterion_delete", args=[decision.pk, commute.pk]))
    assert not decision.criteria.filter(name="Commute time").exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "culture", "kind": "rating", "weight": "5"}, "name"),
        ({"name": "", "kind": "rating", "weight": "5"}, "name"),
        ({"name": "n" * 61, "kind": "rating", "weight": "5"}, "name"),
        ({"name": "Team", "kind": "rating", "weight": "101"}, "weight"),
        ({"name": "Team", "kind": "vibes", "weight": "5"}, "kind"),
        ({"name": "Team", "kind": "rating", "weight": "5", "target": "3"}, "target"),
        ({"name": "Team", "kind": "rating", "weight": "5", "floor": "12"}, "floor"),
        ({"name": "Remote", "kind": "yes_no", "weight": "5", "floor": "1"}, "floor"),
        ({"name": "Days", "kind": "amount", "weight": "5", "floor": "3"}, "target"),
        ({"name": "Pay 2", "kind": "total_comp", "weight": "5"}, "kind"),
        (
            {"name": "Commute", "kind": "amount_low", "weight": "5", "floor": "10", "target": "60"},
            "floor",
        ),
        (
            {"name": "Days", "kind": "amount", "weight": "5", "floor": "10", "target": "10"},
            "target",
        ),
        ({"name": "Days", "kind": "amount", "weight": "5", "floor": "-3"}, "floor"),
    ],
)
def test_bad_criterion_input_is_a_field_error(
    owner_client: Client, decision: Decision, data: dict, field: str
):
    response = owner_client.post(reverse("decisions:criterion_add", args=[decision.pk]), data)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert field in response.context_data["add_form"].errors
    assert decision.criteria.count() == 5


def _fill_criteria(decision: Decision, up_to: int) -> None:
    for position in range(decision.criteria.count(), up_to):
        CriterionFactory(decision=decision, position=position)


def test_a_full_decision_offers_no_criterion_form_and_refuses_one_more(
    owner_client: Client, decision: Decision
):
    _fill_criteria(decision, MAX_CRITERIA_PER_DECISION)
    page = owner_client.get(reverse("decisions:criteria", args=[decision.pk]))
    assert f"at most {MAX_CRITERIA_PER_DECISION} criteria" in page.content.decode()
    assert reverse("decisions:criterion_add", args=[decision.pk]) not in page.content.decode()
    response = owner_client.post(
        reverse("decisions:criterion_add", args=[decision.pk]),
        {"name": "One too many", "kind": "rating", "weight": "5"},
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert f"at most {MAX_CRITERIA_PER_DECISION} criteria" in response.content.decode()
    assert decision.criteria.count() == MAX_CRITERIA_PER_DECISION


def test_moving_without_a_direction_changes_nothing(owner_client: Client, decision: Decision):
    criterion = decision.criteria.last()
    response = owner_client.post(
        reverse("decisions:criterion_move", args=[decision.pk, criterion.pk]),
        {"direction": "sideways"},
    )
    assert response.status_code == HTTPStatus.FOUND
    assert decision.criteria.last() == criterion


# Offers --------------------------------------------------------------------------

OFFER = {
    "company": "Northwind",
    "role": "Senior Data Engineer",
    "location": "Berlin",
    "work_mode": "hybrid",
    "status": "open",
    "currency": "EUR",
    "rate_to_base": "1",
    "base_salary": "92000",
    "bonus": "8000",
    "equity_per_year": "0",
    "signing_bonus": "0",
    "benefits_value": "0",
    "vesting": "even",
    "annual_raise": "0",
    "response_deadline": "2027-04-01",
    "recruiter_name": "Jana",
    "recruiter_email": "jana@example.com",
    "notes": "",
}


def test_adding_and_editing_an_offer(owner_client: Client, decision: Decision):
    add = owner_client.post(reverse("decisions:offer_create", args=[decision.pk]), OFFER)
    assert add.status_code == HTTPStatus.FOUND
    offer = decision.offers.get()
    assert offer.base_salary == 92_000
    edit = owner_client.post(
        reverse("decisions:offer_edit", args=[decision.pk, offer.pk]), {**OFFER, "bonus": "9000"}
    )
    assert edit.status_code == HTTPStatus.FOUND
    offer.refresh_from_db()
    assert offer.bonus == 9_000
    assert decision.log_entries.first().data["changes"] == {
        "bonus": {"before": "8000", "after": "9000"}
    }


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"base_salary": "-5"}, "base_salary"),
        ({"bonus": "1000000000"}, "bonus"),
        ({"equity_per_year": "lots"}, "equity_per_year"),
        ({"currency": "ABC"}, "currency"),
        ({"currency": "GBP", "rate_to_base": "0"}, "rate_to_base"),
        ({"company": ""}, "company"),
        ({"role": "r" * 121}, "role"),
        ({"notes": "n" * 4001}, "notes"),
        ({"recruiter_email": "not-an-email"}, "recruiter_email"),
        ({"response_deadline": "2027-02-30"}, "response_deadline"),
        ({"work_mode": "moon"}, "work_mode"),
        ({"vesting": "cliff"}, "vesting"),
        ({"annual_raise": "75"}, "annual_raise"),
    ],
)
def test_bad_offer_input_is_a_field_error_and_saves_nothing(
    owner_client: Client, decision: Decision, change: dict, field: str
):
    response = owner_client.post(
        reverse("decisions:offer_create", args=[decision.pk]), {**OFFER, **change}
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert field in response.context_data["form"].errors
    assert not decision.offers.exists()
    assert decision.log_entries.count() == 1


def test_a_full_decision_offers_no_offer_form_and_refuses_one_more(
    owner_client: Client, decision: Decision
):
    OfferFactory.create_batch(MAX_OFFERS_PER_DECISION, decision=decision)
    url = reverse("decisions:offer_create", args=[decision.pk])
    page = owner_client.get(url)
    assert page.status_code == HTTPStatus.OK
    assert f"at most {MAX_OFFERS_PER_DECISION} offers" in page.content.decode()
    assert 'name="company"' not in page.content.decode()
    response = owner_client.post(url, OFFER)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert f"at most {MAX_OFFERS_PER_DECISION} offers" in response.content.decode()
    assert decision.offers.count() == MAX_OFFERS_PER_DECISION


def test_removing_an_offer_asks_first(owner_client: Client, offer: Offer):
    url = reverse("decisions:offer_delete", args=[offer.decision_id, offer.pk])
    confirm = owner_client.get(url)
    assert b"Yes, remove it" in confirm.content
    assert Offer.objects.filter(pk=offer.pk).exists()
    owner_client.post(url)
    assert not Offer.objects.filter(pk=offer.pk).exists()


# Ratings ---------------------------------------------------------------------------


def test_ratings_grid_saves_every_cell_in_one_post(owner_client: Client, decision: Decision):
    first = OfferFactory(decision=decision, company="A")
    second = OfferFactory(decision=decision, company="B")
    rated = [c for c in decision.criteria.all() if c.kind_spec.has_cell]
    data = {}
    for offer in (first, second):
        for criterion in rated:
            data[f"value-{offer.pk}-{criterion.pk}"] = "7.5"
            data[f"note-{offer.pk}-{criterion.pk}"] = f"why {offer.company}"
    response = owner_client.post(reverse("decisions:ratings", args=[decision.pk]), data)
    assert response.status_code == HTTPStatus.FOUND
    assert Rating.objects.filter(offer__decision=decision).count() == 8
    assert decision.log_entries.filter(kind="ratings_changed").count() == 1
    grid = owner_client.get(reverse("decisions:ratings", args=[decision.pk]))
    assert 'value="7.5"' in grid.content.decode()


def _full_grid(decision: Decision) -> tuple[list[Offer], list[Criterion]]:
    """The largest grid a decision may hold: every criterion one the candidate rates
    (a rating takes a range, so its cells have the most fields), every offer."""
    decision.criteria.filter(kind="total_comp").delete()
    _fill_criteria(decision, MAX_CRITERIA_PER_DECISION)
    offers = OfferFactory.create_batch(MAX_OFFERS_PER_DECISION, decision=decision)
    return offers, list(decision.criteria.all())


def test_the_fullest_grid_fits_the_request_field_limit(decision: Decision):
    offers, criteria = _full_grid(decision)
    form = RatingsGridForm(offers=offers, criteria=criteria, ratings={})
    csrf_token = 1
    assert len(form.fields) + csrf_token <= settings.DATA_UPLOAD_MAX_NUMBER_FIELDS


def test_the_fullest_grid_saves_in_one_post(owner_client: Client, decision: Decision):
    offers, criteria = _full_grid(decision)
    data = {"version": decision.version}
    for offer in offers:
        for criterion in criteria:
            cell = f"{offer.pk}-{criterion.pk}"
            # The longest note, in characters that take the most bytes once encoded.
            data |= {f"value-{cell}": "5", f"high-{cell}": "8", f"note-{cell}": "😀" * 200}
    response = owner_client.post(
        reverse("decisions:ratings", args=[decision.pk]),
        urlencode(data),  # as a browser posts a form
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == HTTPStatus.FOUND
    cells = MAX_OFFERS_PER_DECISION * MAX_CRITERIA_PER_DECISION
    assert Rating.objects.filter(offer__decision=decision, value_high=8).count() == cells


@pytest.mark.parametrize(
    ("value", "note"),
    [("11", ""), ("-1", ""), ("abc", ""), ("5", "x" * 201), ("7.25", ""), ("5", "one\ntwo")],
)
def test_a_bad_cell_saves_none_of_the_grid(
    owner_client: Client, offer: Offer, value: str, note: str
):
    decision = offer.decision
    culture = decision.criteria.get(name="Culture")
    location = decision.criteria.get(name="Location")
    data = {
        f"value-{offer.pk}-{location.pk}": "6",
        f"value-{offer.pk}-{culture.pk}": value,
        f"note-{offer.pk}-{culture.pk}": note,
    }
    response = owner_client.post(reverse("decisions:ratings", args=[decision.pk]), data)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert not Rating.objects.exists()
    # The error sits on the cell that holds it, not above the grid.
    cell = {f"value-{offer.pk}-{culture.pk}", f"note-{offer.pk}-{culture.pk}"}
    assert set(response.context_data["form"].errors) & cell


def test_ratings_grid_without_offers_says_what_to_do(owner_client: Client, decision: Decision):
    response = owner_client.get(reverse("decisions:ratings", args=[decision.pk]))
    assert b"Nothing to rate yet" in response.content


def test_amount_criteria_take_numbers_past_ten(owner_client: Client, offer: Offer):
    commute = Criterion.objects.create(
        decision=offer.decision, name="Commute", kind="amount_low", position=9
    )
    response = owner_client.post(
        reverse("decisions:ratings", args=[offer.decision_id]),
        {f"value-{offer.pk}-{commute.pk}": "45"},
    )
    assert response.status_code == HTTPStatus.FOUND
    assert Rating.objects.get(criterion=commute).value == 45


def test_user_text_is_escaped_on_every_page_of_the_decision(owner_client: Client, user: User):
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    decision = Decision.objects.create(owner=user, title=hostile, goals=hostile)
    offer = OfferFactory(decision=decision, company=hostile, role=hostile, notes=hostile)
    Criterion.objects.create(decision=decision, name=hostile, kind="rating", weight=5)
    Rating.objects.create(offer=offer, criterion=decision.criteria.get(), value=5, note=hostile)
    for url in [reverse("decisions:list"), *_object_urls(decision)]:
        response = owner_client.get(url)
        if response.status_code != HTTPStatus.OK or "text/html" not in response["Content-Type"]:
            continue
        content = response.content.decode()
        assert "<script>alert" not in content, url
        assert "<img src=x" not in content, url


def test_deciding_through_the_form(owner_client: Client, decision: Decision):
    offer = OfferFactory(decision=decision, company="Northwind")
    url = reverse("decisions:decide", args=[decision.pk])
    page = owner_client.get(url)
    assert page.status_code == HTTPStatus.OK
    response = owner_client.post(
        url,
        {
            "chosen_offer": offer.pk,
            "why": "Best team",
            "confidence": "75",
            "review_on": "2027-03-01",
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    detail = owner_client.get(decision.get_absolute_url()).content.decode()
    assert "You chose Software Engineer at Northwind" in detail
    assert "75% sure" in detail


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"confidence": "120"}, "confidence"),
        ({"why": ""}, "why"),
        ({"review_on": "someday"}, "review_on"),
    ],
)
def test_deciding_with_bad_input_is_a_field_error(
    owner_client: Client, decision: Decision, change, field
):
    offer = OfferFactory(decision=decision)
    data = {"chosen_offer": offer.pk, "why": "Team", "confidence": "70", **change}
    response = owner_client.post(reverse("decisions:decide", args=[decision.pk]), data)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert field in response.context_data["form"].errors
    decision.refresh_from_db()
    assert decision.status == "open"


def test_deciding_on_a_foreign_offer_id_is_refused(
    owner_client: Client, decision: Decision, foreign_decision
):
    OfferFactory(decision=decision)
    foreign = foreign_decision.offers.get()
    response = owner_client.post(
        reverse("decisions:decide", args=[decision.pk]),
        {"chosen_offer": foreign.pk, "why": "x", "confidence": "50"},
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "chosen_offer" in response.context_data["form"].errors
    foreign.refresh_from_db()
    assert foreign.status == "open"


@pytest.mark.parametrize(
    "page",
    ["decisions:detail", "decisions:ratings", "decisions:criteria", "decisions:decide",
     "messaging:hub", "decisions:log"],
)  # fmt: skip
def test_pages_of_a_decision_make_as_many_queries_for_12_offers_as_for_2(
    owner_client: Client, user, page: str, django_assert_max_num_queries
):
    counts = []
    for offers in (2, 12):
        decision = DecisionFactory(owner=user)
        for n in range(offers):
            offer = OfferFactory(decision=decision, company=f"Company {n}")
            culture = decision.criteria.get(name="Culture")
            services.ratings_save(
                decision=decision,
                actor=user,
                cells=[services.RatingInput(offer.pk, culture.pk, value=Decimal(n % 11))],
            )
        with django_assert_max_num_queries(30) as captured:
            assert owner_client.get(reverse(page, args=[decision.pk])).status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1], counts


# The salary range of a new decision --------------------------------------------------


def test_a_new_decision_takes_the_candidates_pay_range(owner_client: Client, user: User):
    owner_client.post(
        reverse("decisions:list"),
        {"title": "Search", "base_currency": "EUR", "pay_floor": "70000", "pay_target": "120000"},
    )
    salary = Decision.objects.get(owner=user).criteria.get(name="Salary")
    assert (salary.floor, salary.target, salary.suggested_from) == (
        Decimal(70_000),
        Decimal(120_000),
        "",
    )
    assert salary.floor_rules_out


def test_a_new_decision_suggests_the_range_from_the_current_pay(owner_client: Client, user: User):
    response = owner_client.post(
        reverse("decisions:list"),
        {"title": "Search", "base_currency": "EUR", "current_pay": "95000"},
        follow=True,
    )
    salary = Decision.objects.get(owner=user).criteria.get(name="Salary")
    assert (salary.floor, salary.target, salary.suggested_from) == (
        Decimal(85_000),
        Decimal(150_000),
        "current_pay",
    )
    assert "a range suggested from your current pay" in response.content.decode()
    assert "€85,000" in response.content.decode()


def test_a_new_decision_without_a_range_says_the_first_offer_will_suggest_one(
    owner_client: Client, user: User
):
    response = owner_client.post(
        reverse("decisions:list"), {"title": "Search", "base_currency": "EUR"}, follow=True
    )
    assert "your first offer’s pay will suggest one" in response.content.decode()
    decision = Decision.objects.get(owner=user)
    services.offer_create(
        decision=decision,
        actor=user,
        data=services.OfferData(
            company="Acme", role="Dev", currency="EUR", base_salary=Decimal(100_000)
        ),
    )
    salary = decision.criteria.get(name="Salary")
    assert (salary.floor, salary.target, salary.suggested_from) == (
        Decimal(80_000),
        Decimal(130_000),
        "offers",
    )


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"pay_floor": "70000"}, "pay_target"),
        ({"pay_target": "70000"}, "pay_floor"),
        ({"pay_floor": "90000", "pay_target": "80000"}, "pay_floor"),
        ({"pay_floor": "lots", "pay_target": "80000"}, "pay_floor"),
        ({"pay_floor": "-1", "pay_target": "80000"}, "pay_floor"),
        ({"current_pay": "lots"}, "current_pay"),
    ],
)
def test_a_bad_pay_range_is_a_field_error_and_saves_nothing(
    owner_client: Client, data: dict, field: str
):
    response = owner_client.post(
        reverse("decisions:list"), {"title": "Search", "base_currency": "EUR", **data}
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert field in response.context_data["form"].errors
    assert not Decision.objects.exists()


def test_the_pay_range_fills_in_from_the_current_pay(owner_client: Client):
    url = reverse("decisions:pay_range")
    htmx = {"HX-Request": "true"}
    response = owner_client.post(url, {"current_pay": "95000"}, headers=htmx)
    assert response.template_name == "decisions/_pay_range.html"
    text = response.content.decode()
    assert 'name="pay_floor" value="85000"' in text
    assert 'name="pay_target" value="150000"' in text
    assert 'name="suggested_floor" value="85000"' in text
    assert "Suggested from your current pay" in text
    # A floor the candidate typed stays; the empty target takes the suggestion.
    own = owner_client.post(url, {"current_pay": "95000", "pay_floor": "99000"}, headers=htmx)
    assert 'name="pay_floor" value="99000"' in own.content.decode()
    assert 'name="pay_target" value="150000"' in own.content.decode()
    assert "the figures you typed are kept" in own.content.decode()
    # A new current pay replaces what is still the last suggestion.
    again = owner_client.post(
        url,
        {"current_pay": "120000", "pay_floor": "85000", "pay_target": "150000",
         "suggested_floor": "85000", "suggested_target": "150000"},
        headers=htmx,
    )  # fmt: skip
    assert 'name="pay_floor" value="100000"' in again.content.decode()
    cleared = owner_client.post(
        url,
        {"current_pay": "", "pay_floor": "85000", "pay_target": "160000",
         "suggested_floor": "85000", "suggested_target": "150000"},
        headers=htmx,
    ).content.decode()  # fmt: skip
    # Cleared with the current pay: the suggested floor goes, the typed target stays.
    assert 'name="pay_floor" value' not in cleared
    assert 'name="pay_target" value="160000"' in cleared
    nothing = owner_client.post(url, {"current_pay": "ninety"}, headers=htmx).content.decode()
    assert "as a plain number" in nothing
    assert 'name="pay_floor" value' not in nothing
    assert owner_client.post(url, {"current_pay": "95000"}).status_code == HTTPStatus.FOUND
    assert owner_client.get(url, headers=htmx).status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_a_suggested_range_kept_as_it_is_stays_a_suggestion(owner_client: Client, user: User):
    owner_client.post(
        reverse("decisions:list"),
        {"title": "Kept", "base_currency": "EUR", "current_pay": "95000", "pay_floor": "85000",
         "pay_target": "150000", "suggested_floor": "85000", "suggested_target": "150000"},
    )  # fmt: skip
    owner_client.post(
        reverse("decisions:list"),
        {"title": "Changed", "base_currency": "EUR", "current_pay": "95000",
         "pay_floor": "90000", "pay_target": "150000", "suggested_floor": "85000",
         "suggested_target": "150000"},
    )  # fmt: skip
    kept, changed = (
        Decision.objects.get(owner=user, title=title).criteria.get(name="Salary")
        for title in ("Kept", "Changed")
    )
    assert (kept.suggested_from, kept.floor_rules_out) == ("current_pay", False)
    assert (changed.suggested_from, changed.floor_rules_out) == ("", True)


# Deal-breakers, the tiebreaker, ranges and yes or no ---------------------------------


def test_deal_breakers_rule_offers_out_and_are_logged(
    owner_client: Client, decision: Decision, user: User
):
    onsite = OfferFactory(decision=decision, company="Office Ltd", work_mode="onsite")
    far = OfferFactory(decision=decision, company="Far Away", location=" amsterdam ")
    OfferFactory(decision=decision, company="Fine", location="Berlin")
    response = owner_client.post(
        reverse("decisions:must_haves", args=[decision.pk]),
        {"work_modes": ["onsite"], "locations": [], "other_location": "Amsterdam"},
    )
    assert response.status_code == HTTPStatus.FOUND
    decision.refresh_from_db()
    assert decision.must_haves == {"work_mode": ["onsite"], "location": ["Amsterdam"]}
    entry = decision.log_entries.first()
    assert entry.kind == "must_haves_changed"
    assert entry.summary == "Ruled out on-site offers and offers in Amsterdam"
    page = owner_client.get(reverse("decisions:compare", args=[decision.pk])).content.decode()
    assert "Office Ltd is ruled out: it is on-site, a way of working you ruled out." in page
    assert "Far Away is ruled out: it is in amsterdam, a location you ruled out." in page
    ranked = comparison(decision)
    assert [row.offer for row in ranked.rows][-2:] == [onsite, far]


def test_a_deal_breaker_on_a_work_mode_that_does_not_exist_is_refused(
    owner_client: Client, decision: Decision
):
    response = owner_client.post(
        reverse("decisions:must_haves", args=[decision.pk]), {"work_modes": ["moon"]}
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "work_modes" in response.context_data["must_haves_form"].errors
    decision.refresh_from_db()
    assert decision.must_haves == {}


def _close_call(decision: Decision) -> tuple[Offer, Offer]:
    """Two offers equal on pay and culture: a tie, so a close call with a question."""
    offers = []
    for company in ("First", "Second"):
        offer = OfferFactory(decision=decision, company=company, base_salary=Decimal(80_000))
        Rating.objects.create(offer=offer, criterion=decision.criteria.get(name="Culture"), value=6)
        offers.append(offer)
    return offers[0], offers[1]


def test_answering_the_tiebreaker_keeps_the_answer_in_the_log(
    owner_client: Client, decision: Decision
):
    first, _ = _close_call(decision)
    question = comparison(decision).claim("tiebreaker").text
    response = owner_client.post(
        reverse("decisions:tiebreak", args=[decision.pk]),
        # A question sent by the browser is ignored: the server asks its own.
        {"offer": first.pk, "why": "The team.", "question": "Made up?"},
        follow=True,
    )
    entry = decision.log_entries.first()
    assert (entry.kind, entry.body, entry.data) == (
        "reflection",
        "I would take First. The team.",
        {"question": question},
    )
    assert "you would take First" in response.content.decode()


def test_a_tiebreaker_answer_must_name_one_of_the_two_offers(
    owner_client: Client, decision: Decision, foreign_decision: Decision
):
    _close_call(decision)
    third = OfferFactory(decision=decision, company="Third", base_salary=Decimal(10_000))
    for pick in (foreign_decision.offers.first().pk, third.pk):
        response = owner_client.post(
            reverse("decisions:tiebreak", args=[decision.pk]), {"offer": pick}, follow=True
        )
        assert "Pick the offer you would take" in response.content.decode()
    assert not decision.log_entries.filter(kind="reflection").exists()


def test_a_tiebreaker_answer_without_a_close_call_is_turned_away(
    owner_client: Client, decision: Decision
):
    offer = OfferFactory(decision=decision)
    response = owner_client.post(
        reverse("decisions:tiebreak", args=[decision.pk]), {"offer": offer.pk}, follow=True
    )
    assert "no longer a close call" in response.content.decode()
    assert not decision.log_entries.filter(kind="reflection").exists()


def test_a_close_call_asks_the_tiebreaker_question_with_a_form(
    owner_client: Client, decision: Decision
):
    _close_call(decision)
    page = owner_client.get(reverse("decisions:compare", args=[decision.pk])).content.decode()
    assert "Too close to call: First and Second tie at" in page
    assert "0.0 points apart" not in page
    assert "Instead of a winner, a question" in page
    assert reverse("decisions:tiebreak", args=[decision.pk]) in page


def test_an_unsure_rating_is_a_range_and_the_score_shows_its_interval(
    owner_client: Client, offer: Offer
):
    culture = offer.decision.criteria.get(name="Culture")
    response = owner_client.post(
        reverse("decisions:ratings", args=[offer.decision_id]),
        {f"value-{offer.pk}-{culture.pk}": "5", f"high-{offer.pk}-{culture.pk}": "8"},
    )
    assert response.status_code == HTTPStatus.FOUND
    rating = Rating.objects.get(criterion=culture)
    assert (rating.value, rating.value_high) == (5, 8)
    entry = offer.decision.log_entries.get(kind="ratings_changed")
    assert entry.data["changes"][0]["after"] == {"value": "5", "note": "", "high": "8"}
    [row] = comparison(offer.decision).rows
    culture_key = str(culture.pk)
    # Scored at the middle of the range, 6.5 of 10 on a weight of 20 out of 100.
    assert row.result.contributions[culture_key] == pytest.approx(20 * 0.65)
    assert row.result.low < row.result.score < row.result.high
    grid = owner_client.get(reverse("decisions:ratings", args=[offer.decision_id])).content
    assert b'value="8.0"' in grid


@pytest.mark.parametrize(("value", "high"), [("", "8"), ("8", "5"), ("5", "11")])
def test_a_bad_range_saves_none_of_the_grid(owner_client: Client, offer: Offer, value, high):
    culture = offer.decision.criteria.get(name="Culture")
    response = owner_client.post(
        reverse("decisions:ratings", args=[offer.decision_id]),
        {f"value-{offer.pk}-{culture.pk}": value, f"high-{offer.pk}-{culture.pk}": high},
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert not Rating.objects.exists()


def test_an_amount_takes_no_range(owner_client: Client, offer: Offer, user: User):
    commute = Criterion.objects.create(
        decision=offer.decision, name="Commute", kind="amount_low", position=9
    )
    grid = owner_client.get(reverse("decisions:ratings", args=[offer.decision_id])).content
    assert f"high-{offer.pk}-{commute.pk}".encode() not in grid
    with pytest.raises(ValidationError, match="takes one value, not a range"):
        services.ratings_save(
            decision=offer.decision,
            actor=user,
            cells=[
                services.RatingInput(
                    offer_id=offer.pk, criterion_id=commute.pk, value=Decimal(30),
                    value_high=Decimal(40),
                )
            ],
        )  # fmt: skip


def test_a_yes_no_criterion_is_a_choice_in_the_grid_and_a_must_have(
    owner_client: Client, offer: Offer
):
    decision = offer.decision
    response = owner_client.post(
        reverse("decisions:criterion_add", args=[decision.pk]),
        {"name": "Visa sponsored", "kind": "yes_no", "weight": "10", "must_be_yes": "on"},
    )
    assert response.status_code == HTTPStatus.FOUND
    visa = decision.criteria.get(name="Visa sponsored")
    assert visa.floor == 1
    grid = owner_client.get(reverse("decisions:ratings", args=[decision.pk])).content.decode()
    assert f'<select name="value-{offer.pk}-{visa.pk}"' in grid
    owner_client.post(
        reverse("decisions:ratings", args=[decision.pk]), {f"value-{offer.pk}-{visa.pk}": "0"}
    )
    page = owner_client.get(reverse("decisions:compare", args=[decision.pk])).content.decode()
    assert "the answer to Visa sponsored is no, and you need a yes" in page


def test_a_refused_slider_move_brings_the_saved_sliders_back(
    owner_client: Client, decision: Decision
):
    OfferFactory(decision=decision)
    zero = {f"weight-{c.pk}": 0 for c in decision.criteria.all()}
    response = owner_client.post(
        reverse("decisions:compare", args=[decision.pk]), zero, headers={"HX-Request": "true"}
    )
    text = response.content.decode()
    assert 'id="weights-sliders" class="stack" data-hx-swap-oob="true"' in text
    salary = decision.criteria.get(name="Salary")
    assert (
        f'name="weight-{salary.pk}" id="id_weight-{salary.pk}" min="0" max="100" step="1"' in text
    )
    assert 'value="30"' in text.split('id="weights-sliders"')[1]
    assert "Nothing was saved" in text


def _edit(criterion: Criterion, **changes: str) -> dict[str, str]:
    data = {
        "name": criterion.name,
        "kind": criterion.kind,
        "weight": str(criterion.weight),
        "unit": criterion.unit,
        "floor": "" if criterion.floor is None else str(criterion.floor),
        "target": "" if criterion.target is None else str(criterion.target),
    }
    return {**data, **changes}


def test_renaming_a_criterion_keeps_its_suggested_range_a_suggestion(
    owner_client: Client, offer: Offer, user: User
):
    services.scales_fill(decision=offer.decision, actor=user)
    salary = offer.decision.criteria.get(name="Salary")
    url = reverse("decisions:criterion_edit", args=[offer.decision_id, salary.pk])
    page = owner_client.get(url).content.decode()
    assert "Make this range my own" in page
    owner_client.post(url, _edit(salary, name="Pay"))
    salary.refresh_from_db()
    assert (salary.name, salary.suggested_from) == ("Pay", "offers")
    response = owner_client.post(url, _edit(salary, make_range_mine="on"), follow=True)
    salary.refresh_from_db()
    assert salary.suggested_from == ""
    assert "The range is yours now" in response.content.decode()


def test_changing_a_suggested_floor_makes_the_range_the_candidates(
    owner_client: Client, offer: Offer, user: User
):
    services.scales_fill(decision=offer.decision, actor=user)
    salary = offer.decision.criteria.get(name="Salary")
    url = reverse("decisions:criterion_edit", args=[offer.decision_id, salary.pk])
    owner_client.post(url, _edit(salary, floor="70000"))
    salary.refresh_from_db()
    assert (salary.floor, salary.suggested_from) == (Decimal(70_000), "")


def test_ruling_out_a_no_is_only_for_a_yes_or_no_criterion(owner_client: Client, decision):
    response = owner_client.post(
        reverse("decisions:criterion_add", args=[decision.pk]),
        {"name": "Team", "kind": "rating", "weight": "5", "must_be_yes": "on"},
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "must_be_yes" in response.context_data["add_form"].errors
    assert not decision.criteria.filter(name="Team").exists()


def test_the_offers_to_choose_from_are_written_once_for_both_forms():
    # The decide and change-of-mind pages share one fieldset (``_offer_choice.html``).
    templates = Path(__file__).parents[2] / "templates" / "decisions"
    holding = [path.name for path in templates.glob("*.html") if "choice-list" in path.read_text()]
    assert holding == ["_offer_choice.html"]
    for page in ("decide.html", "change_mind.html"):
        assert '{% include "decisions/_offer_choice.html" %}' in (templates / page).read_text()


def test_both_forms_offer_their_offers_to_choose_from(owner_client: Client, decision: Decision):
    first, second = OfferFactory(decision=decision), OfferFactory(decision=decision)
    page = owner_client.get(reverse("decisions:decide", args=[decision.pk])).content.decode()
    assert f'value="{first.pk}"' in page
    assert f'value="{second.pk}"' in page
    services.decision_decide(
        decision=decision,
        actor=decision.owner,
        chosen_offer=first,
        why="",
        confidence=None,
        review_on=None,
    )
    page = owner_client.get(reverse("decisions:change_mind", args=[decision.pk])).content.decode()
    assert f'value="{second.pk}"' in page
    assert "The offer you accept now" in page
