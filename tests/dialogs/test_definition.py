"""The shipped content file meets every rule, and each broken rule names the offending item."""

from __future__ import annotations

import copy
import functools
import io
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from babel.messages.extract import extract_from_file

from bot.dialogs.content import Content, OutcomeId, QuestionId, SkillId
from bot.dialogs.definition import ContentError, StrictLoader, load_content
from bot.dialogs.esco import ESCO_CONCEPTS
from bot.dialogs.extract import extract_spocc, translatable_texts

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "data" / "spocc.yaml"
ESCO_URI = re.compile(r"http://data\.europa\.eu/esco/skill/([0-9a-f-]{36})")

DUMPER = yaml.CSafeDumper if yaml.__with_libyaml__ else yaml.SafeDumper

Data = dict[str, Any]


@pytest.fixture(scope="module")
def content() -> Content:
    return load_content(SHIPPED)


@functools.cache
def _shipped() -> Data:
    data: Data = yaml.load(SHIPPED.read_text(encoding="utf-8"), Loader=StrictLoader)
    return data


def raw() -> Data:
    """A fresh, mutable copy of the shipped file's data."""
    return copy.deepcopy(_shipped())


def scenario(data: Data, question_id: str) -> Data:
    found: Data = next(q for q in data["scenarios"] if q["id"] == question_id)
    return found


def skill(data: Data, skill_id: str) -> Data:
    skills = (s for c in data["categories"] for s in c["skills"])
    found: Data = next(s for s in skills if s["id"] == skill_id)
    return found


def write(tmp_path: Path, data: Data) -> Path:
    path = tmp_path / "spocc.yaml"
    text = yaml.dump(data, Dumper=DUMPER, allow_unicode=True, sort_keys=False)
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------- the shipped file


def test_shipped_counts(content: Content) -> None:
    assert [c.id for c in content.categories] == ["SOC", "PER", "ORG", "COO", "CRE"]
    assert all(len(c.skills) == 3 for c in content.categories)
    assert len(content.skills) == 15
    assert len(content.outcomes) == 75
    assert Counter(o.skill for o in content.outcomes.values()) == dict.fromkeys(content.skills, 5)
    for category in content.categories:
        kinds = Counter(q.kind for q in content.questions_of(category.id))
        assert 8 <= kinds["scenario"] <= 12, category.id
        assert kinds["self_rating"] == 3, category.id
    ratings = [q.skill for q in content.questions.values() if q.kind == "self_rating"]
    assert sorted(ratings) == sorted(content.skills)


def test_shipped_meta_levels_and_badge_rule(content: Content) -> None:
    meta = raw()["meta"]
    assert "inspired by spocc" in meta["source_note"].lower()
    assert content.source_language == "en"
    assert "languages" not in meta  # the shipped catalogs say which languages there are
    assert [(level.level, level.key) for level in content.levels] == [
        (0, "not_yet"),
        (1, "with_help"),
        (2, "on_my_own"),
        (3, "new_situations"),
    ]
    rule = content.badge_rule
    assert (rule.min_outcomes, rule.level, rule.requires_no_open_flags) == (10, 2, True)


def test_shipped_colours_are_distinct_and_dark_enough_for_white_text(content: Content) -> None:
    colours = [c.color for c in content.categories]
    assert len(set(colours)) == 5
    for colour in colours:
        assert re.fullmatch(r"#[0-9a-f]{6}", colour)
        # Dark enough that white text is readable: no channel above 0xc0, mean below 0x80.
        channels = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
        assert max(channels) <= 0xC0, colour
        assert sum(channels) / 3 < 0x80, colour


def test_shipped_coverage(content: Content) -> None:
    evidence = Counter(
        o for q in content.questions.values() if q.kind == "scenario" for o in q.outcomes
    )
    assert set(evidence) == set(content.outcomes)
    for category in content.categories:
        twice = [o.id for o in content.outcomes_of(category.id) if evidence[o.id] >= 2]
        assert len(twice) >= 5, category.id


