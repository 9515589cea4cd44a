"""What Offerdesk asks of django-allauth beyond its settings.

- Every mail goes through the task queue (``offerdesk.mail``), so no account page
  waits for, or fails on, the mail server.
- A sign-up with an address another account holds is answered like any other sign-up
  (settings: ``ACCOUNT_PREVENT_ENUMERATION = "strict"``); the address's owner gets a
  "someone used your address" mail in place of the confirmation link, so the new
  account can never check an address that is not theirs.
"""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.core import context as allauth_context
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.db.models import Q
from django.http import HttpRequest

from offerdesk import mail
from offerdesk.accounts.models import User


def held_elsewhere(email: str, *, user_pk: int) -> bool:
    """Whether another account has a prior claim on ``email`` (in any case): it has
    checked the address, or it had the address first. The newer of two accounts that
    typed one address is the one that may be using someone else's; the older one can
    still check it, so signing up with someone's address cannot block its owner."""
    others = EmailAddress.objects.filter(email__iexact=email).exclude(user_id=user_pk)
    return (
        others.filter(Q(verified=True) | Q(user_id__lt=user_pk)).exists()
        or User.objects.filter(email__iexact=email, pk__lt=user_pk).exists()
    )


# The ways to confirm it is you again, in our words (allauth's ids).
REAUTHENTICATION_WORDS = {
    "reauthenticate": "Use my password",
    "mfa_reauthenticate": "Use a code from my authenticator app or a recovery code",
    "mfa_reauthenticate:webauthn": "Use my passkey",
}


class AccountAdapter(DefaultAccountAdapter):
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
            "reset your password, or log in with a passkey."
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
        if held_elsewhere(address.email, user_pk=address.user_id):
            # The link would let this account check someone else's address; the one
            # who holds it is told instead, and nothing says so on the page.
            self.send_account_already_exists_mail(address.email)
            return
        super().send_confirmation_mail(request, emailconfirmation, signup)

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
        account = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{account}:{self.get_client_ip(request)}"


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
