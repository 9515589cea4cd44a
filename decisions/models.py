from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from typing import TYPE_CHECKING

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from decisions import kinds
from decisions.compensation import (
    DEFAULT_VALUED_PERCENT,
    EQUITY_KINDS,
    HORIZON_YEARS,
    LEAVE_AFTER_MONTHS,
    MAX_CLIFF_MONTHS,
    SALARIES_PER_YEAR,
    VESTING_PRESETS,
    Package,
    annualised_total,
    first_year_total,
    guaranteed_total,
    guaranteed_totals,
    in_currency,
    living_adjusted,
    walk_away,
    yearly_totals,
)
from decisions.currencies import CURRENCY_CHOICES, CURRENCY_CODES
from decisions.kinds import MAX_AMOUNT
from decisions.scoring import MUST_HAVE_LOCATION, MUST_HAVE_WORK_MODE
from offerdesk.validators import single_line

if TYPE_CHECKING:
    from offerdesk.accounts.models import User

MAX_RATE = Decimal(1_000_000)
HALF_CENT = Decimal("0.005")

NOT_NEGATIVE = MinValueValidator(0, message="This can’t be negative.")
NOT_ABSURD = MaxValueValidator(
    MAX_AMOUNT, message="That is over 100,000,000: check for an extra zero."
)


def _amount_field(verbose_name: str, **kwargs) -> models.DecimalField:
    return models.DecimalField(
        verbose_name,
        max_digits=12,
        decimal_places=2,
        validators=[NOT_NEGATIVE, NOT_ABSURD],
        **kwargs,
    )


def _within(field: str, low: Decimal | int, high: Decimal | int) -> models.Q:
    return models.Q(**{f"{field}__gte": low, f"{field}__lte": high})


def _floor_inside_fixed_scales() -> models.Q:
    """A floor on a fixed scale lies above its bottom and at most its top; other kinds
    pass (their floor is checked by the amount range)."""
    condition = ~models.Q(kind__in=kinds.codes(anchors="fixed"))
    for code in kinds.codes(anchors="fixed"):
        low, high = kinds.get(code).fixed_scale  # type: ignore[misc]
        condition |= models.Q(kind=code, floor__gt=low, floor__lte=high)
    return condition


MAX_RULED_OUT_LOCATIONS = 50
# How big one decision may grow: far past any real choice (people weigh two to five
# offers on five to ten criteria), and small enough that the whole ratings grid is
# one form. Enforced by the services that add offers and criteria, and by the import.
MAX_OFFERS_PER_DECISION = 25
MAX_CRITERIA_PER_DECISION = 25


def place_name(text: str) -> str:
    """A location as a must-have keeps it: spaces tidied, its case as typed."""
    return " ".join(text.split())


def same_place(a: str, b: str) -> bool:
    """Two locations name the same place whatever their spacing and case."""
    return place_name(a).casefold() == place_name(b).casefold()


def validate_must_haves(value: object) -> None:
    """A decision's must-haves on offer facts: work modes from the offer's choices and
    location names, each listed once (``Decision.must_haves``)."""
    if not isinstance(value, dict) or set(value) - {MUST_HAVE_WORK_MODE, MUST_HAVE_LOCATION}:
        raise ValidationError("Deal-breakers name work modes and locations only.")
    modes = value.get(MUST_HAVE_WORK_MODE, [])
    if not isinstance(modes, list) or not set(modes) <= set(Offer.WorkMode.values):
        raise ValidationError("A ruled-out work mode must be on-site, hybrid or remote.")
    if len(set(modes)) != len(modes):
        raise ValidationError("Each work mode is ruled out once.")
    places = value.get(MUST_HAVE_LOCATION, [])
    if (
        not isinstance(places, list)
        or len(places) > MAX_RULED_OUT_LOCATIONS
        or not all(isinstance(p, str) and 0 < len(place_name(p)) <= 120 for p in places)
    ):
        raise ValidationError(
            f"Rule out at most {MAX_RULED_OUT_LOCATIONS} locations, each a name of up to "
            "120 characters."
        )
    if len({place_name(p).casefold() for p in places}) != len(places):
        raise ValidationError("Each location is ruled out once.")


