from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest.mock import patch

import pytest
from django.core.cache import caches
from django.db.models import QuerySet
from django.test import Client
from hypothesis import settings as hypothesis_settings

from decisions.models import Decision, Offer
from offerdesk.accounts.models import User
from tests.factories import DecisionFactory, OfferFactory, UserFactory

# Every run tries the same examples, so CI repeats exactly what passed locally; the
# examples still differ from one test to the next..
hypothesis_settings.register_profile("offerdesk", derandomize=True)
hypothesis_settings.load_profile("offerdesk")


@pytest.fixture(autouse=True)
def fast_password_hashing(settings) -> None:
    """Argon2 is slow on purpose; tests that are not about hashing need not pay for it."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def empty_cache(settings) -> None:
    """Ids repeat from test to test, so a cached ranking or a counted rate limit must
    not outlive its test. The shared cache is the database's in production
    (tests/test_settings.py says so); here it is memory, so that tests without a
    database can run and every test starts with nothing counted."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    for alias in ("default", "local"):
        caches[alias].clear()


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings) -> None:
    """Tasks (mail) run inside the request that enqueues them, so a test sees the mail
    in ``mail.outbox`` as the response comes back; tests of the queue itself switch
    to the database backend (tests/test_mail.py)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def user(db: None) -> User:
    return UserFactory()


@pytest.fixture
def other_user(db: None) -> User:
    return UserFactory()


@pytest.fixture
def owner_client(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


@pytest.fixture
def decision(user: User) -> Decision:
    return DecisionFactory(owner=user, title="Spring 2027 job search")


@pytest.fixture
def offer(decision: Decision) -> Offer:
    return OfferFactory(decision=decision, company="Acme", role="Data Engineer")


@pytest.fixture
def foreign_decision(other_user: User) -> Decision:
    """Someone else's decision, with an offer, for access tests."""
    decision = DecisionFactory(owner=other_user, title="Private search of someone else")
    OfferFactory(decision=decision, company="Secret Corp")
    return decision


@contextmanager
def locks_taken() -> Iterator[list[str]]:
    """The models whose rows are locked (``select_for_update``) inside the block, in
    order: SQLite takes no row locks, so the order is read from the queries asked."""
    taken: list[str] = []
    original = QuerySet.select_for_update

    def recording(self: QuerySet, *args: Any, **kwargs: Any) -> QuerySet:
        taken.append(self.model.__name__)
        return original(self, *args, **kwargs)

    with patch.object(QuerySet, "select_for_update", recording):
        yield taken


@pytest.fixture
def locks() -> Iterator[list[str]]:
    """``locks_taken`` for the whole test: the models locked so far, in order."""
    with locks_taken() as taken:
        yield taken
