"""Stored rows no reader can read as written: every page still answers, and shows what it can.

Log entries and decision records imported before ``decisions.portability`` refused
hostile shapes stay stored, and the log is append-only: so ``decisions.selectors`` reads
them tolerantly ("strip at the edge for old data"). The rows here are written directly,
bypassing every form, service and the import.
"""

from __future__ import annotations

import json
from decimal import Decimal
from http import HTTPStatus
from typing import Any

import pytest
from django.db.models import JSONField, Value
from django.http import HttpResponse
from django.template import engines
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from decisions import kinds, selectors, services
from decisions.models import (
    MUST_HAVE_LOCATION,
    MUST_HAVE_WORK_MODE,
    OFFER_PAY_AMOUNTS,
    OFFER_PAY_FIELDS,
    SNAPSHOT_PAY_FIELDS,
    CoachGrant,
    Decision,
    LogEntry,
)
from decisions.report import printed_entry
from decisions.selectors import ANCHOR_FIELDS
from offerdesk.accounts.models import User
from tests.factories import OfferFactory, UserFactory

SUMMARY = "An entry from an old import"
# Decimal strings a stored amount may hold: most are no amount of this app, and two
# ("1e-999999", "1_000") are, though written as no page writes them.
ODD_NUMBERS = ("sNaN", "NaN", "-sNaN", "Infinity", "-Infinity", "1e999999", "-1e999999",
               "1e-999999", "-5", "100000001", "0x10", "1_000", "", " ", "12abc")  # fmt: skip
NOT_OBJECTS = ("a text", ["a", "list"], 7, 2.5, True, None)
# Every pay figure a decided snapshot may hold of an offer.
PAY = (*OFFER_PAY_FIELDS, *SNAPSHOT_PAY_FIELDS)


def _nested(depth: int) -> Any:
    value: Any = "bottom"
    for _ in range(depth):
        value = [value]
    return value


