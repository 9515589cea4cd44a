from __future__ import annotations

from django.apps import AppConfig


class MessagingConfig(AppConfig):
    """Decline messages and their PDF letters (built on top of decisions)."""

    name = "messaging"
    verbose_name = "Messaging"
