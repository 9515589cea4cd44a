"""decisions/coach_views.py: inviting, accepting, the dashboard, the review, comments."""

from __future__ import annotations

import datetime as dt
import io
import re
import secrets
from decimal import Decimal
from http import HTTPStatus
from urllib.parse import unquote

import pytest
from allauth.account.models import EmailAddress
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.mail.backends.base import BaseEmailBackend
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from pypdf import PdfReader

from decisions import services
from decisions.models import CoachGrant, CoachInvitation, Decision, LogEntry
from offerdesk.accounts.models import Attempt, User
from tests.factories import DecisionFactory, OfferFactory, UserFactory, homework_in, question_in

pytestmark = pytest.mark.django_db


def _invite(client_user: User, email: str = "coach@example.com", **options) -> str:
    # Some tests invite one coach from more clients than a day's mail limit allows;
    # the limits have their own tests (tests/accounts/test_limits.py).
    Attempt.objects.all().delete()
    _, token = services.invitation_create(
        client=client_user,
        email=email,
        hide_compensation=options.get("hide_compensation", False),
        accept_url=lambda token: f"http://testserver/coach/accept/{token}/",
    )
    return token


@pytest.fixture
def coach(db) -> User:
    return UserFactory(username="coach", email="coach@example.com")


@pytest.fixture
def coach_client(coach: User) -> Client:
    """Its own browser: the candidate's client may be in the same test."""
    browser = Client()
    browser.force_login(coach)
    return browser


@pytest.fixture
def granted(user: User, coach: User, decision: Decision) -> CoachGrant:
    token = _invite(user)
    return services.invitation_accept(token=token, coach=coach)


def test_the_invitation_is_mailed_once_with_a_token_stored_only_as_a_hash(
    owner_client: Client, user: User
):
    response = owner_client.post(reverse("coach:access"), {"email": "coach@example.com"})
    assert response.status_code == HTTPStatus.FOUND
    assert len(mail.outbox) == 1
    link = owner_client.get(response.url).context_data["new_link"]
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert len(token) >= 43  # 32 random bytes, base64
    invitation = CoachInvitation.objects.get()
    assert invitation.token_hash == services.token_hash(token)
    assert token not in str(CoachInvitation.objects.values().get())
    assert len(mail.outbox) == 1
    assert link in mail.outbox[0].body
    assert mail.outbox[0].to == ["coach@example.com"]
    assert owner_client.get(reverse("coach:access")).context_data["new_link"] == ""


def test_ten_thousand_random_tokens_accept_no_invitation(user: User, coach: User):
    _invite(user)
    accepted = 0
    for _ in range(10_000):
        try:
            services.invitation_accept(token=secrets.token_urlsafe(32), coach=coach)
            accepted += 1
        except ValidationError:
            pass
    assert accepted == 0
    assert not CoachGrant.objects.exists()


def test_a_token_works_once(user: User, coach: User):
    token = _invite(user)
    services.invitation_accept(token=token, coach=coach)
    other = UserFactory()
    with pytest.raises(ValidationError, match="cannot be used"):
        services.invitation_accept(token=token, coach=other)
    assert CoachGrant.objects.count() == 1


def test_an_expired_token_is_refused(user: User, coach: User):
    token = _invite(user)
    CoachInvitation.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    with pytest.raises(ValidationError, match="cannot be used"):
        services.invitation_accept(token=token, coach=coach)


def test_a_withdrawn_token_is_refused(owner_client: Client, user: User, coach: User):
    token = _invite(user)
    invitation = CoachInvitation.objects.get()
    owner_client.post(reverse("coach:invitation_withdraw", args=[invitation.pk]))
    with pytest.raises(ValidationError, match="cannot be used"):
        services.invitation_accept(token=token, coach=coach)


def test_inviting_yourself_is_refused(owner_client: Client, user: User):
    response = owner_client.post(reverse("coach:access"), {"email": user.email.upper()})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "email" in response.context_data["form"].errors


