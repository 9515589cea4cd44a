"""Hostile shapes in an import (offerdesk/portability.py and the apps' parts): every bad
file is a 400 with a message that names the place, nothing is saved, and whatever is
accepted leaves every page that reads it answering 200."""

from __future__ import annotations

import copy
import datetime as dt
import json
from decimal import Decimal
from http import HTTPStatus
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from decisions import services
from decisions.models import CoachGrant, Criterion, Decision, LogEntry, Offer
from decisions.portability import CRITERION_FIELDS, field_values
from decisions.report import REPORT_MAX_HTML_CHARS, report_html, report_view
from messaging import services as messaging_services
from messaging.models import Message
from offerdesk.accounts.models import User
from offerdesk.portability import MAX_JSON_DEPTH, export_user_data
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(db: None) -> dict[str, Any]:
    """A genuine export whose log holds every kind of entry the pages read closely: a
    decision record with its snapshot, changes of an offer, a criterion and the
    deal-breakers, weights, ratings, a feeling, an answered question, a drafted message,
    and a coach who joined and commented."""
    call_command("seed_demo")
    owner = User.objects.get(username="demo")
    decision = Decision.objects.get(owner=owner)
    offers = list(decision.offers.order_by("pk"))
    services.offer_update(
        offer=offers[0],
        actor=owner,
        data=services.OfferData(
            **{
                **{name: getattr(offers[0], name) for name in services.OfferData.__annotations__},
                "base_salary": Decimal(95_000),
                "notes": "Raised after the call.",
            }
        ),
    )
    criterion = decision.criteria.get(name="Culture")
    services.criterion_update(
        criterion=criterion,
        actor=owner,
        data=services.CriterionData(
            name="Team culture", kind="rating", weight=25, floor=Decimal(4)
        ),
    )
    services.decision_must_haves_set(
        decision=decision, actor=owner, work_modes=["onsite"], locations=["Paris"]
    )
    services.reflection_add(
        decision=decision, actor=owner, kind="feeling", body="", feeling="Hopeful", intensity=4
    )
    services.reflection_add(
        decision=decision, actor=owner, kind="reflection", body="Growth.", question="Why?"
    )
    services.decision_decide(
        decision=decision,
        actor=owner,
        chosen_offer=offers[1],
        why="The mission.",
        confidence=80,
        review_on=dt.date(2027, 6, 1),
    )
    messaging_services.message_save(
        offer=offers[0],
        actor=owner,
        choices=messaging_services.saved_choices(Message(offer=offers[0])),
        recipient_name="Jana",
        subject="Your offer",
        body="Thank you, but no.",
        edited=True,
    )
    coach = UserFactory(full_name="Robin Coach")
    _, token = services.invitation_create(
        client=owner, email=coach.email, hide_compensation=True, accept_url=str
    )
    services.invitation_accept(token=token, coach=coach)
    services.coach_comment_add(decision=decision, coach=coach, body="Good reasons.")
    return json.loads(export_user_data(owner))


def _import(client: Client, document: Any) -> tuple[User, Any]:
    """Import ``document`` (or text) into a new account through the page."""
    user = UserFactory()
    client.force_login(user)
    text = document if isinstance(document, str) else json.dumps(document)
    response = client.post(
        reverse("my_data"),
        {"action": "import", "file": SimpleUploadedFile("export.json", text.encode())},
    )
    assert response.status_code < HTTPStatus.INTERNAL_SERVER_ERROR
    return user, response


def _refused(client: Client, document: Any) -> str:
    """The message a refused import shows on the file field, after checking it is a 400
    and that nothing of it was saved."""
    user, response = _import(client, document)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert not Decision.objects.filter(owner=user).exists()
    assert not LogEntry.objects.filter(decision__owner=user).exists()
    return " ".join(response.context_data["import_form"].errors["file"])


