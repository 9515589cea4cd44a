"""Wrong passwords at log-in (django-allauth's "login_failed" limit) and session hygiene."""

from __future__ import annotations

import time
from http import HTTPStatus

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client
from django.urls import reverse

from offerdesk.accounts.models import User
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOCKED = "Too many wrong passwords for this account from here."


def _login(client: Client, user: User, password: str, address: str):
    return client.post(
        reverse("account_login"),
        {"login": user.username, "password": password},
        REMOTE_ADDR=address,
    )


def test_five_failures_lock_the_account_from_that_address_for_a_while(user: User):
    attacker = Client()
    for _ in range(5):
        refused = _login(attacker, user, "wrong guess", "203.0.113.7")
        assert LOCKED not in refused.content.decode()
    locked = _login(attacker, user, PASSWORD, "203.0.113.7")
    assert LOCKED in locked.content.decode()
    assert SESSION_KEY not in attacker.session

    # The owner, from their own address, still gets in.
    elsewhere = Client()
    ok = _login(elsewhere, user, PASSWORD, "198.51.100.20")
    assert ok.status_code == HTTPStatus.FOUND
    assert elsewhere.session[SESSION_KEY] == str(user.pk)


def test_the_lock_lifts_by_itself_after_the_cool_off(user: User, monkeypatch):
    client = Client()
    for _ in range(5):
        _login(client, user, "wrong guess", "203.0.113.7")
    assert LOCKED in _login(client, user, PASSWORD, "203.0.113.7").content.decode()
    assert "5/15m/key" in settings.ACCOUNT_RATE_LIMITS["login_failed"]
    later = time.time() + 15 * 60 + 1
    monkeypatch.setattr(time, "time", lambda: later)
    assert _login(client, user, PASSWORD, "203.0.113.7").status_code == HTTPStatus.FOUND


def test_a_reset_from_the_mailbox_lifts_the_lock(user: User):
    client = Client()
    for _ in range(5):
        _login(client, user, "wrong guess", "203.0.113.7")
    client.post(reverse("account_reset_password"), {"email": user.email}, REMOTE_ADDR="203.0.113.7")
    link = mail.outbox[-1].body.split("http://testserver", 1)[1].split()[0]
    form = client.get(link, follow=True, REMOTE_ADDR="203.0.113.7")
    client.post(
        form.redirect_chain[-1][0],
        {"password1": "a brand new passphrase 42", "password2": "a brand new passphrase 42"},
        REMOTE_ADDR="203.0.113.7",
    )
    response = _login(client, user, "a brand new passphrase 42", "203.0.113.7")
    assert response.status_code == HTTPStatus.FOUND


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
