"""The decisions app's part of the export (decisions/portability.py)."""

from __future__ import annotations

import ast
import copy
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from decisions import services
from decisions.models import OFFER_FIELDS, Criterion, Decision, LogEntry, Offer, Rating
from decisions.portability import (
    IMPORT_LIMITS,
    MAX_DECISIONS,
    MAX_LOG_ENTRIES,
    MAX_RATINGS_IN_FILE,
    OFFER_FLOW_DATES,
    DamagedExport,
    DecisionsImport,
    build_decisions,
    export_decisions,
    save_decisions,
)
from offerdesk.accounts.models import User
from tests.factories import CriterionFactory, DecisionFactory, OfferFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rated(decision: Decision) -> Decision:
    """Two offers (the second chosen), a rating and an amount criterion, ratings on both
    offers written in reverse criterion order, and a coach's comment."""
    culture = CriterionFactory(decision=decision, name="Team", kind="rating", position=50)
    commute = CriterionFactory(
        decision=decision, name="Commute", kind="amount_low", unit="minutes", position=60
    )
    first = OfferFactory(decision=decision, company="Acme", base_salary=Decimal("80000.50"))
    second = OfferFactory(decision=decision, company="Globex", base_salary=None)
    for offer, team, minutes in ((first, "7.5", "45"), (second, "9", None)):
        Rating.objects.create(offer=offer, criterion=commute, value=minutes and Decimal(minutes))
        Rating.objects.create(offer=offer, criterion=culture, value=Decimal(team), note="Kind")
    Decision.objects.filter(pk=decision.pk).update(chosen_offer=second)
    coach = UserFactory(full_name="Robin Coach")
    LogEntry.objects.create(
        decision=decision, author=coach, kind=LogEntry.Kind.COACH_COMMENT, summary="Good."
    )
    return decision


def test_an_export_is_rows_that_refer_to_each_other_by_position(rated: Decision, user: User):
    part = export_decisions(user)

    [row] = part.decisions
    names = [criterion["name"] for criterion in row["criteria"]]
    assert names[-2:] == ["Team", "Commute"]
    assert [offer["company"] for offer in row["offers"]] == ["Acme", "Globex"]
    assert row["chosen_offer"] == 1
    acme = row["offers"][0]
    # The offer's form fields, and the days the flows around a decline keep.
    assert set(acme) == {*OFFER_FIELDS, *OFFER_FLOW_DATES, "created_at", "ratings"}
    assert acme["base_salary"] == Decimal("80000.50")
    # In criterion order, whatever order they were written in.
    assert acme["ratings"] == [
        {
            "criterion": names.index("Team"),
            "value": Decimal("7.50"),
            "value_high": None,
            "note": "Kind",
        },
        {
            "criterion": names.index("Commute"),
            "value": Decimal("45.00"),
            "value_high": None,
            "note": "",
        },
    ]
    assert [entry["author"] for entry in row["log"]][-1] == "Robin Coach"
    assert row["log"][0]["author"] == "you"


def test_the_offer_rows_pair_each_exported_row_with_its_offer(rated: Decision, user: User):
    part = export_decisions(user)

    assert [offer_row.offer.company for offer_row in part.offers] == ["Acme", "Globex"]
    exported_rows = part.decisions[0]["offers"]
    assert all(
        offer_row.row is row for offer_row, row in zip(part.offers, exported_rows, strict=True)
    )
    assert [offer_row.where for offer_row in part.offers] == [
        "decision 1, offer 1",
        "decision 1, offer 2",
    ]


def test_an_export_reads_only_the_users_own_decisions(rated: Decision, other_user: User):
    DecisionFactory(owner=other_user)

    part = export_decisions(other_user)

    assert len(part.decisions) == 1
    assert not part.offers


def import_decisions(user: User, rows: list, *, version: int) -> DecisionsImport:
    """Both steps of an import, as ``offerdesk.portability`` takes them."""
    imported = build_decisions(user, rows, version=version)
    with transaction.atomic():
        save_decisions(imported)
    return imported


def test_the_export_costs_the_same_queries_for_one_decision_or_many(
    rated: Decision, user: User, django_assert_max_num_queries
):
    many = UserFactory()
    for _ in range(4):
        OfferFactory(decision=DecisionFactory(owner=many))

    with django_assert_max_num_queries(6):
        export_decisions(user)
    with django_assert_max_num_queries(6):
        export_decisions(many)


