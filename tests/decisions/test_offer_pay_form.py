"""The offer form's pay as it really is: a salary by the month, the rate's day, equity
by kind and the cost of living (decisions/forms.py OfferForm and its page)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from decisions.forms import OfferForm
from decisions.models import Decision, Offer
from tests.factories import OfferFactory

pytestmark = pytest.mark.django_db

D = Decimal

# The form as the page posts it today: every field, the new ones at their defaults.
POST = {
    "company": "Northwind", "role": "Engineer", "location": "", "work_mode": "hybrid",
    "status": "open", "currency": "EUR", "rate_to_base": "1", "rate_on": "",
    "salary_period": "yearly", "base_salary": "90000", "monthly_salary": "",
    "salaries_per_year": "12", "bonus": "0", "equity_per_year": "10000",
    "signing_bonus": "0", "benefits_value": "0", "equity_kind": "rsu",
    "equity_valued_percent": "", "share_price": "", "strike_price": "", "vesting": "even",
    "cliff_months": "", "refresher_per_year": "", "annual_raise": "0", "cost_of_living": "",
    "response_deadline": "", "recruiter_name": "", "recruiter_email": "", "notes": "",
}  # fmt: skip
YESTERDAY = (timezone.localdate() - dt.timedelta(days=1)).isoformat()


def _add(client: Client, decision: Decision, **changes: str):
    return client.post(reverse("decisions:offer_create", args=[decision.pk]), {**POST, **changes})


def _refused(response, decision: Decision, field: str) -> str:
    """The error on ``field`` of a refused post that saved nothing."""
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert not decision.offers.exists()
    errors = response.context_data["form"].errors
    assert field in errors, errors
    return " ".join(errors[field])


# A salary by the month -------------------------------------------------------------


def test_a_salary_by_the_month_makes_the_yearly_base(owner_client: Client, decision: Decision):
    response = _add(
        owner_client,
        decision,
        salary_period="monthly",
        monthly_salary="7500",
        salaries_per_year="14",
        base_salary="",
    )
    assert response.status_code == HTTPStatus.FOUND
    offer = decision.offers.get()
    assert (offer.salary_period, offer.monthly_salary, offer.salaries_per_year) == (
        "monthly",
        D(7_500),
        14,
    )
    assert offer.base_salary == D(105_000)


def test_by_the_month_the_typed_yearly_figure_gives_way_even_when_it_is_not_a_number(
    owner_client: Client, decision: Decision
):
    _add(
        owner_client,
        decision,
        salary_period="monthly",
        monthly_salary="4000",
        salaries_per_year="13",
        base_salary="lots",
    )
    assert decision.offers.get().base_salary == D(52_000)


def test_the_edit_page_says_what_the_yearly_base_was_worked_out_from(
    owner_client: Client, decision: Decision
):
    offer = OfferFactory(
        decision=decision,
        salary_period="monthly",
        monthly_salary=D("7142.86"),
        salaries_per_year=14,
        base_salary=D("100000.04"),
    )
    page = owner_client.get(reverse("decisions:offer_edit", args=[decision.pk, offer.pk]))
    assert page.status_code == HTTPStatus.OK
    assert "14 salaries of €7,142.86 make €100,000 a year" in page.content.decode()
    assert page.context_data["form"]["salary_period"].value() == "monthly"


def test_by_the_month_needs_the_months_salary(owner_client: Client, decision: Decision):
    response = _add(owner_client, decision, salary_period="monthly", monthly_salary="")
    assert "Give one month’s salary" in _refused(response, decision, "monthly_salary")


def test_months_that_make_too_much_are_refused_where_they_were_typed(
    owner_client: Client, decision: Decision
):
    response = _add(
        owner_client, decision, salary_period="monthly", monthly_salary="9000000",
        salaries_per_year="14", base_salary="",
    )  # fmt: skip
    message = _refused(response, decision, "monthly_salary")
    assert message == (
        "14 salaries of that make €126,000,000 a year, over 100,000,000: check for an extra zero."
    )
    # Not on the yearly box, which a salary by the month keeps out of sight.
    assert "base_salary" not in response.context_data["form"].errors


def test_a_monthly_salary_alone_by_the_year_asks_which_was_meant(
    owner_client: Client, decision: Decision
):
    response = _add(owner_client, decision, monthly_salary="7500", base_salary="")
    assert "choose “By the month”" in _refused(response, decision, "salary_period")


def test_by_the_year_a_monthly_figure_typed_too_is_not_kept(
    owner_client: Client, decision: Decision
):
    assert _add(owner_client, decision, monthly_salary="7500").status_code == HTTPStatus.FOUND
    offer = decision.offers.get()
    assert (offer.salary_period, offer.monthly_salary, offer.base_salary) == (
        "yearly",
        None,
        D(90_000),
    )


def test_switching_a_monthly_offer_to_yearly_keeps_the_yearly_figure(
    owner_client: Client, decision: Decision
):
    offer = OfferFactory(
        decision=decision,
        salary_period="monthly",
        monthly_salary=D(5_000),
        salaries_per_year=12,
        base_salary=D(60_000),
    )
    response = owner_client.post(
        reverse("decisions:offer_edit", args=[decision.pk, offer.pk]),
        {**POST, "monthly_salary": "5000", "base_salary": "65000", "version": offer.version},
    )
    assert response.status_code == HTTPStatus.FOUND
    offer.refresh_from_db()
    assert (offer.salary_period, offer.monthly_salary, offer.base_salary) == (
        "yearly",
        None,
        D(65_000),
    )


@pytest.mark.parametrize("salaries", ["15", "0", "twelve"])
def test_salaries_a_year_are_12_13_or_14(owner_client: Client, decision: Decision, salaries):
    response = _add(
        owner_client,
        decision,
        salary_period="monthly",
        monthly_salary="1",
        salaries_per_year=salaries,
    )
    _refused(response, decision, "salaries_per_year")


def test_a_form_without_the_new_fields_takes_the_usual_terms(
    owner_client: Client, decision: Decision
):
    old = {
        name: value
        for name, value in POST.items()
        if name not in ("salary_period", "salaries_per_year", "equity_kind")
    }
    response = owner_client.post(reverse("decisions:offer_create", args=[decision.pk]), old)
    assert response.status_code == HTTPStatus.FOUND
    offer = decision.offers.get()
    assert (offer.salary_period, offer.salaries_per_year, offer.equity_kind) == (
        "yearly",
        12,
        "rsu",
    )


# The rate and its day ----------------------------------------------------------------


def test_another_currency_needs_the_day_of_its_rate(owner_client: Client, decision: Decision):
    response = _add(owner_client, decision, currency="GBP", rate_to_base="1.17")
    message = _refused(response, decision, "rate_on")
    assert message.startswith("Give the day of this rate")
    assert "GBP and EUR" in message
    saved = _add(owner_client, decision, currency="GBP", rate_to_base="1.17", rate_on=YESTERDAY)
    assert saved.status_code == HTTPStatus.FOUND
    offer = decision.offers.get()
    assert (offer.rate_to_base, offer.rate_on) == (D("1.17"), dt.date.fromisoformat(YESTERDAY))


def test_a_rate_from_a_day_to_come_is_refused(owner_client: Client, decision: Decision):
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = _add(owner_client, decision, currency="GBP", rate_to_base="1.17", rate_on=tomorrow)
    assert "still to come" in _refused(response, decision, "rate_on")


def test_the_rate_of_1_is_still_refused_with_its_day(owner_client: Client, decision: Decision):
    response = _add(owner_client, decision, currency="GBP", rate_to_base="1", rate_on=YESTERDAY)
    assert "rarely worth exactly 1 EUR" in _refused(response, decision, "rate_to_base")


def test_the_decisions_own_currency_keeps_no_rate_day_whatever_was_typed(
    owner_client: Client, decision: Decision
):
    assert _add(owner_client, decision, rate_on="9999-12-31").status_code == HTTPStatus.FOUND
    offer = decision.offers.get()
    assert (offer.rate_to_base, offer.rate_on) == (D(1), None)


def test_the_rate_days_input_goes_no_later_than_today(decision: Decision):
    form = OfferForm(decision=decision)
    assert form.fields["rate_on"].widget.attrs["max"] == timezone.localdate().isoformat()
    assert "needed when the offer is not in EUR" in form.fields["rate_on"].help_text


# Equity by kind ----------------------------------------------------------------------


def test_options_need_a_share_price_and_a_strike_price(owner_client: Client, decision: Decision):
    response = _add(owner_client, decision, equity_kind="options")
    errors = response.context_data["form"].errors
    assert "need the share price" in " ".join(errors["share_price"])
    assert "need the strike price" in " ".join(errors["strike_price"])
    assert not decision.offers.exists()
    saved = _add(
        owner_client,
        decision,
        equity_kind="options",
        share_price="12",
        strike_price="4",
        equity_valued_percent="40",
    )
    assert saved.status_code == HTTPStatus.FOUND
    offer = decision.offers.get()
    assert (offer.share_price, offer.strike_price, offer.equity_valued_percent) == (
        D(12),
        D(4),
        D(40),
    )


def test_options_under_water_may_be_saved(owner_client: Client, decision: Decision):
    response = _add(
        owner_client, decision, equity_kind="options", share_price="2", strike_price="3"
    )
    assert response.status_code == HTTPStatus.FOUND


def test_a_zero_share_price_is_refused(owner_client: Client, decision: Decision):
    response = _add(
        owner_client, decision, equity_kind="options", share_price="0", strike_price="0"
    )
    assert "above 0" in _refused(response, decision, "share_price")


@pytest.mark.parametrize("kind", ["rsu", "private"])
def test_other_kinds_keep_no_prices_whatever_was_typed(
    owner_client: Client, decision: Decision, kind: str
):
    response = _add(owner_client, decision, equity_kind=kind, share_price="-3", strike_price="x")
    assert response.status_code == HTTPStatus.FOUND
    offer = decision.offers.get()
    assert (offer.equity_kind, offer.share_price, offer.strike_price) == (kind, None, None)


@pytest.mark.parametrize("percent", ["101", "-1", "12.25", "half"])
def test_equity_is_valued_at_0_to_100_percent(owner_client: Client, decision: Decision, percent):
    response = _add(owner_client, decision, equity_kind="private", equity_valued_percent=percent)
    _refused(response, decision, "equity_valued_percent")


def test_an_unknown_kind_of_equity_is_refused(owner_client: Client, decision: Decision):
    _refused(_add(owner_client, decision, equity_kind="warrants"), decision, "equity_kind")


def test_the_help_gives_each_kinds_default_value(decision: Decision):
    help_text = OfferForm(decision=decision).fields["equity_valued_percent"].help_text
    assert "100% for listed shares" in help_text
    assert "50% for a private company’s shares" in help_text
    assert "50% for options" in help_text


# The cost of living ------------------------------------------------------------------


def test_a_cost_of_living_index_is_optional_and_kept(owner_client: Client, decision: Decision):
    assert _add(owner_client, decision, cost_of_living="135").status_code == HTTPStatus.FOUND
    assert decision.offers.get().cost_of_living == 135


@pytest.mark.parametrize("index", ["19", "501", "-100", "1e3", "dear"])
def test_a_cost_of_living_index_is_from_20_to_500(owner_client: Client, decision: Decision, index):
    _refused(_add(owner_client, decision, cost_of_living=index), decision, "cost_of_living")


# The page ----------------------------------------------------------------------------


def test_the_page_asks_every_new_question(owner_client: Client, decision: Decision):
    page = owner_client.get(reverse("decisions:offer_create", args=[decision.pk])).content.decode()
    for name in (
        "rate_on",
        "salary_period",
        "monthly_salary",
        "salaries_per_year",
        "equity_kind",
        "equity_valued_percent",
        "share_price",
        "strike_price",
        "cost_of_living",
    ):
        assert f'name="{name}"' in page, name
    assert 'type="radio" name="salary_period" value="yearly"' in page
    assert 'name="cost_of_living" min="20" max="500"' in page


def test_a_refused_post_shows_its_messages_on_the_page(owner_client: Client, decision: Decision):
    response = _add(
        owner_client, decision, currency="GBP", rate_to_base="1.17", equity_kind="options"
    )
    page = response.content.decode()
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Give the day of this rate" in page
    assert "Stock options need the share price" in page
    assert Offer.objects.count() == 0


# Anything at all -----------------------------------------------------------------------

wild = st.one_of(
    st.text(st.characters(exclude_categories=("Cs",)), max_size=20),
    st.integers(-(10**9), 10**9).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.dates().map(dt.date.isoformat),
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    choices=st.fixed_dictionaries(
        {
            "currency": st.sampled_from(["EUR", "GBP"]),
            "salary_period": st.sampled_from(["yearly", "monthly", "", "weekly"]),
            "equity_kind": st.sampled_from(["rsu", "private", "options", "", "x"]),
        }
    ),
    typed=st.dictionaries(
        st.sampled_from(
            [
                "rate_to_base",
                "rate_on",
                "base_salary",
                "monthly_salary",
                "salaries_per_year",
                "equity_valued_percent",
                "share_price",
                "strike_price",
                "cost_of_living",
            ]
        ),
        wild,
    ),
)
def test_whatever_the_pay_questions_get_the_page_saves_a_whole_offer_or_says_why(
    owner_client: Client, decision: Decision, choices: dict, typed: dict
):
    response = _add(owner_client, decision, **choices, **typed)
    assert response.status_code in (HTTPStatus.FOUND, HTTPStatus.BAD_REQUEST)
    if response.status_code == HTTPStatus.BAD_REQUEST:
        assert response.context_data["form"].errors
        assert not decision.offers.exists()
        return
    offer = decision.offers.get()
    offer.full_clean()
    if offer.salary_period == "monthly":
        assert offer.base_salary == offer.monthly_salary * offer.salaries_per_year
    if offer.converted:
        assert offer.rate_on is not None
        assert offer.rate_on <= timezone.localdate()
    offer.delete()


def test_a_new_offer_s_rate_starts_empty_and_is_asked_for_in_another_currency(
    owner_client: Client, decision: Decision
):
    page = owner_client.get(reverse("decisions:offer_create", args=[decision.pk]))
    assert page.context_data["form"]["rate_to_base"].value() is None
    # In the decision's own currency an empty rate is no question: it converts at 1.
    assert _add(owner_client, decision, rate_to_base="").status_code == HTTPStatus.FOUND
    assert decision.offers.get().rate_to_base == 1
    decision.offers.all().delete()
    response = _add(owner_client, decision, currency="GBP", rate_to_base="", rate_on=YESTERDAY)
    assert _refused(response, decision, "rate_to_base") == (
        "Give the rate of the day: how many EUR one unit of the offer’s currency buys."
    )


def test_the_edit_page_shows_figures_as_they_were_typed(owner_client: Client, decision: Decision):
    offer = OfferFactory(
        decision=decision,
        currency="GBP",
        rate_to_base=D("1.17"),
        base_salary=D(78_000),
        equity_kind="options",
        share_price=D(12),
        strike_price=D("0.5"),
        annual_raise=D(0),
    )
    page = owner_client.get(reverse("decisions:offer_edit", args=[decision.pk, offer.pk]))
    form = page.context_data["form"]
    # Not the columns' 1.170000, 78000.00, 12.0000 and 0.0.
    shown = [
        str(form[name].value())
        for name in ("rate_to_base", "base_salary", "share_price", "strike_price", "annual_raise")
    ]
    assert shown == ["1.17", "78000", "12", "0.5", "0"]
    assert 'value="1.17"' in page.content.decode()
