"""Tests for bot.dialogs.scoring: hand-computed levels, each flag at its edge, and properties."""

from __future__ import annotations

import json
from collections.abc import Mapping
from fractions import Fraction
from typing import Final

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.dialogs.content import (
    BadgeRule,
    Category,
    CategoryId,
    Content,
    Level,
    Option,
    Outcome,
    OutcomeId,
    Question,
    QuestionId,
    Skill,
    SkillId,
)
from bot.dialogs.scoring import (
    DEFAULT_RULES,
    SCORERS,
    CategoryResult,
    Flag,
    FlagCode,
    ScoringRules,
    category_level,
    longest_run,
    median_level,
    score_category,
)
from bot.framework.session import Answer

CAT: Final = "CAT"
KEYS: Final = ("a", "b", "c", "d")
KEY_OF_LEVEL: Final = {3: "a", 2: "b", 1: "c", 0: "d"}
# scenario id → (skill letter, outcome numbers); every outcome has 2 scenarios, O-01 has 3.
SCENARIOS: Final = {
    "SC-01": ("a", (1, 2, 3, 4)),
    "SC-02": ("a", (5, 1, 2)),
    "SC-03": ("a", (3, 4, 5)),
    "SC-04": ("b", (6, 7, 8, 9)),
    "SC-05": ("b", (10, 6, 7)),
    "SC-06": ("b", (8, 9, 10)),
    "SC-07": ("c", (11, 12, 13, 14)),
    "SC-08": ("c", (15, 11, 12)),
    "SC-09": ("c", (13, 14, 15)),
    "SC-10": ("a", (1,)),
}
SELF_RATINGS: Final = ("SR-a", "SR-b", "SR-c")
ASKING: Final = (*SCENARIOS, *SELF_RATINGS)
MISSING: Final = "missing"  # marks a question with no answer at all
Given = int | str | None  # a level, None for a skip, or MISSING

# A hand-scored answer set without any flag (worked out in test_clean_answers_hand_computed).
CLEAN: Final[dict[str, int | None]] = {
    "SC-01": 2, "SC-02": 2, "SC-03": 3, "SC-10": 2,
    "SC-04": 3, "SC-05": 3, "SC-06": 2,
    "SC-07": 2, "SC-08": 1, "SC-09": 2,
    "SR-a": 2, "SR-b": 3, "SR-c": 2,
}  # fmt: skip


def sid(letter: str) -> SkillId:
    return SkillId(f"{CAT}.{letter}")


def oid(number: int) -> OutcomeId:
    return OutcomeId(f"O-{number:02d}")


def options() -> tuple[Option, ...]:
    return tuple(Option(KEY_OF_LEVEL[lv], lv, f"level {lv}") for lv in (3, 2, 1, 0))


def question(qid: str, kind: str, letter: str, outcomes: tuple[int, ...]) -> Question:
    return Question(
        id=QuestionId(qid),
        kind="scenario" if kind == "scenario" else "self_rating",
        category=CategoryId(CAT),
        skill=sid(letter),
        outcomes=tuple(oid(n) for n in outcomes),
        emoji="🙂",
        situation="A thing happens.",
        question="What do you do?",
        options=options(),
    )


