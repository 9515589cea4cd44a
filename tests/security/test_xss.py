"""Hostile text in every user text field changes no page's structure.

Each page is parsed into its sequence of tags and attribute names, once with
plain words in every field and then with hostile strings; escaping is right when
the two sequences are identical. The .eml keeps the text literally, and the PDFs
gain no links, scripts or embedded files.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
from collections.abc import Callable
from decimal import Decimal
from html.parser import HTMLParser
from http import HTTPStatus
from itertools import count

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from decisions import kinds, services
from decisions.models import Criterion, Decision, Offer
from messaging import services as messaging_services
from messaging.compose import Choices
from tests.factories import UserFactory
from tests.security.xss_corpus import HOSTILE

pytestmark = pytest.mark.django_db


class _Structure(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.shape: list[tuple[str, ...]] = []

    def handle_starttag(self, tag, attrs):
        self.shape.append(("<", tag, *sorted(name for name, _ in attrs)))

    def handle_endtag(self, tag):
        self.shape.append(("/", tag))

    def handle_comment(self, data):
        self.shape.append(("!--",))


def _shape(html: str) -> list[tuple[str, ...]]:
    parser = _Structure()
    parser.feed(html)
    return parser.shape


def _fit(model, field: str, text: str) -> str:
    limit = model._meta.get_field(field).max_length
    return text[:limit] if limit else text


def _build(text: Callable[[str], str]):
    """A candidate, a coach and a decided decision with text in every field."""
    candidate = UserFactory()
    coach = UserFactory()
    for field in ("full_name", "postal_address", "phone", "signature"):
        setattr(candidate, field, _fit(type(candidate), field, text(field)))
    candidate.save()
    decision = services.decision_create(
        owner=candidate,
        data=services.DecisionData(
            title=_fit(Decision, "title", text("title")), goals=text("goals")
        ),
    )
    custom = services.criterion_add(
        decision=decision, actor=candidate, data=services.CriterionData(
            name=_fit(Criterion, "name", text("criterion")), kind=kinds.AMOUNT_LOW, weight=10,
            unit=_fit(Criterion, "unit", text("unit")),
        ),
    )  # fmt: skip
    offers = []
    for n in range(2):
        offers.append(
            services.offer_create(
                decision=decision,
                actor=candidate,
                data=services.OfferData(
                    company=_fit(Offer, "company", text(f"company{n}")),
                    role=_fit(Offer, "role", text(f"role{n}")),
                    location=_fit(Offer, "location", text(f"location{n}")),
                    recruiter_name=_fit(Offer, "recruiter_name", text(f"recruiter{n}")),
                    notes=text(f"notes{n}"),
                    currency="USD",
                    base_salary=Decimal(90_000 + n),
                    response_deadline=timezone.localdate() + dt.timedelta(days=9),
                ),
            )
        )
    culture = decision.criteria.get(kind=kinds.RATING, position=1)
    services.ratings_save(
        decision=decision,
        actor=candidate,
        cells=[
            services.RatingInput(
                offer.pk,
                culture.pk,
                value=Decimal(5 + i),
                note=_fit(type(culture), "name", text(f"note{i}")),
            )
            for i, offer in enumerate(offers)
        ]
        + [
            services.RatingInput(
                offers[0].pk, custom.pk, value=Decimal(30), note=text("amount note")[:200]
            )
        ],
    )
    services.reflection_add(
        decision=decision, actor=candidate, kind="goal", body=text("reflection")
    )
    services.decision_decide(
        decision=decision, actor=candidate, chosen_offer=offers[0], why=text("why"),
        confidence=70, review_on=None,
    )  # fmt: skip
    message = messaging_services.message_save(
        offer=offers[1],
        actor=candidate,
        # A letter, so that it leaves as a PDF too (only a letter is printed).
        choices=Choices(medium="letter", reason_detail=text("detail")[:500]),
        recipient_name=text("recipient")[:120],
        subject=text("subject")[:200],
        body=text("body"),
        edited=True,
    )
    _, invite_token = services.invitation_create(
        client=candidate, email=coach.email, hide_compensation=False, accept_url=str
    )
    services.invitation_accept(token=invite_token, coach=coach)
    services.coach_comment_add(decision=decision, coach=coach, body=text("comment"))
    return candidate, coach, decision, offers, message


def _pages(candidate, coach, decision, offers) -> dict[str, tuple[str, str, dict]]:
    d, other, chosen = decision.pk, offers[1].pk, offers[0].pk
    crit = decision.criteria.last().pk
    return {
        "list": ("candidate", reverse("decisions:list"), {}),
        "detail": ("candidate", reverse("decisions:detail", args=[d]), {}),
        "compare": ("candidate", reverse("decisions:compare", args=[d]), {}),
        "compare fragment": (
            "candidate",
            reverse("decisions:compare", args=[d]),
            {"HX-Request": "true"},
        ),
        "ratings": ("candidate", reverse("decisions:ratings", args=[d]), {}),
        "criteria": ("candidate", reverse("decisions:criteria", args=[d]), {}),
        "criterion": ("candidate", reverse("decisions:criterion_edit", args=[d, crit]), {}),
        "offer": ("candidate", reverse("decisions:offer_edit", args=[d, other]), {}),
        "offer remove": ("candidate", reverse("decisions:offer_delete", args=[d, other]), {}),
        "decide": ("candidate", reverse("decisions:decide", args=[d]), {}),
        "change mind": ("candidate", reverse("decisions:change_mind", args=[d]), {}),
        "acceptance": ("candidate", reverse("messaging:compose", args=[d, chosen, "accept"]), {}),
        "log": ("candidate", reverse("decisions:log", args=[d]), {}),
        "reflect": ("candidate", reverse("decisions:reflect", args=[d]), {}),
        "edit": ("candidate", reverse("decisions:edit", args=[d]), {}),
        "hub": ("candidate", reverse("messaging:hub", args=[d]), {}),
        "composer": ("candidate", reverse("messaging:compose", args=[d, other, "decline"]), {}),
        "profile": ("candidate", reverse("profile"), {}),
        "coaches": ("candidate", reverse("coach:access"), {}),
        "dashboard": ("coach", reverse("coach:dashboard"), {}),
        "review": ("coach", reverse("coach:review", args=[d]), {}),
    }


def _render(text: Callable[[str], str]):
    candidate, coach, decision, offers, message = _build(text)
    browsers = {"candidate": Client(), "coach": Client()}
    browsers["candidate"].force_login(candidate)
    browsers["coach"].force_login(coach)
    shapes = {}
    for name, (who, url, headers) in _pages(candidate, coach, decision, offers).items():
        response = browsers[who].get(url, headers=headers)
        assert response.status_code == HTTPStatus.OK, (name, response.status_code)
        shapes[name] = _shape(response.content.decode())
    preview = browsers["candidate"].post(
        reverse("messaging:compose", args=[decision.pk, offers[1].pk, "decline"]),
        {"direction": "candidate", "medium": "email", "tone": "warm", "gratitude": "on",
         "decision": "on", "reason": "on", "future": "on", "future_mode": "open",
         "reason_choice": "accepted_other", "reason_detail": text("detail")[:500],
         "recipient_name": text("recipient")[:120]},
        headers={"HX-Request": "true"},
    )  # fmt: skip
    shapes["composer preview"] = _shape(preview.content.decode())
    files = {
        fmt: browsers["candidate"]
        .post(reverse("messaging:download", args=[decision.pk, offers[1].pk, "decline", fmt]))
        .content
        for fmt in ("eml", "pdf")
    }
    files["report"] = (
        browsers["candidate"].get(reverse("decisions:report", args=[decision.pk])).content
    )
    return shapes, files, message


def test_hostile_text_in_every_field_changes_no_page_structure():
    plain_shapes, _, _ = _render(lambda field: f"Plain words for {field}")
    slots = count()
    used: set[str] = set()
    for _round in range(3):
        assigned: dict[str, str] = {}

        def hostile(field: str, assigned=assigned) -> str:
            if field not in assigned:
                assigned[field] = HOSTILE[next(slots) % len(HOSTILE)]
            return assigned[field]

        shapes, files, message = _render(hostile)
        used.update(assigned.values())
        for name, shape in shapes.items():
            assert shape == plain_shapes[name], f"{name}: markup from user text"
        parsed = email.message_from_bytes(files["eml"], policy=email.policy.default)
        assert parsed.get_content().rstrip("\n") == message.body
        assert parsed["Subject"] == message.subject
        for pdf in (files["pdf"], files["report"]):
            assert pdf.startswith(b"%PDF")
            for marker in (b"/JavaScript", b"/URI", b"/EmbeddedFile", b"/Launch"):
                assert marker not in pdf
    assert len(used) >= 50
