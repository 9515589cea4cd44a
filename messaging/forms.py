from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.formats import date_format

from decisions.compensation import yearly_salary
from decisions.deadlines import FURTHEST_AHEAD, MAX_EXTENSION_DAYS
from decisions.models import Offer
from decisions.services.offers import NEGOTIATED_FIELDS
from messaging.compose import (
    CANDIDATE_REASONS,
    DIRECTIONS,
    EMPLOYER_REASONS,
    FUTURES,
    MAX_BODY_CHARS,
    MEDIA,
    TONES,
    Choices,
)
from messaging.negotiation import MAX_GAP, REALISTIC, VARIANTS
from messaging.purposes import COUNTER, DECLINE, Purpose
from offerdesk.formats import money, money_cents, number
from offerdesk.validators import single_line

# The furthest ahead a message plans: a start date, a day to stay in touch. Past two
# years, a day is surely a slip of the keyboard (2099). The services refuse the same.
FURTHEST_PLAN = 2 * FURTHEST_AHEAD
STAY_IN_TOUCH_TOO_FAR = (
    "Pick a day within the next two years, while the recruiter still remembers you."
)

ELEMENT_LABELS = {
    "gratitude": "Thank them",
    "decision": "A clear decision",
    "reason": "A reason",
    "future": "Future relations",
}


# Each purpose's own questions (``Purpose.details``), as form fields by name; the
# purpose's flow adds its entry. Their cleaned values become ``Choices.details``, so
# each must clean to a plain JSON value (a date as ISO text, an amount as a string).
DETAIL_FIELDS: dict[str, Callable[[], dict[str, forms.Field]]] = {}
# The fields only a decline asks: who writes, which elements, the reason.
DECLINE_ONLY = (
    "direction",
    "gratitude",
    "decision",
    "reason",
    "future",
    "future_mode",
    "reason_choice",
    "reason_detail",
)


# The counter-ask: what to improve, how far, and why ---------------------------------

LEVERS = {
    "base_salary": "Base salary",
    "signing_bonus": "Signing bonus",
    "equity": "Equity",
    "remote_days": "Remote days",
    "start_date": "Start date",
    "title": "Title",
    "learning_budget": "Learning budget",
}
# The levers whose amount is money; remote days count days a week, the others none.
MONEY_LEVERS = ("base_salary", "signing_bonus", "equity", "learning_budget")
# The levers whose amount may not pass the offer's base salary: more than that again is
# surely a slip of a zero (equity can outgrow a salary, so it is bounded only by MAX_GAP).
WITHIN_BASE_SALARY = ("base_salary", "signing_bonus", "learning_budget")
# Remote days are days of a working week.
REMOTE_DAYS = range(1, 6)
# The levers that ask for a thing, not an amount, and the detail that names it.
NAMED_LEVERS = {"start_date": "start_date", "title": "title"}
TITLE_CHARS = 80


def _title_fits(value: str) -> None:
    if len(value) > TITLE_CHARS:
        raise forms.ValidationError(
            f"Keep the title to {number(TITLE_CHARS)} characters or fewer: this one has "
            f"{number(len(value))}.",
            code="max_length",
        )


def _counter_fields() -> dict[str, forms.Field]:
    return {
        "lever": forms.ChoiceField(
            label="What to ask for", choices=LEVERS.items(), initial="base_salary"
        ),
        "variant": forms.ChoiceField(
            label="How far to reach",
            choices=VARIANTS.items(),
            widget=forms.RadioSelect,
            initial=REALISTIC,
        ),
        "amount": forms.IntegerField(
            label="The improvement you ask for",
            required=False,
            min_value=1,
            max_value=MAX_GAP,
            error_messages={
                "invalid": "Give the amount as a whole number, without a currency sign.",
                "min_value": "Ask for an improvement above zero.",
                "max_value": f"Ask for at most {number(MAX_GAP)}: more than that is surely a "
                "slip of a zero.",
            },
            help_text="Leave it empty to ask for the figure of the variant you choose. Or "
            "type your own: a whole number, a yearly amount in the offer’s currency (a "
            "signing bonus is paid once), or days a week (1 to 5) for remote days.",
        ),
        "start_date": StartDateField(
            label="The start date you ask for",
            required=False,
            help_text="For a start date: the day you would like to start.",
            error_messages={"past": "That day has passed: ask for a day to come."},
        ),
        "title": forms.CharField(
            label="The title you ask for",
            required=False,
            # The length is checked by ``_title_fits``, which words it; the browser
            # stops at it as well.
            widget=forms.TextInput(attrs={"maxlength": TITLE_CHARS}),
            validators=[single_line, _title_fits],
            help_text="For a title: the one that matches the role’s scope, as you would "
            "say it (“Lead Data Engineer”).",
        ),
        "justification": forms.CharField(
            label="Why you are worth it, in your words (optional)",
            required=False,
            max_length=400,
            widget=forms.Textarea(attrs={"rows": 2}),
            help_text="For example: “my experience leading the migration to the new "
            "platform”. Say what you bring, not what someone else pays.",
        ),
    }


