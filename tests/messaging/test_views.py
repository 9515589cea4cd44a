from __future__ import annotations

import datetime as dt
import email
import email.policy
import io
import re
from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import URLPattern, reverse
from django.utils import timezone
from pypdf import PdfReader

from decisions import services as decision_services
from decisions.models import Decision, LogEntry, Offer
from messaging.compose import MAX_BODY_CHARS
from messaging.models import Message
from messaging.urls import urlpatterns
from offerdesk.accounts.models import User
from tests.factories import OfferFactory
from tests.messaging.choices import DECLINE_CHOICES as CHOICES

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def decided(decision: Decision, user: User):
    user.full_name = "Alex Morgan"
    user.save()
    chosen = OfferFactory(decision=decision, company="Chosen Co")
    other = OfferFactory(
        decision=decision,
        company="Northwind",
        role="Data Engineer",
        recruiter_name="Jana Krüger",
        recruiter_email="jana@northwind.example",
        response_deadline=timezone.localdate() + dt.timedelta(days=5),
    )
    decision_services.decision_decide(
        decision=decision,
        actor=user,
        chosen_offer=chosen,
        why="Team",
        confidence=80,
        review_on=None,
    )
    return chosen, other


def _url(name: str, offer: Offer, *extra) -> str:
    if name == "deadline_ics":
        return reverse(f"messaging:{name}", args=[offer.decision_id, offer.pk, *extra])
    return reverse(f"messaging:{name}", args=[offer.decision_id, offer.pk, "decline", *extra])


def _draft(client: Client, offer: Offer, **changes) -> None:
    response = client.post(_url("compose", offer), {**CHOICES, **changes, "action": "use"})
    assert response.status_code == HTTPStatus.FOUND, getattr(response, "context_data", None)


def test_the_hub_lists_every_offer_but_the_chosen_one(owner_client: Client, decided):
    chosen, other = decided
    response = owner_client.get(reverse("messaging:hub", args=[other.decision_id]))
    rows = response.context_data["rows"]
    assert [row.offer for row in rows] == [other]
    assert chosen not in [row.offer for row in rows]
    assert b"Write the message" in response.content


def test_the_composer_prefills_names_and_previews_live(owner_client: Client, decided):
    _, other = decided
    page = owner_client.get(_url("compose", other))
    assert page.status_code == HTTPStatus.OK
    assert page.context_data["composer"].draft.body.startswith("Hi Jana,")
    assert "Alex Morgan" in page.context_data["composer"].draft.body
    preview = owner_client.post(
        _url("compose", other), {**CHOICES, "tone": "formal"}, headers={"HX-Request": "true"}
    )
    assert preview.template_name == "messaging/_preview.html"
    assert "Dear Jana Krüger," in preview.content.decode()
    assert not Message.objects.exists()


def test_using_the_text_saves_a_draft_and_logs_it(owner_client: Client, decided):
    _, other = decided
    _draft(owner_client, other)
    message = Message.objects.get(offer=other)
    assert message.body.startswith("Hi Jana,")
    assert not message.edited
    assert other.decision.log_entries.filter(kind="message_drafted").count() == 1


def test_a_decline_keeps_its_clear_decision_from_either_side_whatever_is_posted(
    owner_client: Client, decided
):
    _, other = decided
    page = owner_client.get(_url("compose", other)).content.decode()
    [box] = re.findall(r'<input[^>]*name="decision"[^>]*>', page)
    assert "disabled" in box
    assert "checked" in box
    _draft(owner_client, other, decision="")
    message = Message.objects.get(offer=other)
    assert message.decision
    assert "not be accepting" in message.body or "declin" in message.body.lower()
    # As the employer too: with no reason given, the decision is all that answers.
    _draft(
        owner_client,
        other,
        direction="employer",
        decision="",
        reason_choice="none",
        replace_edits="on",
    )
    message = Message.objects.get(offer=other)
    assert message.decision
    assert "decid" in message.body.lower() or "not be" in message.body.lower(), message.body
    page = owner_client.post(
        _url("compose", other),
        {**CHOICES, "direction": "employer", "reason_choice": "none"},
        headers={"HX-Request": "true"},
    )
    assert page.context_data["composer"].choices.decision


