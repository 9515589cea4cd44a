"""Decide, then decline the other offers: an e-mail for one, a PDF letter for another,
sent before the acceptance is confirmed only once the warning is ticked."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from playwright.sync_api import expect
from pypdf import PdfReader

from decisions.models import Decision, Offer
from tests.browser.conftest import screenshot, submit_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_decide_then_decline_by_email_and_by_letter(page):
    call_command("seed_demo")
    decision = Decision.objects.get(owner__username="demo")
    page.goto("/accounts/login/")
    submit_login(page)
    page.goto(decision.get_absolute_url())

    page.get_by_role("link", name="Decide", exact=True).click()
    page.get_by_label("Staff Engineer, Platform at Fjord Health").check()
    page.get_by_label("Why this one").fill("The mission, and no commute.")
    page.get_by_role("button", name="Save my decision").click()
    expect(page.get_by_text("You chose Staff Engineer, Platform at Fjord Health")).to_be_visible()

    page.get_by_role("link", name="Decline the other offers").click()
    screenshot(page, "decline-hub")
    page.get_by_role("link", name="Write the message to Northwind Analytics").click()
    page.get_by_text("Warm", exact=True).click()
    expect(page.locator("#preview")).to_contain_text("Hi Jana,")
    page.get_by_role("button", name="Use this text").click()
    expect(page.get_by_text("Draft saved.")).to_be_visible()
    screenshot(page, "composer-draft")

    page.get_by_role("link", name="Decline").nth(0).click()  # back to the list
    page.get_by_role("link", name="Write the message to Lumen Bank").click()
    page.get_by_text("Printed or PDF letter").click()
    page.get_by_text("Formal", exact=True).click()
    expect(page.locator("#preview")).to_contain_text("Dear Sophie de Vries,")
    page.get_by_role("button", name="Use this text").click()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="PDF letter").click()
    download = download_info.value
    assert download.suggested_filename.startswith("decline-lumen-bank-")
    pdf = PdfReader(download.path())
    assert len(pdf.pages) == 1
    assert "Lumen Bank" in pdf.pages[0].extract_text()

    # Fjord Health has not confirmed the acceptance in writing yet: the decline waits
    # for a knowing tick.
    expect(page.get_by_role("note").filter(has_text="Don’t decline the others")).to_be_visible()
    page.get_by_role("button", name="Mark as sent").click()
    expect(page.get_by_text("Fjord Health has not confirmed your acceptance yet")).to_be_visible()
    assert Offer.objects.get(company="Lumen Bank").status == "open"
    page.get_by_label("I understand; mark it sent anyway").check()
    page.get_by_role("button", name="Mark as sent").click()
    expect(page.get_by_text("Marked as sent. Lumen Bank is now declined.")).to_be_visible()
    assert Offer.objects.get(company="Lumen Bank").status == "declined"
    page.goto(decision.get_absolute_url())
    expect(page.locator(".log-list")).to_contain_text("Sent the decline to Lumen Bank")
    expect(page.locator(".log-list")).not_to_contain_text("Exported")
