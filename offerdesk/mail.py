"""The one way Offerdesk sends mail: ``send(message)`` queues it, a worker delivers it.

A request only stores the message as a task (Django's tasks framework, the database
backend by default): a page never waits for a mail server nor fails because one is
down. With the database backend the task is written in whatever transaction the
caller is in, so writes and mail that belong together (an invitation and its mail)
are saved or rolled back together. The message is sealed (encrypted with a key
derived from SECRET_KEY, or one of SECRET_KEY_FALLBACKS after a rotation): its links
log people in or accept invitations, and the task table and the admin must not show
them. The task ``deliver`` opens it and hands it to Django's mail backend. When that
fails it is tried again later, ever more patiently (``RETRY_DELAYS``), up to
``MAX_ATTEMPTS`` times; each failed attempt is kept as a FAILED task result, where
staff see them (the admin, under Tasks), as ``MailNotSent`` with the kind of failure
only: the error's own text can name the addresses.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import logging
from typing import Any

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)

# The wait before each new attempt: a mail server restarting is back within minutes,
# one that is down for maintenance within hours.
RETRY_DELAYS = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
    dt.timedelta(hours=12),
)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1


def send(message: EmailMessage) -> None:
    """Queue ``message`` for delivery, with the current transaction.

    Subject, body (plain or HTML, by ``content_subtype``), sender, recipients (to, cc,
    bcc), reply-to, extra headers and the alternatives of an EmailMultiAlternatives
    travel; attachments do not (no Offerdesk mail has any), so a message with some is
    refused with ValueError. A header with a line break raises BadHeaderError here,
    in the caller, rather than in a task that could never succeed.
    """
    if message.attachments:
        raise ValueError("offerdesk.mail.send takes no attachments")
    message.message()  # builds the headers, refusing a line break in one
    deliver.enqueue(sealed=_seal(_to_json(message)), attempt=1)


@task()
def deliver(sealed: str, attempt: int = 1) -> None:
    """Send one queued message (``send``'s sealed JSON form); ``attempt`` counts from 1.

    If the mail backend fails (``OSError``, which smtplib's errors are), a later attempt
    is queued when the task backend can run tasks later, then the error is raised
    again so that this attempt is recorded as failed. Other errors are not retried.
    """
    message = _open(sealed)
    try:
        _from_json(message).send()
    except OSError as error:
        _after_failure(sealed, message, attempt, error)
        # Recorded for staff without the original text (it may list the addresses).
        raise MailNotSent(type(error).__name__) from None


class MailNotSent(Exception):
    """An attempt failed; its message is only the kind of failure."""


def _fernet() -> MultiFernet:
    # Sealed with the current key; opened with it or any fallback still accepted.
    keys = [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    return MultiFernet(
        [
            Fernet(
                base64.urlsafe_b64encode(hashlib.sha256(f"offerdesk.mail:{k}".encode()).digest())
            )
            for k in keys
        ]
    )


def _seal(message: dict[str, Any]) -> str:
    return _fernet().encrypt(json.dumps(message).encode()).decode()


def _open(sealed: str) -> dict[str, Any]:
    """The message ``_seal`` sealed; InvalidToken if SECRET_KEY changed since."""
    return json.loads(_fernet().decrypt(sealed.encode()))


def _after_failure(sealed: str, message: dict[str, Any], attempt: int, error: OSError) -> None:
    # The addresses identify the mail in the log; the body (a link that logs someone
    # in, or accepts an invitation) must not be written there.
    to = ", ".join(message["to"])
    if attempt >= MAX_ATTEMPTS:
        logger.error("Mail to %s failed %d times; giving up: %r", to, attempt, error)
    elif not deliver.get_backend().supports_defer:
        logger.warning("Mail to %s failed; this task backend cannot retry it: %r", to, error)
    else:
        run_after = timezone.now() + RETRY_DELAYS[attempt - 1]
        deliver.using(run_after=run_after).enqueue(sealed=sealed, attempt=attempt + 1)
        logger.warning(
            "Mail to %s failed (attempt %d of %d); trying again at %s: %r",
            to,
            attempt,
            MAX_ATTEMPTS,
            run_after.isoformat(timespec="seconds"),
            error,
        )


def _to_json(message: EmailMessage) -> dict[str, Any]:
    # str() everywhere: a subject may be a lazy translation, which JSON cannot hold.
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "content_subtype": message.content_subtype,
        "from_email": str(message.from_email),
        "to": [str(address) for address in message.to],
        "cc": [str(address) for address in message.cc],
        "bcc": [str(address) for address in message.bcc],
        "reply_to": [str(address) for address in message.reply_to],
        "headers": {str(name): str(value) for name, value in message.extra_headers.items()},
        "alternatives": [
            [str(content), mimetype] for content, mimetype in getattr(message, "alternatives", [])
        ],
    }


def _from_json(data: dict[str, Any]) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from_email"],
        to=data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=data["headers"],
        alternatives=[(content, mimetype) for content, mimetype in data["alternatives"]],
    )
    message.content_subtype = data["content_subtype"]
    return message
