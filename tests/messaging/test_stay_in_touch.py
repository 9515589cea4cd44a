"""Staying in touch after a decline: the day (messaging.services.stay_in_touch_set and
its form and views), its calendar event (messaging.documents.stay_in_touch_ics) and the
note Offerdesk drafts (templates/messaging/blocks/keep_in_touch/)."""

from __future__ import annotations

import datetime as dt
import re
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from decisions.models import Decision, LogEntry, Offer
from messaging import documents, purposes
from messaging.compose import Choices, Parties
from messaging.forms import StayInTouchForm, months_after
from messaging.models import Message
from messaging.services import stay_in_touch_set
from offerdesk.accounts.models import User
from offerdesk.formats import date_text
from tests.factories import OfferFactory

pytestmark = pytest.mark.django_db

TONES = ("formal", "warm", "brief")


@pytest.fixture
def declined(decision: Decision) -> Offer:
    """An offer whose decline went out a week ago."""
    offer = OfferFactory(
        decision=decision,
        company="Northwind",
        role="Senior Data Analyst",
        recruiter_name="Jana Krüger",
        status=Offer.Status.DECLINED,
    )
    Message.objects.create(
        offer=offer,
        subject="Your offer",
        body="Thank you, but I will not be accepting.",
        sent_on=timezone.localdate() - dt.timedelta(days=7),
    )
    return offer


def _set_url(offer: Offer) -> str:
    return reverse("messaging:stay_in_touch", args=[offer.decision_id, offer.pk])


def _ics_url(offer: Offer) -> str:
    return reverse("messaging:stay_in_touch_ics", args=[offer.decision_id, offer.pk])


# Months --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2026, 12, 4), 6, dt.date(2027, 6, 4)),
        (dt.date(2026, 8, 31), 6, dt.date(2027, 2, 28)),
        (dt.date(2027, 8, 31), 6, dt.date(2028, 2, 29)),
        (dt.date(2026, 11, 30), 3, dt.date(2027, 2, 28)),
        (dt.date(2026, 1, 15), 12, dt.date(2027, 1, 15)),
        (dt.date(2026, 10, 31), 1, dt.date(2026, 11, 30)),
    ],
)
def test_months_after_keeps_the_day_or_takes_the_months_last(day, months, expected):
    assert months_after(day, months) == expected


# The service ---------------------------------------------------------------------------


def test_setting_the_day_stores_it_and_logs_one_change(declined: Offer, user: User):
    day = timezone.localdate() + dt.timedelta(days=180)

    stay_in_touch_set(offer=declined, actor=user, on=day)

    declined.refresh_from_db()
    assert declined.stay_in_touch_on == day
    entry = declined.decision.log_entries.get(kind=LogEntry.Kind.OFFER_CHANGED)
    assert entry.summary == f"Planned a friendly note to Northwind on {date_text(day)}"
    assert entry.data["changes"] == {"stay_in_touch_on": {"before": None, "after": day.isoformat()}}


def test_clearing_the_day_logs_too_and_setting_it_again_unchanged_writes_nothing(
    declined: Offer, user: User
):
    day = timezone.localdate() + dt.timedelta(days=90)
    stay_in_touch_set(offer=declined, actor=user, on=day)
    stay_in_touch_set(offer=declined, actor=user, on=day)
    stay_in_touch_set(offer=declined, actor=user, on=None)

    declined.refresh_from_db()
    assert declined.stay_in_touch_on is None
    entries = list(
        declined.decision.log_entries.filter(kind=LogEntry.Kind.OFFER_CHANGED).order_by("pk")
    )
    assert [entry.summary for entry in entries] == [
        f"Planned a friendly note to Northwind on {date_text(day)}",
        "No longer planning a note to Northwind",
    ]
    assert entries[1].data["changes"]["stay_in_touch_on"] == {
        "before": day.isoformat(),
        "after": None,
    }


def test_a_day_already_past_is_refused(declined: Offer, user: User):
    with pytest.raises(ValidationError, match="That day has passed"):
        stay_in_touch_set(
            offer=declined, actor=user, on=timezone.localdate() - dt.timedelta(days=1)
        )

    declined.refresh_from_db()
    assert declined.stay_in_touch_on is None
    assert not declined.decision.log_entries.filter(kind=LogEntry.Kind.OFFER_CHANGED).exists()


