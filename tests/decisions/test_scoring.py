"""The scoring engine, with no database: examples first, then properties."""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from decisions import kinds
from decisions.scoring import Criterion, Flip, Offer, ScoringError, score

SALARY = Criterion(key="salary", kind="amount", weight=40, floor=80_000, target=150_000)
COMMUTE = Criterion(key="commute", kind="amount_low", weight=10, floor=90, target=15)
CULTURE = Criterion(key="culture", kind="rating", weight=30)
WLB = Criterion(key="wlb", kind="rating", weight=20)
CRITERIA = [SALARY, COMMUTE, CULTURE, WLB]


def by_id(result):
    return {r.id: r for r in result.ranking}


def test_the_documented_example_scores_each_criterion_on_its_anchors():
    offer = Offer(id=1, values={"salary": 120_000, "commute": 40, "culture": 7, "wlb": None})
    result = score(criteria=CRITERIA, offers=[offer], samples=10, seed=0)
    only = result.ranking[0]
    # salary (120-80)/(150-80) = 4/7; commute (40-90)/(15-90) = 2/3; culture 0.7; wlb unknown.
    assert only.contributions["salary"] == pytest.approx(40 * 4 / 7)
    assert only.contributions["commute"] == pytest.approx(10 * 2 / 3)
    assert only.contributions["culture"] == pytest.approx(21)
    assert only.contributions["wlb"] == 0
    assert only.score == pytest.approx(40 * 4 / 7 + 10 * 2 / 3 + 21)
    assert only.low == only.score
    assert only.high == pytest.approx(only.score + 20)
    assert only.incomplete
    assert only.missing == ("wlb",)
    assert only.rank == 1


def test_values_are_clipped_to_the_anchors():
    offers = [Offer(id=1, values={"salary": 200_000, "commute": 5, "culture": 12, "wlb": 10})]
    result = score(criteria=CRITERIA, offers=offers, samples=0)
    assert result.ranking[0].score == pytest.approx(100)


def test_with_anchors_an_added_offer_changes_no_other_score():
    first = Offer(id=1, values={"salary": 120_000, "commute": 40, "culture": 7, "wlb": 6})
    second = Offer(id=2, values={"salary": 95_000, "commute": 20, "culture": 9, "wlb": 8})
    alone = score(criteria=CRITERIA, offers=[first], samples=0)
    together = score(criteria=CRITERIA, offers=[first, second], samples=0)
    assert by_id(together)[1].score == pytest.approx(by_id(alone)[1].score)
    assert together.relative == ()


def test_without_anchors_amounts_run_between_the_worst_and_best_present():
    commute = Criterion(key="commute", kind="amount_low", weight=1)
    offers = [
        Offer(id=1, values={"commute": 60}),
        Offer(id=2, values={"commute": 20}),
        Offer(id=3, values={"commute": 30}),
    ]
    result = score(criteria=[commute], offers=offers, samples=0)
    assert [r.id for r in result.ranking] == [2, 3, 1]
    assert by_id(result)[3].score == pytest.approx(75)
    assert result.relative == ("commute",)


def test_all_weights_zero_is_a_clear_error():
    with pytest.raises(ScoringError, match="weight above zero"):
        score(criteria=[Criterion(key="a", kind="rating", weight=0)], offers=[], samples=0)


@pytest.mark.parametrize(
    "criterion",
    [
        Criterion(key="a", kind="vibes", weight=1),
        Criterion(key="a", kind="rating", weight=101),
        Criterion(key="a", kind="rating", weight=-1),
    ],
)
def test_invalid_criteria_are_refused(criterion):
    with pytest.raises(ScoringError):
        score(criteria=[criterion], offers=[], samples=0)


def test_a_dealbreaker_ranks_after_every_offer_without_one():
    rich = Offer(id=1, values={"salary": 70_000, "commute": 20, "culture": 10, "wlb": 10})
    modest = Offer(id=2, values={"salary": 82_000, "commute": 80, "culture": 2, "wlb": 2})
    result = score(criteria=CRITERIA, offers=[rich, modest], samples=100)
    assert by_id(result)[1].score > by_id(result)[2].score
    assert [r.id for r in result.ranking] == [2, 1]
    assert result.ranking[1].dealbreakers == ("salary",)
    assert result.win_probability[1] == 0


def test_ties_share_a_rank_and_order_by_id():
    criteria = [Criterion(key="a", kind="rating", weight=1)]
    offers = [
        Offer(id=9, values={"a": 5}),
        Offer(id=3, values={"a": 5}),
        Offer(id=4, values={"a": 1}),
    ]
    result = score(criteria=criteria, offers=offers, samples=0)
    assert [(r.id, r.rank) for r in result.ranking] == [(3, 1), (9, 1), (4, 3)]


