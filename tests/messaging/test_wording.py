"""The words of every purpose's message: what each says, in every tone and medium,
and the phrases a coach would not send."""

from __future__ import annotations

import datetime as dt
import itertools
import re

import pytest

from messaging import purposes
from messaging.checks import APOLOGY, check_message, repeated_words
from messaging.compose import CANDIDATE_REASONS, EMPLOYER_REASONS, TONES, Choices, compose
from tests.messaging.parties import SWEEP_PARTIES

PARTIES = SWEEP_PARTIES


def _body(purpose: str, *, medium: str = "email", tone: str = "warm", **details) -> str:
    choices = Choices(purpose=purpose, medium=medium, tone=tone, details=details)
    return compose(choices, PARTIES).body


# The counter-ask ---------------------------------------------------------------------


def test_a_counter_ask_for_a_start_date_or_a_title_names_the_one_asked_for():
    assert "counter" in purposes.PURPOSES
    assert {"start_date", "title"} <= set(purposes.get(purposes.COUNTER).details)
    for tone in TONES:
        later = _body("counter", tone=tone, lever="start_date", start_date="2027-05-03")
        assert "a start date of 3 May 2027" in later
        titled = _body("counter", tone=tone, lever="title", title="Lead Data Engineer")
        assert "the title of Lead Data Engineer" in titled


def test_a_counter_ask_without_the_day_or_the_title_still_reads():
    assert "a later start date" in _body("counter", lever="start_date", start_date="")
    assert "a title that matches the scope" in _body("counter", lever="title", title=" ")


def test_the_start_date_is_read_as_a_day():
    body = _body("counter", lever="start_date", start_date=dt.date(2027, 5, 3).isoformat())
    assert "2027-05-03" not in body


# Every message we write, checked as the composer checks it ---------------------------

TODAY = dt.date(2027, 3, 2)
# Each purpose's details, in the shapes its form gives them: every lever and variant of
# a counter-ask, every reason for more time, an acceptance with and without a day.
DETAILS: dict[str, list[dict]] = {
    purposes.ACCEPT: [{"start_date": "2027-05-03"}, {}],
    purposes.COUNTER: [
        {"lever": lever, "variant": variant, "amount": amount, **extra}
        for lever, amount, extra in [
            ("base_salary", 6000, {}),
            ("signing_bonus", 5000, {}),
            ("equity", 4000, {}),
            ("learning_budget", 1500, {}),
            ("remote_days", 2, {}),
            ("start_date", None, {"start_date": "2027-06-01"}),
            ("title", None, {"title": "Lead Data Engineer"}),
        ]
        for variant in ("conservative", "realistic", "ambitious")
    ],
    purposes.EXTENSION: [
        {"until": "2027-03-20", "extension_reason": reason}
        for reason in ("careful_thought", "family", "commitment", "process")
    ],
}
# Remarks our own text may draw, each with why: none today. A remark belongs here only
# when the text is right and the check cannot know it.
ALLOWED: dict[tuple[str, str], str] = {}


# How a decline may be written besides its medium and tone: every reason of each side,
# and, with the first reason, each element the composer lets one switch off (the
# decision stays: the form keeps it) and the door closed.
DECLINE_REASONS = {"candidate": CANDIDATE_REASONS, "employer": EMPLOYER_REASONS}
SWITCHED_OFF = [
    {"gratitude": False},
    {"reason": False},
    {"future": False},
    {"future_mode": "closed"},
]


def _decline_ways(direction: str) -> list[dict]:
    reasons = list(DECLINE_REASONS[direction])
    return [
        *({"reason_choice": reason} for reason in reasons),
        *({"reason_choice": reasons[0], **off} for off in SWITCHED_OFF),
    ]


def every_message():
    """Every purpose x direction x medium x tone x details we write; a decline in every
    way of writing it (``_decline_ways``)."""
    for code, purpose in purposes.PURPOSES.items():
        directions = ("candidate", "employer") if code == purposes.DECLINE else ("candidate",)
        for direction, medium, tone in itertools.product(directions, purpose.media, TONES):
            if code == purposes.DECLINE:
                for way in _decline_ways(direction):
                    yield Choices(
                        purpose=code, direction=direction, medium=medium, tone=tone, **way
                    )
                continue
            for details in DETAILS.get(code, [{}]):
                yield Choices(
                    purpose=code, direction=direction, medium=medium, tone=tone, details=details
                )


