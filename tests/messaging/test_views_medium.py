"""Changing how a saved draft is written (issue 17): a change of medium after editing
the draft is a normal step, never a 400; the highlighted medium is always the one
previewed; every error shows once; and the message shows once on the page."""

from __future__ import annotations

import re
from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse

from decisions.models import Decision, Offer
from messaging.models import Message
from offerdesk.accounts.models import User
from tests.factories import OfferFactory
from tests.messaging.choices import DECLINE_CHOICES as CHOICES

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
MY_LINE = "I edited this line myself."


@pytest.fixture
def other(decision: Decision, user: User) -> Offer:
    """An offer to decline, with a saved e-mail whose text the candidate edited."""
    user.full_name = "Alex Morgan"
    user.save()
    offer = OfferFactory(decision=decision, company="Northwind", recruiter_name="Jana Krüger")
    OfferFactory(decision=decision, company="Chosen Co")
    return offer


def _url(offer: Offer, name: str = "compose") -> str:
    return reverse(f"messaging:{name}", args=[offer.decision_id, offer.pk, "decline"])


def _edited_email(client: Client, offer: Offer) -> Message:
    used = client.post(_url(offer), {**CHOICES, "action": "use"})
    assert used.status_code == HTTPStatus.FOUND
    message = Message.objects.get(offer=offer)
    client.post(
        _url(offer, "save_edits"),
        {"subject": message.subject, "body": f"{message.body}\n\n{MY_LINE}"},
    )
    message.refresh_from_db()
    assert message.edited
    assert message.medium == "email"
    return message


def _checked(html: str, name: str) -> list[str]:
    """The values of the ticked radios named ``name`` in the page."""
    return [
        re.search(r'value="([^"]*)"', tag).group(1)
        for tag in re.findall(rf'<input[^>]*type="radio"[^>]*name="{name}"[^>]*>', html)
        if re.search(r"\bchecked\b", tag)
    ]


def test_using_another_medium_after_editing_asks_instead_of_refusing(
    owner_client: Client, other: Offer
):
    message = _edited_email(owner_client, other)
    asked = owner_client.post(_url(other), {**CHOICES, "medium": "phone", "action": "use"})
    assert asked.status_code == HTTPStatus.OK
    html = asked.content.decode()
    # The phone script is previewed, and phone is the medium highlighted.
    assert asked.context_data["composer"].choices.medium == "phone"
    assert "Call script" in asked.context_data["composer"].draft.body
    assert _checked(html, "medium") == ["phone"]
    assert "New text · Phone call script" in html
    # No error, and the edits are named once, with the way back to them.
    assert "alert--error" not in html
    assert html.count("Your draft is the e-mail you edited") == 1
    assert "Use this text instead of my edits" in html
    assert MY_LINE in html
    message.refresh_from_db()
    assert message.medium == "email"
    assert MY_LINE in message.body


def test_the_new_text_is_used_with_the_choices_the_form_holds(owner_client: Client, other: Offer):
    _edited_email(owner_client, other)
    asked = owner_client.post(_url(other), {**CHOICES, "medium": "phone"})
    html = asked.content.decode()
    # The card's button submits the choices form, and says to replace the edits: without
    # JavaScript the card is the last preview, and the choices just picked are the ones
    # the candidate means.
    [use] = re.findall(r'<button[^>]*value="use"[^>]*>', html)
    assert 'form="compose-form"' in use
    assert '<input type="hidden" name="replace_edits" value="on" form="compose-form">' in html
    used = owner_client.post(
        _url(other), {**CHOICES, "medium": "phone", "replace_edits": "on", "action": "use"}
    )
    assert used.status_code == HTTPStatus.FOUND
    message = Message.objects.get(offer=other)
    assert message.medium == "phone"
    assert not message.edited
    assert MY_LINE not in message.body
    page = owner_client.get(_url(other))
    assert page.context_data["follows_draft"]
    assert _checked(page.content.decode(), "medium") == ["phone"]


