"""Every page a signed-in user reaches by links: it answers, fits and validates.

The demo candidate, from the log-in form, and a coach the demo invited, from the
invitation link: each walks every link breadth first. A page must answer 200 (no
server error), fit a 1280 px and a 390 px window with nothing behind a horizontal
scroll, and the HTML the server sent must pass the W3C Nu Html Checker without an
error. All failures are reported at once, by URL.
"""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from decisions import services
from decisions.management.commands.seed_demo import DEMO_USERNAME
from decisions.models import Decision
from offerdesk.accounts.models import User
from tests.browser.conftest import submit_login
from tests.browser.crawl import (
    DESKTOP,
    PHONE,
    Crawl,
    crawl,
    layout_problems,
    layout_problems_at_both_widths,
    validate,
    validator_missing,
)
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser]

# Not followed: logging out ends the walk, and the admin is not the product's.
NOT_FOLLOWED = ("/accounts/logout/", "/admin/")


def _not_followed(path: str) -> bool:
    return path.startswith(NOT_FOLLOWED)


def _report(name: str, found: Crawl, tmp_path, seconds: float) -> None:
    """Validate the HTML ``found`` kept, in one run; one assertion lists every failure."""
    failures = list(found.failures)
    missing = validator_missing()
    folder = tmp_path / "html"
    if missing is None:
        for url, errors in validate(found.pages, folder).items():
            failures += [f"{url}: invalid HTML, {error}" for error in errors]
    slowest = sorted(found.seconds.items(), key=lambda item: -item[1])[:3]
    print(
        f"crawl as {name}: {len(found.pages)} pages and {len(found.downloads)} downloads"
        f" in {seconds:.0f} s, {len(failures)} failures; the HTML is in {folder};"
        f" slowest: {', '.join(f'{url} {spent:.1f} s' for url, spent in slowest)}"
    )
    assert not failures, f"{len(failures)} failures as {name}:\n" + "\n".join(failures)
    if missing:
        pytest.skip(f"every page answers and fits, but none was validated: {missing}")


def _coach_invited(demo: User) -> tuple[User, str]:
    coach = UserFactory(username="coach", full_name="Sam Rivera", email="coach@example.com")
    _, token = services.invitation_create(
        client=demo, email=coach.email, hide_compensation=False, accept_url=str
    )
    return coach, token


def _coach_asks(decision: Decision, coach: User) -> None:
    """A question, an answered one, homework of each kind and a note: every state the
    coaching pages show."""
    offer = decision.offers.first()
    services.coach_comment_add(
        decision=decision, coach=coach, body="Why is culture at 20?", asks=True, about="ranking"
    )
    answered = services.coach_comment_add(
        decision=decision, coach=coach, body="Is the commute a deal-breaker?", asks=True,
        about=f"offer:{offer.pk}",
    )  # fmt: skip
    services.thread_answer(
        thread=answered, author=decision.owner, body="Not if it is twice a week."
    )
    services.homework_set(
        decision=decision, coach=coach, kind="question", prompt="Which offer would you miss?"
    )
    services.homework_set(decision=decision, coach=coach, kind="exercise", exercise="swing")
    services.homework_set(
        decision=decision, coach=coach, kind="task", prompt="Ask Northwind about on-call",
        due_on=timezone.localdate() + dt.timedelta(days=3),
    )  # fmt: skip
    services.coach_note_add(coach=coach, client=decision.owner, body="Talks about pay first.")


@pytest.mark.django_db(transaction=True)
def test_every_page_the_demo_reaches_answers_fits_and_validates(page, tmp_path):
    """First the pages a visitor sees on the way to the log-in. Then twice signed in:
    as the demo comes, with three open offers; then, after deciding through the decide
    page and saving the acceptance's draft, the pages that changed with it (the
    account's own pages are the same, and not walked again)."""
    call_command("seed_demo")
    demo = User.objects.get(username=DEMO_USERNAME)
    # A coach who reads along and one invited, so the coaching pages list both.
    coach, token = _coach_invited(demo)
    services.invitation_accept(token=token, coach=coach)
    _coach_asks(demo.decisions.get(), coach)
    services.invitation_create(
        client=demo, email="second.opinion@example.com", hide_compensation=True, accept_url=str
    )
    started = time.monotonic()
    page.goto("/")
    found = crawl(page, [page.url], skip=_not_followed, found=Crawl(stage="visitor"))
    page.set_viewport_size(DESKTOP)
    page.goto("/accounts/login/")
    submit_login(page)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    found.seen, found.stage = set(), ""
    crawl(page, [page.url, "/"], skip=_not_followed, found=found)

    decision = demo.decisions.get()
    page.set_viewport_size(DESKTOP)
    page.goto(f"/decisions/{decision.pk}/decide/")
    page.get_by_label("Why this one").fill("The team, and the pay that comes with it.")
    page.get_by_role("button", name="Save my decision").click()
    page.get_by_role("button", name="Use this text").click()
    expect(page.get_by_text("Draft saved")).to_be_visible()
    found.seen = {url for url in found.seen if "/accounts/" in url}
    found.stage = "after deciding"
    crawl(page, [page.url, f"/decisions/{decision.pk}/"], skip=_not_followed, found=found)
    _report("the demo", found, tmp_path, time.monotonic() - started)