def _label(choices: Choices) -> str:
    switched_off = [
        name for name in ("gratitude", "reason", "future") if not getattr(choices, name)
    ]
    return (
        f"{choices.purpose} {choices.direction} {choices.medium} {choices.tone} {choices.details}"
        + (f" {choices.reason_choice} {choices.future_mode} off={switched_off}"
           if choices.purpose == purposes.DECLINE else "")
    )  # fmt: skip


# What the sweep must reach, written out rather than worked out the way the sweep is:
# each purpose's media, every tone, and both sides of a decline.
MEDIA_OF = {
    "decline": ("email", "letter", "phone", "short"),
    "accept": ("email", "letter", "phone"),
    "counter": ("email", "phone"),
    "extension": ("email", "phone", "short"),
    "withdraw": ("phone", "email", "letter"),
    "still_open": ("email", "phone", "short"),
    "keep_in_touch": ("email", "short"),
}


def test_the_sweep_covers_every_purpose_medium_and_tone():
    assert set(purposes.PURPOSES) == set(MEDIA_OF)
    expected = {
        (code, direction, medium, tone)
        for code, media in MEDIA_OF.items()
        for direction in (["candidate", "employer"] if code == "decline" else ["candidate"])
        for medium in media
        for tone in ("formal", "warm", "brief")
    }
    assert len(expected) == 72
    seen = {(c.purpose, c.direction, c.medium, c.tone) for c in every_message()}
    assert seen == expected


def test_the_sweep_writes_a_decline_every_way_it_can_be_written():
    declines = [c for c in every_message() if c.purpose == "decline"]
    for direction, reasons in [
        ("candidate", {"accepted_other", "compensation", "growth", "role_fit", "work_life",
                       "location", "culture", "personal", "none"}),
        ("employer", {"other_candidate", "experience", "skills", "role_changed", "none"}),
    ]:  # fmt: skip
        mine = [c for c in declines if c.direction == direction]
        assert {c.reason_choice for c in mine} == reasons
        assert any(not c.gratitude for c in mine)
        assert any(not c.reason for c in mine)
        assert any(not c.future for c in mine)
        assert any(c.future_mode == "closed" for c in mine)
        assert all(c.decision for c in mine)
    assert len(declines) == 4 * 3 * ((9 + 4) + (5 + 4))


def test_every_message_we_write_draws_no_problem_and_no_warning():
    remarks = {}
    for choices in every_message():
        body = compose(choices, PARTIES).body
        amount = choices.details.get("amount")
        for check in check_message(
            body,
            medium=choices.medium,
            direction=choices.direction,
            other_companies=("Globex",),
            recipient_name=PARTIES.recipient_name,
            today=TODAY,
            purpose=choices.purpose,
            asked=[amount] if amount else [],
        ):
            if check.level != "ok" and (choices.purpose, check.code) not in ALLOWED:
                remarks.setdefault((check.code, check.message), _label(choices))
    assert not remarks, "\n".join(
        f"{code}: {msg} ({where})" for (code, msg), where in remarks.items()
    )


def test_no_message_we_write_repeats_a_word_within_two_sentences():
    repeats = {}
    for choices in every_message():
        for repeat in repeated_words(compose(choices, PARTIES).body):
            repeats.setdefault((repeat.word, repeat.first, repeat.again), _label(choices))
    assert not repeats, "\n".join(
        f"{word}: {first!r} / {again!r} ({where})"
        for (word, first, again), where in list(repeats.items())[:30]
    )


# Phrases a coach would not send -------------------------------------------------------

STALE = [
    "thrilled to have got this far",
    "pleased to accept it",
    "happy to accept it",
    "hope you are well since",
    "some months have passed",
    "my new job",
    "a little while ago",
    # A request for more time promises no day they may refuse.
    "you will have my answer",
    "you'll have my answer",
    "you'll hear from me by",
]


