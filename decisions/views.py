from __future__ import annotations

import datetime as dt
from http import HTTPStatus
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from decisions import explain, services
from decisions.access import get_owned_criterion, get_owned_decision, get_owned_offer
from decisions.forms import (
    ChangeMindForm,
    ConfirmAcceptanceForm,
    CriterionForm,
    DecideForm,
    DecisionCreateForm,
    DecisionForm,
    FeelingForm,
    MustHavesForm,
    OfferForm,
    RatingsGridForm,
    ReflectionForm,
    TiebreakForm,
    WeightsForm,
)
from decisions.models import Decision, LogEntry, Offer
from decisions.prompts import question_for
from decisions.report import report_filename, report_pdf, report_view
from decisions.selectors import (
    NOT_THE_STORY,
    Comparison,
    comparison,
    decided_mood,
    decision_list,
    decision_overview,
    feelings_timeline,
    mood_now,
    offer_detail,
    owner_view,
    pay_view_named,
    ratings_for,
    timing_clashes,
    weights_put_back_offer,
)
from decisions.services.acceptance import removal_refusal
from decisions.services.criteria import CRITERIA_FULL, criteria_full
from decisions.services.offers import OFFERS_FULL, offers_full
from decisions.weight_forms import GutCheckForm
from offerdesk.accounts.services import has_verified_email
from offerdesk.formats import money
from offerdesk.forms import error_status, service_errors
from offerdesk.http import AuthenticatedRequest, attachment
from offerdesk.pdf import PdfError

GET_OR_POST = ["GET", "POST"]


# Decisions -----------------------------------------------------------------


@login_required
@require_http_methods(GET_OR_POST)
def decision_index(request: AuthenticatedRequest) -> HttpResponse:
    form = DecisionCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            pay_range = form.pay_range()
            decision = services.decision_create(
                owner=request.user, data=form.to_data(), pay_range=pay_range
            )
            messages.success(
                request,
                f"“{decision.title}” is ready with five starting criteria. Add your first offer.",
            )
            if pay_range is None:
                messages.info(
                    request,
                    "Salary has no range yet: your first offer’s pay will suggest one, "
                    "which you can change on the criteria page.",
                )
            elif pay_range.suggested_from:
                messages.info(
                    request,
                    f"Salary is scored from {money(pay_range.floor, decision.base_currency)} "
                    f"to {money(pay_range.target, decision.base_currency)}, a range suggested "
                    "from your current pay; change it on the criteria page.",
                )
            return redirect(decision)
    decisions = list(decision_list(request.user))
    return TemplateResponse(
        request,
        "decisions/decision_list.html",
        {
            "form": form,
            "active": [d for d in decisions if not d.is_archived],
            "archived": [d for d in decisions if d.is_archived],
            "email_verified": has_verified_email(request.user),
        },
        status=error_status(form),
    )


@login_required
@require_POST
@vary_on_headers("HX-Request")
def fill_pay_range(request: AuthenticatedRequest) -> HttpResponse:
    """The new-decision form's pay range, filled in from the current pay typed above it
    (an htmx fragment, posted so that the pay stays out of URLs and logs). An end the
    candidate typed is kept; an empty one, or one still at the last suggestion, takes
    the new suggestion (or empties with the current pay). Without htmx the form
    suggests the range when it is saved."""
    if not request.htmx:
        return redirect("decisions:list")
    typed = DecisionCreateForm(request.POST)
    typed.is_valid()  # for cleaned values; the form's own errors belong to its save
    given = typed.cleaned_data
    current = given.get("current_pay")
    suggestion = services.pay_range_suggestion(current) if current else None
    values = {}
    for end in ("floor", "target"):
        mine, last = given.get(f"pay_{end}"), given.get(f"suggested_{end}")
        if mine is None or mine == last:
            # Still Offerdesk's figure (or empty): it follows the current pay, and goes
            # when the current pay is cleared.
            mine = getattr(suggestion, end) if suggestion else None
        values[f"pay_{end}"] = mine
        values[f"suggested_{end}"] = getattr(suggestion, end) if suggestion else None
    return TemplateResponse(
        request,
        "decisions/_pay_range.html",
        {
            "form": DecisionCreateForm(initial=values),
            "suggestion": suggestion,
            "kept_own": suggestion is not None
            and (values["pay_floor"], values["pay_target"])
            != (suggestion.floor, suggestion.target),
            "unreadable": bool(request.POST.get("current_pay")) and current is None,
        },
    )