def _pages(client: Client, user: User) -> dict[str, int]:
    """What every page that reads an imported decision answers: the owner's log, report
    and export, and a coach's (pay hidden) review, log and report."""
    coach = UserFactory()
    CoachGrant.objects.create(client=user, coach=coach, hide_compensation=True)
    decisions = list(Decision.objects.filter(owner=user))
    client.force_login(user)
    answers = {"export": client.get(reverse("export")).status_code}
    for decision in decisions:
        for name in ("detail", "log", "compare", "report"):
            answers[f"{name} {decision.pk}"] = client.get(
                reverse(f"decisions:{name}", args=[decision.pk])
            ).status_code
    client.force_login(coach)
    answers["coach dashboard"] = client.get(reverse("coach:dashboard")).status_code
    for decision in decisions:
        for name in ("review", "report"):
            answers[f"coach {name} {decision.pk}"] = client.get(
                reverse(f"coach:{name}", args=[decision.pk])
            ).status_code
    return answers


def _entry(document: dict, kind: str) -> dict:
    return next(entry for entry in document["decisions"][0]["log"] if entry["kind"] == kind)


def test_a_genuine_export_imports_and_every_page_reads_it(client: Client, history: dict):
    user, response = _import(client, history)

    assert response.status_code == HTTPStatus.FOUND
    assert set(_pages(client, user).values()) == {HTTPStatus.OK}


def test_a_hostile_but_accepted_file_leaves_every_page_answering_200(client: Client, history: dict):
    document = copy.deepcopy(history)
    # As deep and as long as taken: 8 levels under data's, 10,000 characters.
    deep: Any = "x" * 10_000
    for _ in range(4):
        deep = {"deeper": [deep, None, 1.5]}
    for entry in document["decisions"][0]["log"]:
        entry["data"]["unread"] = deep
    change = _entry(document, "ratings_changed")["data"]["changes"][0]
    change.update(kind="vibes", unit=7, offer_label=None, criterion_label=True)
    change["after"] = {"score": 3, "note": "<b>n</b>" * 20}
    _entry(document, "offer_changed")["data"]["changes"]["work_mode"] = {"after": ["x", 1]}
    _entry(document, "decided")["data"]["snapshot"]["offers"].append({"x": deep})
    document["decisions"][0]["decided_snapshot"] = {"offers": [{}], "criteria": [{"kind": 5}]}

    user, response = _import(client, document)

    assert response.status_code == HTTPStatus.FOUND
    assert set(_pages(client, user).values()) == {HTTPStatus.OK}


def _set(document: dict, kind: str, data: Any) -> None:
    _entry(document, kind)["data"] = data


def _set_change(document: dict, kind: str, name: str, change: Any) -> None:
    _entry(document, kind)["data"]["changes"][name] = change


def _set_rating_change(document: dict, key: str, value: Any) -> None:
    _entry(document, "ratings_changed")["data"]["changes"][0][key] = value


def _set_snapshot_offers(document: dict, offers: Any) -> None:
    _entry(document, "decided")["data"]["snapshot"]["offers"] = offers


def _set_decided_snapshot(document: dict, snapshot: Any) -> None:
    document["decisions"][0]["decided_snapshot"] = snapshot


# Each of these imported on the code before this test, and the pages that read it
# then answered 500 for good (the log is append-only), or formatted a number of a
# million digits on every view.
@pytest.mark.parametrize(
    ("damage", "where"),
    [
        (lambda d: _set(d, "feeling", "a string"), "log entry"),
        (lambda d: _set(d, "feeling", ["a", "list"]), "log entry"),
        (lambda d: _set(d, "ratings_changed", {"changes": 5}), "changes"),
        (lambda d: _set_rating_change(d, "kind", ["rating"]), "kind"),
        (lambda d: _set_rating_change(d, "after", {"value": "1e999999", "note": ""}), "value"),
        (lambda d: _set_rating_change(d, "after", "7"), "after"),
        (lambda d: _set_change(d, "criterion_changed", "kind", {"before": [], "after": 1}), "kind"),
        (lambda d: _set_change(d, "offer_changed", "base_salary", {"before": "sNaN"}), "salary"),
        (lambda d: _set_change(d, "offer_changed", "base_salary", {"after": "1e999999"}), "salary"),
        (lambda d: _set_change(d, "offer_changed", "notes", {"after": {"a": 1}}), "notes"),
        (lambda d: _set_change(d, "offer_changed", "notes", "changed"), "notes"),
        (lambda d: _set_snapshot_offers(d, ["Acme"]), "snapshot"),
        (lambda d: _set_snapshot_offers(d, 3), "snapshot"),
        (lambda d: _set_decided_snapshot(d, {"offers": [1]}), "decided_snapshot"),
        (lambda d: _set_decided_snapshot(d, ["a", "list"]), "decided_snapshot"),
        (lambda d: _set(d, "feeling", {"feeling": "x" * 100_000, "intensity": 4}), "feeling"),
    ],
)
def test_a_log_shape_the_pages_cannot_read_is_refused_with_its_place(
    client: Client, history: dict, damage, where: str
):
    document = copy.deepcopy(history)
    damage(document)

    message = _refused(client, document)

    assert "decision 1" in message
    assert where in message


