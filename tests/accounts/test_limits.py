"""Limits on what sends mail or guesses secrets, and answers that tell nobody whether an
address has an account (issue 13: findings 4, 5, 6 and 8)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from http import HTTPStatus

import pytest
from django.core import mail
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client, RequestFactory
from django.urls import reverse

from offerdesk.accounts import throttle
from offerdesk.accounts.models import Attempt, User
from offerdesk.accounts.views import PasswordResetView
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a brand new passphrase 42"


def _reset(client: Client, email: str, address: str = "203.0.113.7"):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=address)


# The limits themselves --------------------------------------------------------------


def test_a_limit_lets_its_count_through_then_refuses_until_the_window_passes():
    limit = throttle.Limit("test", 3, dt.timedelta(hours=1), "3 tests an hour")
    for _ in range(3):
        throttle.spend(limit, "key")
    with pytest.raises(throttle.Throttled) as refused:
        throttle.spend(limit, "KEY ")  # keys are compared as typed addresses are
    assert dt.timedelta(minutes=59) < refused.value.retry_after <= dt.timedelta(hours=1)
    assert Attempt.objects.count() == 3  # the refused use is not counted
    Attempt.objects.update(at=Attempt.objects.values("at")[:1][0]["at"] - dt.timedelta(hours=2))
    throttle.spend(limit, "key")
    assert Attempt.objects.count() == 1  # the expired uses are gone


def test_spending_several_limits_is_all_or_nothing():
    roomy = throttle.Limit("roomy", 10, dt.timedelta(hours=1), "")
    full = throttle.Limit("full", 1, dt.timedelta(hours=1), "")
    throttle.spend(full, "k")
    with pytest.raises(throttle.Throttled):
        throttle.spend_all((roomy, "k"), (full, "k"))
    assert not Attempt.objects.filter(action="roomy").exists()


def test_the_stored_key_is_keyed_with_the_secret_not_a_plain_hash_of_the_address():
    throttle.spend(throttle.RESETS_PER_ADDRESS, "robin@example.com")
    stored = Attempt.objects.get().key_hash
    assert "robin" not in stored
    assert stored != hashlib.sha256(b"robin@example.com").hexdigest()


def test_expired_uses_of_every_key_are_removed():
    limit = throttle.Limit("test", 3, dt.timedelta(hours=1), "")
    for key in ("a", "b", "c"):
        throttle.spend(limit, key)
    Attempt.objects.update(at=Attempt.objects.values("at")[:1][0]["at"] - dt.timedelta(hours=2))
    throttle.spend(limit, "d")
    assert Attempt.objects.count() == 1


def test_account_mail_to_one_address_stops_after_three_a_day(user: User):
    """An address change mails any address: five accounts could mail a stranger all day."""
    for _ in range(4):
        other = Client()
        other.force_login(UserFactory())
        _profile(other, user, "stranger@example.com")
    assert [m.to for m in mail.outbox] == [["stranger@example.com"]] * 3


# Password reset ---------------------------------------------------------------------


def test_three_reset_mails_an_hour_per_address_then_none_and_the_same_answer(
    client: Client, user: User
):
    for number in range(3):
        assert _reset(client, user.email, f"203.0.113.{number}").status_code == HTTPStatus.FOUND
    # Answered as always (a 429 would let anyone lock the owner out of their own
    # reset), but nothing more is sent.
    fourth = _reset(client, user.email.upper(), "198.51.100.1")
    assert fourth.status_code == HTTPStatus.FOUND
    assert fourth.url == reverse("password_reset_done")
    assert len(mail.outbox) == 3


def test_resets_from_one_client_are_limited_whatever_the_address(client: Client):
    for number in range(10):
        assert _reset(client, f"n{number}@example.com").status_code == HTTPStatus.FOUND
    assert _reset(client, "n10@example.com").status_code == HTTPStatus.TOO_MANY_REQUESTS


def test_the_reset_mail_leaves_after_the_response(user: User):
    """Sending it inside the request made an address with an account answer ~50 ms
    slower than one without: the mail now waits for the response to be closed."""
    request = RequestFactory().post(reverse("password_reset"), {"email": user.email})
    request._dont_enforce_csrf_checks = True
    # As Django's test client does, keep the test's database connection open.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        request_started.send(sender=__name__)
        response = PasswordResetView.as_view(
            email_template_name="accounts/password_reset_email.txt",
            subject_template_name="accounts/password_reset_subject.txt",
            success_url="/done/",
        )(request)
        assert response.status_code == HTTPStatus.FOUND
        assert mail.outbox == []
        request_finished.send(sender=__name__)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    assert [m.to for m in mail.outbox] == [[user.email]]


# Sign-up ------------------------------------------------------------------------------


def _signup(client: Client, number: int, address: str = "203.0.113.7"):
    return client.post(
        reverse("signup"),
        {
            "username": f"new{number}",
            "email": f"new{number}@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
        REMOTE_ADDR=address,
    )


def test_five_signups_an_hour_from_one_client():
    for number in range(5):
        assert _signup(Client(), number).status_code == HTTPStatus.FOUND
    refused = _signup(Client(), 5)
    assert refused.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert not User.objects.filter(username="new5").exists()
    assert _signup(Client(), 6, address="198.51.100.1").status_code == HTTPStatus.FOUND


# Changing the address -----------------------------------------------------------------


def _profile(client: Client, user: User, email: str):
    data = {"full_name": "Robin", "email": email, "paper_size": "a4"}
    return client.post(reverse("profile"), data, follow=True)


def test_a_new_address_changes_only_once_confirmed_from_its_inbox(client: Client, user: User):
    client.force_login(user)
    old = user.email
    page = _profile(client, user, "robin.new@example.com")
    assert b"follow the link we sent there" in page.content
    user.refresh_from_db()
    assert (user.email, user.full_name) == (old, "Robin")
    assert [m.to for m in mail.outbox] == [["robin.new@example.com"]]
    link = re.search(r"http://testserver(/\S+)", mail.outbox[0].body).group(1)
    assert client.get(link).status_code == HTTPStatus.OK
    user.refresh_from_db()
    assert user.email == old  # the GET only asks
    client.post(link)
    user.refresh_from_db()
    assert user.email == "robin.new@example.com"
    # Used once: the account's address is no longer the one the link was made from.
    assert client.post(link).status_code == HTTPStatus.BAD_REQUEST


def test_a_taken_address_is_answered_the_same_and_its_owner_is_told(client: Client, user: User):
    owner = UserFactory(email="taken@example.com")
    client.force_login(user)
    taken = _profile(client, user, "Taken@Example.com")
    assert b"follow the link we sent there" in taken.content
    assert b"already" not in taken.content
    user.refresh_from_db()
    assert user.email != owner.email
    assert [m.to for m in mail.outbox] == [[owner.email]]
    assert "/email/confirm/" not in mail.outbox[0].body


def test_a_confirmation_link_is_only_for_its_own_account(user: User):
    mine = Client()
    mine.force_login(user)
    _profile(mine, user, "robin.new@example.com")
    link = re.search(r"http://testserver(/\S+)", mail.outbox[0].body).group(1)
    other = Client()
    other.force_login(UserFactory())
    assert other.post(link).status_code == HTTPStatus.BAD_REQUEST
    assert not User.objects.filter(email="robin.new@example.com").exists()


# The current password is not an oracle ------------------------------------------------


def test_wrong_current_passwords_lock_the_password_change_like_failed_logins(user: User):
    client = Client()
    client.force_login(user)
    wrong = {
        "old_password": "a guess",
        "new_password1": NEW_PASSWORD,
        "new_password2": NEW_PASSWORD,
    }
    statuses = [
        client.post(reverse("password_change"), wrong, REMOTE_ADDR="203.0.113.7").status_code
        for _ in range(6)
    ]
    assert statuses[:4] == [HTTPStatus.BAD_REQUEST] * 4
    assert statuses[4:] == [HTTPStatus.TOO_MANY_REQUESTS] * 2
    right = {**wrong, "old_password": PASSWORD}
    locked = client.post(reverse("password_change"), right, REMOTE_ADDR="203.0.113.7")
    assert locked.status_code == HTTPStatus.TOO_MANY_REQUESTS
    user.refresh_from_db()
    assert not user.check_password(NEW_PASSWORD)
    # And the login from that address is locked for that username too.
    login = Client().post(
        reverse("login"),
        {"username": user.username, "password": PASSWORD},
        REMOTE_ADDR="203.0.113.7",
    )
    assert login.status_code == HTTPStatus.TOO_MANY_REQUESTS


def test_wrong_passwords_to_delete_the_account_lock_like_failed_logins(user: User):
    client = Client()
    client.force_login(user)
    wrong = {"action": "delete", "password": "a guess"}
    statuses = [
        client.post(reverse("my_data"), wrong, REMOTE_ADDR="203.0.113.7").status_code
        for _ in range(6)
    ]
    assert statuses[:4] == [HTTPStatus.BAD_REQUEST] * 4
    assert statuses[4:] == [HTTPStatus.TOO_MANY_REQUESTS] * 2
    right = {"action": "delete", "password": PASSWORD}
    assert (
        client.post(reverse("my_data"), right, REMOTE_ADDR="203.0.113.7").status_code
        == HTTPStatus.TOO_MANY_REQUESTS
    )
    assert User.objects.filter(pk=user.pk).exists()


def test_a_password_reset_from_the_mailbox_lifts_the_lock(client: Client, user: User):
    """The lockout page sends a locked-out person to the reset; it must then work."""
    for _ in range(5):
        client.post(
            reverse("login"),
            {"username": user.username, "password": "no"},
            REMOTE_ADDR="203.0.113.7",
        )
    _reset(client, user.email)
    link = re.search(r"http://testserver(/\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    login = client.post(
        reverse("login"),
        {"username": user.username, "password": NEW_PASSWORD},
        REMOTE_ADDR="203.0.113.7",
    )
    assert login.status_code == HTTPStatus.FOUND
