"""The decision report as a PDF, a document a coach can hand a client: a first page
with the decision, the ranking chart and the reasons; then the offers, what matters,
the points by criterion (criteria as rows, offers as columns, ``OFFERS_PER_TABLE`` to
a table, so that it fits A4 and US Letter however many criteria), pay year by year,
what happened (``log_digest``: the entries that matter, the rest counted), the
messages to the employers, and the full log as an appendix.

It renders a ``ReportView`` (a ``selectors.DecisionView`` with the messages the reader
may see, ``correspondence.decision_messages``) and nothing else, so the candidate's
copy and a coach's copy differ only by what their projection holds.

A report always prints, however much the decision holds: each log entry is cut to a
fixed size (``printed_entry``) and the ranking to a readable one
(``printed_comparison``), so that the largest decision the app allows stays inside
the renderer's limits (``REPORT_MAX_HTML_CHARS``, ``offerdesk.pdf.RENDER_SECONDS``).
The log page keeps everything.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from django.db.models import Model
from django.template.loader import render_to_string
from django.utils import timezone
from markupsafe import escape

from decisions.conversation import Post, Thread, all_homework, decision_threads
from decisions.correspondence import MessageText, OfferMessage, decision_messages
from decisions.models import CoachGrant, CoachNote, Decision, Homework, LogEntry
from decisions.selectors import (
    PRINTED_DATA,
    CompareRow,
    Comparison,
    DecidedMood,
    DecisionView,
    EntryView,
    FeelingsTimeline,
    WeightsOrigin,
    coach_view,
    decided_mood,
    feelings_timeline,
    owner_view,
    weights_origin,
)
from offerdesk.pdf import render_pdf

# The newest entries that fit a readable report; the rest stay in the app.
REPORT_ENTRIES = 300

# Room in print, by what a text costs the renderer (``room_taken``): characters as
# they stand in the document, escaped ("&" is "&amp;"), a line's worth for each line
# break, more for scripts the print fonts lack. No text, whatever it holds, takes more
# room than it is given.
# Each line costs the renderer about as much however short it is (a change,
# "Culture: 6 → 7", or a line break): each takes LINE_CHARS.
LINE_CHARS = 60
LINE_BREAKS = frozenset("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")  # as str.splitlines()
# The scripts the print fonts draw (Source Serif 4, then DejaVu Serif: Latin, Greek,
# Cyrillic, punctuation, arrows). For any other character (CJK, emoji ...) the renderer
# searches the system's fonts, at five times the cost in running text, more in a table.
PRINT_FONT_RANGES = ((0x0000, 0x052F), (0x1E00, 0x1FFF), (0x2000, 0x22FF))
OTHER_SCRIPT_CHARS = 8
# Each entry prints its summary and author's name cut at SUMMARY_CHARS and
# AUTHOR_CHARS, then an equal share of LOG_TEXT_CHARS for its own words (body,
# question, reason) and changes, on at most ENTRY_LINES lines of changes: a log of 11
# entries prints whole (4,000 characters each), one of 300 entries 150 an entry.
SUMMARY_CHARS = 150
AUTHOR_CHARS = 60
LOG_TEXT_CHARS = 45_000
ENTRY_LINES = 10
SHORTENED = "(shortened; the full entry is on the log page)"
# The goals and the reason for the choice print whole (4,000 characters, in any
# script, and paragraphs), unless they are mostly line breaks.
TEXT_CHARS = 20_000
TEXT_SHORTENED = "(shortened; the full text is on the decision’s page)"
# The ranking chart, the legend and the heads of the points by criterion print names
# cut to this: a bar's label takes two lines at most, and a name of 120 characters
# would stand a few letters a line in a column of four offers.
RANKING_NAME_CHARS = 32
# Unknown values the ranking lists before saying how many more there are: a grid of
# 25 x 25 empty cells would otherwise list 600, forty pages of one sentence each.
REPORT_UNKNOWNS = 4
UNKNOWN_KINDS = ("unknown", "unknowns")
# The messages to the employers share MESSAGE_TEXT_CHARS for their bodies, each subject
# cut at SUMMARY_CHARS: 25 offers with a message of every purpose, drafted and sent,
# print some 85 characters each.
MESSAGE_TEXT_CHARS = 30_000
MESSAGE_SHORTENED = "(shortened; the whole message is in Offerdesk)"
# With all this, the largest report the app allows (tests/decisions/test_report.py)
# takes 4.2 s (in Latin script) to 5.3 s (in CJK) of the renderer's 10, and its HTML,
# every text at its longest and made of characters that escape, is ~0.45 MB: the
# renderer's own cap is sized for a letter.
REPORT_MAX_HTML_CHARS = 1_000_000

# The points by criterion print this many offers side by side: four columns of figures
# beside the criteria's names fit the 160 mm of an A4 or US Letter text block.
OFFERS_PER_TABLE = 4
# What happened names the entries that matter (``HIGHLIGHT_KINDS``, and offers' changes
# of status), at most HIGHLIGHTS of the newest, each one's own words cut to an equal
# share of HIGHLIGHT_TEXT_CHARS and to HIGHLIGHT_CHARS at most; the changes of weights,
# ratings and criteria it counts (``SUMMED_KINDS``). The appendix prints them all.
HIGHLIGHT_KINDS = frozenset(
    {
        LogEntry.Kind.DECIDED,
        LogEntry.Kind.LOOK_BACK,
        LogEntry.Kind.GOAL,
        LogEntry.Kind.REFLECTION,
        LogEntry.Kind.SCENARIO,
        LogEntry.Kind.FEELING,
        # (A coach's comments and their answers print in the coaching part, as threads.)
        LogEntry.Kind.OFFER_ADDED,
        LogEntry.Kind.OFFER_REMOVED,
        LogEntry.Kind.MESSAGE_DRAFTED,
        LogEntry.Kind.MESSAGE_SENT,
        LogEntry.Kind.DECISION_ARCHIVED,
        LogEntry.Kind.DECISION_REOPENED,
    }
)
SUMMED_KINDS = (
    LogEntry.Kind.WEIGHTS_CHANGED,
    LogEntry.Kind.RATINGS_CHANGED,
    LogEntry.Kind.CRITERION_ADDED,
    LogEntry.Kind.CRITERION_CHANGED,
    LogEntry.Kind.CRITERION_REMOVED,
)
HIGHLIGHTS = 40
HIGHLIGHT_TEXT_CHARS = 12_000
HIGHLIGHT_CHARS = 600


def report_filename(decision: Decision) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", decision.title.lower()).strip("-")[:40] or "decision"
    return f"report-{slug}-{timezone.localdate().isoformat()}.pdf"


@dataclass(frozen=True)
class Coaching:
    """The coaching a report prints: the threads and homework (both readers see the
    same), the feelings as the reader may see them, and, in a coach's own copy only,
    that coach's notes on the client. Every text cut to its share of
    ``COACHING_TEXT_CHARS``."""

    threads: tuple[Thread, ...] = ()
    homework: tuple[Homework, ...] = ()
    notes: tuple[CoachNote, ...] = ()
    feelings: FeelingsTimeline | None = None
    mood: DecidedMood | None = None
    more_threads: int = 0
    more_homework: int = 0
    more_notes: int = 0

    def __bool__(self) -> bool:
        return bool(self.threads or self.homework or self.notes or self.feelings)


# The words of the threads, the homework's answers and the notes print within this
# much room in all, each an equal share (whole up to 4,000 characters each), and
# COACHING_THREADS each of threads, homework and notes only: the rest are counted.
COACHING_TEXT_CHARS = 8_000
COACHING_THREADS = 12


def printed_coaching(decision: Decision, grant: CoachGrant | None) -> Coaching:
    for_coach = grant is not None
    every_thread = decision_threads(decision)
    every_homework = all_homework(decision)  # still to do first
    homework = every_homework[:COACHING_THREADS]
    notes = (
        CoachNote.objects.filter(coach_id=grant.coach_id, client_id=decision.owner_id)
        if grant is not None
        else CoachNote.objects.none()
    )
    more_notes = max(0, notes.count() - COACHING_THREADS)
    notes = list(notes[:COACHING_THREADS])
    kept = every_thread[:COACHING_THREADS]
    # A homework prints two texts: what was asked, and the answer.
    texts = sum(len(t.posts) for t in kept) + 2 * len(homework) + len(notes)
    share = COACHING_TEXT_CHARS // max(1, texts)

    def printed(post: Post) -> Post:
        return dataclasses.replace(
            post, body=cut(post.body, share), author_name=cut(post.author_name, AUTHOR_CHARS)
        )

    threads = tuple(
        dataclasses.replace(
            t, about=cut(t.about, SUMMARY_CHARS), posts=tuple(printed(p) for p in t.posts)
        )
        for t in kept
    )
    for item in homework:
        item.prompt, item.answer = cut(item.prompt, share), cut(item.answer, share)
    for note in notes:
        note.body = cut(note.body, share)
    return Coaching(
        threads=threads,
        homework=tuple(homework),
        notes=tuple(notes),
        feelings=feelings_timeline(decision, for_coach=for_coach),
        mood=decided_mood(decision, for_coach=for_coach),
        more_threads=len(every_thread) - len(kept),
        more_homework=len(every_homework) - len(homework),
        more_notes=more_notes,
    )


@dataclass(frozen=True)
class ReportView(DecisionView):
    """What a report prints: the reader's projection, the messages to the employers
    that the reader may see, and the coaching (``printed_coaching``)."""

    messages: tuple[OfferMessage, ...] = ()
    weights_origin: WeightsOrigin | None = None
    coaching: Coaching = Coaching()


def report_view(decision: Decision, grant: CoachGrant | None = None) -> ReportView:
    """The projection a report renders: the owner's, or the coach's of ``grant``, with
    the newest ``REPORT_ENTRIES`` entries of the log and the messages its reader may
    see (a coach none of a private entry, and no text when pay is hidden)."""
    if grant is None:
        view = owner_view(decision, page_size=REPORT_ENTRIES)
    else:
        view = coach_view(decision, grant, page_size=REPORT_ENTRIES)
    return ReportView(
        **{field.name: getattr(view, field.name) for field in dataclasses.fields(view)},
        messages=decision_messages(decision, for_coach=grant is not None, pay_shown=view.pay_shown),
        weights_origin=weights_origin(decision),
        coaching=printed_coaching(decision, grant),
    )


def _char_room(char: str) -> int:
    if char in LINE_BREAKS:
        return LINE_CHARS
    if not any(low <= ord(char) <= high for low, high in PRINT_FONT_RANGES):
        return OTHER_SCRIPT_CHARS
    return len(escape(char))


def room_taken(text: str) -> int:
    """The room ``text`` takes in print: each character as it stands escaped, a line
    break as a line (``LINE_CHARS``), a character the print fonts lack as
    ``OTHER_SCRIPT_CHARS``."""
    if text.isascii() and not any(char in LINE_BREAKS for char in text):
        return len(escape(text))
    return sum(map(_char_room, text))


def cut(text: str, limit: int) -> str:
    """``text`` if it takes at most ``limit`` of room (``room_taken``), else its longest
    start that does with "…" after it, ending at a word when one ends near the cut."""
    if room_taken(text) <= limit:
        return text
    room = limit - 1  # for the ellipsis
    kept = 0
    for char in text:
        room -= _char_room(char)
        if room < 0:
            break
        kept += 1
    start = text[:kept]
    if not text[kept].isspace():  # mid-word: back to the word's start, if near
        space = start.rfind(" ", max(0, kept - 30))
        if space > 0:
            start = start[:space]
    return start.rstrip() + "…"


class _Room:
    """The room an entry has left; each text takes its ``room_taken``."""

    def __init__(self, chars: int) -> None:
        self.left = chars
        self.cut = False

    def take(self, text: Any) -> Any:
        """``text`` cut to the room left (a number, a yes or no, or nothing, as it is;
        a list or an object, which no entry should hold where a text goes, left out);
        once a text is cut, the room is spent and the texts after it are left out."""
        if text is None or isinstance(text, bool | int | float):
            return text
        if not isinstance(text, str):
            return ""
        if self.cut:
            return ""
        kept = cut(text, self.left)
        if kept == text:
            self.left -= room_taken(kept)
        else:
            self.cut, self.left = True, 0
        return kept


@dataclass(frozen=True)
class PrintedEntry:
    """A log entry as the report prints it: ``entry`` cut to size, and ``note`` saying
    what was left out (empty when nothing was)."""

    entry: EntryView
    note: str


def printed_entry(entry: EntryView, *, chars: int) -> PrintedEntry:
    """``entry`` as one of the report prints it: summary and author cut at
    ``SUMMARY_CHARS`` and ``AUTHOR_CHARS``; the data the template prints, the body and
    the changes within ``chars`` together, at most ``ENTRY_LINES`` changes."""
    room = _Room(chars)
    data: Mapping[str, Any] = MappingProxyType(
        {key: room.take(entry.data[key]) for key in PRINTED_DATA if key in entry.data}
    )
    body = room.take(entry.body)
    changes, more = _lines(entry.changes, room, ("label", "before", "after"))
    ratings, more_ratings = _lines(
        entry.ratings, room, ("offer_label", "criterion_label", "before", "after", "note")
    )
    more += more_ratings
    summary, author_name = cut(entry.summary, SUMMARY_CHARS), cut(entry.author_name, AUTHOR_CHARS)
    note = ""
    if more:
        note = f"… and {more} more change{'s' if more != 1 else ''} {SHORTENED}"
    elif room.cut or summary != entry.summary or author_name != entry.author_name:
        note = SHORTENED
    printed = dataclasses.replace(
        entry,
        summary=summary,
        author_name=author_name,
        data=data,
        body=body,
        changes=changes,
        ratings=ratings,
    )
    return PrintedEntry(entry=printed, note=note)


def _lines(lines: tuple[Any, ...], room: _Room, fields: tuple[str, ...]) -> tuple[tuple, int]:
    """As many of ``lines`` (frozen dataclasses) as ``room`` and ``ENTRY_LINES`` allow,
    each of their ``fields`` taken from the room, and each taking at least
    ``LINE_CHARS`` of it; and how many were left out."""
    kept = []
    for line in lines:
        if len(kept) == ENTRY_LINES or room.cut or room.left < LINE_CHARS:
            break
        before = room.left
        kept.append(dataclasses.replace(line, **{f: room.take(getattr(line, f)) for f in fields}))
        room.left = max(0, min(room.left, before - LINE_CHARS))
    return tuple(kept), len(lines) - len(kept)


def printed_messages(messages: tuple[OfferMessage, ...]) -> tuple[tuple[OfferMessage, ...], bool]:
    """The messages as the report prints them: each subject cut at ``SUMMARY_CHARS``,
    each body at an equal share of ``MESSAGE_TEXT_CHARS``; and whether any was cut."""
    texts = sum((m.draft is not None) + (m.sent is not None) for m in messages)
    share = MESSAGE_TEXT_CHARS // max(1, texts)
    shortened = False

    def printed(text: MessageText | None) -> MessageText | None:
        nonlocal shortened
        if text is None:
            return None
        kept = dataclasses.replace(
            text,
            summary=cut(text.summary, SUMMARY_CHARS),
            subject=cut(text.subject, SUMMARY_CHARS),
            body=cut(text.body, share),
        )
        shortened = shortened or kept != text
        return kept

    result = tuple(
        dataclasses.replace(m, draft=printed(m.draft), sent=printed(m.sent)) for m in messages
    )
    return result, shortened


def printed_comparison(ranked: Comparison | None) -> tuple[Comparison | None, int]:
    """The ranking as the report prints it: offers' and criteria's names cut at
    ``RANKING_NAME_CHARS`` (the tables above it print them whole), at most
    ``REPORT_UNKNOWNS`` unknown values (in the order the template lists them); and how
    many unknown values were left out (the compare page lists them all)."""
    if ranked is None:
        return None, 0
    unknowns = ranked.claims_of(*UNKNOWN_KINDS)
    left_out = {id(claim) for claim in unknowns[REPORT_UNKNOWNS:]}
    by_kind = {
        kind: kept
        for kind, claims in ranked.by_kind.items()
        if (kept := tuple(claim for claim in claims if id(claim) not in left_out))
    }
    printed = dataclasses.replace(
        ranked,
        criteria=[
            dataclasses.replace(column, criterion=_named(column.criterion, "name"))
            for column in ranked.criteria
        ],
        rows=[
            dataclasses.replace(row, offer=_named(row.offer, "company", "role"))
            for row in ranked.rows
        ],
        claims=tuple(claim for claim in ranked.claims if id(claim) not in left_out),
        by_kind=MappingProxyType(by_kind),
    )
    return printed, len(left_out)


def _named(row: Model, *names: str) -> Any:
    """A copy of ``row`` for print, its ``names`` cut at ``RANKING_NAME_CHARS``."""
    printed = copy.copy(row)
    for name in names:
        setattr(printed, name, cut(getattr(row, name), RANKING_NAME_CHARS))
    return printed


def offer_groups(rows: list[CompareRow]) -> list[list[CompareRow]]:
    """``rows`` in order, ``OFFERS_PER_TABLE`` to a group: the columns of one table of
    the points by criterion."""
    return [
        rows[start : start + OFFERS_PER_TABLE] for start in range(0, len(rows), OFFERS_PER_TABLE)
    ]


@dataclass(frozen=True)
class Highlight:
    """An entry that matters, as what happened names it: ``entry`` with its summary and
    author cut (``SUMMARY_CHARS``, ``AUTHOR_CHARS``), and ``text`` its own words (the
    body, or the reason of a decision) cut to its share."""

    entry: EntryView
    text: str


@dataclass(frozen=True)
class ChangeCount:
    """The entries of one kind of change, counted: how many, the first and the last
    (``first`` is the older), and for ratings how many cells they changed."""

    kind: str
    label: str
    count: int
    first: dt.datetime
    last: dt.datetime
    cells: int = 0


@dataclass(frozen=True)
class LogDigest:
    """What happened: the entries that matter oldest first (``highlights``), how many
    more there were (``more``, the older ones), and the changes counted by kind."""

    highlights: tuple[Highlight, ...]
    more: int
    counts: tuple[ChangeCount, ...]

    def count_of(self, kind: str) -> ChangeCount | None:
        return next((found for found in self.counts if found.kind == kind), None)


def _matters(entry: EntryView) -> bool:
    if entry.kind in HIGHLIGHT_KINDS:
        return True
    changes = entry.data.get("changes")
    return (
        entry.kind == LogEntry.Kind.OFFER_CHANGED
        and isinstance(changes, Mapping)
        and ("status" in changes)
    )


def log_digest(entries: tuple[EntryView, ...]) -> LogDigest:
    """What happened in ``entries`` (newest first, as a log page holds them): the
    newest ``HIGHLIGHTS`` that matter (``HIGHLIGHT_KINDS``, an offer's change of
    status), each cut to print, oldest first; and the ``SUMMED_KINDS`` counted."""
    notable = [entry for entry in entries if _matters(entry)]
    kept = notable[:HIGHLIGHTS]
    share = min(HIGHLIGHT_CHARS, HIGHLIGHT_TEXT_CHARS // max(1, len(kept)))
    highlights = []
    for entry in reversed(kept):
        words = entry.body
        why = entry.data.get("why")
        if not words and entry.kind == LogEntry.Kind.DECIDED and isinstance(why, str):
            words = why
        printed = dataclasses.replace(
            entry,
            summary=cut(entry.summary, SUMMARY_CHARS),
            author_name=cut(entry.author_name, AUTHOR_CHARS),
        )
        highlights.append(Highlight(entry=printed, text=cut(words, share) if words else ""))
    counts = []
    for kind in SUMMED_KINDS:
        found = [entry for entry in entries if entry.kind == kind]
        if found:
            counts.append(
                ChangeCount(
                    kind=kind,
                    label=LogEntry.Kind(kind).label,
                    count=len(found),
                    first=found[-1].created_at,
                    last=found[0].created_at,
                    cells=sum(len(entry.ratings) for entry in found),
                )
            )
    return LogDigest(
        highlights=tuple(highlights), more=len(notable) - len(kept), counts=tuple(counts)
    )


def report_html(view: DecisionView, *, paper_size: str) -> str:
    """The report's HTML for ``view``: what the projection holds, its log entries,
    ranking, goals and reason cut to print (``printed_entry``, ``printed_comparison``,
    ``TEXT_CHARS``)."""
    ranked, unknowns_left = printed_comparison(view.comparison)
    messages, messages_shortened = printed_messages(
        view.messages if isinstance(view, ReportView) else ()
    )
    share = LOG_TEXT_CHARS // max(1, len(view.log.entries))
    details = dataclasses.replace(view.decision, goals=cut(view.decision.goals, TEXT_CHARS))
    record = view.record
    if record is not None:
        record = dataclasses.replace(record, reason=cut(record.reason, TEXT_CHARS))
    return render_to_string(
        "decisions/report_pdf.html",
        {
            "view": dataclasses.replace(view, decision=details, record=record),
            "decision": details,
            "text_shortened": TEXT_SHORTENED,
            "goals_shortened": details.goals != view.decision.goals,
            "reason_shortened": record != view.record,
            "comparison": ranked,
            "unknowns_left": unknowns_left,
            "employer_messages": messages,
            "messages_shortened": MESSAGE_SHORTENED if messages_shortened else "",
            "log_days": [
                (day, [printed_entry(entry, chars=share) for entry in entries])
                for day, entries in view.log.days
            ],
            "read_only": True,
            "offer_groups": offer_groups(ranked.rows) if ranked else [],
            "offers_per_table": OFFERS_PER_TABLE,
            "digest": log_digest(view.log.entries),
            "coaching": view.coaching if isinstance(view, ReportView) else Coaching(),
            "for_coach": view.for_coach,
            # The report's own pages, A4 unless US Letter is asked for.
            "paper_size": "letter" if paper_size.lower() == "letter" else "a4",
            "today": timezone.localdate(),
        },
    )


def report_pdf(view: DecisionView, *, paper_size: str) -> bytes:
    """Render the report of ``view`` as PDF bytes; ``offerdesk.pdf.PdfError`` when the
    renderer fails."""
    return render_pdf(report_html(view, paper_size=paper_size), max_chars=REPORT_MAX_HTML_CHARS)
