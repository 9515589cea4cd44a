"""What to look at in a message before it goes out: pure, so the composer's review panel
and checks outside the project read the same rules.

``check_message(text, ...)`` returns ``Check`` items, each with a ``level`` ("ok",
"warning" or "problem"), a stable ``code`` and a ``message`` in our words. A code
names what was found; the "ok" items, which say all is well, end in ``_ok``, so a
code without the suffix always means something to fix or weigh:

- ``no_decision`` (problem): a candidate's decline that never clearly says no;
- ``names_other_employer``: it names one of ``other_companies``, in full or by the
  first word of a longer name ("Northwind's package": ``company_names``);
- ``mentions_money``: a figure or an amount (150k, £95k, 92.000 EUR);
- ``negative``: words that read as a complaint (whole words: "badge" is fine);
- ``apologises``: sorry more than once;
- ``no_apology``: a withdrawal of an acceptance that never says sorry;
- ``too_long``: longer than suits the medium;
- ``no_recipient``: nobody to greet by name;
- ``timing``: the candidate's reply deadline is near or gone, worded for the purpose
  (a decline, an acceptance, a counter-ask or a request for more time);
- ``quotes_other_offer`` (problem): a counter-ask quotes a figure of another offer.

``purpose`` (a ``messaging.purposes`` code, "decline" unless said) decides which
checks apply: ``no_decision`` only to a decline; a counter-ask (``purpose="counter"``)
states its own ``asked`` amounts without remark, and naming another employer or
quoting one of ``other_figures`` is a problem there, since it turns the ask into an
auction. An acceptance (``purpose="accept"``) restates the terms, figures included,
without remark. A withdrawal (``purpose="withdraw"``) should apologise, once.

Besides the contract, the module keeps the rules other code shares: how long each
medium should be (``MEDIUM_LIMITS``, ``length_of``) and the words a text repeats within
two sentences (``repeated_words``, which our own texts are tested by). The money figures
a text holds are found by ``offerdesk.formats.MONEY``, which a coach's view of the
messages blanks with too.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from decisions import deadlines
from offerdesk.formats import MONEY

Level = str  # "ok", "warning" or "problem"

# The most characters each medium carries before it reads as a chore; past the short
# message's, the networks it goes to refuse it (the composer refuses it too).
LENGTH_LIMITS = {"email": 2500, "letter": 2500, "phone": 3000, "short": 1000}
# What a connection note takes on the networks a short message goes to: longer is
# still a message, but no longer one that fits the first note.
SHORT_NOTE_CHARS = 300
# Words a letter holds on one page of A4 or US Letter under its head (the letter PDF's
# tests print one this long); our own letters are 150 to 250.
LETTER_WORDS = 300
LETTER_WORDS_LEAST, LETTER_WORDS_MOST = 150, 250


@dataclass(frozen=True)
class Limit:
    """How long a message of one medium should be: ``least`` to ``most`` of ``unit``
    ("characters" or "words"). What a counter beside the text shows; the checks
    remark past ``most`` (``LENGTH_LIMITS`` holds the hard ceilings)."""

    unit: str
    most: int
    least: int = 0

    def measure(self, text: str) -> int:
        """The length of ``text`` in this limit's unit."""
        return len(text.split()) if self.unit == "words" else len(text)


# The length each medium should keep to: a short message what a connection note takes,
# a letter the words of one page that reads as the courtesy it is.
MEDIUM_LIMITS: dict[str, Limit] = {
    "email": Limit("characters", LENGTH_LIMITS["email"]),
    "letter": Limit("words", LETTER_WORDS_MOST, least=LETTER_WORDS_LEAST),
    "phone": Limit("characters", LENGTH_LIMITS["phone"]),
    "short": Limit("characters", SHORT_NOTE_CHARS),
}


def length_of(text: str, medium: str) -> tuple[int, Limit]:
    """How long ``text`` is as a ``medium`` message, in the unit that medium is
    measured in, and the limit it is measured against (an e-mail's for an unknown
    medium)."""
    limit = MEDIUM_LIMITS.get(medium, MEDIUM_LIMITS["email"])
    return limit.measure(text), limit


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

