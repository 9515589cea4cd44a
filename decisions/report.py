"""The decision report as a PDF: goals, offers, weights, ranking, record and log.

It renders a ``selectors.DecisionView`` and nothing else, so the candidate's copy and a
coach's copy differ only by what their projection holds.
"""

from __future__ import annotations

import re

from django.template.loader import render_to_string
from django.utils import timezone

from decisions.models import CoachGrant, Decision
from decisions.selectors import DecisionView, coach_view, owner_view
from offerdesk.pdf import render_pdf

# The newest entries that fit a readable report; the rest stay in the app.
REPORT_ENTRIES = 300


def report_filename(decision: Decision) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", decision.title.lower()).strip("-")[:40] or "decision"
    return f"report-{slug}-{timezone.localdate().isoformat()}.pdf"


def report_view(decision: Decision, grant: CoachGrant | None = None) -> DecisionView:
    """The projection a report renders: the owner's, or the coach's of ``grant``, with
    the newest ``REPORT_ENTRIES`` entries of the log."""
    if grant is None:
        return owner_view(decision, page_size=REPORT_ENTRIES)
    return coach_view(decision, grant, page_size=REPORT_ENTRIES)


def report_html(view: DecisionView, *, paper_size: str) -> str:
    """The report's HTML for ``view``; holds exactly what the projection holds."""
    return render_to_string(
        "decisions/report_pdf.html",
        {
            "view": view,
            "decision": view.decision,
            "comparison": view.comparison,
            "read_only": True,
            "paper_size": paper_size,
            "today": timezone.localdate(),
        },
    )


def report_pdf(view: DecisionView, *, paper_size: str) -> bytes:
    """Render the report of ``view`` as PDF bytes; ``offerdesk.pdf.PdfError`` when the
    renderer fails."""
    return render_pdf(report_html(view, paper_size=paper_size))