def _detail_page(
    request: AuthenticatedRequest,
    decision: Decision,
    *,
    confirm_form: ConfirmAcceptanceForm | None = None,
    status: int = HTTPStatus.OK,
) -> TemplateResponse:
    accepted = services.accepted_offer(decision)
    return TemplateResponse(
        request,
        "decisions/decision_detail.html",
        {
            "decision": decision,
            "overview": decision_overview(decision),
            "timing": timing_clashes(decision),
            "accepted": accepted,
            "today": timezone.localdate(),
            "mood": decided_mood(decision, for_coach=False),
            "feelings": feelings_timeline(decision, for_coach=False),
            # The written confirmation is asked for while an acceptance awaits one.
            "confirm_form": confirm_form
            if confirm_form is not None
            else (
                ConfirmAcceptanceForm()
                if accepted is not None and accepted.status == Offer.Status.ACCEPTED
                else None
            ),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET"])
def decision_detail(request: AuthenticatedRequest, decision_id: int) -> HttpResponse:
    decision = get_owned_decision(request.user, decision_id)
    return _detail_page(request, decision)


@login_required
@require_http_methods(GET_OR_POST)
def decision_edit(request: AuthenticatedRequest, decision_id: int) -> HttpResponse:
    decision = get_owned_decision(request.user, decision_id)
    form = DecisionForm(request.POST or None, row=decision)
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            changes = services.decision_update(
                decision=decision, actor=request.user, data=form.to_data()
            )
            if not changes:
                messages.info(request, "Nothing to save: the decision was already like that.")
            else:
                messages.success(request, "The decision is saved.")
                if (
                    "base_currency" in changes
                    and decision.offers.exclude(
                        currency=form.cleaned_data["base_currency"]
                    ).exists()
                ):
                    messages.warning(
                        request,
                        "The decision’s currency changed: check the exchange rate of each "
                        "offer paid in another currency.",
                    )
            return redirect("decisions:detail", decision.pk)
    return TemplateResponse(
        request,
        "decisions/decision_form.html",
        {"form": form, "decision": decision},
        status=error_status(form),
    )


@login_required
@require_POST
def decision_archive(request: AuthenticatedRequest, decision_id: int) -> HttpResponse:
    decision = get_owned_decision(request.user, decision_id)
    services.decision_archive(decision=decision, actor=request.user)
    messages.success(request, f"“{decision.title}” is archived. You can restore it any time.")
    return redirect("decisions:list")


@login_required
@require_POST
def decision_reopen(request: AuthenticatedRequest, decision_id: int) -> HttpResponse:
    decision = get_owned_decision(request.user, decision_id)
    services.decision_reopen(decision=decision, actor=request.user)
    messages.success(request, f"“{decision.title}” is back among your decisions.")
    return redirect(decision)


# Compare -------------------------------------------------------------------


@login_required
@require_http_methods(GET_OR_POST)
@vary_on_headers("HX-Request")
def compare(request: AuthenticatedRequest, decision_id: int) -> HttpResponse:
    """The ranking. A POST saves the weights from the sliders; htmx gets only the results.

    ``pay`` (in the query, or the form's field so that a slider keeps it) is the view of
    pay the ranking is on: all of it (the default), the guaranteed part, or adjusted for
    the cost of living (``selectors.pay_view_named``)."""
    decision = get_owned_decision(request.user, decision_id)
    pay_view = pay_view_named(request.POST.get("pay") or request.GET.get("pay"))
    weights_form = WeightsForm(
        request.POST or None, criteria=list(decision.criteria.all()), version=decision.version
    )
    if request.method == "POST" and weights_form.is_valid():
        with service_errors(weights_form):
            changes = services.criteria_reweight(
                decision=decision,
                actor=request.user,
                weights=weights_form.weights(),
                expected_version=weights_form.cleaned_data["version"],
            )
            if not request.htmx:
                messages.success(
                    request,
                    "Weights saved." if changes else "The weights were already like that.",
                )
                return redirect(_compare_url(decision, pay_view))
    ranked = comparison(decision, pay_view=pay_view)
    # The close call's question and the gut check are about the ranking on all of the
    # pay, the one a decision is made on; a second view only shows another angle.
    main_view = ranked.pay_view == "total"
    context = {
        "decision": decision,
        "comparison": ranked,
        "weights_form": weights_form,
        # After a refused move the sliders go back to the weights the ranking uses; htmx
        # swaps them in beside the results (out of band).
        "sliders_form": WeightsForm(criteria=weights_form.criteria, version=decision.version)
        if weights_form.errors
        else weights_form,
        "sliders_out_of_band": bool(request.htmx and weights_form.errors),
        "tiebreak_form": _tiebreak_form(ranked) if main_view else None,
        "put_back": weights_put_back_offer(decision),
        "gut_check_form": GutCheckForm() if ranked.leader and main_view else None,
    }
    status = error_status(weights_form, htmx=bool(request.htmx))
    template = "decisions/_compare_results.html" if request.htmx else "decisions/compare.html"
    return TemplateResponse(request, template, context, status=status)


def _compare_url(decision: Decision, pay_view: str) -> str:
    """The compare page in ``pay_view``: the plain address for the default one."""
    url = reverse("decisions:compare", args=[decision.pk])
    return url if pay_view == "total" else f"{url}?{urlencode({'pay': pay_view})}"


def _tiebreak_form(ranked: Comparison, data: QueryDict | None = None) -> TiebreakForm | None:
    """The close call's question as a form for its two offers, or None when the ranking
    is no close call (the question is always the server's, never the browser's)."""
    question = ranked.claim(explain.TIEBREAKER)
    if question is None or ranked.runner_up is None or ranked.leader is None:
        return None
    return TiebreakForm(
        data, question=question.text, offers=[ranked.leader.offer, ranked.runner_up.offer]
    )


@login_required
@require_POST
def tiebreak(request: AuthenticatedRequest, decision_id: int) -> HttpResponse:
    """The candidate's answer to a close call's question, kept as a reflection."""
    decision = get_owned_decision(request.user, decision_id)
    form = _tiebreak_form(comparison(decision), request.POST)
    if form is None:
        messages.info(
            request, "The ranking is no longer a close call, so that question no longer stands."
        )
        return redirect("decisions:compare", decision.pk)
    if not form.is_valid():
        messages.error(request, "Pick the offer you would take to answer the question.")
        return redirect("decisions:compare", decision.pk)
    chosen = form.offers[form.cleaned_data["offer"]]
    with service_errors(form):
        services.tiebreaker_answer_add(
            decision=decision,
            actor=request.user,
            question=form.question,
            chosen=chosen,
            why=form.cleaned_data["why"],
        )
        messages.success(
            request,
            f"Noted in your log: you would take {chosen.company}. The ranking stays as it is; "
            "the choice is yours when you decide.",
        )
        return redirect("decisions:compare", decision.pk)
    messages.error(request, " ".join(form.non_field_errors()))
    return redirect("decisions:compare", decision.pk)


# The log -------------------------------------------------------------------


@login_required
@require_GET
@vary_on_headers("HX-Request")
def log(request: AuthenticatedRequest, decision_id: int) -> HttpResponse:
    """The decision's story, newest first, grouped by day, filterable by kind; htmx gets
    only the log body. Rendered from the owner's projection, like the coach's page."""
    decision = get_owned_decision(request.user, decision_id)
    kind = request.GET.get("kind", "")
    if kind not in LogEntry.Kind.values:
        kind = ""
    view = owner_view(decision, kind=kind, page=request.GET.get("page", 1), log_only=True)
    kinds = [(code, label) for code, label in LogEntry.Kind.choices if code not in NOT_THE_STORY]
    context = {"decision": decision, "view": view, "kinds": kinds}
    if request.htmx:
        return TemplateResponse(request, "decisions/_log_body.html", context)
    return TemplateResponse(request, "decisions/log.html", context)


@login_required
@require_GET
def report(request: AuthenticatedRequest, decision_id: int) -> HttpResponse:
    """The candidate's own copy of the decision report, private entries included."""
    decision = get_owned_decision(request.user, decision_id)
    try:
        pdf = report_pdf(report_view(decision), paper_size=request.user.paper_size)
    except PdfError as error:
        messages.error(request, f"The report could not be prepared: {error}")
        return redirect(decision)
    return attachment(pdf, "application/pdf", report_filename(decision))


# Reflections ---------------------------------------------------------------

REFLECTION_LABELS = {
    "goal": "What do you want from your next role?",
    "scenario": "What happens if you take one offer, another, or wait?",
}


def _reflection_forms(
    decision: Decision, bound: dict[str, BaseForm] | None = None
) -> dict[str, BaseForm]:
    forms_by_kind: dict[str, BaseForm] = {
        kind: ReflectionForm(label=label, prefix=kind) for kind, label in REFLECTION_LABELS.items()
    }
    forms_by_kind["reflection"] = ReflectionForm(label="Your answer", prefix="reflection")
    forms_by_kind["feeling"] = FeelingForm(prefix="feeling")
    forms_by_kind.update(bound or {})
    return forms_by_kind


@login_required
@require_http_methods(GET_OR_POST)
def reflect(request: AuthenticatedRequest, decision_id: int) -> HttpResponse:
    """Goals, scenarios, a reflective question in turn, and a feeling check-in."""
    decision = get_owned_decision(request.user, decision_id)
    answered = decision.log_entries.filter(kind=LogEntry.Kind.REFLECTION).count()
    question = question_for(answered)
    bound: dict[str, BaseForm] = {}
    if request.method == "POST":
        kind = request.POST.get("kind", "")
        if kind == "feeling":
            form: BaseForm = FeelingForm(request.POST, prefix="feeling")
        elif kind in REFLECTION_LABELS or kind == "reflection":
            label = REFLECTION_LABELS.get(kind, "Your answer")
            form = ReflectionForm(request.POST, label=label, prefix=kind)
        else:
            messages.error(request, "Choose what kind of note to add.")
            return redirect("decisions:reflect", decision.pk)
        if form.is_valid():
            with service_errors(form):
                entry = services.reflection_add(
                    decision=decision,
                    actor=request.user,
                    kind=kind,
                    question=question if kind == "reflection" else "",
                    **form.cleaned_data,
                )
                note = " It stays private." if entry.private else ""
                messages.success(request, f"Added to your decision log.{note}")
                return redirect("decisions:log", decision.pk)
        bound[kind] = form
    return TemplateResponse(
        request,
        "decisions/reflect.html",
        {
            "decision": decision,
            "forms": _reflection_forms(decision, bound),
            "question": question,
            "feelings": feelings_timeline(decision, for_coach=False),
        },
        status=max((error_status(form) for form in bound.values()), default=HTTPStatus.OK),
    )


@login_required
@require_POST
def look_back(request: AuthenticatedRequest, decision_id: int) -> HttpResponse:
    decision = get_owned_decision(request.user, decision_id)
    form = ReflectionForm(request.POST, label="How did it turn out?", prefix="look_back")
    if form.is_valid():
        with service_errors(form):
            services.reflection_add(
                decision=decision,
                actor=request.user,
                kind=LogEntry.Kind.LOOK_BACK,
                **form.cleaned_data,
            )
            messages.success(request, "Thank you for looking back. It is in your decision log.")
            return redirect(decision)
    for error in form.errors.values():
        messages.error(request, " ".join(error))
    return redirect(decision)


# Deciding ------------------------------------------------------------------

REVIEW_AFTER = dt.timedelta(days=90)


@login_required
@require_http_methods(GET_OR_POST)
def decide(request: AuthenticatedRequest, decision_id: int) -> HttpResponse:
    """Record the choice, then write the acceptance. Once an offer is accepted, this
    page only updates the reasons: choosing another goes through ``change_mind``."""
    decision = get_owned_decision(request.user, decision_id)
    ranked = comparison(decision)
    leader = ranked.leader.offer if ranked.leader else None
    form = DecideForm(
        request.POST or None,
        decision=decision,
        leader=leader,
        initial={
            "review_on": decision.review_on or timezone.localdate() + REVIEW_AFTER,
            "why": decision.decided_reason,
            "confidence": decision.confidence if decision.confidence is not None else 70,
        },
    )
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["chosen_offer"]
        already = chosen.is_accepted
        with service_errors(form):
            services.decision_decide(decision=decision, actor=request.user, **form.cleaned_data)
            if already:
                messages.success(request, f"Your reasons for choosing {chosen} are updated.")
                return redirect(decision)
            messages.success(
                request,
                f"You chose {chosen}. Congratulations! Next, accept it in writing: "
                "thank them, confirm the terms as you understand them and ask for their "
                "confirmation.",
            )
            return redirect("messaging:compose", decision.pk, chosen.pk, "accept")
    return TemplateResponse(
        request,
        "decisions/decide.html",
        {
            "decision": decision,
            "form": form,
            "comparison": ranked,
            "accepted": services.accepted_offer(decision),
            "declined": list(decision.offers.filter(status=Offer.Status.DECLINED)),
            "mood": mood_now(decision),
        },
        status=error_status(form),
    )


def _preselected(request: AuthenticatedRequest, decision: Decision) -> Offer | None:
    """The open offer named by ``?offer=`` (from the decide page or a reopened offer)."""
    try:
        offer_id = int(request.GET.get("offer", ""))
    except ValueError:
        return None
    return decision.offers.filter(pk=offer_id, status=Offer.Status.OPEN).first()


@login_required
@require_http_methods(GET_OR_POST)
def change_mind(request: AuthenticatedRequest, decision_id: int) -> HttpResponse:
    """Choose another offer after accepting one (the acceptance is taken back, and the
    withdrawal drafted), or ask about an offer declined earlier."""
    decision = get_owned_decision(request.user, decision_id)
    accepted = services.accepted_offer(decision)
    form = None
    if accepted is not None:
        form = ChangeMindForm(
            request.POST or None,
            decision=decision,
            leader=_preselected(request, decision),
            initial={
                "review_on": decision.review_on or timezone.localdate() + REVIEW_AFTER,
                "confidence": decision.confidence if decision.confidence is not None else 70,
            },
        )
    elif request.method == "POST":
        messages.info(request, "No offer is accepted yet: record your decision as usual.")
        return redirect("decisions:decide", decision.pk)
    if form is not None and request.method == "POST" and form.is_valid():
        with service_errors(form):
            retracted = services.decision_change_mind(
                decision=decision, actor=request.user, **form.cleaned_data
            )
            messages.success(
                request,
                f"You now accept {form.cleaned_data['chosen_offer']}. Call "
                f"{retracted.recruiter_name or retracted.company} first, today if you can, "
                "then confirm in writing: the call script and the message are below.",
            )
            return redirect("messaging:compose", decision.pk, retracted.pk, "withdraw")
    return TemplateResponse(
        request,
        "decisions/change_mind.html",
        {
            "decision": decision,
            "accepted": accepted,
            "form": form,
            "declined": list(decision.offers.filter(status=Offer.Status.DECLINED)),
        },
        status=error_status(form) if form is not None else HTTPStatus.OK,
    )


@login_required
@require_POST
def offer_confirm(request: AuthenticatedRequest, decision_id: int, offer_id: int) -> HttpResponse:
    """Record the employer's written confirmation of the acceptance."""
    offer = get_owned_offer(request.user, decision_id, offer_id)
    form = ConfirmAcceptanceForm(request.POST)
    if form.is_valid():
        with service_errors(form):
            services.offer_confirm(
                offer=offer, actor=request.user, confirmed_on=form.cleaned_data["confirmed_on"]
            )
            messages.success(
                request,
                f"{offer.company} has confirmed it in writing. Now let the other employers "
                "know, kindly and soon.",
            )
            return redirect(offer.decision)
    return _detail_page(request, offer.decision, confirm_form=form, status=error_status(form))


@login_required
@require_POST
def offer_reopen(request: AuthenticatedRequest, decision_id: int, offer_id: int) -> HttpResponse:
    """The employer of a declined offer said it is still open: it can be chosen again."""
    offer = get_owned_offer(request.user, decision_id, offer_id)
    try:
        services.offer_reopen(offer=offer, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("decisions:change_mind", decision_id)
    if services.accepted_offer(offer.decision) is not None:
        messages.success(
            request,
            f"Good news: {offer} is open again. Choosing it means taking back the "
            "acceptance you gave, so read what that costs below first.",
        )
        return redirect(reverse("decisions:change_mind", args=[decision_id]) + f"?offer={offer.pk}")
    messages.success(request, f"Good news: {offer} is open again, and you can choose it.")
    return redirect("decisions:decide", decision_id)


# Criteria ------------------------------------------------------------------


def _criteria_page(
    request: AuthenticatedRequest,
    decision: Decision,
    *,
    weights_form: WeightsForm | None = None,
    add_form: CriterionForm | None = None,
    must_haves_form: MustHavesForm | None = None,
) -> TemplateResponse:
    criteria = list(decision.criteria.all())
    bound = weights_form or add_form or must_haves_form
    return TemplateResponse(
        request,
        "decisions/criteria.html",
        {
            "decision": decision,
            "criteria": criteria,
            "weights_form": weights_form
            or WeightsForm(criteria=criteria, version=decision.version),
            "add_form": add_form or CriterionForm(decision=decision),
            "criteria_full": CRITERIA_FULL if criteria_full(decision) else "",
            "must_haves_form": must_haves_form
            or MustHavesForm(decision=decision, offers=list(decision.offers.all())),
        },
        status=error_status(bound) if bound else HTTPStatus.OK,
    )


@login_required
@require_http_methods(GET_OR_POST)
def criteria(request: AuthenticatedRequest, decision_id: int) -> HttpResponse:
    """The criteria page; a POST saves every weight at once."""
    decision = get_owned_decision(request.user, decision_id)
    if request.method == "GET":
        return _criteria_page(request, decision)
    form = WeightsForm(request.POST, criteria=list(decision.criteria.all()))
    if form.is_valid():
        with service_errors(form):
            changes = services.criteria_reweight(
                decision=decision,
                actor=request.user,
                weights=form.weights(),
                expected_version=form.cleaned_data["version"],
            )
            if changes:
                messages.success(request, "Weights saved.")
            else:
                messages.info(request, "The weights were already like that.")
            return redirect("decisions:criteria", decision.pk)
    return _criteria_page(request, decision, weights_form=form)


@login_required
@require_POST
def must_haves(request: AuthenticatedRequest, decision_id: int) -> HttpResponse:
    """Save the must-haves on offer facts: ways of working and places ruled out."""
    decision = get_owned_decision(request.user, decision_id)
    form = MustHavesForm(request.POST, decision=decision, offers=list(decision.offers.all()))
    if form.is_valid():
        with service_errors(form):
            changes = services.decision_must_haves_set(
                decision=decision,
                actor=request.user,
                work_modes=form.cleaned_data["work_modes"],
                locations=form.chosen_locations(),
            )
            if changes and not decision.must_haves:
                messages.success(request, "Deal-breakers cleared: no offer is ruled out by them.")
            elif changes:
                messages.success(
                    request, "Deal-breakers saved: offers that fail one now rank last."
                )
            else:
                messages.info(request, "The deal-breakers were already like that.")
            return redirect("decisions:criteria", decision.pk)
    return _criteria_page(request, decision, must_haves_form=form)


@login_required
@require_POST
def criterion_add(request: AuthenticatedRequest, decision_id: int) -> HttpResponse:
    decision = get_owned_decision(request.user, decision_id)
    form = CriterionForm(request.POST, decision=decision)
    if form.is_valid():
        with service_errors(form):
            criterion = services.criterion_add(
                decision=decision, actor=request.user, data=form.to_data()
            )
            messages.success(request, f"Added “{criterion.name}”. Rate your offers on it next.")
            return redirect("decisions:criteria", decision.pk)
    return _criteria_page(request, decision, add_form=form)


@login_required
@require_http_methods(GET_OR_POST)
def criterion_edit(
    request: AuthenticatedRequest, decision_id: int, criterion_id: int
) -> HttpResponse:
    criterion = get_owned_criterion(request.user, decision_id, criterion_id)
    form = CriterionForm(request.POST or None, decision=criterion.decision, criterion=criterion)
    if request.method == "POST" and form.is_valid():
        data = form.to_data()
        with service_errors(form):
            changes = services.criterion_update(criterion=criterion, actor=request.user, data=data)
            messages.success(
                request, f"“{data.name.strip()}” is saved." if changes else "Nothing changed."
            )
            if "suggested_from" in changes and data.floor is not None:
                messages.info(
                    request,
                    "The range is yours now: an offer worse than its floor is ruled out.",
                )
            if "values_cleared" in changes:
                messages.warning(
                    request,
                    "Values entered for the old kind would mean something else now, so they "
                    "were cleared; the notes are kept. Fill them in again on the ratings page.",
                )
            return redirect("decisions:criteria", decision_id)
    return TemplateResponse(
        request,
        "decisions/criterion_form.html",
        {"form": form, "criterion": criterion, "decision": criterion.decision},
        status=error_status(form),
    )


@login_required
@require_POST
def criterion_move(
    request: AuthenticatedRequest, decision_id: int, criterion_id: int
) -> HttpResponse:
    criterion = get_owned_criterion(request.user, decision_id, criterion_id)
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        messages.error(request, "Choose whether to move the criterion up or down.")
    elif services.criterion_move(criterion=criterion, actor=request.user, direction=direction):
        messages.success(request, f"Moved “{criterion.name}” {direction}.")
    return redirect("decisions:criteria", decision_id)


@login_required
@require_http_methods(GET_OR_POST)
def criterion_delete(
    request: AuthenticatedRequest, decision_id: int, criterion_id: int
) -> HttpResponse:
    criterion = get_owned_criterion(request.user, decision_id, criterion_id)
    if request.method == "POST":
        services.criterion_remove(criterion=criterion, actor=request.user)
        messages.success(request, f"Removed “{criterion.name}” and its ratings.")
        return redirect("decisions:criteria", decision_id)
    return TemplateResponse(
        request,
        "decisions/confirm_delete.html",
        {
            "decision": criterion.decision,
            "title": f"Remove the criterion “{criterion.name}”?",
            "consequence": f"Its {criterion.ratings.count()} rating(s) and notes go with it. "
            "The decision log keeps a record of the change.",
            "cancel_url": ("decisions:criteria", [decision_id]),
        },
    )


# Offers --------------------------------------------------------------------


@login_required
@require_http_methods(GET_OR_POST)
def offer_create(request: AuthenticatedRequest, decision_id: int) -> HttpResponse:
    decision = get_owned_decision(request.user, decision_id)
    form = OfferForm(request.POST or None, decision=decision)
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            offer = services.offer_create(
                decision=decision, actor=request.user, data=form.to_data()
            )
            messages.success(request, f"Added {offer}. Rate it against your criteria next.")
            return redirect(decision)
    return TemplateResponse(
        request,
        "decisions/offer_form.html",
        {
            "form": form,
            "decision": decision,
            "offer": None,
            "offers_full": OFFERS_FULL if offers_full(decision) else "",
        },
        status=error_status(form),
    )


@login_required
@require_GET
def offer_page(request: AuthenticatedRequest, decision_id: int, offer_id: int) -> HttpResponse:
    """One offer with everything the candidate entered and where it ranks. The owner's
    alone: a coach reads offers on the coach's pages, which hide what the client keeps
    private (``selectors.coach_view``)."""
    offer = get_owned_offer(request.user, decision_id, offer_id)
    return TemplateResponse(
        request,
        "decisions/offer_detail.html",
        {"decision": offer.decision, "offer": offer, "detail": offer_detail(offer)},
    )


@login_required
@require_http_methods(GET_OR_POST)
def offer_edit(request: AuthenticatedRequest, decision_id: int, offer_id: int) -> HttpResponse:
    offer = get_owned_offer(request.user, decision_id, offer_id)
    form = OfferForm(request.POST or None, decision=offer.decision, offer=offer)
    if request.method == "POST" and form.is_valid():
        data = form.to_data()
        with service_errors(form):
            changes = services.offer_update(
                offer=offer,
                actor=request.user,
                data=data,
                expected_version=form.cleaned_data["version"],
            )
            saved = f"{data.role} at {data.company}"
            messages.success(request, f"{saved} is saved." if changes else "Nothing changed.")
            return redirect("decisions:detail", decision_id)
    return TemplateResponse(
        request,
        "decisions/offer_form.html",
        {"form": form, "decision": offer.decision, "offer": offer, "offers_full": ""},
        status=error_status(form),
    )


@login_required
@require_http_methods(GET_OR_POST)
def offer_delete(request: AuthenticatedRequest, decision_id: int, offer_id: int) -> HttpResponse:
    """Remove an offer, after asking; one the candidate accepted, or whose acceptance
    they took back, is not removed (``acceptance.removal_refusal``)."""
    offer = get_owned_offer(request.user, decision_id, offer_id)
    refusal = removal_refusal(offer.status)
    if request.method == "POST" and not refusal:
        try:
            services.offer_remove(offer=offer, actor=request.user)
        except ValidationError as error:
            refusal = " ".join(error.messages)
        else:
            messages.success(request, f"Removed {offer}.")
            return redirect("decisions:detail", decision_id)
    if refusal:
        messages.error(request, refusal)
        return redirect("decisions:detail", decision_id)
    return TemplateResponse(
        request,
        "decisions/confirm_delete.html",
        {
            "decision": offer.decision,
            "title": f"Remove {offer}?",
            "consequence": "Its ratings and notes go with it. "
            "The decision log keeps a record of what the offer was.",
            "cancel_url": ("decisions:detail", [decision_id]),
        },
    )


# Ratings -------------------------------------------------------------------


@login_required
@require_http_methods(GET_OR_POST)
def ratings(request: AuthenticatedRequest, decision_id: int) -> HttpResponse:
    decision = get_owned_decision(request.user, decision_id)
    offers = list(decision.offers.all())
    criteria_list = list(decision.criteria.all())
    form = RatingsGridForm(
        request.POST or None,
        offers=offers,
        criteria=criteria_list,
        ratings=ratings_for(decision),
        version=decision.version,
    )
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            changes = services.ratings_save(
                decision=decision,
                actor=request.user,
                cells=form.cells(),
                expected_version=form.cleaned_data["version"],
            )
            if changes:
                count = len(changes)
                messages.success(request, f"Saved {count} rating{'s' if count != 1 else ''}.")
            else:
                messages.info(request, "Nothing changed in the ratings.")
            return redirect("decisions:ratings", decision.pk)
    return TemplateResponse(
        request,
        "decisions/ratings.html",
        {
            "decision": decision,
            "offers": offers,
            "criteria": criteria_list,
            "form": form,
        },
        status=error_status(form),
    )
