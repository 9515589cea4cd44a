"""Fixtures of the coaching tests: a coach who reads the candidate's decisions."""

from __future__ import annotations

import pytest
from django.test import Client

from decisions.models import CoachGrant
from offerdesk.accounts.models import User
from tests.factories import UserFactory


@pytest.fixture
def coach(user: User) -> User:
    """Robin, who coaches ``user`` under a grant made here (no invitation)."""
    coach = UserFactory(full_name="Robin Coach", email="robin@example.com")
    CoachGrant.objects.create(client=user, coach=coach)
    return coach


@pytest.fixture
def coach_client(coach: User) -> Client:
    """The coach's own browser: the candidate's may be in the same test."""
    browser = Client()
    browser.force_login(coach)
    return browser
