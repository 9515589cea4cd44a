"""decisions/services/record.py: the choice itself, and the candidate's own words."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from decisions import services
from decisions.models import Decision, LogEntry, Offer, Rating
from offerdesk.accounts.models import User
from tests.decisions.services import locks_taken
from tests.factories import OfferFactory

pytestmark = pytest.mark.django_db


def _decide(decision: Decision, user: User, offer: Offer, **details: object) -> Decision:
    return services.decision_decide(
        decision=decision,
        actor=user,
        chosen_offer=offer,
        why=details.get("why", ""),
        confidence=details.get("confidence"),
        review_on=details.get("review_on"),
    )


def test_deciding_accepts_the_offer_and_freezes_the_inputs(decision: Decision, user: User):
    chosen = OfferFactory(decision=decision, company="Chosen")
    other = OfferFactory(decision=decision, company="Other")
    culture = decision.criteria.get(name="Culture")
    Rating.objects.create(offer=chosen, criterion=culture, value=8, note="Kind team")
    _decide(decision, user, chosen, why=" Team ", confidence=80)
    decision.refresh_from_db()
    chosen.refresh_from_db()
    other.refresh_from_db()
    assert (decision.status, decision.chosen_offer, decision.confidence) == ("decided", chosen, 80)
    assert decision.decided_reason == "Team"
    assert (chosen.status, other.status) == ("accepted", "open")
    snapshot = decision.decided_snapshot
    assert [row["company"] for row in snapshot["ranking"]] == ["Chosen", "Other"]
    assert snapshot["offers"][0]["ratings"]["Culture"] == {"value": "8", "note": "Kind team"}
    # The computed criterion has no cell, so the record keeps none for it.
    assert "Salary" not in snapshot["offers"][0]["ratings"]
    # Later edits do not rewrite the record.
    services.criteria_reweight(
        decision=decision, actor=user, weights={c.pk: 50 for c in decision.criteria.all()}
    )
    decision.refresh_from_db()
    assert {c["name"]: c["weight"] for c in decision.decided_snapshot["criteria"]}["Salary"] == 30
    entry = decision.log_entries.get(kind="decided")
    assert entry.data["snapshot"]["criteria"] == snapshot["criteria"]


def test_deciding_again_for_another_offer_never_reopens_the_acceptance(
    decision: Decision, user: User
):
    # The old behaviour set the first offer back to open without a word, and the
    # composer then wrote a decline to an employer already told yes.
    first = OfferFactory(decision=decision)
    second = OfferFactory(decision=decision)
    _decide(decision, user, first)
    with pytest.raises(ValidationError, match="change your mind") as refused:
        _decide(decision, user, second)
    assert refused.value.error_dict["chosen_offer"][0].code == "change_of_mind"
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("accepted", "open")
    decision.refresh_from_db()
    assert decision.chosen_offer == first
    assert decision.log_entries.filter(kind="decided").count() == 1


def test_deciding_refuses_another_decisions_offer(
    decision: Decision, foreign_decision: Decision, user: User
):
    with pytest.raises(ValidationError):
        _decide(decision, user, foreign_decision.offers.get())
    decision.refresh_from_db()
    assert decision.status == "open"
    assert not decision.log_entries.filter(kind="decided").exists()


def test_deciding_refuses_a_declined_offer(decision: Decision, user: User):
    declined = OfferFactory(decision=decision, status=Offer.Status.DECLINED)
    with pytest.raises(ValidationError, match="declined"):
        _decide(decision, user, declined)
    decision.refresh_from_db()
    assert decision.status == "open"


def test_deciding_reads_the_offer_status_as_stored(decision: Decision, user: User):
    offer = OfferFactory(decision=decision)
    Offer.objects.filter(pk=offer.pk).update(status=Offer.Status.WITHDRAWN)
    with pytest.raises(ValidationError, match="withdrawn"):
        _decide(decision, user, offer)  # the caller's copy still says "open"


def test_an_archived_decision_must_be_restored_before_deciding(decision: Decision, user: User):
    offer = OfferFactory(decision=decision)
    services.decision_archive(decision=decision, actor=user)
    with pytest.raises(ValidationError, match="Restore"):
        _decide(decision, user, offer)  # the caller's copy still says "open"
    offer.refresh_from_db()
    assert offer.status == "open"


@pytest.mark.parametrize("kind", ["goal", "scenario", "reflection", "look_back"])
def test_reflections_are_logged_with_their_words(decision: Decision, user: User, kind: str):
    if kind == "look_back":
        _decide(decision, user, OfferFactory(decision=decision))
        decision.refresh_from_db()
    entry = services.reflection_add(
        decision=decision, actor=user, kind=kind, body="  Words  ", question="Why?"
    )
    assert (entry.kind, entry.body, entry.author, entry.private) == (kind, "Words", user, False)
    assert entry.data == {"question": "Why?"}
    assert decision.log_entries.first() == entry


def test_a_look_back_reads_the_stored_decision_not_the_callers(decision: Decision, user: User):
    _decide(decision, user, OfferFactory(decision=decision))  # the caller's copy says "open"
    entry = services.reflection_add(decision=decision, actor=user, kind="look_back", body="Good")
    assert entry.kind == "look_back"


def test_a_private_reflection_is_kept_private(decision: Decision, user: User):
    entry = services.reflection_add(
        decision=decision, actor=user, kind="reflection", body="Only for me", private=True
    )
    assert entry.private
    assert not decision.log_entries.for_coach().filter(pk=entry.pk).exists()


def test_a_feeling_check_in_logs_the_feeling_and_its_intensity(decision: Decision, user: User):
    entry = services.reflection_add(
        decision=decision, actor=user, kind="feeling", body="", feeling="Torn", intensity=4
    )
    assert entry.data == {"feeling": "Torn", "intensity": 4}
    assert entry.summary == "Feeling torn (4/5)"


@pytest.mark.parametrize(
    ("details", "field"),
    [
        ({"feeling": "Smug", "intensity": 3}, "feeling"),
        ({"feeling": "Torn", "intensity": 6}, "intensity"),
        ({"feeling": "Torn", "intensity": None}, "intensity"),
    ],
)
def test_a_feeling_needs_a_listed_feeling_and_an_intensity_from_1_to_5(
    decision: Decision, user: User, details: dict, field: str
):
    with pytest.raises(ValidationError) as refused:
        services.reflection_add(decision=decision, actor=user, kind="feeling", body="", **details)
    assert set(refused.value.error_dict) == {field}
    assert not decision.log_entries.filter(kind="feeling").exists()


@pytest.mark.parametrize(
    ("kind", "body"),
    [("goal", "   "), ("goal", "x" * 4001), ("coach_comment", "Sneaky"), ("decided", "Fake")],
)
def test_reflection_add_refuses_empty_long_and_foreign_kinds(
    decision: Decision, user: User, kind: str, body: str
):
    with pytest.raises(ValidationError):
        services.reflection_add(decision=decision, actor=user, kind=kind, body=body)
    assert list(LogEntry.objects.values_list("kind", flat=True)) == ["decision_created"]


def test_deciding_locks_the_decision_then_the_chosen_offer(decision: Decision, user: User):
    chosen = OfferFactory(decision=decision)
    with locks_taken() as taken:
        _decide(decision, user, chosen)
    assert taken[:2] == ["Decision", "Offer"]


def test_changing_your_mind_locks_the_decision_then_both_offers(decision: Decision, user: User):
    first, second = OfferFactory(decision=decision), OfferFactory(decision=decision)
    _decide(decision, user, first)
    with locks_taken() as taken:
        services.decision_change_mind(
            decision=decision,
            actor=user,
            chosen_offer=second,
            reason="Closer",
            why="",
            confidence=None,
            review_on=None,
        )
    assert taken[:3] == ["Decision", "Offer", "Offer"]
