"""Reads: the ranking, and the projection of a decision for its owner or a coach."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from decisions import kinds, selectors, services
from decisions.models import OFFER_PAY_FIELDS, CoachGrant, Decision, LogEntry
from decisions.selectors import (
    coach_view,
    comparison,
    comparison_without_pay,
    data_without_pay,
    entry_view,
    owner_view,
)
from offerdesk.accounts.models import User
from tests.factories import OfferFactory, UserFactory


def _entry(kind: str, data: dict, **fields) -> LogEntry:
    """An unsaved entry: the projection of one entry needs no database."""
    return LogEntry(
        kind=kind,
        summary="s",
        data=data,
        created_at=dt.datetime(2027, 3, 1, tzinfo=dt.UTC),
        **fields,
    )


# Pay in log data (no database) -----------------------------------------------------------


def test_offer_pay_changes_are_hidden_and_other_changes_kept():
    data = {
        "changes": {
            **{name: {"before": "1", "after": "2"} for name in OFFER_PAY_FIELDS},
            "company": {"before": "Acme", "after": "Acme Ltd"},
        }
    }
    hidden = data_without_pay(LogEntry.Kind.OFFER_CHANGED, data)
    assert all(hidden["changes"][name] == {"hidden": True} for name in OFFER_PAY_FIELDS)
    assert hidden["changes"]["company"] == {"before": "Acme", "after": "Acme Ltd"}


@pytest.mark.parametrize("logged_kind", [kinds.TOTAL_COMP, kinds.AMOUNT, None, "retired"])
def test_anchor_changes_of_every_criterion_are_hidden(logged_kind):
    """An amount criterion of the candidate's own may hold pay ("base salary")."""
    data = {
        "changes": {
            "floor": {"before": None, "after": "97531"},
            "weight": {"before": 1, "after": 2},
        }
    }
    if logged_kind is not None:
        data["kind"] = logged_kind
    result = data_without_pay(LogEntry.Kind.CRITERION_CHANGED, data)
    assert result["changes"]["floor"] == {"hidden": True}
    assert result["changes"]["weight"] == {"before": 1, "after": 2}


def test_a_criterion_that_becomes_the_pay_kind_hides_its_anchors():
    data = {
        "kind": kinds.AMOUNT,
        "changes": {
            "kind": {"before": kinds.AMOUNT, "after": kinds.TOTAL_COMP},
            "target": {"before": "5", "after": "186420"},
        },
    }
    assert data_without_pay(LogEntry.Kind.CRITERION_CHANGED, data)["changes"]["target"] == {
        "hidden": True
    }


def test_added_and_removed_offers_lose_their_pay_fields():
    for kind in (LogEntry.Kind.OFFER_ADDED, LogEntry.Kind.OFFER_REMOVED):
        data = {"company": "Acme", **dict.fromkeys(OFFER_PAY_FIELDS, "123456")}
        result = data_without_pay(kind, data)
        assert result == {"company": "Acme"}


def test_every_added_or_removed_criterion_loses_floor_and_target():
    """One rule with the changes: an amount criterion may be pay the candidate keeps."""
    pay = data_without_pay(
        LogEntry.Kind.CRITERION_ADDED, {"name": "Salary", "kind": kinds.TOTAL_COMP, "floor": "9"}
    )
    commute = data_without_pay(
        LogEntry.Kind.CRITERION_REMOVED, {"name": "Commute", "kind": kinds.AMOUNT_LOW, "floor": "9"}
    )
    assert "floor" not in pay
    assert "floor" not in commute
    assert commute["name"] == "Commute"


def test_the_decided_snapshot_loses_pay_and_the_stored_data_is_untouched():
    snapshot = {
        "offers": [{"company": "Acme", "pay_first_year": "124680", "pay_annualised": "124680"}],
        "criteria": [
            {"name": "Salary", "kind": kinds.TOTAL_COMP, "floor": "97531", "target": "186420"},
            {"name": "Culture", "kind": kinds.RATING, "floor": None, "target": None},
        ],
    }
    entry = _entry(LogEntry.Kind.DECIDED, {"why": "Team", "snapshot": snapshot})
    view = entry_view(entry, pay_shown=False)
    assert view.data["snapshot"]["offers"] == [{"company": "Acme"}]
    assert view.data["snapshot"]["criteria"][0] == {"name": "Salary", "kind": kinds.TOTAL_COMP}
    # A rating's floor is no figure: it stays.
    assert view.data["snapshot"]["criteria"][1] == {
        "name": "Culture",
        "kind": kinds.RATING,
        "floor": None,
        "target": None,
    }
    assert view.data["why"] == "Team"
    assert entry.data["snapshot"]["offers"][0]["pay_first_year"] == "124680"


