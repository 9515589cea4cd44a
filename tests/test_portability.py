"""Export, import and delete: the user's data is theirs (offerdesk/portability.py and the
my_data / export pages)."""

from __future__ import annotations

import ast
import datetime as dt
import json
from decimal import Decimal
from http import HTTPStatus
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from decisions.correspondence import decision_messages
from decisions.models import CoachGrant, Criterion, Decision, LogEntry, Offer, Rating
from messaging import services as messaging_services
from messaging.models import Message
from messaging.purposes import PURPOSES
from offerdesk.accounts.models import User
from offerdesk.portability import (
    FORMAT,
    VERSION,
    Imported,
    delete_account,
    export_user_data,
    import_user_data,
)
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> User:
    """The demo account, decided, with a coach's comment, a private entry and a message."""
    call_command("seed_demo")
    user = User.objects.get(username="demo")
    decision = Decision.objects.get(owner=user)
    chosen = decision.offers.get(company="Fjord Health")
    Decision.objects.filter(pk=decision.pk).update(
        status=Decision.Status.DECIDED,
        chosen_offer=chosen,
        decided_at=dt.datetime(2026, 11, 20, 9, 30, 0, 123_456, tzinfo=dt.UTC),
        decided_reason="Mission",
        confidence=80,
    )
    coach = UserFactory(full_name="Robin Coach")
    CoachGrant.objects.create(client=user, coach=coach)
    LogEntry.objects.create(
        decision=decision, author=coach, kind=LogEntry.Kind.COACH_COMMENT, summary="Good reasons."
    )
    LogEntry.objects.create(
        decision=decision,
        author=user,
        kind=LogEntry.Kind.FEELING,
        summary="Relieved",
        data={"feeling": "Relieved", "intensity": 4},
        private=True,
    )
    declined = decision.offers.exclude(pk=chosen.pk).first()
    Message.objects.create(
        offer=declined,
        tone="formal",
        recipient_name="Sam",
        subject="Your offer",
        body="Thank you, but no.",
        edited=True,
        sent_on=dt.date(2026, 11, 21),
    )
    return user


def _without_coach_entries(document: dict) -> dict:
    """``document`` as an import keeps it: without the log entries a coach wrote."""
    for decision in document["decisions"]:
        decision["log"] = [entry for entry in decision["log"] if entry["author"] == "you"]
    return document


def _before_version_4(document: dict, version: int) -> dict:
    """``document`` as an older version wrote it: an offer's decline alone, under
    ``decline_message``, and none of the offer's days added in version 4 (nor the
    confirmed status that came with them: an acceptance was accepted)."""
    document["version"] = version
    for decision in document["decisions"]:
        for offer in decision["offers"]:
            if offer["status"] == "confirmed":
                offer["status"] = "accepted"
            declines = [m for m in offer.pop("messages") if m.pop("purpose") == "decline"]
            for message in declines:
                del message["details"]
            offer["decline_message"] = declines[0] if declines else None
            for name in ("expected_on", "confirmed_on", "stay_in_touch_on"):
                del offer[name]
    return document


def _text(document: dict) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False)


def test_an_export_imported_into_an_empty_account_exports_the_same_text(demo: User):
    first = export_user_data(demo)
    delete_account(demo)
    # The same person (same profile) moving their data into a new account.
    twin = UserFactory(**json.loads(first)["profile"])

    assert import_user_data(twin, first) == Imported(decisions=1, left_out=1)

    second = export_user_data(twin)
    assert second == _text(_without_coach_entries(json.loads(first)))
    delete_account(twin)
    triplet = UserFactory(**json.loads(first)["profile"])
    assert import_user_data(triplet, second) == Imported(decisions=1, left_out=0)
    assert export_user_data(triplet) == second


