from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower

from offerdesk.validators import single_line


class User(AbstractUser):
    """A person who signs in: a candidate, a coach, or both.

    The profile fields live on the user itself; letters need them on every
    render and a separate table would only add a join.
    """

    class PaperSize(models.TextChoices):
        A4 = "a4", "A4"
        LETTER = "letter", "US Letter"

    email = models.EmailField("e-mail address", max_length=254)
    full_name = models.CharField(
        max_length=150,
        blank=True,
        help_text="As it should appear under your letters.",
        validators=[single_line],
    )
    postal_address = models.TextField(
        max_length=500, blank=True, help_text="Printed in the sender block of PDF letters."
    )
    phone = models.CharField(max_length=40, blank=True, validators=[single_line])
    signature = models.TextField(
        max_length=500,
        blank=True,
        help_text="Closes your messages, e.g. your name, title and phone number.",
    )
    paper_size = models.CharField(max_length=6, choices=PaperSize.choices, default=PaperSize.A4)

    REQUIRED_FIELDS = ["email"]

    class Meta:
        # Not unique: django-allauth's e-mail records say which account has checked an
        # address (only one can), and a sign-up with a taken address makes a new,
        # unchecked account rather than saying the address is taken (settings.py).
        indexes = [models.Index(Lower("email"), name="accounts_user_email_ci")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(paper_size__in=["a4", "letter"]),
                name="accounts_user_paper_size_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.full_name or self.username


class Attempt(models.Model):
    """One use of a limited action (an invitation sent, ...) by one
    key (a user, an address, a client IP), kept only as long as its limit looks back.

    The key is stored as a hash: the table says how often, never who or which address.
    See ``offerdesk/accounts/throttle.py``.
    """

    action = models.CharField(max_length=30)
    key_hash = models.CharField(max_length=64)
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["action", "key_hash", "at"], name="attempt_lookup")]

    def __str__(self) -> str:
        return f"{self.action} at {self.at:%Y-%m-%d %H:%M}"
