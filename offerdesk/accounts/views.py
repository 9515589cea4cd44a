from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET, require_http_methods

from offerdesk.accounts import services
from offerdesk.accounts.forms import ProfileForm
from offerdesk.forms import error_status, service_errors
from offerdesk.http import AuthenticatedRequest


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: AuthenticatedRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            services.profile_update(user=request.user, data=form.to_data())
            messages.success(request, "Your profile is saved.")
            return redirect("profile")
    return TemplateResponse(
        request,
        "accounts/profile.html",
        {"form": form, "email_verified": services.has_verified_email(request.user)},
        status=error_status(form),
    )


@login_required
@require_GET
def session(request: AuthenticatedRequest) -> HttpResponse:
    """Who is signed in, in one line: a cheap check that a session still works, and the
    floor that ``make bench`` measures signed-in pages against."""
    return TemplateResponse(request, "accounts/session.txt", {}, content_type="text/plain")