def test_shipped_questions_follow_the_wording_rules(content: Content) -> None:
    for question in content.questions.values():
        assert len(question.situation.split()) <= 25, question.id
        for sentence in re.split(r"(?<=[.!?])['\"]?\s+", question.situation):
            assert len(sentence.split()) <= 12, (question.id, sentence)
        assert 3 <= len(question.options) <= 4
        assert len({o.level for o in question.options}) == len(question.options)
        assert {o.level for o in question.options} <= {0, 1, 2, 3}
        for option in question.options:
            assert len(option.text.split()) <= 15, (question.id, option.key)
            if question.kind == "scenario":
                assert option.text.startswith("I "), (question.id, option.key)


def test_shipped_scenarios_keep_option_lengths_similar(content: Content) -> None:
    for question in content.questions.values():
        lengths = [len(o.text.split()) for o in question.options]
        if question.kind == "scenario":
            assert max(lengths) <= 2 * min(lengths), (question.id, lengths)


def test_shipped_alignments_are_pinned_esco_concepts(content: Content) -> None:
    alignments = [a for s in content.skills.values() for a in s.alignments]
    alignments += [a for o in content.outcomes.values() for a in o.alignments]
    assert alignments
    for alignment in alignments:
        match = ESCO_URI.fullmatch(alignment.url)
        assert match, alignment.url
        concept = ESCO_CONCEPTS[match.group(1)]
        assert (alignment.framework, alignment.name) == ("ESCO v1.2.0", concept.label)
        assert alignment.code == concept.code
    assert all(skill.alignments for skill in content.skills.values())


def test_self_ratings_offer_the_four_levels_in_order(content: Content) -> None:
    for question in content.questions.values():
        if question.kind == "self_rating":
            assert [o.level for o in question.options] == [0, 1, 2, 3]
            assert question.outcomes == ()
            assert question.id == f"SR-{question.skill}"


# ---------------------------------------------------------------- broken copies


def _duplicate_outcome_id(data: Data) -> None:
    data["outcomes"][1]["id"] = "SOC-01"


def _scenario_id_reused_as_outcome_id(data: Data) -> None:
    data["outcomes"][0]["id"] = "SC-SOC-01"


def _unknown_scenario_key(data: Data) -> None:
    scenario(data, "SC-SOC-03")["colour"] = "red"


def _unknown_option_key(data: Data) -> None:
    scenario(data, "SC-PER-02")["options"][0]["audio"] = "x.ogg"


def _unknown_top_key(data: Data) -> None:
    data["extras"] = []


def _unknown_alignment_key(data: Data) -> None:
    skill(data, "ORG.time")["alignments"][0]["uri"] = "http://example.org/"


def _dangling_outcome(data: Data) -> None:
    scenario(data, "SC-SOC-01")["outcomes"].append("SOC-99")


def _dangling_skill(data: Data) -> None:
    scenario(data, "SC-CRE-02")["skill"] = "CRE.dreams"


def _outcome_from_other_category(data: Data) -> None:
    scenario(data, "SC-SOC-01")["outcomes"].append("PER-01")


def _wrong_scenario_category(data: Data) -> None:
    scenario(data, "SC-ORG-02")["category"] = "COO"


def _long_option(data: Data) -> None:
    scenario(data, "SC-SOC-03")["options"][2]["text"] = "I " + "really " * 15 + "wait."


def _long_sentence(data: Data) -> None:
    long = "You stand at the bus stop near the big shop with all your heavy bags."
    scenario(data, "SC-COO-03")["situation"] = long


def _long_situation(data: Data) -> None:
    scenario(data, "SC-COO-04")["situation"] = "You work. " * 13


def _option_without_i(data: Data) -> None:
    scenario(data, "SC-CRE-05")["options"][1]["text"] = "Maybe I say my idea."


def _missing_outcome(data: Data) -> None:
    data["outcomes"] = [o for o in data["outcomes"] if o["id"] != "SOC-05"]
    for question in data["scenarios"]:
        question["outcomes"] = [o for o in question["outcomes"] if o != "SOC-05"]


def _missing_category(data: Data) -> None:
    data["categories"].pop()
    for key in ("outcomes", "scenarios", "self_ratings"):
        data[key] = [item for item in data[key] if "CRE" not in item["id"]]


