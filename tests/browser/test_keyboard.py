"""The main flow with the keyboard alone: Tab to move, Enter and Space to act, arrow
keys for sliders and radio buttons. Locators only check where the focus is; every
action is a key press. At each stop the focused control must show a visible ring."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from playwright.sync_api import Locator, Page, expect

from decisions.models import Decision
from messaging.models import Message

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOCUS_SHOWN = """() => {
  const shows = (el) => {
    if (!el) return false;
    const style = getComputedStyle(el);
    const outlined = style.outlineStyle !== "none" && style.outlineWidth !== "0px";
    return style.boxShadow !== "none" || outlined;
  };
  const el = document.activeElement;
  return shows(el) || shows(el.nextElementSibling) || shows(el.closest("label"));
}"""


def tab_to(page: Page, target: Locator, presses: int = 80) -> None:
    """Press Tab until ``target`` has the focus, and check that the focus can be seen."""
    for _ in range(presses):
        if target.evaluate("element => element === document.activeElement"):
            assert page.evaluate(FOCUS_SHOWN), f"no visible focus on {target}"
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{presses} presses of Tab never reached {target}")


def test_decide_and_decline_with_the_keyboard_alone(page: Page):
    call_command("seed_demo")
    page.goto("/accounts/login/")
    keys = page.keyboard
    tab_to(page, page.get_by_label("Username"))
    keys.type("demo")
    keys.press("Tab")
    keys.type("offerdesk-demo")
    keys.press("Enter")

    tab_to(page, page.get_by_role("link", name="Spring 2027 job search"))
    keys.press("Enter")
    tab_to(page, page.get_by_role("link", name="Compare"))
    keys.press("Enter")
    expect(page.locator(".verdict__headline")).to_contain_text("Northwind Analytics leads")
    tab_to(page, page.get_by_label("Salary", exact=True))
    keys.press("End")
    expect(page.locator(".verdict__headline")).to_contain_text("Lumen Bank leads")

    tab_to(page, page.get_by_role("link", name="Overview"))
    keys.press("Enter")
    tab_to(page, page.get_by_role("link", name="Decide", exact=True))
    keys.press("Enter")
    fjord = page.get_by_label("Staff Engineer, Platform at Fjord Health")
    tab_to(page, page.locator("input[name=chosen_offer]:checked"))
    for _ in range(3):
        if fjord.is_checked():
            break
        keys.press("ArrowDown")
    expect(fjord).to_be_checked()
    tab_to(page, page.get_by_label("Why this one"))
    keys.type("The mission, and no commute.")
    tab_to(page, page.get_by_role("button", name="Save my decision"))
    keys.press("Enter")
    expect(page.get_by_text("You chose Staff Engineer, Platform at Fjord Health")).to_be_visible()

    tab_to(page, page.get_by_role("link", name="Decline the other offers"))
    keys.press("Enter")
    tab_to(page, page.get_by_role("link", name="Write the message to Northwind Analytics"))
    keys.press("Enter")
    tab_to(page, page.get_by_role("button", name="Use this text"))
    keys.press("Enter")
    expect(page.get_by_text("Draft saved.")).to_be_visible()

    decision = Decision.objects.get(owner__username="demo")
    assert decision.chosen_offer.company == "Fjord Health"
    assert Message.objects.get(offer__company="Northwind Analytics").body
