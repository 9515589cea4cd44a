"""Writes to accounts that are Offerdesk's own: the profile a user signs letters with.

Signing up, logging in, passwords, addresses and second factors are django-allauth's
(``offerdesk/accounts/adapter.py`` says what we ask of it).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

from allauth.account.models import EmailAddress
from django.db import transaction

from offerdesk.accounts.models import User


@dataclass(frozen=True, kw_only=True)
class ProfileData:
    """What a user says of themselves; letters and messages are signed with it."""

    full_name: str
    phone: str = ""
    postal_address: str = ""
    signature: str = ""
    paper_size: str = User.PaperSize.A4


PROFILE_FIELDS = tuple(field.name for field in fields(ProfileData))


@transaction.atomic
def profile_update(*, user: User, data: ProfileData) -> User:
    """Save the profile fields of ``user`` (read again under a lock); returns the user
    as saved. The address is not one of them: it changes on the e-mail page, once the
    new one is confirmed."""
    current = User.objects.select_for_update().get(pk=user.pk)
    for name, value in asdict(data).items():
        setattr(current, name, value)
    current.full_clean(validate_constraints=False)
    current.save(update_fields=list(PROFILE_FIELDS))
    return current


def has_verified_email(user: User) -> bool:
    """Whether ``user``'s address is checked: what inviting a coach needs."""
    return EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()
