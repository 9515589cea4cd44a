"""No page, mail or message of django-allauth shows in allauth's own look or words.

allauth renders its templates by name; ours (Jinja2, templates/) come first, and any
name we lack falls through to allauth's Django-language ones. The names are read from
allauth's template folder, so an upgrade that adds one fails here until we write ours
or say below why it never renders for Offerdesk.
"""

from __future__ import annotations

import fnmatch
from http import HTTPStatus
from pathlib import Path

import allauth
import pytest
from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter, get_adapter
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from allauth.core import context as allauth_context
from allauth.mfa import app_settings as mfa_settings
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.template import engines
from django.template.loader import get_template, render_to_string
from django.test import Client
from django.urls import reverse

from offerdesk.accounts.models import User
from tests.accounts.test_mfa import (
    log_in_with_password,
    reauthenticate,
    totp_code,
    with_passkey,
    with_totp,
)
from tests.factories import UserFactory

ALLAUTH_TEMPLATES = Path(allauth.__file__).parent / "templates"
APPS = ("account", "mfa", "usersessions")
OUR_LAYOUT = b'<a class="skip-link" href="#main">'

_phone = "phone" in account_settings.LOGIN_METHODS or any(
    field.startswith("phone") for field in account_settings.SIGNUP_FIELDS
)
_reauthentication_by_code = "code" in account_settings.REAUTHENTICATION_METHODS
_codes_by_mail = account_settings.LOGIN_BY_CODE_ENABLED or _reauthentication_by_code

# (pattern, whether it applies with our settings, why allauth never renders it then).
# fnmatch's * also matches "/".
NEVER_RENDERED = [
    # Partials that only allauth's own pages extend or include: ours extend base.html.
    ("account/base_*.html", True, "layouts of allauth's own pages"),
    ("mfa/base_*.html", True, "layouts of allauth's own pages"),
    ("mfa/*/base.html", True, "layouts of allauth's own pages"),
    ("usersessions/base_*.html", True, "layouts of allauth's own pages"),
    ("account/email/base_*.txt", True, "allauth's mails extend them; ours are whole"),
    ("account/snippets/*", True, "included by allauth's log-in and sign-up pages only"),
    (
        "mfa/webauthn/snippets/login_script.html",
        True,
        "allauth's log-in page only; ours includes mfa/webauthn/snippets/login_form.html",
    ),
    ("account/email/email_confirm_*.txt", True, "no flow of allauth 65 sends it"),
    # Features we have off.
    ("account/*phone*", not _phone, "no phone numbers (ACCOUNT_LOGIN_METHODS, _SIGNUP_FIELDS)"),
    (
        "account/*login_code.html",
        not account_settings.LOGIN_BY_CODE_ENABLED,
        "no log-in by mailed code (ACCOUNT_LOGIN_BY_CODE_ENABLED)",
    ),
    (
        "account/*reauthentication_code.html",
        not _reauthentication_by_code,
        'no "confirm it is you" by mailed code (ACCOUNT_REAUTHENTICATION_METHODS)',
    ),
    ("account/email/login_code_*", not _codes_by_mail, "no codes by mail at all"),
    ("account/messages/login_code_sent.txt", not _codes_by_mail, "no codes by mail at all"),
    (
        "account/confirm_email_verification_code.html",
        not account_settings.EMAIL_VERIFICATION_BY_CODE_ENABLED,
        "addresses are confirmed by link (ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED)",
    ),
    (
        "account/*password_reset_code*",
        not account_settings.PASSWORD_RESET_BY_CODE_ENABLED,
        "passwords are reset by link (ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED)",
    ),
    (
        "account/signup_by_passkey.html",
        not mfa_settings.PASSKEY_SIGNUP_ENABLED,
        "no sign-up by passkey (MFA_PASSKEY_SIGNUP_ENABLED)",
    ),
    (
        "mfa/webauthn/signup_form.html",
        not mfa_settings.PASSKEY_SIGNUP_ENABLED,
        "no sign-up by passkey (MFA_PASSKEY_SIGNUP_ENABLED)",
    ),
    (
        "mfa/trust.html",
        not mfa_settings.TRUST_ENABLED,
        'no "trust this browser" (MFA_TRUST_ENABLED)',
    ),
    (
        "account/signup_closed.html",
        type(get_adapter()).is_open_for_signup is DefaultAccountAdapter.is_open_for_signup,
        "sign-up is always open: our adapter does not close it",
    ),
    (
        "account/email.html",
        account_settings.CHANGE_EMAIL,
        "one address per account, changed on account/email_change.html (ACCOUNT_CHANGE_EMAIL)",
    ),
    (
        "account/email_change.html",
        not account_settings.CHANGE_EMAIL,
        "several addresses, managed on account/email.html (ACCOUNT_CHANGE_EMAIL)",
    ),
]


