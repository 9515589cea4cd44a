"""The messages to employers a coach reads (decisions/correspondence.py), on the coach's
page and in the reports: every purpose, drafted and sent, never a private entry, and no
text when the candidate hides pay."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from http import HTTPStatus
from types import SimpleNamespace

import pytest
from django.core import mail
from django.template import engines
from django.test import Client
from django.urls import reverse
from django.utils.formats import date_format

from decisions import services
from decisions.correspondence import MONEY_HIDDEN, decision_messages
from decisions.models import CoachGrant, Decision, LogEntry, Offer
from decisions.report import MESSAGE_SHORTENED, MESSAGE_TEXT_CHARS, report_html, report_view
from decisions.services.offers import offer_negotiated
from messaging import services as messaging_services
from messaging.compose import Choices
from offerdesk.accounts.models import User
from offerdesk.formats import HIDDEN_AMOUNT
from tests.factories import OfferFactory

pytestmark = pytest.mark.django_db

DECLINE_BODY = "Thank you for the offer. I will not be accepting it; the $9,500 gap decided it."
COUNTER_BODY = "Could the base salary reach 126,000? I led the platform migration."


@pytest.fixture
def offers(decision: Decision) -> tuple[Offer, Offer]:
    return (
        OfferFactory(decision=decision, company="Northwind", role="Data Engineer"),
        OfferFactory(decision=decision, company="Globex", role="Analyst"),
    )


@pytest.fixture
def written(user: User, offers: tuple[Offer, Offer]) -> tuple[Offer, Offer]:
    """A decline to Northwind drafted, edited and sent; a counter-ask to Globex drafted."""
    northwind, globex = offers
    messaging_services.message_save(
        offer=northwind,
        actor=user,
        choices=Choices(),
        recipient_name="Jana",
        subject="Your offer",
        body="A first draft.",
        edited=True,
    )
    message = messaging_services.message_save(
        offer=northwind,
        actor=user,
        choices=Choices(),
        recipient_name="Jana",
        subject="Your offer",
        body=DECLINE_BODY,
        edited=True,
    )
    messaging_services.message_mark_sent(message=message, actor=user, sent_on=dt.date(2026, 11, 30))
    messaging_services.message_save(
        offer=globex,
        actor=user,
        choices=Choices(purpose="counter", details={"lever": "base_salary"}),
        recipient_name="Sam",
        subject="The Analyst offer",
        body=COUNTER_BODY,
        edited=True,
    )
    return offers


def _review(client: Client, decision: Decision):
    return client.get(reverse("coach:review", args=[decision.pk]))


def test_the_coach_reads_each_offers_message_drafted_and_sent(
    coach_client: Client, decision: Decision, written
):
    response = _review(coach_client, decision)

    assert response.status_code == HTTPStatus.OK
    decline, counter = response.context_data["employer_messages"]
    assert (decline.offer_label, decline.purpose) == ("Data Engineer at Northwind", "decline")
    assert decline.sent.body == DECLINE_BODY
    assert decline.sent_on == dt.date(2026, 11, 30)
    # Sent as last drafted: shown once, the earlier draft not at all.
    assert decline.draft_after_sending is None
    assert (counter.purpose, counter.sent, counter.draft.body) == ("counter", None, COUNTER_BODY)
    page = response.content.decode()
    assert "Messages to the employers" in page
    assert f"Sent on {date_format(dt.date(2026, 11, 30))}" in page
    assert "$9,500 gap decided it" in page
    assert "126,000? I led the platform migration" in page
    assert "Draft, not sent yet" in page
    assert "A first draft." not in page


def test_a_draft_changed_after_sending_shows_beside_what_went_out(
    coach: User, user: User, decision: Decision, written
):
    northwind, _ = written
    messaging_services.message_save(
        offer=northwind,
        actor=user,
        choices=Choices(),
        recipient_name="Jana",
        subject="Your offer",
        body="A later version.",
        edited=True,
    )

    [decline, _] = decision_messages(decision, for_coach=True, pay_shown=True)

    assert decline.sent.body == DECLINE_BODY
    assert decline.draft_after_sending.body == "A later version."


def test_with_pay_hidden_the_coach_reads_every_message_with_its_figures_blanked(
    coach_client: Client, coach: User, user: User, decision: Decision, written
):
    CoachGrant.objects.filter(coach=coach).update(hide_compensation=True)

    response = _review(coach_client, decision)

    page = response.content.decode()
    messages = response.context_data["employer_messages"]
    assert len(messages) == 2
    assert all(m.money_hidden for m in messages)
    for figure in ("9,500", "126,000"):
        assert figure not in page
    assert f"the {HIDDEN_AMOUNT} gap decided it" in page
    assert f"Could the base salary reach {HIDDEN_AMOUNT}? I led the platform migration" in page
    assert "The Analyst offer" in page
    assert MONEY_HIDDEN in page
    grant = CoachGrant.objects.get(coach=coach)
    html = report_html(report_view(decision, grant), paper_size="a4")
    assert "9,500" not in html
    assert "126,000" not in html
    assert "Messages to the employers" in html


def test_with_pay_hidden_a_negotiated_offer_shows_the_coach_no_figure(
    coach_client: Client, coach: User, user: User, decision: Decision, offers
):
    """The employer's answer to a counter-ask is logged with its figures, and the
    coach who may not see pay reads that entry without them, summary included."""
    northwind, _ = offers
    northwind.base_salary = 120_000
    northwind.save()
    offer_negotiated(offer=northwind, actor=user, figures={"base_salary": Decimal(126_543)})
    CoachGrant.objects.filter(coach=coach).update(hide_compensation=True)

    page = _review(coach_client, decision).content.decode()

    assert "Northwind improved the offer after you asked: base salary" in page
    assert "126,543" not in page
    assert "126543" not in page
    CoachGrant.objects.filter(coach=coach).update(hide_compensation=False)
    assert "126,543" in _review(coach_client, decision).content.decode()


def test_a_revoked_coach_sees_nothing(
    coach_client: Client, coach: User, user: User, decision: Decision, written
):
    grant = CoachGrant.objects.get(coach=coach)
    services.grant_revoke(grant=grant, actor=user)

    review = _review(coach_client, decision)
    report = coach_client.get(reverse("coach:report", args=[decision.pk]))

    assert review.status_code == report.status_code == HTTPStatus.NOT_FOUND
    assert b"9,500" not in review.content
    assert b"9,500" not in report.content


def test_private_entries_never_reach_the_coach_and_stay_the_candidates(
    coach: User, user: User, decision: Decision, written
):
    northwind, _ = written
    services.reflection_add(
        decision=decision, actor=user, kind="reflection", body="MY PRIVATE DOUBTS", private=True
    )
    # A message entry marked private (as an import may bring one) stays private too.
    LogEntry.objects.create(
        decision=decision,
        author=user,
        kind=LogEntry.Kind.MESSAGE_DRAFTED,
        summary="Drafted a private note",
        private=True,
        data={"offer": northwind.pk, "purpose": "keep_in_touch", "subject": "",
              "body": "PRIVATE NOTE TEXT"},
    )  # fmt: skip
    grant = CoachGrant.objects.get(coach=coach)

    coach_messages = decision_messages(decision, for_coach=True, pay_shown=True)
    coach_html = report_html(report_view(decision, grant), paper_size="a4")
    owner_html = report_html(report_view(decision), paper_size="a4")

    assert [m.purpose for m in coach_messages] == ["decline", "counter"]
    assert "PRIVATE NOTE TEXT" not in coach_html
    assert "MY PRIVATE DOUBTS" not in coach_html
    assert "PRIVATE NOTE TEXT" in owner_html
    assert DECLINE_BODY.split(";")[0] in coach_html


def test_the_candidates_own_report_prints_their_messages(decision: Decision, written):
    html = report_html(report_view(decision), paper_size="a4")

    assert "Messages to the employers" in html
    assert "126,000? I led the platform migration" in html


def test_no_message_yet_is_said_plainly(coach_client: Client, decision: Decision, offers):
    page = _review(coach_client, decision).content.decode()

    assert "No message to an employer is drafted yet." in page


def test_entries_no_reader_can_use_are_passed_over(user: User, decision: Decision, offers):
    northwind, _ = offers
    for data in (
        [],
        {"offer": "1", "body": "x"},
        {"offer": 999_999, "body": "an offer of another decision"},
        {"offer": northwind.pk, "body": ["not", "text"]},
        {"offer": northwind.pk, "purpose": 7, "body": "x"},
    ):
        LogEntry.objects.create(
            decision=decision,
            author=user,
            kind=LogEntry.Kind.MESSAGE_SENT,
            summary="Sent something",
            data=data,
        )
    LogEntry.objects.create(
        decision=decision,
        author=user,
        kind=LogEntry.Kind.MESSAGE_SENT,
        summary="Sent the decline to Northwind",
        data={"offer": northwind.pk, "body": "An old entry, before purposes.",
              "sent_on": "not a day"},
    )  # fmt: skip

    [only] = decision_messages(decision, for_coach=True, pay_shown=True)

    assert (only.purpose, only.sent.body, only.sent_on) == (
        "decline",
        "An old entry, before purposes.",
        None,
    )
    assert report_html(report_view(decision), paper_size="a4")


def test_many_long_messages_print_shortened_within_their_share(user: User, decision: Decision):
    offers = OfferFactory.create_batch(20, decision=decision)
    for offer in offers:
        for purpose in ("decline", "keep_in_touch", "still_open"):
            messaging_services.message_save(
                offer=offer,
                actor=user,
                choices=Choices(purpose=purpose),
                recipient_name="",
                subject="s",
                body="word " * 1_800,
                edited=True,
            )

    html = report_html(report_view(decision), paper_size="a4")

    assert MESSAGE_SHORTENED in html
    assert html.count("word ") <= MESSAGE_TEXT_CHARS // len("word ") + 60


def test_the_invitation_promises_what_the_coach_sees(user: User):
    services.invitation_create(
        client=user, email="robin@example.com", hide_compensation=False, accept_url=str
    )

    [invitation] = mail.outbox
    assert "the messages they draft and send to employers" in invitation.body
    assert "the reflections they share" in invitation.body
    assert "letters" not in invitation.body


def test_what_was_hidden_is_said_under_the_text_the_reader_may_see():
    # The reader's text is decided in correspondence (figures blanked when pay is
    # hidden); the page shows that text, and the note beside it, never one for the other.
    template = engines["jinja2"].env.from_string(
        '{% from "decisions/_messages.html" import text_block %}'
        "{{ text_block('Sent', text, note) }}"
    )
    text = SimpleNamespace(subject="About the offer", body="I would ask for [amount hidden] more.")
    page = template.render(text=text, note="Amounts are hidden.")
    assert page.index("[amount hidden] more.") < page.index("Amounts are hidden.")
    assert "About the offer" in page
    assert "muted" not in template.render(text=text, note="")


def test_the_access_page_says_what_hiding_pay_does_to_the_messages(client: Client, user: User):
    client.force_login(user)
    page = client.get(reverse("coach:access")).content.decode()
    assert "they are blanked in your messages too" in page
    assert "hides the text of your messages" not in page
