"""The messaging app's part of the export (messaging/portability.py): every message of
an offer under ``messages`` from version 4, the one ``decline_message`` before."""

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
from messaging.portability import MESSAGE_FIELDS, build_messages, export_messages, save_messages
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


def import_messages(offer_rows: list[OfferRow], version: int = 4) -> int:
    """Both steps of this part's import, as ``offerdesk.portability`` takes them."""
    messages = build_messages(offer_rows, version=version)
    with transaction.atomic():
        save_messages(messages)
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


def test_each_offer_row_gets_its_messages_in_one_query(
    message: Message, decision: Decision, offer: Offer, django_assert_num_queries
):
    Message.objects.create(
        offer=offer, purpose="keep_in_touch", body="Hello again.", details={}, medium="short"
    )
    rows = _rows(offer, OfferFactory(decision=decision))

    with django_assert_num_queries(1):
        export_messages(rows)

    exported, no_message = (offer_row.row for offer_row in rows)
    assert exported["company"] == offer.company
    decline, keep_in_touch = exported["messages"]
    assert (decline["purpose"], decline["details"]) == ("decline", {})
    assert decline["body"] == "Thank you, but no."
    assert decline["sent_on"] == dt.date(2026, 11, 21)
    assert set(decline) == {"purpose", "details", *MESSAGE_FIELDS}
    assert (keep_in_touch["purpose"], keep_in_touch["medium"]) == ("keep_in_touch", "short")
    assert no_message["messages"] == []


def test_messages_are_exported_in_the_order_of_their_purposes(offer: Offer):
    for purpose in ("keep_in_touch", "still_open", "decline"):
        Message.objects.create(offer=offer, purpose=purpose, body=purpose, medium="email")
    rows = _rows(offer)

    export_messages(rows)

    assert [m["purpose"] for m in rows[0].row["messages"]] == [
        "decline",
        "still_open",
        "keep_in_touch",
    ]


def test_an_import_creates_each_message_for_the_offer_imported_from_its_row(
    message: Message, decision: Decision, offer: Offer
):
    Message.objects.create(
        offer=offer,
        purpose="counter",
        details={"lever": "base_salary", "variant": "realistic", "amount": 6000,
                 "justification": "I led the migration."},
        body="Could the base salary move by 6,000?",
    )  # fmt: skip
    rows = _rows(offer)
    export_messages(rows)
    copy = OfferFactory(decision=decision)
    empty = OfferFactory(decision=decision)
    target = [
        OfferRow(row=rows[0].row, offer=copy, where="decision 1, offer 2"),
        OfferRow(row={"messages": []}, offer=empty, where="decision 1, offer 3"),
    ]

    assert import_messages(target) == 2

    fields = ("purpose", "details", *MESSAGE_FIELDS)
    assert [
        {name: getattr(m, name) for name in fields}
        for m in Message.objects.filter(offer=copy).order_by("pk")
    ] == [
        {name: getattr(m, name) for name in fields}
        for m in Message.objects.filter(offer=offer).order_by("pk")
    ]
    assert not Message.objects.filter(offer=empty).exists()


def test_a_version_3_row_imports_its_decline_message_as_before(
    message: Message, decision: Decision
):
    data = {name: getattr(message, name) for name in MESSAGE_FIELDS}
    copy, empty = OfferFactory(decision=decision), OfferFactory(decision=decision)

    assert (
        import_messages(
            [
                OfferRow(row={"decline_message": data}, offer=copy, where="decision 1, offer 1"),
                OfferRow(row={"decline_message": None}, offer=empty, where="decision 1, offer 2"),
            ],
            version=3,
        )
        == 1
    )

    imported = Message.objects.get(offer=copy)
    assert (imported.purpose, imported.details, imported.body) == ("decline", {}, message.body)
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
        ("purpose", "apology", "purpose: This must be one of decline, accept"),
        ("purpose", None, "purpose: This must be one of"),
        ("details", ["amount"], "details: This must be an object"),
        ("details", {"amount": 5}, "details: Decline the offer has no amount"),
    ],
)
def test_a_damaged_message_saves_no_message_and_names_its_offer(
    message: Message, decision: Decision, offer: Offer, field, value, message_text
):
    rows = _rows(offer)
    export_messages(rows)
    [data] = rows[0].row["messages"]
    good = {"messages": [dict(data)]}
    if field == "medium":  # a body that a letter takes and a short message does not
        data["body"] = "x" * 1_001
    data[field] = value
    first, second = OfferFactory(decision=decision), OfferFactory(decision=decision)
    target = [
        OfferRow(row=good, offer=first, where="decision 1, offer 1"),
        OfferRow(row=rows[0].row, offer=second, where="decision 1, offer 2"),
    ]

    with pytest.raises(ValidationError, match=f"decision 1, offer 2, message 1: {message_text}"):
        import_messages(target)

    assert not Message.objects.filter(offer__in=[first, second]).exists()


