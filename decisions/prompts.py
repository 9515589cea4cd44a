"""Words that help a candidate think past pay and title. Offered one at a time, in turn."""

from __future__ import annotations

REFLECTIVE_QUESTIONS = (
    "Which of these offers would you regret turning down two years from now, and why?",
    "Picture a tough Monday six months into each job. Which one do you still want to go to?",
    "What would you advise a close friend to do if they held exactly these offers?",
    "Which offer makes you a little nervous in a good way, because it would stretch you?",
    "If every offer paid the same, which would you take?",
    "What did the way each company treated you during the interviews tell you about them?",
    "Which job would the person you want to be in five years have taken?",
    "What are you most afraid of losing by saying no to each offer?",
    "Whose opinion are you trying to satisfy with this choice, and does it matter?",
    "Which role matches what you wrote down as your goals before you scored anything?",
)

# Each feeling a check-in offers, and whether it lifts, weighs or pulls both ways (its
# colour on the feelings timeline).
FEELING_TONES = {
    "Hopeful": "lift",
    "Excited": "lift",
    "Relieved": "lift",
    "Calm": "lift",
    "Unsure": "mixed",
    "Torn": "mixed",
    "Anxious": "weigh",
    "Disappointed": "weigh",
    "Guilty": "weigh",
    "Overwhelmed": "weigh",
}
FEELINGS = tuple(FEELING_TONES)


def question_for(answered: int) -> str:
    """The next question, after ``answered`` reflections: each in turn, then round again."""
    return REFLECTIVE_QUESTIONS[answered % len(REFLECTIVE_QUESTIONS)]