class Decision(models.Model):
    """One job search: the offers on the table and what matters in choosing."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DECIDED = "decided", "Decided"
        ARCHIVED = "archived", "Archived"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="decisions"
    )
    title = models.CharField(max_length=120, validators=[single_line])
    goals = models.TextField(
        max_length=4000,
        blank=True,
        help_text="What do you want from your next role? Write it before you score anything.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    base_currency = models.CharField(
        "currency",
        max_length=3,
        choices=CURRENCY_CHOICES,
        default="USD",
        help_text="Every offer's pay is converted to this currency for comparison.",
    )

    class PayBasis(models.TextChoices):
        ANNUALISED = "annualised", "Average of the first four years"
        FIRST_YEAR = "first_year", "First year only"

    pay_basis = models.CharField(
        "pay compared as",
        max_length=10,
        choices=PayBasis.choices,
        default=PayBasis.ANNUALISED,
        help_text="Which pay figure the salary criterion scores. The four-year average "
        "spreads the signing bonus and follows vesting and raises.",
    )
    chosen_offer = models.ForeignKey(
        "Offer", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_reason = models.TextField("why this offer", max_length=4000, blank=True)
    confidence = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="How sure are you, from 0 to 100%?",
    )
    review_on = models.DateField(
        "look back on",
        null=True,
        blank=True,
        help_text="A date to ask yourself how the choice turned out.",
    )
    # Must-haves on offer facts that are not criteria: {"work_mode": ["onsite"],
    # "location": ["Amsterdam"]} rules out on-site offers and offers in Amsterdam.
    must_haves = models.JSONField(
        "must-haves",
        default=dict,
        blank=True,
        validators=[validate_must_haves],
    )
    # The weights, ratings, scores and ranking as they were when the choice was made,
    # so that later edits never rewrite why it was made.
    decided_snapshot = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    # Bumped by every change to weights or ratings, so that an edit made from a stale
    # page is refused instead of silently overwriting someone else's.
    version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["owner", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["open", "decided", "archived"]),
                name="decision_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(base_currency__in=CURRENCY_CODES),
                name="decision_currency_known",
            ),
            models.CheckConstraint(
                condition=~models.Q(title=""),
                name="decision_title_not_empty",
            ),
            models.CheckConstraint(
                condition=models.Q(pay_basis__in=["annualised", "first_year"]),
                name="decision_pay_basis_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(confidence__isnull=True) | _within("confidence", 0, 100),
                name="decision_confidence_0_100",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("decisions:detail", args=[self.pk])

    @property
    def is_archived(self) -> bool:
        return self.status == self.Status.ARCHIVED

    def ruled_out_work_modes(self) -> list[str]:
        return list((self.must_haves or {}).get(MUST_HAVE_WORK_MODE, []))

    def ruled_out_locations(self) -> list[str]:
        return list((self.must_haves or {}).get(MUST_HAVE_LOCATION, []))

    @property
    def is_decided(self) -> bool:
        return self.status == self.Status.DECIDED


class AnchorSuggestion(models.TextChoices):
    """Where a criterion's suggested floor and target came from."""

    CURRENT_PAY = "current_pay", "your current pay"
    OFFERS = "offers", "the first values entered"


class Criterion(models.Model):
    """Something the candidate cares about, with how much it weighs."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(max_length=60, validators=[single_line])
    kind = models.CharField(max_length=12, choices=kinds.CHOICES, default=kinds.RATING)
    weight = models.PositiveSmallIntegerField(
        default=10,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="0 to 100. Only the proportions between weights matter.",
    )
    position = models.PositiveIntegerField(default=0)
    unit = models.CharField(
        max_length=20,
        blank=True,
        help_text="For amounts, e.g. “minutes” or “days”.",
        validators=[single_line],
    )
    floor = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[NOT_NEGATIVE, NOT_ABSURD],
        help_text="The worst value you would accept: an offer worse than it is ruled out, whatever "
        "its score. On an amount it is also where the scale starts.",
    )
    target = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[NOT_NEGATIVE, NOT_ABSURD],
        help_text="For amounts: the value that scores in full, past which a better one "
        "matters little to you (the most pay, the shortest commute you care about).",
    )

    # Set when Offerdesk suggested the floor and target, so that scores never depend on
    # which offers are on the table: they fix the scale, but the floor rules nothing out
    # until the candidate makes the range their own. Empty when the candidate set them.
    suggested_from = models.CharField(
        "range suggested from", max_length=12, choices=AnchorSuggestion.choices, blank=True
    )

    class Meta:
        ordering = ["position", "id"]
        verbose_name_plural = "criteria"
        constraints = [
            models.UniqueConstraint(
                "decision",
                Lower("name"),
                name="criterion_name_unique_per_decision",
                violation_error_message="This decision already has a criterion with that name.",
            ),
            models.UniqueConstraint(
                fields=["decision"],
                condition=models.Q(kind__in=kinds.codes(computed=True)),
                name="criterion_one_computed_per_decision",
                violation_error_message="A decision has one computed compensation criterion.",
            ),
            models.CheckConstraint(
                condition=_within("weight", 0, 100), name="criterion_weight_0_100"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=list(kinds.KINDS)), name="criterion_kind_valid"
            ),
            models.CheckConstraint(condition=~models.Q(name=""), name="criterion_name_not_empty"),
            models.CheckConstraint(
                condition=models.Q(floor__isnull=True) | _within("floor", 0, MAX_AMOUNT),
                name="criterion_floor_in_range",
            ),
            models.CheckConstraint(
                condition=models.Q(target__isnull=True) | _within("target", 0, MAX_AMOUNT),
                name="criterion_target_in_range",
            ),
            # The floor is the worse end: below the target when more is better, above
            # it when less is.
            models.CheckConstraint(
                condition=models.Q(floor__isnull=True)
                | models.Q(target__isnull=True)
                | models.Q(
                    kind__in=kinds.codes(higher_is_better=True), floor__lt=models.F("target")
                )
                | models.Q(
                    kind__in=kinds.codes(higher_is_better=False), floor__gt=models.F("target")
                ),
                name="criterion_floor_worse_than_target",
            ),
            # A fixed scale (0 to 10) is anchored already: a floor is only the
            # deal-breaker line, inside the scale, and there is no target.
            models.CheckConstraint(
                condition=~models.Q(kind__in=kinds.codes(anchors="fixed"))
                | models.Q(target__isnull=True),
                name="criterion_fixed_scale_has_no_target",
            ),
            models.CheckConstraint(
                condition=models.Q(floor__isnull=True) | _floor_inside_fixed_scales(),
                name="criterion_fixed_floor_inside_scale",
            ),
            models.CheckConstraint(
                condition=models.Q(suggested_from__in=["", *AnchorSuggestion.values]),
                name="criterion_suggested_from_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(suggested_from="")
                | models.Q(floor__isnull=False, target__isnull=False),
                name="criterion_suggestion_has_both_ends",
            ),
            # An amount's scale has both ends or none (none: not one value yet).
            models.CheckConstraint(
                condition=~models.Q(kind__in=kinds.codes(anchors="floor_target"))
                | models.Q(floor__isnull=True, target__isnull=True)
                | models.Q(floor__isnull=False, target__isnull=False),
                name="criterion_amount_has_both_ends_or_none",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def kind_spec(self) -> kinds.Kind:
        """What this criterion's kind does (range, direction, anchors, display)."""
        return kinds.get(self.kind)

    @property
    def floor_rules_out(self) -> bool:
        """A floor the candidate set rules offers out; a suggested one only fixes the scale."""
        return not self.suggested_from