def make_content(
    min_outcomes: int = 10, level: int = 2, requires_no_open_flags: bool = True
) -> Content:
    """1 category, 3 skills, 15 outcomes, 10 scenarios and 3 self-ratings."""
    skills = {sid(x): Skill(sid(x), CategoryId(CAT), f"skill {x}", ()) for x in "abc"}
    outcomes = {
        oid(n): Outcome(
            oid(n), sid("abc"[(n - 1) // 5]), CategoryId(CAT), f"outcome {n}", f"🌱 tip {n}", ()
        )
        for n in range(1, 16)
    }
    scenarios = [question(q, "scenario", x, outs) for q, (x, outs) in SCENARIOS.items()]
    ratings = [question(q, "self_rating", q[-1], ()) for q in SELF_RATINGS]
    return Content(
        version="test",
        source_language="en",
        levels=tuple(Level(lv, f"l{lv}", f"L{lv}", "⭐", "") for lv in range(4)),
        badge_rule=BadgeRule(min_outcomes, level, requires_no_open_flags),
        categories=(Category(CategoryId(CAT), "Cat", "🐱", "#000000", tuple(skills)),),
        skills=skills,
        outcomes=outcomes,
        questions={q.id: q for q in (*scenarios, *ratings)},
    )


CONTENT: Final = make_content()


def order_with(key: str, position: int) -> tuple[str, ...]:
    """A shown order that puts `key` at `position`."""
    others = [k for k in KEYS if k != key]
    others.insert(position, key)
    return tuple(others)


def answer(qid: str, level: int | None, position: int = 0, elapsed_ms: int = 5000) -> Answer:
    at = "2025-01-01T00:00:00+00:00"
    if level is None:
        return Answer(qid, None, None, None, KEYS, elapsed_ms, at)
    key = KEY_OF_LEVEL[level]
    return Answer(qid, key, level, position, order_with(key, position), elapsed_ms, at)


def answers_of(
    levels: Mapping[str, Given],
    positions: Mapping[str, int] | None = None,
    elapsed: Mapping[str, int] | None = None,
) -> dict[str, Answer]:
    """Answers for `levels` (None = skip, MISSING = no answer); positions cycle 1, 2, 3."""
    positions, elapsed = positions or {}, elapsed or {}
    return {
        qid: answer(qid, lv, positions.get(qid, i % 3 + 1), elapsed.get(qid, 5000))
        for i, (qid, lv) in enumerate((q, levels[q]) for q in ASKING if q in levels)
        if not isinstance(lv, str)
    }


def score(
    levels: Mapping[str, Given],
    content: Content = CONTENT,
    rules: ScoringRules = DEFAULT_RULES,
    **kwargs: Mapping[str, int],
) -> CategoryResult:
    return score_category(content, CAT, answers_of(levels, **kwargs), rules)


def codes(result: CategoryResult) -> list[FlagCode]:
    return [f.code for f in result.flags]


def with_(**changes: Given) -> dict[str, Given]:
    """CLEAN with some answers changed; keyword names use _ for -."""
    return {**CLEAN, **{k.replace("_", "-"): v for k, v in changes.items()}}


# --- small pure helpers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("levels", "expected"),
    [([], None), ([2], 2), ([3, 2], 2), ([1, 2], 1), ([3, 1, 0], 1), ([0, 3], 0),
     ([3, 3, 0, 0], 0), ([None, 3, None], 3)],
)  # fmt: skip
def test_median_level_rounds_down(levels: list[int | None], expected: int | None) -> None:
    assert median_level(levels) == expected


@pytest.mark.parametrize(
    ("levels", "min_outcomes", "expected"),
    [([2, 2, 1], 2, 2), ([3, 3, 1], 2, 3), ([3, 1, 1], 2, 1), ([0, 0, 3], 2, 0),
     ([None, None, 3], 1, 3), ([2, 2, None], 3, 0)],
)  # fmt: skip
def test_category_level(levels: list[int | None], min_outcomes: int, expected: int) -> None:
    assert category_level(levels, min_outcomes) == expected


@pytest.mark.parametrize(
    ("items", "expected"),
    [([], (None, 0)), ([None, None], (None, 0)), ([1, 1, 2, 2, 2], (2, 3)),
     ([1, 1, None, 1], (1, 2)), ([0, 0, 1, 1], (0, 2))],
)  # fmt: skip
def test_longest_run(items: list[int | None], expected: tuple[int | None, int]) -> None:
    assert longest_run(items) == expected


# --- hand-computed results ---------------------------------------------------------------------


def test_clean_answers_hand_computed() -> None:
    result = score(CLEAN)
    # O-01: 2,2,2→2  O-02: 2,2→2  O-03..O-05: 2,3→2 (median rounded down)
    # O-06,O-07: 3,3→3  O-08..O-10: 2,3→2  O-11,O-12: 2,1→1  O-13,O-14: 2,2→2  O-15: 1,2→1
    assert result.outcome_levels == {
        "O-01": 2, "O-02": 2, "O-03": 2, "O-04": 2, "O-05": 2,
        "O-06": 3, "O-07": 3, "O-08": 2, "O-09": 2, "O-10": 2,
        "O-11": 1, "O-12": 1, "O-13": 2, "O-14": 2, "O-15": 1,
    }  # fmt: skip
    # a: 2,2,2,2,2→2  b: 3,3,2,2,2→2  c: 1,1,2,2,1→1
    assert result.skill_levels == {"CAT.a": 2, "CAT.b": 2, "CAT.c": 1}
    assert result.self_ratings == {"CAT.a": 2, "CAT.b": 3, "CAT.c": 2}
    assert result.outcomes_at_level == 12  # 5 + 5 + 2 at level ≥ 2; only 2 at level 3
    assert (result.level, result.flags, result.badge_level) == (2, (), 2)
    assert (result.answered, result.skipped, result.needs_counsellor) == (10, 0, False)


def test_inconsistent_answers_hand_computed() -> None:
    levels = {"SC-01": 3, "SC-02": 1, "SC-03": 2, "SC-10": 0}
    result = score(levels)
    # O-01: 3,1,0→1  O-02: 3,1→1  O-03: 3,2→2  O-04: 3,2→2  O-05: 1,2→1; skill a: 1,1,2,2,1→1
    assert [result.outcome_levels[f"O-0{n}"] for n in range(1, 6)] == [1, 1, 2, 2, 1]
    assert result.outcome_levels["O-06"] is None
    assert result.skill_levels == {"CAT.a": 1, "CAT.b": None, "CAT.c": None}
    assert result.self_ratings == {"CAT.a": None, "CAT.b": None, "CAT.c": None}
    assert (result.outcomes_at_level, result.level) == (2, 0)  # 5 outcomes at ≥1 < 10
    assert result.flags == (
        Flag(FlagCode.INCONSISTENT, "O-01: levels 3, 1, 0"),
        Flag(FlagCode.INCONSISTENT, "O-02: levels 3, 1"),
        Flag(FlagCode.TOO_MANY_SKIPS, "6 of 10 scenarios not answered"),
    )
    assert (result.badge_level, result.answered, result.skipped) == (None, 4, 0)


@pytest.mark.parametrize("level", [0, 1, 2, 3])
def test_every_answer_at_one_level(level: int) -> None:
    result = score(dict.fromkeys(ASKING, level))
    assert set(result.outcome_levels.values()) == {level}
    assert set(result.skill_levels.values()) == {level}
    assert result.level == level
    assert result.outcomes_at_level == (15 if level >= 2 else 0)


def test_no_answered_scenario_gives_no_level() -> None:
    result = score({"SR-a": 3, "SR-b": 0, **dict.fromkeys(SCENARIOS)})
    assert (result.level, result.badge_level, result.outcomes_at_level) == (None, None, 0)
    assert set(result.outcome_levels.values()) == {None}
    assert result.skill_levels == {"CAT.a": None, "CAT.b": None, "CAT.c": None}
    assert result.self_ratings == {"CAT.a": 3, "CAT.b": 0, "CAT.c": None}
    assert codes(result) == [FlagCode.TOO_MANY_SKIPS]  # no borderline, no gap without a level
    assert (result.answered, result.skipped) == (0, 10)


def test_no_answers_at_all() -> None:
    result = score({})
    assert (result.level, result.answered, result.skipped) == (None, 0, 0)
    assert result.flags == (Flag(FlagCode.TOO_MANY_SKIPS, "10 of 10 scenarios not answered"),)


def test_answers_to_other_questions_are_ignored() -> None:
    stray = {"OTHER-1": answer("OTHER-1", 0, elapsed_ms=1), "X": answer("X", 0, elapsed_ms=1)}
    assert score_category(CONTENT, CAT, {**answers_of(CLEAN), **stray}) == score(CLEAN)


def test_scorer_table_names_the_median_scorer() -> None:
    assert SCORERS["median_v1"] is score_category


# --- flags, each firing and not firing at its edge ---------------------------------------------


@pytest.mark.parametrize(
    ("min_outcomes", "fires"), [(10, False), (11, True), (12, True), (13, True), (14, False)]
)
def test_borderline_within_one_of_the_threshold(min_outcomes: int, fires: bool) -> None:
    result = score(CLEAN, make_content(min_outcomes=min_outcomes))  # 12 outcomes at level ≥ 2
    detail = f"12 outcomes at level 2+, badge needs {min_outcomes}"
    assert result.flags == ((Flag(FlagCode.BORDERLINE, detail),) if fires else ())


@pytest.mark.parametrize(("sc10", "fires"), [(0, True), (1, False), (3, False)])
def test_inconsistent_at_a_gap_of_two(sc10: int, fires: bool) -> None:
    result = score(with_(SC_10=sc10))  # O-01 gets 2, 2 and sc10
    assert result.outcome_levels["O-01"] == 2
    flag = Flag(FlagCode.INCONSISTENT, f"O-01: levels 2, 2, {sc10}")
    assert result.flags == ((flag,) if fires else ())


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"SR-a": 0}, ["CAT.a: self 0, scenarios 2"]),  # skill a is 2
        ({"SR-a": 1}, []),
        ({"SR-c": 3}, ["CAT.c: self 3, scenarios 1"]),  # skill c is 1
        ({"SR-c": 0}, []),
        ({"SR-b": 0, "SR-c": 3}, ["CAT.b: self 0, scenarios 2", "CAT.c: self 3, scenarios 1"]),
        ({"SR-a": None, "SR-b": MISSING}, []),
    ],
)
def test_self_rating_gap_of_two(changes: dict[str, Given], expected: list[str]) -> None:
    result = score({**CLEAN, **changes})
    assert result.flags == tuple(Flag(FlagCode.SELF_RATING_GAP, d) for d in expected)