def test_the_document_is_the_current_version_with_one_value_per_rating(demo: User):
    document = json.loads(export_user_data(demo))

    assert (document["format"], document["version"]) == (FORMAT, VERSION) == (FORMAT, 6)
    offers = document["decisions"][0]["offers"]
    assert len(offers) == 3
    ratings = [rating for offer in offers for rating in offer["ratings"]]
    assert ratings
    assert all(set(rating) == {"criterion", "value", "value_high", "note"} for rating in ratings)
    assert [len(offer["messages"]) for offer in offers].count(1) == 1
    assert sum(len(offer["messages"]) for offer in offers) == 1


def test_messages_and_private_entries_survive_the_round_trip_and_coach_entries_do_not(
    demo: User,
):
    twin = UserFactory()
    imported = import_user_data(twin, export_user_data(demo))

    decision = Decision.objects.get(owner=twin)
    message = Message.objects.get(offer__decision=decision)
    assert (message.tone, message.body, message.edited, message.sent_on) == (
        "formal",
        "Thank you, but no.",
        True,
        dt.date(2026, 11, 21),
    )
    assert decision.chosen_offer.company == "Fjord Health"
    # A file cannot show that the coach wrote it, and the pages would say so.
    assert imported.left_out == 1
    assert "1 entry written by a coach was left out" in imported.summary
    assert not decision.log_entries.filter(kind=LogEntry.Kind.COACH_COMMENT).exists()
    assert decision.log_entries.get(kind=LogEntry.Kind.FEELING).private


def test_the_summary_counts_decisions_and_entries_left_out():
    assert Imported(decisions=1, left_out=0).summary == "Imported 1 decision."
    assert Imported(decisions=3, left_out=2).summary.startswith(
        "Imported 3 decisions. 2 entries written by a coach were left out"
    )


def test_a_version_1_document_with_score_and_amount_imports(demo: User):
    document = _before_version_4(json.loads(export_user_data(demo)), 1)
    kinds = [criterion["kind"] for criterion in document["decisions"][0]["criteria"]]
    expected = []
    for offer in document["decisions"][0]["offers"]:
        for rating in offer["ratings"]:
            value = rating.pop("value")
            rated = kinds[rating["criterion"]] == "rating"
            rating["score"], rating["amount"] = (value, None) if rated else (None, value)
            expected.append(None if value is None else Decimal(value))
    twin = UserFactory()

    assert import_user_data(twin, json.dumps(document)).decisions == 1

    imported = Rating.objects.filter(offer__decision__owner=twin).order_by("offer_id", "pk")
    assert sorted(imported.values_list("value", flat=True), key=str) == sorted(expected, key=str)
    assert json.loads(export_user_data(twin))["version"] == VERSION


def test_a_version_2_document_gets_every_amount_scale_fixed_and_logged(demo: User):
    document = _before_version_4(json.loads(export_user_data(demo)), 2)
    [row] = document["decisions"]
    del row["must_haves"]
    for criterion in row["criteria"]:
        del criterion["suggested_from"]
        if criterion["kind"] == "total_comp":
            criterion["floor"] = criterion["target"] = None
    for offer in row["offers"]:
        for rating in offer["ratings"]:
            del rating["value_high"]
    twin = UserFactory()

    import_user_data(twin, json.dumps(document))

    salary = Decision.objects.get(owner=twin).criteria.get(kind="total_comp")
    assert (salary.floor is not None, salary.suggested_from) == (True, "offers")
    newest = Decision.objects.get(owner=twin).log_entries.first()
    assert newest.summary.startswith("Offerdesk fixed the scale of “Salary”")


def test_a_version_2_amount_with_one_end_gets_the_other_on_import(demo: User):
    document = _before_version_4(json.loads(export_user_data(demo)), 2)
    [row] = document["decisions"]
    del row["must_haves"]
    for criterion in row["criteria"]:
        del criterion["suggested_from"]
    row["criteria"].append(
        {"name": "Commute", "kind": "amount_low", "weight": 5, "position": 9, "unit": "minutes",
         "floor": "60", "target": None}
    )  # fmt: skip
    for offer in row["offers"]:
        for rating in offer["ratings"]:
            del rating["value_high"]
    twin = UserFactory()

    assert import_user_data(twin, json.dumps(document)).decisions == 1

    commute = Decision.objects.get(owner=twin).criteria.get(name="Commute")
    # The candidate's floor stays theirs; the target is a round step better.
    assert (commute.floor, commute.target, commute.suggested_from) == (Decimal(60), Decimal(40), "")
    entry = Decision.objects.get(owner=twin).log_entries.get(
        summary__startswith="Offerdesk completed the scale"
    )
    assert entry.data["changes"] == {"target": {"before": None, "after": "40"}}


