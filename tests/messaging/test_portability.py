"""The messaging app's part of the export (messaging/portability.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from decisions.models import Decision, Offer
from decisions.portability import MAX_DATA_TEXT, OfferRow
from messaging.compose import MAX_BODY_CHARS
from messaging.models import Message
from messaging.portability import (
    MESSAGE_FIELDS,
    build_decline_messages,
    export_decline_messages,
    save_decline_messages,
)
from tests.factories import OfferFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def message(offer: Offer) -> Message:
    return Message.objects.create(
        offer=offer,
        medium="letter",
        tone="formal",
        future=False,
        reason_choice="accepted_other",
        reason_detail="A shorter commute.",
        recipient_name="Sam",
        subject="Your offer",
        body="Thank you, but no.",
        edited=True,
        sent_on=dt.date(2026, 11, 21),
    )


def import_decline_messages(offer_rows: list[OfferRow]) -> int:
    """Both steps of this part's import, as ``offerdesk.portability`` takes them."""
    messages = build_decline_messages(offer_rows)
    with transaction.atomic():
        save_decline_messages(messages)
    return len(messages)


def _rows(*offers: Offer) -> list[OfferRow]:
    return [
        OfferRow(row={"company": offer.company}, offer=offer, where=f"decision 1, offer {number}")
        for number, offer in enumerate(offers, start=1)
    ]


def test_a_message_travels_as_what_the_candidate_chose_and_wrote():
    # Timestamps and the offer's id are not the candidate's: the row says which offer.
    assert MESSAGE_FIELDS == (
        "direction", "medium", "tone", "gratitude", "decision", "reason", "future",
        "future_mode", "reason_choice", "reason_detail", "recipient_name", "subject", "body",
        "edited", "sent_on",
    )  # fmt: skip


def test_each_offer_row_gets_its_message_or_none_in_one_query(
    message: Message, decision: Decision, offer: Offer, django_assert_num_queries
):
    rows = _rows(offer, OfferFactory(decision=decision))

    with django_assert_num_queries(1):
        export_decline_messages(rows)

    exported, no_message = (offer_row.row for offer_row in rows)
    assert exported["company"] == offer.company
    assert exported["decline_message"]["body"] == "Thank you, but no."
    assert exported["decline_message"]["sent_on"] == dt.date(2026, 11, 21)
    assert set(exported["decline_message"]) == set(MESSAGE_FIELDS)
    assert no_message["decline_message"] is None


def test_an_import_creates_each_message_for_the_offer_imported_from_its_row(
    message: Message, decision: Decision, offer: Offer
):
    rows = _rows(offer)
    export_decline_messages(rows)
    copy = OfferFactory(decision=decision)
    empty = OfferFactory(decision=decision)
    target = [
        OfferRow(row=rows[0].row, offer=copy, where="decision 1, offer 2"),
        OfferRow(row={"decline_message": None}, offer=empty, where="decision 1, offer 3"),
    ]

    assert import_decline_messages(target) == 1

    imported = Message.objects.get(offer=copy)
    assert {name: getattr(imported, name) for name in MESSAGE_FIELDS} == {
        name: getattr(message, name) for name in MESSAGE_FIELDS
    }
    assert not Message.objects.filter(offer=empty).exists()


@pytest.mark.parametrize(
    ("field", "value", "message_text"),
    [
        ("medium", "carrier pigeon", "medium"),
        ("sent_on", "someday", "sent_on"),
        ("edited", "maybe", "edited"),
        ("subject", None, "subject"),
        ("body", "x" * 100_000, "body: Keep this to 10,000 characters"),
        ("body", "no\x00thing", "body: This holds a NUL character"),
        ("medium", "short", "body: A short message must stay within 1,000 characters"),
        ("reason_choice", "other_candidate", "reason_choice: Pick a reason that fits"),
        ("sent_on", "2999-01-01", "sent_on: That date is still to come"),
    ],
)
def test_a_damaged_message_saves_no_message_and_names_its_offer(
    message: Message, decision: Decision, offer: Offer, field, value, message_text
):
    rows = _rows(offer)
    export_decline_messages(rows)
    if field == "medium":  # a body that a letter takes and a short message does not
        rows[0].row["decline_message"]["body"] = "x" * 1_001
    rows[0].row["decline_message"][field] = value
    good = {
        "decline_message": dict(rows[0].row["decline_message"], **{field: getattr(message, field)})
    }
    first, second = OfferFactory(decision=decision), OfferFactory(decision=decision)
    target = [
        OfferRow(row=good, offer=first, where="decision 1, offer 1"),
        OfferRow(row=rows[0].row, offer=second, where="decision 1, offer 2"),
    ]

    with pytest.raises(
        ValidationError, match=f"decision 1, offer 2, decline message: {message_text}"
    ):
        import_decline_messages(target)

    assert not Message.objects.filter(offer__in=[first, second]).exists()


@pytest.mark.parametrize("row", [{}, {"decline_message": "Thanks, no."}, {"decline_message": {}}])
def test_a_row_without_a_readable_message_is_refused(offer: Offer, row: dict):
    with pytest.raises(ValidationError, match="decision 1, offer 1, decline message"):
        import_decline_messages([OfferRow(row=row, offer=offer, where="decision 1, offer 1")])

    assert not Message.objects.exists()


def test_building_a_message_writes_nothing_until_saved(
    message: Message, decision: Decision, offer: Offer
):
    rows = _rows(offer)
    export_decline_messages(rows)
    unsaved = Offer(decision=decision, company="Later", role="Engineer")

    # Reads only: the model's checks, which the database evaluates.
    with CaptureQueriesContext(connection) as queries:
        [built] = build_decline_messages([OfferRow(row=rows[0].row, offer=unsaved, where="x")])

    assert not [query for query in queries.captured_queries if query["sql"].startswith("INSERT")]
    assert built.pk is None
    assert built.offer is unsaved


def test_entry_data_takes_the_longest_text_a_message_logs():
    # A drafted message's body is logged in its entry's data.
    assert MAX_DATA_TEXT >= MAX_BODY_CHARS
