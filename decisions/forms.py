from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, replace
from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone

from decisions import kinds, notifications
from decisions.compensation import DEFAULT_VALUED_PERCENT, MAX_CLIFF_MONTHS
from decisions.deadlines import FURTHEST_AHEAD
from decisions.models import (
    ACCEPTED_STATUSES,
    AWAITED,
    OFFER_FIELDS,
    OFFER_PAY_FIGURES,
    AnchorSuggestion,
    Criterion,
    Decision,
    Homework,
    Notice,
    NoticeSetting,
    Offer,
    Rating,
    place_name,
)
from decisions.prompts import FEELINGS
from decisions.services import (
    CriterionData,
    DecisionData,
    OfferData,
    PayRange,
    RatingInput,
    pay_range_suggestion,
)
from decisions.services.acceptance import status_edit_refusal
from decisions.services.coaching import askable_entries
from decisions.services.criteria import kind_errors
from decisions.services.offers import PAY_RULE_FIELDS, offer_pay_refusals, offer_worked_out
from decisions.services.ratings import range_error
from offerdesk.formats import money, money_cents
from offerdesk.forms import DataForm
from offerdesk.validators import single_line


class DecisionForm(DataForm[DecisionData]):
    data_class = DecisionData

    class Meta:
        model = Decision
        fields = ("title", "goals", "base_currency", "pay_basis")
        widgets = {
            "title": forms.TextInput(attrs={"placeholder": "e.g. Spring 2027 job search"}),
            "goals": forms.Textarea(
                attrs={
                    "rows": 4,
                    "placeholder": "e.g. Lead a small team, stay within an hour of home, "
                    "learn the infrastructure side.",
                }
            ),
        }

    def clean_title(self) -> str:
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError("Give the decision a name.")
        return title


def _pay_field(label: str, help_text: str = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=Decimal(0),
        max_value=kinds.MAX_AMOUNT,
        decimal_places=2,
        max_digits=12,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"min": 0, "step": "any", "inputmode": "decimal"}),
    )


class DecisionCreateForm(DecisionForm):
    """Starting a decision asks only what is needed, and the salary criterion's range:
    the least pay the candidate would accept and the pay past which more matters little.

    ``current_pay`` only suggests that range: with JavaScript the empty range fields fill
    in once it is typed (``fill_pay_range``, which keeps what the candidate typed);
    without, a range left empty is suggested from it on saving. Either way a range kept
    as suggested stays a suggestion (its floor rules nothing out) until the candidate
    changes it. With neither, the first offer's pay suggests it.
    """

    current_pay = _pay_field(
        "Your current yearly pay (optional)",
        "Only used to suggest the range below; it is not stored.",
    )
    pay_floor = _pay_field(
        "Least yearly pay you would accept",
        "An offer paying less is ruled out, whatever else it has.",
    )
    pay_target = _pay_field(
        "Yearly pay past which more matters little",
        "At the lower figure Salary scores nothing, at this one its full weight.",
    )
    # The range last suggested, so that saving it unchanged keeps it a suggestion.
    suggested_floor = _pay_field("", "")
    suggested_target = _pay_field("", "")

    class Meta(DecisionForm.Meta):
        fields = ("title", "goals", "base_currency")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("suggested_floor", "suggested_target"):
            self.fields[name].widget = forms.HiddenInput()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.has_error("pay_floor") or self.has_error("pay_target"):
            return data
        pay = kinds.get(kinds.TOTAL_COMP)
        for field, message in pay.anchor_errors(
            data.get("pay_floor"), data.get("pay_target")
        ).items():
            self.add_error(f"pay_{field}", message)
        return data

    def pay_range(self) -> PayRange | None:
        """The range the candidate gave (a suggestion still, if they kept the suggested
        figures), else the one suggested from their current pay."""
        data = self.cleaned_data
        floor, target = data.get("pay_floor"), data.get("pay_target")
        if floor is not None and target is not None:
            kept = (floor, target) == (data.get("suggested_floor"), data.get("suggested_target"))
            return PayRange(
                floor=floor,
                target=target,
                suggested_from=AnchorSuggestion.CURRENT_PAY if kept else "",
            )
        current = data.get("current_pay")
        return pay_range_suggestion(current) if current else None