# A name for each damaged entry, and its kind and data: the shapes the import refuses
# today, stored as an earlier import let them in.
DAMAGED_ENTRIES: dict[str, tuple[str, Any]] = {
    "a kind looked up as a list": (
        LogEntry.Kind.CRITERION_CHANGED,
        {"kind": kinds.RATING, "changes": {"kind": {"before": ["rating"], "after": {"a": 1}}}},
    ),
    "a suggestion looked up as an object": (
        LogEntry.Kind.CRITERION_CHANGED,
        {"kind": kinds.RATING, "changes": {"suggested_from": {"before": {}, "after": [1]}}},
    ),
    "a criterion's own kind as an object": (
        LogEntry.Kind.CRITERION_CHANGED,
        {"kind": {"code": "amount"}, "changes": {"floor": {"before": "1", "after": "2"}}},
    ),
    "an added criterion's kind as a list": (
        LogEntry.Kind.CRITERION_ADDED,
        {"kind": ["amount"], "floor": "1", "target": "2"},
    ),
    "a ruled-out list of objects": (
        LogEntry.Kind.MUST_HAVES_CHANGED,
        {"changes": {MUST_HAVE_WORK_MODE: {"before": [{"a": 1}], "after": [["remote"]]}}},
    ),
    # Each odd number once before and once after: an offer's pay, a criterion's ends.
    "odd decimal strings in pay changes": (
        LogEntry.Kind.OFFER_CHANGED,
        {
            "changes": {
                name: {"before": ODD_NUMBERS[index], "after": ODD_NUMBERS[-1 - index]}
                for index, name in enumerate(OFFER_PAY_AMOUNTS)
            }
        },
    ),
    "odd decimal strings in a floor and a target": (
        LogEntry.Kind.CRITERION_CHANGED,
        {
            "kind": kinds.RATING,
            "changes": {
                "floor": {"before": "1e999999", "after": "-1e999999"},
                "target": {"before": "1e-999999", "after": "-5"},
            },
        },
    ),
    "amounts past the largest the app takes": (
        LogEntry.Kind.CRITERION_CHANGED,
        {
            "kind": kinds.AMOUNT,
            "changes": {
                "floor": {"before": 10**308, "after": None},
                "target": {"before": "100000001", "after": "1e999999"},
            },
        },
    ),
    "field changes that are not objects": (
        LogEntry.Kind.WEIGHTS_CHANGED,
        {"changes": {"Salary": 5, "Culture": "a", "Team": [1, 2]}},
    ),
    "changes that are not an object": (LogEntry.Kind.OFFER_CHANGED, {"changes": "text"}),
    "ratings changes that are a number": (LogEntry.Kind.RATINGS_CHANGED, {"changes": 5}),
    "ratings changes that are an object": (
        LogEntry.Kind.RATINGS_CHANGED,
        {"changes": {"kind": "rating", "before": {"value": "1"}}},
    ),
    "a rated cell's kind as a list": (
        LogEntry.Kind.RATINGS_CHANGED,
        {"changes": [{"kind": ["rating"], "before": None, "after": {"value": "5"}}]},
    ),
    "rated cells with odd numbers": (
        LogEntry.Kind.RATINGS_CHANGED,
        {
            "changes": [
                {
                    "kind": kind,
                    "offer_label": ["a"],
                    "criterion_label": {"b": 1},
                    "unit": ["min"],
                    "before": {"value": odd, "high": odd, "note": ["x"]},
                    "after": {"score": odd} if index % 2 else {"amount": odd},
                }
                for index, (kind, odd) in enumerate(
                    zip(
                        [kinds.RATING, kinds.YES_NO, kinds.AMOUNT, "bogus", 3] * 3,
                        ODD_NUMBERS,
                        strict=True,
                    )
                )
            ]
        },
    ),
    "rated cells that are not objects": (
        LogEntry.Kind.RATINGS_CHANGED,
        {"changes": [1, "x", None, {"kind": "rating", "before": "5", "after": [7]}]},
    ),
    "a decided snapshot whose offers are a text": (
        LogEntry.Kind.DECIDED,
        {"snapshot": {"offers": "abc", "criteria": 5}},
    ),
    "a decided snapshot whose offers are not objects": (
        LogEntry.Kind.DECIDED,
        {"snapshot": {"offers": [1, "x", [2], {"pay_first_year": "1"}], "criteria": ["a"]}},
    ),
    "a decided snapshot whose offers are an object": (
        LogEntry.Kind.DECIDED,
        {"snapshot": {"offers": {"base_salary": "5"}, "criteria": {"kind": "amount"}}},
    ),
    "a decided snapshot that is a list": (LogEntry.Kind.DECIDED, {"snapshot": [1, 2]}),
    "printed details that are not text": (
        LogEntry.Kind.DECIDED,
        {"why": {"a": "b"}, "confidence": [1], "review_on": {"day": 1}},
    ),
    "a feeling that is not text": (
        LogEntry.Kind.FEELING,
        {"feeling": ["calm"], "intensity": {"of": 5}},
    ),
    "a question that is a list": (LogEntry.Kind.REFLECTION, {"question": ["why?"]}),
    # Printed whole, it would be a report longer than the renderer takes.
    "a reason that is a long list": (LogEntry.Kind.DECIDED, {"why": ["because"] * 150_000}),
    "data nested deeper than a copy goes": (
        LogEntry.Kind.OFFER_CHANGED,
        {"changes": {"company": {"before": _nested(600), "after": "Acme"}}},
    ),
    "an imported author that is a list": (
        LogEntry.Kind.COACH_COMMENT,
        {"imported_author": ["Dr.", "Famous"]},
    ),
}


@pytest.fixture
def coach(db: None) -> User:
    return UserFactory(username="thecoach", full_name="Robin Coach")


def _browser(user: User) -> Client:
    # A page that raises answers 500, so that one run lists every page that breaks.
    browser = Client(raise_request_exception=False)
    browser.force_login(user)
    return browser


@pytest.fixture
def owner(user: User) -> Client:
    return _browser(user)


@pytest.fixture
def coach_client(coach: User) -> Client:
    return _browser(coach)


