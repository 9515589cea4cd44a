"""The claims of decisions/explain.py, with no database: each kind is re-scored as it
says and must hold. Examples first, then properties over random decisions."""

from __future__ import annotations

import dataclasses
import re

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from decisions import explain as claims_module
from decisions import kinds
from decisions.explain import Claim, explain, points_text
from decisions.scoring import (
    CLOSE_CALL_POINTS,
    TIE_TOLERANCE,
    Criterion,
    Offer,
    Result,
    ScoringError,
    score,
)

NAMES = {1: "Acme", 2: "Beta", 3: "Contoso", 4: "Dunmore", 5: "Evergreen", 6: "Fable"}
LABELS = {"salary": "Salary", "culture": "Culture", "wlb": "Work-life balance", "loc": "Location"}


def run(criteria, offers, *, money_key="salary", samples=200, **options):
    result = score(criteria=criteria, offers=offers, samples=samples, seed=0, money_key=money_key)
    found = explain(
        criteria=criteria,
        offers=offers,
        result=result,
        names=NAMES,
        money_key=money_key,
        labels=LABELS,
        **options,
    )
    return result, found


def of_kind(found: list[Claim], kind: str) -> list[Claim]:
    return [c for c in found if c.kind == kind]


def with_weight(criteria, key, weight):
    return [
        Criterion(
            c.key,
            c.kind,
            weight if c.key == key else c.weight,
            c.floor,
            c.target,
            c.floor_rules_out,
        )
        for c in criteria
    ]


def with_value(offers, offer_id, key, value):
    return [
        Offer(o.id, {**o.values, key: value}, o.ranges, o.ruled_out_by) if o.id == offer_id else o
        for o in offers
    ]


def first_alone(result: Result) -> int | None:
    ranking = result.ranking
    if len(ranking) > 1 and ranking[1].rank == ranking[0].rank:
        return None
    return ranking[0].id


SALARY = Criterion("salary", "amount", 35, floor=100_000, target=180_000)
CULTURE = Criterion("culture", "rating", 25)
WLB = Criterion("wlb", "rating", 20)
LOCATION = Criterion("loc", "rating", 20, floor=4)
CRITERIA = [SALARY, CULTURE, WLB, LOCATION]


def test_the_contract_example_runs_as_documented():
    criteria = [
        Criterion("salary", "amount", 40, 80_000, 150_000),
        Criterion("culture", "rating", 60),
    ]
    offers = [
        Offer(1, {"salary": 120_000, "culture": 6}),
        Offer(2, {"salary": 100_000, "culture": 8}),
    ]
    result = score(criteria=criteria, offers=offers, samples=1000, seed=0, money_key="salary")
    claims = explain(
        criteria=criteria,
        offers=offers,
        result=result,
        names={1: "Acme", 2: "Beta"},
        money_key="salary",
    )
    lead = of_kind(claims, "lead")[0]
    assert (lead.offer, lead.other) == (2, 1)
    assert lead.points == pytest.approx(result.margin)
    assert lead.text.startswith("Beta leads Acme by")
    fields = {field.name for field in dataclasses.fields(Claim)}
    assert {"kind", "offer", "other", "criterion", "weight", "amount", "points", "text"} <= fields


def test_a_lead_names_where_it_comes_from_and_what_favours_the_runner_up():
    offers = [
        Offer(1, {"salary": 170_000, "culture": 6, "wlb": 7, "loc": 8}),
        Offer(2, {"salary": 130_000, "culture": 8, "wlb": 6, "loc": 7}),
    ]
    _, found = run(CRITERIA, offers)
    drivers = of_kind(found, "drivers")[0].text
    assert drivers.startswith("Acme leads mostly on Salary (+18)")
    assert "Beta is better on Culture (+5.0)" in drivers
    assert next(c.criterion for c in of_kind(found, "driver")) == "salary"
    assert of_kind(found, "counter")[0].criterion == "culture"


def test_a_flip_is_checked_against_every_offer_not_only_the_leader():
    # At weight 11 for salary, Beta overtakes Acme, but Contoso is then first: the
    # flip that puts Beta first must lie further out, or not exist.
    criteria = [Criterion("salary", "amount", 30, 0, 100), Criterion("culture", "rating", 70)]
    offers = [
        Offer(1, {"salary": 100, "culture": 6}),
        Offer(2, {"salary": 0, "culture": 8.4}),
        Offer(3, {"salary": 20, "culture": 8.3}),
    ]
    _result, found = run(criteria, offers, money_key=None)
    for flip in of_kind(found, "flip"):
        changed = score(
            criteria=with_weight(criteria, flip.criterion, flip.weight), offers=offers, samples=0
        )
        assert first_alone(changed) == flip.offer, flip


