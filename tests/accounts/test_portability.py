"""Export, import and delete: the user's data is theirs."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from decisions import services
from decisions.models import CoachGrant, Criterion, Decision, LogEntry, Offer, Rating
from messaging.models import DeclineMessage
from offerdesk.accounts.models import User
from offerdesk.accounts.portability import export_user_data, import_user_data
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> User:
    call_command("seed_demo")
    user = User.objects.get(username="demo")
    decision = Decision.objects.get(owner=user)
    chosen = decision.offers.get(company="Fjord Health")
    services.decision_decide(
        decision=decision,
        actor=user,
        chosen_offer=chosen,
        why="Mission",
        confidence=80,
        review_on=None,
    )
    coach = UserFactory(full_name="Robin Coach")
    _, token = services.invitation_create(
        client=user, email="r@example.com", hide_compensation=False, accept_url=str
    )
    services.invitation_accept(token=token, coach=coach)
    services.coach_comment_add(decision=decision, coach=coach, body="Good reasons.")
    services.reflection_add(
        decision=decision,
        actor=user,
        kind="feeling",
        body="",
        feeling="Relieved",
        intensity=4,
        private=True,
    )
    return user


def _normalised(document: str) -> dict:
    return json.loads(document)


def test_an_export_imports_into_an_empty_account_and_exports_identically(demo: User):
    first = export_user_data(demo)
    parsed = json.loads(first)
    assert parsed["format"] == "offerdesk-export"
    assert len(parsed["decisions"][0]["offers"]) == 3
    profile = {k: v for k, v in parsed["profile"].items() if k != "email"}
    twin = UserFactory(email="twin@example.com", **profile)
    assert import_user_data(twin, first) == 1
    second = json.loads(export_user_data(twin))
    second["profile"]["email"] = parsed["profile"]["email"]
    assert second == parsed


def test_import_refuses_an_account_with_decisions_and_saves_nothing_on_a_broken_file(demo: User):
    document = export_user_data(demo)
    with pytest.raises(Exception, match="no decisions"):
        import_user_data(demo, document)
    empty = UserFactory()
    broken = json.loads(document)
    broken["decisions"][0]["offers"][1]["ratings"][0]["criterion"] = 99
    with pytest.raises(Exception, match="could not be read"):
        import_user_data(empty, json.dumps(broken))
    assert not Decision.objects.filter(owner=empty).exists()
    assert not Offer.objects.filter(decision__owner=empty).exists()


def test_the_pages_export_import_and_refuse_junk(client: Client, demo: User):
    client.force_login(demo)
    download = client.get(reverse("export"))
    assert download["Content-Disposition"].startswith('attachment; filename="offerdesk-demo-')
    other = UserFactory()
    client.force_login(other)
    response = client.post(
        reverse("my_data"),
        {"action": "import", "file": SimpleUploadedFile("x.json", download.content)},
    )
    assert response.status_code == HTTPStatus.FOUND
    assert Decision.objects.filter(owner=other).count() == 1
    junk = client.post(
        reverse("my_data"), {"action": "import", "file": SimpleUploadedFile("x.json", b"\xff\xfe")}
    )
    assert junk.status_code == HTTPStatus.BAD_REQUEST


def test_deleting_the_account_needs_the_password_and_removes_every_row(client: Client, demo: User):
    demo.set_password(PASSWORD)
    demo.save()
    client.force_login(demo)
    decision_ids = list(Decision.objects.filter(owner=demo).values_list("pk", flat=True))
    counts = lambda: (  # noqa: E731 - read as a table of what the user owns
        Decision.objects.filter(owner=demo).count(),
        Offer.objects.filter(decision__in=decision_ids).count(),
        Criterion.objects.filter(decision__in=decision_ids).count(),
        Rating.objects.filter(offer__decision__in=decision_ids).count(),
        LogEntry.objects.filter(decision__in=decision_ids).count(),
        DeclineMessage.objects.filter(offer__decision__in=decision_ids).count(),
        CoachGrant.objects.filter(client=demo).count(),
    )
    before = counts()
    assert all(before[:5])
    wrong = client.post(reverse("my_data"), {"action": "delete", "password": "nope"})
    assert wrong.status_code == HTTPStatus.BAD_REQUEST
    assert User.objects.filter(pk=demo.pk).exists()
    done = client.post(reverse("my_data"), {"action": "delete", "password": PASSWORD})
    assert done.status_code == HTTPStatus.FOUND
    assert not User.objects.filter(pk=demo.pk).exists()
    assert counts() == (0, 0, 0, 0, 0, 0, 0)
    assert client.get(reverse("decisions:list")).status_code == HTTPStatus.FOUND


def test_offer_amounts_survive_the_round_trip_exactly(demo: User):
    offer = Offer.objects.get(company="Fjord Health")
    twin = UserFactory()
    import_user_data(twin, export_user_data(demo))
    copy = Offer.objects.get(decision__owner=twin, company="Fjord Health")
    assert (copy.rate_to_base, copy.base_salary) == (offer.rate_to_base, offer.base_salary)
    assert copy.rate_to_base == Decimal("1.17")


@pytest.mark.parametrize("microsecond", [0, 400, 999_999])
def test_times_survive_two_round_trips_to_the_microsecond(demo: User, microsecond: int):
    # Django's own encoder writes "…:28.000Z" for 400 µs, which imports as 0 µs and
    # then exports as "…:28Z": the second export differed from the first.
    moment = dt.datetime(2026, 11, 26, 15, 16, 28, microsecond, tzinfo=dt.UTC)
    Decision.objects.filter(owner=demo).update(created_at=moment)
    Offer.objects.filter(decision__owner=demo).update(created_at=moment)
    first = export_user_data(demo)
    twin = UserFactory()
    import_user_data(twin, first)
    copy = Decision.objects.get(owner=twin)
    assert copy.created_at == moment
    assert {o.created_at for o in copy.offers.all()} == {moment}
    second = json.loads(export_user_data(twin))
    assert second["decisions"] == json.loads(first)["decisions"]


@pytest.mark.parametrize(
    ("field", "value"),
    [("recruiter_name", None), ("base_salary", "lots"), ("base_salary", "1e999999")],
)
def test_a_value_the_database_would_refuse_is_a_message_not_a_crash(demo: User, field, value):
    # Found by the import fuzzer: a null in a NOT NULL column and a number that is not
    # one escaped the importer as IntegrityError and decimal.InvalidOperation.
    document = json.loads(export_user_data(demo))
    document["decisions"][0]["offers"][0][field] = value
    twin = UserFactory()
    with pytest.raises(ValidationError):
        import_user_data(twin, json.dumps(document))
    assert not Decision.objects.filter(owner=twin).exists()
