"""Coaching: the candidate's side (invite, see and revoke access; answer questions,
do homework) and the coach's side (accept, the dashboard of what needs attention,
read-only review; ask, set homework, keep notes). A coach reaches client data
only through ``access.get_coached_decision``; every other write URL stays owner-only."""

from __future__ import annotations

from http import HTTPStatus

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from decisions import services
from decisions.access import (
    coached_homework,
    coached_note,
    coached_thread,
    get_client_grant,
    get_client_invitation,
    get_coached_decision,
    get_owned_decision,
    get_owned_homework,
    get_owned_thread,
)
from decisions.conversation import all_homework, decision_threads
from decisions.correspondence import decision_messages
from decisions.forms import (
    AnswerForm,
    CoachCommentForm,
    CoachInviteForm,
    CoachNoteForm,
    HomeworkDoneForm,
    HomeworkForm,
)
from decisions.models import CoachGrant, CoachInvitation, CoachNote, Decision, LogEntry
from decisions.report import report_filename, report_pdf, report_view
from decisions.selectors import (
    coach_dashboard,
    coach_second_factor_advised,
    coach_view,
    decided_mood,
    feelings_timeline,
    invitation_by_link,
)
from offerdesk.accounts.services import has_verified_email
from offerdesk.forms import error_status, service_errors
from offerdesk.http import AuthenticatedRequest, HtmxHttpRequest, attachment
from offerdesk.pdf import PdfError

DASHBOARD_PAGE_SIZE = 25

# The candidate's side ------------------------------------------------------------


# The cookie that carries a new invitation link to the one page view that shows it.
NEW_LINK = "coach_invitation_link"


