"""The data set ``make bench`` measures, built inside Django.

``python -m bench.data subjects`` makes the accounts the endpoints are measured with:
a candidate whose decision has 10 offers x 8 criteria, all rated, with a decline
letter drafted; a second decision with 1,000 log entries; a coach with 200 clients.
``python -m bench.data filler N`` adds N other candidates, each with one decision,
10 rated offers and 10 log entries, so the database can be grown 100-fold between
two runs. It prints the ids the load generator needs as JSON.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from decimal import Decimal

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "offerdesk.settings")
django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.utils import timezone  # noqa: E402

from decisions import kinds, services  # noqa: E402
from decisions.models import (  # noqa: E402
    CoachGrant,
    Criterion,
    Decision,
    LogEntry,
    Offer,
    Rating,
)
from messaging import services as messaging_services  # noqa: E402
from messaging.compose import Choices, Parties, compose  # noqa: E402
from offerdesk.accounts.models import User  # noqa: E402

PASSWORD = "bench-password"
COMPANIES = [
    "Northwind",
    "Fjord Health",
    "Lumen Bank",
    "Acme",
    "Globex",
    "Initech",
    "Umbrella",
    "Hooli",
    "Vandelay",
    "Stark Industries",
]
EXTRA_CRITERIA = [
    ("Growth", kinds.RATING, 15, "", None, None),
    ("Commute", kinds.AMOUNT_LOW, 10, "minutes", Decimal(90), Decimal(10)),
    ("Learning budget", kinds.AMOUNT, 5, "EUR", Decimal(0), Decimal(3000)),
]
FILLER_BATCH = 500


def _user(username: str, **extra: object) -> User:
    user, _ = User.objects.get_or_create(
        username=username,
        defaults={"email": f"{username}@bench.example", "full_name": username.title(), **extra},
    )
    user.set_password(PASSWORD)
    user.save()
    return user


@transaction.atomic
def subjects() -> dict[str, int]:
    candidate = _user("bench", postal_address="1 Bench Street\nBerlin", signature="B. Bench")
    decision = services.decision_create(
        owner=candidate, data=services.DecisionData(title="Ten offers", base_currency="EUR")
    )
    for name, kind, weight, unit, floor, target in EXTRA_CRITERIA:
        services.criterion_add(
            decision=decision,
            actor=candidate,
            data=services.CriterionData(
                name=name, kind=kind, weight=weight, unit=unit, floor=floor, target=target
            ),
        )
    offers = [
        services.offer_create(
            decision=decision,
            actor=candidate,
            data=services.OfferData(
                company=company,
                role="Backend Engineer",
                currency="EUR",
                base_salary=Decimal(70_000 + 4_000 * n),
                bonus=Decimal(1_000 * n),
                recruiter_name="Alex Recruiter",
                response_deadline=timezone.localdate() + dt.timedelta(days=10 + n),
            ),
        )
        for n, company in enumerate(COMPANIES)
    ]
    criteria = [c for c in decision.criteria.all() if c.kind_spec.has_cell]
    cells = [
        services.RatingInput(
            offer_id=offer.pk,
            criterion_id=criterion.pk,
            value=Decimal((n * 3 + i) % 11)
            if criterion.kind_spec.fixed_scale
            else Decimal(15 + 7 * ((n + i) % 10)),
            note=f"Note {n}-{i}",
        )
        for n, offer in enumerate(offers)
        for i, criterion in enumerate(criteria)
    ]
    services.ratings_save(decision=decision, actor=candidate, cells=cells)
    declined = offers[1]
    choices = Choices(medium="letter", tone="formal", reason_choice="culture")
    parties = Parties(
        sender_name=candidate.full_name,
        signature=candidate.signature,
        company=declined.company,
        role=declined.role,
        recipient_name="Alex Recruiter",
    )
    draft = compose(choices, parties)
    messaging_services.message_save(
        offer=declined,
        actor=candidate,
        choices=choices,
        recipient_name="Alex Recruiter",
        subject=draft.subject,
        body=draft.body,
        edited=False,
    )

    long_log = services.decision_create(
        owner=candidate, data=services.DecisionData(title="A long search")
    )
    now = timezone.now()
    LogEntry.objects.bulk_create(
        LogEntry(
            decision=long_log,
            author=candidate,
            kind=LogEntry.Kind.REFLECTION,
            summary=f"Reflection {n}",
            body=f"Thinking out loud, day {n}.",
            created_at=now - dt.timedelta(hours=n),
        )
        for n in range(1, 1000)
    )

    coach = _user("bench-coach")
    hashed = make_password(PASSWORD)
    clients = User.objects.bulk_create(
        User(username=f"client-{n}", email=f"client-{n}@bench.example", password=hashed)
        for n in range(200)
    )
    for client in clients:
        services.decision_create(
            owner=client, data=services.DecisionData(title=f"{client.username}'s search")
        )
    CoachGrant.objects.bulk_create(CoachGrant(client=client, coach=coach) for client in clients)
    return {
        "compare": decision.pk,
        "declined_offer": declined.pk,
        "timeline": long_log.pk,
        "timeline_entries": long_log.log_entries.count(),
        "criteria": [c.pk for c in decision.criteria.all()],
        "clients": CoachGrant.objects.filter(coach=coach).count(),
    }


def filler(count: int) -> dict[str, int]:
    """``count`` more candidates with 10 offers, 5 criteria, 50 ratings, 10 log entries."""
    hashed = make_password(PASSWORD)
    start = User.objects.filter(username__startswith="filler-").count()
    for first in range(start, start + count, FILLER_BATCH):
        last = min(first + FILLER_BATCH, start + count)
        with transaction.atomic():
            users = User.objects.bulk_create(
                User(username=f"filler-{n}", email=f"filler-{n}@bench.example", password=hashed)
                for n in range(first, last)
            )
            decisions = Decision.objects.bulk_create(
                Decision(owner=user, title="Filler search", base_currency="EUR") for user in users
            )
            criteria = Criterion.objects.bulk_create(
                Criterion(decision=d, name=name, kind=kind, weight=20, position=i)
                for d in decisions
                for i, (name, kind) in enumerate(
                    [
                        ("Salary", "total_comp"),
                        ("Culture", "rating"),
                        ("Role clarity", "rating"),
                        ("Work-life balance", "rating"),
                        ("Location", "rating"),
                    ]
                )
            )
            offers = Offer.objects.bulk_create(
                Offer(
                    decision=d,
                    company=f"Company {n}",
                    role="Engineer",
                    currency="EUR",
                    base_salary=Decimal(60_000 + n * 1000),
                )
                for d in decisions
                for n in range(10)
            )
            by_decision: dict[int, list[Criterion]] = {}
            for criterion in criteria:
                by_decision.setdefault(criterion.decision_id, []).append(criterion)
            Rating.objects.bulk_create(
                Rating(offer=offer, criterion=c, value=Decimal(offer.pk % 11))
                for offer in offers
                for c in by_decision[offer.decision_id]
                if c.kind_spec.fixed_scale
            )
            LogEntry.objects.bulk_create(
                LogEntry(
                    decision=d,
                    author=d.owner,
                    kind=LogEntry.Kind.REFLECTION,
                    summary=f"Note {n}",
                    body="Filler",
                )
                for d in decisions
                for n in range(10)
            )
    return {
        "users": User.objects.count(),
        "offers": Offer.objects.count(),
        "log_entries": LogEntry.objects.count(),
        "decisions_per_owner_max": Decision.objects.values("owner")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("n", flat=True)
        .first()
        or 0,
    }


def analyze() -> None:
    """Fresh planner statistics after a bulk load, as PostgreSQL's autovacuum would
    gather them on a live server (SQLite's planner needs none here)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


if __name__ == "__main__":
    what = sys.argv[1]
    result = subjects() if what == "subjects" else filler(int(sys.argv[2]))
    analyze()
    print(json.dumps(result))
