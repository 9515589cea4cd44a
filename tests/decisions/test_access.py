"""decisions/access.py: every getter starts from what the user may see.

tests/security/test_authorization.py tries every URL as every intruder; here each
function is checked on its own: a foreign id is a 404, a revoked grant closes access
at once, and an anonymous visitor sees nothing.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from decisions import access, services
from decisions.models import CoachGrant, CoachInvitation, Decision, Offer
from offerdesk.accounts.models import User
from tests.factories import DecisionFactory, OfferFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def coach(db: None) -> User:
    return UserFactory(email="coach@example.com")


@pytest.fixture
def grant(user: User, coach: User, decision: Decision) -> CoachGrant:
    _, token = services.invitation_create(
        client=user, email="coach@example.com", hide_compensation=False, accept_url=str
    )
    return services.invitation_accept(token=token, coach=coach)


@pytest.fixture
def invitation(user: User) -> CoachInvitation:
    invitation, _ = services.invitation_create(
        client=user, email="coach@example.com", hide_compensation=False, accept_url=str
    )
    return invitation


# Owners -----------------------------------------------------------------------------


def test_owned_decisions_are_the_users_own_only(
    user: User, decision: Decision, foreign_decision: Decision
):
    assert list(access.owned_decisions(user)) == [decision]


def test_the_owner_gets_their_decision_offer_and_criterion(user: User, offer: Offer):
    decision = offer.decision
    criterion = decision.criteria.first()
    assert access.get_owned_decision(user, decision.pk) == decision
    assert access.get_owned_offer(user, decision.pk, offer.pk) == offer
    assert access.get_owned_criterion(user, decision.pk, criterion.pk) == criterion


def test_another_users_decision_is_not_found(user: User, foreign_decision: Decision):
    with pytest.raises(Http404):
        access.get_owned_decision(user, foreign_decision.pk)


def test_another_users_offer_is_not_found_under_either_decision(
    user: User, decision: Decision, foreign_decision: Decision
):
    foreign_offer = foreign_decision.offers.get()
    for decision_id in (foreign_decision.pk, decision.pk):
        with pytest.raises(Http404):
            access.get_owned_offer(user, decision_id, foreign_offer.pk)


def test_another_users_criterion_is_not_found_under_either_decision(
    user: User, decision: Decision, foreign_decision: Decision
):
    foreign_criterion = foreign_decision.criteria.first()
    for decision_id in (foreign_decision.pk, decision.pk):
        with pytest.raises(Http404):
            access.get_owned_criterion(user, decision_id, foreign_criterion.pk)


def test_an_own_offer_or_criterion_is_not_found_under_another_own_decision(
    user: User, offer: Offer
):
    # The ids in a URL must agree with each other, not merely belong to the user.
    other = DecisionFactory(owner=user)
    with pytest.raises(Http404):
        access.get_owned_offer(user, other.pk, offer.pk)
    with pytest.raises(Http404):
        access.get_owned_criterion(user, other.pk, offer.decision.criteria.first().pk)


def test_an_unknown_id_is_not_found(user: User, decision: Decision):
    with pytest.raises(Http404):
        access.get_owned_decision(user, decision.pk + 1000)


# Coaches ----------------------------------------------------------------------------


def test_a_coach_reads_the_clients_decisions_with_the_grant_that_opens_them(
    user: User, coach: User, decision: Decision, grant: CoachGrant
):
    assert list(access.coached_decisions(coach)) == [decision]
    assert access.get_coached_decision(coach, decision.pk) == (decision, grant)


def test_a_coach_reads_no_other_users_decisions(
    coach: User, grant: CoachGrant, foreign_decision: Decision
):
    assert foreign_decision not in access.coached_decisions(coach)
    with pytest.raises(Http404):
        access.get_coached_decision(coach, foreign_decision.pk)


def test_a_coachs_own_decisions_are_not_coached(coach: User, grant: CoachGrant):
    own = DecisionFactory(owner=coach)
    assert own not in access.coached_decisions(coach)
    with pytest.raises(Http404):
        access.get_coached_decision(coach, own.pk)


def test_the_owner_is_not_their_own_coach(user: User, decision: Decision, grant: CoachGrant):
    with pytest.raises(Http404):
        access.get_coached_decision(user, decision.pk)


def test_a_coach_gets_no_owner_access(coach: User, decision: Decision, grant: CoachGrant):
    with pytest.raises(Http404):
        access.get_owned_decision(coach, decision.pk)


def test_a_revoked_grant_closes_access_at_once(
    user: User, coach: User, decision: Decision, grant: CoachGrant
):
    coached = access.coached_decisions(coach)
    assert decision in coached
    services.grant_revoke(grant=grant, actor=user)
    # The same queryset, evaluated again, is already empty: nothing is cached.
    assert list(coached.all()) == []
    assert list(access.active_grants(coach)) == []
    with pytest.raises(Http404):
        access.get_coached_decision(coach, decision.pk)


def test_revoking_one_client_leaves_the_others(
    user: User, coach: User, decision: Decision, grant: CoachGrant
):
    second_client = UserFactory()
    second_decision = DecisionFactory(owner=second_client)
    second = CoachGrant.objects.create(client=second_client, coach=coach)
    services.grant_revoke(grant=grant, actor=user)
    assert list(access.coached_decisions(coach)) == [second_decision]
    assert access.get_coached_decision(coach, second_decision.pk) == (second_decision, second)


def test_a_new_grant_after_a_revoked_one_opens_access_again(
    user: User, coach: User, decision: Decision, grant: CoachGrant
):
    services.grant_revoke(grant=grant, actor=user)
    renewed = CoachGrant.objects.create(client=user, coach=coach)
    assert access.get_coached_decision(coach, decision.pk) == (decision, renewed)


def test_active_grants_are_the_coachs_unrevoked_ones(user: User, coach: User, grant: CoachGrant):
    other_coach = UserFactory()
    CoachGrant.objects.create(client=user, coach=other_coach)
    assert list(access.active_grants(coach)) == [grant]
    assert list(access.active_grants(user)) == []


# Managing grants and invitations ----------------------------------------------------


def test_the_client_manages_their_grant_and_nobody_else_does(
    user: User, coach: User, grant: CoachGrant
):
    assert access.get_client_grant(user, grant.pk) == grant
    for somebody in (coach, UserFactory()):
        with pytest.raises(Http404):
            access.get_client_grant(somebody, grant.pk)


def test_the_client_still_finds_a_revoked_grant(user: User, grant: CoachGrant):
    services.grant_revoke(grant=grant, actor=user)
    assert access.get_client_grant(user, grant.pk) == grant


def test_the_client_manages_their_invitation_and_nobody_else_does(
    user: User, invitation: CoachInvitation
):
    assert access.get_client_invitation(user, invitation.pk) == invitation
    with pytest.raises(Http404):
        access.get_client_invitation(UserFactory(), invitation.pk)


# Anonymous visitors -----------------------------------------------------------------


def test_an_anonymous_visitor_sees_nothing(
    decision: Decision, grant: CoachGrant, invitation: CoachInvitation
):
    anonymous = AnonymousUser()
    offer = OfferFactory(decision=decision)
    criterion = decision.criteria.first()
    assert not access.owned_decisions(anonymous).exists()
    assert not access.coached_decisions(anonymous).exists()
    assert not access.active_grants(anonymous).exists()
    getters = [
        lambda: access.get_owned_decision(anonymous, decision.pk),
        lambda: access.get_owned_offer(anonymous, decision.pk, offer.pk),
        lambda: access.get_owned_criterion(anonymous, decision.pk, criterion.pk),
        lambda: access.get_coached_decision(anonymous, decision.pk),
        lambda: access.get_client_grant(anonymous, grant.pk),
        lambda: access.get_client_invitation(anonymous, invitation.pk),
    ]
    for getter in getters:
        with pytest.raises(Http404):
            getter()
