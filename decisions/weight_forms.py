"""The forms of the weight wizards and the gut check.

A wizard asks one question per page and keeps nothing between pages: every post
carries the answers given so far (hidden) and the one just asked (``asked``), so that
an abandoned wizard leaves nothing behind and the weights change only when the
candidate applies them. Kept apart from ``decisions.forms`` because every field here
is built from the decision's criteria, and none saves a model.
"""

from __future__ import annotations

from typing import Any

from django import forms

from decisions import weighting
from decisions.models import Criterion
from decisions.services.weights import GUT_FEELINGS

REVIEW = "review"

# How much more one criterion matters than another, in words, on Saaty's 1-9 scale.
STRENGTHS = {
    2: "a touch more",
    3: "a little more",
    4: "somewhat more",
    5: "clearly more",
    6: "a lot more",
    7: "much more",
    8: "very much more",
    9: "overwhelmingly more",
}


class WizardForm(forms.Form):
    """Answers so far: every question a field, none required; ``asked`` is the one
    the page showed (the only one whose absence is an error)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    asked = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, criteria: list[Criterion], version: int = 0, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        self.by_id = {c.pk: c for c in criteria}
        self.fields["version"].initial = version

    def questions(self) -> list[str]:
        raise NotImplementedError

    def answer(self, name: str) -> Any:
        value = self.cleaned_data.get(name) if hasattr(self, "cleaned_data") else None
        return None if value in (None, "") else value

    def next_question(self) -> str | None:
        return next((q for q in self.questions() if self.answer(q) is None), None)

    def previous_question(self, asked: str) -> str | None:
        questions = self.questions()
        if asked not in questions:
            return questions[-1] if questions else None
        index = questions.index(asked)
        return questions[index - 1] if index > 0 else questions[0]

    def hidden_answers(self, shown: str | None) -> list[tuple[str, Any]]:
        """(name, value) of every answer given, but the question on show."""
        return [
            (q, self.answer(q))
            for q in self.questions()
            if q != shown and self.answer(q) is not None
        ]

    def step_number(self, question: str | None) -> tuple[int, int]:
        questions = self.questions()
        total = len(questions)
        return (questions.index(question) + 1 if question in questions else total, total)


class SwingForm(WizardForm):
    """The swing wizard: ``top``, the criterion whose swing from worst to best matters
    most (worth 100), then ``points-<id>`` for each other criterion, 0 to 100."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["top"] = forms.TypedChoiceField(
            label="Which swing matters most to you?",
            choices=[(c.pk, c.name) for c in self.criteria],
            coerce=int,
            required=False,
            empty_value=None,
            widget=forms.RadioSelect,
        )
        for criterion in self.criteria:
            self.fields[self.points_name(criterion)] = forms.IntegerField(
                label=criterion.name,
                min_value=0,
                max_value=weighting.SWING_TOP,
                required=False,
                error_messages={
                    "min_value": "Give a number from 0 to 100.",
                    "max_value": "Give a number from 0 to 100: the swing that matters "
                    "most is worth 100, and none is worth more.",
                    "invalid": "Give a whole number from 0 to 100.",
                },
            )

    @staticmethod
    def points_name(criterion: Criterion) -> str:
        return f"points-{criterion.pk}"

    def top(self) -> Criterion | None:
        top = self.answer("top")
        return self.by_id.get(top) if top is not None else None

    def questions(self) -> list[str]:
        top = self.top()
        if top is None:
            return ["top"] + [self.points_name(c) for c in self.criteria[1:]]
        return ["top"] + [self.points_name(c) for c in self.criteria if c.pk != top.pk]

    def criterion_of(self, question: str) -> Criterion | None:
        if not question.startswith("points-"):
            return None
        return self.by_id.get(int(question.removeprefix("points-")))

    def points(self) -> dict[int, int]:
        """Criterion id -> swing points, the top one at 100 (all answers given)."""
        top = self.top()
        assert top is not None
        return {
            c.pk: weighting.SWING_TOP if c.pk == top.pk else self.answer(self.points_name(c))
            for c in self.criteria
        }


def _pair_choices(first: Criterion, second: Criterion) -> list[tuple[str, str]]:
    choices = [
        (f"a{v}", f"{first.name} matters {STRENGTHS[v]} ({v} to 1)")
        for v in sorted(STRENGTHS, reverse=True)
    ]
    choices.append(("1", "Both matter the same"))
    choices += [(f"b{v}", f"{second.name} matters {STRENGTHS[v]} ({v} to 1)") for v in STRENGTHS]
    return choices


def pair_ratio(answer: str) -> float:
    """How much more the pair's first criterion matters than its second."""
    if answer == "1":
        return 1.0
    strength = int(answer[1:])
    return float(strength) if answer[0] == "a" else 1.0 / strength


class PairwiseForm(WizardForm):
    """The pairwise wizard: ``pair-<first id>-<second id>`` for each pair of criteria,
    in the criteria's order, answered on Saaty's scale in words."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.pairs = [
            (first, second)
            for i, first in enumerate(self.criteria)
            for second in self.criteria[i + 1 :]
        ]
        for first, second in self.pairs:
            self.fields[self.pair_name(first, second)] = forms.ChoiceField(
                label=f"{first.name} or {second.name}: which matters more to you, and how much?",
                choices=_pair_choices(first, second),
                required=False,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": "Pick one of the answers."},
            )

    @staticmethod
    def pair_name(first: Criterion, second: Criterion) -> str:
        return f"pair-{first.pk}-{second.pk}"

    def questions(self) -> list[str]:
        return [self.pair_name(first, second) for first, second in self.pairs]

    def pair_of(self, question: str) -> tuple[Criterion, Criterion] | None:
        return next(((a, b) for a, b in self.pairs if self.pair_name(a, b) == question), None)

    def result(self) -> weighting.PairwiseWeights:
        """The weights and consistency of the answers (all given)."""
        index = {c.pk: i for i, c in enumerate(self.criteria)}
        answers = {
            (index[a.pk], index[b.pk]): pair_ratio(self.answer(self.pair_name(a, b)))
            for a, b in self.pairs
        }
        n = len(self.criteria)
        return weighting.pairwise_weights(weighting.matrix_from_answers(n, answers))

    def answers_by_name(self) -> dict[str, str]:
        return {q: self.answer(q) for q in self.questions()}


class GutCheckForm(forms.Form):
    """How the candidate would feel if the offer ranked first won."""

    offer = forms.IntegerField(widget=forms.HiddenInput)
    feeling = forms.ChoiceField(
        label="How would you feel?",
        choices=[(code, words.capitalize()) for code, words in GUT_FEELINGS.items()],
        widget=forms.RadioSelect,
        error_messages={"required": "Pick relieved, fine or disappointed."},
    )
    note = forms.CharField(
        label="What comes to mind (optional)",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
