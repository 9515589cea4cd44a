"""Random input into every form: never a server error, errors on the
fields when refused, nothing half-saved, and accepted text stored and shown exactly."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape as django_escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape

from decisions import services
from decisions.models import CoachInvitation, Criterion, Decision, LogEntry, Offer, Rating
from decisions.prompts import FEELINGS
from messaging.compose import CANDIDATE_REASONS, DIRECTIONS, EMPLOYER_REASONS, MEDIA, TONES
from messaging.models import Message
from offerdesk.accounts.models import Attempt, User
from offerdesk.portability import export_user_data
from tests.factories import OfferFactory, UserFactory

pytestmark = pytest.mark.django_db

EXAMPLES = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Any text a person could paste, surrogates aside (they cannot be encoded at all).
texts = st.text(st.characters(exclude_categories=("Cs",)), max_size=160)
passwords = st.text(st.characters(exclude_categories=("Cs",)), min_size=12, max_size=40)
numbers = st.one_of(
    st.integers(-(10**12), 10**12).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    texts,
)


def mostly(valid: st.SearchStrategy, invalid: st.SearchStrategy) -> st.SearchStrategy:
    """Three valid values for every wild one, so the saving path is tried often too."""
    return st.tuples(st.sampled_from([True, True, True, False]), valid, invalid).map(
        lambda drawn: drawn[1] if drawn[0] else drawn[2]
    )


amounts = st.integers(0, 10**6).map(str)


def _post(client: Client, url: str, data: dict) -> object:
    response = client.post(url, data)
    assert response.status_code < 500
    return response


def _refused_with_field_errors(response) -> bool:
    if response.status_code not in (HTTPStatus.OK, HTTPStatus.BAD_REQUEST, HTTPStatus.CONFLICT):
        return False
    values = list(response.context_data.values())
    for value in list(values):
        if isinstance(value, dict):
            values.extend(value.values())
    forms = [v for v in values if hasattr(v, "errors") and hasattr(v, "is_bound")]
    return any(form.is_bound and form.errors for form in forms)


def _shown(text: str, page: str) -> bool:
    """Jinja2 (MarkupSafe) and Django's widgets escape quotes differently; either will do."""
    return str(escape(text)) in page or django_escape(text) in page


@EXAMPLES
@given(title=texts, goals=texts, currency=st.sampled_from(["EUR", "USD", "XXX", ""]),
       current=mostly(st.one_of(st.just(""), amounts), numbers),
       floor=mostly(st.one_of(st.just(""), amounts), numbers),
       target=mostly(st.one_of(st.just(""), amounts), numbers))  # fmt: skip
def test_decision_form(
    owner_client: Client, user: User, title, goals, currency, current, floor, target
):
    before = Decision.objects.count()
    response = _post(
        owner_client,
        reverse("decisions:list"),
        {
            "title": title,
            "goals": goals,
            "base_currency": currency,
            "current_pay": current,
            "pay_floor": floor,
            "pay_target": target,
        },
    )
    if response.status_code == HTTPStatus.FOUND:
        decision = Decision.objects.latest("pk")
        assert decision.title == title.strip()
        assert decision.goals == goals.strip()
        salary = decision.criteria.get(name="Salary")
        if floor and target:
            assert (salary.floor, salary.target) == (Decimal(floor), Decimal(target))
        page = owner_client.get(decision.get_absolute_url()).content.decode()
        assert _shown(decision.title, page)
    else:
        assert _refused_with_field_errors(response)
        assert Decision.objects.count() == before


@EXAMPLES
@given(modes=st.lists(mostly(st.sampled_from(["onsite", "hybrid", "remote"]), texts), max_size=4),
       picked=st.lists(texts, max_size=3), other=texts)  # fmt: skip