def test_import_refuses_an_account_that_has_decisions(demo: User):
    with pytest.raises(ValidationError, match="no decisions"):
        import_user_data(demo, export_user_data(demo))

    assert Decision.objects.filter(owner=demo).count() == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "not JSON"),
        ("[" * 100_000, "nested deeper than 20 levels"),
        ('{"format": "something-else", "version": 2, "decisions": []}', "not an Offerdesk"),
        ('{"format": "offerdesk-export", "version": 7, "decisions": []}', "version \\(7\\)"),
        ('{"format": "offerdesk-export", "version": true, "decisions": []}', "version"),
        ('{"format": "offerdesk-export", "version": 2}', "no list of decisions"),
        ('{"format": "offerdesk-export", "version": 2, "decisions": {}}', "decisions"),
    ],
)
def test_a_file_that_is_not_an_export_is_a_message(user: User, text: str, message: str):
    with pytest.raises(ValidationError, match=message):
        import_user_data(user, text)

    assert not Decision.objects.filter(owner=user).exists()


def test_a_bad_message_after_good_decisions_saves_nothing_at_all(demo: User):
    # The messaging part runs last: its refusal must undo the decisions part's rows too.
    document = json.loads(export_user_data(demo))
    offer = next(o for o in document["decisions"][0]["offers"] if o["messages"])
    offer["messages"][0]["medium"] = "carrier pigeon"
    twin = UserFactory()

    with pytest.raises(ValidationError, match=r"offer \d, message 1: medium"):
        import_user_data(twin, json.dumps(document))

    assert not Decision.objects.filter(owner=twin).exists()
    assert not Offer.objects.filter(decision__owner=twin).exists()
    assert not LogEntry.objects.filter(decision__owner=twin).exists()


@pytest.fixture
def every_purpose(demo: User) -> User:
    """The demo, its choice accepted and confirmed in writing, a note planned after a
    decline, an offer still expected, and a message of every purpose."""
    decision = Decision.objects.get(owner=demo)
    others = list(decision.offers.exclude(pk=decision.chosen_offer_id).order_by("pk"))
    Offer.objects.filter(pk=decision.chosen_offer_id).update(
        status=Offer.Status.CONFIRMED, confirmed_on=dt.date(2026, 11, 24)
    )
    Offer.objects.filter(pk=others[0].pk).update(
        status=Offer.Status.DECLINED, stay_in_touch_on=dt.date(2027, 5, 21)
    )
    Offer.objects.filter(pk=others[-1].pk).update(expected_on=dt.date(2027, 1, 15))
    details = {
        "counter": {"lever": "signing_bonus", "variant": "ambitious", "amount": 8000,
                    "justification": "Two years leading the platform team."},
        "extension": {"until": "2026-12-18", "extension_reason": "process"},
    }  # fmt: skip
    for purpose in PURPOSES.values():
        if purpose.code == "decline":
            continue
        Message.objects.create(
            offer=others[-1],
            purpose=purpose.code,
            details=details.get(purpose.code, {}),
            medium=purpose.media[-1],
            tone="brief",
            subject=f"About the {purpose.label.lower()}",
            body=f"The {purpose.label.lower()}, in my words.",
            sent_on=dt.date(2026, 11, 22) if purpose.code == "keep_in_touch" else None,
        )
    return demo


