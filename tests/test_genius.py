"""GENIUS/ANAC import and export, against an evaluator written from GENIUS's rules.

The reference here reads the XML itself and computes a package's utility one
issue at a time, straight from the rules (no code shared with
:mod:`bargain.genius`). The domains under tests/data/anac are copies of a few
small ANAC domains; ``test_corpus`` runs over the whole ANAC corpus when
``BARGAIN_ANAC`` (default /work/shared/anac) exists and skips otherwise.
"""

from __future__ import annotations

import functools
import math
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import bargain as bg
from tests import reference, strategies

DATA = Path(__file__).parent / "data" / "anac"
DOMAINS = sorted({file.parent for file in DATA.rglob("*.xml")})
CORPUS = Path(os.environ.get("BARGAIN_ANAC", "/work/shared/anac"))
SAMPLES = 200


# -- the reference evaluator ----------------------------------------------------------------


def files_of(folder: Path) -> tuple[Path, list[Path]]:
    domain, profiles = None, []
    for file in sorted(folder.glob("*.xml")):
        tag = ET.parse(file).getroot().tag
        if tag == "negotiation_template":
            domain = file
        elif tag == "utility_space":
            profiles.append(file)
    return domain, profiles


def domain_issues(domain: Path) -> list[ET.Element]:
    return list(parsed(domain).iter("issue"))


@functools.lru_cache(maxsize=64)
def parsed(file: Path) -> ET.Element:
    return ET.parse(file).getroot()


def half_up(x: float) -> int:
    return math.floor(x + 0.5)  # fine away from 0.49999999999999994, as here


def reference_utility(domain: Path, profile: Path, outcome: dict[str, str]) -> float:
    """GENIUS's utility of ``outcome`` ({issue name: option label}) for ``profile``."""
    issues = domain_issues(domain)
    name_of = {int(issue.get("index")): issue.get("name") for issue in issues}
    root = parsed(profile)
    if root.get("type") == "nonlinear":
        utility = root.find("objective").find("utility")
        total = 0.0
        for rectangle in utility.iter("hyperRectangle"):
            if all(
                int(b.get("min")) <= int(outcome[name_of[int(b.get("index"))]]) <= int(b.get("max"))
                for b in rectangle.findall("INCLUDES")
            ):
                total += float(rectangle.get("utility"))
        return min(1.0, total / float(utility.get("maxutility")))
    weights = {int(w.get("index")): float(w.get("value")) for w in root.iter("weight")}
    evaluators = {int(issue.get("index")): issue for issue in root.iter("issue")}
    total = 0.0
    for issue in issues:  # the domain's order
        index = int(issue.get("index"))
        evaluator = evaluators[index]
        label = outcome[issue.get("name")]
        if issue.get("type") == "integer":
            function = evaluator.find("evaluator")
            if function is None:
                value = 0.0
            else:
                x = int(label) - int(evaluator.get("lowerbound"))
                value = float(function.get("slope")) * x + float(function.get("offset"))
                value = min(1.0, max(0.0, value))
        else:
            items = evaluator.findall("item")  # direct children (not similarity functions')
            evaluation = {i.get("value"): float(i.get("evaluation")) for i in items}
            top = half_up(max(evaluation.values()))
            value = half_up(evaluation[label]) / top if top > 1 else evaluation[label]
        total += weights[index] * value
    return min(1.0, total)


def check_against_reference(folder: Path, samples: int, seed: int) -> bg.Problem:
    problem = bg.genius.load(folder)
    domain, profiles = files_of(folder)
    issues = domain_issues(domain)
    assert problem.space.names == tuple(issue.get("name") for issue in issues)
    for issue, element in zip(problem.space.issues, issues):
        if element.get("type") == "integer":
            low, high = int(element.get("lowerbound")), int(element.get("upperbound"))
            assert issue.options == tuple(str(x) for x in range(low, high + 1))
        else:
            assert issue.options == tuple(item.get("value") for item in element.iter("item"))
    assert problem.party_names == tuple(profile.stem for profile in profiles)
    rng = np.random.default_rng(seed)
    size = problem.space.size
    sizes = problem.space.sizes
    drawn = (problem.space.index_of([int(rng.integers(s)) for s in sizes]) for _ in range(samples))
    indices = {0, size - 1, *drawn}
    for index in sorted(indices):  # GENIUS's own arithmetic and order: bit for bit
        outcome = problem.space.outcome(index)
        expected = [reference_utility(domain, profile, outcome) for profile in profiles]
        assert problem.utilities(index).tolist() == expected, (folder.name, index)
    for party, profile in zip(problem.parties, profiles):
        reservation = ET.parse(profile).getroot().find("reservation")
        expected = 0.0 if reservation is None else float(reservation.get("value"))
        assert party.disagreement == expected
    return problem


