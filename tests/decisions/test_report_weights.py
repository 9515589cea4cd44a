"""The report says where the weights came from: the sliders, a wizard, or the start."""

from __future__ import annotations

import pytest

from decisions.models import Decision, LogEntry
from decisions.report import report_html, report_view
from decisions.selectors import weights_origin

pytestmark = pytest.mark.django_db


def _weights_changed(decision: Decision, **data) -> LogEntry:
    return LogEntry.objects.create(
        decision=decision, kind=LogEntry.Kind.WEIGHTS_CHANGED, summary="Weights changed", data=data
    )


def test_untouched_weights_are_the_starting_ones(decision: Decision):
    origin = weights_origin(decision)
    assert origin.words == "as they were when the decision was started, not changed since"
    assert origin.on is None


def test_an_entry_from_before_the_wizards_reads_as_the_sliders(decision: Decision):
    _weights_changed(decision, weights_after={})
    assert weights_origin(decision).words == "set with the sliders"


def test_the_latest_change_names_the_origin_and_a_pairwise_ratio(decision: Decision):
    _weights_changed(decision, origin="swing")
    _weights_changed(decision, origin="pairwise", wizard={"consistency_ratio": 0.04})
    origin = weights_origin(decision)
    assert (origin.words, origin.consistency_ratio) == ("from the pairwise wizard", 0.04)
    html = report_html(report_view(decision), paper_size="a4")
    assert "Weights from the pairwise wizard on " in html
    assert "(consistency ratio 0.04)." in html


def test_a_damaged_entry_still_reads(decision: Decision):
    _weights_changed(decision, origin="moon", wizard={"consistency_ratio": "high"})
    origin = weights_origin(decision)
    assert (origin.words, origin.consistency_ratio) == ("set with the sliders", None)