def _never_rendered(name: str) -> str | None:
    for pattern, applies, why in NEVER_RENDERED:
        if applies and fnmatch.fnmatch(name, pattern):
            return why
    return None


def _allauth_names() -> list[str]:
    return sorted(
        path.relative_to(ALLAUTH_TEMPLATES).as_posix()
        for app in APPS
        for path in (ALLAUTH_TEMPLATES / app).rglob("*")
        if path.is_file()
    )


RENDERED = [name for name in _allauth_names() if _never_rendered(name) is None]


def test_the_list_is_read_from_allauth_and_every_exclusion_still_matches():
    names = _allauth_names()
    assert len(RENDERED) >= 60
    assert {"mfa/index.html", "account/login.html", "usersessions/usersession_list.html"} <= set(
        RENDERED
    )
    stale = [pattern for pattern, _, _ in NEVER_RENDERED if not fnmatch.filter(names, pattern)]
    assert stale == []


@pytest.mark.parametrize("name", RENDERED)
def test_allauth_finds_our_template(name: str):
    assert get_template(name).backend is engines["jinja2"]


# Pages, each reached the way a person reaches it ---------------------------------


def _assert_ours(response, template: str) -> None:
    assert response.status_code == HTTPStatus.OK, (template, response.status_code)
    assert template in response.template_name
    assert OUR_LAYOUT in response.content, template


@pytest.fixture
def secured(db) -> User:
    """Someone with an authenticator app, recovery codes and a passkey."""
    user = UserFactory()
    EmailAddress.objects.update_or_create(
        user=user, email=user.email.lower(), defaults={"primary": True, "verified": True}
    )
    with_totp(user)
    with_passkey(user)
    return user


@pytest.fixture
def secured_browser(secured: User) -> Client:
    client = Client()
    client.force_login(secured)
    reauthenticate(client)
    return client


@pytest.mark.parametrize(
    ("url_name", "template"),
    [
        ("mfa_index", "mfa/index.html"),
        ("mfa_reauthenticate", "mfa/reauthenticate.html"),
        ("mfa_reauthenticate_webauthn", "mfa/webauthn/reauthenticate.html"),
        ("mfa_deactivate_totp", "mfa/totp/deactivate_form.html"),
        ("mfa_view_recovery_codes", "mfa/recovery_codes/index.html"),
        ("mfa_generate_recovery_codes", "mfa/recovery_codes/generate.html"),
        ("mfa_list_webauthn", "mfa/webauthn/authenticator_list.html"),
        ("mfa_add_webauthn", "mfa/webauthn/add_form.html"),
        ("usersessions_list", "usersessions/usersession_list.html"),
        ("account_email", "account/email_change.html"),
        ("account_change_password", "account/password_change.html"),
        ("account_reauthenticate", "account/reauthenticate.html"),
        ("account_logout", "account/logout.html"),
    ],
)
def test_signed_in_pages_are_ours(secured_browser: Client, url_name: str, template: str):
    _assert_ours(secured_browser.get(reverse(url_name)), template)


@pytest.mark.parametrize(
    ("url_name", "template"),
    [
        ("mfa_edit_webauthn", "mfa/webauthn/edit_form.html"),
        ("mfa_remove_webauthn", "mfa/webauthn/authenticator_confirm_delete.html"),
    ],
)
def test_passkey_pages_are_ours(
    secured_browser: Client, secured: User, url_name: str, template: str
):
    passkey = secured.authenticator_set.get(type="webauthn")
    _assert_ours(secured_browser.get(reverse(url_name, kwargs={"pk": passkey.pk})), template)


def test_setting_up_an_app_is_ours(user: User):
    client = Client()
    client.force_login(user)
    reauthenticate(client)
    _assert_ours(client.get(reverse("mfa_activate_totp")), "mfa/totp/activate_form.html")


def test_the_second_step_of_logging_in_is_ours(client: Client, secured: User):
    assert log_in_with_password(client, secured).url == reverse("mfa_authenticate")
    _assert_ours(client.get(reverse("mfa_authenticate")), "mfa/authenticate.html")


def test_setting_a_first_password_is_ours(user: User):
    # Without a password, only a second factor can confirm it is you.
    user.set_unusable_password()
    user.save()
    secret = with_totp(user)
    client = Client()
    client.force_login(user)
    client.post(reverse("mfa_reauthenticate"), {"code": totp_code(secret)})
    _assert_ours(client.get(reverse("account_set_password")), "account/password_set.html")


