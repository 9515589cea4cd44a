"""What the tests of the messaging pages post: one set of decline choices, as the
composer's form sends them (every element on, the default reason)."""

from __future__ import annotations

DECLINE_CHOICES = {
    "direction": "candidate",
    "medium": "email",
    "tone": "warm",
    "gratitude": "on",
    "decision": "on",
    "reason": "on",
    "future": "on",
    "future_mode": "open",
    "reason_choice": "accepted_other",
    "reason_detail": "",
    "recipient_name": "Jana Krüger",
}
