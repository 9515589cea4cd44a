from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from decisions.access import get_owned_decision, get_owned_offer
from decisions.models import Offer
from messaging import documents, services
from messaging.compose import LENGTH_LIMITS, Choices, Draft, Parties, compose, review
from messaging.forms import ComposeForm, DraftForm, SentForm
from messaging.models import DeclineMessage
from messaging.pdf import PdfError
from messaging.selectors import declines, suggested_reason
from offerdesk.http import AuthenticatedRequest, attachment


def _parties(request: AuthenticatedRequest, offer: Offer, recipient_name: str) -> Parties:
    user = request.user
    return Parties(
        sender_name=user.full_name or user.username,
        signature=user.signature or user.full_name or user.username,
        company=offer.company,
        role=offer.role,
        recipient_name=recipient_name,
    )


def _message(offer: Offer) -> DeclineMessage | None:
    return DeclineMessage.objects.filter(offer=offer).first()


def _saved_message(offer: Offer) -> DeclineMessage:
    """The offer's draft; a 404 until one is saved (only the composer can start one)."""
    message = _message(offer)
    if message is None:
        raise Http404("Draft the message first.")
    return message


def _initial(offer: Offer, message: DeclineMessage | None) -> dict[str, Any]:
    if message is not None:
        return {name: getattr(message, name) for name in services.CHOICE_FIELDS} | {
            "recipient_name": message.recipient_name
        }
    return {"recipient_name": offer.recruiter_name, "reason_choice": suggested_reason(offer)}