def test_a_leader_on_score_that_is_ruled_out_gets_no_lead_sentence():
    offers = [
        Offer(1, {"salary": 150_000, "culture": 6, "wlb": 6, "loc": 6}),
        Offer(2, {"salary": 175_000, "culture": 9, "wlb": 9, "loc": 3}),
    ]
    _, found = run(CRITERIA, offers)
    assert of_kind(found, "lead") == []
    assert of_kind(found, "only_eligible")[0].offer == 1
    ruled = of_kind(found, "ruled_out")[0]
    assert (ruled.offer, ruled.criterion) == (2, "loc")
    assert ruled.text == "Beta is ruled out: you rated its Location 3/10, below your floor of 4."
    assert of_kind(found, "would_lead")[0].offer == 2
    assert not any(re.search(r"-\d", c.text) for c in found)


def test_pay_below_the_floor_is_said_as_reaching_the_floor_and_then_coming_first():
    offers = [
        Offer(1, {"salary": 120_000, "culture": 6, "wlb": 6, "loc": 6}),
        Offer(2, {"salary": 98_000, "culture": 9, "wlb": 9, "loc": 9}),
    ]
    _, found = run(CRITERIA, offers)
    clear = of_kind(found, "pay_to_clear_floor")[0]
    assert clear.amount == 2_000
    assert clear.text == "Beta needs 2,000 more a year to reach your pay floor of 100,000."
    overtake = of_kind(found, "pay_to_overtake")[0]
    # Reaching the floor already puts Beta first: the least amount is the same.
    assert overtake.amount == 2_000
    assert "draw level" not in " ".join(c.text for c in found)


def test_pay_that_caps_at_the_target_claims_nothing_it_cannot_do():
    offers = [
        Offer(1, {"salary": 150_000, "culture": 10, "wlb": 10, "loc": 10}),
        Offer(2, {"salary": 170_000, "culture": 2, "wlb": 2, "loc": 5}),
    ]
    _, found = run(CRITERIA, offers)
    assert of_kind(found, "pay_to_overtake") == []
    assert of_kind(found, "pay_to_tie") == []


def test_a_tie_at_the_target_is_the_one_real_draw_level():
    criteria = [Criterion("salary", "amount", 50, 0, 100), Criterion("culture", "rating", 50)]
    offers = [Offer(1, {"salary": 100, "culture": 5}), Offer(2, {"salary": 50, "culture": 5})]
    _, found = run(criteria, offers)
    tie = of_kind(found, "pay_to_tie")[0]
    assert tie.amount == 50
    assert "draw level" in tie.text


def test_an_unknown_that_could_win_says_how_good_it_must_be():
    offers = [
        Offer(1, {"salary": 150_000, "culture": 7, "wlb": 7, "loc": 7}),
        Offer(2, {"salary": 150_000, "culture": 7, "wlb": None, "loc": 7}),
    ]
    _, found = run(CRITERIA, offers)
    unknown = of_kind(found, "unknown")[0]
    assert (unknown.offer, unknown.criterion, unknown.value) == (2, "wlb", 7.5)
    assert (
        unknown.text == "Beta has no Work-life balance rating yet: 7.5 or more would put it first."
    )


def test_the_leaders_unknown_matters_when_a_floor_could_rule_it_out():
    offers = [
        Offer(1, {"salary": 170_000, "culture": 9, "wlb": 9, "loc": None}),
        Offer(2, {"salary": 120_000, "culture": 5, "wlb": 5, "loc": 5}),
    ]
    _, found = run(CRITERIA, offers)
    unknown = of_kind(found, "unknown")[0]
    assert (unknown.offer, unknown.other) == (1, 2)
    assert "below your floor of 4 it would be ruled out, and Beta would come first" in unknown.text


def test_what_a_weight_buys_is_said_on_the_criterions_own_scale():
    offers = [Offer(1, {"salary": 120_000, "culture": 7, "wlb": 7, "loc": 7})]
    _, found = run(CRITERIA, offers, show=lambda key, raw: f"${raw / 1000:,.0f}k")
    worth = {c.criterion: c.text for c in of_kind(found, "worth")}
    assert worth["salary"] == (
        "Salary (weight 35): going from $100k to $180k is worth 35 points, and its floor "
        "rules offers out."
    )
    assert worth["culture"] == "Culture (weight 25): going from 0 to 10 is worth 25 points."


