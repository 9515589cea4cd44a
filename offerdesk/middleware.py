"""Project middleware."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers


def no_store_when_signed_in(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Pages for a signed-in user hold salaries and private notes: never let a browser
    or a shared cache keep a copy (Cache-Control: no-store, private)."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response

    return middleware


PREPARED_TOKEN = re.compile(r"[a-z0-9]{1,20}")


def download_ready_cookie(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Tell the page that asked for a file that the file has arrived.

    A download link's script adds ``?prepared=<token>``; when the answer is an
    attachment, the token comes back in a short-lived cookie the script watches for.
    The cookie carries nothing but that random token.
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        token = request.GET.get("prepared", "")
        is_file = response.get("Content-Disposition", "").startswith("attachment")
        if is_file and PREPARED_TOKEN.fullmatch(token):
            response.set_cookie(
                "prepared", token, max_age=60, samesite="Strict", secure=request.is_secure()
            )
        return response

    return middleware