def test_confirming_it_is_you_is_never_offered_by_a_mailed_code(secured_browser: Client):
    """A code mailed to the address would let whoever reads that mailbox change the
    address itself (settings.ACCOUNT_REAUTHENTICATION_METHODS); so it is not offered,
    and its pages need no template of ours."""
    assert not _reauthentication_by_code
    page = secured_browser.get(reverse("account_reauthenticate")).content.decode()
    assert reverse("account_request_reauthentication_code") not in page
    assert "Use a code from my authenticator app" in page


@pytest.mark.parametrize(
    ("url_name", "template"),
    [
        ("account_login", "account/login.html"),
        ("account_signup", "account/signup.html"),
        ("account_reset_password", "account/password_reset.html"),
        ("account_reset_password_done", "account/password_reset_done.html"),
        ("account_reset_password_from_key_done", "account/password_reset_from_key_done.html"),
        ("account_email_verification_sent", "account/verification_sent.html"),
        ("account_inactive", "account/account_inactive.html"),
    ],
)
def test_visitor_pages_are_ours(client: Client, db, url_name: str, template: str):
    _assert_ours(client.get(reverse(url_name)), template)


def test_a_password_reset_link_opens_our_page(client: Client, user: User):
    url = reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(user),
            "key": default_token_generator.make_token(user),
        },
    )
    _assert_ours(client.get(url, follow=True), "account/password_reset_from_key.html")


def test_a_confirmation_link_opens_our_page(client: Client, user: User):
    address, _ = EmailAddress.objects.update_or_create(
        user=user, email=user.email.lower(), defaults={"primary": True, "verified": False}
    )
    url = reverse("account_confirm_email", args=[EmailConfirmationHMAC(address).key])
    _assert_ours(client.get(url), "account/email_confirm.html")


def test_the_verified_address_page_is_ours(rf, user: User):
    # Only allauth's @verified_email_required decorator shows it, which no view uses yet.
    request = rf.get("/")
    request.user = user
    assert OUR_LAYOUT.decode() in render_to_string(
        "account/verified_email_required.html", {}, request
    )


# Mails and messages, with the context allauth gives each ---------------------------

NOTIFICATIONS = [
    ("account/email/password_changed", {}),
    ("account/email/password_set", {}),
    ("account/email/password_reset", {}),
    (
        "account/email/email_changed",
        {"from_email": "old@example.com", "to_email": "new@example.com"},
    ),
    ("account/email/email_deleted", {"deleted_email": "old@example.com"}),
    ("mfa/email/totp_activated", {}),
    ("mfa/email/totp_deactivated", {}),
    ("mfa/email/recovery_codes_generated", {}),
    ("mfa/email/webauthn_added", {}),
    ("mfa/email/webauthn_removed", {}),
]


@pytest.mark.parametrize(("prefix", "context"), NOTIFICATIONS)
def test_notification_mails_are_ours(
    rf, user: User, prefix: str, context: dict, django_capture_on_commit_callbacks
):
    assert {f"{prefix}_subject.txt", f"{prefix}_message.txt"} <= set(RENDERED)
    request = rf.get("/", HTTP_USER_AGENT="Firefox/140.0")
    request.user = user
    # offerdesk.mail queues a mail once the transaction commits.
    with allauth_context.request_context(request), django_capture_on_commit_callbacks(execute=True):
        get_adapter(request).send_notification_mail(prefix, user, context, email=user.email)
    [message] = mail.outbox
    assert "\n" not in message.subject
    assert user.username in message.body
    assert message.body.rstrip().endswith("Offerdesk")


MESSAGE_CONTEXT = {
    "account/messages/logged_in.txt": {"user": True},
    "account/messages/email_confirmation_failed.txt": {"email": "a@example.com"},
    "account/messages/email_confirmation_sent.txt": {
        "email": "a@example.com",
        "login": False,
        "signup": True,
    },
    "account/messages/email_confirmed.txt": {"email": "a@example.com"},
    "account/messages/cannot_delete_primary_email.txt": {"email": "a@example.com"},
    "account/messages/email_deleted.txt": {"email": "a@example.com"},
    "account/messages/login_code_sent.txt": {
        "recipient": "a@example.com",
        "email": "a@example.com",
        "phone": None,
    },
    "mfa/messages/recovery_codes_generated.txt": {"MFA_RECOVERY_CODES_SHOW_ONCE": False},
}


@pytest.mark.parametrize("name", [name for name in RENDERED if "/messages/" in name])
def test_flash_messages_are_ours(rf, user: User, name: str):
    context = dict(MESSAGE_CONTEXT.get(name, {}))
    if context.get("user"):
        context["user"] = user
    request = rf.get("/")
    request.user = user
    text = render_to_string(name, context, request).strip()
    assert text
    assert "\n" not in text
