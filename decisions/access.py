"""Who may see what: every view that touches user data starts here.

Each getter starts from the decisions the user may see, so an id that belongs to
someone else is simply not found (a 404), never a 403 that would confirm it exists.
Owners read and write their own decisions (``owned_*``); a coach reads the
decisions of clients who granted access (``coached_*``) and writes nothing but
questions, comments, homework and their own notes, through their own views.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from decisions.models import (
    CoachGrant,
    CoachInvitation,
    CoachNote,
    Criterion,
    Decision,
    Homework,
    LogEntry,
    Offer,
)
from offerdesk.accounts.models import User


def owned_decisions(user: User | AnonymousUser) -> QuerySet[Decision]:
    if not user.is_authenticated:
        return Decision.objects.none()
    return Decision.objects.filter(owner=user)


def get_owned_decision(user: User | AnonymousUser, decision_id: int) -> Decision:
    decision = get_object_or_404(owned_decisions(user), pk=decision_id)
    decision.owner = user  # it is theirs: the pages that name the owner need no query
    return decision


def get_owned_offer(user: User | AnonymousUser, decision_id: int, offer_id: int) -> Offer:
    offers = Offer.objects.select_related("decision").filter(
        decision__in=owned_decisions(user), decision_id=decision_id
    )
    return get_object_or_404(offers, pk=offer_id)


def get_owned_criterion(
    user: User | AnonymousUser, decision_id: int, criterion_id: int
) -> Criterion:
    criteria = Criterion.objects.select_related("decision").filter(
        decision__in=owned_decisions(user), decision_id=decision_id
    )
    return get_object_or_404(criteria, pk=criterion_id)


def get_owned_thread(user: User | AnonymousUser, decision_id: int, thread_id: int) -> LogEntry:
    """A coach's comment in one of the user's own decisions, to answer it."""
    comments = LogEntry.objects.select_related("decision", "author").filter(
        decision__in=owned_decisions(user),
        decision_id=decision_id,
        kind=LogEntry.Kind.COACH_COMMENT,
    )
    return get_object_or_404(comments, pk=thread_id)


def get_owned_homework(user: User | AnonymousUser, decision_id: int, homework_id: int) -> Homework:
    rows = Homework.objects.select_related("decision").filter(
        decision__in=owned_decisions(user), decision_id=decision_id
    )
    return get_object_or_404(rows, pk=homework_id)


def active_grants(user: User | AnonymousUser) -> QuerySet[CoachGrant]:
    """The grants under which ``user`` coaches someone right now."""
    if not user.is_authenticated:
        return CoachGrant.objects.none()
    return CoachGrant.objects.active().filter(coach=user)


def coached_decisions(user: User | AnonymousUser) -> QuerySet[Decision]:
    """Decisions ``user`` may read as a coach: their active clients' decisions.

    Evaluated on every request, so a revoked grant closes the door at once.
    """
    return Decision.objects.filter(owner__in=active_grants(user).values("client"))


# What the 404 page says to a coach whose grant was revoked (templates/404.html reads
# it): no more than the coach knew before, and nothing of the decision.
ACCESS_WITHDRAWN = "Your access to this decision was withdrawn."


def _withdrawn(user: User | AnonymousUser, decision_id: int) -> bool:
    """Whether ``user`` coached the owner of ``decision_id`` under a grant now revoked,
    with none active: then they are told so instead of a bare "not found". A stranger,
    who never had a grant, learns nothing, not even that the decision exists."""
    if not user.is_authenticated:
        return False
    grants = CoachGrant.objects.filter(coach=user, client__decisions__pk=decision_id)
    return grants.exists() and not grants.filter(revoked_at__isnull=True).exists()


def get_coached_decision(
    user: User | AnonymousUser, decision_id: int
) -> tuple[Decision, CoachGrant]:
    """A client's decision and the grant that opens it to this coach, or a 404 (which
    says the access was withdrawn to a coach whose grant was revoked)."""
    decision = (
        coached_decisions(user).select_related("owner", "chosen_offer").filter(pk=decision_id)
    ).first()
    grant = active_grants(user).filter(client_id=decision.owner_id).first() if decision else None
    if decision is None or grant is None:  # or revoked between the two queries
        raise Http404(ACCESS_WITHDRAWN if _withdrawn(user, decision_id) else "No such decision.")
    return decision, grant


def get_client_grant(user: User | AnonymousUser, grant_id: int) -> CoachGrant:
    """A grant the candidate gave (to manage it), or a 404."""
    if not user.is_authenticated:
        raise Http404("No such coach.")
    return get_object_or_404(CoachGrant.objects.select_related("coach"), pk=grant_id, client=user)


def get_client_invitation(user: User | AnonymousUser, invitation_id: int) -> CoachInvitation:
    if not user.is_authenticated:
        raise Http404("No such invitation.")
    return get_object_or_404(CoachInvitation, pk=invitation_id, client=user)


def coached_thread(decision: Decision, thread_id: int) -> LogEntry:
    """A comment in ``decision`` (already opened by ``get_coached_decision``)."""
    comments = decision.log_entries.for_coach().filter(kind=LogEntry.Kind.COACH_COMMENT)
    thread = get_object_or_404(comments.select_related("author"), pk=thread_id)
    thread.decision = decision
    return thread


def coached_homework(decision: Decision, coach: User, homework_id: int) -> Homework:
    """Homework ``coach`` set in ``decision`` (already opened by
    ``get_coached_decision``): another coach's is not found."""
    homework = get_object_or_404(decision.homework.filter(coach=coach), pk=homework_id)
    homework.decision = decision
    return homework


def coached_note(decision: Decision, coach: User, note_id: int) -> CoachNote:
    """One of ``coach``'s own notes on the owner of ``decision`` (already opened by
    ``get_coached_decision``): another coach's notes are not found."""
    return get_object_or_404(CoachNote, coach=coach, client_id=decision.owner_id, pk=note_id)
