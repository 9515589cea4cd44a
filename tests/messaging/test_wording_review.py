"""Wording a career coach would send: the phrases a walkthrough of every purpose found
awkward, gone, and what replaced them saying what it should (issue 15)."""

from __future__ import annotations

import dataclasses
import re

import pytest

from messaging import purposes
from messaging.compose import TONES, Choices, compose
from tests.messaging.parties import SWEEP_PARTIES

PARTIES = SWEEP_PARTIES


def _draft(purpose: str, *, medium: str = "email", tone: str = "warm", **details):
    return compose(Choices(purpose=purpose, medium=medium, tone=tone, details=details), PARTIES)


def _body(purpose: str, **kwargs) -> str:
    return _draft(purpose, **kwargs).body


def _section(script: str, heading: str) -> str:
    """The lines of a call script under ``heading``, up to the next blank line."""
    return script.split(f"\n{heading}\n", 1)[1].split("\n\n", 1)[0]


VARIANTS = ("conservative", "realistic", "ambitious")


# The counter-ask ---------------------------------------------------------------------


@pytest.mark.parametrize("medium", ["email", "phone"])
@pytest.mark.parametrize("tone", list(TONES))
def test_a_counter_ask_that_is_not_money_is_asked_as_its_own_question(medium, tone):
    for variant in VARIANTS:
        remote = _body(
            "counter", medium=medium, tone=tone, lever="remote_days", amount=5, variant=variant
        )
        later = _body(
            "counter",
            medium=medium,
            tone=tone,
            lever="start_date",
            start_date="2027-04-01",
            variant=variant,
        )
        titled = _body(
            "counter",
            medium=medium,
            tone=tone,
            lever="title",
            title="Principal Engineer",
            variant=variant,
        )
        for body in (remote, later, titled):
            assert "include working" not in body
            assert "include a start date" not in body
            assert "including a start date" not in body
            assert "the title of Principal Engineer be possible" not in body
        assert "working fully remotely" not in remote
        assert "fully remote" in remote
        assert "a start date of 1 April 2027" in later
        assert "the title of Principal Engineer" in titled
    realistic = _body("counter", medium=medium, tone=tone, lever="remote_days", amount=5)
    assert re.search(
        r"could the role be fully remote|whether the role could be fully remote",
        realistic,
        re.IGNORECASE,
    )
    assert re.search(
        r"(could we|whether we could) agree a start date of 1 April 2027",
        _body("counter", medium=medium, tone=tone, lever="start_date", start_date="2027-04-01"),
        re.IGNORECASE,
    )


@pytest.mark.parametrize("medium", ["email", "phone"])
@pytest.mark.parametrize("tone", list(TONES))
def test_the_reason_given_for_a_counter_ask_fits_what_is_asked(medium, tone):
    money = _body("counter", medium=medium, tone=tone, lever="base_salary", amount=6000)
    later = _body("counter", medium=medium, tone=tone, lever="start_date", start_date="2027-04-01")
    titled = _body("counter", medium=medium, tone=tone, lever="title", title="Principal Engineer")
    remote = _body("counter", medium=medium, tone=tone, lever="remote_days", amount=2)
    for body in (money, later, titled, remote):
        assert "I say this because" not in body
        assert "a request I can stand behind" not in body
        assert "Joining the team is what I'm hoping for" not in body
        assert "made me keener" not in body
    for body in (later, titled, remote):
        assert "my best from the start" not in body
        assert "my best to the position" not in body
        assert "do my best work" not in body
    assert "hand over my current" in later
    assert "responsibilities" in titled
    assert "focused" in remote


# Asking for more time ---------------------------------------------------------------


@pytest.mark.parametrize("medium", ["email", "phone", "short"])
@pytest.mark.parametrize("tone", list(TONES))
def test_a_process_under_way_is_given_as_closing_what_was_started_not_shopping_around(medium, tone):
    body = _body(
        "extension", medium=medium, tone=tone, until="2027-03-20", extension_reason="process"
    )
    assert "a process" not in body
    assert "already started" in body


@pytest.mark.parametrize("tone", list(TONES))
def test_the_call_script_answers_the_question_of_other_offers_in_line_with_the_reason(tone):
    script = _body(
        "extension", medium="phone", tone=tone, until="2027-03-20", extension_reason="process"
    )
    asked = _section(script, "If they ask why")
    assert "keep the focus on this one" not in asked
    assert "conversations under way before yours" in asked
    for reason in ("careful_thought", "family", "commitment"):
        script = _body(
            "extension", medium="phone", tone=tone, until="2027-03-20", extension_reason=reason
        )
        asked = _section(script, "If they ask why")
        assert "The time is so that my answer is one I'll stand by" not in asked
        assert "keep the focus on this one" in asked


def test_the_formal_subject_asks_for_time_instead_of_naming_the_date_of_an_answer():
    subject = _draft("extension", tone="formal", until="2027-03-20").subject
    assert subject == "Senior Data Engineer offer: a little more time to decide"


# The acceptance ------------------------------------------------------------------------


def test_a_brief_acceptance_names_the_role_once():
    body = _body("accept", tone="brief")
    assert body.count(PARTIES.role) == 1
    assert "I am happy to accept" in body


def test_a_formal_acceptance_says_the_position_once():
    body = _body("accept", tone="formal")
    assert body.count("position") == 1
    assert f"I am pleased to accept the position of {PARTIES.role}" in body


@pytest.mark.parametrize("tone", list(TONES))
def test_a_letter_accepting_thanks_for_the_offer_not_for_a_letter(tone):
    assert "your letter offering" not in _body("accept", medium="letter", tone=tone)


