"""Second factors (django-allauth's mfa) through the test client: an authenticator app,
recovery codes, asking again before changing them, passkeys' ownership, and the
coach's reminder to add one."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import struct
import time
from http import HTTPStatus

import pytest
from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.template.loader import render_to_string
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from fido2.cose import ES256
from fido2.utils import sha256, websafe_encode
from fido2.webauthn import (
    Aaguid,
    AttestationObject,
    AttestedCredentialData,
    AuthenticatorData,
    CollectedClientData,
)

from decisions.models import CoachGrant
from decisions.selectors import coach_second_factor_advised
from offerdesk.accounts.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
# allauth mails and flashes once an authenticator's change commits, inside the
# request: that needs real commits rather than one transaction rolled back per test.
on_commit = pytest.mark.django_db(transaction=True)


def totp_code(secret: str, *, at: float | None = None) -> str:
    """The code an authenticator app shows, by RFC 6238: HMAC-SHA1 over the number of
    30-second steps since the epoch, truncated to 6 digits (RFC 4226, section 5.3)."""
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(base64.b32decode(secret), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def with_totp(user: User) -> str:
    """Give ``user`` an authenticator app and recovery codes, as activating one does;
    returns the app's secret."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    return secret


def with_passkey(user: User, name: str = "Work laptop") -> Authenticator:
    """A passkey as allauth stores one after a browser made it: a registration
    response with "none" attestation, for a fresh P-256 key."""
    key = ec.generate_private_key(ec.SECP256R1())
    credential_id = os.urandom(16)
    auth_data = AuthenticatorData.create(
        sha256(b"testserver"),
        AuthenticatorData.FLAG.UP | AuthenticatorData.FLAG.UV | AuthenticatorData.FLAG.AT,
        0,
        AttestedCredentialData.create(
            Aaguid.NONE, credential_id, ES256.from_cryptography_key(key.public_key())
        ),
    )
    client_data = CollectedClientData.create(
        type="webauthn.create", challenge=os.urandom(32), origin="http://testserver"
    )
    credential = {
        "id": websafe_encode(credential_id),
        "rawId": websafe_encode(credential_id),
        "type": "public-key",
        "response": {
            "clientDataJSON": websafe_encode(client_data),
            "attestationObject": websafe_encode(AttestationObject.create("none", auth_data, {})),
        },
        "clientExtensionResults": {"credProps": {"rk": True}},
    }
    return Authenticator.objects.create(
        user=user,
        type=Authenticator.Type.WEBAUTHN,
        data={"name": name, "credential": credential},
    )


def reauthenticate(client: Client) -> None:
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == HTTPStatus.FOUND


def age_authentication(client: Client, seconds: float) -> None:
    """Move every log-in and re-authentication allauth recorded ``seconds`` back."""
    session = client.session
    records = session[AUTHENTICATION_METHODS_SESSION_KEY]
    for record in records:
        record["at"] -= seconds
    session[AUTHENTICATION_METHODS_SESSION_KEY] = records
    session.save()


def log_in_with_password(client: Client, user: User):
    return client.post(reverse("account_login"), {"login": user.username, "password": PASSWORD})


def activate_totp(client: Client) -> str:
    """Set up an authenticator app through the pages; returns its secret."""
    reauthenticate(client)
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == HTTPStatus.OK
    secret = page.context_data["form"].secret
    # What a person types by hand: the page groups the key in fours.
    assert " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in page.content.decode()
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("mfa_view_recovery_codes")
    return secret