def test_htmx_previews_the_new_medium_and_keeps_what_was_typed(owner_client: Client, other: Offer):
    message = _edited_email(owner_client, other)
    typed = f"{message.body}\r\nAnd one more line, not saved yet."
    preview = owner_client.post(
        _url(other),
        {**CHOICES, "medium": "short", "subject": message.subject, "body": typed},
        headers=HTMX,
    )
    assert preview.status_code == HTTPStatus.OK
    assert preview.template_name == "messaging/_preview.html"
    html = preview.content.decode()
    assert "New text · Short message" in html
    assert preview.context_data["unsaved_edits"]
    # The box, folded under the new text, still holds what was typed.
    assert "And one more line, not saved yet." in html
    # Back to the draft's own choices: the draft itself, with the typed text.
    back = owner_client.post(
        _url(other), {**CHOICES, "subject": message.subject, "body": typed}, headers=HTMX
    )
    assert back.context_data["follows_draft"]
    assert "And one more line, not saved yet." in back.content.decode()
    assert "Your changes in the box are not saved yet." in back.content.decode()


def test_the_box_posted_unchanged_is_no_unsaved_edit(owner_client: Client, other: Offer):
    message = _edited_email(owner_client, other)
    # A browser posts a textarea's lines ended by CR LF.
    typed = message.body.replace("\n", "\r\n")
    preview = owner_client.post(
        _url(other),
        {**CHOICES, "medium": "letter", "subject": message.subject, "body": typed},
        headers=HTMX,
    )
    assert not preview.context_data["unsaved_edits"]


def test_an_invalid_choice_still_previews_the_highlighted_medium(
    owner_client: Client, other: Offer
):
    _edited_email(owner_client, other)
    refused = owner_client.post(
        _url(other), {**CHOICES, "medium": "phone", "reason_detail": "x" * 501, "action": "use"}
    )
    assert refused.status_code == HTTPStatus.BAD_REQUEST
    assert refused.context_data["composer"].choices.medium == "phone"
    html = refused.content.decode()
    assert _checked(html, "medium") == ["phone"]
    # The error shows once, by its field.
    assert html.count("Ensure this value has at most 500 characters") == 1


def test_an_invalid_choice_is_said_once_in_the_live_preview(owner_client: Client, other: Offer):
    _edited_email(owner_client, other)
    preview = owner_client.post(
        _url(other), {**CHOICES, "medium": "phone", "reason_detail": "x" * 501}, headers=HTMX
    )
    assert preview.status_code == HTTPStatus.OK
    assert preview.context_data["composer"].choices.medium == "phone"
    assert preview.content.decode().count("Ensure this value has at most 500 characters") == 1


def test_the_saved_draft_is_the_only_copy_of_the_message(owner_client: Client, other: Offer):
    owner_client.post(_url(other), {**CHOICES, "action": "use"})
    page = owner_client.get(_url(other))
    html = page.content.decode()
    body_start = Message.objects.get(offer=other).body.split("\n")[0]
    assert page.context_data["follows_draft"]
    assert html.count(body_start) == 1
    assert 'class="preview__body' not in html
    # The choices fold away beside it, closed while they are the draft's.
    assert '<details class="card composer-choices" id="choices">' in html


def test_copy_is_a_real_button_and_says_how_without_javascript(owner_client: Client, other: Offer):
    owner_client.post(_url(other), {**CHOICES, "action": "use"})
    html = owner_client.get(_url(other)).content.decode()
    [copy] = re.findall(r"<button[^>]*data-copy[^>]*>", html)
    assert 'class="button js-only"' in copy
    assert "button--quiet" not in copy
    assert re.search(r'class="help no-js-only">To copy the text', html)


def test_a_sent_message_says_so_instead_of_asking_again(owner_client: Client, other: Offer):
    owner_client.post(_url(other), {**CHOICES, "action": "use"})
    sent_on = other.decision.created_at.date()
    owner_client.post(
        _url(other, "mark_sent"), {"sent_on": sent_on.isoformat(), "despite_unconfirmed": "on"}
    )
    other.refresh_from_db()
    assert other.status == "declined"
    html = owner_client.get(_url(other)).content.decode()
    assert "You marked it sent on" in html
    assert "Northwind is declined in your decision" in html
    assert ">Mark as sent<" not in html
