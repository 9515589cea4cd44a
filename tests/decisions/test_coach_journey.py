"""Finding the way to coaching: inviting from the nav and a decision's tabs, the
Coaching item for someone who coaches nobody, and a coach back on the invitation after
signing up and confirming their address."""

from __future__ import annotations

import re
from http import HTTPStatus

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from decisions import services
from decisions.models import Decision
from offerdesk.accounts.models import Attempt, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _invite(client_user: User, email: str = "coach@example.com") -> str:
    Attempt.objects.all().delete()
    _, token = services.invitation_create(
        client=client_user,
        email=email,
        hide_compensation=False,
        accept_url=lambda token: f"http://testserver/coach/accept/{token}/",
    )
    return token


def _link(message) -> str:
    return re.search(r"http://testserver(/\S+)", message.body).group(1)


def test_a_coach_who_signs_up_from_an_invitation_confirms_and_lands_back_on_it(
    client: Client, user: User, decision: Decision
):
    accept_url = reverse("coach:accept", args=[_invite(user)])
    signup = client.post(
        reverse("account_signup") + f"?next={accept_url}",
        {
            "username": "newcoach",
            "email": "coach@example.com",
            "password1": "a long coach passphrase",
            "password2": "a long coach passphrase",
        },
    )
    assert signup.url == accept_url
    confirmation = mail.outbox[-1]
    assert confirmation.to == ["coach@example.com"]
    confirmed = client.post(_link(confirmation))
    assert confirmed.status_code == HTTPStatus.FOUND
    assert confirmed.url == accept_url
    # Once: a later confirmation (another address) goes where it usually does.
    assert "signed_up_from" not in client.session


def test_a_sign_up_without_a_next_confirms_as_before(client: Client):
    client.post(
        reverse("account_signup"),
        {
            "username": "robin",
            "email": "robin@example.com",
            "password1": "a long robin passphrase",
            "password2": "a long robin passphrase",
        },
    )
    confirmed = client.post(_link(mail.outbox[-1]))
    assert confirmed.url == reverse("decisions:list")


def test_a_next_to_another_site_is_not_remembered(client: Client):
    client.post(
        reverse("account_signup") + "?next=https://evil.example/",
        {
            "username": "robin",
            "email": "robin@example.com",
            "password1": "a long robin passphrase",
            "password2": "a long robin passphrase",
        },
    )
    assert "signed_up_from" not in client.session
    confirmed = client.post(_link(mail.outbox[-1]))
    assert confirmed.url == reverse("decisions:list")


def test_coaching_leads_someone_who_coaches_nobody_to_their_own_coaches(owner_client: Client):
    response = owner_client.get(reverse("coach:dashboard"))
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("coach:access")
    page = owner_client.get(response.url).content.decode()
    assert "Invite a coach" in page
    # No way back to a client list they do not have.
    assert reverse("coach:dashboard") not in page.split("<main", 1)[1]


def test_a_coach_is_shown_the_way_to_their_clients_from_their_own_coaches(
    client: Client, user: User, decision: Decision
):
    coach = UserFactory(email="coach@example.com")
    services.invitation_accept(token=_invite(user), coach=coach)
    client.force_login(coach)
    assert client.get(reverse("coach:dashboard")).status_code == HTTPStatus.OK
    page = client.get(reverse("coach:access")).content.decode()
    assert reverse("coach:dashboard") in page.split("<main", 1)[1]


def test_every_page_of_a_decision_leads_to_its_coaching_and_so_to_an_invitation(
    owner_client: Client, decision: Decision
):
    coaching = reverse("decisions:coaching", args=[decision.pk])
    for name in ("detail", "compare", "ratings", "criteria", "log"):
        page = owner_client.get(reverse(f"decisions:{name}", args=[decision.pk])).content.decode()
        tabs = page.split('aria-label="This decision"', 1)[1].split("</nav>", 1)[0]
        assert coaching in tabs, name
    # With no coach yet, inviting one is that page's one action.
    page = owner_client.get(coaching).content.decode().split("<main", 1)[1]
    assert "No coach reads this decision yet" in page
    assert f'class="button" href="{reverse("coach:access")}"' in page


def test_the_main_nav_names_coaching_for_everyone_signed_in(owner_client: Client):
    page = owner_client.get(reverse("decisions:list")).content.decode()
    nav = page.split('aria-label="Main"', 1)[1].split("</nav>", 1)[0]
    assert reverse("coach:dashboard") in nav


def test_a_revoked_coach_is_told_their_access_was_withdrawn_and_shown_nothing(
    client: Client, user: User, decision: Decision
):
    coach = UserFactory(email="coach@example.com")
    grant = services.invitation_accept(token=_invite(user), coach=coach)
    client.force_login(coach)
    url = reverse("coach:review", args=[decision.pk])
    assert client.get(url).status_code == HTTPStatus.OK
    services.grant_revoke(grant=grant, actor=user)
    response = client.get(url)
    assert response.status_code == HTTPStatus.NOT_FOUND
    page = response.content.decode()
    assert "Your access to this decision was withdrawn" in page
    assert decision.title not in page
    assert user.display_name not in page


def test_a_stranger_still_gets_the_plain_404(client: Client, decision: Decision):
    client.force_login(UserFactory())
    response = client.get(reverse("coach:review", args=[decision.pk]))
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "withdrawn" not in response.content.decode()
    assert "We can’t find that page" in response.content.decode()
