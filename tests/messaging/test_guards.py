"""Which messages fit an offer as it stands (messaging.services.out_of_turn), on the
composer's GET and on every write that follows it (use the text, save edits, mark
sent), and the order in which those writes lock the decision and the offer."""

from __future__ import annotations

import datetime as dt
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from decisions import services as decision_services
from decisions.models import Decision, LogEntry, Offer
from messaging import services
from messaging.compose import Choices
from messaging.models import Message
from offerdesk.accounts.models import User
from tests.factories import OfferFactory
from tests.messaging.choices import DECLINE_CHOICES

TODAY = timezone.localdate()
POSTED = {
    "counter": {"lever": "base_salary", "variant": "realistic", "amount": "5000"},
    "extension": {
        "until": (TODAY + dt.timedelta(days=10)).isoformat(),
        "extension_reason": "family",
    },
    "decline": DECLINE_CHOICES,
    "keep-in-touch": {},
}


def _url(name: str, offer: Offer, slug: str) -> str:
    return reverse(f"messaging:{name}", args=[offer.decision_id, offer.pk, slug])


def _use(client: Client, offer: Offer, slug: str):
    data = {"medium": "email", "tone": "warm", "recipient_name": "Jana", **POSTED[slug]}
    return client.post(_url("compose", offer, slug), {**data, "action": "use"})


def _choices(slug: str) -> Choices:
    code = slug.replace("-", "_")
    details = {
        "counter": {"lever": "base_salary", "variant": "realistic", "amount": 5000},
        "extension": {"until": POSTED["extension"]["until"], "extension_reason": "family"},
    }.get(code, {})
    return Choices(purpose=code, details=details)


@pytest.fixture
def accepted(decision: Decision, user: User) -> Offer:
    """An offer the candidate decided on: accepted, awaiting its written confirmation."""
    chosen = OfferFactory(decision=decision, company="Chosen Co")
    decision_services.decision_decide(
        decision=decision, actor=user, chosen_offer=chosen, why="x", confidence=80, review_on=None
    )
    return chosen


# An offer still to come -----------------------------------------------------------


@pytest.fixture
def awaited(decision: Decision) -> Offer:
    return OfferFactory(
        decision=decision,
        company="Globex",
        base_salary=None,
        expected_on=TODAY + dt.timedelta(days=9),
    )


def test_an_offer_is_awaited_while_open_expected_and_without_figures(decision: Decision):
    expected = TODAY + dt.timedelta(days=9)
    assert OfferFactory.build(base_salary=None, expected_on=expected).is_awaited
    assert not OfferFactory.build(expected_on=expected).is_awaited  # its figures are in
    assert not OfferFactory.build(base_salary=None).is_awaited  # no day expected
    assert not OfferFactory.build(
        base_salary=None, expected_on=expected, status="declined"
    ).is_awaited


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["decline", "counter", "extension"])
def test_nothing_is_written_to_an_offer_still_to_come(
    owner_client: Client, awaited: Offer, user: User, slug: str
):
    page = owner_client.get(_url("compose", awaited, slug), follow=True)
    assert page.redirect_chain[0][0] == awaited.decision.get_absolute_url()
    assert "Globex’s offer has not arrived yet" in page.content.decode()
    assert _use(owner_client, awaited, slug).status_code == HTTPStatus.FOUND
    with pytest.raises(ValidationError, match="has not arrived yet"):
        services.message_use_generated(
            offer=awaited, actor=user, choices=_choices(slug), recipient_name=""
        )
    assert not Message.objects.filter(offer=awaited).exists()


@pytest.mark.django_db
def test_declining_an_offer_still_to_come_says_to_withdraw_not_to_add_its_figures(
    awaited: Offer,
):
    refusal = services.out_of_turn(awaited, "decline")
    assert refusal == services.nothing_to_decline(awaited)
    assert "nothing to decline" in refusal
    assert "withdrawing from their process" in refusal
    assert "remove the offer" in refusal
    assert "add its figures" not in refusal
    # A counter-ask waits for the figures: that advice fits it.
    assert "add its figures" in services.out_of_turn(awaited, "counter")