@pytest.mark.django_db(transaction=True)
def test_every_page_a_coach_reaches_answers_fits_and_validates(page, tmp_path):
    """The demo has no coach of its own: this one is invited by the demo, and starts
    where a coach starts, on the invitation's link once logged in."""
    call_command("seed_demo")
    coach, token = _coach_invited(User.objects.get(username=DEMO_USERNAME))
    started = time.monotonic()
    page.goto("/accounts/login/")
    submit_login(page, coach.username, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    found = Crawl()
    found.check(page, page.goto(f"/coach/accept/{token}/"))
    page.set_viewport_size(DESKTOP)
    page.get_by_role("button", name="Accept the invitation").click()
    expect(page.get_by_text("You can now read")).to_be_visible()
    _coach_asks(Decision.objects.get(owner__username=DEMO_USERNAME), coach)
    crawl(page, [page.url, "/coach/"], skip=_not_followed, found=found)
    _report("a coach", found, tmp_path, time.monotonic() - started)


@pytest.mark.django_db(transaction=True)
def test_long_unbroken_names_wrap_on_every_decision_page(page, tmp_path):
    """An offer whose every name is one 120-character word (the fields' limit): each
    page that shows it still fits both widths, the text wrapping, not the page
    widening. Layout only: the markup is the crawls' above."""
    call_command("seed_demo")
    demo = User.objects.get(username=DEMO_USERNAME)
    decision = demo.decisions.get()
    services.offer_create(
        decision=decision,
        actor=demo,
        data=services.OfferData(
            company="Longname" * 15,
            role="Principal" * 13 + "Eng",
            location="Llanfairpwllgwyngyll" * 6,
            recruiter_name="Wolfeschlegelstein" * 6,
            recruiter_email=f"{'recruiter' * 7}@{'subdomain' * 6}.example",
            currency="EUR",
            base_salary=Decimal(99_999_999),
            response_deadline=timezone.localdate() + dt.timedelta(days=3),
        ),
    )
    started = time.monotonic()
    page.goto("/accounts/login/")
    submit_login(page)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    found = crawl(page, [f"/decisions/{decision.pk}/"], skip=_not_about_the_decision)
    seconds = time.monotonic() - started
    print(f"long names: {len(found.pages)} pages in {seconds:.0f} s")
    assert not found.failures, f"{len(found.failures)} failures with long names:\n" + "\n".join(
        found.failures
    )


def _not_about_the_decision(path: str) -> bool:
    return not path.startswith("/decisions/")


# A page made to fail every check: a table wider than its scrolling box, a line of
# text wider than a phone, and markup the checker refuses (an hx-* attribute, a <div>
# inside a <p>, a time without a valid datetime).
BROKEN = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Broken</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body>
<div id="scroller" style="overflow-x: auto; width: 300px">
  <table><tr><td style="min-width: 900px">wide</td></tr></table>
</div>
<p id="wide" style="width: 700px">A line that a phone cannot show.</p>
<p><div hx-get="/x">inside</div></p>
<time datetime="2026-12-07T01:02:03.123456">now</time>
</body></html>"""

FITS = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Fits</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><p>Short.</p><span style="position: absolute; width: 1px; height: 1px;
overflow: hidden; clip: rect(0 0 0 0)">A long text for screen readers only</span></body>
</html>"""


def test_the_checks_report_a_page_that_scrolls_hides_and_is_invalid(browser, tmp_path):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    try:
        page.set_content(BROKEN)
        at_desktop = layout_problems(page)
        assert any("#scroller" in p and "horizontal scroll" in p for p in at_desktop)
        page.set_viewport_size(PHONE)
        at_phone = layout_problems(page)
        assert any("page is" in p and "390 px window" in p for p in at_phone)
        assert any("p#wide" in p and "past the 390 px window" in p for p in at_phone)
        page.set_viewport_size(DESKTOP)
        both = layout_problems_at_both_widths(page)
        assert any(p.startswith("at 390 px: the page is") for p in both)

        page.set_content(FITS)
        assert layout_problems_at_both_widths(page) == []
    finally:
        context.close()
    if missing := validator_missing():
        pytest.skip(missing)
    errors = validate({"broken": BROKEN, "fits": FITS}, tmp_path)
    assert errors["fits"] == []
    broken = "\n".join(errors["broken"])
    assert "hx-get" in broken
    assert "datetime" in broken
    assert "line 10:" in broken
