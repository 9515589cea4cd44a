"""The decision log: append-only, readable by day, and the candidate's own reflections."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from decisions import services
from decisions.models import AppendOnlyError, Decision, LogEntry
from decisions.prompts import REFLECTIVE_QUESTIONS
from offerdesk.accounts.models import User
from tests.factories import OfferFactory

pytestmark = pytest.mark.django_db


def test_an_entry_cannot_be_changed(decision: Decision):
    entry = decision.log_entries.get()
    entry.summary = "Rewritten history"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        LogEntry.objects.filter(pk=entry.pk).update(summary="Rewritten")
    assert LogEntry.objects.get(pk=entry.pk).summary.startswith("Started")


def test_an_entry_cannot_be_deleted(decision: Decision):
    entry = decision.log_entries.get()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        LogEntry.objects.filter(pk=entry.pk).delete()
    assert LogEntry.objects.filter(pk=entry.pk).exists()


def test_the_log_shows_weight_changes_before_and_after(
    owner_client: Client, decision: Decision, user: User
):
    services.criteria_reweight(
        decision=decision, actor=user, weights={c.pk: 20 for c in decision.criteria.all()}
    )
    response = owner_client.get(reverse("decisions:log", args=[decision.pk]))
    assert response.status_code == HTTPStatus.OK
    text = response.content.decode()
    assert "Salary: 30 → <strong>20</strong>" in text
    [(day, entries)] = response.context_data["view"].log.days
    assert day == timezone.localdate()
    assert [e.kind for e in entries] == ["weights_changed", "decision_created"]


def test_the_log_filters_by_kind_and_pages(owner_client: Client, decision: Decision, user: User):
    for i in range(35):
        services.reflection_add(decision=decision, actor=user, kind="goal", body=f"Goal {i}")
    url = reverse("decisions:log", args=[decision.pk])
    first = owner_client.get(url, {"kind": "goal"})
    assert first.context_data["view"].log.count == 35
    assert len(first.context_data["view"].log.entries) == 30
    assert first.context_data["view"].log.older == 5
    second = owner_client.get(url, {"kind": "goal", "page": 2})
    assert len(second.context_data["view"].log.entries) == 5
    assert second.context_data["view"].log.older == 0
    unknown = owner_client.get(url, {"kind": "nonsense"})
    assert unknown.context_data["view"].log.kind == ""


def test_the_log_makes_the_same_queries_for_10_or_100_entries(
    owner_client: Client, decision: Decision, user: User, django_assert_max_num_queries
):
    counts = []
    for total in (10, 100):
        while decision.log_entries.count() < total:
            services.reflection_add(decision=decision, actor=user, kind="goal", body="x")
        with django_assert_max_num_queries(20) as captured:
            owner_client.get(reverse("decisions:log", args=[decision.pk]))
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


def test_ratings_changes_show_their_notes(owner_client: Client, decision: Decision, user: User):
    offer = OfferFactory(decision=decision, company="Acme")
    culture = decision.criteria.get(name="Culture")
    services.ratings_save(
        decision=decision,
        actor=user,
        cells=[
            services.RatingInput(
                offer_id=offer.pk, criterion_id=culture.pk, value=Decimal(7), note="Kind team"
            )
        ],
    )
    text = owner_client.get(reverse("decisions:log", args=[decision.pk])).content.decode()
    assert "Acme · Culture: — → <strong>7/10</strong>" in text
    assert "“Kind team”" in text


def test_reflections_of_every_kind_land_in_the_log(owner_client: Client, decision: Decision):
    url = reverse("decisions:reflect", args=[decision.pk])
    page = owner_client.get(url)
    assert page.context_data["question"] == REFLECTIVE_QUESTIONS[0]
    owner_client.post(url, {"kind": "goal", "goal-body": "Lead a team"})
    owner_client.post(url, {"kind": "scenario", "scenario-body": "If I wait, I keep my bonus"})
    owner_client.post(
        url, {"kind": "reflection", "reflection-body": "Fjord", "reflection-private": "on"}
    )
    owner_client.post(url, {"kind": "feeling", "feeling-feeling": "Torn", "feeling-intensity": "4"})
    entries = {e.kind: e for e in decision.log_entries.all()}
    assert entries["goal"].body == "Lead a team"
    assert entries["scenario"].body.startswith("If I wait")
    assert entries["reflection"].data["question"] == REFLECTIVE_QUESTIONS[0]
    assert entries["reflection"].private
    assert entries["feeling"].data == {"feeling": "Torn", "intensity": 4}
    assert owner_client.get(url).context_data["question"] == REFLECTIVE_QUESTIONS[1]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"kind": "goal", "goal-body": ""}, "body"),
        ({"kind": "feeling", "feeling-feeling": "Elated", "feeling-intensity": "3"}, "feeling"),
        ({"kind": "feeling", "feeling-feeling": "Torn", "feeling-intensity": "9"}, "intensity"),
        ({"kind": "scenario", "scenario-body": "x" * 4001}, "body"),
    ],
)
def test_bad_reflections_are_field_errors(owner_client: Client, decision: Decision, data, field):
    response = owner_client.post(reverse("decisions:reflect", args=[decision.pk]), data)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert field in response.context_data["forms"][data["kind"]].errors
    assert decision.log_entries.count() == 1


def test_the_look_back_is_offered_from_the_review_date(
    owner_client: Client, decision: Decision, user: User
):
    offer = OfferFactory(decision=decision)
    services.decision_decide(
        decision=decision,
        actor=user,
        chosen_offer=offer,
        why="",
        confidence=60,
        review_on=timezone.localdate() + dt.timedelta(days=1),
    )
    assert not owner_client.get(decision.get_absolute_url()).context_data["overview"].look_back_due
    Decision.objects.filter(pk=decision.pk).update(review_on=timezone.localdate())
    page = owner_client.get(decision.get_absolute_url())
    assert page.context_data["overview"].look_back_due
    assert b"How did it turn out?" in page.content
    owner_client.post(
        reverse("decisions:look_back", args=[decision.pk]), {"look_back-body": "Good call."}
    )
    assert decision.log_entries.filter(kind="look_back", body="Good call.").exists()
    assert not owner_client.get(decision.get_absolute_url()).context_data["overview"].look_back_due


def test_a_look_back_needs_a_decision(decision: Decision, user: User):
    with pytest.raises(ValidationError):
        services.reflection_add(decision=decision, actor=user, kind="look_back", body="Hm")


def test_a_message_entry_is_labelled_for_what_it_is_not_as_a_decline(
    owner_client: Client, decision: Decision, user: User
):
    LogEntry.objects.create(
        decision=decision,
        author=user,
        kind=LogEntry.Kind.MESSAGE_SENT,
        summary="Sent an e-mail accepting Data Engineer at Acme",
    )
    text = owner_client.get(reverse("decisions:log", args=[decision.pk])).content.decode()
    assert "Message sent" in text
    assert "Sent an e-mail accepting Data Engineer at Acme" in text
    assert "Decline message" not in text


def test_the_log_and_overview_give_valid_machine_times(owner_client: Client, decision: Decision):
    # HTML's datetime takes up to three digits of a second: the seconds alone, then.
    pages = [
        owner_client.get(reverse("decisions:log", args=[decision.pk])).content.decode(),
        owner_client.get(decision.get_absolute_url()).content.decode(),
    ]
    for page in pages:
        times = re.findall(r'<time[^>]* datetime="([^"]+)"', page)
        assert times
        for value in times:
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", value), value


def test_the_log_writes_a_changed_day_as_the_pages_do(
    owner_client: Client, decision: Decision, user: User
):
    offer = OfferFactory(decision=decision, response_deadline=dt.date(2026, 12, 12))
    stored = services.OfferData(
        **{name: getattr(offer, name) for name in services.OfferData.__dataclass_fields__}
    )
    services.offer_update(
        offer=offer,
        actor=user,
        data=dataclasses.replace(stored, response_deadline=dt.date(2027, 2, 27)),
    )
    page = owner_client.get(reverse("decisions:log", args=[decision.pk])).content.decode()
    assert "Dec. 12, 2026" in page
    assert "Feb. 27, 2027" in page
    assert "2027-02-27<" not in page


def test_an_export_is_no_step_of_the_story_the_log_tells(client, user, decision):
    from decisions.models import LogEntry as Entry

    decision.log_entries.create(
        kind=Entry.Kind.MESSAGE_EXPORTED, author=user, summary="Exported a decline as a .txt file"
    )
    client.force_login(user)
    log_page = client.get(reverse("decisions:log", args=[decision.pk])).content.decode()
    overview = client.get(reverse("decisions:detail", args=[decision.pk])).content.decode()
    assert "Exported a decline" not in log_page
    assert "Exported a decline" not in overview
    assert 'value="message_exported"' not in log_page


def test_consecutive_weight_changes_read_as_one_entry_with_its_steps_inside(
    owner_client: Client, decision: Decision, user: User
):
    for weight in (20, 25, 40):
        decision.refresh_from_db()
        services.criteria_reweight(
            decision=decision, actor=user, weights={c.pk: weight for c in decision.criteria.all()}
        )
    services.reflection_add(decision=decision, actor=user, kind="reflection", body="Slept on it.")
    decision.refresh_from_db()
    services.criteria_reweight(
        decision=decision, actor=user, weights={c.pk: 10 for c in decision.criteria.all()}
    )
    response = owner_client.get(reverse("decisions:log", args=[decision.pk]))
    [(_, runs)] = response.context_data["view"].log.day_runs
    # A reflection between them ends a run: the change after it stands alone.
    assert [(run.latest.kind, len(run.earlier)) for run in runs] == [
        ("weights_changed", 0),
        ("reflection", 0),
        ("weights_changed", 2),
        ("decision_created", 0),
    ]
    html = response.content.decode()
    assert html.count('class="log-entry__earlier"') == 1
    assert "2 earlier changes just before" in html
    # The newest of the run shows where it ended, the steps stay readable inside it.
    assert "25 → <strong>40</strong>" in html
    assert "20 → <strong>25</strong>" in html
    # Shown together, still stored one by one.
    assert decision.log_entries.filter(kind="weights_changed").count() == 4