def test_must_haves_form(owner_client: Client, offer: Offer, modes, picked, other):
    decision = offer.decision
    before = Decision.objects.get(pk=decision.pk).must_haves
    response = _post(
        owner_client,
        reverse("decisions:must_haves", args=[decision.pk]),
        {"work_modes": modes, "locations": [*picked, offer.location], "other_location": other},
    )
    after = Decision.objects.get(pk=decision.pk).must_haves
    if response.status_code == HTTPStatus.FOUND:
        assert set(after.get("work_mode", [])) == set(modes)
        page = owner_client.get(reverse("decisions:compare", args=[decision.pk]))
        assert page.status_code == HTTPStatus.OK
    else:
        assert _refused_with_field_errors(response)
        assert after == before


@EXAMPLES
@given(pick=mostly(st.just("mine"), texts), why=texts)
def test_tiebreak_form(owner_client: Client, offer: Offer, pick, why):
    decision = offer.decision
    if decision.offers.count() == 1:  # a tie between two: a close call with a question
        OfferFactory(decision=decision, company="Twin", base_salary=offer.base_salary)
    before = decision.log_entries.count()
    data = {"offer": offer.pk if pick == "mine" else pick, "why": why}
    response = _post(owner_client, reverse("decisions:tiebreak", args=[decision.pk]), data)
    assert response.status_code == HTTPStatus.FOUND
    written = decision.log_entries.count() - before
    # Django refuses a NUL character in any text field; the rest of an answer is kept.
    assert written == (1 if pick == "mine" and "\x00" not in why else 0)
    if written:
        entry = decision.log_entries.first()
        assert entry.body.startswith(f"I would take {offer.company}.")
        assert entry.data["question"].startswith("If ")
        assert entry.data["question"].endswith("?")


@EXAMPLES
@given(company=texts, role=texts, notes=texts, salary=mostly(amounts, numbers),
       bonus=mostly(amounts, numbers), rate=mostly(st.just("1.1"), numbers),
       currency=st.sampled_from(["EUR", "GBP", "ABC"]), deadline=texts)  # fmt: skip
def test_offer_form(
    owner_client: Client,
    decision: Decision,
    company,
    role,
    notes,
    salary,
    bonus,
    rate,
    currency,
    deadline,
):
    before = Offer.objects.count()
    data = {
        "company": company, "role": role, "notes": notes, "base_salary": salary, "bonus": bonus,
        "rate_to_base": rate, "currency": currency, "response_deadline": deadline,
        "rate_on": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
        "work_mode": "hybrid", "status": "open", "equity_per_year": "0", "signing_bonus": "0",
        "benefits_value": "0", "vesting": "even", "annual_raise": "0",
        "recruiter_name": "", "recruiter_email": "",
    }  # fmt: skip
    response = _post(owner_client, reverse("decisions:offer_create", args=[decision.pk]), data)
    if response.status_code == HTTPStatus.FOUND:
        offer = Offer.objects.latest("pk")
        assert (offer.company, offer.role, offer.notes) == (
            company.strip(),
            role.strip(),
            notes.strip(),
        )
        page = owner_client.get(decision.get_absolute_url()).content.decode()
        assert _shown(offer.company, page)
    else:
        assert _refused_with_field_errors(response)
        assert Offer.objects.count() == before


@EXAMPLES
@given(name=texts, unit=texts, weight=mostly(st.integers(0, 100).map(str), numbers),
       floor=mostly(st.just(""), numbers), target=mostly(st.just(""), numbers),
       kind=mostly(st.sampled_from(["rating", "amount", "amount_low"]),
                   st.just("nope")))  # fmt: skip
def test_criterion_form(
    owner_client: Client, decision: Decision, name, unit, weight, floor, target, kind
):
    before = Criterion.objects.count()
    data = {
        "name": name,
        "unit": unit,
        "weight": weight,
        "floor": floor,
        "target": target,
        "kind": kind,
    }
    response = _post(owner_client, reverse("decisions:criterion_add", args=[decision.pk]), data)
    if response.status_code == HTTPStatus.FOUND:
        criterion = Criterion.objects.latest("pk")
        assert criterion.name == name.strip()
        page = owner_client.get(reverse("decisions:criteria", args=[decision.pk])).content.decode()
        assert _shown(criterion.name, page)
    else:
        assert _refused_with_field_errors(response)
        assert Criterion.objects.count() == before


