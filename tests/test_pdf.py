"""The PDF pipeline reads our own static files and nothing else."""

from __future__ import annotations

import io
import signal
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from pypdf import PdfReader

from offerdesk.pdf import STATIC_BASE, PdfError, RefusedURL, StaticFilesOnly, render_pdf

SECRET_FILE_TEXT = "never-in-a-pdf"


class _Recorder(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:
        type(self).hits.append(self.path)
        if self.path.startswith("/redirect"):
            self.send_response(302)
            self.send_header("Location", STATIC_BASE + "css/print.css")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b"body { color: red }")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    _Recorder.hits = []
    httpd = HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()


@pytest.fixture
def secret_file(tmp_path) -> str:
    path = tmp_path / "secret.css"
    path.write_text(f"body::after {{ content: '{SECRET_FILE_TEXT}' }}")
    return path.as_uri()


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_fetcher_serves_our_stylesheet_and_fonts():
    fetcher = StaticFilesOnly()
    css = fetcher.fetch(STATIC_BASE + "css/print.css")
    assert b"@font-face" in css.read()
    font = fetcher.fetch(STATIC_BASE + "fonts/source-serif-4-latin-400-normal.woff")
    assert font.read(4) == b"wOFF"


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:9/x.css",
        "https://example.com/static/css/print.css",
        "data:text/css,body{}",
        STATIC_BASE + "../settings.py",
        STATIC_BASE + "%2e%2e/%2e%2e/etc/passwd",
        STATIC_BASE + "no-such-file.css",
    ],
)
def test_the_fetcher_refuses_everything_else(url):
    with pytest.raises(RefusedURL):
        StaticFilesOnly().fetch(url)


def test_a_document_cannot_read_local_files(secret_file):
    html = (
        f'<link rel="stylesheet" href="{secret_file}"><p>Letter</p><img src="file:///etc/hostname">'
    )
    text = _text(render_pdf(html))
    assert "Letter" in text
    assert SECRET_FILE_TEXT not in text


def test_a_document_cannot_call_the_network_or_follow_redirects(server):
    html = (
        f'<link rel="stylesheet" href="{server}/style.css">'
        f'<link rel="stylesheet" href="{server}/redirect">'
        f'<img src="{server}/pixel.png"><p>Letter</p>'
    )
    render_pdf(html)
    assert _Recorder.hits == []


def test_html_past_the_cap_is_refused_not_rendered():
    with pytest.raises(PdfError, match="too long"):
        render_pdf("<p>" + "x" * 500_000 + "</p>")


LONG_TABLE = "<table>" + "<tr><td>cell</td></tr>" * 3000 + "</table>"


@pytest.fixture
def alarms_dropped_quietly(monkeypatch) -> list:
    """An alarm that lands where Python must drop it (a garbage-collector hook, an
    import inside one) is the case the repeating alarm is for; Python reports each such
    drop to ``sys.unraisablehook``, which pytest would count as this test's failure."""
    dropped: list = []
    monkeypatch.setattr(sys, "unraisablehook", dropped.append)
    return dropped


def test_a_render_past_its_time_limit_stops(alarms_dropped_quietly):
    with pytest.raises(PdfError, match="too long to prepare"):
        render_pdf(LONG_TABLE, seconds=0.01)


def test_the_time_limit_holds_when_an_alarm_is_swallowed(monkeypatch, alarms_dropped_quietly):
    """An alarm that lands in a garbage-collector hook is printed and dropped by Python
    (seen once in CI, inside Hypothesis's hook); the next one must still stop it."""
    real_signal = signal.signal
    swallowed = []

    def install(signum, handler):
        if signum == signal.SIGALRM and getattr(handler, "__module__", "") == "offerdesk.pdf":

            def first_one_dropped(number, frame):
                if not swallowed:
                    swallowed.append(number)
                    return
                handler(number, frame)

            return real_signal(signum, first_one_dropped)
        return real_signal(signum, handler)

    monkeypatch.setattr(signal, "signal", install)
    with pytest.raises(PdfError, match="too long to prepare"):
        render_pdf(LONG_TABLE, seconds=0.01)
    assert swallowed


HOSTILE_DOCUMENTS = {
    "file link": '<a href="file:///etc/passwd">x</a>',
    "file image": '<img src="file:///etc/passwd">',
    "metadata address": '<img src="http://169.254.169.254/latest/meta-data/">',
    "attachment": '<link rel="attachment" href="file:///etc/passwd">',
    "attachment over http": '<link rel="attachment" href="{server}/secret.txt">',
    "css import": "<style>@import url('{server}/import.css'); @import 'file:///etc/passwd';</style>",
    "css background": "<style>p {{ background: url('{server}/bg.png') }}</style>",
    "svg image": '<svg><image href="file:///etc/passwd" width="10" height="10"/></svg>',
    "svg remote image": '<svg><image href="{server}/x.png" width="10" height="10"/></svg>',
    "font face": "<style>@font-face {{ font-family: x; src: url('{server}/f.woff') }}"
    " p {{ font-family: x }}</style>",
    "iframe and object": '<iframe src="{server}/"></iframe><object data="{server}/o"></object>',
    "huge css values": "<style>p {{ font-size: 99999999px; margin: -99999999px;"
    " width: 1e30px }}</style>",
}


@pytest.mark.parametrize("name", list(HOSTILE_DOCUMENTS))
def test_hostile_documents_fetch_nothing_and_embed_nothing(name, server):
    html = HOSTILE_DOCUMENTS[name].format(server=server) + "<p>Letter</p>"
    try:
        pdf = render_pdf(html)
    except PdfError:
        return  # refused: also fine, nothing was fetched
    assert pdf.startswith(b"%PDF")
    assert b"/EmbeddedFile" not in pdf
    assert b"root:" not in pdf
    assert _Recorder.hits == []


def test_a_megabyte_of_text_is_refused_before_rendering():
    with pytest.raises(PdfError, match="too long"):
        render_pdf("<p>" + "word " * 210_000 + "</p>")
