"""A user's data as one JSON document, and back: the apps' parts composed.

The document is ``{"format", "version", "profile", "decisions"}``. The decisions part
(``decisions/portability.py``) writes and reads the decision rows; the messaging part
(``messaging/portability.py``) adds each offer's messages to its row. This module
owns only the document: its envelope, its version, and its text.

Version 4 adds every message of an offer, whatever its purpose (``messages``, where
``decline_message`` held only the decline), an offer's days (expected, confirmed in
writing, to stay in touch), and a log entry names its offer by position, not by an id
that means nothing in another account. Version 3 adds a decision's deal-breakers on offer
facts, whether a criterion's range was suggested, and the top of an unsure rating's
range; version 2 gave a rating one ``value``; version 1 gave it ``score`` and
``amount``. All four import; exports are version 4.

An import never holds the database's write lock for long: the text is read, every
row checked and every model instance built first, outside any transaction (the
parts' ``build_*``), and only then written, in one short transaction (their
``save_*``). The document may nest at most ``MAX_JSON_DEPTH`` (20) levels (an export
nests 11) and hold only numbers JSON can (no NaN or Infinity); the counts it may
hold are ``decisions.portability.IMPORT_LIMITS``: at most 20 decisions, each with at
most 25 offers, 25 criteria, one rating per offer and criterion and 1,000 log
entries, and at most 2,500 ratings and 2,500 log entries in all. The largest such
file (18.5 MB, every text as long as its page takes) writes in about half a second
on SQLite, where every other writer waits meanwhile; on PostgreSQL nobody waits.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import math
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DataError, IntegrityError, transaction

from decisions.portability import (
    DamagedExport,
    build_decisions,
    export_decisions,
    save_decisions,
)
from messaging.portability import build_messages, export_messages, save_messages
from offerdesk.accounts.models import User
from offerdesk.accounts.services import PROFILE_FIELDS

logger = logging.getLogger(__name__)

FORMAT = "offerdesk-export"
VERSION = 6
READABLE_VERSIONS = (1, 2, 3, 4, 5, 6)
MAX_JSON_DEPTH = 20


class _ExportEncoder(DjangoJSONEncoder):
    """Times to the microsecond: Django's encoder cuts them to milliseconds, and writes
    no fraction at all when that is zero, so a second export would differ from the first.
    """

    def default(self, o: Any) -> Any:
        if isinstance(o, dt.datetime):
            return o.isoformat(timespec="microseconds")
        return super().default(o)


def export_user_data(user: User) -> str:
    """Everything ``user`` owns, as indented JSON text of the current ``VERSION``.

    Importing the text into an empty account and exporting that account again gives
    the same text, the profile aside (the profile is not imported).
    """
    decisions = export_decisions(user)
    export_messages(decisions.offers)
    document = {
        "format": FORMAT,
        "version": VERSION,
        "profile": {name: getattr(user, name) for name in PROFILE_FIELDS},
        "decisions": decisions.decisions,
    }
    return json.dumps(document, cls=_ExportEncoder, indent=2, ensure_ascii=False)


@dataclass(frozen=True)
class Imported:
    """What an import brought in: ``decisions`` decisions, without ``left_out`` log
    entries written by a coach (a file cannot show who wrote them)."""

    decisions: int
    left_out: int

    @property
    def summary(self) -> str:
        """The sentence that tells the user so."""
        text = f"Imported {self.decisions} decision{'s' if self.decisions != 1 else ''}."
        if self.left_out:
            entries = "entry" if self.left_out == 1 else "entries"
            verb = "was" if self.left_out == 1 else "were"
            text += (
                f" {self.left_out} {entries} written by a coach {verb} left out: a file cannot "
                "show who wrote them. They are still in your file."
            )
        return text


def import_user_data(user: User, text: str) -> Imported:
    """Recreate an exported document in ``user``'s account, which must hold no decisions.

    All or nothing: any problem raises ValidationError with a message that says what is
    wrong (and where), and saves nothing. Everything is read and checked before the one
    short transaction that writes it. The profile is left as it is, and log entries
    written by a coach are left out (counted in the result).
    """
    document = _read(text)
    decisions = build_decisions(user, document["decisions"], version=document["version"])
    messages = build_messages(decisions.offers, version=document["version"])
    try:
        with transaction.atomic():
            save_decisions(decisions)
            save_messages(messages)
    except (IntegrityError, DataError) as error:
        # Only what the checks above missed gets here, so it has no place to name;
        # the database's own words (constraint names, SQL) go to the log, not the page.
        logger.warning("An import was refused by the database: %s", error)
        raise DamagedExport([], "the database refused one of its rows.") from error
    return Imported(decisions=len(decisions.decisions), left_out=decisions.left_out)


def _refuse_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number JSON can hold")


def _finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(f"{text} is not a number JSON can hold")
    return number


def _read(text: str) -> dict[str, Any]:
    too_deep = ValidationError(
        f"The file is nested deeper than {MAX_JSON_DEPTH} levels, which no export is."
    )
    try:
        document = json.loads(text, parse_constant=_refuse_constant, parse_float=_finite)
    except RecursionError as error:
        # Deeper than the parser goes: deeper than the cap, too.
        raise too_deep from error
    except ValueError as error:
        raise ValidationError(f"The file is not JSON ({error}).") from error
    if _depth_exceeds(document, MAX_JSON_DEPTH):
        raise too_deep
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ValidationError("This is not an Offerdesk export.")
    version = document.get("version")
    # True == 1 in Python, so a boolean would pass the membership test on its own.
    if isinstance(version, bool) or version not in READABLE_VERSIONS:
        raise ValidationError(
            f"This export's version ({version!r}) is not one this Offerdesk reads "
            f"({' or '.join(map(str, READABLE_VERSIONS))})."
        )
    if "decisions" not in document:
        raise ValidationError("This Offerdesk export has no list of decisions.")
    return document


def _depth_exceeds(document: Any, limit: int) -> bool:
    """True when lists and objects nest more than ``limit`` levels (the document itself
    is the first); without recursion, so that no depth can overflow the stack."""
    pending = [(document, 1)] if isinstance(document, dict | list) else []
    while pending:
        node, depth = pending.pop()
        children = node.values() if isinstance(node, dict) else node
        for child in children:
            if isinstance(child, dict | list):
                if depth + 1 > limit:
                    return True
                pending.append((child, depth + 1))
    return False


def delete_account(user: User) -> dict[str, int]:
    """Remove the user and every row they own (decisions cascade to all the rest).

    Returns the number of rows deleted per model. Coach comments they wrote in others'
    logs stay, without an author.
    """
    _, deleted = user.delete()
    return deleted
