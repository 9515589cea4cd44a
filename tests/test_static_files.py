"""Static files as production serves them: hashed names, compressed copies, a year of
caching for the hashed ones, and little to download per page."""

from __future__ import annotations

import re
from http import HTTPStatus
from pathlib import Path

import pytest
from django.core.management import call_command
from django.http import HttpResponse
from django.test import Client, RequestFactory
from whitenoise.middleware import WhiteNoiseMiddleware

PAGE_BUDGET_GZ = 60 * 1024
ASSET = re.compile(r'(?:href|src)="/static/([^"]+\.(?:css|js))"')


@pytest.fixture
def collected(tmp_path: Path, settings) -> Path:
    """collectstatic as production runs it (a few seconds: it compresses every file)."""
    settings.DEBUG = False
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", "--noinput", verbosity=0)
    return tmp_path


@pytest.mark.django_db
def test_pages_link_hashed_compressed_files_cached_for_a_year_under_60_kb(
    collected: Path, client: Client
):
    page = client.get("/accounts/login/").content.decode()
    assets = ASSET.findall(page)
    assert {Path(a).suffix for a in assets} == {".css", ".js"}
    assert all(re.search(r"\.[0-9a-f]{12}\.(css|js)$", asset) for asset in assets), assets
    weight = sum((collected / f"{asset}.gz").stat().st_size for asset in assets)
    print(f"CSS + JS of the login page: {weight / 1024:.1f} KB gzipped, {len(assets)} files")
    assert weight < PAGE_BUDGET_GZ

    # Hashed files are cached for a year and served compressed; plain names are not.
    serve = WhiteNoiseMiddleware(lambda request: HttpResponse("not static"))
    hashed = next((collected / "css").glob("offerdesk.*.css")).name
    request = RequestFactory().get(f"/static/css/{hashed}", HTTP_ACCEPT_ENCODING="gzip")
    response = serve(request)
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Encoding"] == "gzip"
    assert "immutable" in response["Cache-Control"]
    assert "max-age=315360000" in response["Cache-Control"]
    plain = serve(RequestFactory().get("/static/css/offerdesk.css"))
    assert "immutable" not in plain["Cache-Control"]