# -- the loader ------------------------------------------------------------------------------


@pytest.mark.parametrize("folder", DOMAINS, ids=lambda f: f.name)
def test_domains_match_the_reference_evaluator(folder):
    check_against_reference(folder, SAMPLES, seed=len(folder.name))


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"the ANAC corpus is not at {CORPUS}")
def test_corpus():
    """Every domain of the corpus loads and matches the reference on sampled packages."""
    folders = sorted({file.parent for file in CORPUS.rglob("*.xml")})
    assert folders
    for folder in folders:
        check_against_reference(folder, samples=25, seed=1)


def test_small_domains_solve_like_brute_force():
    for name in ("Ultimatum", "group3-bank_robbery", "FitnessA"):
        (folder,) = [f for f in DOMAINS if f.name == name]
        problem = bg.genius.load(folder)
        assert tuple(bg.pareto_frontier(problem).indices) == reference.pareto_frontier(problem)
        assert bg.nash(problem).ties == reference.nash(problem)


def write(folder: Path, domain: str, **profiles: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "domain.xml").write_text(domain)
    for name, text in profiles.items():
        (folder / f"{name}.xml").write_text(text)
    return folder


DOMAIN = """<negotiation_template><utility_space><objective index="0" name="root">
  <issue index="1" name="colour" type="discrete">
    <item index="1" value="red"/><item index="2" value="blue"/><item index="3" value="green"/>
  </issue>
  <issue index="2" name="size" type="integer" lowerbound="2" upperbound="5"/>
</objective></utility_space></negotiation_template>"""


def profile(items: str, weights: str, evaluator: str = "", extra: str = "") -> str:
    return f"""<utility_space><objective index="0" name="root">
  <issue index="1" name="colour" type="discrete">{items}</issue>
  <issue index="2" name="size" type="integer" lowerbound="2" upperbound="5">{evaluator}</issue>
  {weights}</objective>{extra}</utility_space>"""


ITEMS = '<item value="red" evaluation="{}"/><item value="blue" evaluation="{}"/>' + (
    '<item value="green" evaluation="{}"/>'
)
WEIGHTS = '<weight index="1" value="{}"/><weight index="2" value="{}"/>'
SLOPE = '<evaluator ftype="linear" slope="{}" offset="{}"/>'


def colour_values(problem: bg.Problem) -> list[float]:
    return problem.tables[0][0].tolist()


def size_values(problem: bg.Problem) -> list[float]:
    return problem.tables[1][0].tolist()


@pytest.mark.parametrize(
    ("evaluations", "expected"),
    [
        ((1, 5, 2.5), [1 / 5, 5 / 5, 3 / 5]),  # rounded max 5 > 1: round(e) / 5, halves up
        ((0.2, 1.4, 0.5), [0.2, 1.4, 0.5]),  # rounded max 1: as written, even above 1
        ((0, 0, 0), [0.0, 0.0, 0.0]),  # all zero: contributes 0, no division by zero
        ((0.3, 1.6, 0.5), [0.0, 1.0, 0.5]),  # round(1.6) = 2 > 1: round(0.3) = 0, round(.5) = 1
    ],
)
def test_discrete_evaluation_rule(tmp_path, evaluations, expected):
    text = profile(ITEMS.format(*evaluations), WEIGHTS.format(0.5, 0.0))
    problem = bg.genius.load(write(tmp_path / "d", DOMAIN, a=text))
    assert colour_values(problem) == [0.5 * e for e in expected]


def test_integer_evaluation_clamps_from_the_lower_bound(tmp_path):
    text = profile(ITEMS.format(0, 0, 0), WEIGHTS.format(0.0, 1.0), SLOPE.format(0.5, -0.25))
    problem = bg.genius.load(write(tmp_path / "d", DOMAIN, a=text))
    assert problem.space.issues[1].options == ("2", "3", "4", "5")
    assert size_values(problem) == [0.0, 0.25, 0.75, 1.0]  # clamp01(-0.25 + 0.5 * (x - 2))
    no_evaluator = profile(ITEMS.format(0, 0, 0), WEIGHTS.format(0.0, 1.0))
    assert size_values(bg.genius.load(write(tmp_path / "e", DOMAIN, a=no_evaluator))) == [0.0] * 4