def test_edits_are_kept_and_regenerating_asks_first(owner_client: Client, decided):
    _, other = decided
    _draft(owner_client, other)
    owner_client.post(_url("save_edits", other), {"subject": "Thanks", "body": "My own words."})
    message = Message.objects.get(offer=other)
    assert (message.body, message.edited) == ("My own words.", True)
    asked = owner_client.post(_url("compose", other), {**CHOICES, "tone": "brief", "action": "use"})
    assert asked.status_code == HTTPStatus.OK
    assert "Use this text instead of my edits" in asked.content.decode()
    message.refresh_from_db()
    assert message.body == "My own words."
    _draft(owner_client, other, tone="brief", replace_edits="1")
    message.refresh_from_db()
    assert message.body.startswith("Hello Jana,")
    assert not message.edited


def test_a_body_over_the_cap_is_refused_with_a_clear_message(owner_client: Client, decided):
    _, other = decided
    _draft(owner_client, other)
    response = owner_client.post(
        _url("save_edits", other), {"subject": "x", "body": "y" * (MAX_BODY_CHARS + 1)}
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Keep the message within 10000 characters." in response.content.decode()
    assert Message.objects.get(offer=other).body != "y" * (MAX_BODY_CHARS + 1)


def test_a_short_message_over_1000_characters_is_refused(owner_client: Client, decided):
    _, other = decided
    _draft(owner_client, other, medium="short")
    response = owner_client.post(_url("save_edits", other), {"subject": "", "body": "z" * 1001})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "within 1,000 characters" in response.content.decode()


def test_the_eml_parses_back_to_the_same_subject_and_body(owner_client: Client, decided):
    _, other = decided
    _draft(owner_client, other, reason_detail="Grüße & <thanks>")
    message = Message.objects.get(offer=other)
    response = owner_client.post(_url("download", other, "eml"))
    assert response["Content-Type"] == "message/rfc822"
    assert response["Content-Disposition"].endswith(
        f'decline-northwind-{timezone.localdate()}.eml"'
    )
    parsed = email.message_from_bytes(response.content, policy=email.policy.default)
    assert parsed["Subject"] == message.subject
    assert parsed.get_content().rstrip("\n") == message.body
    assert "jana@northwind.example" in parsed["To"]
    assert "Grüße & <thanks>" in parsed.get_content()
    # Taking the text away is no step of the decision: the log is not told.
    assert not other.decision.log_entries.filter(kind="message_exported").exists()


def test_the_pdf_letter_is_one_page_named_for_the_company(
    owner_client: Client, decided, user: User
):
    _, other = decided
    user.paper_size = "letter"
    user.save()
    _draft(owner_client, other, medium="letter", tone="formal")
    response = owner_client.post(_url("download", other, "pdf"))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].endswith(
        f'decline-northwind-{timezone.localdate()}.pdf"'
    )
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(width), round(height)) == (612, 792)  # US Letter, from the profile
    text = reader.pages[0].extract_text()
    assert "Northwind" in text
    assert "Dear Jana Krüger," in text


def test_user_text_is_escaped_in_the_page_and_literal_in_the_eml_and_pdf(
    owner_client: Client, decided, user: User
):
    _, other = decided
    user.full_name = HOSTILE
    user.save()
    Offer.objects.filter(pk=other.pk).update(company=HOSTILE)
    _draft(owner_client, other, reason_detail=HOSTILE, recipient_name=HOSTILE)
    page = owner_client.get(_url("compose", other)).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;" in page
    eml = email.message_from_bytes(
        owner_client.post(_url("download", other, "eml")).content, policy=email.policy.default
    )
    assert HOSTILE in eml.get_content()
    _draft(
        owner_client,
        other,
        medium="letter",
        reason_detail=HOSTILE,
        recipient_name=HOSTILE,
        replace_edits="on",
    )
    pdf = owner_client.post(_url("download", other, "pdf")).content
    text = " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    assert '<script>alert("x")</script>' in text


