"""What every app's views do with a form after a service refused it.

A service validates what it writes and raises Django's ValidationError; a view puts
that error on the form it came from and answers with the status the error means:
400 for invalid input, 409 when the edit lost a race with another one (``stale``).
"""

from __future__ import annotations

from http import HTTPStatus

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms import BaseForm

STALE = "stale"


def add_service_error(form: BaseForm, error: ValidationError) -> None:
    """Put a service's error on ``form``: each field's on that field, the rest above it.

    A service may name a field the form does not show (the weights of a criteria
    form, say); that error is shown above the form rather than lost.
    """
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def error_status(form: BaseForm) -> int:
    """200 for a form without errors, 409 when it lost a race, 400 for other errors."""
    if not (form.is_bound and form.errors):
        return HTTPStatus.OK
    if form.has_error(NON_FIELD_ERRORS, STALE):
        return HTTPStatus.CONFLICT
    return HTTPStatus.BAD_REQUEST