def test_every_purposes_message_and_the_offers_days_survive_the_round_trip(
    every_purpose: User,
):
    first = export_user_data(every_purpose)
    offers = json.loads(first)["decisions"][0]["offers"]
    assert [len(offer["messages"]) for offer in offers].count(len(PURPOSES) - 1) == 1
    twin = UserFactory(**json.loads(first)["profile"])

    import_user_data(twin, first)

    assert export_user_data(twin) == _text(_without_coach_entries(json.loads(first)))
    copied = Offer.objects.filter(decision__owner=twin)
    assert copied.get(status=Offer.Status.CONFIRMED).confirmed_on == dt.date(2026, 11, 24)
    assert copied.get(stay_in_touch_on__isnull=False).stay_in_touch_on == dt.date(2027, 5, 21)
    assert copied.get(expected_on__isnull=False).expected_on == dt.date(2027, 1, 15)
    counter = Message.objects.get(offer__decision__owner=twin, purpose="counter")
    assert counter.details["amount"] == 8000
    assert counter.medium == "phone"


def test_a_version_3_file_imports_its_declines_and_no_offer_days(every_purpose: User):
    document = _before_version_4(json.loads(export_user_data(every_purpose)), 3)
    for offer in document["decisions"][0]["offers"]:
        offer["expected_on"] = "2027-01-01"  # a newer key an older file never read
    twin = UserFactory()

    assert import_user_data(twin, json.dumps(document)).decisions == 1

    [message] = Message.objects.filter(offer__decision__owner=twin)
    assert (message.purpose, message.details, message.body) == (
        "decline",
        {},
        "Thank you, but no.",
    )
    copied = Offer.objects.filter(decision__owner=twin)
    assert not copied.filter(expected_on__isnull=False).exists()
    assert not copied.filter(stay_in_touch_on__isnull=False).exists()
    assert json.loads(export_user_data(twin))["version"] == VERSION


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"status": "won"}, "decision 1, offer 1: status"),
        ({"confirmed_on": "2999-01-01"}, "decision 1, offer 1: confirmed_on: That day is still"),
        ({"expected_on": "2999-01-01"}, "decision 1, offer 1: expected_on: An offer is expected"),
        ({"stay_in_touch_on": "soon"}, "decision 1, offer 1: stay_in_touch_on"),
        ({"messages": [{"purpose": "bribe"}]}, "offer 1, message 1: purpose: This must be one of"),
    ],
)
def test_an_offers_new_days_statuses_and_messages_are_checked(
    every_purpose: User, change: dict, where: str
):
    document = json.loads(export_user_data(every_purpose))
    document["decisions"][0]["offers"][0].update(change)
    twin = UserFactory()

    with pytest.raises(ValidationError, match=where):
        import_user_data(twin, json.dumps(document))

    assert not Decision.objects.filter(owner=twin).exists()


def test_an_entry_names_its_offer_by_position_and_the_import_by_the_new_id(demo: User):
    decision = Decision.objects.get(owner=demo)
    offers = list(decision.offers.order_by("pk"))
    LogEntry.objects.create(
        decision=decision,
        author=demo,
        kind=LogEntry.Kind.MESSAGE_SENT,
        summary="Sent the decline to a removed offer",
        data={"offer": 987_654, "purpose": "decline", "subject": "", "body": "Gone."},
    )
    document = json.loads(export_user_data(demo))
    references = [
        entry["data"]["offer"]
        for entry in document["decisions"][0]["log"]
        if "offer" in entry["data"]
    ]
    assert {"position": 2} in references
    assert None in references  # the removed offer's
    assert not [r for r in references if isinstance(r, int)]
    twin = UserFactory()

    import_user_data(twin, json.dumps(document))

    copies = list(Decision.objects.get(owner=twin).offers.order_by("pk"))
    stored = [
        entry.data["offer"]
        for entry in LogEntry.objects.filter(decision__owner=twin)
        if "offer" in entry.data
    ]
    assert {copies[n].pk for n in range(len(offers))} >= {r for r in stored if r is not None}
    assert stored.count(None) == references.count(None)