@pytest.fixture
def browser(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@on_commit
def test_an_authenticator_app_is_asked_for_after_the_password(browser: Client, user: User):
    secret = activate_totp(browser)
    assert Authenticator.objects.filter(user=user, type="totp").exists()
    assert [m.subject for m in mail.outbox] == [
        "An authenticator app now protects your Offerdesk account"
    ]
    browser.post(reverse("account_logout"))

    response = log_in_with_password(browser, user)
    assert response.url == reverse("mfa_authenticate")
    assert SESSION_KEY not in browser.session
    page = browser.get(reverse("mfa_authenticate"))
    assert page.template_name == ["mfa/authenticate.html"]
    assert b"Use my passkey" not in page.content  # no passkey, no button

    wrong = f"{(int(totp_code(secret)) + 1) % 1_000_000:06d}"
    refused = browser.post(reverse("mfa_authenticate"), {"code": wrong})
    assert refused.status_code == HTTPStatus.OK
    assert refused.context_data["form"].errors
    assert SESSION_KEY not in browser.session

    response = browser.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse(settings.LOGIN_REDIRECT_URL)
    assert browser.session[SESSION_KEY] == str(user.pk)


def test_a_code_from_the_step_before_still_works_once(browser: Client, user: User):
    """A code typed as it turned over, or from a phone a little behind, is not refused;
    two steps old is too old, and no code works twice."""
    secret = activate_totp(browser)
    browser.post(reverse("account_logout"))
    log_in_with_password(browser, user)

    too_old = browser.post(
        reverse("mfa_authenticate"), {"code": totp_code(secret, at=time.time() - 60)}
    )
    assert too_old.context_data["form"].errors
    just_turned = totp_code(secret, at=time.time() - 30)
    response = browser.post(reverse("mfa_authenticate"), {"code": just_turned})
    assert response.status_code == HTTPStatus.FOUND
    assert browser.session[SESSION_KEY] == str(user.pk)

    browser.post(reverse("account_logout"))
    log_in_with_password(browser, user)
    replayed = browser.post(reverse("mfa_authenticate"), {"code": just_turned})
    assert replayed.context_data["form"].errors
    assert SESSION_KEY not in browser.session


@on_commit
def test_a_recovery_code_logs_in_once(browser: Client, user: User):
    activate_totp(browser)
    codes = browser.get(reverse("mfa_view_recovery_codes")).context_data["unused_codes"]
    assert len(codes) == 10
    download = browser.get(reverse("mfa_download_recovery_codes"))
    assert download["Content-Type"].startswith("text/plain")
    assert all(code in download.content.decode() for code in codes)
    browser.post(reverse("account_logout"))

    log_in_with_password(browser, user)
    response = browser.post(reverse("mfa_authenticate"), {"code": codes[0]})
    assert response.status_code == HTTPStatus.FOUND
    assert browser.session[SESSION_KEY] == str(user.pk)
    assert (
        browser.get(reverse("mfa_index"))
        .context_data["authenticators"]["recovery_codes"]
        .get_unused_codes()
        == codes[1:]
    )
    browser.post(reverse("account_logout"))

    log_in_with_password(browser, user)
    refused = browser.post(reverse("mfa_authenticate"), {"code": codes[0]})
    assert refused.status_code == HTTPStatus.OK
    assert refused.context_data["form"].errors
    assert SESSION_KEY not in browser.session
    browser.post(reverse("mfa_authenticate"), {"code": codes[1]})
    assert browser.session[SESSION_KEY] == str(user.pk)


@on_commit
def test_turning_off_the_app_asks_again_once_the_last_confirmation_is_old(
    browser: Client, user: User
):
    activate_totp(browser)
    # Just confirmed: no second question.
    assert browser.get(reverse("mfa_deactivate_totp")).status_code == HTTPStatus.OK

    age_authentication(browser, settings.ACCOUNT_REAUTHENTICATION_TIMEOUT + 1)
    url = reverse("mfa_deactivate_totp")
    for response in (browser.get(url), browser.post(url)):
        assert response.status_code == HTTPStatus.FOUND
        assert response.url.startswith(reverse("account_reauthenticate"))
    assert Authenticator.objects.filter(user=user, type="totp").exists()

    page = browser.get(reverse("account_reauthenticate"), {"next": url})
    # The app is another way to confirm, offered under the password form.
    assert reverse("mfa_reauthenticate") in page.content.decode()
    # Once confirmed, the "turn it off" that was held back goes through.
    response = browser.post(reverse("account_reauthenticate"), {"password": PASSWORD, "next": url})
    assert response.url == reverse("mfa_index")
    assert not Authenticator.objects.filter(user=user).exists()  # the codes went too
    assert (
        mail.outbox[-1].subject == "The authenticator app of your Offerdesk account was turned off"
    )


@on_commit
def test_the_app_itself_can_confirm_it_is_you(browser: Client, user: User):
    secret = activate_totp(browser)
    age_authentication(browser, settings.ACCOUNT_REAUTHENTICATION_TIMEOUT + 1)
    url = reverse("mfa_generate_recovery_codes")
    page = browser.get(reverse("mfa_reauthenticate"), {"next": url})
    assert page.template_name == ["mfa/reauthenticate.html"]
    response = browser.post(reverse("mfa_reauthenticate"), {"code": totp_code(secret), "next": url})
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == url


@on_commit
def test_new_recovery_codes_ask_again_once_the_last_confirmation_is_old(
    browser: Client, user: User
):
    activate_totp(browser)
    before = browser.get(reverse("mfa_view_recovery_codes")).context_data["unused_codes"]
    age_authentication(browser, settings.ACCOUNT_REAUTHENTICATION_TIMEOUT + 1)
    url = reverse("mfa_generate_recovery_codes")
    for response in (
        browser.get(url),
        browser.post(url),
        browser.get(reverse("mfa_view_recovery_codes")),
        browser.get(reverse("mfa_download_recovery_codes")),
    ):
        assert response.status_code == HTTPStatus.FOUND
        assert response.url.startswith(reverse("account_reauthenticate"))

    reauthenticate(browser)
    page = browser.get(url)
    assert page.context_data["unused_code_count"] == 10
    assert browser.post(url).url == reverse("mfa_view_recovery_codes")
    after = browser.get(reverse("mfa_view_recovery_codes")).context_data["unused_codes"]
    assert set(after).isdisjoint(before)
    assert mail.outbox[-1].subject == "New recovery codes for your Offerdesk account"


def test_a_passkey_shows_its_button_at_the_second_step(client: Client, user: User):
    with_totp(user)
    with_passkey(user)
    log_in_with_password(client, user)
    page = client.get(reverse("mfa_authenticate"))
    assert b"Use my passkey" in page.content
    assert b'id="js_data"' in page.content


def test_someone_elses_passkey_cannot_be_renamed_or_removed(browser: Client, other_user: User):
    passkey = with_passkey(other_user)
    reauthenticate(browser)
    for name in ("mfa_edit_webauthn", "mfa_remove_webauthn"):
        url = reverse(name, kwargs={"pk": passkey.pk})
        for method in (browser.get, browser.post):
            response = method(url, {"name": "mine now"})
            assert response.status_code == HTTPStatus.NOT_FOUND, (name, method)
    passkey.refresh_from_db()
    assert passkey.data["name"] == "Work laptop"


def _account_routes(resolver=None, converters=()):
    """(name, converters) of every allauth.mfa and allauth.usersessions route; a
    converter such as ``pk`` may sit on an enclosing include. The admin's are not
    these pages."""
    for entry in (resolver or get_resolver()).url_patterns:
        found = (*converters, *getattr(entry.pattern, "converters", {}))
        if isinstance(entry, URLResolver):
            if not entry.namespace:
                yield from _account_routes(entry, found)
        elif isinstance(entry, URLPattern) and (entry.name or "").startswith(
            ("mfa_", "usersessions_")
        ):
            yield entry.name, found


def test_visitors_are_sent_to_log_in_from_every_two_factor_and_session_page(client: Client):
    names = []
    for name, converters in _account_routes():
        url = reverse(name, kwargs=dict.fromkeys(converters, 1))
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == HTTPStatus.FOUND, (name, method)
            assert response.url.startswith(reverse("account_login")), (name, response.url)
        names.append(name)
    assert {"mfa_index", "mfa_activate_totp", "mfa_remove_webauthn", "usersessions_list"} <= set(
        names
    )


def _coach_with_a_client() -> User:
    coach = UserFactory()
    CoachGrant.objects.create(client=UserFactory(), coach=coach)
    return coach


def _coach_whose_client_left() -> User:
    """A coach with no client now (the dashboard is for someone who has coached)."""
    coach = UserFactory()
    CoachGrant.objects.create(client=UserFactory(), coach=coach, revoked_at=timezone.now())
    return coach


def test_only_a_coach_with_clients_and_no_second_factor_is_urged_to_add_one():
    coach = _coach_with_a_client()
    assert coach_second_factor_advised(coach)
    with_totp(coach)
    assert not coach_second_factor_advised(coach)

    passkey_coach = _coach_with_a_client()
    with_passkey(passkey_coach)
    assert not coach_second_factor_advised(passkey_coach)

    assert not coach_second_factor_advised(UserFactory())  # coaches nobody
    revoked = _coach_with_a_client()
    CoachGrant.objects.filter(coach=revoked).update(revoked_at="2026-01-01T00:00Z")
    assert not coach_second_factor_advised(revoked)


def test_the_dashboard_notice_links_to_the_two_factor_page(rf, user: User):
    request = rf.get(reverse("coach:dashboard"))
    request.user = user
    context = {"decisions": [], "page": None, "today": None, "has_clients": False}
    urged = render_to_string(
        "decisions/coach_dashboard.html", {**context, "second_factor_advised": True}, request
    )
    assert f'href="{reverse("mfa_index")}"' in urged
    calm = render_to_string(
        "decisions/coach_dashboard.html", {**context, "second_factor_advised": False}, request
    )
    assert reverse("mfa_index") not in calm


@pytest.mark.parametrize(
    ("secured", "has_client", "urged"),
    [(False, True, True), (True, True, False), (False, False, False)],
)
def test_the_coach_dashboard_urges_a_second_factor(secured: bool, has_client: bool, urged: bool):
    coach = _coach_with_a_client() if has_client else _coach_whose_client_left()
    if secured:
        with_totp(coach)
    client = Client()
    client.force_login(coach)
    response = client.get(reverse("coach:dashboard"))
    assert response.context_data["second_factor_advised"] is urged
    assert (b"Protect your account" in response.content) is urged


def test_signing_out_everywhere_else_keeps_this_browser_only(user: User):
    here, elsewhere = Client(HTTP_USER_AGENT="Firefox/140.0 (Windows NT 10.0)"), Client()
    for browser in (here, elsewhere):
        log_in_with_password(browser, user)
    page = here.get(reverse("usersessions_list"))
    assert page.context_data["session_count"] == 2
    assert b"Firefox on Windows" in page.content
    assert b"Log out everywhere else" in page.content

    response = here.post(reverse("usersessions_list"))
    assert response.url == reverse("usersessions_list")
    assert here.session[SESSION_KEY] == str(user.pk)
    assert elsewhere.get(reverse("mfa_index")).url.startswith(reverse("account_login"))
    page = here.get(reverse("usersessions_list"))
    assert b"This is the only place you are logged in." in page.content
    assert b"You are logged out everywhere else." in page.content