def test_a_pdf_of_a_message_that_is_not_a_letter_is_refused_in_words(owner_client: Client, decided):
    _, other = decided
    _draft(owner_client, other, medium="email")
    response = owner_client.post(_url("download", other, "pdf"), follow=True)
    assert response.redirect_chain[-1][1] == HTTPStatus.FOUND
    assert "Only a letter is printed as a PDF" in response.content.decode()
    assert not other.decision.log_entries.filter(kind="message_exported").exists()


@pytest.mark.parametrize(
    ("medium", "offered", "not_offered"),
    [
        ("letter", ["PDF letter", "Download as text (.txt)"], ["Download .eml", "mail app"]),
        ("email", ["Download .eml", "Open in your mail app", "Download .txt"], ["PDF letter"]),
        ("phone", ["Download the script (.txt)"], ["PDF letter", "Download .eml"]),
        ("short", ["Download .txt"], ["PDF letter", "Download .eml"]),
    ],
)
def test_each_medium_is_offered_the_files_that_suit_it(
    owner_client: Client, decided, medium, offered, not_offered
):
    _, other = decided
    _draft(owner_client, other, medium=medium)
    page = owner_client.get(_url("compose", other)).content.decode()
    kept = page.split("Take it with you", 1)[1].split("Once it has gone", 1)[0]
    for label in offered:
        assert label in kept
    for label in not_offered:
        assert label not in kept


