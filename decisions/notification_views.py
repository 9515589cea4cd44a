"""What's new, for a client and a coach alike; how often each kind is mailed; and the
unsubscribe link every notification mail carries, which works logged out."""

from __future__ import annotations

from http import HTTPStatus

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from decisions import notifications
from decisions.access import coached_decisions, owned_decisions
from decisions.forms import NoticeSettingsForm
from decisions.models import CoachGrant, Notice, NoticeSetting, Notification
from decisions.services.notifications import news_read, notice_link, notice_set, notices_set
from offerdesk.accounts.models import User
from offerdesk.forms import error_status
from offerdesk.http import AuthenticatedRequest

NEWS_PAGE_SIZE = 30


@login_required
@require_GET
def news(request: AuthenticatedRequest) -> HttpResponse:
    """Every notice for the reader, newest first; those they had not seen are marked
    new, this once. A coach's notices of a client whose access ended are not shown."""
    visible = owned_decisions(request.user) | coached_decisions(request.user)
    rows = Notification.objects.filter(recipient=request.user, decision__in=visible).select_related(
        "decision"
    )
    page = Paginator(rows, NEWS_PAGE_SIZE).get_page(request.GET.get("page"))
    notices = [(n, notice_link(n)) for n in page.object_list]
    # Read bookkeeping, as the coach's dashboard keeps: what this page showed as new
    # is new no more (the notices of other pages stay new until shown).
    news_read(user=request.user, ids=[n.pk for n, _ in notices], when=timezone.now())
    return TemplateResponse(request, "decisions/news.html", {"notices": notices, "page": page})


@login_required
@require_http_methods(["GET", "POST"])
def notice_settings(request: AuthenticatedRequest) -> HttpResponse:
    coaches = CoachGrant.objects.filter(coach=request.user).exists()
    form = NoticeSettingsForm(request.POST or None, user=request.user, coaches=coaches)
    if request.method == "POST" and form.is_valid():
        changed = notices_set(user=request.user, choices=form.cleaned_data)
        if changed:
            messages.success(request, "Your notification settings are saved.")
        else:
            messages.info(request, "Nothing to save: your settings were already like that.")
        return redirect("notice_settings")
    return TemplateResponse(
        request,
        "decisions/notice_settings.html",
        {"form": form, "coaches": coaches},
        status=error_status(form),
    )


# A mail program that offers one-click unsubscribing (RFC 8058) posts to the link with
# no page and no cookie: the signed token is the whole authority, so no CSRF token.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """Stop one kind of notification mail, from a mail's link, logged in or not. GET
    asks (a link checker that opens every link must not unsubscribe anyone); POST does."""
    found = notifications.read_unsubscribe_token(token)
    user = User.objects.filter(pk=found[0]).first() if found else None
    if found is None or user is None:
        return TemplateResponse(
            request,
            "decisions/unsubscribe.html",
            {"kind": None, "done": False},
            status=HTTPStatus.NOT_FOUND,
        )
    kind = found[1]
    done = request.method == "POST"
    if done:
        notice_set(user=user, kind=kind, often=NoticeSetting.Often.NEVER)
    return TemplateResponse(
        request,
        "decisions/unsubscribe.html",
        {"kind": Notice(kind).label, "done": done, "token": token},
    )
