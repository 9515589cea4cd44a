from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from decisions import kinds
from decisions.models import OFFER_FIELDS, OFFER_PAY_AMOUNTS, Criterion, Decision, Offer, Rating
from decisions.prompts import FEELINGS
from decisions.services import CriterionData, DecisionData, OfferData, RatingInput
from decisions.services.criteria import kind_errors
from offerdesk.forms import DataForm


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


class DecisionCreateForm(DecisionForm):
    """Starting a decision asks only what is needed; the pay basis keeps its default."""

    class Meta(DecisionForm.Meta):
        fields = ("title", "goals", "base_currency")


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
    """Pick the offer to accept, and say why while the reasons are fresh."""

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
        # Only this decision's offers that can still be accepted: a foreign or closed
        # offer id in the post is an ordinary "not a valid choice" error.
        self.fields["chosen_offer"].queryset = decision.offers.filter(
            status__in=[Offer.Status.OPEN, Offer.Status.ACCEPTED]
        )
        self.fields["chosen_offer"].label_from_instance = lambda offer: str(offer)
        if decision.chosen_offer_id:
            self.fields["chosen_offer"].initial = decision.chosen_offer_id
        elif leader is not None:
            self.fields["chosen_offer"].initial = leader.pk


class CriterionForm(DataForm[CriterionData]):
    """Add or edit one criterion; names are unique within a decision, whatever their case."""

    data_class = CriterionData

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
        self.fields["weight"].widget.attrs.update({"min": 0, "max": 100})

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
        errors = kind_errors(
            self.decision, kind=code, floor=floor, target=target, exclude=self.criterion_id
        )
        for field, message in errors.items():
            self.add_error(field, message)
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


class OfferForm(DataForm[OfferData]):
    data_class = OfferData
    version = VersionField()

    class Meta:
        model = Offer
        fields = OFFER_FIELDS
        widgets = {
            "response_deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(
        self, *args: Any, decision: Decision, offer: Offer | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, row=offer, blank=Offer(decision=decision), **kwargs)
        self.decision = decision
        self.fields["version"].initial = offer.version if offer else 0
        if offer is None:
            self.fields["currency"].initial = decision.base_currency
        self.fields["rate_to_base"].help_text = (
            f"How many {decision.base_currency} one unit of the offer’s currency is worth. "
            f"Ignored when the offer is in {decision.base_currency}."
        )
        for name in OFFER_PAY_AMOUNTS:
            self.fields[name].widget.attrs.update({"min": 0, "step": "any", "inputmode": "decimal"})

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("currency") == self.decision.base_currency:
            data["rate_to_base"] = Decimal(1)
        return data


def _as_entered(kind: kinds.Kind, value: Decimal | None) -> Decimal | None:
    """A stored value with the kind's own decimals (a rating shows as 7.5, not 7.50)."""
    if value is None or kind.value_input is None:
        return value
    return value.quantize(Decimal(1).scaleb(-kind.value_input.decimal_places))


def value_field(kind: kinds.Kind) -> forms.DecimalField:
    """The input a kind's ``value_input`` asks for, as a Django field."""
    spec = kind.value_input
    assert spec is not None, f"{kind.code} has no cells"
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


class RatingsGridForm(forms.Form):
    """The whole offers x criteria grid in one form.

    Each criterion with cells takes a value of its kind (a 0-10 rating, minutes ...);
    computed criteria have none. Every cell has a short note.
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
                rating = ratings.get((offer.pk, criterion.pk))
                value_name, note_name = self.field_names(offer, criterion)
                where = f"{criterion.name} for {offer.company}"
                field = value_field(criterion.kind_spec)
                hint = criterion.kind_spec.input_hint(criterion.unit)
                field.label = f"{where}, {hint}" if hint else where
                field.initial = _as_entered(criterion.kind_spec, rating.value) if rating else None
                self.fields[value_name] = field
                self.fields[note_name] = forms.CharField(
                    label=f"Why, for {where}",
                    required=False,
                    max_length=200,
                    initial=rating.note if rating else "",
                    widget=forms.TextInput(attrs={"placeholder": "Why?"}),
                )

    @staticmethod
    def field_names(offer: Offer, criterion: Criterion) -> tuple[str, str]:
        return f"value-{offer.pk}-{criterion.pk}", f"note-{offer.pk}-{criterion.pk}"

    def cell(self, offer: Offer, criterion: Criterion) -> tuple[forms.BoundField, forms.BoundField]:
        value_name, note_name = self.field_names(offer, criterion)
        return self[value_name], self[note_name]

    def cells(self) -> list[RatingInput]:
        result = []
        for offer in self.offers:
            for criterion in self.criteria:
                value_name, note_name = self.field_names(offer, criterion)
                result.append(
                    RatingInput(
                        offer_id=offer.pk,
                        criterion_id=criterion.pk,
                        value=self.cleaned_data[value_name],
                        note=self.cleaned_data[note_name],
                    )
                )
        return result


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
    body = forms.CharField(
        label="Your comment or question",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