def _without_coach_entries(rows: list) -> list:
    for row in rows:
        row["log"] = [entry for entry in row["log"] if entry["author"] == "you"]
    return rows


def test_an_import_recreates_the_rows_and_pairs_each_row_with_its_new_offer(
    rated: Decision, user: User
):
    exported = export_decisions(user)
    twin = UserFactory()

    imported = import_decisions(twin, copy.deepcopy(exported.decisions), version=3)

    decision = Decision.objects.get(owner=twin)
    assert [offer_row.offer.decision_id for offer_row in imported.offers] == [decision.pk] * 2
    assert [offer_row.row["company"] for offer_row in imported.offers] == ["Acme", "Globex"]
    assert [offer_row.offer.company for offer_row in imported.offers] == ["Acme", "Globex"]
    assert decision.chosen_offer == imported.offers[1].offer
    assert export_decisions(twin).decisions == _without_coach_entries(exported.decisions)


def test_building_checks_everything_and_writes_nothing(rated: Decision, user: User):
    rows = export_decisions(user).decisions
    twin = UserFactory()

    with CaptureQueriesContext(connection) as queries:
        built = build_decisions(twin, rows, version=3)

    # Reads only: the account, and the models' checks, which the database evaluates.
    assert not _writes(queries)
    assert [offer_row.offer.pk for offer_row in built.offers] == [None, None]
    assert not Decision.objects.filter(owner=twin).exists()


def _writes(queries: CaptureQueriesContext) -> list[str]:
    return [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].split()[0] in {"INSERT", "UPDATE", "DELETE"}
    ]


def test_saving_writes_a_batch_per_model_not_a_row_at_a_time(rated: Decision, user: User):
    rows = export_decisions(user).decisions
    one = build_decisions(UserFactory(), copy.deepcopy(rows), version=3)
    many = build_decisions(UserFactory(), copy.deepcopy(rows) * MAX_DECISIONS, version=3)

    with CaptureQueriesContext(connection) as for_one:
        save_decisions(one)
    with CaptureQueriesContext(connection) as for_many:
        save_decisions(many)

    # An INSERT per model, and two UPDATEs that put back the imported times and the
    # chosen offers; SQLite's limit on parameters may split a model's many rows in two
    # (the criteria and the offers, here).
    assert len(_writes(for_one)) == 7
    assert len(_writes(for_many)) <= 9
    assert Decision.objects.filter(owner=many.owner).count() == MAX_DECISIONS


def test_an_account_that_gained_a_decision_since_building_is_refused(rated: Decision, user: User):
    twin = UserFactory()
    built = build_decisions(twin, export_decisions(user).decisions, version=3)
    DecisionFactory(owner=twin)

    with pytest.raises(ValidationError, match="no decisions"):
        save_decisions(built)

    assert Decision.objects.filter(owner=twin).count() == 1


def test_a_coachs_entries_are_left_out_and_counted(rated: Decision, user: User):
    twin = UserFactory()

    imported = import_decisions(twin, export_decisions(user).decisions, version=3)

    assert imported.left_out == 1
    assert not LogEntry.objects.filter(decision__owner=twin, kind=LogEntry.Kind.COACH_COMMENT)
    assert not LogEntry.objects.filter(decision__owner=twin, author__isnull=True).exists()


def test_an_entry_imported_before_coach_entries_were_left_out_keeps_its_coach(
    rated: Decision, user: User
):
    LogEntry.objects.create(
        decision=rated,
        author=None,
        kind=LogEntry.Kind.COACH_COMMENT,
        summary="Robin Coach commented",
        data={"imported_author": "Robin Coach"},
    )

    [row] = export_decisions(user).decisions

    assert row["log"][-1]["author"] == "Robin Coach"
    assert row["log"][-1]["data"] == {}


def _as_version_1(rows: list) -> list:
    """The rows as version 1 wrote them: a rating criterion's value in ``score``, an
    amount criterion's in ``amount``."""
    for row in rows:
        kinds = [criterion["kind"] for criterion in row["criteria"]]
        for offer in row["offers"]:
            for rating in offer["ratings"]:
                value = rating.pop("value")
                rated = kinds[rating["criterion"]] == "rating"
                rating["score"], rating["amount"] = (value, None) if rated else (None, value)
    return rows