def test_an_imported_decisions_messages_reach_its_coach(every_purpose: User):
    # Drafted through the composer's service, so the log holds the text.
    for message in Message.objects.filter(offer__decision__owner=every_purpose):
        messaging_services.message_save(
            offer=message.offer,
            actor=every_purpose,
            choices=messaging_services.saved_choices(message),
            recipient_name="Sam",
            subject=message.subject,
            body=message.body,
            edited=True,
        )
    twin = UserFactory()
    import_user_data(twin, export_user_data(every_purpose))
    decision = Decision.objects.get(owner=twin)

    messages = decision_messages(decision, for_coach=True, pay_shown=True)

    expected = decision_messages(
        Decision.objects.get(owner=every_purpose), for_coach=True, pay_shown=True
    )
    assert [(m.offer_label, m.purpose) for m in messages] == [
        (m.offer_label, m.purpose) for m in expected
    ]
    assert len(messages) == len(PURPOSES)


@pytest.mark.parametrize(
    ("reference", "where"),
    [
        ({"position": 9}, "data, offer, position: 9 is not a position among the 3"),
        ({"position": "0"}, "data, offer, position"),
        ({"id": 1}, "data, offer: This must name one of the decision’s offers"),
        (1, "data, offer: This must name one of the decision’s offers"),
    ],
)
def test_an_entry_naming_no_offer_of_its_decision_is_refused(demo: User, reference, where: str):
    document = json.loads(export_user_data(demo))
    entry = next(e for e in document["decisions"][0]["log"] if "offer" in e["data"])
    entry["data"]["offer"] = reference
    twin = UserFactory()

    with pytest.raises(ValidationError, match=where):
        import_user_data(twin, json.dumps(document))

    assert not Decision.objects.filter(owner=twin).exists()


def test_a_version_3_entry_keeps_the_id_it_had(demo: User):
    document = _before_version_4(json.loads(export_user_data(demo)), 3)
    entry = next(e for e in document["decisions"][0]["log"] if "offer" in e["data"])
    entry["data"]["offer"] = 123_456
    twin = UserFactory()

    import_user_data(twin, json.dumps(document))

    assert LogEntry.objects.filter(decision__owner=twin, data__offer=123_456).count() == 1


@pytest.mark.parametrize(
    ("status", "confirmed_on"),
    [("accepted", None), ("confirmed", "2026-11-24"), ("retracted", None), ("withdrawn", None)],
)
def test_every_status_an_offer_can_have_imports(demo: User, status: str, confirmed_on):
    document = json.loads(export_user_data(demo))
    decision = document["decisions"][0]
    # An acceptance is the chosen offer's; any other status is another offer's.
    chosen = decision["chosen_offer"]
    position = chosen if status in ("accepted", "confirmed") else (chosen + 1) % 2
    decision["offers"][position].update(status=status, confirmed_on=confirmed_on)
    twin = UserFactory()

    import_user_data(twin, json.dumps(document))

    assert Offer.objects.filter(decision__owner=twin, status=status).count() == 1


def test_offer_amounts_survive_the_round_trip_exactly(demo: User):
    offer = Offer.objects.get(company="Fjord Health")
    twin = UserFactory()
    import_user_data(twin, export_user_data(demo))

    copy = Offer.objects.get(decision__owner=twin, company="Fjord Health")
    assert (copy.rate_to_base, copy.base_salary) == (offer.rate_to_base, offer.base_salary)
    assert copy.rate_to_base == Decimal("1.17")