def test_weights_as_written_reservation_and_discount(tmp_path):
    extra = '<reservation value="0.25"/><discount_factor value="1.5"/>'
    text = profile(ITEMS.format(0, 1, 0.5), WEIGHTS.format(0.25, 0.5), SLOPE.format(0, 1), extra)
    problem = bg.genius.load(write(tmp_path / "d", DOMAIN, a=text))
    assert colour_values(problem) == [0.0, 0.25, 0.125]
    assert size_values(problem) == [0.5] * 4
    assert problem.disagreement.tolist() == [0.25]
    plain = profile(ITEMS.format(0, 1, 0.5), WEIGHTS.format(0.25, 0.5))
    assert bg.genius.load(write(tmp_path / "e", DOMAIN, a=plain)).disagreement.tolist() == [0.0]


def test_parties_are_named_and_ordered_by_file_name(tmp_path):
    text = profile(ITEMS.format(0, 1, 0), WEIGHTS.format(1, 0))
    folder = write(tmp_path / "d", DOMAIN, zed=text, alpha=text)
    (folder / "notes.xml").write_text("<something/>")  # other XML files are ignored
    assert bg.genius.load(folder).party_names == ("alpha", "zed")
    explicit = bg.genius.load(folder / "domain.xml", [folder / "zed.xml", folder / "alpha.xml"])
    assert explicit.party_names == ("zed", "alpha")


REAL_DOMAIN = """<negotiation_template><utility_space><objective index="0" name="root">
  <issue index="1" name="price" type="real"><range lowerbound="0" upperbound="10"/></issue>
</objective></utility_space></negotiation_template>"""


def test_real_issue_is_continuous_and_clamped(tmp_path):
    evaluator = '<evaluator ftype="linear" parameter0="-0.5" parameter1="0.2"/>'
    text = f"""<utility_space><objective index="0" name="root">
      <issue index="1" name="price" type="real"><range lowerbound="0" upperbound="10"/>
      {evaluator}</issue><weight index="1" value="0.5"/></objective></utility_space>"""
    problem = bg.genius.load(write(tmp_path / "d", REAL_DOMAIN, a=text))
    assert problem.space.issues[0] == bg.ContinuousIssue("price", 0.0, 10.0)
    (function,) = problem.value_functions[0]
    points = np.array([0.0, 2.5, 5.0, 7.5, 10.0])
    assert function(points).tolist() == [0.0, 0.0, 0.25, 0.5, 0.5]  # 0.5 * clamp01(0.2x - 0.5)
    capped = text.replace('value="0.5"', 'value="2"')
    with pytest.raises(bg.ScenarioFileError, match="continuous issue is not supported"):
        bg.genius.load(write(tmp_path / "e", REAL_DOMAIN, a=capped))


# -- errors ----------------------------------------------------------------------------------

GOOD_ITEMS = ITEMS.format(0, 1, 0.5)
GOOD_WEIGHTS = WEIGHTS.format(0.5, 0.5)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (profile(GOOD_ITEMS, '<weight index="1" value="1"/>'), 'has no <weight index="2">'),
        (
            profile('<item value="red" evaluation="1"/><item value="blue"/>', GOOD_WEIGHTS),
            "item 'blue' has no evaluation",
        ),
        (profile('<item value="red" evaluation="1"/>', GOOD_WEIGHTS), "option 'blue' has no"),
        (
            profile(GOOD_ITEMS + '<item value="pink" evaluation="1"/>', GOOD_WEIGHTS),
            "item 'pink' is not an option",
        ),
        (profile(ITEMS.format(0, "lots", 1), GOOD_WEIGHTS), "evaluation='lots' is not a finite"),
        (profile(GOOD_ITEMS, WEIGHTS.format(0.5, "nan")), "value='nan' is not a finite number"),
        (profile(GOOD_ITEMS, WEIGHTS.format(0.5, -1)), "weights must be >= 0"),
        (profile(GOOD_ITEMS, GOOD_WEIGHTS, SLOPE.format("steep", 0)), "slope='steep'"),
        ("<utility_space><objective><issue index='1'", "XML does not parse"),
        (
            "<utility_space><objective><objective index='3'/></objective></utility_space>",
            "nested objective",
        ),
    ],
)
def test_malformed_profiles_name_file_element_and_rule(tmp_path, text, message):
    folder = write(tmp_path / "d", DOMAIN, broken=text)
    with pytest.raises(bg.ScenarioFileError, match=r"broken\.xml") as caught:
        bg.genius.load(folder)
    assert message in str(caught.value)