@pytest.mark.parametrize("tone", list(TONES))
def test_an_acceptance_is_never_left_on_voicemail(tone):
    voicemail = _section(_body("accept", medium="phone", tone=tone), "If you reach voicemail")
    assert "accept" not in voicemail.lower()
    assert "yes" not in voicemail.lower()
    assert "ring me back" in voicemail
    assert PARTIES.sender_phone in voicemail


# The withdrawal ------------------------------------------------------------------------


def test_a_warm_letter_withdrawing_says_i_know_and_my_yes_at_most_once():
    body = _body("withdraw", medium="letter", tone="warm")
    assert "I know" not in body
    assert body.count("my yes") <= 1
    assert "withdraw my acceptance" in body


def test_the_warm_withdrawal_voicemail_asks_for_a_call_in_plain_words():
    voicemail = _section(_body("withdraw", medium="phone", tone="warm"), "If you reach voicemail")
    assert "in person than on a message" not in voicemail
    assert "ring me back today" in voicemail


# Letters -------------------------------------------------------------------------------


def _letter_words(body: str) -> int:
    """The words between the salutation and the closing, as a letter's length is
    measured (tests/messaging/test_media.py)."""
    paragraphs = body.split("\n\n")
    return len(re.findall(r"[\w’'-]+", "\n\n".join(paragraphs[1:-2])))


# Each purpose written as a letter, with each of its options on and off. A decline's
# letters, with their elements switched off, are measured in test_media.py.
LETTER_DETAILS = {
    purposes.ACCEPT: [{"start_date": "2027-05-03"}, {}],
    purposes.WITHDRAW: [{}],
}


def test_every_purpose_but_the_decline_written_as_a_letter_is_measured_here():
    written = {
        code
        for code, purpose in purposes.PURPOSES.items()
        if "letter" in purpose.media and code != purposes.DECLINE
    }
    assert written == set(LETTER_DETAILS)


# The fewest words an offer gives a letter: a short role and company, one term (how
# the work is done is always known), and the most: long names and every figure.
SPARE = dataclasses.replace(
    PARTIES, role="Engineer", company="Acme", recipient_name="Jo Li", terms=("a remote role",)
)
FULL = dataclasses.replace(
    PARTIES,
    role="Senior Principal Machine Learning Platform Engineer",
    company="Konstantinopoulou Advanced Analytics International",
    terms=(
        "a base salary of €185,000 a year",
        "an expected bonus of €18,500 a year",
        "equity worth about €40,000 a year",
        "a signing bonus of €15,000",
        "a hybrid arrangement based in Berlin",
    ),
)


@pytest.mark.parametrize("parties", [PARTIES, SPARE, FULL], ids=["sweep", "spare", "full"])
@pytest.mark.parametrize("tone", list(TONES))
@pytest.mark.parametrize("purpose", list(LETTER_DETAILS))
def test_every_letter_is_150_to_250_words(purpose, tone, parties):
    for details in LETTER_DETAILS[purpose]:
        choices = Choices(purpose=purpose, medium="letter", tone=tone, details=details)
        body = compose(choices, parties).body
        assert 150 <= _letter_words(body) <= 250, (details, _letter_words(body), body)


# Whether a declined offer is still open ------------------------------------------------


@pytest.mark.parametrize("medium", ["email", "phone", "short"])
@pytest.mark.parametrize("tone", list(TONES))
def test_the_candidate_who_said_no_speaks_of_no_hard_feelings_of_theirs(medium, tone):
    body = _body("still_open", medium=medium, tone=tone)
    assert "hard feelings" not in body.lower()
    assert "understand" in body


@pytest.mark.parametrize("tone", list(TONES))
def test_the_call_asking_whether_an_offer_is_open_does_not_assume_the_no_was_spoken(tone):
    body = _body("still_open", medium="phone", tone=tone)
    assert "When we last spoke" not in body
    assert re.search(r"declined|turned down", body)


# Staying in touch ----------------------------------------------------------------------


@pytest.mark.parametrize("tone", list(TONES))
def test_a_note_to_stay_in_touch_says_conversations_once(tone):
    assert _body("keep_in_touch", tone=tone).count("conversations") <= 1


@pytest.mark.parametrize("medium", ["email", "short"])
@pytest.mark.parametrize("tone", list(TONES))
def test_a_note_to_stay_in_touch_returns_no_favour_that_was_never_done(medium, tone):
    body = _body("keep_in_touch", medium=medium, tone=tone)
    assert "favour" not in body
    assert "candidate" in body or "refer someone" in body


@pytest.mark.parametrize("tone", list(TONES))
def test_after_a_no_the_call_script_suggests_other_levers_than_the_one_asked(tone):
    later = _section(
        _body("counter", medium="phone", tone=tone, lever="start_date", start_date="2027-04-01"),
        "If they say no",
    )
    assert "a later start date" not in later
    assert "the base salary" in later
    salary = _section(
        _body("counter", medium="phone", tone=tone, lever="base_salary", amount=6000),
        "If they say no",
    )
    assert "the base salary" not in salary
    assert "a later start date" in salary


@pytest.mark.parametrize("medium", ["email", "phone"])
@pytest.mark.parametrize("tone", list(TONES))
def test_a_signing_bonus_is_asked_on_top_of_any_already_offered(medium, tone):
    for variant in VARIANTS:
        body = _body(
            "counter", medium=medium, tone=tone, lever="signing_bonus", amount=5000, variant=variant
        )
        assert "€5,000 as a signing bonus, on top of any already in the offer" in body
