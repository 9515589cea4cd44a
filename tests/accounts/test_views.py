from __future__ import annotations

import re
from http import HTTPStatus

import pytest
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
    return client.post(reverse("signup"), data)


def test_signup_creates_the_account_and_logs_in(client: Client):
    response = _signup(client)
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("decisions:list")
    user = User.objects.get(username="robin")
    assert client.session[SESSION_KEY] == str(user.pk)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"email": ""}, "email"),
        ({"email": "not-an-address"}, "email"),
        ({"password2": "something else entirely"}, "password2"),
        ({"password1": "short", "password2": "short"}, "password2"),
        ({"username": ""}, "username"),
        ({"username": "has spaces!"}, "username"),
    ],
)
def test_signup_errors_are_shown_on_their_field(client: Client, overrides: dict, field: str):
    response = _signup(client, **overrides)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert field in response.context_data["form"].errors
    assert not User.objects.exists()


def test_signup_with_a_taken_email_makes_no_account_and_mails_its_owner(client: Client):
    owner = UserFactory(email="robin@example.com")
    response = _signup(client, email="Robin@Example.COM")
    assert response.status_code == HTTPStatus.OK
    assert b"Check your inbox" in response.content
    assert b"already" not in response.content
    assert User.objects.count() == 1
    assert SESSION_KEY not in client.session
    assert [m.to for m in mail.outbox] == [[owner.email]]
    assert "/accounts/password/reset/" in mail.outbox[0].body


def test_signup_refuses_a_taken_username_whatever_its_case(client: Client):
    UserFactory(username="robin")
    response = _signup(client, username="ROBIN")
    assert "username" in response.context_data["form"].errors


def test_login_changes_the_session_id_and_logout_ends_it(client: Client, user: User):
    client.get(reverse("login"))
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("decisions:list")
    session_cookie = client.cookies["sessionid"].value
    client.post(reverse("logout"))
    client.cookies["sessionid"] = session_cookie
    replay = client.get(reverse("decisions:list"))
    assert replay.status_code == HTTPStatus.FOUND
    assert replay.url.startswith(reverse("login"))


def test_a_wrong_password_is_a_clear_error(client: Client, user: User):
    response = client.post(reverse("login"), {"username": user.username, "password": "nope"})
    assert response.status_code == HTTPStatus.OK
    assert b"Please enter a correct username and password" in response.content


def test_profile_saves_the_letter_details(client: Client, user: User):
    client.force_login(user)
    response = client.post(
        reverse("profile"),
        {
            "full_name": "Robin Fischer",
            "email": user.email,
            "phone": "+49 30 123",
            "postal_address": "Hauptstraße 1\n10115 Berlin",
            "signature": "Robin",
            "paper_size": "letter",
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    user.refresh_from_db()
    assert (user.full_name, user.paper_size) == ("Robin Fischer", "letter")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"paper_size": "A3"}, "paper_size"),
        ({"email": ""}, "email"),
        ({"full_name": "Robin\nBcc: all@example.com"}, "full_name"),
        ({"full_name": "x" * 151}, "full_name"),
        ({"signature": "s" * 501}, "signature"),
    ],
)
def test_profile_errors_are_shown_and_nothing_is_saved(
    client: Client, user: User, change: dict, field: str
):
    UserFactory(email="taken@example.com")
    client.force_login(user)
    data = {"full_name": "Robin", "email": user.email, "paper_size": "a4", **change}
    response = client.post(reverse("profile"), data)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert field in response.context_data["form"].errors
    user.refresh_from_db()
    assert user.full_name != "Robin"


def test_password_change_keeps_this_session_and_ends_the_others(user: User):
    here, elsewhere = Client(), Client()
    here.force_login(user)
    elsewhere.force_login(user)
    response = here.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == HTTPStatus.FOUND
    assert here.get(reverse("decisions:list")).status_code == HTTPStatus.OK
    assert elsewhere.get(reverse("decisions:list")).status_code == HTTPStatus.FOUND


def test_password_change_needs_the_old_password(client: Client, user: User):
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert "old_password" in response.context_data["form"].errors


def test_password_reset_mails_a_link_that_sets_a_new_password(client: Client, user: User):
    response = client.post(reverse("password_reset"), {"email": user.email.upper()})
    assert response.status_code == HTTPStatus.FOUND
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert mail.outbox[0].subject == "Reset your Offerdesk password"
    assert "&#" not in body  # plain text, not HTML-escaped
    link = re.search(r"http://testserver(/\S+)", body).group(1)
    form_page = client.get(link, follow=True)
    assert b"Choose a new password" in form_page.content
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done.status_code == HTTPStatus.FOUND
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client: Client):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.com"})
    assert response.url == reverse("password_reset_done")
    assert mail.outbox == []


def test_pages_that_need_an_account_send_visitors_to_log_in(client: Client):
    for name in ("profile", "password_change", "decisions:list"):
        response = client.get(reverse(name))
        assert response.status_code == HTTPStatus.FOUND
        assert response.url.startswith(reverse("login"))


def test_password_help_reads_as_text_not_as_escaped_markup(client: Client):
    content = client.get(reverse("signup")).content.decode()
    assert "At least 8 characters" in content
    assert "&lt;" not in content


def test_the_session_page_names_the_signed_in_user_in_plain_text(client: Client, user):
    assert client.get(reverse("session")).status_code == HTTPStatus.FOUND
    client.force_login(user)
    response = client.get(reverse("session"))
    assert response["Content-Type"].startswith("text/plain")
    assert response.content.decode().strip() == f"Signed in as {user.username}."