def test_an_address_too_long_to_store_is_a_message_not_a_crash(owner_client: Client, user: User):
    address = "c" * 64 + "@" + ".".join(["d" * 60] * 4) + ".com"  # valid, but 313 characters
    response = owner_client.post(reverse("coach:access"), {"email": address})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "email" in response.context_data["form"].errors
    assert not CoachInvitation.objects.exists()


def test_a_new_coach_signs_up_from_the_link_and_accepts(
    client: Client, user: User, decision: Decision
):
    _invite(user)
    # The link from the mail, with its proof that it came from the mailbox.
    accept_url = re.search(r"http://testserver(/\S+)", mail.outbox[-1].body).group(1)
    assert "?mailed=" in accept_url
    landing = client.get(accept_url)
    assert b"Create an account" in landing.content
    signup = client.post(
        reverse("account_signup") + f"?next={accept_url}",
        {
            "username": "newcoach",
            "email": "coach@example.com",
            "password1": "a long coach passphrase",
            "password2": "a long coach passphrase",
        },
    )
    assert unquote(signup.url) == unquote(accept_url)
    coach = User.objects.get(username="newcoach")
    assert not EmailAddress.objects.get(user=coach).verified
    client.post(accept_url)
    assert CoachGrant.objects.get().coach == coach
    assert client.get(reverse("coach:review", args=[decision.pk])).status_code == HTTPStatus.OK
    # The mailed link reached the address and came back: the address is confirmed.
    assert EmailAddress.objects.get(user=coach).verified


def test_the_link_the_candidate_is_shown_confirms_no_address(client: Client, user: User):
    """The candidate sees the link too: an account they made with the coach's address
    may accept with it (they invited themselves), but the address stays unconfirmed, so
    the real coach can still confirm it, log in by it and reset by it."""
    token = _invite(user)
    squatter = UserFactory(email="coach@example.com", email_confirmed=False)
    EmailAddress.objects.create(user=squatter, email="coach@example.com", primary=True)
    client.force_login(squatter)
    shown = reverse("coach:accept", args=[token])
    assert client.post(shown).status_code == HTTPStatus.FOUND
    assert not EmailAddress.objects.filter(email="coach@example.com", verified=True).exists()


def test_a_forged_or_foreign_mail_proof_confirms_nothing(client: Client, user: User):
    token = _invite(user)
    other_token = _invite(UserFactory(), email="coach@example.com")
    other_proof = re.search(r"mailed=(\S+)", mail.outbox[-1].body).group(1)
    assert other_token != token
    coach = UserFactory(email="coach@example.com", email_confirmed=False)
    EmailAddress.objects.create(user=coach, email="coach@example.com", primary=True)
    client.force_login(coach)
    # A proof mailed for another invitation to the same address, then a forged one.
    for proof in (other_proof, "forged"):
        client.post(reverse("coach:accept", args=[token]) + f"?mailed={proof}")
    assert CoachGrant.objects.get(client=user).coach == coach
    assert not EmailAddress.objects.get(user=coach).verified


def test_inviting_a_coach_needs_a_confirmed_address(client: Client):
    candidate = UserFactory(email_confirmed=False)
    client.force_login(candidate)
    page = client.get(reverse("coach:access")).content.decode()
    assert "Before you invite a coach, confirm your own address" in page
    refused = client.post(reverse("coach:access"), {"email": "coach@example.com"})
    assert refused.status_code == HTTPStatus.BAD_REQUEST
    assert services.ADDRESS_NOT_CONFIRMED.split(":")[0] in refused.content.decode()
    assert not CoachInvitation.objects.exists()
    assert not mail.outbox
    EmailAddress.objects.create(user=candidate, email=candidate.email, primary=True, verified=True)
    assert client.post(reverse("coach:access"), {"email": "coach@example.com"}).status_code == 302
    assert "Before you invite" not in client.get(reverse("coach:access")).content.decode()