class ReflectionForm(forms.Form):
    """A goal, a scenario, an answer to a question or a look back, in the candidate's words."""

    body = forms.CharField(max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))
    private = forms.BooleanField(label="Keep this private (never shown to a coach)", required=False)

    def __init__(self, *args: Any, label: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].label = label


class FeelingForm(forms.Form):
    feeling = forms.ChoiceField(
        label="Right now I feel", choices=[(f, f) for f in FEELINGS], widget=forms.RadioSelect
    )
    intensity = forms.TypedChoiceField(
        label="How strongly",
        coerce=int,
        choices=[(n, str(n)) for n in range(1, 6)],
        widget=forms.RadioSelect,
        initial=3,
    )
    body = forms.CharField(
        label="What is behind it (optional)",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    private = forms.BooleanField(label="Keep this private (never shown to a coach)", required=False)


class DecideForm(forms.Form):
    """Pick the offer to accept, and say why while the reasons are fresh.

    Once an offer is accepted it is the only choice here (to update the reasons):
    choosing another is a change of mind, ``ChangeMindForm``'s."""

    chosen_offer = forms.ModelChoiceField(
        queryset=Offer.objects.none(),
        label="The offer you accept",
        empty_label=None,
        widget=forms.RadioSelect,
    )
    why = forms.CharField(
        label="Why this one",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="In your own words: what tipped it, what you give up, what you hope for.",
    )
    confidence = forms.IntegerField(
        label="How sure are you (%)",
        min_value=0,
        max_value=100,
        initial=70,
        widget=forms.NumberInput(attrs={"min": 0, "max": 100, "step": 5}),
    )
    review_on = forms.DateField(
        label="Look back on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Offerdesk will ask you then how the choice turned out.",
    )

    def __init__(self, *args: Any, decision: Decision, leader: Offer | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only this decision's offers that can be chosen here: a foreign or closed
        # offer id in the post is an ordinary "not a valid choice" error.
        self.fields["chosen_offer"].queryset = self.choosable(decision)
        self.fields["chosen_offer"].label_from_instance = lambda offer: str(offer)
        if decision.chosen_offer_id:
            self.fields["chosen_offer"].initial = decision.chosen_offer_id
        elif leader is not None:
            self.fields["chosen_offer"].initial = leader.pk

    @staticmethod
    def choosable(decision: Decision) -> QuerySet[Offer]:
        accepted = decision.offers.filter(status__in=ACCEPTED_STATUSES)
        if accepted.exists():
            return accepted
        return decision.offers.filter(status=Offer.Status.OPEN).exclude(AWAITED)


class ChangeMindForm(DecideForm):
    """Accept another open offer after accepting one, and say why you change your mind."""

    reason = forms.CharField(
        label="Why you are changing your mind",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Kept in your decision log. It is for you (and your coach): the message "
        "to the employer gives no reason unless you add one yourself.",
    )
    field_order = ["chosen_offer", "reason", "why", "confidence", "review_on"]

    def __init__(self, *args: Any, decision: Decision, leader: Offer | None, **kwargs: Any) -> None:
        super().__init__(*args, decision=decision, leader=leader, **kwargs)
        self.fields["chosen_offer"].label = "The offer you accept now"
        self.fields["chosen_offer"].initial = leader.pk if leader is not None else None

    @staticmethod
    def choosable(decision: Decision) -> QuerySet[Offer]:
        return decision.offers.filter(status=Offer.Status.OPEN).exclude(AWAITED)


class ConfirmAcceptanceForm(forms.Form):
    """The day the employer confirmed the acceptance in writing."""

    confirmed_on = forms.DateField(
        label="Confirmed in writing on",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        initial=timezone.localdate,
    )

    def clean_confirmed_on(self) -> dt.date:
        confirmed_on = self.cleaned_data["confirmed_on"]
        if confirmed_on > timezone.localdate():
            raise forms.ValidationError(
                "That day is still to come: record it once it is in writing."
            )
        return confirmed_on


class CriterionForm(DataForm[CriterionData]):
    """Add or edit one criterion; names are unique within a decision, whatever their case.

    A suggested range stays a suggestion unless its floor or target is changed or
    ``make_range_mine`` is ticked, so that renaming a criterion rules nothing out. A yes
    or no criterion takes its floor as a tick: rule out a no.
    """

    data_class = CriterionData
    must_be_yes = forms.BooleanField(
        label="For a yes or no: rule out an offer whose answer is no", required=False
    )
    make_range_mine = forms.BooleanField(
        label="Make this range my own: an offer worse than its floor is then ruled out",
        required=False,
    )

    class Meta:
        model = Criterion
        fields = ("name", "kind", "weight", "unit", "floor", "target")
        widgets = {"name": forms.TextInput(attrs={"placeholder": "e.g. Growth, Commute, Team"})}

    def __init__(
        self, *args: Any, decision: Decision, criterion: Criterion | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, row=criterion, blank=Criterion(decision=decision), **kwargs)
        self.decision = decision
        self.criterion_id = criterion.pk if criterion else None
        self.suggested_from = criterion.suggested_from if criterion else ""
        self.fields["weight"].widget.attrs.update({"min": 0, "max": 100})
        self.fields["floor"].widget.attrs.update({"min": 0, "step": "any"})
        self.fields["target"].widget.attrs.update({"min": 0, "step": "any"})
        if criterion is not None and criterion.kind_spec.is_yes_no:
            self.fields["must_be_yes"].initial = criterion.floor is not None
            self.initial["floor"] = None

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("Give the criterion a name.")
        clash = self.decision.criteria.filter(name__iexact=name).exclude(pk=self.criterion_id)
        if clash.exists():
            raise forms.ValidationError("This decision already has a criterion with that name.")
        return name

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        code, floor, target = data.get("kind"), data.get("floor"), data.get("target")
        if code is None:  # the field's own error says why
            return data
        if code in kinds.KINDS and kinds.get(code).is_yes_no:
            if floor is not None:
                self.add_error("floor", "For a yes or no, tick “rule out a no” instead.")
                return data
            data["floor"] = floor = Decimal(1) if data.get("must_be_yes") else None
        elif data.get("must_be_yes"):
            self.add_error(
                "must_be_yes", "Only a yes or no criterion rules out a no; give this one a floor."
            )
        errors = kind_errors(
            self.decision, kind=code, floor=floor, target=target, exclude=self.criterion_id
        )
        for field, message in errors.items():
            self.add_error(field, message)
        return data

    def to_data(self) -> CriterionData:
        data = super().to_data()
        kept = (data.floor, data.target) == (self.initial.get("floor"), self.initial.get("target"))
        if self.suggested_from and kept and not self.cleaned_data.get("make_range_mine"):
            return replace(data, suggested_from=self.suggested_from)
        return data


class VersionField(forms.IntegerField):
    """The version of the row the form was read from, sent back to catch stale edits."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, min_value=0, **kwargs)


class WeightsForm(forms.Form):
    """All of a decision's weights, saved in one post."""

    version = VersionField()

    def __init__(
        self, *args: Any, criteria: list[Criterion], version: int = 0, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = version
        self.criteria = criteria
        for criterion in criteria:
            self.fields[self.field_name(criterion)] = forms.IntegerField(
                label=criterion.name,
                min_value=0,
                max_value=100,
                initial=criterion.weight,
                widget=forms.NumberInput(attrs={"min": 0, "max": 100, "step": 1}),
            )

    @staticmethod
    def field_name(criterion: Criterion) -> str:
        return f"weight-{criterion.pk}"

    def rows(self) -> list[tuple[Criterion, forms.BoundField]]:
        return [(c, self[self.field_name(c)]) for c in self.criteria]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        weights = [data.get(self.field_name(c)) for c in self.criteria]
        if weights and all(w == 0 for w in weights):
            raise forms.ValidationError("At least one criterion needs a weight above zero.")
        return data

    def weights(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[self.field_name(c)] for c in self.criteria}


# The offer form's fields that depend on another's answer: the yearly base and the
# monthly salary on how the salary is given, the prices on the kind of equity.
SALARY_FIELDS = ("salary_period", "monthly_salary", "salaries_per_year")
OPTION_PRICES = ("share_price", "strike_price")


# How the form's help names each kind of equity, in a sentence.
EQUITY_KIND_NAMES = {
    Offer.EquityKind.RSU: "listed shares",
    Offer.EquityKind.PRIVATE: "a private company’s shares",
    Offer.EquityKind.OPTIONS: "options",
}


def _bounds(model: type[models.Model], name: str) -> dict[str, Any]:
    """The ``min`` and ``max`` a number input takes from the model field's validators,
    so that the browser's hints are the rules the model keeps."""
    bounds: dict[str, Any] = {}
    for validator in model._meta.get_field(name).validators:
        if isinstance(validator, MinValueValidator):
            bounds["min"] = validator.limit_value
        elif isinstance(validator, MaxValueValidator):
            bounds["max"] = validator.limit_value
    return bounds


class OfferForm(DataForm[OfferData]):
    """An offer as the candidate enters it. A salary given by the month makes the
    yearly base (``compensation.yearly_salary``); an offer in another currency than the
    decision's needs its rate and the rate's day; options need their share and strike
    prices, which other kinds of equity do not keep. What is ignored is worked out by
    the service's own rule (``services.offers.offer_worked_out``) before the model's
    constraints check it."""

    data_class = OfferData
    version = VersionField()

    class Meta:
        model = Offer
        fields = OFFER_FIELDS
        widgets = {
            "response_deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "expected_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "rate_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "salary_period": forms.RadioSelect,
            "notes": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(
        self, *args: Any, decision: Decision, offer: Offer | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, row=offer, blank=Offer(decision=decision), **kwargs)
        self.decision = decision
        # Only the statuses an edit may move to: accepting, confirming and taking an
        # acceptance back are steps of their own, never a choice in this list.
        current = offer.status if offer else Offer.Status.OPEN
        self.fields["status"].choices = [
            (value, label)
            for value, label in self.fields["status"].choices
            if value == current or not status_edit_refusal(current, value)
        ]
        # A status not listed is one of those steps: say which ("... Change your mind").
        self.fields["status"].error_messages["invalid_choice"] = status_edit_refusal(
            current, Offer.Status.ACCEPTED if current == Offer.Status.OPEN else Offer.Status.OPEN
        ) or status_edit_refusal(current, Offer.Status.ACCEPTED)
        self.fields["version"].initial = offer.version if offer else 0
        base = decision.base_currency
        if offer is None:
            # The blank row's model defaults would fill ``initial`` before a field's: its
            # USD, and a rate of 1 that a new offer in another currency would have to
            # be told is wrong. The rate starts empty; the decision's currency needs none.
            self.initial["currency"] = base
            self.initial["rate_to_base"] = None
        self.fields["rate_to_base"].error_messages["required"] = (
            f"Give the rate of the day: how many {base} one unit of the offer’s currency buys."
        )
        self.fields["rate_to_base"].help_text = (
            f"How many {base} one unit of the offer’s currency is worth. "
            f"Ignored when the offer is in {base}."
        )
        self.fields[
            "rate_on"
        ].help_text = f"The day that rate is from: needed when the offer is not in {base}."
        self.fields["rate_on"].widget.attrs["max"] = timezone.localdate().isoformat()
        for name in OFFER_PAY_FIGURES:
            self.fields[name].widget.attrs.update({"min": 0, "step": "any", "inputmode": "decimal"})
        # New to the form: left out (a form from before them), they take the usual terms.
        for name in ("cliff_months", "refresher_per_year", *SALARY_FIELDS, "equity_kind"):
            self.fields[name].required = False
        self.fields["cliff_months"].widget.attrs.update({"min": 0, "max": MAX_CLIFF_MONTHS})
        self.fields["cliff_months"].help_text += " Empty means the usual 12 months."
        # A radio list and a select of three keep no empty choice.
        self.fields["salary_period"].choices = Offer.SalaryPeriod.choices
        self.fields["salaries_per_year"].choices = Offer._meta.get_field(
            "salaries_per_year"
        ).choices
        self.fields["equity_kind"].choices = Offer.EquityKind.choices
        self.fields["salaries_per_year"].help_text += _worked_out(offer)
        self.fields["equity_kind"].help_text = (
            "What the grant is. Each kind counts at a share of its value, which you can "
            "change below: listed shares at all of it unless you say less, a private "
            "company’s shares and options at less, since they may never be sold."
        )
        self.fields["equity_valued_percent"].help_text = (
            "The share of its value you count it at. Empty: "
            + ", ".join(
                f"{percent:.0f}% for {EQUITY_KIND_NAMES[kind]}"
                for kind, percent in DEFAULT_VALUED_PERCENT.items()
            )
            + "."
        )
        self.fields["equity_valued_percent"].widget.attrs.update(
            {**_bounds(Offer, "equity_valued_percent"), "step": "0.1", "inputmode": "decimal"}
        )
        self.fields["share_price"].help_text = (
            "Options only: what one share is worth today. Give the equity per year at "
            "this price: the shares that vest in a year times it, before the strike."
        )
        self.fields[
            "strike_price"
        ].help_text = "Options only: what you pay for each share when you exercise (0 if nothing)."
        self.fields["cost_of_living"].widget.attrs.update(_bounds(Offer, "cost_of_living"))

    def clean_expected_on(self) -> dt.date | None:
        """A day still to come, within a year; a day already stored may stay as it is
        (the offer was expected then and the candidate is still waiting)."""
        expected_on = self.cleaned_data["expected_on"]
        if expected_on is None or expected_on == self.initial.get("expected_on"):
            return expected_on
        today = timezone.localdate()
        if expected_on < today:
            raise forms.ValidationError(
                "That day has passed. Give the day you now expect to hear from them, "
                "or leave it empty."
            )
        if expected_on > today + FURTHEST_AHEAD:
            raise forms.ValidationError("Give a day within the next year.")
        return expected_on

    def clean_cliff_months(self) -> int:
        return self._or_default("cliff_months")

    def clean_refresher_per_year(self) -> Decimal:
        return self._or_default("refresher_per_year")

    def clean_salary_period(self) -> str:
        return self._or_default("salary_period")

    def clean_salaries_per_year(self) -> int:
        return self._or_default("salaries_per_year")

    def clean_equity_kind(self) -> str:
        return self._or_default("equity_kind")

    def _or_default(self, name: str) -> Any:
        value = self.cleaned_data[name]
        if value is None or value == "":
            return Offer._meta.get_field(name).get_default()
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        self._ignore_what_does_not_apply(data)
        if all(name in data for name in PAY_RULE_FIELDS):
            # The pay's rules across fields, the service's own, once each field it
            # reads is valid (until then the fields' own messages come first).
            given = OfferData(company="", role="", **{n: data[n] for n in PAY_RULE_FIELDS})
            for name, message in offer_pay_refusals(given, self.decision).items():
                self.add_error(name, message)
        if all(name in data for name in self._meta.fields):
            # What is worked out rather than kept as typed, by the service's one rule,
            # so that the model's constraints check what will be saved.
            worked_out = offer_worked_out(self.to_data(), self.decision)
            data.update(asdict(worked_out))
        return data

    def _ignore_what_does_not_apply(self, data: dict[str, Any]) -> None:
        """Drop what was typed in a field the other answers make moot, errors and all:
        the rate and its day in the decision's own currency, the yearly base beside a
        salary by the month, a monthly figure beside a yearly base, the prices of
        anything but options. ``offer_worked_out`` then fills them in."""
        moot = []
        if data.get("currency") == self.decision.base_currency:
            moot += ["rate_to_base", "rate_on"]
        if data.get("salary_period") == Offer.SalaryPeriod.MONTHLY:
            moot.append("base_salary")
        elif data.get("base_salary") is not None or data.get("monthly_salary") is None:
            moot.append("monthly_salary")
        if data.get("equity_kind") != Offer.EquityKind.OPTIONS:
            moot += list(OPTION_PRICES)
        for name in moot:
            data.setdefault(name, None)
            self.errors.pop(name, None)


def _worked_out(offer: Offer | None) -> str:
    """Once an offer is saved by the month, the yearly base it was worked out to, and
    from what; else nothing."""
    if offer is None or offer.monthly_salary is None:
        return ""
    return (
        f" Saved: {offer.salaries_per_year} salaries of "
        f"{money_cents(offer.monthly_salary, offer.currency)} make "
        f"{money(offer.base_salary, offer.currency)} a year."
    )


def _as_entered(kind: kinds.Kind, value: Decimal | None) -> Decimal | None:
    """A stored value with the kind's own decimals (a rating shows as 7.5, not 7.50)."""
    if value is None or kind.value_input is None:
        return value
    return value.quantize(Decimal(1).scaleb(-kind.value_input.decimal_places))


def value_field(kind: kinds.Kind) -> forms.Field:
    """The input a kind's ``value_input`` asks for, as a Django field: a number, or a
    choice for a kind picked from a few values (yes or no)."""
    spec = kind.value_input
    assert spec is not None, f"{kind.code} has no cells"
    if spec.choices:
        return forms.TypedChoiceField(
            choices=[("", "—"), *((str(value), label) for value, label in spec.choices)],
            coerce=Decimal,
            empty_value=None,
            required=False,
        )
    return forms.DecimalField(
        min_value=spec.minimum,
        max_value=spec.maximum,
        decimal_places=spec.decimal_places,
        max_digits=spec.max_digits,
        required=False,
        widget=forms.NumberInput(
            attrs={
                "min": format(spec.minimum, "f"),
                "max": format(spec.maximum, "f"),
                "step": spec.step,
            }
        ),
    )


@dataclass(frozen=True)
class GridCell:
    """The inputs of one cell: its value, the top of a range where the kind takes one
    (else None), and the note."""

    value: forms.BoundField
    high: forms.BoundField | None
    note: forms.BoundField

    @property
    def choices(self) -> bool:
        return isinstance(self.value.field, forms.TypedChoiceField)

    @property
    def errors(self) -> list[str]:
        fields = [self.value, self.note] + ([self.high] if self.high is not None else [])
        return [error for bound in fields for error in bound.errors]


class RatingsGridForm(forms.Form):
    """The whole offers x criteria grid in one form.

    Each criterion with cells takes a value of its kind (a 0-10 rating, minutes, yes or
    no ...); a rating may be a range when the candidate is unsure ("5 to 8"); computed
    criteria have none. Every cell has a short note.
    """

    def __init__(
        self,
        *args: Any,
        offers: list[Offer],
        criteria: list[Criterion],
        ratings: dict[tuple[int, int], Rating],
        version: int = 0,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"] = VersionField(initial=version)
        self.offers = offers
        self.criteria = [c for c in criteria if c.kind_spec.has_cell]
        for offer in offers:
            for criterion in self.criteria:
                self._add_cell(offer, criterion, ratings.get((offer.pk, criterion.pk)))

    def _add_cell(self, offer: Offer, criterion: Criterion, rating: Rating | None) -> None:
        kind = criterion.kind_spec
        value_name, high_name, note_name = self.field_names(offer, criterion)
        where = f"{criterion.name} for {offer.company}"
        field = value_field(kind)
        hint = kind.input_hint(criterion.unit)
        field.label = f"{where}, {hint}" if hint else where
        field.initial = _as_entered(kind, rating.value) if rating else None
        if isinstance(field, forms.TypedChoiceField) and field.initial is not None:
            field.initial = str(int(field.initial))
        self.fields[value_name] = field
        if kind.takes_range:
            high = value_field(kind)
            high.label = f"{where}, highest if unsure"
            high.initial = _as_entered(kind, rating.value_high) if rating else None
            high.widget.attrs["placeholder"] = "to"
            self.fields[high_name] = high
        self.fields[note_name] = forms.CharField(
            label=f"Why, for {where}",
            required=False,
            validators=[single_line],
            max_length=200,
            initial=rating.note if rating else "",
            widget=forms.TextInput(attrs={"placeholder": "Why?"}),
        )

    @staticmethod
    def field_names(offer: Offer, criterion: Criterion) -> tuple[str, str, str]:
        cell = f"{offer.pk}-{criterion.pk}"
        return f"value-{cell}", f"high-{cell}", f"note-{cell}"

    def cell(self, offer: Offer, criterion: Criterion) -> GridCell:
        value_name, high_name, note_name = self.field_names(offer, criterion)
        return GridCell(
            value=self[value_name],
            high=self[high_name] if high_name in self.fields else None,
            note=self[note_name],
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for offer in self.offers:
            for criterion in self.criteria:
                value_name, high_name, _ = self.field_names(offer, criterion)
                if high_name not in self.fields or high_name not in data:
                    continue
                error = range_error(criterion.kind_spec, data.get(value_name), data[high_name])
                if error:
                    self.add_error(high_name, f"This cell {error}.")
        return data

    def cells(self) -> list[RatingInput]:
        result = []
        for offer in self.offers:
            for criterion in self.criteria:
                value_name, high_name, note_name = self.field_names(offer, criterion)
                result.append(
                    RatingInput(
                        offer_id=offer.pk,
                        criterion_id=criterion.pk,
                        value=self.cleaned_data[value_name],
                        value_high=self.cleaned_data.get(high_name),
                        note=self.cleaned_data[note_name],
                    )
                )
        return result


class MustHavesForm(forms.Form):
    """Must-haves on offer facts: ways of working and locations that rule an offer out.

    The locations to pick from are those of the decision's offers and those already
    ruled out; ``other_location`` adds one no offer has yet.
    """

    work_modes = forms.MultipleChoiceField(
        label="Rule out offers that are",
        choices=Offer.WorkMode.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    locations = forms.MultipleChoiceField(
        label="Rule out offers in", required=False, widget=forms.CheckboxSelectMultiple
    )
    other_location = forms.CharField(
        label="Another location to rule out",
        required=False,
        max_length=120,
        validators=[single_line],
    )

    def __init__(self, *args: Any, decision: Decision, offers: list[Offer], **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "work_modes": decision.ruled_out_work_modes(),
                "locations": decision.ruled_out_locations(),
            },
        )
        super().__init__(*args, **kwargs)
        places: dict[str, str] = {}
        for place in [*decision.ruled_out_locations(), *(o.location for o in offers)]:
            place = place_name(place)
            if place:
                places.setdefault(place.casefold(), place)
        self.fields["locations"].choices = [(p, p) for p in places.values()]

    def chosen_locations(self) -> list[str]:
        return [*self.cleaned_data["locations"], self.cleaned_data["other_location"]]


class TiebreakForm(forms.Form):
    """The answer to a close call's ``question``: which of its two ``offers``, and why."""

    offer = forms.TypedChoiceField(label="I would take", coerce=int, widget=forms.RadioSelect)
    why = forms.CharField(
        label="Why (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, question: str, offers: list[Offer], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.question = question
        self.offers = {o.pk: o for o in offers}
        self.fields["offer"].choices = [(o.pk, o.company) for o in offers]


class CoachInviteForm(forms.Form):
    email = forms.EmailField(label="Your coach’s e-mail address", max_length=254)
    hide_compensation = forms.BooleanField(
        label="Hide my pay figures from this coach", required=False
    )

    def __init__(self, *args: Any, client: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.client = client

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if email.lower() == (self.client.email or "").lower():
            raise forms.ValidationError("That is your own address: invite your coach’s.")
        return email


class CoachCommentForm(forms.Form):
    """A coach's question or comment, about the decision as a whole, its ranking, one
    offer, or (reached from the log) one shared entry."""

    asks = forms.TypedChoiceField(
        label="This is",
        choices=[("question", "A question: I would like an answer"), ("comment", "A comment")],
        coerce=lambda value: value == "question",
        empty_value=False,  # a comment, when not said
        required=False,
        initial="question",
        widget=forms.RadioSelect,
    )
    about = forms.ChoiceField(label="About", required=False)
    body = forms.CharField(
        label="Your question or comment",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write your question or comment first."},
    )

    def __init__(self, *args: Any, decision: Decision, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "The decision as a whole"), ("ranking", "The ranking")]
        choices += [(f"offer:{o.pk}", f"{o.company} ({o.role})") for o in decision.offers.all()]
        # An entry is offered only when asked for (the log's "Ask about this"): a list
        # of every entry would be no help.
        wanted = str((self.data if self.is_bound else self.initial).get("about") or "")
        kind, _, pk = wanted.partition(":")
        if kind == "entry" and pk.isdigit():
            entry = askable_entries(decision).filter(pk=pk).first()
            if entry is not None:
                choices.append((wanted, f"The log entry “{entry.summary}”"))
        self.fields["about"].choices = choices


class AnswerForm(forms.Form):
    body = forms.CharField(
        label="Your answer",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write your answer first."},
    )


class HomeworkForm(forms.Form):
    kind = forms.ChoiceField(
        label="Set", choices=Homework.Kind.choices, initial="question", widget=forms.RadioSelect
    )
    exercise = forms.ChoiceField(
        label="Which exercise",
        choices=[("", "Choose one (for an exercise)"), *Homework.Exercise.choices],
        required=False,
    )
    prompt = forms.CharField(
        label="The question or the task",
        help_text="For an exercise, a note if you like.",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    due_on = forms.DateField(
        label="To be done by",
        help_text="Needed for a task; for the others, if you like.",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class HomeworkDoneForm(forms.Form):
    answer = forms.CharField(
        label="Your answer",
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CoachNoteForm(forms.Form):
    body = forms.CharField(
        label="A note for yourself",
        help_text="Only you read your notes: never your client, not even in their report.",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write your note first."},
    )


class NoticeSettingsForm(forms.Form):
    """How often each kind of news ``user`` may hear of is mailed to them."""

    def __init__(self, *args: Any, user: Any, coaches: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        chosen = list(NoticeSetting.objects.filter(user=user))
        for kind in notifications.kinds_for(user, coaches=coaches):
            self.fields[kind] = forms.ChoiceField(
                label=Notice(kind).label,
                choices=NoticeSetting.Often.choices,
                initial=notifications.how_often(chosen, kind),
                widget=forms.RadioSelect,
            )