def test_without_figures_no_claim_states_an_amount():
    offers = [
        Offer(1, {"salary": 120_000, "culture": 6, "wlb": 6, "loc": 6}),
        Offer(2, {"salary": 98_000, "culture": 9, "wlb": 9, "loc": 9}),
    ]
    _, found = run(CRITERIA, offers, figures=False)
    assert not [c for c in found if c.kind.startswith("pay_")]
    text = " ".join(c.text for c in found)
    assert not re.search(r"\d{2},\d{3}|98000|100000|180000", text)
    assert "Beta is ruled out: its Salary is below your floor." in text
    assert "going from your floor to your target is worth 35 points" in text


def test_all_close_says_so_first_and_asks_the_tiebreaker():
    offers = [
        Offer(1, {"salary": 150_000, "culture": 6, "wlb": 7, "loc": 7}),
        Offer(2, {"salary": 141_000, "culture": 7, "wlb": 7, "loc": 7}),
    ]
    _, found = run(CRITERIA, offers)
    kinds_in_order = [c.kind for c in found]
    assert kinds_in_order.index("close_call") < kinds_in_order.index("win_share")
    assert of_kind(found, "tiebreaker")[0].text == (
        "If Acme and Beta offered the same pay, which would you take?"
    )
    assert "robust" not in of_kind(found, "win_share")[0].text


def test_a_tie_in_every_sample_is_shared_not_given_to_the_first_id():
    criteria = [Criterion("culture", "rating", 1)]
    offers = [Offer(1, {"culture": 5}), Offer(2, {"culture": 5})]
    result, found = run(criteria, offers, money_key=None)
    assert result.win_probability == {1: 0.5, 2: 0.5}
    assert of_kind(found, "lead")[0].text == "Acme and Beta tie at 50 points."


def test_must_haves_rule_an_offer_out_in_words():
    offers = [
        Offer(1, {"salary": 150_000, "culture": 6, "wlb": 6, "loc": 6}),
        Offer(
            2,
            {"salary": 170_000, "culture": 9, "wlb": 9, "loc": 9},
            ruled_out_by={"work_mode": "On-site", "location": "Amsterdam"},
        ),
    ]
    result, found = run(CRITERIA, offers)
    assert [r.id for r in result.ranking] == [1, 2]
    texts = [c.text for c in of_kind(found, "ruled_out")]
    assert "Beta is ruled out: it is on-site, a way of working you ruled out." in texts
    assert "Beta is ruled out: it is in Amsterdam, a location you ruled out." in texts


def test_points_are_written_without_a_false_zero():
    assert points_text(18.2) == "18"
    assert points_text(4.25) == "4.2"
    assert points_text(0.01) == "less than 0.1"
    assert points_text(0.0) == "0.0"


def test_an_unknown_money_key_is_refused():
    with pytest.raises(ScoringError):
        run(CRITERIA, [Offer(1, {"salary": 1})], money_key="culture")


# Properties -------------------------------------------------------------------------

KEYS = ("a", "b", "c", "d")
PAY = "a"


@st.composite
def decisions(draw):
    count = draw(st.integers(min_value=2, max_value=4))
    criteria = []
    for _position, key in enumerate(KEYS[:count]):
        if key == PAY:
            kind = draw(st.sampled_from([kinds.TOTAL_COMP, kinds.AMOUNT]))
        else:
            kind = draw(
                st.sampled_from([kinds.RATING, kinds.YES_NO, kinds.AMOUNT_LOW, kinds.AMOUNT])
            )
        spec = kinds.get(kind)
        weight = draw(st.integers(min_value=0, max_value=100))
        floor = target = None
        rules_out = True
        if spec.takes_anchors and (key == PAY or draw(st.booleans())):
            low, high = sorted(
                draw(st.lists(st.integers(0, 200), min_size=2, max_size=2, unique=True))
            )
            floor, target = (low, high) if spec.higher_is_better else (high, low)
            rules_out = draw(st.booleans())
        elif spec.fixed_scale and draw(st.booleans()):
            floor = 1 if spec.is_yes_no else draw(st.sampled_from([2, 4, 5.5]))
        criteria.append(Criterion(key, kind, weight, floor, target, rules_out))
    assume(any(c.weight for c in criteria))
    rows = draw(st.lists(st.just(None), min_size=2, max_size=5))
    offers = []
    for number, _ in enumerate(rows, start=1):
        values, ranges = {}, {}
        for c in criteria:
            spec = kinds.get(c.kind)
            if spec.is_yes_no:
                value = draw(st.sampled_from([None, 0, 1]))
            elif spec.fixed_scale:
                value = draw(st.one_of(st.none(), st.integers(0, 20).map(lambda n: n / 2)))
                if value is not None and spec.takes_range and draw(st.booleans()):
                    top = draw(st.integers(int(value * 2), 20)) / 2
                    ranges[c.key] = (value, top)
                    value = (value + top) / 2
            else:
                value = draw(st.one_of(st.none(), st.integers(0, 250)))
            values[c.key] = value
        ruled_out_by = {"work_mode": "On-site"} if draw(st.integers(0, 5)) == 0 else {}
        offers.append(Offer(number, values, ranges, ruled_out_by))
    return criteria, offers


