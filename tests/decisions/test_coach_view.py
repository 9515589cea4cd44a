"""The coach's projection, end to end: every coach page, fragment and PDF is rendered
from it, and none of them shows a private entry or a hidden pay figure."""

from __future__ import annotations

import io
from dataclasses import replace
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from decisions import kinds, services
from decisions.models import CoachGrant, Decision
from offerdesk.accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PRIVATE_TEXT = "PRIVATEFJORD"
SHARED_TEXT = "SHAREDHARBOUR"
# Every pay figure of the scenario, as the pages and the log may write it.
PAY_FIGURES = (
    "123456",
    "123,456",  # the offer's first salary, in the log's before
    "124680",
    "124,680",  # the salary after the change: the offer's pay, the snapshot
    "97531",
    "97,531",  # the pay criterion's floor
    "186420",
    "186,420",  # and its target
    "98000",
    "98,000",  # the floor suggested from the first offer's pay, before those were set
    "160000",
    "160,000",  # and the target suggested with it
)


def _squeezed(text: str) -> str:
    # PDF text extraction may split a word where the font kerns it; compare without spaces.
    return "".join(text.split())


def _leaks(text: str) -> list[str]:
    text = _squeezed(text)
    return [figure for figure in (PRIVATE_TEXT, *PAY_FIGURES) if figure in text]


def _pdf_text(response) -> str:
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return _squeezed("".join(page.extract_text() for page in reader.pages))


@pytest.fixture
def coach(db: None) -> User:
    return UserFactory(username="thecoach")


@pytest.fixture
def coach_client(coach: User) -> Client:
    browser = Client()
    browser.force_login(coach)
    return browser


@pytest.fixture
def story(user: User, decision: Decision, coach: User) -> CoachGrant:
    """A decided search with private words, pay changes and a pay floor; the coach's
    grant hides pay."""
    _, token = services.invitation_create(
        client=user,
        email=coach.email,
        hide_compensation=True,
        accept_url=lambda token: f"http://testserver/coach/accept/{token}/",
    )
    grant = services.invitation_accept(token=token, coach=coach)
    data = services.OfferData(
        currency="EUR", company="Paycheck", role="Staff Engineer", base_salary=Decimal(123_456)
    )
    offer = services.offer_create(decision=decision, actor=user, data=data)
    services.offer_update(offer=offer, actor=user, data=replace(data, base_salary=Decimal(124_680)))
    services.offer_create(
        decision=decision,
        actor=user,
        data=services.OfferData(
            currency="EUR", company="Modest", role="Engineer", base_salary=Decimal(50_000)
        ),
    )
    salary = decision.criteria.get(name="Salary")
    services.criterion_update(
        criterion=salary,
        actor=user,
        data=services.CriterionData(
            name="Salary",
            kind=kinds.TOTAL_COMP,
            weight=salary.weight,
            floor=Decimal(97_531),
            target=Decimal(186_420),
        ),
    )
    services.reflection_add(
        decision=decision, actor=user, kind="goal", body=PRIVATE_TEXT, private=True
    )
    services.reflection_add(decision=decision, actor=user, kind="goal", body=SHARED_TEXT)
    services.decision_decide(
        decision=decision,
        actor=user,
        chosen_offer=offer,
        why="The team",
        confidence=70,
        review_on=None,
    )
    return grant


def _coach_pages(coach_client: Client, decision: Decision) -> dict[str, str]:
    review = reverse("coach:review", args=[decision.pk])
    pages = {
        "review": coach_client.get(review),
        "review goals": coach_client.get(review, {"kind": "goal"}),
        "review offers changed": coach_client.get(review, {"kind": "offer_changed"}),
        "review decided": coach_client.get(review, {"kind": "decided"}),
        "log fragment": coach_client.get(review, headers={"HX-Request": "true"}),
    }
    for name, response in pages.items():
        assert response.status_code == HTTPStatus.OK, name
    assert pages["log fragment"].template_name == "decisions/_log_body.html"
    texts = {name: response.content.decode() for name, response in pages.items()}
    texts["report"] = _pdf_text(coach_client.get(reverse("coach:report", args=[decision.pk])))
    return texts


