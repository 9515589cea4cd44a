"""Two people, two browsers: a candidate invites a coach, who accepts and comments."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from decisions.models import Decision
from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_invite_accept_comment_see_and_revoke(browser, live_server):
    call_command("seed_demo")
    decision = Decision.objects.get(owner__username="demo")
    candidate = browser.new_context(base_url=live_server.url).new_page()
    coach = browser.new_context(base_url=live_server.url).new_page()
    for tab in (candidate, coach):
        tab.set_default_timeout(20_000)
    try:
        candidate.goto("/accounts/login/")
        candidate.get_by_label("Username").fill("demo")
        candidate.get_by_label("Password").fill("offerdesk-demo")
        candidate.get_by_role("button", name="Log in").click()
        candidate.get_by_role("link", name="Coaching").click()
        candidate.get_by_role("link", name="Your own coaches").click()
        candidate.get_by_label("Your coach’s e-mail address").fill("robin.coach@example.com")
        candidate.get_by_role("button", name="Send the invitation").click()
        link = candidate.locator(".token-link").inner_text().strip()
        screenshot(candidate, "coach-access")

        coach.goto(link)
        coach.get_by_role("link", name="Create an account").click()
        coach.get_by_label("Username").fill("robin")
        coach.get_by_label("E-mail address").fill("robin.coach@example.com")
        coach.get_by_label("Password", exact=True).fill("coaching is listening")
        coach.get_by_label("Password confirmation").fill("coaching is listening")
        coach.get_by_role("button", name="Create account").click()
        coach.get_by_role("button", name="Accept the invitation").click()
        expect(coach.get_by_text("You can now read")).to_be_visible()
        coach.get_by_role("link", name="Spring 2027 job search").click()
        coach.get_by_label("Your comment or question").fill("What would you regret not taking?")
        coach.get_by_role("button", name="Add to the log").click()
        expect(coach.get_by_text("Your comment is in the log")).to_be_visible()
        screenshot(coach, "coach-review")
        review_url = coach.url

        candidate.goto(f"/decisions/{decision.pk}/log/")
        expect(candidate.get_by_text("What would you regret not taking?")).to_be_visible()
        candidate.goto("/coach/access/")
        candidate.get_by_role("button", name="Revoke access").click()
        expect(candidate.get_by_text("can no longer read your decisions")).to_be_visible()

        response = coach.goto(review_url)
        assert response.status == 404
        expect(coach.get_by_text("We can’t find that page")).to_be_visible()
    finally:
        candidate.context.close()
        coach.context.close()