def _too_few_scenarios(data: Data) -> None:
    data["scenarios"] = [q for q in data["scenarios"] if q["id"] not in {"SC-SOC-09", "SC-SOC-10"}]
    data["scenarios"] = [q for q in data["scenarios"] if q["id"] != "SC-SOC-07"]


def _missing_self_rating(data: Data) -> None:
    data["self_ratings"] = [q for q in data["self_ratings"] if q["skill"] != "PER.stress"]


def _two_options(data: Data) -> None:
    del scenario(data, "SC-ORG-03")["options"][2:]


def _level_out_of_range(data: Data) -> None:
    scenario(data, "SC-SOC-01")["options"][0]["level"] = 4


def _repeated_level(data: Data) -> None:
    options = scenario(data, "SC-PER-05")["options"]
    options[1]["level"] = options[0]["level"]


def _level_as_text(data: Data) -> None:
    scenario(data, "SC-SOC-02")["options"][1]["level"] = "two"


def _levels_not_0_to_3(data: Data) -> None:
    data["levels"][3]["level"] = 4


def _esco_not_pinned(data: Data) -> None:
    alignment = skill(data, "SOC.communication")["alignments"][0]
    alignment["url"] = "http://data.europa.eu/esco/skill/00000000-1111-2222-3333-444444444444"


def _esco_t_code_uri(data: Data) -> None:
    skill(data, "COO.teamwork")["alignments"][0]["url"] = "http://data.europa.eu/esco/skill/T4.3"


def _esco_old_label(data: Data) -> None:
    alignments = skill(data, "PER.stress")["alignments"]
    stress = next(a for a in alignments if a["name"] == "cope with stress")
    stress["name"] = "cope with pressure"


def _outcome_esco_not_pinned(data: Data) -> None:
    data["outcomes"][0]["esco"] = ["00000000-1111-2222-3333-444444444444"]


def _uncovered_outcome(data: Data) -> None:
    for question in data["scenarios"]:
        if question["category"] == "CRE" and len(question["outcomes"]) > 1:
            question["outcomes"] = [o for o in question["outcomes"] if o != "CRE-13"]
    scenario(data, "SC-CRE-08")["outcomes"] = ["CRE-14"]


def _no_outcome_of_own_skill(data: Data) -> None:
    scenario(data, "SC-PER-01")["outcomes"] = ["PER-01"]


def _option_keys_out_of_order(data: Data) -> None:
    scenario(data, "SC-ORG-04")["options"][0]["key"] = "e"


def _scenario_id_of_other_category(data: Data) -> None:
    scenario(data, "SC-COO-05")["id"] = "SC-CRE-55"


def _self_rating_with_three_options(data: Data) -> None:
    rating = next(q for q in data["self_ratings"] if q["id"] == "SR-ORG.time")
    rating["options"] = rating["options"][1:]


def _dark_on_white_colour(data: Data) -> None:
    data["categories"][2]["color"] = "#ffd700"


def _same_colour(data: Data) -> None:
    data["categories"][1]["color"] = data["categories"][0]["color"]


def _missing_tip(data: Data) -> None:
    del data["outcomes"][3]["tip"]


def _tip_without_pictogram(data: Data) -> None:
    data["outcomes"][4]["tip"] = "Say thank you today."


def _long_tip_sentence(data: Data) -> None:
    data["outcomes"][5]["tip"] = "👀 Look " + "very " * 13 + "closely."


def _long_tip(data: Data) -> None:
    data["outcomes"][6]["tip"] = "💛 " + "Say it to them now. " * 5


