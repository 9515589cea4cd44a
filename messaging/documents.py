"""The files a decline message leaves Offerdesk as: .txt, .eml, mailto:, PDF letter, .ics."""

from __future__ import annotations

import datetime as dt
import re
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid
from urllib.parse import quote

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from icalendar import Calendar, Event

from decisions.models import Offer
from messaging import purposes
from messaging.compose import LINE_END, letter_head
from messaging.models import Message
from offerdesk.accounts.models import User
from offerdesk.pdf import render_pdf
from offerdesk.validators import one_line


def file_stem(message_or_offer: Message | Offer, day: dt.date, *, prefix: str = "") -> str:
    """``<prefix>-<company>-<date>``, safe as a file name on every system. The prefix
    says what the file is: a message's purpose unless given ("accept-acme-2027-03-09"),
    and for an offer's own files (its deadline, a day to stay in touch) what the caller
    names, else "offer"."""
    if isinstance(message_or_offer, Offer):
        offer, prefix = message_or_offer, prefix or "offer"
    else:
        offer = message_or_offer.offer
        prefix = prefix or purposes.get(message_or_offer.purpose).slug
    return f"{_safe(prefix)}-{_safe(offer.company)[:40]}-{day.isoformat()}"


def _safe(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "offer"


def as_text(message: Message, *, day: dt.date | None = None) -> str:
    """The message as plain text, as its medium reads: an e-mail under its subject, a
    letter under its head (sender, recipient, date ``day``, today unless given, and
    reference line), a call script or a short message as it is."""
    if is_letter(message):
        # Imported here: the services module imports this one for its mailto links.
        from messaging.services import parties

        who = parties(
            sender=message.offer.decision.owner,
            offer=message.offer,
            recipient_name=message.recipient_name,
        )
        head = letter_head(who, direction=message.direction, day=day or timezone.localdate())
        blocks = ["\n".join(head.sender), "\n".join(head.recipient), head.date, message.subject]
        return "\n\n".join([*(block for block in blocks if block), message.body]) + "\n"
    header = (
        f"Subject: {message.subject}\n\n" if message.subject and message.medium == "email" else ""
    )
    return header + message.body + "\n"


def as_eml(message: Message, *, sender: User) -> bytes:
    """An RFC 5322 message with UTF-8 headers and body, ready for any mail client."""
    mail = EmailMessage()
    # Names and subject are one line since they were first checked; older rows may
    # hold a line break, which a mail header cannot carry.
    mail["From"] = formataddr((one_line(sender.display_name), sender.email))
    recipient = message.offer.recruiter_email
    if recipient:
        mail["To"] = formataddr((one_line(message.recipient_name or ""), recipient))
    mail["Subject"] = one_line(message.subject)
    mail["Date"] = format_datetime(timezone.now())
    mail["Message-ID"] = make_msgid(domain="offerdesk.invalid")
    # Opens as a draft to send, not as a message already received.
    mail["X-Unsent"] = "1"
    mail.set_content(message.body)
    return bytes(mail)


def mailto_url(message: Message) -> str:
    address = quote(message.offer.recruiter_email or "", safe="@")
    subject = quote(message.subject, safe="")
    body = quote(message.body, safe="")
    return f"mailto:{address}?subject={subject}&body={body}"


def as_pdf(message: Message, *, sender: User, letter_date: dt.date) -> bytes:
    """The letter on the sender's paper (A4 or US Letter), one page: the head from
    ``compose.letter_head`` with the recipient where a window envelope shows it, the
    reference line (the message's subject), then the text in its paragraphs, the
    last one (the typed name) under room for a handwritten signature.

    ValueError for a message that is not a letter: an e-mail or a call script on
    letter paper is not what its reader expects (``is_letter`` says which are)."""
    if not is_letter(message):
        raise ValueError("Only a letter is printed as a PDF.")
    # Imported here: the services module imports this one for its mailto links.
    from messaging.services import parties

    who = parties(sender=sender, offer=message.offer, recipient_name=message.recipient_name)
    html = render_to_string(
        "messaging/letter_pdf.html",
        {
            "paper_size": sender.paper_size,
            "head": letter_head(who, direction=message.direction, day=letter_date),
            "subject": message.subject,
            "paragraphs": letter_paragraphs(message.body),
        },
    )
    return render_pdf(html)


def is_letter(message: Message) -> bool:
    """Whether the message is written as a letter, the one medium printed as a PDF."""
    return message.medium == "letter"


def letter_paragraphs(body: str) -> list[str]:
    """The letter's text split at its blank lines; each paragraph keeps its own line
    breaks (an address typed into the text, a list)."""
    lines = [line.rstrip() for line in LINE_END.split(body.strip())]
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            paragraphs[-1].append(line)
        elif paragraphs[-1]:
            paragraphs.append([])
    return ["\n".join(paragraph) for paragraph in paragraphs if paragraph]


def deadline_ics(offer: Offer) -> bytes:
    """An all-day calendar event on the offer's reply deadline."""
    if offer.response_deadline is None:
        raise ValueError("This offer has no deadline.")
    calendar = Calendar()
    calendar.add("prodid", "-//Offerdesk//Offer deadlines//EN")
    calendar.add("version", "2.0")
    event = Event()
    event.add("uid", f"offer-{offer.pk}-deadline@offerdesk.invalid")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", offer.response_deadline)
    event.add("dtend", offer.response_deadline + dt.timedelta(days=1))
    event.add("summary", f"Reply to {offer.company} about the {offer.role} offer")
    event.add(
        "description",
        "Answer before the deadline: a prompt reply keeps the relationship good.",
    )
    calendar.add_component(event)
    return calendar.to_ical()


def stay_in_touch_ics(offer: Offer, *, declined_on: dt.date | None, note_url: str = "") -> bytes:
    """An all-day calendar event on the day the candidate means to send the recruiter
    of ``offer`` a friendly note; ``note_url`` is where Offerdesk drafts it."""
    if offer.stay_in_touch_on is None:
        raise ValueError("This offer has no day to stay in touch.")
    calendar = Calendar()
    calendar.add("prodid", "-//Offerdesk//Staying in touch//EN")
    calendar.add("version", "2.0")
    event = Event()
    event.add("uid", f"offer-{offer.pk}-stay-in-touch@offerdesk.invalid")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", offer.stay_in_touch_on)
    event.add("dtend", offer.stay_in_touch_on + dt.timedelta(days=1))
    who = offer.recruiter_name or offer.company
    event.add("summary", f"Send {who} a friendly note ({offer.company})")
    declined = f" on {date_format(declined_on)}" if declined_on else ""
    description = (
        f"You turned down the {offer.role} offer{declined}. A short hello now keeps the "
        "door open: share a little news, offer a hand, ask for nothing."
    )
    if note_url:
        description += f"\n\nOfferdesk has a draft ready: {note_url}"
    event.add("description", description)
    calendar.add_component(event)
    return calendar.to_ical()
