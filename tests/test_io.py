"""Scenario files: what is saved loads back equal, and every bad file gets a clear error."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from hypothesis import example, given

import bargain as bg
from bargain import io

from .strategies import annotated_problems, continuous_problems, problems


def same_notes(a: bg.Problem, b: bg.Problem) -> bool:
    return a.notes == b.notes and [p.notes for p in a.parties] == [p.notes for p in b.parties]


@given(problems())
def test_saving_then_loading_gives_an_equal_problem(problem):
    text = io.dumps(problem)
    again = io.loads(text)
    assert again == problem
    assert io.dumps(again) == text


@example(
    bg.Problem(
        bg.OutcomeSpace([bg.Issue('a"\\.\n', ["x y", "\x7f", "é"])]),
        [
            bg.Party(
                'Ukraine\'s "view"',
                bg.AdditiveUtility({'a"\\.\n': {"é": 1e-300, "x y": -0.0, "\x7f": 1e16}}),
                disagreement=0.1,
                red_lines=[{'a"\\.\n': ["\x7f"]}],
                notes={'values."a\\"\\\\.\\n"."x y"': {"rationale": "line\nbreak", "source": ""}},
            )
        ],
        notes={"scenario": {"title": "t", "description": "\t"}},
    )
)
@given(annotated_problems())
def test_names_numbers_and_notes_survive_a_round_trip(problem):
    text = io.dumps(problem)
    tomllib.loads(text)  # the emitter writes valid TOML
    again = io.loads(text)
    assert again == problem
    assert same_notes(again, problem)


def test_save_and_load_a_file(tmp_path):
    problem = bg.Problem.from_utilities([[0.25, 1.0], [0.75, 0.5]], disagreement=[0.1, 0.2])
    path = bg.save(problem, tmp_path / "talks.toml")
    assert bg.load(path) == problem
    assert bg.load(str(path)) == problem


def test_notes_do_not_count_in_equality_but_are_kept_by_derived_problems():
    problem = io.loads(GOOD)
    assert problem.parties[0].notes == {"disagreement": {"rationale": "war is costly"}}
    bare = problem.replace_party("A", notes=None)
    assert bare == problem
    assert bare.parties[0] == problem.parties[0]
    assert bare.parties[0].notes == {}
    assert problem.replace_party("B", power=2.0).parties[0].notes == problem.parties[0].notes
    assert problem.without("B").notes == problem.notes == {"issues.nato": {"source": "article"}}


def test_save_refuses_notes_it_cannot_place():
    problem = io.loads(GOOD).replace_party("A", notes={"values.nowhere": {"rationale": "?"}})
    with pytest.raises(bg.ValidationError, match=r"'values\.nowhere' names nothing"):
        io.dumps(problem)


GOOD = """
[[issues]]
name = "nato"
options = ["membership", "neutrality"]
source = "article"

[[parties]]
name = "A"
disagreement = { value = 0.2, rationale = "war is costly" }
values = { nato = [1.0, 0.0] }