# An offer's editable fields, by what they are about. Forms, services, the log, the
# export and the coach's redacted view all read these groups; add a field here once.
OFFER_IDENTITY_FIELDS = ("company", "role", "location", "work_mode")
# The yearly pay amounts, each 0..MAX_AMOUNT; base salary alone may be unknown.
OFFER_PAY_AMOUNTS = (
    "base_salary",
    "bonus",
    "equity_per_year",
    "signing_bonus",
    "benefits_value",
    "refresher_per_year",
)
# Every amount of money an offer states: the yearly pay, the month a salary may be
# given by, and the prices of options.
OFFER_PAY_FIGURES = (*OFFER_PAY_AMOUNTS, "monthly_salary", "share_price", "strike_price")
# How the package pays over time and what its equity is worth, as
# ``compensation.Package`` takes it.
OFFER_PAY_TERMS = (
    "vesting",
    "annual_raise",
    "cliff_months",
    "equity_kind",
    "equity_valued_percent",
    "share_price",
    "strike_price",
)
# How the candidate gave the base salary (by the month, with 12 to 14 salaries a
# year), the rate's day and the cost of living where the job is.
OFFER_PAY_CONTEXT = (
    "salary_period",
    "monthly_salary",
    "salaries_per_year",
    "rate_on",
    "cost_of_living",
)
# Everything a candidate who hides their pay from a coach hides.
OFFER_PAY_FIELDS = (
    "currency",
    "rate_to_base",
    *OFFER_PAY_AMOUNTS,
    *OFFER_PAY_TERMS,
    *OFFER_PAY_CONTEXT,
)
# The pay figures the decision record freezes per offer (services.record's snapshot).
SNAPSHOT_PAY_FIELDS = ("pay_first_year", "pay_annualised")
OFFER_TERMS_FIELDS = ("response_deadline", "expected_on", "status")
OFFER_CONTACT_FIELDS = ("recruiter_name", "recruiter_email")
OFFER_FIELDS = (
    *OFFER_IDENTITY_FIELDS,
    *OFFER_PAY_FIELDS,
    *OFFER_TERMS_FIELDS,
    *OFFER_CONTACT_FIELDS,
    "notes",
)


