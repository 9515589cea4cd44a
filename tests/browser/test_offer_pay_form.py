"""The offer form's pay questions in a real browser: a salary by the month, the rate's
day, options and their prices, the cost of living; accessible, and plain posts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from decisions.models import Decision
from tests.browser.conftest import assert_accessible, screenshot, submit_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_demo_s_monthly_salary_shows_its_yearly_base(page):
    call_command("seed_demo")
    decision = Decision.objects.get(owner__username="demo")
    lumen = decision.offers.get(company="Lumen Bank")
    page.goto("/accounts/login/")
    submit_login(page)
    page.goto(f"/decisions/{decision.pk}/offers/{lumen.pk}/edit/")
    expect(page.get_by_label("By the month")).to_be_checked()
    expect(page.get_by_text("14 salaries of 7,500 EUR make €105,000 a year")).to_be_visible()
    expect(page.get_by_label("Cost of living index")).to_have_value("115")
    assert_accessible(page, "offer-form-monthly")
    screenshot(page, "offer-form-monthly")


def test_a_new_offer_in_pounds_with_options_is_asked_what_it_lacks(page):
    call_command("seed_demo")
    decision = Decision.objects.get(owner__username="demo")
    page.goto("/accounts/login/")
    submit_login(page)
    page.goto(f"/decisions/{decision.pk}/offers/add/")
    page.get_by_label("Company").fill("Quire")
    page.get_by_label("Role").fill("Data Lead")
    page.get_by_label("Currency").select_option("GBP")
    page.get_by_label("Exchange rate").fill("1.17")
    page.get_by_label("Base salary", exact=True).fill("80000")
    page.get_by_label("Equity per year").fill("12000")
    page.get_by_label("Kind of equity").select_option("options")
    page.get_by_role("button", name="Add offer").click()

    expect(page.get_by_text("Give the day of this rate")).to_be_visible()
    expect(page.get_by_text("Stock options need the share price")).to_be_visible()
    expect(page.get_by_text("Stock options need the strike price")).to_be_visible()
    assert_accessible(page, "offer-form-errors")
    screenshot(page, "offer-form-errors")

    yesterday = timezone.localdate() - dt.timedelta(days=1)
    page.get_by_label("Rate of the day").fill(yesterday.isoformat())
    page.get_by_label("Share price").fill("10")
    page.get_by_label("Strike price").fill("2.5")
    page.get_by_role("button", name="Add offer").click()
    expect(page.get_by_text("Added Data Lead at Quire")).to_be_visible()
    quire = decision.offers.get(company="Quire")
    assert (quire.rate_on, quire.equity_kind, quire.strike_price) == (yesterday, "options", 2.5)
