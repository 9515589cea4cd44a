"""The messages around an acceptance (accept, withdraw, still open?), the decline
composer's refusals once an offer is accepted, and the warning before declining the
others while the acceptance awaits its written confirmation."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from decisions import services as decision_services
from decisions.models import Decision, LogEntry, Offer
from messaging import purposes, services
from messaging.checks import check_message, repeated_words
from messaging.compose import TONES, Choices, Parties, compose
from messaging.forms import ComposeForm, SentForm
from messaging.models import Message
from offerdesk.accounts.models import User
from tests.factories import OfferFactory
from tests.messaging.choices import DECLINE_CHOICES as CHOICES

TERMS = (
    "a base salary of €85,000 a year",
    "a signing bonus of €5,000",
    "a hybrid arrangement based in Berlin",
)
PARTIES = Parties(
    sender_name="Alex Morgan",
    signature="Alex Morgan",
    company="Northwind Analytics",
    role="Senior Data Analyst",
    recipient_name="Jana Krüger",
    terms=TERMS,
)
LONG_ROLE = ("Senior Principal Data Analyst, " * 4)[:120]
LONG_COMPANY = ("Northwind Traders " * 7)[:120]
START = (timezone.localdate() + dt.timedelta(days=40)).isoformat()


def _every(code: str, **details: object):
    purpose = purposes.get(code)
    for medium in purpose.media:
        for tone in TONES:
            yield Choices(purpose=code, medium=medium, tone=tone, details=dict(details))


def _words(text: str) -> int:
    return len(re.findall(r"[\w’'-]+", text))


def _letter_body(text: str) -> str:
    return "\n\n".join(text.split("\n\n")[1:-2])


# The texts -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "details"),
    [("accept", {"start_date": START}), ("accept", {"start_date": ""}), ("withdraw", {}),
     ("still_open", {})],
)  # fmt: skip
def test_every_block_renders_in_every_medium_and_tone(code: str, details: dict):
    for choices in _every(code, **details):
        draft = compose(choices, PARTIES)
        assert draft.subject
        assert "\n" not in draft.subject
        assert "Senior Data Analyst" in draft.subject
        assert "{" not in draft.body
        assert "None" not in draft.body
        if choices.medium != "short":
            # Every block says something, in the purpose's order.
            assert draft.body.count("\n") >= 3, (choices, draft.body)


@pytest.mark.parametrize("tone", list(TONES))
@pytest.mark.parametrize("medium", ["email", "letter", "phone"])
def test_the_acceptance_thanks_accepts_names_the_terms_and_asks_for_writing(tone, medium):
    body = compose(
        Choices(purpose="accept", medium=medium, tone=tone, details={"start_date": START}),
        PARTIES,
    ).body
    assert re.search(r"\bthank", body, re.I)
    assert re.search(r"\baccept\b", body, re.I)
    for term in TERMS:
        assert term in body
    assert "in writing" in body or "written confirmation" in body
    assert dt.date.fromisoformat(START).strftime("%B") in body  # the start date, spelled out


@pytest.mark.parametrize("tone", list(TONES))
def test_the_acceptance_reads_well_without_a_start_date(tone: str):
    body = compose(Choices(purpose="accept", tone=tone, details={"start_date": ""}), PARTIES).body
    assert re.search(r"\bstart", body)  # they are asked for the date instead
    assert not re.search(r"\b(?:on|of)\s*[.,]", body)  # no dangling "on ." where a date was


@pytest.mark.parametrize("tone", list(TONES))
def test_an_acceptance_letter_is_a_full_letter(tone: str):
    for details in ({"start_date": START}, {"start_date": ""}):
        body = compose(
            Choices(purpose="accept", medium="letter", tone=tone, details=details), PARTIES
        ).body
        assert 110 <= _words(_letter_body(body)) <= 250, body


@pytest.mark.parametrize("tone", list(TONES))
def test_a_withdrawal_letter_is_a_full_letter(tone: str):
    body = compose(Choices(purpose="withdraw", medium="letter", tone=tone), PARTIES).body
    assert 110 <= _words(_letter_body(body)) <= 250, body


# Words that would be a reason or an excuse the candidate never gave.
EXCUSES = re.compile(
    r"\b(?:because|reason|due to|family|health|personal circumstances|relocat\w*|"
    r"counter-?offer|another offer|other offer|salary|package|compensation|"
    r"unforeseen|circumstances)\b",
    re.IGNORECASE,
)


def test_the_withdrawal_invents_no_reason_and_takes_responsibility():
    for choices in _every("withdraw"):
        body = compose(choices, PARTIES).body
        talk = body
        if choices.medium == "phone":
            # The script's advice may speak of being asked why; what is said may not.
            talk = body.split("Talking points", 1)[1].split("\n\n", 1)[0]
        assert not EXCUSES.search(talk), (choices, EXCUSES.search(talk))
        assert "withdraw my acceptance" in body
        assert re.search(r"\bsorry\b", body, re.I)
        assert len(re.findall(r"\bsorry\b", body, re.I)) == 1


def test_the_withdrawal_call_says_to_call_first_and_invent_nothing():
    body = compose(Choices(purpose="withdraw", medium="phone", tone="warm"), PARTIES).body
    assert "Call first" in body
    assert "Invent nothing" in body
    assert "If they ask why" in body


@pytest.mark.parametrize("tone", list(TONES))
def test_still_open_asks_the_question_and_leaves_room_for_no(tone: str):
    for choices in _every("still_open"):
        if choices.tone != tone:
            continue
        body = compose(choices, PARTIES).body
        assert "still open" in body
        assert "?" in body
        assert "Senior Data Analyst" in body


@pytest.mark.parametrize("tone", list(TONES))
def test_the_still_open_short_message_fits_with_the_longest_names(tone: str):
    assert len(LONG_ROLE) == Offer._meta.get_field("role").max_length
    long = Parties(
        sender_name="Maximilian von Oberhausen-Brandt",
        signature="Maximilian von Oberhausen-Brandt",
        company=LONG_COMPANY,
        role=LONG_ROLE,
        recipient_name="Alexandra Featherstonehaugh",
    )
    short = compose(Choices(purpose="still_open", medium="short", tone=tone), long).body
    own = short.splitlines()[1]  # between the greeting and the name
    assert f"the {LONG_ROLE} offer" in own
    assert len(own) <= 300, len(own)
    assert 2 <= len(re.findall(r"[.!?](?:\s|$)", own)) <= 3


# The offer's terms ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_terms_quote_only_the_figures_the_offer_has(decision: Decision):
    offer = OfferFactory(
        decision=decision,
        currency="GBP",
        base_salary=Decimal("92000"),
        bonus=Decimal(0),
        equity_per_year=Decimal("12500"),
        signing_bonus=Decimal(0),
        work_mode=Offer.WorkMode.REMOTE,
        location="",
    )
    assert services.offer_terms(offer) == (
        "a base salary of £92,000 a year",
        "equity worth about £12,500 a year",
        "working remotely",
    )
    unknown = OfferFactory(
        decision=decision, base_salary=None, work_mode=Offer.WorkMode.ONSITE, location="Leeds"
    )
    assert services.offer_terms(unknown) == ("working on site in Leeds",)


@pytest.mark.django_db
def test_the_terms_give_a_salary_by_the_month_as_the_contract_will(decision: Decision):
    offer = OfferFactory(
        decision=decision,
        currency="EUR",
        salary_period=Offer.SalaryPeriod.MONTHLY,
        monthly_salary=Decimal("7500"),
        salaries_per_year=14,
        base_salary=Decimal("105000"),
        bonus=Decimal(0),
        equity_per_year=Decimal(0),
        signing_bonus=Decimal(0),
        location="",
    )
    assert services.offer_terms(offer)[0] == (
        "a salary of €7,500 a month, paid 14 times a year (€105,000)"
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "prices", "term"),
    [
        (Offer.EquityKind.RSU, {}, "equity worth about £12,000 a year"),
        (Offer.EquityKind.PRIVATE, {}, "shares in the company worth about £12,000 a year"),
        (
            Offer.EquityKind.OPTIONS,
            {"share_price": Decimal(12), "strike_price": Decimal(4)},
            "stock options on shares worth about £12,000 a year at £12.00 a share, "
            "with a strike price of £4.00",
        ),
    ],
)
def test_the_terms_name_the_grant_at_face_value_by_its_kind(
    decision: Decision, kind: str, prices: dict, term: str
):
    # A discount the candidate counts it at is theirs, not a term of the offer.
    offer = OfferFactory(
        decision=decision,
        currency="GBP",
        equity_per_year=Decimal(12_000),
        equity_kind=kind,
        equity_valued_percent=Decimal(30),
        **prices,
    )
    assert term in services.offer_terms(offer)


@pytest.mark.django_db
def test_an_acceptance_starts_without_a_start_date_and_cleans_one_to_iso(decision: Decision):
    offer = OfferFactory(decision=decision)
    purpose = purposes.get("accept")
    assert services.starting_choices(offer, purpose).details == {"start_date": ""}
    form = ComposeForm(
        {"medium": "email", "tone": "warm", "recipient_name": "", "start_date": START},
        purpose=purpose,
    )
    assert form.is_valid(), form.errors
    assert form.choices().details == {"start_date": START}
    past = ComposeForm(
        {"medium": "email", "tone": "warm", "start_date": "2020-01-01"}, purpose=purpose
    )
    assert not past.is_valid()
    assert "passed" in past.errors["start_date"][0]


@pytest.mark.django_db
def test_a_withdrawal_starts_as_a_call(decision: Decision):
    offer = OfferFactory(decision=decision)
    assert services.starting_choices(offer, purposes.get("withdraw")).medium == "phone"


# The decline composer's refusals ---------------------------------------------------------------


def _url(name: str, offer: Offer, purpose: str = "decline") -> str:
    return reverse(f"messaging:{name}", args=[offer.decision_id, offer.pk, purpose])


@pytest.fixture
def decided(decision: Decision, user: User) -> tuple[Offer, Offer]:
    chosen = OfferFactory(decision=decision, company="Chosen Co")
    other = OfferFactory(decision=decision, company="Northwind", recruiter_name="Jana")
    decision_services.decision_decide(
        decision=decision, actor=user, chosen_offer=chosen, why="x", confidence=80, review_on=None
    )
    return chosen, other


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["accepted", "confirmed", "retracted"])
def test_no_decline_is_written_to_an_offer_told_yes(
    owner_client: Client, decision: Decision, status: str
):
    # A confirmed acceptance always has the day it was confirmed in writing.
    confirmed_on = timezone.localdate() if status == "confirmed" else None
    offer = OfferFactory(
        decision=decision, company="Acme", status=status, confirmed_on=confirmed_on
    )
    before = LogEntry.objects.count()
    page = owner_client.get(_url("compose", offer), follow=True)
    assert page.status_code == HTTPStatus.OK
    text = page.content.decode()
    if status == "retracted":
        assert page.redirect_chain[0][0] == _url("compose", offer, "withdraw")
        assert "is owed a withdrawal of that acceptance, not a decline" in text
    else:
        assert page.redirect_chain[0][0] == decision.get_absolute_url()
        assert "a decline would contradict what you told Acme" in text
    used = owner_client.post(_url("compose", offer), {**CHOICES, "action": "use"})
    assert used.status_code == HTTPStatus.FOUND
    preview = owner_client.post(_url("compose", offer), CHOICES, headers={"HX-Request": "true"})
    assert preview["HX-Redirect"]
    assert not Message.objects.filter(offer=offer).exists()
    assert LogEntry.objects.count() == before


@pytest.mark.django_db
def test_the_services_refuse_a_contradicting_decline(decided, user: User):
    chosen, _ = decided
    with pytest.raises(ValidationError, match="contradict"):
        services.message_use_generated(
            offer=chosen, actor=user, choices=Choices(), recipient_name=""
        )
    assert not Message.objects.filter(offer=chosen).exists()
    # A decline drafted while the offer was open cannot be edited or sent once it is
    # accepted.
    Message.objects.create(offer=chosen, subject="s", body="No, thank you.")
    with pytest.raises(ValidationError, match="contradict"):
        services.message_save_edits(offer=chosen, actor=user, subject="s", body="No.")
    with pytest.raises(ValidationError):
        services.message_mark_sent(
            message=Message.objects.get(offer=chosen), actor=user, sent_on=timezone.localdate()
        )
    assert Message.objects.get(offer=chosen).sent_on is None


@pytest.mark.django_db
def test_the_hub_offers_a_withdrawal_for_a_retracted_offer(
    owner_client: Client, decision: Decision, decided, user: User
):
    chosen, other = decided
    decision_services.decision_change_mind(
        decision=decision,
        actor=user,
        chosen_offer=other,
        reason="Closer",
        why="x",
        confidence=50,
        review_on=None,
    )
    text = owner_client.get(reverse("messaging:hub", args=[decision.pk])).content.decode()
    assert "Withdraw your acceptance" in text
    assert _url("compose", chosen, "withdraw") in text
    assert _url("compose", chosen) not in text


# The warning before declining ------------------------------------------------------------------


def _draft(client: Client, offer: Offer) -> Message:
    response = client.post(_url("compose", offer), {**CHOICES, "action": "use"})
    assert response.status_code == HTTPStatus.FOUND
    return Message.objects.get(offer=offer, purpose="decline")


@pytest.mark.django_db
def test_declining_before_the_confirmation_warns_and_waits_for_a_tick(
    owner_client: Client, decision: Decision, decided
):
    chosen, other = decided
    _draft(owner_client, other)
    page = owner_client.get(_url("compose", other))
    text = page.content.decode()
    assert "Don’t decline the others until the accepted offer is confirmed in writing" in text
    assert 'name="despite_unconfirmed"' in text
    hub = owner_client.get(reverse("messaging:hub", args=[decision.pk])).content.decode()
    assert "Don’t decline the others until the accepted offer is confirmed in writing" in hub

    today = timezone.localdate().isoformat()
    refused = owner_client.post(_url("mark_sent", other), {"sent_on": today})
    assert refused.status_code == HTTPStatus.BAD_REQUEST
    assert "Chosen Co has not confirmed your acceptance yet" in refused.content.decode()
    # The page comes back at its top: the focus brings the refusal into view.
    assert 'class="button" autofocus>Mark as sent</button>' in refused.content.decode()
    assert Offer.objects.get(pk=other.pk).status == "open"
    assert not LogEntry.objects.filter(kind="message_sent").exists()

    knowingly = owner_client.post(
        _url("mark_sent", other), {"sent_on": today, "despite_unconfirmed": "on"}
    )
    assert knowingly.status_code == HTTPStatus.FOUND
    assert Offer.objects.get(pk=other.pk).status == "declined"
    entry = LogEntry.objects.get(kind="message_sent")
    assert entry.data["despite_unconfirmed"] == chosen.pk
    assert entry.summary.endswith(", before Chosen Co had confirmed its offer in writing")


@pytest.mark.django_db
def test_once_confirmed_declines_go_without_a_warning(
    owner_client: Client, decision: Decision, decided, user: User
):
    chosen, other = decided
    decision_services.offer_confirm(offer=chosen, actor=user, confirmed_on=timezone.localdate())
    _draft(owner_client, other)
    text = owner_client.get(_url("compose", other)).content.decode()
    assert "Don’t decline the others" not in text
    assert 'name="despite_unconfirmed"' not in text
    hub = owner_client.get(reverse("messaging:hub", args=[decision.pk])).content.decode()
    assert "Don’t decline the others" not in hub
    response = owner_client.post(
        _url("mark_sent", other), {"sent_on": timezone.localdate().isoformat()}
    )
    assert response.status_code == HTTPStatus.FOUND
    sent = LogEntry.objects.get(kind="message_sent")
    assert "despite_unconfirmed" not in sent.data
    assert "confirmed its offer" not in sent.summary


@pytest.mark.django_db
def test_without_a_decision_a_decline_needs_no_tick(owner_client: Client, decision: Decision):
    offer = OfferFactory(decision=decision)
    _draft(owner_client, offer)
    response = owner_client.post(
        _url("mark_sent", offer), {"sent_on": timezone.localdate().isoformat()}
    )
    assert response.status_code == HTTPStatus.FOUND
    assert Offer.objects.get(pk=offer.pk).status == "declined"


def test_the_sent_form_takes_the_tick():
    today = timezone.localdate().isoformat()
    assert SentForm({"sent_on": today}).is_valid()
    ticked = SentForm({"sent_on": today, "despite_unconfirmed": "on"})
    assert ticked.is_valid()
    assert ticked.cleaned_data["despite_unconfirmed"] is True


@pytest.mark.django_db
def test_the_acceptance_composer_drafts_and_is_marked_sent(
    owner_client: Client, decision: Decision, decided
):
    chosen, _ = decided
    page = owner_client.get(_url("compose", chosen, "accept"))
    assert page.status_code == HTTPStatus.OK
    assert "a base salary of €80,000 a year" in page.context_data["composer"].draft.body
    used = owner_client.post(
        _url("compose", chosen, "accept"),
        {"medium": "email", "tone": "formal", "recipient_name": "Jana", "start_date": START,
         "action": "use"},
    )  # fmt: skip
    assert used.status_code == HTTPStatus.FOUND
    message = Message.objects.get(offer=chosen, purpose="accept")
    assert message.details == {"start_date": START}
    sent = owner_client.post(
        _url("mark_sent", chosen, "accept"), {"sent_on": timezone.localdate().isoformat()}
    )
    assert sent.url == decision.get_absolute_url()
    # Sending the acceptance is not the employer's confirmation.
    assert Offer.objects.get(pk=chosen.pk).status == "accepted"


@pytest.mark.django_db
def test_another_users_acceptance_composer_is_not_found(
    owner_client: Client, foreign_decision: Decision
):
    offer = foreign_decision.offers.get()
    for purpose in ("accept", "withdraw", "still-open"):
        assert owner_client.get(_url("compose", offer, purpose)).status_code == (
            HTTPStatus.NOT_FOUND
        )


def test_the_review_raises_no_alarm_over_an_acceptance_restating_its_terms():
    for choices in _every("accept", start_date=START):
        body = compose(choices, PARTIES).body
        found = check_message(body, medium=choices.medium, purpose="accept")
        codes = {check.code for check in found if check.level != "ok"}
        assert not codes & {"no_decision", "mentions_money", "negative"}, (choices, codes)
    decline = check_message("I decline; they pay €85,000.", purpose="decline")
    assert "mentions_money" in {check.code for check in decline}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("purpose", "status", "lands_on", "says"),
    [
        ("accept", "open", "detail", "Decide on"),
        ("withdraw", "open", "detail", "no acceptance"),
        ("withdraw", "accepted", "change_mind", "Changing your mind has its own page"),
        ("still-open", "open", "detail", "nothing to ask about"),
        ("still-open", "retracted", "withdraw", "nothing to ask about"),
    ],
)
def test_a_message_out_of_turn_is_not_started(
    owner_client: Client, decision: Decision, user: User, purpose, status, lands_on, says
):
    offer = OfferFactory(decision=decision, company="Acme")
    if status == "accepted":
        decision_services.decision_decide(
            decision=decision, actor=user, chosen_offer=offer, why="x", confidence=1,
            review_on=None,
        )  # fmt: skip
    else:
        Offer.objects.filter(pk=offer.pk).update(status=status)
    page = owner_client.get(_url("compose", offer, purpose), follow=True)
    expected = (
        _url("compose", offer, "withdraw")  # what a retracted offer is owed
        if lands_on == "withdraw"
        else reverse(f"decisions:{lands_on}", args=[decision.pk])
    )
    assert page.redirect_chain[0][0] == expected
    assert says in page.content.decode()
    used = owner_client.post(
        _url("compose", offer, purpose), {"medium": "email", "tone": "warm", "action": "use"}
    )
    assert used.status_code == HTTPStatus.FOUND
    assert not Message.objects.filter(offer=offer).exists()


@pytest.mark.django_db
def test_a_message_already_saved_stays_readable_when_the_offer_moves_on(
    owner_client: Client, decision: Decision, decided, user: User
):
    chosen, other = decided
    owner_client.post(
        _url("compose", chosen, "accept"),
        {"medium": "email", "tone": "warm", "start_date": "", "action": "use"},
    )
    decision_services.decision_change_mind(
        decision=decision, actor=user, chosen_offer=other, reason="Closer", why="x",
        confidence=50, review_on=None,
    )  # fmt: skip
    page = owner_client.get(_url("compose", chosen, "accept"))
    assert page.status_code == HTTPStatus.OK
    assert page.context_data["composer"].message.purpose == "accept"


@pytest.mark.django_db
def test_the_still_open_composer_records_their_yes(
    owner_client: Client, decision: Decision, decided
):
    _, other = decided
    Offer.objects.filter(pk=other.pk).update(status=Offer.Status.DECLINED)
    used = owner_client.post(
        _url("compose", other, "still-open"),
        {"medium": "short", "tone": "warm", "recipient_name": "Jana", "action": "use"},
    )
    assert used.status_code == HTTPStatus.FOUND
    page = owner_client.get(_url("compose", other, "still-open")).content.decode()
    reopen = reverse("decisions:offer_reopen", args=[decision.pk, other.pk])
    assert reopen in page
    sent = owner_client.post(
        _url("mark_sent", other, "still-open"), {"sent_on": timezone.localdate().isoformat()}
    )
    assert sent.url == reverse("decisions:change_mind", args=[decision.pk])
    assert Offer.objects.get(pk=other.pk).status == "declined"  # asking is not an answer
    owner_client.post(reopen)
    assert Offer.objects.get(pk=other.pk).status == "open"


@pytest.mark.parametrize(
    ("code", "details"),
    [("accept", {"start_date": START}), ("accept", {"start_date": ""}), ("withdraw", {}),
     ("still_open", {})],
)  # fmt: skip
def test_no_verb_is_repeated_within_two_sentences(code: str, details: dict):
    for choices in _every(code, **details):
        body = compose(choices, PARTIES).body
        assert repeated_words(body) == [], (choices.medium, choices.tone)


@pytest.mark.django_db
@pytest.mark.parametrize("purpose", ["accept", "withdraw"])
def test_the_acceptance_and_the_withdrawal_print_as_letters(
    owner_client: Client, decision: Decision, decided, user: User, purpose: str
):
    chosen, other = decided
    if purpose == "withdraw":
        decision_services.decision_change_mind(
            decision=decision, actor=user, chosen_offer=other, reason="Closer", why="x",
            confidence=50, review_on=None,
        )  # fmt: skip
    used = owner_client.post(
        _url("compose", chosen, purpose),
        {"medium": "letter", "tone": "formal", "recipient_name": "Ms Jana Krüger",
         "start_date": "", "action": "use"},
    )  # fmt: skip
    assert used.status_code == HTTPStatus.FOUND
    response = owner_client.post(
        reverse("messaging:download", args=[decision.pk, chosen.pk, purpose, "pdf"])
    )
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


@pytest.mark.django_db
def test_another_offers_monthly_salary_is_a_figure_not_to_quote(decision: Decision):
    asked = OfferFactory(decision=decision)
    OfferFactory(
        decision=decision,
        salary_period=Offer.SalaryPeriod.MONTHLY,
        monthly_salary=Decimal("7321"),
        salaries_per_year=13,
        base_salary=Decimal("95173"),
    )
    assert 7321.0 in services.other_figures(asked)
