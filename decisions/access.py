"""Who may see what: every view that touches user data starts here.

Each getter starts from the decisions the user may see, so an id that belongs to
someone else is simply not found (a 404), never a 403 that would confirm it exists.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from decisions.models import Criterion, Decision, Offer
from offerdesk.accounts.models import User


def owned_decisions(user: User | AnonymousUser) -> QuerySet[Decision]:
    if not user.is_authenticated:
        return Decision.objects.none()
    return Decision.objects.filter(owner=user)


def get_owned_decision(user: User | AnonymousUser, decision_id: int) -> Decision:
    return get_object_or_404(owned_decisions(user), pk=decision_id)


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
