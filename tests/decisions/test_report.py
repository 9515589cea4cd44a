"""The decision report: rendered from a projection, so each copy holds what its reader may see."""

from __future__ import annotations

import io
import itertools
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from markupsafe import escape
from pypdf import PdfReader

from decisions import report, services
from decisions.models import (
    MAX_CRITERIA_PER_DECISION,
    MAX_OFFERS_PER_DECISION,
    CoachGrant,
    Decision,
    LogEntry,
)
from decisions.report import (
    ENTRY_LINES,
    LINE_CHARS,
    LOG_TEXT_CHARS,
    OTHER_SCRIPT_CHARS,
    RANKING_NAME_CHARS,
    REPORT_ENTRIES,
    REPORT_MAX_HTML_CHARS,
    REPORT_UNKNOWNS,
    SHORTENED,
    TEXT_SHORTENED,
    cut,
    report_filename,
    report_html,
    report_pdf,
    report_view,
    room_taken,
)
from offerdesk.accounts.models import User
from offerdesk.pdf import PdfError, render_pdf
from tests.factories import CriterionFactory, DecisionFactory, OfferFactory, UserFactory

pytestmark = pytest.mark.django_db

# How long a test lets a render run before calling it hung; speed is make bench's.
HANG_GUARD_SECONDS = 600


@pytest.fixture
def grant(user: User, decision: Decision) -> CoachGrant:
    return CoachGrant.objects.create(
        client=user, coach=UserFactory(), granted_at=timezone.now(), hide_compensation=True
    )


def test_the_filename_is_a_slug_of_the_title_and_the_date(user: User):
    decision = DecisionFactory(owner=user, title="Spring / Sommer ’27 — Berlin!")
    today = timezone.localdate().isoformat()
    assert report_filename(decision) == f"report-spring-sommer-27-berlin-{today}.pdf"


def test_the_owners_copy_holds_private_entries_and_pay(decision: Decision, user: User):
    OfferFactory(decision=decision, company="Paycheck", base_salary=Decimal(123_456))
    services.reflection_add(decision=decision, actor=user, kind="goal", body="MINE", private=True)
    html = report_html(report_view(decision), paper_size="a4")
    assert "personal copy" in html
    assert "MINE" in html
    assert "€123,456" in html


def test_the_coachs_copy_leaves_out_private_entries_and_hidden_pay(
    decision: Decision, user: User, grant: CoachGrant
):
    OfferFactory(decision=decision, company="Paycheck", base_salary=Decimal(123_456))
    services.reflection_add(decision=decision, actor=user, kind="goal", body="MINE", private=True)
    html = report_html(report_view(decision, grant), paper_size="a4")
    assert "coach’s copy" in html
    assert "Paycheck" in html
    assert "MINE" not in html
    assert "123,456" not in html
    assert "pay figures left out at the candidate’s request" in html


def test_the_report_keeps_the_newest_entries_and_counts_the_rest(decision: Decision, user: User):
    for _ in range(REPORT_ENTRIES + 2):
        services.reflection_add(decision=decision, actor=user, kind="goal", body="x")
    view = report_view(decision)
    assert len(view.log.entries) == REPORT_ENTRIES
    assert view.log.older == 3  # two goals and the "decision started" entry
    assert "… and 3 earlier entries" in report_html(view, paper_size="a4")


def test_the_pdf_is_a_pdf_of_that_html(decision: Decision):
    pdf = report_pdf(report_view(decision), paper_size="letter")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert decision.title in text


def test_a_failed_render_sends_the_candidate_back_with_a_message(
    owner_client: Client, decision: Decision, monkeypatch
):
    def fail(html: str, **limits: object) -> bytes:
        raise PdfError("no fonts")

    monkeypatch.setattr(report, "render_pdf", fail)
    response = owner_client.get(reverse("decisions:report", args=[decision.pk]), follow=True)
    assert response.status_code == HTTPStatus.OK
    assert "The report could not be prepared: no fonts" in response.content.decode()


