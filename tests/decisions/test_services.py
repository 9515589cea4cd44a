from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from decisions import services
from decisions.models import Criterion, Decision, LogEntry, Offer, Rating
from offerdesk.accounts.models import User
from tests.factories import CriterionFactory, OfferFactory

pytestmark = pytest.mark.django_db

D = Decimal


def _log_kinds(decision: Decision) -> list[str]:
    return list(decision.log_entries.order_by("id").values_list("kind", flat=True))


def test_decision_create_adds_five_default_criteria_and_one_log_entry(user: User):
    decision = services.decision_create(
        owner=user, title="  Spring 2027 job search ", base_currency="EUR"
    )
    assert decision.title == "Spring 2027 job search"
    criteria = list(decision.criteria.values_list("name", "kind", "weight"))
    assert criteria == [
        ("Salary", "total_comp", 30),
        ("Culture", "rating", 20),
        ("Role clarity", "rating", 15),
        ("Work-life balance", "rating", 20),
        ("Location", "rating", 15),
    ]
    assert _log_kinds(decision) == ["decision_created"]
    assert decision.log_entries.get().author == user


def test_decision_create_refuses_an_unknown_currency_and_saves_nothing(user: User):
    with pytest.raises(ValidationError):
        services.decision_create(owner=user, title="X", base_currency="ZZZ")
    assert not Decision.objects.exists()
    assert not Criterion.objects.exists()


def test_decision_update_logs_before_and_after(decision: Decision, user: User):
    changes = services.decision_update(
        decision=decision, actor=user, title="Autumn search", goals=""
    )
    assert changes == {"title": {"before": "Spring 2027 job search", "after": "Autumn search"}}
    entry = decision.log_entries.first()
    assert entry.kind == "decision_changed"
    assert entry.data["changes"]["title"]["after"] == "Autumn search"


def test_an_update_that_changes_nothing_writes_nothing(decision: Decision, user: User):
    before = decision.log_entries.count()
    assert services.decision_update(decision=decision, actor=user, title=decision.title) == {}
    assert decision.log_entries.count() == before


def test_changing_the_base_currency_sets_rate_one_for_offers_in_it(decision: Decision, user: User):
    offer = OfferFactory(decision=decision, currency="GBP", rate_to_base=D("1.17"))
    services.decision_update(decision=decision, actor=user, base_currency="GBP")
    offer.refresh_from_db()
    assert offer.rate_to_base == 1


def test_archive_and_restore_each_log_once(decision: Decision, user: User):
    services.decision_archive(decision=decision, actor=user)
    services.decision_archive(decision=decision, actor=user)
    assert decision.status == "archived"
    services.decision_reopen(decision=decision, actor=user)
    assert decision.status == "open"
    assert _log_kinds(decision)[1:] == ["decision_archived", "decision_reopened"]


def test_criterion_add_appends_at_the_end(decision: Decision, user: User):
    criterion = services.criterion_add(
        decision=decision, actor=user, name="Commute", kind="amount_low", weight=10, unit="minutes",
        floor=D(90), target=D(15),
    )  # fmt: skip
    assert list(decision.criteria.values_list("name", flat=True))[-1] == "Commute"
    assert criterion.position == 5
    assert _log_kinds(decision)[-1] == "criterion_added"


def test_criterion_add_refuses_a_duplicate_name_and_logs_nothing(decision: Decision, user: User):
    with pytest.raises(ValidationError):
        services.criterion_add(
            decision=decision, actor=user, name="culture", kind="rating", weight=5
        )
    assert _log_kinds(decision) == ["decision_created"]


def test_criterion_update_logs_the_rename(decision: Decision, user: User):
    criterion = decision.criteria.get(name="Location")
    services.criterion_update(criterion=criterion, actor=user, name="Commute and city")
    entry = decision.log_entries.first()
    assert entry.data["changes"] == {"name": {"before": "Location", "after": "Commute and city"}}


def test_reweight_changes_all_weights_in_one_entry(decision: Decision, user: User):
    weights = {c.pk: 10 for c in decision.criteria.all()}
    changes = services.criteria_reweight(decision=decision, actor=user, weights=weights)
    assert set(changes) == {"Salary", "Culture", "Role clarity", "Work-life balance", "Location"}
    assert changes["Salary"] == {"before": 30, "after": 10}
    assert _log_kinds(decision) == ["decision_created", "weights_changed"]
    assert set(decision.criteria.values_list("weight", flat=True)) == {10}


def test_reweight_refuses_a_criterion_of_another_decision(
    decision: Decision, foreign_decision: Decision, user: User
):
    weights = {c.pk: 10 for c in decision.criteria.all()}
    foreign = foreign_decision.criteria.first()
    weights[foreign.pk] = 99
    with pytest.raises(ValidationError):
        services.criteria_reweight(decision=decision, actor=user, weights=weights)
    foreign.refresh_from_db()
    assert foreign.weight != 99
    assert _log_kinds(decision) == ["decision_created"]