@pytest.mark.django_db
def test_the_hub_offers_no_decline_of_an_offer_still_to_come(
    owner_client: Client, awaited: Offer, offer: Offer
):
    text = owner_client.get(reverse("messaging:hub", args=[awaited.decision_id])).content.decode()
    assert _url("compose", awaited, "decline") not in text
    assert _url("compose", offer, "decline") in text  # the offer in hand keeps its decline
    assert "Globex’s offer has not arrived yet, so there is nothing to decline" in text
    assert reverse("decisions:offer_delete", args=[awaited.decision_id, awaited.pk]) in text


# A counter-ask and a request for more time -----------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["counter", "extension"])
@pytest.mark.parametrize("status", ["declined", "expired", "withdrawn"])
def test_no_counter_ask_or_request_for_time_to_an_offer_no_longer_open(
    owner_client: Client, offer: Offer, slug: str, status: str
):
    Offer.objects.filter(pk=offer.pk).update(status=status)
    page = owner_client.get(_url("compose", offer, slug), follow=True)
    assert page.redirect_chain[0][0] == offer.decision.get_absolute_url()
    assert "is no longer open" in page.content.decode()
    assert not Message.objects.filter(offer=offer).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["counter", "extension"])
def test_no_counter_ask_or_request_for_time_once_another_offer_is_accepted(
    owner_client: Client, offer: Offer, accepted: Offer, slug: str
):
    page = owner_client.get(_url("compose", offer, slug), follow=True)
    assert page.redirect_chain[0][0] == offer.decision.get_absolute_url()
    assert "You have accepted Software Engineer at Chosen Co" in page.content.decode()
    assert _use(owner_client, offer, slug).status_code == HTTPStatus.FOUND
    assert not Message.objects.filter(offer=offer).exists()
    # The accepted offer itself is past negotiating too; nothing is left to do but
    # read the decision, so that is where the refusal leads (not to changing one's mind).
    page = owner_client.get(_url("compose", accepted, slug), follow=True)
    assert "the moment to ask for" in page.content.decode()
    assert page.redirect_chain[0][0] == accepted.decision.get_absolute_url()


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["counter", "extension"])
def test_a_draft_saved_while_open_is_neither_rewritten_edited_nor_sent_once_accepted_elsewhere(
    owner_client: Client, decision: Decision, offer: Offer, user: User, slug: str
):
    assert _use(owner_client, offer, slug).status_code == HTTPStatus.FOUND
    message = Message.objects.get(offer=offer)
    chosen = OfferFactory(decision=decision, company="Chosen Co")
    decision_services.decision_decide(
        decision=decision, actor=user, chosen_offer=chosen, why="x", confidence=80, review_on=None
    )
    before = LogEntry.objects.count()

    # Still readable: the page shows what was written.
    assert owner_client.get(_url("compose", offer, slug)).status_code == HTTPStatus.OK
    used = _use(owner_client, offer, slug)
    edited = owner_client.post(_url("save_edits", offer, slug), {"subject": "s", "body": "b"})
    sent = owner_client.post(_url("mark_sent", offer, slug), {"sent_on": TODAY.isoformat()})

    for response in (used, edited, sent):
        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert "You have accepted Software Engineer at Chosen Co" in response.content.decode()
    message.refresh_from_db()
    assert (message.body != "b", message.sent_on) == (True, None)
    assert LogEntry.objects.count() == before
    with pytest.raises(ValidationError, match="You have accepted"):
        services.message_mark_sent(message=message, actor=user, sent_on=TODAY)


# Keeping in touch ---------------------------------------------------------------------


