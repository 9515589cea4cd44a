"""Each medium written for itself: the letter, the short message and the call script
have their own shape, and no generated decline repeats a verb within two sentences."""

from __future__ import annotations

import datetime as dt
import itertools
import re

import pytest

from messaging import services
from messaging.checks import check_message, repeated_words
from messaging.compose import (
    CANDIDATE_REASONS,
    ELEMENTS,
    EMPLOYER_REASONS,
    FUTURES,
    MEDIA,
    TONES,
    Choices,
    Parties,
    compose,
    parse_name,
    salutation,
)
from tests.factories import OfferFactory, UserFactory

PARTIES = Parties(
    sender_name="Alex Morgan",
    signature="Alex Morgan\nData engineer · alex.morgan@example.com",
    company="Northwind Analytics",
    role="Senior Data Engineer",
    recipient_name="Jana Krüger",
    sender_address="Lindenstraße 12\n10969 Berlin\nGermany",
    sender_phone="+49 30 1234 5678",
    sender_email="alex@example.com",
    location="Berlin",
    offer_date=dt.date(2027, 3, 1),
)
# As long as people and companies get: a 40-character company and role, long names.
LONG = Parties(
    sender_name="Maximilian von Oberhausen-Brandt",
    signature="Maximilian von Oberhausen-Brandt",
    company="Oberrheinische Versicherungsgruppe GmbH",
    role="Principal Machine Learning Platform Lead",
    recipient_name="Alexandra Featherstonehaugh",
    sender_phone="+49 30 1234 5678",
)
REASONS = {"candidate": CANDIDATE_REASONS, "employer": EMPLOYER_REASONS}
SWITCHES = list(itertools.product([True, False], repeat=len(ELEMENTS)))


def every_decline():
    """Every choice a decline can be written with: direction x tone x medium x each
    element on or off x reason x door open or closed."""
    for direction, reasons in REASONS.items():
        for tone, medium, switches, reason, future_mode in itertools.product(
            TONES, MEDIA, SWITCHES, reasons, FUTURES
        ):
            yield Choices(
                direction=direction,
                medium=medium,
                tone=tone,
                reason_choice=reason,
                future_mode=future_mode,
                **dict(zip(ELEMENTS, switches, strict=True)),
            )


def _letter_body(text: str) -> str:
    """The paragraphs between the salutation and the closing."""
    paragraphs = text.split("\n\n")
    return "\n\n".join(paragraphs[1:-2])


def _words(text: str) -> int:
    return len(re.findall(r"[\w’'-]+", text))


# The letter ------------------------------------------------------------------------


@pytest.mark.parametrize("direction", list(REASONS))
@pytest.mark.parametrize("tone", list(TONES))
@pytest.mark.parametrize("future_mode", list(FUTURES))
def test_a_letter_with_every_element_on_is_150_to_250_words(direction, tone, future_mode):
    # "No reason given" leaves its paragraph out, so it is measured apart below.
    for reason in set(REASONS[direction]) - {"none"}:
        choices = Choices(
            direction=direction,
            medium="letter",
            tone=tone,
            reason_choice=reason,
            future_mode=future_mode,
        )
        body = _letter_body(compose(choices, PARTIES).body)
        assert 150 <= _words(body) <= 250, (reason, _words(body), body)


@pytest.mark.parametrize("direction", list(REASONS))
@pytest.mark.parametrize("tone", list(TONES))
def test_a_letter_giving_no_reason_is_a_paragraph_shorter_but_still_a_letter(direction, tone):
    choices = Choices(direction=direction, medium="letter", tone=tone, reason_choice="none")
    body = _letter_body(compose(choices, PARTIES).body)
    assert 100 <= _words(body) <= 250, body


def test_the_letter_is_a_letter_not_an_email_in_a_frame():
    email = compose(Choices(medium="email", tone="formal"), PARTIES)
    letter = compose(Choices(medium="letter", tone="formal"), PARTIES)
    paragraphs = letter.body.split("\n\n")
    assert paragraphs[0] == "Dear Jana Krüger,"
    assert paragraphs[-2:] == ["Yours sincerely,", "Alex Morgan"]
    # Its own paragraphs, fuller than the e-mail's, and a reference line for a subject.
    assert _words(letter.body) > _words(email.body) * 1.5
    assert letter.subject == "Senior Data Engineer: your offer of 1 March 2027"
    assert email.subject == "Offer for the position of Senior Data Engineer"