def _access_page(
    request: AuthenticatedRequest, form: CoachInviteForm, new_link: str = "", status: int = 200
) -> TemplateResponse:
    return TemplateResponse(
        request,
        "decisions/coach_access.html",
        {
            "form": form,
            "grants": CoachGrant.objects.active()
            .filter(client=request.user)
            .select_related("coach"),
            "invitations": [
                i for i in CoachInvitation.objects.filter(client=request.user) if i.is_pending
            ],
            "new_link": new_link,
            "email_verified": has_verified_email(request.user),
            # Someone who coaches (or did) is shown the way to their clients too.
            "coaches": CoachGrant.objects.filter(coach=request.user).exists(),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def coach_access(request: AuthenticatedRequest) -> HttpResponse:
    """Who may read my decisions; invite a coach. The link is shown once, here."""
    form = CoachInviteForm(request.POST or None, client=request.user)
    if request.method == "POST" and form.is_valid():

        def accept_url(token: str) -> str:
            return request.build_absolute_uri(reverse("coach:accept", args=[token]))

        with service_errors(form):
            _, token = services.invitation_create(
                client=request.user, accept_url=accept_url, **form.cleaned_data
            )
            messages.success(
                request,
                f"Invitation to {form.cleaned_data['email']} saved; its mail is on its way. "
                "It works once and expires in 7 days.",
            )
            # Shown once, on the page the redirect lands on, so a reload sends nothing.
            # It travels in a short-lived signed cookie, not the session: the session
            # is stored in the database, where only the token's hash may be.
            response = redirect("coach:access")
            response.set_signed_cookie(
                NEW_LINK,
                accept_url(token),
                salt=NEW_LINK,
                max_age=60,
                path=reverse("coach:access"),
                secure=request.is_secure(),
                httponly=True,
                samesite="Strict",
            )
            return response
    if request.method == "GET":
        link = request.get_signed_cookie(NEW_LINK, default="", salt=NEW_LINK, max_age=60)
        response = _access_page(request, form, new_link=link)
        if NEW_LINK in request.COOKIES:
            response.delete_cookie(NEW_LINK, path=reverse("coach:access"), samesite="Strict")
        return response
    return _access_page(request, form, status=error_status(form))


@login_required
@require_POST
def grant_revoke(request: AuthenticatedRequest, grant_id: int) -> HttpResponse:
    grant = get_client_grant(request.user, grant_id)
    services.grant_revoke(grant=grant, actor=request.user)
    messages.success(request, f"{grant.coach.display_name} can no longer read your decisions.")
    return redirect("coach:access")


@login_required
@require_POST
def grant_privacy(request: AuthenticatedRequest, grant_id: int) -> HttpResponse:
    grant = get_client_grant(request.user, grant_id)
    hide = request.POST.get("hide_compensation") == "on"
    services.grant_update(grant=grant, actor=request.user, hide_compensation=hide)
    state = "hidden from" if hide else "shown to"
    messages.success(request, f"Your pay figures are now {state} {grant.coach.display_name}.")
    return redirect("coach:access")


@login_required
@require_POST
def invitation_withdraw(request: AuthenticatedRequest, invitation_id: int) -> HttpResponse:
    invitation = get_client_invitation(request.user, invitation_id)
    services.invitation_withdraw(invitation=invitation, actor=request.user)
    messages.success(request, f"The invitation to {invitation.email} no longer works.")
    return redirect("coach:access")


def _answer_form(thread_id: int, data: object = None) -> AnswerForm:
    return AnswerForm(data, auto_id=f"id_thread{thread_id}_%s")


def _done_form(homework_id: int, data: object = None) -> HomeworkDoneForm:
    return HomeworkDoneForm(data, auto_id=f"id_homework{homework_id}_%s")


def _client_page(
    request: AuthenticatedRequest,
    decision: Decision,
    *,
    failed: AnswerForm | HomeworkDoneForm | None = None,
    failed_pk: int | None = None,
) -> TemplateResponse:
    """The candidate's side of coaching for one decision: homework, then the threads,
    each with its form (``failed``, the one just refused, bound to what was sent)."""
    threads = decision_threads(decision)
    homework = all_homework(decision)
    answer_forms = {t.pk: _answer_form(t.pk) for t in threads}
    done_forms = {h.pk: _done_form(h.pk) for h in homework if h.is_pending}
    if isinstance(failed, AnswerForm):
        answer_forms[failed_pk] = failed
    elif isinstance(failed, HomeworkDoneForm):
        done_forms[failed_pk] = failed
    return TemplateResponse(
        request,
        "decisions/coaching.html",
        {
            "decision": decision,
            "threads": threads,
            "homework": homework,
            "answer_forms": answer_forms,
            "done_forms": done_forms,
            "today": timezone.localdate(),
            "coaches": CoachGrant.objects.active()
            .filter(client=request.user)
            .select_related("coach"),
        },
        status=error_status(failed) if failed is not None else HTTPStatus.OK,
    )


@login_required
@require_GET
def client_coaching(request: AuthenticatedRequest, decision_id: int) -> HttpResponse:
    """What the candidate's coaches asked of this decision, and the answers."""
    return _client_page(request, get_owned_decision(request.user, decision_id))


@login_required
@require_POST
def client_answer(request: AuthenticatedRequest, decision_id: int, thread_id: int) -> HttpResponse:
    thread = get_owned_thread(request.user, decision_id, thread_id)
    form = _answer_form(thread.pk, request.POST)
    if form.is_valid():
        with service_errors(form):
            services.thread_answer(thread=thread, author=request.user, **form.cleaned_data)
            messages.success(request, "Your answer is saved; your coach can read it now.")
            return redirect(
                reverse("decisions:coaching", args=[decision_id]) + f"#thread-{thread.pk}"
            )
    decision = get_owned_decision(request.user, decision_id)
    return _client_page(request, decision, failed=form, failed_pk=thread.pk)


@login_required
@require_POST
def client_homework_done(
    request: AuthenticatedRequest, decision_id: int, homework_id: int
) -> HttpResponse:
    homework = get_owned_homework(request.user, decision_id, homework_id)
    form = _done_form(homework.pk, request.POST)
    if form.is_valid():
        with service_errors(form):
            if services.homework_done(homework=homework, actor=request.user, **form.cleaned_data):
                messages.success(request, f"Done: “{homework.title}”. Your coach will see it.")
            else:
                messages.info(request, "That homework was already done or withdrawn.")
            return redirect("decisions:coaching", decision_id)
    decision = get_owned_decision(request.user, decision_id)
    return _client_page(request, decision, failed=form, failed_pk=homework.pk)


# The coach's side -------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def accept(request: HtmxHttpRequest, token: str) -> HttpResponse:
    """Anyone with the link sees that they were invited; accepting needs the account
    that holds the invited address. Anyone else is told, before any button, that the
    invitation was for someone else."""
    page = {"token": token, "someone_else": "", "inviter": ""}
    if not request.user.is_authenticated:
        return TemplateResponse(request, "decisions/coach_accept.html", page)
    invitation = invitation_by_link(token)
    if invitation is None or not invitation.is_pending:
        # Said before any button: pressing Accept on a dead link only to hear so is worse.
        if invitation is not None and invitation.accepted_by_id == request.user.pk:
            messages.info(request, "You accepted this invitation already.")
            return redirect("coach:dashboard")
        messages.error(request, services.INVITATION_UNUSABLE)
        return redirect("coach:dashboard")
    if not invitation.is_for(request.user):
        page["someone_else"] = invitation.masked_email
        return TemplateResponse(request, "decisions/coach_accept.html", page, status=403)
    # The invited address's own account learns who asks (the mail named them too).
    page["inviter"] = invitation.client.display_name
    if request.method == "POST":
        try:
            grant = services.invitation_accept(
                token=token, coach=request.user, mailed=request.GET.get("mailed", "")
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("coach:dashboard")
        messages.success(
            request, f"You can now read {grant.client.display_name}’s decisions and comment."
        )
        return redirect("coach:dashboard")
    return TemplateResponse(request, "decisions/coach_accept.html", page)


@login_required
@require_GET
def dashboard(request: AuthenticatedRequest) -> HttpResponse:
    """The coach's clients. Someone who has never coached anyone is a candidate looking
    for coaching: they are sent to their own coaches, where the invitation is."""
    if not CoachGrant.objects.filter(coach=request.user).exists():
        return redirect("coach:access")
    page = Paginator(coach_dashboard(request.user), DASHBOARD_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    decisions = list(page.object_list)
    # The one write a GET makes, and it is read bookkeeping: when this coach last
    # looked, for next visit's "new" badges. It is not logged, changes nothing the
    # candidate or the coach wrote, and a forged visit only hides badges from the
    # coach who was sent the link. Only the clients on this page count as seen.
    services.coach_visit_record(
        coach=request.user, when=timezone.now(), clients={d.owner_id for d in decisions}
    )
    return TemplateResponse(
        request,
        "decisions/coach_dashboard.html",
        {
            "decisions": decisions,
            "page": page,
            "today": timezone.localdate(),
            "second_factor_advised": coach_second_factor_advised(request.user),
            # Asked only when there is nothing to list: clients who have not started a
            # decision yet are not "no clients".
            "has_clients": bool(decisions)
            or CoachGrant.objects.active().filter(coach=request.user).exists(),
        },
    )


def _log_kind(request: HtmxHttpRequest) -> str:
    kind = request.GET.get("kind", "")
    return kind if kind in LogEntry.Kind.values else ""


def _review(request: AuthenticatedRequest, decision_id: int) -> TemplateResponse:
    decision, grant = get_coached_decision(request.user, decision_id)
    # The log fragment is all an htmx filter or page swap shows, so skip the ranking.
    fragment = bool(request.htmx)
    view = coach_view(
        decision,
        grant,
        kind=_log_kind(request),
        page=request.GET.get("page", 1),
        log_only=fragment,
    )
    context = {
        "view": view,
        "decision": view.decision,
        "comparison": view.comparison,
        "kinds": LogEntry.Kind.choices,
        "read_only": True,
    }
    if fragment:
        return TemplateResponse(request, "decisions/_log_body.html", context)
    # What the client drafted and sent to each employer, as this coach may read it.
    context["employer_messages"] = decision_messages(
        decision, for_coach=True, pay_shown=view.pay_shown
    )
    context["mood"] = decided_mood(decision, for_coach=True)
    context["feelings"] = feelings_timeline(decision, for_coach=True)
    return TemplateResponse(request, "decisions/coach_review.html", context)


@login_required
@require_GET
@vary_on_headers("HX-Request")
def review(request: AuthenticatedRequest, decision_id: int) -> HttpResponse:
    """A client's decision, read-only: the ranking, the record and the shared log, as
    the coach's projection holds them; htmx gets only the log."""
    return _review(request, decision_id)


Form = CoachCommentForm | AnswerForm | HomeworkForm | CoachNoteForm


def _conversation(
    request: AuthenticatedRequest,
    decision: Decision,
    *,
    failed: Form | None = None,
    failed_pk: int | None = None,
) -> TemplateResponse:
    """The coach's side of one decision's conversation: ask, the threads, homework and
    the coach's own notes on the client; ``failed`` is the form just refused."""
    threads = decision_threads(decision)
    forms: dict[str, Form] = {
        "comment": CoachCommentForm(
            decision=decision, initial={"about": request.GET.get("about", "")}
        ),
        "homework": HomeworkForm(prefix="homework"),
        "note": CoachNoteForm(prefix="note"),
    }
    answer_forms = {t.pk: _answer_form(t.pk) for t in threads}
    if isinstance(failed, AnswerForm):
        answer_forms[failed_pk] = failed
    elif failed is not None:
        forms[
            {CoachCommentForm: "comment", HomeworkForm: "homework", CoachNoteForm: "note"}[
                type(failed)
            ]
        ] = failed
    return TemplateResponse(
        request,
        "decisions/coach_conversation.html",
        {
            "decision": decision,
            "threads": threads,
            "answer_forms": answer_forms,
            "homework": all_homework(decision),
            "notes": CoachNote.objects.filter(coach=request.user, client_id=decision.owner_id),
            "today": timezone.localdate(),
            **{f"{name}_form": form for name, form in forms.items()},
        },
        status=error_status(failed) if failed is not None else HTTPStatus.OK,
    )


@login_required
@require_GET
def conversation(request: AuthenticatedRequest, decision_id: int) -> HttpResponse:
    decision, _ = get_coached_decision(request.user, decision_id)
    return _conversation(request, decision)


def _to_conversation(decision: Decision, anchor: str = "") -> HttpResponse:
    return redirect(reverse("coach:conversation", args=[decision.pk]) + anchor)


@login_required
@require_POST
def comment(request: AuthenticatedRequest, decision_id: int) -> HttpResponse:
    decision, _ = get_coached_decision(request.user, decision_id)
    form = CoachCommentForm(request.POST, decision=decision)
    if form.is_valid():
        with service_errors(form):
            entry = services.coach_comment_add(
                decision=decision, coach=request.user, **form.cleaned_data
            )
            what = "question" if form.cleaned_data["asks"] else "comment"
            messages.success(request, f"Your {what} is in the log for your client to read.")
            return _to_conversation(decision, f"#thread-{entry.pk}")
    return _conversation(request, decision, failed=form)


@login_required
@require_POST
def follow_up(request: AuthenticatedRequest, decision_id: int, thread_id: int) -> HttpResponse:
    decision, _ = get_coached_decision(request.user, decision_id)
    thread = coached_thread(decision, thread_id)
    form = _answer_form(thread.pk, request.POST)
    if form.is_valid():
        with service_errors(form):
            services.thread_answer(thread=thread, author=request.user, **form.cleaned_data)
            messages.success(request, "Your reply is in the thread.")
            return _to_conversation(decision, f"#thread-{thread.pk}")
    return _conversation(request, decision, failed=form, failed_pk=thread.pk)


@login_required
@require_POST
def homework_set(request: AuthenticatedRequest, decision_id: int) -> HttpResponse:
    decision, _ = get_coached_decision(request.user, decision_id)
    form = HomeworkForm(request.POST, prefix="homework")
    if form.is_valid():
        with service_errors(form):
            homework = services.homework_set(
                decision=decision, coach=request.user, **form.cleaned_data
            )
            messages.success(
                request, f"Homework set: “{homework.title}”. It is on your client’s to-do list."
            )
            return _to_conversation(decision, "#homework-heading")
    return _conversation(request, decision, failed=form)


@login_required
@require_POST
def homework_withdraw(
    request: AuthenticatedRequest, decision_id: int, homework_id: int
) -> HttpResponse:
    decision, _ = get_coached_decision(request.user, decision_id)
    homework = coached_homework(decision, request.user, homework_id)
    if services.homework_withdraw(homework=homework, coach=request.user):
        messages.success(request, f"Withdrawn: “{homework.title}”.")
    else:
        messages.info(request, "That homework was already done or withdrawn.")
    return _to_conversation(decision, "#homework-heading")


@login_required
@require_POST
def note_add(request: AuthenticatedRequest, decision_id: int) -> HttpResponse:
    decision, _ = get_coached_decision(request.user, decision_id)
    form = CoachNoteForm(request.POST, prefix="note")
    if form.is_valid():
        with service_errors(form):
            services.coach_note_add(
                coach=request.user, client=decision.owner, body=form.cleaned_data["body"]
            )
            messages.success(request, "Note saved. Only you can read it.")
            return _to_conversation(decision, "#notes-heading")
    return _conversation(request, decision, failed=form)


@login_required
@require_POST
def note_delete(request: AuthenticatedRequest, decision_id: int, note_id: int) -> HttpResponse:
    decision, _ = get_coached_decision(request.user, decision_id)
    note = coached_note(decision, request.user, note_id)
    services.coach_note_delete(note=note, coach=request.user)
    messages.success(request, "Note removed.")
    return _to_conversation(decision, "#notes-heading")


@login_required
@require_GET
def report(request: AuthenticatedRequest, decision_id: int) -> HttpResponse:
    """The coach's copy of the report: no private entries, pay hidden if asked."""
    decision, grant = get_coached_decision(request.user, decision_id)
    try:
        pdf = report_pdf(report_view(decision, grant), paper_size=request.user.paper_size)
    except PdfError as error:
        messages.error(request, f"The report could not be prepared: {error}")
        return redirect("coach:review", decision.pk)
    return attachment(pdf, "application/pdf", report_filename(decision))
