"""What Offerdesk asks of django-allauth beyond its settings.

- Every mail goes through the task queue (``offerdesk.mail``), so no account page
  waits for, or fails on, the mail server.
- A sign-up with an address another account holds is answered like any other sign-up
  (settings: ``ACCOUNT_PREVENT_ENUMERATION = "strict"``). If that account confirmed
  the address, its owner gets a "someone used your address" mail instead of a link;
  if not, the link goes to the mailbox, whose reader decides which account is theirs.
- Wrong passwords lock an account from one client address only; allauth's errors,
  messages and the names it gives things are in our words.
- A sign-up from a page that asked for it (``?next=``, such as a coach's invitation)
  returns there after the sign-up, and again after the new address is confirmed in
  the same browser, instead of on the empty start page.
"""

from __future__ import annotations

import time
from typing import Any

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.account.models import EmailAddress
from allauth.account.utils import get_next_redirect_url
from allauth.core import context as allauth_context
from allauth.core.internal import ratelimit
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.http import HttpRequest

from offerdesk import mail
from offerdesk.accounts import throttle
from offerdesk.accounts.models import User


def confirmed_elsewhere(email: str, *, user_pk: int) -> bool:
    """Whether another account has confirmed ``email`` (in any case); then no other
    account can, and a link for one would only mislead."""
    return (
        EmailAddress.objects.filter(email__iexact=email, verified=True)
        .exclude(user_id=user_pk)
        .exists()
    )


def used_elsewhere(email: str, *, user_pk: int) -> bool:
    """Whether another account has typed ``email`` without confirming it."""
    return EmailAddress.objects.filter(email__iexact=email).exclude(user_id=user_pk).exists()


# The session key of the page a sign-up came from, for the address's confirmation.
SIGNED_UP_FROM = "signed_up_from"

# Mail a stranger can have sent to any address by typing it on the reset page.
RESET_MAILS = {"account/email/password_reset_key", "account/email/unknown_account"}

