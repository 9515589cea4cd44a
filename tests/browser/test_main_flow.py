"""The whole journey, twice: with JavaScript (htmx, sliders, live preview) and with
JavaScript switched off (plain forms). With JavaScript, axe-core checks every page on
the way and screenshots are taken at desktop and phone widths."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from decisions.models import CoachGrant, Decision, LogEntry
from tests.browser.conftest import (
    assert_accessible,
    axe_violations,
    screenshot,
    submit_login,
    watch_csp,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
OFFERS = (("Acme", "85000", "7"), ("Globex", "91000", "2"), ("Initech", "78000", "9"))


@pytest.fixture(params=[True, False], ids=["javascript", "no-javascript"])
def two_people(request, browser, live_server) -> Iterator[tuple[Page, Page, bool]]:
    js = request.param
    tabs, violations = [], []
    for _ in range(2):
        context = browser.new_context(base_url=live_server.url, java_script_enabled=js)
        context.set_default_timeout(20_000)
        tab = context.new_page()
        watch_csp(tab, violations)
        tabs.append(tab)
    yield tabs[0], tabs[1], js
    for tab in tabs:
        tab.context.close()
    assert violations == []


def test_the_main_flow(two_people):
    candidate, coach, js = two_people

    def look(tab: Page, name: str) -> None:
        if js:
            assert_accessible(tab, name)
            screenshot(tab, name)

    candidate.goto("/")
    look(candidate, "home")
    candidate.get_by_role("link", name="Sign up").first.click()
    look(candidate, "signup")
    candidate.get_by_label("Username").fill("sam")
    candidate.get_by_label("E-mail address").fill("sam@example.com")
    candidate.get_by_label("Password", exact=True).fill("a long and unusual passphrase")
    candidate.get_by_label("Password again").fill("a long and unusual passphrase")
    candidate.get_by_role("button", name="Create account").click()
    expect(candidate.get_by_text("No decisions yet")).to_be_visible()
    look(candidate, "decisions-empty")

    # Confirmed from the mailed link (inviting a coach needs it), then a log-in by address.
    [welcome] = [m for m in mail.outbox if m.to == ["sam@example.com"]]
    candidate.goto(re.search(r"https?://[^/\s]+(/\S+)", welcome.body).group(1))
    look(candidate, "email-confirm")
    candidate.get_by_role("button", name="Yes, this is my address").click()
    expect(candidate.get_by_text("sam@example.com is confirmed")).to_be_visible()
    candidate.get_by_role("button", name="Log out").click()
    candidate.goto("/accounts/login/")
    submit_login(candidate, "SAM@example.com", "a long and unusual passphrase")
    expect(candidate.get_by_text("No decisions yet")).to_be_visible()

    candidate.get_by_label("Title").fill("Autumn move")
    candidate.get_by_label("Currency").select_option("EUR")
    candidate.get_by_role("button", name="Start decision").click()
    expect(candidate.get_by_text("Add your first offer").first).to_be_visible()
    look(candidate, "decision-empty")

    for company, salary, _ in OFFERS:
        candidate.get_by_role("link", name="Add an offer").first.click()
        if company == "Acme":
            look(candidate, "offer-form")
        candidate.get_by_label("Company").fill(company)
        candidate.get_by_label("Role").fill("Backend Engineer")
        candidate.get_by_label("Base salary").fill(salary)
        candidate.get_by_role("button", name="Add offer").click()
        expect(candidate.get_by_text(f"Added Backend Engineer at {company}")).to_be_visible()
    look(candidate, "decision")

    candidate.get_by_role("link", name="Rate the offers").click()
    for company, _, culture in OFFERS:
        candidate.get_by_label(f"Culture for {company}, 0 to 10").fill(culture)
    candidate.get_by_label("Why, for Culture for Globex").fill("Tense interviews")
    candidate.get_by_role("button", name="Save all ratings").click()
    expect(candidate.get_by_text("Saved 3 ratings.")).to_be_visible()
    look(candidate, "ratings")

    candidate.get_by_role("link", name="Compare").click()
    headline = candidate.locator(".verdict__headline")
    # Salary runs on a range suggested from the first offer (Acme's 85,000), not between
    # the offers on the table: Globex's 7% more pay does not outweigh its culture.
    expect(headline).to_contain_text("Too close to call: Acme and Initech")
    expect(candidate.locator(".tiebreaker")).to_contain_text("which would you take?")
    expect(candidate.locator(".verdict")).to_contain_text("a range Offerdesk suggested")
    look(candidate, "compare")
    if js:
        candidate.evaluate("window.sameDocument = true")
        for name, key, weight in (("Salary", "Home", "weight 0"), ("Culture", "End", "weight 100")):
            slider = candidate.get_by_label(name, exact=True)
            slider.focus()
            slider.press(key)
            expect(candidate.locator(".compare-legend")).to_contain_text(weight)
        assert candidate.evaluate("window.sameDocument") is True
    else:
        candidate.get_by_label("Salary", exact=True).fill("0")
        candidate.get_by_label("Culture", exact=True).fill("100")
        candidate.get_by_role("button", name="Update the ranking").click()
        expect(candidate.get_by_text("Weights saved.")).to_be_visible()
    expect(headline).to_contain_text("Initech leads")
    look(candidate, "compare-reweighted")

    candidate.get_by_role("link", name="Overview").click()
    candidate.get_by_role("link", name="Decide", exact=True).click()
    look(candidate, "decide")
    candidate.get_by_label("Backend Engineer at Initech").check()
    candidate.get_by_label("Why this one").fill("The team, even at a lower salary.")
    candidate.get_by_role("button", name="Save my decision").click()
    expect(candidate.get_by_text("You chose Backend Engineer at Initech")).to_be_visible()
    look(candidate, "decision-decided")

    candidate.get_by_role("link", name="Decline the other offers").click()
    look(candidate, "decline-hub")
    candidate.get_by_role("link", name="Write the message to Acme").click()
    look(candidate, "composer")
    candidate.get_by_role("button", name="Use this text").click()
    expect(candidate.get_by_text("Draft saved.")).to_be_visible()
    assert "Acme" in candidate.get_by_role("textbox", name="Message").input_value()

    candidate.get_by_role("link", name="Decline").first.click()
    candidate.get_by_role("link", name="Write the message to Globex").click()
    candidate.get_by_text("Printed or PDF letter").click()
    candidate.get_by_role("button", name="Use this text").click()
    expect(candidate.get_by_text("Draft saved.")).to_be_visible()
    look(candidate, "composer-letter")
    with candidate.expect_download() as download_info:
        candidate.get_by_role("button", name="PDF letter").click()
    if js:
        expect(candidate.get_by_role("status").filter(has_text="ready")).to_be_visible()
    pdf = PdfReader(download_info.value.path())
    assert "Globex" in pdf.pages[0].extract_text()

    # Someone who has never coached finds, under "Coaching", their own coaches and the
    # invitation form, not an empty list of clients.
    candidate.get_by_role("link", name="Coaching").click()
    expect(candidate.get_by_role("heading", name="Your coaches", level=1)).to_be_visible()
    candidate.get_by_label("Your coach’s e-mail address").fill("robin.coach@example.com")
    candidate.get_by_role("button", name="Send the invitation").click()
    link = candidate.locator(".token-link").inner_text().strip()
    look(candidate, "coach-access")

    coach.goto(link)
    look(coach, "coach-accept")
    coach.get_by_role("link", name="Create an account").click()
    coach.get_by_label("Username").fill("robin")
    coach.get_by_label("E-mail address").fill("robin.coach@example.com")
    coach.get_by_label("Password", exact=True).fill("coaching is listening")
    coach.get_by_label("Password again").fill("coaching is listening")
    coach.get_by_role("button", name="Create account").click()
    coach.get_by_role("button", name="Accept the invitation").click()
    expect(coach.get_by_text("You can now read")).to_be_visible()
    look(coach, "coach-dashboard")
    coach.get_by_role("link", name="Autumn move").click()
    look(coach, "coach-review")
    tabs = coach.get_by_role("navigation", name="This decision")
    tabs.get_by_role("link", name="Questions, homework and notes").click()
    coach.get_by_label("Your question or comment").fill("What would you regret not taking?")
    coach.get_by_role("button", name=re.compile("^Send to ")).click()
    expect(coach.get_by_text("Your question is in the log")).to_be_visible()
    look(coach, "coach-conversation")
    review_url = coach.url.split("#", 1)[0]  # the page itself, not its thread

    decision = Decision.objects.get(owner__username="sam")
    candidate.goto(f"/decisions/{decision.pk}/log/")
    expect(candidate.get_by_text("What would you regret not taking?")).to_be_visible()
    look(candidate, "log")
    candidate.goto("/coach/access/")
    if js:
        candidate.once("dialog", lambda dialog: dialog.accept())
    candidate.get_by_role("button", name="Revoke access").click()
    expect(candidate.get_by_text("can no longer read your decisions")).to_be_visible()
    assert not CoachGrant.objects.filter(revoked_at__isnull=True).exists()

    response = coach.goto(review_url)
    assert response.status == 404
    # Still nothing of the decision, but the coach is told why.
    expect(
        coach.get_by_role("heading", name="Your access to this decision was withdrawn")
    ).to_be_visible()
    look(coach, "not-found")
    assert LogEntry.objects.filter(decision=decision, kind="coach_comment").count() == 1


def test_the_other_pages_pass_axe(page, live_server):
    call_command("seed_demo")
    decision = Decision.objects.get(owner__username="demo")
    page.goto("/accounts/login/")
    assert_accessible(page, "login")
    submit_login(page)
    for name, path in (
        ("decisions", "/decisions/"),
        ("criteria", f"/decisions/{decision.pk}/criteria/"),
        ("reflect", f"/decisions/{decision.pk}/reflect/"),
        ("decision-edit", f"/decisions/{decision.pk}/edit/"),
        ("profile", "/accounts/profile/"),
        ("password-change", "/accounts/password/"),
        ("password-reset", "/accounts/password/reset/"),
        ("my-data", "/accounts/data/"),
    ):
        page.goto(path)
        assert_accessible(page, name)
        screenshot(page, name)

    # A refused form keeps what was typed, says what is wrong, and stays accessible.
    page.goto(f"/decisions/{decision.pk}/offers/add/")
    page.get_by_label("Company").fill("Keep Me Ltd")
    page.get_by_label("Role").fill("Platform Engineer")
    page.get_by_label("Base salary").fill("-5")
    page.get_by_role("button", name="Add offer").click()
    expect(page.get_by_label("Base salary")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Company")).to_have_value("Keep Me Ltd")
    expect(page.get_by_label("Role")).to_have_value("Platform Engineer")
    assert_accessible(page, "offer-form-with-errors")
    screenshot(page, "offer-form-with-errors")


def test_axe_does_report_what_it_should(page):
    """The control for every check above: a picture without a text alternative and an
    unlabelled field are caught."""
    page.goto("/")
    page.evaluate(
        """() => {
          const picture = document.createElement("img");
          picture.src = "/static/none.png";
          const field = document.createElement("input");
          document.querySelector("main").append(picture, field);
        }"""
    )
    rules = {violation["rule"] for violation in axe_violations(page)}
    assert {"image-alt", "label"} <= rules
