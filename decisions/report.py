"""The decision report as a PDF: goals, offers, weights, ranking, record and log."""

from __future__ import annotations

import re

from django.template.loader import render_to_string
from django.utils import timezone

from decisions.models import Decision
from decisions.selectors import by_day, comparison
from messaging.pdf import render_pdf

# The newest entries that fit a readable report; the rest stay in the app.
REPORT_ENTRIES = 300


def report_filename(decision: Decision) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", decision.title.lower()).strip("-")[:40] or "decision"
    return f"report-{slug}-{timezone.localdate().isoformat()}.pdf"


def report_pdf(decision: Decision, *, for_coach: bool, hide_money: bool, paper_size: str) -> bytes:
    """Render the report. A coach's copy leaves out private entries, and pay figures
    when the candidate asked; the candidate's own copy holds everything."""
    entries = decision.log_entries.select_related("author")
    if for_coach:
        entries = entries.for_coach()
    total = entries.count()
    shown = list(entries[:REPORT_ENTRIES])
    html = render_to_string(
        "decisions/report_pdf.html",
        {
            "decision": decision,
            "offers": list(decision.offers.all()),
            "comparison": comparison(decision),
            "days": by_day(shown),
            "earlier": total - len(shown),
            "for_coach": for_coach,
            "hide_money": hide_money,
            "read_only": True,
            "paper_size": paper_size,
            "today": timezone.localdate(),
        },
    )
    return render_pdf(html)
