from __future__ import annotations

import datetime as dt

import pytest

from messaging.compose import (
    ELEMENTS,
    MEDIA,
    TONES,
    Choices,
    Draft,
    Parties,
    compose,
    reason_for_criterion,
    review,
    suggest_reason,
)

PARTIES = Parties(
    sender_name="Alex Morgan",
    signature="Alex Morgan\nData engineer",
    company="Lumen Bank",
    role="Lead Software Engineer",
    recipient_name="Sophie de Vries",
)
TODAY = dt.date(2026, 11, 26)


@pytest.mark.parametrize("direction", ["candidate", "employer"])
@pytest.mark.parametrize("medium", list(MEDIA))
@pytest.mark.parametrize("tone", list(TONES))
@pytest.mark.parametrize("off", [None, *ELEMENTS])
def test_every_medium_and_tone_renders_with_each_element_on_and_off(direction, medium, tone, off):
    reason = "work_life" if direction == "candidate" else "skills"
    choices = Choices(
        direction=direction,
        medium=medium,
        tone=tone,
        reason_choice=reason,
        **({off: False} if off else {}),
    )
    full = compose(
        Choices(direction=direction, medium=medium, tone=tone, reason_choice=reason), PARTIES
    )
    draft = compose(choices, PARTIES)
    assert draft.body
    assert draft.subject
    assert "{{" not in draft.body
    assert "\n\n\n" not in draft.body
    if off:
        assert len(draft.body) < len(full.body)
    if medium == "short":
        assert len(draft.body) <= 300
    if medium == "phone":
        assert "Talking points" in draft.body
    if off == "gratitude" and medium != "phone":
        assert "Thank you" not in draft.body


def test_the_warm_email_greets_by_first_name_and_signs_with_the_signature():
    draft = compose(Choices(tone="warm"), PARTIES)
    assert draft.body.startswith("Hi Sophie,")
    assert draft.body.endswith("With warm regards,\nAlex Morgan\nData engineer")


def test_the_reason_never_names_money_bluntly_or_the_other_employer():
    body = compose(Choices(reason_choice="compensation"), PARTIES).body.lower()
    assert "salary" not in body
    assert "money" not in body
    assert "package" in body


def test_the_candidates_own_words_follow_the_reason_as_typed():
    detail = "I'm joining <Acme> & friends."
    body = compose(Choices(reason_detail=detail), PARTIES).body
    assert detail in body


@pytest.mark.parametrize("separator", ["\x1e", "\u2028", "\x0c", "\x85"])
def test_only_real_line_ends_break_the_candidates_words(separator):
    # Found by the form fuzzer: str.splitlines() broke a line at U+001E and friends.
    detail = f"Closer to family{separator}and friends"
    assert detail in compose(Choices(reason_detail=detail), PARTIES).body


def test_closing_the_door_politely():
    body = compose(Choices(future_mode="closed", tone="formal"), PARTIES).body
    assert "every success" in body
    assert "stay in touch" not in body


def test_the_phone_script_prepares_for_a_counter_offer():
    body = compose(Choices(medium="phone"), PARTIES).body
    assert "counter-offer" in body


def test_a_titled_name_is_greeted_by_title_in_a_formal_email():
    titled = Parties("Alex", "Alex", "Lumen Bank", "Engineer", "Dr Sophie de Vries")
    assert compose(Choices(tone="formal"), titled).body.startswith("Dear Dr de Vries,")
    assert compose(Choices(tone="warm"), titled).body.startswith("Hi Sophie,")


def test_without_a_name_the_formal_greeting_addresses_the_team():
    nameless = Parties("Alex", "Alex", "Lumen Bank", "Engineer", "")
    assert compose(Choices(tone="formal"), nameless).body.startswith("Dear Hiring Team,")


@pytest.mark.parametrize(
    ("name", "pay", "reason"),
    [
        ("Salary", True, "compensation"),
        ("Culture", False, "culture"),
        ("Role clarity", False, "role_fit"),
        ("Work-life balance", False, "work_life"),
        ("Commute", False, "location"),
        ("Growth", False, "growth"),
        ("Snacks", False, "accepted_other"),
    ],
)
def test_criteria_map_to_reasons(name, pay, reason):
    assert reason_for_criterion(name, pay=pay) == reason


def test_the_suggestion_is_where_the_offer_lost_most():
    assert suggest_reason({"compensation": 3.0, "culture": 7.5, "location": -2}) == "culture"
    assert suggest_reason({"culture": 0.2}) == "accepted_other"
    assert suggest_reason({}) == "accepted_other"


def _review(body: str, **kwargs) -> list[str]:
    options = {"medium": "email", "recipient_name": "Sophie", "deadline": None, "today": TODAY}
    result = review(Draft("Subject", body), **{**options, **kwargs})
    return [f"{c.level}: {c.message}" for c in result.checks]


def test_review_flags_length_negative_words_apologies_and_a_missing_name():
    lines = _review(
        "Unfortunately I am sorry, so sorry. " + "x" * 1000, medium="short", recipient_name=""
    )
    text = "\n".join(lines)
    assert "problem: 1,036 characters: more than the 1,000 that suit a short message" in text
    assert "“unfortunately”" in text
    assert "Apologises 2 times" in text
    assert "No recipient name" in text


@pytest.mark.parametrize(
    ("deadline", "expected"),
    [
        (dt.date(2026, 11, 20), "problem: The reply deadline passed 6 days ago"),
        (dt.date(2026, 11, 26), "warning: The reply deadline is today"),
        (dt.date(2026, 11, 27), "warning: The reply deadline is tomorrow"),
        (dt.date(2026, 12, 6), "ok: 10 days until the reply deadline"),
        (None, "ok: No reply deadline"),
    ],
)
def test_review_nudges_on_timing(deadline, expected):
    assert any(line.startswith(expected) for line in _review("Fine.", deadline=deadline))