class Offer(models.Model):
    """A job offer, with its pay in its own currency and how to reach the recruiter."""

    class WorkMode(models.TextChoices):
        ONSITE = "onsite", "On-site"
        HYBRID = "hybrid", "Hybrid"
        REMOTE = "remote", "Remote"

    class Vesting(models.TextChoices):
        EVEN = "even", "Even: 25% a year"
        FRONT_LOADED = "front_loaded", "Front-loaded: 40/30/20/10%"
        BACK_LOADED = "back_loaded", "Back-loaded: 5/15/40/40%"

    class EquityKind(models.TextChoices):
        RSU = "rsu", "Shares of a listed company (RSUs)"
        PRIVATE = "private", "Shares of a private company"
        OPTIONS = "options", "Stock options"

    class SalaryPeriod(models.TextChoices):
        YEARLY = "yearly", "By the year"
        MONTHLY = "monthly", "By the month"

    class Status(models.TextChoices):
        """Where the offer stands. An acceptance is ``accepted`` until the employer
        confirms it in writing (``confirmed``); ``retracted`` is an acceptance the
        candidate took back, ``withdrawn`` an offer the employer took back."""

        OPEN = "open", "Open"
        ACCEPTED = "accepted", "Accepted, awaiting written confirmation"
        CONFIRMED = "confirmed", "Accepted, confirmed in writing"
        DECLINED = "declined", "Declined"
        EXPIRED = "expired", "Expired"
        WITHDRAWN = "withdrawn", "Withdrawn by the employer"
        RETRACTED = "retracted", "Acceptance withdrawn"

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="offers")
    company = models.CharField(max_length=120, validators=[single_line])
    role = models.CharField(max_length=120, validators=[single_line])
    location = models.CharField(max_length=120, blank=True, validators=[single_line])
    work_mode = models.CharField(max_length=6, choices=WorkMode.choices, default=WorkMode.HYBRID)
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES, default="USD")
    rate_to_base = models.DecimalField(
        "exchange rate",
        max_digits=16,
        decimal_places=6,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal("0.000001")), MaxValueValidator(MAX_RATE)],
        help_text="How much one unit of the offer's currency is worth in the decision's currency.",
    )
    rate_on = models.DateField(
        "day of the rate",
        null=True,
        blank=True,
        help_text="The day the exchange rate is from.",
    )
    salary_period = models.CharField(
        "base salary given",
        max_length=7,
        choices=SalaryPeriod.choices,
        default=SalaryPeriod.YEARLY,
    )
    monthly_salary = _amount_field(
        "monthly salary",
        null=True,
        blank=True,
        help_text="One month's salary, before tax, when the offer gives it by the month.",
    )
    salaries_per_year = models.PositiveSmallIntegerField(
        "salaries a year",
        choices=[(n, f"{n} a year") for n in SALARIES_PER_YEAR],
        default=12,
        help_text="13 or 14 where a yearly extra month or two are the custom.",
    )
    base_salary = _amount_field(
        "base salary",
        null=True,
        blank=True,
        help_text="Yearly, before tax. Leave empty if unknown.",
    )
    bonus = _amount_field("bonus", default=Decimal(0), help_text="Expected yearly bonus.")
    equity_per_year = _amount_field(
        "equity per year", default=Decimal(0), help_text="Grant value divided by vesting years."
    )
    signing_bonus = _amount_field("signing bonus", default=Decimal(0), help_text="One-off.")
    vesting = models.CharField(
        "equity vesting",
        max_length=12,
        choices=Vesting.choices,
        default=Vesting.EVEN,
        help_text="How the grant vests over four years.",
    )
    annual_raise = models.DecimalField(
        "expected yearly raise (%)",
        max_digits=4,
        decimal_places=1,
        default=Decimal(0),
        validators=[NOT_NEGATIVE, MaxValueValidator(50, message="Keep the raise at 50%% or less.")],
        help_text="Applied to base salary and bonus in years two to four.",
    )
    benefits_value = _amount_field(
        "benefits value",
        default=Decimal(0),
        help_text="Yearly worth of pension match, health cover, learning budget and the like.",
    )
    refresher_per_year = _amount_field(
        "refresher grants per year",
        default=Decimal(0),
        help_text="Yearly value of new equity grants you expect from year two. "
        "Leave 0 unless they are promised or usual there.",
    )
    equity_kind = models.CharField(
        "kind of equity",
        max_length=7,
        choices=EquityKind.choices,
        default=EquityKind.RSU,
    )
    equity_valued_percent = models.DecimalField(
        "value equity at (%)",
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[
            NOT_NEGATIVE,
            MaxValueValidator(100, message="Equity is worth at most its full value: 100%%."),
        ],
        help_text="The share of its value you count it at. Empty: 100% for listed shares, "
        f"{DEFAULT_VALUED_PERCENT['private']:.0f}% for a private company's, which may never "
        "be sellable.",
    )
    share_price = models.DecimalField(
        "share price",
        max_digits=14,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.0001"), message="A share price is above 0.")],
        help_text="Options only: what one share is worth today (the price the equity per "
        "year is counted at).",
    )
    strike_price = models.DecimalField(
        "strike price",
        max_digits=14,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[NOT_NEGATIVE],
        help_text="Options only: what you pay for each share when you exercise.",
    )
    cost_of_living = models.PositiveSmallIntegerField(
        "cost of living index",
        null=True,
        blank=True,
        validators=[
            MinValueValidator(20, message="Give an index from 20 to 500 (100 = where you live)."),
            MaxValueValidator(500, message="Give an index from 20 to 500 (100 = where you live)."),
        ],
        help_text="Optional. How dear life is where the job is, with 100 for where you live "
        "now (135: 35% dearer). Empty means the same as where you live.",
    )
    cliff_months = models.PositiveSmallIntegerField(
        "vesting cliff (months)",
        default=12,
        validators=[
            MaxValueValidator(
                MAX_CLIFF_MONTHS,
                message="A cliff longer than a year is not asked here: enter at most 12 months.",
            )
        ],
        help_text="Nothing vests before it; then what has built up vests at once. "
        "0 if vesting starts on day one.",
    )
    response_deadline = models.DateField(null=True, blank=True)
    expected_on = models.DateField(
        "offer expected by",
        null=True,
        blank=True,
        help_text="Still waiting for this offer? The day you expect it, or their answer.",
    )
    confirmed_on = models.DateField(
        "confirmed in writing on",
        null=True,
        blank=True,
        help_text="The day the employer confirmed your acceptance in writing.",
    )
    stay_in_touch_on = models.DateField(
        "stay in touch on",
        null=True,
        blank=True,
        help_text="A day to send the recruiter a friendly note after declining.",
    )
    recruiter_name = models.CharField(max_length=120, blank=True, validators=[single_line])
    recruiter_email = models.EmailField("recruiter e-mail", blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    notes = models.TextField(max_length=4000, blank=True)
    version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            *(
                models.CheckConstraint(
                    condition=_within(field, 0, MAX_AMOUNT), name=f"offer_{field}_in_range"
                )
                for field in OFFER_PAY_AMOUNTS
                if field != "base_salary"
            ),
            models.CheckConstraint(
                condition=models.Q(base_salary__isnull=True)
                | _within("base_salary", 0, MAX_AMOUNT),
                name="offer_base_salary_in_range",
            ),
            models.CheckConstraint(
                condition=models.Q(rate_to_base__gt=0, rate_to_base__lte=MAX_RATE),
                name="offer_rate_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(currency__in=CURRENCY_CODES), name="offer_currency_known"
            ),
            models.CheckConstraint(
                condition=models.Q(work_mode__in=["onsite", "hybrid", "remote"]),
                name="offer_work_mode_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    status__in=[
                        "open",
                        "accepted",
                        "confirmed",
                        "declined",
                        "expired",
                        "withdrawn",
                        "retracted",
                    ]
                ),
                name="offer_status_valid",
            ),
            models.CheckConstraint(condition=~models.Q(company=""), name="offer_company_not_empty"),
            models.CheckConstraint(
                condition=models.Q(vesting__in=list(VESTING_PRESETS)), name="offer_vesting_known"
            ),
            models.CheckConstraint(
                condition=_within("annual_raise", 0, 50), name="offer_annual_raise_0_50"
            ),
            models.CheckConstraint(
                condition=_within("cliff_months", 0, MAX_CLIFF_MONTHS),
                name="offer_cliff_months_0_12",
            ),
            models.CheckConstraint(condition=~models.Q(role=""), name="offer_role_not_empty"),
            models.CheckConstraint(
                condition=models.Q(equity_kind__in=list(EQUITY_KINDS)),
                name="offer_equity_kind_known",
            ),
            models.CheckConstraint(
                condition=models.Q(equity_valued_percent__isnull=True)
                | _within("equity_valued_percent", 0, 100),
                name="offer_equity_valued_percent_0_100",
            ),
            # Options are worth what a share is above the strike: both prices are known.
            models.CheckConstraint(
                condition=~models.Q(equity_kind="options")
                # NULL > 0 is unknown, which a check lets through: ask for both outright.
                | models.Q(
                    share_price__isnull=False,
                    strike_price__isnull=False,
                    share_price__gt=0,
                    strike_price__gte=0,
                ),
                name="offer_options_have_prices",
                violation_error_message="Stock options need a share price and a strike price.",
            ),
            models.CheckConstraint(
                condition=models.Q(cost_of_living__isnull=True)
                | _within("cost_of_living", 20, 500),
                name="offer_cost_of_living_20_500",
            ),
            models.CheckConstraint(
                condition=models.Q(salaries_per_year__in=list(SALARIES_PER_YEAR)),
                name="offer_salaries_per_year_known",
            ),
            # A salary given by the month has its month; the yearly one is worked out
            # from it (``compensation.yearly_salary``), never typed apart from it.
            models.CheckConstraint(
                condition=models.Q(salary_period="yearly", monthly_salary__isnull=True)
                | models.Q(salary_period="monthly", monthly_salary__isnull=False),
                name="offer_monthly_salary_iff_monthly",
                violation_error_message="A salary given by the month has its monthly figure.",
            ),
            models.CheckConstraint(
                condition=models.Q(monthly_salary__isnull=True)
                | _within("monthly_salary", 0, MAX_AMOUNT),
                name="offer_monthly_salary_in_range",
            ),
            # To the half cent: SQLite multiplies decimals as floats.
            models.CheckConstraint(
                condition=models.Q(monthly_salary__isnull=True)
                | models.Q(
                    base_salary__isnull=False,
                    base_salary__gte=F("monthly_salary") * F("salaries_per_year") - HALF_CENT,
                    base_salary__lte=F("monthly_salary") * F("salaries_per_year") + HALF_CENT,
                ),
                name="offer_base_salary_from_the_months",
                violation_error_message="A salary by the month makes the yearly one: the month "
                "times the salaries a year.",
            ),
            models.CheckConstraint(
                condition=models.Q(equity_kind="options")
                | models.Q(share_price__isnull=True, strike_price__isnull=True),
                name="offer_prices_only_for_options",
                violation_error_message="Only stock options have a share and a strike price.",
            ),
            # An employer is told yes once per decision: another offer is accepted only
            # after this one's acceptance is taken back (``decision_change_mind``).
            models.UniqueConstraint(
                fields=["decision"],
                condition=models.Q(status__in=["accepted", "confirmed"]),
                name="offer_one_acceptance_per_decision",
                violation_error_message="A decision has one accepted offer at most.",
            ),
            # The day is the written confirmation's: a confirmed offer has one, and no
            # other offer has any (taking the acceptance back clears it).
            models.CheckConstraint(
                condition=models.Q(status="confirmed", confirmed_on__isnull=False)
                | (~models.Q(status="confirmed") & models.Q(confirmed_on__isnull=True)),
                name="offer_confirmed_on_iff_confirmed",
                violation_error_message="Only a confirmed acceptance has a day it was "
                "confirmed in writing, and it always has one.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.role} at {self.company}"

    def get_absolute_url(self) -> str:
        return reverse("decisions:offer_edit", args=[self.decision_id, self.pk])

    @property
    def package(self) -> Package:
        return Package(
            **{name: getattr(self, name) for name in (*OFFER_PAY_AMOUNTS, *OFFER_PAY_TERMS)}
        )

    @property
    def converted(self) -> bool:
        """Paid in another currency than the decision's, so every figure in the
        decision's currency went through ``rate_to_base``."""
        return self.currency != self.decision.base_currency

    @property
    def first_year_total(self) -> Decimal | None:
        """First-year pay in the offer's own currency, signing bonus included."""
        return first_year_total(self.package)

    @property
    def annualised_total(self) -> Decimal | None:
        """Average yearly pay over four years, in the offer's own currency."""
        return annualised_total(self.package)

    @property
    def yearly_totals_in_base(self) -> tuple[Decimal, ...] | None:
        """Pay in each of the first four years, in the decision's currency; None if unknown."""
        totals = yearly_totals(self.package)
        if totals is None:
            return None
        return tuple(in_currency(total, rate=self.rate_to_base) for total in totals)  # type: ignore[misc]

    @property
    def leave_early_in_base(self) -> tuple[Decimal, ...] | None:
        """What leaving after each of ``LEAVE_AFTER_MONTHS`` takes with it, in the
        decision's currency; None if base salary is unknown."""
        if self.base_salary is None:
            return None
        return tuple(
            in_currency(walk_away(self.package, months), rate=self.rate_to_base)  # type: ignore[misc]
            for months in LEAVE_AFTER_MONTHS
        )

    @property
    def first_year_total_in_base(self) -> Decimal | None:
        return in_currency(self.first_year_total, rate=self.rate_to_base)

    @property
    def annualised_total_in_base(self) -> Decimal | None:
        return in_currency(self.annualised_total, rate=self.rate_to_base)

    @property
    def guaranteed_years_in_base(self) -> tuple[Decimal, ...] | None:
        """The guaranteed part of each year's pay, in the decision's currency."""
        totals = guaranteed_totals(self.package)
        if totals is None:
            return None
        return tuple(in_currency(total, rate=self.rate_to_base) for total in totals)  # type: ignore[misc]

    def pay_in_base(self, basis: str, view: str = "total") -> Decimal | None:
        """The figure the salary criterion scores, per the decision's ``pay_basis``, in
        one of ``compensation.PAY_VIEWS``: all the pay, the guaranteed part, or all the
        pay adjusted for the cost of living where the job is."""
        years = 1 if basis == Decision.PayBasis.FIRST_YEAR else HORIZON_YEARS
        if view == "guaranteed":
            return in_currency(
                guaranteed_total(self.package, horizon_years=years), rate=self.rate_to_base
            )
        total = (
            self.first_year_total_in_base
            if basis == Decision.PayBasis.FIRST_YEAR
            else self.annualised_total_in_base
        )
        if view == "living":
            return living_adjusted(total, self.cost_of_living)
        if view != "total":
            raise ValueError(f"Unknown view of pay: {view!r}")
        return total

    def days_to_deadline(self, today: dt.date | None = None) -> int | None:
        if self.response_deadline is None:
            return None
        return (self.response_deadline - (today or timezone.localdate())).days

    @property
    def is_accepted(self) -> bool:
        """Accepted, whether or not the employer has confirmed it in writing yet."""
        return self.status in ACCEPTED_STATUSES

    @property
    def is_retracted(self) -> bool:
        """Accepted once, then taken back by the candidate (``withdrawn`` is the employer's)."""
        return self.status == self.Status.RETRACTED

    @property
    def is_awaited(self) -> bool:
        """Still to come: open, expected on a day, and without figures yet. Nothing can
        be declined, negotiated or put off before it is in hand."""
        return (
            self.status == self.Status.OPEN
            and self.expected_on is not None
            and self.base_salary is None
        )


# An acceptance counts as one whether or not it is confirmed in writing yet: every
# check of "is this offer accepted" reads this, never one status alone.
ACCEPTED_STATUSES = (Offer.Status.ACCEPTED, Offer.Status.CONFIRMED)
# ``Offer.is_awaited`` as a query: an offer still to come, which cannot be chosen yet.
AWAITED = models.Q(status=Offer.Status.OPEN, expected_on__isnull=False, base_salary__isnull=True)


class Rating(models.Model):
    """One cell of the grid: how an offer does on a criterion, and why.

    ``value`` is whatever the criterion's kind takes (a 0-10 rating, commute minutes
    ...); the kind's own range is checked by the service that saves it, since a row
    cannot see its criterion's kind. Empty: not known yet.
    """

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="ratings")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="ratings")
    value = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[NOT_NEGATIVE, NOT_ABSURD],
    )
    # The top of the range when the candidate is unsure ("5 to 8"), ``value`` being
    # its bottom; empty for a single value. Only kinds that take a range have one.
    value_high = models.DecimalField(
        "up to",
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[NOT_NEGATIVE, NOT_ABSURD],
    )
    note = models.CharField(max_length=200, blank=True, validators=[single_line])
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["offer", "criterion"], name="rating_one_per_cell"),
            models.CheckConstraint(
                condition=models.Q(value__isnull=True) | _within("value", 0, MAX_AMOUNT),
                name="rating_value_in_range",
            ),
            models.CheckConstraint(
                condition=models.Q(value_high__isnull=True)
                | models.Q(value__isnull=False, value_high__gt=models.F("value"))
                & _within("value_high", 0, MAX_AMOUNT),
                name="rating_range_above_its_value",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion} for {self.offer}"