@pytest.mark.parametrize(
    ("score", "amount", "value"),
    [
        ("7.5", None, Decimal("7.5")),
        (None, "45", None),
        ("8", "45", Decimal(8)),
        (None, None, None),
    ],
)
def test_a_version_1_rating_takes_the_column_its_criterions_kind_read(
    rated: Decision, user: User, score, amount, value
):
    """Team is a 0-10 criterion: its score counts; an amount left there by a change
    of kind was never seen, and stays unseen."""
    rows = _as_version_1(export_decisions(user).decisions)
    rows[0]["offers"][0]["ratings"][0].update(score=score, amount=amount)
    twin = UserFactory()

    import_decisions(twin, rows, version=1)

    offer = Offer.objects.get(decision__owner=twin, company="Acme")
    team = Criterion.objects.get(decision__owner=twin, name="Team")
    assert Rating.objects.get(offer=offer, criterion=team).value == value


def test_a_version_1_amount_criterion_takes_its_amount(rated: Decision, user: User):
    rows = _as_version_1(export_decisions(user).decisions)
    twin = UserFactory()

    import_decisions(twin, rows, version=1)

    commute = Criterion.objects.get(decision__owner=twin, name="Commute")
    offer = Offer.objects.get(decision__owner=twin, company="Acme")
    assert Rating.objects.get(offer=offer, criterion=commute).value == 45


def test_an_account_with_decisions_is_refused(rated: Decision, user: User):
    with pytest.raises(ValidationError, match="no decisions"):
        import_decisions(user, export_decisions(user).decisions, version=3)


def _damage_rating_criterion(rows: list, value: object) -> None:
    rows[0]["offers"][1]["ratings"][0]["criterion"] = value


def _damage_chosen_offer(rows: list, value: object) -> None:
    rows[0]["chosen_offer"] = value


def _drop_title(rows: list, value: object) -> None:
    del rows[0]["title"]


def _damage_log_data(rows: list, value: object) -> None:
    rows[0]["log"][0]["data"] = value


def _damage_log_author(rows: list, value: object) -> None:
    rows[0]["log"][0]["author"] = value


def _damage_decision_time(rows: list, value: object) -> None:
    rows[0]["created_at"] = value


def _damage_rating_value(rows: list, value: object) -> None:
    rows[0]["offers"][0]["ratings"][0]["value"] = value


def _damage_criteria(rows: list, value: object) -> None:
    rows[0]["criteria"] = value


def _damage_rating_high(rows: list, value: object) -> None:
    rows[0]["offers"][0]["ratings"][0]["value_high"] = value


@pytest.mark.parametrize(
    ("damage", "value", "message"),
    [
        (_damage_rating_criterion, 99, "decision 1, offer 2, rating 1: 99 is not a position"),
        (_damage_rating_criterion, -1, "rating 1: -1 is not a position"),
        (_damage_rating_criterion, True, "rating 1: True is not a position"),
        (_damage_chosen_offer, 2, "chosen offer: 2 is not a position"),
        (_drop_title, None, "decision 1: “title” is missing"),
        (_damage_log_data, ["a", "list"], "log entry 1: data"),
        (_damage_log_author, 7, "log entry 1: author"),
        (_damage_decision_time, "2026-11-26T15:16:28", "decision 1: created_at: .*time zone"),
        (_damage_decision_time, None, "created_at"),
        (_damage_rating_value, "-3", "rating 1: value"),
        (_damage_rating_value, "ten", "rating 1: value"),
        (_damage_rating_value, "57", "rating 1: “Team” takes values from 0 to 10"),
        (_damage_criteria, "Team", "decision 1, criteria: This must be a list of objects"),
        (_damage_rating_high, "7.5", "rating 1: “Team” has a range whose highest value is its"),
        (_damage_rating_high, "7", "rating 1: “Team” has the highest value of its range below"),
    ],
)
def test_a_damaged_row_saves_nothing_and_says_where_and_what(
    rated: Decision, user: User, damage, value, message
):
    rows = export_decisions(user).decisions
    damage(rows, value)
    twin = UserFactory()

    with pytest.raises(DamagedExport, match=message) as refusal:
        import_decisions(twin, rows, version=3)

    assert refusal.value.messages[0].startswith("The file could not be read")
    assert not Decision.objects.filter(owner=twin).exists()
    assert not Offer.objects.filter(decision__owner=twin).exists()


