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
    expect(page.get_by_text("14 salaries of €7,500.00 make €105,000 a year")).to_be_visible()
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
    page.get_by_label("Day of the rate").fill(yesterday.isoformat())
    page.get_by_label("Share price").fill("10")
    page.get_by_label("Strike price").fill("2.5")
    page.get_by_role("button", name="Add offer").click()
    expect(page.get_by_text("Added Data Lead at Quire")).to_be_visible()
    quire = decision.offers.get(company="Quire")
    assert (quire.rate_on, quire.equity_kind, quire.strike_price) == (yesterday, "options", 2.5)


def test_questions_that_do_not_apply_stay_out_of_sight_until_they_do(page):
    call_command("seed_demo")
    decision = Decision.objects.get(owner__username="demo")
    page.goto("/accounts/login/")
    submit_login(page)
    page.goto(f"/decisions/{decision.pk}/offers/add/")
    rate, month, share = (
        page.get_by_label("Day of the rate"),
        page.get_by_label("Monthly salary"),
        page.get_by_label("Share price"),
    )
    for question in (rate, month, share):
        expect(question).to_be_hidden()
    page.get_by_label("Currency").select_option("GBP")
    expect(rate).to_be_visible()
    yearly = page.get_by_label("Base salary", exact=True)
    expect(yearly).to_be_visible()
    page.get_by_label("By the month").check()
    expect(month).to_be_visible()
    expect(page.get_by_label("Salaries a year")).to_be_visible()
    # Given by the month, the yearly figure is worked out, not asked.
    expect(yearly).to_be_hidden()
    page.get_by_label("By the year").check()
    expect(yearly).to_be_visible()
    expect(month).to_be_hidden()
    page.get_by_label("Kind of equity").select_option("options")
    expect(share).to_be_visible()
    page.get_by_label("Kind of equity").select_option("private")
    expect(share).to_be_hidden()
    page.get_by_label("Currency").select_option("EUR")
    expect(rate).to_be_hidden()


def test_without_javascript_every_question_shows_and_a_monthly_salary_saves(browser, live_server):
    call_command("seed_demo")
    decision = Decision.objects.get(owner__username="demo")
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto("/accounts/login/")
        submit_login(page)
        page.goto(f"/decisions/{decision.pk}/offers/add/")
        for label in ("Day of the rate", "Monthly salary", "Share price", "Strike price"):
            expect(page.get_by_label(label)).to_be_visible()
        page.get_by_label("Company").fill("Kestrel")
        page.get_by_label("Role").fill("Analyst")
        page.get_by_label("By the month").check()
        page.get_by_label("Monthly salary").fill("6000")
        page.get_by_label("Salaries a year").select_option("13")
        page.get_by_role("button", name="Add offer").click()
        expect(page.get_by_text("Added Analyst at Kestrel")).to_be_visible()
    finally:
        context.close()
    assert decision.offers.get(company="Kestrel").base_salary == 78_000