NONLINEAR_DOMAIN = """<negotiation_template><utility_space><objective index="0" name="root">
  <issue index="1" name="a" type="integer" lowerbound="0" upperbound="3"/>
  <issue index="2" name="b" type="integer" lowerbound="0" upperbound="3"/>
</objective></utility_space></negotiation_template>"""


def nonlinear(rectangles: str, aggregation: str = "sum") -> str:
    return f"""<utility_space type="nonlinear"><objective index="0" name="root">
  <issue index="1" name="a" type="integer" lowerbound="0" upperbound="3"/>
  <issue index="2" name="b" type="integer" lowerbound="0" upperbound="3"/>
  <utility maxutility="10"><ufun type="PlainUfun" weight="1" aggregation="{aggregation}">
  {rectangles}</ufun></utility></objective></utility_space>"""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            nonlinear(
                '<hyperRectangle utility="5"><INCLUDES index="7" min="0" max="1"/></hyperRectangle>'
            ),
            "the domain has no issue with index 7",
        ),
        (
            nonlinear(
                '<hyperRectangle utility="5"><INCLUDES index="1" min="zero" max="1"/>'
                "</hyperRectangle>"
            ),
            "min='zero' is not an integer",
        ),
        (
            nonlinear(
                '<hyperRectangle utility="5"><EXCLUDES index="1" min="0" max="1"/></hyperRectangle>'
            ),
            "EXCLUDES rectangles are not supported",
        ),
        (nonlinear("", aggregation="min"), 'only aggregation="sum" is supported'),
    ],
)
def test_malformed_nonlinear_profiles(tmp_path, text, message):
    folder = write(tmp_path / "d", NONLINEAR_DOMAIN, broken=text)
    with pytest.raises(bg.ScenarioFileError, match=r"broken\.xml") as caught:
        bg.genius.load(folder)
    assert message in str(caught.value)


def test_folder_errors(tmp_path):
    text = profile(GOOD_ITEMS, GOOD_WEIGHTS)
    with pytest.raises(bg.ScenarioFileError, match="no profile"):
        bg.genius.load(write(tmp_path / "a", DOMAIN))
    two = write(tmp_path / "b", DOMAIN, x=text)
    (two / "other-domain.xml").write_text(DOMAIN)
    with pytest.raises(bg.ScenarioFileError, match="found 2 domain files"):
        bg.genius.load(two)
    with pytest.raises(bg.ScenarioFileError, match="not a folder"):
        bg.genius.load(two / "x.xml")
    with pytest.raises(bg.ScenarioFileError, match="a domain file's root is"):
        bg.genius.load(two / "x.xml", [two / "x.xml"])
    bad_type = DOMAIN.replace('type="integer"', 'type="fuzzy"')
    with pytest.raises(bg.ScenarioFileError, match="type 'fuzzy'"):
        bg.genius.load(write(tmp_path / "c", bad_type, x=text))
    with pytest.raises(bg.ScenarioFileError, match="nonlinear must be one of"):
        bg.genius.load(two, nonlinear="max")


# -- writing ---------------------------------------------------------------------------------


def test_round_trip_of_every_data_domain(tmp_path):
    """Linear, capped linear (Laptop: weights summing above 1) and non-linear (ANAC 2014)
    profiles all come back equal, utilities and all."""
    kinds = set()
    for folder in DOMAINS:
        problem = bg.genius.load(folder)
        kinds |= {type(p.utility).__name__ + str(bool(problem.terms)) for p in problem.parties}
        saved = bg.genius.save(problem, tmp_path / folder.name)
        again = bg.genius.load(saved)
        assert again == problem, folder.name
        sample = np.random.default_rng(0).integers(0, min(problem.space.size, 2**62), 200)
        assert np.array_equal(again.utilities_of(sample), problem.utilities_of(sample))
    assert kinds == {"AdditiveUtilityFalse", "RectangleUtilityFalse", "RectangleUtilityTrue"}


