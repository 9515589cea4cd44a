"""The account pages, now django-allauth's with our templates and words."""

from __future__ import annotations

import re
from http import HTTPStatus

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client
from django.urls import reverse

from offerdesk.accounts.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a brand new passphrase 42"


def _signup(client: Client, **overrides: str):
    data = {
        "username": "robin",
        "email": "robin@example.com",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **overrides,
    }
    return client.post(reverse("account_signup"), data)


def _link(message) -> str:
    return re.search(r"http://testserver(/\S+)", message.body).group(1)


def test_signup_logs_in_at_once_and_mails_a_confirmation_link(client: Client):
    response = _signup(client)
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("decisions:list")
    user = User.objects.get(username="robin")
    assert client.session[SESSION_KEY] == str(user.pk)
    address = EmailAddress.objects.get(user=user)
    assert (address.email, address.primary, address.verified) == ("robin@example.com", True, False)
    [confirmation] = mail.outbox
    assert confirmation.to == ["robin@example.com"]
    assert confirmation.subject == "Confirm your address for Offerdesk"

    page = client.get(_link(confirmation))
    assert b"Yes, this is my address" in page.content
    client.post(_link(confirmation))
    address.refresh_from_db()
    assert address.verified


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"email": ""}, "email"),
        ({"email": "not-an-address"}, "email"),
        ({"password2": "something else entirely"}, "password2"),
        ({"password1": "short", "password2": "short"}, "password1"),
        ({"username": ""}, "username"),
        ({"username": "has spaces!"}, "username"),
    ],
)
def test_signup_errors_are_shown_on_their_field(client: Client, overrides: dict, field: str):
    response = _signup(client, **overrides)
    assert response.status_code == HTTPStatus.OK
    assert field in response.context_data["form"].errors
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not User.objects.exists()


def test_signup_with_a_taken_address_is_answered_alike_and_only_its_owner_is_mailed(
    client: Client,
):
    UserFactory(email="robin@example.com")  # its address confirmed
    response = _signup(client, email="Robin@Example.COM")
    # As for a new address: a new (unconfirmed) account, logged in.
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("decisions:list")
    newcomer = User.objects.get(username="robin")
    assert client.session[SESSION_KEY] == str(newcomer.pk)
    assert not EmailAddress.objects.filter(user=newcomer, verified=True).exists()
    # No link that would let the newcomer confirm the address; its owner is told.
    [told] = mail.outbox
    assert told.to == ["robin@example.com"]
    assert told.subject == "Someone used your address to create an Offerdesk account"
    assert "/accounts/password/reset/" in told.body
    assert "confirm-email" not in told.body


def test_signing_up_first_with_someones_address_cannot_block_its_owner(client: Client):
    """Whoever reads the mailbox decides: both accounts that typed an unconfirmed
    address get a link there, each naming its account and warning of the other."""
    squatter = UserFactory(email="robin@example.com", email_confirmed=False)
    EmailAddress.objects.create(user=squatter, email="robin@example.com", primary=True)
    response = _signup(client, username="robin-for-real", email="robin@example.com")
    assert response.status_code == HTTPStatus.FOUND
    [link] = mail.outbox
    assert link.to == ["robin@example.com"]
    assert "robin-for-real" in link.body
    assert "Another Offerdesk account has typed this address too" in link.body
    client.post(_link(link))
    owner = User.objects.get(username="robin-for-real")
    assert EmailAddress.objects.get(user=owner).verified
    assert not EmailAddress.objects.get(user=squatter).verified


def test_signup_refuses_a_taken_username_whatever_its_case(client: Client):
    UserFactory(username="robin")
    response = _signup(client, username="ROBIN")
    assert response.context_data["form"].errors["username"] == [
        "That username is taken; try another."
    ]


