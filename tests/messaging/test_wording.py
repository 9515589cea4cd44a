"""The words of every purpose's message: what each says, in every tone and medium,
and the phrases a coach would not send."""

from __future__ import annotations

import datetime as dt

from messaging import purposes
from messaging.compose import TONES, Choices, Parties, compose

PARTIES = Parties(
    sender_name="Alex Morgan",
    signature="Alex Morgan",
    company="Northwind Analytics",
    role="Senior Data Engineer",
    recipient_name="Jana Krüger",
    currency="EUR",
    sender_phone="+49 30 1234 5678",
    terms=("a base salary of €85,000 a year", "a hybrid arrangement based in Berlin"),
)


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
