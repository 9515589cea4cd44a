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

# A signature's closing line, which a short message leaves out: "Kind regards,",
# "Best wishes", "Thanks!", "Yours sincerely", "Cheers" ...
SIGN_OFF = re.compile(
    r"""^(?:
        (?:with\s+)?(?:(?:kind|kindest|best|warm|warmest|many|all\s+the\s+best)\s+)?
            (?:regards|wishes|thanks)
        | best | all\s+the\s+best | thanks | thank\s+you | many\s+thanks | cheers
        | sincerely(?:\s+yours)? | yours(?:\s+(?:sincerely|faithfully|truly|ever))?
        | respectfully | cordially | take\s+care | speak\s+soon
    )\s*[,.!\u2013\u2014-]*$""",
    re.IGNORECASE | re.VERBOSE,
)

# The longest body any message may have, whatever its medium: nothing a person writes by
# hand needs more, and anything longer is refused, not rendered. What suits each medium
# is the checks' to say (``messaging.checks.MEDIUM_LIMITS``).
MAX_BODY_CHARS = 10_000


@dataclass(frozen=True)
class Parties:
    """Who writes to whom, and about what. Names come from the profile and the offer;
    the rest (addresses, the offer's date) is what a letter's head and a call need."""

    sender_name: str
    signature: str
    company: str
    role: str
    recipient_name: str = ""
    # The name the sender's profile gives, if any (``sender_name`` falls back to the
    # sign-in name, which a message never signs with).
    full_name: str = ""
    # The offer's currency, for the figures a counter-ask states.
    currency: str = ""
    sender_address: str = ""
    sender_phone: str = ""
    sender_email: str = ""
    location: str = ""
    offer_date: dt.date | None = None
    # The offer's terms as phrases ready to quote ("a base salary of €85,000 a year"):
    # an acceptance restates them (``messaging.services.offer_terms``).
    terms: tuple[str, ...] = ()
    # The sender's paper says which letter conventions to follow: A4 for the
    # day-month-year of most of the world, US Letter for month-day-year.
    paper_size: str = "a4"

    @property
    def short_signature(self) -> str:
        """The name a short message signs with: the signature's first line that is not a
        sign-off ("Kind regards,"), else the profile's full name, else none at all (never
        the sign-in name)."""
        for line in self.signature.splitlines():
            line = line.strip()
            if line and not SIGN_OFF.match(line):
                return line
        return self.full_name.strip()

    def dated(self, day: dt.date | None) -> str:
        """``day`` as a letter writes it: "9 March 2027", or "March 9, 2027" on US Letter."""
        return letter_date(day, self.paper_size)

    def head(self, *, direction: str, day: dt.date) -> LetterHead:
        """The head of a letter between these parties, dated ``day`` (``letter_head``)."""
        return letter_head(self, direction=direction, day=day)


def letter_date(day: dt.date | None, paper_size: str = "a4") -> str:
    """A date spelled out the way a letter on this paper would write it."""
    if day is None:
        return ""
    month = MONTHS[day.month - 1]
    if paper_size == "letter":
        return f"{month} {day.day}, {day.year}"
    return f"{day.day} {month} {day.year}"


# Spelled out here rather than by strftime, whose month names follow the locale.
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


# Titles a name may start with; "Ms Okafor" is then greeted by title and family name.
TITLES = {
    "mr": "Mr",
    "mrs": "Mrs",
    "ms": "Ms",
    "miss": "Miss",
    "mx": "Mx",
    "dr": "Dr",
    "prof": "Prof",
    "professor": "Professor",
}


@dataclass(frozen=True)
class Name:
    """A recipient's name read for greeting: ``title`` ("Dr"), ``given`` ("Daniel"),
    ``family`` ("de Vries"); any of them may be empty."""

    full: str
    title: str = ""
    given: str = ""
    family: str = ""


def parse_name(full_name: str) -> Name:
    """Split a typed name into title, given and family name. With a title and one more
    word, the word is the family name ("Ms Okafor"); without a title, the first word is
    the given name and the rest the family name ("Sophie de Vries")."""
    words = full_name.split()
    if not words:
        return Name(full="")
    title = TITLES.get(words[0].lower().rstrip("."), "")
    rest = words[1:] if title else words
    if title and len(rest) == 1:
        return Name(full=" ".join(words), title=title, family=rest[0])
    return Name(
        full=" ".join(words),
        title=title,
        given=rest[0] if rest else "",
        family=" ".join(rest[1:]),
    )


