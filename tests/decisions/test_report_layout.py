"""The report's layout on paper: with 3 and with 10 criteria, many offers and long
names, on A4 and on US Letter, no two words overlap or run into each other, every word
lies on its page, and a table row never splits over two pages.

Measured on the PDF itself (pdfplumber's word boxes), one render a case.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from html.parser import HTMLParser

import pdfplumber
import pytest
from django.db import transaction

from decisions import kinds, services
from decisions.models import Criterion, Decision
from decisions.report import REPORT_MAX_HTML_CHARS, report_html, report_view
from offerdesk.pdf import render_pdf
from tests.factories import CriterionFactory, DecisionFactory, OfferFactory, UserFactory

# Words may touch (a glyph's box is its advance, and kerning pulls some closer), not
# overlap: more than this, in both directions, is text drawn over text.
OVERLAP_POINTS = 0.5
# Closer than this, two glyphs are one word to pdfplumber: a cell's text that runs
# into the next cell's reads as one word, which the document nowhere holds.
WORD_GAP_POINTS = 1.0
# How long a render may run before the test calls it hung; speed is make bench's.
HANG_GUARD_SECONDS = 600

BIRDS = ("Kestrel", "Heron", "Plover", "Avocet", "Curlew", "Dunlin", "Godwit", "Merlin")
BIRDS += ("Osprey", "Puffin", "Redstart", "Siskin", "Tern", "Wagtail")
COMPANIES = (
    "Northwind Analytics International Holdings GmbH & Co. KG",
    "Fjord",
    "Lumen Bank",
    "Supercalifragilisticexpialidociousenterprisesolutions",
    "Ørsted & Partners Engineering Consultancy",
    "Acme",
)
CRITERIA = (
    "Learning and growth opportunities",
    "Commute",
    "Team and manager",
    "Mission I believe in",
    "Remote flexibility and travel",
)


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float


@dataclass(frozen=True)
class Page:
    number: int
    width: float
    height: float
    words: tuple[Word, ...]


@dataclass(frozen=True)
class Printed:
    pages: tuple[Page, ...]
    # Every run of text of the report's HTML, lower-cased: a printed word is one of
    # them or a piece of one (a long word wraps).
    text: str
    # Each offer's location and role words, which print only in the offers table.
    offers: tuple[tuple[str, str], ...]


def _decision(criteria: int, offers: int, *, decided: bool) -> Decision:
    user = UserFactory(full_name="Alex Morgan")
    decision = DecisionFactory(
        owner=user,
        title="Spring 2027 job search, Berlin or London, staff or lead",
        goals="Grow towards a staff role within two years and keep evenings free.",
    )
    defaults = list(decision.criteria.order_by("position"))
    if criteria < len(defaults):
        Criterion.objects.filter(pk__in=[c.pk for c in defaults[criteria:]]).delete()
    for position, name in enumerate(CRITERIA[: max(0, criteria - len(defaults))], start=10):
        CriterionFactory(decision=decision, name=name, position=position, weight=5 + position)
    salary = decision.criteria.get(kind=kinds.TOTAL_COMP)
    salary.floor, salary.target = Decimal(60_000), Decimal(160_000)
    salary.save()
    made = []
    for number in range(offers):
        bird = BIRDS[number]
        made.append(
            OfferFactory(
                decision=decision,
                company=f"{COMPANIES[number % len(COMPANIES)]} {bird}",
                role=f"Staff Software Engineer, {bird}squad platform",
                location=f"{bird}ford",
                base_salary=Decimal(70_000 + 9_000 * number),
                bonus=Decimal(5_000 * (number % 3)),
                equity_per_year=Decimal(12_000 if number % 2 else 0),
                signing_bonus=Decimal(8_000 if number == 1 else 0),
                response_deadline=dt.date(2027, 1, 10 + number),
            )
        )
    rated = [c for c in decision.criteria.all() if c.kind_spec.has_cell]
    services.ratings_save(
        decision=decision,
        actor=user,
        cells=[
            services.RatingInput(
                offer_id=offer.pk,
                criterion_id=criterion.pk,
                value=Decimal((3 * row + 2 * column) % 11),
                note="Asked in the second interview",
            )
            for row, offer in enumerate(made)
            for column, criterion in enumerate(rated)
            if (row + column) % 7  # a few unknown values
        ],
    )
    for step in range(4):
        decision.refresh_from_db()
        services.criteria_reweight(
            decision=decision,
            actor=user,
            weights={c.pk: 10 + (c.pk + step) % 5 * 5 for c in decision.criteria.all()},
        )
    services.reflection_add(
        decision=decision,
        actor=user,
        kind="reflection",
        body="I keep coming back to the team: who I would learn from matters more than pay. " * 4,
    )
    if decided:
        services.decision_decide(
            decision=decision,
            actor=user,
            chosen_offer=made[0],
            why="The team, and a manager who has grown staff engineers before.",
            confidence=70,
            review_on=None,
        )
    decision.refresh_from_db()
    return decision


class _Text(HTMLParser):
    """The runs of text of a document: a tag ends a run, unless it is one that stays
    inside a line of text (a word may be half bold)."""

    INLINE = frozenset({"span", "strong", "em", "b", "i", "a", "time", "small"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.runs: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("title", "style"):
            self.skip += 1
        if tag not in self.INLINE:
            self.runs.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("title", "style"):
            self.skip -= 1
        if tag not in self.INLINE:
            self.runs.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.runs.append(data)


def _normal(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def _document_text(markup: str) -> str:
    parser = _Text()
    parser.feed(markup)
    # The page's margins, the lists' bullets (a nested list's are rings).
    runs = [*parser.runs, "\nOfferdesk decision report Page of • ◦\n"]
    return "\n".join(re.split(r"\s+", _normal(html.unescape("".join(runs)))))


def _printed(pdf: bytes) -> tuple[Page, ...]:
    pages = []
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for page in document.pages:
            words = page.extract_words(x_tolerance=WORD_GAP_POINTS, keep_blank_chars=False)
            pages.append(
                Page(
                    number=page.page_number,
                    width=float(page.width),
                    height=float(page.height),
                    words=tuple(
                        Word(w["text"], w["x0"], w["x1"], w["top"], w["bottom"]) for w in words
                    ),
                )
            )
    return tuple(pages)


CASES = [(3, 6, "a4"), (3, 6, "letter"), (10, 14, "a4"), (10, 14, "letter")]


@pytest.fixture(scope="module")
def printed(django_db_setup, django_db_blocker) -> dict[tuple[int, int, str], Printed]:
    """Each case rendered once; the decisions are rolled back after."""
    rendered = {}
    with django_db_blocker.unblock(), transaction.atomic():
        for criteria in sorted({case[0] for case in CASES}):
            offers = next(case[1] for case in CASES if case[0] == criteria)
            decision = _decision(criteria, offers, decided=criteria == 3)
            view = report_view(decision)
            for _, _, paper in (case for case in CASES if case[0] == criteria):
                markup = report_html(view, paper_size=paper)
                pdf = render_pdf(
                    markup, max_chars=REPORT_MAX_HTML_CHARS, seconds=HANG_GUARD_SECONDS
                )
                rendered[criteria, offers, paper] = Printed(
                    pages=_printed(pdf),
                    text=_document_text(markup),
                    offers=tuple(
                        (_normal(o.location), _normal(o.role.split()[-2]))
                        for o in decision.offers.all()
                    ),
                )
        transaction.set_rollback(True)
    return rendered


PAPER_POINTS = {"a4": (595.3, 841.9), "letter": (612.0, 792.0)}


@pytest.mark.parametrize("case", CASES, ids=lambda case: f"{case[0]}-criteria-{case[2]}")
def test_the_report_is_on_the_paper_asked_for(printed, case):
    width, height = PAPER_POINTS[case[2]]
    for page in printed[case].pages:
        assert (round(page.width, 1), round(page.height, 1)) == (width, height)


@pytest.mark.parametrize("case", CASES, ids=lambda case: f"{case[0]}-criteria-{case[2]}")
def test_every_word_lies_on_its_page(printed, case):
    outside = [
        (page.number, word.text)
        for page in printed[case].pages
        for word in page.words
        if word.x0 < 0 or word.top < 0 or word.x1 > page.width or word.bottom > page.height
    ]
    assert outside == []


def _overlaps(words: tuple[Word, ...]) -> list[tuple[str, str]]:
    """The pairs of words whose boxes overlap by more than OVERLAP_POINTS both ways."""
    found = []
    ordered = sorted(words, key=lambda word: word.top)
    for index, word in enumerate(ordered):
        for other in ordered[index + 1 :]:
            if other.top >= word.bottom - OVERLAP_POINTS:
                break
            across = min(word.x1, other.x1) - max(word.x0, other.x0)
            down = min(word.bottom, other.bottom) - max(word.top, other.top)
            if across > OVERLAP_POINTS and down > OVERLAP_POINTS:
                found.append((word.text, other.text))
    return found


@pytest.mark.parametrize("case", CASES, ids=lambda case: f"{case[0]}-criteria-{case[2]}")
def test_no_two_words_overlap(printed, case):
    overlapping = {page.number: _overlaps(page.words) for page in printed[case].pages}
    assert {number: pairs for number, pairs in overlapping.items() if pairs} == {}


@pytest.mark.parametrize("case", CASES, ids=lambda case: f"{case[0]}-criteria-{case[2]}")
def test_no_text_runs_into_the_next(printed, case):
    """A cell's text that reaches its neighbour's prints as one word ("Northwind75",
    "$248,000Dec."): every printed word is one of the document's, or a piece of one."""
    report = printed[case]
    merged = [
        (page.number, word.text)
        for page in report.pages
        for word in page.words
        if _normal(word.text) not in report.text
    ]
    assert merged == []


@pytest.mark.parametrize("case", CASES, ids=lambda case: f"{case[0]}-criteria-{case[2]}")
def test_a_table_row_stays_on_one_page_under_its_head(printed, case):
    """An offer's row of the offers table, its place on the first line and its role on
    the last, prints on one page, and every page of the table repeats its head."""
    report = printed[case]

    def pages_with(text: str) -> set[int]:
        return {
            page.number
            for page in report.pages
            if any(text in _normal(word.text) for word in page.words)
        }

    table_pages = set()
    for location, role_word in report.offers:
        [on] = pages_with(location)
        assert on in pages_with(role_word), location
        table_pages.add(on)
    for number in table_pages:
        page = report.pages[number - 1]
        assert {"where", "status"} <= {_normal(word.text) for word in page.words}, number
    if case[0] == 10:
        assert len(table_pages) > 1, "the case meant to split the table did not"
