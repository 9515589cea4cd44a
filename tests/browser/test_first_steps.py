"""The first minutes of a new user, in a real browser."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.conftest import screenshot, submit_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_demo_user_sees_the_decision_with_three_offers(page):
    call_command("seed_demo")
    page.goto("/")
    page.get_by_role("link", name="Log in").first.click()
    submit_login(page)
    page.get_by_role("link", name="Spring 2027 job search").click()
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(1)).to_contain_text("Fjord Health")
    screenshot(page, "decision")
    page.get_by_role("link", name="Ratings").click()
    assert page.get_by_label("Culture for Northwind Analytics, 0 to 10").input_value() == "8.0"
    screenshot(page, "ratings")
