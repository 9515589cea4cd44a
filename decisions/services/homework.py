"""Writes of homework: a coach sets it, the client does it, the coach may withdraw it.

Each step is a shared log entry, in the same transaction: homework is part of the
conversation with the coach. An exercise is done by doing it: the services that do
one (the swing wizard, a ratings save that leaves nothing unrated, a look back) call
``exercise_done``, which ticks off every such homework still to do.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from decisions.models import Decision, Homework, LogEntry, Rating
from decisions.services.log import lock_decision, log_append
from offerdesk.accounts.models import User

PROMPT_MAX = 1000
ANSWER_MAX = 4000


def unrated_cells(decision: Decision) -> int:
    """How many offer-and-criterion cells of ``decision`` hold no rating yet."""
    ratable = [c.pk for c in decision.criteria.all() if c.kind_spec.has_cell]
    offers = decision.offers.count()
    filled = (
        Rating.objects.filter(offer__decision=decision, criterion_id__in=ratable)
        .exclude(value__isnull=True)
        .count()
    )
    return len(ratable) * offers - filled


@transaction.atomic
def homework_set(
    *,
    decision: Decision,
    coach: User,
    kind: str,
    exercise: str = "",
    prompt: str = "",
    due_on: dt.date | None = None,
) -> Homework:
    """Give the client something to do: a question (``prompt``), an exercise, or a
    task (``prompt`` and ``due_on``). Any of them may have a date to be done by."""
    prompt = prompt.strip()
    if kind not in Homework.Kind.values:
        raise ValidationError({"kind": "Choose a question, an exercise or a task."})
    if kind == Homework.Kind.EXERCISE:
        if exercise not in Homework.Exercise.values:
            raise ValidationError({"exercise": "Choose one of the exercises."})
        if exercise == Homework.Exercise.RATE and not decision.offers.exists():
            raise ValidationError({"exercise": "There is no offer to rate yet."})
        if exercise == Homework.Exercise.RATE and unrated_cells(decision) == 0:
            raise ValidationError(
                {"exercise": "Every offer is rated on every criterion already: nothing to do."}
            )
        if exercise == Homework.Exercise.LOOK_BACK and not lock_decision(decision.pk).is_decided:
            raise ValidationError(
                {"exercise": "There is no decision to look back on yet: ask once it is made."}
            )
    else:
        exercise = ""
        if not prompt:
            what = "question" if kind == Homework.Kind.QUESTION else "task"
            raise ValidationError({"prompt": f"Write the {what} first."})
    if kind == Homework.Kind.TASK and due_on is None:
        raise ValidationError({"due_on": "Give the date it should be done by."})
    if due_on is not None and due_on < timezone.localdate():
        raise ValidationError({"due_on": "That date has passed: choose today or later."})
    if len(prompt) > PROMPT_MAX:
        raise ValidationError({"prompt": "Keep it within 1,000 characters."})
    homework = Homework(
        decision=decision, coach=coach, kind=kind, exercise=exercise, prompt=prompt, due_on=due_on
    )
    homework.full_clean()
    homework.save()
    log_append(
        decision=decision,
        author=coach,
        kind=LogEntry.Kind.HOMEWORK_SET,
        summary=f"{coach.display_name} set homework: {homework.title}"[:300],
        body=prompt,
        data={"homework": homework.pk, "due_on": due_on},
    )
    return homework


def _locked(homework: Homework) -> Homework:
    return Homework.objects.select_for_update().select_related("decision").get(pk=homework.pk)


def _tick(homework: Homework, *, actor: User, answer: str = "") -> None:
    homework.done_at = timezone.now()
    homework.answer = answer
    homework.save(update_fields=["done_at", "answer"])
    log_append(
        decision=homework.decision,
        author=actor,
        kind=LogEntry.Kind.HOMEWORK_DONE,
        summary=f"Did the homework: {homework.title}"[:300],
        body=answer,
        data={"homework": homework.pk},
    )


@transaction.atomic
def homework_done(*, homework: Homework, actor: User, answer: str = "") -> bool:
    """The client does a question (``answer`` required) or a task (``answer`` an
    optional note). An exercise is done by doing it, not by saying so. False, with
    nothing written, if it was done or withdrawn meanwhile."""
    current = _locked(homework)
    if not current.is_pending:
        return False
    answer = answer.strip()
    if current.kind == Homework.Kind.EXERCISE:
        raise ValidationError("This exercise is ticked off when you do it: follow its link.")
    if current.kind == Homework.Kind.QUESTION and not answer:
        raise ValidationError({"answer": "Write your answer first."})
    if len(answer) > ANSWER_MAX:
        raise ValidationError({"answer": "Keep it within 4,000 characters."})
    _tick(current, actor=actor, answer=answer)
    return True


@transaction.atomic
def homework_withdraw(*, homework: Homework, coach: User) -> bool:
    """The coach takes back homework still to do; False if it was done or withdrawn."""
    current = _locked(homework)
    if not current.is_pending:
        return False
    current.withdrawn_at = timezone.now()
    current.save(update_fields=["withdrawn_at"])
    log_append(
        decision=current.decision,
        author=coach,
        kind=LogEntry.Kind.HOMEWORK_WITHDRAWN,
        summary=f"{coach.display_name} withdrew the homework: {current.title}"[:300],
        data={"homework": current.pk},
    )
    return True


def exercise_done(*, decision: Decision, actor: User, exercise: str) -> int:
    """Tick off ``decision``'s pending homework of this exercise; how many. Call it in
    the transaction of the change that does the exercise."""
    pending = (
        Homework.objects.pending()
        .select_for_update()
        .select_related("decision")
        .filter(decision=decision, kind=Homework.Kind.EXERCISE, exercise=exercise)
    )
    done = 0
    for homework in pending:
        _tick(homework, actor=actor)
        done += 1
    return done