def test_json_nested_deeper_than_the_cap_is_refused_before_anything_else(
    client: Client, history: dict
):
    document = copy.deepcopy(history)
    nested: Any = "deep"
    for _ in range(MAX_JSON_DEPTH):
        nested = {"more": nested}
    _entry(document, "feeling")["data"]["extra"] = nested
    # Everything else is wrong too: the depth is what the message says.
    document["decisions"][0]["title"] = ""

    message = _refused(client, document)

    assert f"nested deeper than {MAX_JSON_DEPTH} levels" in message


@pytest.mark.parametrize("text", ["[" * 100_000, "[" * 30 + "]" * 30, '{"a":' * 5_000])
def test_nesting_the_parser_cannot_follow_is_the_same_message(client: Client, text: str):
    assert f"nested deeper than {MAX_JSON_DEPTH} levels" in _refused(client, text)


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_a_number_json_cannot_hold_is_refused(client: Client, history: dict, number: str):
    document = copy.deepcopy(history)
    _entry(document, "feeling")["data"]["intensity"] = "PLACEHOLDER"
    text = json.dumps(document).replace('"PLACEHOLDER"', number)

    assert "not a number JSON can hold" in _refused(client, text)


@pytest.mark.parametrize(
    ("place", "limit"),
    [
        (("offers", 0, "ratings", 0, "note"), "200"),
        (("offers", 0, "notes"), "4,000"),
        (("offers", 0, "company"), "120"),
        (("offers", 0, "messages", 0, "subject"), "200"),
        (("offers", 0, "messages", 0, "reason_detail"), "500"),
        (("offers", 0, "messages", 0, "body"), "10,000"),
        (("criteria", 0, "name"), "60"),
        (("goals",), "4,000"),
        (("decided_reason",), "4,000"),
        (("log", 0, "body"), "4,000"),
        (("log", 0, "summary"), "300"),
    ],
)
def test_every_text_keeps_to_the_limit_its_page_sets(
    client: Client, history: dict, place: tuple, limit: str
):
    document = copy.deepcopy(history)
    node = document["decisions"][0]
    *parents, last = place
    for key in parents:
        node = node[key]
    node[last] = "x" * 100_000

    message = _refused(client, document)

    assert "decision 1" in message
    assert limit in message


@pytest.mark.parametrize(
    ("place", "value", "where"),
    [
        (("chosen_offer",), -1, "chosen offer: -1 is not a position"),
        (("chosen_offer",), 3, "chosen offer: 3 is not a position"),
        (("confidence",), 101, "confidence"),
        (("status",), "won", "status"),
        (("criteria", 0, "weight"), 101, "weight"),
        (("criteria", 0, "kind"), "vibes", "kind"),
        (("offers", 0, "annual_raise"), "51", "annual_raise"),
        (("offers", 0, "work_mode"), "moon", "work_mode"),
        (("offers", 0, "ratings", 0, "value"), "11", "takes values from 0 to 10"),
        (("log", 0, "kind"), "hacked", "kind"),
        (("log", 0, "private"), "yes", "private"),
        (("offers", 0, "messages", 0, "tone"), "rude", "tone"),
        (("offers", 0, "messages", 0, "reason_choice"), "restructuring", "reason"),
    ],
)
def test_every_choice_range_and_reference_is_checked(
    client: Client, history: dict, place: tuple, value: Any, where: str
):
    document = copy.deepcopy(history)
    node = document["decisions"][0]
    *parents, last = place
    for key in parents:
        node = node[key]
    node[last] = value

    assert where in _refused(client, document)