@pytest.fixture
def decided(user: User, decision: Decision, coach: User) -> Decision:
    """A decided search with two offers, coached by ``coach``, who may not see pay."""
    chosen = OfferFactory(decision=decision, company="Acme", base_salary=Decimal(90_000))
    OfferFactory(decision=decision, company="Globex")
    CoachGrant.objects.create(client=user, coach=coach, hide_compensation=True)
    services.decision_decide(
        decision=decision,
        actor=user,
        chosen_offer=chosen,
        why="The team",
        confidence=70,
        review_on=None,
    )
    return decision


def _store(decision: Decision, kind: str, data: Any, *, author: User | None) -> LogEntry:
    """``data`` stored as it is (None as JSON null), as an earlier import stored it."""
    entry = LogEntry.objects.create(
        decision=decision,
        author=author,
        kind=kind,
        summary=SUMMARY,
        body="Words of the entry",
        data=Value(None, JSONField()) if data is None else data,
    )
    assert LogEntry.objects.get(pk=entry.pk).data == data
    return entry


def _pages(owner: Client, coach: Client, decision: Decision) -> dict[str, HttpResponse]:
    pk = decision.pk
    log = reverse("decisions:log", args=[pk])
    review = reverse("coach:review", args=[pk])
    return {
        "log": owner.get(log),
        "log fragment": owner.get(log, headers={"HX-Request": "true"}),
        "decision": owner.get(reverse("decisions:detail", args=[pk])),
        "compare": owner.get(reverse("decisions:compare", args=[pk])),
        "report": owner.get(reverse("decisions:report", args=[pk])),
        "export": owner.get(reverse("export")),
        "coach dashboard": coach.get(reverse("coach:dashboard")),
        "coach review": coach.get(review),
        "coach log fragment": coach.get(review, headers={"HX-Request": "true"}),
        "coach report": coach.get(reverse("coach:report", args=[pk])),
    }


def _broken(owner: Client, coach: Client, decision: Decision) -> list[str]:
    """The pages that do not answer 200 with what they promise (a PDF, a JSON file)."""
    broken = []
    for name, response in _pages(owner, coach, decision).items():
        if response.status_code != HTTPStatus.OK:
            broken.append(f"{name}: {response.status_code}")
        elif "report" in name and response["Content-Type"] != "application/pdf":
            broken.append(f"{name}: {response['Content-Type']}")
        elif name == "export":
            json.loads(response.content)
    return broken


def _shown_entry(owner: Client, decision: Decision, entry: LogEntry) -> selectors.EntryView:
    response = owner.get(reverse("decisions:log", args=[decision.pk]))
    return next(e for e in response.context_data["view"].log.entries if e.pk == entry.pk)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "data"), list(DAMAGED_ENTRIES.values()), ids=list(DAMAGED_ENTRIES)
)
def test_a_damaged_entry_leaves_every_page_answering(
    owner: Client, coach_client: Client, decided: Decision, kind: str, data: Any
):
    imported = kind == LogEntry.Kind.COACH_COMMENT
    entry = _store(decided, kind, data, author=None if imported else decided.owner)

    assert _broken(owner, coach_client, decided) == []
    shown = _shown_entry(owner, decided, entry)
    assert shown.summary == SUMMARY
    assert shown.unreadable == selectors.UNREADABLE_DETAILS
    # No value of a million digits, nor a long list printed whole.
    texts = [t for change in (*shown.changes, *shown.ratings) for t in vars(change).values()]
    assert all(len(str(text)) < 100 for text in texts)
    assert all(len(str(shown.data.get(key, ""))) < 1000 for key in selectors.PRINTED_DATA)