[[parties]]
name = "B"
disagreement = 0.1
values = { nato = { membership = 0.0, neutrality = 1.0 } }
red_lines = [{ forbid = { nato = "membership" } }]
"""


def broken(old: str, new: str) -> str:
    assert old in GOOD
    return GOOD.replace(old, new)


@pytest.mark.parametrize(
    ("text", "path", "rule"),
    [
        ("a = 1\nb = = 2\n", "", "invalid TOML: .*line 2, column 5"),
        (GOOD + "\ncolour = 'red'\n", "parties[1].colour", "unknown key"),
        (GOOD + "\n[extra]\n", "extra", "unknown key"),
        (broken('name = "A"', 'name = "A"\nvalue = 1'), "parties[0].value", "unknown key"),
        (broken("disagreement = 0.1", "disagreement = nan"), "parties[1].disagreement", "finite"),
        (
            broken("disagreement = 0.1", "disagreement = '0.1'"),
            "parties[1].disagreement",
            "must be a number, got a string",
        ),
        (
            broken("disagreement = 0.1", "disagreement = true"),
            "parties[1].disagreement",
            "must be a number, got a boolean",
        ),
        (broken("disagreement = 0.1\n", ""), "parties[1].disagreement", "is missing"),
        (broken("= [1.0, 0.0]", "= [1.0, inf]"), r"parties[0].values.nato[1]", "finite"),
        (broken("= [1.0, 0.0]", "= [1.0]"), "parties[0].values.nato", "has 1 values, but"),
        (broken("= [1.0, 0.0]", "= 1.0"), "parties[0].values.nato", "must be an array"),
        (broken("{ nato = [1.0, 0.0] }", "{}"), "parties[0].values.nato", "is missing"),
        (
            broken("{ nato = [1.0, 0.0] }", "{ nato = [1.0, 0.0], land = [1.0] }"),
            "parties[0].values.land",
            "unknown key",
        ),
        (
            broken("neutrality = 1.0", "neutral = 1.0"),
            "parties[1].values.nato.neutral",
            "unknown key",
        ),
        (broken(", neutrality = 1.0", ""), "parties[1].values.nato.neutrality", "is missing"),
        (
            broken("neutrality = 1.0", "neutrality = { rationale = 'x' }"),
            "parties[1].values.nato.neutrality",
            "needs a 'value' key",
        ),
        (
            broken('rationale = "war', 'reason = "war'),
            "parties[0].disagreement.reason",
            "unknown key",
        ),
        (broken('name = "B"', 'name = "A"'), "parties[1]", "duplicate party name 'A'"),
        (
            broken('"membership", "neutrality"]', '"membership", "membership"]'),
            "issues[0].options[1]",
            "duplicate option label",
        ),
        (
            broken('options = ["membership", "neutrality"]', "options = []"),
            "issues[0].options",
            "is empty",
        ),
        (
            broken('nato = "membership"', 'nato = "alliance"'),
            "parties[1].red_lines[0].forbid.nato[0]",
            "no option 'alliance'",
        ),
        (
            broken('forbid = { nato = "membership" }', 'nato = "membership"'),
            "parties[1].red_lines[0].nato",
            "unknown key",
        ),
        (broken("red_lines = [", "power = -1\nred_lines = ["), "parties[1].power", ">= 0"),
        (broken('name = "nato"', "name = 3"), "issues[0].name", "must be a string"),
        (GOOD.split("[[parties]]")[0], "parties", "is missing"),
    ],
)
def test_bad_files_name_the_file_the_key_path_and_the_rule(tmp_path, text, path, rule):
    file = tmp_path / "talks.toml"
    file.write_text(text, encoding="utf-8")
    with pytest.raises(bg.ScenarioFileError) as info:
        bg.load(file)
    message = str(info.value)
    assert message.startswith(f"{file}: {path}: " if path else f"{file}: ")
    assert re.search(rule, message), message
    assert isinstance(info.value, ValueError)


def test_nothing_in_a_file_is_executed(tmp_path):
    marker = tmp_path / "pwned"
    text = broken('name = "A"', f"name = \"__import__('pathlib').Path(r'{marker}').touch()\"")
    problem = io.loads(text)
    assert not marker.exists()
    assert problem.party_names[0].startswith("__import__")


def test_a_missing_file_is_an_os_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        bg.load(tmp_path / "nowhere.toml")


def test_the_readme_example_file_loads_and_round_trips():
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    block = readme.split("```toml\n", 1)[1].split("```", 1)[0]
    problem = io.loads(block, source="README.md")
    assert problem.party_names == ("Buyer", "Seller")
    assert problem.parties[1].notes["values.price.fair"] == {
        "rationale": "Covers cost and a margin."
    }
    assert problem.parties[0].notes["values.delivery"]["rationale"]
    assert problem.notes["scenario"]["title"] == "Parts contract"
    assert problem.parties[1].utility.weights == {"price": 1.0, "delivery": 1.0}
    again = io.loads(io.dumps(problem))
    assert again == problem and same_notes(again, problem)
    assert bg.nash(problem).outcome == {"price": "fair", "delivery": "next quarter"}


@given(continuous_problems())
def test_continuous_issues_and_their_shapes_survive_a_round_trip(problem):
    again = io.loads(io.dumps(problem))
    assert again == problem
    # Problem equality does not look inside value functions; the utilities do.
    assert [p.utility for p in again.parties] == [p.utility for p in problem.parties]
    assert [p.red_lines for p in again.parties] == [p.red_lines for p in problem.parties]


CONTINUOUS = """
[[issues]]
name = "share"
low = 0.0
high = 1.0