class AppendOnlyError(Exception):
    """The decision log keeps its history: entries are never changed or removed."""


class LogEntryQuerySet(models.QuerySet):
    def update(self, **kwargs: object) -> int:
        raise AppendOnlyError("Log entries cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Log entries cannot be deleted.")

    def for_coach(self) -> LogEntryQuerySet:
        """What a coach may read: everything but the candidate's private entries."""
        return self.filter(private=False)


class LogEntry(models.Model):
    """One line of a decision's story, written in the same transaction as the change.

    Append-only: saving an existing entry, deleting one, or updating or deleting
    through a queryset raises AppendOnlyError. (Deleting a whole decision or
    account still removes its log, through Django's cascade.)
    """

    class Kind(models.TextChoices):
        DECISION_CREATED = "decision_created", "Decision started"
        DECISION_CHANGED = "decision_changed", "Decision details changed"
        DECISION_ARCHIVED = "decision_archived", "Decision archived"
        DECISION_REOPENED = "decision_reopened", "Decision restored"
        CRITERION_ADDED = "criterion_added", "Criterion added"
        CRITERION_CHANGED = "criterion_changed", "Criterion changed"
        CRITERION_REMOVED = "criterion_removed", "Criterion removed"
        CRITERIA_REORDERED = "criteria_reordered", "Criteria reordered"
        WEIGHTS_CHANGED = "weights_changed", "Weights changed"
        OFFER_ADDED = "offer_added", "Offer added"
        OFFER_CHANGED = "offer_changed", "Offer changed"
        OFFER_REMOVED = "offer_removed", "Offer removed"
        RATINGS_CHANGED = "ratings_changed", "Ratings changed"
        DECIDED = "decided", "Decided"
        # Every message to an employer (a decline, an acceptance, a counter-ask ...):
        # the entry's summary names which.
        MESSAGE_DRAFTED = "message_drafted", "Message drafted"
        MESSAGE_EXPORTED = "message_exported", "Message exported"
        MESSAGE_SENT = "message_sent", "Message sent"
        GOAL = "goal", "Goal"
        SCENARIO = "scenario", "Scenario"
        REFLECTION = "reflection", "Reflection"
        FEELING = "feeling", "Feeling check-in"
        LOOK_BACK = "look_back", "Look back"
        COACH_COMMENT = "coach_comment", "Coach comment"
        # A post in a coach's comment's thread (``LogEntry.thread``), by either side.
        ANSWER = "answer", "Answer"
        HOMEWORK_SET = "homework_set", "Homework set"
        HOMEWORK_DONE = "homework_done", "Homework done"
        HOMEWORK_WITHDRAWN = "homework_withdrawn", "Homework withdrawn"
        COACH_INVITED = "coach_invited", "Coach invited"
        COACH_JOINED = "coach_joined", "Coach joined"
        COACH_INVITATION_WITHDRAWN = "coach_invitation_withdrawn", "Coach invitation withdrawn"
        COACH_REMOVED = "coach_removed", "Coach access ended"
        COACH_PAY_VISIBILITY = "coach_pay_visibility", "Pay shown or hidden to a coach"
        MUST_HAVES_CHANGED = "must_haves_changed", "Must-haves changed"

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="log_entries")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    summary = models.CharField(max_length=300)
    body = models.TextField(max_length=4000, blank=True)
    data = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    private = models.BooleanField(
        default=False, help_text="Private entries are never shown to a coach."
    )
    created_at = models.DateTimeField(default=timezone.now)
    # An ANSWER written here names the coach's comment that opened its thread (one
    # imported from a file keeps its words but not its thread, which the file cannot
    # name); every other entry has none. Decided once, at writing, as all of an entry.
    thread = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )

    objects = LogEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "log entries"
        indexes = [models.Index(fields=["decision", "-created_at"])]

    def __str__(self) -> str:
        return self.summary

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Log entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Log entries cannot be deleted.")