BROKEN: list[tuple[Callable[[Data], None], str]] = [
    (_missing_tip, r"outcome SOC-04: missing key\(s\): tip"),
    (_tip_without_pictogram, r"outcome SOC-05: tip: must start with a pictogram and a space"),
    (_long_tip_sentence, r"outcome SOC-06: tip: sentence .* has 16 words, at most 15"),
    (_long_tip, r"outcome SOC-07: tip: 26 words, at most 25"),
    (_duplicate_outcome_id, r"duplicate id\(s\): SOC-01"),
    (_scenario_id_reused_as_outcome_id, r"duplicate id\(s\): SC-SOC-01"),
    (_unknown_scenario_key, r"scenario SC-SOC-03: unknown key\(s\): colour"),
    (_unknown_option_key, r"scenario SC-PER-02: option a: unknown key\(s\): audio"),
    (_unknown_top_key, r"file: unknown key\(s\): extras"),
    (_unknown_alignment_key, r"skill ORG.time: alignment #1: unknown key\(s\): uri"),
    (_dangling_outcome, r"scenario SC-SOC-01: unknown outcome 'SOC-99'"),
    (_dangling_skill, r"scenario SC-CRE-02: unknown skill 'CRE.dreams'"),
    (_outcome_from_other_category, r"scenario SC-SOC-01: outcome PER-01 is not in category SOC"),
    (
        _wrong_scenario_category,
        r"scenario SC-ORG-02: category COO, but skill ORG.planning is in ORG",
    ),
    (_long_option, r"scenario SC-SOC-03: option c: 17 words, at most 15"),
    (_long_sentence, r"scenario SC-COO-03: situation: sentence .* has 15 words, at most 12"),
    (_long_situation, r"scenario SC-COO-04: situation: 26 words, at most 25"),
    (_option_without_i, r"scenario SC-CRE-05: option b: must start with 'I '"),
    (_missing_outcome, r"skill SOC.communication: 4 outcomes, expected 5"),
    (_missing_category, r"categories: 4 categories, expected 5"),
    (_too_few_scenarios, r"category SOC: 7 scenarios, expected 8 to 12"),
    (_missing_self_rating, r"skill PER.stress: 0 self-rating questions, expected 1"),
    (_two_options, r"scenario SC-ORG-03: 2 options, expected 3 to 4"),
    (
        _level_out_of_range,
        r"scenario SC-SOC-01: option a: level 4, expected one of \[0, 1, 2, 3\]",
    ),
    (_repeated_level, r"scenario SC-PER-05: option level \d is repeated"),
    (_level_as_text, r"scenario SC-SOC-02: option b: level: expected a whole number, got text"),
    (_levels_not_0_to_3, r"levels: expected levels \[0, 1, 2, 3\] in order, got \[0, 1, 2, 4\]"),
    (_esco_not_pinned, r"skill SOC.communication: alignment \S+: not in the pinned list"),
    (_esco_t_code_uri, r"skill COO.teamwork: alignment \S+T4.3: not an ESCO URI of the form"),
    (
        _esco_old_label,
        r"skill PER.stress: alignment \S+: name and code must be .*'cope with stress'",
    ),
    (_outcome_esco_not_pinned, r"outcome SOC-01: ESCO concept '0{8}-\S+' is not in the pinned"),
    (_uncovered_outcome, r"outcome CRE-13: no scenario gives evidence for it"),
    (_no_outcome_of_own_skill, r"scenario SC-PER-01: none of its outcomes belongs to its skill"),
    (_option_keys_out_of_order, r"scenario SC-ORG-04: option keys must be a, b, c, d in order"),
    (_scenario_id_of_other_category, r"scenario SC-CRE-55: id must be 'SC-COO-NN'"),
    (_self_rating_with_three_options, r"self-rating SR-ORG.time: 3 options, expected 4$"),
    (_dark_on_white_colour, r"category ORG: color #ffd700: white text contrast 1.\d, below 4.5"),
    (_same_colour, r"categories: color #\w{6} is repeated"),
]


@pytest.mark.parametrize(("mutate", "expected"), BROKEN, ids=[f.__name__[1:] for f, _ in BROKEN])
def test_broken_copy_names_the_offending_item(
    tmp_path: Path, mutate: Callable[[Data], None], expected: str
) -> None:
    data = raw()
    mutate(data)
    path = write(tmp_path, data)
    with pytest.raises(ContentError) as caught:
        load_content(path)
    assert re.search(f"^{re.escape(str(path))}: {expected}", str(caught.value), re.MULTILINE)


def test_unchanged_copy_loads(tmp_path: Path, content: Content) -> None:
    assert load_content(write(tmp_path, raw())) == content