# "not", "n't" or "cannot" just before a verb: "I can't say no" is not a no.
_NOT_JUST_BEFORE = r"(?<!\bnot\s)(?<!n['’]t\s)(?<!\bcannot\s)"
# Words that turn "not ... accept" into a yes or a doubt: "I can't wait to accept",
# "I could not be happier to accept", "I'm not sure I can accept".
_NOT_A_NO = r"(?:wait|help|hesitate|happier|gladder|prouder|more|sure|until|before)\b"
# The ways a candidate says no to an offer. A decline that says none of them leaves
# the employer waiting for an answer it already has.
SAYS_NO = re.compile(
    rf"""
      \bdeclin(?:e|es|ed|ing)\b
    | (?:\bnot\b|n['’]t\b|\bcannot\b)(?:\s+(?!{_NOT_A_NO})\w+){{0,3}}?\s+accept(?:ing)?\b
    | {_NOT_JUST_BEFORE}\bturn(?:s|ed|ing)?\s+(?:\w+\s+){{0,3}}?down\b
    | \bpass(?:ing)?\s+on\s+(?:
          (?:the|this|that|your|such\s+a)\s+(?:\w+\s+)?(?:offer|role|position|job|opportunity)\b
        | (?:it|this|that)(?:\s+one)?(?=\s*(?:[.,;:!?)]|$|\s+(?:but|and|with|for|though|this|at)\b))
      )
    | \b(?:accepted|accepting|accept|taken|taking|take|chosen|chose)\s+(?:\w+\s+){{0,2}}?
        (?:another|a\s+different|an\s+other|other)\s+(?:offer|role|position|job)
    | (?:\bnot\b|n['’]t\b)\s+(?:be\s+)?(?:moving|going)\s+(?:forward|ahead)\b
    | (?:\bnot\b|n['’]t\b)\s+(?:be\s+)?(?:joining|proceeding|taking\s+(?:up|the))\b
    | {_NOT_JUST_BEFORE}\bsay(?:ing)?\s+no\b
    | \bwithdraw(?:s|n|ing)?\b
    """,
    re.IGNORECASE | re.VERBOSE,
)


# The words a message to an employer leans on (verbs, and a few nouns and phrases that
# come back as easily: "my answer", "in the end"), each with the forms it takes.
# Matched as words, so a noun spelled like a verb ("a good fit") counts too: stricter,
# never looser.
LEANED_ON_WORDS = {
    "accept": r"accept(?:s|ed|ing)?",
    "answer": r"answer(?:s|ed|ing)?",
    "apply": r"appl(?:y|ies|ied|ying)",
    "appreciate": r"appreciat(?:e|es|ed|ing)",
    "choose": r"choos(?:e|es|ing)|chose|chosen",
    "consider": r"consider(?:s|ed|ing)?",
    "decide": r"decid(?:e|es|ed|ing)",
    "decline": r"declin(?:e|es|ed|ing)",
    "delight": r"delight(?:s|ed|ful)?",
    "enjoy": r"enjoy(?:s|ed|ing)?",
    "excite": r"excit(?:e|es|ed|ing|ement)",
    "fit": r"fit(?:s|ted|ting)?",
    "give": r"giv(?:e|es|en|ing)|gave",
    "hope": r"hop(?:e|es|ed|ing)",
    "in the end": r"in\s+the\s+end",
    "join": r"join(?:s|ed|ing)?",
    "keep": r"keep(?:s|ing)?|kept",
    "like": r"lik(?:e|es|ed|ing)",
    "look": r"look(?:s|ed|ing)?",
    "love": r"lov(?:e|es|ed|ing)",
    "match": r"match(?:es|ed|ing)?",
    "meet": r"meet(?:s|ing)?|met",
    "move": r"mov(?:e|es|ed|ing)",
    "need": r"need(?:s|ed|ing)?",
    "stay": r"stay(?:s|ed|ing)?",
    "suit": r"suit(?:s|ed|ing)?",
    "take": r"tak(?:e|es|en|ing)|took",
    "thank": r"thank(?:s|ed|ing)?",
    "think": r"think(?:s|ing)?|thought",
    "thrill": r"thrill(?:s|ed|ing)?",
    "wish": r"wish(?:es|ed|ing)?",
    "work": r"work(?:s|ed|ing)?",
}
_LEANED_ON = {
    word: re.compile(rf"\b(?:{forms})\b", re.IGNORECASE) for word, forms in LEANED_ON_WORDS.items()
}
_SENTENCE_END = re.compile(r"(?<=[.!?])[”\"]?\s+")


@dataclass(frozen=True)
class Repeat:
    """A word said again too soon: the ``word`` (as ``LEANED_ON_WORDS`` names it), the
    sentence it is first in and the sentences that say it again."""

    word: str
    first: str
    again: str