@pytest.mark.parametrize(
    ("elapsed", "fires"),
    [
        ({"SC-01": 1999}, False),
        ({"SC-01": 1999, "SR-c": 1999}, True),
        ({"SC-01": 2000, "SC-02": 2000}, False),
        ({"SC-01": 0, "SC-02": 500, "SC-03": 1000}, True),
    ],
)
def test_too_fast_needs_two_answers_under_two_seconds(
    elapsed: dict[str, int], fires: bool
) -> None:
    result = score(CLEAN, elapsed=elapsed)
    expected = Flag(FlagCode.TOO_FAST, f"{len(elapsed)} answers under 2000 ms")
    assert result.flags == ((expected,) if fires else ())


def test_fast_skips_are_not_too_fast() -> None:
    result = score(with_(SC_01=None, SC_02=None), elapsed={"SC-01": 10, "SC-02": 10})
    assert FlagCode.TOO_FAST not in codes(result)


@pytest.mark.parametrize(
    ("run", "fires"),
    [
        (("SC-02", "SC-03", "SC-04", "SC-05", "SC-06"), False),
        (("SC-02", "SC-03", "SC-04", "SC-05", "SC-06", "SC-07"), True),
        (("SC-08", "SC-09", "SC-10", "SR-a", "SR-b", "SR-c"), True),  # across the kinds
        (("SC-01", "SC-02", "SC-03", "SC-05", "SC-06", "SC-07"), False),  # SC-04 breaks it
    ],
)
def test_same_position_six_in_a_row(run: tuple[str, ...], fires: bool) -> None:
    result = score(CLEAN, positions=dict.fromkeys(run, 0))
    expected = Flag(FlagCode.SAME_POSITION, "position 0 chosen 6 times in a row")
    assert result.flags == ((expected,) if fires else ())