def salutation(full_name: str, *, tone: str, medium: str, direction: str = "candidate") -> str:
    """The greeting line, comma included.

    A letter and a formal message say "Dear": formal by title and family name when the
    name carries a title ("Dear Ms Okafor"), else by the whole name ("Dear Daniel
    Okafor"); warm and brief letters by the given name ("Dear Daniel"). E-mails and
    short messages in a warm or brief tone say "Hi Daniel" and "Hello Daniel".
    Without a name, the team (or the candidate) is greeted.
    """
    name = parse_name(full_name)
    nobody = "Hiring Team" if direction == "candidate" else "Candidate"
    by_title = f"{name.title} {name.family}" if name.title and name.family else ""
    if tone == "formal":
        return f"Dear {by_title or name.full or nobody},"
    familiar = name.given or by_title
    if medium == "letter":
        return f"Dear {familiar or nobody},"
    if tone == "warm":
        return f"Hi {familiar or 'there'},"
    return f"Hello {familiar}," if familiar else "Hello,"


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
        "offer_date": parties.dated(parties.offer_date),
        "sender_first_name": parse_name(parties.sender_name).given or parties.sender_name,
        "greeting": salutation(
            parties.recipient_name,
            tone=choices.tone,
            medium=choices.medium,
            direction=choices.direction,
        ),
    }
    folder = f"messaging/blocks/{purpose.folder(choices.direction)}"
    # A block may be written for one medium (``<folder>/<medium>/<block>_<tone>.txt``:
    # a letter's fuller paragraph, a call's spoken line); else the one text serves all.
    blocks = [
        (
            name,
            _tidy(
                render_to_string(
                    [
                        f"{folder}/{choices.medium}/{name}_{choices.tone}.txt",
                        f"{folder}/{name}_{choices.tone}.txt",
                    ],
                    context,
                )
            ),
        )
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
    # A purpose's own subject line, else the decline's. A letter's is its reference
    # line (the role and the offer's date), unless the purpose writes its own.
    subject = _tidy(
        render_to_string([f"{folder}/_subject.txt", "messaging/frames/subject.txt"], context)
    ).replace("\n", " ")
    if choices.medium == "letter":
        subject = _tidy(
            render_to_string(
                [f"{folder}/_reference.txt", "messaging/frames/reference.txt"],
                {**context, "subject": subject},
            )
        ).replace("\n", " ")
    return Draft(subject=subject, body=_tidy(body))


@dataclass(frozen=True)
class LetterHead:
    """What a letter shows above its text: the sender's block (name first), the one
    line of return address a window envelope shows above the recipient, the
    recipient's block, and the date."""

    sender: tuple[str, ...]
    return_line: str
    recipient: tuple[str, ...]
    date: str


def letter_head(parties: Parties, *, direction: str, day: dt.date) -> LetterHead:
    """The head of a letter from ``parties``, dated ``day``.

    To an employer, the recipient's block is the recruiter's name and the company:
    Offerdesk keeps no postal address for an employer, and the offer's location
    ("London (remote)") says where the work is, not where a letter goes. To a
    candidate it is their name alone, and the employer's writer signs for the
    company, named under them.
    """
    address = [line.strip() for line in LINE_END.split(parties.sender_address) if line.strip()]
    # An employer writes on the company's behalf: its name follows the writer's.
    company = (parties.company,) if direction == "employer" else ()
    sender = tuple(
        line
        for line in (
            parties.sender_name,
            *company,
            *address,
            parties.sender_phone,
            parties.sender_email,
        )
        if line
    )
    if direction == "candidate":
        recipient = tuple(line for line in (parties.recipient_name, parties.company) if line)
    else:
        recipient = (parties.recipient_name,) if parties.recipient_name else ()
    return LetterHead(
        sender=sender,
        return_line=" · ".join((parties.sender_name, *address)),
        recipient=recipient,
        date=parties.dated(day),
    )


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
    company: str = "",
) -> Review:
    """The remarks beside the preview: ``messaging.checks`` on the draft's body, as a
    message of ``purpose`` (a counter-ask's ``asked`` and ``other_figures`` too)."""
    return Review(
        check_message(
            draft.body,
            medium=medium,
            direction=direction,
            other_companies=other_companies,
            company=company,
            recipient_name=recipient_name,
            deadline=deadline,
            today=today,
            purpose=purpose,
            asked=asked,
            other_figures=other_figures,
        )
    )


def _first_name(full_name: str) -> str:
    """The given name to use in a sentence ("Daniel"), never a title: "Ms Okafor"
    has none, so it is the title and family name."""
    name = parse_name(full_name)
    return name.given or (f"{name.title} {name.family}" if name.title else "")


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