[[parties]]
name = "A"
disagreement = 0.0
values = { share = { shape = "linear", slope = 1.0, rationale = "more is better" } }
red_lines = [{ forbid = { share = [0.0, 0.25] } }]
"""


def test_a_continuous_issue_reads_as_the_shape_it_names():
    problem = io.loads(CONTINUOUS)
    issue = problem.space.issues[0]
    assert isinstance(issue, bg.ContinuousIssue) and (issue.low, issue.high) == (0.0, 1.0)
    party = problem.parties[0]
    assert party.utility.values["share"] == bg.shapes.linear(1.0, 0.0)
    assert party.red_lines == ({"share": (0.0, 0.25)},)
    assert party.notes == {"values.share": {"rationale": "more is better"}}


@pytest.mark.parametrize(
    ("old", "new", "path", "rule"),
    [
        ("high = 1.0\n", "", "issues[0].high", "is missing"),
        ("low = 0.0\n", 'options = ["a"]\n', "issues[0].high", "either options"),
        ("high = 1.0", "high = 0.0", "issues[0]", "low .* must be less than high"),
        ('shape = "linear"', 'shape = "cubic"', "parties[0].values.share.shape", "unknown shape"),
        (
            "slope = 1.0",
            "slope = 1.0, exponent = 2.0",
            "parties[0].values.share.exponent",
            "unknown key",
        ),
        (
            '{ shape = "linear", slope = 1.0, rationale = "more is better" }',
            "[0.0, 1.0]",
            "parties[0].values.share",
            "continuous issue's values are a table",
        ),
        ("[0.0, 0.25]", '["low"]', "parties[0].red_lines[0].forbid.share", "open interval"),
    ],
)
def test_bad_continuous_entries_are_named(old, new, path, rule):
    assert old in CONTINUOUS
    with pytest.raises(bg.ScenarioFileError) as info:
        io.loads(CONTINUOUS.replace(old, new), source="c.toml")
    assert str(info.value).startswith(f"c.toml: {path}: ")
    assert re.search(rule, str(info.value)), str(info.value)


def test_a_custom_value_function_cannot_be_saved():
    problem = io.loads(CONTINUOUS).replace_party(
        "A", utility=bg.AdditiveUtility({"share": lambda x: 2 * x})
    )
    with pytest.raises(bg.ValidationError, match=r"only the value functions of bargain.shapes"):
        io.dumps(problem)


# -- gaps a mutation probe found -----------------------------------------------------------


def test_a_shape_reads_every_parameter_given_whichever_are_left_out():
    text = CONTINUOUS.replace('shape = "linear", slope = 1.0', 'shape = "linear", intercept = 0.5')
    function = io.loads(text).parties[0].utility.values["share"]
    assert function == bg.shapes.linear(intercept=0.5)
    assert function != bg.shapes.linear()


def test_weights_name_every_issue():
    text = GOOD.replace(
        "values = { nato = [1.0, 0.0] }", "values = { nato = [1.0, 0.0] }\nweights = {}"
    )
    with pytest.raises(bg.ScenarioFileError, match=r"parties\[0\]\.weights\.nato: is missing"):
        io.loads(text)


def test_every_float_survives_a_round_trip_exactly():
    awkward = [0.1 + 0.2, 1 / 3, 2 / 3 * 1e-7, 123456.789012345678]
    problem = bg.Problem.from_utilities(
        [[awkward[0], awkward[1]], [awkward[2], awkward[3]]], disagreement=[awkward[2], 1 / 7]
    )
    again = io.loads(io.dumps(problem))
    assert again == problem
    assert again.disagreement.tolist() == [awkward[2], 1 / 7]


def test_save_refuses_notes_on_a_whole_value_table_and_on_its_options():
    problem = io.loads(GOOD).replace_party(
        "B",
        notes={
            "values.nato": {"rationale": "the whole table"},
            "values.nato.membership": {"rationale": "one option"},
        },
    )
    with pytest.raises(bg.ValidationError, match="holds one or the other"):
        io.dumps(problem)


TWO_ISSUES = """
[[issues]]
name = "price"
options = ["low", "high"]

