"""The decline hub and the composer of every message: parse the request, ask the
composer, render. The composer's address names the message's purpose (``decline``,
``accept`` ...), which ``messaging.urls`` turns into a ``Purpose``."""

from __future__ import annotations

from dataclasses import replace
from http import HTTPStatus

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from decisions.access import get_owned_decision, get_owned_offer
from decisions.models import Decision, Offer
from decisions.services.offers import offer_deadline_extend, offer_negotiated
from messaging import documents, negotiation, purposes, services
from messaging.compose import Choices
from messaging.forms import (
    LEVERS,
    ComposeForm,
    DraftForm,
    ExtensionAgreedForm,
    NegotiatedFiguresForm,
    SentForm,
    StayInTouchForm,
)
from messaging.models import Message
from messaging.purposes import COUNTER, DECLINE, EXTENSION, WITHDRAW, Purpose
from messaging.selectors import declines, saved_message
from offerdesk.formats import money
from offerdesk.forms import add_service_error, error_status, service_errors
from offerdesk.http import AuthenticatedRequest, attachment
from offerdesk.pdf import PdfError


def _saved_message(offer: Offer, purpose: Purpose) -> Message:
    """The offer's draft for ``purpose``; a 404 until one is saved (only the composer
    can start one)."""
    message = saved_message(offer, purpose.code)
    if message is None:
        raise Http404("Draft the message first.")
    return message


def _composer(
    request: AuthenticatedRequest,
    offer: Offer,
    purpose: Purpose,
    message: Message | None,
    *,
    form: ComposeForm | None = None,
    start: Choices | None = None,
    draft_form: DraftForm | None = None,
    sent_form: SentForm | None = None,
    stay_form: StayInTouchForm | None = None,
    answer_form: NegotiatedFiguresForm | ExtensionAgreedForm | None = None,
    status: int = HTTPStatus.OK,
) -> TemplateResponse:
    """The composer page, or only its message card when htmx asks.

    The card follows ``form``'s choices while they are valid; else the saved ones (or
    the starting ones) in the medium and tone the form has, so the medium highlighted
    is always the one shown. While they are the saved draft's, the card is the draft
    itself, to edit and send; once they differ, the text they write, with what using
    it would do to the draft. Forms not given start from the composer's state.
    """
    choices, recipient_name = None, ""
    if form is not None and form.is_bound and form.is_valid():
        choices, recipient_name = form.choices(), form.cleaned_data["recipient_name"]
    elif start is not None:
        # Details from the address (the compare page's gap, the day to ask for).
        choices = start
        recipient_name = message.recipient_name if message is not None else offer.recruiter_name
    elif form is not None and form.is_bound:
        choices, recipient_name = services.current_choices(offer, purpose, message)
        choices = replace(
            choices,
            **{
                name: form.cleaned_data[name]
                for name in ("medium", "tone")
                if name in form.cleaned_data
            },
        )
    state = services.composer_state(
        offer=offer,
        sender=request.user,
        message=message,
        today=timezone.localdate(),
        purpose=purpose,
        choices=choices,
        recipient_name=recipient_name,
    )
    if draft_form is None and state.draft_initial is not None:
        draft_form = DraftForm(initial=state.draft_initial)
    form = (
        form
        if form is not None
        else ComposeForm(initial=state.form_initial, purpose=purpose, offer=offer)
    )
    context = {
        "decision": offer.decision,
        "offer": offer,
        "composer": state,
        "form": form,
        # Only the htmx fragment lists the form's errors: the page shows each by its field.
        "fragment": bool(request.htmx),
        # The card is the saved draft while the choices are the ones it was written from.
        "follows_draft": message is not None
        and state.choices == services.saved_choices(message)
        and state.recipient_name == message.recipient_name,
        # The text in the draft's box differs from the saved one (htmx posts the box
        # along with the choices, so a change of medium keeps what was typed).
        "unsaved_edits": message is not None
        and draft_form is not None
        and not draft_form.is_bound
        and not _same_text(draft_form.initial.get("body", message.body), message.body),
        "draft_form": draft_form,
        "sent_form": sent_form if sent_form is not None else SentForm(),
        # A counter-ask and a request for time record the employer's answer.
        "answer_form": (
            answer_form if answer_form is not None else _answer_form(offer, purpose, state)
        ),
        # A decline marked sent before the acceptance is confirmed asks for a tick.
        "unconfirmed": (unconfirmed := _unconfirmed_other(offer, purpose)),
        "unconfirmed_warning": unconfirmed and services.unconfirmed_warning(unconfirmed),
        # A sent candidate decline offers a day to stay in touch.
        "stay_in_touch_form": (
            stay_form if stay_form is not None else _stay_in_touch_form(offer, message, "compose")
        ),
    }
    if purpose.code == COUNTER and not request.htmx:
        _label_variants(form, offer)
    template = "messaging/_preview.html" if request.htmx else "messaging/compose.html"
    return TemplateResponse(request, template, context, status=status)


