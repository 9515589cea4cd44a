from __future__ import annotations

from axes.utils import reset as axes_reset
from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods

from offerdesk.accounts import services, throttle
from offerdesk.accounts.forms import OfferdeskPasswordChangeForm, ProfileForm, SignUpForm
from offerdesk.after_response import after_response
from offerdesk.forms import error_status, service_errors
from offerdesk.http import AuthenticatedRequest, HtmxHttpRequest


@require_http_methods(["GET", "POST"])
def signup(request: HtmxHttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("decisions:list")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        throttle.spend(throttle.SIGNUPS_PER_IP, throttle.client_ip(request))
        with service_errors(form):
            user = services.user_create(
                username=form.cleaned_data["username"],
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password1"],
                login_url=request.build_absolute_uri(reverse("login")),
                reset_url=request.build_absolute_uri(reverse("password_reset")),
            )
            if user is None:
                # The address has an account; its owner is told by mail, not this page.
                return TemplateResponse(
                    request,
                    "accounts/signup_check_inbox.html",
                    {"email": form.cleaned_data["email"]},
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
        request,
        "accounts/signup.html",
        {"form": form, "next": request.GET.get("next", "")},
        status=error_status(form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: AuthenticatedRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            data = form.to_data()
            new_address = data.email.casefold() != request.user.email.casefold()
            if new_address:
                throttle.spend(throttle.EMAIL_CHANGES_PER_USER, str(request.user.pk))
            services.profile_update(user=request.user, data=data)
            if new_address:
                services.email_change_request(
                    user=request.user,
                    email=data.email,
                    confirm_url=lambda token: request.build_absolute_uri(
                        reverse("email_confirm", args=[token])
                    ),
                )
                messages.success(
                    request,
                    f"Your profile is saved. To use {data.email}, follow the link we sent "
                    "there; until then your address stays as it was.",
                )
            else:
                messages.success(request, "Your profile is saved.")
            return redirect("profile")
    return TemplateResponse(
        request, "accounts/profile.html", {"form": form}, status=error_status(form)
    )


@login_required
@require_http_methods(["GET", "POST"])
def email_confirm(request: AuthenticatedRequest, token: str) -> HttpResponse:
    """Confirm a new address from the link mailed to it: a page, then a POST."""
    try:
        email = services.email_change_target(user=request.user, token=token)
        if request.method == "POST":
            user = services.email_change_confirm(user=request.user, token=token)
            messages.success(request, f"Your address is now {user.email}.")
            return redirect("profile")
    except ValidationError as error:
        return TemplateResponse(
            request,
            "accounts/email_confirm.html",
            {"error": " ".join(error.messages), "email": ""},
            status=400,
        )
    return TemplateResponse(request, "accounts/email_confirm.html", {"error": "", "email": email})


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: AuthenticatedRequest) -> HttpResponse:
    """Change the password; a wrong current password counts as a failed login, so the
    form cannot be used to guess it (django-axes locks the pair as it does at login)."""
    if locked := throttle.password_lockout(request):
        return locked
    form = OfferdeskPasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        # Keeps this session signed in; every other session of the user ends,
        # because their stored password hash no longer matches.
        update_session_auth_hash(request, user)
        messages.success(request, "Your password is changed. Other devices are signed out.")
        return redirect("profile")
    if form.has_error("old_password", "password_incorrect") and (
        locked := throttle.password_failed(request)
    ):
        return locked
    return TemplateResponse(
        request, "accounts/password_change.html", {"form": form}, status=error_status(form)
    )


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset, limited per address and per client, with the mail sent after
    the response: an address with an account is answered as fast as one without."""

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        throttle.spend(throttle.RESETS_PER_IP, throttle.client_ip(self.request))
        success = HttpResponseRedirect(self.get_success_url())
        if not throttle.allows(throttle.RESETS_PER_ADDRESS, form.cleaned_data["email"]):
            # Answered as always, and nothing sent: a 429 here would let anyone keep
            # the address's owner from resetting their own password.
            return success
        options = {
            "use_https": self.request.is_secure(),
            "token_generator": self.token_generator,
            "from_email": self.from_email,
            "email_template_name": self.email_template_name,
            "subject_template_name": self.subject_template_name,
            "request": self.request,
            "html_email_template_name": self.html_email_template_name,
            "extra_email_context": self.extra_email_context,
        }
        after_response(lambda: form.save(**options))
        return success


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's reset link; a new password set from the mailbox also lifts a lock that
    wrong passwords put on the account, as the lockout page promises."""

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:
        response = super().form_valid(form)
        axes_reset(username=form.user.get_username())
        return response


@login_required
@require_GET
def session(request: AuthenticatedRequest) -> HttpResponse:
    """Who is signed in, in one line: a cheap check that a session still works, and the
    floor that ``make bench`` measures signed-in pages against."""
    return TemplateResponse(request, "accounts/session.txt", {}, content_type="text/plain")