def test_flip_gives_the_weight_at_which_the_challenger_overtakes():
    criteria = [
        Criterion(key="pay", kind="rating", weight=60),
        Criterion(key="wlb", kind="rating", weight=40),
    ]
    offers = [Offer(id=1, values={"pay": 9, "wlb": 3}), Offer(id=2, values={"pay": 5, "wlb": 8})]
    result = score(criteria=criteria, offers=offers, samples=0)
    assert result.leader.id == 1
    flips = {f.criterion: f for f in result.flips}
    # Leader's lead is 60*0.4 - wlb*0.5 = 0 at wlb = 48.
    assert flips["wlb"] == Flip(criterion="wlb", challenger=2, weight=pytest.approx(48))
    # With wlb at 40, pay must fall to 40*0.5/0.4 = 50.
    assert flips["pay"].weight == pytest.approx(50)


def test_no_flip_when_no_weight_in_range_can_change_the_order():
    criteria = [
        Criterion(key="a", kind="rating", weight=50),
        Criterion(key="b", kind="rating", weight=50),
    ]
    offers = [Offer(id=1, values={"a": 9, "b": 9}), Offer(id=2, values={"a": 2, "b": 3})]
    result = score(criteria=criteria, offers=offers, samples=0)
    assert all(f.weight is None for f in result.flips)


def test_close_call_within_three_points():
    criteria = [Criterion(key="a", kind="rating", weight=1)]
    near = score(criteria=criteria, offers=[Offer(1, {"a": 7}), Offer(2, {"a": 6.8})], samples=0)
    far = score(criteria=criteria, offers=[Offer(1, {"a": 7}), Offer(2, {"a": 6})], samples=0)
    assert near.close_call
    assert not far.close_call


def test_win_probability_is_reproducible_and_sums_to_one():
    offers = [
        Offer(id=1, values={"salary": 120_000, "commute": 40, "culture": 7, "wlb": 6}),
        Offer(id=2, values={"salary": 100_000, "commute": 20, "culture": 8, "wlb": 8}),
        Offer(id=3, values={"salary": 140_000, "commute": 80, "culture": 5, "wlb": 4}),
    ]
    first = score(criteria=CRITERIA, offers=offers, samples=500, seed=7)
    again = score(criteria=CRITERIA, offers=offers, samples=500, seed=7)
    assert first.win_probability == again.win_probability
    assert sum(first.win_probability.values()) == pytest.approx(1)
    # A close three-way race: every offer wins under some plausible weighting.
    assert all(0 < share < 1 for share in first.win_probability.values())


def test_a_clear_leader_wins_every_sample():
    criteria = [
        Criterion(key="a", kind="rating", weight=50),
        Criterion(key="b", kind="rating", weight=50),
    ]
    offers = [Offer(id=1, values={"a": 9, "b": 9}), Offer(id=2, values={"a": 2, "b": 3})]
    assert score(criteria=criteria, offers=offers, samples=300).win_probability == {1: 1.0, 2: 0.0}


def test_total_comp_scores_like_an_amount_on_the_same_anchors():
    total_comp = Criterion(key="salary", kind="total_comp", weight=40, floor=80_000, target=150_000)
    offers = [
        Offer(id=1, values={"salary": 120_000, "culture": 7}),
        Offer(id=2, values={"salary": 70_000, "culture": 9}),
    ]
    as_amount = score(criteria=[SALARY, CULTURE], offers=offers, samples=0)
    as_total_comp = score(criteria=[total_comp, CULTURE], offers=offers, samples=0)
    assert as_total_comp.ranking == as_amount.ranking
    # Weights 40 and 30 share 100 points: salary (120-80)/(150-80) = 4/7 of its 400/7.
    assert by_id(as_total_comp)[1].contributions["salary"] == pytest.approx(400 / 7 * 4 / 7)
    assert by_id(as_total_comp)[2].dealbreakers == ("salary",)


def test_total_comp_without_anchors_is_relative_like_an_amount():
    total_comp = Criterion(key="pay", kind="total_comp", weight=1)
    offers = [Offer(id=1, values={"pay": 60_000}), Offer(id=2, values={"pay": 90_000})]
    result = score(criteria=[total_comp], offers=offers, samples=0)
    assert [r.id for r in result.ranking] == [2, 1]
    assert result.relative == ("pay",)


@pytest.mark.parametrize("money", [COMMUTE, CULTURE])
def test_a_money_key_must_be_an_amount_where_more_is_better(money):
    offers = [Offer(id=1, values={money.key: 5, "wlb": 9})]
    with pytest.raises(ScoringError, match="more is better"):
        score(criteria=[money, WLB], offers=offers, samples=0, money_key=money.key)


