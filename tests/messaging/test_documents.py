"""messaging/documents.py: the files a decline leaves Offerdesk as."""

from __future__ import annotations

import datetime as dt
import io
from email import message_from_bytes, policy
from urllib.parse import parse_qs, urlsplit

import pytest
from icalendar import Calendar
from pypdf import PdfReader

from decisions.models import Offer
from messaging import documents
from messaging.models import Message
from offerdesk.accounts.models import User
from tests.factories import OfferFactory

pytestmark = pytest.mark.django_db

BODY = "Dear Jana,\n\nThank you & all the best — Zoë\n"


@pytest.fixture
def message(offer: Offer) -> Message:
    Offer.objects.filter(pk=offer.pk).update(
        recruiter_email="jana@acme.example", response_deadline=dt.date(2027, 3, 9)
    )
    offer.refresh_from_db()
    return Message.objects.create(
        offer=offer, recipient_name="Jana Krüger", subject="Your offer — thank you", body=BODY
    )


@pytest.mark.parametrize(
    ("company", "stem"),
    [
        ("Acme GmbH & Co. KG", "deadline-acme-gmbh-co-kg-2027-03-09"),
        ("../../etc/passwd", "deadline-etc-passwd-2027-03-09"),
        ("★★★", "deadline-offer-2027-03-09"),
        ("x" * 90, f"deadline-{'x' * 40}-2027-03-09"),
    ],
)
def test_a_file_stem_is_safe_on_every_system(decision, company: str, stem: str):
    offer = OfferFactory(decision=decision, company=company)
    assert documents.file_stem(offer, dt.date(2027, 3, 9), prefix="deadline") == stem
    assert documents.file_stem(offer, dt.date(2027, 3, 9), prefix="../x y") == stem.replace(
        "deadline", "x-y", 1
    )


@pytest.mark.parametrize(
    ("purpose", "prefix"),
    [("decline", "decline"), ("accept", "accept"), ("counter", "counter"),
     ("extension", "extension"), ("withdraw", "withdraw"), ("still_open", "still-open"),
     ("keep_in_touch", "keep-in-touch")],
)  # fmt: skip
def test_a_messages_file_is_named_for_its_purpose(decision, purpose: str, prefix: str):
    offer = OfferFactory(decision=decision, company="Acme")
    message = Message(offer=offer, purpose=purpose)
    assert documents.file_stem(message, dt.date(2027, 3, 9)) == f"{prefix}-acme-2027-03-09"
    assert documents.file_stem(offer, dt.date(2027, 3, 9)) == "offer-acme-2027-03-09"


def test_the_text_file_holds_the_subject_then_the_body(message: Message):
    assert documents.as_text(message) == f"Subject: {message.subject}\n\n{BODY}\n"
    message.subject = ""
    assert documents.as_text(message) == f"{BODY}\n"


def test_a_call_script_as_text_has_no_subject_line(message: Message):
    message.medium = "phone"
    assert documents.as_text(message) == f"{BODY}\n"


def test_a_letter_as_text_keeps_its_head(message: Message, user: User):
    User.objects.filter(pk=user.pk).update(
        full_name="Alex Morgan", postal_address="Lindenstraße 12\n10969 Berlin"
    )
    message.offer.decision.owner.refresh_from_db()
    message.medium = "letter"
    text = documents.as_text(message, day=dt.date(2027, 3, 9))
    sender, recipient, date, reference, body = text.split("\n\n", 4)
    assert sender.startswith("Alex Morgan\nLindenstraße 12\n10969 Berlin")
    assert recipient.splitlines()[:2] == ["Jana Krüger", message.offer.company]
    assert date == "9 March 2027"
    assert reference == message.subject
    assert body == f"{BODY}\n"


def test_the_eml_is_an_unsent_utf8_draft_to_the_recruiter(message: Message, user: User):
    mail = message_from_bytes(documents.as_eml(message, sender=user), policy=policy.default)
    assert mail["To"] == "Jana Krüger <jana@acme.example>"
    assert mail["From"].addresses[0].addr_spec == user.email
    assert mail["Subject"] == "Your offer — thank you"
    assert mail["X-Unsent"] == "1"
    assert mail.get_content() == BODY


def test_an_eml_without_a_recruiter_address_has_no_recipient(message: Message, user: User):
    Offer.objects.filter(pk=message.offer_id).update(recruiter_email="")
    message.offer.refresh_from_db()
    mail = message_from_bytes(documents.as_eml(message, sender=user), policy=policy.default)
    assert mail["To"] is None


def test_the_mailto_link_carries_subject_and_body_exactly(message: Message):
    url = urlsplit(documents.mailto_url(message))
    assert (url.scheme, url.path) == ("mailto", "jana@acme.example")
    query = parse_qs(url.query, keep_blank_values=True)
    assert query == {"subject": [message.subject], "body": [BODY]}


def test_the_letter_pdf_has_sender_recipient_date_and_escaped_text(message: Message, user: User):
    message.body = "<b>Not bold</b> & kind regards"
    message.medium = "letter"
    pdf = documents.as_pdf(message, sender=user, letter_date=dt.date(2027, 3, 9))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert user.full_name in text
    assert "Acme" in text
    assert "<b>Not bold</b> & kind regards" in text
    assert "9 March 2027" in text  # the profile's paper is A4: day, month, year


def test_the_calendar_event_is_the_whole_deadline_day(message: Message):
    event = Calendar.from_ical(documents.deadline_ics(message.offer)).walk("VEVENT")[0]
    assert event.decoded("dtstart") == dt.date(2027, 3, 9)
    assert event.decoded("dtend") == dt.date(2027, 3, 10)
    assert "Acme" in str(event["summary"])


def test_an_offer_without_a_deadline_has_no_calendar_event(offer: Offer):
    with pytest.raises(ValueError, match="no deadline"):
        documents.deadline_ics(offer)


def test_a_letter_splits_at_blank_lines_and_keeps_its_own_line_breaks():
    body = "Dear Jana,\r\n\r\n\r\nFirst line\nsecond line\n\nYours sincerely,\n\nAlex"
    assert documents.letter_paragraphs(body) == [
        "Dear Jana,",
        "First line\nsecond line",
        "Yours sincerely,",
        "Alex",
    ]


def test_only_a_letter_counts_as_one(message: Message):
    assert not documents.is_letter(message)
    message.medium = "letter"
    assert documents.is_letter(message)
