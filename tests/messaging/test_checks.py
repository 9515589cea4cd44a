"""messaging.checks: a corpus of our own messages, both sides, with the codes each
should raise, and every draft the composer writes for a candidate says no clearly."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from messaging.checks import (
    LENGTH_LIMITS,
    MEDIUM_LIMITS,
    SAYS_NO,
    TIMING_WITHOUT_DEADLINE,
    TIMING_WORDS,
    Check,
    check_message,
    company_names,
    length_of,
    repeated_words,
)
from messaging.compose import MEDIA, TONES, Choices, Parties, compose
from offerdesk.formats import HIDDEN_AMOUNT, blank_money

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
    ("I'll pass on the offer, with real thanks to you all.", set()),
    ("I must pass on it, though I enjoyed every conversation.", set()),
    ("I have decided to say no to the offer, with thanks.", set()),
    ("Thank you so much for the offer and the kind conversations.", {"no_decision"}),
    ("It was a pleasure to meet the team. Best wishes.", {"no_decision"}),
    # Near misses: the words of a no, saying something else.
    ("Please pass on my thanks to the whole team.", {"no_decision"}),
    ("I can't wait to accept and get started!", {"no_decision"}),
    ("I could not be happier to accept the role.", {"no_decision"}),
    ("I'm not sure I can accept the offer yet.", {"no_decision"}),
    ("I can't say no to such a kind offer.", {"no_decision"}),
    ("Could you pass on this message to the hiring manager?", {"no_decision"}),
    ("I can't turn down a team like yours.", {"no_decision"}),
    ("I decline, as I have accepted the offer from Globex.", {"names_other_employer"}),
    ("I decline: Globex's offer suits me better.", {"names_other_employer"}),
    ("I decline; GLOBEX made me an offer.", {"names_other_employer"}),
    # A company of several words is named by its first word too.
    ("I decline; Northwind offered me €120k.", {"names_other_employer", "mentions_money"}),
    ("I decline: Fjord's package suits me better.", {"names_other_employer"}),
    ("I decline, as NORTHWIND’s team is closer to home.", {"names_other_employer"}),
    ("I decline, as Lumen made me a better offer.", {"names_other_employer"}),
    ("I decline: Fjord Health offered more.", {"names_other_employer"}),
    # ... but not by a generic word of it, nor by a longer word.
    ("I decline; the bank holiday slowed my answer.", set()),
    ("I decline; health comes first for me.", set()),
    ("I decline, though the Northwinds of my home town call.", set()),
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
    ("We hired someone who worked at Northwind.", {"names_other_employer"}),
    ("Thank you for applying. We have offered the role to someone else.", set()),
    ("We are sorry. We apologise for the delay.", {"apologises"}),
    ("Thank you. " * 300, {"too_long"}),
    ("Thank you for your patience during the process.", set()),
    ("We will keep your details for future roles, with thanks.", set()),
    ("We have offered the role to a candidate from Initech.", set()),
    ("We could offer €85,000 at most for this level.", {"mentions_money"}),
    ("We will not be moving forward; the badge is yours to keep.", set()),
]


def _codes(found: list[Check]) -> set[str]:
    return {check.code for check in found if check.level != "ok"}


@pytest.mark.parametrize(("text", "expected"), CANDIDATE)
def test_candidate_messages(text: str, expected: set[str]):
    found = check_message(
        text,
        other_companies=(
            "Globex",
            "Initech",
            "Northwind Analytics",
            "Fjord Health",
            "The Lumen Bank",
        ),
        recipient_name="Dana",
        today=TODAY,
    )
    assert _codes(found) == expected
    assert all(check.level in {"ok", "warning", "problem"} for check in found)


@pytest.mark.parametrize(("text", "expected"), EMPLOYER)
def test_employer_messages(text: str, expected: set[str]):
    found = check_message(
        text,
        direction="employer",
        other_companies=("Globex", "Northwind Analytics"),
        recipient_name="Sam",
        today=TODAY,
    )
    assert _codes(found) == expected


@pytest.mark.parametrize(
    ("company", "names"),
    [("Northwind Analytics", ["Northwind Analytics", "Northwind"]),
     ("The Lumen Bank", ["The Lumen Bank", "Lumen"]), ("Globex", ["Globex"]),
     ("Global Health", ["Global Health"]), ("Acme Co", ["Acme Co", "Acme"]),
     ("BMW Group", ["BMW Group"]), ("  ", [])],
)  # fmt: skip
def test_a_company_is_named_in_full_or_by_its_first_distinctive_word(company, names):
    assert company_names(company) == names


def test_the_corpus_is_large_enough():
    assert len(CANDIDATE) + len(EMPLOYER) >= 40
    assert len(CANDIDATE) >= 40
    assert len(EMPLOYER) >= 10


@pytest.mark.parametrize(
    "text",
    ["Please pass on my thanks to Dana.", "I can't wait to accept.", "I can't say no to you."],
)
def test_a_near_miss_is_not_read_as_a_no(text):
    assert not SAYS_NO.search(text)


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


@pytest.mark.parametrize(("medium", "tone"), list(itertools.product(MEDIA, TONES)))
def test_every_candidate_draft_we_write_says_no_and_raises_no_problem(medium, tone):
    draft = compose(Choices(medium=medium, tone=tone), PARTIES)
    found = check_message(
        draft.body, medium=medium, other_companies=("Globex",), recipient_name="Dana Lee",
        today=TODAY,
    )  # fmt: skip
    assert "decision_ok" in {c.code for c in found}, draft.body
    assert not [c for c in found if c.level == "problem"], draft.body


# The limits each medium keeps to ---------------------------------------------------


def test_each_medium_has_one_limit_in_its_own_unit():
    assert MEDIUM_LIMITS["short"].most == 300
    assert (MEDIUM_LIMITS["letter"].unit, MEDIUM_LIMITS["letter"].least) == ("words", 150)
    assert MEDIUM_LIMITS["letter"].most == 250
    assert set(MEDIUM_LIMITS) == set(LENGTH_LIMITS) == set(MEDIA)
    assert length_of("Thank you for the offer.", "letter")[0] == 5
    assert length_of("Thank you for the offer.", "short")[0] == 24


def test_the_length_remark_counts_a_letter_in_words_and_a_short_message_against_300():
    short = {c.code: c.message for c in check_message("I decline.", medium="short")}
    assert "within the 300" in short["length_ok"]
    letter = " ".join(["I decline."] + ["Thank you."] * 90)
    found = {c.code: c.message for c in check_message(letter, medium="letter")}
    assert found["length_ok"].startswith("182 words, within the 150 to 250")
    assert "characters" not in found["length_ok"]


# Figures hidden from a reader who may not see pay -----------------------------------


def test_blank_money_hides_every_figure_the_check_finds_and_keeps_the_words():
    text = "A base salary of €85,000 a year, a 10k bonus and 92.000 EUR in equity by 2027."
    assert blank_money(text) == (
        f"A base salary of {HIDDEN_AMOUNT} a year, a {HIDDEN_AMOUNT} bonus and "
        f"{HIDDEN_AMOUNT} in equity by 2027."
    )
    assert "mentions_money" not in _codes(check_message(blank_money(text), recipient_name="D"))


@pytest.mark.parametrize(
    "text",
    ["a base of 95000 a year", "I was offered 95 000 per year", "USD95000 gross", "a 10% raise"],
)
def test_blank_money_hides_figures_typed_without_a_currency(text: str):
    hidden = blank_money(text)
    assert HIDDEN_AMOUNT in hidden
    assert not any(character.isdigit() for character in hidden)


def test_blank_money_hides_a_salary_written_out_in_words_and_leaves_other_numbers():
    text = "They came back with ninety-five thousand euros, and twenty-five days of leave."
    assert blank_money(text) == (
        f"They came back with {HIDDEN_AMOUNT}, and twenty-five days of leave."
    )
    assert blank_money("No figures here.") == "No figures here."


# Timing, in the words of the purpose -------------------------------------------------


@pytest.mark.parametrize("purpose", ["decline", "accept", "counter", "extension"])
@pytest.mark.parametrize(
    ("deadline", "level"),
    [(dt.date(2026, 11, 20), "problem"), (dt.date(2026, 11, 27), "warning"), (None, "ok")],
)
def test_timing_speaks_of_the_message_it_is_for(purpose, deadline, level):
    [timing] = [
        c
        for c in check_message(
            "Text.", purpose=purpose, recipient_name="D", deadline=deadline, today=TODAY
        )
        if c.code.startswith("timing")
    ]
    assert timing.level == level
    urgency = {"problem": "passed", "warning": "soon", "ok": "none"}[level]
    assert timing.message.startswith(TIMING_WORDS[purpose][urgency].split("{")[0])
    if purpose != "decline":
        assert timing.message not in {text for text in TIMING_WORDS["decline"].values()}
        assert "candidates" not in timing.message


@pytest.mark.parametrize("purpose", list(TIMING_WITHOUT_DEADLINE))
def test_a_message_that_answers_no_offer_has_no_deadline_to_meet(purpose):
    found = check_message(
        "Text.", purpose=purpose, recipient_name="D", deadline=dt.date(2026, 11, 20), today=TODAY
    )
    [timing] = [c for c in found if c.code.startswith("timing")]
    assert (timing.level, timing.message) == ("ok", TIMING_WITHOUT_DEADLINE[purpose])


# A withdrawal apologises, once ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I am withdrawing my acceptance, and I am truly sorry.", set()),
        ("I am withdrawing my acceptance.", {"no_apology"}),
        ("I am so sorry. I apologise again. I am withdrawing.", {"apologises"}),
    ],
)
def test_a_withdrawal_owes_one_apology(text, expected):
    found = check_message(text, purpose="withdraw", recipient_name="D", today=TODAY)
    assert _codes(found) == expected


def test_only_a_withdrawal_asks_for_an_apology():
    assert "no_apology" not in _codes(check_message("I decline.", recipient_name="D"))


# Words said again too soon -------------------------------------------------------------


def test_repeated_words_finds_a_word_said_again_within_two_sentences():
    [repeat] = repeated_words("I have decided to go. I decided it well.")
    assert (repeat.word, repeat.again) == ("decide", "I decided it well.")
    assert repeated_words("I have decided. A pause. I decided again.")[0].word == "decide"
    assert repeated_words("I have decided. A pause. A long one. I decided again.") == []
    assert repeated_words("In the end, yes. And in the end, no.")[0].word == "in the end"


@pytest.mark.parametrize(
    "text",
    [
        "A working pattern that suits my life outside work.",
        "I respect the work you do. The role works well.",
        "It works for me. Working there would be a joy.",
    ],
)
def test_every_form_of_work_counts_as_work_said_again(text: str):
    assert [repeat.word for repeat in repeated_words(text)] == ["work"]


def test_a_first_word_the_recipients_own_name_shares_names_no_other_employer():
    # Writing to Acme Robotics, "Acme" is the recipient, not Acme Labs; the full name
    # of the other still counts.
    def codes(text: str) -> set[str]:
        found = check_message(
            text, recipient_name="Dana", other_companies=("Acme Labs",), company="Acme Robotics"
        )
        return _codes(found)

    assert "names_other_employer" not in codes("I decline Acme's offer with thanks, Dana.")
    assert "names_other_employer" in codes("I decline; Acme Labs offered more, Dana.")
