"""decisions/services/coaching.py: invitations, the access they grant, comments, visits.

Every change the candidate makes to who may read their decisions is logged once in
each of their decisions, and a call that changes nothing writes nothing.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from decisions import services
from decisions.models import CoachGrant, CoachInvitation, Decision, LogEntry
from offerdesk.accounts.models import User
from tests.factories import DecisionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_decisions(user: User, decision: Decision) -> list[Decision]:
    """The candidate's two decisions; a coaching change is logged in both."""
    return [decision, DecisionFactory(owner=user, title="Plan B")]


@pytest.fixture
def coach(db: None) -> User:
    return UserFactory(full_name="Cora Coach", email="coach@example.com")


def _invite(client: User, hide_compensation: bool = False) -> tuple[CoachInvitation, str]:
    return services.invitation_create(
        client=client,
        email=" coach@example.com ",
        hide_compensation=hide_compensation,
        accept_url=lambda token: f"http://testserver/coach/accept/{token}/",
    )


@pytest.fixture
def grant(user: User, coach: User, client_decisions: list[Decision]) -> CoachGrant:
    _, token = _invite(user)
    return services.invitation_accept(token=token, coach=coach)


def _entries(kind: str) -> list[LogEntry]:
    return list(LogEntry.objects.filter(kind=kind).order_by("decision_id"))


def _logged_in(kind: str) -> list[int]:
    """The decisions with an entry of ``kind``, one id per entry."""
    return [entry.decision_id for entry in _entries(kind)]


def _ids(decisions: list[Decision]) -> list[int]:
    return sorted(d.pk for d in decisions)


def test_an_invitation_is_logged_once_in_each_of_the_clients_decisions(
    user: User, client_decisions: list[Decision], foreign_decision: Decision
):
    invitation, token = _invite(user, hide_compensation=True)
    assert _logged_in("coach_invited") == _ids(client_decisions)
    entry = _entries("coach_invited")[0]
    assert entry.author == user
    assert entry.data == {
        "invitation": invitation.pk,
        "email": "coach@example.com",
        "hide_pay": True,
    }
    assert invitation.token_hash == services.token_hash(token)
    assert token not in str(CoachInvitation.objects.values().get())


def test_a_client_without_decisions_can_invite_and_nothing_is_logged(user: User):
    invitation, _ = _invite(user)
    assert invitation.is_pending
    assert not LogEntry.objects.exists()


def test_an_invitation_expires_after_its_lifetime(user: User):
    invitation, _ = _invite(user)
    lifetime = invitation.expires_at - invitation.created_at
    assert abs(lifetime - services.INVITATION_LIFETIME) < dt.timedelta(seconds=5)


def test_an_invalid_email_is_refused_and_nothing_is_logged(user: User, decision: Decision):
    with pytest.raises(ValidationError):
        services.invitation_create(
            client=user, email="not an email", hide_compensation=False, accept_url=str
        )
    assert not CoachInvitation.objects.exists()
    assert not LogEntry.objects.filter(kind="coach_invited").exists()


def test_accepting_grants_access_and_logs_in_each_decision(
    user: User, coach: User, client_decisions: list[Decision]
):
    invitation, token = _invite(user, hide_compensation=True)
    grant = services.invitation_accept(token=token, coach=coach)
    assert (grant.client, grant.coach, grant.hide_compensation, grant.is_active) == (
        user,
        coach,
        True,
        True,
    )
    invitation.refresh_from_db()
    assert (invitation.accepted_by, invitation.is_pending) == (coach, False)
    assert _logged_in("coach_joined") == _ids(client_decisions)
    entry = _entries("coach_joined")[0]
    assert entry.author == coach
    assert entry.data == {"invitation": invitation.pk, "grant": grant.pk}


def test_accepting_a_second_invitation_reuses_the_active_grant(
    user: User, coach: User, grant: CoachGrant
):
    _, token = _invite(user, hide_compensation=True)
    again = services.invitation_accept(token=token, coach=coach)
    assert again.pk == grant.pk
    assert CoachGrant.objects.count() == 1
    grant.refresh_from_db()
    assert grant.hide_compensation


def test_accepting_your_own_invitation_is_refused_and_logs_nothing(
    user: User, client_decisions: list[Decision]
):
    _, token = _invite(user)
    with pytest.raises(services.InvitationError, match="your own"):
        services.invitation_accept(token=token, coach=user)
    assert not CoachGrant.objects.exists()
    assert not LogEntry.objects.filter(kind="coach_joined").exists()


def test_withdrawing_logs_in_each_decision_and_then_writes_nothing(
    user: User, client_decisions: list[Decision]
):
    invitation, _ = _invite(user)
    assert services.invitation_withdraw(invitation=invitation, actor=user)
    assert not services.invitation_withdraw(invitation=invitation, actor=user)
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert _logged_in("coach_invitation_withdrawn") == _ids(client_decisions)
    assert _entries("coach_invitation_withdrawn")[0].data["email"] == "coach@example.com"


def test_withdrawing_an_accepted_invitation_changes_nothing(
    user: User, coach: User, client_decisions: list[Decision]
):
    invitation, token = _invite(user)
    services.invitation_accept(token=token, coach=coach)
    assert not services.invitation_withdraw(invitation=invitation, actor=user)
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
    assert not LogEntry.objects.filter(kind="coach_invitation_withdrawn").exists()


def test_withdrawing_reads_the_invitation_as_stored(user: User, client_decisions: list[Decision]):
    invitation, _ = _invite(user)
    invitation.revoked_at = timezone.now()  # in memory only: it is still pending
    assert services.invitation_withdraw(invitation=invitation, actor=user)
    assert len(_entries("coach_invitation_withdrawn")) == 2


