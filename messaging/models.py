from __future__ import annotations

from django.db import models
from django.urls import reverse

from decisions.models import Offer
from messaging.compose import (
    CANDIDATE_REASONS,
    DIRECTIONS,
    EMPLOYER_REASONS,
    FUTURES,
    MAX_BODY_CHARS,
    MEDIA,
    TONES,
)
from messaging.purposes import DECLINE, PURPOSES
from offerdesk.validators import single_line

REASONS = {**CANDIDATE_REASONS, **EMPLOYER_REASONS}


class Message(models.Model):
    """The draft, then the sent record, of one message to an offer's employer: the "no",
    or another of ``messaging.purposes`` (an acceptance, a counter-ask ...).

    The choices say how the text was generated (``details`` holds the purpose's own:
    an amount, a date); ``body`` and ``subject`` are what the candidate will send, edits
    included (``edited`` then guards them from regeneration). One per offer and purpose.
    """

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="messages")
    purpose = models.CharField(
        max_length=16, choices=[(p.code, p.label) for p in PURPOSES.values()], default=DECLINE
    )
    details = models.JSONField(default=dict, blank=True)
    direction = models.CharField(max_length=10, choices=DIRECTIONS.items(), default="candidate")
    medium = models.CharField(max_length=10, choices=MEDIA.items(), default="email")
    tone = models.CharField(max_length=10, choices=TONES.items(), default="warm")
    gratitude = models.BooleanField("thank them", default=True)
    decision = models.BooleanField("a clear decision", default=True)
    reason = models.BooleanField("give a reason", default=True)
    future = models.BooleanField("future relations", default=True)
    future_mode = models.CharField(max_length=10, choices=FUTURES.items(), default="open")
    reason_choice = models.CharField(
        "reason", max_length=20, choices=REASONS.items(), default="accepted_other"
    )
    reason_detail = models.CharField(
        "in your own words (optional)",
        max_length=500,
        blank=True,
        help_text="Added after the reason exactly as you type it.",
    )
    recipient_name = models.CharField(max_length=120, blank=True, validators=[single_line])
    subject = models.CharField(max_length=200, blank=True, validators=[single_line])
    body = models.TextField(max_length=MAX_BODY_CHARS, blank=True)
    edited = models.BooleanField(default=False)
    sent_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["offer", "purpose"], name="message_one_per_purpose"),
            models.CheckConstraint(
                condition=models.Q(purpose__in=list(PURPOSES)), name="message_purpose_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(medium__in=list(MEDIA)), name="message_medium_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(tone__in=list(TONES)), name="message_tone_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(direction__in=list(DIRECTIONS)), name="message_direction_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(future_mode__in=list(FUTURES)), name="message_future_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(reason_choice__in=list(REASONS)), name="message_reason_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{PURPOSES[self.purpose].label}: {self.offer}"

    def get_absolute_url(self) -> str:
        return reverse(
            "messaging:compose",
            args=[self.offer.decision_id, self.offer_id, PURPOSES[self.purpose].slug],
        )