@login_required
@require_GET
def hub(request: AuthenticatedRequest, decision_id: int) -> HttpResponse:
    """Decline the other offers: each open offer with its own draft."""
    return _hub(request, get_owned_decision(request.user, decision_id))


def _hub(
    request: AuthenticatedRequest,
    decision: Decision,
    *,
    stay_form: tuple[int, StayInTouchForm] | None = None,
    status: int = HTTPStatus.OK,
) -> TemplateResponse:
    """The hub; ``stay_form`` is one offer's stay-in-touch form as it was posted."""
    rows = declines(decision)
    stay_forms = {row.offer.pk: _stay_in_touch_form(row.offer, row.message, "hub") for row in rows}
    if stay_form is not None:
        stay_forms[stay_form[0]] = stay_form[1]
    unconfirmed = services.acceptance_unconfirmed(decision)
    return TemplateResponse(
        request,
        "messaging/hub.html",
        {
            "decision": decision,
            "rows": rows,
            "stay_in_touch_forms": stay_forms,
            "unconfirmed": unconfirmed,
            "unconfirmed_warning": unconfirmed and services.unconfirmed_warning(unconfirmed),
            # An offer still to come has no decline: what to do instead.
            "nothing_to_decline": {
                row.offer.pk: services.nothing_to_decline(row.offer)
                for row in rows
                if row.offer.is_awaited
            },
        },
        status=status,
    )


def _unconfirmed_other(offer: Offer, purpose: Purpose) -> Offer | None:
    """The accepted offer still awaiting its written confirmation, when ``offer`` is
    another one being declined: the warning beside "Mark as sent"."""
    if purpose.code != DECLINE:
        return None
    unconfirmed = services.acceptance_unconfirmed(offer.decision)
    return unconfirmed if unconfirmed is not None and unconfirmed.pk != offer.pk else None


# The messages whose refusal, for the accepted offer, points to changing one's mind:
# a decline of it, a withdrawal of an acceptance not yet taken back.
CHANGE_OF_MIND = (DECLINE, WITHDRAW)


def _refuse_out_of_turn(
    request: AuthenticatedRequest, offer: Offer, purpose: Purpose, refusal: str
) -> HttpResponse:
    """No composer for a message the offer's standing contradicts (a decline to an
    offer accepted, a withdrawal of an acceptance never taken back ...): say why and
    go where the right step is (the withdrawal, the change of mind, or the decision:
    a counter-ask or a request for time on the accepted offer has no step left)."""
    messages.error(request, refusal)
    if offer.status == Offer.Status.RETRACTED:
        target = reverse("messaging:compose", args=[offer.decision_id, offer.pk, "withdraw"])
    elif (
        purpose.code in CHANGE_OF_MIND
        and offer.is_accepted
        and offer.pk == offer.decision.chosen_offer_id
    ):
        target = reverse("decisions:change_mind", args=[offer.decision_id])
    else:
        target = offer.decision.get_absolute_url()
    if request.htmx:
        return HttpResponseClientRedirect(target)
    return redirect(target)


@login_required
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def compose_view(
    request: AuthenticatedRequest, decision_id: int, offer_id: int, purpose: Purpose
) -> HttpResponse:
    """Choose how to write the message. htmx posts here for the live preview; "Use this
    text" saves the generated text as the draft, asking first if it would replace edits."""
    offer = get_owned_offer(request.user, decision_id, offer_id)
    if purpose.code == DECLINE and (refusal := services.decline_refusal(offer)):
        return _refuse_out_of_turn(request, offer, purpose, refusal)
    message = saved_message(offer, purpose.code)
    if message is None and (refusal := services.out_of_turn(offer, purpose.code)):
        # An acceptance, a withdrawal or a "still open?" is started only when the
        # offer stands where that message belongs; one already saved stays readable.
        return _refuse_out_of_turn(request, offer, purpose, refusal)
    if request.method == "GET":
        start = services.query_choices(offer, purpose, request.GET)
        return _composer(
            request,
            offer,
            purpose,
            message,
            start=start,
            form=_asked_day(offer, purpose, message, request.GET),
        )
    form = ComposeForm(request.POST, purpose=purpose, offer=offer)
    if form.is_valid() and not request.htmx and request.POST.get("action") == "use":
        try:
            services.message_use_generated(
                offer=offer,
                actor=request.user,
                choices=form.choices(),
                recipient_name=form.cleaned_data["recipient_name"],
                replace_edits=form.cleaned_data["replace_edits"],
            )
        except ValidationError as error:
            # Edits of the candidate's own are not an error to fix: the composer shows
            # the new text beside them and asks which to keep (see _preview.html).
            if getattr(error, "code", None) != services.EDITED:
                add_service_error(form, error)
        else:
            messages.success(
                request, "Draft saved. Edit it below if you like, then send it your way."
            )
            return redirect("messaging:compose", decision_id, offer_id, purpose)
    status = error_status(form, htmx=bool(request.htmx))
    return _composer(
        request,
        offer,
        purpose,
        message,
        form=form,
        draft_form=_typed_draft(message, request.POST),
        status=status,
    )


