from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

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