def token_hash(token: str) -> str:
    """What is stored of an invitation token: its SHA-256, so a database leak opens nothing."""
    return hashlib.sha256(token.encode()).hexdigest()


class CoachInvitation(models.Model):
    """A single-use link by which a candidate lets a coach read their decisions.

    Only a SHA-256 hash of the token is stored; the token itself is shown once and
    mailed to the coach.
    """

    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coach_invitations"
    )
    email = models.EmailField("coach's e-mail address")
    token_hash = models.CharField(max_length=64, unique=True)
    hide_compensation = models.BooleanField("hide my pay figures from this coach", default=False)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation from {self.client} to {self.email}"

    @property
    def is_pending(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )

    def is_for(self, user: User) -> bool:
        """Only an account that holds the invited address may accept (any case): as its
        address, or as another address it has confirmed. An address it is only
        changing to does not count: its own confirmation link decides that."""
        invited = self.email.strip()
        if user.email and user.email.casefold() == invited.casefold():
            return True
        return EmailAddress.objects.filter(user=user, email__iexact=invited, verified=True).exists()

    @property
    def masked_email(self) -> str:
        """The invited address with its name part hidden (``c…@example.com``): enough for
        its owner to recognise, nothing for whoever else holds the link."""
        name, _, domain = self.email.partition("@")
        return f"{name[:1]}…@{domain}"


