"""What every app's views do with a form after a service refused it.

A service validates what it writes and raises Django's ValidationError; a view puts
that error on the form it came from and answers with the status the error means:
400 for invalid input, 409 when the edit lost a race with another one (``stale``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from http import HTTPStatus
from typing import Any, Generic, TypeVar

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.forms import BaseForm

STALE = "stale"

Data = TypeVar("Data")


class DataForm(forms.ModelForm, Generic[Data]):
    """A model form that validates and hands over a service's input; it never writes.

    Its fields and their checks come from the model, but it is built on a copy (the
    ``blank`` a caller passes, else an empty copy of ``row`` with the same id) and shows
    the stored ``row`` through ``initial``: the row a service then reads, compares and
    saves is never touched. ``data_class`` is the input its cleaned data becomes, with
    exactly the form's ``Meta.fields``.
    """

    data_class: type[Data]

    def __init__(
        self,
        *args: Any,
        row: models.Model | None = None,
        blank: models.Model | None = None,
        **kwargs: Any,
    ) -> None:
        if row is not None:
            stored = forms.model_to_dict(row, fields=self._meta.fields)
            kwargs["initial"] = {
                **{name: _as_typed(value) for name, value in stored.items()},
                **kwargs.get("initial", {}),
            }
            if blank is None:
                blank = self._meta.model(pk=row.pk)
                blank._state.adding = False  # the stored row: its own values are no clash
        super().__init__(*args, instance=blank, **kwargs)

    def to_data(self) -> Data:
        return self.data_class(**{name: self.cleaned_data[name] for name in self._meta.fields})


def _as_typed(value: Any) -> Any:
    """A stored value as someone would type it: a Decimal without the column's
    trailing zeros (1.17, not 1.170000; 78000, not 78000.00)."""
    if not isinstance(value, Decimal) or not value.is_finite():
        return value
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


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


@contextmanager
def service_errors(form: BaseForm) -> Iterator[None]:
    """Run a service (and what follows its success) in the block; a ValidationError it
    raises lands on ``form`` and the view goes on past the block to show the form:

        with service_errors(form):
            offer = services.offer_create(...)
            return redirect(offer)
        return TemplateResponse(..., status=error_status(form))
    """
    try:
        yield
    except ValidationError as error:
        add_service_error(form, error)


def error_status(form: BaseForm, *, htmx: bool = False) -> int:
    """200 for a form without errors, 409 when it lost a race, 400 for other errors.

    With ``htmx``, invalid input is answered 200: htmx swaps only 2xx and 409 (see
    htmx-config in _document.html), and the fragment it swaps in shows the errors.
    """
    if not (form.is_bound and form.errors):
        return HTTPStatus.OK
    if form.has_error(NON_FIELD_ERRORS, STALE):
        return HTTPStatus.CONFLICT
    return HTTPStatus.OK if htmx else HTTPStatus.BAD_REQUEST