def test_an_invitation_is_accepted_only_from_an_account_holding_the_invited_address(
    client: Client, user: User
):
    token = _invite(user)
    client.force_login(UserFactory(email="someone.else@example.com"))
    refused = client.post(reverse("coach:accept", args=[token]))
    assert refused.status_code == HTTPStatus.FORBIDDEN
    assert not CoachGrant.objects.exists()
    # An account only changing to the invited address may not accept: the change's own
    # link decides whether the address is theirs. Once confirmed, it may.
    changing = UserFactory(email="old@example.com")
    pending = EmailAddress.objects.create(user=changing, email="coach@example.com", primary=False)
    client.force_login(changing)
    assert client.post(reverse("coach:accept", args=[token])).status_code == HTTPStatus.FORBIDDEN
    pending.verified = True
    pending.save()
    assert client.post(reverse("coach:accept", args=[token])).status_code == HTTPStatus.FOUND
    assert CoachGrant.objects.get().coach == changing


def test_the_invited_account_is_told_who_invites_and_no_one_else_is(client: Client, user: User):
    user.full_name = "Alex Morgan"
    user.save()
    token = _invite(user)
    url = reverse("coach:accept", args=[token])
    assert "Alex Morgan" not in client.get(url).content.decode()
    client.force_login(UserFactory(email="someone.else@example.com"))
    assert "Alex Morgan" not in client.get(url).content.decode()
    client.force_login(UserFactory(email="coach@example.com"))
    page = client.get(url).content.decode()
    assert "Alex Morgan would like you to read their job decisions" in page


def test_the_coach_reads_comments_and_the_candidate_sees_the_comment(
    coach_client: Client, owner_client: Client, granted, decision: Decision
):
    page = coach_client.get(reverse("coach:review", args=[decision.pk]))
    assert page.status_code == HTTPStatus.OK
    coach_client.post(
        reverse("coach:comment", args=[decision.pk]), {"body": "Why is culture at 20?"}
    )
    log = owner_client.get(reverse("decisions:log", args=[decision.pk])).content.decode()
    assert "Why is culture at 20?" in log
    assert decision.log_entries.get(kind="coach_comment").author.username == "coach"


def test_private_entries_never_reach_the_coach(
    coach_client: Client, granted, decision: Decision, user: User
):
    services.reflection_add(
        decision=decision, actor=user, kind="goal", body="PRIVATE-GOAL", private=True
    )
    services.reflection_add(decision=decision, actor=user, kind="goal", body="SHARED-GOAL")
    url = reverse("coach:review", args=[decision.pk])
    for query in ({}, {"kind": "goal"}, {"page": 2}):
        text = coach_client.get(url, query).content.decode()
        assert "PRIVATE-GOAL" not in text
    assert "SHARED-GOAL" in coach_client.get(url).content.decode()


def test_hidden_pay_figures_stay_hidden(
    coach_client: Client, granted, decision: Decision, user: User
):
    OfferFactory(decision=decision, company="Paycheck", base_salary=Decimal(123_456))
    grant = CoachGrant.objects.get()
    url = reverse("coach:review", args=[decision.pk])
    assert "€123,456" in coach_client.get(url).content.decode()
    services.grant_update(grant=grant, actor=user, hide_compensation=True)
    text = coach_client.get(url).content.decode()
    assert "123,456" not in text
    assert "123456" not in text
    assert "pay figures hidden" in text


def test_revoking_is_effective_on_the_coachs_next_request(
    coach_client: Client, owner_client: Client, granted, decision: Decision
):
    url = reverse("coach:review", args=[decision.pk])
    assert coach_client.get(url).status_code == HTTPStatus.OK
    owner_client.post(reverse("coach:grant_revoke", args=[granted.pk]))
    assert coach_client.get(url).status_code == HTTPStatus.NOT_FOUND
    assert (
        coach_client.post(reverse("coach:comment", args=[decision.pk]), {"body": "x"}).status_code
        == 404
    )


