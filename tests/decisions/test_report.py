"""The decision report: rendered from a projection, so each copy holds what its reader may see."""

from __future__ import annotations

import io
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from markupsafe import escape
from pypdf import PdfReader

from decisions import report, services
from decisions.models import CoachGrant, Decision
from decisions.report import REPORT_ENTRIES, report_filename, report_html, report_pdf, report_view
from offerdesk.accounts.models import User
from offerdesk.pdf import PdfError
from tests.factories import DecisionFactory, OfferFactory, UserFactory

pytestmark = pytest.mark.django_db


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
    def fail(html: str) -> bytes:
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
