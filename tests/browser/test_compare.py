"""Moving a weight re-ranks the offers in place, with and without JavaScript."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from decisions.models import Decision
from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in_to_compare(page) -> None:
    call_command("seed_demo")
    decision = Decision.objects.get(owner__username="demo")
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("demo")
    page.get_by_label("Password").fill("offerdesk-demo")
    page.get_by_role("button", name="Log in").click()
    page.goto(f"/decisions/{decision.pk}/compare/")


def test_a_slider_reranks_without_reloading_the_page(page):
    _log_in_to_compare(page)
    headline = page.locator(".verdict__headline")
    expect(headline).to_contain_text("Fjord Health")
    expect(page.get_by_role("button", name="Update the ranking")).to_be_hidden()
    page.evaluate("window.sameDocument = true")

    salary = page.get_by_label("Salary", exact=True)
    salary.focus()
    salary.press("End")

    # Polled from Python: the page's CSP forbids the eval that wait_for_function needs.
    expect(headline).to_contain_text("Lumen Bank leads")
    expect(page.locator("output").first).to_have_text("100")  # Salary is the first slider
    assert page.evaluate("window.sameDocument") is True
    expect(page.locator(".chart__row").first).to_contain_text("1. Lumen Bank")
    screenshot(page, "compare-after-slider")
    # A second move must carry the version the first swap brought back.
    culture = page.get_by_label("Culture", exact=True)
    culture.focus()
    culture.press("Home")
    expect(page.locator(".compare-table thead")).to_contain_text("weight 0")
    decision = Decision.objects.get(owner__username="demo")
    assert decision.criteria.get(name="Salary").weight == 100
    assert decision.criteria.get(name="Culture").weight == 0
    assert decision.log_entries.filter(kind="weights_changed").count() == 2


def test_without_javascript_the_button_updates_the_ranking(browser, live_server):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    context.set_default_timeout(20_000)
    page = context.new_page()
    try:
        _log_in_to_compare(page)
        button = page.get_by_role("button", name="Update the ranking")
        expect(button).to_be_visible()
        page.get_by_label("Salary", exact=True).fill("100")
        button.click()
        expect(page.get_by_text("Weights saved.")).to_be_visible()
        expect(page.locator(".verdict__headline")).to_contain_text("Lumen Bank leads")
    finally:
        context.close()