def test_the_reference_line_follows_the_paper_and_the_direction():
    us = Parties(**{**PARTIES.__dict__, "paper_size": "letter"})
    assert compose(Choices(medium="letter"), us).subject == (
        "Senior Data Engineer: your offer of March 1, 2027"
    )
    employer = compose(Choices(medium="letter", direction="employer"), PARTIES)
    assert employer.subject == "Your application for the position of Senior Data Engineer"


def test_the_letter_head_puts_each_party_where_a_letter_does():
    head = PARTIES.head(direction="candidate", day=dt.date(2027, 3, 9))
    assert head.sender == (
        "Alex Morgan",
        "Lindenstraße 12",
        "10969 Berlin",
        "Germany",
        "+49 30 1234 5678",
        "alex@example.com",
    )
    assert head.return_line == "Alex Morgan · Lindenstraße 12 · 10969 Berlin · Germany"
    # The offer's location says where the work is, not where a letter goes.
    assert head.recipient == ("Jana Krüger", "Northwind Analytics")
    assert head.date == "9 March 2027"
    employer = PARTIES.head(direction="employer", day=dt.date(2027, 3, 9))
    assert employer.sender[:2] == ("Alex Morgan", "Northwind Analytics")
    assert employer.recipient == ("Jana Krüger",)


@pytest.mark.parametrize(
    ("name", "tone", "medium", "expected"),
    [
        ("Ms Daniela Okafor", "formal", "letter", "Dear Ms Okafor,"),
        ("Dr. Daniel Okafor", "formal", "email", "Dear Dr Okafor,"),
        ("Daniel Okafor", "formal", "letter", "Dear Daniel Okafor,"),
        ("Daniel Okafor", "warm", "letter", "Dear Daniel,"),
        ("Daniel Okafor", "brief", "letter", "Dear Daniel,"),
        ("Mr Okafor", "warm", "letter", "Dear Mr Okafor,"),
        ("Daniel Okafor", "warm", "email", "Hi Daniel,"),
        ("Ms Daniela Okafor", "warm", "email", "Hi Daniela,"),
        ("Daniel Okafor", "brief", "short", "Hello Daniel,"),
        ("Sophie de Vries", "formal", "letter", "Dear Sophie de Vries,"),
        # A title given with the name: formal by title and family name, particle kept.
        ("Ms Sophie de Vries", "formal", "letter", "Dear Ms de Vries,"),
        ("Ms Sophie de Vries", "formal", "email", "Dear Ms de Vries,"),
        ("Ms Sophie de Vries", "warm", "email", "Hi Sophie,"),
        ("", "formal", "letter", "Dear Hiring Team,"),
        ("", "warm", "letter", "Dear Hiring Team,"),
        ("", "warm", "email", "Hi there,"),
        ("", "brief", "email", "Hello,"),
    ],
)
def test_the_salutation_follows_tone_title_and_medium(name, tone, medium, expected):
    assert salutation(name, tone=tone, medium=medium) == expected


def test_a_title_is_never_taken_for_a_first_name():
    assert parse_name("Ms Okafor").given == ""
    assert parse_name("Ms Okafor").family == "Okafor"
    assert parse_name("Prof. Ada Lovelace King").family == "Lovelace King"
    body = compose(Choices(medium="phone"), Parties("A", "A", "Co", "Role", "Dr Ada King")).body
    assert "Hello Ada," in body
    assert "Hello Dr," not in body


# The short message -----------------------------------------------------------------


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()]