DETAIL_FIELDS["counter"] = _counter_fields


# Asking for more time -----------------------------------------------------------------

EXTENSION_REASONS = {
    "careful_thought": "To give the offer the careful thought it deserves",
    "family": "To talk it through with my family",
    "commitment": "To finish a commitment I have already made",
    "process": "To close the conversations I had started before this offer",
}


class LaterDateField(forms.DateField):
    """A day after today, after the offer's current deadline (``after``, set by the
    form that knows the offer) and within ``MAX_EXTENSION_DAYS``, cleaned to ISO text
    (the details of a message are plain JSON)."""

    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    after: dt.date | None = None

    def clean(self, value: Any) -> str | None:
        day = super().clean(value)
        if day is None:
            return None
        today = timezone.localdate()
        if day <= today:
            raise forms.ValidationError("Ask for a day after today.")
        if self.after is not None and day <= self.after:
            raise forms.ValidationError(
                f"They already expect your answer by {date_format(self.after)}: ask for a "
                "later day."
            )
        if day > today + dt.timedelta(days=MAX_EXTENSION_DAYS):
            raise forms.ValidationError(
                f"Ask for at most {MAX_EXTENSION_DAYS} days: a longer wait reads as a no."
            )
        return day.isoformat()


def _extension_fields() -> dict[str, forms.Field]:
    return {
        "until": LaterDateField(label="Ask for an answer by"),
        "extension_reason": forms.ChoiceField(
            label="The reason you give",
            choices=EXTENSION_REASONS.items(),
            initial="careful_thought",
        ),
    }


DETAIL_FIELDS["extension"] = _extension_fields


# Recording the answer -----------------------------------------------------------------


# The figures a counter-ask's answer may change, with their labels and whether they
# are yearly (a signing bonus is paid once).
NEGOTIATED_LABELS = {
    "base_salary": ("Base salary", True),
    "bonus": ("Bonus", True),
    "signing_bonus": ("Signing bonus", False),
    "equity_per_year": ("Equity per year", True),
}


