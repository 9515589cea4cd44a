"""Limits on what sends mail or guesses secrets, and answers that tell nobody whether an
address has an account: our own limits (``offerdesk/accounts/throttle.py``, coach
invitations) and django-allauth's on every account action (settings.ACCOUNT_RATE_LIMITS).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import statistics
import time
from http import HTTPStatus

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from offerdesk.accounts import throttle
from offerdesk.accounts.models import Attempt, User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _reset(client: Client, email: str, address: str = "203.0.113.7"):
    return client.post(reverse("account_reset_password"), {"email": email}, REMOTE_ADDR=address)


def _signup(client: Client, n: int, email: str, address: str = "203.0.113.7"):
    data = {"username": f"robin{n}", "email": email, "password1": PASSWORD, "password2": PASSWORD}
    return client.post(reverse("account_signup"), data, REMOTE_ADDR=address)


@pytest.fixture
def production_like(settings) -> None:
    """Mail queued in the database as in production, and the real password hasher, so
    that timings compare what a server does."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]


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
    throttle.spend(throttle.INVITATIONS_PER_ADDRESS, "robin@example.com")
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


# Bursts from one client ---------------------------------------------------------------


def _is_429_page(response) -> bool:
    return (
        response.status_code == HTTPStatus.TOO_MANY_REQUESTS
        and "That was a lot in a short time" in response.content.decode()
    )


def test_twenty_resets_in_a_burst_from_one_client_end_in_the_429_page(client: Client):
    answers = [_reset(client, f"someone{n}@example.com") for n in range(20)]
    assert all(a.status_code == HTTPStatus.FOUND for a in answers[:10])
    assert all(_is_429_page(a) for a in answers[10:])
    assert _reset(Client(), "someone@example.com", "198.51.100.9").status_code == HTTPStatus.FOUND


def test_reset_mails_to_one_address_stop_quietly_whether_or_not_it_has_an_account(
    client: Client,
):
    """A stranger can keep typing someone's address; past 3 mails an hour nothing more
    is sent, and the page answers as always, so the owner is neither flooded nor
    kept from resetting (a 429 would tell them they cannot)."""
    UserFactory(email="robin@example.com")
    for email in ("robin@example.com", "nobody@example.com"):
        answers = [_reset(client, email, f"198.51.100.{n}") for n in range(5)]
        assert {(a.status_code, a.url) for a in answers} == {
            (302, reverse("account_reset_password_done"))
        }, email
        assert len([m for m in mail.outbox if m.to == [email]]) == 3, email


def test_twenty_signups_in_a_burst_from_one_client_end_in_the_429_page(client: Client):
    answers = []
    for n in range(20):
        client.logout()
        answers.append(_signup(client, n, f"robin{n}@example.com"))
    assert all(a.status_code == HTTPStatus.FOUND for a in answers[:10])
    assert all(_is_429_page(a) for a in answers[10:])
    assert User.objects.count() == 10


# The same answer for a known and an unknown address ----------------------------------


def _timed(send, *args) -> tuple[float, object]:
    started = time.perf_counter()
    response = send(*args)
    return time.perf_counter() - started, response


def _shape(response) -> tuple:
    return (response.status_code, response.get("Location"), response.content)


def test_reset_answers_alike_and_as_fast_for_known_and_unknown_addresses(production_like):
    UserFactory(email="robin@example.com")
    known, unknown = [], []
    for n in range(7):  # interleaved, so that a slow moment hits both alike
        caches["default"].clear()  # within the limit of 3 an hour for one address
        for email, times in (("robin@example.com", known), ("nobody@example.com", unknown)):
            elapsed, response = _timed(_reset, Client(), email, f"198.51.100.{n}")
            times.append((elapsed, _shape(response)))
    assert {shape for _, shape in known} == {shape for _, shape in unknown}
    assert len({shape for _, shape in known}) == 1
    slow, fast = sorted(
        [statistics.median(t for t, _ in known), statistics.median(t for t, _ in unknown)]
    )
    assert slow < 2 * fast, (known, unknown)


def test_signup_answers_alike_and_as_fast_for_known_and_unknown_addresses(production_like):
    UserFactory(email="robin@example.com")  # its address confirmed
    known, unknown = [], []
    for n in range(5):
        for email, times in (("robin@example.com", known), (f"new{n}@example.com", unknown)):
            client = Client()
            elapsed, response = _timed(
                _signup, client, len(known) + len(unknown), email, f"198.51.100.{n}"
            )
            assert SESSION_KEY in client.session  # logged in, either way
            times.append((elapsed, _shape(response)))
    assert {shape for _, shape in known} == {shape for _, shape in unknown}
    slow, fast = sorted(
        [statistics.median(t for t, _ in known), statistics.median(t for t, _ in unknown)]
    )
    assert slow < 2 * fast, (known, unknown)
