from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from decisions.services.notifications import digests_send


class Command(BaseCommand):
    help = "Mail each person the notifications that wait for their daily digest (run daily)."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = digests_send()
        self.stdout.write(f"Queued {sent} digest mail{'s' if sent != 1 else ''}.")