def test_same_position_is_counted_in_asking_order() -> None:
    run = ("SC-02", "SC-03", "SC-04", "SC-05", "SC-06", "SC-07")
    found = answers_of(CLEAN, positions=dict.fromkeys(run, 0))
    shuffled = dict(reversed(list(found.items())))
    assert codes(score_category(CONTENT, CAT, shuffled)) == [FlagCode.SAME_POSITION]


def test_a_skip_breaks_a_same_position_run() -> None:
    run = ("SC-02", "SC-03", "SC-04", "SC-05", "SC-06", "SC-07")
    result = score(with_(SC_04=None), positions=dict.fromkeys(run, 0))
    assert FlagCode.SAME_POSITION not in codes(result)


def test_ceiling_when_every_scenario_is_at_three() -> None:
    result = score({**dict.fromkeys(SCENARIOS, 3), "SR-a": 3})
    assert result.flags == (Flag(FlagCode.CEILING, "all 10 answers at level 3"),)
    assert (result.level, result.badge_level, result.needs_counsellor) == (3, None, True)


@pytest.mark.parametrize(("answered", "fires"), [(5, True), (4, False)])
def test_ceiling_needs_five_answered(answered: int, fires: bool) -> None:
    scenarios = list(SCENARIOS)
    levels = {**dict.fromkeys(scenarios, None), **dict.fromkeys(scenarios[:answered], 3)}
    assert (FlagCode.CEILING in codes(score(levels))) is fires