def test_an_entry_view_is_frozen_and_shows_pay_to_the_owner():
    entry = _entry(
        LogEntry.Kind.OFFER_CHANGED, {"changes": {"base_salary": {"before": "1", "after": "2"}}}
    )
    view = entry_view(entry, pay_shown=True)
    assert view.changes == (selectors.FieldChange(label="base salary", before="1", after="2"),)
    assert view.author_name == "A former user"
    with pytest.raises(TypeError):
        view.data["changes"] = {}  # type: ignore[index]
    hidden = entry_view(entry, pay_shown=False)
    assert hidden.changes == (
        selectors.FieldChange(label="base salary", before="", after="", hidden=True),
    )


# Ratings in the log (no database) --------------------------------------------------------


def test_new_ratings_entries_are_formatted_by_their_kind():
    entry = _entry(
        LogEntry.Kind.RATINGS_CHANGED,
        {
            "changes": [
                {
                    "offer_label": "Acme",
                    "criterion_label": "Commute",
                    "kind": kinds.AMOUNT_LOW,
                    "unit": "min",
                    "before": {"value": None, "note": ""},
                    "after": {"value": "35", "note": "by train"},
                }
            ]
        },
    )
    [change] = entry_view(entry, pay_shown=True).ratings
    assert (change.before, change.after, change.note) == ("—", "35 min", "by train")
    # Hidden where pay is, as on the compare page, which hides every amount's values.
    [change] = entry_view(entry, pay_shown=False).ratings
    assert (change.before, change.after, change.note) == (
        "(figure hidden)",
        "(figure hidden)",
        "by train",
    )


def test_older_ratings_entries_with_score_and_amount_still_read():
    entry = _entry(
        LogEntry.Kind.RATINGS_CHANGED,
        {
            "changes": [
                {
                    "offer_label": "Acme",
                    "criterion_label": "Culture",
                    "before": {"score": None, "amount": None, "note": ""},
                    "after": {"score": "7", "amount": None, "note": "Kind team"},
                },
                {
                    "offer_label": "Acme",
                    "criterion_label": "Commute",
                    "before": {"score": None, "amount": "40", "note": ""},
                    "after": {"score": None, "amount": "35.50", "note": ""},
                },
            ]
        },
    )
    culture, commute = entry_view(entry, pay_shown=True).ratings
    assert (culture.before, culture.after, culture.note) == ("—", "7/10", "Kind team")
    assert (commute.before, commute.after) == ("40", "35.5")


# The ranking and the projection (database) -----------------------------------------------


@pytest.fixture
def coach(db: None) -> User:
    return UserFactory()


@pytest.fixture
def grant(user: User, coach: User, decision: Decision) -> CoachGrant:
    return CoachGrant.objects.create(
        client=user, coach=coach, granted_at=timezone.now(), hide_compensation=True
    )


@pytest.mark.django_db
def test_comparison_rows_carry_the_offers_pay(decision: Decision):
    OfferFactory(decision=decision, base_salary=Decimal(90_000))
    [row] = comparison(decision).rows
    assert row.pay_first_year == Decimal(90_000)
    assert row.pay_annualised == Decimal(90_000)
    assert comparison(decision).pay_shown


@pytest.mark.django_db
def test_the_coachs_comparison_holds_no_pay(decision: Decision, grant: CoachGrant, user: User):
    OfferFactory(decision=decision, company="Rich", base_salary=Decimal(150_000))
    OfferFactory(decision=decision, company="Poor", base_salary=Decimal(40_000))
    salary = decision.criteria.get(name="Salary")
    salary.floor, salary.target = Decimal(30_000), Decimal(200_000)
    salary.save()
    owner = owner_view(decision).comparison
    assert owner.claims_of("pay_to_overtake")
    ranked = coach_view(decision, grant).comparison
    assert not ranked.pay_shown
    assert not ranked.claims_of("pay_to_overtake", "pay_to_clear_floor", "pay_to_tie")
    with pytest.raises(ValueError, match="figures=False"):
        comparison_without_pay(owner)
    said = " ".join(claim.text for claim in ranked.claims)
    assert "€" not in said
    assert "30,000" not in said
    assert "150,000" not in said
    pay_key = next(c.key for c in ranked.criteria if c.criterion.kind_spec.pay)
    for row in ranked.rows:
        assert (row.pay_first_year, row.pay_annualised) == (None, None)
        assert all(getattr(row.offer, name) is None for name in OFFER_PAY_FIELDS)
        assert row.result.values[pay_key] is None
        assert row.result.contributions[pay_key] > 0  # the points stay
    column = next(c for c in ranked.criteria if c.key == pay_key)
    assert (column.criterion.floor, column.criterion.target) == (None, None)
    assert (ranked.result.scales[pay_key].worst, ranked.result.scales[pay_key].best) == (None, None)
    assert [r.offer.company for r in ranked.rows] == [r.offer.company for r in owner.rows]
    # Nothing was written: the owner's rows still hold the figures.
    decision.refresh_from_db()
    assert decision.criteria.get(name="Salary").floor == Decimal(30_000)