@pytest.mark.django_db
@pytest.mark.parametrize("data", NOT_OBJECTS, ids=repr)
def test_data_that_is_no_object_leaves_every_page_answering_for_every_kind(
    owner: Client, coach_client: Client, decided: Decision, data: Any
):
    stored = {_store(decided, kind, data, author=decided.owner).pk for kind in LogEntry.Kind.values}

    broken = _broken(owner, coach_client, decided)
    # The export is test_the_export_answers_with_an_entry_whose_data_is_no_object's.
    assert [page for page in broken if not page.startswith("export:")] == []
    log = owner.get(reverse("decisions:log", args=[decided.pk]))
    shown = [entry for entry in log.context_data["view"].log.entries if entry.pk in stored]
    # Less the kinds the log no longer tells (an export of a message).
    told = len(stored) - len(selectors.NOT_THE_STORY)
    assert len(shown) == min(told, selectors.TIMELINE_PAGE_SIZE)
    for entry in shown:
        assert (entry.summary, entry.body) == (SUMMARY, "Words of the entry")
        assert entry.unreadable == selectors.UNREADABLE_DETAILS
        assert dict(entry.data) == {}


@pytest.mark.django_db
@pytest.mark.parametrize("data", NOT_OBJECTS, ids=repr)
def test_the_export_answers_with_an_entry_whose_data_is_no_object(
    owner: Client, decided: Decision, data: Any
):
    _store(decided, LogEntry.Kind.GOAL, data, author=decided.owner)

    assert owner.get(reverse("export")).status_code == HTTPStatus.OK


@pytest.mark.django_db
@pytest.mark.parametrize(
    "snapshot",
    ["a text", [1, 2], 5, {"offers": "abc"}, {"offers": [["base_salary", 1]], "criteria": 3},
     {"offers": {"x": {"pay_first_year": "1"}}}, {"criteria": [[{"kind": "amount"}]]},
     {"offers": [{"x": _nested(600)}]}],
    ids=repr,
)  # fmt: skip
def test_a_damaged_decided_snapshot_leaves_every_page_answering(
    owner: Client, coach_client: Client, decided: Decision, snapshot: Any
):
    Decision.objects.filter(pk=decided.pk).update(decided_snapshot=snapshot)

    assert _broken(owner, coach_client, decided) == []


@pytest.mark.django_db
def test_an_imported_coach_comment_shows_as_imported_text_not_a_coachs(
    owner: Client, coach: User, decided: Decision
):
    signed = _store(
        decided, LogEntry.Kind.COACH_COMMENT, {"imported_author": "Dr. Famous Coach"}, author=None
    )
    as_own = _store(decided, LogEntry.Kind.COACH_COMMENT, {}, author=decided.owner)
    genuine = services.coach_comment_add(decision=decided, coach=coach, body="A real question")

    shown = _shown_entry(owner, decided, signed)
    assert not shown.by_coach
    assert shown.author_name == "From an imported file, signed ‘Dr. Famous Coach’"
    assert not _shown_entry(owner, decided, as_own).by_coach
    real = _shown_entry(owner, decided, genuine)
    assert real.by_coach
    assert real.author_name == "Robin Coach"
    page = owner.get(reverse("decisions:log", args=[decided.pk])).content.decode()
    assert page.count(' log-entry--coach"') == 1


# Any JSON, for every kind: the readers never raise (no database) ----------------------

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats()
    | st.text(max_size=12)
    | st.sampled_from((*ODD_NUMBERS, *kinds.KINDS, "hidden", "remote", "7.5", "80000"))
)
json_keys = st.text(max_size=6) | st.sampled_from(("kind", "hidden", "name", *OFFER_PAY_FIELDS))
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(json_keys, children, max_size=5)
    ),
    max_leaves=20,
)


def _shaped(required: dict | None = None, **optional: st.SearchStrategy) -> st.SearchStrategy:
    """Mostly an object with the ``required`` keys and some of the ``optional``, the shape
    a reader looks for; else any JSON in its place."""
    shaped = st.fixed_dictionaries(required or {}, optional=optional)
    return shaped | shaped | json_values