def integer_labelled(problem: bg.Problem) -> bg.Problem:
    """``problem`` with every issue's options renamed "0", "1", ... (rectangles follow) and
    every rectangle utility capped at 1, as a non-linear GENIUS profile is."""
    rename = {
        issue.name: dict(zip(issue.options, map(str, range(len(issue)))))
        for issue in problem.space.issues
    }
    space = bg.OutcomeSpace(
        [bg.Issue(issue.name, list(rename[issue.name].values())) for issue in problem.space.issues]
    )
    parties = []
    for party in problem.parties:
        utility = party.utility
        rectangles = [
            bg.Rectangle(
                r.bonus,
                {k: (rename[k][low], rename[k][high]) for k, (low, high) in r.ranges.items()},
            )
            for r in utility.rectangles
        ]
        utility = bg.RectangleUtility(rectangles, maximum=utility.maximum, cap=1.0)
        parties.append(bg.Party(party.name, utility, party.disagreement))
    return bg.Problem(space, parties)


@given(strategies.two_party_rectangle_problems())
def test_round_trip_of_rectangle_utilities(tmp_path_factory, problem):
    problem = integer_labelled(problem)
    folder = bg.genius.save(problem, tmp_path_factory.mktemp("round") / "boxes")
    again = bg.genius.load(folder)
    every = np.arange(problem.space.size)
    assert np.array_equal(again.utilities_of(every), problem.utilities_of(every))
    assert again.disagreement.tolist() == problem.disagreement.tolist()
    # A capped linear profile whose sum cannot exceed 1 comes back additive (the cap never
    # binds: the same utilities); everything else comes back equal.
    if not any(isinstance(p.utility, bg.AdditiveUtility) for p in again.parties):
        assert again == problem


def expressible(problem: bg.Problem) -> bg.Problem:
    """The problem with each party's weights scaled by a power of 2 (exact) to peak at <= 1,
    powers 1 and disagreement inside [0, 1]."""
    parties = []
    for j, party in enumerate(problem.parties):
        peak = sum(float(table[j].max()) for table in problem.tables)
        scale = 2.0 ** -max(0, math.ceil(math.log2(peak))) if peak > 0 else 1.0
        weights = {name: w * scale for name, w in party.utility.weights.items()}
        utility = bg.AdditiveUtility(party.utility.values, weights)
        parties.append(bg.Party(party.name, utility, min(max(party.disagreement, 0.0), 1.0)))
    return bg.Problem(problem.space, parties)


@given(strategies.problems(with_red_lines=False, powers=st.just(1.0)))
def test_round_trip(tmp_path_factory, problem):
    problem = expressible(problem)
    folder = bg.genius.save(problem, tmp_path_factory.mktemp("round") / "trip")
    assert bg.genius.load(folder) == problem


def test_save_refuses_what_genius_cannot_express(tmp_path):
    base = bg.Problem.from_utilities([[1.0, 0.25], [0.5, 0.75]])
    cases = [
        (base.replace_party("P1", power=2.0), "has power 2.0"),
        (base.replace_party("P1", red_lines=[{"alternative": "0"}]), "has red lines"),
        (bg.Problem.from_utilities([[3.0, 0.25], [0.5, 0.75]]), "reaches utility 3.0 > 1"),
        (bg.Problem.from_utilities([[-1.0, 0.25], [0.5, 0.75]]), "below 0"),
        (bg.Problem.from_utilities([[1.0, 0.25]], names=["a/b", "c"]), "cannot be a file name"),
    ]
    space = bg.OutcomeSpace([bg.Issue.continuous("share", 0, 1)])
    party = bg.Party("A", bg.AdditiveUtility({"share": bg.shapes.linear()}))
    cases.append((bg.Problem(space, [party]), "continuous"))
    two = bg.OutcomeSpace([bg.Issue("a", ["0", "1"]), bg.Issue("b", ["0", "1"])])
    tangled = bg.AdditiveUtility(
        {"a": [0.0, 0.5], "b": [0.0, 0.5]}, interactions={("a", "b"): [[0, 0], [0, -0.2]]}
    )
    boxes = bg.RectangleUtility([bg.Rectangle(1.0, {"a": ("1", "1"), "b": ("0", "1")})], cap=1.0)
    plain = bg.AdditiveUtility({"a": [0.0, 0.5], "b": [0.0, 0.5]})
    cases += [
        (bg.Problem(two, [bg.Party("A", tangled)]), "has interaction tables"),
        (
            bg.Problem(two, [bg.Party("A", boxes), bg.Party("B", plain)]),
            "'B' has an additive utility, but party 'A' needs a non-linear profile",
        ),
        (
            bg.Problem(
                two,
                [
                    bg.Party("A", boxes),
                    bg.Party("B", bg.RectangleUtility(boxes.rectangles, cap=2.0)),
                ],
            ),
            "'B' has cap 2.0",
        ),
        (
            bg.Problem(
                bg.OutcomeSpace([bg.Issue("a", ["0", "1"]), bg.Issue("b", ["x", "y"])]),
                [
                    bg.Party(
                        "A",
                        bg.RectangleUtility(
                            [bg.Rectangle(1.0, {"a": ("1", "1"), "b": ("x", "y")})], cap=1.0
                        ),
                    )
                ],
            ),
            "issue 'b' has options ['x', 'y']..., not consecutive integers",
        ),
    ]
    for problem, message in cases:
        with pytest.raises(bg.ScenarioFileError, match=r"genius\.save") as caught:
            bg.genius.save(problem, tmp_path / "out")
        assert message in str(caught.value)