@EXAMPLES
@given(full_name=texts, address=texts, phone=texts, signature=texts,
       paper=st.sampled_from(["a4", "letter", "A3"]))  # fmt: skip
def test_profile_form(
    owner_client: Client, user: User, full_name, address, phone, signature, paper
):
    data = {"full_name": full_name, "postal_address": address, "phone": phone,
            "signature": signature, "paper_size": paper}  # fmt: skip
    response = _post(owner_client, reverse("profile"), data)
    user.refresh_from_db()
    if response.status_code == HTTPStatus.FOUND:
        assert (user.full_name, user.signature) == (full_name.strip(), signature.strip())
        page = owner_client.get(reverse("profile")).content.decode()
        assert _shown(user.signature, page)
    else:
        assert _refused_with_field_errors(response)


@EXAMPLES
@given(body=texts, kind=st.sampled_from(["goal", "scenario", "reflection"]), private=st.booleans())
def test_reflection_form(owner_client: Client, decision: Decision, body, kind, private):
    before = LogEntry.objects.count()
    data = {"kind": kind, f"{kind}-body": body}
    if private:
        data[f"{kind}-private"] = "on"
    response = _post(owner_client, reverse("decisions:reflect", args=[decision.pk]), data)
    if response.status_code == HTTPStatus.FOUND:
        entry = LogEntry.objects.latest("pk")
        assert (entry.body, entry.private) == (body.strip(), private)
        page = owner_client.get(reverse("decisions:log", args=[decision.pk]), {"kind": kind})
        assert _shown(entry.body, page.content.decode())
    else:
        assert _refused_with_field_errors(response)
        assert LogEntry.objects.count() == before


htmx = {"HTTP_HX_REQUEST": "true"}


@EXAMPLES
@given(direction=mostly(st.just("candidate"), st.sampled_from([*DIRECTIONS, "both"])),
       medium=mostly(st.sampled_from(list(MEDIA)), st.just("fax")),
       tone=mostly(st.sampled_from(list(TONES)), st.just("rude")),
       elements=st.sets(st.sampled_from(["gratitude", "decision", "reason", "future"])),
       reason=mostly(st.sampled_from(list(CANDIDATE_REASONS)),
                     st.sampled_from([*EMPLOYER_REASONS, "because"])),
       detail=texts, recipient=texts, use=st.booleans())  # fmt: skip
def test_composer(
    owner_client: Client, offer: Offer, direction, medium, tone, elements, reason, detail,
    recipient, use,
):  # fmt: skip
    url = reverse("messaging:compose", args=[offer.decision_id, offer.pk, "decline"])
    data = {"direction": direction, "medium": medium, "tone": tone, "future_mode": "open",
            "reason_choice": reason, "reason_detail": detail, "recipient_name": recipient,
            "replace_edits": "on", **{name: "on" for name in elements}}  # fmt: skip
    before = list(Message.objects.values_list("body", flat=True))
    preview = owner_client.post(url, data, **htmx)
    assert preview.status_code == HTTPStatus.OK
    form = preview.context_data["form"]
    if use:
        saved = _post(owner_client, url, {**data, "action": "use"})
        assert (saved.status_code == HTTPStatus.FOUND) == form.is_valid()
    if not form.is_valid():
        assert form.errors
        assert list(Message.objects.values_list("body", flat=True)) == before
        return
    if "reason" in elements:
        # The letter keeps every line of the detail; only trailing spaces are trimmed.
        page = preview.content.decode()
        assert all(_shown(line.strip(), page) for line in re.split(r"\r\n|\r|\n", detail))
    if use:
        message = Message.objects.get(offer=offer)
        assert (message.reason_detail, message.recipient_name) == (
            detail.strip(),
            recipient.strip(),
        )


