"""Every URL with an id, from Django's resolver, tried by everyone who must not get in.

New routes are covered without anyone remembering to add them. For each: GET and
POST, with and without HX-Request, as another candidate, a coach without access,
a coach whose access was revoked, and an anonymous visitor. None may see the
victim's canaries; all get a 404 (the anonymous a trip to the login page), or the
same 405 the owner gets when the method itself is refused.
"""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RegexPattern

from decisions import services
from decisions.models import CoachInvitation, CoachNote, Homework, LogEntry
from messaging import services as messaging_services
from messaging.compose import Choices
from tests.accounts.test_mfa import with_passkey
from tests.factories import PASSWORD, DecisionFactory, OfferFactory, UserFactory

pytestmark = pytest.mark.django_db

CANARY = "CANARY-7f3a9"
# "pk" is allauth's, for a passkey (rename, remove).
ID_NAMES = {
    "decision_id",
    "offer_id",
    "criterion_id",
    "grant_id",
    "invitation_id",
    "pk",
    "thread_id",
    "homework_id",
    "note_id",
}


def _patterns(resolver=None, prefix="", outer=frozenset()):
    """Every named route as (name, the names its URL takes, whether any part of it is a
    regular expression, whose groups no sweep can fill)."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{entry.namespace}:" if entry.namespace else ""
            names = outer | set(entry.pattern.converters)
            if isinstance(entry.pattern, RegexPattern) and entry.pattern.regex.groups:
                names |= {"(regex)"}
            yield from _patterns(entry, prefix + namespace, frozenset(names))
        elif isinstance(entry, URLPattern) and entry.name:
            names = outer | set(entry.pattern.converters)
            if isinstance(entry.pattern, RegexPattern) and entry.pattern.regex.groups:
                names |= {"(regex)"}
            yield prefix + entry.name, names


@pytest.fixture
def victim_world():
    victim = UserFactory(full_name=f"{CANARY} person")
    decision = DecisionFactory(owner=victim, title=f"{CANARY} decision", goals=CANARY)
    offer = OfferFactory(decision=decision, company=f"{CANARY} Corp", notes=CANARY)
    services.reflection_add(decision=decision, actor=victim, kind="goal", body=f"{CANARY} goal")
    messaging_services.message_save(
        offer=offer, actor=victim, choices=Choices(), recipient_name=CANARY,
        subject=CANARY, body=f"{CANARY} body", edited=True,
    )  # fmt: skip
    revoked_coach = UserFactory(email="c@example.com")
    _, token = services.invitation_create(
        client=victim, email="c@example.com", hide_compensation=False, accept_url=str
    )
    grant = services.invitation_accept(token=token, coach=revoked_coach)
    # What the coach wrote while they could: a question, homework and a note of their own.
    question = services.coach_comment_add(
        decision=decision, coach=revoked_coach, body=f"{CANARY} question", asks=True
    )
    services.thread_answer(thread=question, author=victim, body=f"{CANARY} answer")
    homework = services.homework_set(
        decision=decision, coach=revoked_coach, kind="question", prompt=f"{CANARY} homework"
    )
    note = services.coach_note_add(coach=revoked_coach, client=victim, body=f"{CANARY} note")
    services.grant_revoke(grant=grant, actor=victim)
    services.invitation_create(
        client=victim, email="d@example.com", hide_compensation=False, accept_url=str
    )
    ids = {
        "decision_id": decision.pk,
        "offer_id": offer.pk,
        "criterion_id": decision.criteria.first().pk,
        "grant_id": grant.pk,
        "invitation_id": CoachInvitation.objects.filter(accepted_at__isnull=True).get().pk,
        "file_format": "pdf",
        "purpose": "decline",
        "pk": with_passkey(victim).pk,
        "thread_id": question.pk,
        "homework_id": homework.pk,
        "note_id": note.pk,
    }
    return victim, decision, ids, revoked_coach


def _intruders(revoked_coach) -> dict[str, Client]:
    """Each signed in and just past "confirm it is you", so that pages behind it (a
    passkey's) answer for the object itself rather than ask for the password first."""
    other_candidate, idle_coach, revoked = Client(), Client(), Client()
    for client, user in (
        (other_candidate, UserFactory()),
        (idle_coach, UserFactory()),
        (revoked, revoked_coach),
    ):
        client.force_login(user)
        client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    return {
        "another candidate": other_candidate,
        "a coach without access": idle_coach,
        "a revoked coach": revoked,
        "anonymous": Client(),
    }


def test_nobody_but_the_owner_reaches_anything(victim_world):
    victim, decision, ids, revoked_coach = victim_world
    owner = Client()
    owner.force_login(victim)
    assert CANARY in owner.get(decision.get_absolute_url()).content.decode()  # positive control
    log_before = LogEntry.objects.count()
    routes = [
        (name, reverse(name, kwargs={k: ids[k] for k in names}))
        for name, names in _patterns()
        if ID_NAMES & names
    ]
    assert len(routes) >= 30
    tried = 0
    for who, client in _intruders(revoked_coach).items():
        for name, url in routes:
            for method in ("get", "post"):
                for headers in ({}, {"HX-Request": "true"}):
                    response = getattr(client, method)(url, {"title": "x"}, headers=headers)
                    tried += 1
                    assert CANARY.encode() not in response.content, (who, name, method)
                    if who == "anonymous" and response.status_code == HTTPStatus.FOUND:
                        assert response.url.startswith(reverse("account_login")), (name, method)
                        continue
                    if response.status_code == HTTPStatus.METHOD_NOT_ALLOWED:
                        continue  # refused on the method alone, before any lookup
                    assert response.status_code == HTTPStatus.NOT_FOUND, (
                        who,
                        name,
                        method,
                        response.status_code,
                    )
    assert tried >= 30 * 16
    assert LogEntry.objects.count() == log_before
    # Nor did the revoked coach remove their note or withdraw their homework.
    assert CoachNote.objects.filter(pk=ids["note_id"]).exists()
    assert Homework.objects.get(pk=ids["homework_id"]).is_pending
    decision.refresh_from_db()
    assert decision.title.startswith(CANARY)


def test_an_offer_id_of_someone_else_in_a_form_is_refused(
    owner_client: Client, decision, victim_world
):
    _, victim_decision, ids, _ = victim_world
    OfferFactory(decision=decision)
    response = owner_client.post(
        reverse("decisions:decide", args=[decision.pk]),
        {"chosen_offer": ids["offer_id"], "why": "x", "confidence": "50"},
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    weights = {f"weight-{c.pk}": 50 for c in decision.criteria.all()}
    weights[f"weight-{ids['criterion_id']}"] = 99
    owner_client.post(reverse("decisions:criteria", args=[decision.pk]), weights)
    assert victim_decision.criteria.filter(weight=99).count() == 0


def test_no_get_writes_a_log_entry(victim_world):
    """A GET can come from a link on any site with the user's cookie, or a prefetch: it
    must not add to a log nobody can edit (downloads used to log one entry per GET)."""
    victim, _, ids, _ = victim_world
    owner = Client()
    owner.force_login(victim)
    routes = [
        (name, reverse(name, kwargs={k: ids[k] for k in names}))
        for name, names in _patterns()
        # The admin is read-only for every logged model (offerdesk/admin.py). allauth's
        # routes by key (confirmation links, authenticators) take keys this sweep has
        # not got; they touch no decision.
        if names <= set(ids) and not name.startswith("admin:")
    ]
    assert len(routes) >= 40
    before = LogEntry.objects.count()
    statuses = {}
    for name, url in routes:
        for headers in ({}, {"HX-Request": "true"}):
            statuses[name] = owner.get(url, headers=headers).status_code
    assert LogEntry.objects.count() == before, [
        (e.kind, e.summary)
        for e in LogEntry.objects.order_by("-pk")[: LogEntry.objects.count() - before]
    ]
    assert statuses["messaging:download"] == HTTPStatus.METHOD_NOT_ALLOWED
