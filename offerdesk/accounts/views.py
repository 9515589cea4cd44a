from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods

from offerdesk.accounts.forms import OfferdeskPasswordChangeForm, ProfileForm, SignUpForm
from offerdesk.accounts.services import profile_update, user_create
from offerdesk.forms import error_status, service_errors
from offerdesk.http import AuthenticatedRequest, HtmxHttpRequest


@require_http_methods(["GET", "POST"])
def signup(request: HtmxHttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("decisions:list")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = user_create(
            username=form.cleaned_data["username"],
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome to Offerdesk, {user.username}.")
        next_url = request.POST.get("next") or request.GET.get("next", "")
        if url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return redirect(next_url)
        return redirect("decisions:list")
    return TemplateResponse(
        request, "accounts/signup.html", {"form": form, "next": request.GET.get("next", "")}
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: AuthenticatedRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            profile_update(user=request.user, data=form.to_data())
            messages.success(request, "Your profile is saved.")
            return redirect("profile")
    return TemplateResponse(
        request, "accounts/profile.html", {"form": form}, status=error_status(form)
    )


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: AuthenticatedRequest) -> HttpResponse:
    form = OfferdeskPasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        # Keeps this session signed in; every other session of the user ends,
        # because their stored password hash no longer matches.
        update_session_auth_hash(request, user)
        messages.success(request, "Your password is changed. Other devices are signed out.")
        return redirect("profile")
    return TemplateResponse(request, "accounts/password_change.html", {"form": form})


@login_required
@require_GET
def session(request: AuthenticatedRequest) -> HttpResponse:
    """Who is signed in, in one line: a cheap check that a session still works, and the
    floor that ``make bench`` measures signed-in pages against."""
    return TemplateResponse(request, "accounts/session.txt", {}, content_type="text/plain")