def repeated_words(text: str) -> list[Repeat]:
    """Each of ``LEANED_ON_WORDS`` said twice in a sentence or again within the next
    two ("I have decided ... I decided"). Lines are sentences too: a heading, a bullet,
    a closing."""
    sentences = [
        sentence
        for line in text.splitlines()
        for sentence in _SENTENCE_END.split(line)
        if sentence.strip()
    ]
    found = []
    for index, first in enumerate(sentences):
        window = sentences[index : index + 3]
        for word, pattern in _LEANED_ON.items():
            counts = [len(pattern.findall(sentence)) for sentence in window]
            if counts[0] and sum(counts) > 1:
                found.append(Repeat(word, first, " / ".join(window[1:])))
    return found


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
    company: str = "",
) -> list[Check]:
    """Every remark on ``text`` as a ``medium`` message of ``purpose``, written by the
    candidate or (``direction="employer"``) by an employer to a candidate; most
    serious first. ``asked`` and ``other_figures`` matter to a counter-ask only;
    ``company``, the employer the message is to, is never taken for another one
    ("Acme Labs" writing to "Acme Robotics" does not name it by "Acme")."""
    counter = purpose == "counter"
    found = [
        _length(text, medium),
        *(_decision(text, direction) if purpose == "decline" else []),
        *_other_employers(text, other_companies, problem=counter, own=company),
        *(
            _counter_money(text, asked, other_figures)
            if counter
            # An acceptance restates the offer's own figures on purpose.
            else ([] if purpose == "accept" else _money(text))
        ),
        *_negative(text),
        *_apologies(text, purpose),
        *_recipient(recipient_name),
        _timing(direction, deadline, today or dt.date.today(), purpose),
    ]
    order = {"problem": 0, "warning": 1, "ok": 2}
    return sorted(found, key=lambda check: order[check.level])


