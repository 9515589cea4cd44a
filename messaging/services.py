"""The composer's state, and the writes for decline messages.

``composer_state`` builds everything the composer's page and preview show, once a
request: which choices the preview follows, the text they generate, the checks beside
it, the deadline, and what the forms start from; views only render it. Drafting,
editing, exporting and sending each log once; the composer saves through
``message_use_generated`` and ``message_save_edits``, which decide themselves whether
the text is the candidate's own (``edited``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from decisions import compensation, deadlines, explain
from decisions.models import ACCEPTED_STATUSES, OFFER_PAY_FIGURES, Decision, LogEntry, Offer
from decisions.selectors import comparison, timing_clashes
from decisions.services import log_append
from decisions.services.log import lock_decision
from messaging import documents, negotiation, purposes
from messaging.checks import LENGTH_LIMITS, Limit, length_of
from messaging.compose import (
    CHOICE_FIELDS,
    MAX_BODY_CHARS,
    Choices,
    Draft,
    Parties,
    Review,
    compose,
    review,
)
from messaging.forms import FURTHEST_PLAN, STAY_IN_TOUCH_TOO_FAR
from messaging.models import Message
from messaging.purposes import Purpose
from messaging.selectors import suggested_reason
from offerdesk.accounts.models import User
from offerdesk.formats import date_text, money, money_cents

DRAFT_NOUNS = {
    "email": "an e-mail",
    "letter": "a letter",
    "phone": "a call script",
    "short": "a short message",
}
# The code by which a caller tells "this would overwrite your edits" from other refusals.
EDITED = "edited"


# The composer's state ------------------------------------------------------------


@dataclass(frozen=True)
class ComposerState:
    """What the composer shows for one offer, from one set of choices.

    ``choices`` and ``recipient_name`` are what the preview follows; ``draft`` and
    ``review`` are their text and its checks, ``length`` the text's length in the unit
    its medium is measured in, against ``limit`` (``messaging.checks.MEDIUM_LIMITS``,
    the same the checks apply). ``message`` is the saved draft (None
    until one is saved) and ``edited`` says its text is the candidate's own, which
    ``draft_review`` checks as the preview's is checked (None when it is not edited).
    ``form_initial`` and ``draft_initial`` are what the composer form and the draft
    form start from when the request did not fill them (``draft_initial`` is None
    without a saved message, when there is no draft form).
    """

    offer: Offer
    purpose: Purpose
    message: Message | None
    choices: Choices
    recipient_name: str
    parties: Parties
    draft: Draft
    review: Review
    draft_review: Review | None
    length: int
    limit: Limit
    deadline: dt.date | None
    days_left: int | None
    urgency: deadlines.Urgency
    edited: bool
    mailto: str
    is_chosen: bool
    form_initial: dict[str, Any]
    draft_initial: dict[str, str] | None


def parties(*, sender: User, offer: Offer, recipient_name: str) -> Parties:
    """Who writes to whom: the sender's names and addresses from their profile, the
    rest from the offer. The offer's date is left unknown: Offerdesk keeps none (the
    day the offer was entered is not it), so the reference line names the role alone."""
    return Parties(
        sender_name=sender.full_name or sender.username,
        signature=sender.signature,
        full_name=sender.full_name,
        company=offer.company,
        role=offer.role,
        recipient_name=recipient_name,
        currency=offer.currency,
        sender_address=sender.postal_address,
        sender_phone=sender.phone,
        sender_email=sender.email,
        location=offer.location,
        offer_date=None,
        paper_size=sender.paper_size,
        terms=offer_terms(offer),
    )


WORK_MODE_PHRASES = {
    Offer.WorkMode.ONSITE: ("working on site in {location}", "working on site"),
    Offer.WorkMode.HYBRID: ("a hybrid arrangement based in {location}", "a hybrid arrangement"),
    Offer.WorkMode.REMOTE: ("working remotely from {location}", "working remotely"),
}


def offer_terms(offer: Offer) -> tuple[str, ...]:
    """The offer's terms as an acceptance restates them, each a phrase in the offer's
    own currency: the pay figures it has (an unknown base salary or a zero bonus is
    left out), then how and where the work is done."""
    currency = offer.currency
    terms = []
    if offer.monthly_salary is not None:
        # As the contract will say it: by the month, with the salaries of the custom.
        terms.append(
            f"a salary of {money(offer.monthly_salary, currency)} a month, paid "
            f"{offer.salaries_per_year} times a year ({money(offer.base_salary, currency)})"
        )
    elif offer.base_salary is not None:
        terms.append(f"a base salary of {money(offer.base_salary, currency)} a year")
    if offer.bonus:
        terms.append(f"an expected bonus of {money(offer.bonus, currency)} a year")
    if offer.equity_per_year:
        terms.append(_equity_term(offer))
    if offer.signing_bonus:
        terms.append(f"a signing bonus of {money(offer.signing_bonus, currency)}")
    with_place, without = WORK_MODE_PHRASES[Offer.WorkMode(offer.work_mode)]
    location = " ".join(offer.location.split())
    terms.append(with_place.format(location=location) if location else without)
    return tuple(terms)


def _equity_term(offer: Offer) -> str:
    """The grant as the employer describes it, at its face value: a discount the
    candidate applies for themselves is not a term of the offer."""
    worth = money(offer.equity_per_year, offer.currency)
    if offer.equity_kind == Offer.EquityKind.OPTIONS:
        return (
            f"stock options on shares worth about {worth} a year at "
            f"{money_cents(offer.share_price, offer.currency)} a share, with a strike "
            f"price of {money_cents(offer.strike_price, offer.currency)}"
        )
    if offer.equity_kind == Offer.EquityKind.PRIVATE:
        return f"shares in the company worth about {worth} a year"
    return f"equity worth about {worth} a year"


def saved_choices(message: Message) -> Choices:
    """The choices a saved message was generated from."""
    return Choices(**{name: getattr(message, name) for name in CHOICE_FIELDS})


def generate(*, sender: User, offer: Offer, choices: Choices, recipient_name: str) -> Draft:
    """The subject and body ``choices`` generate for this offer, signed by ``sender``
    (a counter-ask's figure following its variant: ``with_variant_amount``)."""
    return compose(
        with_variant_amount(offer, choices),
        parties(sender=sender, offer=offer, recipient_name=recipient_name),
    )


def other_companies(offer: Offer) -> list[str]:
    """The decision's other employers: a decline to ``offer`` should name none of them."""
    return [
        company
        for pk, company in offer.decision.offers.values_list("pk", "company")
        if pk != offer.pk
    ]


def other_figures(offer: Offer) -> list[float]:
    """The pay figures of the decision's other offers, each in its own currency: a
    counter-ask to ``offer`` should quote none of them."""
    figures = []
    for other in offer.decision.offers.exclude(pk=offer.pk):
        amounts = [getattr(other, name) for name in OFFER_PAY_FIGURES]
        figures += [float(a) for a in (*amounts, other.first_year_total) if a]
    return figures


def starting_choices(offer: Offer, purpose: Purpose) -> Choices:
    """What a new message for ``purpose`` starts from: a decline's reason suggested by
    the scoring (the only case that scores), every other purpose's own defaults, in the
    first medium it lists (a withdrawal starts as a call)."""
    if purpose.code == purposes.DECLINE:
        return Choices(reason_choice=suggested_reason(offer))
    details = DEFAULT_DETAILS[purpose.code](offer) if purpose.code in DEFAULT_DETAILS else {}
    return Choices(purpose=purpose.code, medium=purpose.media[0], details=details)


# The purposes that answer the offer (or ask to answer it later): its reply deadline
# times them, and none is written before the offer is in hand (``out_of_turn``); a
# withdrawal, a "still open?" or a note to stay in touch is written whenever it is due.
ANSWER_THE_OFFER = (purposes.DECLINE, purposes.ACCEPT, purposes.COUNTER, purposes.EXTENSION)


def composer_state(
    *,
    offer: Offer,
    sender: User,
    message: Message | None,
    today: dt.date,
    purpose: Purpose | None = None,
    choices: Choices | None = None,
    recipient_name: str = "",
) -> ComposerState:
    """The composer of ``purpose`` (a decline unless said) for ``offer`` as ``sender``
    sees it on ``today``.

    With ``choices`` (valid ones from the request) the preview follows them and
    ``recipient_name``. Without, it follows the saved message's choices and
    recipient, or, before anything is saved, ``starting_choices`` with the recipient
    from the offer. ``message`` is the offer's saved message for the purpose, read by
    the caller, or None.
    """
    purpose = purpose or purposes.get(purposes.DECLINE)
    if choices is None:
        choices, recipient_name = current_choices(offer, purpose, message)
    the_parties = parties(sender=sender, offer=offer, recipient_name=recipient_name)
    written = with_variant_amount(offer, choices)
    draft = compose(written, the_parties)
    length, limit = length_of(draft.body, choices.medium)
    deadline = offer.response_deadline

    def checked(text: Draft, medium: str) -> Review:
        return review(
            text,
            medium=medium,
            recipient_name=recipient_name,
            # The reply deadline bears on answering the offer alone.
            deadline=deadline if choices.purpose in ANSWER_THE_OFFER else None,
            today=today,
            direction=choices.direction,
            other_companies=other_companies(offer),
            company=offer.company,
            purpose=choices.purpose,
            asked=[written.details["amount"]] if written.details.get("amount") else [],
            other_figures=other_figures(offer) if choices.purpose == purposes.COUNTER else [],
        )

    edited = message is not None and message.edited
    return ComposerState(
        offer=offer,
        purpose=purpose,
        message=message,
        choices=choices,
        recipient_name=recipient_name,
        parties=the_parties,
        draft=draft,
        review=checked(draft, choices.medium),
        # The candidate's own words are what goes out: they are checked too.
        draft_review=(
            checked(Draft(subject=message.subject, body=message.body), message.medium)
            if edited and message is not None
            else None
        ),
        length=length,
        limit=limit,
        deadline=deadline,
        days_left=deadlines.days_left(deadline, today),
        urgency=deadlines.urgency(deadline, today),
        edited=edited,
        mailto=documents.mailto_url(message) if message is not None else "",
        is_chosen=offer.decision.chosen_offer_id == offer.pk,
        form_initial=form_initial(choices, recipient_name),
        draft_initial=(
            {"subject": message.subject, "body": message.body} if message is not None else None
        ),
    )


def form_initial(choices: Choices, recipient_name: str) -> dict[str, Any]:
    """What the composer form shows for ``choices``: one field per choice and detail."""
    return {
        **{name: value for name, value in asdict(choices).items() if name != "details"},
        **choices.details,
        "recipient_name": recipient_name,
    }


def current_choices(offer: Offer, purpose: Purpose, message: Message | None) -> tuple[Choices, str]:
    """The choices and recipient the composer follows before the request says
    otherwise: the saved message's, or else ``starting_choices`` and the offer's
    recruiter."""
    if message is not None:
        return saved_choices(message), message.recipient_name
    return starting_choices(offer, purpose), offer.recruiter_name


# Starting details of a counter-ask and of a request for more time ----------------------


def counter_gap(offer: Offer) -> float | None:
    """The yearly pay the compare page says ``offer`` needs to come first (or, when no
    amount can, to draw level), in the decision's currency; None when it says none."""
    ranked = comparison(offer.decision, samples=0)
    for claim in ranked.claims_of(explain.PAY_TO_OVERTAKE, explain.PAY_TO_TIE):
        if claim.offer == offer.pk and claim.amount:
            return claim.amount
    return None


def counter_asks(offer: Offer, *, gap: float | None = None) -> negotiation.Asks | None:
    """The three figures (``messaging.negotiation``) to ask ``offer`` for, in its own
    currency, for ``gap``: the yearly gap in the decision's currency (else the compare
    page's, else a twentieth of the base salary). None when none of them is known."""
    if gap is None:
        gap = counter_gap(offer)
    needed = (
        negotiation.in_offer_currency(gap, rate_to_base=offer.rate_to_base)
        if gap is not None and gap > 0
        else negotiation.default_gap(offer.base_salary)
    )
    if needed is None or not 0 < needed <= negotiation.MAX_GAP:
        return None
    return negotiation.asks(needed, base_salary=offer.base_salary)


# A learning budget is no share of the pay gap: modest yearly figures of its own, in the
# offer's currency.
LEARNING_BUDGET_ASKS = negotiation.Asks(conservative=1_000, realistic=2_000, ambitious=3_000)


def lever_asks(offer: Offer, lever: str, *, gap: float | None = None) -> negotiation.Asks | None:
    """The three figures a counter-ask for ``lever`` offers, in the offer's currency:
    ``counter_asks`` for base salary and equity, yearly; a signing bonus is paid once,
    so its figures close the yearly gap over the years the ranking averages pay over
    (``decisions.compensation.HORIZON_YEARS``); a learning budget has modest figures
    of its own (``LEARNING_BUDGET_ASKS``). None for a lever that asks no money (remote
    days, a start date, a title) or when no figure is known."""
    if lever == "learning_budget":
        return LEARNING_BUDGET_ASKS
    if lever not in ("base_salary", "equity", "signing_bonus"):
        return None
    asks = counter_asks(offer, gap=gap)
    if asks is None or lever != "signing_bonus":
        return asks
    years = compensation.HORIZON_YEARS
    return negotiation.Asks(
        conservative=asks.conservative * years,
        realistic=asks.realistic * years,
        ambitious=asks.ambitious * years,
    )


def counter_details(offer: Offer, *, gap: float | None = None) -> dict[str, Any]:
    """A counter-ask's starting details: more base salary, the realistic variant, and
    no amount of the candidate's own, so the figure follows the variant and the lever
    (``with_variant_amount``). With ``gap`` (from a link, when the ranking names none)
    the amount is that gap's realistic figure."""
    asks = counter_asks(offer, gap=gap) if gap is not None else None
    return {
        "lever": "base_salary",
        "variant": negotiation.REALISTIC,
        "amount": asks.of(negotiation.REALISTIC) if asks is not None else None,
        "justification": "",
    }


def with_variant_amount(offer: Offer, choices: Choices) -> Choices:
    """``choices`` as they are written: a counter-ask without an amount of the
    candidate's own asks for its variant's figure for its lever (``lever_asks``);
    anything else as it is."""
    details = choices.details
    if choices.purpose != purposes.COUNTER or details.get("amount") is not None:
        return choices
    asks = lever_asks(offer, details.get("lever", "base_salary"))
    if asks is None:
        return choices
    variant = details.get("variant") or negotiation.REALISTIC
    if variant not in negotiation.VARIANTS:
        return choices
    return replace(choices, details={**details, "amount": asks.of(variant)})


def extension_details(offer: Offer, *, until: dt.date | None = None) -> dict[str, Any]:
    """A request for more time's starting details: ``until`` when given, else the day
    the decision's timing suggests (``deadlines.clashes``), else a week past the
    deadline (or from today, without one still to come); the careful-thought reason."""
    today = timezone.localdate()
    if until is None:
        clash = next((c for c in timing_clashes(offer.decision) if c.offer == offer.pk), None)
        if clash is not None:
            until = clash.ask_until
        else:
            start = max(offer.response_deadline or today, today)
            until = start + dt.timedelta(deadlines.UNKNOWN_EXTENSION_DAYS)
    return {"until": until.isoformat(), "extension_reason": "careful_thought"}


def acceptance_details(offer: Offer) -> dict[str, Any]:
    """An acceptance starts without a start date: the candidate types the one agreed."""
    return {"start_date": ""}


# Each purpose's starting details, from the offer (a purpose not here starts with none;
# ``starting_choices`` reads them).
DEFAULT_DETAILS: dict[str, Callable[[Offer], dict[str, Any]]] = {
    purposes.ACCEPT: acceptance_details,
    purposes.COUNTER: counter_details,
    purposes.EXTENSION: extension_details,
}


def query_choices(offer: Offer, purpose: Purpose, query: Mapping[str, str]) -> Choices | None:
    """The starting choices a link to a counter-ask asks for, or None to start as
    usual: ``?amount=``, the yearly gap in the decision's currency as the compare page
    states it. A value that is not one is ignored (the link, not the candidate, wrote
    it). A request for time's ``?until=`` is the candidate's day, so the composer's
    form checks it instead (``views.compose_view``)."""
    if purpose.code != purposes.COUNTER:
        return None
    gap = _positive_amount(query.get("amount", ""))
    if gap is None:
        return None
    if counter_gap(offer) is not None:
        # The compare page's gap, which the variants' figures already follow.
        return Choices(purpose=purpose.code, details=counter_details(offer))
    return Choices(purpose=purpose.code, details=counter_details(offer, gap=gap))


def _positive_amount(text: str) -> float | None:
    try:
        value = Decimal(text.strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        return None
    if not value.is_finite() or not 0 < value <= negotiation.MAX_GAP:
        return None
    return float(value)


# Writes -----------------------------------------------------------------------------


def check_body_length(medium: str, body: str) -> None:
    """Refuse a message body longer than any message may be, or than its ``medium``
    takes: ValidationError on ``body``. The composer and the import both ask it."""
    if len(body) > MAX_BODY_CHARS:
        raise ValidationError(
            {"body": f"This text is {len(body):,} characters; the limit is {MAX_BODY_CHARS:,}."}
        )
    if medium == "short" and len(body) > LENGTH_LIMITS["short"]:
        raise ValidationError(
            {"body": f"A short message must stay within {LENGTH_LIMITS['short']:,} characters."}
        )


@transaction.atomic
def message_use_generated(
    *,
    offer: Offer,
    actor: User,
    choices: Choices,
    recipient_name: str,
    replace_edits: bool = False,
) -> Message:
    """Save the text ``choices`` generate as the offer's draft; logs one
    ``message_drafted``.

    The saved text is generated, so it is not ``edited``. A draft the candidate
    edited is replaced only with ``replace_edits``; otherwise a ValidationError
    (code "edited") and nothing changes. Too long a text is a ValidationError on
    ``body``. A message that no longer fits the offer as stored is refused
    (``out_of_turn``: a decline to an offer accepted, a counter-ask once another is
    accepted ...).
    """
    lock_decision(offer.decision_id)
    _refuse_out_of_turn(offer, choices.purpose)
    message = (
        Message.objects.select_for_update().filter(offer=offer, purpose=choices.purpose).first()
    )
    if message is not None and message.edited and not replace_edits:
        raise ValidationError(
            "You edited the text of this message. Tick “Replace my edited text” to "
            "overwrite it with the new version, or keep editing below.",
            code=EDITED,
        )
    draft = generate(sender=actor, offer=offer, choices=choices, recipient_name=recipient_name)
    return _write(
        message or Message(offer=offer, purpose=choices.purpose),
        actor=actor,
        choices=choices,
        recipient_name=recipient_name,
        text=draft,
        edited=False,
    )


@transaction.atomic
def message_save_edits(
    *, offer: Offer, actor: User, subject: str, body: str, purpose: str = purposes.DECLINE
) -> Message:
    """Save the candidate's own subject and body over the offer's saved draft; logs one
    ``message_drafted``.

    The draft keeps its choices and recipient. It is ``edited`` when the text differs
    from what those choices generate now (surrounding blank space aside), so saving
    the generated text unchanged leaves it free to regenerate. Message.DoesNotExist
    when nothing was saved yet; a ValidationError on ``body`` when it is too long, or
    when the message no longer fits the offer as stored (``out_of_turn``).
    """
    lock_decision(offer.decision_id)
    _refuse_out_of_turn(offer, purpose)
    message = Message.objects.select_for_update().get(offer=offer, purpose=purpose)
    choices = saved_choices(message)
    generated = generate(
        sender=actor, offer=offer, choices=choices, recipient_name=message.recipient_name
    )
    text = Draft(subject=subject.strip(), body=body.strip())
    return _write(
        message,
        actor=actor,
        choices=choices,
        recipient_name=message.recipient_name,
        text=text,
        edited=text != generated,
    )


@transaction.atomic
def message_save(
    *,
    offer: Offer,
    actor: User,
    choices: Choices,
    recipient_name: str,
    subject: str,
    body: str,
    edited: bool,
) -> Message:
    """Create or update the offer's draft with a text whose origin the caller knows (an
    import, seed data); logs one ``message_drafted``.

    ``edited`` records that the text is the candidate's own and must not be replaced
    by regeneration without their say-so. The composer saves through
    ``message_use_generated`` and ``message_save_edits`` instead, which decide it.
    """
    message = (
        Message.objects.select_for_update().filter(offer=offer, purpose=choices.purpose).first()
    )
    return _write(
        message or Message(offer=offer, purpose=choices.purpose),
        actor=actor,
        choices=choices,
        recipient_name=recipient_name,
        text=Draft(subject=subject, body=body),
        edited=edited,
    )


def _write(
    message: Message,
    *,
    actor: User,
    choices: Choices,
    recipient_name: str,
    text: Draft,
    edited: bool,
) -> Message:
    """Validate, store and log one version of the draft (inside the caller's transaction)."""
    check_body_length(choices.medium, text.body)
    offer = message.offer
    created = message.pk is None
    for name in CHOICE_FIELDS:
        setattr(message, name, getattr(choices, name))
    message.recipient_name = recipient_name.strip()
    message.subject = text.subject.strip()
    message.body = text.body
    message.edited = edited
    message.full_clean()
    message.save()
    log_append(
        decision=offer.decision,
        author=actor,
        kind=LogEntry.Kind.MESSAGE_DRAFTED,
        summary=f"{'Drafted' if created else 'Updated'} {_described(message)}",
        data={
            "offer": offer.pk,
            "message": message.pk,
            "purpose": message.purpose,
            "medium": message.medium,
            "tone": message.tone,
            "edited": edited,
            "subject": message.subject,
            "body": message.body,
        },
    )
    return message


def _described(message: Message) -> str:
    """The log's words for it: "an e-mail declining Analyst at Acme"."""
    offer = message.offer
    what = purposes.get(message.purpose).describe(offer=offer, company=offer.company)
    return f"{DRAFT_NOUNS[message.medium]} {what}"


# The code of the refusal to mark a decline sent while the acceptance is unconfirmed.
UNCONFIRMED = "unconfirmed"


def acceptance_unconfirmed(decision: Decision) -> Offer | None:
    """The offer ``decision``'s candidate accepted while its employer has not yet
    confirmed it in writing, or None: until it is confirmed, declining the others
    risks being left with no offer at all."""
    return decision.offers.filter(status=Offer.Status.ACCEPTED).first()


def unconfirmed_warning(accepted: Offer) -> str:
    """The warning against declining the others while ``accepted`` awaits its written
    confirmation: the hub, the composer and the refusal to mark a decline sent each
    show it, followed by their own next step."""
    return (
        "Don’t decline the others until the accepted offer is confirmed in writing: "
        f"{accepted.company} has not confirmed your acceptance yet, and if something goes "
        "wrong there, an offer you kept open is your way back."
    )


# What the refusal to mark a decline sent adds to ``unconfirmed_warning``.
SENT_ANYWAY = "If you are sure, tick “I understand; mark it sent anyway”."


def decline_refusal(offer: Offer) -> str:
    """Why no decline may be written to ``offer`` (empty when one may): an employer
    told yes is never sent a no; one whose acceptance was taken back is owed a
    withdrawal instead."""
    if offer.status == Offer.Status.RETRACTED:
        return (
            f"You took back your acceptance of {offer}, so {offer.company} is owed a "
            "withdrawal of that acceptance, not a decline."
        )
    if offer.is_accepted:
        return (
            f"You accepted {offer}: a decline would contradict what you told "
            f"{offer.company}. If you have changed your mind, take the acceptance back "
            "through “Change your mind” on the decision page."
        )
    return ""


def nothing_to_decline(offer: Offer) -> str:
    """Why an offer still to come (``Offer.is_awaited``) has no decline, and what to do
    instead: the hub shows it in place of the decline, the composer refuses with it."""
    return (
        f"{offer.company}’s offer has not arrived yet, so there is nothing to decline. "
        "If you no longer want it, tell your contact there that you are withdrawing from "
        "their process, and remove the offer from this decision."
    )


# What a counter-ask and a request for time ask for, in a refusal's words.
ASKING_FOR = {purposes.COUNTER: "a better offer", purposes.EXTENSION: "more time"}


def out_of_turn(offer: Offer, purpose: str) -> str:
    """Why a message for ``purpose`` does not fit ``offer`` as it stands (empty when it
    does): nothing that answers an offer is written before it comes
    (``Offer.is_awaited``; a decline is refused with ``nothing_to_decline``); a decline
    never goes to an offer told yes (``decline_refusal``); an acceptance is written to
    the offer accepted, a withdrawal once the acceptance is taken back, a "still
    open?" to an offer declined; a counter-ask and a request for time to an offer
    still open while no offer of the decision is accepted; a note to stay in touch
    once the candidate's decline has gone out."""
    if purpose == purposes.DECLINE and offer.is_awaited:
        return nothing_to_decline(offer)
    if purpose in ANSWER_THE_OFFER and offer.is_awaited:
        return (
            f"{offer.company}’s offer has not arrived yet: you expect it on "
            f"{date_format(offer.expected_on)}. Once it is in, add its figures to the offer "
            "and this message will be ready to write."
        )
    if purpose == purposes.DECLINE:
        return decline_refusal(offer)
    if purpose == purposes.ACCEPT and not offer.is_accepted:
        return f"Decide on {offer} first: the acceptance follows the decision."
    if purpose == purposes.WITHDRAW and offer.status != Offer.Status.RETRACTED:
        return (
            f"You have not taken back your acceptance of {offer}. Changing your mind has "
            "its own page: it says what it costs and records why, then drafts this."
            if offer.is_accepted
            else f"There is no acceptance of {offer} to withdraw."
        )
    if purpose == purposes.STILL_OPEN and offer.status != Offer.Status.DECLINED:
        return f"You have not declined {offer}, so there is nothing to ask about."
    if purpose in ASKING_FOR:
        return _asking_refusal(offer, ASKING_FOR[purpose])
    if purpose == purposes.KEEP_IN_TOUCH and sent_decline(offer) is None:
        return (
            f"A note to stay in touch follows a decline that has gone out: mark your "
            f"decline to {offer.company} as sent first."
        )
    return ""


def _asking_refusal(offer: Offer, asking: str) -> str:
    """Why ``offer`` may not be asked for ``asking`` ("more time"): only an open offer
    may, and only while the candidate has accepted none."""
    if offer.is_accepted:
        return f"You have accepted {offer}, so the moment to ask for {asking} has passed."
    if offer.status != Offer.Status.OPEN:
        return (
            f"{offer} is no longer open ({offer.get_status_display().lower()}), so there "
            f"is nothing to ask {offer.company} for."
        )
    accepted = offer.decision.offers.filter(status__in=ACCEPTED_STATUSES).first()
    if accepted is not None:
        return (
            f"You have accepted {accepted}: asking {offer.company} for {asking} now would "
            "keep them waiting on an offer you do not mean to take. Decline it kindly "
            "instead, once your acceptance is confirmed."
        )
    return ""


def _refuse_out_of_turn(offer: Offer, purpose: str) -> Offer:
    """The offer as stored, locked (the caller's copy may predate an acceptance);
    ValidationError when a message for ``purpose`` no longer fits it (``out_of_turn``).
    The caller holds the decision's lock, so no other offer moves meanwhile."""
    current = Offer.objects.select_for_update().select_related("decision").get(pk=offer.pk)
    if refusal := out_of_turn(current, purpose):
        raise ValidationError(refusal)
    return current


def _declined(offer: Offer, message: Message) -> None:
    """A candidate's decline, once sent, closes the offer; the chosen one cannot be
    (nor, as ``message_mark_sent`` refuses first, one accepted or whose acceptance was
    taken back)."""
    if message.direction != "candidate":
        return
    if offer.decision.chosen_offer_id == offer.pk:
        raise ValidationError(
            "This is the offer you chose. Change your decision before declining it."
        )
    offer.status = Offer.Status.DECLINED
    offer.save(update_fields=["status", "updated_at"])


# What sending a message of each purpose does to its offer, inside the transaction
# that records it (a purpose not here changes nothing): raise ValidationError to refuse.
SENT_EFFECTS: dict[str, Callable[[Offer, Message], None]] = {purposes.DECLINE: _declined}


@transaction.atomic
def message_mark_sent(
    *, message: Message, actor: User, sent_on: dt.date, despite_unconfirmed: bool = False
) -> None:
    """Record the date the message went out, and what that does to its offer (a
    decline closes it: ``SENT_EFFECTS``); logs one ``message_sent``.

    A candidate's decline while the accepted offer awaits its written confirmation
    (``acceptance_unconfirmed``) is refused (code ``UNCONFIRMED``) unless
    ``despite_unconfirmed``; the entry then keeps which acceptance was unconfirmed.
    A message that no longer fits the offer (``out_of_turn``) is refused too.
    """
    # The decision first, then the offer: every writer of a decision locks in that order.
    lock_decision(message.offer.decision_id)
    offer = _refuse_out_of_turn(message.offer, message.purpose)
    if not message.body.strip():
        raise ValidationError("Write the message before marking it sent.")
    unconfirmed = None
    if message.purpose == purposes.DECLINE and message.direction == "candidate":
        unconfirmed = acceptance_unconfirmed(offer.decision)
        if unconfirmed is not None and not despite_unconfirmed:
            raise ValidationError(
                f"{unconfirmed_warning(unconfirmed)} {SENT_ANYWAY}", code=UNCONFIRMED
            )
    before: dict[str, Any] = {"status": offer.status, "sent_on": message.sent_on}
    effect = SENT_EFFECTS.get(message.purpose)
    if effect is not None:
        effect(offer, message)
    message.sent_on = sent_on
    message.save(update_fields=["sent_on", "updated_at"])
    log_append(
        decision=offer.decision,
        author=actor,
        kind=LogEntry.Kind.MESSAGE_SENT,
        summary=(
            f"Sent the decline to {offer.company} on {date_text(sent_on)}"
            if message.purpose == purposes.DECLINE
            else f"Sent {_described(message)} on {date_text(sent_on)}"
        )
        + (
            f", before {unconfirmed.company} had confirmed its offer in writing"
            if unconfirmed is not None
            else ""
        ),
        data={
            "offer": offer.pk,
            "message": message.pk,
            "purpose": message.purpose,
            "medium": message.medium,
            "sent_on": sent_on.isoformat(),
            "before": {k: str(v) if v is not None else None for k, v in before.items()},
            "after": {"status": offer.status, "sent_on": sent_on.isoformat()},
            "subject": message.subject,
            "body": message.body,
            # Sent knowingly before the acceptance was confirmed: which one it was.
            **({"despite_unconfirmed": unconfirmed.pk} if unconfirmed is not None else {}),
        },
    )


# Staying in touch after a decline -------------------------------------------------


def sent_decline(offer: Offer) -> Message | None:
    """The candidate's decline to ``offer`` once it has gone out, else None: a day to
    stay in touch follows it."""
    return (
        Message.objects.filter(
            offer=offer, purpose=purposes.DECLINE, direction="candidate", sent_on__isnull=False
        )
        .only("pk", "sent_on", "offer_id")
        .first()
    )


@transaction.atomic
def stay_in_touch_set(*, offer: Offer, actor: User, on: dt.date | None) -> Offer:
    """Set the day to send the recruiter of ``offer`` a friendly note (``on``), or clear
    it (None); logs one ``offer_changed`` with the day before and after.

    Only after the candidate's decline went out (ValidationError otherwise), and never
    on a day already past or further than ``FURTHEST_PLAN`` (ValidationError on
    ``on``). Setting the day it already has writes nothing. Returns the offer as stored.
    """
    lock_decision(offer.decision_id)
    current = Offer.objects.select_for_update().select_related("decision").get(pk=offer.pk)
    if sent_decline(current) is None:
        raise ValidationError(
            "Mark your decline as sent first: the reminder to stay in touch follows it."
        )
    today = timezone.localdate()
    if on is not None and on < today:
        raise ValidationError({"on": "That day has passed: pick today or a day to come."})
    if on is not None and on > today + FURTHEST_PLAN:
        raise ValidationError({"on": STAY_IN_TOUCH_TOO_FAR})
    before = current.stay_in_touch_on
    if before == on:
        return current
    current.stay_in_touch_on = on
    current.save(update_fields=["stay_in_touch_on", "updated_at"])
    log_append(
        decision=current.decision,
        author=actor,
        kind=LogEntry.Kind.OFFER_CHANGED,
        summary=(
            f"Planned a friendly note to {current.company} on {date_text(on)}"
            if on is not None
            else f"No longer planning a note to {current.company}"
        ),
        data={
            "offer": current.pk,
            "changes": {
                "stay_in_touch_on": {
                    "before": before.isoformat() if before else None,
                    "after": on.isoformat() if on else None,
                }
            },
        },
    )
    offer.stay_in_touch_on = on
    return current