@EXAMPLES
@given(subject=texts, body=st.one_of(texts, st.text(min_size=1, max_size=9000)))
def test_draft_edits(owner_client: Client, offer: Offer, subject, body):
    compose_url = reverse("messaging:compose", args=[offer.decision_id, offer.pk, "decline"])
    if not Message.objects.filter(offer=offer).exists():
        owner_client.post(compose_url, {"direction": "candidate", "medium": "email",
                                        "tone": "warm", "future_mode": "open",
                                        "reason_choice": "culture", "action": "use"})  # fmt: skip
    before = Message.objects.get(offer=offer).body
    url = reverse("messaging:save_edits", args=[offer.decision_id, offer.pk, "decline"])
    response = _post(owner_client, url, {"subject": subject, "body": body})
    message = Message.objects.get(offer=offer)
    if response.status_code == HTTPStatus.FOUND:
        assert (message.subject, message.body) == (subject.strip(), body.strip())
        assert _shown(message.body, owner_client.get(compose_url).content.decode())
    else:
        assert response.context_data["draft_form"].errors
        assert message.body == before


@EXAMPLES
@given(pick=mostly(st.just("mine"), st.sampled_from(["foreign", "nonsense", ""])), why=texts,
       confidence=mostly(st.integers(0, 100).map(str), numbers),
       review_on=mostly(st.dates().map(str), texts))  # fmt: skip
def test_decide_form(
    owner_client: Client, offer: Offer, foreign_decision: Decision, pick, why, confidence,
    review_on,
):  # fmt: skip
    choice = {"mine": offer.pk, "foreign": foreign_decision.offers.get().pk,
              "nonsense": "x", "": ""}[pick]  # fmt: skip
    decision = offer.decision
    before = Decision.objects.values_list("status", "decided_reason").get(pk=decision.pk)
    data = {"chosen_offer": choice, "why": why, "confidence": confidence, "review_on": review_on}
    response = _post(owner_client, reverse("decisions:decide", args=[decision.pk]), data)
    decision.refresh_from_db()
    if response.status_code == HTTPStatus.FOUND:
        assert pick == "mine"
        assert (decision.chosen_offer_id, decision.decided_reason) == (offer.pk, why.strip())
        # Deciding leads on to the acceptance message; the reason shows on the decision.
        page = owner_client.get(decision.get_absolute_url()).content.decode()
        assert _shown(decision.decided_reason, page)
    else:
        assert _refused_with_field_errors(response)
        assert (decision.status, decision.decided_reason) == before
    assert Decision.objects.get(pk=foreign_decision.pk).chosen_offer_id is None


@EXAMPLES
@given(values=mostly(st.lists(st.sampled_from(["", "0", "7", "9.5", "10"]), min_size=10,
                              max_size=10), st.lists(numbers, min_size=10, max_size=10)),
       notes=st.lists(texts, min_size=10, max_size=10))  # fmt: skip
def test_ratings_grid(owner_client: Client, offer: Offer, values, notes):
    decision = offer.decision
    if decision.offers.count() == 1:
        OfferFactory(decision=decision, company="Second")
    cells = [
        (o, c)
        for o in decision.offers.all()
        for c in decision.criteria.all()
        if c.kind_spec.has_cell
    ]
    decision.refresh_from_db()
    data: dict = {"version": decision.version}
    for (o, c), value, note in zip(cells, values, notes, strict=False):
        data[f"value-{o.pk}-{c.pk}"] = value
        data[f"note-{o.pk}-{c.pk}"] = note
        # Every other cell also gets a top of its range: often valid, sometimes not.
        if len(note) % 2:
            data[f"high-{o.pk}-{c.pk}"] = values[len(note) % len(values)]
    before = list(Rating.objects.order_by("pk").values_list("value", "value_high", "note"))
    response = _post(owner_client, reverse("decisions:ratings", args=[decision.pk]), data)
    if response.status_code == HTTPStatus.FOUND:
        page = owner_client.get(response.url).content.decode()
        for o, c in cells:
            note = data[f"note-{o.pk}-{c.pk}"].strip()
            stored = Rating.objects.filter(offer=o, criterion=c).values_list("note", flat=True)
            assert list(stored) in ([note], [] if not note else [note])
            assert _shown(note, page)
    else:
        assert _refused_with_field_errors(response)
        assert (
            list(Rating.objects.order_by("pk").values_list("value", "value_high", "note")) == before
        )