def _all_patterns(resolver=None, prefix=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{entry.namespace}:" if entry.namespace else ""
            yield from _all_patterns(entry, prefix + namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield prefix + entry.name, entry


def test_a_coach_can_write_nothing_of_the_clients(
    coach_client: Client, granted, decision: Decision
):
    offer = OfferFactory(decision=decision)
    ids = {
        "decision_id": decision.pk,
        "offer_id": offer.pk,
        "criterion_id": decision.criteria.first().pk,
        "file_format": "pdf",
        "purpose": "decline",
        # The client's own side of a thread and of homework is not the coach's to use.
        "thread_id": question_in(decision).pk,
        "homework_id": homework_in(decision).pk,
    }
    before = (LogEntry.objects.count(), decision.criteria.count(), decision.offers.count())
    checked = 0
    for name, pattern in _all_patterns():
        if not name.startswith(("decisions:", "messaging:")) or not pattern.pattern.converters:
            continue
        kwargs = {key: ids[key] for key in pattern.pattern.converters}
        response = coach_client.post(
            reverse(name, kwargs=kwargs), {"title": "x", "direction": "up"}
        )
        assert response.status_code in (HTTPStatus.NOT_FOUND, HTTPStatus.METHOD_NOT_ALLOWED), name
        checked += 1
    assert checked >= 24
    assert (LogEntry.objects.count(), decision.criteria.count(), decision.offers.count()) == before


def test_a_stranger_cannot_read_or_comment(client: Client, decision: Decision):
    stranger = UserFactory()
    client.force_login(stranger)
    assert (
        client.get(reverse("coach:review", args=[decision.pk])).status_code == HTTPStatus.NOT_FOUND
    )
    assert (
        client.post(reverse("coach:comment", args=[decision.pk]), {"body": "x"}).status_code == 404
    )


def test_the_candidate_manages_only_their_own_grants(client: Client, granted):
    stranger = UserFactory()
    client.force_login(stranger)
    assert client.post(reverse("coach:grant_revoke", args=[granted.pk])).status_code == 404
    granted.refresh_from_db()
    assert granted.revoked_at is None


def test_the_dashboard_shows_each_client_and_what_is_new(
    coach_client: Client, coach: User, granted, decision: Decision, user: User
):
    OfferFactory(decision=decision, response_deadline=timezone.localdate() + dt.timedelta(days=2))
    services.reflection_add(decision=decision, actor=user, kind="goal", body="new")
    services.reflection_add(decision=decision, actor=user, kind="goal", body="hidden", private=True)
    first = coach_client.get(reverse("coach:dashboard"))
    [row] = first.context_data["decisions"]
    assert row.new_entries == 1
    assert row.next_deadline == timezone.localdate() + dt.timedelta(days=2)
    second = coach_client.get(reverse("coach:dashboard"))
    assert second.context_data["decisions"][0].new_entries == 0


def test_the_dashboard_makes_the_same_queries_for_2_or_20_clients(
    coach_client: Client, coach: User, django_assert_max_num_queries
):
    counts = []
    for total in (2, 20):
        while CoachGrant.objects.filter(coach=coach).count() < total:
            candidate = UserFactory()
            DecisionFactory(owner=candidate)
            services.invitation_accept(token=_invite(candidate), coach=coach)
        with django_assert_max_num_queries(15) as captured:
            response = coach_client.get(reverse("coach:dashboard"))
        assert len(response.context_data["decisions"]) == total
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


def test_the_frozen_record_survives_later_rating_edits(decision: Decision, user: User):
    offer = OfferFactory(decision=decision)
    culture = decision.criteria.get(name="Culture")
    cell = services.RatingInput(offer_id=offer.pk, criterion_id=culture.pk, value=Decimal(6))
    services.ratings_save(decision=decision, actor=user, cells=[cell])
    services.decision_decide(
        decision=decision, actor=user, chosen_offer=offer, why="", confidence=50, review_on=None
    )
    frozen = Decision.objects.get(pk=decision.pk).decided_snapshot
    services.ratings_save(
        decision=decision,
        actor=user,
        cells=[services.RatingInput(offer_id=offer.pk, criterion_id=culture.pk, value=Decimal(2))],
    )
    assert Decision.objects.get(pk=decision.pk).decided_snapshot == frozen
    assert frozen["offers"][0]["ratings"]["Culture"]["value"] == "6"
    assert re.fullmatch(r"\d+(\.\d+)?", str(frozen["ranking"][0]["score"]))


def _pdf_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    # Text extraction may split a word where the font kerns it; compare without spaces.
    return "".join("".join(page.extract_text() for page in reader.pages).split())


def test_the_report_keeps_private_entries_for_the_candidate_only(
    owner_client: Client, coach_client: Client, granted, decision: Decision, user: User
):
    OfferFactory(decision=decision, company="Paycheck", base_salary=Decimal(123_456))
    services.reflection_add(
        decision=decision, actor=user, kind="goal", body="PRIVATEGOAL", private=True
    )
    services.reflection_add(decision=decision, actor=user, kind="goal", body="SHAREDGOAL")
    own = _pdf_text(owner_client.get(reverse("decisions:report", args=[decision.pk])))
    assert "PRIVATEGOAL" in own
    assert "SHAREDGOAL" in own
    assert "Paycheck" in own
    coached = _pdf_text(coach_client.get(reverse("coach:report", args=[decision.pk])))
    assert "PRIVATEGOAL" not in coached
    assert "SHAREDGOAL" in coached
    assert "123,456" in coached
    services.grant_update(grant=granted, actor=user, hide_compensation=True)
    hidden = _pdf_text(coach_client.get(reverse("coach:report", args=[decision.pk])))
    assert "123,456" not in hidden
    assert "payfiguresleftout" in hidden


def test_a_stranger_gets_no_report(client: Client, decision: Decision):
    client.force_login(UserFactory())
    assert (
        client.get(reverse("coach:report", args=[decision.pk])).status_code == HTTPStatus.NOT_FOUND
    )
    assert (
        client.get(reverse("decisions:report", args=[decision.pk])).status_code
        == HTTPStatus.NOT_FOUND
    )


def test_the_dashboard_pages_by_25_and_a_page_marks_only_its_own_clients_seen(
    coach_client: Client, coach: User
):
    for _ in range(30):
        candidate = UserFactory()
        decision = DecisionFactory(owner=candidate)
        services.invitation_accept(token=_invite(candidate), coach=coach)
        services.reflection_add(
            decision=decision, actor=candidate, kind="goal", body="Grow.", private=False
        )
    first = coach_client.get(reverse("coach:dashboard"))
    assert len(first.context_data["decisions"]) == 25
    assert 'aria-label="Pages of your clients"' in first.content.decode()
    second = coach_client.get(reverse("coach:dashboard"), {"page": 2})
    rows = second.context_data["decisions"]
    assert len(rows) == 5
    assert all(row.new_entries == 1 for row in rows)  # page 1 did not mark them seen
    again = coach_client.get(reverse("coach:dashboard"))
    assert all(row.new_entries == 0 for row in again.context_data["decisions"])
    assert coach_client.get(reverse("coach:dashboard"), {"page": "junk"}).status_code == 200


# Invitations that cannot half-happen, flood, or be taken by someone else (issue 13) ---


class _DownMailServer(BaseEmailBackend):
    """A mail backend whose server refuses the connection."""

    def send_messages(self, email_messages) -> int:
        raise ConnectionRefusedError("no mail server")


def test_an_invitation_whose_mail_fails_is_kept_and_the_page_answers_as_usual(
    owner_client: Client,
    user: User,
    decision: Decision,
    settings,
):
    # Here the task runs at once and fails; its retries are tests/test_mail.py's.
    settings.EMAIL_BACKEND = f"{__name__}._DownMailServer"
    response = owner_client.post(reverse("coach:access"), {"email": "coach@example.com"})
    assert response.status_code == HTTPStatus.FOUND
    assert not mail.outbox
    assert CoachInvitation.objects.get().is_pending
    assert LogEntry.objects.filter(kind="coach_invited").count() == 1
    page = owner_client.get(response.url)
    assert "Invitation to coach@example.com saved" in page.content.decode()
    assert page.context_data["new_link"].startswith("http://testserver/coach/accept/")


def test_a_name_stored_with_a_line_break_still_makes_a_one_line_subject(
    owner_client: Client, user: User
):
    User.objects.filter(pk=user.pk).update(full_name="Robin\r\nBcc: everyone@example.com")
    response = owner_client.post(reverse("coach:access"), {"email": "coach@example.com"})
    assert response.status_code == HTTPStatus.FOUND
    assert mail.outbox[0].subject.startswith("Robin Bcc: everyone@example.com invites you")
    assert mail.outbox[0].bcc == []


def test_reloading_after_inviting_sends_nothing_more(owner_client: Client, user: User):
    response = owner_client.post(
        reverse("coach:access"), {"email": "coach@example.com"}, follow=True
    )
    link = response.context_data["new_link"]
    assert link.startswith("http://testserver/coach/accept/")
    token = link.rstrip("/").rsplit("/", 1)[1]
    # Only the token's hash is stored: the link is not kept in the (database) session.
    assert not any(token in s.get_decoded().__repr__() for s in Session.objects.all())
    assert owner_client.get(reverse("coach:access")).context_data["new_link"] == ""
    assert len(mail.outbox) == CoachInvitation.objects.count() == 1


def test_ten_invitations_a_day_then_a_plain_429(owner_client: Client, user: User):
    for number in range(10):
        response = owner_client.post(reverse("coach:access"), {"email": f"c{number}@example.com"})
        assert response.status_code == HTTPStatus.FOUND
    refused = owner_client.post(reverse("coach:access"), {"email": "c10@example.com"})
    assert refused.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert b"10 coach invitations a day" in refused.content
    assert len(mail.outbox) == CoachInvitation.objects.count() == 10


def test_one_address_gets_at_most_five_invitations_a_day_from_anyone(db):
    senders = [UserFactory() for _ in range(6)]
    statuses = []
    for sender in senders:
        browser = Client()
        browser.force_login(sender)
        statuses.append(
            browser.post(reverse("coach:access"), {"email": "Target@Example.com"}).status_code
        )
    assert statuses == [HTTPStatus.FOUND] * 5 + [HTTPStatus.TOO_MANY_REQUESTS]


def test_only_the_invited_address_can_accept(user: User, decision: Decision, coach: User):
    token = _invite(user, email="Coach@Example.com")
    stranger = Client()
    stranger.force_login(UserFactory(email="someone.else@example.com"))
    page = stranger.get(reverse("coach:accept", args=[token]))
    assert page.status_code == HTTPStatus.FORBIDDEN
    assert "for someone else" in page.content.decode()
    assert "C…@Example.com" in page.content.decode()
    assert b"Accept the invitation" not in page.content
    assert stranger.post(reverse("coach:accept", args=[token])).status_code == HTTPStatus.FORBIDDEN
    with pytest.raises(ValidationError, match="another e-mail address"):
        services.invitation_accept(token=token, coach=UserFactory(email="x@example.com"))
    assert not CoachGrant.objects.exists()
    invited = Client()
    invited.force_login(coach)  # coach@example.com, in another case
    invited.post(reverse("coach:accept", args=[token]))
    assert CoachGrant.objects.get().coach == coach


def test_a_dead_link_says_so_before_any_button(user: User, decision: Decision, coach: User):
    token = _invite(user)
    browser = Client()
    browser.force_login(coach)
    made_up = browser.get(reverse("coach:accept", args=["madeUpToken123"]), follow=True)
    assert "cannot be used" in made_up.content.decode()
    assert b"Accept the invitation" not in made_up.content
    browser.post(reverse("coach:accept", args=[token]))
    again = browser.get(reverse("coach:accept", args=[token]), follow=True)
    assert "accepted this invitation already" in again.content.decode()
    assert b"Accept the invitation" not in again.content


def test_a_coach_whose_clients_have_no_decisions_is_not_told_they_have_no_clients(
    client: Client,
):
    coach = UserFactory()
    client.force_login(coach)
    left = CoachGrant.objects.create(client=UserFactory(), coach=coach, revoked_at=timezone.now())
    assert "No clients yet" in client.get(reverse("coach:dashboard")).content.decode()
    left.delete()
    CoachGrant.objects.create(client=UserFactory(), coach=coach)
    page = client.get(reverse("coach:dashboard")).content.decode()
    assert "No clients yet" not in page
    assert "No decisions to read yet" in page
