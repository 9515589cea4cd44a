"""Build a message to an employer from our own text blocks, and review it before it goes out.

A message has a purpose (``messaging.purposes``: a decline, an acceptance, a
counter-ask ...), whose blocks are each written per tone in
``templates/messaging/blocks/<folder>/``; a decline's four blocks (gratitude, a clear
decision, a reason, future relations) can each be switched off. The medium then frames
them (``templates/messaging/frames/``: greeting, closing, talking points for a call).
Plain text throughout: the HTML preview and the PDF escape it when they show it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from typing import Any

from django.template.loader import render_to_string

from messaging import purposes
from messaging.checks import Check, check_message

MEDIA = {
    "email": "E-mail",
    "letter": "Printed or PDF letter",
    "phone": "Phone call script",
    "short": "Short message (LinkedIn and the like)",
}
TONES = {"formal": "Formal", "warm": "Warm", "brief": "Brief"}
DIRECTIONS = {"candidate": "I am the candidate", "employer": "I am the employer"}
FUTURES = {"open": "Keep the door open", "closed": "Close it politely"}
ELEMENTS = ("gratitude", "decision", "reason", "future")

CANDIDATE_REASONS = {
    "accepted_other": "I accepted another offer",
    "compensation": "Compensation",
    "growth": "Career growth",
    "role_fit": "Role fit or clarity",
    "work_life": "Work-life balance",
    "location": "Location or relocation",
    "culture": "Culture",
    "personal": "Personal circumstances",
    "none": "No reason given",
}
EMPLOYER_REASONS = {
    "other_candidate": "Another candidate matched more closely",
    "experience": "Experience for this level",
    "skills": "Specific skills for the role",
    "role_changed": "The role changed or closed",
    "none": "No reason given",
}

# Longest text each medium carries well. The short message is a hard limit of the
# networks it goes to; the others keep a letter on one page and a call short.
# Nothing a person writes by hand needs more; anything longer is refused, not rendered.
MAX_BODY_CHARS = 10_000


@dataclass(frozen=True)
class Parties:
    """Who writes to whom, and about what. Names come from the profile and the offer."""

    sender_name: str
    signature: str
    company: str
    role: str
    recipient_name: str = ""
    # The offer's currency, for the figures a counter-ask states.
    currency: str = ""
    # The offer's terms as phrases ready to quote ("a base salary of €85,000 a year"):
    # an acceptance restates them (``messaging.services.offer_terms``).
    terms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Choices:
    """How to write the message. ``details`` are its purpose's own choices, as plain
    values (``messaging.forms`` asks for them): an amount, a date, a lever."""

    purpose: str = purposes.DECLINE
    direction: str = "candidate"
    medium: str = "email"
    tone: str = "warm"
    gratitude: bool = True
    decision: bool = True
    reason: bool = True
    future: bool = True
    future_mode: str = "open"
    reason_choice: str = "accepted_other"
    reason_detail: str = ""
    details: dict[str, Any] = field(default_factory=dict)

    def elements(self) -> list[str]:
        """The blocks the message is made of, in order."""
        if self.purpose != purposes.DECLINE:
            return list(purposes.get(self.purpose).blocks)
        return [name for name in ELEMENTS if getattr(self, name)]


# The choices as a saved message stores them, one column each.
CHOICE_FIELDS: tuple[str, ...] = tuple(choice.name for choice in fields(Choices))


@dataclass(frozen=True)
class Draft:
    subject: str
    body: str


@dataclass(frozen=True)
class Review:
    checks: list[Check] = field(default_factory=list)

    @property
    def problems(self) -> list[Check]:
        return [c for c in self.checks if c.level == "problem"]


def compose(choices: Choices, parties: Parties) -> Draft:
    """Render the subject and body for these choices; whitespace is tidied, text kept."""
    if choices.medium not in MEDIA or choices.tone not in TONES:
        raise ValueError("Unknown medium or tone.")
    if choices.direction not in DIRECTIONS:
        raise ValueError("Unknown direction.")
    if choices.purpose not in purposes.PURPOSES:
        raise ValueError("Unknown purpose.")
    purpose = purposes.get(choices.purpose)
    if choices.medium not in purpose.media:
        raise ValueError(f"{purpose.label} is not written as {MEDIA[choices.medium]}.")
    context = {
        "c": choices,
        "d": choices.details,
        "p": parties,
        "purpose": purpose,
        "first_name": _first_name(parties.recipient_name),
    }
    folder = f"messaging/blocks/{purpose.folder(choices.direction)}"
    blocks = [
        (name, _tidy(render_to_string(f"{folder}/{name}_{choices.tone}.txt", context)))
        for name in choices.elements()
    ]
    body = render_to_string(
        f"messaging/frames/{choices.medium}.txt",
        {
            **context,
            "folder": folder,
            "blocks": [text for _, text in blocks if text],
            "named_blocks": dict(blocks),
        },
    )
    # A purpose's own subject line, else the decline's.
    subject = render_to_string([f"{folder}/_subject.txt", "messaging/frames/subject.txt"], context)
    return Draft(subject=_tidy(subject).replace("\n", " "), body=_tidy(body))


def suggest_reason(losses: dict[str, float]) -> str:
    """The reason to give, from the criterion on which the declined offer lost most.

    ``losses`` maps a reason code to the weighted points the offer lost to the chosen
    one on criteria of that kind. With no loss worth naming, "accepted another offer"
    is the safe thing to say.
    """
    worth_naming = {code: points for code, points in losses.items() if points > 0.5}
    if not worth_naming:
        return "accepted_other"
    return max(worth_naming, key=lambda code: (worth_naming[code], code))


def reason_for_criterion(name: str, *, pay: bool) -> str:
    """Map a criterion to the reason it stands for: a criterion that scores the offers'
    pay is compensation whatever its name; any other is read from its name."""
    if pay:
        return "compensation"
    lowered = name.lower()
    for code, words in _REASON_WORDS:
        if any(word in lowered for word in words):
            return code
    return "accepted_other"


_REASON_WORDS = (
    ("compensation", ("salary", "pay", "compensation", "money", "bonus", "equity")),
    ("culture", ("culture", "team", "values", "people", "manager")),
    ("role_fit", ("role", "clarity", "scope", "responsibilit", "title")),
    ("work_life", ("balance", "hours", "remote", "flexib", "wlb", "on-call")),
    ("location", ("location", "commute", "relocat", "city", "travel")),
    ("growth", ("growth", "career", "learn", "progress", "promotion", "mission")),
)


def review(
    draft: Draft,
    *,
    medium: str,
    recipient_name: str,
    deadline: dt.date | None,
    today: dt.date,
    direction: str = "candidate",
    other_companies: Iterable[str] = (),
    purpose: str = purposes.DECLINE,
    asked: Iterable[float] = (),
    other_figures: Iterable[float] = (),
) -> Review:
    """The remarks beside the preview: ``messaging.checks`` on the draft's body, as a
    message of ``purpose`` (a counter-ask's ``asked`` and ``other_figures`` too)."""
    return Review(
        check_message(
            draft.body,
            medium=medium,
            direction=direction,
            other_companies=other_companies,
            recipient_name=recipient_name,
            deadline=deadline,
            today=today,
            purpose=purpose,
            asked=asked,
            other_figures=other_figures,
        )
    )


def _first_name(full_name: str) -> str:
    parts = full_name.split()
    return parts[0] if parts else ""


LINE_END = re.compile(r"\r\n|\r|\n")


def _tidy(text: str) -> str:
    """Trim lines and collapse runs of blank lines left by optional blocks.

    Only real line ends break a line: ``splitlines`` would also break on the control
    characters a paste can carry (U+001E, U+2028 ...), changing what was typed.
    """
    lines = [line.rstrip() for line in LINE_END.split(text.strip())]
    tidy: list[str] = []
    for line in lines:
        if line or (tidy and tidy[-1]):
            tidy.append(line)
    return "\n".join(tidy).strip()