@EXAMPLES
@given(
    weights=mostly(
        st.lists(st.integers(0, 100).map(str), min_size=5, max_size=5),
        st.lists(numbers, min_size=5, max_size=5),
    ),
    stale=st.booleans(),
)
def test_weights_form(owner_client: Client, decision: Decision, weights, stale):
    criteria = list(decision.criteria.all())
    decision.refresh_from_db()
    data = {"version": decision.version - 1 if stale and decision.version else decision.version}
    data |= {f"weight-{c.pk}": w for c, w in zip(criteria, weights, strict=False)}
    before = list(Criterion.objects.order_by("pk").values_list("weight", flat=True))
    response = _post(owner_client, reverse("decisions:criteria", args=[decision.pk]), data)
    after = list(Criterion.objects.order_by("pk").values_list("weight", flat=True))
    if response.status_code == HTTPStatus.FOUND:
        assert after == [int(w) for w in weights]
    else:
        assert _refused_with_field_errors(response)
        assert after == before


@EXAMPLES
@given(email=st.one_of(st.emails(), texts), hide=st.booleans())
def test_coach_invite_form(owner_client: Client, user: User, email, hide):
    Attempt.objects.all().delete()  # every example starts within the mail limits
    before = CoachInvitation.objects.count()
    data = {"email": email, **({"hide_compensation": "on"} if hide else {})}
    response = _post(owner_client, reverse("coach:access"), data)
    if response.status_code == HTTPStatus.FOUND:
        invitation = CoachInvitation.objects.latest("pk")
        assert (invitation.email, invitation.hide_compensation) == (email.strip(), hide)
        page = owner_client.get(response.url).content.decode()
        assert _shown(invitation.email, page)
    else:
        assert _refused_with_field_errors(response)
        assert CoachInvitation.objects.count() == before


@EXAMPLES
@given(body=st.one_of(texts, st.text(min_size=3990, max_size=4100)))
def test_coach_comment_form(client: Client, decision: Decision, body):
    coach = User.objects.filter(email="fuzz-coach@example.com").first()
    if coach is None:
        coach = UserFactory(email="fuzz-coach@example.com")
        _, token = services.invitation_create(
            client=decision.owner, email=coach.email, hide_compensation=False, accept_url=str
        )
        services.invitation_accept(token=token, coach=coach)
    client.force_login(coach)
    before = LogEntry.objects.count()
    url = reverse("coach:comment", args=[decision.pk])
    response = _post(client, url, {"body": body})
    if response.status_code == HTTPStatus.FOUND:
        entry = LogEntry.objects.latest("pk")
        assert (entry.kind, entry.body, entry.author) == ("coach_comment", body.strip(), coach)
        assert _shown(entry.body, client.get(response.url).content.decode())
    else:
        assert _refused_with_field_errors(response)
        assert LogEntry.objects.count() == before


@EXAMPLES
@given(feeling=mostly(st.sampled_from(FEELINGS), texts), body=texts, private=st.booleans(),
       intensity=mostly(st.integers(1, 5).map(str), numbers))  # fmt: skip
def test_feeling_form(owner_client: Client, decision: Decision, feeling, intensity, body, private):
    before = LogEntry.objects.count()
    data = {"kind": "feeling", "feeling-feeling": feeling, "feeling-intensity": intensity,
            "feeling-body": body, **({"feeling-private": "on"} if private else {})}  # fmt: skip
    response = _post(owner_client, reverse("decisions:reflect", args=[decision.pk]), data)
    if response.status_code == HTTPStatus.FOUND:
        entry = LogEntry.objects.latest("pk")
        assert (entry.data["feeling"], entry.data["intensity"]) == (feeling, int(intensity))
        assert (entry.body, entry.private) == (body.strip(), private)
    else:
        assert _refused_with_field_errors(response)
        assert LogEntry.objects.count() == before


@EXAMPLES
@given(sent_on=mostly(st.dates(max_value=dt.date(2026, 1, 1)).map(str),
                      st.one_of(st.dates().map(str), texts)))  # fmt: skip
