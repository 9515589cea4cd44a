"""Pages every visitor can reach, and the error pages."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from decisions.management.commands.seed_demo import DEMO_USERNAME
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_home_introduces_offerdesk_to_visitors(client: Client):
    response = client.get(reverse("home"))
    assert response.status_code == HTTPStatus.OK
    assert response.template_name == "home.html"
    assert b"Create a free account" in response.content


def test_home_shows_a_visitor_what_offerdesk_does(client: Client):
    page = client.get(reverse("home")).content.decode()
    # The whole journey, and an example of the ranking it explains.
    assert "courteous no" in page
    assert "coach" in page
    assert "A ranking that explains itself" in page
    assert "How it works" in page


def test_the_demo_login_is_shown_in_development_only_and_once_seeded(client: Client, settings):
    settings.DEBUG = True
    assert b"log in as <strong>demo</strong>" not in client.get(reverse("home")).content
    UserFactory(username=DEMO_USERNAME)
    assert b"log in as <strong>demo</strong>" in client.get(reverse("home")).content
    settings.DEBUG = False
    assert b"log in as <strong>demo</strong>" not in client.get(reverse("home")).content


def test_home_says_what_offerdesk_does_to_a_search_engine_too(client: Client):
    page = client.get(reverse("home")).content.decode()
    assert '<meta name="description" content="Offerdesk helps you weigh your job offers' in page


def test_home_sends_a_signed_in_user_to_their_decisions(owner_client: Client):
    response = owner_client.get(reverse("home"))
    assert response.url == reverse("decisions:list")


def test_healthz_answers_ok_without_a_session(client: Client):
    response = client.get(reverse("healthz"))
    assert response.content == b"ok"


def test_an_unknown_page_gets_our_own_404(client: Client):
    response = client.get("/no-such-page/")
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert b"We can\xe2\x80\x99t find that page" in response.content


def test_the_500_page_renders_without_a_request():
    html = render_to_string("500.html")
    assert "Something went wrong on our side" in html


def test_every_page_loads_htmx_from_our_own_static_files(client: Client):
    content = client.get(reverse("home")).content.decode()
    assert '<script src="/static/js/htmx.min.js" defer></script>' in content
    assert "https://" not in content.split("<body")[0]
