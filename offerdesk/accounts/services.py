"""Writes to accounts: every change to a user goes through here."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from offerdesk.accounts.models import User

PROFILE_FIELDS = ("full_name", "email", "phone", "postal_address", "signature", "paper_size")


@transaction.atomic
def user_create(*, username: str, email: str, password: str) -> User:
    """Create a candidate account with a hashed password; the caller has validated input."""
    return User.objects.create_user(username=username, email=email, password=password)


@transaction.atomic
def profile_update(*, user: User, **fields: Any) -> User:
    """Set the given profile fields (only those in PROFILE_FIELDS) and save just them."""
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"Not profile fields: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(user, name, value)
    user.full_clean()
    user.save(update_fields=list(fields))
    return user
