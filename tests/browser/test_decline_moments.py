"""The whole path around a decline, as a candidate clicks it: ask the offer that pays
too little for more and record the better figures (the ranking moves), decide, send the
acceptance, try to decline another before the confirmation (warned), record the
confirmation, decline the others, then change one's mind about a declined offer (the
message asks whether it is still open) and set a day to stay in touch with the other."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from decisions.models import Decision, Offer
from decisions.selectors import comparison
from tests.browser.conftest import assert_accessible, screenshot, submit_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _use_and_send(page: Page) -> None:
    page.get_by_role("button", name="Use this text").click()
    expect(page.get_by_text("Draft saved.")).to_be_visible()
    page.get_by_role("button", name="Mark as sent").click()


def test_negotiate_decide_accept_confirm_decline_and_change_ones_mind(page: Page):
    call_command("seed_demo")
    decision = Decision.objects.get(owner__username="demo")
    ranked = comparison(decision)
    claim = ranked.claims_of("pay_to_overtake")[0]
    behind = Offer.objects.get(pk=claim.offer)
    others = list(decision.offers.exclude(pk=behind.pk).order_by("company"))
    page.goto("/accounts/login/")
    submit_login(page)

    # Negotiate: the offer behind on pay is asked for more, and comes back with it.
    page.goto(f"/decisions/{decision.pk}/compare/")
    page.get_by_role("link", name=f"Ask {behind.company} for more").click()
    expect(page.locator("#preview")).not_to_contain_text(others[0].company)
    page.get_by_role("button", name="Use this text").click()
    expect(page.get_by_text("Draft saved.")).to_be_visible()
    # The demo's offer behind is paid by the month: its answer is a new month's salary.
    assert behind.salary_period == Offer.SalaryPeriod.MONTHLY
    raised = behind.monthly_salary + Decimal(claim.amount) * 2 / behind.salaries_per_year
    page.get_by_label("Monthly salary").fill(str(math.ceil(raised)))
    page.get_by_role("button", name="Save the new figures").click()
    expect(page.get_by_text(f"{behind.company}’s new figures are saved")).to_be_visible()
    assert comparison(decision).leader.offer == behind

    # Decide: the acceptance is the next thing to write, with the terms in it.
    page.goto(decision.get_absolute_url())
    page.get_by_role("link", name="Decide", exact=True).click()
    page.get_by_label(str(behind)).check()
    page.get_by_label("Why this one").fill("They met me on pay, and the team is the best.")
    page.get_by_role("button", name="Save my decision").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Accept the offer")
    monthly = math.ceil(raised)
    expect(page.locator("#preview")).to_contain_text(
        f"a salary of €{monthly:,} a month, paid 14 times a year (€{monthly * 14:,})"
    )
    assert_accessible(page, "acceptance composer")
    screenshot(page, "moments-acceptance")
    _use_and_send(page)
    expect(page.get_by_text("Marked as sent. When")).to_be_visible()

    # Declining before the acceptance is confirmed in writing asks for a knowing tick.
    first, second = others
    page.goto(f"/decisions/{decision.pk}/offers/{first.pk}/decline/")
    _use_and_send(page)
    expect(
        page.get_by_text(f"{behind.company} has not confirmed your acceptance yet")
    ).to_be_visible()
    first.refresh_from_db()
    assert first.status == Offer.Status.OPEN

    # The confirmation, then the declines go out without a warning.
    page.goto(decision.get_absolute_url())
    page.get_by_role("button", name="Record the confirmation").click()
    expect(page.get_by_text(f"{behind.company} has confirmed it in writing")).to_be_visible()
    for offer in (first, second):
        page.goto(f"/decisions/{decision.pk}/offers/{offer.pk}/decline/")
        if offer == first:
            page.get_by_role("button", name="Mark as sent").click()
        else:
            _use_and_send(page)
        expect(
            page.get_by_text(f"Marked as sent. {offer.company} is now declined.")
        ).to_be_visible()
    assert set(decision.offers.values_list("status", flat=True)) == {"confirmed", "declined"}

    # Second thoughts about a declined offer: the message asks whether it is still open.
    page.goto(f"/decisions/{decision.pk}/change-your-mind/")
    assert_accessible(page, "change your mind")
    screenshot(page, "moments-change-mind")
    page.get_by_role("link", name=f"Ask whether the offer is still open ({first.company})").click()
    expect(page.locator("#preview")).to_contain_text("still open")
    expect(page.locator("#preview")).not_to_contain_text("decided not to accept")
    page.get_by_role("button", name="Use this text").click()
    expect(page.get_by_text("Draft saved.")).to_be_visible()

    # And a day to stay in touch with the other.
    page.goto(f"/decisions/{decision.pk}/offers/{second.pk}/decline/")
    page.get_by_role("button", name="Set the reminder").click()
    expect(page.get_by_text("Note due")).to_be_visible()
    second.refresh_from_db()
    assert second.stay_in_touch_on is not None
    screenshot(page, "moments-stay-in-touch")
