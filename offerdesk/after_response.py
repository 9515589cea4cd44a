"""Work that waits until the response has left: ``after_response(task)``.

For mail whose sending must not show in the response time, where that time would
tell an outsider something (a password reset answers as fast for an address with an
account as for one without). Django sends ``request_finished`` when the server closes
the response, after its last byte was written. Outside a request (a management
command, a test calling a service) the task runs at once.

A task that fails is logged, never raised: the response it follows is already sent.
A database connection a task opens is checked, like any, when the thread's next
request starts (Django's close_old_connections on request_started); closing it here
would also close a test's connection, which Django's test client keeps open.
A queue with retries replaces this when mail moves to one (the accounts issue).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from django.core.signals import request_finished, request_started

logger = logging.getLogger(__name__)
_pending = threading.local()


def after_response(task: Callable[[], object]) -> None:
    tasks = getattr(_pending, "tasks", None)
    if tasks is None:
        task()
    else:
        tasks.append(task)


def _start(**_: object) -> None:
    _pending.tasks = []


def _finish(**_: object) -> None:
    tasks, _pending.tasks = getattr(_pending, "tasks", None) or [], None
    for task in tasks:
        try:
            task()
        except Exception:  # the response is sent; a failure can only be logged
            logger.exception("A task after the response failed")


request_started.connect(_start, dispatch_uid="offerdesk.after_response.start")
request_finished.connect(_finish, dispatch_uid="offerdesk.after_response.finish")
