"""Accounts made before allauth keep working: their passwords, and a record of their
address (offerdesk/accounts/migrations/0005_email_addresses.py)."""

from __future__ import annotations

import datetime as dt
from http import HTTPStatus

import pytest
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse
from django.utils import timezone

BEFORE = [("accounts", "0004_email_records"), ("decisions", "0010_single_line_text")]
AFTER = [("accounts", "0005_email_addresses")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_existing_accounts_get_their_address_on_record_checked_only_through_an_invitation(
    settings,
):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    old = _migrate(BEFORE)
    User = old.get_model("accounts", "User")
    hashed = make_password("an old argon2 passphrase")
    assert hashed.startswith("argon2")
    candidate = User.objects.create(
        username="old-candidate", email="Cand@Example.com", password=hashed
    )
    coach = User.objects.create(username="old-coach", email="coach@example.com", password=hashed)
    invited_elsewhere = User.objects.create(username="other", email="other@example.com")
    User.objects.create(username="no-address", email="")
    Invitation = old.get_model("decisions", "CoachInvitation")
    now = timezone.now()
    Invitation.objects.create(
        client=candidate, email="Coach@Example.com", token_hash="a" * 64,
        expires_at=now + dt.timedelta(days=7), accepted_at=now, accepted_by=coach,
    )  # fmt: skip
    Invitation.objects.create(  # accepted by someone whose address is another one
        client=candidate, email="not-their-address@example.com", token_hash="b" * 64,
        expires_at=now + dt.timedelta(days=7), accepted_at=now, accepted_by=invited_elsewhere,
    )  # fmt: skip

    new = _migrate(AFTER)
    EmailAddress = new.get_model("account", "EmailAddress")
    records = {
        (a.user.username, a.email, a.primary, a.verified)
        for a in EmailAddress.objects.select_related("user")
    }
    assert records == {
        ("old-candidate", "cand@example.com", True, False),
        ("old-coach", "coach@example.com", True, True),
        ("other", "other@example.com", True, False),
    }
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    # Their Argon2 hashes work as they are, by username or by address.
    for login in ("old-candidate", "CAND@example.com"):
        client = Client()
        response = client.post(
            reverse("account_login"), {"login": login, "password": "an old argon2 passphrase"}
        )
        assert response.status_code == HTTPStatus.FOUND, login
        assert response.url == reverse("decisions:list")