def test_a_floor_on_a_rating_rules_out_without_changing_the_scale():
    culture = Criterion(key="culture", kind="rating", weight=50, floor=4)
    offers = [
        Offer(id=1, values={"culture": 3.5, "wlb": 10}),
        Offer(id=2, values={"culture": 6, "wlb": 2}),
    ]
    result = score(criteria=[culture, WLB], offers=offers, samples=0)
    assert [r.id for r in result.ranking] == [2, 1]
    assert by_id(result)[1].dealbreakers == ("culture",)
    assert by_id(result)[1].contributions["culture"] == pytest.approx(100 * 50 / 70 * 0.35)


def test_a_yes_no_criterion_with_a_floor_of_one_is_a_must_have():
    remote = Criterion(key="remote", kind="yes_no", weight=10, floor=1)
    offers = [
        Offer(id=1, values={"remote": 0, "wlb": 10}),
        Offer(id=2, values={"remote": 1, "wlb": 5}),
    ]
    result = score(criteria=[remote, WLB], offers=offers, samples=0)
    assert [r.id for r in result.ranking] == [2, 1]
    assert by_id(result)[2].contributions["remote"] == pytest.approx(100 / 3)


def test_a_suggested_floor_fixes_the_scale_but_rules_nothing_out():
    suggested = Criterion(
        "salary", "amount", 40, floor=80_000, target=150_000, floor_rules_out=False
    )
    offers = [Offer(id=1, values={"salary": 70_000}), Offer(id=2, values={"salary": 90_000})]
    result = score(criteria=[suggested], offers=offers, samples=0)
    assert by_id(result)[1].dealbreakers == ()
    assert by_id(result)[1].score == 0
    assert result.relative == ()


def test_must_haves_rank_an_offer_after_the_rest_with_the_reason():
    offers = [
        Offer(id=1, values={"culture": 10, "wlb": 10}, ruled_out_by={"work_mode": "On-site"}),
        Offer(id=2, values={"culture": 5, "wlb": 5}),
    ]
    result = score(criteria=[CULTURE, WLB], offers=offers, samples=100)
    assert [r.id for r in result.ranking] == [2, 1]
    assert result.ranking[1].ruled_out_by == ("work_mode",)
    assert result.ranking[1].ruled_out
    assert result.win_probability == {2: 1.0, 1: 0.0}


def test_a_rating_range_widens_the_score_and_is_sampled():
    offers = [
        Offer(id=1, values={"culture": 6.5, "wlb": 6}, ranges={"culture": (5, 8)}),
        Offer(id=2, values={"culture": 6.5, "wlb": 6}),
    ]
    result = score(criteria=[CULTURE, WLB], offers=offers, samples=2000, seed=1)
    unsure = by_id(result)[1]
    assert unsure.score == pytest.approx(by_id(result)[2].score)
    assert unsure.low == pytest.approx(100 * (30 * 0.5 + 20 * 0.6) / 50)
    assert unsure.high == pytest.approx(100 * (30 * 0.8 + 20 * 0.6) / 50)
    assert result.sampled_ranges
    # Half the draws land above the other offer's 6.5, half below.
    assert result.win_probability[1] == pytest.approx(0.5, abs=0.05)


@pytest.mark.parametrize("ranges", [{"salary": (1, 2)}, {"culture": (8, 9)}, {"wlb": (5, 7)}])
def test_a_range_must_hold_its_value_on_a_fixed_scale(ranges):
    offer = Offer(id=1, values={"salary": 1.5, "culture": 7, "wlb": None}, ranges=ranges)
    with pytest.raises(ScoringError):
        score(criteria=[SALARY, CULTURE, WLB], offers=[offer], samples=0)


def test_identical_offers_share_their_wins():
    offers = [
        Offer(id=1, values={"culture": 7, "wlb": 4}),
        Offer(id=2, values={"culture": 7, "wlb": 4}),
    ]
    result = score(criteria=[CULTURE, WLB], offers=offers, samples=500)
    assert result.win_probability == {1: 0.5, 2: 0.5}


# Properties ------------------------------------------------------------------------

KEYS = ["a", "b", "c", "d"]


@st.composite
def criteria_lists(draw):
    count = draw(st.integers(min_value=1, max_value=4))
    criteria = []
    for key in KEYS[:count]:
        kind = draw(st.sampled_from(list(kinds.KINDS)))
        weight = draw(st.integers(min_value=0, max_value=100))
        floor = target = None
        if kinds.get(kind).takes_anchors and draw(st.booleans()):
            low, high = sorted(
                draw(st.lists(st.integers(0, 1000), min_size=2, max_size=2, unique=True))
            )
            floor, target = (low, high) if kinds.get(kind).higher_is_better else (high, low)
        criteria.append(Criterion(key=key, kind=kind, weight=weight, floor=floor, target=target))
    assume(any(c.weight for c in criteria))
    return criteria