def _add_errors(form: BaseForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _composer(
    request: AuthenticatedRequest,
    offer: Offer,
    *,
    form: ComposeForm,
    message: DeclineMessage | None,
    draft_form: DraftForm | None = None,
    sent_form: SentForm | None = None,
    status: int = 200,
) -> TemplateResponse:
    """The composer page, or only its preview when htmx asks.

    The preview follows the form's choices when they are valid, else the saved ones.
    """
    valid = form.is_bound and form.is_valid()
    values = form.cleaned_data if valid else {**_initial(offer, message), **form.initial}
    choices = form.choices() if valid else Choices(**{
        name: values.get(name, form.fields[name].initial) for name in services.CHOICE_FIELDS
    })  # fmt: skip
    recipient = values.get("recipient_name") or ""
    draft = compose(choices, _parties(request, offer, recipient))
    today = timezone.localdate()
    saved_text = {"subject": message.subject, "body": message.body} if message else None
    context = {
        "decision": offer.decision,
        "offer": offer,
        "message": message,
        "form": form,
        "draft": draft,
        "review": review(
            draft,
            medium=choices.medium,
            recipient_name=recipient,
            deadline=offer.response_deadline,
            today=today,
        ),
        "choices": choices,
        "limit": LENGTH_LIMITS[choices.medium],
        "draft_form": draft_form or (DraftForm(initial=saved_text) if saved_text else None),
        "sent_form": sent_form or SentForm(),
        "days_left": offer.days_to_deadline(today),
        "mailto": documents.mailto_url(message) if message else "",
        "is_chosen": offer.decision.chosen_offer_id == offer.pk,
    }
    template = "messaging/_preview.html" if request.htmx else "messaging/compose.html"
    return TemplateResponse(request, template, context, status=status)


@login_required
@require_GET
def hub(request: AuthenticatedRequest, decision_id: int) -> HttpResponse:
    """Decline the other offers: each open offer with its own draft."""
    decision = get_owned_decision(request.user, decision_id)
    return TemplateResponse(
        request, "messaging/hub.html", {"decision": decision, "rows": declines(decision)}
    )


@login_required
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def compose_view(request: AuthenticatedRequest, decision_id: int, offer_id: int) -> HttpResponse:
    """Choose how to say no. htmx posts here for the live preview; "Use this text"
    saves the generated text as the draft, asking first if it would replace edits."""
    offer = get_owned_offer(request.user, decision_id, offer_id)
    message = _message(offer)
    if request.method == "GET":
        form = ComposeForm(initial=_initial(offer, message))
        return _composer(request, offer, form=form, message=message)
    form = ComposeForm(request.POST)
    if not form.is_valid():
        # htmx swaps only 2xx answers; the preview fragment shows the errors either way.
        return _composer(
            request, offer, form=form, message=message, status=200 if request.htmx else 400
        )
    if request.htmx or request.POST.get("action") != "use":
        return _composer(request, offer, form=form, message=message)
    if message is not None and message.edited and not request.POST.get("replace_edits"):
        form.add_error(
            None,
            "You edited the text of this message. Tick “Replace my edited text” to "
            "overwrite it with the new version, or keep editing below.",
        )
        return _composer(request, offer, form=form, message=message, status=400)
    choices = form.choices()
    draft = compose(choices, _parties(request, offer, form.cleaned_data["recipient_name"]))
    try:
        services.message_save(
            offer=offer,
            actor=request.user,
            choices=choices,
            recipient_name=form.cleaned_data["recipient_name"],
            subject=draft.subject,
            body=draft.body,
            edited=False,
        )
    except ValidationError as error:
        _add_errors(form, error)
        return _composer(request, offer, form=form, message=message, status=400)
    messages.success(request, "Draft saved. Edit it below if you like, then send it your way.")
    return redirect("messaging:compose", decision_id, offer_id)


@login_required
@require_POST
def save_edits(request: AuthenticatedRequest, decision_id: int, offer_id: int) -> HttpResponse:
    offer = get_owned_offer(request.user, decision_id, offer_id)
    message = _saved_message(offer)
    draft_form = DraftForm(request.POST)
    form = ComposeForm(initial=_initial(offer, message))
    if draft_form.is_valid():
        choices = Choices(**{name: getattr(message, name) for name in services.CHOICE_FIELDS})
        generated = compose(choices, _parties(request, offer, message.recipient_name))
        text = Draft(draft_form.cleaned_data["subject"], draft_form.cleaned_data["body"])
        try:
            services.message_save(
                offer=offer,
                actor=request.user,
                choices=choices,
                recipient_name=message.recipient_name,
                subject=text.subject,
                body=text.body,
                edited=text != generated,
            )
        except ValidationError as error:
            _add_errors(draft_form, error)
        else:
            messages.success(request, "Your edits are saved.")
            return redirect("messaging:compose", decision_id, offer_id)
    return _composer(request, offer, form=form, message=message, draft_form=draft_form, status=400)


@login_required
@require_POST
def mark_sent(request: AuthenticatedRequest, decision_id: int, offer_id: int) -> HttpResponse:
    offer = get_owned_offer(request.user, decision_id, offer_id)
    message = _saved_message(offer)
    sent_form = SentForm(request.POST)
    if sent_form.is_valid():
        try:
            services.message_mark_sent(
                message=message, actor=request.user, sent_on=sent_form.cleaned_data["sent_on"]
            )
        except ValidationError as error:
            _add_errors(sent_form, error)
        else:
            messages.success(request, f"Marked as sent. {offer.company} is now declined.")
            return redirect("messaging:hub", decision_id)
    form = ComposeForm(initial=_initial(offer, message))
    return _composer(request, offer, form=form, message=message, sent_form=sent_form, status=400)


@login_required
@require_GET
def download(
    request: AuthenticatedRequest, decision_id: int, offer_id: int, file_format: str
) -> HttpResponse:
    offer = get_owned_offer(request.user, decision_id, offer_id)
    message = _message(offer)
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
        try:
            pdf = documents.as_pdf(message, sender=request.user, letter_date=timezone.localdate())
        except PdfError as error:
            messages.error(request, f"The letter could not be prepared: {error}")
            return redirect("messaging:compose", decision_id, offer_id)
        response = attachment(pdf, "application/pdf", f"{stem}.pdf")
    else:
        raise Http404("No such format.")
    services.message_export(message=message, actor=request.user, file_format=file_format)
    return response


@login_required
@require_GET
def deadline_ics(request: AuthenticatedRequest, decision_id: int, offer_id: int) -> HttpResponse:
    offer = get_owned_offer(request.user, decision_id, offer_id)
    if offer.response_deadline is None:
        raise Http404("This offer has no deadline.")
    stem = documents.file_stem(offer, offer.response_deadline).replace("decline-", "deadline-", 1)
    return attachment(documents.deadline_ics(offer), "text/calendar; charset=utf-8", f"{stem}.ics")
