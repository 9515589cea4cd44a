"""The keep-in-touch note as the composer frames it (templates/messaging/blocks/
keep_in_touch/ in messaging/compose.py's frames): the e-mail has its three blocks in
order, the short message stays within 300 characters with the longest names."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string

from messaging.compose import Choices, Parties, compose
from tests.messaging.test_stay_in_touch import LONG_COMPANY, LONG_ROLE, TONES, _context


@pytest.mark.parametrize("tone", TONES)
@pytest.mark.parametrize(
    ("role", "company"), [("Senior Data Analyst", "Northwind"), (LONG_ROLE, LONG_COMPANY)]
)
def test_the_short_note_as_sent_stays_within_300_characters(tone: str, role: str, company: str):
    parties = Parties(
        sender_name="Alex Morgan",
        signature="Alex Morgan",
        company=company,
        role=role,
        recipient_name="Jana Krüger",
    )

    body = compose(Choices(purpose="keep_in_touch", medium="short", tone=tone), parties).body

    assert role in body
    assert len(body) <= 300, (len(body), body)


@pytest.mark.parametrize("tone", TONES)
def test_the_note_as_an_e_mail_has_every_block_in_order(tone: str):
    parties = Parties(
        sender_name="Alex Morgan",
        signature="Alex Morgan",
        company="Northwind",
        role="Senior Data Analyst",
        recipient_name="Jana Krüger",
    )

    body = compose(Choices(purpose="keep_in_touch", medium="email", tone=tone), parties).body

    blocks = [
        render_to_string(
            f"messaging/blocks/keep_in_touch/{block}_{tone}.txt", _context(tone)
        ).strip()
        for block in ("hello", "news", "offer_help")
    ]
    positions = [body.index(block) for block in blocks]
    assert positions == sorted(positions)
    assert body.count("Hello") + body.count("hello") <= 1