FEW = settings(max_examples=200, deadline=None)


def _claims(problem, **options):
    criteria, offers = problem
    money = next(c for c in criteria if c.key == PAY)
    result = score(criteria=criteria, offers=offers, samples=50, seed=1, money_key=money.key)
    return (
        criteria,
        offers,
        result,
        explain(
            criteria=criteria,
            offers=offers,
            result=result,
            names=NAMES,
            money_key=money.key,
            **options,
        ),
    )


@FEW
@given(decisions())
def test_every_text_names_its_offer_and_holds_no_negative_number(problem):
    *_, found = _claims(problem)
    for claim in found:
        assert not re.search(r"[-−]\d", claim.text), claim
        if claim.offer is not None and claim.kind not in ("no_flip",):
            assert NAMES[claim.offer] in claim.text, claim


@FEW
@given(decisions())
def test_a_lead_is_the_first_over_the_second_and_never_negative(problem):
    _, _, result, found = _claims(problem)
    for claim in of_kind(found, "lead"):
        first, second = result.ranking[0], result.ranking[1]
        assert (claim.offer, claim.other) == (first.id, second.id)
        assert first.ruled_out == second.ruled_out
        assert claim.points == pytest.approx(first.score - second.score)
        assert claim.points >= 0
    if len(result.ranking) > 1 and result.ranking[1].ruled_out and not result.ranking[0].ruled_out:
        assert of_kind(found, "lead") == []


@FEW
@given(decisions())
def test_a_flip_puts_its_offer_first_alone(problem):
    criteria, offers, _, found = _claims(problem)
    for claim in of_kind(found, "flip"):
        assert claim.weight == int(claim.weight)
        assert 0 <= claim.weight <= 100
        changed = score(
            criteria=with_weight(criteria, claim.criterion, claim.weight), offers=offers, samples=0
        )
        assert first_alone(changed) == claim.offer, claim


@FEW
@given(decisions())
def test_no_flip_means_no_whole_weight_puts_another_offer_first(problem):
    criteria, offers, _result, found = _claims(problem)
    for claim in of_kind(found, "no_flip"):
        for criterion in criteria:
            for weight in range(101):
                changed = with_weight(criteria, criterion.key, weight)
                if not any(c.weight for c in changed):
                    continue
                first = first_alone(score(criteria=changed, offers=offers, samples=0))
                assert first in (None, claim.offer), (criterion.key, weight)


def _with_pay(offers, claim):
    raw = next(o for o in offers if o.id == claim.offer).values[PAY]
    return lambda extra: with_value(offers, claim.offer, PAY, raw + extra)


@FEW
@given(decisions())
def test_pay_figures_do_what_they_say_and_are_the_least_that_does(problem):
    criteria, offers, _, found = _claims(problem)
    for claim in found:
        if not claim.kind.startswith("pay_"):
            continue
        assert claim.criterion == PAY
        assert claim.amount > 0
        assert claim.amount == int(claim.amount)
        more = _with_pay(offers, claim)
        after = score(criteria=criteria, offers=more(claim.amount), samples=0)
        before = score(criteria=criteria, offers=more(claim.amount - 1), samples=0)
        row_after = next(r for r in after.ranking if r.id == claim.offer)
        row_before = next(r for r in before.ranking if r.id == claim.offer)
        if claim.kind == "pay_to_clear_floor":
            assert PAY not in row_after.dealbreakers
            assert PAY in row_before.dealbreakers
        elif claim.kind == "pay_to_overtake":
            assert first_alone(after) == claim.offer
            assert first_alone(before) != claim.offer
        else:
            assert row_after.rank == 1
            assert first_alone(after) is None
            assert row_before.rank > 1
            far = score(criteria=criteria, offers=more(claim.amount * 100), samples=0)
            assert first_alone(far) != claim.offer


