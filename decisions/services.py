"""Every write to a decision, its criteria, offers and ratings.

Each service runs in one transaction, validates what it saves (so a caller that
skipped the form still cannot store bad data) and appends exactly one
``LogEntry`` describing the change, or writes nothing at all when nothing changed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone

from decisions.models import (
    CoachGrant,
    CoachInvitation,
    Criterion,
    Decision,
    LogEntry,
    Offer,
    Rating,
)
from decisions.prompts import FEELINGS
from decisions.selectors import comparison, ratings_for
from offerdesk.accounts.models import User

Kind = Criterion.Kind

DEFAULT_CRITERIA: tuple[tuple[str, str, int], ...] = (
    ("Salary", Kind.TOTAL_COMP, 30),
    ("Culture", Kind.RATING, 20),
    ("Role clarity", Kind.RATING, 15),
    ("Work-life balance", Kind.RATING, 20),
    ("Location", Kind.RATING, 15),
)

DECISION_FIELDS = ("title", "goals", "base_currency", "pay_basis")
CRITERION_FIELDS = ("name", "kind", "weight", "unit", "floor", "target")
OFFER_FIELDS = (
    "company",
    "role",
    "location",
    "work_mode",
    "currency",
    "rate_to_base",
    "base_salary",
    "bonus",
    "equity_per_year",
    "signing_bonus",
    "benefits_value",
    "vesting",
    "annual_raise",
    "response_deadline",
    "recruiter_name",
    "recruiter_email",
    "status",
    "notes",
)


def _plain(value: Any) -> Any:
    """A JSON-friendly, comparison-friendly form of a field value for the log."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def log_append(
    *,
    decision: Decision,
    author: User,
    kind: LogEntry.Kind,
    summary: str,
    data: Mapping[str, Any] | None = None,
    body: str = "",
) -> LogEntry:
    """Append one entry to a decision's log; call it inside the transaction of the change."""
    return LogEntry.objects.create(
        decision=decision,
        author=author,
        kind=kind,
        summary=summary[:300],
        body=body,
        data=dict(data or {}),
    )


def _apply(instance: Any, fields: Mapping[str, Any], allowed: tuple[str, ...]) -> dict[str, Any]:
    """Set ``fields`` on ``instance``; return {field: {"before", "after"}} for real changes."""
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"Unexpected fields: {', '.join(sorted(unknown))}")
    changes = {}
    for name, value in fields.items():
        before = getattr(instance, name)
        if _plain(before) != _plain(value):
            changes[name] = {"before": _plain(before), "after": _plain(value)}
        setattr(instance, name, value)
    return changes


def _lock(decision: Decision) -> None:
    """Serialise writers of one decision (a no-op on SQLite, whose writers queue anyway)."""
    Decision.objects.select_for_update().filter(pk=decision.pk).first()


STALE_MESSAGE = (
    "This changed in another tab or by someone else while you were editing, so nothing "
    "was saved. Reload the page to see the latest version, then make your change again."
)


def _claim_version(model: type, pk: int, expected: int | None) -> int:
    """Lock the row and check it is still at ``expected``; return the next version.

    ``expected`` None skips the check (for callers that did not read a version).
    """
    current = (
        model.objects.select_for_update().filter(pk=pk).values_list("version", flat=True).get()
    )
    if expected is not None and current != expected:
        raise ValidationError(STALE_MESSAGE, code="stale")
    return current + 1


def _require_some_weight(decision: Decision) -> None:
    if not decision.criteria.filter(weight__gt=0).exists():
        raise ValidationError(
            {"weight": "At least one criterion needs a weight above zero, or nothing can rank."}
        )


