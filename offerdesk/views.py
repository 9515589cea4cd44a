from __future__ import annotations

from allauth.account.decorators import reauthentication_required
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from decisions.management.commands.seed_demo import DEMO_PASSWORD, DEMO_USERNAME
from decisions.portability import IMPORT_LIMITS
from offerdesk.accounts.forms import DeleteAccountForm, ImportForm
from offerdesk.accounts.models import User
from offerdesk.forms import error_status
from offerdesk.http import AuthenticatedRequest, HtmxHttpRequest, attachment
from offerdesk.portability import delete_account, export_user_data, import_user_data


@require_GET
def home(request: HtmxHttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("decisions:list")
    return TemplateResponse(request, "home.html", {"demo_login": _demo_login()})


def _demo_login() -> tuple[str, str] | None:
    """The demo account's login, to show a visitor: only in development, where
    ``make run`` seeds it. A real site (DEBUG off) never shows one, even where someone
    ran seed_demo."""
    if not settings.DEBUG or not User.objects.filter(username=DEMO_USERNAME).exists():
        return None
    return DEMO_USERNAME, DEMO_PASSWORD


def rate_limited(request: HtmxHttpRequest, exception: Exception | None = None) -> HttpResponse:
    """django-allauth's answer past one of its rate limits (settings.ACCOUNT_RATE_LIMITS),
    on our 429 page; it recovers by itself once the limit's window has passed."""
    # No Retry-After: allauth does not say which limit, and its windows run from a
    # minute to an hour.
    return TemplateResponse(request, "429.html", {"limit": None, "minutes": 0}, status=429).render()


@require_GET
def healthz(request: HtmxHttpRequest) -> HttpResponse:
    """Liveness for load balancers: answers through the whole middleware stack, no database."""
    return HttpResponse("ok", content_type="text/plain")


@login_required
@require_http_methods(["GET", "POST"])
def my_data(request: AuthenticatedRequest) -> HttpResponse:
    """Download everything, bring it back into an empty account, or delete it all."""
    import_form = ImportForm()
    if request.method == "POST" and request.POST.get("action") == "import":
        import_form = ImportForm(request.POST, request.FILES)
        if import_form.is_valid():
            try:
                imported = import_user_data(request.user, import_form.cleaned_data["file"])
            except ValidationError as error:
                import_form.add_error("file", error.messages)
            else:
                messages.success(request, imported.summary)
                return redirect("decisions:list")
    return TemplateResponse(
        request,
        "accounts/data.html",
        {"import_form": import_form, "delete_form": DeleteAccountForm(), "limits": IMPORT_LIMITS},
        status=error_status(import_form),
    )


@login_required
@require_POST
def account_delete(request: AuthenticatedRequest) -> HttpResponse:
    """Delete the account and everything in it: the box ticked first, then the password
    (or a second factor or passkey) again unless it was given in the last few minutes;
    the request then resumes here."""
    form = DeleteAccountForm(request.POST)
    if not form.is_valid():
        return TemplateResponse(
            request,
            "accounts/data.html",
            {"import_form": ImportForm(), "delete_form": form, "limits": IMPORT_LIMITS},
            status=400,
        )
    return _delete_confirmed(request)


@reauthentication_required
def _delete_confirmed(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    logout(request)
    delete_account(user)
    messages.success(request, "Your account and everything in it are deleted. Good luck.")
    return redirect("home")


@login_required
@require_GET
def export(request: AuthenticatedRequest) -> HttpResponse:
    """Everything the user owns as one JSON file, named for them and the day."""
    filename = f"offerdesk-{request.user.username}-{timezone.localdate().isoformat()}.json"
    return attachment(export_user_data(request.user), "application/json; charset=utf-8", filename)