def test_sent_form(owner_client: Client, offer: Offer, sent_on):
    Message.objects.update_or_create(
        offer=offer, defaults={"subject": "Thank you", "body": "No, thank you.", "sent_on": None}
    )
    Offer.objects.filter(pk=offer.pk).update(status=Offer.Status.OPEN)
    url = reverse("messaging:mark_sent", args=[offer.decision_id, offer.pk, "decline"])
    response = _post(owner_client, url, {"sent_on": sent_on})
    message = Message.objects.get(offer=offer)
    if response.status_code == HTTPStatus.FOUND:
        assert str(message.sent_on) == sent_on.strip()
    else:
        assert response.context_data["sent_form"].errors
        assert message.sent_on is None


@EXAMPLES
@given(username=mostly(st.from_regex(r"[a-z][a-z0-9_.+-]{2,20}", fullmatch=True), texts),
       email=mostly(st.emails(), texts),
       password=mostly(passwords, texts))  # fmt: skip
def test_signup_form(client: Client, db: None, username, email, password):
    client.logout()
    caches["default"].clear()  # every example starts within the sign-up limit
    before = User.objects.count()
    data = {"username": username, "email": email, "password1": password, "password2": password}
    response = _post(client, reverse("account_signup"), data)
    # An address an earlier example took makes an account all the same (enumeration
    # prevention): only a taken username is refused.
    if response.status_code == HTTPStatus.FOUND:
        user = User.objects.latest("pk")
        # Look-alike usernames are folded (NFKC); allauth keeps addresses in lower case.
        assert (user.username, user.email) == (
            User.normalize_username(username),
            email.strip().lower(),
        )
        assert user.check_password(password)
        assert User.objects.count() == before + 1
    else:
        assert _refused_with_field_errors(response)
        assert User.objects.count() == before


@EXAMPLES
@given(title=texts, goals=texts, currency=mostly(st.sampled_from(["EUR", "USD"]), texts),
       basis=mostly(st.sampled_from(["annualised", "first_year"]), texts))  # fmt: skip
def test_decision_edit_form(
    owner_client: Client, decision: Decision, title, goals, currency, basis
):
    before = Decision.objects.values_list("title", "goals").get(pk=decision.pk)
    data = {"title": title, "goals": goals, "base_currency": currency, "pay_basis": basis}
    response = _post(owner_client, reverse("decisions:edit", args=[decision.pk]), data)
    decision.refresh_from_db()
    if response.status_code == HTTPStatus.FOUND:
        assert (decision.title, decision.goals) == (title.strip(), goals.strip())
        assert _shown(decision.title, owner_client.get(response.url).content.decode())
    else:
        assert _refused_with_field_errors(response)
        assert (decision.title, decision.goals) == before


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | texts,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(texts, children, max_size=3),
    max_leaves=6,
)


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, child in node.items():
            yield from _paths(child, (*prefix, key))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            yield from _paths(child, (*prefix, index))


@pytest.fixture
def export(user: User) -> dict:
    call_command("seed_demo")
    return json.loads(export_user_data(User.objects.get(username="demo")))


@EXAMPLES
@given(where=st.integers(0, 10**6), value=json_values, drop=st.booleans())
def test_importing_a_damaged_export(client: Client, export: dict, where, value, drop):
    """One value of a real export replaced (or removed): imported whole, or refused
    with a message on the file field and nothing saved."""
    document = copy.deepcopy(export)
    paths = [path for path in _paths(document) if path]
    *parents, last = paths[where % len(paths)]
    node = document
    for key in parents:
        node = node[key]
    if drop and isinstance(node, dict):
        del node[last]
    else:
        node[last] = value
    fresh = UserFactory()
    client.force_login(fresh)
    upload = SimpleUploadedFile("export.json", json.dumps(document).encode(), "application/json")
    response = _post(client, reverse("my_data"), {"action": "import", "file": upload})
    if response.status_code == HTTPStatus.FOUND:
        assert Decision.objects.filter(owner=fresh).count() == len(document["decisions"])
    else:
        assert response.context_data["import_form"].errors["file"]
        assert not Decision.objects.filter(owner=fresh).exists()