class NegotiatedFiguresForm(forms.Form):
    """The figures an employer came back with after a counter-ask; a figure left
    empty stays as it is. Each is checked as the offer's own field checks it (the
    model's validators: not negative, not absurdly large), a base salary is more than
    0, and each shows the offer's figure now beside it. Amounts are in the offer's
    currency."""

    def __init__(self, *args: Any, offer: Offer, **kwargs: Any) -> None:
        super().__init__(*args, prefix="reply", **kwargs)
        self.offer = offer
        for name in NEGOTIATED_FIELDS:
            label, yearly = NEGOTIATED_LABELS[name]
            model_field = Offer._meta.get_field(name)
            # No initial value: the model's default (0) would post back over the figure.
            field = model_field.formfield(required=False, label=label, initial=None)
            # The model's own rules, so the form says what the save would refuse.
            field.validators = [*field.validators, *model_field.validators]
            field.widget.attrs.update({"min": 0, "step": "any", "inputmode": "decimal"})
            field.help_text = f"{self.now(name)} Leave it empty to keep it."
            if yearly:
                field.help_text = f"Yearly. {field.help_text}"
            self.fields[name] = field
        if self.by_the_month:
            # Asked as it was given: the month's salary, of which the yearly base is made.
            self.fields["base_salary"].label = "Monthly salary"
            self.fields["base_salary"].help_text = (
                f"One of {offer.salaries_per_year} a year. Now "
                f"{money_cents(offer.monthly_salary, offer.currency)} a month. Leave it empty "
                "to keep it."
            )

    @property
    def by_the_month(self) -> bool:
        """The offer's salary is given by the month, so its answer is too."""
        return self.offer.salary_period == Offer.SalaryPeriod.MONTHLY

    def now(self, name: str) -> str:
        """The offer's figure for ``name`` as it stands, in words."""
        value = getattr(self.offer, name)
        if value is None:
            return "Not known yet."
        return f"Now {money(value, self.offer.currency)}."

    def clean_base_salary(self) -> Decimal | None:
        """The yearly base salary; for an offer paid by the month, the month's salary
        typed, times the salaries a year (``compensation.yearly_salary``)."""
        base_salary = self.cleaned_data["base_salary"]
        if base_salary is not None and base_salary <= 0:
            raise forms.ValidationError(
                "A base salary is more than 0: give the figure they came back with, or "
                "leave it empty to keep the one you have."
            )
        if base_salary is not None and self.by_the_month:
            yearly = yearly_salary(base_salary, self.offer.salaries_per_year)
            try:
                Offer._meta.get_field("base_salary").run_validators(yearly)
            except forms.ValidationError as error:
                raise forms.ValidationError(
                    f"{self.offer.salaries_per_year} salaries of that make "
                    f"{money(yearly, self.offer.currency)} a year: {' '.join(error.messages)}"
                ) from error
            return yearly
        return base_salary

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.errors and all(value is None for value in data.values()):
            raise forms.ValidationError("Give at least one new figure from their answer.")
        return data


class ExtensionAgreedForm(forms.Form):
    """The day the employer agreed to wait until."""

    until = forms.DateField(
        label="They agreed to wait until",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, prefix="agreed", **kwargs)


# Accepting --------------------------------------------------------------------------


class StartDateField(forms.DateField):
    """An optional day from today on, within ``FURTHEST_PLAN``, cleaned to ISO text
    (empty text when not given: the details of a message are plain JSON)."""

    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    default_error_messages = {
        "past": "That day has passed: give the start date agreed.",
        "far": "Give a start date within the next two years.",
    }

    def clean(self, value: Any) -> str:
        day = super().clean(value)
        if day is None:
            return ""
        today = timezone.localdate()
        if day < today:
            raise forms.ValidationError(self.error_messages["past"], code="past")
        if day > today + FURTHEST_PLAN:
            raise forms.ValidationError(self.error_messages["far"], code="far")
        return day.isoformat()


def _accept_fields() -> dict[str, forms.Field]:
    return {
        "start_date": StartDateField(
            label="Start date",
            required=False,
            help_text="The day you agreed to start, if you have one. Without it, the "
            "message asks them to confirm the date.",
        )
    }


DETAIL_FIELDS["accept"] = _accept_fields