def test_a_day_past_two_years_is_refused(declined: Offer, user: User):
    furthest = timezone.localdate() + dt.timedelta(days=2 * 366)
    with pytest.raises(ValidationError, match="within the next two years"):
        stay_in_touch_set(offer=declined, actor=user, on=dt.date(2099, 1, 1))
    with pytest.raises(ValidationError, match="within the next two years"):
        stay_in_touch_set(offer=declined, actor=user, on=furthest + dt.timedelta(days=1))
    declined.refresh_from_db()
    assert declined.stay_in_touch_on is None
    assert stay_in_touch_set(offer=declined, actor=user, on=furthest).stay_in_touch_on == furthest


@pytest.mark.parametrize("sent", [False, True])
def test_no_day_before_the_candidates_decline_went_out(offer: Offer, user: User, sent: bool):
    # A draft not yet sent, or a decline written as the employer, is no decline sent.
    Message.objects.create(
        offer=offer,
        body="No.",
        direction="employer" if sent else "candidate",
        reason_choice="none",
        sent_on=timezone.localdate() if sent else None,
    )

    with pytest.raises(ValidationError, match="Mark your decline as sent first"):
        stay_in_touch_set(offer=offer, actor=user, on=timezone.localdate())

    offer.refresh_from_db()
    assert offer.stay_in_touch_on is None


# The form ------------------------------------------------------------------------------


def test_the_form_offers_three_six_and_twelve_months_after_the_decline_six_first():
    sent = timezone.localdate() - dt.timedelta(days=2)
    form = StayInTouchForm(sent_on=sent, current=None)

    assert [code for code, _ in form.fields["when"].choices] == ["3", "6", "12", "own"]
    assert form.fields["when"].initial == "6"
    assert form.dates["12"] == months_after(sent, 12)


def test_a_month_whose_day_has_passed_is_not_offered():
    form = StayInTouchForm(sent_on=timezone.localdate() - dt.timedelta(days=200), current=None)

    assert [code for code, _ in form.fields["when"].choices] == ["12", "own"]
    assert form.fields["when"].initial == "12"


def test_a_day_of_ones_own_needs_a_day_today_or_later():
    sent = timezone.localdate() - dt.timedelta(days=2)
    yesterday = timezone.localdate() - dt.timedelta(days=1)

    missing = StayInTouchForm({"when": "own", "back": "hub"}, sent_on=sent, current=None)
    past = StayInTouchForm(
        {"when": "own", "on": yesterday.isoformat(), "back": "hub"}, sent_on=sent, current=None
    )
    today = StayInTouchForm(
        {"when": "own", "on": timezone.localdate().isoformat(), "back": "hub"},
        sent_on=sent,
        current=None,
    )

    far = StayInTouchForm(
        {"when": "own", "on": "2099-01-01", "back": "hub"}, sent_on=sent, current=None
    )

    assert missing.errors["on"] == ["Pick the day you would like the reminder."]
    assert past.errors["on"] == ["That day has passed: pick today or a day to come."]
    assert far.errors["on"] == [
        "Pick a day within the next two years, while the recruiter still remembers you."
    ]
    assert (
        far.fields["on"].widget.attrs["max"]
        == (timezone.localdate() + dt.timedelta(days=2 * 366)).isoformat()
    )
    assert today.is_valid()
    assert today.day() == timezone.localdate()


# The views -----------------------------------------------------------------------------


def test_the_composer_of_a_sent_decline_offers_the_reminder(owner_client: Client, declined):
    page = owner_client.get(
        reverse("messaging:compose", args=[declined.decision_id, declined.pk, "decline"])
    )

    assert isinstance(page.context_data["stay_in_touch_form"], StayInTouchForm)
    assert "Stay in touch with Northwind" in page.content.decode()


def test_a_decline_not_yet_sent_offers_no_reminder(owner_client: Client, offer: Offer):
    Message.objects.create(offer=offer, body="No.")

    page = owner_client.get(
        reverse("messaging:compose", args=[offer.decision_id, offer.pk, "decline"])
    )

    assert page.context_data["stay_in_touch_form"] is None
    assert "Stay in touch with" not in page.content.decode()
    refused = owner_client.post(_set_url(offer), {"when": "6", "back": "compose"})
    assert refused.status_code == HTTPStatus.NOT_FOUND


