"""The checks of the page crawl: layout at two widths, and the W3C Nu Html Checker.

Kept apart from the crawl itself so that a test can feed them a page made to fail
(tests/browser/test_crawl.py), and a check that cannot fail is noticed.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

ROOT = Path(__file__).resolve().parents[2]
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

# The widths of the issue: a laptop, and a phone.
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

# Files the pages offer for download: checked to answer, never opened as a page.
DOWNLOADS = (".pdf", ".ics", ".json", ".csv", ".txt", ".eml")

# What the page finds wrong with its layout at the current width, as sentences.
# - the document wider than the window (a page that scrolls sideways);
# - a box that scrolls sideways (overflow-x auto or scroll) with more inside than it
#   shows: content behind a horizontal scroll;
# - a box that clips (overflow-x hidden or clip) content wider than itself, unless it
#   ends it with an ellipsis or is a form field (which scrolls its own text);
# - an element whose right edge is past the window's, outermost ones only.
# Boxes of at most 2 px are the visually-hidden pattern (text for screen readers).
LAYOUT_PROBLEMS = """() => {
  const root = document.documentElement;
  const width = root.clientWidth;
  const problems = [];
  const name = (el) => {
    let text = el.tagName.toLowerCase();
    if (el.id) text += "#" + el.id;
    const classes = (el.getAttribute("class") || "").trim().split(/\\s+/).filter(Boolean);
    if (classes.length) text += "." + classes.slice(0, 3).join(".");
    const words = (el.innerText || "").trim().replace(/\\s+/g, " ").slice(0, 40);
    return words ? `${text} ("${words}")` : text;
  };
  if (root.scrollWidth > width + 1) {
    problems.push(`the page is ${root.scrollWidth} px wide in a ${width} px window`);
  }
  const clippedBy = new Map();
  for (const el of document.body.querySelectorAll("*")) {
    // What clips a box is known first: a visually hidden box (a table's head on a
    // phone) clips what it holds, though it is too small to be checked itself.
    const parent = el.parentElement;
    const clipper = parent && parent !== document.body
      ? (["hidden", "clip", "auto", "scroll"].includes(getComputedStyle(parent).overflowX)
          ? parent : clippedBy.get(parent))
      : undefined;
    if (clipper) clippedBy.set(el, clipper);
    const style = getComputedStyle(el);
    if (style.display === "none" || style.visibility === "hidden") continue;
    const rect = el.getBoundingClientRect();
    if (rect.width <= 2 || rect.height <= 2) continue;
    const overflow = style.overflowX;
    if ((overflow === "auto" || overflow === "scroll") && el.scrollWidth > el.clientWidth + 1) {
      problems.push(
        `${name(el)} hides ${el.scrollWidth - el.clientWidth} px behind a horizontal scroll`
        + ` (${el.scrollWidth} px in ${el.clientWidth} px)`
      );
    }
    if (rect.right > width + 1 && !clipper) {
      const parentRect = parent ? parent.getBoundingClientRect() : null;
      if (!parentRect || parentRect.right <= width + 1 || parent === document.body) {
        problems.push(
          `${name(el)} reaches ${Math.round(rect.right)} px, past the ${width} px window`
        );
      }
    }
    // A form field scrolls its own text (a long note in a one-line input).
    if ((overflow === "hidden" || overflow === "clip") && !el.matches("input, select, textarea")) {
      if (el.scrollWidth > el.clientWidth + 1 && style.textOverflow !== "ellipsis") {
        problems.push(
          `${name(el)} cuts off ${el.scrollWidth - el.clientWidth} px of its content`
        );
      }
    }
  }
  return problems;
}"""


def layout_problems(page) -> list[str]:
    """What is wrong with the layout of the page as it stands, at its current width."""
    return page.evaluate(LAYOUT_PROBLEMS)


def layout_problems_at_both_widths(page) -> list[str]:
    """The layout checks at the current width, then the other one (one resize, no
    reload); the page is left at the second width."""
    first = page.viewport_size or DESKTOP
    second = PHONE if first["width"] == DESKTOP["width"] else DESKTOP
    problems = [f"at {first['width']} px: {p}" for p in layout_problems(page)]
    page.set_viewport_size(second)
    problems += [f"at {second['width']} px: {p}" for p in layout_problems(page)]
    return problems


def validator_missing() -> str | None:
    """Why the Nu Html Checker cannot run here, or None when it can."""
    if shutil.which("java") is None:
        return "no java on the PATH to run the W3C Nu Html Checker"
    if not VNU.exists():
        return f"the W3C Nu Html Checker is not installed at {VNU} (npm ci installs it)"
    return None


def validate(documents: dict[str, str], folder: Path) -> dict[str, list[str]]:
    """The Nu Html Checker's errors for each document, by its name, in one run.

    ``documents`` maps a name (a URL) to the HTML the server sent; the files are
    written into ``folder``, with index.txt saying which is which. Java starts slowly,
    so all of them go to one run.
    """
    folder.mkdir(parents=True, exist_ok=True)
    names: dict[str, str] = {}
    for number, (name, html) in enumerate(documents.items()):
        path = folder / f"page-{number:03d}.html"
        path.write_text(html, encoding="utf-8")
        names[path.resolve().as_uri()] = name
    if not names:
        return {}
    index = "".join(f"{Path(uri).name}  {name}\n" for uri, name in names.items())
    (folder / "index.txt").write_text(index, encoding="utf-8")
    result = subprocess.run(
        [
            "java",
            "-Xss4m",  # the checker's schema recursion needs a deep stack
            "-jar",
            str(VNU),
            "--format",
            "json",
            "--stdout",
            "--exit-zero-always",
            *(str(folder / Path(uri).name) for uri in names),
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    errors: dict[str, list[str]] = {name: [] for name in documents}
    for message in json.loads(result.stdout)["messages"]:
        if message.get("type") != "error":
            continue
        uri = message.get("url", "")
        name = names.get(uri) or names.get(Path(uri.removeprefix("file:")).resolve().as_uri())
        where = f"line {message['lastLine']}: " if "lastLine" in message else ""
        extract = " ".join(message.get("extract", "").split())[:120]
        errors.setdefault(name or uri, []).append(
            f"{where}{message['message']}" + (f" [{extract}]" if extract else "")
        )
    return errors


@dataclass
class Crawl:
    """What a breadth-first walk over a site's links found."""

    pages: dict[str, str] = field(default_factory=dict)  # URL: the HTML the server sent
    failures: list[str] = field(default_factory=list)
    downloads: list[str] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)
    redirects: dict[str, str] = field(default_factory=dict)  # link: where it led
    seconds: dict[str, float] = field(default_factory=dict)  # URL: time to load and check
    # Said after each URL, for a second walk over the same site in another state.
    stage: str = ""

    def name(self, url: str) -> str:
        return f"{url} ({self.stage})" if self.stage else url

    def check(self, page, response) -> bool:
        """Check the page ``response`` just loaded: it answers 200 (no page linked to
        is meant to be missing), then its layout at both widths; keep its HTML for the
        validator. Whether it is an HTML page (whose links are worth following)."""
        url = self.name(page.url)
        if response is None:
            self.failures.append(f"{url}: no response")
            return False
        if response.status != 200:
            self.failures.append(f"{url}: answered {response.status}")
        if "text/html" not in response.headers.get("content-type", ""):
            return False
        self.pages[url] = response.text()
        self.failures += [f"{url}: {p}" for p in layout_problems_at_both_widths(page)]
        return True

    def fetch(self, page, url: str) -> None:
        """A download: it must answer 200; nothing else is checked."""
        response = page.request.get(url)
        self.downloads.append(url)
        if response.status != 200:
            self.failures.append(f"{url}: the download answered {response.status}")