@FEW
@given(decisions())
def test_drivers_and_counters_are_the_points_between_the_two(problem):
    _, _, result, found = _claims(problem)
    rows = {r.id: r for r in result.ranking}
    for claim in of_kind(found, "driver") + of_kind(found, "counter"):
        mine, theirs = rows[claim.offer], rows[claim.other]
        gap = mine.contributions[claim.criterion] - theirs.contributions[claim.criterion]
        assert claim.points == pytest.approx(gap)
        assert claim.points > 0
        leader, runner = (mine, theirs) if claim.kind == "driver" else (theirs, mine)
        assert result.ranking.index(leader) < result.ranking.index(runner)


@FEW
@given(decisions())
def test_ruled_out_offers_are_past_a_floor_or_fail_a_must_have(problem):
    _criteria, _, result, found = _claims(problem)
    rows = {r.id: r for r in result.ranking}
    for claim in of_kind(found, "ruled_out"):
        row = rows[claim.offer]
        if claim.must_have:
            assert claim.must_have in row.ruled_out_by
        else:
            assert claim.criterion in row.dealbreakers
    for row in result.ranking:
        assert bool(row.ruled_out) == any(c.offer == row.id for c in of_kind(found, "ruled_out"))


@FEW
@given(decisions())
def test_an_unknown_claim_changes_who_is_first(problem):
    criteria, offers, result, found = _claims(problem)
    for claim in of_kind(found, "unknown"):
        assert claim.criterion in next(r for r in result.ranking if r.id == claim.offer).missing
        changed = score(
            criteria=criteria,
            offers=with_value(offers, claim.offer, claim.criterion, claim.value),
            samples=0,
        )
        assert first_alone(changed) != first_alone(result), claim
        if claim.other is not None and claim.offer == first_alone(result):
            # The leader's unknown past a floor: it is ruled out, and the other leads.
            assert first_alone(changed) == claim.other, claim
        elif claim.offer != first_alone(result):
            # A value good enough puts the offer first, and a better one keeps it there.
            assert first_alone(changed) == claim.offer, claim
            spec = kinds.get(next(c for c in criteria if c.key == claim.criterion).kind)
            step = float(spec.value_input.step) if spec.fixed_scale else 1.0
            better = claim.value + step * spec.direction
            top = spec.fixed_scale[1] if spec.fixed_scale else None
            if top is None or better <= top:
                again = score(
                    criteria=criteria,
                    offers=with_value(offers, claim.offer, claim.criterion, better),
                    samples=0,
                )
                assert first_alone(again) == claim.offer, claim


@FEW
@given(decisions())
def test_unknowns_together_at_their_best_put_the_offer_first(problem):
    criteria, offers, result, found = _claims(problem)
    for claim in of_kind(found, "unknowns"):
        row = next(r for r in result.ranking if r.id == claim.offer)
        assert len(row.missing) >= 2
        best = {
            key: claims_module._value_grid(next(c for c in criteria if c.key == key))[1]
            for key in row.missing
        }
        changed = score(
            criteria=criteria, offers=with_value_all(offers, claim.offer, best), samples=0
        )
        assert first_alone(changed) == claim.offer


def with_value_all(offers, offer_id, values):
    return [
        Offer(o.id, {**o.values, **values}, o.ranges, o.ruled_out_by) if o.id == offer_id else o
        for o in offers
    ]


def test_a_new_offer_with_every_rating_unknown_could_still_come_first():
    offers = [
        Offer(1, {"salary": 150_000, "culture": 6, "wlb": 6, "loc": 6}),
        Offer(2, {"salary": 150_000, "culture": None, "wlb": None, "loc": None}),
    ]
    _, found = run(CRITERIA, offers)
    [claim] = of_kind(found, "unknowns")
    assert claim.text == (
        "Beta has no values yet for Culture, Work-life balance and Location: good values "
        "there together could put it first."
    )


@FEW
@given(decisions())
def test_worth_is_the_whole_scale_at_its_weight(problem):
    criteria, _, _, found = _claims(problem)
    total = sum(c.weight for c in criteria)
    for claim in of_kind(found, "worth"):
        weight = next(c.weight for c in criteria if c.key == claim.criterion)
        assert claim.points == pytest.approx(100 * weight / total)