def test_revoking_ends_access_logs_in_each_decision_and_then_writes_nothing(
    user: User, grant: CoachGrant, client_decisions: list[Decision]
):
    assert services.grant_revoke(grant=grant, actor=user)
    assert not services.grant_revoke(grant=grant, actor=user)
    grant.refresh_from_db()
    assert grant.revoked_at is not None
    assert not CoachGrant.objects.active().exists()
    assert _logged_in("coach_removed") == _ids(client_decisions)
    entry = _entries("coach_removed")[0]
    assert (entry.author, entry.data) == (user, {"grant": grant.pk})
    assert "Cora Coach" in entry.summary


def test_revoking_reads_the_grant_as_stored(user: User, grant: CoachGrant):
    grant.revoked_at = timezone.now()  # in memory only: the grant is still active
    assert services.grant_revoke(grant=grant, actor=user)
    assert not CoachGrant.objects.active().exists()


def test_hiding_and_showing_pay_logs_each_change_in_each_decision(
    user: User, grant: CoachGrant, client_decisions: list[Decision]
):
    assert services.grant_update(grant=grant, actor=user, hide_compensation=True)
    assert not services.grant_update(grant=grant, actor=user, hide_compensation=True)
    grant.refresh_from_db()
    assert grant.hide_compensation
    assert services.grant_update(grant=grant, actor=user, hide_compensation=False)
    entries = _entries("coach_pay_visibility")
    assert sorted({e.decision_id for e in entries}) == _ids(client_decisions)
    assert len(entries) == 4
    changes = sorted(
        (e.data["changes"]["hide_pay"]["before"], e.data["changes"]["hide_pay"]["after"])
        for e in entries
    )
    assert changes == [(False, True), (False, True), (True, False), (True, False)]


def test_hiding_pay_compares_with_the_stored_grant(
    user: User, grant: CoachGrant, client_decisions: list[Decision]
):
    grant.hide_compensation = True  # in memory only
    assert services.grant_update(grant=grant, actor=user, hide_compensation=True)
    assert CoachGrant.objects.get(pk=grant.pk).hide_compensation
    assert len(_entries("coach_pay_visibility")) == len(client_decisions)


def test_coaching_changes_are_never_logged_in_someone_elses_decisions(
    user: User, coach: User, grant: CoachGrant, foreign_decision: Decision
):
    services.grant_update(grant=grant, actor=user, hide_compensation=True)
    services.grant_revoke(grant=grant, actor=user)
    invitation, _ = _invite(user)
    services.invitation_withdraw(invitation=invitation, actor=user)
    assert list(foreign_decision.log_entries.values_list("kind", flat=True)) == ["decision_created"]


def test_a_coach_comment_is_logged_as_the_coach(decision: Decision, coach: User):
    entry = services.coach_comment_add(decision=decision, coach=coach, body="  Why Acme?  ")
    assert (entry.kind, entry.author, entry.body, entry.private) == (
        "coach_comment",
        coach,
        "Why Acme?",
        False,
    )
    assert entry.summary == "Cora Coach commented"


@pytest.mark.parametrize("body", ["", "   ", "x" * 4001])
def test_an_empty_or_overlong_comment_is_refused(decision: Decision, coach: User, body: str):
    with pytest.raises(ValidationError) as refused:
        services.coach_comment_add(decision=decision, coach=coach, body=body)
    assert set(refused.value.error_dict) == {"body"}
    assert not LogEntry.objects.filter(kind="coach_comment").exists()


def test_a_visit_marks_active_grants_seen_and_logs_nothing(coach: User, grant: CoachGrant):
    other_client = UserFactory()
    revoked = CoachGrant.objects.create(client=other_client, coach=coach, revoked_at=timezone.now())
    log_before = LogEntry.objects.count()
    when = timezone.now()
    services.coach_visit_record(coach=coach, when=when)
    grant.refresh_from_db()
    revoked.refresh_from_db()
    assert (grant.last_seen_at, revoked.last_seen_at) == (when, None)
    assert LogEntry.objects.count() == log_before


def test_a_visit_to_some_clients_marks_only_theirs(coach: User, grant: CoachGrant):
    second = CoachGrant.objects.create(client=UserFactory(), coach=coach)
    when = timezone.now()
    services.coach_visit_record(coach=coach, when=when, clients=[second.client_id])
    grant.refresh_from_db()
    second.refresh_from_db()
    assert (grant.last_seen_at, second.last_seen_at) == (None, when)


def test_a_visit_marks_no_other_coachs_grants(coach: User, grant: CoachGrant, user: User):
    other_coach = UserFactory()
    other = CoachGrant.objects.create(client=user, coach=other_coach)
    services.coach_visit_record(coach=coach, when=timezone.now())
    other.refresh_from_db()
    assert other.last_seen_at is None


def test_coaching_entries_are_private_so_one_coach_never_reads_of_another(
    user: User, client_decisions: list[Decision], coach: User
):
    _invitation, token = _invite(user)
    services.invitation_accept(token=token, coach=coach)
    second, _ = services.invitation_create(
        client=user, email="second@example.com", hide_compensation=False, accept_url=str
    )
    services.invitation_withdraw(invitation=second, actor=user)
    coaching = LogEntry.objects.filter(kind__startswith="coach_").exclude(kind="coach_comment")
    assert coaching.count() == 4 * len(
        client_decisions
    )  # two invitations, one accepted, one withdrawn
    assert not coaching.for_coach().exists()
    shared_text = " ".join(LogEntry.objects.for_coach().values_list("summary", flat=True))
    assert "second@example.com" not in shared_text
