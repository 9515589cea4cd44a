"""Accepting in writing and changing your mind: decisions/services/record.py
(``decision_decide``, ``decision_change_mind``), decisions/services/acceptance.py
(``offer_confirm``, ``offer_reopen``) and their pages."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from decisions import services
from decisions.models import Decision, LogEntry, Offer, Rating
from offerdesk.accounts.models import User
from tests.factories import OfferFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _decide(decision: Decision, user: User, offer: Offer, why: str = "The team") -> Decision:
    return services.decision_decide(
        decision=decision, actor=user, chosen_offer=offer, why=why, confidence=70, review_on=None
    )


def _change(decision: Decision, user: User, offer: Offer, reason: str = "The commute") -> Offer:
    return services.decision_change_mind(
        decision=decision,
        actor=user,
        chosen_offer=offer,
        reason=reason,
        why="Closer to home",
        confidence=60,
        review_on=None,
    )


def _statuses(*offers: Offer) -> tuple[str, ...]:
    return tuple(Offer.objects.get(pk=offer.pk).status for offer in offers)


@pytest.fixture
def accepted(decision: Decision, user: User) -> tuple[Offer, Offer]:
    """Two offers, the first accepted (awaiting its written confirmation)."""
    first = OfferFactory(decision=decision, company="Acme", recruiter_name="Dana Okafor")
    second = OfferFactory(decision=decision, company="Globex")
    _decide(decision, user, first)
    return first, second


# Deciding ------------------------------------------------------------------------


def test_deciding_leaves_the_acceptance_awaiting_confirmation(decision: Decision, user: User):
    offer = OfferFactory(decision=decision)
    _decide(decision, user, offer)
    offer.refresh_from_db()
    assert (offer.status, offer.confirmed_on, offer.is_accepted) == ("accepted", None, True)


def test_deciding_again_for_the_accepted_offer_keeps_its_confirmation(
    decision: Decision, user: User, accepted
):
    first, _ = accepted
    services.offer_confirm(offer=first, actor=user, confirmed_on=TODAY())
    _decide(decision, user, first, why="Still the team")
    first.refresh_from_db()
    assert (first.status, first.confirmed_on) == ("confirmed", TODAY())
    decision.refresh_from_db()
    assert decision.decided_reason == "Still the team"


def test_a_confirmed_acceptance_also_blocks_choosing_another(
    decision: Decision, user: User, accepted
):
    first, second = accepted
    services.offer_confirm(offer=first, actor=user, confirmed_on=TODAY())
    with pytest.raises(ValidationError, match="change your mind"):
        _decide(decision, user, second)
    assert _statuses(first, second) == ("confirmed", "open")


def test_a_declined_offer_cannot_be_chosen_without_asking(decision: Decision, user: User):
    declined = OfferFactory(decision=decision, status=Offer.Status.DECLINED)
    with pytest.raises(ValidationError, match="still open") as refused:
        _decide(decision, user, declined)
    assert refused.value.error_dict["chosen_offer"][0].code == "declined_before"
    assert _statuses(declined) == ("declined",)


# Confirming in writing -------------------------------------------------------------


def _accepted_days_ago(decision: Decision, user: User, offer: Offer, days: int) -> None:
    """``offer`` accepted ``days`` ago, as the decision record of that day says (the log
    is append-only, so the record is written with its day rather than moved back)."""
    Offer.objects.filter(pk=offer.pk).update(status=Offer.Status.ACCEPTED)
    LogEntry.objects.create(
        decision=decision,
        author=user,
        kind=LogEntry.Kind.DECIDED,
        summary=f"Decided: {offer}",
        data={"chosen_offer": offer.pk, "previous_offer": None},
        created_at=timezone.now() - dt.timedelta(days=days),
    )


def test_confirming_records_the_day_and_logs_once(decision: Decision, user: User):
    first = OfferFactory(decision=decision, company="Acme")
    _accepted_days_ago(decision, user, first, 3)
    before = LogEntry.objects.count()
    day = TODAY() - dt.timedelta(days=2)
    services.offer_confirm(offer=first, actor=user, confirmed_on=day)
    first.refresh_from_db()
    assert (first.status, first.confirmed_on) == ("confirmed", day)
    assert LogEntry.objects.count() == before + 1
    entry = decision.log_entries.first()
    assert entry.kind == "offer_changed"
    assert "confirmed the acceptance" in entry.summary
    assert entry.data["changes"] == {
        "status": {"before": "accepted", "after": "confirmed"},
        "confirmed_on": {"before": None, "after": day.isoformat()},
    }


@pytest.mark.parametrize(
    "status", [Offer.Status.OPEN, Offer.Status.DECLINED, Offer.Status.RETRACTED]
)
def test_only_an_accepted_offer_can_be_confirmed(decision: Decision, user: User, status: str):
    offer = OfferFactory(decision=decision, status=status)
    with pytest.raises(ValidationError, match="Only an accepted offer"):
        services.offer_confirm(offer=offer, actor=user, confirmed_on=TODAY())
    assert _statuses(offer) == (status,)
    assert not decision.log_entries.filter(kind="offer_changed").exists()


def test_a_confirmation_is_recorded_once(decision: Decision, user: User, accepted):
    first, _ = accepted
    services.offer_confirm(offer=first, actor=user, confirmed_on=TODAY())
    with pytest.raises(ValidationError, match="confirmed it already"):
        services.offer_confirm(offer=first, actor=user, confirmed_on=TODAY())
    assert decision.log_entries.filter(kind="offer_changed").count() == 1


def test_a_confirmation_cannot_come_from_the_future(decision: Decision, user: User, accepted):
    first, _ = accepted
    with pytest.raises(ValidationError, match="still to come"):
        services.offer_confirm(offer=first, actor=user, confirmed_on=TODAY() + dt.timedelta(days=1))
    first.refresh_from_db()
    assert (first.status, first.confirmed_on) == ("accepted", None)


def test_a_confirmation_cannot_come_before_the_acceptance(decision: Decision, user: User):
    offer = OfferFactory(decision=decision, company="Acme")
    _accepted_days_ago(decision, user, offer, 2)
    entries = LogEntry.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.offer_confirm(offer=offer, actor=user, confirmed_on=TODAY() - dt.timedelta(days=3))
    assert "You accepted the offer on" in refused.value.error_dict["confirmed_on"][0].messages[0]
    assert _statuses(offer) == ("accepted",)
    assert LogEntry.objects.count() == entries
    # The day of the acceptance itself is fine.
    services.offer_confirm(offer=offer, actor=user, confirmed_on=TODAY() - dt.timedelta(days=2))
    assert _statuses(offer) == ("confirmed",)


def test_deciding_again_keeps_the_day_of_the_first_acceptance(decision: Decision, user: User):
    offer = OfferFactory(decision=decision, company="Acme")
    _accepted_days_ago(decision, user, offer, 5)
    _decide(decision, user, offer, why="Updated reasons")  # today: only the reasons change
    services.offer_confirm(offer=offer, actor=user, confirmed_on=TODAY() - dt.timedelta(days=4))
    assert _statuses(offer) == ("confirmed",)


def test_a_confirmation_before_the_acceptance_is_a_form_error_on_the_page(
    owner_client: Client, decision: Decision, user: User
):
    offer = OfferFactory(decision=decision, company="Acme")
    _accepted_days_ago(decision, user, offer, 1)
    url = reverse("decisions:offer_confirm", args=[decision.pk, offer.pk])
    day = TODAY() - dt.timedelta(days=10)
    response = owner_client.post(url, {"confirmed_on": day.isoformat()})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    errors = response.context_data["confirm_form"].errors["confirmed_on"]
    assert "so their confirmation came that day or later" in errors[0]
    assert _statuses(offer) == ("accepted",)


# Changing your mind --------------------------------------------------------------------


def test_changing_your_mind_retracts_accepts_and_freezes_again(
    decision: Decision, user: User, accepted
):
    first, second = accepted
    culture = decision.criteria.get(name="Culture")
    Rating.objects.create(offer=second, criterion=culture, value=9, note="Kinder")
    before = LogEntry.objects.count()
    retracted = _change(decision, user, second, reason="  The commute would wear me out  ")
    assert retracted == first
    assert _statuses(first, second) == ("retracted", "accepted")
    decision.refresh_from_db()
    assert (decision.chosen_offer, decision.decided_reason, decision.confidence) == (
        second,
        "Closer to home",
        60,
    )
    assert decision.decided_snapshot["offers"][1]["ratings"]["Culture"]["value"] == "9"
    assert LogEntry.objects.count() == before + 1
    entry = decision.log_entries.first()
    assert (entry.kind, entry.body) == ("decided", "The commute would wear me out")
    assert entry.data["retracted_offer"] == first.pk
    assert entry.data["chosen_offer"] == second.pk
    # The reason is the body; the offer taken back is named once.
    assert "change_reason" not in entry.data
    assert "previous_offer" not in entry.data
    assert entry.data["snapshot"] == decision.decided_snapshot


def test_changing_your_mind_after_a_confirmation_retracts_it_too(
    decision: Decision, user: User, accepted
):
    first, second = accepted
    services.offer_confirm(offer=first, actor=user, confirmed_on=TODAY())
    _change(decision, user, second)
    assert _statuses(first, second) == ("retracted", "accepted")
    entry = decision.log_entries.first()
    assert entry.data["retracted_status_before"] == "confirmed"
    # The day belongs to a confirmation the offer no longer has; the entry keeps it.
    assert Offer.objects.get(pk=first.pk).confirmed_on is None
    assert entry.data["retracted_confirmed_on"] == TODAY().isoformat()


@pytest.mark.parametrize("reason", ["", "   ", "x" * 4001])
def test_changing_your_mind_needs_a_reason(decision: Decision, user: User, accepted, reason):
    first, second = accepted
    before = LogEntry.objects.count()
    with pytest.raises(ValidationError) as refused:
        _change(decision, user, second, reason=reason)
    assert "reason" in refused.value.error_dict
    assert _statuses(first, second) == ("accepted", "open")
    assert LogEntry.objects.count() == before


def test_changing_your_mind_needs_an_acceptance_to_take_back(decision: Decision, user: User):
    offer = OfferFactory(decision=decision)
    with pytest.raises(ValidationError, match="nothing to take back"):
        _change(decision, user, offer)
    assert _statuses(offer) == ("open",)


@pytest.mark.parametrize(
    "status", [Offer.Status.DECLINED, Offer.Status.EXPIRED, Offer.Status.WITHDRAWN]
)
def test_changing_your_mind_needs_an_open_offer(decision: Decision, user: User, accepted, status):
    first, _ = accepted
    closed = OfferFactory(decision=decision, status=status)
    with pytest.raises(ValidationError):
        _change(decision, user, closed)
    assert _statuses(first, closed) == ("accepted", status)


def test_changing_your_mind_to_the_same_offer_is_refused(decision: Decision, user: User, accepted):
    first, _ = accepted
    with pytest.raises(ValidationError, match="already"):
        _change(decision, user, first)
    assert _statuses(first) == ("accepted",)


def test_changing_your_mind_refuses_another_decisions_offer(
    decision: Decision, foreign_decision: Decision, user: User, accepted
):
    first, _ = accepted
    with pytest.raises(ValidationError):
        _change(decision, user, foreign_decision.offers.get())
    assert _statuses(first, foreign_decision.offers.get()) == ("accepted", "open")


# Still open? ----------------------------------------------------------------------------


def test_a_declined_offer_still_open_can_be_chosen_again(decision: Decision, user: User):
    declined = OfferFactory(decision=decision, status=Offer.Status.DECLINED)
    services.offer_reopen(offer=declined, actor=user)
    assert _statuses(declined) == ("open",)
    entry = decision.log_entries.first()
    assert entry.kind == "offer_changed"
    assert "still open" in entry.summary
    _decide(decision, user, declined)
    assert _statuses(declined) == ("accepted",)


@pytest.mark.parametrize(
    "status", [Offer.Status.OPEN, Offer.Status.ACCEPTED, Offer.Status.RETRACTED]
)
def test_only_a_declined_offer_reopens(decision: Decision, user: User, status: str):
    offer = OfferFactory(decision=decision, status=status)
    before = LogEntry.objects.count()
    with pytest.raises(ValidationError, match="Only a declined offer"):
        services.offer_reopen(offer=offer, actor=user)
    assert _statuses(offer) == (status,)
    assert LogEntry.objects.count() == before


# Pages ----------------------------------------------------------------------------------


def _post_decide(client: Client, decision: Decision, offer: Offer):
    return client.post(
        reverse("decisions:decide", args=[decision.pk]),
        {"chosen_offer": offer.pk, "why": "The team", "confidence": 70, "review_on": ""},
    )


def test_deciding_leads_to_the_acceptance_message(owner_client: Client, decision: Decision):
    offer = OfferFactory(decision=decision)
    response = _post_decide(owner_client, decision, offer)
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("messaging:compose", args=[decision.pk, offer.pk, "accept"])
    page = owner_client.get(response.url)
    assert page.status_code == HTTPStatus.OK
    assert f"You chose {offer}" in page.content.decode()


def test_once_accepted_the_decide_page_offers_only_that_offer(
    owner_client: Client, decision: Decision, accepted
):
    first, second = accepted
    page = owner_client.get(reverse("decisions:decide", args=[decision.pk]))
    assert list(page.context_data["form"].fields["chosen_offer"].queryset) == [first]
    assert reverse("decisions:change_mind", args=[decision.pk]) in page.content.decode()
    refused = _post_decide(owner_client, decision, second)
    assert refused.status_code == HTTPStatus.BAD_REQUEST
    assert _statuses(first, second) == ("accepted", "open")
    updated = _post_decide(owner_client, decision, first)
    assert updated.url == decision.get_absolute_url()


def test_the_decision_page_asks_for_the_written_confirmation(
    owner_client: Client, decision: Decision, accepted
):
    first, _ = accepted
    page = owner_client.get(decision.get_absolute_url())
    text = page.content.decode()
    assert page.context_data["confirm_form"] is not None
    assert "Record the written confirmation" in text
    assert "Don’t decline the others until Acme confirms" in text
    assert reverse("decisions:change_mind", args=[decision.pk]) in text

    url = reverse("decisions:offer_confirm", args=[decision.pk, first.pk])
    response = owner_client.post(url, {"confirmed_on": TODAY().isoformat()}, follow=True)
    assert "has confirmed it in writing" in response.content.decode()
    assert _statuses(first) == ("confirmed",)
    assert owner_client.get(decision.get_absolute_url()).context_data["confirm_form"] is None


@pytest.mark.parametrize("day", ["", "not a date", "2999-01-01"])
def test_a_bad_confirmation_day_is_refused_on_the_page(
    owner_client: Client, decision: Decision, accepted, day: str
):
    first, _ = accepted
    url = reverse("decisions:offer_confirm", args=[decision.pk, first.pk])
    response = owner_client.post(url, {"confirmed_on": day})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.context_data["confirm_form"].errors
    assert _statuses(first) == ("accepted",)


def test_confirming_an_offer_not_accepted_says_why(
    owner_client: Client, decision: Decision, accepted
):
    _, second = accepted
    url = reverse("decisions:offer_confirm", args=[decision.pk, second.pk])
    response = owner_client.post(url, {"confirmed_on": TODAY().isoformat()})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Only an accepted offer" in response.content.decode()


def test_the_change_of_mind_page_explains_the_cost_and_asks_why(
    owner_client: Client, decision: Decision, accepted
):
    first, second = accepted
    url = reverse("decisions:change_mind", args=[decision.pk])
    page = owner_client.get(f"{url}?offer={second.pk}")
    text = page.content.decode()
    assert page.status_code == HTTPStatus.OK
    assert "By phone first" in text
    assert "No invented excuses" in text
    assert page.context_data["form"].fields["chosen_offer"].initial == second.pk
    assert list(page.context_data["form"].fields["chosen_offer"].queryset) == [second]

    no_reason = owner_client.post(url, {"chosen_offer": second.pk, "why": "x", "confidence": 50})
    assert no_reason.status_code == HTTPStatus.BAD_REQUEST
    assert no_reason.context_data["form"].errors["reason"]
    assert _statuses(first, second) == ("accepted", "open")

    response = owner_client.post(
        url, {"chosen_offer": second.pk, "reason": "Closer", "why": "x", "confidence": 50}
    )
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("messaging:compose", args=[decision.pk, first.pk, "withdraw"])
    assert _statuses(first, second) == ("retracted", "accepted")
    withdrawal = owner_client.get(response.url)
    assert withdrawal.status_code == HTTPStatus.OK
    assert withdrawal.context_data["composer"].choices.medium == "phone"


def test_the_change_of_mind_page_without_an_acceptance_sends_you_to_decide(
    owner_client: Client, decision: Decision
):
    OfferFactory(decision=decision)
    url = reverse("decisions:change_mind", args=[decision.pk])
    assert owner_client.get(url).context_data["form"] is None
    response = owner_client.post(url, {"reason": "x"})
    assert response.url == reverse("decisions:decide", args=[decision.pk])


def test_a_declined_offer_is_asked_about_then_reopened(
    owner_client: Client, decision: Decision, accepted
):
    first, _ = accepted
    declined = OfferFactory(decision=decision, company="Initech", status=Offer.Status.DECLINED)
    page = owner_client.get(reverse("decisions:change_mind", args=[decision.pk])).content.decode()
    assert reverse("messaging:compose", args=[decision.pk, declined.pk, "still-open"]) in page
    url = reverse("decisions:offer_reopen", args=[decision.pk, declined.pk])
    response = owner_client.post(url)
    # Another offer is accepted, so choosing this one goes through the change of mind.
    assert response.url == (
        reverse("decisions:change_mind", args=[decision.pk]) + f"?offer={declined.pk}"
    )
    assert _statuses(first, declined) == ("accepted", "open")
    again = owner_client.post(url, follow=True)
    assert "Only a declined offer" in again.content.decode()


def test_a_reopened_offer_without_an_acceptance_goes_to_decide(
    owner_client: Client, decision: Decision
):
    declined = OfferFactory(decision=decision, status=Offer.Status.DECLINED)
    response = owner_client.post(reverse("decisions:offer_reopen", args=[decision.pk, declined.pk]))
    assert response.url == reverse("decisions:decide", args=[decision.pk])


@pytest.mark.parametrize("name", ["offer_confirm", "offer_reopen"])
def test_another_users_offer_is_not_found(
    owner_client: Client, foreign_decision: Decision, name: str
):
    offer = foreign_decision.offers.get()
    Offer.objects.filter(pk=offer.pk).update(status=Offer.Status.ACCEPTED)
    url = reverse(f"decisions:{name}", args=[foreign_decision.pk, offer.pk])
    response = owner_client.post(url, {"confirmed_on": TODAY().isoformat()})
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert _statuses(offer) == ("accepted",)


def test_another_users_change_of_mind_page_is_not_found(
    owner_client: Client, foreign_decision: Decision
):
    url = reverse("decisions:change_mind", args=[foreign_decision.pk])
    assert owner_client.get(url).status_code == HTTPStatus.NOT_FOUND
    assert owner_client.post(url, {"reason": "x"}).status_code == HTTPStatus.NOT_FOUND


def test_confirming_and_reopening_take_posts_only(owner_client: Client, accepted):
    first, _ = accepted
    for name in ("offer_confirm", "offer_reopen"):
        url = reverse(f"decisions:{name}", args=[first.decision_id, first.pk])
        assert owner_client.get(url).status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert _statuses(first) == ("accepted",)


# Editing an offer's status by hand -------------------------------------------------------


def _edit_status(offer: Offer, user: User, status: str) -> None:
    current = Offer.objects.get(pk=offer.pk)
    data = services.OfferData(
        **{name: getattr(current, name) for name in services.OfferData.__dataclass_fields__}
    )
    services.offer_update(offer=current, actor=user, data=replace(data, status=status))


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("accepted", "open"),
        ("confirmed", "declined"),
        ("retracted", "open"),
        ("open", "accepted"),
        ("open", "confirmed"),
        ("open", "retracted"),
        ("declined", "open"),
    ],
)
def test_the_flows_statuses_are_not_edited_by_hand(
    decision: Decision, user: User, before: str, after: str
):
    offer = OfferFactory(decision=decision, status=before)
    entries = LogEntry.objects.count()
    with pytest.raises(ValidationError) as refused:
        _edit_status(offer, user, after)
    assert "status" in refused.value.error_dict
    assert _statuses(offer) == (before,)
    assert LogEntry.objects.count() == entries


@pytest.mark.parametrize(
    ("before", "after"),
    [("open", "expired"), ("open", "declined"), ("withdrawn", "open"), ("expired", "open")],
)
def test_other_statuses_are_still_edited_by_hand(
    decision: Decision, user: User, before: str, after: str
):
    offer = OfferFactory(decision=decision, status=before)
    _edit_status(offer, user, after)
    assert _statuses(offer) == (after,)


def test_the_offer_form_says_why_an_acceptance_is_not_undone_there(
    owner_client: Client, decision: Decision, accepted
):
    first, _ = accepted
    url = reverse("decisions:offer_edit", args=[decision.pk, first.pk])
    form = owner_client.get(url).context_data["form"]
    data = {
        name: ("" if value is None else value)
        for name, value in form.initial.items()
        if name in form.fields
    }
    response = owner_client.post(url, {**data, "status": "open"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Change your mind" in " ".join(response.context_data["form"].errors["status"])
    assert _statuses(first) == ("accepted",)


# Removing an offer -----------------------------------------------------------------------


@pytest.mark.parametrize("status", ["accepted", "confirmed", "retracted"])
def test_an_offer_told_yes_or_taken_back_is_not_removed_from_its_page(
    owner_client: Client, decision: Decision, accepted, status: str
):
    first, second = accepted
    if status == "confirmed":
        services.offer_confirm(offer=first, actor=first.decision.owner, confirmed_on=TODAY())
    if status == "retracted":
        _change(decision, decision.owner, second)
    url = reverse("decisions:offer_delete", args=[decision.pk, first.pk])
    entries = LogEntry.objects.count()
    for response in (owner_client.get(url, follow=True), owner_client.post(url, follow=True)):
        assert response.redirect_chain[-1][0] == decision.get_absolute_url()
        assert "so it stays" in response.content.decode()
    assert _statuses(first) == (status,)
    assert LogEntry.objects.count() == entries
    page = owner_client.get(decision.get_absolute_url()).content.decode()
    assert url not in page
    # The other offer keeps its link while it is open; accepted in its turn, it loses it.
    other_url = reverse("decisions:offer_delete", args=[decision.pk, second.pk])
    assert (other_url in page) == (status != "retracted")


def test_an_open_offer_is_still_removed_from_its_page(
    owner_client: Client, decision: Decision, accepted
):
    _, second = accepted
    url = reverse("decisions:offer_delete", args=[decision.pk, second.pk])
    assert owner_client.get(url).status_code == HTTPStatus.OK
    response = owner_client.post(url, follow=True)
    assert f"Removed {second}" in response.content.decode()
    assert not Offer.objects.filter(pk=second.pk).exists()


def test_the_decision_page_offers_no_decline_for_an_offer_still_to_come(
    owner_client: Client, decision: Decision, accepted
):
    awaited = OfferFactory(
        decision=decision,
        company="Initech",
        base_salary=None,
        expected_on=TODAY() + dt.timedelta(7),
    )
    assert awaited.is_awaited
    text = owner_client.get(decision.get_absolute_url()).content.decode()
    decline = reverse("messaging:compose", args=[decision.pk, accepted[1].pk, "decline"])
    assert decline in text
    assert reverse("messaging:compose", args=[decision.pk, awaited.pk, "decline"]) not in text


def test_the_offer_form_lists_only_the_statuses_an_edit_may_set(
    owner_client: Client, decision: Decision, accepted
):
    first, _ = accepted
    create = owner_client.get(reverse("decisions:offer_create", args=[decision.pk]))
    offered = {value for value, _ in create.context_data["form"].fields["status"].choices}
    assert offered == {"open", "declined", "expired", "withdrawn"}
    edit = owner_client.get(reverse("decisions:offer_edit", args=[decision.pk, first.pk]))
    assert [v for v, _ in edit.context_data["form"].fields["status"].choices] == ["accepted"]


def test_an_offer_still_to_come_cannot_be_chosen(owner_client: Client, decision: Decision, user):
    awaited = OfferFactory(
        decision=decision,
        company="Initech",
        base_salary=None,
        expected_on=TODAY() + dt.timedelta(7),
    )
    OfferFactory(decision=decision, company="Acme")
    with pytest.raises(ValidationError, match="has not arrived yet"):
        _decide(decision, user, awaited)
    page = owner_client.get(reverse("decisions:decide", args=[decision.pk]))
    assert awaited not in page.context_data["form"].fields["chosen_offer"].queryset
    assert _statuses(awaited) == ("open",)


def test_the_decision_page_counts_days_only_while_an_answer_is_owed(
    owner_client: Client, decision: Decision
):
    deadline = TODAY() + dt.timedelta(days=9)
    OfferFactory(decision=decision, company="Acme", response_deadline=deadline)
    OfferFactory(decision=decision, company="Globex", response_deadline=deadline, status="declined")
    awaited_on = TODAY() + dt.timedelta(days=5)
    OfferFactory(decision=decision, company="Initech", base_salary=None, expected_on=awaited_on)
    text = owner_client.get(decision.get_absolute_url()).content.decode()
    assert text.count("in 9 days") == 1
    assert "Offer expected" in text


def test_declining_the_others_is_not_the_first_button_before_the_confirmation(
    owner_client: Client, decision: Decision, accepted, user: User
):
    first, _ = accepted
    hub = reverse("messaging:hub", args=[decision.pk])
    text = owner_client.get(decision.get_absolute_url()).content.decode()
    assert f'class="button button--secondary" href="{hub}"' in text
    services.offer_confirm(offer=first, actor=user, confirmed_on=TODAY())
    text = owner_client.get(decision.get_absolute_url()).content.decode()
    assert f'class="button" href="{hub}"' in text
