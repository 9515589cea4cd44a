"""Passkeys and an authenticator app in a real browser: Chromium's virtual
authenticator stands in for a phone or security key, and the test computes the app's
codes. axe-core checks every page on the way; screenshots are taken at desktop and
phone widths."""

from __future__ import annotations

import re

import pytest
from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from playwright.sync_api import Page, expect

from decisions import services
from decisions.models import CoachGrant
from offerdesk.accounts.models import User
from tests.accounts.test_mfa import totp_code
from tests.browser.conftest import assert_accessible, screenshot, watch_csp
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIRTUAL_AUTHENTICATOR = {
    "protocol": "ctap2",
    "transport": "internal",
    "hasResidentKey": True,
    "hasUserVerification": True,
    "isUserVerified": True,
    "automaticPresenceSimulation": True,
}


def look(page: Page, name: str) -> None:
    assert_accessible(page, name)
    screenshot(page, name)


def log_in_with_password(page: Page, user: User) -> None:
    page.goto("/accounts/login/")
    page.locator("#id_login").fill(user.username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()


def log_out(page: Page) -> None:
    page.get_by_role("button", name=re.compile("^Log out")).click()
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Log in")
    ).to_be_visible()


def let_the_log_in_age(user: User) -> None:
    """Move the user's log-ins an hour back in their sessions: a log-in minutes ago
    counts as confirming it is you, an older one does not."""
    for session in Session.objects.all():
        store = SessionStore(session_key=session.session_key)
        if store.get(SESSION_KEY) != str(user.pk):
            continue
        store[AUTHENTICATION_METHODS_SESSION_KEY] = [
            {**record, "at": record["at"] - 3600}
            for record in store.get(AUTHENTICATION_METHODS_SESSION_KEY, [])
        ]
        store.save()


def confirm_with_password(page: Page) -> None:
    expect(page.get_by_role("heading", name="Confirm it is you")).to_be_visible()
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()


def test_a_passkey_logs_in_without_a_password(page: Page, settings, live_server):
    # A passkey belongs to a site by its name; an IP address cannot be one.
    assert live_server.url.startswith("http://localhost:")
    # The live server speaks plain http; browsers allow passkeys there on localhost.
    settings.MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
    csp_reports: list[str] = []
    watch_csp(page, csp_reports)
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send("WebAuthn.addVirtualAuthenticator", {"options": VIRTUAL_AUTHENTICATOR})
    user = UserFactory(username="robin")

    log_in_with_password(page, user)
    page.goto("/accounts/2fa/")
    look(page, "mfa-index")
    let_the_log_in_age(user)
    page.get_by_role("link", name="Add a passkey").click()
    confirm_with_password(page)
    expect(page.get_by_role("heading", name="Add a passkey")).to_be_visible()
    look(page, "passkey-add")
    page.get_by_label("Name").fill("Test laptop")
    page.get_by_label("Use it to log in without a password").check()
    page.get_by_role("button", name="Add passkey").click()

    # The first second factor comes with recovery codes.
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    expect(page.get_by_text("Your passkey is added.")).to_be_visible()
    look(page, "recovery-codes")
    page.goto("/accounts/2fa/webauthn/")
    expect(page.get_by_role("listitem").filter(has_text="Test laptop")).to_contain_text(
        "logs in without a password"
    )
    look(page, "passkey-list")
    page.get_by_role("link", name="Rename Test laptop").click()
    look(page, "passkey-rename")
    page.get_by_label("Name").fill("Home laptop")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Remove Home laptop").click()
    look(page, "passkey-remove")
    page.get_by_role("link", name="Keep it").click()

    # The passkey itself can confirm it is you.
    page.goto("/accounts/2fa/webauthn/reauthenticate/?next=/accounts/2fa/")
    look(page, "passkey-reauthenticate")
    page.get_by_role("button", name="Use my passkey").click()
    expect(page.get_by_role("heading", name="Passkeys and two-factor")).to_be_visible()

    # With a password, the passkey is the second step.
    log_out(page)
    log_in_with_password(page, user)
    expect(page.get_by_role("heading", name="One more step")).to_be_visible()
    look(page, "second-step-passkey")
    page.get_by_role("button", name="Cancel").click()

    # Without one, the passkey alone logs in.
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    page.get_by_role("button", name="Log in with a passkey").click()
    expect(page.get_by_role("button", name="Log out (robin)")).to_be_visible()
    assert csp_reports == []


def test_an_authenticator_app_and_a_recovery_code(page: Page):
    user = UserFactory(username="sasha")
    CoachGrant.objects.create(client=UserFactory(), coach=user)

    log_in_with_password(page, user)
    page.goto("/coach/")
    notice = page.get_by_text("Add a passkey or an authenticator app")
    expect(notice).to_be_visible()
    look(page, "coach-notice")
    page.get_by_role("link", name="Protect your account").click()

    let_the_log_in_age(user)
    page.get_by_role("link", name="Set up an app").click()
    confirm_with_password(page)
    look(page, "totp-activate")
    secret = page.locator(".totp-secret").inner_text().replace(" ", "")
    page.get_by_label("Code from the app").fill(totp_code(secret))
    page.get_by_role("button", name="Turn on").click()
    expect(page.get_by_text("Your authenticator app is on.")).to_be_visible()
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    page.goto("/coach/")
    expect(notice).to_have_count(0)

    log_out(page)
    log_in_with_password(page, user)
    expect(page.get_by_role("heading", name="One more step")).to_be_visible()
    expect(page.get_by_role("button", name="Use my passkey")).to_have_count(0)
    look(page, "second-step-code")
    page.get_by_label("Code").fill(totp_code(secret))
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out (sasha)")).to_be_visible()

    log_out(page)
    log_in_with_password(page, user)
    page.get_by_label("Code").fill(codes[0])
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out (sasha)")).to_be_visible()

    # Confirming it is you with a code, then the pages that ask for it.
    let_the_log_in_age(user)
    page.goto("/accounts/2fa/recovery-codes/generate/")
    page.get_by_role("link", name=re.compile("authenticator app")).click()
    look(page, "mfa-reauthenticate")
    page.get_by_label("Code").fill(codes[1])
    page.get_by_role("button", name="Confirm").click()
    look(page, "recovery-codes-generate")
    page.goto("/accounts/2fa/totp/deactivate/")
    look(page, "totp-deactivate")
    page.goto("/accounts/sessions/")
    look(page, "sessions")

    log_out(page)
    log_in_with_password(page, user)
    page.get_by_label("Code").fill(codes[0])
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="One more step")).to_be_visible()
    expect(page.locator(".field--invalid .errors")).to_be_visible()
    look(page, "second-step-refused")


def test_an_invitation_is_accepted_only_from_the_invited_address(page: Page):
    candidate = UserFactory()
    _, token = services.invitation_create(
        client=candidate, email="coach@example.com", hide_compensation=False, accept_url=str
    )
    stranger = UserFactory(email="someone.else@example.com")
    log_in_with_password(page, stranger)
    page.goto(f"/coach/accept/{token}/")
    expect(page.get_by_role("heading", name="This invitation is for someone else")).to_be_visible()
    expect(page.get_by_role("button", name="Accept the invitation")).to_have_count(0)
    look(page, "invitation-someone-else")
    page.get_by_role("button", name="Log out", exact=True).click()  # the page's own

    coach = UserFactory(email="coach@example.com")
    log_in_with_password(page, coach)
    page.goto(f"/coach/accept/{token}/")
    page.get_by_role("button", name="Accept the invitation").click()
    expect(page.get_by_text("You can now read")).to_be_visible()
    assert CoachGrant.objects.get().coach == coach
