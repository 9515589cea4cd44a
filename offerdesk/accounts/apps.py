from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "offerdesk.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        # Connects the signals that run work after a response (password-reset mail).
        from offerdesk import after_response  # noqa: F401