@pytest.mark.parametrize("login", ["username", "email", "EMAIL"])
def test_login_by_username_or_address_changes_the_session_id_and_logout_ends_it(
    client: Client, user: User, login: str
):
    typed = {"username": user.username, "email": user.email, "EMAIL": user.email.upper()}[login]
    client.get(reverse("account_login"))
    response = client.post(reverse("account_login"), {"login": typed, "password": PASSWORD})
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("decisions:list")
    session_cookie = client.cookies["sessionid"].value
    assert client.get(reverse("account_logout")).status_code == HTTPStatus.OK  # GET only asks
    assert client.get(reverse("decisions:list")).status_code == HTTPStatus.OK
    client.post(reverse("account_logout"))
    client.cookies["sessionid"] = session_cookie
    replay = client.get(reverse("decisions:list"))
    assert replay.status_code == HTTPStatus.FOUND
    assert replay.url.startswith(reverse("account_login"))


def test_a_wrong_password_is_a_clear_error(client: Client, user: User):
    response = client.post(reverse("account_login"), {"login": user.username, "password": "nope"})
    assert response.status_code == HTTPStatus.OK
    assert "That username and password do not match an account." in response.content.decode()
    assert SESSION_KEY not in client.session


def test_profile_saves_the_letter_details(client: Client, user: User):
    client.force_login(user)
    response = client.post(
        reverse("profile"),
        {
            "full_name": "Robin Fischer",
            "phone": "+49 30 123",
            "postal_address": "Hauptstraße 1\n10115 Berlin",
            "signature": "Robin",
            "paper_size": "letter",
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    user.refresh_from_db()
    assert (user.full_name, user.paper_size) == ("Robin Fischer", "letter")


def test_the_profile_says_whether_the_address_is_confirmed(client: Client):
    user = UserFactory(email_confirmed=False)
    client.force_login(user)
    assert "not confirmed yet" in client.get(reverse("profile")).content.decode()
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    page = client.get(reverse("profile")).content.decode()
    assert "not confirmed yet" not in page
    assert ">confirmed<" in page


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"paper_size": "A3"}, "paper_size"),
        ({"full_name": "Robin\nBcc: all@example.com"}, "full_name"),
        ({"full_name": "x" * 151}, "full_name"),
        ({"signature": "s" * 501}, "signature"),
    ],
)
def test_profile_errors_are_shown_and_nothing_is_saved(
    client: Client, user: User, change: dict, field: str
):
    client.force_login(user)
    data = {"full_name": "Robin", "paper_size": "a4", **change}
    response = client.post(reverse("profile"), data)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert field in response.context_data["form"].errors
    user.refresh_from_db()
    assert user.full_name != "Robin"


def test_a_new_address_needs_the_password_again_and_changes_only_once_confirmed(
    client: Client, user: User
):
    old = user.email
    client.force_login(user)
    asked = client.post(reverse("account_email"), {"email": "new@example.com", "action_add": ""})
    assert asked.status_code == HTTPStatus.FOUND
    assert asked.url.startswith(reverse("account_reauthenticate"))
    client.post(asked.url, {"password": PASSWORD})  # resumes the change
    user.refresh_from_db()
    assert user.email == old  # not before the new inbox confirms it
    [confirm] = [m for m in mail.outbox if m.to == ["new@example.com"]]
    client.post(_link(confirm))
    user.refresh_from_db()
    assert user.email == "new@example.com"
    [notice] = [m for m in mail.outbox if m.to == [old]]
    assert "new@example.com" in notice.body  # the old address is told


def test_password_change_keeps_this_session_and_ends_the_others(user: User):
    here, elsewhere = Client(), Client()
    here.force_login(user)
    elsewhere.force_login(user)
    response = here.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == HTTPStatus.FOUND
    assert here.get(reverse("decisions:list")).status_code == HTTPStatus.OK
    assert elsewhere.get(reverse("decisions:list")).status_code == HTTPStatus.FOUND


