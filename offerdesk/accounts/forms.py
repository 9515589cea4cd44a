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


def _email_taken(email: str, *, exclude_pk: int | None = None) -> bool:
    return User.objects.filter(email__iexact=email).exclude(pk=exclude_pk).exists()


class SignUpForm(UserCreationForm):
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
        email = self.cleaned_data["email"].strip()
        if _email_taken(email):
            raise forms.ValidationError("An account with this e-mail address already exists.")
        return email


class OfferdeskPasswordChangeForm(PasswordChangeForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = PASSWORD_HELP


class OfferdeskSetPasswordForm(SetPasswordForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = PASSWORD_HELP


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

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if _email_taken(email, exclude_pk=self.instance.pk):
            raise forms.ValidationError("Another account already uses this e-mail address.")
        return email


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
            raise forms.ValidationError("That is not your password.")
        return password