def test_no_ceiling_with_one_answer_below_three() -> None:
    levels = {**dict.fromkeys(SCENARIOS, 3), "SC-10": 2}
    assert FlagCode.CEILING not in codes(score(levels))


@pytest.mark.parametrize(
    ("missing", "fires"),
    [
        ({"SC-01": None, "SC-05": None, "SC-09": None}, False),  # 3 of 10 ≤ 1/3
        ({"SC-01": None, "SC-05": None, "SC-09": None, "SC-10": None}, True),
        ({"SC-01": None, "SC-05": MISSING, "SC-09": MISSING, "SC-10": None}, True),
        ({"SC-01": MISSING, "SC-02": MISSING, "SC-03": MISSING}, False),
    ],
)
def test_too_many_skips_above_a_third(missing: dict[str, Given], fires: bool) -> None:
    result = score({**CLEAN, **missing})
    assert (FlagCode.TOO_MANY_SKIPS in codes(result)) is fires
    skipped = sum(1 for v in missing.values() if v is None)
    assert (result.answered, result.skipped) == (10 - len(missing), skipped)


@pytest.mark.parametrize(("missing", "fires"), [(3, False), (4, True)])
def test_too_many_skips_with_an_exact_share(missing: int, fires: bool) -> None:
    rules = ScoringRules(max_skipped=Fraction(3, 10))  # "more than": exactly 3 of 10 is fine
    levels = {**CLEAN, **dict.fromkeys(list(SCENARIOS)[:missing])}
    assert (FlagCode.TOO_MANY_SKIPS in codes(score(levels, rules=rules))) is fires


def test_rules_change_the_thresholds() -> None:
    rules = ScoringRules(inconsistent_gap=1, self_rating_gap=1)
    result = score(CLEAN, rules=rules)
    assert FlagCode.INCONSISTENT in codes(result)
    assert FlagCode.SELF_RATING_GAP in codes(result)


# --- badge rule --------------------------------------------------------------------------------


def test_badge_is_withheld_by_an_open_flag() -> None:
    result = score(with_(SC_10=0))
    assert (result.level, codes(result), result.badge_level) == (2, [FlagCode.INCONSISTENT], None)
    assert result.needs_counsellor


def test_badge_despite_flags_when_the_rule_allows() -> None:
    result = score(with_(SC_10=0), make_content(requires_no_open_flags=False))
    assert (result.badge_level, result.needs_counsellor) == (2, True)


def test_no_badge_below_the_rule_level() -> None:
    result = score(CLEAN, make_content(level=3))  # only O-06 and O-07 reach 3
    assert (result.level, result.outcomes_at_level, result.flags) == (2, 2, ())
    assert result.badge_level is None