def test_no_message_says_what_a_coach_would_rewrite():
    found = {}
    for choices in every_message():
        body = compose(choices, PARTIES).body.lower()
        for phrase in STALE:
            if phrase in body:
                found.setdefault(phrase, _label(choices))
    assert not found, found


@pytest.mark.parametrize("tone", list(TONES))
def test_an_acceptance_names_the_role_it_accepts(tone):
    body = _body("accept", tone=tone)
    [acceptance] = [line for line in body.split("\n\n") if re.search(r"\baccept\b", line)]
    assert PARTIES.role in acceptance


@pytest.mark.parametrize("medium", ["email", "phone", "short"])
@pytest.mark.parametrize("tone", list(TONES))
def test_a_request_for_more_time_hopes_for_the_day_and_asks_for_another_if_not(medium, tone):
    body = _body("extension", medium=medium, tone=tone, until="2027-03-20")
    if medium != "short":
        assert "hope that date" in body.lower(), body
    if medium == "email":
        assert body.lower().count("answer") <= 1, body


def test_a_decline_letter_says_in_the_end_once_at_most():
    for reason in ("compensation", "accepted_other", "growth"):
        choices = Choices(medium="letter", tone="warm", reason_choice=reason)
        assert compose(choices, PARTIES).body.lower().count("in the end") <= 1


# Call scripts for every purpose --------------------------------------------------------


def _section(script: str, heading: str) -> str:
    after = script.split(f"\n{heading}\n", 1)[1]
    return after.split("\n\n", 1)[0]


PHONED = [code for code, purpose in purposes.PURPOSES.items() if "phone" in purpose.media]


@pytest.mark.parametrize("purpose", PHONED)
@pytest.mark.parametrize("tone", list(TONES))
def test_every_call_script_is_spoken_not_the_email_read_aloud(purpose, tone):
    details = DETAILS.get(purpose, [{}])[0]
    script = _body(purpose, medium="phone", tone=tone, **details)
    email = _body(purpose, medium="email", tone=tone, **details)
    points = _section(script, "Talking points").splitlines()
    assert len(points) == len(purposes.get(purpose).blocks)
    assert all(point.startswith("- “") and point.endswith("”") for point in points), points
    for sentence in re.split(r"(?<=[.!?])\s+", email):
        if len(sentence) > 30:
            assert sentence not in script, sentence
    assert "Opening" in script
    assert "If you reach voicemail" in script


@pytest.mark.parametrize("tone", list(TONES))
def test_an_acceptance_is_not_left_on_voicemail_but_asks_for_a_call_back(tone):
    # A yes is given to a person: the message only asks them to ring back.
    voicemail = _section(_body("accept", medium="phone", tone=tone), "If you reach voicemail")
    assert "ring me back" in voicemail
    assert not re.search(r"\baccept\b|\byes\b", voicemail)
    assert "Alex Morgan" in voicemail
    assert "+49 30 1234 5678" in voicemail


@pytest.mark.parametrize("purpose", ["withdraw", "still_open"])
@pytest.mark.parametrize("tone", list(TONES))
def test_news_that_needs_a_conversation_stays_off_the_voicemail(purpose, tone):
    voicemail = _section(_body(purpose, medium="phone", tone=tone), "If you reach voicemail")
    assert "ring me back" in voicemail
    assert "withdraw" not in voicemail
    assert "declined" not in voicemail
    assert "Alex Morgan" in voicemail


@pytest.mark.parametrize("medium", ["phone", "email", "letter"])
@pytest.mark.parametrize("tone", list(TONES))
def test_a_withdrawal_apologises_once_in_every_medium(medium, tone):
    body = _body("withdraw", medium=medium, tone=tone)
    assert len(APOLOGY.findall(body)) == 1, body


@pytest.mark.parametrize("tone", list(TONES))
@pytest.mark.parametrize("off", ["gratitude", "decision", "reason", "future"])
def test_a_short_message_with_a_block_switched_off_leaves_no_gap(tone, off):
    for direction, reason in [("candidate", "growth"), ("employer", "skills")]:
        choices = Choices(
            direction=direction, medium="short", tone=tone, reason_choice=reason, **{off: False}
        )
        body = compose(choices, PARTIES).body
        assert "  " not in body, body
        assert " ." not in body, body