def test_reweight_refuses_all_zero(decision: Decision, user: User):
    with pytest.raises(ValidationError, match="above zero"):
        services.criteria_reweight(
            decision=decision, actor=user, weights={c.pk: 0 for c in decision.criteria.all()}
        )
    assert decision.criteria.filter(weight=0).count() == 0


def test_move_swaps_neighbours_and_stops_at_the_ends(decision: Decision, user: User):
    culture = decision.criteria.get(name="Culture")
    assert services.criterion_move(criterion=culture, actor=user, direction="up")
    assert list(decision.criteria.values_list("name", flat=True))[:2] == ["Culture", "Salary"]
    culture.refresh_from_db()
    assert not services.criterion_move(criterion=culture, actor=user, direction="up")
    assert _log_kinds(decision).count("criteria_reordered") == 1


def test_criterion_remove_takes_its_ratings_and_logs_them(offer: Offer, user: User):
    decision = offer.decision
    culture = decision.criteria.get(name="Culture")
    Rating.objects.create(offer=offer, criterion=culture, score=7)
    services.criterion_remove(criterion=culture, actor=user)
    assert not Rating.objects.exists()
    entry = decision.log_entries.first()
    assert (entry.kind, entry.data["name"], entry.data["ratings_removed"]) == (
        "criterion_removed",
        "Culture",
        1,
    )


def test_offer_create_and_update_each_log_once(decision: Decision, user: User):
    offer = services.offer_create(
        decision=decision, actor=user, company="Acme", role="Engineer", currency="EUR",
        base_salary=D(80_000),
    )  # fmt: skip
    changes = services.offer_update(
        offer=offer, actor=user, base_salary=D(85_000), notes="Called back"
    )
    assert changes["base_salary"] == {"before": "80000", "after": "85000"}
    assert _log_kinds(decision) == ["decision_created", "offer_added", "offer_changed"]


def test_offer_in_the_base_currency_always_converts_at_one(decision: Decision, user: User):
    offer = services.offer_create(
        decision=decision,
        actor=user,
        company="Acme",
        role="Engineer",
        currency="EUR",
        rate_to_base=D(3),
    )
    assert offer.rate_to_base == 1


def test_offer_create_refuses_a_negative_amount_and_saves_nothing(decision: Decision, user: User):
    with pytest.raises(ValidationError):
        services.offer_create(decision=decision, actor=user, company="Acme", role="X", bonus=D(-1))
    assert not Offer.objects.exists()
    assert _log_kinds(decision) == ["decision_created"]


def test_offer_remove_keeps_a_snapshot_in_the_log(offer: Offer, user: User):
    decision = offer.decision
    services.offer_remove(offer=offer, actor=user)
    entry = decision.log_entries.first()
    assert (entry.kind, entry.data["company"]) == ("offer_removed", "Acme")


def _cell(offer: Offer, name: str, **values) -> services.RatingInput:
    criterion = offer.decision.criteria.get(name=name)
    return services.RatingInput(offer_id=offer.pk, criterion_id=criterion.pk, **values)


def test_ratings_save_writes_the_grid_in_one_entry_with_before_and_after(offer: Offer, user: User):
    decision = offer.decision
    cells = [
        _cell(offer, "Culture", score=D(7), note="Kind people"),
        _cell(offer, "Location", score=D(4)),
    ]
    services.ratings_save(decision=decision, actor=user, cells=cells)
    changes = services.ratings_save(
        decision=decision,
        actor=user,
        cells=[_cell(offer, "Culture", score=D(8), note="Kind people")],
    )
    assert changes[0]["before"]["score"] == "7"
    assert changes[0]["after"]["score"] == "8"
    assert _log_kinds(decision).count("ratings_changed") == 2
    assert Rating.objects.get(criterion__name="Culture").score == 8


def test_ratings_save_with_no_change_writes_nothing(offer: Offer, user: User):
    cells = [_cell(offer, "Culture", score=D(7))]
    services.ratings_save(decision=offer.decision, actor=user, cells=cells)
    assert services.ratings_save(decision=offer.decision, actor=user, cells=cells) == []
    assert _log_kinds(offer.decision).count("ratings_changed") == 1


def test_ratings_save_refuses_a_foreign_offer_and_saves_nothing(
    offer: Offer, foreign_decision: Decision, user: User
):
    foreign_offer = foreign_decision.offers.get()
    culture = offer.decision.criteria.get(name="Culture")
    cells = [
        _cell(offer, "Culture", score=D(7)),
        services.RatingInput(offer_id=foreign_offer.pk, criterion_id=culture.pk, score=D(1)),
    ]
    with pytest.raises(ValidationError):
        services.ratings_save(decision=offer.decision, actor=user, cells=cells)
    assert not Rating.objects.exists()