[[issues]]
name = "time"
options = ["9:00", "10:00"]

[[parties]]
name = "A"
values = { price = [1.0, 0.0], time = [0.0, 1.0] }
disagreement = 0.1
"""


def test_a_second_table_on_the_same_issues_is_an_error_not_a_lost_table(tmp_path):
    # (read into a dict, the first table was silently replaced by the second)
    table = "table = [[0.0, 0.1], [0.2, 0.3]]"
    entry = f'{{ issues = ["price", "time"], {table} }}'
    entries = f"{entry}, {entry}"
    file = tmp_path / "twice.toml"
    file.write_text(TWO_ISSUES + f"interactions = [{entries}]\n", encoding="utf-8")
    with pytest.raises(bg.ScenarioFileError, match=re.escape("parties[0].interactions[1].issues:")):
        bg.load(file)


def test_a_rectangle_on_an_unknown_issue_names_the_party_s_key_path(tmp_path):
    file = tmp_path / "rectangle.toml"
    rectangle = 'rectangles = [{ bonus = 1.0, ranges = { colour = ["low", "high"] } }]'
    file.write_text(
        TWO_ISSUES + f'\n[[parties]]\nname = "R"\n{rectangle}\ndisagreement = 0.1\n',
        encoding="utf-8",
    )
    with pytest.raises(bg.ScenarioFileError) as info:
        bg.load(file)
    assert str(info.value).startswith(f"{file}: parties[1]: ")
    assert "rectangles[0].ranges['colour'] names an issue the space does not have" in str(
        info.value
    )


def test_a_file_that_is_not_utf8_is_a_scenario_file_error(tmp_path):
    file = tmp_path / "latin1.toml"
    file.write_bytes('name = "café"\n'.encode("latin-1"))
    with pytest.raises(bg.ScenarioFileError, match="is not UTF-8 text"):
        bg.load(file)


def test_option_labels_with_colons_carry_uncertainty_on_the_array():
    text = TWO_ISSUES.replace(
        "time = [0.0, 1.0] }",
        'time = { value = [0.0, 1.0], uncertain = "10:00: uniform(0.8, 1.0)" } }',
    )
    (selector,) = io.uncertainty(io.loads(text))
    assert selector == ("A", "value", "time", "10:00")


def test_a_dropped_option_takes_its_part_of_the_array_s_uncertain_note_along():
    talks = bg.scenarios.load("ukraine-2025")
    before = io.uncertainty(talks)
    assert ("Russia", "value", "crimea", "de facto") in before
    for changed in (talks.drop_option("crimea", "de facto"), talks.settle("crimea", "none")):
        after = io.uncertainty(changed)  # (raised on the part naming a dropped option)
        space = changed.space
        assert set(after) == {s for s in before if len(s) < 4 or s[3] in space.issue(s[2]).options}
        assert io.loads(io.dumps(changed)) == changed
    # The README's chain ends with the United States gone and two issues settled.
    chain = bg.whatif.whatif_chain(talks, bg.scenarios.whatifs("ukraine-2025"))
    last = chain.steps[-1].problem
    assert io.uncertainty(last) and io.loads(io.dumps(last)) == last
