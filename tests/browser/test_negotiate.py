"""Before deciding: ask the offer that pays too little for more, and record its answer
(the ranking moves)."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from decisions.models import Decision, Offer
from decisions.selectors import comparison
from tests.browser.conftest import assert_accessible, screenshot, submit_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_ask_for_more_then_record_the_answer_and_the_ranking_moves(page):
    call_command("seed_demo")
    decision = Decision.objects.get(owner__username="demo")
    ranked = comparison(decision)
    claim = ranked.claims_of("pay_to_overtake")[0]
    behind = Offer.objects.get(pk=claim.offer)
    leader = ranked.leader.offer
    page.goto("/accounts/login/")
    submit_login(page)

    page.goto(f"/decisions/{decision.pk}/compare/")
    page.get_by_role("link", name=f"Ask {behind.company} for more").click()
    expect(page.locator("#preview")).to_contain_text("more in base salary")
    page.get_by_label("Why you are worth it, in your words (optional)").fill(
        "my experience leading a platform team through two migrations"
    )
    expect(page.locator("#preview")).to_contain_text("two migrations")
    page.get_by_text("Phone call script").click()
    expect(page.locator("#preview")).to_contain_text("After the ask, stay quiet")
    page.get_by_text("E-mail", exact=True).click()
    page.get_by_role("button", name="Use this text").click()
    expect(page.get_by_text("Draft saved.")).to_be_visible()
    assert_accessible(page, "counter composer")
    screenshot(page, "counter-composer")

    # The offer behind in the demo is paid in 14 salaries a year, so its answer is
    # asked by the month: twice the pay it needs, spread over its salaries.
    assert behind.salary_period == Offer.SalaryPeriod.MONTHLY
    raised = behind.monthly_salary + Decimal(claim.amount) * 2 / behind.salaries_per_year
    page.get_by_label("Monthly salary").fill(str(math.ceil(raised)))
    page.get_by_role("button", name="Save the new figures").click()
    expect(page.get_by_text(f"{behind.company}’s new figures are saved")).to_be_visible()
    assert comparison(decision).leader.offer == behind
    assert comparison(decision).leader.offer != leader
    screenshot(page, "counter-ranking-moved")