def test_password_change_needs_the_current_password(client: Client, user: User):
    client.force_login(user)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": "wrong", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.context_data["form"].errors["oldpassword"] == [
        "That is not your current password."
    ]
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_password_reset_mails_a_link_that_sets_a_new_password(client: Client, user: User):
    response = client.post(reverse("account_reset_password"), {"email": user.email.upper()})
    assert response.status_code == HTTPStatus.FOUND
    [message] = mail.outbox
    assert message.subject == "Reset your Offerdesk password"
    assert "&#" not in message.body  # plain text, not HTML-escaped
    form_page = client.get(_link(message), follow=True)
    assert b"Choose a new password" in form_page.content
    done = client.post(
        form_page.redirect_chain[-1][0], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert done.status_code == HTTPStatus.FOUND
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    again = client.get(_link(message), follow=True)
    assert b"This link no longer works" in again.content


def test_pages_that_need_an_account_send_visitors_to_log_in(client: Client):
    for name in (
        "profile",
        "account_change_password",
        "account_email",
        "mfa_index",
        "usersessions_list",
        "decisions:list",
    ):
        response = client.get(reverse(name))
        assert response.status_code == HTTPStatus.FOUND, name
        assert response.url.startswith(reverse("account_login")), name


def test_password_help_reads_as_text_not_as_escaped_markup(client: Client):
    content = client.get(reverse("account_signup")).content.decode()
    assert "At least 8 characters" in content
    assert "&lt;" not in content


def test_the_session_page_names_the_signed_in_user_in_plain_text(client: Client, user):
    assert client.get(reverse("session")).status_code == HTTPStatus.FOUND
    client.force_login(user)
    response = client.get(reverse("session"))
    assert response["Content-Type"].startswith("text/plain")
    assert response.content.decode().strip() == f"Signed in as {user.username}."


def test_an_unconfirmed_address_is_asked_for_on_the_decisions_page(client: Client):
    unconfirmed = UserFactory(email_confirmed=False)
    EmailAddress.objects.create(user=unconfirmed, email=unconfirmed.email, primary=True)
    client.force_login(unconfirmed)
    page = client.get(reverse("decisions:list")).content.decode()
    assert "Please confirm your e-mail address" in page
    assert f"Follow the link we sent to {unconfirmed.email}" in page
    client.post(reverse("account_email"), {"email": unconfirmed.email, "action_send": ""})
    [sent] = mail.outbox
    assert sent.to == [unconfirmed.email]
    assert "confirm-email" in sent.body
    client.force_login(UserFactory())
    assert "Please confirm" not in client.get(reverse("decisions:list")).content.decode()


def test_a_log_in_minutes_ago_counts_as_confirming_it_is_you(client: Client, user: User):
    client.post(reverse("account_login"), {"login": user.username, "password": PASSWORD})
    response = client.post(
        reverse("account_email"), {"email": "fresh@example.com", "action_add": ""}
    )
    assert response.status_code == HTTPStatus.FOUND
    assert not response.url.startswith(reverse("account_reauthenticate"))
    assert [m.to for m in mail.outbox][-1] == ["fresh@example.com"]


def test_deleting_asks_for_the_ticked_box_before_the_password(client: Client, user: User):
    client.force_login(user)  # no recent password
    refused = client.post(reverse("account_delete"), {})
    assert refused.status_code == HTTPStatus.BAD_REQUEST
    assert "Tick the box" in refused.content.decode()
    asked = client.post(reverse("account_delete"), {"confirm": "on"})
    assert asked.url.startswith(reverse("account_reauthenticate"))
    assert User.objects.filter(pk=user.pk).exists()


def test_an_account_with_a_second_factor_can_still_change_its_address(client: Client, user: User):
    from allauth.mfa.models import Authenticator

    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.post(reverse("account_login"), {"login": user.username, "password": PASSWORD})
    client.force_login(user)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    client.post(reverse("account_email"), {"email": "moved@example.com", "action_add": ""})
    assert EmailAddress.objects.filter(user=user, email="moved@example.com").exists()


@pytest.mark.parametrize(
    "name", ["account_change_password", "account_signup", "account_reset_password", "account_email"]
)
def test_account_forms_speak_our_words_not_allauths_markup(client: Client, user: User, name):
    if name != "account_signup":
        client.force_login(user)
    page = client.get(reverse(name)).content.decode()
    assert "&lt;ul&gt;" not in page
    assert "placeholder=" not in page
    for allauth_words in ("New Password (again)", "Current Password", ">Email<"):
        assert allauth_words not in page
