"""Request types shared by every view."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest, HttpResponse
from django_htmx.middleware import HtmxDetails

if TYPE_CHECKING:
    from offerdesk.accounts.models import User


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


class AuthenticatedRequest(HtmxHttpRequest):
    user: User


def attachment(content: bytes | str, content_type: str, filename: str) -> HttpResponse:
    """A download: the browser saves ``content`` as ``filename`` instead of showing it."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