def _many_decisions(rows: list) -> None:
    rows.extend(copy.deepcopy(rows[0]) for _ in range(MAX_DECISIONS))


def _many_offers(rows: list) -> None:
    rows[0]["offers"] = [copy.deepcopy(rows[0]["offers"][0]) for _ in range(26)]


def _many_criteria(rows: list) -> None:
    template = rows[0]["criteria"][-2]
    rows[0]["criteria"] += [dict(template, name=f"More {n}") for n in range(19)]


def _many_ratings(rows: list) -> None:
    rows[0]["offers"][0]["ratings"] *= 13


def _many_log_entries(rows: list) -> None:
    rows[0]["log"] = [copy.deepcopy(rows[0]["log"][0]) for _ in range(MAX_LOG_ENTRIES + 1)]


def _many_ratings_in_all(rows: list) -> None:
    # Counted before any row is read closely (the second offer has two ratings).
    rows[0]["offers"][0]["ratings"] = [{} for _ in range(MAX_RATINGS_IN_FILE)]


def _many_log_entries_in_all(rows: list) -> None:
    rows[:] = [copy.deepcopy(rows[0]) for _ in range(3)]
    for row in rows:
        row["log"] = [copy.deepcopy(row["log"][0]) for _ in range(900)]


@pytest.mark.parametrize(
    ("grow", "message"),
    [
        (_many_decisions, "decisions: This holds 21 decisions"),
        (_many_offers, "decision 1, offers: This holds 26 offers"),
        (_many_criteria, "decision 1, criteria: This holds 26 criteria"),
        (_many_ratings, "decision 1, offer 1, ratings: This holds 26 ratings"),
        (_many_log_entries, "decision 1, log: This holds 1,001 log entries"),
        (_many_ratings_in_all, "decisions: This file holds 2,502 ratings in all"),
        (_many_log_entries_in_all, "decisions: This file holds 2,700 log entries in all"),
    ],
)
def test_more_rows_than_an_import_takes_are_refused_with_the_limits(
    rated: Decision, user: User, grow, message: str
):
    rows = export_decisions(user).decisions
    grow(rows)

    with pytest.raises(DamagedExport, match=message) as refusal:
        build_decisions(UserFactory(), rows, version=3)

    assert IMPORT_LIMITS in refusal.value.messages[0]


def test_the_import_checks_every_rule_the_database_holds_for_a_rating():
    """Ratings point at unsaved offers and criteria while they are checked, so the
    database cannot check these: the import does (one per cell, the fields' ranges,
    a range's top above its bottom). A new constraint needs its check there too."""
    assert {constraint.name for constraint in Rating._meta.constraints} == {
        "rating_one_per_cell",
        "rating_value_in_range",
        "rating_range_above_its_value",
    }


def test_imported_times_are_kept_to_the_microsecond(rated: Decision, user: User):
    moment = dt.datetime(2026, 11, 26, 15, 16, 28, 400, tzinfo=dt.UTC)
    rows = export_decisions(user).decisions
    rows[0]["created_at"] = moment.isoformat()
    rows[0]["offers"][0]["created_at"] = moment.isoformat()
    twin = UserFactory()

    import_decisions(twin, rows, version=3)

    assert Decision.objects.get(owner=twin).created_at == moment
    assert Offer.objects.get(decision__owner=twin, company="Acme").created_at == moment


def test_the_decisions_part_does_not_import_messaging():
    source = Path(settings.BASE_DIR) / "decisions" / "portability.py"
    tree = ast.parse(source.read_text())
    modules = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    modules |= {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }

    assert not {name for name in modules if name and name.startswith("messaging")}


# Acceptances, and the offers a log entry names ---------------------------------------


@pytest.fixture
def changed_mind(decision: Decision, user: User) -> Decision:
    """Acme accepted, then taken back for Globex; a decline sent to Initech while the
    acceptance of Globex was unconfirmed."""
    acme, globex, initech = (
        OfferFactory(decision=decision, company=name) for name in ("Acme", "Globex", "Initech")
    )
    common = {"why": "", "confidence": None, "review_on": None}
    services.decision_decide(decision=decision, actor=user, chosen_offer=acme, **common)
    services.decision_change_mind(
        decision=decision, actor=user, chosen_offer=globex, reason="Closer", **common
    )
    LogEntry.objects.create(
        decision=decision,
        author=user,
        kind=LogEntry.Kind.MESSAGE_SENT,
        summary="Sent an e-mail declining Initech",
        data={"offer": initech.pk, "despite_unconfirmed": globex.pk},
    )
    return decision


