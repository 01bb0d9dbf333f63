"""The draw itself: a pure function an auditor can rerun anywhere."""
from __future__ import annotations

from market.experts.draws import composition_problem, draw, replay

POOL = [{"id": i, "name": f"专家{i}"} for i in (7, 3, 11, 5, 2, 9, 4, 8)]


def test_the_same_record_gives_the_same_experts():
    first = draw(POOL, "a1b2c3", 5, {})
    assert first == draw(list(reversed(POOL)), "a1b2c3", 5, {})  # the snapshot is sorted
    assert len(first) == 5 and len(set(first)) == 5
    assert set(first) <= {e["id"] for e in POOL}
    # another seed, another order (for these seeds)
    assert draw(POOL, "ffff0001", 8, {}) != draw(POOL, "a1b2c3", 8, {})


def test_exclusions_are_skipped_and_a_replacement_keeps_the_others():
    first = draw(POOL, "5eed", 5, {"3": "employer_party"})
    assert 3 not in first
    out = first[2]
    again = draw(POOL, "5eed", 5, {"3": "employer_party", str(out): "declined"})
    assert [i for i in first if i != out] == [i for i in again if i != again[-1]]
    assert again[-1] not in first and again[-1] != 3


def test_a_short_pool_gives_what_it_has():
    assert len(draw(POOL, "5eed", 9, {"2": "unavailable"})) == 7


def test_replay_says_when_a_record_was_changed():
    result = draw(POOL, "abc", 5, {})
    step = draw(POOL, "abc", 5, {str(result[0]): "declined"})
    ok = replay(POOL, "abc", 5, {}, result, [(result[0], "declined", step)])
    assert [s.matches for s in ok] == [True, True]
    forged = replay(POOL, "abc", 5, {}, [result[1], *result[1:]], [])
    assert [s.matches for s in forged] == [False]


def test_committee_shape_at_its_boundaries():
    """87号令 第四十七条: odd, at least five, experts at least two thirds."""
    def problem(members, reps=0):
        return composition_problem(members, reps, min_members=5, expert_thirds=2)
    assert problem(3) == "too_few"
    assert problem(4) == "too_few"
    assert problem(5) is None
    assert problem(6) == "even"
    assert problem(7) is None
    assert problem(5, 1) is None  # 4 of 5 experts
    assert problem(5, 2) == "expert_share"  # 3 of 5 < two thirds
    assert problem(7, 2) is None  # 5 of 7
    assert problem(7, 3) == "expert_share"  # 4 of 7
    assert problem(9, 3) is None  # 6 of 9 is exactly two thirds
