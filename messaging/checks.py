"""What to look at in a message before it goes out: pure, so the composer's review panel
and checks outside the project read the same rules.

``check_message(text, ...)`` returns ``Check`` items, each with a ``level`` ("ok",
"warning" or "problem"), a stable ``code`` and a ``message`` in our words. A code
names what was found; the "ok" items, which say all is well, end in ``_ok``, so a
code without the suffix always means something to fix or weigh:

- ``no_decision`` (problem): a candidate's decline that never clearly says no;
- ``names_other_employer``: it names one of ``other_companies``;
- ``mentions_money``: a figure or an amount (150k, £95k, 92.000 EUR);
- ``negative``: words that read as a complaint (whole words: "badge" is fine);
- ``apologises``: sorry more than once;
- ``too_long``: longer than suits the medium;
- ``no_recipient``: nobody to greet by name;
- ``timing``: the candidate's reply deadline is near or gone;
- ``quotes_other_offer`` (problem): a counter-ask quotes a figure of another offer.

``purpose`` (a ``messaging.purposes`` code, "decline" unless said) decides which
checks apply: ``no_decision`` only to a decline; a counter-ask (``purpose="counter"``)
states its own ``asked`` amounts without remark, and naming another employer or
quoting one of ``other_figures`` is a problem there, since it turns the ask into an
auction. An acceptance (``purpose="accept"``) restates the terms, figures included,
without remark.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from decisions import deadlines

Level = str  # "ok", "warning" or "problem"

# Characters that suit each medium; past them a message reads as a chore.
LENGTH_LIMITS = {"email": 2500, "letter": 2500, "phone": 3000, "short": 1000}
# What a connection note takes on the networks a short message goes to: longer is
# still a message, but no longer one that fits the first note.
SHORT_NOTE_CHARS = 300
# Words a letter holds on one page of A4 or US Letter under its head (the letter PDF's
# tests print one this long); our own letters are 150 to 250.
LETTER_WORDS = 300
MEDIUM_NOUNS = {
    "email": "an e-mail",
    "letter": "a one-page letter",
    "phone": "a short call",
    "short": "a short message",
}

# Whole words (and their usual forms) that read as a complaint about the employer or
# the offer. Matched as words: "badge", "allow" and "nevertheless" are not on it.
NEGATIVE = re.compile(
    r"\b(?:unfortunately|regret(?:s|fully)?|disappoint(?:ed|ing|ment)?|bad|poor(?:ly)?|"
    r"worse|worst|terrible|awful|low|lowball(?:ed)?|insult(?:ing|ed)?|hate|waste(?:d)?|"
    r"never|mistake)\b",
    re.IGNORECASE,
)
APOLOGY = re.compile(r"\b(?:sorry|apologi[sz]e[sd]?|apolog(?:y|ies)|forgive|my fault)\b", re.I)

# The ways a candidate says no to an offer. A decline that says none of them leaves
# the employer waiting for an answer it already has.
SAYS_NO = re.compile(
    r"""
      \bdeclin(?:e|es|ed|ing)\b
    | (?:\bnot\b|n['’]t\b|\bcannot\b)(?:\s+\w+){0,3}?\s+accept(?:ing)?\b
    | \bturn(?:s|ed|ing)?\s+(?:\w+\s+){0,3}?down\b
    | \bpass(?:ing)?\s+on\b
    | \b(?:accepted|accepting|accept|taken|taking|take|chosen|chose)\s+(?:\w+\s+){0,2}?
        (?:another|a\s+different|an\s+other|other)\s+(?:offer|role|position|job)
    | (?:\bnot\b|n['’]t\b)\s+(?:be\s+)?(?:moving|going)\s+(?:forward|ahead)\b
    | (?:\bnot\b|n['’]t\b)\s+(?:be\s+)?(?:joining|proceeding|taking\s+(?:up|the))\b
    | \bsay(?:ing)?\s+no\b
    | \bwithdraw(?:s|n|ing)?\b
    """,
    re.IGNORECASE | re.VERBOSE,
)

_CURRENCY = r"(?:[$£€¥]|\b(?:EUR|USD|GBP|CHF|CAD|AUD|SEK|NOK|DKK|euros?|dollars?|pounds?)\b)"
_AMOUNT = r"\d{1,3}(?:[.,\u00a0\u202f ]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d+)?"
MONEY = re.compile(
    rf"""
      {_CURRENCY}\s?(?:{_AMOUNT})\s?[kKmM]?\b
    | \b(?:{_AMOUNT})\s?(?:[kK]|[mM]{{1,2}}|million)?\s?{_CURRENCY}
    | \b\d{{2,4}}(?:[.,]\d)?\s?[kK]\b
    | \b\d{{1,3}}(?:[.,\u00a0\u202f]\d{{3}})+\b
    """,
    re.VERBOSE,
)


@dataclass(frozen=True)
class Check:
    """One remark on a message: how much it matters, what it is, and what to do."""

    level: Level
    code: str
    message: str


def check_message(
    text: str,
    *,
    medium: str = "email",
    direction: str = "candidate",
    other_companies: Iterable[str] = (),
    recipient_name: str = "",
    deadline: dt.date | None = None,
    today: dt.date | None = None,
    purpose: str = "decline",
    asked: Iterable[float] = (),
    other_figures: Iterable[float] = (),
) -> list[Check]:
    """Every remark on ``text`` as a ``medium`` message of ``purpose``, written by the
    candidate or (``direction="employer"``) by an employer to a candidate; most
    serious first. ``asked`` and ``other_figures`` matter to a counter-ask only."""
    counter = purpose == "counter"
    found = [
        _length(text, medium),
        *(_decision(text, direction) if purpose == "decline" else []),
        *_other_employers(text, other_companies, problem=counter),
        *(
            _counter_money(text, asked, other_figures)
            if counter
            # An acceptance restates the offer's own figures on purpose.
            else ([] if purpose == "accept" else _money(text))
        ),
        *_negative(text),
        *_apologies(text),
        *_recipient(recipient_name),
        _timing(direction, deadline, today or dt.date.today()),
    ]
    order = {"problem": 0, "warning": 1, "ok": 2}
    return sorted(found, key=lambda check: order[check.level])


def _length(text: str, medium: str) -> Check:
    limit = LENGTH_LIMITS.get(medium, LENGTH_LIMITS["email"])
    length = len(text)
    if length > limit:
        noun = MEDIUM_NOUNS.get(medium, "this medium")
        return Check(
            "problem" if medium == "short" else "warning",
            "too_long",
            f"{length:,} characters: more than the {limit:,} that suit {noun}. "
            "Shorter reads kinder.",
        )
    words = len(text.split())
    if medium == "letter" and words > LETTER_WORDS:
        return Check(
            "warning",
            "too_long",
            f"{words:,} words: past {LETTER_WORDS} a letter runs onto a second page. "
            "One page reads as the courtesy it is.",
        )
    if medium == "short" and length > SHORT_NOTE_CHARS:
        return Check(
            "warning",
            "too_long",
            f"{length:,} characters: a connection note takes {SHORT_NOTE_CHARS}. Send it "
            "as a message once you are connected, or trim it to fit.",
        )
    return Check(
        "ok", "length_ok", f"{length:,} characters, within the {limit:,} that suit this medium."
    )


def _decision(text: str, direction: str) -> list[Check]:
    if direction != "candidate":
        return []
    if SAYS_NO.search(text):
        return [Check("ok", "decision_ok", "It says clearly that you are declining.")]
    return [
        Check(
            "problem",
            "no_decision",
            "It never says that you are declining. Say it plainly, early on, so they "
            "are not left wondering.",
        )
    ]


def _other_employers(text: str, companies: Iterable[str], *, problem: bool = False) -> list[Check]:
    named = []
    for company in companies:
        name = company.strip()
        if len(name) < 2:
            continue
        pattern = rf"(?<!\w){re.escape(name)}(?:['’]s|s['’])?(?!\w)"
        if re.search(pattern, text, re.IGNORECASE):
            named.append(name)
    if not named:
        return []
    names = ", ".join(f"“{name}”" for name in named)
    if problem:
        return [
            Check(
                "problem",
                "names_other_employer",
                f"It names {names}. Ask for what you are worth here: naming the other "
                "employer turns the ask into an auction.",
            )
        ]
    return [
        Check(
            "warning",
            "names_other_employer",
            f"It names {names}. Where you are going is yours to keep; “another offer” says enough.",
        )
    ]


def _money(text: str) -> list[Check]:
    figures = sorted({match.group(0).strip() for match in MONEY.finditer(text)})
    if not figures:
        return []
    return [
        Check(
            "warning",
            "mentions_money",
            "It mentions "
            + ", ".join(f"“{figure}”" for figure in figures)
            + ". Figures invite a counter-offer or read as a complaint; leave them out "
            "unless you want to negotiate.",
        )
    ]


def figure_value(figure: str) -> float | None:
    """The number a money figure stands for: "$12,000" is 12000, "150k" 150000,
    "92.000 EUR" 92000, "€1.5m" 1500000; None when it holds no number."""
    number = re.search(r"\d[\d.,\u00a0\u202f ]*", figure)
    if number is None:
        return None
    digits = number.group(0).strip().replace("\u00a0", " ").replace("\u202f", " ")
    if re.fullmatch(r"\d{1,3}(?:[., ]\d{3})+", digits):
        value = float(re.sub(r"[., ]", "", digits))
    else:
        grouped = re.fullmatch(r"(\d{1,3}(?:([., ])\d{3})+)([.,]\d{1,2})", digits)
        if grouped:
            value = float(re.sub(r"[., ]", "", grouped.group(1)) + "." + grouped.group(3)[1:])
        else:
            try:
                value = float(digits.replace(" ", "").replace(",", "."))
            except ValueError:
                return None
    rest = figure[number.end() :].strip().lower()
    if rest.startswith("k"):
        value *= 1_000
    elif rest.startswith("m"):
        value *= 1_000_000
    return value


def _same(value: float | None, figures: Iterable[float]) -> bool:
    return value is not None and any(abs(value - float(f)) < 0.5 for f in figures)


def _counter_money(text: str, asked: Iterable[float], others: Iterable[float]) -> list[Check]:
    """A counter-ask states its own figure; another offer's is a problem, any other a
    remark."""
    asked, others = [float(a) for a in asked if a], [float(o) for o in others if o]
    quoted, extra = set(), set()
    for match in MONEY.finditer(text):
        figure = match.group(0).strip()
        value = figure_value(figure)
        if _same(value, asked):
            continue
        (quoted if _same(value, others) else extra).add(figure)
    found = []
    if quoted:
        found.append(
            Check(
                "problem",
                "quotes_other_offer",
                "It quotes "
                + ", ".join(f"“{figure}”" for figure in sorted(quoted))
                + ", a figure from another offer. Keep the other offer's terms to "
                "yourself and ask for what you are worth here.",
            )
        )
    if extra:
        found.append(
            Check(
                "warning",
                "mentions_money",
                "It mentions "
                + ", ".join(f"“{figure}”" for figure in sorted(extra))
                + " besides what you ask for. One figure keeps the ask clear.",
            )
        )
    return found


def _negative(text: str) -> list[Check]:
    words = sorted({match.group(0).lower() for match in NEGATIVE.finditer(text)})
    if not words:
        return []
    return [
        Check(
            "warning",
            "negative",
            "Reads negative: "
            + ", ".join(f"“{word}”" for word in words)
            + ". Say what you chose, not what was wrong with them.",
        )
    ]


def _apologies(text: str) -> list[Check]:
    count = len(APOLOGY.findall(text))
    if count <= 1:
        return []
    return [
        Check(
            "warning",
            "apologises",
            f"Apologises {count} times. Once is courteous; more sounds unsure of the decision.",
        )
    ]


def _recipient(recipient_name: str) -> list[Check]:
    if recipient_name.strip():
        return []
    return [
        Check(
            "warning",
            "no_recipient",
            "No recipient name: a greeting with their name reads warmer than “Hello”.",
        )
    ]


def _timing(direction: str, deadline: dt.date | None, today: dt.date) -> Check:
    """The candidate's reply deadline, by the one "deadline soon" rule of every page.
    An employer's message has no such deadline: it goes out as soon as they decide."""
    if direction != "candidate":
        return Check(
            "ok",
            "timing_ok",
            "Send it as soon as you have decided: a candidate waiting to hear is a "
            "candidate not yet free to say yes elsewhere.",
        )
    days = deadlines.days_left(deadline, today)
    if days is None:
        return Check(
            "ok",
            "timing_ok",
            "No reply deadline on this offer. Answering within a day or two of deciding "
            "is still the courteous thing.",
        )
    urgency = deadlines.urgency(deadline, today)
    if urgency == "passed":
        return Check(
            "problem",
            "timing",
            f"The reply deadline passed {deadlines.describe(days)}. Send this today; a "
            "late answer costs them candidates.",
        )
    if urgency == "soon":
        return Check(
            "warning", "timing", f"The reply deadline is {deadlines.describe(days)}. Send it now."
        )
    return Check(
        "ok",
        "timing_ok",
        f"{days} days until the reply deadline. Once you have decided, there is no reason "
        "to wait: they can move on to their next candidate.",
    )
