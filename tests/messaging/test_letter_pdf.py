"""The letter PDF: one page on A4 and on US Letter, the recipient where a window
envelope shows it, and room for a signature. Positions are measured from the PDF's
own word boxes (pypdf's text matrices, in points from the page's bottom left)."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

import pytest
from pypdf import PdfReader

from decisions.models import Offer
from messaging import documents, services
from messaging.checks import LETTER_WORDS, MEDIUM_LIMITS, check_message
from messaging.compose import Choices
from offerdesk.accounts.models import User
from tests.factories import OfferFactory

pytestmark = pytest.mark.django_db

MM = 72 / 25.4
INCH = 72.0

# The window each paper's envelope shows, from the sheet's top left: (left, top,
# width, height) in points. A4: DIN 5008 form B's recipient zone (the address
# field at 20 mm from the left and 45 mm from the top, 85 x 45 mm, less its 17.7 mm
# return-address zone). US Letter: a #10 window, 7/8 in from the left, 2 in from
# the top, 4.5 x 1.125 in.
WINDOWS = {
    "a4": (20 * MM, (45 + 17.7) * MM, 85 * MM, (45 - 17.7) * MM),
    "letter": (0.875 * INCH, 2 * INCH, 4.5 * INCH, 1.125 * INCH),
}
TODAY = dt.date(2027, 3, 9)
PAGE_SIZES = {"a4": (595, 842), "letter": (612, 792)}


@dataclass(frozen=True)
class Line:
    text: str
    x: float
    top: float  # from the top of the page, in points
    size: float


def _lines(pdf: bytes, page_number: int = 0) -> tuple[list[Line], float]:
    page = PdfReader(io.BytesIO(pdf)).pages[page_number]
    height = float(page.mediabox.height)
    lines: list[Line] = []

    def visit(text, cm, tm, font_dict, font_size):
        if not text.strip():
            return
        # The text matrix within the current transformation: x, y of the baseline.
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        size = font_size * (tm[3] or 1) * (cm[3] or 1)
        lines.append(Line(text.strip(), x, height - y, abs(size)))

    page.extract_text(visitor_text=visit)
    return lines, height


@pytest.fixture
def demo_letter(user: User, decision) -> tuple[Offer, User]:
    """The demo's profile and its Northwind offer, as the seed data has them, with the
    location the demo's remote offer gives (a place of work, not an address)."""
    User.objects.filter(pk=user.pk).update(
        full_name="Alex Morgan",
        postal_address="Lindenstraße 12\n10969 Berlin\nGermany",
        phone="+49 30 1234 5678",
        signature="Alex Morgan\nData engineer · alex.morgan@example.com",
    )
    user.refresh_from_db()
    offer = OfferFactory(
        decision=decision,
        company="Northwind Analytics",
        role="Senior Data Engineer",
        location="London (remote)",
        recruiter_name="Jana Krüger",
    )
    return offer, user


def _letter(offer: Offer, user: User, paper: str, **choices) -> bytes:
    user.paper_size = paper
    message = services.message_use_generated(
        offer=offer,
        actor=user,
        choices=Choices(medium="letter", **{"tone": "formal", **choices}),
        recipient_name=offer.recruiter_name,
        replace_edits=True,
    )
    return documents.as_pdf(message, sender=user, letter_date=dt.date(2027, 3, 9))


def _inside(line: Line, window: tuple[float, float, float, float]) -> bool:
    left, top, width, height = window
    # The baseline is inside, and so is the top of the tallest letter above it.
    return (
        left <= line.x <= left + width
        and top <= line.top - line.size * 0.8
        and line.top <= top + height
    )


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_the_recipient_sits_in_the_envelope_window(demo_letter, paper):
    offer, user = demo_letter
    pdf = _letter(offer, user, paper)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == PAGE_SIZES[paper]
    lines, _ = _lines(pdf)
    window = WINDOWS[paper]
    recipient = [line for line in lines if line.text in ("Jana Krüger", "Northwind Analytics")]
    assert {line.text for line in recipient} == {"Jana Krüger", "Northwind Analytics"}
    for line in recipient:
        assert _inside(line, window), (line, window)
    # Nothing else shows through the window: not the offer's location (where the work
    # is, not where a letter goes), not the sender's address, not the text.
    others = [line for line in lines if _inside(line, window)]
    assert {line.text for line in others} == {"Jana Krüger", "Northwind Analytics"}


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_the_letter_leaves_room_to_sign_above_the_typed_name(demo_letter, paper):
    offer, user = demo_letter
    lines, height = _lines(_letter(offer, user, paper))
    closing = next(line for line in lines if line.text == "Yours sincerely,")
    typed = [line for line in lines if line.text == "Alex Morgan" and line.top > closing.top]
    assert typed
    # At least 15 mm of blank paper for the signature, and the name still on the page.
    assert typed[0].top - closing.top >= 15 * MM
    assert typed[0].top < height - 15 * MM