def test_yaml_syntax_error_gives_file_and_line(tmp_path: Path) -> None:
    lines = SHIPPED.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines) if "id: SC-SOC-02" in line)
    lines[number + 1] = "    category: [SOC"
    path = tmp_path / "broken.yaml"
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(ContentError, match=rf"^{re.escape(str(path))}: line {number + 3}, column"):
        load_content(path)


def test_key_given_twice_is_rejected(tmp_path: Path) -> None:
    text = SHIPPED.read_text(encoding="utf-8").replace(
        "  - id: SOC-02\n", "  - id: SOC-02\n    id: SOC-03\n", 1
    )
    path = tmp_path / "twice.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError, match=r"line \d+, column \d+: duplicate key 'id'"):
        load_content(path)


def test_empty_file_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "empty.yaml"
    path.write_text("", encoding="utf-8")
    with pytest.raises(ContentError, match=r"empty.yaml: file: expected a mapping, got nothing"):
        load_content(path)


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    data = raw()
    _long_option(data)
    _level_out_of_range(data)
    with pytest.raises(ContentError) as caught:
        load_content(write(tmp_path, data))
    assert len(str(caught.value).splitlines()) == 2


# ---------------------------------------------------------------- translation hooks


def test_translatable_texts_cover_every_option_with_unique_contexts(content: Content) -> None:
    texts = translatable_texts(content)
    contexts = [context for context, _ in texts]
    assert len(contexts) == len(set(contexts))
    found = dict(texts)
    for question in content.questions.values():
        assert found[f"{question.id}.situation"] == question.situation
        assert found[f"{question.id}.question"] == question.question
        for option in question.options:
            assert found[f"{question.id}.{option.key}"] == option.text
    assert found["level.2.label"] == "On my own"
    assert found["SOC.name"] == "Social skills"
    assert found["SOC.communication.name"] == content.skills[SkillId("SOC.communication")].name
    assert found["SOC-01.text"] == content.outcomes[OutcomeId("SOC-01")].text
    assert found["SOC-01.tip"] == content.outcomes[OutcomeId("SOC-01")].tip


def test_every_outcome_has_a_short_tip_with_a_pictogram(content: Content) -> None:
    assert len(content.outcomes) == 75
    for outcome in content.outcomes.values():
        assert not outcome.tip[0].isascii(), outcome.id
        assert len(outcome.tip.split()) <= 25, outcome.id


def test_translatable_texts_are_in_file_order(content: Content) -> None:
    contexts = [context for context, _ in translatable_texts(content)]
    expected = ["level.0.label", "SOC.name", "SOC.communication.name", "SOC-01.text"]
    expected += ["SC-SOC-01.situation", "SC-SOC-01.a", "SR-SOC.communication.situation"]
    assert [contexts.index(c) for c in expected] == sorted(contexts.index(c) for c in expected)
    file_text = SHIPPED.read_text(encoding="utf-8")
    ids = [c.split(".")[0] for c in contexts if re.match(r"[A-Z]{3}-\d\d\.", c)]
    assert [file_text.index(f"id: {i}\n") for i in ids] == sorted(
        file_text.index(f"id: {i}\n") for i in ids
    )


def test_babel_extracts_the_texts_with_their_context(content: Content) -> None:
    found = list(extract_from_file("bot.dialogs.extract:extract_spocc", str(SHIPPED)))
    by_context = {context: (line, message) for line, message, _, context in found}
    assert len(found) == len(translatable_texts(content))
    line, message = by_context["SC-SOC-01.a"]
    assert message == content.questions[QuestionId("SC-SOC-01")].options[0].text
    assert message in SHIPPED.read_text(encoding="utf-8").splitlines()[line - 1]


def test_extractor_reads_a_binary_file_object(content: Content) -> None:
    fileobj = io.BytesIO(SHIPPED.read_bytes())
    found = list(extract_spocc(fileobj, {}, (), {}))
    assert {funcname for _, funcname, _, _ in found} == {"pgettext"}
    assert [messages for _, _, messages, _ in found] == translatable_texts(content)
