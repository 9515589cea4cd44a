from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("decisions", "0005_edit_versions")]
AFTER = [("decisions", "0006_rating_value_kind_registry_coaching_log")]


def _migrate(targets: list[tuple[str, str]]):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def executor_latest() -> list[tuple[str, str]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_one_value_column_keeps_every_stored_score_and_amount(django_user_model):
    old = _migrate(BEFORE)
    user = django_user_model.objects.create(username="kept", email="kept@example.com")
    Decision = old.get_model("decisions", "Decision")
    Criterion = old.get_model("decisions", "Criterion")
    Offer = old.get_model("decisions", "Offer")
    Rating = old.get_model("decisions", "Rating")
    decision = Decision.objects.create(owner_id=user.pk, title="Kept")
    culture = Criterion.objects.create(decision=decision, name="Culture", kind="rating")
    commute = Criterion.objects.create(decision=decision, name="Commute", kind="amount_low")
    offer = Offer.objects.create(decision=decision, company="Acme", role="Dev")
    Rating.objects.create(offer=offer, criterion=culture, score=Decimal("7.5"), note="kind")
    Rating.objects.create(offer=offer, criterion=commute, amount=Decimal("45"), note="bus")
    other = Offer.objects.create(decision=decision, company="Beta", role="Dev")
    Rating.objects.create(offer=other, criterion=culture, note="unknown yet")

    new = _migrate(AFTER)
    Rating = new.get_model("decisions", "Rating")
    kept = {
        (r.offer.company, r.criterion.name): (r.value, r.note)
        for r in Rating.objects.select_related("offer", "criterion")
    }
    assert kept == {
        ("Acme", "Culture"): (Decimal("7.5"), "kind"),
        ("Acme", "Commute"): (Decimal("45"), "bus"),
        ("Beta", "Culture"): (None, "unknown yet"),
    }

    # And back: each value returns to the column its criterion's kind used.
    old = _migrate(BEFORE)
    Rating = old.get_model("decisions", "Rating")
    back = {r.criterion.name: (r.score, r.amount) for r in Rating.objects.filter(offer_id=offer.pk)}
    assert back == {"Culture": (Decimal("7.5"), None), "Commute": (None, Decimal("45"))}
    _migrate(executor_latest())


@pytest.mark.django_db(transaction=True)
def test_a_cell_left_in_the_other_column_by_a_change_of_kind_stays_unknown(django_user_model):
    old = _migrate(BEFORE)
    user = django_user_model.objects.create(username="moved", email="moved@example.com")
    Decision = old.get_model("decisions", "Decision")
    Criterion = old.get_model("decisions", "Criterion")
    Offer = old.get_model("decisions", "Offer")
    Rating = old.get_model("decisions", "Rating")
    decision = Decision.objects.create(owner_id=user.pk, title="Moved")
    # Rated 0-10 once, then turned into an amount: the ranking read the empty amount.
    moved = Criterion.objects.create(decision=decision, name="Growth", kind="amount")
    offer = Offer.objects.create(decision=decision, company="Acme", role="Dev")
    Rating.objects.create(offer=offer, criterion=moved, score=Decimal(7), note="was a rating")

    new = _migrate(AFTER)
    rating = new.get_model("decisions", "Rating").objects.get()
    assert (rating.value, rating.note) == (None, "was a rating")
    _migrate(executor_latest())


BEFORE_SCALES = [("decisions", "0007_criteria_floors_ranges_must_haves")]
AFTER_SCALES = [("decisions", "0009_amount_scale_both_ends")]


@pytest.mark.django_db(transaction=True)
def test_every_amount_scale_gets_both_ends_and_the_change_is_logged(django_user_model):
    old = _migrate(BEFORE_SCALES)
    user = django_user_model.objects.create(username="scaled", email="scaled@example.com")
    Decision = old.get_model("decisions", "Decision")
    Criterion = old.get_model("decisions", "Criterion")
    Offer = old.get_model("decisions", "Offer")
    Rating = old.get_model("decisions", "Rating")
    decision = Decision.objects.create(owner_id=user.pk, title="Scaled", base_currency="EUR")
    salary = Criterion.objects.create(decision=decision, name="Salary", kind="total_comp")
    commute = Criterion.objects.create(
        decision=decision, name="Commute", kind="amount_low", floor=Decimal(60)
    )
    empty = Criterion.objects.create(decision=decision, name="Days in office", kind="amount_low")
    remote = Criterion.objects.create(decision=decision, name="Office days", kind="amount_low")
    rated = Criterion.objects.create(decision=decision, name="Culture", kind="rating")
    acme = Offer.objects.create(
        decision=decision, company="Acme", role="Dev", base_salary=Decimal(100_000)
    )
    Offer.objects.create(
        decision=decision, company="Beta", role="Dev", base_salary=Decimal(90_000),
        bonus=Decimal(10_000), signing_bonus=Decimal(8_000), currency="GBP",
        rate_to_base=Decimal("1.1"),
    )  # fmt: skip
    Rating.objects.create(offer=acme, criterion=commute, value=Decimal(40))
    # Only zeros: nothing to suggest a range from, so it stays open (no crash, no entry).
    Rating.objects.create(offer=acme, criterion=remote, value=Decimal(0))

    new = _migrate(AFTER_SCALES)
    Criterion = new.get_model("decisions", "Criterion")
    LogEntry = new.get_model("decisions", "LogEntry")
    salary = Criterion.objects.get(pk=salary.pk)
    # Pay 100,000 and (90,000 + 10,000 + 8,000 / 4) * 1.1 = 112,200 on the four-year basis.
    assert (salary.floor, salary.target) == (Decimal(80_000), Decimal(150_000))
    assert salary.suggested_from == "offers"
    commute = Criterion.objects.get(pk=commute.pk)
    # The candidate's floor stays, and stays theirs; the target comes from the 40 minutes.
    assert (commute.floor, commute.target, commute.suggested_from) == (Decimal(60), Decimal(32), "")
    assert Criterion.objects.get(pk=empty.pk).floor is None
    remote = Criterion.objects.get(pk=remote.pk)
    assert (remote.floor, remote.target, remote.suggested_from) == (None, None, "")
    assert Criterion.objects.get(pk=rated.pk).floor is None
    entries = LogEntry.objects.filter(decision_id=decision.pk, kind="criterion_changed")
    assert {e.data["criterion"] for e in entries} == {salary.pk, commute.pk}
    logged = entries.get(data__criterion=salary.pk)
    assert logged.author_id == user.pk
    assert logged.data["changes"]["floor"] == {"before": None, "after": "80000"}
    _migrate(executor_latest())


BEFORE_ONE_ACCEPTANCE = [("decisions", "0011_offer_acceptance_and_dates")]
AFTER_ONE_ACCEPTANCE = [("decisions", "0012_offer_one_acceptance_confirmed_day")]


@pytest.mark.django_db(transaction=True)
def test_rows_are_put_right_before_one_acceptance_and_the_confirmation_day_hold(
    django_user_model,
):
    old = _migrate(BEFORE_ONE_ACCEPTANCE)
    user = django_user_model.objects.create(username="twice", email="twice@example.com")
    Decision = old.get_model("decisions", "Decision")
    Offer = old.get_model("decisions", "Offer")
    decision = Decision.objects.create(owner_id=user.pk, title="Twice")
    chosen = Offer.objects.create(
        decision=decision, company="Chosen", role="Dev", status="accepted"
    )
    # Created accepted by the offer form, beside the real choice.
    extra = Offer.objects.create(
        decision=decision,
        company="Extra",
        role="Dev",
        status="confirmed",
        confirmed_on="2026-11-02",
    )
    Decision.objects.filter(pk=decision.pk).update(chosen_offer=chosen, status="decided")
    # Taken back after its confirmation: the day stayed.
    kept_day = Offer.objects.create(
        decision=decision, company="Back", role="Dev", status="retracted", confirmed_on="2026-11-01"
    )
    other = Decision.objects.create(owner_id=user.pk, title="No day")
    undated = Offer.objects.create(
        decision=other, company="Undated", role="Dev", status="confirmed"
    )
    Decision.objects.filter(pk=other.pk).update(chosen_offer=undated, status="decided")
    # Created accepted in a decision that chose nothing.
    undecided = Decision.objects.create(owner_id=user.pk, title="Undecided")
    alone = Offer.objects.create(decision=undecided, company="Alone", role="Dev", status="accepted")

    new = _migrate(AFTER_ONE_ACCEPTANCE)
    Offer = new.get_model("decisions", "Offer")
    rows = {o.pk: (o.status, o.confirmed_on) for o in Offer.objects.all()}
    assert rows[chosen.pk] == ("accepted", None)
    assert rows[extra.pk] == ("open", None)
    assert rows[kept_day.pk] == ("retracted", None)
    assert rows[alone.pk] == ("open", None)
    LogEntry = new.get_model("decisions", "LogEntry")
    reopened = LogEntry.objects.filter(kind="offer_changed")
    assert sorted(e.data["offer"] for e in reopened) == sorted([extra.pk, alone.pk])
    assert {e.author_id for e in reopened} == {user.pk}
    assert reopened.get(data__offer=extra.pk).data["changes"]["status"] == {
        "before": "confirmed",
        "after": "open",
    }
    undated = Offer.objects.get(pk=undated.pk)
    assert undated.confirmed_on == timezone.localdate(undated.updated_at)
    _migrate(executor_latest())
