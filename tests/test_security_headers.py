"""Every response carries the security headers; signed-in pages are never cached."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from http import HTTPStatus
from pathlib import Path

import pytest
from django.test import Client
from django.urls import path, reverse

import offerdesk.urls

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.django_db


def _policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {
        part.split()[0]: " ".join(part.split()[1:]) for part in header.split(";") if part.strip()
    }


def _assert_hardened(response) -> None:
    policy = _policy(response)
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    assert policy["object-src"] == "'none'"
    assert policy["base-uri"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["script-src"] == "'self'"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_pages_fragments_and_error_pages_carry_the_headers(
    owner_client: Client, decision, settings
):
    responses = [
        owner_client.get(reverse("decisions:list")),
        owner_client.get(
            reverse("decisions:compare", args=[decision.pk]), headers={"HX-Request": "true"}
        ),
        owner_client.get("/no-such-page/"),
        owner_client.get(reverse("decisions:detail", args=[999_999])),
        Client().get(reverse("home")),
        Client().get(reverse("healthz")),
    ]
    assert [r.status_code for r in responses] == [200, 200, 404, 404, 200, 200]
    for response in responses:
        _assert_hardened(response)


def test_the_500_page_carries_the_headers(client: Client, settings):
    client.raise_request_exception = False
    settings.DEBUG = False

    def boom(request):
        raise RuntimeError("test")

    settings.ROOT_URLCONF = type(
        "Urls", (), {"urlpatterns": [path("boom/", boom), *offerdesk.urls.urlpatterns]}
    )
    response = client.get("/boom/")
    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    assert b"Something went wrong on our side" in response.content
    _assert_hardened(response)


def test_signed_in_pages_are_never_stored(owner_client: Client, decision):
    response = owner_client.get(decision.get_absolute_url())
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert "no-store" not in Client().get(reverse("home")).get("Cache-Control", "")


def test_htmx_is_configured_for_a_strict_policy(client: Client):
    content = client.get(reverse("home")).content.decode()
    assert '"allowEval": false' in content
    assert '"includeIndicatorStyles": false' in content
    assert '"allowScriptTags": false' in content
    assert '"historyCacheSize": 0' in content
    # Settling a style attribute onto a swapped-in element is an inline style the policy refuses.
    assert '"attributesToSettle": ["class", "width", "height"]' in content
    assert "<script>" not in content
    assert " style=" not in content


def test_check_deploy_passes_with_production_settings():
    # DJANGO_ALLOW_ASYNC_UNSAFE is set by the browser tests in this process; not in production.
    unset = {"DEBUG", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update(SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="offerdesk.example.com")
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_sends_hsts(settings, client: Client):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_SSL_REDIRECT = False
    response = client.get(reverse("home"), secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