# Mostly the fields and kinds the readers look at, so that most examples reach them.
field_names = st.sampled_from(
    ("kind", "suggested_from", "floor", "target", "values_cleared", "company",
     MUST_HAVE_WORK_MODE, MUST_HAVE_LOCATION, *OFFER_PAY_FIELDS)
) | st.text(max_size=6)  # fmt: skip
numbers = st.sampled_from(ODD_NUMBERS) | json_values
field_change = _shaped(before=numbers, after=numbers, hidden=json_values)
field_changes = st.dictionaries(field_names, field_change, min_size=1, max_size=4)
cell = _shaped(value=numbers, high=numbers, score=numbers, amount=numbers, note=json_values)
rating_change = _shaped(
    kind=st.sampled_from(tuple(kinds.KINDS)) | json_values, unit=json_values,
    offer_label=json_values, criterion_label=json_values, before=cell, after=cell,
)  # fmt: skip
rating_changes = st.lists(rating_change, min_size=1, max_size=3)
rows = st.lists(_shaped(**{key: json_values for key in ("kind", *ANCHOR_FIELDS, *PAY)}), max_size=3)
snapshot = _shaped(offers=rows | json_values, criteria=rows | json_values)
# What the readers of some entry take, beside ``changes`` and ``snapshot``.
OTHER_DATA = {
    "kind": st.sampled_from(tuple(kinds.KINDS)) | json_values,
    "criteria": rows | json_values,
    "imported_author": json_values,
    **{key: json_values for key in selectors.PRINTED_DATA},
}


def _entry_data(kind: str) -> st.SearchStrategy:
    """Data for an entry of ``kind``, most often with what its readers look for."""
    required: dict[str, st.SearchStrategy] = {}
    if kind in selectors.FIELD_CHANGE_KINDS:
        required["changes"] = field_changes | rating_changes | json_values
    elif kind == LogEntry.Kind.RATINGS_CHANGED:
        required["changes"] = rating_changes | field_changes | json_values
    elif kind == LogEntry.Kind.DECIDED:
        required["snapshot"] = snapshot
    return _shaped(required, **OTHER_DATA)


# Half of the examples are of the kinds whose data a reader looks into.
READ_KINDS = (
    *selectors.FIELD_CHANGE_KINDS, *selectors.CRITERION_KINDS, LogEntry.Kind.RATINGS_CHANGED,
    LogEntry.Kind.DECIDED, LogEntry.Kind.DECISION_CREATED, LogEntry.Kind.COACH_COMMENT,
)  # fmt: skip
kinds_and_data = (st.sampled_from(READ_KINDS) | st.sampled_from(LogEntry.Kind.values)).flatmap(
    lambda kind: st.tuples(st.just(kind), _entry_data(kind))
)


def _rendered(view: selectors.EntryView, note: str = "") -> str:
    template = engines["jinja2"].env.from_string(
        '{% from "decisions/_log_entry.html" import log_entry %}{{ log_entry(entry, note) }}'
    )
    return template.render(entry=view, note=note)


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kind_and_data=kinds_and_data, pay_shown=st.booleans())
def test_no_stored_data_makes_the_log_readers_raise(kind_and_data: tuple, pay_shown: bool):
    kind, data = kind_and_data
    entry = LogEntry(kind=kind, summary=SUMMARY, data=data)
    view = selectors.entry_view(entry, pay_shown=pay_shown)
    _rendered(view)
    printed = printed_entry(view, chars=150)
    _rendered(printed.entry, printed.note)
    assert view.summary == SUMMARY
    # Nothing grows past what was stored: no amount is written out digit by digit.
    texts = [t for change in (*view.changes, *view.ratings) for t in vars(change).values()]
    assert all(len(str(text)) <= max(len(json.dumps(data)), 100) for text in texts)
    assert all(_scalar(view.data.get(key)) for key in selectors.PRINTED_DATA)


@settings(max_examples=300, deadline=None)
@given(snapshot=snapshot)
def test_no_stored_snapshot_makes_the_ranking_without_pay_raise(snapshot: Any):
    decision = Decision(pk=1, title="A search", decided_snapshot=snapshot)
    ranked = selectors.Comparison(decision, [], [], None, None, figures=False)
    stripped = selectors.comparison_without_pay(ranked).decision.decided_snapshot
    offers = stripped.get("offers", [])
    assert all(isinstance(offer, dict) and not set(offer) & set(PAY) for offer in offers)


def _scalar(value: Any) -> bool:
    return value is None or isinstance(value, bool | int | float | str)