@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize("tone", ["formal", "warm", "brief"])
def test_every_tone_fits_one_page_with_date_and_reference(demo_letter, paper, tone):
    offer, user = demo_letter
    pdf = _letter(offer, user, paper, tone=tone, future_mode="open", reason_choice="growth")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert ("9 March 2027" if paper == "a4" else "March 9, 2027") in text
    assert "Senior Data Engineer" in text
    assert "Subject:" not in text


def test_a_letter_lengthened_by_hand_goes_on_to_a_second_page_with_a_margin(demo_letter):
    offer, user = demo_letter
    message = services.message_use_generated(
        offer=offer, actor=user, choices=Choices(medium="letter"), recipient_name="Jana"
    )
    message.body += "\n\n" + "More words, kept as written. " * 400
    pdf = documents.as_pdf(message, sender=user, letter_date=TODAY)
    assert len(PdfReader(io.BytesIO(pdf)).pages) > 1
    lines, _ = _lines(pdf, 1)
    assert min(line.top for line in lines) > 15 * MM


def _lengthened(body: str, words: int) -> str:
    """``body`` with a paragraph of plain sentences before its closing, ``words`` long
    in all."""
    paragraphs = body.split("\n\n")
    sentence = "We talked about the team's plans for the year and what I would bring to them. "
    extra = (sentence * 30).split()[: words - len(body.split())]
    return "\n\n".join([*paragraphs[:-2], " ".join(extra), *paragraphs[-2:]])


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_a_letter_past_the_length_the_check_allows_still_fits_one_page(demo_letter, paper):
    offer, user = demo_letter
    user.paper_size = paper
    message = services.message_use_generated(
        offer=offer, actor=user, choices=Choices(medium="letter"), recipient_name="Jana"
    )
    message.body = _lengthened(message.body, LETTER_WORDS)
    assert len(message.body.split()) == LETTER_WORDS
    pdf = documents.as_pdf(message, sender=user, letter_date=TODAY)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    longer = f"{message.body}\nP.S. One more line."
    assert "second page" in next(
        c.message for c in check_message(longer, medium="letter") if c.code == "too_long"
    )


def test_the_check_keeps_a_letter_to_150_to_250_words(demo_letter):
    """The check remarks past 250 words, well before the page runs out at 300."""
    offer, user = demo_letter
    message = services.message_use_generated(
        offer=offer, actor=user, choices=Choices(medium="letter"), recipient_name="Jana"
    )
    most = MEDIUM_LIMITS["letter"].most
    assert (MEDIUM_LIMITS["letter"].least, most) == (150, 250)
    at_most = _lengthened(message.body, most)
    codes = {c.code for c in check_message(at_most, medium="letter", recipient_name="J")}
    assert "too_long" not in codes
    [remark] = [
        c
        for c in check_message(at_most + " More.", medium="letter", recipient_name="J")
        if c.code == "too_long"
    ]
    assert (remark.level, remark.message.split(":")[0]) == ("warning", f"{most + 1} words")


def test_only_a_letter_is_printed(demo_letter):
    offer, user = demo_letter
    message = services.message_use_generated(
        offer=offer, actor=user, choices=Choices(medium="email"), recipient_name="Jana"
    )
    with pytest.raises(ValueError, match="Only a letter"):
        documents.as_pdf(message, sender=user, letter_date=dt.date(2027, 3, 9))


def test_the_reference_line_names_no_date_offerdesk_does_not_know(demo_letter):
    """The day an offer was entered is not the offer's date, and the offer keeps none."""
    offer, user = demo_letter
    text = PdfReader(io.BytesIO(_letter(offer, user, "a4"))).pages[0].extract_text()
    assert "Senior Data Engineer: your offer" in text
    assert "your offer of" not in text
