from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm, UserCreationForm

from offerdesk.accounts.models import User
from offerdesk.accounts.services import PROFILE_FIELDS, ProfileData
from offerdesk.forms import DataForm

# Django's own help text for passwords is lazy HTML that Jinja2 would escape; ours is
# plain text in our own words.
PASSWORD_HELP = (
    "At least 8 characters. Avoid common passwords, only digits, "
    "or anything close to your username or e-mail."
)


class _AddressNotChecked:
    """Leaves out the model's check that no other account has the address, which would
    tell anyone whose address has an account; the services handle a taken one by mail.
    (The form field has checked the address itself.)"""

    def _get_validation_exclusions(self) -> set[str]:
        return super()._get_validation_exclusions() | {"email"}  # type: ignore[misc]


class SignUpForm(_AddressNotChecked, UserCreationForm):
    email = forms.EmailField(
        label="E-mail address",
        help_text="For password resets and coach invitations. Never shown to employers.",
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email")
        help_texts = {"username": "You log in with it. Letters, digits and @ . + - _ only."}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password1"].help_text = PASSWORD_HELP
        self.fields["password2"].help_text = "Type it once more to be sure."

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip()


class OfferdeskPasswordChangeForm(PasswordChangeForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = PASSWORD_HELP


class OfferdeskSetPasswordForm(SetPasswordForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = PASSWORD_HELP


class ProfileForm(_AddressNotChecked, DataForm[ProfileData]):
    """Validates a profile against the model; ``profile_update`` saves it, and a new
    address waits for ``email_change_request``'s confirmation."""

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

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip()


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
    password = forms.CharField(
        label="Your password, to confirm", widget=forms.PasswordInput, strip=False
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password.", code="wrong_password")
        return password
