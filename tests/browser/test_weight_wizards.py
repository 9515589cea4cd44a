"""The weight wizards in a real browser: swings move the demo ranking, with htmx and
without JavaScript; an inconsistent pairwise answer is warned about and named."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from decisions.models import Decision, LogEntry
from decisions.selectors import comparison
from tests.browser.conftest import assert_accessible, screenshot, submit_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Pay matters most; role clarity nearly as much; the rest little.
SWING_POINTS = {"Culture": "5", "Role clarity": "90", "Work-life balance": "5", "Location": "0"}


def _demo(page) -> Decision:
    call_command("seed_demo")
    decision = Decision.objects.get(owner__username="demo")
    page.goto("/accounts/login/")
    submit_login(page)
    return decision


def _run_swing_wizard(page, decision: Decision) -> None:
    page.goto(f"/decisions/{decision.pk}/compare/")
    page.get_by_role("link", name="Find my weights from swings").click()
    expect(page.get_by_text("Question 1 of 5")).to_be_visible()
    page.get_by_label("Salary: from").check()
    page.get_by_role("button", name="Next").click()
    for name, points in SWING_POINTS.items():
        field = page.get_by_label(f"Points for {name}")
        field.fill(points)
        page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("heading", name="The weights your answers give")).to_be_visible()


def test_the_swing_wizard_changes_the_demo_ranking_and_can_be_put_back(page):
    decision = _demo(page)
    before = comparison(decision).leader.offer.company
    _run_swing_wizard(page, decision)
    assert_accessible(page, "swing-review")
    screenshot(page, "swing-review")
    page.get_by_role("button", name="Apply these weights").click()
    expect(page.get_by_text("Weights from the swing wizard are applied")).to_be_visible()
    after = comparison(decision).leader.offer.company
    assert after == "Lumen Bank" != before
    expect(page.locator(".verdict__headline")).to_contain_text("Lumen Bank")
    entry = decision.log_entries.filter(kind=LogEntry.Kind.WEIGHTS_CHANGED).get()
    assert entry.summary.startswith("Weights from the swing wizard")

    screenshot(page, "compare-after-swing")
    page.get_by_role("button", name="Put back the weights I had").click()
    expect(page.get_by_text("Your earlier weights are back")).to_be_visible()
    assert comparison(decision).leader.offer.company == before


def test_a_disappointing_winner_points_at_criteria_to_look_at(page):
    decision = _demo(page)
    leader = comparison(decision).leader.offer.company
    page.goto(f"/decisions/{decision.pk}/compare/")
    gut_check = page.get_by_role("group", name=f"How would you feel if {leader} won?")
    gut_check.get_by_label("Disappointed").check()
    page.get_by_role("button", name="Note how I feel").click()
    expect(page.get_by_role("heading", name="When the winner disappoints")).to_be_visible()
    expect(page.get_by_text(f"you would be disappointed if {leader} won")).to_be_visible()
    expect(page.get_by_role("link", name="Add a criterion")).to_be_visible()
    assert_accessible(page, "gut-check-hints")
    screenshot(page, "gut-check-hints")
    entry = decision.log_entries.first()
    assert entry.data["gut_check"] == "disappointed"


def test_the_swing_wizard_works_without_javascript(browser, live_server):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        decision = _demo(page)
        _run_swing_wizard(page, decision)
        page.get_by_role("button", name="Apply these weights").click()
        expect(page.get_by_text("Weights from the swing wizard are applied")).to_be_visible()
        assert comparison(decision).leader.offer.company == "Lumen Bank"
    finally:
        context.close()


def test_an_inconsistent_pairwise_answer_is_warned_about_and_named(page):
    decision = _demo(page)
    page.goto(f"/decisions/{decision.pk}/compare/")
    page.get_by_role("link", name="Find my weights by comparing pairs").click()
    # Salary over culture, culture over role clarity, yet role clarity over salary.
    answers = {
        ("Salary", "Culture"): "Salary matters overwhelmingly more (9 to 1)",
        ("Salary", "Role clarity"): "Role clarity matters overwhelmingly more (9 to 1)",
        ("Culture", "Role clarity"): "Culture matters overwhelmingly more (9 to 1)",
    }
    names = ["Salary", "Culture", "Role clarity", "Work-life balance", "Location"]
    for i, first in enumerate(names):
        for second in names[i + 1 :]:
            expect(page.get_by_text(f"{first} or {second}: which matters more")).to_be_visible()
            page.get_by_label(answers.get((first, second), "Both matter the same")).check()
            page.get_by_role("button", name="Next").click()
    warning = page.get_by_role("alert").filter(has_text="pull against each other")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text(" or ")
    named = warning.locator("strong").inner_text()
    first, second = named.split(" or ")
    assert {first, second} <= {"Salary", "Culture", "Role clarity"}
    assert_accessible(page, "pairwise-warning")
    screenshot(page, "pairwise-warning")
    page.get_by_role("button", name=f"Answer “{named}” again").click()
    expect(page.get_by_text(f"{named}: which matters more")).to_be_visible()