def _same_text(typed: str, saved: str) -> bool:
    """The box says what was saved: a browser posts its lines ended by CR LF, and the
    draft is saved without surrounding blank space."""
    return typed.replace("\r\n", "\n").strip() == saved.replace("\r\n", "\n").strip()


def _typed_draft(message: Message | None, data: QueryDict) -> DraftForm | None:
    """The draft's box as it was when the choices were posted (htmx sends it along), so
    a change of medium or tone loses nothing typed; None when it was not sent."""
    if message is None or "body" not in data:
        return None
    return DraftForm(
        initial={"subject": data.get("subject", message.subject), "body": data["body"]}
    )


def _asked_day(
    offer: Offer, purpose: Purpose, message: Message | None, query: QueryDict
) -> ComposeForm | None:
    """The composer form with the day a link to a request for time asks for
    (``?until=``, as the decision page's timing notice links it), checked as any day
    the candidate types: one before the current deadline or too far off is refused in
    the form, never quietly replaced. None without one."""
    if purpose.code != EXTENSION or "until" not in query:
        return None
    choices, recipient_name = services.current_choices(offer, purpose, message)
    data = {**services.form_initial(choices, recipient_name), "until": query["until"]}
    return ComposeForm(data, purpose=purpose, offer=offer)


@login_required
@require_POST
def save_edits(
    request: AuthenticatedRequest, decision_id: int, offer_id: int, purpose: Purpose
) -> HttpResponse:
    """Keep the candidate's own subject and body as the draft."""
    offer = get_owned_offer(request.user, decision_id, offer_id)
    message = _saved_message(offer, purpose)
    draft_form = DraftForm(request.POST)
    if draft_form.is_valid():
        with service_errors(draft_form):
            services.message_save_edits(
                offer=offer,
                actor=request.user,
                subject=draft_form.cleaned_data["subject"],
                body=draft_form.cleaned_data["body"],
                purpose=purpose.code,
            )
            messages.success(request, "Your edits are saved.")
            return redirect("messaging:compose", decision_id, offer_id, purpose)
    return _composer(
        request, offer, purpose, message, draft_form=draft_form, status=error_status(draft_form)
    )


@login_required
@require_POST
def mark_sent(
    request: AuthenticatedRequest, decision_id: int, offer_id: int, purpose: Purpose
) -> HttpResponse:
    """Record the day the message went out (a decline sets the offer to declined)."""
    offer = get_owned_offer(request.user, decision_id, offer_id)
    message = _saved_message(offer, purpose)
    sent_form = SentForm(request.POST)
    if sent_form.is_valid():
        with service_errors(sent_form):
            services.message_mark_sent(
                message=message,
                actor=request.user,
                sent_on=sent_form.cleaned_data["sent_on"],
                despite_unconfirmed=sent_form.cleaned_data["despite_unconfirmed"],
            )
            if purpose.code == DECLINE:
                messages.success(request, f"Marked as sent. {offer.company} is now declined.")
                return redirect("messaging:hub", decision_id)
            if purpose.code == purposes.ACCEPT:
                messages.success(
                    request,
                    f"Marked as sent. When {offer.company} confirms in writing, record it "
                    "here; then it is time to decline the others.",
                )
                return redirect(offer.decision)
            if purpose.code == purposes.STILL_OPEN:
                messages.success(
                    request,
                    f"Marked as sent. If {offer.company} says the offer is still open, "
                    "record their answer here.",
                )
                return redirect("decisions:change_mind", decision_id)
            messages.success(request, "Marked as sent.")
            return redirect(offer.decision)
    return _composer(
        request, offer, purpose, message, sent_form=sent_form, status=error_status(sent_form)
    )