def test_no_badge_at_level_one() -> None:
    result = score(dict.fromkeys(ASKING, 1))
    assert (result.level, result.outcomes_at_level, result.flags, result.badge_level) == (
        1,
        0,
        (),
        None,
    )


# --- properties --------------------------------------------------------------------------------

LEVEL_OR_SKIP: Final = st.sampled_from([MISSING, None, 0, 1, 2, 3])


@st.composite
def answer_sets(draw: st.DrawFn) -> dict[str, Answer]:
    """Any mix of missing, skipped and answered questions, in any shown order and speed."""
    found = {}
    for qid in ASKING:
        level = draw(LEVEL_OR_SKIP)
        if level != MISSING:
            found[qid] = draw(answers_for(qid, None if level is None else int(level)))
    return found


def answers_for(qid: str, level: int | None) -> st.SearchStrategy[Answer]:
    """One answer at `level` with a random shown order and time."""
    return st.builds(
        lambda pos, ms: answer(qid, level, pos, ms), st.integers(0, 3), st.integers(0, 9000)
    )


def reshuffled(found: Mapping[str, Answer], seed: int) -> dict[str, Answer]:
    """The same choices shown in another order (so at another position)."""
    return {
        qid: a if a.option_key is None else answer(qid, a.level, (seed + i) % 4, a.elapsed_ms)
        for i, (qid, a) in enumerate(found.items())
    }


def levels_of(result: CategoryResult) -> tuple[object, ...]:
    return (result.level, result.outcome_levels, result.skill_levels, result.self_ratings,
            result.outcomes_at_level)  # fmt: skip


@given(answer_sets())
@settings(deadline=None)
def test_levels_are_on_the_scale(found: dict[str, Answer]) -> None:
    result = score_category(CONTENT, CAT, found)
    every = [result.level, result.badge_level, *result.outcome_levels.values(),
             *result.skill_levels.values(), *result.self_ratings.values()]  # fmt: skip
    assert all(level is None or 0 <= level <= 3 for level in every)
    assert 0 <= result.outcomes_at_level <= 15
    assert result.answered + result.skipped <= len(SCENARIOS)
    assert result.needs_counsellor == bool(result.flags)


@given(answer_sets(), st.integers(0, 3))
@settings(deadline=None)
def test_shown_order_does_not_change_levels(found: dict[str, Answer], seed: int) -> None:
    before = score_category(CONTENT, CAT, found)
    after = score_category(CONTENT, CAT, reshuffled(found, seed))
    assert levels_of(after) == levels_of(before)


@given(st.integers(1, 3), st.lists(st.integers(0, 3), min_size=len(ASKING), max_size=len(ASKING)))
@settings(deadline=None)
def test_every_answer_at_level_gives_that_level(level: int, positions: list[int]) -> None:
    found = {q: answer(q, level, pos) for q, pos in zip(ASKING, positions, strict=True)}
    result = score_category(CONTENT, CAT, found)
    assert result.level == level
    assert FlagCode.INCONSISTENT not in codes(result)


@given(answer_sets())
@settings(deadline=None)
def test_result_round_trips_through_json(found: dict[str, Answer]) -> None:
    result = score_category(CONTENT, CAT, found)
    text = json.dumps(result.to_json())
    assert CategoryResult.from_json(json.loads(text)) == result
    assert CategoryResult.from_json(json.loads(text)).to_json() == result.to_json()


@given(answer_sets(), st.sampled_from(ASKING))
@settings(deadline=None)
def test_adding_a_skip_never_raises_a_level(found: dict[str, Answer], qid: str) -> None:
    before = score_category(CONTENT, CAT, found)
    after = score_category(CONTENT, CAT, {qid: answer(qid, None), **found})  # only if unanswered
    for level in (1, 2, 3):
        assert count_at(after, level) <= count_at(before, level)
    assert after.outcomes_at_level <= before.outcomes_at_level
    assert (after.level or 0) <= (before.level or 0)


def count_at(result: CategoryResult, level: int) -> int:
    return sum(1 for lv in result.outcome_levels.values() if lv is not None and lv >= level)
