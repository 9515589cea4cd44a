"""HTML to PDF with WeasyPrint, allowed to read nothing but our own static files.

Documents are rendered against a base URL that exists nowhere, so every relative
link in them (stylesheet, fonts) resolves under ``STATIC_BASE`` and is served from
the project's static files. Anything else (``file://``, ``http(s)://`` to any
host, ``data:``, redirects) is refused before it is opened. User text never reaches
a URL anyway (templates escape it); this is the second lock on the door.
"""

from __future__ import annotations

import logging
import mimetypes
import posixpath
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.utils._os import safe_join
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

DOCUMENT_ORIGIN = "https://offerdesk.invalid"
STATIC_BASE = f"{DOCUMENT_ORIGIN}/{settings.STATIC_URL.strip('/')}/"
# A letter's HTML is a few kilobytes; anything this large is not one of our documents.
MAX_HTML_CHARS = 400_000
RENDER_SECONDS = 10
ALARM_REPEAT_SECONDS = 0.05

logger = logging.getLogger(__name__)

# One font configuration per process: building it reads the system's font list.
FONT_CONFIG = FontConfiguration()


class PdfError(Exception):
    """The document cannot be rendered; the message says why, in words for the user."""


class _RenderTimeout(BaseException):
    """Raised by the alarm. A BaseException, so that no ``except Exception`` inside the
    renderer (WeasyPrint catches broadly around fetches) can swallow it."""


class RefusedURL(ValueError):
    """A document asked for something other than our own static files."""


class StaticFilesOnly(URLFetcher):
    """Serves ``STATIC_BASE`` URLs from the project's static files; refuses the rest."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("https",), allow_redirects=False, timeout=1)

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        if not url.startswith(STATIC_BASE):
            raise RefusedURL(f"Only our own static files may be fetched, not {url[:80]!r}.")
        parts = urlsplit(url)
        name = posixpath.normpath(unquote(parts.path[len(urlsplit(STATIC_BASE).path) :]))
        if name.startswith(("/", "..")) or "\\" in name:
            raise RefusedURL(f"Not a static file name: {name[:80]!r}.")
        path = _static_path(name)
        if path is None:
            raise RefusedURL(f"No such static file: {name[:80]!r}.")
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            url, body=path.read_bytes(), headers={"Content-Type": content_type}
        )


def _static_path(name: str) -> Path | None:
    """The file behind a static name: from the finders, or collected in STATIC_ROOT."""
    found = finders.find(name)
    if found:
        return Path(found)
    if settings.STATIC_ROOT:
        try:
            candidate = Path(safe_join(str(settings.STATIC_ROOT), name))
        except SuspiciousFileOperation:  # a name that escapes the root
            return None
        if candidate.is_file():
            return candidate
    return None


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Stop a render that runs away. Signals only work in the main thread, which is
    where gunicorn's sync workers serve requests; elsewhere the input cap bounds it."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: object) -> None:
        raise _RenderTimeout

    previous = signal.signal(signal.SIGALRM, stop)
    # The alarm repeats until the render ends: an exception raised while Python runs a
    # callback it must not leave (a garbage-collector hook, a C library's callback) is
    # printed and dropped there, and one alarm alone would then let the render run on.
    signal.setitimer(signal.ITIMER_REAL, seconds, ALARM_REPEAT_SECONDS)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def render_pdf(
    html: str, *, seconds: float = RENDER_SECONDS, max_chars: int = MAX_HTML_CHARS
) -> bytes:
    """Render trusted-template HTML to PDF bytes, fetching only our static files.

    A document longer than ``max_chars`` is refused unread; one that bounds its own
    size (the decision report) passes its bound."""
    if len(html) > max_chars:
        raise PdfError("This document is too long to print.")
    document = HTML(string=html, base_url=f"{DOCUMENT_ORIGIN}/", url_fetcher=StaticFilesOnly())
    try:
        with _time_limit(seconds):
            return document.write_pdf(font_config=FONT_CONFIG)
    except _RenderTimeout:
        raise PdfError("The document took too long to prepare.") from None
    except Exception as error:
        # The layout engine can trip over pathological input (it divides by zero on
        # absurd CSS sizes); the person asking deserves a message, not a 500.
        logger.exception("PDF rendering failed")
        raise PdfError("The document could not be laid out.") from error
