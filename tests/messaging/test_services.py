"""The composer's state and the writes that save a draft: who decides "edited", and how."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from decisions import deadlines
from decisions import services as decision_services
from decisions.models import Decision, LogEntry, Offer
from messaging import purposes, services
from messaging.checks import MEDIUM_LIMITS
from messaging.compose import Choices
from messaging.models import Message
from messaging.selectors import saved_message, suggested_reason
from offerdesk.accounts.models import User
from tests.factories import OfferFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2027, 3, 10)


@pytest.fixture
def decided(decision: Decision, user: User) -> tuple[Offer, Offer]:
    user.full_name = "Alex Morgan"
    user.save()
    chosen = OfferFactory(decision=decision, company="Chosen Co", base_salary=Decimal(120_000))
    other = OfferFactory(
        decision=decision,
        company="Northwind",
        recruiter_name="Jana Krüger",
        recruiter_email="jana@northwind.example",
        base_salary=Decimal(60_000),
    )
    decision_services.decision_decide(
        decision=decision,
        actor=user,
        chosen_offer=chosen,
        why="Team",
        confidence=80,
        review_on=None,
    )
    chosen.refresh_from_db()
    other.refresh_from_db()
    return chosen, other


def _state(offer: Offer, user: User, **options):
    return services.composer_state(
        offer=offer, sender=user, message=saved_message(offer), today=TODAY, **options
    )


def _use(offer: Offer, user: User, **options) -> Message:
    choices = options.pop("choices", Choices())
    return services.message_use_generated(
        offer=offer, actor=user, choices=choices, recipient_name="Jana Krüger", **options
    )


def test_before_a_draft_the_state_starts_from_the_offer_and_the_suggested_reason(
    decided, user: User
):
    _, other = decided
    state = _state(other, user)
    assert state.message is None
    assert state.recipient_name == "Jana Krüger"
    assert state.choices.reason_choice == suggested_reason(other)
    assert state.draft.body.startswith("Hi Jana,")
    assert state.draft_initial is None
    assert state.form_initial["recipient_name"] == "Jana Krüger"
    assert state.form_initial["reason_choice"] == state.choices.reason_choice
    assert (state.edited, state.mailto) == (False, "")
    assert state.limit == MEDIUM_LIMITS["email"]
    assert state.length == len(state.draft.body)


def test_the_preview_follows_the_requested_choices(decided, user: User):
    _, other = decided
    _use(other, user)
    state = _state(other, user, choices=Choices(tone="formal", medium="short"), recipient_name="")
    assert state.draft.body.startswith("Dear Hiring Team,")
    assert state.limit == MEDIUM_LIMITS["short"]
    assert state.limit.most == 300
    assert state.message is not None  # the saved draft stays below the preview


def test_a_letter_is_measured_in_words_against_the_checks_own_range(decided, user: User):
    _, other = decided
    state = _state(other, user, choices=Choices(medium="letter"), recipient_name="Jana")
    assert (state.limit.unit, state.limit.least, state.limit.most) == ("words", 150, 250)
    assert state.length == len(state.draft.body.split())


def test_after_a_draft_the_state_follows_the_saved_choices(decided, user: User):
    _, other = decided
    _use(other, user, choices=Choices(tone="brief"))
    state = _state(other, user)
    assert state.choices.tone == "brief"
    assert state.draft_initial == {"subject": state.message.subject, "body": state.message.body}
    assert state.mailto.startswith("mailto:jana@northwind.example?subject=")


def test_the_state_knows_the_chosen_offer(decided, user: User):
    chosen, other = decided
    assert _state(chosen, user).is_chosen
    assert not _state(other, user).is_chosen


def test_using_the_generated_text_saves_it_unedited_and_logs_once(decided, user: User):
    _, other = decided
    message = _use(other, user)
    generated = services.generate(
        sender=user, offer=other, choices=Choices(), recipient_name="Jana Krüger"
    )
    assert (message.subject, message.body) == (generated.subject, generated.body)
    assert not message.edited
    assert other.decision.log_entries.filter(kind=LogEntry.Kind.MESSAGE_DRAFTED).count() == 1


def test_saving_different_text_marks_it_edited(decided, user: User):
    _, other = decided
    _use(other, user)
    message = services.message_save_edits(
        offer=other, actor=user, subject="Thanks", body="My own words."
    )
    assert (message.body, message.edited) == ("My own words.", True)
    assert _state(other, user).edited


def test_saving_the_generated_text_unchanged_is_not_an_edit(decided, user: User):
    _, other = decided
    saved = _use(other, user)
    services.message_save_edits(
        offer=other, actor=user, subject=saved.subject, body=f"\n{saved.body}\n  "
    )
    assert not Message.objects.get(pk=saved.pk).edited


def test_an_edit_of_the_subject_alone_is_an_edit(decided, user: User):
    _, other = decided
    saved = _use(other, user)
    message = services.message_save_edits(
        offer=other, actor=user, subject="My subject", body=saved.body
    )
    assert message.edited


def test_regenerating_refuses_to_overwrite_edits_unless_asked(decided, user: User):
    _, other = decided
    _use(other, user)
    services.message_save_edits(offer=other, actor=user, subject="Thanks", body="Mine.")
    drafted = other.decision.log_entries.filter(kind=LogEntry.Kind.MESSAGE_DRAFTED).count()
    with pytest.raises(ValidationError) as refused:
        _use(other, user, choices=Choices(tone="brief"))
    assert refused.value.code == services.EDITED
    message = Message.objects.get(offer=other)
    assert (message.body, message.edited, message.tone) == ("Mine.", True, "warm")
    assert other.decision.log_entries.filter(kind="message_drafted").count() == drafted

    replaced = _use(other, user, choices=Choices(tone="brief"), replace_edits=True)
    assert replaced.body.startswith("Hello Jana,")
    assert not replaced.edited


def test_a_short_message_too_long_is_refused_on_the_body(decided, user: User):
    _, other = decided
    _use(other, user, choices=Choices(medium="short"))
    with pytest.raises(ValidationError) as refused:
        services.message_save_edits(offer=other, actor=user, subject="", body="z" * 1001)
    assert "body" in refused.value.error_dict


def test_saving_edits_needs_a_draft(decided, user: User):
    _, other = decided
    with pytest.raises(Message.DoesNotExist):
        services.message_save_edits(offer=other, actor=user, subject="", body="Mine.")


def _timing_check(state):
    [timing] = [c for c in state.review.checks if c.code in {"timing", "timing_ok"}]
    return timing


@pytest.mark.parametrize(
    ("days", "urgency", "level"),
    [(-1, "passed", "problem"), (2, "soon", "warning"), (3, "later", "ok")],
)
def test_the_timing_check_and_the_badge_share_the_one_rule(
    decided, user: User, days, urgency, level
):
    _, other = decided
    Offer.objects.filter(pk=other.pk).update(response_deadline=TODAY + dt.timedelta(days=days))
    other.refresh_from_db()
    state = _state(other, user)
    timing = _timing_check(state)
    assert (state.days_left, state.urgency, timing.level) == (days, urgency, level)


def test_moving_the_threshold_moves_the_timing_check_with_it(
    decided, user: User, monkeypatch: pytest.MonkeyPatch
):
    _, other = decided
    Offer.objects.filter(pk=other.pk).update(response_deadline=TODAY + dt.timedelta(days=3))
    other.refresh_from_db()
    monkeypatch.setattr(deadlines, "SOON_DAYS", 3)
    state = _state(other, user)
    assert state.urgency == "soon"
    assert _timing_check(state).message == "The reply deadline is in 3 days. Send it now."


@pytest.mark.parametrize(
    ("code", "timed"),
    [("decline", True), ("accept", True), ("counter", True), ("extension", True),
     ("withdraw", False), ("still_open", False), ("keep_in_touch", False)],
)  # fmt: skip
def test_only_a_message_that_answers_the_offer_is_timed_by_its_deadline(
    decided, user: User, code: str, timed: bool, monkeypatch: pytest.MonkeyPatch
):
    _, other = decided
    Offer.objects.filter(pk=other.pk).update(response_deadline=TODAY - dt.timedelta(days=1))
    other.refresh_from_db()
    purpose = purposes.get(code)
    choices = Choices(purpose=code, medium=purpose.media[0], details={"start_date": ""})
    seen = []
    review = services.review
    monkeypatch.setattr(
        services, "review", lambda *args, **kw: seen.append(kw["deadline"]) or review(*args, **kw)
    )
    state = _state(other, user, purpose=purpose, choices=choices)
    assert seen == [other.response_deadline if timed else None]
    assert (_timing_check(state).code == "timing") is timed
    # The page still shows the offer's deadline whatever the message.
    assert state.days_left == -1


def test_every_purpose_with_details_starts_from_its_own_defaults_and_no_other(decided):
    _, other = decided
    assert set(services.DEFAULT_DETAILS) == {
        purpose.code for purpose in purposes.PURPOSES.values() if purpose.details
    }
    for code, details in services.DEFAULT_DETAILS.items():
        assert set(details(other)) <= set(purposes.get(code).details), code


def test_without_a_deadline_the_state_says_so(decided, user: User):
    _, other = decided
    state = _state(other, user)
    assert (state.deadline, state.days_left, state.urgency) == (None, None, "none")
    assert _timing_check(state).message.startswith("No reply deadline")


def test_the_reason_suggested_for_losing_on_pay_is_compensation_whatever_its_name(
    decided, user: User
):
    _, other = decided
    # Named so that its words say nothing of pay: only its kind can tell.
    other.decision.criteria.filter(name="Salary").update(name="Total package")
    assert suggested_reason(other) == "compensation"
