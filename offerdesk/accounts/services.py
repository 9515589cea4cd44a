"""Writes to accounts: every change to a user goes through here."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

from django.db import transaction

from offerdesk.accounts.models import User


@dataclass(frozen=True, kw_only=True)
class ProfileData:
    """What a user says of themselves; letters and messages are signed with it."""

    full_name: str
    email: str
    phone: str = ""
    postal_address: str = ""
    signature: str = ""
    paper_size: str = User.PaperSize.A4


PROFILE_FIELDS = tuple(field.name for field in fields(ProfileData))


@transaction.atomic
def user_create(*, username: str, email: str, password: str) -> User:
    """Create a candidate account with a hashed password; the caller has validated input."""
    return User.objects.create_user(username=username, email=email, password=password)


@transaction.atomic
def profile_update(*, user: User, data: ProfileData) -> User:
    """Save the profile fields of ``user`` (read again under a lock) and only them;
    returns the user as saved."""
    current = User.objects.select_for_update().get(pk=user.pk)
    for name, value in asdict(data).items():
        setattr(current, name, value)
    current.full_clean()
    current.save(update_fields=list(PROFILE_FIELDS))
    return current