@login_required
@require_POST
def download(
    request: AuthenticatedRequest,
    decision_id: int,
    offer_id: int,
    purpose: Purpose,
    file_format: str,
) -> HttpResponse:
    offer = get_owned_offer(request.user, decision_id, offer_id)
    message = saved_message(offer, purpose.code)
    if message is None or not message.body:
        raise Http404("Draft the message first.")
    stem = documents.file_stem(message, timezone.localdate())
    if file_format == "txt":
        response = attachment(
            documents.as_text(message), "text/plain; charset=utf-8", f"{stem}.txt"
        )
    elif file_format == "eml":
        response = attachment(
            documents.as_eml(message, sender=request.user), "message/rfc822", f"{stem}.eml"
        )
    elif file_format == "pdf":
        if not documents.is_letter(message):
            # Only a letter goes on letter paper; the button shows for letters alone,
            # so this is an old page or a hand-made request.
            messages.error(
                request,
                "Only a letter is printed as a PDF. Choose “Printed or PDF letter” as the "
                "medium and use the text, or take this message as a .txt file.",
            )
            return redirect("messaging:compose", decision_id, offer_id, purpose)
        try:
            pdf = documents.as_pdf(message, sender=request.user, letter_date=timezone.localdate())
        except PdfError as error:
            messages.error(request, f"The letter could not be prepared: {error}")
            return redirect("messaging:compose", decision_id, offer_id, purpose)
        response = attachment(pdf, "application/pdf", f"{stem}.pdf")
    else:
        raise Http404("No such format.")
    # Taking the text away is no step of the decision, so the log is not told (sending
    # it is, with "Mark as sent"). The buttons still post: a file is made on a request
    # the candidate's own page sends, never on a link from anywhere.
    return response


@login_required
@require_GET
def deadline_ics(request: AuthenticatedRequest, decision_id: int, offer_id: int) -> HttpResponse:
    offer = get_owned_offer(request.user, decision_id, offer_id)
    if offer.response_deadline is None:
        raise Http404("This offer has no deadline.")
    stem = documents.file_stem(offer, offer.response_deadline, prefix="deadline")
    return attachment(documents.deadline_ics(offer), "text/calendar; charset=utf-8", f"{stem}.ics")


# Staying in touch after a decline -----------------------------------------------------


def _stay_in_touch_form(
    offer: Offer, message: Message | None, back: str, data: QueryDict | None = None
) -> StayInTouchForm | None:
    """The form for a day to stay in touch, once ``message`` is the candidate's decline
    and has gone out; None before (or for any other message)."""
    if (
        message is None
        or message.purpose != DECLINE
        or message.direction != "candidate"
        or message.sent_on is None
    ):
        return None
    # Ids per offer: the hub shows one form per declined offer.
    return StayInTouchForm(
        data,
        sent_on=message.sent_on,
        current=offer.stay_in_touch_on,
        back=back,
        auto_id=f"stay-{offer.pk}-%s",
    )


@login_required
@require_POST
def stay_in_touch(request: AuthenticatedRequest, decision_id: int, offer_id: int) -> HttpResponse:
    """Set or clear (``action=clear``) the day to send the recruiter a friendly note;
    back to the page the form was on (the decline's composer, or the hub)."""
    offer = get_owned_offer(request.user, decision_id, offer_id)
    decline = saved_message(offer, DECLINE)
    back = request.POST.get("back")
    back = back if back == "hub" else "compose"
    form = _stay_in_touch_form(offer, decline, back, request.POST)
    if form is None:
        raise Http404("Mark the decline as sent first.")
    clearing = request.POST.get("action") == "clear"
    if clearing or form.is_valid():
        with service_errors(form):
            services.stay_in_touch_set(
                offer=offer, actor=request.user, on=None if clearing else form.day()
            )
            if clearing:
                messages.success(request, "The reminder is cleared.")
            else:
                messages.success(
                    request,
                    f"Offerdesk will show the reminder from {date_format(offer.stay_in_touch_on)}; "
                    "add it to your calendar too if you like.",
                )
            if back == "hub":
                return redirect("messaging:hub", decision_id)
            return redirect("messaging:compose", decision_id, offer_id, DECLINE)
    status = error_status(form)
    if back == "hub":
        return _hub(request, offer.decision, stay_form=(offer.pk, form), status=status)
    return _composer(request, offer, purposes.get(DECLINE), decline, stay_form=form, status=status)