def crawl(
    page,
    start: list[str],
    *,
    skip: Callable[[str], bool],
    found: Crawl | None = None,
    limit: int = 150,
) -> Crawl:
    """Follow every same-origin ``<a href>`` from ``start``, breadth first, GET only,
    checking each page (``Crawl.check``); into ``found`` if given, where URLs it has
    seen are not visited again.

    Links to downloads (``DOWNLOADS``, or ``download`` links) are fetched, not opened.
    ``skip(path)`` names links not to follow (logging out, links that would write).
    """
    origin = urlsplit(page.url)
    result = found if found is not None else Crawl()
    queue: deque[str] = deque()
    visits = 0

    def add(href: str) -> None:
        url, _ = urldefrag(urljoin(page.url, href))
        parts = urlsplit(url)
        if (parts.scheme, parts.netloc) != (origin.scheme, origin.netloc) or url in result.seen:
            return
        result.seen.add(url)
        if not skip(parts.path):
            queue.append(url)

    for url in start:
        add(url)
    while queue:
        url = queue.popleft()
        if visits >= limit:
            result.failures.append(f"{url}: not visited, the crawl stopped at {limit} pages")
            continue
        visits += 1
        if urlsplit(url).path.endswith(DOWNLOADS):
            result.fetch(page, url)
            continue
        began = time.monotonic()
        response = page.goto(url, wait_until="load")
        if page.url != url:
            result.redirects[url] = page.url
            if result.name(page.url) in result.pages:
                continue
        checked = result.check(page, response)
        result.seconds[result.name(url)] = time.monotonic() - began
        if not checked:
            continue
        links = page.eval_on_selector_all(
            "a[href]",
            "links => links.map(a => [a.getAttribute('href'), a.hasAttribute('download')])",
        )
        for href, download in links:
            target, _ = urldefrag(urljoin(page.url, href))
            same_origin = urlsplit(target)[:2] == (origin.scheme, origin.netloc)
            if download and same_origin and target not in result.seen:
                result.seen.add(target)
                result.fetch(page, target)
            elif not download:
                add(href)
    return result
