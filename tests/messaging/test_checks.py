"""messaging.checks: a corpus of our own messages, both sides, with the codes each
should raise, and every draft the composer writes for a candidate says no clearly."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from messaging.checks import Check, check_message
from messaging.compose import MEDIA, TONES, Choices, Parties, compose

TODAY = dt.date(2026, 11, 26)

CANDIDATE = [
    ("Thank you for the offer. I have decided to decline it.", set()),
    ("Thank you, but I will not be accepting the offer.", set()),
    ("Thanks so much. I won't be accepting the role.", set()),
    ("After much thought I've decided not to accept.", set()),
    ("I must turn down the offer, with thanks.", set()),
    ("I am turning the offer down; thank you for your time.", set()),
    ("I'll pass on this one, but thank you.", set()),
    ("I have accepted another offer, so I cannot join you.", set()),
    ("I have accepted a different position elsewhere.", set()),
    ("I cannot accept the role at this time.", set()),
    ("I am declining the offer for the analyst role.", set()),
    ("I will withdraw my application with thanks.", set()),
    ("I won’t be joining the team, with thanks for everything.", set()),
    ("Thank you so much for the offer and the kind conversations.", {"no_decision"}),
    ("It was a pleasure to meet the team. Best wishes.", {"no_decision"}),
    ("I decline, as I have accepted the offer from Globex.", {"names_other_employer"}),
    ("I decline: Globex's offer suits me better.", {"names_other_employer"}),
    ("I decline; GLOBEX made me an offer.", {"names_other_employer"}),
    ("I decline, as the other offer is 150k.", {"mentions_money"}),
    ("I decline; they offered £95k.", {"mentions_money"}),
    ("I decline; the other offer is 92.000 EUR.", {"mentions_money"}),
    ("I decline; I was offered $120,000 elsewhere.", {"mentions_money"}),
    ("I decline, since the salary of 85,000 was too low.", {"mentions_money", "negative"}),
    ("Unfortunately I must decline.", {"negative"}),
    ("I decline; the offer was poor.", {"negative"}),
    ("I decline, and I never want to hear from you.", {"negative"}),
    ("I decline; nevertheless I enjoyed the badge and the tour.", set()),
    ("I decline, and I will allow myself to say the team is lovely.", set()),
    ("Sorry, so sorry, I decline. Please forgive me.", {"apologises"}),
    ("Sorry to say I must decline.", set()),
    ("I decline. " + "Thank you. " * 300, {"too_long"}),
]

EMPLOYER = [
    ("Thank you for interviewing with us. We will not be moving forward.", set()),
    ("We chose another candidate whose experience fits this level more closely.", set()),
    ("Thanks for your time; your salary ask of 150k is above our range.", {"mentions_money"}),
    ("Unfortunately your interview was poor.", {"negative"}),
    ("We hired someone from Globex instead.", {"names_other_employer"}),
    ("Thank you for applying. We have offered the role to someone else.", set()),
    ("We are sorry. We apologise for the delay.", {"apologises"}),
    ("Thank you. " * 300, {"too_long"}),
    ("Thank you for your patience during the process.", set()),
    ("We will keep your details for future roles, with thanks.", set()),
]


def _codes(found: list[Check]) -> set[str]:
    return {check.code for check in found if check.level != "ok"}


@pytest.mark.parametrize(("text", "expected"), CANDIDATE)
def test_candidate_messages(text: str, expected: set[str]):
    found = check_message(
        text, other_companies=("Globex", "Initech"), recipient_name="Dana", today=TODAY
    )
    assert _codes(found) == expected
    assert all(check.level in {"ok", "warning", "problem"} for check in found)


@pytest.mark.parametrize(("text", "expected"), EMPLOYER)
def test_employer_messages(text: str, expected: set[str]):
    found = check_message(
        text, direction="employer", other_companies=("Globex",), recipient_name="Sam", today=TODAY
    )
    assert _codes(found) == expected


def test_the_corpus_is_large_enough():
    assert len(CANDIDATE) + len(EMPLOYER) >= 40


def test_no_decision_is_a_problem_and_comes_first():
    [first, *_] = check_message("Thank you for everything.", recipient_name="Dana", today=TODAY)
    assert (first.level, first.code) == ("problem", "no_decision")


def test_a_short_message_too_long_is_a_problem_an_email_only_a_warning():
    text = "I decline. " + "x" * 1200
    short = {c.code: c.level for c in check_message(text, medium="short", recipient_name="D")}
    email = {c.code: c.level for c in check_message(text, medium="email", recipient_name="D")}
    assert (short["too_long"], "too_long" in email) == ("problem", False)


@pytest.mark.parametrize(
    ("deadline", "level"),
    [(dt.date(2026, 11, 20), "problem"), (dt.date(2026, 11, 27), "warning"), (None, "ok")],
)
def test_timing_is_the_candidates_deadline_only(deadline, level):
    candidate = check_message("I decline.", recipient_name="D", deadline=deadline, today=TODAY)
    employer = check_message(
        "We will not be moving forward.", direction="employer", recipient_name="D",
        deadline=deadline, today=TODAY,
    )  # fmt: skip
    [timing] = [c for c in candidate if c.code.startswith("timing")]
    assert timing.level == level
    assert "timing" not in _codes(employer)


def test_a_missing_recipient_is_noted():
    assert "no_recipient" in _codes(check_message("I decline.", today=TODAY))


PARTIES = Parties(
    sender_name="Alex Morgan",
    signature="Alex",
    company="Acme",
    role="Data Engineer",
    recipient_name="Dana Lee",
)


@pytest.mark.parametrize(("medium", "tone"), itertools.product(MEDIA, TONES))
def test_every_candidate_draft_we_write_says_no_and_raises_no_problem(medium, tone):
    draft = compose(Choices(medium=medium, tone=tone), PARTIES)
    found = check_message(
        draft.body, medium=medium, other_companies=("Globex",), recipient_name="Dana Lee",
        today=TODAY,
    )  # fmt: skip
    assert "decision_ok" in {c.code for c in found}, draft.body
    assert not [c for c in found if c.level == "problem"], draft.body