def test_ratings_save_refuses_the_computed_criterion(offer: Offer, user: User):
    with pytest.raises(ValidationError, match="computed"):
        services.ratings_save(
            decision=offer.decision, actor=user, cells=[_cell(offer, "Salary", score=D(5))]
        )


def test_amount_criteria_store_amounts(offer: Offer, user: User):
    commute = CriterionFactory(decision=offer.decision, name="Commute", kind="amount_low")
    services.ratings_save(
        decision=offer.decision,
        actor=user,
        cells=[
            services.RatingInput(
                offer_id=offer.pk, criterion_id=commute.pk, amount=D(35), score=D(3)
            )
        ],
    )
    rating = Rating.objects.get()
    assert (rating.amount, rating.score) == (35, None)


def test_every_service_writes_exactly_one_entry_per_call(decision: Decision, user: User):
    """One call, one entry: a sweep over each writing service."""
    offer = services.offer_create(
        decision=decision, actor=user, company="A", role="B", currency="EUR"
    )
    keeper = OfferFactory(decision=decision)
    culture = decision.criteria.get(name="Culture")
    calls = [
        lambda: services.decision_update(decision=decision, actor=user, goals="Grow"),
        lambda: services.criterion_add(
            decision=decision, actor=user, name="Team", kind="rating", weight=5
        ),
        lambda: services.criterion_update(criterion=culture, actor=user, weight=25),
        lambda: services.criteria_reweight(
            decision=decision, actor=user, weights={c.pk: 7 for c in decision.criteria.all()}
        ),
        lambda: services.criterion_move(criterion=culture, actor=user, direction="down"),
        lambda: services.offer_update(offer=offer, actor=user, role="Lead"),
        lambda: services.ratings_save(
            decision=decision,
            actor=user,
            cells=[services.RatingInput(offer_id=offer.pk, criterion_id=culture.pk, score=D(6))],
        ),
        lambda: services.criterion_remove(criterion=decision.criteria.get(name="Team"), actor=user),
        lambda: services.offer_remove(offer=offer, actor=user),
        lambda: services.decision_decide(
            decision=decision,
            actor=user,
            chosen_offer=keeper,
            why="",
            confidence=50,
            review_on=None,
        ),
        lambda: services.decision_archive(decision=decision, actor=user),
        lambda: services.decision_reopen(decision=decision, actor=user),
    ]
    for call in calls:
        before = LogEntry.objects.count()
        call()
        assert LogEntry.objects.count() == before + 1


def test_deciding_accepts_the_offer_and_freezes_the_inputs(decision: Decision, user: User):
    chosen = OfferFactory(decision=decision, company="Chosen")
    other = OfferFactory(decision=decision, company="Other")
    culture = decision.criteria.get(name="Culture")
    Rating.objects.create(offer=chosen, criterion=culture, score=8, note="Kind team")
    services.decision_decide(
        decision=decision,
        actor=user,
        chosen_offer=chosen,
        why="Team",
        confidence=80,
        review_on=None,
    )
    decision.refresh_from_db()
    chosen.refresh_from_db()
    other.refresh_from_db()
    assert (decision.status, decision.chosen_offer, decision.confidence) == ("decided", chosen, 80)
    assert (chosen.status, other.status) == ("accepted", "open")
    snapshot = decision.decided_snapshot
    assert [row["company"] for row in snapshot["ranking"]] == ["Chosen", "Other"]
    assert snapshot["offers"][0]["ratings"]["Culture"] == {
        "score": "8",
        "amount": None,
        "note": "Kind team",
    }
    # Later edits do not rewrite the record.
    services.criteria_reweight(
        decision=decision, actor=user, weights={c.pk: 50 for c in decision.criteria.all()}
    )
    decision.refresh_from_db()
    assert {c["name"]: c["weight"] for c in decision.decided_snapshot["criteria"]}["Salary"] == 30
    entry = decision.log_entries.get(kind="decided")
    assert entry.data["snapshot"]["criteria"] == snapshot["criteria"]


def test_deciding_again_moves_the_acceptance(decision: Decision, user: User):
    first = OfferFactory(decision=decision)
    second = OfferFactory(decision=decision)
    for chosen in (first, second):
        services.decision_decide(
            decision=decision,
            actor=user,
            chosen_offer=chosen,
            why="",
            confidence=None,
            review_on=None,
        )
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("open", "accepted")
    assert decision.log_entries.filter(kind="decided").count() == 2


def test_deciding_refuses_another_decisions_offer(
    decision: Decision, foreign_decision: Decision, user: User
):
    with pytest.raises(ValidationError):
        services.decision_decide(
            decision=decision,
            actor=user,
            chosen_offer=foreign_decision.offers.get(),
            why="",
            confidence=None,
            review_on=None,
        )
    decision.refresh_from_db()
    assert decision.status == "open"