# The ways to confirm it is you again, in our words (allauth's ids).
REAUTHENTICATION_WORDS = {
    "reauthenticate": "Use my password",
    "mfa_reauthenticate": "Use a code from my authenticator app or a recovery code",
    "mfa_reauthenticate:webauthn": "Use my passkey",
}


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request: HttpRequest, user: User, form: Any, commit: bool = True) -> User:
        """Also remember the page the sign-up came from (a safe ``next`` only), so that
        confirming the new address leads back to it: a coach who signs up from an
        invitation confirms, then accepts."""
        saved = super().save_user(request, user, form, commit=commit)
        came_from = get_next_redirect_url(request)
        if came_from:
            request.session[SIGNED_UP_FROM] = came_from
        return saved

    def get_email_verification_redirect_url(self, email_address: EmailAddress) -> str:
        """Back to the page the sign-up came from, once, when the address is confirmed
        in the browser that signed up; else where allauth goes."""
        session = getattr(self.request, "session", None)
        came_from = session.pop(SIGNED_UP_FROM, None) if session is not None else None
        if came_from and self.request.user.is_authenticated and self.is_safe_url(came_from):
            return came_from
        return super().get_email_verification_redirect_url(email_address)

    def is_reauthentication_required(self, *, app: str, **kwargs: Any) -> bool:
        # allauth counts only an explicit "confirm it is you"; a log-in in the last few
        # minutes (settings.ACCOUNT_REAUTHENTICATION_TIMEOUT) proved as much.
        if not super().is_reauthentication_required(app=app, **kwargs):
            return False
        request = allauth_context.request
        records = get_authentication_records(request, request.user)
        recent = time.time() - account_settings.REAUTHENTICATION_TIMEOUT
        return not (records and records[-1].get("at", 0) > recent)

    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "account_inactive": "This account is closed.",
        "cannot_remove_primary_email": "Your address cannot be removed; change it instead.",
        "duplicate_email": "That is your address already.",
        "email_password_mismatch": "That address and password do not match an account.",
        "username_password_mismatch": "That username and password do not match an account.",
        "invalid_login": "That log-in and password do not match an account.",
        "enter_current_password": "That is not your current password.",
        "incorrect_password": "That is not your password.",
        "incorrect_code": "That code is not right; check it and try again.",
        "invalid_or_expired_key": "This link no longer works.",
        "invalid_password_reset": "This reset link no longer works.",
        "too_many_login_attempts": (
            "Too many wrong passwords for this account from here. Wait 15 minutes, "
            "reset your password from this device, or log in with a passkey."
        ),
        "unverified_primary_email": "Confirm your address first.",
        "username_taken": "That username is taken; try another.",
        "same_as_current": "That is what it is already.",
        "rate_limited": "That was a lot in a short time; wait a minute, then try again.",
    }

    def get_reauthentication_methods(self, user: User) -> list[dict[str, Any]]:
        return [
            {
                **method,
                "description": REAUTHENTICATION_WORDS.get(method["id"], method["description"]),
            }
            for method in super().get_reauthentication_methods(user)
        ]

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        if template_prefix in RESET_MAILS and not throttle.allows(
            throttle.RESET_MAILS_PER_ADDRESS, email
        ):
            # Past the limit nothing is sent and the page answers as always: a 429 for
            # an address would let a stranger keep its owner from resetting.
            return
        request = allauth_context.request
        message = self.render_mail(
            template_prefix, email, {"request": request, "email": email, **context}
        )
        mail.send(message)

    def send_notification_mail(
        self,
        template_prefix: str,
        user: User,
        context: dict[str, Any] | None = None,
        email: str | None = None,
    ) -> None:
        # Our mail templates are Jinja2, which has no context processors: the account
        # the notice is about comes in the context itself.
        super().send_notification_mail(
            template_prefix, user, {"user": user, **(context or {})}, email
        )

    def send_confirmation_mail(
        self, request: HttpRequest, emailconfirmation: Any, signup: bool
    ) -> None:
        address = emailconfirmation.email_address
        if confirmed_elsewhere(address.email, user_pk=address.user_id):
            # Its owner has an account already: they are told someone used their
            # address, and nothing says so on the page.
            self.send_account_already_exists_mail(address.email)
            return
        # Otherwise the link goes to the mailbox, whoever typed the address: whoever
        # reads that mailbox decides which account is theirs (the mail and the page
        # name it), so signing up with someone's address first cannot block them.
        template = "account/email/email_confirmation" + ("_signup" if signup else "")
        self.send_mail(
            template,
            address.email,
            {
                "user": address.user,
                "key": emailconfirmation.key,
                "activate_url": self.get_email_confirmation_url(request, emailconfirmation),
                "shared": used_elsewhere(address.email, user_pk=address.user_id),
            },
        )

    def _delete_login_attempts_cached_email(self, request: HttpRequest, **credentials: Any) -> None:
        # A reset from the mailbox lifts the lock on the account however it was typed
        # at the log-in: by its address (allauth's own) or by its username (ours).
        super()._delete_login_attempts_cached_email(request, **credentials)
        holders = EmailAddress.objects.filter(email__iexact=credentials.get("email", ""))
        for username in User.objects.filter(pk__in=holders.values("user_id")).values_list(
            "username", flat=True
        ):
            super()._delete_login_attempts_cached_email(request, username=username)

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        # allauth counts wrong passwords per account; counted per account *and* client
        # address, as before allauth, a stranger's five guesses cannot lock the owner
        # out from their own device (settings.ACCOUNT_RATE_LIMITS, "login_failed").
        # The address as allauth's own per-address limits count it (an IPv6 client is
        # its /64 network, which one client can change at will within).
        account = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{account}:{ratelimit.get_ip(request)}"


class MFAAdapter(DefaultMFAAdapter):
    """allauth.mfa in our words: its errors, and the names new passkeys start with."""

    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "add_email_blocked": "Turn off your second factor before you add another address.",
        "cannot_delete_authenticator": "This one cannot be turned off.",
        "cannot_generate_recovery_codes": (
            "Recovery codes come with a second factor: add a passkey or an authenticator app first."
        ),
        "incorrect_code": "That code is not right, or it was used already.",
        "unverified_email": "Confirm your address before you add a second factor.",
    }

    def generate_authenticator_name(self, user: User, type: Authenticator.Type) -> str:
        count = Authenticator.objects.filter(user_id=user.pk, type=type).count()
        return "My passkey" if count == 0 else f"Passkey {count + 1}"

    def _get_site_name(self) -> str:
        # The name a browser shows when it asks which passkey to use.
        return "Offerdesk"
