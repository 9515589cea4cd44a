from __future__ import annotations

from typing import Any

from allauth.account.forms import (
    AddEmailForm,
    ChangeEmailForm,
    ChangePasswordForm,
    LoginForm,
    ReauthenticateForm,
    ResetPasswordForm,
    ResetPasswordKeyForm,
    SetPasswordForm,
    SignupForm,
)
from django import forms

from offerdesk.accounts.models import User
from offerdesk.accounts.services import PROFILE_FIELDS, ProfileData
from offerdesk.forms import DataForm

# Django's own help text for passwords is lazy HTML that Jinja2 would escape; ours is
# plain text in our own words.
PASSWORD_HELP = (
    "At least 8 characters. Avoid common passwords, only digits, "
    "or anything close to your username or e-mail."
)


class _OurWords:
    """An allauth form with our labels and help in place of allauth's (its password
    help is HTML, which our templates would show as text), and no placeholders."""

    words: dict[str, tuple[str, str]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for name, field in self.fields.items():  # type: ignore[attr-defined]
            field.widget.attrs.pop("placeholder", None)
            if name in self.words:
                field.label, field.help_text = self.words[name]


NEW_PASSWORD = {
    "password1": ("New password", PASSWORD_HELP),
    "password2": ("New password again", "Type it once more to be sure."),
}
ADDRESS_HELP = "For password resets and coach invitations. Never shown to employers."


class OfferdeskSignupForm(_OurWords, SignupForm):
    words = {
        "email": ("E-mail address", ADDRESS_HELP),
        "username": (
            "Username",
            "You can log in with it or with your address. Letters, digits and @ . + - _ only.",
        ),
        "password1": ("Password", PASSWORD_HELP),
        "password2": ("Password again", "Type it once more to be sure."),
    }


class OfferdeskLoginForm(_OurWords, LoginForm):
    words = {
        "login": ("Username or e-mail address", ""),
        "password": ("Password", ""),
        "remember": ("Keep me logged in on this device", ""),
    }


class OfferdeskChangePasswordForm(_OurWords, ChangePasswordForm):
    words = {"oldpassword": ("Current password", ""), **NEW_PASSWORD}


class OfferdeskSetPasswordForm(_OurWords, SetPasswordForm):
    words = {
        "password1": ("Password", PASSWORD_HELP),
        "password2": ("Password again", "Type it once more to be sure."),
    }


class OfferdeskResetPasswordForm(_OurWords, ResetPasswordForm):
    words = {"email": ("E-mail address", "The address you signed up with.")}


class OfferdeskResetPasswordKeyForm(_OurWords, ResetPasswordKeyForm):
    words = NEW_PASSWORD


class OfferdeskChangeEmailForm(_OurWords, ChangeEmailForm):
    words = {"email": ("New e-mail address", ADDRESS_HELP)}


class OfferdeskAddEmailForm(_OurWords, AddEmailForm):
    words = {"email": ("E-mail address", ADDRESS_HELP)}


class OfferdeskReauthenticateForm(_OurWords, ReauthenticateForm):
    words = {"password": ("Your password", "")}


class ProfileForm(DataForm[ProfileData]):
    """Validates a profile against the model; ``profile_update`` saves it."""

    data_class = ProfileData

    class Meta:
        model = User
        fields = PROFILE_FIELDS
        widgets = {
            "postal_address": forms.Textarea(attrs={"rows": 4}),
            "signature": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, row=user, **kwargs)


class ImportForm(forms.Form):
    file = forms.FileField(
        label="An Offerdesk export (.json)",
        help_text="Imports into an account that has no decisions yet. Nothing is saved if "
        "anything in the file is wrong.",
    )

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > 20 * 1024 * 1024:
            raise forms.ValidationError("That file is larger than any export could be (20 MB).")
        try:
            return upload.read().decode("utf-8")
        except UnicodeDecodeError as error:
            raise forms.ValidationError("That file is not text.") from error


class DeleteAccountForm(forms.Form):
    confirm = forms.BooleanField(
        label="I understand that my decisions, letters and notes are deleted for good",
        error_messages={"required": "Tick the box to confirm; nothing is deleted until you do."},
    )