@pytest.mark.django_db
def test_the_coach_view_leaves_out_private_entries_and_the_owner_view_keeps_them(
    decision: Decision, grant: CoachGrant, user: User
):
    services.reflection_add(decision=decision, actor=user, kind="goal", body="mine", private=True)
    services.reflection_add(decision=decision, actor=user, kind="goal", body="ours")
    coach_bodies = [e.body for e in coach_view(decision, grant, kind="goal").log.entries]
    owner_bodies = [e.body for e in owner_view(decision, kind="goal").log.entries]
    assert coach_bodies == ["ours"]
    assert owner_bodies == ["ours", "mine"]


@pytest.mark.django_db
def test_a_grant_that_shows_pay_gives_the_coach_the_figures(decision: Decision, grant: CoachGrant):
    OfferFactory(decision=decision, base_salary=Decimal(90_000))
    grant.hide_compensation = False
    view = coach_view(decision, grant)
    assert view.pay_shown
    assert view.offers[0].pay_first_year == Decimal(90_000)
    assert view.comparison.rows[0].pay_first_year == Decimal(90_000)


@pytest.mark.django_db
def test_the_log_page_counts_what_comes_after_it(decision: Decision, user: User):
    for i in range(4):
        services.reflection_add(decision=decision, actor=user, kind="goal", body=f"g{i}")
    first = owner_view(decision, page_size=3, log_only=True)
    assert first.comparison is None
    assert (first.log.count, len(first.log.entries), first.log.older) == (5, 3, 2)
    assert (first.log.previous_page, first.log.next_page) == (None, 2)
    second = owner_view(decision, page=2, page_size=3, log_only=True).log
    assert (len(second.entries), second.older, second.previous_page) == (2, 0, 1)


@pytest.mark.django_db
def test_the_record_holds_the_choice_and_its_reasons(decision: Decision, user: User):
    offer = OfferFactory(decision=decision, company="Acme", role="Lead")
    assert owner_view(decision).record is None
    services.decision_decide(
        decision=decision,
        actor=user,
        chosen_offer=offer,
        why="Growth",
        confidence=80,
        review_on=dt.date(2027, 9, 1),
    )
    record = owner_view(Decision.objects.get(pk=decision.pk)).record
    assert record.chosen_offer == "Lead at Acme"
    assert (record.reason, record.confidence, record.review_on) == (
        "Growth",
        80,
        dt.date(2027, 9, 1),
    )


@pytest.mark.django_db
def test_the_dashboard_counts_no_news_written_by_the_coach(
    decision: Decision, grant: CoachGrant, coach: User, user: User
):
    services.coach_comment_add(decision=decision, coach=coach, body="A question")
    services.reflection_add(decision=decision, actor=user, kind="goal", body="An answer")
    [row] = selectors.coach_dashboard(coach)
    assert row.new_entries == 1


def test_logged_changes_read_as_words_and_grouped_numbers():
    entry_data = {
        "kind": kinds.RATING,
        "changes": {
            "kind": {"before": kinds.AMOUNT_LOW, "after": kinds.RATING},
            "floor": {"before": None, "after": "80000"},
            "target": {"before": "1234.5", "after": "140000"},
            "values_cleared": {"before": 3, "after": 0},
        },
    }
    changes = {c.label: (c.before, c.after) for c in _field_changes_of(entry_data)}
    assert changes == {
        "kind": ("Amount, less is better", "Rating from 0 to 10"),
        "floor": ("—", "80,000"),
        "target": ("1,234.50", "140,000"),
        "values of the old kind": ("3", "cleared"),
    }


def _field_changes_of(data: dict) -> tuple:
    entry = LogEntry(kind=LogEntry.Kind.CRITERION_CHANGED, summary="Changed", data=data)
    return entry_view(entry, pay_shown=True).changes