@pytest.mark.parametrize("microsecond", [0, 400, 999_999])
def test_times_survive_two_round_trips_to_the_microsecond(demo: User, microsecond: int):
    # Django's own encoder writes "…:28.000Z" for 400 µs, which imports as 0 µs and
    # then exports as "…:28Z": the second export differed from the first.
    moment = dt.datetime(2026, 11, 26, 15, 16, 28, microsecond, tzinfo=dt.UTC)
    Decision.objects.filter(owner=demo).update(created_at=moment)
    Offer.objects.filter(decision__owner=demo).update(created_at=moment)
    first = export_user_data(demo)
    twin = UserFactory()
    import_user_data(twin, first)

    copy = Decision.objects.get(owner=twin)
    assert copy.created_at == moment
    assert {o.created_at for o in copy.offers.all()} == {moment}
    second = json.loads(export_user_data(twin))
    assert second["decisions"] == _without_coach_entries(json.loads(first))["decisions"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("recruiter_name", None),
        ("base_salary", "lots"),
        ("base_salary", "1e999999"),
        ("base_salary", "NaN"),
        ("created_at", "2026-11-26T15:16:28"),
    ],
)
def test_a_value_the_database_would_refuse_is_a_message_not_a_crash(demo: User, field, value):
    # Found by the import fuzzer: a null in a NOT NULL column and a number that is not
    # one escaped the importer as IntegrityError and decimal.InvalidOperation.
    document = json.loads(export_user_data(demo))
    document["decisions"][0]["offers"][0][field] = value
    twin = UserFactory()

    with pytest.raises(ValidationError, match=f"decision 1, offer 1: {field}"):
        import_user_data(twin, json.dumps(document))

    assert not Decision.objects.filter(owner=twin).exists()


def test_deleting_an_account_removes_what_it_owns_and_keeps_others_logs(demo: User):
    coach = User.objects.get(full_name="Robin Coach")
    deleted = delete_account(coach)

    assert deleted["accounts.User"] == 1
    comment = LogEntry.objects.get(kind=LogEntry.Kind.COACH_COMMENT)
    assert comment.author is None
    assert Decision.objects.filter(owner=demo).exists()


# The pages ---------------------------------------------------------------------------


def test_the_pages_sit_under_the_account_urls():
    assert reverse("my_data") == "/accounts/data/"
    assert reverse("export") == "/accounts/data/export.json"


@pytest.mark.parametrize("name", ["my_data", "export"])
def test_the_pages_need_a_signed_in_user(client: Client, name: str):
    response = client.get(reverse(name))

    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith(reverse("account_login"))


def test_the_data_page_shows_both_forms(owner_client: Client):
    response = owner_client.get(reverse("my_data"))

    assert response.status_code == HTTPStatus.OK
    assert response.template_name == "accounts/data.html"
    assert set(response.context_data) >= {"import_form", "delete_form"}


