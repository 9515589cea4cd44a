"""Coaching between sessions: threads, homework, a coach's notes, what needs attention."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from http import HTTPStatus
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from decisions import services
from decisions.access import ACCESS_WITHDRAWN
from decisions.conversation import decision_threads, waiting_questions
from decisions.models import CoachGrant, CoachNote, Decision, Homework, LogEntry
from decisions.selectors import (
    ATTENTION,
    attention_reasons,
    coach_dashboard,
    decided_mood,
    feelings_timeline,
)
from offerdesk.accounts.models import User
from offerdesk.portability import export_user_data, import_user_data
from tests.factories import DecisionFactory, OfferFactory, UserFactory

pytestmark = pytest.mark.django_db


def _ask(decision: Decision, coach: User, body: str = "Why is culture at 20?", **kw) -> LogEntry:
    return services.coach_comment_add(decision=decision, coach=coach, body=body, asks=True, **kw)


# Threads ---------------------------------------------------------------------------


def test_a_question_waits_until_the_client_answers_it_and_a_follow_up_does_not_reopen_it(
    decision: Decision, user: User, coach: User
):
    question = _ask(decision, coach)
    comment = services.coach_comment_add(decision=decision, coach=coach, body="Nice work.")
    [first, second] = decision_threads(decision)
    assert (first.pk, first.waiting) == (question.pk, True)  # waiting comes first
    assert (second.pk, second.waiting) == (comment.pk, False)  # a comment asks nothing
    assert waiting_questions().count() == 1

    services.thread_answer(thread=question, author=user, body="Because the team is remote.")
    services.thread_answer(thread=question, author=coach, body="Remote how often?")
    thread = next(t for t in decision_threads(decision) if t.pk == question.pk)
    assert not thread.waiting
    assert [p.by_client for p in thread.posts] == [False, True, False]
    assert waiting_questions().count() == 0
    answer = LogEntry.objects.get(thread=question, author=user)
    assert (answer.kind, answer.private) == (LogEntry.Kind.ANSWER, False)
    assert answer.summary == f"{user.display_name} answered Robin Coach’s question"


def test_the_client_answers_on_their_coaching_page(
    owner_client: Client, decision: Decision, coach: User
):
    offer = OfferFactory(decision=decision, company="Northwind", role="Staff Engineer")
    question = _ask(decision, coach, about=f"offer:{offer.pk}")
    page = owner_client.get(reverse("decisions:coaching", args=[decision.pk])).content.decode()
    assert "Waiting for your answer" in page
    assert "About Northwind (Staff Engineer)" in page
    # The decision page says a question waits, and where to answer it.
    detail = owner_client.get(decision.get_absolute_url()).content.decode()
    assert "1 question waiting for your answer" in detail

    url = reverse("decisions:thread_answer", args=[decision.pk, question.pk])
    refused = owner_client.post(url, {"body": "   "})
    assert refused.status_code == HTTPStatus.BAD_REQUEST
    assert "Write your answer first." in refused.content.decode()
    assert not LogEntry.objects.filter(kind=LogEntry.Kind.ANSWER).exists()

    response = owner_client.post(url, {"body": "The pay, honestly."})
    assert response.status_code == HTTPStatus.FOUND
    assert response.url.endswith(f"#thread-{question.pk}")
    page = owner_client.get(response.url).content.decode()
    assert "The pay, honestly." in page
    assert "Waiting for your answer" not in page


def test_the_coach_asks_about_the_ranking_an_offer_or_a_shared_entry_but_never_a_private_one(
    coach_client: Client, decision: Decision, user: User
):
    offer = OfferFactory(decision=decision, company="Northwind")
    shared = services.reflection_add(decision=decision, actor=user, kind="goal", body="Grow")
    private = services.reflection_add(
        decision=decision, actor=user, kind="goal", body="Secret", private=True
    )
    url = reverse("coach:comment", args=[decision.pk])
    for about in ("ranking", f"offer:{offer.pk}", f"entry:{shared.pk}"):
        response = coach_client.post(url, {"asks": "question", "about": about, "body": "Why?"})
        assert response.status_code == HTTPStatus.FOUND, about
    abouts = [t.about_kind for t in decision_threads(decision)]
    assert sorted(abouts) == ["entry", "offer", "ranking"]

    before = LogEntry.objects.count()
    response = coach_client.post(url, {"about": f"entry:{private.pk}", "body": "And this?"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Secret" not in response.content.decode()
    assert LogEntry.objects.count() == before
    # Nor does the page that offers to ask about an entry name a private one.
    page = coach_client.get(
        reverse("coach:conversation", args=[decision.pk]), {"about": f"entry:{private.pk}"}
    ).content.decode()
    assert "Secret" not in page


def test_hidden_pay_stays_hidden_in_the_threads(
    coach_client: Client, decision: Decision, user: User, coach: User
):
    CoachGrant.objects.filter(coach=coach).update(hide_compensation=True)
    offer = OfferFactory(decision=decision, company="Northwind", base_salary=Decimal(123_456))
    _ask(decision, coach, about=f"offer:{offer.pk}")
    page = coach_client.get(reverse("coach:conversation", args=[decision.pk])).content.decode()
    assert "About Northwind" in page
    assert "123,456" not in page
    assert "123456" not in page


def test_a_revoked_coach_can_neither_read_nor_post_in_a_thread(
    coach_client: Client, decision: Decision, user: User, coach: User
):
    question = _ask(decision, coach)
    services.grant_revoke(grant=CoachGrant.objects.get(coach=coach), actor=user)
    before = LogEntry.objects.count()
    page = coach_client.get(reverse("coach:conversation", args=[decision.pk]))
    assert page.status_code == HTTPStatus.NOT_FOUND
    assert ACCESS_WITHDRAWN.rstrip(".") in page.content.decode()
    for name, args, data in (
        ("coach:follow_up", [decision.pk, question.pk], {"body": "Still there?"}),
        ("coach:comment", [decision.pk], {"body": "Hello?"}),
        ("coach:homework_set", [decision.pk], {"homework-kind": "question"}),
        ("coach:note_add", [decision.pk], {"note-body": "Lost a client"}),
    ):
        response = coach_client.post(reverse(name, args=args), data)
        assert response.status_code == HTTPStatus.NOT_FOUND, name
    assert LogEntry.objects.count() == before
    assert not Homework.objects.exists()
    assert not CoachNote.objects.exists()


# Homework --------------------------------------------------------------------------


def test_homework_goes_from_to_do_to_overdue_to_done(decision: Decision, user: User, coach: User):
    today = timezone.localdate()
    homework = services.homework_set(
        decision=decision,
        coach=coach,
        kind="question",
        prompt="Which offer would you miss?",
        due_on=today,
    )
    assert homework.state(today) == Homework.State.OPEN
    assert homework.state(today + dt.timedelta(days=1)) == Homework.State.OVERDUE
    with pytest.raises(ValidationError, match="Write your answer first"):
        services.homework_done(homework=homework, actor=user)
    assert services.homework_done(homework=homework, actor=user, answer="Northwind.")
    homework.refresh_from_db()
    assert homework.state(today + dt.timedelta(days=9)) == Homework.State.DONE
    done = LogEntry.objects.get(kind=LogEntry.Kind.HOMEWORK_DONE)
    assert (done.body, done.private) == ("Northwind.", False)
    # Done once: a second go writes nothing.
    assert not services.homework_done(homework=homework, actor=user, answer="Again")
    assert LogEntry.objects.filter(kind=LogEntry.Kind.HOMEWORK_DONE).count() == 1


def test_withdrawn_homework_cannot_be_done(decision: Decision, user: User, coach: User):
    homework = services.homework_set(
        decision=decision,
        coach=coach,
        kind="task",
        prompt="Call Northwind’s team lead",
        due_on=timezone.localdate() + dt.timedelta(days=2),
    )
    assert services.homework_withdraw(homework=homework, coach=coach)
    homework.refresh_from_db()
    assert homework.state() == Homework.State.WITHDRAWN
    assert not services.homework_done(homework=homework, actor=user)
    assert not services.homework_withdraw(homework=homework, coach=coach)


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"kind": "question", "prompt": " "}, "Write the question first."),
        ({"kind": "task", "prompt": "Call them"}, "Give the date it should be done by."),
        ({"kind": "exercise", "exercise": ""}, "Choose one of the exercises."),
        (
            {"kind": "question", "prompt": "Why?", "due_on": dt.date(2000, 1, 1)},
            "That date has passed",
        ),
    ],
)
def test_homework_that_cannot_be_done_is_refused(decision: Decision, coach: User, fields, error):
    with pytest.raises(ValidationError, match=error):
        services.homework_set(decision=decision, coach=coach, **fields)
    assert not Homework.objects.exists()
    assert not LogEntry.objects.filter(kind=LogEntry.Kind.HOMEWORK_SET).exists()


def test_an_exercise_is_ticked_off_by_doing_it(decision: Decision, user: User, coach: User):
    with pytest.raises(ValidationError, match="no offer to rate yet"):
        services.homework_set(decision=decision, coach=coach, kind="exercise", exercise="rate")
    offer = OfferFactory(decision=decision)
    rate = services.homework_set(decision=decision, coach=coach, kind="exercise", exercise="rate")
    swing = services.homework_set(decision=decision, coach=coach, kind="exercise", exercise="swing")
    with pytest.raises(ValidationError, match="no decision to look back on yet"):
        services.homework_set(decision=decision, coach=coach, kind="exercise", exercise="look_back")
    with pytest.raises(ValidationError, match="ticked off when you do it"):
        services.homework_done(homework=rate, actor=user)

    ratable = [c for c in decision.criteria.all() if c.kind_spec.has_cell]
    first, *rest = ratable
    cell = services.RatingInput(offer_id=offer.pk, criterion_id=first.pk, value=Decimal(6))
    services.ratings_save(decision=decision, actor=user, cells=[cell])
    rate.refresh_from_db()
    assert rate.is_pending  # some still unrated
    services.ratings_save(
        decision=decision,
        actor=user,
        cells=[
            services.RatingInput(offer_id=offer.pk, criterion_id=c.pk, value=Decimal(5))
            for c in rest
        ],
    )
    rate.refresh_from_db()
    assert rate.state() == Homework.State.DONE
    # With nothing left to rate, rating is no homework to set.
    with pytest.raises(ValidationError, match="rated on every criterion already"):
        services.homework_set(decision=decision, coach=coach, kind="exercise", exercise="rate")

    decision.refresh_from_db()
    weights = {c.pk: 50 for c in decision.criteria.all()}
    services.weights_from_wizard(
        decision=decision,
        actor=user,
        origin="swing",
        weights=weights,
        expected_version=decision.version,
        details={},
    )
    swing.refresh_from_db()
    assert swing.state() == Homework.State.DONE

    services.decision_decide(
        decision=decision, actor=user, chosen_offer=offer, why="", confidence=70, review_on=None
    )
    look_back = services.homework_set(
        decision=decision, coach=coach, kind="exercise", exercise="look_back"
    )
    # A private look back ticks nothing off, and tells the coach nothing.
    services.reflection_add(
        decision=decision, actor=user, kind="look_back", body="Mine.", private=True
    )
    look_back.refresh_from_db()
    assert look_back.is_pending
    [row] = coach_dashboard(coach)
    assert row.attention_look_back  # still due, as far as the coach can know
    services.reflection_add(decision=decision, actor=user, kind="look_back", body="Good call.")
    look_back.refresh_from_db()
    assert look_back.state() == Homework.State.DONE


def test_only_the_coach_who_set_homework_withdraws_it(
    coach_client: Client, decision: Decision, user: User, coach: User
):
    other = UserFactory()
    CoachGrant.objects.create(client=user, coach=other)
    theirs = services.homework_set(decision=decision, coach=other, kind="question", prompt="Why?")
    url = reverse("coach:homework_withdraw", args=[decision.pk, theirs.pk])
    assert coach_client.post(url).status_code == HTTPStatus.NOT_FOUND
    theirs.refresh_from_db()
    assert theirs.is_pending
    page = coach_client.get(reverse("coach:conversation", args=[decision.pk])).content.decode()
    assert url not in page  # nor is it offered


def test_the_client_sees_homework_on_the_decision_page_and_does_it(
    owner_client: Client, coach_client: Client, decision: Decision, coach: User
):
    response = coach_client.post(
        reverse("coach:homework_set", args=[decision.pk]),
        {"homework-kind": "question", "homework-prompt": "What would make you say no?"},
    )
    assert response.status_code == HTTPStatus.FOUND
    homework = Homework.objects.get()
    detail = owner_client.get(decision.get_absolute_url()).content.decode()
    assert "From your coach" in detail
    assert "What would make you say no?" in detail

    url = reverse("decisions:homework_done", args=[decision.pk, homework.pk])
    assert owner_client.post(url, {"answer": ""}).status_code == HTTPStatus.BAD_REQUEST
    assert owner_client.post(url, {"answer": "A long commute."}).status_code == HTTPStatus.FOUND
    assert "From your coach" not in owner_client.get(decision.get_absolute_url()).content.decode()
    page = coach_client.get(reverse("coach:conversation", args=[decision.pk])).content.decode()
    assert "A long commute." in page
    assert "badge--done" in page


# Notes -------------------------------------------------------------------------------


def test_a_coachs_notes_are_theirs_alone(
    owner_client: Client, coach_client: Client, decision: Decision, user: User, coach: User
):
    response = coach_client.post(
        reverse("coach:note_add", args=[decision.pk]), {"note-body": "Seems anxious about pay"}
    )
    assert response.status_code == HTTPStatus.FOUND
    note = CoachNote.objects.get()
    assert (note.coach, note.client) == (coach, user)
    assert "Seems anxious" in coach_client.get(response.url).content.decode()
    # Never on the client's pages, nor another coach's.
    for name in ("detail", "coaching", "log"):
        page = owner_client.get(reverse(f"decisions:{name}", args=[decision.pk]))
        assert "Seems anxious" not in page.content.decode(), name
    other = UserFactory()
    CoachGrant.objects.create(client=user, coach=other)
    browser = Client()
    browser.force_login(other)
    page = browser.get(reverse("coach:conversation", args=[decision.pk])).content.decode()
    assert "Seems anxious" not in page
    removal = reverse("coach:note_delete", args=[decision.pk, note.pk])
    assert browser.post(removal).status_code == HTTPStatus.NOT_FOUND
    assert coach_client.post(removal).status_code == HTTPStatus.FOUND
    assert not CoachNote.objects.exists()


# What needs attention ----------------------------------------------------------------


def _client_decision(coach: User, **fields) -> Decision:
    candidate = UserFactory()
    CoachGrant.objects.create(client=candidate, coach=coach)
    return DecisionFactory(owner=candidate, **fields)


def test_the_dashboard_puts_what_needs_attention_first(coach_client: Client, coach: User):
    today = timezone.localdate()
    calm = _client_decision(coach, title="Calm")
    services.reflection_add(decision=calm, actor=calm.owner, kind="goal", body="Fine")
    asked = _client_decision(coach, title="Asked")
    _ask(asked, coach)
    urgent = _client_decision(coach, title="Urgent")
    OfferFactory(decision=urgent, response_deadline=today + dt.timedelta(days=2))
    _ask(urgent, coach)
    late = _client_decision(coach, title="Late")
    homework = services.homework_set(
        decision=late, coach=coach, kind="question", prompt="Why?", due_on=today
    )
    Homework.objects.filter(pk=homework.pk).update(due_on=today - dt.timedelta(days=1))

    rows = list(coach_dashboard(coach))
    assert [d.title for d in rows] == ["Urgent", "Late", "Asked", "Calm"]
    reasons = {d.title: attention_reasons(d) for d in rows}
    words = {name: text for name, _, text in ATTENTION}
    assert reasons["Urgent"] == [words["attention_deadline"], words["attention_question"]]
    assert reasons["Late"] == [words["attention_homework"]]
    assert reasons["Calm"] == []

    page = coach_client.get(reverse("coach:dashboard")).content.decode()
    assert page.index("Urgent") < page.index("Late") < page.index("Asked") < page.index("Calm")
    assert words["attention_deadline"] in page


def test_a_decision_made_on_a_close_call_or_unsure_or_due_a_look_back_needs_attention(
    coach: User,
):
    today = timezone.localdate()
    decision = _client_decision(coach)
    offer = OfferFactory(decision=decision)
    OfferFactory(decision=decision)  # the same in every way: a close call
    services.decision_decide(
        decision=decision,
        actor=decision.owner,
        chosen_offer=offer,
        why="",
        confidence=40,
        review_on=today,
    )
    [row] = coach_dashboard(coach)
    words = {name: text for name, _, text in ATTENTION}
    assert attention_reasons(row) == [
        words["attention_close_call"],
        words["attention_confidence"],
        words["attention_look_back"],
    ]
    services.reflection_add(
        decision=decision, actor=decision.owner, kind="look_back", body="It went well."
    )
    [row] = coach_dashboard(coach)
    assert words["attention_look_back"] not in attention_reasons(row)


def test_a_quiet_client_needs_attention(coach: User):
    _client_decision(coach)
    [row] = coach_dashboard(coach)
    assert attention_reasons(row) == []  # just started
    later = timezone.now() + dt.timedelta(days=15)
    with mock.patch("django.utils.timezone.now", return_value=later):
        [row] = coach_dashboard(coach)
    assert attention_reasons(row) == [
        next(text for name, _, text in ATTENTION if name == "attention_quiet")
    ]


def test_the_dashboard_makes_the_same_queries_for_2_or_200_clients(
    coach_client: Client, coach: User, django_assert_max_num_queries
):
    counts = []
    for total in (2, 200):
        while len(coach_dashboard(coach)) < total:
            _ask(_client_decision(coach), coach)
        with django_assert_max_num_queries(15) as captured:
            response = coach_client.get(reverse("coach:dashboard"))
        assert response.context_data["page"].paginator.count == total
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


# Feelings and the reports --------------------------------------------------------------


def _pdf_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    # Text extraction may split a word where the font kerns it; compare without spaces.
    return "".join("".join(page.extract_text() for page in reader.pages).split())


def test_feelings_make_a_timeline_with_the_decision_on_it(decision: Decision, user: User):
    assert feelings_timeline(decision, for_coach=False) is None
    services.reflection_add(
        decision=decision, actor=user, kind="feeling", body="", feeling="Torn", intensity=4
    )
    services.reflection_add(
        decision=decision,
        actor=user,
        kind="feeling",
        body="",
        feeling="Anxious",
        intensity=2,
        private=True,
    )
    offer = OfferFactory(decision=decision)
    services.decision_decide(
        decision=decision, actor=user, chosen_offer=offer, why="", confidence=60, review_on=None
    )
    services.reflection_add(
        decision=decision, actor=user, kind="feeling", body="", feeling="Calm", intensity=3
    )
    decision.refresh_from_db()
    mine = feelings_timeline(decision, for_coach=False)
    assert [(p.feeling, p.intensity, p.tone) for p in mine.points] == [
        ("Torn", 4, "mixed"),
        ("Anxious", 2, "weigh"),
        ("Calm", 3, "lift"),
    ]
    assert (mine.points[0].x, mine.points[-1].x) == (0, 100)
    assert 0 < mine.decided_x < 100
    coaches = feelings_timeline(decision, for_coach=True)
    assert [p.feeling for p in coaches.points] == ["Torn", "Calm"]  # not the private one
    mood = decided_mood(decision, for_coach=True)
    assert (mood.confidence, mood.feeling.feeling) == (60, "Torn")
    assert decided_mood(decision, for_coach=False).feeling.feeling == "Anxious"


def test_the_look_back_recalls_how_sure_and_how_the_client_felt(
    owner_client: Client, decision: Decision, user: User
):
    services.reflection_add(
        decision=decision, actor=user, kind="feeling", body="", feeling="Torn", intensity=4
    )
    offer = OfferFactory(decision=decision)
    services.decision_decide(
        decision=decision, actor=user, chosen_offer=offer, why="", confidence=60,
        review_on=timezone.localdate(),
    )  # fmt: skip
    page = owner_client.get(decision.get_absolute_url()).content.decode()
    look_back = page.split('id="look-back-heading"', 1)[1].split("</section>", 1)[0]
    assert "60% sure, feeling torn (4 of 5)" in look_back
    assert "feelings__svg" in page  # the timeline, on the decision's record


def test_the_coachs_report_holds_threads_homework_feelings_and_their_notes_only(
    owner_client: Client, coach_client: Client, decision: Decision, user: User, coach: User
):
    question = _ask(decision, coach, body="Why is culture at twenty?")
    services.thread_answer(thread=question, author=user, body="Because remote matters more.")
    homework = services.homework_set(
        decision=decision, coach=coach, kind="question", prompt="Which offer would you miss?"
    )
    services.homework_done(homework=homework, actor=user, answer="Northwind, surely.")
    services.reflection_add(
        decision=decision, actor=user, kind="feeling", body="", feeling="Torn", intensity=4
    )
    services.coach_note_add(coach=coach, client=user, body="Anxious about telling her manager.")
    other = UserFactory()
    CoachGrant.objects.create(client=user, coach=other)
    services.coach_note_add(coach=other, client=user, body="Another coach’s private thought.")

    coach_copy = _pdf_text(coach_client.get(reverse("coach:report", args=[decision.pk])))
    for words in (
        "Whyiscultureattwenty?",
        "Becauseremotemattersmore.",
        "Whichofferwouldyoumiss?",
        "Northwind,surely.",
        "Feelingsovertime",
        "Anxiousabouttellinghermanager.",
    ):
        assert words in coach_copy, words
    assert "Anothercoach" not in coach_copy
    own_copy = _pdf_text(owner_client.get(reverse("decisions:report", args=[decision.pk])))
    assert "Becauseremotemattersmore." in own_copy
    assert "Anxiousabouttelling" not in own_copy
    assert "Yournotes" not in own_copy


def test_an_export_with_threads_and_homework_imports_the_clients_side(
    decision: Decision, user: User, coach: User
):
    question = _ask(decision, coach)
    services.thread_answer(thread=question, author=user, body="Because of the commute.")
    services.thread_answer(thread=question, author=coach, body="Say more next time.")
    homework = services.homework_set(decision=decision, coach=coach, kind="question", prompt="Why?")
    services.homework_done(homework=homework, actor=user, answer="For the team.")
    text = export_user_data(user)
    fresh = UserFactory()
    imported = import_user_data(fresh, text)
    # The coach's question, follow-up and homework are theirs: left out, and counted.
    assert imported.left_out == 3
    kept = LogEntry.objects.filter(decision__owner=fresh)
    assert {e.body for e in kept.filter(kind=LogEntry.Kind.ANSWER)} == {"Because of the commute."}
    assert kept.filter(kind=LogEntry.Kind.HOMEWORK_DONE, body="For the team.").exists()


def test_the_decide_page_shows_the_gut_beside_the_ranking(
    owner_client: Client, decision: Decision, user: User
):
    offer = OfferFactory(decision=decision, company="Northwind")
    OfferFactory(decision=decision, company="Fjord")
    services.reflection_add(
        decision=decision, actor=user, kind="feeling", body="", feeling="Torn", intensity=4
    )
    services.gut_check_add(decision=decision, actor=user, offer=offer, feeling="relieved")
    page = owner_client.get(reverse("decisions:decide", args=[decision.pk])).content.decode()
    assert "And your gut: feeling torn (4 of 5); gut check: relieved if Northwind won." in page