class CoachGrantQuerySet(models.QuerySet):
    def active(self) -> CoachGrantQuerySet:
        """Grants in force now: not revoked. The one place this rule is written."""
        return self.filter(revoked_at__isnull=True)


class CoachGrant(models.Model):
    """A coach may read a client's decisions and comment on their logs, until revoked."""

    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coach_grants"
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coaching_grants"
    )
    hide_compensation = models.BooleanField("hide my pay figures", default=False)
    granted_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_seen_at = models.DateTimeField(null=True, blank=True)

    objects = CoachGrantQuerySet.as_manager()

    class Meta:
        ordering = ["-granted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "coach"],
                condition=models.Q(revoked_at__isnull=True),
                name="coach_grant_one_active_per_pair",
            ),
            models.CheckConstraint(
                condition=~models.Q(client=models.F("coach")), name="coach_grant_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.coach} coaches {self.client}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class HomeworkQuerySet(models.QuerySet):
    def pending(self) -> HomeworkQuerySet:
        """Still to do: neither done nor withdrawn. The one place this rule is written
        for queries (``Homework.is_pending`` says it of one row)."""
        return self.filter(done_at__isnull=True, withdrawn_at__isnull=True)

    def overdue(self, today: dt.date | None = None) -> HomeworkQuerySet:
        """Still to do and past its date (``Homework.state`` OVERDUE)."""
        return self.pending().filter(due_on__lt=today or timezone.localdate())


class Homework(models.Model):
    """Something a coach asks of a client in one decision: a question to answer in
    writing, one of Offerdesk's exercises, or a task by a date.

    It stands as a to-do on the client's decision page until done, or withdrawn by the
    coach; setting, doing and withdrawing it are shared log entries. An exercise is
    done by doing it (``services.homework``); a question by answering it; a task when
    the client says so.
    """

    class Kind(models.TextChoices):
        QUESTION = "question", "A question to answer in writing"
        EXERCISE = "exercise", "An exercise in Offerdesk"
        TASK = "task", "A task by a date"

    class Exercise(models.TextChoices):
        SWING = "swing", "Set the weights with the swing wizard"
        RATE = "rate", "Rate every offer on every criterion"
        LOOK_BACK = "look_back", "Write the look back"

    class State(models.TextChoices):
        OPEN = "open", "To do"
        OVERDUE = "overdue", "Overdue"
        DONE = "done", "Done"
        WITHDRAWN = "withdrawn", "Withdrawn"

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="homework")
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    exercise = models.CharField(max_length=10, choices=Exercise.choices, blank=True)
    prompt = models.TextField("what to do", max_length=1000, blank=True)
    due_on = models.DateField("by", null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField(max_length=4000, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    objects = HomeworkQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name_plural = "homework"
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(kind="exercise") & ~models.Q(exercise=""))
                | (~models.Q(kind="exercise") & models.Q(exercise="")),
                name="homework_exercise_iff_kind",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="task") | models.Q(due_on__isnull=False),
                name="homework_task_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        """What the to-do says: the exercise's name, or the coach's words."""
        if self.kind == self.Kind.EXERCISE:
            return self.get_exercise_display()
        return self.prompt

    def state(self, today: dt.date | None = None) -> Homework.State:
        if self.withdrawn_at is not None:
            return self.State.WITHDRAWN
        if self.done_at is not None:
            return self.State.DONE
        today = today or timezone.localdate()
        if self.due_on is not None and self.due_on < today:
            return self.State.OVERDUE
        return self.State.OPEN

    @property
    def is_pending(self) -> bool:
        """Still to do: neither done nor withdrawn (overdue or not)."""
        return self.done_at is None and self.withdrawn_at is None


class CoachNote(models.Model):
    """A coach's own note about a client: a session, a thought, a thing to ask next
    time. Only its coach ever reads it, on the client's pages and in the coach's copy
    of a report; never the client, not even in their own report or export."""

    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coach_notes"
    )
    client = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField("note", max_length=4000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["coach", "client", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.coach}'s note on {self.client}"


class Notice(models.TextChoices):
    """The kinds of news Offerdesk tells a coach or a client, each its own choice of
    how often (``NoticeSetting``). ``decisions.notifications`` says who gets which."""

    # For a coach, of a client's shared steps:
    DECIDED = "decided", "My client decided"
    WEIGHTS = "weights", "My client changed the weights a lot"
    REFLECTION = "reflection", "My client wrote a reflection they share"
    DECLINE_SENT = "decline_sent", "My client sent a decline"
    ANSWERED = "answered", "My client answered a question or did homework"
    # For a client:
    COACH_WROTE = "coach_wrote", "My coach asked, commented or set homework"


class Notification(models.Model):
    """One piece of news for one person: on their "What's new" page, and mailed at once
    or in a daily digest as they chose. ``text`` says what happened in words the
    recipient may read (never a private entry, never a hidden pay figure)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=Notice.choices)
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="+")
    entry = models.ForeignKey(
        LogEntry, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    text = models.CharField(max_length=300)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    # When it left in a mail (at once or in a digest); None while it waits for a
    # digest, and for ever when the recipient wants no mail of its kind.
    mailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=Notice.values), name="notification_kind_known"
            )
        ]

    def __str__(self) -> str:
        return self.text


class NoticeOften(models.TextChoices):
    AT_ONCE = "at_once", "At once"
    DAILY = "daily", "In a daily digest"
    NEVER = "never", "Never by e-mail"


class NoticeSetting(models.Model):
    """How often one person hears of one kind of news; without a row, the kind's
    default (``decisions.notifications.DEFAULTS``)."""

    Often = NoticeOften

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_settings"
    )
    kind = models.CharField(max_length=20, choices=Notice.choices)
    often = models.CharField(max_length=10, choices=Often.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notice_setting_one_per_kind"),
            models.CheckConstraint(
                condition=models.Q(kind__in=Notice.values, often__in=NoticeOften.values),
                name="notice_setting_kind_and_often_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.kind} {self.often}"
