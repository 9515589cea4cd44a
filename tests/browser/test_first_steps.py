"""The first minutes of a new user, in a real browser."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from decisions.models import Criterion, Decision, Rating
from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_demo_user_sees_the_decision_with_three_offers(page):
    call_command("seed_demo")
    page.goto("/")
    page.get_by_role("link", name="Log in").first.click()
    page.get_by_label("Username").fill("demo")
    page.get_by_label("Password").fill("offerdesk-demo")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Spring 2027 job search").click()
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(1)).to_contain_text("Fjord Health")
    screenshot(page, "decision")
    page.get_by_role("link", name="Ratings").click()
    assert page.get_by_label("Culture for Northwind Analytics, 0 to 10").input_value() == "8.0"
    screenshot(page, "ratings")


def test_a_new_user_signs_up_compares_two_offers_and_reweights(page):
    page.goto("/accounts/signup/")
    screenshot(page, "signup")
    page.get_by_label("Username").fill("sam")
    page.get_by_label("E-mail address").fill("sam@example.com")
    page.get_by_label("Password", exact=True).fill("a long and unusual passphrase")
    page.get_by_label("Password confirmation").fill("a long and unusual passphrase")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_text("No decisions yet")).to_be_visible()
    screenshot(page, "decisions-empty")

    page.get_by_label("Title").fill("Summer switch")
    page.get_by_label("Currency").select_option("EUR")
    page.get_by_role("button", name="Start decision").click()
    expect(page.get_by_text("Add your first offer").first).to_be_visible()

    for company, salary in (("Acme", "85000"), ("Globex", "91000")):
        page.get_by_role("link", name="Add an offer").first.click()
        page.get_by_label("Company").fill(company)
        page.get_by_label("Role").fill("Backend Engineer")
        page.get_by_label("Base salary").fill(salary)
        page.get_by_role("button", name="Add offer").click()
        expect(page.get_by_text(f"Added Backend Engineer at {company}")).to_be_visible()
    screenshot(page, "decision-two-offers")

    page.get_by_role("link", name="Rate the offers").click()
    page.get_by_label("Culture for Acme, 0 to 10").fill("8")
    page.get_by_label("Why, for Culture for Acme").fill("Friendly team lead")
    page.get_by_label("Culture for Globex, 0 to 10").fill("6")
    page.get_by_role("button", name="Save all ratings").click()
    expect(page.get_by_text("Saved 2 ratings.")).to_be_visible()

    page.get_by_role("link", name="Criteria & weights").click()
    page.get_by_label("Weight of Culture").fill("40")
    page.get_by_role("button", name="Save weights").click()
    expect(page.get_by_text("Weights saved.")).to_be_visible()
    screenshot(page, "criteria")

    decision = Decision.objects.get(owner__username="sam")
    assert decision.offers.count() == 2
    assert Rating.objects.filter(offer__decision=decision, score__isnull=False).count() == 2
    assert Criterion.objects.get(decision=decision, name="Culture").weight == 40
    assert decision.log_entries.filter(kind="weights_changed").count() == 1
