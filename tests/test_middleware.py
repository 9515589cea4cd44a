"""The download-ready cookie that lets a PDF link say when its file has arrived."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from decisions.models import Decision

pytestmark = pytest.mark.django_db


def test_a_file_answers_the_token_in_a_short_lived_script_readable_cookie(
    owner_client: Client, decision: Decision
):
    url = reverse("decisions:report", args=[decision.pk])
    response = owner_client.get(url, {"prepared": "k3x9q2"})
    assert response["Content-Disposition"].startswith("attachment")
    cookie = response.cookies["prepared"]
    assert cookie.value == "k3x9q2"
    assert (cookie["max-age"], cookie["samesite"], cookie["httponly"]) == (60, "Strict", "")


@pytest.mark.parametrize("token", ["", "<script>", "a" * 21, "A-B"])
def test_odd_tokens_are_ignored(owner_client: Client, decision: Decision, token: str):
    response = owner_client.get(
        reverse("decisions:report", args=[decision.pk]), {"prepared": token}
    )
    assert "prepared" not in response.cookies


def test_pages_that_are_not_files_set_no_cookie(owner_client: Client, decision: Decision):
    response = owner_client.get(decision.get_absolute_url(), {"prepared": "k3x9q2"})
    assert response.status_code == 200
    assert "prepared" not in response.cookies
