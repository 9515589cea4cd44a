from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from decisions.portability import IMPORT_LIMITS
from offerdesk.accounts import throttle
from offerdesk.accounts.forms import DeleteAccountForm, ImportForm
from offerdesk.forms import error_status
from offerdesk.http import AuthenticatedRequest, HtmxHttpRequest, attachment
from offerdesk.portability import delete_account, export_user_data, import_user_data


@require_GET
def home(request: HtmxHttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("decisions:list")
    return TemplateResponse(request, "home.html", {})


@require_GET
def healthz(request: HtmxHttpRequest) -> HttpResponse:
    """Liveness for load balancers: answers through the whole middleware stack, no database."""
    return HttpResponse("ok", content_type="text/plain")


@login_required
@require_http_methods(["GET", "POST"])
def my_data(request: AuthenticatedRequest) -> HttpResponse:
    """Download everything, bring it back into an empty account, or delete it all."""
    import_form = ImportForm()
    delete_form = DeleteAccountForm(user=request.user)
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
    elif request.method == "POST" and request.POST.get("action") == "delete":
        if locked := throttle.password_lockout(request):
            return locked
        delete_form = DeleteAccountForm(request.POST, user=request.user)
        if delete_form.has_error("password", "wrong_password") and (
            locked := throttle.password_failed(request)
        ):
            return locked
        if delete_form.is_valid():
            user = request.user
            logout(request)
            delete_account(user)
            messages.success(request, "Your account and everything in it are deleted. Good luck.")
            return redirect("home")
    return TemplateResponse(
        request,
        "accounts/data.html",
        {"import_form": import_form, "delete_form": delete_form, "limits": IMPORT_LIMITS},
        status=max(error_status(import_form), error_status(delete_form)),
    )


@login_required
@require_GET
def export(request: AuthenticatedRequest) -> HttpResponse:
    """Everything the user owns as one JSON file, named for them and the day."""
    filename = f"offerdesk-{request.user.username}-{timezone.localdate().isoformat()}.json"
    return attachment(export_user_data(request.user), "application/json; charset=utf-8", filename)