def test_picking_six_months_sets_the_day_and_the_hub_shows_it(owner_client: Client, declined):
    sent = Message.objects.get(offer=declined).sent_on

    response = owner_client.post(_set_url(declined), {"when": "6", "back": "hub"})

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("messaging:hub", args=[declined.decision_id])
    declined.refresh_from_db()
    assert declined.stay_in_touch_on == months_after(sent, 6)
    hub = owner_client.get(response["Location"]).content.decode()
    assert f"Note due {date_format(declined.stay_in_touch_on)}" in hub
    assert _ics_url(declined) in hub
    assert (
        reverse("messaging:compose", args=[declined.decision_id, declined.pk, "keep-in-touch"])
        in hub
    )


def test_a_past_day_of_ones_own_is_a_400_on_the_page_it_came_from(
    owner_client: Client, declined: Offer
):
    yesterday = timezone.localdate() - dt.timedelta(days=1)

    response = owner_client.post(
        _set_url(declined), {"when": "own", "on": yesterday.isoformat(), "back": "compose"}
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.template_name == "messaging/compose.html"
    assert "That day has passed" in response.content.decode()
    declined.refresh_from_db()
    assert declined.stay_in_touch_on is None


def test_clearing_from_the_composer_empties_the_day(owner_client: Client, declined, user):
    stay_in_touch_set(offer=declined, actor=user, on=timezone.localdate())

    response = owner_client.post(
        _set_url(declined), {"when": "own", "action": "clear", "back": "compose"}
    )

    assert response.status_code == HTTPStatus.FOUND
    declined.refresh_from_db()
    assert declined.stay_in_touch_on is None


def test_another_users_offer_is_a_404_and_stays_as_it_was(
    client: Client, declined: Offer, other_user: User
):
    client.force_login(other_user)

    assert client.post(_set_url(declined), {"when": "6"}).status_code == HTTPStatus.NOT_FOUND
    declined.refresh_from_db()
    declined.stay_in_touch_on = timezone.localdate()
    declined.save()
    assert client.get(_ics_url(declined)).status_code == HTTPStatus.NOT_FOUND


def test_the_decision_page_lists_the_notes_planned_soonest_first(
    owner_client: Client, declined: Offer, user: User, decision: Decision
):
    later = OfferFactory(decision=decision, company="Globex", status=Offer.Status.DECLINED)
    Message.objects.create(offer=later, body="No.", sent_on=timezone.localdate())
    stay_in_touch_set(offer=later, actor=user, on=timezone.localdate() + dt.timedelta(days=300))
    stay_in_touch_set(offer=declined, actor=user, on=timezone.localdate() + dt.timedelta(days=90))

    page = owner_client.get(decision.get_absolute_url()).content.decode()

    notes = page[page.index("Notes to send, to stay in touch") :]
    assert notes.index("Northwind") < notes.index("Globex")
    assert reverse("messaging:compose", args=[decision.pk, later.pk, "keep-in-touch"]) in notes


def test_no_note_planned_no_list(owner_client: Client, declined: Offer, decision: Decision):
    page = owner_client.get(decision.get_absolute_url()).content.decode()

    assert "Notes to send" not in page


def test_the_calendar_event_is_a_download_on_the_day_that_writes_nothing(
    owner_client: Client, declined: Offer, user: User
):
    day = timezone.localdate() + dt.timedelta(days=30)
    stay_in_touch_set(offer=declined, actor=user, on=day)
    entries = LogEntry.objects.count()

    response = owner_client.get(_ics_url(declined))

    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="stay-in-touch-northwind-{day.isoformat()}.ics"'
    )
    [event] = Calendar.from_ical(response.content).walk("VEVENT")
    assert event.decoded("dtstart") == day
    assert event.decoded("dtend") == day + dt.timedelta(days=1)
    assert str(event["summary"]) == "Send Jana Krüger a friendly note (Northwind)"
    description = str(event["description"])
    assert "Senior Data Analyst offer on" in description
    assert "/keep-in-touch/" in description
    assert LogEntry.objects.count() == entries
    assert owner_client.post(_ics_url(declined)).status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_no_day_no_calendar_event(owner_client: Client, declined: Offer):
    assert owner_client.get(_ics_url(declined)).status_code == HTTPStatus.NOT_FOUND
    with pytest.raises(ValueError, match="no day"):
        documents.stay_in_touch_ics(declined, declined_on=None)


# The note ------------------------------------------------------------------------------

# As long as an offer's role and company may be.
LONG_ROLE = ("Senior Principal Data Analyst, " * 4)[:120]
LONG_COMPANY = ("Northwind Traders " * 7)[:120]


