from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "offerdesk.accounts"
    label = "accounts"
    verbose_name = "Accounts"
