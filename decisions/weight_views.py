"""The weight wizards (swing, pairwise), putting back the weights they replaced, and
the gut check on the ranking.

A wizard is one URL: a GET starts it, each POST answers one question and shows the
next (the whole page, or only the step for htmx), the last shows the weights the
answers give, and "Apply" saves them as one logged change and goes to the ranking.
"""

from __future__ import annotations

from decimal import Decimal
from http import HTTPStatus
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from decisions import services, weighting
from decisions.access import get_owned_decision
from decisions.models import Criterion, Decision
from decisions.selectors import comparison, gut_check_hints
from decisions.weight_forms import REVIEW, GutCheckForm, PairwiseForm, SwingForm, WizardForm
from offerdesk.formats import money
from offerdesk.forms import error_status, service_errors
from offerdesk.http import AuthenticatedRequest

WIZARD_FORMS: dict[str, type[WizardForm]] = {"swing": SwingForm, "pairwise": PairwiseForm}
WIZARD_TITLES = {"swing": "Weights from swings", "pairwise": "Weights from pairs"}
RESTART = (
    "Some of your earlier answers no longer fit this decision (its criteria may have "
    "changed meanwhile), so the wizard starts again. Nothing was saved."
)


def _ends(criterion: Criterion, decision: Decision, scales: dict[str, Any]) -> tuple[str, str]:
    """The worst and best plausible values of ``criterion``, in words: its fixed scale,
    its floor and target, or the worst and best of the offers on the table."""
    spec = criterion.kind_spec
    if spec.is_yes_no:
        return ("no", "yes")
    if spec.fixed_scale is not None:
        low, high = spec.fixed_scale
        return (spec.format(low), spec.format(high))
    worst: Decimal | float | None = criterion.floor
    best: Decimal | float | None = criterion.target
    if worst is None or best is None:
        scale = scales.get(str(criterion.pk))
        worst = getattr(scale, "worst", None)
        best = getattr(scale, "best", None)
    if worst is None or best is None:
        return ("the worst you might get", "the best you might get")
    if spec.pay:
        return (money(worst, decision.base_currency), money(best, decision.base_currency))
    return (spec.format(worst, criterion.unit), spec.format(best, criterion.unit))


def _swings(decision: Decision, criteria: list[Criterion]) -> dict[int, tuple[str, str]]:
    ranked = comparison(decision)
    scales = dict(ranked.result.scales) if ranked.result is not None else {}
    return {c.pk: _ends(c, decision, scales) for c in criteria}


def _preview(form: WizardForm, wizard: str) -> dict[str, Any]:
    """The weights the answers give, beside today's, and (pairwise) their consistency."""
    pairwise = None
    if wizard == "swing":
        assert isinstance(form, SwingForm)
        points = form.points()
        new = [points[c.pk] for c in form.criteria]
        shares = weighting.swing_weights(new).weights
    else:
        assert isinstance(form, PairwiseForm)
        pairwise = form.result()
        shares = pairwise.weights
        new = weighting.whole_weights(shares)
    inconsistent = None
    if pairwise is not None and pairwise.most_inconsistent is not None:
        i, j = pairwise.most_inconsistent
        first, second = form.criteria[i], form.criteria[j]
        inconsistent = {
            "first": first,
            "second": second,
            "question": PairwiseForm.pair_name(first, second),
        }
    return {
        "rows": [
            {"criterion": c, "before": c.weight, "after": w, "share": share}
            for c, w, share in zip(form.criteria, new, shares, strict=True)
        ],
        "weights": {c.pk: w for c, w in zip(form.criteria, new, strict=True)},
        "pairwise": pairwise,
        "inconsistent": inconsistent,
        "limit": weighting.CONSISTENCY_LIMIT,
    }


def _step(
    request: AuthenticatedRequest,
    decision: Decision,
    wizard: str,
    form: WizardForm,
    question: str | None,
    *,
    status: int = HTTPStatus.OK,
    notice: str = "",
) -> TemplateResponse:
    if (
        isinstance(form, SwingForm)
        and question != "top"
        and (not form.is_bound or form.top() is None)
    ):
        # Each swing is rated against the top one: without it, that question comes first.
        question = "top"
    preview = _preview(form, wizard) if question == REVIEW else None
    context = {
        "decision": decision,
        "wizard": wizard,
        "title": WIZARD_TITLES[wizard],
        "form": form,
        "question": question,
        "field": form[question] if question and question in form.fields else None,
        "hidden": form.hidden_answers(question) if form.is_bound else [],
        "step": form.step_number(question),
        "swings": _swings(decision, form.criteria) if wizard == "swing" else {},
        "top": form.top() if isinstance(form, SwingForm) and form.is_bound else None,
        "pair": form.pair_of(question)
        if isinstance(form, PairwiseForm) and question and question != REVIEW
        else None,
        "preview": preview,
        "notice": notice,
        "version": form.cleaned_data.get("version")
        if form.is_bound and hasattr(form, "cleaned_data")
        else decision.version,
    }
    template = (
        "decisions/_weights_wizard_step.html" if request.htmx else "decisions/weights_wizard.html"
    )
    return TemplateResponse(request, template, context, status=status)


def _too_few(request: AuthenticatedRequest, decision: Decision, wizard: str) -> str | None:
    """Why this wizard cannot run on ``decision``'s criteria, or None."""
    count = decision.criteria.count()
    if count < 2:
        return "Weights only matter between two criteria or more: add another criterion first."
    if wizard == "pairwise" and count > weighting.MAX_PAIRWISE:
        return (
            f"With {count} criteria the pairwise wizard would ask {count * (count - 1) // 2} "
            f"questions; it takes at most {weighting.MAX_PAIRWISE} criteria. The swing "
            "wizard asks one question per criterion."
        )
    return None