def _field_label(model: type, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


# Decisions -----------------------------------------------------------------


@transaction.atomic
def decision_create(
    *, owner: User, title: str, goals: str = "", base_currency: str = "USD"
) -> Decision:
    """Start a decision with the five default criteria; logs one ``decision_created``."""
    decision = Decision(owner=owner, title=title.strip(), goals=goals, base_currency=base_currency)
    decision.full_clean()
    decision.save()
    criteria = [
        Criterion(decision=decision, name=name, kind=kind, weight=weight, position=position)
        for position, (name, kind, weight) in enumerate(DEFAULT_CRITERIA)
    ]
    Criterion.objects.bulk_create(criteria)
    log_append(
        decision=decision,
        author=owner,
        kind=LogEntry.Kind.DECISION_CREATED,
        summary=f"Started “{decision.title}”",
        data={
            "title": decision.title,
            "base_currency": decision.base_currency,
            "criteria": [{"name": c.name, "kind": c.kind, "weight": c.weight} for c in criteria],
        },
    )
    return decision


@transaction.atomic
def decision_update(*, decision: Decision, actor: User, **fields: Any) -> dict[str, Any]:
    """Change title, goals or base currency; returns the changes (empty: nothing written).

    Offers already in the new base currency get an exchange rate of exactly 1.
    """
    _lock(decision)
    if "title" in fields:
        fields["title"] = fields["title"].strip()
    changes = _apply(decision, fields, DECISION_FIELDS)
    if not changes:
        return changes
    decision.full_clean()
    decision.save()
    if "base_currency" in changes:
        decision.offers.filter(currency=decision.base_currency).update(rate_to_base=1)
    labels = ", ".join(_field_label(Decision, name) for name in changes)
    log_append(
        decision=decision,
        author=actor,
        kind=LogEntry.Kind.DECISION_CHANGED,
        summary=f"Changed the decision’s {labels}",
        data={"changes": changes},
    )
    return changes


@transaction.atomic
def decision_archive(*, decision: Decision, actor: User) -> None:
    """Put a decision away; it stays readable and can be restored."""
    if decision.status == Decision.Status.ARCHIVED:
        return
    before = decision.status
    decision.status = Decision.Status.ARCHIVED
    decision.save(update_fields=["status", "updated_at"])
    log_append(
        decision=decision,
        author=actor,
        kind=LogEntry.Kind.DECISION_ARCHIVED,
        summary="Archived the decision",
        data={"before": before, "after": decision.status},
    )


@transaction.atomic
def decision_reopen(*, decision: Decision, actor: User) -> None:
    """Bring an archived decision back: decided if an offer was chosen, else open."""
    if decision.status != Decision.Status.ARCHIVED:
        return
    decision.status = Decision.Status.DECIDED if decision.chosen_offer_id else Decision.Status.OPEN
    decision.save(update_fields=["status", "updated_at"])
    log_append(
        decision=decision,
        author=actor,
        kind=LogEntry.Kind.DECISION_REOPENED,
        summary="Restored the decision from the archive",
        data={"before": Decision.Status.ARCHIVED, "after": decision.status},
    )


def _snapshot(decision: Decision) -> dict[str, Any]:
    """The inputs and outputs of the ranking as they stand, for the decision record."""
    result = comparison(decision)
    ratings = ratings_for(decision)
    criteria = [row.criterion for row in result.criteria]
    rows = {row.offer.pk: row for row in result.rows}
    return {
        "currency": decision.base_currency,
        "pay_basis": decision.pay_basis,
        "criteria": [
            {
                "id": c.pk,
                "name": c.name,
                "kind": c.kind,
                "weight": c.weight,
                "floor": _plain(c.floor),
                "target": _plain(c.target),
            }
            for c in criteria
        ],
        "offers": [
            {
                "id": o.pk,
                "company": o.company,
                "role": o.role,
                "pay_first_year": _plain(o.first_year_total_in_base),
                "pay_annualised": _plain(o.annualised_total_in_base),
                "ratings": {
                    c.name: _cell(ratings.get((o.pk, c.pk))) for c in criteria if not c.is_computed
                },
            }
            for o in decision.offers.all()
        ],
        "ranking": [
            {
                "offer": offer_id,
                "company": row.offer.company,
                "rank": row.result.rank,
                "score": round(row.result.score, 2),
                "win_share": row.win_share,
            }
            for offer_id, row in rows.items()
        ],
        "ranking_error": result.error,
    }


@transaction.atomic
def decision_decide(
    *,
    decision: Decision,
    actor: User,
    chosen_offer: Offer,
    why: str,
    confidence: int | None,
    review_on: dt.date | None,
) -> Decision:
    """Record the choice: the chosen offer is accepted, the others stay open until declined.

    The weights, ratings, scores and ranking are frozen into the decision and the log
    entry, so later edits never rewrite the reasons. Deciding again moves the
    acceptance to the new offer.
    """
    _lock(decision)
    if chosen_offer.decision_id != decision.pk:
        raise ValidationError({"chosen_offer": "Choose one of this decision’s offers."})
    if chosen_offer.status not in (Offer.Status.OPEN, Offer.Status.ACCEPTED):
        raise ValidationError(
            {"chosen_offer": f"{chosen_offer} is {chosen_offer.get_status_display().lower()}."}
        )
    if decision.is_archived:
        raise ValidationError("Restore this decision from the archive before deciding.")
    previous = decision.chosen_offer
    if previous is not None and previous.pk != chosen_offer.pk:
        decision.offers.filter(pk=previous.pk, status=Offer.Status.ACCEPTED).update(
            status=Offer.Status.OPEN
        )
    snapshot = _snapshot(decision)
    decision.status = Decision.Status.DECIDED
    decision.chosen_offer = chosen_offer
    decision.decided_at = timezone.now()
    decision.decided_reason = why.strip()
    decision.confidence = confidence
    decision.review_on = review_on
    decision.decided_snapshot = snapshot
    decision.full_clean()
    decision.save()
    chosen_offer.status = Offer.Status.ACCEPTED
    chosen_offer.save(update_fields=["status", "updated_at"])
    log_append(
        decision=decision,
        author=actor,
        kind=LogEntry.Kind.DECIDED,
        summary=f"Decided: {chosen_offer}"
        + (f" (confidence {confidence}%)" if confidence is not None else ""),
        data={
            "chosen_offer": chosen_offer.pk,
            "previous_offer": previous.pk if previous else None,
            "why": decision.decided_reason,
            "confidence": confidence,
            "review_on": _plain(review_on),
            "snapshot": snapshot,
        },
    )
    return decision


# Reflections ---------------------------------------------------------------

REFLECTION_SUMMARIES = {
    LogEntry.Kind.GOAL: "Wrote down a goal",
    LogEntry.Kind.SCENARIO: "Thought through a scenario",
    LogEntry.Kind.REFLECTION: "Answered a reflective question",
    LogEntry.Kind.FEELING: "Checked in with a feeling",
    LogEntry.Kind.LOOK_BACK: "Looked back on the decision",
}


@transaction.atomic
def reflection_add(
    *,
    decision: Decision,
    actor: User,
    kind: str,
    body: str,
    private: bool = False,
    question: str = "",
    feeling: str = "",
    intensity: int | None = None,
) -> LogEntry:
    """Add the candidate's own words to the log: a goal, a scenario, an answer to a
    reflective question, a feeling check-in (feeling and intensity 1-5) or a look back.

    ``private`` entries are never shown to a coach.
    """
    kind = LogEntry.Kind(kind)
    if kind not in REFLECTION_SUMMARIES:
        raise ValidationError("Not a kind of reflection.")
    body = body.strip()
    if kind == LogEntry.Kind.FEELING:
        if feeling not in FEELINGS:
            raise ValidationError({"feeling": "Pick a feeling from the list."})
        if intensity is None or not 1 <= intensity <= 5:
            raise ValidationError({"intensity": "Intensity runs from 1 to 5."})
        data: dict[str, Any] = {"feeling": feeling, "intensity": intensity}
        summary = f"Feeling {feeling.lower()} ({intensity}/5)"
    else:
        if not body:
            raise ValidationError({"body": "Write a few words first."})
        data = {"question": question} if question else {}
        summary = REFLECTION_SUMMARIES[kind]
    if kind == LogEntry.Kind.LOOK_BACK and not decision.is_decided:
        raise ValidationError("There is no decision to look back on yet.")
    if len(body) > 4000:
        raise ValidationError({"body": "Keep it within 4,000 characters."})
    entry = LogEntry(
        decision=decision,
        author=actor,
        kind=kind,
        summary=summary,
        body=body,
        data=data,
        private=private,
    )
    entry.full_clean()
    entry.save()
    return entry


# Criteria ------------------------------------------------------------------


@transaction.atomic
def criterion_add(*, decision: Decision, actor: User, **fields: Any) -> Criterion:
    """Append a criterion after the others; logs one ``criterion_added``."""
    _lock(decision)
    criterion = Criterion(decision=decision)
    _apply(criterion, fields, CRITERION_FIELDS)
    criterion.name = criterion.name.strip()
    last = decision.criteria.aggregate(last=Max("position"))["last"]
    criterion.position = 0 if last is None else last + 1
    criterion.full_clean()
    criterion.save()
    log_append(
        decision=decision,
        author=actor,
        kind=LogEntry.Kind.CRITERION_ADDED,
        summary=f"Added the criterion “{criterion.name}” at weight {criterion.weight}",
        data={name: _plain(getattr(criterion, name)) for name in CRITERION_FIELDS},
    )
    return criterion


@transaction.atomic
def criterion_update(*, criterion: Criterion, actor: User, **fields: Any) -> dict[str, Any]:
    """Rename, reweight or re-anchor one criterion; returns the changes."""
    _lock(criterion.decision)
    if "name" in fields:
        fields["name"] = fields["name"].strip()
    old_name = criterion.name
    changes = _apply(criterion, fields, CRITERION_FIELDS)
    if not changes:
        return changes
    criterion.full_clean()
    criterion.save()
    _require_some_weight(criterion.decision)
    labels = ", ".join(_field_label(Criterion, name) for name in changes)
    log_append(
        decision=criterion.decision,
        author=actor,
        kind=LogEntry.Kind.CRITERION_CHANGED,
        summary=f"Changed the criterion “{old_name}”: {labels}",
        data={"criterion": criterion.pk, "changes": changes},
    )
    return changes


@transaction.atomic
def criteria_reweight(
    *,
    decision: Decision,
    actor: User,
    weights: Mapping[int, int],
    expected_version: int | None = None,
) -> dict[str, Any]:
    """Set every weight of a decision in one go; ``weights`` maps criterion id -> 0..100.

    Ids must be exactly the decision's criteria. Returns {name: {"before", "after"}}.
    """
    next_version = _claim_version(Decision, decision.pk, expected_version)
    criteria = list(decision.criteria.all())
    if set(weights) != {c.pk for c in criteria}:
        raise ValidationError("The criteria changed while you were editing. Please try again.")
    changes: dict[str, Any] = {}
    for criterion in criteria:
        weight = weights[criterion.pk]
        if not 0 <= weight <= 100:
            raise ValidationError({"weight": f"“{criterion.name}” needs a weight from 0 to 100."})
        if weight != criterion.weight:
            changes[criterion.name] = {"before": criterion.weight, "after": weight}
            criterion.weight = weight
    if not changes:
        return changes
    if not any(c.weight for c in criteria):
        raise ValidationError("At least one criterion needs a weight above zero.")
    Criterion.objects.bulk_update(criteria, ["weight"])
    Decision.objects.filter(pk=decision.pk).update(version=next_version)
    decision.version = next_version
    log_append(
        decision=decision,
        author=actor,
        kind=LogEntry.Kind.WEIGHTS_CHANGED,
        summary="Changed weights: "
        + ", ".join(f"{name} {c['before']} → {c['after']}" for name, c in changes.items()),
        data={"changes": changes},
    )
    return changes


@transaction.atomic
def criterion_move(*, criterion: Criterion, actor: User, direction: Literal["up", "down"]) -> bool:
    """Swap a criterion with its neighbour; returns False at either end (nothing written)."""
    decision = criterion.decision
    _lock(decision)
    criteria = list(decision.criteria.all())
    index = next(i for i, c in enumerate(criteria) if c.pk == criterion.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(criteria):
        return False
    before = [c.name for c in criteria]
    criteria[index], criteria[other] = criteria[other], criteria[index]
    for position, item in enumerate(criteria):
        item.position = position
    Criterion.objects.bulk_update(criteria, ["position"])
    log_append(
        decision=decision,
        author=actor,
        kind=LogEntry.Kind.CRITERIA_REORDERED,
        summary=f"Moved “{criterion.name}” {direction}",
        data={"before": before, "after": [c.name for c in criteria]},
    )
    return True


@transaction.atomic
def criterion_remove(*, criterion: Criterion, actor: User) -> None:
    """Delete a criterion and its ratings; the log keeps what it was."""
    decision = criterion.decision
    _lock(decision)
    snapshot = {name: _plain(getattr(criterion, name)) for name in CRITERION_FIELDS}
    ratings = criterion.ratings.count()
    criterion.delete()
    log_append(
        decision=decision,
        author=actor,
        kind=LogEntry.Kind.CRITERION_REMOVED,
        summary=f"Removed the criterion “{snapshot['name']}”",
        data={**snapshot, "ratings_removed": ratings},
    )


# Offers --------------------------------------------------------------------


def _normalise_rate(offer: Offer) -> None:
    # An offer paid in the decision's own currency converts at exactly 1, whatever was typed.
    if offer.currency == offer.decision.base_currency:
        offer.rate_to_base = Decimal(1)


@transaction.atomic
def offer_create(*, decision: Decision, actor: User, **fields: Any) -> Offer:
    """Add an offer to a decision; logs one ``offer_added``."""
    offer = Offer(decision=decision)
    _apply(offer, fields, OFFER_FIELDS)
    _normalise_rate(offer)
    offer.full_clean()
    offer.save()
    log_append(
        decision=decision,
        author=actor,
        kind=LogEntry.Kind.OFFER_ADDED,
        summary=f"Added the offer {offer}",
        data={"offer": offer.pk, **{name: _plain(getattr(offer, name)) for name in OFFER_FIELDS}},
    )
    return offer


@transaction.atomic
def offer_update(
    *, offer: Offer, actor: User, expected_version: int | None = None, **fields: Any
) -> dict[str, Any]:
    """Change an offer's fields; returns the changes, logged with before and after.

    With ``expected_version``, an offer changed since the form was read is refused.
    """
    next_version = _claim_version(Offer, offer.pk, expected_version)
    changes = _apply(offer, fields, OFFER_FIELDS)
    _normalise_rate(offer)
    if not changes:
        return changes
    offer.version = next_version
    offer.full_clean()
    offer.save()
    labels = ", ".join(_field_label(Offer, name) for name in changes)
    log_append(
        decision=offer.decision,
        author=actor,
        kind=LogEntry.Kind.OFFER_CHANGED,
        summary=f"Changed {offer}: {labels}",
        data={"offer": offer.pk, "changes": changes},
    )
    return changes


@transaction.atomic
def offer_remove(*, offer: Offer, actor: User) -> None:
    """Delete an offer and its ratings; the log keeps its details."""
    decision = offer.decision
    snapshot = {name: _plain(getattr(offer, name)) for name in OFFER_FIELDS}
    label = str(offer)
    offer_id = offer.pk
    offer.delete()
    log_append(
        decision=decision,
        author=actor,
        kind=LogEntry.Kind.OFFER_REMOVED,
        summary=f"Removed the offer {label}",
        data={"offer": offer_id, **snapshot},
    )


# Ratings -------------------------------------------------------------------


@dataclass(frozen=True)
class RatingInput:
    """One grid cell as submitted: ``score`` for rating criteria, ``amount`` for amounts."""

    offer_id: int
    criterion_id: int
    score: Decimal | None = None
    amount: Decimal | None = None
    note: str = ""


def _cell(rating: Rating | RatingInput | None) -> dict[str, Any]:
    if rating is None:
        return {"score": None, "amount": None, "note": ""}
    return {
        "score": _plain(rating.score),
        "amount": _plain(rating.amount),
        "note": rating.note,
    }


@transaction.atomic
def ratings_save(
    *,
    decision: Decision,
    actor: User,
    cells: Iterable[RatingInput],
    expected_version: int | None = None,
) -> list[dict[str, Any]]:
    """Save a whole grid in one go; returns the cells that changed, before and after.

    Every cell must name an offer and a non-computed criterion of this decision,
    or nothing is saved. With ``expected_version``, a grid read before another change
    to the decision's weights or ratings is refused.
    """
    next_version = _claim_version(Decision, decision.pk, expected_version)
    offers = {o.pk: o for o in decision.offers.all()}
    criteria = {c.pk: c for c in decision.criteria.all()}
    existing = {
        (r.offer_id, r.criterion_id): r for r in Rating.objects.filter(offer__decision=decision)
    }
    to_create: list[Rating] = []
    to_update: list[Rating] = []
    changes: list[dict[str, Any]] = []
    now = timezone.now()
    for cell in cells:
        offer = offers.get(cell.offer_id)
        criterion = criteria.get(cell.criterion_id)
        if offer is None or criterion is None:
            raise ValidationError(
                "This grid names an offer or criterion that is not in this decision."
            )
        if criterion.is_computed:
            raise ValidationError(f"“{criterion.name}” is computed from the offers’ pay.")
        score = cell.score if criterion.is_rating else None
        amount = cell.amount if criterion.is_amount else None
        after = {"score": _plain(score), "amount": _plain(amount), "note": cell.note.strip()}
        rating = existing.get((offer.pk, criterion.pk))
        before = _cell(rating)
        if before == after:
            continue
        if rating is None:
            rating = Rating(offer=offer, criterion=criterion)
            to_create.append(rating)
        else:
            to_update.append(rating)
        rating.score, rating.amount, rating.note = score, amount, after["note"]
        rating.updated_at = now
        rating.full_clean(exclude=["offer", "criterion"], validate_unique=False)
        changes.append(
            {
                "offer": offer.pk,
                "offer_label": offer.company,
                "criterion": criterion.pk,
                "criterion_label": criterion.name,
                "before": before,
                "after": after,
            }
        )
    if not changes:
        return changes
    Rating.objects.bulk_create(to_create)
    Rating.objects.bulk_update(to_update, ["score", "amount", "note", "updated_at"])
    Decision.objects.filter(pk=decision.pk).update(version=next_version)
    decision.version = next_version
    offers_touched = sorted({c["offer_label"] for c in changes})
    log_append(
        decision=decision,
        author=actor,
        kind=LogEntry.Kind.RATINGS_CHANGED,
        summary=f"Updated {len(changes)} rating{'s' if len(changes) != 1 else ''} for "
        + ", ".join(offers_touched),
        data={"changes": changes},
    )
    return changes


# Coaching ------------------------------------------------------------------

INVITATION_LIFETIME = dt.timedelta(days=7)


def token_hash(token: str) -> str:
    """What is stored of an invitation token: its SHA-256, so a database leak opens nothing."""
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def invitation_create(
    *, client: User, email: str, hide_compensation: bool, accept_url: Callable[[str], str]
) -> tuple[CoachInvitation, str]:
    """Invite a coach by e-mail; returns the invitation and its token, to show once.

    The token is 256 random bits; only its hash is kept. The e-mail goes out after
    the transaction commits, through Django's mail backend.
    """
    token = secrets.token_urlsafe(32)
    invitation = CoachInvitation(
        client=client,
        email=email.strip(),
        token_hash=token_hash(token),
        hide_compensation=hide_compensation,
        expires_at=timezone.now() + INVITATION_LIFETIME,
    )
    invitation.full_clean()
    invitation.save()
    body = render_to_string(
        "decisions/coach_invitation_email.txt",
        {"client": client, "link": accept_url(token), "expires_at": invitation.expires_at},
    )
    subject = f"{client.display_name} invites you to read their job decision on Offerdesk"
    transaction.on_commit(lambda: send_mail(subject, body, None, [invitation.email]))
    return invitation, token


class InvitationError(ValidationError):
    """The link cannot be used: unknown, used, expired or withdrawn (one message for all)."""


INVITATION_UNUSABLE = (
    "This invitation link cannot be used: it may have expired, been used already or been "
    "withdrawn. Ask for a new one."
)


@transaction.atomic
def invitation_accept(*, token: str, coach: User) -> CoachGrant:
    """Turn a valid invitation into access for ``coach``; the link then stops working."""
    invitation = (
        CoachInvitation.objects.select_for_update()
        .select_related("client")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if invitation is None or not invitation.is_pending:
        raise InvitationError(INVITATION_UNUSABLE)
    if invitation.client_id == coach.pk:
        raise InvitationError("This is your own invitation: send the link to your coach.")
    grant = CoachGrant.objects.filter(
        client=invitation.client, coach=coach, revoked_at__isnull=True
    ).first() or CoachGrant(client=invitation.client, coach=coach)
    grant.hide_compensation = invitation.hide_compensation
    grant.save()
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = coach
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return grant


@transaction.atomic
def invitation_withdraw(*, invitation: CoachInvitation) -> None:
    if invitation.is_pending:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])


@transaction.atomic
def grant_revoke(*, grant: CoachGrant) -> None:
    """End a coach's access; their next request finds nothing."""
    if grant.revoked_at is None:
        grant.revoked_at = timezone.now()
        grant.save(update_fields=["revoked_at"])


@transaction.atomic
def grant_update(*, grant: CoachGrant, hide_compensation: bool) -> None:
    grant.hide_compensation = hide_compensation
    grant.save(update_fields=["hide_compensation"])


@transaction.atomic
def coach_comment_add(*, decision: Decision, coach: User, body: str) -> LogEntry:
    """A coach's comment or question, shown in the client's log; the only thing a coach writes."""
    body = body.strip()
    if not body:
        raise ValidationError({"body": "Write your comment first."})
    if len(body) > 4000:
        raise ValidationError({"body": "Keep a comment within 4,000 characters."})
    return log_append(
        decision=decision,
        author=coach,
        kind=LogEntry.Kind.COACH_COMMENT,
        summary=f"{coach.display_name} commented",
        body=body,
    )


def coach_visit_record(
    *, coach: User, when: dt.datetime, clients: Iterable[int] | None = None
) -> None:
    """Remember the coach's visit, for "new since your last visit" next time; with
    ``clients``, only those clients' decisions count as seen."""
    grants = CoachGrant.objects.filter(coach=coach, revoked_at__isnull=True)
    if clients is not None:
        grants = grants.filter(client__in=clients)
    grants.update(last_seen_at=when)
