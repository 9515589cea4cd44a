"""The parties the sweeps of our own texts write for (tests/messaging/test_wording.py
and test_wording_review.py), so that what one checks is what the other checks."""

from __future__ import annotations

from messaging.compose import Parties

SWEEP_PARTIES = Parties(
    sender_name="Alex Morgan",
    signature="Alex Morgan",
    company="Northwind Analytics",
    role="Senior Data Engineer",
    recipient_name="Jana Krüger",
    currency="EUR",
    sender_phone="+49 30 1234 5678",
    terms=("a base salary of €85,000 a year", "a hybrid arrangement based in Berlin"),
)
