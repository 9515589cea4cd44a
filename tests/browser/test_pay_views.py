"""The second views of the ranking in a real browser, with htmx and without JavaScript,
and the gut check that follows the leader a slider makes."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from decisions.models import Decision
from decisions.selectors import comparison
from tests.browser.conftest import assert_accessible, screenshot, submit_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _demo(page) -> Decision:
    call_command("seed_demo")
    decision = Decision.objects.get(owner__username="demo")
    # The cost of living is a view only where an offer has an index.
    decision.offers.filter(pk=decision.offers.order_by("pk").first().pk).update(cost_of_living=135)
    page.goto("/accounts/login/")
    submit_login(page)
    return decision


def _asks_about(decision: Decision, pay_view: str = "total") -> str:
    return (
        f"How would you feel if {comparison(decision, pay_view=pay_view).leader.offer.company} won?"
    )


def test_the_ranking_switches_views_in_place_and_a_slider_keeps_the_view(page):
    decision = _demo(page)
    page.goto(f"/decisions/{decision.pk}/compare/")
    views = page.get_by_role("navigation", name="Which pay the ranking is on")
    expect(views.get_by_role("link", name="All pay")).to_have_attribute("aria-current", "true")
    expect(page.get_by_text("Ranked on all pay")).to_be_visible()
    # With JavaScript a slider needs no button, and the help says none.
    expect(page.get_by_text("once you press “Update the ranking”")).to_be_hidden()
    expect(page.get_by_role("heading", name="Guaranteed and variable")).to_be_visible()
    expect(page.get_by_role("heading", name="What the equity is counted at")).to_be_visible()
    page.evaluate("window.sameDocument = true")

    views.get_by_role("link", name="Guaranteed pay only").click()
    expect(page.get_by_text("Ranked on guaranteed pay only")).to_be_visible()
    expect(page).to_have_url(re.compile(r"\?pay=guaranteed$"))
    expect(page.locator(".compare-table thead")).to_contain_text("Guaranteed pay")
    leader = comparison(decision, pay_view="guaranteed").leader.offer.company
    expect(page.locator(".compare-table tbody tr").first).to_contain_text(leader)
    assert_accessible(page, "compare-guaranteed")
    screenshot(page, "compare-guaranteed")

    slider = page.get_by_label("Culture", exact=True)
    slider.focus()
    slider.press("End")
    expect(page.locator(".compare-legend")).to_contain_text("weight 100")
    expect(page.get_by_text("Ranked on guaranteed pay only")).to_be_visible()

    views.get_by_role("link", name="Adjusted for the cost of living").click()
    expect(page.get_by_text("Ranked on pay adjusted for the cost of living")).to_be_visible()
    expect(page).to_have_url(re.compile(r"\?pay=living$"))
    screenshot(page, "compare-living")
    assert page.evaluate("window.sameDocument") is True


def test_the_gut_check_asks_about_the_leader_after_a_slider_moves(page):
    decision = _demo(page)
    page.goto(f"/decisions/{decision.pk}/compare/")
    gut_check = page.locator(".gut-check legend")
    expect(gut_check).to_have_text(_asks_about(decision))
    before = gut_check.inner_text()
    # A screenshot hides the caret by styling the inputs through the CSSOM, which leaves
    # them an empty style attribute, as a resized text box would have one: the swap must
    # not copy it back as an inline style, which the policy refuses (the page fixture
    # fails the test on any report).
    screenshot(page, "compare-before-slider")
    for name, key in (("Salary", "Home"), ("Culture", "End")):
        slider = page.get_by_label(name, exact=True)
        slider.focus()
        slider.press(key)
        expect(page.locator(".compare-legend")).to_contain_text(
            "weight 0" if key == "Home" else "weight 100"
        )
    expect(gut_check).to_have_text(_asks_about(decision))
    assert gut_check.inner_text() != before
    assert page.locator(".gut-check").count() == 1


def test_the_views_work_without_javascript(browser, live_server):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    decision = _demo(page)
    page.goto(f"/decisions/{decision.pk}/compare/")
    page.get_by_role("link", name="Guaranteed pay only").click()
    expect(page.get_by_text("Ranked on guaranteed pay only")).to_be_visible()
    # Without JavaScript the ranking follows a slider once the form is sent.
    expect(page.get_by_text("once you press “Update the ranking”")).to_be_visible()
    page.get_by_label("Culture", exact=True).fill("100")
    page.get_by_role("button", name="Update the ranking").click()
    expect(page.get_by_text("Weights saved.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"\?pay=guaranteed$"))
    expect(page.get_by_text("Ranked on guaranteed pay only")).to_be_visible()
    context.close()