def test_two_criteria_with_one_name_are_refused_before_the_database_sees_them(
    client: Client, history: dict
):
    document = copy.deepcopy(history)
    criteria = document["decisions"][0]["criteria"]
    criteria[1]["name"] = criteria[0]["name"].upper()

    assert "decision 1, criterion 2: name" in _refused(client, document)


def test_a_cell_rated_twice_is_refused(client: Client, history: dict):
    document = copy.deepcopy(history)
    ratings = document["decisions"][0]["offers"][0]["ratings"]
    ratings.append(dict(ratings[0]))

    assert f"offer 1, rating {len(ratings)}: " in _refused(client, document)


# Coach comments --------------------------------------------------------------------


def test_a_genuine_exports_coach_entries_are_left_out_and_counted(client: Client, history: dict):
    by_coach = [e for e in history["decisions"][0]["log"] if e["author"] != "you"]
    assert {e["kind"] for e in by_coach} == {"coach_comment", "coach_joined"}

    user, response = _import(client, history)

    assert response.status_code == HTTPStatus.FOUND
    page = client.get(response.url).content.decode()
    assert f"{len(by_coach)} entries written by a coach were left out" in page
    assert not LogEntry.objects.filter(
        decision__owner=user, kind__in=["coach_comment", "coach_joined"]
    ).exists()


def test_a_forged_coach_comment_never_shows_as_a_coachs(client: Client, history: dict):
    document = copy.deepcopy(history)
    document["decisions"][0]["log"].append(
        {
            "kind": "coach_comment",
            "summary": "Dr. Famous Coach commented",
            "body": "Take the first offer, it is clearly the best.",
            "data": {},
            "private": False,
            "created_at": "2027-01-01T10:00:00.000000+00:00",
            "author": "Dr. Famous Coach",
        }
    )

    user, response = _import(client, document)

    assert response.status_code == HTTPStatus.FOUND
    decision = Decision.objects.get(owner=user)
    log = client.get(reverse("decisions:log", args=[decision.pk]))
    assert not [entry for entry in log.context_data["view"].log.entries if entry.by_coach]
    assert "clearly the best" not in log.content.decode()


@pytest.mark.parametrize("kind", ["coach_comment", "coach_joined"])
def test_a_coach_entry_claiming_to_be_your_own_is_refused(client: Client, history: dict, kind: str):
    document = copy.deepcopy(history)
    _entry(document, kind)["author"] = "you"

    assert "Only a coach writes" in _refused(client, document)


def test_an_entry_by_someone_else_of_a_kind_only_you_write_is_refused(
    client: Client, history: dict
):
    document = copy.deepcopy(history)
    _entry(document, "feeling")["author"] = "Robin Coach"

    assert "written by you" in _refused(client, document)


# Anything accepted can be read ------------------------------------------------------

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
texts = st.text(st.characters(exclude_categories=("Cs",)), max_size=20)
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**20), 10**20)
    | st.floats(allow_nan=False, allow_infinity=False)
    | texts
    | st.sampled_from(["rating", "amount", "total_comp", "sNaN", "1e999999", "7.5", "-3"]),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(texts, children, max_size=3),
    max_leaves=8,
)


def _json_paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    found = [prefix]
    if isinstance(node, dict):
        for key, child in node.items():
            found.extend(_json_paths(child, (*prefix, key)))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            found.extend(_json_paths(child, (*prefix, index)))
    return found


@pytest.fixture
def readable(history: dict) -> tuple[dict, list[tuple]]:
    """The genuine export, and every place inside what the pages read of it beyond the
    models' own fields: each log entry's data and the decision record's snapshot."""
    decision = history["decisions"][0]
    places = [("decided_snapshot", *path) for path in _json_paths(decision["decided_snapshot"])]
    for number, entry in enumerate(decision["log"]):
        places.extend(("log", number, "data", *path) for path in _json_paths(entry["data"]))
    return history, places


