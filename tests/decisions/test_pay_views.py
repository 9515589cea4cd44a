"""The second views of the ranking (guaranteed pay alone, pay for the cost of living),
guaranteed and variable pay apart, what each offer's equity is counted at, and the
exchange rate with its day: on the compare page, the coach's page and the report."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from decisions import explain
from decisions.models import CoachGrant, Decision, Offer, Rating
from decisions.report import report_html, report_view
from decisions.selectors import coach_view, comparison, equity_value_text
from tests.factories import OfferFactory, UserFactory

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def steady_and_shiny(decision: Decision) -> tuple[Offer, Offer]:
    # Steady pays 100,000 for sure; Shiny 90,000 for sure and 25,000 a year that may
    # not come (a 5,000 bonus, 20,000 of listed shares vesting evenly).
    steady = OfferFactory(decision=decision, company="Steady", base_salary=D(100_000))
    shiny = OfferFactory(
        decision=decision,
        company="Shiny",
        base_salary=D(90_000),
        bonus=D(5_000),
        equity_per_year=D(20_000),
    )
    return steady, shiny


def _leader(decision: Decision, pay_view: str = "total") -> str:
    return comparison(decision, pay_view=pay_view).leader.offer.company


def test_ranking_on_guaranteed_pay_leaves_the_bonus_and_equity_out(decision, steady_and_shiny):
    assert _leader(decision) == "Shiny"
    ranked = comparison(decision, pay_view="guaranteed")
    assert ranked.pay_view == "guaranteed"
    assert ranked.leader.offer.company == "Steady"
    shiny = next(row for row in ranked.rows if row.offer.company == "Shiny")
    assert (shiny.view_first_year, shiny.view_annualised) == (D(90_000), D(90_000))
    # The whole pay stays what it is, for the tables that show all of it.
    assert shiny.pay_first_year == D(115_000)


def test_each_view_ranks_on_its_own_pay_call_after_call(decision, steady_and_shiny):
    # The same decision in three calls: each view gets its own ranking, not the last one.
    assert [_leader(decision, view) for view in ("total", "guaranteed", "total")] == [
        "Shiny",
        "Steady",
        "Shiny",
    ]


def test_the_cost_of_living_is_offered_only_when_an_offer_has_an_index(decision, steady_and_shiny):
    steady, _ = steady_and_shiny
    assert comparison(decision).pay_views == ("total", "guaranteed")
    # Asked for anyway, it is the whole pay, and says so.
    assert comparison(decision, pay_view="living").pay_view == "total"
    Offer.objects.filter(pk=steady.pk).update(cost_of_living=80)
    assert comparison(decision).pay_views == ("total", "guaranteed", "living")


def test_pay_for_the_cost_of_living_buys_what_it_would_here(decision, steady_and_shiny):
    _, shiny = steady_and_shiny
    Offer.objects.filter(pk=shiny.pk).update(cost_of_living=135)
    ranked = comparison(decision, pay_view="living")
    assert ranked.leader.offer.company == "Steady"
    row = next(row for row in ranked.rows if row.offer.pk == shiny.pk)
    # 115,000 where life costs 135 buys what 85,185.19 buys here.
    assert row.view_first_year == D("85185.19")


def test_the_cost_of_living_view_says_the_indices_it_used(
    owner_client: Client, decision, steady_and_shiny
):
    _, shiny = steady_and_shiny
    Offer.objects.filter(pk=shiny.pk).update(cost_of_living=135)
    url = reverse("decisions:compare", args=[decision.pk])
    page = owner_client.get(url, {"pay": "living"}).content.decode()
    assert (
        "Ranked on pay adjusted for the cost of living: what each offer’s pay buys where "
        "you live now (index 100). The indices you gave: Shiny 135. Offers without an index "
        "are taken as where you live."
    ) in page
    assert "Pay, living costs adjusted<br>" in page
    assert "scored as the four-year average, adjusted for the cost of living." in page


def test_the_cost_of_living_view_names_no_sum_to_ask_for(decision, steady_and_shiny):
    # Steady leads on pay adjusted for its cheap city; on all pay Shiny leads, and the
    # sum Steady would need is one an employer pays, so it is said there alone.
    steady, _ = steady_and_shiny
    Offer.objects.filter(pk=steady.pk).update(cost_of_living=60)
    asked = {explain.PAY_TO_OVERTAKE, explain.PAY_TO_TIE, explain.PAY_TO_CLEAR_FLOOR}
    assert {claim.kind for claim in comparison(decision).claims} & asked
    living = comparison(decision, pay_view="living")
    assert living.leader.offer.company == "Steady"
    assert not {claim.kind for claim in living.claims} & asked


def test_an_unknown_view_is_the_whole_pay(owner_client: Client, decision, steady_and_shiny):
    assert comparison(decision, pay_view="bogus").pay_view == "total"
    url = reverse("decisions:compare", args=[decision.pk])
    response = owner_client.get(url, {"pay": "<script>"})
    assert response.status_code == HTTPStatus.OK
    assert response.context_data["comparison"].pay_view == "total"


def test_the_compare_page_says_which_view_it_shows(
    owner_client: Client, decision, steady_and_shiny
):
    url = reverse("decisions:compare", args=[decision.pk])
    page = owner_client.get(url, {"pay": "guaranteed"}).content.decode()
    assert "Ranked on guaranteed pay only" in page
    assert f'href="{url}?pay=guaranteed" data-hx-get="{url}?pay=guaranteed"' in page
    assert 'data-hx-push-url="true" aria-current="true">Guaranteed pay only</a>' in page
    assert "Guaranteed pay<br>" in page
    # The slider form keeps the view.
    assert '<input type="hidden" name="pay" value="guaranteed" form="compare-weights">' in page
    assert "Ranked on all pay" in owner_client.get(url).content.decode()


def test_htmx_gets_the_results_of_the_view_alone(owner_client: Client, decision, steady_and_shiny):
    url = reverse("decisions:compare", args=[decision.pk])
    response = owner_client.get(url, {"pay": "guaranteed"}, headers={"HX-Request": "true"})
    assert response.template_name == "decisions/_compare_results.html"
    assert response.context_data["comparison"].leader.offer.company == "Steady"


def _weights(decision: Decision, **extra: str) -> dict[str, str]:
    return {
        **{f"weight-{c.pk}": str(c.weight) for c in decision.criteria.all()},
        "version": str(decision.version),
        **extra,
    }


def test_a_slider_moved_in_a_view_stays_in_it(owner_client: Client, decision, steady_and_shiny):
    url = reverse("decisions:compare", args=[decision.pk])
    saved = owner_client.post(url, _weights(decision, pay="guaranteed"))
    assert saved.status_code == HTTPStatus.FOUND
    assert saved.url == f"{url}?pay=guaranteed"
    decision.refresh_from_db()
    swapped = owner_client.post(
        url, _weights(decision, pay="guaranteed"), headers={"HX-Request": "true"}
    )
    assert swapped.context_data["comparison"].pay_view == "guaranteed"


def test_guaranteed_and_variable_pay_are_shown_apart(
    owner_client: Client, decision, steady_and_shiny
):
    _, shiny = steady_and_shiny
    row = next(row for row in comparison(decision).rows if row.offer.pk == shiny.pk)
    assert row.pay_split == (D(90_000), D(25_000), D(90_000), D(25_000))
    assert [
        sure + unsure
        for sure, unsure in zip(row.pay_guaranteed_years, row.pay_variable_years, strict=True)
    ] == list(row.pay_years)
    page = owner_client.get(reverse("decisions:compare", args=[decision.pk])).content.decode()
    assert "Guaranteed and variable" in page
    assert "€25,000" in page


@pytest.mark.parametrize(
    ("terms", "text"),
    [
        (
            {},
            "Beta: listed shares (RSUs) counted at their full value, €10,000 a year.",
        ),
        (
            {"equity_kind": "rsu", "equity_valued_percent": D(80)},
            "Beta: listed shares (RSUs) counted at 80% of their value, as you chose "
            "(€8,000 a year of €10,000 at full value).",
        ),
        (
            {"equity_kind": "private"},
            "Beta: private shares counted at 50% of their value (€5,000 a year of €10,000 "
            "at full value): private shares may never be sellable.",
        ),
        (
            {"equity_kind": "private", "equity_valued_percent": D("37.5")},
            "Beta: private shares counted at 37.5% of their value, as you chose "
            "(€3,750 a year of €10,000 at full value).",
        ),
        (
            {"equity_kind": "options", "share_price": D(5), "strike_price": D(2)},
            # 50% of what they are worth above the strike (6,000), not of the shares.
            "Beta: stock options on shares worth €10,000 a year at €5.00 a share; above the "
            "€2.00 strike they are worth €6,000 a year, counted at 50%: €3,000 a year.",
        ),
        (
            {"equity_kind": "options", "share_price": D(5), "strike_price": D(6)},
            "Beta: stock options under water: the €6.00 strike is not below the €5.00 "
            "share price, so they count as 0 (€10,000 a year at the share price).",
        ),
        (
            {"equity_kind": "private", "refresher_per_year": D(2_000)},
            "Beta: private shares counted at 50% of their value (€5,000 a year of €10,000 "
            "at full value): private shares may never be sellable. Refresher grants count "
            "at 50% too.",
        ),
    ],
)
def test_each_offer_says_what_its_equity_is_counted_at(decision, terms, text):
    beta = OfferFactory(decision=decision, company="Beta", equity_per_year=D(10_000), **terms)
    assert equity_value_text(beta, "Beta", "EUR") == text
    assert comparison(decision).equity_notes == (text,)


def test_an_offer_without_equity_says_nothing_of_it(decision):
    acme = OfferFactory(decision=decision, company="Acme")
    assert equity_value_text(acme, "Acme", "EUR") is None
    assert comparison(decision).equity_notes == ()


def test_options_count_in_the_decisions_currency_and_their_prices_in_their_own(
    decision: Decision,
):
    OfferFactory(
        decision=decision,
        company="Fjord",
        currency="GBP",
        rate_to_base=D("1.2"),
        equity_per_year=D(10_000),
        equity_kind="options",
        share_price=D(4),
        strike_price=D(1),
    )
    [note] = comparison(decision).equity_notes
    # 10,000 GBP is 12,000 EUR; an option is worth 3/4 of a share, counted at 50%.
    assert note == (
        "Fjord: stock options on shares worth €12,000 a year at £4.00 a share; above the "
        "£1.00 strike they are worth €9,000 a year, counted at 50%: €4,500 a year."
    )


@pytest.fixture
def converted(decision: Decision) -> Offer:
    return OfferFactory(
        decision=decision,
        company="Northwind",
        currency="GBP",
        rate_to_base=D("1.17"),
        rate_on=dt.date(2026, 12, 3),
        equity_per_year=D(10_000),
        equity_kind="private",
    )


RATE_WITH_DAY = "Northwind converted at 1 GBP = 1.17 EUR, the rate you entered for Dec. 3, 2026."


def test_the_rate_is_shown_with_its_day_wherever_its_figures_are(
    owner_client: Client, decision, converted
):
    page = owner_client.get(reverse("decisions:compare", args=[decision.pk])).content.decode()
    # Under the ranking's pay column and under the pay year by year.
    assert page.count(RATE_WITH_DAY) == 2
    assert RATE_WITH_DAY in report_html(report_view(decision), paper_size="a4")
    Offer.objects.filter(pk=converted.pk).update(rate_on=None)
    page = owner_client.get(reverse("decisions:compare", args=[decision.pk])).content.decode()
    assert "Northwind converted at 1 GBP = 1.17 EUR, the rate you entered." in page


def test_a_coach_sees_the_rates_and_equity_values_when_pay_is_shown(
    client: Client, user, decision, converted
):
    coach = UserFactory()
    CoachGrant.objects.create(client=user, coach=coach, granted_at=timezone.now())
    client.force_login(coach)
    page = client.get(reverse("coach:review", args=[decision.pk])).content.decode()
    assert RATE_WITH_DAY in page
    assert "Northwind: private shares counted at 50% of their value" in page
    assert "Guaranteed and variable" in page
    # A coach reads the ranking on all pay, and cannot switch it.
    assert "Rank on" not in page


def test_a_coach_with_pay_hidden_sees_no_rate_no_equity_value_and_no_split(
    client: Client, user, decision, converted
):
    coach = UserFactory()
    grant = CoachGrant.objects.create(
        client=user, coach=coach, granted_at=timezone.now(), hide_compensation=True
    )
    hidden = coach_view(decision, grant).comparison
    assert hidden.equity_notes == ()
    assert hidden.rate_notes == ()
    assert all(row.pay_split is None and row.view_first_year is None for row in hidden.rows)
    client.force_login(coach)
    pages = [
        client.get(reverse("coach:review", args=[decision.pk])).content.decode(),
        report_html(report_view(decision, grant), paper_size="a4"),
    ]
    for page in pages:
        for shown in ("1.17", "converted at", "counted at", "Guaranteed and variable", "Dec. 3"):
            assert shown not in page


def test_the_gut_check_follows_the_leader_a_slider_makes(
    owner_client: Client, decision, steady_and_shiny
):
    steady, shiny = steady_and_shiny
    culture = decision.criteria.get(name="Culture")
    Rating.objects.create(offer=steady, criterion=culture, value=9)
    Rating.objects.create(offer=shiny, criterion=culture, value=1)
    url = reverse("decisions:compare", args=[decision.pk])
    salary = decision.criteria.get(name="Salary")
    owner_client.post(
        url, {**_weights(decision), f"weight-{salary.pk}": "100", f"weight-{culture.pk}": "0"}
    )
    page = owner_client.get(url).content.decode()
    assert page.count("How would you feel if") == 1
    assert "How would you feel if Shiny won?" in page
    decision.refresh_from_db()
    swapped = owner_client.post(
        url,
        {**_weights(decision), f"weight-{salary.pk}": "0", f"weight-{culture.pk}": "100"},
        headers={"HX-Request": "true"},
    )
    # The fragment htmx swaps in brings the question for the new leader with it.
    assert swapped.template_name == "decisions/_compare_results.html"
    assert "How would you feel if Steady won?" in swapped.content.decode()


def test_a_second_view_asks_its_questions_on_all_pay(owner_client: Client, decision):
    # Two offers alike in every view: a close call whichever pay the ranking is on.
    for company in ("First", "Second"):
        offer = OfferFactory(decision=decision, company=company, base_salary=D(80_000))
        Rating.objects.create(offer=offer, criterion=decision.criteria.get(name="Culture"), value=6)
    url = reverse("decisions:compare", args=[decision.pk])
    response = owner_client.get(url, {"pay": "guaranteed"})
    page = response.content.decode()
    # The tiebreaker's and the gut check's answers are kept against all pay: the
    # question shows, and where to answer it, but not a form that would answer another.
    assert "Instead of a winner, a question" in page
    assert response.context_data["tiebreak_form"] is None
    assert response.context_data["gut_check_form"] is None
    assert "How would you feel if" not in page
    assert f'Your answer is kept against the ranking on all pay: <a href="{url}">' in page
    assert f'The gut check asks about the ranking on all pay: <a href="{url}">' in page
    main = owner_client.get(url)
    assert main.context_data["tiebreak_form"] is not None
    assert "kept against the ranking on all pay" not in main.content.decode()
