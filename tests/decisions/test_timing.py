from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from decisions.deadlines import MAX_EXTENSION_DAYS, Clash, OfferTiming, clashes

TODAY = dt.date(2026, 12, 4)


def acme(**changes: object) -> OfferTiming:
    fields = {"id": 1, "name": "Acme", "is_open": True, "response_deadline": dt.date(2026, 12, 12)}
    return OfferTiming(**{**fields, **changes})


def beta(**changes: object) -> OfferTiming:
    fields = {"id": 2, "name": "Beta", "is_open": True, "expected_on": dt.date(2026, 12, 18)}
    return OfferTiming(**{**fields, **changes})


def test_an_offer_due_before_another_arrives_asks_for_two_days_past_its_arrival():
    assert clashes([acme(), beta()], today=TODAY, decided=False) == [
        Clash(
            offer=1,
            name="Acme",
            deadline=dt.date(2026, 12, 12),
            waiting_for=2,
            waiting_name="Beta",
            expected_on=dt.date(2026, 12, 18),
            ask_until=dt.date(2026, 12, 20),
        )
    ]


def test_an_offer_expected_before_the_deadline_is_no_clash():
    assert (
        clashes([acme(), beta(expected_on=dt.date(2026, 12, 10))], today=TODAY, decided=False) == []
    )


def test_an_offer_still_without_figures_and_no_day_asks_a_week_more():
    [clash] = clashes(
        [acme(), beta(expected_on=None, has_figures=False)], today=TODAY, decided=False
    )
    assert clash.expected_on is None
    assert clash.ask_until == dt.date(2026, 12, 19)


def test_an_offer_with_figures_and_no_day_expected_is_not_waited_for():
    assert clashes([acme(), beta(expected_on=None)], today=TODAY, decided=False) == []


def test_nothing_clashes_once_the_decision_is_made():
    assert clashes([acme(), beta()], today=TODAY, decided=True) == []


def test_closed_offers_neither_clash_nor_are_waited_for():
    assert clashes([acme(is_open=False), beta()], today=TODAY, decided=False) == []
    assert clashes([acme(), beta(is_open=False)], today=TODAY, decided=False) == []


def test_a_passed_deadline_or_none_is_no_clash():
    assert clashes([acme(response_deadline=None), beta()], today=TODAY, decided=False) == []
    passed = acme(response_deadline=dt.date(2026, 12, 3))
    assert clashes([passed, beta()], today=TODAY, decided=False) == []


def test_the_offer_waited_on_longest_sets_the_day():
    later = OfferTiming(id=3, name="Gamma", is_open=True, expected_on=dt.date(2026, 12, 28))
    [clash] = clashes([acme(), beta(), later], today=TODAY, decided=False)
    assert (clash.waiting_name, clash.ask_until) == ("Gamma", dt.date(2026, 12, 30))


days = st.integers(min_value=-5, max_value=120)


@given(deadline=days, expected=st.one_of(st.none(), days), figures=st.booleans())
def test_the_day_asked_for_is_after_the_deadline_and_within_the_limit(deadline, expected, figures):
    offers = [
        acme(response_deadline=TODAY + dt.timedelta(deadline)),
        beta(
            expected_on=None if expected is None else TODAY + dt.timedelta(expected),
            has_figures=figures,
        ),
    ]
    for clash in clashes(offers, today=TODAY, decided=False):
        assert TODAY < clash.ask_until <= TODAY + dt.timedelta(MAX_EXTENSION_DAYS)
        assert clash.ask_until > clash.deadline
        if clash.expected_on is not None:
            assert clash.expected_on > clash.deadline