def _context(tone: str, *, role: str = "Senior Data Analyst", company: str = "Northwind"):
    choices = Choices(purpose=purposes.KEEP_IN_TOUCH, tone=tone)
    parties = Parties(
        sender_name="Alex Morgan",
        signature="Alex Morgan",
        company=company,
        role=role,
        recipient_name="Jana Krüger",
    )
    return {"c": choices, "d": {}, "p": parties, "purpose": purposes.get("keep_in_touch")}


def _render(name: str, tone: str, **names: str) -> str:
    folder = "messaging/blocks/keep_in_touch"
    return render_to_string(f"{folder}/{name}", _context(tone, **names)).strip()


@pytest.mark.parametrize("tone", TONES)
def test_every_block_of_the_note_is_written_in_every_tone(tone: str):
    texts = [_render(f"{block}_{tone}.txt", tone) for block in purposes.get("keep_in_touch").blocks]

    assert all(texts)
    assert "Senior Data Analyst" in texts[0]
    note = " ".join(texts)
    # Friendly and light: it asks for nothing and never revisits the decision.
    assert "?" not in note
    assert not re.search(r"\b(reconsider|still open|change my mind|accept)\b", note, re.I)
    assert re.search(r"\bno (?:need to )?reply", note, re.I)


@pytest.mark.parametrize("tone", TONES)
def test_the_short_note_names_the_role_in_two_or_three_sentences(tone: str):
    text = _render(f"short_{tone}.txt", tone)

    assert "the Senior Data Analyst offer" in text or "Senior Data Analyst position" in text
    assert 2 <= len(re.findall(r"[.!?](?:\s|$)", text)) <= 3
    assert "?" not in text


@pytest.mark.parametrize("tone", TONES)
def test_the_short_note_stays_within_300_characters_with_the_longest_names(tone: str):
    assert len(LONG_ROLE) == Offer._meta.get_field("role").max_length
    assert len(LONG_COMPANY) == Offer._meta.get_field("company").max_length
    text = _render(f"short_{tone}.txt", tone, role=LONG_ROLE, company=LONG_COMPANY)

    assert LONG_ROLE in text
    assert len(text) <= 300


@pytest.mark.parametrize("tone", TONES)
def test_the_subject_names_the_role_and_fits_its_field(tone: str):
    subject = _render("_subject.txt", tone, role=LONG_ROLE)

    assert LONG_ROLE in subject
    assert "\n" not in subject
    assert len(subject) <= Message._meta.get_field("subject").max_length


def test_the_note_is_drafted_at_its_own_address(owner_client: Client, declined: Offer):
    page = owner_client.get(
        reverse("messaging:compose", args=[declined.decision_id, declined.pk, "keep-in-touch"])
    )

    assert page.status_code == HTTPStatus.OK
    composer = page.context_data["composer"]
    assert composer.purpose.code == "keep_in_touch"
    assert composer.draft.subject == "Hello again, after the Senior Data Analyst offer"
    assert [code for code, _ in page.context_data["form"].fields["medium"].choices] == [
        "email",
        "short",
    ]


texts = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
days = st.dates(dt.date(1900, 1, 1), dt.date(2200, 1, 1)).map(dt.date.isoformat)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    when=st.one_of(st.sampled_from(["3", "6", "12", "own"]), texts),
    on=st.one_of(days, texts),
    back=st.one_of(st.sampled_from(["hub", "compose"]), texts),
    action=st.sampled_from(["", "clear"]),
)
def test_any_post_sets_a_day_to_come_or_says_what_is_wrong(
    owner_client: Client, declined: Offer, when: str, on: str, back: str, action: str
):
    Offer.objects.filter(pk=declined.pk).update(stay_in_touch_on=None)

    response = owner_client.post(
        _set_url(declined), {"when": when, "on": on, "back": back, "action": action}
    )

    declined.refresh_from_db()
    if response.status_code == HTTPStatus.FOUND:
        day = declined.stay_in_touch_on
        furthest = timezone.localdate() + dt.timedelta(days=2 * 366)
        assert day is None if action == "clear" else timezone.localdate() <= day <= furthest
    else:
        assert response.status_code == HTTPStatus.BAD_REQUEST
        context = response.context_data
        forms = [
            context.get("stay_in_touch_form"),
            *context.get("stay_in_touch_forms", {}).values(),
        ]
        assert any(form is not None and form.errors for form in forms)
        assert declined.stay_in_touch_on is None
