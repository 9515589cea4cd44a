"""Load the demo account: one decision, three offers, the default criteria, ratings.

The offers show how pay can be given: one in pounds at a rate of a given day, with
stock options; one paid in 14 monthly salaries where living costs more.

The data is chosen so that the compare page shows what it can say: a lead and where it
comes from, a weight that would put another offer first, the pay another would need,
and an unknown rating that could change the winner.

Safe to run again: an existing demo decision is left as it is.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from allauth.account.models import EmailAddress
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from decisions import services
from decisions.models import Decision
from offerdesk.accounts.models import User

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "offerdesk-demo"
DEMO_TITLE = "Spring 2027 job search"

OFFERS: list[dict[str, Any]] = [
    {
        "company": "Northwind Analytics",
        "role": "Senior Data Engineer",
        "location": "Berlin",
        "work_mode": "hybrid",
        "currency": "EUR",
        "base_salary": Decimal(92_000),
        "bonus": Decimal(8_000),
        "equity_per_year": Decimal(5_000),
        "benefits_value": Decimal(4_000),
        "deadline_in_days": 9,
        "recruiter_name": "Jana Krüger",
        "recruiter_email": "jana.kruger@northwind.example",
        "notes": "Team of six, reports to the head of data. Four-day on-call rotation.",
        "ratings": {
            "Culture": (8, "Warm interviews; they asked what I wanted to learn."),
            "Role clarity": (7, "Clear scope for year one, vague after that."),
            "Work-life balance": (7, "Two office days; on-call every sixth week."),
            "Location": (8, "25 minutes by train."),
        },
    },
    {
        "company": "Fjord Health",
        "role": "Staff Engineer, Platform",
        "location": "London (remote)",
        "work_mode": "remote",
        "currency": "GBP",
        "rate_to_base": Decimal("1.17"),
        "rate_days_ago": 3,
        "base_salary": Decimal(78_000),
        # Options at the last round's price of 12 a share, with a strike of 4: worth
        # two thirds of their face value, counted at the usual half of that.
        "equity_per_year": Decimal(9_000),
        "equity_kind": "options",
        "share_price": Decimal(12),
        "strike_price": Decimal(4),
        "signing_bonus": Decimal(5_000),
        "benefits_value": Decimal(2_500),
        "deadline_in_days": 5,
        "recruiter_name": "Tom Ellis",
        "recruiter_email": "tom.ellis@fjordhealth.example",
        "notes": "Series C, mission I care about. Equity is options at the last round's price.",
        "ratings": {
            "Culture": (9, "Mission-driven, candid engineering blog."),
            # Not known yet, and it could decide the matter: the page says so.
            "Role clarity": (None, "Staff title, platform team still forming: ask its scope."),
            "Work-life balance": (8, "Fully remote, async by default."),
            "Location": (9, "No commute at all."),
        },
    },
    {
        "company": "Lumen Bank",
        "role": "Lead Software Engineer",
        "location": "Amsterdam",
        "work_mode": "onsite",
        "currency": "EUR",
        # Paid in 14 salaries a year, as is the custom there: 105,000 in all.
        "salary_period": "monthly",
        "monthly_salary": Decimal(7_500),
        "salaries_per_year": 14,
        "bonus": Decimal(15_000),
        "signing_bonus": Decimal(10_000),
        "benefits_value": Decimal(6_000),
        # Amsterdam is dearer to live in than Berlin, by the candidate's own estimate.
        "cost_of_living": 115,
        "deadline_in_days": 14,
        "recruiter_name": "Sophie de Vries",
        "recruiter_email": "s.devries@lumenbank.example",
        "notes": "Relocation package offered. Five days on-site for the first six months.",
        "ratings": {
            "Culture": (5, "Formal, hierarchical; interviewers seemed tired."),
            "Role clarity": (9, "Detailed role description and a 90-day plan."),
            "Work-life balance": (5, "Long days mentioned twice."),
            "Location": (3, "Means moving country."),
        },
    },
]


# The days an offer gives as days from the day the demo is loaded, so that they keep
# to the forms' rules (a deadline to come, a rate's day passed) whenever that is.
DAYS_FROM_TODAY = ("deadline_in_days", "rate_days_ago")


class Command(BaseCommand):
    help = "Create the demo account with a sample decision (does nothing if it exists)."

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=DEMO_USERNAME).first()
        if user is None:
            user = User.objects.create_user(
                username=DEMO_USERNAME,
                email="demo@offerdesk.example",
                password=DEMO_PASSWORD,
                full_name="Alex Morgan",
                postal_address="Lindenstraße 12\n10969 Berlin\nGermany",
                phone="+49 30 1234 5678",
                signature="Alex Morgan\nData engineer · demo@offerdesk.example",
            )
            # The demo address is ours, so it counts as confirmed: the demo can invite
            # a coach without a mailbox to confirm it from.
            EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
        if Decision.objects.filter(owner=user, title=DEMO_TITLE).exists():
            self.stdout.write("The demo decision is already there; nothing to load.")
        else:
            self._load(user)
            self.stdout.write(self.style.SUCCESS("Loaded the demo decision with three offers."))
        self.stdout.write(f"Demo login: username “{DEMO_USERNAME}”, password “{DEMO_PASSWORD}”")

    def _load(self, user: User) -> None:
        decision = services.decision_create(
            owner=user,
            data=services.DecisionData(
                title=DEMO_TITLE,
                base_currency="EUR",
                goals=(
                    "Grow towards a staff or lead role within two years, keep evenings free, "
                    "and work on something I can explain proudly to friends."
                ),
            ),
        )
        criteria = {c.name: c for c in decision.criteria.all()}
        # Anchors make the pay score mean something on its own: below 80k is out.
        salary = criteria["Salary"]
        services.criterion_update(
            criterion=salary,
            actor=user,
            data=services.CriterionData(
                name=salary.name,
                kind=salary.kind,
                weight=salary.weight,
                floor=Decimal(80_000),
                target=Decimal(140_000),
            ),
        )
        today = timezone.localdate()
        cells = []
        for spec in OFFERS:
            fields = {k: v for k, v in spec.items() if k not in DAYS_FROM_TODAY and k != "ratings"}
            if "rate_days_ago" in spec:
                fields["rate_on"] = today - dt.timedelta(days=spec["rate_days_ago"])
            offer = services.offer_create(
                decision=decision,
                actor=user,
                data=services.OfferData(
                    response_deadline=today + dt.timedelta(days=spec["deadline_in_days"]),
                    **fields,
                ),
            )
            for name, (score, note) in spec["ratings"].items():
                cells.append(
                    services.RatingInput(
                        offer_id=offer.pk,
                        criterion_id=criteria[name].pk,
                        value=None if score is None else Decimal(score),
                        note=note,
                    )
                )
        services.ratings_save(decision=decision, actor=user, cells=cells)