def test_java_round():
    assert [bg.genius.java_round(x) for x in (0.5, 1.5, 2.5, -0.5, -1.5, 2.4999)] == [
        1,
        2,
        3,
        0,
        -1,
        2,
    ]


def test_cli_accepts_a_domain_folder(capsys):
    from bargain.cli import main

    folder = DATA / "y2013" / "Ultimatum"
    assert main(["solve", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "Ultimatum_util1" in out and "nash solution" in out
    assert main(["show", str(DATA / "y2011" / "Laptop")]) == 0
    assert "RectangleUtility(9 rectangles, maximum=1.0, cap=1.0)" in capsys.readouterr().out


def test_no_package_beats_every_reservation_value():
    """FiftyFiftyA: the 50-50 split gives both parties exactly their reservation value 0.5,
    every other package is below it for one of them; strictly better is the rule, so there
    is no agreement, and that is a result."""
    problem = bg.genius.load(DATA / "y2012" / "FiftyFiftyA")
    assert problem.disagreement.tolist() == [0.5, 0.5]
    middle = problem.space.index({"Fifty_Fifty": "50_50"})
    assert problem.utilities(middle).tolist() == [0.5, 0.5]
    assert len(bg.pareto_frontier(problem)) == 0
    for concept in bg.CONCEPTS:
        solution = bg.solve(problem, concept)
        assert not solution.agreement and solution.index is None
    assert reference.pareto_frontier(problem) == () and reference.nash(problem) == ()


def test_discount_factor_is_kept_on_the_party_and_round_trips(tmp_path):
    domain = bg.Problem.from_utilities([[0.2, 0.9], [0.8, 0.3]], disagreement=[0.1, 0.2])
    discounted = domain.replace_party("P1", discount=0.75)
    bg.genius.save(discounted, tmp_path)
    loaded = bg.genius.load(tmp_path)
    assert [party.discount for party in loaded.parties] == [0.75, 1.0]


def test_the_frontier_of_a_2014_domain_is_swept_exactly():
    """10^10 packages under capped rectangle utilities: the frontier is swept by search. Its
    vectors form a staircase of rational packages, each row the package's utilities, and
    the Nash, utilitarian and Kalai-Smorodinsky packages (Pareto-optimal, found by other
    solves) are on it; every vector has more tied packages than one, so ties are cut."""
    problem = bg.genius.load(DATA / "y2014" / "10issuesDiscountedwithRV")
    front = bg.pareto_frontier(problem, max_ties=1)
    assert front.complete and front.ties_truncated and len(front) == front.vectors == 4
    for index, row in zip(front.indices, front.utilities):
        assert np.array_equal(row, problem.utilities(int(index)))
    assert np.all(front.utilities > problem.disagreement)
    staircase = front.utilities[np.argsort(front.utilities[:, 0])]
    assert np.all(np.diff(staircase[:, 0]) > 0) and np.all(np.diff(staircase[:, 1]) < 0)
    vectors = {tuple(row) for row in front.utilities}
    for concept in ("nash", "utilitarian", "kalai_smorodinsky"):
        assert tuple(problem.utilities(bg.solve(problem, concept).index)) in vectors
