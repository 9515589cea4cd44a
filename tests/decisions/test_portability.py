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

from decisions.models import OFFER_FIELDS, Criterion, Decision, LogEntry, Offer, Rating
from decisions.portability import (
    IMPORTED_AUTHOR,
    DamagedExport,
    export_decisions,
    import_decisions,
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
    assert set(acme) == {*OFFER_FIELDS, "created_at", "ratings"}
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
    assert export_decisions(twin).decisions == exported.decisions


def test_a_coach_comment_keeps_the_coachs_name_without_an_account(rated: Decision, user: User):
    twin = UserFactory()

    import_decisions(twin, export_decisions(user).decisions, version=3)

    comment = LogEntry.objects.get(decision__owner=twin, kind=LogEntry.Kind.COACH_COMMENT)
    assert comment.author is None
    assert comment.data[IMPORTED_AUTHOR] == "Robin Coach"


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
        (_damage_criteria, "Team", "decision 1: This must be a list of objects"),
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