def test_both_reports_state_the_claims_of_the_ranking(
    decision: Decision, user: User, grant: CoachGrant
):
    salary = decision.criteria.get(name="Salary")
    salary.floor, salary.target = Decimal(60_000), Decimal(120_000)
    salary.save()
    OfferFactory(decision=decision, company="Paycheck", base_salary=Decimal(110_000))
    OfferFactory(decision=decision, company="Modest", base_salary=Decimal(70_000))
    owner = report_view(decision)
    coach = report_view(decision, grant)
    owner_html = report_html(owner, paper_size="a4")
    coach_html = report_html(coach, paper_size="letter")
    for claim in owner.comparison.claims_of("lead", "drivers", "worth", "pay_to_overtake"):
        assert str(escape(claim.text)) in owner_html
    assert "With €" in owner_html
    for claim in coach.comparison.claims_of("lead", "drivers", "worth"):
        assert str(escape(claim.text)) in coach_html
    assert (
        "Salary (weight 30): going from your floor to your target is worth 30 points" in coach_html
    )
    assert "With €" not in coach_html


# Cut to print ----------------------------------------------------------------------


def test_cut_leaves_a_text_that_fits_and_ends_a_longer_one_at_a_word():
    assert cut("Short enough", 12) == "Short enough"
    assert cut("The pay is good and the team is kind", 20) == "The pay is good and…"


def test_cut_counts_characters_as_they_stand_escaped():
    assert cut("&" * 10, 21) == "&&&&…"  # four "&amp;" and the ellipsis


def test_a_line_break_or_a_character_the_print_fonts_lack_takes_more_room():
    assert room_taken("ab") == 2
    assert room_taken("a\nb") == 2 + LINE_CHARS
    assert room_taken("日本") == 2 * OTHER_SCRIPT_CHARS
    assert cut("one\ntwo\nthree", 2 * LINE_CHARS) == "one\ntwo…"


def test_a_short_log_prints_whole(decision: Decision, user: User):
    long = "I keep coming back to the team. " * 125
    services.reflection_add(decision=decision, actor=user, kind="goal", body=long)
    html = report_html(report_view(decision), paper_size="a4")
    assert str(escape(long.strip())) in html
    assert SHORTENED not in html


