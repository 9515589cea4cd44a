"""Writes to accounts: every change to a user goes through here.

Nothing here says whether an address belongs to an account: a sign-up with a taken
address and a change to one are answered as any other, and the address's owner gets
a mail instead (sent after the response, so the time taken tells nothing either).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, fields

from django.contrib.auth.hashers import make_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string

from offerdesk.accounts import throttle
from offerdesk.accounts.models import User
from offerdesk.after_response import after_response
from offerdesk.validators import one_line

EMAIL_CHANGE_SALT = "offerdesk.accounts.email-change"
EMAIL_CHANGE_LIFETIME = 3 * 24 * 3600  # seconds
EMAIL_LINK_UNUSABLE = (
    "This link cannot be used: it may have expired, been used already, or your address "
    "changed since it was sent. Change your address on your profile to get a new one."
)


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
# What the profile form saves at once; a new address waits for its confirmation.
SAVED_AT_ONCE = tuple(name for name in PROFILE_FIELDS if name != "email")


def _holder(email: str, *, exclude_pk: int | None = None) -> User | None:
    """The account (another than ``exclude_pk``) that uses ``email``, in any case; the
    address is unique that way, so there is at most one."""
    return User.objects.filter(email__iexact=email.strip()).exclude(pk=exclude_pk).first()


def email_taken(email: str, *, exclude_pk: int | None = None) -> bool:
    return _holder(email, exclude_pk=exclude_pk) is not None


def _mail(template: str, subject: str, to: str, context: dict[str, object]) -> None:
    """Mail about an account, after the response; at most a few a day to one address,
    whoever asks (past that, nothing is sent and nothing says so)."""
    if not throttle.allows(throttle.ACCOUNT_MAILS_PER_ADDRESS, to):
        return
    body = render_to_string(template, context)
    after_response(lambda: send_mail(one_line(subject), body, None, [to]))


def user_create(
    *, username: str, email: str, password: str, login_url: str, reset_url: str
) -> User | None:
    """Create a candidate account with a hashed password; the caller has validated input.

    Returns None, and creates nothing, when another account already uses ``email``:
    its owner is told by mail (someone may be trying their address), and the caller
    says a message was sent there rather than that the address is taken. (A new
    address still starts at once, so a sign-up can tell the two apart; answering both
    alike needs every new address confirmed first, which the accounts issue brings.)
    The password is hashed either way, so that both cost the same time. A username
    taken by a sign-up racing this one is a ValidationError on ``username``.
    """
    if owner := _holder(email):
        make_password(password)
        _mail_existing_account(owner, login_url=login_url, reset_url=reset_url)
        return None
    try:
        with transaction.atomic():
            return User.objects.create_user(username=username, email=email, password=password)
    except IntegrityError as error:
        # Taken in the meantime by a sign-up racing this one.
        if owner := _holder(email):
            _mail_existing_account(owner, login_url=login_url, reset_url=reset_url)
            return None
        if User.objects.filter(username=username).exists():
            raise ValidationError(
                {"username": "A user with that username already exists."}
            ) from error
        raise


def _mail_existing_account(owner: User, *, login_url: str, reset_url: str) -> None:
    _mail(
        "accounts/signup_taken_email.txt",
        "Someone tried to create an Offerdesk account with your address",
        owner.email,
        {"user": owner, "login_url": login_url, "reset_url": reset_url},
    )


@transaction.atomic
def profile_update(*, user: User, data: ProfileData) -> User:
    """Save the profile fields of ``user`` (read again under a lock) but its address,
    which changes only through ``email_change_request``; returns the user as saved."""
    current = User.objects.select_for_update().get(pk=user.pk)
    for name, value in asdict(data).items():
        if name in SAVED_AT_ONCE:
            setattr(current, name, value)
    current.full_clean(validate_constraints=False)
    current.save(update_fields=list(SAVED_AT_ONCE))
    return current


def email_change_request(*, user: User, email: str, confirm_url: Callable[[str], str]) -> None:
    """Ask to move ``user`` to a new address: a link to confirm goes to that address,
    signed and good for three days. If another account has the address, its owner is
    told instead; the caller says the same thing either way."""
    email = email.strip()
    if owner := _holder(email, exclude_pk=user.pk):
        _mail(
            "accounts/email_taken.txt",
            "Someone tried to move an Offerdesk account to your address",
            owner.email,
            {"user": owner},
        )
        return
    token = signing.dumps(
        {"user": user.pk, "from": user.email, "to": email}, salt=EMAIL_CHANGE_SALT
    )
    _mail(
        "accounts/email_change.txt",
        "Confirm your new address on Offerdesk",
        email,
        {"link": confirm_url(token), "email": email},
    )


def email_change_target(*, user: User, token: str) -> str:
    """The new address a confirmation link carries for ``user``; ValidationError if the
    link is not theirs, expired, used, or older than the address they have now."""
    try:
        change = signing.loads(token, salt=EMAIL_CHANGE_SALT, max_age=EMAIL_CHANGE_LIFETIME)
    except signing.BadSignature as error:
        raise ValidationError(EMAIL_LINK_UNUSABLE) from error
    if change.get("user") != user.pk or change.get("from") != user.email:
        raise ValidationError(EMAIL_LINK_UNUSABLE)
    return str(change["to"])


@transaction.atomic
def email_change_confirm(*, user: User, token: str) -> User:
    """Move ``user`` to the address the link confirms (read again under a lock)."""
    current = User.objects.select_for_update().get(pk=user.pk)
    email = email_change_target(user=current, token=token)
    if email_taken(email, exclude_pk=current.pk):
        raise ValidationError(EMAIL_LINK_UNUSABLE)
    # Only the address is checked: an older name with a line break in it must not
    # make the link look expired.
    current.email = User._meta.get_field("email").clean(email, current)
    current.save(update_fields=["email"])
    return current