@FEW
@given(decisions())
def test_the_win_share_is_the_leaders_share_of_samples(problem):
    _, _, result, found = _claims(problem)
    for claim in of_kind(found, "win_share"):
        assert claim.offer == result.ranking[0].id
        assert claim.share == result.win_probability[claim.offer]
        if claim.share < 1:
            assert "100%" not in claim.text


@FEW
@given(decisions())
def test_without_figures_no_amount_is_stated(problem):
    # Every amount the texts could write goes through ``show``: mark it, and look for it.
    criteria, _, _result, found = _claims(problem, figures=False, show=lambda k, raw: f"⟦{raw}⟧")
    amounts = {c.key for c in criteria if kinds.get(c.kind).takes_anchors}
    for claim in found:
        assert not claim.kind.startswith("pay_")
        assert "⟦" not in claim.text, claim
        if claim.criterion in amounts:
            assert claim.value is None
            assert claim.amount is None


def test_with_figures_the_amounts_are_written_through_show():
    offers = [Offer(1, {"salary": 120_000, "culture": 6, "wlb": 6, "loc": 6})]
    _, found = run(CRITERIA, offers, show=lambda k, raw: f"⟦{raw:.0f}⟧")
    assert "⟦100000⟧ to ⟦180000⟧" in " ".join(c.text for c in found)


@FEW
@given(decisions())
def test_headlines_say_what_the_ranking_holds(problem):
    _, _, result, found = _claims(problem)
    ranking = result.ranking
    for claim in of_kind(found, "only_eligible"):
        assert claim.offer == ranking[0].id
        assert not ranking[0].ruled_out
        assert all(r.ruled_out for r in ranking[1:])
    if of_kind(found, "all_ruled_out"):
        assert all(r.ruled_out for r in ranking)
    for claim in of_kind(found, "close_call") + of_kind(found, "tiebreaker"):
        assert not ranking[0].ruled_out
        assert not ranking[1].ruled_out
        assert ranking[0].score - ranking[1].score <= CLOSE_CALL_POINTS
        assert (claim.offer, claim.other) == (ranking[0].id, ranking[1].id)


@FEW
@given(decisions())
def test_a_ruled_out_offer_would_lead_only_if_its_score_would_put_it_first(problem):
    _, _, result, found = _claims(problem)
    for claim in of_kind(found, "would_lead"):
        row = next(r for r in result.ranking if r.id == claim.offer)
        assert row.ruled_out
        eligible = [r for r in result.ranking if not r.ruled_out]
        assert eligible
        assert all(row.score > r.score for r in eligible)


@FEW
@given(decisions())
def test_leads_mostly_only_when_the_named_criteria_give_most_of_the_lead(problem):
    _, _, result, found = _claims(problem)
    for claim in of_kind(found, "drivers"):
        mine, theirs = (
            next(r for r in result.ranking if r.id == i) for i in (claim.offer, claim.other)
        )
        favouring = sum(
            max(mine.contributions[k] - theirs.contributions[k], 0) for k in mine.contributions
        )
        named = sum(c.points for c in of_kind(found, "driver"))
        if "mostly" in claim.text:
            assert named > favouring / 2
        if "leads" in claim.text:
            assert mine.score - theirs.score > TIE_TOLERANCE


@FEW
@given(decisions(), st.integers(0, 250))
def test_adding_an_offer_under_fixed_anchors_changes_no_other_score(problem, pay):
    criteria, offers = problem

    def fixed(c: Criterion) -> Criterion:
        kind = kinds.get(c.kind)
        if not kind.takes_anchors or c.floor is not None:
            return c
        ends = (0, 300) if kind.higher_is_better else (300, 0)
        return Criterion(c.key, c.kind, c.weight, *ends)

    anchored = [fixed(c) for c in criteria]
    newcomer = Offer(99, {c.key: (pay if c.key == PAY else None) for c in criteria})
    before = {r.id: r.score for r in score(criteria=anchored, offers=offers, samples=0).ranking}
    after = {
        r.id: r.score
        for r in score(criteria=anchored, offers=[*offers, newcomer], samples=0).ranking
    }
    for offer_id, points in before.items():
        assert after[offer_id] == pytest.approx(points, abs=TIE_TOLERANCE)


def test_the_module_lists_every_kind_it_makes():
    made = {
        value
        for name, value in vars(claims_module).items()
        if name.isupper() and isinstance(value, str)
    }
    assert {
        "lead",
        "flip",
        "pay_to_tie",
        "pay_to_overtake",
        "pay_to_clear_floor",
        "driver",
        "ruled_out",
        "unknown",
    } <= made