def _length(text: str, medium: str) -> Check:
    ceiling = LENGTH_LIMITS.get(medium, LENGTH_LIMITS["email"])
    noun = MEDIUM_NOUNS.get(medium, "this medium")
    characters = len(text)
    if characters > ceiling:
        return Check(
            "problem" if medium == "short" else "warning",
            "too_long",
            f"{characters:,} characters: more than the {ceiling:,} that suit {noun}. "
            "Shorter reads kinder.",
        )
    count, limit = length_of(text, medium)
    if medium == "letter" and count > LETTER_WORDS:
        return Check(
            "warning",
            "too_long",
            f"{count:,} words: past {LETTER_WORDS} a letter runs onto a second page. "
            "One page reads as the courtesy it is.",
        )
    if medium == "letter" and count > limit.most:
        return Check(
            "warning",
            "too_long",
            f"{count:,} words: a letter reads best at {limit.least} to {limit.most}. "
            "A sentence or two fewer, and it says the same more kindly.",
        )
    if medium == "short" and count > limit.most:
        return Check(
            "warning",
            "too_long",
            f"{count:,} characters: a connection note takes {limit.most}. Send it "
            "as a message once you are connected, or trim it to fit.",
        )
    if medium == "letter":
        within = f"{count:,} words, within the {limit.least} to {limit.most} that suit {noun}."
        if count < limit.least:
            within = (
                f"{count:,} words: shorter than the {limit.least} to {limit.most} a letter "
                "usually takes, which is fine if it says all it needs to."
            )
        return Check("ok", "length_ok", within)
    return Check(
        "ok", "length_ok", f"{count:,} characters, within the {limit.most:,} that suit {noun}."
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


# Words too common to stand for a company on their own: "Lumen Bank" is not named by
# "bank", nor "Global Health" by "global".
GENERIC_COMPANY_WORDS = frozenset({
    "the", "bank", "group", "inc", "ltd", "llc", "plc", "gmbh", "company", "corp", "global",
    "international", "digital", "united", "first", "general", "national", "new",
})  # fmt: skip


def company_names(company: str) -> list[str]:
    """How a text may name ``company``: in full, and, for a name of several words, by
    its first word ("Northwind" for "Northwind Analytics", "Lumen" for "The Lumen
    Bank") when that is at least four letters and no generic word."""
    name = " ".join(company.split())
    if len(name) < 2:
        return []
    words = name.split()
    if words[0].lower() == "the":
        words = words[1:]
    first = words[0].strip(",.&") if words else ""
    short = len(words) > 1 and len(first) >= 4 and first.lower() not in GENERIC_COMPANY_WORDS
    return [name, first] if short else [name]


def _other_employers(
    text: str, companies: Iterable[str], *, problem: bool = False, own: str = ""
) -> list[Check]:
    own_words = {word.lower() for word in own.split()}
    named = []
    for company in companies:
        for name in company_names(company):
            if name != " ".join(company.split()) and name.lower() in own_words:
                continue  # a first word the recipient's own name shares
            pattern = rf"(?<!\w){re.escape(name)}(?:['’]s|s['’])?(?!\w)"
            if re.search(pattern, text, re.IGNORECASE):
                named.append(name)
                break
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


def _apologies(text: str, purpose: str = "decline") -> list[Check]:
    """Sorry once is courteous, more sounds unsure. Taking back a yes is the one
    message that owes an apology: without one it reads as if nothing happened."""
    count = len(APOLOGY.findall(text))
    if purpose == "withdraw" and count == 0:
        return [
            Check(
                "warning",
                "no_apology",
                "It never says sorry. Taking back a yes causes them real trouble: "
                "apologise once, plainly, without excuses.",
            )
        ]
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


# What the candidate's reply deadline means for each purpose's message: the words for a
# deadline gone ("passed"), near ("soon") or some days off ("later"), and without one
# ("none"). ``{when}`` is the deadline in words ("tomorrow"), ``{days}`` the days left.
TIMING_WORDS: dict[str, dict[str, str]] = {
    "decline": {
        "passed": "The reply deadline passed {when}. Send this today; a late answer costs "
        "them candidates.",
        "soon": "The reply deadline is {when}. Send it now.",
        # Not "send it now": a decline waits for the acceptance elsewhere to be
        # confirmed in writing, which the composer warns of beside it.
        "later": "{days} days until the reply deadline. Send it once your own plans are "
        "settled: the sooner they hear, the sooner they can move on to their next candidate.",
        "none": "No reply deadline on this offer. Answering within a day or two of deciding "
        "is still the courteous thing.",
    },
    "accept": {
        "passed": "The reply deadline passed {when}. Ring them before you send this, to ask "
        "whether the offer still stands, then send it the same day.",
        "soon": "The reply deadline is {when}. Send your acceptance now, so that it arrives "
        "in time.",
        "later": "{days} days until the reply deadline. Once you are sure, say yes: it lets "
        "them plan your first day.",
        "none": "No reply deadline on this offer. Once you are sure, say yes within a day "
        "or two: it lets them plan your first day.",
    },
    "counter": {
        "passed": "The reply deadline passed {when}. Ask whether the offer still stands "
        "before you ask for more.",
        "soon": "The reply deadline is {when}. Ask now, and ask for a few more days with it: "
        "you will need time to weigh their answer.",
        "later": "{days} days until the reply deadline. Ask soon, so that they have time to "
        "answer and you have time to weigh it.",
        "none": "No reply deadline on this offer. Ask soon all the same: an ask made early "
        "reads as interest, one made late as stalling.",
    },
    "extension": {
        "passed": "The reply deadline passed {when}. Ask today, and ask first whether the "
        "offer still stands.",
        "soon": "The reply deadline is {when}. Ask now: a request well before the deadline "
        "is far easier to grant.",
        "later": "{days} days until the reply deadline. Asking now, well before it, makes "
        "it easy for them to say yes.",
        "none": "No reply deadline on this offer to extend. If they have given you one by "
        "word of mouth, ask before it comes.",
    },
}
# The purposes whose timing is not the reply deadline's: what the timing is instead.
TIMING_WITHOUT_DEADLINE: dict[str, str] = {
    "withdraw": "Send it as soon as you are sure, and ring first: every day you wait is a "
    "day they could have spent finding someone else.",
    "still_open": "Ask soon: the longer you wait, the likelier the role is filled.",
    "keep_in_touch": "No hurry: a friendly note is welcome whenever it arrives.",
}


def _timing(
    direction: str, deadline: dt.date | None, today: dt.date, purpose: str = "decline"
) -> Check:
    """The candidate's reply deadline, by the one "deadline soon" rule of every page,
    in the words of the message's ``purpose``. An employer's message has no such
    deadline: it goes out as soon as they decide; nor has a message whose purpose
    does not answer the offer (a withdrawal, a note to keep in touch)."""
    if direction != "candidate":
        return Check(
            "ok",
            "timing_ok",
            "Send it as soon as you have decided: a candidate waiting to hear is a "
            "candidate not yet free to say yes elsewhere.",
        )
    if purpose in TIMING_WITHOUT_DEADLINE:
        return Check("ok", "timing_ok", TIMING_WITHOUT_DEADLINE[purpose])
    words = TIMING_WORDS.get(purpose, TIMING_WORDS["decline"])
    days = deadlines.days_left(deadline, today)
    urgency = deadlines.urgency(deadline, today)
    text = words[urgency].format(when="" if days is None else deadlines.describe(days), days=days)
    if urgency == "passed":
        return Check("problem", "timing", text)
    if urgency == "soon":
        return Check("warning", "timing", text)
    return Check("ok", "timing_ok", text)