COUNTER = {
    "purpose": "counter",
    "medium": "email",
    "details": {"lever": "base_salary", "variant": "realistic", "amount": 6000,
                "justification": ""},
}  # fmt: skip


def _counter(**details) -> dict:
    return {"details": {**COUNTER["details"], **details}}


@pytest.mark.parametrize(
    ("change", "message_text"),
    [
        (_counter(lever="a yacht"), "details: lever: Select a valid choice"),
        (_counter(amount="6000"), "details: amount: This must be a whole number"),
        (_counter(amount=True), "details: amount: This must be a whole number"),
        (_counter(amount=-5), "details: amount: Ask for an improvement above zero."),
        (_counter(justification="j" * 401), "details: justification: Ensure this value"),
        (_counter(variant={"x": 1}), "details: variant: This must be a value"),
        ({"medium": "letter"}, "medium: Ask for a better offer is written as: E-mail, Phone"),
        ({"direction": "employer", "reason_choice": "none"}, "direction: Only a decline"),
    ],
)
def test_a_message_of_another_purpose_is_checked_as_its_composer_checks_it(
    message: Message, offer: Offer, change: dict, message_text: str
):
    rows = _rows(offer)
    export_messages(rows)
    [data] = rows[0].row["messages"]
    rows[0].row["messages"] = [{**data, **COUNTER, **change}]

    with pytest.raises(ValidationError, match=f"decision 1, offer 1, message 1: {message_text}"):
        build_messages(rows, version=4)


def test_a_well_formed_counter_ask_and_a_request_for_more_time_import(
    message: Message, offer: Offer
):
    rows = _rows(offer)
    export_messages(rows)
    [data] = rows[0].row["messages"]
    # A saved request keeps its day, even one that has passed since.
    extension = {
        "purpose": "extension",
        "medium": "short",
        "details": {"until": "2026-01-05", "extension_reason": "family"},
    }
    rows[0].row["messages"] = [{**data, **COUNTER}, {**data, **extension}]

    built = build_messages(rows, version=4)

    assert [(m.purpose, m.details) for m in built] == [
        ("counter", COUNTER["details"]),
        ("extension", extension["details"]),
    ]


def test_two_messages_of_one_purpose_on_an_offer_are_refused(message: Message, offer: Offer):
    rows = _rows(offer)
    export_messages(rows)
    rows[0].row["messages"] *= 2

    with pytest.raises(
        ValidationError, match="offer 1, message 2: purpose: This offer already has a message"
    ):
        build_messages(rows, version=4)


@pytest.mark.parametrize(
    ("row", "version", "where"),
    [
        ({}, 4, "decision 1, offer 1: “messages” is missing"),
        ({"messages": None}, 4, "decision 1, offer 1: messages: This must be a list"),
        ({"messages": {"purpose": "decline"}}, 4, "decision 1, offer 1: messages"),
        ({"messages": ["Thanks, no."]}, 4, "decision 1, offer 1, message 1: This must be an"),
        ({"messages": [{"purpose": "decline"}]}, 4, "message 1: “details” is missing"),
        ({}, 3, "decision 1, offer 1, decline message"),
        ({"decline_message": "Thanks, no."}, 3, "decision 1, offer 1, decline message"),
        ({"decline_message": {}}, 3, "decision 1, offer 1, decline message"),
        # A version 4 row is read as one: its old key alone is no message list.
        ({"decline_message": None}, 4, "“messages” is missing"),
    ],
)
def test_a_row_without_readable_messages_is_refused(
    offer: Offer, row: dict, version: int, where: str
):
    with pytest.raises(ValidationError, match=where):
        import_messages(
            [OfferRow(row=row, offer=offer, where="decision 1, offer 1")], version=version
        )

    assert not Message.objects.exists()


def test_building_a_message_writes_nothing_until_saved(
    message: Message, decision: Decision, offer: Offer
):
    rows = _rows(offer)
    export_messages(rows)
    unsaved = Offer(decision=decision, company="Later", role="Engineer")

    # Reads only: the model's checks, which the database evaluates.
    with CaptureQueriesContext(connection) as queries:
        [built] = build_messages([OfferRow(row=rows[0].row, offer=unsaved, where="x")], version=4)

    assert not [query for query in queries.captured_queries if query["sql"].startswith("INSERT")]
    assert built.pk is None
    assert built.offer is unsaved


def test_entry_data_takes_the_longest_text_a_message_logs():
    # A drafted message's body is logged in its entry's data.
    assert MAX_DATA_TEXT >= MAX_BODY_CHARS