@pytest.mark.django_db
def test_no_note_to_stay_in_touch_before_the_decline_went_out(
    owner_client: Client, offer: Offer, user: User
):
    page = owner_client.get(_url("compose", offer, "keep-in-touch"), follow=True)
    assert page.redirect_chain[0][0] == offer.decision.get_absolute_url()
    assert "mark your decline to Acme as sent first" in page.content.decode()
    with pytest.raises(ValidationError, match="as sent first"):
        services.message_use_generated(
            offer=offer, actor=user, choices=_choices("keep_in_touch"), recipient_name=""
        )

    assert _use(owner_client, offer, "decline").status_code == HTTPStatus.FOUND
    decline = Message.objects.get(offer=offer, purpose="decline")
    services.message_mark_sent(message=decline, actor=user, sent_on=TODAY)
    assert owner_client.get(_url("compose", offer, "keep-in-touch")).status_code == HTTPStatus.OK
    assert _use(owner_client, offer, "keep-in-touch").status_code == HTTPStatus.FOUND
    assert Message.objects.filter(offer=offer, purpose="keep_in_touch").exists()


# The warning before declining, already at "Use this text" ------------------------------


@pytest.mark.django_db
def test_the_unconfirmed_acceptance_is_named_before_the_decline_is_drafted(
    owner_client: Client, offer: Offer, accepted: Offer
):
    page = owner_client.get(_url("compose", offer, "decline"))
    assert page.context_data["composer"].message is None
    text = page.content.decode()
    warning = text.index('id="unconfirmed-before-use"')
    assert warning < text.index('value="use"')
    assert "Chosen Co has not confirmed your acceptance yet" in text[warning:]
    # Once drafted, the warning stands once, beside "Mark as sent".
    assert _use(owner_client, offer, "decline").status_code == HTTPStatus.FOUND
    text = owner_client.get(_url("compose", offer, "decline")).content.decode()
    assert 'id="unconfirmed-before-use"' not in text
    assert text.count("Don’t decline the others") == 1

    decision_services.offer_confirm(
        offer=accepted, actor=accepted.decision.owner, confirmed_on=TODAY
    )
    page = owner_client.get(_url("compose", offer, "decline"))
    assert 'id="unconfirmed-before-use"' not in page.content.decode()


# Lock order -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_warning_against_declining_before_the_confirmation_is_worded_once(
    owner_client: Client, offer: Offer, accepted: Offer, user: User
):
    warning = services.unconfirmed_warning(accepted)
    hub = owner_client.get(reverse("messaging:hub", args=[offer.decision_id])).content.decode()
    before_use = owner_client.get(_url("compose", offer, "decline")).content.decode()
    assert _use(owner_client, offer, "decline").status_code == HTTPStatus.FOUND
    beside_sent = owner_client.get(_url("compose", offer, "decline")).content.decode()
    with pytest.raises(ValidationError) as refused:
        services.message_mark_sent(
            message=Message.objects.get(offer=offer), actor=user, sent_on=TODAY
        )
    for text in (hub, before_use, beside_sent, refused.value.messages[0]):
        assert warning in text
        assert text.count("Don’t decline the others") == 1


@pytest.mark.django_db
def test_marking_sent_locks_the_decision_before_the_offer(
    owner_client: Client, offer: Offer, user: User, locks: list[str]
):
    assert _use(owner_client, offer, "decline").status_code == HTTPStatus.FOUND
    message = Message.objects.get(offer=offer)
    locks.clear()
    services.message_mark_sent(message=message, actor=user, sent_on=TODAY)
    assert locks[:2] == ["Decision", "Offer"]


@pytest.mark.django_db
def test_setting_a_day_to_stay_in_touch_locks_the_decision_before_the_offer(
    owner_client: Client, offer: Offer, user: User, locks: list[str]
):
    assert _use(owner_client, offer, "decline").status_code == HTTPStatus.FOUND
    services.message_mark_sent(message=Message.objects.get(offer=offer), actor=user, sent_on=TODAY)
    locks.clear()
    services.stay_in_touch_set(offer=offer, actor=user, on=TODAY + dt.timedelta(days=90))
    assert locks[:2] == ["Decision", "Offer"]


@pytest.mark.django_db
def test_drafting_locks_the_decision_before_the_offer(offer: Offer, user: User, locks: list[str]):
    services.message_use_generated(offer=offer, actor=user, choices=Choices(), recipient_name="")
    assert locks[:2] == ["Decision", "Offer"]
