from __future__ import annotations

from django import forms
from django.contrib.auth.forms import UserCreationForm

from offerdesk.accounts.models import User


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

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if _email_taken(email):
            raise forms.ValidationError("An account with this e-mail address already exists.")
        return email


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ("full_name", "email", "phone", "postal_address", "signature", "paper_size")
        widgets = {
            "postal_address": forms.Textarea(attrs={"rows": 4}),
            "signature": forms.Textarea(attrs={"rows": 3}),
        }

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if _email_taken(email, exclude_pk=self.instance.pk):
            raise forms.ValidationError("Another account already uses this e-mail address.")
        return email
