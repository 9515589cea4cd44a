"""A user's data as one JSON document, and back: the apps' parts composed.

The document is ``{"format", "version", "profile", "decisions"}``. The decisions part
(``decisions/portability.py``) writes and reads the decision rows; the messaging part
(``messaging/portability.py``) adds each offer's decline message to its row. This
module owns only the document: its envelope, its version, and its text.

Version 3 adds a decision's deal-breakers on offer facts, whether a criterion's range
was suggested, and the top of an unsure rating's range; version 2 gave a rating one
``value``; version 1 gave it ``score`` and ``amount``. All three import; exports are
version 3.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

from decisions.portability import export_decisions, import_decisions
from messaging.portability import export_decline_messages, import_decline_messages
from offerdesk.accounts.models import User
from offerdesk.accounts.services import PROFILE_FIELDS

FORMAT = "offerdesk-export"
VERSION = 3
READABLE_VERSIONS = (1, 2, 3)


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
    export_decline_messages(decisions.offers)
    document = {
        "format": FORMAT,
        "version": VERSION,
        "profile": {name: getattr(user, name) for name in PROFILE_FIELDS},
        "decisions": decisions.decisions,
    }
    return json.dumps(document, cls=_ExportEncoder, indent=2, ensure_ascii=False)


@transaction.atomic
def import_user_data(user: User, text: str) -> int:
    """Recreate an exported document in ``user``'s account, which must hold no decisions.

    All or nothing, in one transaction: any problem raises ValidationError with a
    message that says what is wrong (and where), and saves nothing. Returns the number
    of decisions imported. The profile is left as it is.
    """
    document = _read(text)
    decisions = import_decisions(user, document["decisions"], version=document["version"])
    import_decline_messages(decisions.offers)
    return len(decisions.decisions)


def _read(text: str) -> dict[str, Any]:
    try:
        document = json.loads(text)
    except (ValueError, RecursionError) as error:
        # RecursionError: nesting deeper than the parser goes, which no export has.
        raise ValidationError(f"The file is not JSON ({error}).") from error
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


def delete_account(user: User) -> dict[str, int]:
    """Remove the user and every row they own (decisions cascade to all the rest).

    Returns the number of rows deleted per model. Coach comments they wrote in others'
    logs stay, without an author.
    """
    _, deleted = user.delete()
    return deleted