@login_required
@require_GET
def stay_in_touch_ics(
    request: AuthenticatedRequest, decision_id: int, offer_id: int
) -> HttpResponse:
    """The day to stay in touch as a calendar event: a download, which writes nothing."""
    offer = get_owned_offer(request.user, decision_id, offer_id)
    if offer.stay_in_touch_on is None:
        raise Http404("This offer has no day to stay in touch.")
    decline = services.sent_decline(offer)
    note_url = request.build_absolute_uri(
        reverse("messaging:compose", args=[decision_id, offer_id, "keep-in-touch"])
    )
    stem = documents.file_stem(offer, offer.stay_in_touch_on, prefix="stay-in-touch")
    return attachment(
        documents.stay_in_touch_ics(
            offer, declined_on=decline.sent_on if decline else None, note_url=note_url
        ),
        "text/calendar; charset=utf-8",
        f"{stem}.ics",
    )


# The employer's answer to a counter-ask or a request for more time -------------------


def _label_variants(form: ComposeForm, offer: Offer) -> None:
    """Each variant of a counter-ask with its figure for the form's lever ("Realistic,
    €12,000: a little above the gap"), so the candidate sees what each would ask; a
    lever that asks no money keeps the plain labels."""
    if "variant" not in form.fields:
        return
    lever = form["lever"].value() or "base_salary"
    asks = services.lever_asks(offer, lever) if lever in LEVERS else None
    if asks is None:
        return
    labelled = []
    for code, label in form.fields["variant"].choices:
        name, _, rest = str(label).partition(":")
        labelled.append((code, f"{name}, {money(asks.of(code), offer.currency)}:{rest}"))
    form.fields["variant"].choices = labelled
    if lever == "base_salary" and not negotiation.within_reach(
        asks.conservative, offer.base_salary
    ):
        form.fields["amount"].help_text = (
            f"Closing the gap takes more than {negotiation.REACHABLE_SHARE:.0%} of the base "
            "salary, which few employers move on salary alone: a signing bonus or a non-pay "
            "item may be the likelier ask. " + str(form.fields["amount"].help_text)
        )


def _answer_form(
    offer: Offer, purpose: Purpose, state: services.ComposerState
) -> NegotiatedFiguresForm | ExtensionAgreedForm | None:
    """A fresh form for the employer's answer, on the composers that ask for one while
    the offer is open."""
    if offer.status != Offer.Status.OPEN:
        return None
    if purpose.code == COUNTER:
        return NegotiatedFiguresForm(offer=offer)
    if purpose.code == EXTENSION:
        return ExtensionAgreedForm(initial={"until": state.choices.details.get("until")})
    return None


@login_required
@require_POST
def counter_answer(request: AuthenticatedRequest, decision_id: int, offer_id: int) -> HttpResponse:
    """Record the figures the employer came back with; the ranking follows them."""
    offer = get_owned_offer(request.user, decision_id, offer_id)
    form = NegotiatedFiguresForm(request.POST, offer=offer)
    if form.is_valid():
        with service_errors(form):
            changes = offer_negotiated(offer=offer, actor=request.user, figures=form.cleaned_data)
            messages.success(
                request,
                f"{offer.company}’s new figures are saved: see where the offer ranks now."
                if changes
                else "Those are the figures the offer already had: nothing changed.",
            )
            return redirect("decisions:compare", decision_id)
    purpose = purposes.get(COUNTER)
    return _composer(
        request,
        offer,
        purpose,
        saved_message(offer, COUNTER),
        answer_form=form,
        status=error_status(form),
    )


@login_required
@require_POST
def extension_answer(
    request: AuthenticatedRequest, decision_id: int, offer_id: int
) -> HttpResponse:
    """Record that the employer agreed to wait: the offer's deadline moves."""
    offer = get_owned_offer(request.user, decision_id, offer_id)
    form = ExtensionAgreedForm(request.POST)
    if form.is_valid():
        with service_errors(form):
            offer_deadline_extend(
                offer=offer,
                actor=request.user,
                until=form.cleaned_data["until"],
                today=timezone.localdate(),
            )
            messages.success(
                request,
                f"{offer.company} now expects your answer by "
                f"{date_format(form.cleaned_data['until'])}.",
            )
            return redirect(offer.decision)
    purpose = purposes.get(EXTENSION)
    return _composer(
        request,
        offer,
        purpose,
        saved_message(offer, EXTENSION),
        answer_form=form,
        status=error_status(form),
    )
