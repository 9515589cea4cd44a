from __future__ import annotations

from decimal import Decimal
from typing import Any

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from decisions import kinds, services
from decisions.models import CoachGrant, Criterion, Decision, Homework, LogEntry, Offer
from offerdesk.accounts.models import User

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"candidate{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    full_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            obj.save(update_fields=["password"])

    @factory.post_generation
    def email_confirmed(obj, create: bool, extracted: Any, **kwargs: Any) -> None:
        """Its address is on record and confirmed, as for most accounts in use, unless
        another account confirmed it first (only one can); pass ``email_confirmed=False``
        for one that has not confirmed it (nothing on record)."""
        if create and extracted is not False and obj.email:
            taken = EmailAddress.objects.filter(email__iexact=obj.email, verified=True).exists()
            EmailAddress.objects.create(
                user=obj, email=obj.email.lower(), primary=True, verified=not taken
            )


class DecisionFactory(factory.django.DjangoModelFactory):
    """Builds through ``decision_create`` so a decision has its default criteria and log."""

    class Meta:
        model = Decision

    owner = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Job search {n}")
    base_currency = "EUR"

    @classmethod
    def _create(cls, model_class: type[Decision], *args: Any, **kwargs: Any) -> Decision:
        owner = kwargs.pop("owner")
        return services.decision_create(owner=owner, data=services.DecisionData(**kwargs))


class OfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offer

    decision = factory.SubFactory(DecisionFactory)
    company = factory.Sequence(lambda n: f"Company {n}")
    role = "Software Engineer"
    location = "Berlin"
    currency = factory.LazyAttribute(lambda o: o.decision.base_currency)
    base_salary = Decimal(80_000)
    status = Offer.Status.OPEN
    # A confirmed acceptance has the day it was confirmed in writing (the database
    # holds every offer to that); any other offer has none.
    confirmed_on = factory.LazyAttribute(
        lambda o: timezone.localdate() if o.status == Offer.Status.CONFIRMED else None
    )


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    decision = factory.SubFactory(DecisionFactory)
    name = factory.Sequence(lambda n: f"Criterion {n}")
    kind = kinds.RATING
    weight = 10
    position = 100


def coach_for(decision: Decision, **fields: Any) -> User:
    """A coach who reads ``decision``'s owner under a grant made here."""
    coach = UserFactory(**fields)
    CoachGrant.objects.create(client=decision.owner, coach=coach)
    return coach


def question_in(decision: Decision, body: str = "What matters most to you here?") -> LogEntry:
    """A coach's question in ``decision``, from a coach made for it."""
    return services.coach_comment_add(
        decision=decision, coach=coach_for(decision), body=body, asks=True
    )


def homework_in(decision: Decision, prompt: str = "Which offer would you miss?") -> Homework:
    """A question for homework in ``decision``, from a coach made for it."""
    return services.homework_set(
        decision=decision, coach=coach_for(decision), kind="question", prompt=prompt
    )