@login_required
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def weights_wizard(request: AuthenticatedRequest, decision_id: int, wizard: str) -> HttpResponse:
    """One question per page (or htmx fragment); nothing is saved before "Apply"."""
    decision = get_owned_decision(request.user, decision_id)
    if wizard not in WIZARD_FORMS:
        raise Http404("No such wizard.")
    refusal = _too_few(request, decision, wizard)
    if refusal:
        messages.info(request, refusal)
        return redirect("decisions:compare", decision.pk)
    criteria = list(decision.criteria.all())
    form_class = WIZARD_FORMS[wizard]
    if request.method == "GET":
        form = form_class(criteria=criteria, version=decision.version)
        return _step(request, decision, wizard, form, form.questions()[0])
    form = form_class(request.POST, criteria=criteria, version=decision.version)
    asked = request.POST.get("asked", "")
    if not form.is_valid():
        if set(form.errors) <= {asked}:
            return _step(
                request,
                decision,
                wizard,
                form,
                asked,
                status=error_status(form, htmx=bool(request.htmx)),
            )
        fresh = form_class(criteria=criteria, version=decision.version)
        return _step(
            request,
            decision,
            wizard,
            fresh,
            fresh.questions()[0],
            status=HTTPStatus.OK if request.htmx else HTTPStatus.BAD_REQUEST,
            notice=RESTART,
        )
    action = request.POST.get("action", "next")
    redo = request.POST.get("redo", "")
    if action == "back":
        return _step(request, decision, wizard, form, form.previous_question(asked))
    if redo and redo in form.questions():
        # Asked again from the review: the question shows with its answer as it was.
        return _step(request, decision, wizard, form, redo)
    if asked in form.fields and form.answer(asked) is None:
        needed = "Give a number from 0 to 100" if asked.startswith("points-") else "Choose one"
        form.add_error(asked, f"{needed} to go on.")
        return _step(
            request,
            decision,
            wizard,
            form,
            asked,
            status=error_status(form, htmx=bool(request.htmx)),
        )
    question = form.next_question()
    if question is not None:
        return _step(request, decision, wizard, form, question)
    if action != "apply":
        return _step(request, decision, wizard, form, REVIEW)
    preview = _preview(form, wizard)
    details: dict[str, Any] = {"answers": {q: form.answer(q) for q in form.questions()}}
    if preview["pairwise"] is not None:
        details["consistency_ratio"] = round(preview["pairwise"].consistency_ratio, 4)
    with service_errors(form):
        changes = services.weights_from_wizard(
            decision=decision,
            actor=request.user,
            origin=wizard,  # type: ignore[arg-type]
            weights=preview["weights"],
            expected_version=form.cleaned_data.get("version"),
            details=details,
        )
        if changes:
            messages.success(
                request,
                f"Weights {weighting.ORIGINS[wizard]} are applied: the ranking below uses "
                "them. Your earlier weights are one click away.",
            )
        else:
            messages.info(request, "Your answers give the weights you already had.")
        target = reverse("decisions:compare", args=[decision.pk])
        return HttpResponseClientRedirect(target) if request.htmx else redirect(target)
    return _step(
        request, decision, wizard, form, REVIEW, status=error_status(form, htmx=bool(request.htmx))
    )


@login_required
@require_POST
def weights_put_back(request: AuthenticatedRequest, decision_id: int) -> HttpResponse:
    """Restore the weights the latest wizard replaced, as a logged change."""
    decision = get_owned_decision(request.user, decision_id)
    try:
        services.weights_put_back(decision=decision, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Your earlier weights are back, and the ranking uses them.")
    return redirect("decisions:compare", decision.pk)


@login_required
@require_http_methods(["GET", "POST"])
def gut_check(request: AuthenticatedRequest, decision_id: int) -> HttpResponse:
    """ "How would you feel if X won?": the answer goes to the log; a disappointed one
    leads here (GET), to the criteria worth a second look."""
    decision = get_owned_decision(request.user, decision_id)
    ranked = comparison(decision)
    if request.method == "POST":
        form = GutCheckForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
            return redirect("decisions:compare", decision.pk)
        offer = decision.offers.filter(pk=form.cleaned_data["offer"]).first()
        if offer is None:
            messages.error(request, "That offer is no longer part of this decision.")
            return redirect("decisions:compare", decision.pk)
        with service_errors(form):
            services.gut_check_add(
                decision=decision,
                actor=request.user,
                offer=offer,
                feeling=form.cleaned_data["feeling"],
                note=form.cleaned_data["note"],
            )
            feeling = form.cleaned_data["feeling"]
            if feeling != "disappointed":
                messages.success(
                    request,
                    f"Noted in your log: you would feel {feeling} if {offer.company} won.",
                )
                return redirect("decisions:compare", decision.pk)
            messages.info(
                request,
                f"Noted in your log: you would be disappointed if {offer.company} won. "
                "That feeling is worth listening to: below is where to look.",
            )
            return redirect("decisions:gut_check", decision.pk)
        messages.error(request, " ".join(form.non_field_errors()))
        return redirect("decisions:compare", decision.pk)
    return TemplateResponse(
        request,
        "decisions/weights_gut_check.html",
        {"decision": decision, "hints": gut_check_hints(ranked)},
    )