def test_no_coach_page_fragment_or_pdf_shows_private_text_or_hidden_pay(
    coach_client: Client, story: CoachGrant, decision: Decision
):
    for name, text in _coach_pages(coach_client, decision).items():
        assert _leaks(text) == [], name
        # No sentence of the ranking states an amount: no currency sign at all.
        assert "€" not in text, name
    review = coach_client.get(reverse("coach:review", args=[decision.pk])).content.decode()
    assert SHARED_TEXT in review
    assert "pay figures hidden at your client’s request" in review
    assert (
        "figures hidden"
        in coach_client.get(
            reverse("coach:review", args=[decision.pk]), {"kind": "offer_changed"}
        ).content.decode()
    )


def test_the_coach_sees_pay_when_the_grant_shows_it(
    coach_client: Client, story: CoachGrant, decision: Decision, user: User
):
    services.grant_update(grant=story, actor=user, hide_compensation=False)
    texts = _coach_pages(coach_client, decision)
    for name in ("review", "report"):
        assert "124,680" in _squeezed(texts[name]), name
        assert PRIVATE_TEXT not in texts[name], name
    changes = _squeezed(texts["review offers changed"])
    assert "123,456→<strong>124,680</strong>" in changes
    assert "figures hidden" not in texts["review offers changed"]


def test_the_candidate_sees_everything_on_their_own_pages(
    owner_client: Client, story: CoachGrant, decision: Decision
):
    log_url = reverse("decisions:log", args=[decision.pk])
    log = _squeezed(owner_client.get(log_url).content.decode())
    for figure in ("123,456", "124,680", "97,531", "186,420", PRIVATE_TEXT):
        assert figure in log
    fragment = owner_client.get(log_url, {"kind": "goal"}, headers={"HX-Request": "true"})
    assert fragment.template_name == "decisions/_log_body.html"
    assert PRIVATE_TEXT in fragment.content.decode()
    report = _pdf_text(owner_client.get(reverse("decisions:report", args=[decision.pk])))
    assert PRIVATE_TEXT in report
    assert "124,680" in report
    compare = owner_client.get(reverse("decisions:compare", args=[decision.pk]))
    assert "€124,680" in compare.content.decode()


def test_the_coachs_review_holds_only_the_projection(
    coach_client: Client, story: CoachGrant, decision: Decision
):
    response = coach_client.get(reverse("coach:review", args=[decision.pk]))
    view = response.context_data["view"]
    assert view.for_coach
    assert not view.pay_shown
    assert response.context_data["comparison"] is view.comparison
    assert "hide_money" not in response.context_data
    assert all(row.offer.base_salary is None for row in view.comparison.rows)
    # Following a row's offer back to its decision finds the redacted copy, not the row.
    for row in view.comparison.rows:
        snapshot = row.offer.decision.decided_snapshot
        assert all("pay_first_year" not in offer for offer in snapshot["offers"])
    assert view.record.reason == "The team"
    assert view.record.confidence == 70


def test_the_candidate_never_receives_a_coach_fragment_of_someone_else(
    client: Client, story: CoachGrant, decision: Decision
):
    client.force_login(UserFactory())
    response = client.get(
        reverse("coach:review", args=[decision.pk]), headers={"HX-Request": "true"}
    )
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_an_amount_criterions_ratings_stay_hidden_in_the_log_when_pay_is(
    coach_client: Client, story: CoachGrant, decision: Decision, user: User
):
    """The compare page hides every amount criterion's values from such a coach; the
    'Ratings changed' entries used to print them."""
    bonus = services.criterion_add(
        decision=decision,
        actor=user,
        data=services.CriterionData(
            name="Relocation", kind=kinds.AMOUNT, weight=10, floor=Decimal(0), target=Decimal(9_000)
        ),
    )
    offer = decision.offers.get(company="Paycheck")
    services.ratings_save(
        decision=decision,
        actor=user,
        cells=[
            services.RatingInput(
                offer_id=offer.pk, criterion_id=bonus.pk, value=Decimal(4_321), note="Paid once"
            )
        ],
    )
    texts = _coach_pages(coach_client, decision)
    for name in ("review", "report"):
        assert "4,321" not in _squeezed(texts[name]), name
        assert "4321" not in texts[name], name
    assert "(figure hidden)" in texts["review"]
    assert "Paid once" in texts["review"]
    services.grant_update(grant=story, actor=user, hide_compensation=False)
    shown = _coach_pages(coach_client, decision)["review"]
    assert "Relocation: — → <strong>4321</strong>" in shown
