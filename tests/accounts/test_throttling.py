"""Login throttling (django-axes) and session hygiene."""

from __future__ import annotations

import datetime as dt
from http import HTTPStatus

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from offerdesk.accounts.models import User
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _login(client: Client, user: User, password: str, address: str):
    return client.post(
        reverse("login"), {"username": user.username, "password": password}, REMOTE_ADDR=address
    )


def test_five_failures_lock_the_username_from_that_address_for_a_while(user: User):
    attacker = Client()
    for _ in range(4):
        assert _login(attacker, user, "wrong guess", "203.0.113.7").status_code == HTTPStatus.OK
    # The fifth failure is answered with the lockout page already.
    fifth = _login(attacker, user, "wrong guess", "203.0.113.7")
    assert fifth.status_code == HTTPStatus.TOO_MANY_REQUESTS
    locked = _login(attacker, user, PASSWORD, "203.0.113.7")
    assert locked.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert b"Too many attempts" in locked.content
    assert SESSION_KEY not in attacker.session

    elsewhere = Client()
    ok = _login(elsewhere, user, PASSWORD, "198.51.100.20")
    assert ok.status_code == HTTPStatus.FOUND
    assert elsewhere.session[SESSION_KEY] == str(user.pk)


def test_the_lock_lifts_after_the_cool_off(user: User):
    client = Client()
    for _ in range(5):
        _login(client, user, "wrong guess", "203.0.113.7")
    assert _login(client, user, PASSWORD, "203.0.113.7").status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert dt.timedelta(minutes=15) == settings.AXES_COOLOFF_TIME
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=16))
    assert _login(client, user, PASSWORD, "203.0.113.7").status_code == HTTPStatus.FOUND


def test_four_failures_do_not_lock(user: User):
    client = Client()
    for _ in range(4):
        _login(client, user, "wrong guess", "203.0.113.7")
    assert _login(client, user, PASSWORD, "203.0.113.7").status_code == HTTPStatus.FOUND


def test_logging_in_issues_a_new_session_id(user: User):
    client = Client()
    session = client.session
    session["before"] = True
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    before = session.session_key
    _login(client, user, PASSWORD, "127.0.0.1")
    assert client.cookies[settings.SESSION_COOKIE_NAME].value != before