def offer_lists(criteria):
    def raw(criterion):
        fixed_scale = kinds.get(criterion.kind).fixed_scale
        top = int(fixed_scale[1]) if fixed_scale else 1200
        return st.one_of(st.none(), st.integers(min_value=0, max_value=top))

    values = st.fixed_dictionaries({c.key: raw(c) for c in criteria})
    return st.lists(values, min_size=1, max_size=5).map(
        lambda rows: [Offer(id=i + 1, values=row) for i, row in enumerate(rows)]
    )


problems = criteria_lists().flatmap(lambda cs: st.tuples(st.just(cs), offer_lists(cs)))
FEW = settings(max_examples=150, deadline=None)


@FEW
@given(problems)
def test_scores_stay_within_0_and_100(problem):
    criteria, offers = problem
    for r in score(criteria=criteria, offers=offers, samples=0).ranking:
        assert 0 <= r.low <= r.score <= r.high <= 100 + 1e-9


@FEW
@given(problems, st.sampled_from([0.5, 2, 0.01]))
def test_scaling_every_weight_changes_nothing(problem, factor):
    criteria, offers = problem
    scaled = [Criterion(c.key, c.kind, c.weight * factor, c.floor, c.target) for c in criteria]
    assume(all(c.weight <= 100 for c in scaled))
    before = score(criteria=criteria, offers=offers, samples=0).ranking
    after = score(criteria=scaled, offers=offers, samples=0).ranking
    assert [r.id for r in before] == [r.id for r in after]
    for b, a in zip(before, after, strict=True):
        assert a.score == pytest.approx(b.score, abs=1e-7)


@FEW
@given(problems, st.data())
def test_improving_a_value_never_lowers_score_or_rank(problem, data):
    criteria, offers = problem
    offer = data.draw(st.sampled_from(offers))
    criterion = data.draw(st.sampled_from(criteria))
    current = offer.values[criterion.key]
    assume(current is not None)
    step = data.draw(st.integers(min_value=1, max_value=300))
    better = current + step * kinds.get(criterion.kind).direction
    assume(better >= 0)
    improved = Offer(id=offer.id, values={**offer.values, criterion.key: better})
    pool = [improved if o.id == offer.id else o for o in offers]
    before = by_id(score(criteria=criteria, offers=offers, samples=0))[offer.id]
    after = by_id(score(criteria=criteria, offers=pool, samples=0))[offer.id]
    if before.dealbreakers == after.dealbreakers:
        assert after.score >= before.score - 1e-9
    assert after.rank <= before.rank


@FEW
@given(problems, st.randoms(use_true_random=False))
def test_permuting_the_offers_changes_no_result(problem, rng):
    criteria, offers = problem
    shuffled = list(offers)
    rng.shuffle(shuffled)
    first = score(criteria=criteria, offers=offers, samples=50, seed=3)
    second = score(criteria=criteria, offers=shuffled, samples=50, seed=3)
    assert first.ranking == second.ranking
    assert first.win_probability == second.win_probability
    assert sorted(first.flips, key=repr) == sorted(second.flips, key=repr)


@FEW
@given(problems)
def test_dealbreakers_always_rank_after_the_rest(problem):
    criteria, offers = problem
    flags = [
        bool(r.dealbreakers) for r in score(criteria=criteria, offers=offers, samples=0).ranking
    ]
    assert flags == sorted(flags)


@FEW
@given(problems)
def test_a_reported_flip_really_flips(problem):
    criteria, offers = problem
    result = score(criteria=criteria, offers=offers, samples=0)
    leader = result.leader.id
    step = 1e-4
    for flip in result.flips:
        if flip.weight is None:
            continue
        scores = {}
        for weight in (flip.weight - step, flip.weight + step):
            if not 0 <= weight <= 100:
                continue
            changed = [
                Criterion(
                    c.key,
                    c.kind,
                    weight if c.key == flip.criterion else c.weight,
                    c.floor,
                    c.target,
                )
                for c in criteria
            ]
            if not any(c.weight for c in changed):
                continue
            ranked = by_id(score(criteria=changed, offers=offers, samples=0))
            scores[weight] = ranked[leader].score - ranked[flip.challenger].score
        signs = {math.copysign(1, gap) for gap in scores.values() if abs(gap) > 1e-9}
        assert len(scores) < 2 or signs == {1.0, -1.0}, (flip, scores)