@pytest.mark.parametrize("direction", list(REASONS))
@pytest.mark.parametrize("tone", list(TONES))
def test_a_short_message_is_two_or_three_sentences_within_300_characters(direction, tone):
    for reason, future_mode in itertools.product(REASONS[direction], FUTURES):
        choices = Choices(
            direction=direction,
            medium="short",
            tone=tone,
            reason_choice=reason,
            future_mode=future_mode,
        )
        body = compose(choices, LONG).body
        greeting, text, signed = body.split("\n")
        assert greeting.endswith("Alexandra,") or greeting == "Dear Alexandra Featherstonehaugh,"
        # Signed as the e-mail is: the signature's first line.
        assert signed == "Maximilian von Oberhausen-Brandt"
        assert len(body) <= 300, (len(body), body)
        assert 2 <= len(_sentences(text)) <= 3, text
        assert LONG.role in text
        assert not re.search(r"\bit\b", text, re.IGNORECASE), text


@pytest.mark.parametrize("direction", list(REASONS))
@pytest.mark.parametrize("off", ["gratitude", "decision", "reason"])
def test_a_short_message_names_the_role_whatever_is_switched_off(direction, off):
    reason = "growth" if direction == "candidate" else "skills"
    for tone in TONES:
        choices = Choices(
            direction=direction, medium="short", tone=tone, reason_choice=reason, **{off: False}
        )
        text = compose(choices, LONG).body.split("\n")[1]
        assert LONG.role in text, text


def test_a_short_message_signs_with_the_signatures_name_never_the_sign_in_name():
    # A profile with no full name: the sign-in name is all ``sender_name`` has.
    parties = Parties(**{**PARTIES.__dict__, "sender_name": "amorgan42"})
    for purpose, tone in [("decline", "warm"), ("extension", "brief"), ("keep_in_touch", "formal")]:
        choices = Choices(
            purpose=purpose, medium="short", tone=tone, details={"until": "2027-03-20"}
        )
        body = compose(choices, parties).body
        assert body.splitlines()[-1] == "Alex Morgan"
        assert "amorgan42" not in body
    unsigned = Parties(**{**PARTIES.__dict__, "signature": "", "full_name": "Alex Morgan"})
    assert compose(Choices(medium="short"), unsigned).body.splitlines()[-1] == "Alex Morgan"


@pytest.mark.parametrize(
    "sign_off",
    ["Kind regards,", "Best", "Best wishes,", "Thanks!", "Sincerely", "Yours sincerely,",
     "Cheers", "Warm regards", "Regards", "Many thanks", "All the best —", "With kind regards"],
)  # fmt: skip
def test_a_short_message_signs_with_the_name_under_a_sign_off(sign_off: str):
    parties = Parties(
        **{**PARTIES.__dict__, "signature": f"{sign_off}\n\nAlex Morgan\nData engineer"}
    )
    assert parties.short_signature == "Alex Morgan"
    body = compose(Choices(medium="short"), parties).body
    assert body.splitlines()[-1] == "Alex Morgan"
    assert sign_off not in body


def test_a_short_message_with_only_a_sign_off_signs_with_the_full_name_else_no_name():
    sign_off_only = {**PARTIES.__dict__, "sender_name": "amorgan42", "signature": "Kind regards,"}
    named = Parties(**{**sign_off_only, "full_name": "Alex Morgan"})
    assert compose(Choices(medium="short"), named).body.splitlines()[-1] == "Alex Morgan"
    nameless = Parties(**{**sign_off_only, "full_name": ""})
    assert nameless.short_signature == ""
    body = compose(Choices(medium="short"), nameless).body
    assert "amorgan42" not in body
    assert "Kind regards" not in body
    assert body.splitlines()[-1].endswith(".")  # the message ends, unsigned


@pytest.mark.django_db
def test_a_short_message_from_a_profile_without_a_name_never_signs_with_the_sign_in_name():
    user = UserFactory(username="amorgan42", full_name="", signature="")
    offer = OfferFactory(decision__owner=user)
    parties = services.parties(sender=user, offer=offer, recipient_name="Jana")
    body = compose(Choices(medium="short"), parties).body
    assert "amorgan42" not in body
    # Once the profile has a name, the short message signs with it.
    user.full_name = "Alex Morgan"
    parties = services.parties(sender=user, offer=offer, recipient_name="Jana")
    assert compose(Choices(medium="short"), parties).body.splitlines()[-1] == "Alex Morgan"