def test_the_download_is_the_users_export_as_an_attachment(client: Client, demo: User):
    client.force_login(demo)

    download = client.get(reverse("export"))

    assert download.status_code == HTTPStatus.OK
    assert download["Content-Type"] == "application/json; charset=utf-8"
    assert download["Content-Disposition"].startswith('attachment; filename="offerdesk-demo-')
    assert download.content.decode() == export_user_data(demo)
    assert client.post(reverse("export")).status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_the_page_imports_a_download_into_an_empty_account(client: Client, demo: User):
    client.force_login(demo)
    download = client.get(reverse("export"))
    other = UserFactory()
    client.force_login(other)

    response = client.post(
        reverse("my_data"),
        {"action": "import", "file": SimpleUploadedFile("x.json", download.content)},
    )

    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("decisions:list")
    assert Decision.objects.filter(owner=other).count() == 1
    assert Message.objects.filter(offer__decision__owner=other).count() == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe", "not text"),
        (b'{"format": "offerdesk-export", "version": 9, "decisions": []}', "version"),
    ],
)
def test_the_page_refuses_junk_with_a_message_on_the_file(
    owner_client: Client, user: User, content: bytes, message: str
):
    response = owner_client.post(
        reverse("my_data"), {"action": "import", "file": SimpleUploadedFile("x.json", content)}
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert message in " ".join(response.context_data["import_form"].errors["file"])
    assert not Decision.objects.filter(owner=user).exists()


def test_the_page_refuses_an_import_into_an_account_with_decisions(client: Client, demo: User):
    client.force_login(demo)
    upload = SimpleUploadedFile("x.json", export_user_data(demo).encode())

    response = client.post(reverse("my_data"), {"action": "import", "file": upload})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "no decisions" in response.context_data["import_form"].errors["file"][0]
    assert Decision.objects.filter(owner=demo).count() == 1


def test_deleting_the_account_asks_for_the_password_again_and_removes_every_row(
    client: Client, demo: User
):
    demo.set_password(PASSWORD)
    demo.save()
    client.force_login(demo)  # a session with no recent password: it must be asked for
    decision_ids = list(Decision.objects.filter(owner=demo).values_list("pk", flat=True))

    def counts() -> tuple[int, ...]:
        return (
            Decision.objects.filter(owner=demo).count(),
            Offer.objects.filter(decision__in=decision_ids).count(),
            Criterion.objects.filter(decision__in=decision_ids).count(),
            Rating.objects.filter(offer__decision__in=decision_ids).count(),
            LogEntry.objects.filter(decision__in=decision_ids).count(),
            Message.objects.filter(offer__decision__in=decision_ids).count(),
            CoachGrant.objects.filter(client=demo).count(),
        )

    assert all(counts())
    asked = client.post(reverse("account_delete"), {"confirm": "on"})
    assert asked.status_code == HTTPStatus.FOUND
    assert asked.url.startswith(reverse("account_reauthenticate"))
    wrong = client.post(asked.url, {"password": "nope"})
    assert wrong.status_code == HTTPStatus.OK  # the form again, with its error
    assert wrong.context_data["form"].errors["password"]
    assert User.objects.filter(pk=demo.pk).exists()

    done = client.post(asked.url, {"password": PASSWORD})  # resumes the deletion

    assert done.status_code == HTTPStatus.FOUND
    assert done.url == reverse("home")
    assert not User.objects.filter(pk=demo.pk).exists()
    assert counts() == (0, 0, 0, 0, 0, 0, 0)
    assert client.get(reverse("decisions:list")).status_code == HTTPStatus.FOUND


def test_deleting_the_account_needs_the_box_ticked(client: Client, demo: User):
    demo.set_password(PASSWORD)
    demo.save()
    client.force_login(demo)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    refused = client.post(reverse("account_delete"), {})
    assert refused.status_code == HTTPStatus.BAD_REQUEST
    assert "Tick the box" in refused.content.decode()
    assert User.objects.filter(pk=demo.pk).exists()


# Layering ----------------------------------------------------------------------------


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_accounts_imports_neither_app():
    accounts = Path(settings.BASE_DIR) / "offerdesk" / "accounts"
    imported = set().union(*(_imported_modules(path) for path in accounts.rglob("*.py")))

    assert not {name for name in imported if name.split(".")[0] in {"decisions", "messaging"}}


def test_an_offers_cliff_and_refreshers_travel_and_a_version_4_file_takes_the_defaults(
    demo: User,
):
    Offer.objects.filter(decision__owner=demo).update(
        cliff_months=6, refresher_per_year=Decimal(12_000)
    )
    current = json.loads(export_user_data(demo))
    assert {
        (o["cliff_months"], o["refresher_per_year"]) for o in current["decisions"][0]["offers"]
    } == {(6, "12000.00")}
    twin = UserFactory()
    import_user_data(twin, json.dumps(current))
    copied = Offer.objects.filter(decision__owner=twin)
    assert set(copied.values_list("cliff_months", "refresher_per_year")) == {(6, Decimal(12_000))}

    older = json.loads(export_user_data(demo))
    older["version"] = 4
    for offer in older["decisions"][0]["offers"]:
        del offer["cliff_months"], offer["refresher_per_year"]
    triplet = UserFactory()
    import_user_data(triplet, json.dumps(older))
    copied = Offer.objects.filter(decision__owner=triplet)
    assert set(copied.values_list("cliff_months", "refresher_per_year")) == {(12, Decimal(0))}
