"""Notifications: who gets what, at once or in a digest, the unsubscribe link, and
that no mail carries more than its reader may read."""

from __future__ import annotations

from decimal import Decimal
from http import HTTPStatus

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from decisions import services
from decisions.models import CoachGrant, Decision, LogEntry, Notice, NoticeSetting, Notification
from decisions.notifications import news_of, unsubscribe_token, weights_shift
from decisions.services.notifications import digests_send, notice_set
from messaging import services as messaging_services
from messaging.compose import Choices
from offerdesk.accounts.models import User
from tests.factories import OfferFactory, UserFactory

pytestmark = pytest.mark.django_db

SECRET = "SECRET-WORDS-5c1e"


def _notices(recipient: User) -> list[str]:
    return list(Notification.objects.filter(recipient=recipient).values_list("kind", flat=True))


def _mails_to(address: str) -> list:
    return [m for m in mail.outbox if m.to == [address]]


def test_a_decision_reaches_each_coach_at_once_without_its_reasons(
    decision: Decision, user: User, coach: User
):
    other = UserFactory(email="second@example.com")
    CoachGrant.objects.create(client=user, coach=other)
    offer = OfferFactory(decision=decision, company="Northwind", base_salary=Decimal(123_456))
    mail.outbox.clear()
    services.decision_decide(
        decision=decision, actor=user, chosen_offer=offer, why=SECRET, confidence=80,
        review_on=None,
    )  # fmt: skip
    assert _notices(coach) == [Notice.DECIDED]
    assert _notices(other) == [Notice.DECIDED]
    assert _notices(user) == []  # nobody is told of their own step
    [sent] = _mails_to("robin@example.com")
    assert sent.subject == f"{user.display_name} decided in “{decision.title}”"
    assert SECRET not in sent.body
    assert "123" not in sent.body
    assert reverse("coach:review", args=[decision.pk]) in sent.body


def test_weights_make_news_only_when_they_move_a_lot_and_once_a_day(
    decision: Decision, user: User, coach: User
):
    criteria = list(decision.criteria.all())

    def reweight(weights: list[int]) -> None:
        decision.refresh_from_db()
        services.criteria_reweight(
            decision=decision,
            actor=user,
            weights={c.pk: w for c, w in zip(criteria, weights, strict=False)},
        )

    even = [20] * len(criteria)
    reweight(even)
    Notification.objects.all().delete()
    nudged = [21, *even[1:]]
    reweight(nudged)
    assert _notices(coach) == []  # a point or so is no news
    reweight([90, *[5] * (len(criteria) - 1)])
    assert _notices(coach) == [Notice.WEIGHTS]
    reweight([5, 90, *[5] * (len(criteria) - 2)])
    assert _notices(coach) == [Notice.WEIGHTS]  # one a day of a what-if
    # Weights news comes in the digest: nothing was mailed yet.
    assert not Notification.objects.filter(mailed_at__isnull=False).exists()


def test_weights_shift_counts_the_points_moved():
    assert weights_shift(
        {"weights_before": {"1": 50, "2": 50}, "weights_after": {"1": 60, "2": 40}}
    ) == pytest.approx(10)
    assert weights_shift({"weights_before": {"1": 1}, "weights_after": {"2": 1}}) == 0
    assert weights_shift("damaged") == 0


def test_a_shared_reflection_is_news_and_a_private_one_is_not(
    decision: Decision, user: User, coach: User
):
    services.reflection_add(
        decision=decision, actor=user, kind="reflection", body=SECRET, private=True
    )
    assert _notices(coach) == []
    services.reflection_add(decision=decision, actor=user, kind="reflection", body=SECRET)
    assert _notices(coach) == [Notice.REFLECTION]
    digests_send()
    [digest] = _mails_to("robin@example.com")
    assert "wrote a reflection" in digest.body
    assert SECRET not in digest.body  # the words are read on the site, where access is checked


def test_a_sent_decline_is_news(decision: Decision, user: User, coach: User):
    offer = OfferFactory(decision=decision, company="Northwind")
    message = messaging_services.message_save(
        offer=offer, actor=user, choices=Choices(), recipient_name="Sam",
        subject="Thank you", body="Thank you for the offer.", edited=True,
    )  # fmt: skip
    assert _notices(coach) == []  # a draft is not news
    messaging_services.message_mark_sent(message=message, actor=user, sent_on=timezone.localdate())
    assert _notices(coach) == [Notice.DECLINE_SENT]


def test_questions_and_answers_go_each_way_at_once(decision: Decision, user: User, coach: User):
    mail.outbox.clear()
    question = services.coach_comment_add(
        decision=decision, coach=coach, body="What would make you say no?", asks=True
    )
    assert _notices(user) == [Notice.COACH_WROTE]
    [asked] = _mails_to(user.email)
    # The coach's words are the client's to read: the mail brings them.
    assert "What would make you say no?" in asked.body
    assert reverse("decisions:coaching", args=[decision.pk]) in asked.body

    services.thread_answer(thread=question, author=user, body=SECRET)
    assert _notices(coach) == [Notice.ANSWERED]
    [answered] = _mails_to("robin@example.com")
    assert answered.subject == (
        f"{user.display_name} answered Robin Coach’s question in “{decision.title}”"
    )
    assert SECRET not in answered.body

    services.homework_set(decision=decision, coach=coach, kind="question", prompt="Which one?")
    assert _notices(user) == [Notice.COACH_WROTE, Notice.COACH_WROTE]
    assert "set you homework" in _mails_to(user.email)[-1].subject


