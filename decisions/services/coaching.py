"""Writes of coaching: invitations, the access they grant, and a coach's comments.

The candidate's changes to who may read their decisions are part of each decision's
story, so every one of them is logged in each of the candidate's decisions, in the
same transaction as the change, as private entries: one coach does not read about
another. (A candidate with no decision yet has no log to write them in.)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from decisions.models import CoachGrant, CoachInvitation, Decision, LogEntry
from decisions.services.log import log_append
from offerdesk.accounts.models import User

INVITATION_LIFETIME = dt.timedelta(days=7)


def token_hash(token: str) -> str:
    """What is stored of an invitation token: its SHA-256, so a database leak opens nothing."""
    return hashlib.sha256(token.encode()).hexdigest()


def _log_for_client(
    *, client: User, author: User, kind: LogEntry.Kind, summary: str, data: dict[str, Any]
) -> int:
    """One entry in each of ``client``'s decisions; returns how many were written.

    Private: who else coaches the candidate, and at which address, is not for the
    eyes of every coach who reads the log.
    """
    written = 0
    for decision in Decision.objects.filter(owner=client).only("pk"):
        log_append(
            decision=decision, author=author, kind=kind, summary=summary, data=data, private=True
        )
        written += 1
    return written


@transaction.atomic
def invitation_create(
    *, client: User, email: str, hide_compensation: bool, accept_url: Callable[[str], str]
) -> tuple[CoachInvitation, str]:
    """Invite a coach by e-mail; returns the invitation and its token, to show once.

    The token is 256 random bits; only its hash is kept. The e-mail goes out after
    the transaction commits, through Django's mail backend.
    """
    token = secrets.token_urlsafe(32)
    invitation = CoachInvitation(
        client=client,
        email=email.strip(),
        token_hash=token_hash(token),
        hide_compensation=hide_compensation,
        expires_at=timezone.now() + INVITATION_LIFETIME,
    )
    invitation.full_clean()
    invitation.save()
    _log_for_client(
        client=client,
        author=client,
        kind=LogEntry.Kind.COACH_INVITED,
        summary=f"Invited {invitation.email} to read as a coach",
        data={
            "invitation": invitation.pk,
            "email": invitation.email,
            "hide_pay": hide_compensation,
        },
    )
    body = render_to_string(
        "decisions/coach_invitation_email.txt",
        {"client": client, "link": accept_url(token), "expires_at": invitation.expires_at},
    )
    subject = f"{client.display_name} invites you to read their job decision on Offerdesk"
    transaction.on_commit(lambda: send_mail(subject, body, None, [invitation.email]))
    return invitation, token


class InvitationError(ValidationError):
    """The link cannot be used: unknown, used, expired or withdrawn (one message for all)."""


INVITATION_UNUSABLE = (
    "This invitation link cannot be used: it may have expired, been used already or been "
    "withdrawn. Ask for a new one."
)


@transaction.atomic
def invitation_accept(*, token: str, coach: User) -> CoachGrant:
    """Turn a valid invitation into access for ``coach``; the link then stops working."""
    invitation = (
        CoachInvitation.objects.select_for_update()
        .select_related("client")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if invitation is None or not invitation.is_pending:
        raise InvitationError(INVITATION_UNUSABLE)
    if invitation.client_id == coach.pk:
        raise InvitationError("This is your own invitation: send the link to your coach.")
    grant = CoachGrant.objects.active().filter(
        client=invitation.client, coach=coach
    ).first() or CoachGrant(client=invitation.client, coach=coach)
    grant.hide_compensation = invitation.hide_compensation
    grant.save()
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = coach
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    _log_for_client(
        client=invitation.client,
        author=coach,
        kind=LogEntry.Kind.COACH_JOINED,
        summary=f"{coach.display_name} accepted the invitation and can read as a coach",
        data={"invitation": invitation.pk, "grant": grant.pk},
    )
    return grant


@transaction.atomic
def invitation_withdraw(*, invitation: CoachInvitation, actor: User) -> bool:
    """Make a pending invitation unusable; False (nothing written) if it was not pending."""
    current = CoachInvitation.objects.select_for_update().get(pk=invitation.pk)
    if not current.is_pending:
        return False
    current.revoked_at = timezone.now()
    current.save(update_fields=["revoked_at"])
    _log_for_client(
        client=current.client,
        author=actor,
        kind=LogEntry.Kind.COACH_INVITATION_WITHDRAWN,
        summary=f"Withdrew the invitation to {current.email}",
        data={"invitation": current.pk, "email": current.email},
    )
    return True


@transaction.atomic
def grant_revoke(*, grant: CoachGrant, actor: User) -> bool:
    """End a coach's access; their next request finds nothing. False if already ended."""
    current = CoachGrant.objects.select_for_update().select_related("coach").get(pk=grant.pk)
    if current.revoked_at is not None:
        return False
    current.revoked_at = timezone.now()
    current.save(update_fields=["revoked_at"])
    _log_for_client(
        client=current.client,
        author=actor,
        kind=LogEntry.Kind.COACH_REMOVED,
        summary=f"Ended {current.coach.display_name}’s access as a coach",
        data={"grant": current.pk},
    )
    return True


@transaction.atomic
def grant_update(*, grant: CoachGrant, actor: User, hide_compensation: bool) -> bool:
    """Hide or show the candidate's pay figures to one coach; False if already so."""
    current = CoachGrant.objects.select_for_update().select_related("coach").get(pk=grant.pk)
    if current.hide_compensation == hide_compensation:
        return False
    current.hide_compensation = hide_compensation
    current.save(update_fields=["hide_compensation"])
    state = "Hid pay figures from" if hide_compensation else "Showed pay figures to"
    _log_for_client(
        client=current.client,
        author=actor,
        kind=LogEntry.Kind.COACH_PAY_VISIBILITY,
        summary=f"{state} {current.coach.display_name}",
        data={
            "grant": current.pk,
            "changes": {"hide_pay": {"before": not hide_compensation, "after": hide_compensation}},
        },
    )
    return True


@transaction.atomic
def coach_comment_add(*, decision: Decision, coach: User, body: str) -> LogEntry:
    """A coach's comment or question, shown in the client's log; the only thing a coach writes."""
    body = body.strip()
    if not body:
        raise ValidationError({"body": "Write your comment first."})
    if len(body) > 4000:
        raise ValidationError({"body": "Keep a comment within 4,000 characters."})
    return log_append(
        decision=decision,
        author=coach,
        kind=LogEntry.Kind.COACH_COMMENT,
        summary=f"{coach.display_name} commented",
        body=body,
    )


def coach_visit_record(
    *, coach: User, when: dt.datetime, clients: Iterable[int] | None = None
) -> None:
    """Remember the coach's visit, for "new since your last visit" next time; with
    ``clients``, only those clients' decisions count as seen. Not logged: a visit
    changes nothing the candidate or the coach made."""
    grants = CoachGrant.objects.active().filter(coach=coach)
    if clients is not None:
        grants = grants.filter(client__in=clients)
    grants.update(last_seen_at=when)