def test_the_short_message_keeps_the_candidates_own_words():
    detail = "The commute would have been two hours."
    body = compose(Choices(medium="short", reason_detail=detail), PARTIES).body
    assert detail in body


def test_a_short_message_past_a_connection_note_is_flagged_but_not_refused():
    detail = "I would rather be closer to my parents, who are getting older. " * 3
    body = compose(Choices(medium="short", reason_detail=detail.strip()), PARTIES).body
    assert 300 < len(body) < 1000
    checks = {c.code: c.level for c in check_message(body, medium="short", recipient_name="J")}
    assert checks["too_long"] == "warning"
    ours = compose(Choices(medium="short"), PARTIES).body
    ok = {c.code for c in check_message(ours, medium="short", recipient_name="J")}
    assert "too_long" not in ok


# The call script ---------------------------------------------------------------------


def _section(script: str, heading: str) -> str:
    """The lines under ``heading``, up to the next blank line."""
    after = script.split(f"\n{heading}\n", 1)[1]
    return after.split("\n\n", 1)[0]


@pytest.mark.parametrize("tone", list(TONES))
@pytest.mark.parametrize("reason", list(CANDIDATE_REASONS))
def test_the_call_script_is_spoken_with_voicemail_and_a_line_for_nosy_questions(tone, reason):
    script = compose(Choices(medium="phone", tone=tone, reason_choice=reason), PARTIES).body
    email = compose(Choices(medium="email", tone=tone, reason_choice=reason), PARTIES).body
    points = _section(script, "Talking points").splitlines()
    assert len(points) == (3 if reason == "none" else 4)
    assert all(point.startswith("- “") for point in points)
    # Said, not read: none of the e-mail's sentences comes back word for word.
    for sentence in _sentences(email):
        if len(sentence) > 30:
            assert sentence not in script
    voicemail = _section(script, "If you reach voicemail")
    assert "Alex Morgan" in voicemail
    assert "+49 30 1234 5678" in voicemail
    asked = _section(script, "If they ask where you are going, or what the other offer pays")
    assert "keep those details to myself" in asked
    assert "If they come back with a counter-offer" in script


def test_after_giving_pay_as_the_reason_the_script_never_says_it_was_not_the_package():
    script = compose(Choices(medium="phone", reason_choice="compensation"), PARTIES).body
    counter = _section(script, "If they come back with a counter-offer")
    assert "package wouldn't change" not in counter
    assert "not only about the package" not in script
    assert "Pay is why you are saying no" in counter


@pytest.mark.parametrize("reason", ["growth", "culture", "location"])
def test_after_another_reason_the_script_says_pay_would_not_change_it(reason):
    script = compose(Choices(medium="phone", reason_choice=reason), PARTIES).body
    assert "a better package wouldn't change it" in script


def test_a_reason_left_out_is_not_argued_on_the_phone():
    script = compose(Choices(medium="phone", reason=False, reason_choice="growth"), PARTIES).body
    counter = _section(script, "If they come back with a counter-offer")
    assert "package" not in counter
    assert "my mind is made up." in counter


def test_an_employer_call_leaves_the_news_off_the_voicemail():
    script = compose(Choices(medium="phone", direction="employer"), PARTIES).body
    voicemail = _section(script, "If you reach voicemail")
    assert "ring me back" in voicemail
    assert "not" not in voicemail
    assert "who got the role" in script


# Varied sentences --------------------------------------------------------------------


def test_no_generated_decline_repeats_a_verb_within_two_sentences():
    failures = {}
    for choices in every_decline():
        for parties in (PARTIES, LONG):
            draft = compose(choices, parties)
            for repeat in repeated_words(draft.body):
                failures.setdefault((repeat.word, repeat.first, repeat.again), choices)
    assert not failures, "\n".join(
        f"{verb}: {first!r} / {second!r} ({c.direction} {c.medium} {c.tone} {c.reason_choice})"
        for (verb, first, second), c in list(failures.items())[:30]
    )


def test_employer_feedback_is_kind_and_specific():
    for choices in every_decline():
        if choices.direction != "employer":
            continue
        body = compose(choices, PARTIES).body.lower()
        assert "we need more experience" not in body
        assert "enough of them" not in body