def _entries(rows: list, kind: str) -> list[dict]:
    return [entry["data"] for entry in rows[0]["log"] if entry["kind"] == kind]


def test_every_offer_an_entry_names_is_exported_by_position(changed_mind: Decision, user: User):
    rows = export_decisions(user).decisions
    decided, changed = _entries(rows, "decided")
    assert (decided["chosen_offer"], decided["previous_offer"]) == ({"position": 0}, None)
    assert (changed["chosen_offer"], changed["retracted_offer"]) == (
        {"position": 1},
        {"position": 0},
    )
    [sent] = _entries(rows, "message_sent")
    assert sent == {"offer": {"position": 2}, "despite_unconfirmed": {"position": 1}}


def test_every_offer_an_entry_names_imports_as_the_new_offer(changed_mind: Decision, user: User):
    exported = export_decisions(user)
    twin = UserFactory()

    import_decisions(twin, copy.deepcopy(exported.decisions), version=4)

    copied = {offer.company: offer.pk for offer in Offer.objects.filter(decision__owner=twin)}
    entries = LogEntry.objects.filter(decision__owner=twin)
    changed = entries.get(kind="decided", data__has_key="retracted_offer").data
    assert (changed["chosen_offer"], changed["retracted_offer"]) == (
        copied["Globex"],
        copied["Acme"],
    )
    sent = entries.get(kind="message_sent").data
    assert (sent["offer"], sent["despite_unconfirmed"]) == (copied["Initech"], copied["Globex"])
    assert export_decisions(twin).decisions == exported.decisions


def test_an_id_kept_by_an_older_export_names_no_offer_here(changed_mind: Decision, user: User):
    # The id of an offer in the account the file came from could be one of this
    # account's ids, and date an acceptance by the wrong entry.
    rows = export_decisions(user).decisions
    _entries(rows, "decided")[0]["chosen_offer"] = 123_456
    twin = UserFactory()

    import_decisions(twin, rows, version=4)

    decided = LogEntry.objects.filter(decision__owner=twin, kind="decided").order_by("pk")
    assert decided[0].data["chosen_offer"] is None
    assert not LogEntry.objects.filter(decision__owner=twin, data__chosen_offer=123_456).exists()


@pytest.mark.parametrize(
    ("change", "where"),
    [
        # The chosen offer, its acceptance taken back.
        ({1: {"status": "retracted"}}, "offer 2: status: The decision’s chosen offer"),
        ({1: {"status": "confirmed"}}, "offer 2: confirmed_on: A confirmed acceptance has"),
    ],
)
def test_an_acceptance_the_flows_could_not_have_made_is_refused(
    changed_mind: Decision, user: User, change: dict, where: str
):
    rows = export_decisions(user).decisions
    for position, fields in change.items():
        rows[0]["offers"][position].update(fields)

    with pytest.raises(DamagedExport, match=where):
        build_decisions(UserFactory(), rows, version=4)


def test_an_acceptance_from_before_the_rules_is_put_right_as_the_migration_did(
    changed_mind: Decision, user: User
):
    # Before migration 0012 an offer could be made accepted beside the chosen one
    # (Globex), and taking back a confirmation kept its day: such a file still imports.
    rows = export_decisions(user).decisions
    rows[0]["offers"][0].update(status="accepted", confirmed_on=dt.date(2026, 11, 2))
    rows[0]["offers"][1].update(confirmed_on=dt.date(2026, 11, 3))
    twin = UserFactory()

    import_decisions(twin, rows, version=4)

    offers = Offer.objects.filter(decision__owner=twin).order_by("created_at", "pk")
    assert [(o.status, o.confirmed_on) for o in offers[:2]] == [
        ("open", None),
        ("accepted", None),
    ]


def test_a_confirmed_acceptance_imports_with_its_day(changed_mind: Decision, user: User):
    rows = export_decisions(user).decisions
    rows[0]["offers"][1].update(status="confirmed", confirmed_on=dt.date(2026, 11, 2))
    twin = UserFactory()

    import_decisions(twin, rows, version=4)

    copy_ = Offer.objects.get(decision__owner=twin, company="Globex")
    assert (copy_.status, copy_.confirmed_on) == ("confirmed", dt.date(2026, 11, 2))