def test_a_long_log_prints_each_entry_shortened_and_says_so(decision: Decision, user: User):
    long = "I keep coming back to the team. " * 125
    LogEntry.objects.bulk_create(
        LogEntry(
            decision=decision, author=user, kind="goal", summary="Wrote down a goal", body=long
        )
        for _ in range(REPORT_ENTRIES)
    )
    html = report_html(report_view(decision), paper_size="a4")
    assert html.count(SHORTENED) == REPORT_ENTRIES
    printed = cut(long, LOG_TEXT_CHARS // REPORT_ENTRIES)
    assert printed.endswith("back to…")
    assert html.count(f"{printed}</p>") == REPORT_ENTRIES


def test_a_long_list_of_changes_prints_its_first_lines_and_counts_the_rest(
    decision: Decision, user: User
):
    offers = OfferFactory.create_batch(3, decision=decision)
    rated = [c for c in decision.criteria.all() if c.kind_spec.has_cell]
    services.ratings_save(
        decision=decision,
        actor=user,
        cells=[
            services.RatingInput(offer_id=offer.pk, criterion_id=criterion.pk, value=Decimal(7))
            for offer in offers
            for criterion in rated
        ],
    )
    html = report_html(report_view(decision), paper_size="a4")
    changes = len(offers) * len(rated)
    assert f"… and {changes - ENTRY_LINES} more changes {SHORTENED}" in html
    assert f"{offers[0].company} · {rated[0].name}: " in html


def test_the_ranking_lists_a_few_unknown_values_and_counts_the_rest(decision: Decision):
    OfferFactory.create_batch(3, decision=decision)
    view = report_view(decision)
    unknowns = view.comparison.claims_of("unknown", "unknowns")
    assert len(unknowns) > REPORT_UNKNOWNS
    html = report_html(view, paper_size="a4")
    for claim in unknowns[:REPORT_UNKNOWNS]:
        assert str(escape(claim.text)) in html
    assert str(escape(unknowns[REPORT_UNKNOWNS].text)) not in html
    left = len(unknowns) - REPORT_UNKNOWNS
    assert f"… and {left} more unknown value{'s' if left != 1 else ''}" in html


def test_the_ranking_cuts_long_names_and_the_tables_above_it_print_them_whole(
    decision: Decision,
):
    company, criterion = "Northwind " * 12, "Time to get to the office and back, door to door"
    OfferFactory(decision=decision, company=company.strip())
    CriterionFactory(decision=decision, name=criterion)
    html = report_html(report_view(decision), paper_size="a4")
    assert f"<strong>{company.strip()}</strong>" in html  # the offers
    assert f"<td>{criterion}</td>" in html  # what matters
    assert f'<span class="strong">{cut(company, RANKING_NAME_CHARS)}</span>' in html


def test_goals_made_of_line_breaks_print_shortened_and_say_so(user: User):
    decision = DecisionFactory(owner=user, goals="a\n" * 2000)
    html = report_html(report_view(decision), paper_size="a4")
    assert ("a\n" * 300) in html
    assert ("a\n" * 400) not in html
    assert TEXT_SHORTENED in html


# The largest report the app allows ---------------------------------------------------


def _largest_decision(text: str) -> Decision:
    """A decision at every cap (25 offers, 25 criteria, 300 entries of the log), each
    text at its longest, made of ``text``, with each kind of entry whose data prints at
    the largest the services write it (a ratings save of the whole grid, a change of an
    offer's notes, a coach's comment ...)."""

    def longest(length: int) -> str:
        return (text * (length // len(text) + 1))[:length]

    owner = UserFactory(full_name=longest(150))
    decision = DecisionFactory(owner=owner, title=longest(120), goals=longest(4000))
    for position in range(decision.criteria.count(), MAX_CRITERIA_PER_DECISION):
        CriterionFactory(decision=decision, position=position, name=f"{position:02}{longest(58)}")
    offers = [
        OfferFactory(
            decision=decision,
            company=f"{number:02}{longest(118)}",
            role=longest(120),
            location=longest(120),
            notes=longest(4000),
        )
        for number in range(MAX_OFFERS_PER_DECISION)
    ]
    rated = [c for c in decision.criteria.all() if c.kind_spec.has_cell]
    Decision.objects.filter(pk=decision.pk).update(
        status=Decision.Status.DECIDED,
        chosen_offer=offers[0],
        decided_at=timezone.now(),
        decided_reason=longest(4000),
        confidence=60,
    )
    cell = {"value": "5", "high": "8", "note": longest(200)}
    changed = {"before": longest(4000), "after": longest(4000)}
    shapes = [
        {"kind": "reflection", "body": longest(4000), "data": {"question": longest(300)}},
        {"kind": "coach_comment", "body": longest(4000), "data": {}},
        {"kind": "decided", "data": {"why": longest(4000), "confidence": 60}},
        {
            "kind": "ratings_changed",
            "data": {
                "changes": [
                    {
                        "offer_label": offer.company,
                        "criterion_label": criterion.name,
                        "kind": criterion.kind,
                        "unit": "",
                        "before": cell,
                        "after": cell,
                    }
                    for offer in offers
                    for criterion in rated
                ]
            },
        },
        {"kind": "offer_changed", "data": {"changes": {"notes": changed, "company": changed}}},
        {"kind": "decision_changed", "data": {"changes": {"goals": changed}}},
        {
            "kind": "must_haves_changed",
            "data": {"changes": {"locations": {"before": [], "after": [longest(120)] * 50}}},
        },
        {
            "kind": "weights_changed",
            "data": {"changes": {c.name: {"before": 10, "after": 90} for c in rated}},
        },
    ]
    LogEntry.objects.bulk_create(
        LogEntry(decision=decision, author=owner, summary=longest(300), **shape)
        for shape in itertools.islice(itertools.cycle(shapes), REPORT_ENTRIES)
    )
    return decision


def test_the_largest_report_the_app_allows_prints_within_the_limits():
    # In CJK, which the print fonts lack: the costliest text to lay out.
    html = report_html(report_view(_largest_decision("日本語の文章です。")), paper_size="a4")
    # It fits the renderer's size limit and prints; how long it takes is make bench's
    # to measure (a timing here failed CI on a busy machine, in CPU seconds too, and
    # six times the serving limit failed under -n 8). The limit left is a hang guard.
    pdf = render_pdf(html, max_chars=REPORT_MAX_HTML_CHARS, seconds=HANG_GUARD_SECONDS)
    assert len(PdfReader(io.BytesIO(pdf)).pages) < 120


def test_the_largest_report_in_characters_that_escape_stays_inside_its_bound():
    html = report_html(report_view(_largest_decision("&<'\">")), paper_size="a4")
    assert len(html) < REPORT_MAX_HTML_CHARS * 0.6
