"""offerdesk/forms.py: a service's error onto its form, the status it means, DataForm."""

from __future__ import annotations

from dataclasses import dataclass
from http import HTTPStatus

import pytest
from django import forms
from django.core.exceptions import ValidationError

from offerdesk.accounts.models import User
from offerdesk.forms import (
    STALE,
    DataForm,
    add_service_error,
    error_status,
    service_errors,
)


class NameForm(forms.Form):
    name = forms.CharField(max_length=20)


def test_an_unbound_or_valid_form_is_200():
    assert error_status(NameForm()) == HTTPStatus.OK
    valid = NameForm({"name": "Ada"})
    assert valid.is_valid()
    assert error_status(valid) == HTTPStatus.OK


def test_invalid_input_is_400_and_200_for_htmx_which_swaps_only_2xx_and_409():
    form = NameForm({"name": ""})
    assert not form.is_valid()
    assert error_status(form) == HTTPStatus.BAD_REQUEST
    assert error_status(form, htmx=True) == HTTPStatus.OK


def test_a_stale_edit_is_409_for_pages_and_htmx_alike():
    form = NameForm({"name": "Ada"})
    assert form.is_valid()
    add_service_error(form, ValidationError("Changed elsewhere.", code=STALE))
    assert error_status(form) == HTTPStatus.CONFLICT
    assert error_status(form, htmx=True) == HTTPStatus.CONFLICT


def test_field_errors_land_on_their_fields_and_unknown_fields_above_the_form():
    form = NameForm({"name": "Ada"})
    assert form.is_valid()
    add_service_error(form, ValidationError({"name": "Taken.", "weight": "Too heavy."}))
    assert form.errors["name"] == ["Taken."]
    assert form.non_field_errors() == ["Too heavy."]


def test_service_errors_keeps_the_error_and_goes_on_past_the_block():
    form = NameForm({"name": "Ada"})
    assert form.is_valid()
    reached = []
    with service_errors(form):
        raise ValidationError("Refused.")
    reached.append("after")
    assert reached == ["after"]
    assert form.non_field_errors() == ["Refused."]


def test_service_errors_lets_other_exceptions_through():
    form = NameForm({"name": "Ada"})
    with pytest.raises(KeyError), service_errors(form):
        raise KeyError("not a validation error")


@dataclass(frozen=True, kw_only=True)
class NameData:
    full_name: str
    username: str


class ProfileNameForm(DataForm[NameData]):
    data_class = NameData

    class Meta:
        model = User
        fields = ("full_name", "username")


@pytest.mark.django_db
def test_a_data_form_shows_the_row_validates_and_never_writes_on_it(user: User):
    before = (user.full_name, user.username)
    shown = ProfileNameForm(row=user)
    assert shown["username"].value() == user.username

    form = ProfileNameForm({"full_name": "Someone Else", "username": "someone-else"}, row=user)
    assert form.is_valid(), form.errors
    assert form.to_data() == NameData(full_name="Someone Else", username="someone-else")
    assert (user.full_name, user.username) == before
    user.refresh_from_db()
    assert (user.full_name, user.username) == before


@pytest.mark.django_db
def test_a_data_form_checks_the_models_constraints_without_clashing_with_its_own_row(
    user: User, other_user: User
):
    own = ProfileNameForm({"full_name": "Me", "username": user.username}, row=user)
    assert own.is_valid(), own.errors
    taken = ProfileNameForm({"full_name": "Me", "username": other_user.username}, row=user)
    assert not taken.is_valid()
