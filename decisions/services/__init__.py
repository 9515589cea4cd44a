"""Every write, by entity: each runs in one transaction and appends one log entry.

Each service validates what it saves (so a caller that skipped the form still cannot
store bad data), reads again and locks the rows it changes, and writes nothing at all
when nothing changed. Callers import the package: ``services.offer_create(...)``.
"""

from __future__ import annotations

from decisions.services.acceptance import offer_confirm, offer_reopen
from decisions.services.coaching import (
    ADDRESS_NOT_CONFIRMED,
    INVITATION_LIFETIME,
    INVITATION_UNUSABLE,
    InvitationError,
    coach_comment_add,
    coach_note_add,
    coach_note_delete,
    coach_visit_record,
    grant_revoke,
    grant_update,
    invitation_accept,
    invitation_create,
    invitation_withdraw,
    thread_answer,
    token_hash,
)
from decisions.services.criteria import (
    CriterionData,
    criteria_reweight,
    criterion_add,
    criterion_move,
    criterion_remove,
    criterion_update,
    scales_fill,
)
from decisions.services.decision import (
    DEFAULT_CRITERIA,
    DecisionData,
    PayRange,
    decision_archive,
    decision_create,
    decision_must_haves_set,
    decision_reopen,
    decision_update,
    pay_range_suggestion,
)
from decisions.services.homework import (
    exercise_done,
    homework_done,
    homework_set,
    homework_withdraw,
)
from decisions.services.log import STALE_MESSAGE, log_append
from decisions.services.offers import OfferData, offer_create, offer_remove, offer_update
from decisions.services.ratings import RatingInput, ratings_save
from decisions.services.record import (
    accepted_offer,
    decision_change_mind,
    decision_decide,
    reflection_add,
    tiebreaker_answer_add,
)
from decisions.services.weights import gut_check_add, weights_from_wizard, weights_put_back

__all__ = [
    "ADDRESS_NOT_CONFIRMED",
    "DEFAULT_CRITERIA",
    "INVITATION_LIFETIME",
    "INVITATION_UNUSABLE",
    "STALE_MESSAGE",
    "CriterionData",
    "DecisionData",
    "InvitationError",
    "OfferData",
    "PayRange",
    "RatingInput",
    "accepted_offer",
    "coach_comment_add",
    "coach_note_add",
    "coach_note_delete",
    "coach_visit_record",
    "criteria_reweight",
    "criterion_add",
    "criterion_move",
    "criterion_remove",
    "criterion_update",
    "decision_archive",
    "decision_change_mind",
    "decision_create",
    "decision_decide",
    "decision_must_haves_set",
    "decision_reopen",
    "decision_update",
    "exercise_done",
    "grant_revoke",
    "grant_update",
    "gut_check_add",
    "homework_done",
    "homework_set",
    "homework_withdraw",
    "invitation_accept",
    "invitation_create",
    "invitation_withdraw",
    "log_append",
    "offer_confirm",
    "offer_create",
    "offer_remove",
    "offer_reopen",
    "offer_update",
    "pay_range_suggestion",
    "ratings_save",
    "reflection_add",
    "scales_fill",
    "thread_answer",
    "tiebreaker_answer_add",
    "token_hash",
    "weights_from_wizard",
    "weights_put_back",
]