def test_the_letter_preview_looks_like_the_letter(owner_client: Client, decided, user: User):
    _, other = decided
    preview = owner_client.post(
        _url("compose", other), {**CHOICES, "medium": "letter"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert "Subject:" not in preview
    assert 'class="preview__letter-sender"' in preview
    recipient = preview.split('class="preview__letter-recipient"', 1)[1].split("</address>")[0]
    assert "Northwind" in recipient
    # The offer's location says where the work is, not where a letter goes.
    assert other.location not in recipient
    # Offerdesk keeps no date for the offer (the day it was entered is not it).
    assert ": your offer" in preview
    assert ": your offer of " not in preview
    assert "preview__letter-typed-name" in preview


@pytest.mark.parametrize(
    ("medium", "says", "limit"),
    [("short", r"\d+ characters, within the 300 that suit", "300"),
     ("email", r"\d[\d,]* characters, within the 2,500 that suit", "2,500"),
     ("letter", r"\d+ words(, within the|: shorter than the) 150 to 250", "150 to 250")],
)  # fmt: skip
def test_the_checks_panel_measures_each_medium_as_the_checks_do_and_says_it_once(
    owner_client: Client, decided, medium: str, says: str, limit: str
):
    _, other = decided
    preview = owner_client.post(
        _url("compose", other), {**CHOICES, "medium": medium}, headers={"HX-Request": "true"}
    ).content.decode()
    panel = " ".join(preview.split('id="checks-heading"', 1)[1].split("</section>", 1)[0].split())
    assert re.search(says, panel), panel
    assert panel.count(limit) == 1, panel


def _breadcrumb(page: str) -> str:
    return " ".join(page.split('class="breadcrumb">', 1)[1].split("</p>", 1)[0].split())


def test_the_breadcrumb_names_the_messages_purpose(owner_client: Client, decision, decided):
    chosen, other = decided
    decline = _breadcrumb(owner_client.get(_url("compose", other)).content.decode())
    assert "Decline the other offers</a>" in decline
    assert reverse("messaging:hub", args=[decision.pk]) in decline
    accept_url = reverse("messaging:compose", args=[decision.pk, chosen.pk, "accept"])
    accept = _breadcrumb(owner_client.get(accept_url).content.decode())
    assert "Accept the offer" in accept
    assert "Decline" not in accept
    assert reverse("messaging:hub", args=[decision.pk]) not in accept


def test_marking_sent_declines_the_offer_and_logs_it(owner_client: Client, decided, user: User):
    chosen, other = decided
    # Confirmed in writing first, so the decline goes without a warning to tick.
    decision_services.offer_confirm(offer=chosen, actor=user, confirmed_on=timezone.localdate())
    _draft(owner_client, other)
    response = owner_client.post(
        _url("mark_sent", other), {"sent_on": timezone.localdate().isoformat()}
    )
    assert response.status_code == HTTPStatus.FOUND
    other.refresh_from_db()
    assert other.status == "declined"
    kinds = list(other.decision.log_entries.values_list("kind", flat=True)[:2])
    assert kinds == ["message_sent", "message_drafted"]


def test_a_sent_date_in_the_future_is_refused(owner_client: Client, decided):
    _, other = decided
    _draft(owner_client, other)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = owner_client.post(_url("mark_sent", other), {"sent_on": tomorrow.isoformat()})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    other.refresh_from_db()
    assert other.status == "open"


def test_the_chosen_offer_cannot_be_declined_as_the_candidate(owner_client: Client, decided):
    chosen, _ = decided
    # The composer refuses to write it (tests/messaging/test_acceptance_messages.py);
    # a draft that exists all the same still cannot be marked sent.
    Message.objects.create(offer=chosen, subject="Thank you", body="No, thank you.")
    response = owner_client.post(
        _url("mark_sent", chosen), {"sent_on": timezone.localdate().isoformat()}
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    chosen.refresh_from_db()
    assert chosen.status == "accepted"
    assert Message.objects.get(offer=chosen).sent_on is None


def test_the_employer_direction_uses_its_own_templates(owner_client: Client, decided):
    _, other = decided
    _draft(owner_client, other, direction="employer", reason_choice="skills", tone="formal")
    body = Message.objects.get(offer=other).body
    assert "not to move forward with your application" in body
    mismatch = owner_client.post(
        _url("compose", other), {**CHOICES, "direction": "employer", "action": "use"}
    )
    assert mismatch.status_code == HTTPStatus.BAD_REQUEST


def test_the_deadline_downloads_as_a_calendar_event(owner_client: Client, decided):
    _, other = decided
    response = owner_client.get(_url("deadline_ics", other))
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Content-Disposition"].endswith(
        f'deadline-northwind-{other.response_deadline}.ics"'
    )
    body = response.content.decode()
    assert f"DTSTART;VALUE=DATE:{other.response_deadline:%Y%m%d}" in body
    assert "Northwind" in body


def test_an_acceptance_downloads_under_its_own_name(
    owner_client: Client, decision, decided, user: User
):
    chosen, _ = decided
    used = owner_client.post(
        reverse("messaging:compose", args=[decision.pk, chosen.pk, "accept"]),
        {"medium": "email", "tone": "warm", "start_date": "", "action": "use"},
    )
    assert used.status_code == HTTPStatus.FOUND
    for file_format in ("eml", "txt"):
        response = owner_client.post(
            reverse("messaging:download", args=[decision.pk, chosen.pk, "accept", file_format])
        )
        company = re.sub(r"[^a-z0-9]+", "-", chosen.company.lower()).strip("-")
        assert response["Content-Disposition"].endswith(
            f'accept-{company}-{timezone.localdate()}.{file_format}"'
        )


def _fill(pattern: URLPattern, offer: Offer) -> str:
    kwargs = {"decision_id": offer.decision_id}
    if "offer_id" in pattern.pattern.converters:
        kwargs["offer_id"] = offer.pk
    if "file_format" in pattern.pattern.converters:
        kwargs["file_format"] = "pdf"
    if "purpose" in pattern.pattern.converters:
        kwargs["purpose"] = "decline"
    return reverse(f"messaging:{pattern.name}", kwargs=kwargs)


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_users_messages_are_a_404(owner_client: Client, foreign_decision: Decision, method):
    foreign = foreign_decision.offers.get()
    Message.objects.create(offer=foreign, subject="Secret Corp", body="Secret Corp text")
    only = {
        "hub": "get",
        "download": "post",
        "deadline_ics": "get",
        "save_edits": "post",
        "mark_sent": "post",
        "counter_answer": "post",
        "extension_answer": "post",
        "stay_in_touch": "post",
        "stay_in_touch_ics": "get",
    }
    before = LogEntry.objects.filter(decision=foreign_decision).count()
    for pattern in urlpatterns:
        response = getattr(owner_client, method)(
            _fill(pattern, foreign), {**CHOICES, "action": "use"}
        )
        expected = only.get(pattern.name, method)
        if expected != method:
            assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
        else:
            assert response.status_code == HTTPStatus.NOT_FOUND, pattern.name
        assert b"Secret Corp" not in response.content
    assert LogEntry.objects.filter(decision=foreign_decision).count() == before


def test_without_javascript_the_preview_button_renders_the_whole_page(
    owner_client: Client, decided
):
    _, other = decided
    response = owner_client.post(
        _url("compose", other), {**CHOICES, "tone": "brief", "action": "preview"}
    )
    assert response.status_code == HTTPStatus.OK
    assert response.template_name == "messaging/compose.html"
    assert response.context_data["composer"].draft.body.startswith("Hello Jana,")
    assert not Message.objects.exists()


SOON_BADGE = '<span class="badge badge--soon" data-deadline="soon">tomorrow</span>'
LATER_BADGE = '<span class="muted" data-deadline="later">in 5 days</span>'


@pytest.fixture
def due_tomorrow(decided) -> Offer:
    """A second offer to decline, due tomorrow; Northwind is due in 5 days."""
    _, other = decided
    return OfferFactory(
        decision=other.decision,
        company="Fabrikam",
        response_deadline=timezone.localdate() + dt.timedelta(days=1),
    )


def test_the_hub_badges_a_deadline_tomorrow_as_soon_and_one_in_5_days_as_later(
    owner_client: Client, due_tomorrow: Offer
):
    response = owner_client.get(reverse("messaging:hub", args=[due_tomorrow.decision_id]))
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert html.count(SOON_BADGE) == 1
    assert html.count(LATER_BADGE) == 1


def test_the_composer_badges_its_deadline_and_checks_the_timing(
    owner_client: Client, decided, due_tomorrow: Offer
):
    _, other = decided
    soon = owner_client.get(_url("compose", due_tomorrow))
    assert soon.template_name == "messaging/compose.html"
    assert SOON_BADGE in soon.content.decode()
    assert soon.context_data["composer"].urgency == "soon"
    later = owner_client.get(_url("compose", other)).content.decode()
    assert LATER_BADGE in later
    assert "badge--soon" not in later


def _meta(page: str) -> str:
    """The composer's header line under its title, whitespace folded."""
    head = page.split("<h1>", 1)[1].split('<p class="meta">', 1)[1].split("</p>", 1)[0]
    return " ".join(re.sub(r"<[^>]+>", " ", head).split())


def test_the_reply_deadline_shows_with_a_separator_while_an_answer_is_owed(
    owner_client: Client, due_tomorrow: Offer
):
    meta = _meta(owner_client.get(_url("compose", due_tomorrow)).content.decode())
    assert re.search(r"reply by \S.* · tomorrow · Add the deadline to your calendar", meta), meta


@pytest.mark.parametrize("status", ["declined", "withdrawn", "expired"])
def test_no_reply_deadline_once_no_answer_is_owed(
    owner_client: Client, due_tomorrow: Offer, status: str
):
    Offer.objects.filter(pk=due_tomorrow.pk).update(status=status)
    page = owner_client.get(_url("compose", due_tomorrow))
    assert page.status_code == HTTPStatus.OK
    meta = _meta(page.content.decode())
    assert "reply by" not in meta
    assert "calendar" not in meta
    hub = owner_client.get(reverse("messaging:hub", args=[due_tomorrow.decision_id]))
    row = hub.content.decode().split("Fabrikam</h2>", 1)[1].split("</li>", 1)[0]
    assert "reply by" not in row
    assert "data-deadline" not in row


def test_the_hub_asks_to_wait_for_the_confirmation_before_letting_the_others_know(
    owner_client: Client, decided, user: User
):
    chosen, other = decided
    hub_url = reverse("messaging:hub", args=[other.decision_id])
    waiting = owner_client.get(hub_url).content.decode()
    lead = waiting.split('class="lead">', 1)[1].split("</p>", 1)[0]
    assert "Let the others know soon" not in lead
    assert f"Once {chosen.company} confirms your acceptance in writing" in lead
    decision_services.offer_confirm(offer=chosen, actor=user, confirmed_on=timezone.localdate())
    confirmed = owner_client.get(hub_url).content.decode()
    assert "Let the others know soon" in confirmed.split('class="lead">', 1)[1].split("</p>")[0]


def test_the_composer_fragment_carries_the_timing_check(owner_client: Client, due_tomorrow):
    response = owner_client.get(_url("compose", due_tomorrow), HTTP_HX_REQUEST="true")
    assert response.status_code == HTTPStatus.OK
    assert response.template_name == "messaging/_preview.html"
    html = response.content.decode()
    assert "The reply deadline is tomorrow. Send it now." in html
    assert "<html" not in html


def test_the_accepted_offer_gets_no_decline_composer(owner_client: Client, decided):
    chosen, other = decided
    refused = owner_client.get(_url("compose", chosen), follow=True)
    assert refused.redirect_chain[0][0] == reverse(
        "decisions:change_mind", args=[chosen.decision_id]
    )
    assert "a decline would contradict what you told" in refused.content.decode()
    assert owner_client.get(_url("compose", other)).status_code == HTTPStatus.OK


def test_an_edited_draft_offers_to_replace_it_and_shows_the_edits(owner_client: Client, decided):
    _, other = decided
    _draft(owner_client, other)
    before = owner_client.get(_url("compose", other)).content.decode()
    assert 'name="replace_edits"' not in before
    owner_client.post(_url("save_edits", other), {"subject": "Thanks", "body": "My own words."})
    page = owner_client.get(_url("compose", other))
    assert page.context_data["composer"].edited
    assert page.context_data["draft_form"].initial["body"] == "My own words."
    assert "edited by you" in page.content.decode()
    # The offer to replace them comes with a text that would.
    other_tone = owner_client.post(_url("compose", other), {**CHOICES, "tone": "brief"})
    html = other_tone.content.decode()
    assert 'name="replace_edits"' in html
    assert "My own words." in html


def test_a_refused_regeneration_shows_the_new_text_and_keeps_the_saved_one(
    owner_client: Client, decided
):
    _, other = decided
    _draft(owner_client, other)
    owner_client.post(_url("save_edits", other), {"subject": "Thanks", "body": "Mine."})
    asked = owner_client.post(_url("compose", other), {**CHOICES, "tone": "brief", "action": "use"})
    # Not an error: the text the (brief) choices write, beside the edits it would replace.
    assert asked.status_code == HTTPStatus.OK
    assert asked.context_data["composer"].choices.tone == "brief"
    assert not asked.context_data["form"].errors
    assert not asked.context_data["follows_draft"]
    assert Message.objects.get(offer=other).body == "Mine."
