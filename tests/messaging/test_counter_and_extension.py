"""The counter-ask and the request for more time: their text, checks and composer."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from decisions import compensation
from decisions.models import Decision, Offer, Rating
from messaging import negotiation, services
from messaging.checks import check_message
from messaging.compose import TONES, Choices, Parties, compose
from messaging.forms import LEVERS, ComposeForm
from messaging.purposes import COUNTER, EXTENSION, get
from tests.factories import DecisionFactory, OfferFactory

LONG = Parties(
    sender_name="Maximilian Fitzgerald-Oyelaran",
    signature="Maximilian Fitzgerald-Oyelaran",
    company="Konstantinopoulou Advanced Analytics International",
    role="Senior Principal Machine Learning Platform Engineer",
    recipient_name="Alexandra Konstantinopoulou-Whitfield",
    currency="EUR",
)
COUNTER_DETAILS = {
    "lever": "base_salary",
    "variant": "realistic",
    "amount": 12_000,
    "justification": "my experience leading the data platform migration",
}


def _counter(**details: object) -> Choices:
    return Choices(purpose=COUNTER, details={**COUNTER_DETAILS, **details})


# The text --------------------------------------------------------------------------


@pytest.mark.parametrize("tone", TONES)
@pytest.mark.parametrize("medium", get(COUNTER).media)
@pytest.mark.parametrize("lever", LEVERS)
@pytest.mark.parametrize("variant", negotiation.VARIANTS)
def test_every_counter_block_renders_a_specific_ask(tone, medium, lever, variant):
    choices = Choices(
        purpose=COUNTER,
        medium=medium,
        tone=tone,
        details={**COUNTER_DETAILS, "lever": lever, "variant": variant},
    )
    draft = compose(choices, LONG)
    assert draft.subject
    if lever in ("base_salary", "signing_bonus", "equity", "learning_budget"):
        assert "€12,000" in draft.body
    assert "data platform migration" in draft.body


def test_a_counter_ask_without_amount_or_justification_still_reads_whole():
    draft = compose(_counter(amount=None, justification=""), LONG)
    assert "a higher base salary" in draft.body
    assert "None" not in draft.body


def test_the_call_script_opens_with_enthusiasm_and_goes_quiet_after_the_ask():
    body = compose(Choices(purpose=COUNTER, medium="phone", details=COUNTER_DETAILS), LONG).body
    for section in ("After the ask, stay quiet", "If they say no", "If they ask what the other"):
        assert section in body
    assert "say you want the role" in body


@pytest.mark.parametrize("tone", TONES)
@pytest.mark.parametrize("medium", get(EXTENSION).media)
@pytest.mark.parametrize("reason", ["careful_thought", "family", "commitment", "process"])
def test_every_extension_block_names_the_day_and_the_reason(tone, medium, reason):
    choices = Choices(
        purpose=EXTENSION,
        medium=medium,
        tone=tone,
        details={"until": "2026-09-30", "extension_reason": reason},
    )
    draft = compose(choices, LONG)
    assert "30 September" in draft.body
    assert "offer" in draft.body


@pytest.mark.parametrize("tone", TONES)
def test_a_short_request_for_time_fits_300_characters_and_names_the_role(tone):
    for reason in ("careful_thought", "family", "commitment", "process"):
        choices = Choices(
            purpose=EXTENSION,
            medium="short",
            tone=tone,
            details={"until": "2026-09-30", "extension_reason": reason},
        )
        body = compose(choices, LONG).body
        assert len(body) <= 300, (tone, reason, len(body))
        assert f"the {LONG.role} offer" in body
        assert len(re.findall(r"[.?!](?:\s|$)", body.split("\n", 1)[1])) <= 3


# The checks ------------------------------------------------------------------------


@pytest.mark.parametrize("tone", TONES)
def test_our_counter_ask_names_no_other_employer_and_states_only_its_own_figure(tone):
    draft = compose(_counter(), LONG)
    found = check_message(
        draft.body,
        purpose=COUNTER,
        other_companies=("Acme",),
        recipient_name=LONG.recipient_name,
        asked=[12_000],
        other_figures=[95_000, 120_000],
    )
    assert not [c for c in found if c.level != "ok"]


def test_a_counter_ask_is_not_checked_for_saying_no():
    text = "Thank you for the offer. Could you include €12,000 more in base salary?"
    codes = {c.code for c in check_message(text, purpose=COUNTER, asked=[12_000])}
    assert "no_decision" not in codes
    assert "mentions_money" not in codes
    assert "no_decision" in {c.code for c in check_message(text)}


def test_a_counter_ask_naming_the_other_employer_or_its_figures_is_a_problem():
    text = "Acme's offer is $120k; could you include $12,000 more in base salary?"
    found = {
        c.code: c.level
        for c in check_message(
            text,
            purpose=COUNTER,
            other_companies=("Acme",),
            asked=[12_000],
            other_figures=[120_000.0],
        )
    }
    assert found["names_other_employer"] == "problem"
    assert found["quotes_other_offer"] == "problem"


def test_a_counter_ask_with_another_figure_of_its_own_gets_a_remark():
    text = "My current base is $100,000; could you include $12,000 more?"
    found = {c.code: c.level for c in check_message(text, purpose=COUNTER, asked=[12_000])}
    assert found == {**found, "mentions_money": "warning"}
    assert "quotes_other_offer" not in found


# The form --------------------------------------------------------------------------


def _form(purpose: str, *, offer=None, **data: str) -> ComposeForm:
    return ComposeForm(
        {"medium": "email", "tone": "warm", **data}, purpose=get(purpose), offer=offer
    )


def test_the_counter_form_cleans_to_plain_json():
    form = _form(COUNTER, lever="equity", variant="ambitious", amount="15000", justification=" x ")
    assert form.is_valid(), form.errors
    assert form.choices().details == {
        "lever": "equity",
        "variant": "ambitious",
        "amount": 15_000,
        "start_date": "",
        "title": "",
        "justification": "x",
    }


@pytest.mark.parametrize(
    ("amount", "says"),
    [
        ("0", "Ask for an improvement above zero."),
        ("-5", "Ask for an improvement above zero."),
        ("12.5", "Give the amount as a whole number, without a currency sign."),
        ("lots", "Give the amount as a whole number, without a currency sign."),
        ("99999999999", "Ask for at most 10,000,000: more than that is surely a slip of a zero."),
    ],
)
def test_the_counter_form_refuses_an_amount_that_is_not_one_in_our_words(amount, says):
    form = _form(COUNTER, lever="base_salary", variant="realistic", amount=amount)
    assert not form.is_valid()
    assert form.errors["amount"] == [says]


@pytest.mark.parametrize(
    ("lever", "amount", "says"),
    [
        ("remote_days", "9000000", "ask for 1 to 5"),
        ("remote_days", "6", "ask for 1 to 5"),
        ("signing_bonus", "9000000", "more than the whole base salary (€80,000)"),
        ("learning_budget", "80001", "more than the whole base salary (€80,000)"),
        ("base_salary", "500000", "more than the whole base salary (€80,000)"),
    ],
)
def test_the_amount_asked_fits_its_lever(lever: str, amount: str, says: str):
    offer = OfferFactory.build(base_salary=Decimal(80_000), currency="EUR")
    details = {"start_date": START.isoformat(), "title": "Lead Data Engineer"}
    form = _form(COUNTER, lever=lever, variant="realistic", amount=amount, offer=offer, **details)
    assert not form.is_valid()
    assert any(says in error for error in form.errors["amount"]), form.errors


@pytest.mark.parametrize(
    ("lever", "amount"),
    [("remote_days", "1"), ("remote_days", "5"), ("remote_days", ""), ("base_salary", "80000"),
     ("equity", "150000"), ("learning_budget", "2000")],
)  # fmt: skip
def test_an_amount_within_its_levers_bounds_is_taken(lever: str, amount: str):
    offer = OfferFactory.build(base_salary=Decimal(80_000), currency="EUR")
    form = _form(COUNTER, lever=lever, variant="realistic", amount=amount, offer=offer)
    assert form.is_valid(), form.errors
    assert form.choices().details["amount"] == (int(amount) if amount else None)


START = timezone.localdate() + dt.timedelta(days=45)


@pytest.mark.parametrize(
    ("start", "says"),
    [
        ("", "Give the start date you would like to ask for"),
        ((timezone.localdate() - dt.timedelta(days=1)).isoformat(), "ask for a day to come"),
        ((timezone.localdate() + dt.timedelta(days=800)).isoformat(), "within the next two years"),
        ("soon", "Enter a valid date"),
    ],
)
def test_a_start_date_ask_names_a_day_within_range(start: str, says: str):
    form = _form(COUNTER, lever="start_date", variant="realistic", start_date=start)
    assert not form.is_valid()
    assert any(says in error for error in form.errors["start_date"]), form.errors


def test_a_start_date_ask_keeps_its_day_and_another_lever_drops_it():
    form = _form(COUNTER, lever="start_date", variant="realistic", start_date=START.isoformat())
    assert form.is_valid(), form.errors
    assert form.choices().details["start_date"] == START.isoformat()
    assert "a start date of" in compose(form.choices(), LONG).body
    form = _form(COUNTER, lever="base_salary", variant="realistic", start_date=START.isoformat())
    assert form.is_valid(), form.errors
    assert form.choices().details["start_date"] == ""


@pytest.mark.parametrize(
    ("title", "says"),
    [("", "Give the title you would like to ask for"), ("   ", "Give the title"),
     ("L" * 81, "Keep the title to 80 characters or fewer: this one has 81."),
     ("L" * 1200, "this one has 1,200."), ("Lead\nEngineer", "one line")],
)  # fmt: skip
def test_a_title_ask_names_a_title_of_one_short_line(title: str, says: str):
    form = _form(COUNTER, lever="title", variant="realistic", title=title)
    assert not form.is_valid()
    assert any(says in error for error in form.errors["title"]), form.errors


# What may be left in a named lever's field once the lever changed.
LEFT_OVER = [
    {"title": "L" * 200},
    {"title": "Lead\nEngineer"},
    {"start_date": (timezone.localdate() - dt.timedelta(days=1)).isoformat()},
    {"start_date": (timezone.localdate() + dt.timedelta(days=800)).isoformat()},
    {"start_date": "soon"},
]
ASKED = {
    "base_salary": {"amount": "5000"},
    "start_date": {"start_date": START.isoformat()},
    "title": {"title": "Lead Data Engineer"},
}


@pytest.mark.parametrize(
    ("lever", "other"),
    [(lever, other) for lever in ASKED for other in LEFT_OVER if lever not in other],
)
def test_another_levers_detail_neither_blocks_nor_counts(lever: str, other: dict):
    """What is left in a named lever's field once the lever changed (a title too long, a
    day past) is dropped, not refused: the form asks only about the lever chosen."""
    form = _form(COUNTER, lever=lever, variant="realistic", **other, **ASKED[lever])
    assert form.is_valid(), form.errors
    assert form.choices().details[next(iter(other))] == ""


def test_a_title_ask_keeps_the_title_trimmed():
    form = _form(COUNTER, lever="title", variant="realistic", title="  Lead Data Engineer ")
    assert form.is_valid(), form.errors
    assert form.choices().details["title"] == "Lead Data Engineer"
    assert "the title of Lead Data Engineer" in compose(form.choices(), LONG).body


def test_the_extension_form_takes_a_later_day_as_iso_text():
    day = timezone.localdate() + dt.timedelta(days=10)
    form = _form(EXTENSION, until=day.isoformat(), extension_reason="family")
    assert form.is_valid(), form.errors
    assert form.choices().details == {"until": day.isoformat(), "extension_reason": "family"}


@pytest.mark.parametrize("days", [0, -1, 61])
def test_the_extension_form_refuses_today_the_past_and_a_long_wait(days):
    day = timezone.localdate() + dt.timedelta(days=days)
    form = _form(EXTENSION, until=day.isoformat(), extension_reason="family")
    assert not form.is_valid()
    assert "until" in form.errors


# Starting details and the composer ------------------------------------------------


@pytest.fixture
def beta_behind(decision: Decision):
    """Acme leads; Beta pays more but needs more still to come first."""
    salary = decision.criteria.get(kind="total_comp")
    salary.floor, salary.target = Decimal(60_000), Decimal(200_000)
    salary.save()
    acme = OfferFactory(decision=decision, company="Acme", base_salary=Decimal(80_000))
    beta = OfferFactory(
        decision=decision,
        company="Beta",
        role="Data Engineer",
        base_salary=Decimal(115_000),
        recruiter_name="Dana Okafor",
    )
    for offer, (culture, balance) in ((acme, (9, 9)), (beta, (5, 3))):
        for name, value in (("Culture", culture), ("Work-life balance", balance)):
            Rating.objects.create(
                offer=offer, criterion=decision.criteria.get(name=name), value=value
            )
    return acme, beta


def _compose_url(offer, purpose: str) -> str:
    return reverse("messaging:compose", args=[offer.decision_id, offer.pk, purpose])


@pytest.mark.django_db
def test_a_counter_ask_starts_from_the_compare_pages_gap(beta_behind):
    _, beta = beta_behind
    gap = services.counter_gap(beta)
    assert gap is not None
    assert gap > 0
    details = services.counter_details(beta)
    expected = negotiation.asks(gap, base_salary=beta.base_salary).realistic
    # No amount of the candidate's own: the figure written follows the variant.
    assert details == {
        "lever": "base_salary",
        "variant": "realistic",
        "amount": None,
        "justification": "",
    }
    written = services.with_variant_amount(beta, Choices(purpose=COUNTER, details=details))
    assert written.details["amount"] == expected


def _preview(client, offer, **details):
    data = {"medium": "email", "tone": "warm", "recipient_name": "Dana", "lever": "base_salary",
            "variant": "realistic", "amount": "", **details}  # fmt: skip
    response = client.post(_compose_url(offer, "counter"), data, headers={"HX-Request": "true"})
    assert response.status_code == HTTPStatus.OK
    return response.context_data["composer"]


@pytest.mark.django_db
@pytest.mark.parametrize("variant", list(negotiation.VARIANTS))
def test_the_amount_follows_the_variant_unless_the_candidate_typed_one(
    owner_client, beta_behind, variant
):
    _, beta = beta_behind
    asks = services.counter_asks(beta)
    composer = _preview(owner_client, beta, variant=variant)
    assert f"€{asks.of(variant):,}" in composer.draft.body
    assert composer.choices.details["amount"] is None  # saved as "the variant's figure"
    typed = _preview(owner_client, beta, variant=variant, amount="7000")
    assert "€7,000" in typed.draft.body


@pytest.mark.django_db
def test_a_signing_bonus_closes_the_yearly_gap_over_the_ranked_years(owner_client, beta_behind):
    _, beta = beta_behind
    yearly = services.counter_asks(beta)
    once = services.lever_asks(beta, "signing_bonus")
    assert compensation.HORIZON_YEARS == 4
    assert (once.conservative, once.realistic, once.ambitious) == (
        yearly.conservative * 4,
        yearly.realistic * 4,
        yearly.ambitious * 4,
    )
    composer = _preview(owner_client, beta, lever="signing_bonus", variant="conservative")
    assert f"€{once.conservative:,}" in composer.draft.body


@pytest.mark.django_db
def test_a_learning_budget_asks_modest_figures_of_its_own(owner_client, beta_behind):
    _, beta = beta_behind
    budget = services.lever_asks(beta, "learning_budget")
    assert (budget.conservative, budget.realistic, budget.ambitious) == (1_000, 2_000, 3_000)
    composer = _preview(owner_client, beta, lever="learning_budget", variant="ambitious")
    assert "€3,000" in composer.draft.body
    assert f"€{services.counter_asks(beta).ambitious:,}" not in composer.draft.body
    page = owner_client.get(_compose_url(beta, "counter"))
    form = page.context_data["form"]
    assert dict(form.fields["variant"].choices)["realistic"].startswith("Realistic, €")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lever", "extra"),
    [("start_date", {"start_date": (timezone.localdate() + dt.timedelta(days=40)).isoformat()}),
     ("title", {"title": "Lead Data Engineer"}), ("remote_days", {})],
)  # fmt: skip
def test_a_lever_that_asks_no_money_writes_no_money(owner_client, beta_behind, lever, extra):
    _, beta = beta_behind
    composer = _preview(owner_client, beta, lever=lever, **extra)
    assert "€" not in composer.draft.body
    assert composer.choices.details["amount"] is None


@pytest.mark.parametrize(("lever", "amount"), [("start_date", "12000"), ("title", "1")])
def test_an_amount_left_from_a_money_lever_is_dropped_for_a_start_date_or_a_title(lever, amount):
    details = {"start_date": START.isoformat(), "title": "Lead Data Engineer"}
    form = _form(COUNTER, lever=lever, variant="realistic", amount=amount, **details)
    assert form.is_valid(), form.errors
    assert form.choices().details["amount"] is None


@pytest.mark.django_db
def test_the_gap_in_the_address_is_asked_for_in_the_offers_currency(owner_client, decision):
    beta = OfferFactory(
        decision=decision,
        company="Beta",
        currency="USD",
        rate_to_base=Decimal("0.5"),
        base_salary=Decimal(150_000),
    )
    response = owner_client.get(_compose_url(beta, "counter") + "?amount=5000")
    assert response.status_code == HTTPStatus.OK
    # 5,000 EUR is 10,000 USD at 0.5: the realistic ask is 12,000 USD.
    assert response.context_data["composer"].choices.details["amount"] == 12_000
    assert "$12,000" in response.context_data["composer"].draft.body


@pytest.mark.django_db
@pytest.mark.parametrize("amount", ["", "abc", "-4", "0", "nan", "inf", "1e400", "9" * 50])
def test_a_bad_amount_in_the_address_is_ignored(owner_client, beta_behind, amount):
    _, beta = beta_behind
    response = owner_client.get(_compose_url(beta, "counter") + f"?amount={amount}")
    assert response.status_code == HTTPStatus.OK
    assert response.context_data["composer"].choices.details == services.counter_details(beta)


@pytest.mark.django_db
def test_the_day_in_the_address_starts_the_request_for_time(owner_client, offer):
    day = timezone.localdate() + dt.timedelta(days=9)
    response = owner_client.get(_compose_url(offer, "extension") + f"?until={day.isoformat()}")
    assert response.status_code == HTTPStatus.OK
    assert response.context_data["composer"].choices.details["until"] == day.isoformat()


def test_the_extension_form_refuses_a_day_not_after_the_current_deadline():
    deadline = timezone.localdate() + dt.timedelta(days=10)
    offer = OfferFactory.build(response_deadline=deadline)
    for days in (5, 10):
        day = timezone.localdate() + dt.timedelta(days=days)
        form = _form(EXTENSION, until=day.isoformat(), extension_reason="family", offer=offer)
        assert not form.is_valid()
        assert "They already expect your answer by" in form.errors["until"][0]
    day = deadline + dt.timedelta(days=1)
    form = _form(EXTENSION, until=day.isoformat(), extension_reason="family", offer=offer)
    assert form.is_valid(), form.errors


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("until", "says"),
    [
        ("tomorrowish", "Enter a valid date"),
        ("2020-01-01", "Ask for a day after today"),
        ("9999-12-31", "Ask for at most 60 days"),
        ((timezone.localdate() + dt.timedelta(days=61)).isoformat(), "Ask for at most 60 days"),
        ((timezone.localdate() + dt.timedelta(days=3)).isoformat(), "They already expect"),
        ("", "This field is required"),
    ],
)
def test_a_bad_day_in_the_address_is_refused_in_the_form(owner_client, offer, until, says):
    Offer.objects.filter(pk=offer.pk).update(
        response_deadline=timezone.localdate() + dt.timedelta(days=5)
    )
    offer.refresh_from_db()
    response = owner_client.get(_compose_url(offer, "extension") + f"?until={until}")
    assert response.status_code == HTTPStatus.OK
    form = response.context_data["form"]
    assert any(says in error for error in form.errors["until"]), form.errors
    assert says in response.content.decode().replace("&#x27;", "'")
    # The preview keeps to the day Offerdesk suggests, never the one refused.
    details = response.context_data["composer"].choices.details
    assert details == services.extension_details(offer)


@pytest.mark.django_db
def test_another_users_offer_has_no_counter_composer(owner_client, foreign_decision):
    offer = foreign_decision.offers.get()
    for purpose in ("counter", "extension"):
        response = owner_client.get(_compose_url(offer, purpose) + "?amount=1000")
        assert response.status_code == HTTPStatus.NOT_FOUND


@pytest.mark.django_db
def test_the_compare_page_links_the_gap_to_the_counter_ask(owner_client, beta_behind):
    _, beta = beta_behind
    response = owner_client.get(reverse("decisions:compare", args=[beta.decision_id]))
    html = response.content.decode()
    gap = int(services.counter_gap(beta))
    assert f"{_compose_url(beta, 'counter')}?amount={gap}" in html
    assert "Ask Beta for more" in html


@pytest.mark.django_db
def test_the_composers_checks_take_the_counter_asks_own_figure(owner_client, beta_behind):
    _, beta = beta_behind
    response = owner_client.get(_compose_url(beta, "counter"))
    codes = {c.code for c in response.context_data["composer"].review.checks}
    assert "no_decision" not in codes
    assert "mentions_money" not in codes
    assert "names_other_employer" not in codes


@pytest.mark.django_db
def test_the_variants_are_one_segmented_control_as_medium_and_tone_are(owner_client, beta_behind):
    _, beta = beta_behind
    page = owner_client.get(_compose_url(beta, "counter")).content.decode()
    controls = page.split('<fieldset class="segmented')[1:]
    legends = [control.split("<legend>", 1)[1].split("</legend>", 1)[0] for control in controls]
    assert "How far to reach" in legends
    variants = controls[legends.index("How far to reach")].split("</fieldset>", 1)[0]
    assert variants.count('class="segmented__option"') == len(negotiation.VARIANTS)


@pytest.mark.django_db
def test_each_variant_shows_the_figure_it_would_ask(owner_client, beta_behind):
    _, beta = beta_behind
    asks = services.counter_asks(beta)
    response = owner_client.get(_compose_url(beta, "counter"))
    labels = dict(response.context_data["form"].fields["variant"].choices)
    assert labels["conservative"].startswith(f"Conservative, €{asks.conservative:,}:")
    assert labels["ambitious"].startswith(f"Ambitious, €{asks.ambitious:,}:")
    assert f"Realistic, €{asks.realistic:,}" in response.content.decode()


@pytest.mark.django_db
def test_a_gap_out_of_reach_suggests_another_lever(owner_client, beta_behind, user):
    _, beta = beta_behind
    response = owner_client.get(_compose_url(beta, "counter"))
    help_text = response.context_data["form"].fields["amount"].help_text
    assert help_text.startswith("Closing the gap takes more than 15% of the base salary")
    # Alone in its decision, an offer is asked for a twentieth of its base: within reach.
    alone = OfferFactory(decision=DecisionFactory(owner=user), base_salary=100_000)
    response = owner_client.get(_compose_url(alone, "counter"))
    assert "Closing the gap" not in response.context_data["form"].fields["amount"].help_text


@settings(max_examples=60)
@given(
    tone=st.sampled_from(list(TONES)),
    medium=st.sampled_from(get(COUNTER).media),
    lever=st.sampled_from(list(LEVERS)),
    variant=st.sampled_from(list(negotiation.VARIANTS)),
    amount=st.one_of(st.none(), st.integers(min_value=1, max_value=negotiation.MAX_GAP)),
    others=st.lists(st.integers(min_value=1, max_value=5_000_000), max_size=6),
)
def test_no_counter_ask_we_write_names_another_employer_or_quotes_its_figures(
    tone, medium, lever, variant, amount, others
):
    details = {**COUNTER_DETAILS, "lever": lever, "variant": variant, "amount": amount}
    body = compose(Choices(purpose=COUNTER, medium=medium, tone=tone, details=details), LONG).body
    found = check_message(
        body,
        medium=medium,
        purpose=COUNTER,
        other_companies=("Acme", "Globex", "Initech", "Hooli"),
        recipient_name=LONG.recipient_name,
        asked=[amount] if amount else [],
        other_figures=[figure for figure in others if figure != amount],
    )
    codes = {check.code for check in found}
    assert not codes & {"names_other_employer", "quotes_other_offer", "mentions_money"}


@pytest.mark.parametrize(
    ("days", "said"),
    [(1, "1 remote day a week"), (3, "3 remote days a week"), (5, "fully remote")],
)
def test_remote_days_read_as_days_a_week(days, said):
    draft = compose(_counter(lever="remote_days", amount=days), LONG)
    assert said in draft.body
