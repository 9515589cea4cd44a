"""Writes of coaching: invitations, the access they grant, a coach's comments and
the threads they open, and a coach's own notes.

The candidate's changes to who may read their decisions are part of each decision's
story, so every one of them is logged in each of the candidate's decisions, in the
same transaction as the change, as private entries: one coach does not read about
another. (A candidate with no decision yet has no log to write them in.)
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Iterable
from typing import Any

from allauth.account.models import EmailAddress
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import urlencode

from decisions.models import (
    CoachGrant,
    CoachInvitation,
    CoachNote,
    Decision,
    LogEntry,
    token_hash,
)
from decisions.services.log import log_append
from offerdesk import mail
from offerdesk.accounts import throttle
from offerdesk.accounts.models import User
from offerdesk.accounts.services import has_verified_email
from offerdesk.validators import one_line

INVITATION_LIFETIME = dt.timedelta(days=7)


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


MAILED_SALT = "offerdesk.coach-invitation.mailed"
ADDRESS_NOT_CONFIRMED = (
    "Confirm your own address before you invite a coach: follow the link we mailed you, "
    "or have it sent again from the note above."
)


def invitation_create(
    *, client: User, email: str, hide_compensation: bool, accept_url: Callable[[str], str]
) -> tuple[CoachInvitation, str]:
    """Invite a coach by e-mail; returns the invitation and its token, to show once.

    Limited per candidate and per invited address (``throttle.Throttled``, nothing
    saved), so Offerdesk cannot be used to send mail to strangers in bulk. The
    invitation, its log entries and its mail are one transaction: the mail is queued
    (``offerdesk.mail``) and leaves once the invitation is saved. A mail server that is
    down delays the mail, which is retried, and never undoes the invitation; its link
    is also returned, for the candidate to see once.

    The token is 256 random bits; only its hash is kept.
    """
    token = secrets.token_urlsafe(32)
    invitation = CoachInvitation(
        client=client,
        email=email.strip(),
        token_hash=token_hash(token),
        hide_compensation=hide_compensation,
        expires_at=timezone.now() + INVITATION_LIFETIME,
    )
    if not has_verified_email(client):
        # The coach reads the candidate's name and decisions on the strength of this
        # mail: it must come from an address we know is theirs.
        raise ValidationError(ADDRESS_NOT_CONFIRMED, code="address_not_confirmed")
    invitation.full_clean()
    # Spent outside the transaction: a limit holds only if each use is committed where
    # racing requests see it (throttle.py).
    throttle.spend_all(
        (throttle.INVITATIONS_PER_USER, str(client.pk)),
        (throttle.INVITATIONS_PER_ADDRESS, invitation.email),
    )
    # The name is one line since names were first checked; an older one may not be.
    name = one_line(client.display_name)
    subject = f"{name} invites you to read their job decision on Offerdesk"
    with transaction.atomic():
        invitation.save()
        # The mailed link carries a proof that it came from the mailbox; the link the
        # candidate is shown does not, so only the mailed one confirms the address.
        mailed = urlencode({"mailed": signing.dumps(invitation.pk, salt=MAILED_SALT)})
        body = render_to_string(
            "decisions/coach_invitation_email.txt",
            {
                "name": name,
                "link": f"{accept_url(token)}?{mailed}",
                "expires_at": invitation.expires_at,
            },
        )
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
        mail.send(EmailMessage(subject, body, to=[invitation.email]))
    return invitation, token


class InvitationError(ValidationError):
    """The link cannot be used: unknown, used, expired or withdrawn (one message for all)."""


INVITATION_UNUSABLE = (
    "This invitation link cannot be used: it may have expired, been used already or been "
    "withdrawn. Ask for a new one."
)


INVITATION_FOR_SOMEONE_ELSE = (
    "This invitation was sent to another e-mail address than your account's. Log in "
    "with the account that uses the invited address, or ask for an invitation to yours."
)


@transaction.atomic
def invitation_accept(*, token: str, coach: User, mailed: str = "") -> CoachGrant:
    """Turn a valid invitation into access for ``coach``; the link then stops working.

    ``mailed`` is the proof the mailed link carries (``invitation_create``): with it,
    the link came from the invited mailbox, and the address becomes confirmed on the
    coach's account. The link the candidate was shown has none, and confirms nothing.
    """
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
    if not invitation.is_for(coach):
        raise InvitationError(INVITATION_FOR_SOMEONE_ELSE, code="someone_else")
    if _came_by_mail(mailed, invitation):
        _confirm_address(coach, invitation.email)
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


def _came_by_mail(mailed: str, invitation: CoachInvitation) -> bool:
    try:
        return signing.loads(mailed, salt=MAILED_SALT) == invitation.pk
    except signing.BadSignature:
        return False


def _confirm_address(coach: User, email: str) -> None:
    """The mailed invitation reached ``email`` and its link came back: the address is
    the coach's. It becomes confirmed as their account's address, unless it is not
    that address (a change in progress has its own confirmation) or another account
    confirmed it first (only one can)."""
    if coach.email.casefold() != email.strip().casefold():
        return
    if EmailAddress.objects.filter(email__iexact=email, verified=True).exclude(user=coach).exists():
        return
    address = EmailAddress.objects.filter(user=coach, email__iexact=coach.email).first()
    if address is None:
        address = EmailAddress(user=coach, email=coach.email.lower(), primary=True)
    address.verified = True
    address.save()


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


COMMENT_MAX = 4000


def _post_text(body: str, *, what: str) -> str:
    body = body.strip()
    if not body:
        raise ValidationError({"body": f"Write your {what} first."})
    if len(body) > COMMENT_MAX:
        raise ValidationError({"body": f"Keep your {what} within 4,000 characters."})
    return body


# What a comment can be about, besides the decision as a whole (``about`` ""): the
# ranking, one offer ("offer:<id>") or one shared log entry ("entry:<id>"), a letter's
# included (an employer message is a log entry).
ABOUT_RANKING = "ranking"


def askable_entries(decision: Decision) -> QuerySet[LogEntry]:
    """The entries of ``decision`` a coach may ask about: shared ones, not the threads
    themselves (a follow-up goes in the thread)."""
    return decision.log_entries.for_coach().exclude(
        kind__in=(LogEntry.Kind.COACH_COMMENT, LogEntry.Kind.ANSWER)
    )


def comment_about(decision: Decision, about: str) -> dict[str, Any]:
    """What ``about`` names in ``decision``, as the comment's data keeps it (kind, id
    and the words to show for it, as they stood), or ValidationError. Only what a coach
    may read can be named: an entry the candidate kept private is not found."""
    if not about:
        return {}
    if about == ABOUT_RANKING:
        return {"kind": ABOUT_RANKING, "label": "the ranking"}
    kind, _, pk = about.partition(":")
    if pk.isdigit():
        if kind == "offer":
            offer = decision.offers.filter(pk=pk).first()
            if offer is not None:
                return {"kind": kind, "pk": offer.pk, "label": f"{offer.company} ({offer.role})"}
        if kind == "entry":
            entry = askable_entries(decision).filter(pk=pk).first()
            if entry is not None:
                return {"kind": kind, "pk": entry.pk, "label": entry.summary}
    raise ValidationError({"about": "That is no longer part of this decision."})


@transaction.atomic
def coach_comment_add(
    *, decision: Decision, coach: User, body: str, about: str = "", asks: bool = False
) -> LogEntry:
    """A coach's comment, shown in the client's log: the start of a thread the client
    can answer (``thread_answer``). ``asks``, a question, waits for an answer."""
    body = _post_text(body, what="comment" if not asks else "question")
    data: dict[str, Any] = {}
    target = comment_about(decision, about)
    if target:
        data["about"] = target
    if asks:
        data["asks"] = True
    verb = "asked" if asks else "commented"
    return log_append(
        decision=decision,
        author=coach,
        kind=LogEntry.Kind.COACH_COMMENT,
        summary=f"{coach.display_name} {verb}" + (f" on {target['label']}" if target else ""),
        body=body,
        data=data,
    )


@transaction.atomic
def thread_answer(*, thread: LogEntry, author: User, body: str) -> LogEntry:
    """A post in the thread a coach's comment opened: the client's answer, or a coach's
    follow-up. Shared, as the comment is: a thread is a conversation with the coach."""
    if thread.kind != LogEntry.Kind.COACH_COMMENT:
        raise ValidationError("Only a coach's comment can be answered.")
    body = _post_text(body, what="answer")
    decision = thread.decision
    what = "question" if thread.data.get("asks") else "comment"
    if author.pk == decision.owner_id:
        opener = thread.author.display_name if thread.author else "the coach"
        summary = f"{author.display_name} answered {opener}’s {what}"
    else:
        summary = f"{author.display_name} followed up on the {what}"
    return log_append(
        decision=decision,
        author=author,
        kind=LogEntry.Kind.ANSWER,
        summary=summary,
        body=body,
        thread=thread,
    )


@transaction.atomic
def coach_note_add(*, coach: User, client: User, body: str) -> CoachNote:
    """A coach's own note on a client; not logged: the client's story is not where it goes."""
    note = CoachNote(coach=coach, client=client, body=_post_text(body, what="note"))
    note.full_clean()
    note.save()
    return note


def coach_note_delete(*, note: CoachNote, coach: User) -> None:
    if note.coach_id != coach.pk:
        raise ValidationError("Only its author can remove a note.")
    note.delete()


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