@FUZZ
@given(where=st.integers(0, 10**6), value=json_values, add=st.booleans())
def test_any_shape_is_refused_whole_or_read_by_every_page(
    client: Client, readable: tuple[dict, list[tuple]], where: int, value: Any, add: bool
):
    history, places = readable
    document = copy.deepcopy(history)
    *parents, last = places[where % len(places)] or ("decided_snapshot",)
    node = document["decisions"][0]
    for key in parents:
        node = node[key]
    if add and isinstance(node[last], dict):
        node[last]["added"] = value
    else:
        node[last] = value

    user, response = _import(client, document)

    if response.status_code == HTTPStatus.FOUND:
        # The pages' own code, without the PDF renderer (the same HTML goes into it).
        owner = Decision.objects.get(owner=user)
        grant = CoachGrant.objects.create(client=user, coach=UserFactory(), hide_compensation=True)
        for view in (report_view(owner), report_view(owner, grant)):
            assert len(report_html(view, paper_size="A4")) <= REPORT_MAX_HTML_CHARS
        client.force_login(user)
        assert client.get(reverse("decisions:log", args=[owner.pk])).status_code == HTTPStatus.OK
        assert client.get(reverse("export")).status_code == HTTPStatus.OK
    else:
        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert not Offer.objects.filter(decision__owner=user).exists()
        assert not LogEntry.objects.filter(decision__owner=user).exists()


@FUZZ
@given(where=st.integers(0, 10**6), value=json_values, drop=st.booleans())
def test_any_value_anywhere_is_imported_or_refused_by_a_check_not_by_the_database(
    client: Client, history: dict, where: int, value: Any, drop: bool
):
    """The database holds every rule too, but a refusal from it has no place to name:
    each one the fuzzer finds is a check the import is missing."""
    document = copy.deepcopy(history)
    paths = [path for path in _json_paths(document) if path]
    *parents, last = paths[where % len(paths)]
    node: Any = document
    for key in parents:
        node = node[key]
    if drop and isinstance(node, dict):
        del node[last]
    else:
        node[last] = value

    user, response = _import(client, document)

    if response.status_code != HTTPStatus.FOUND:
        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert "the database refused" not in " ".join(
            response.context_data["import_form"].errors["file"]
        )
        assert not Decision.objects.filter(owner=user).exists()


def test_a_row_the_checks_missed_is_refused_by_the_database_and_nothing_is_saved(
    client: Client, history: dict, monkeypatch: pytest.MonkeyPatch
):
    # As if the check of a criterion's name once per decision were forgotten.
    monkeypatch.setattr(
        "decisions.portability._build_criterion",
        lambda decision, data, others, version: Criterion(
            decision=decision, **field_values(Criterion, data, CRITERION_FIELDS, version=version)
        ),
    )
    document = copy.deepcopy(history)
    criteria = document["decisions"][0]["criteria"]
    criteria[1]["name"] = criteria[0]["name"]

    assert "the database refused one of its rows" in _refused(client, document)


@pytest.mark.parametrize(
    ("kind", "key", "value"),
    [
        ("reflection", "question", ["x" * 1_000] * 1_500),  # kept the report from printing
        ("reflection", "question", "x" * 301),
        ("decided", "confidence", 101),
        ("decided", "review_on", {"not": "a date"}),
    ],
)
def test_what_the_log_and_report_print_of_an_entry_has_its_forms_shape(
    client: Client, history: dict, kind: str, key: str, value: Any
):
    _entry(history, kind)["data"][key] = value
    assert key in _refused(client, history)


def test_an_own_export_with_a_line_break_stored_in_a_one_line_field_still_imports(
    client: Client, history: dict
):
    """Stored before line breaks were refused, it must not make the user's own file
    unimportable: the import turns it into a space, as the mail headers do."""
    history["decisions"][0]["offers"][0]["recruiter_name"] = "Jana\tKrüger\r\n"
    user, response = _import(client, history)
    assert response.status_code == HTTPStatus.FOUND
    assert Decision.objects.get(owner=user).offers.filter(recruiter_name="Jana Krüger").exists()
