"""Project middleware."""

from __future__ import annotations

import math
import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers

from offerdesk.accounts.throttle import Throttled


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


def too_many_requests(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """A limit reached anywhere (``accounts.throttle.Throttled``) answers a plain 429
    page that says which limit and when to try again, with ``Retry-After``."""

    def middleware(request: HttpRequest) -> HttpResponse:
        return get_response(request)

    def process_exception(request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, Throttled):
            return None
        minutes = max(1, math.ceil(exception.retry_after.total_seconds() / 60))
        response = TemplateResponse(
            request,
            "429.html",
            {"limit": exception.limit, "minutes": minutes},
            status=429,
        )
        response["Retry-After"] = str(minutes * 60)
        return response.render()

    middleware.process_exception = process_exception  # type: ignore[attr-defined]
    return middleware