def test_a_revoked_coach_hears_nothing_more(decision: Decision, user: User, coach: User):
    services.reflection_add(decision=decision, actor=user, kind="reflection", body="Before")
    services.grant_revoke(grant=CoachGrant.objects.get(coach=coach), actor=user)
    services.reflection_add(decision=decision, actor=user, kind="reflection", body="After")
    assert _notices(coach) == [Notice.REFLECTION]  # only the one from before
    mail.outbox.clear()
    digests_send()
    assert _mails_to("robin@example.com") == []  # nor is the old one mailed now


def test_the_digest_is_one_mail_per_person_and_goes_once(
    decision: Decision, user: User, coach: User
):
    services.reflection_add(decision=decision, actor=user, kind="reflection", body="One")
    services.reflection_add(decision=decision, actor=user, kind="goal", body="Two")
    criteria = list(decision.criteria.all())
    weights = {c.pk: 90 if i == 0 else 1 for i, c in enumerate(criteria)}
    services.criteria_reweight(decision=decision, actor=user, weights=weights)
    mail.outbox.clear()
    assert digests_send() == 1
    [digest] = _mails_to("robin@example.com")
    assert digest.subject == "Offerdesk: 3 things new today"
    assert digest.body.count(f"“{decision.title}”") == 3
    # Two kinds, each with its own link; no one header could stop both.
    assert digest.body.count("/unsubscribe/") == 2
    assert "List-Unsubscribe" not in digest.extra_headers
    assert digests_send() == 0


def test_a_kind_set_to_never_is_not_mailed(decision: Decision, user: User, coach: User):
    notice_set(user=coach, kind=Notice.DECIDED, often=NoticeSetting.Often.NEVER)
    offer = OfferFactory(decision=decision)
    mail.outbox.clear()
    services.decision_decide(
        decision=decision, actor=user, chosen_offer=offer, why="", confidence=80, review_on=None
    )
    assert _notices(coach) == [Notice.DECIDED]  # still on What's new
    digests_send()
    assert _mails_to("robin@example.com") == []


def test_unsubscribing_works_logged_out_in_one_click(decision: Decision, user: User, coach: User):
    offer = OfferFactory(decision=decision)
    mail.outbox.clear()
    services.decision_decide(
        decision=decision, actor=user, chosen_offer=offer, why="", confidence=80, review_on=None
    )
    [sent] = _mails_to("robin@example.com")
    link = sent.extra_headers["List-Unsubscribe"].strip("<>")
    assert link in sent.body
    assert sent.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    browser = Client(enforce_csrf_checks=True)  # a mail program: no cookie, no token
    path = link.split("://", 1)[1].split("/", 1)[1]
    asked = browser.get(f"/{path}")
    assert asked.status_code == HTTPStatus.OK
    assert "Stop these mails?" in asked.content.decode()
    assert not NoticeSetting.objects.exists()  # opening the link stops nothing
    done = browser.post(f"/{path}", {"List-Unsubscribe": "One-Click"})
    assert done.status_code == HTTPStatus.OK
    setting = NoticeSetting.objects.get()
    assert (setting.user, setting.kind, setting.often) == (coach, Notice.DECIDED, "never")


def test_an_unsubscribe_link_cannot_be_forged(coach: User):
    token = unsubscribe_token(coach, Notice.DECIDED)
    forged = token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]
    for bad in (forged, "nonsense", token.replace(":", "")):
        response = Client().post(reverse("unsubscribe", args=[bad]))
        assert response.status_code == HTTPStatus.NOT_FOUND
    assert not NoticeSetting.objects.exists()


def test_whats_new_shows_each_side_its_news_and_marks_it_read(
    owner_client: Client, decision: Decision, user: User, coach: User
):
    services.coach_comment_add(decision=decision, coach=coach, body="Hello?", asks=True)
    page = owner_client.get(reverse("news")).content.decode()
    assert "Robin Coach asked in" in page
    assert "news__item--new" in page
    assert Notification.objects.get().read_at is not None
    assert "news__item--new" not in owner_client.get(reverse("news")).content.decode()

    services.reflection_add(decision=decision, actor=user, kind="reflection", body="Hm")
    browser = Client()
    browser.force_login(coach)
    assert "wrote a reflection" in browser.get(reverse("news")).content.decode()
    services.grant_revoke(grant=CoachGrant.objects.get(coach=coach), actor=user)
    assert "wrote a reflection" not in browser.get(reverse("news")).content.decode()


def test_the_settings_page_saves_a_choice_per_kind(owner_client: Client, user: User, coach):
    page = owner_client.get(reverse("notice_settings")).content.decode()
    assert Notice.COACH_WROTE.label in page
    assert Notice.DECIDED.label not in page  # they coach nobody
    response = owner_client.post(reverse("notice_settings"), {Notice.COACH_WROTE: "daily"})
    assert response.status_code == HTTPStatus.FOUND
    assert NoticeSetting.objects.get(user=user).often == "daily"
    refused = owner_client.post(reverse("notice_settings"), {Notice.COACH_WROTE: "hourly"})
    assert refused.status_code == HTTPStatus.BAD_REQUEST
    assert NoticeSetting.objects.get(user=user).often == "daily"


def test_a_step_that_is_no_news_costs_no_query(
    decision: Decision, user: User, coach: User, django_assert_num_queries
):
    entry = services.reflection_add(decision=decision, actor=user, kind="goal", body="Grow")
    ratings = LogEntry(
        decision=Decision.objects.get(pk=decision.pk),  # its owner not read yet
        author=user,
        kind=LogEntry.Kind.RATINGS_CHANGED,
        summary="Updated 1 rating",
    )
    with django_assert_num_queries(0):
        assert news_of(ratings) == []
    assert [n.text for n in news_of(entry)] == [
        f"{user.display_name} wrote down a goal in “{decision.title}”"
    ]
