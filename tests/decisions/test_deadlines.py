"""One "deadline soon" rule: the pure function, and the badge every page shows from it."""

from __future__ import annotations

import ast
import datetime as dt
from http import HTTPStatus
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from decisions import deadlines, services
from decisions.models import Decision
from offerdesk.accounts.models import User
from tests.factories import OfferFactory, UserFactory

TODAY = dt.date(2027, 3, 10)


@pytest.mark.parametrize(
    ("days", "urgency"),
    [(-3, "passed"), (-1, "passed"), (0, "soon"), (1, "soon"), (2, "soon"), (3, "later")],
)
def test_a_deadline_is_soon_from_two_days_before_to_the_day_itself(days, urgency):
    deadline = TODAY + dt.timedelta(days=days)
    assert deadlines.days_left(deadline, TODAY) == days
    assert deadlines.urgency(deadline, TODAY) == urgency


def test_the_threshold_is_two_days():
    assert deadlines.SOON_DAYS == 2


def test_no_deadline_is_never_urgent():
    assert deadlines.days_left(None, TODAY) is None
    assert deadlines.urgency(None, TODAY) == "none"


@pytest.mark.parametrize(
    ("days", "words"),
    [
        (-4, "4 days ago"),
        (-1, "yesterday"),
        (0, "today"),
        (1, "tomorrow"),
        (2, "in 2 days"),
        (12, "in 12 days"),
    ],
)
def test_days_in_words(days, words):
    assert deadlines.describe(days) == words


def test_the_rule_imports_nothing_from_django():
    source = (Path(__file__).parents[2] / "decisions" / "deadlines.py").read_text()
    imported = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)
    assert not {name for name in imported if name.split(".")[0] == "django"}


# The badge on the pages. These need the database; the rule above does not.

SOON_BADGE = '<span class="badge badge--soon" data-deadline="soon">tomorrow</span>'
LATER_BADGE = '<span class="muted" data-deadline="later">in 5 days</span>'


@pytest.fixture
def two_deadlines(decision: Decision):
    """An offer due tomorrow and one due in 5 days."""
    today = timezone.localdate()
    tomorrow = OfferFactory(
        decision=decision, company="Due Tomorrow", response_deadline=today + dt.timedelta(days=1)
    )
    later = OfferFactory(
        decision=decision, company="Due Later", response_deadline=today + dt.timedelta(days=5)
    )
    return tomorrow, later


@pytest.mark.django_db
def test_the_decision_page_badges_both_deadlines(owner_client: Client, two_deadlines):
    tomorrow, _ = two_deadlines
    page = owner_client.get(reverse("decisions:detail", args=[tomorrow.decision_id]))
    assert page.status_code == HTTPStatus.OK
    html = page.content.decode()
    assert SOON_BADGE in html
    assert LATER_BADGE in html


@pytest.mark.django_db
def test_the_coach_dashboard_badges_a_deadline_tomorrow_as_soon(
    user: User, decision: Decision, two_deadlines
):
    coach = UserFactory(email="coach@example.com")
    _, token = services.invitation_create(
        client=user, email="coach@example.com", hide_compensation=False, accept_url=str
    )
    services.invitation_accept(token=token, coach=coach)
    browser = Client()
    browser.force_login(coach)
    page = browser.get(reverse("coach:dashboard"))
    assert page.status_code == HTTPStatus.OK
    # The dashboard shows each decision's next open deadline: tomorrow's.
    assert SOON_BADGE in page.content.decode()


@pytest.mark.django_db
def test_the_coach_dashboard_shows_a_later_deadline_without_urgency(user: User, decision: Decision):
    OfferFactory(decision=decision, response_deadline=timezone.localdate() + dt.timedelta(days=5))
    coach = UserFactory(email="coach@example.com")
    _, token = services.invitation_create(
        client=user, email="coach@example.com", hide_compensation=False, accept_url=str
    )
    services.invitation_accept(token=token, coach=coach)
    browser = Client()
    browser.force_login(coach)
    html = browser.get(reverse("coach:dashboard")).content.decode()
    assert LATER_BADGE in html
    assert "badge--soon" not in html
