"""Coaching between sessions, in two browsers: the coach asks a question and sets
homework; the candidate gets the mail, answers and does it; the coach sees both."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect

from decisions.management.commands.seed_demo import DEMO_USERNAME
from decisions.models import CoachGrant, Homework, LogEntry
from offerdesk.accounts.models import User
from tests.browser.conftest import assert_accessible, submit_login, watch_csp
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def two_people(browser, live_server):
    violations: list[str] = []
    tabs = []
    for _ in range(2):
        context = browser.new_context(base_url=live_server.url)
        context.set_default_timeout(20_000)
        tab = context.new_page()
        watch_csp(tab, violations)
        tabs.append(tab)
    yield tabs
    for tab in tabs:
        tab.context.close()
    assert violations == []


def test_a_question_and_homework_go_to_the_candidate_and_back(two_people):
    candidate, coach = two_people
    call_command("seed_demo")
    demo = User.objects.get(username=DEMO_USERNAME)
    robin = UserFactory(username="robin", full_name="Robin Coach", email="robin@example.com")
    CoachGrant.objects.create(client=demo, coach=robin)
    mail.outbox.clear()

    # The coach asks about the ranking and sets a question to think over.
    coach.goto("/accounts/login/")
    submit_login(coach, "robin", PASSWORD)
    coach.goto("/coach/")
    coach.get_by_role("link", name="Spring 2027 job search").click()
    coach.get_by_role("link", name="Ask about the ranking").click()
    expect(coach.get_by_label("About")).to_have_value("ranking")
    coach.get_by_label("Your question or comment").fill("Why does culture weigh so little?")
    coach.get_by_role("button", name="Send to Alex Morgan").click()
    expect(coach.get_by_text("Your question is in the log")).to_be_visible()
    coach.get_by_label("The question or the task").fill("Which offer would you miss most?")
    coach.get_by_role("button", name="Set the homework").click()
    expect(coach.get_by_text("Homework set: “Which offer would you miss most?”")).to_be_visible()
    assert_accessible(coach, "coach conversation")

    # The candidate is mailed each, with the words and the way to answer.
    mails = [m for m in mail.outbox if m.to == [demo.email]]
    assert [m.subject for m in mails] == [
        "Robin Coach asked on the ranking in “Spring 2027 job search”",
        "Robin Coach set you homework in “Spring 2027 job search”",
    ]
    assert "Why does culture weigh so little?" in mails[0].body
    link = re.search(r"http://\S+/decisions/\d+/coaching/", mails[0].body).group(0)
    candidate.goto("/accounts/login/")
    submit_login(candidate)
    candidate.goto(urlsplit(link).path)  # the mail's site is SITE_URL, not this server
    expect(candidate.get_by_text("Waiting for your answer")).to_be_visible()
    assert_accessible(candidate, "candidate coaching")

    thread = candidate.locator(".thread--waiting")
    thread.get_by_label("Your answer").fill("The pay gap felt bigger than it is.")
    thread.get_by_role("button", name="Send my answer").click()
    expect(candidate.get_by_text("Your answer is saved")).to_be_visible()
    homework = candidate.locator(".homework--open")
    homework.get_by_label("Your answer").fill("Northwind, for the team.")
    homework.get_by_role("button", name="Send my answer").click()
    expect(candidate.get_by_text("Done: “Which offer would you miss most?”")).to_be_visible()
    expect(candidate.get_by_text("Nothing to do: all your homework is done.")).to_be_visible()

    # The coach sees both: nothing waits on the dashboard, the answers on the page.
    coach.goto("/coach/")
    expect(coach.get_by_role("link", name="0 unanswered · 0 homework to do")).to_be_visible()
    coach.get_by_role("link", name="0 unanswered · 0 homework to do").click()
    expect(coach.get_by_text("The pay gap felt bigger than it is.")).to_be_visible()
    expect(coach.get_by_text("Northwind, for the team.")).to_be_visible()
    assert Homework.objects.get().done_at is not None
    assert LogEntry.objects.filter(kind=LogEntry.Kind.ANSWER, author=demo).count() == 1
    answered = [m for m in mail.outbox if m.to == ["robin@example.com"]]
    assert [m.subject for m in answered] == [
        "Alex Morgan answered Robin Coach’s question in “Spring 2027 job search”",
        "Alex Morgan did their homework in “Spring 2027 job search”",
    ]