class ComposeForm(forms.Form):
    """How the message should be written: medium, tone and recipient for every
    purpose; a decline's elements (each on unless switched off) and reason; another
    purpose's own details (``DETAIL_FIELDS``)."""

    direction = forms.ChoiceField(
        choices=DIRECTIONS.items(), widget=forms.RadioSelect, initial="candidate"
    )
    medium = forms.ChoiceField(choices=MEDIA.items(), widget=forms.RadioSelect, initial="email")
    tone = forms.ChoiceField(choices=TONES.items(), widget=forms.RadioSelect, initial="warm")
    gratitude = forms.BooleanField(label=ELEMENT_LABELS["gratitude"], required=False, initial=True)
    decision = forms.BooleanField(label=ELEMENT_LABELS["decision"], required=False, initial=True)
    reason = forms.BooleanField(label=ELEMENT_LABELS["reason"], required=False, initial=True)
    future = forms.BooleanField(label=ELEMENT_LABELS["future"], required=False, initial=True)
    future_mode = forms.ChoiceField(
        label="Future relations",
        choices=FUTURES.items(),
        widget=forms.RadioSelect,
        initial="open",
    )
    reason_choice = forms.ChoiceField(
        label="Reason",
        choices=[
            ("As the candidate", list(CANDIDATE_REASONS.items())),
            ("As the employer", list(EMPLOYER_REASONS.items())),
        ],
    )
    reason_detail = forms.CharField(
        label="In your own words (optional)",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Added after the reason exactly as you type it. "
        "Name the other employer only if you want to.",
    )
    recipient_name = forms.CharField(
        label="Recipient’s name", required=False, max_length=120, validators=[single_line]
    )
    # Shown only once the saved text was edited; the service refuses to overwrite
    # edits without it.
    replace_edits = forms.BooleanField(label="Replace my edited text", required=False)

    def __init__(
        self, *args: Any, purpose: Purpose, offer: Offer | None = None, **kwargs: Any
    ) -> None:
        """``offer``, when given, bounds the details: a counter-ask's amount by its
        base salary, a request for time by its current deadline."""
        super().__init__(*args, **kwargs)
        self.purpose = purpose
        self.offer = offer
        if purpose.code != DECLINE:
            for name in DECLINE_ONLY:
                del self.fields[name]
            self.fields.update(DETAIL_FIELDS.get(purpose.code, dict)())
        if "until" in self.fields and offer is not None:
            self.fields["until"].after = offer.response_deadline
        self.fields["medium"].choices = [
            (code, label) for code, label in MEDIA.items() if code in purpose.media
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.purpose.code == COUNTER:
            self._clean_ask(data)
        if self.purpose.code != DECLINE:
            return data
        # A decline says no, from either side: without the decision, an employer's
        # text with no reason would only thank and hold the door, never answer.
        data["decision"] = True
        reasons = CANDIDATE_REASONS if data.get("direction") == "candidate" else EMPLOYER_REASONS
        if data.get("reason_choice") and data["reason_choice"] not in reasons:
            self.add_error("reason_choice", "Pick a reason that fits who is writing.")
        return data

    @property
    def segmented(self) -> set[str]:
        """The fields chosen among a few options side by side (radio buttons), which
        the composer shows as one segmented control."""
        return {
            name
            for name, field in self.fields.items()
            if isinstance(field.widget, forms.RadioSelect)
        }

    def _clean_ask(self, data: dict[str, Any]) -> None:
        """A counter-ask's amount and details fit its lever: remote days a working
        week's, money within the offer's base salary (when known), a start date or a
        title named and no amount; the detail of another lever is dropped."""
        lever, amount = data.get("lever"), data.get("amount")
        if lever == "remote_days" and amount is not None and amount not in REMOTE_DAYS:
            self.add_error("amount", "Remote days count days a week: ask for 1 to 5.")
        elif lever in WITHIN_BASE_SALARY and amount is not None and self._past_base_salary(amount):
            base = money(self.offer.base_salary, self.offer.currency)
            self.add_error(
                "amount",
                f"That asks for more than the whole base salary ({base}): check for an extra zero.",
            )
        elif lever in NAMED_LEVERS:
            # A start date or a title asks for no amount: one left from another lever
            # neither counts nor blocks.
            self.errors.pop("amount", None)
            data["amount"] = None
        for named_lever, name in NAMED_LEVERS.items():
            if name not in self.fields:
                continue
            if lever != named_lever:
                # Another lever's detail is not asked for: whatever was typed there
                # (even a day past or a title too long) neither counts nor blocks.
                self.errors.pop(name, None)
                data[name] = ""
            elif name in self.errors:
                continue
            elif not (data.get(name) or "").strip():
                self.add_error(name, f"Give the {LEVERS[lever].lower()} you would like to ask for.")
            else:
                data[name] = data[name].strip()

    def _past_base_salary(self, amount: int) -> bool:
        base = self.offer.base_salary if self.offer is not None else None
        return base is not None and base > 0 and amount > base

    def choices(self) -> Choices:
        data = self.cleaned_data
        if self.purpose.code != DECLINE:
            return Choices(
                purpose=self.purpose.code,
                medium=data["medium"],
                tone=data["tone"],
                details={name: data[name] for name in self.purpose.details if name in data},
            )
        return Choices(
            direction=data["direction"],
            medium=data["medium"],
            tone=data["tone"],
            gratitude=data["gratitude"],
            decision=data["decision"],
            reason=data["reason"],
            future=data["future"],
            future_mode=data["future_mode"],
            reason_choice=data["reason_choice"],
            reason_detail=data["reason_detail"].strip(),
        )


class DraftForm(forms.Form):
    subject = forms.CharField(max_length=200, required=False, validators=[single_line])
    body = forms.CharField(
        label="Message",
        max_length=MAX_BODY_CHARS,
        # The serif of the preview, a box short enough on a phone that the actions
        # below stay in sight (offerdesk.css).
        widget=forms.Textarea(attrs={"rows": 14, "class": "draft-text"}),
        error_messages={"max_length": "Keep the message within %(limit_value)s characters."},
    )


class SentForm(forms.Form):
    sent_on = forms.DateField(
        label="Sent on",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        initial=timezone.localdate,
    )
    # Shown while the accepted offer awaits its written confirmation: a decline sent
    # then is refused unless the candidate says they know.
    despite_unconfirmed = forms.BooleanField(
        label="I understand; mark it sent anyway", required=False
    )

    def clean_sent_on(self) -> dt.date:
        sent_on = self.cleaned_data["sent_on"]
        if sent_on > timezone.localdate():
            raise forms.ValidationError(
                "That date is still to come: mark it sent once it has gone."
            )
        return sent_on


# Staying in touch after a decline: the reminders offered, in months after it went out.
STAY_IN_TOUCH_MONTHS = (3, 6, 12)
STAY_IN_TOUCH_DEFAULT = "6"
OWN_DAY = "own"
# The pages a stay-in-touch form is posted from, and so returns to.
STAY_IN_TOUCH_PAGES = ("compose", "hub")


def months_after(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, or that month's last day when it is shorter
    (31 August and six months is the last day of February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return day.replace(
        year=year, month=month, day=min(day.day, (following - dt.timedelta(days=1)).day)
    )


class StayInTouchForm(forms.Form):
    """When to send the recruiter a friendly note after the decline went out
    (``sent_on``): three, six or twelve months after it, or a day of one's own; never
    a day already past, so a choice whose day has passed is not offered."""

    when = forms.ChoiceField(label="Remind me", widget=forms.RadioSelect)
    on = forms.DateField(
        label="On a day of my own",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    back = forms.ChoiceField(
        choices=[(page, page) for page in STAY_IN_TOUCH_PAGES],
        widget=forms.HiddenInput,
        initial="compose",
    )

    def __init__(
        self,
        *args: Any,
        sent_on: dt.date,
        current: dt.date | None,
        back: str = "compose",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.today = timezone.localdate()
        self.dates = {
            str(months): day
            for months in STAY_IN_TOUCH_MONTHS
            if (day := months_after(sent_on, months)) >= self.today
        }
        self.fields["when"].choices = [
            *(
                (code, f"In {code} months, on {date_format(day)}")
                for code, day in self.dates.items()
            ),
            (OWN_DAY, "On a day of my own"),
        ]
        self.fields["on"].widget.attrs.update(
            {"min": self.today.isoformat(), "max": (self.today + FURTHEST_PLAN).isoformat()}
        )
        chosen = next((code for code, day in self.dates.items() if day == current), None)
        if current is not None and chosen is None:
            chosen = OWN_DAY
            self.fields["on"].initial = current
        elif chosen is None:
            chosen = STAY_IN_TOUCH_DEFAULT if STAY_IN_TOUCH_DEFAULT in self.dates else None
            chosen = chosen or next(iter(self.dates), OWN_DAY)
        self.fields["when"].initial = chosen
        self.fields["back"].initial = back

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        when, on = data.get("when"), data.get("on")
        if when == OWN_DAY:
            if on is None:
                if "on" not in self.errors:
                    self.add_error("on", "Pick the day you would like the reminder.")
            elif on < self.today:
                self.add_error("on", "That day has passed: pick today or a day to come.")
            elif on > self.today + FURTHEST_PLAN:
                self.add_error("on", STAY_IN_TOUCH_TOO_FAR)
        return data

    def day(self) -> dt.date:
        """The day chosen (the form is valid)."""
        when = self.cleaned_data["when"]
        return self.cleaned_data["on"] if when == OWN_DAY else self.dates[when]
