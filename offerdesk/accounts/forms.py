from __future__ import annotations

from typing import Any

from allauth.account.forms import LoginForm, SignupForm
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


class SignUpForm(SignupForm):
    """allauth's sign-up, in our words: an address, a username, a password twice."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = {
            "email": (
                "E-mail address",
                "For password resets and coach invitations. Never shown to employers.",
            ),
            "username": (
                "Username",
                "You can log in with it or with your address. Letters, digits and @ . + - _ only.",
            ),
            "password1": ("Password", PASSWORD_HELP),
            "password2": ("Password again", "Type it once more to be sure."),
        }
        for name, (label, help_text) in labels.items():
            if name in self.fields:
                self.fields[name].label = label
                self.fields[name].help_text = help_text
                self.fields[name].widget.attrs.pop("placeholder", None)


class OfferdeskLoginForm(LoginForm):
    """allauth's log-in, in our words."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["login"].label = "Username or e-mail address"
        self.fields["password"].help_text = ""
        for field in self.fields.values():
            field.widget.attrs.pop("placeholder", None)
        if "remember" in self.fields:
            self.fields["remember"].label = "Keep me logged in on this device"


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
