"""Hypothesis strategies that build only valid `bargain` objects.

Numbers are drawn on dyadic grids (multiples of 1/16 for values, 1/4 for
weights and powers): their sums and products are exact in floating point, so
the engine and the reference agree on every utility to the last bit and a
package exactly at its disagreement value is never misjudged by rounding.
Tests that need rounding noise use seeded random floats instead.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

import bargain as bg
from bargain.io import key as toml_key

dyadic_values = st.integers(0, 16).map(lambda k: k / 16)
dyadic_weights = st.integers(0, 8).map(lambda k: k / 4)
positive_powers = st.integers(1, 8).map(lambda k: k / 4)
nonnegative_powers = st.integers(0, 8).map(lambda k: k / 4)


@st.composite
def spaces(
    draw, max_issues: int = 3, max_options: int = 4, min_options: int = 1
) -> bg.OutcomeSpace:
    """An outcome space with 1..max_issues issues of min..max_options options."""
    n_issues = draw(st.integers(1, max_issues))
    issues = []
    for k in range(n_issues):
        n_options = draw(st.integers(min_options, max_options))
        issues.append(bg.Issue(f"issue{k}", [f"o{k}_{j}" for j in range(n_options)]))
    return bg.OutcomeSpace(issues)


@st.composite
def additive_utilities(draw, space: bg.OutcomeSpace) -> bg.AdditiveUtility:
    values = {
        issue.name: draw(st.lists(dyadic_values, min_size=len(issue), max_size=len(issue)))
        for issue in space.issues
    }
    weights = {issue.name: draw(dyadic_weights) for issue in space.issues}
    return bg.AdditiveUtility(values=values, weights=weights)


@st.composite
def red_lines(draw, space: bg.OutcomeSpace) -> list[dict[str, list[str]]]:
    """0-2 red lines, each over one or two issues, each forbidding one or two options."""
    rules = []
    for _ in range(draw(st.integers(0, 2))):
        n_issues = draw(st.integers(1, min(2, len(space.issues))))
        chosen = draw(st.permutations(range(len(space.issues))))[:n_issues]
        rule = {}
        for k in chosen:
            issue = space.issues[k]
            count = draw(st.integers(1, min(2, len(issue))))
            rule[issue.name] = list(draw(st.permutations(issue.options))[:count])
        rules.append(rule)
    return rules


@st.composite
def problems(
    draw,
    min_parties: int = 1,
    max_parties: int = 4,
    max_issues: int = 3,
    max_options: int = 4,
    with_red_lines: bool = True,
    powers=positive_powers,
) -> bg.Problem:
    """An additive problem; disagreement drawn inside or just below each party's range."""
    space = draw(spaces(max_issues=max_issues, max_options=max_options))
    n_parties = draw(st.integers(min_parties, max_parties))
    parties = []
    for j in range(n_parties):
        utility = draw(additive_utilities(space))
        tables = utility.tables(space)
        low = sum(float(t.min()) for t in tables)
        high = sum(float(t.max()) for t in tables)
        fraction = draw(st.integers(-2, 8)) / 8
        disagreement = low + fraction * (high - low) if fraction >= 0 else low + fraction
        lines = draw(red_lines(space)) if with_red_lines and draw(st.booleans()) else []
        parties.append(
            bg.Party(f"party{j}", utility, disagreement, power=draw(powers), red_lines=lines)
        )
    return bg.Problem(space, parties)


@st.composite
def utility_tables(draw, min_rows: int = 1, max_rows: int = 12, n_parties: int | None = None):
    """A (rows x parties) array of dyadic utilities, for Problem.from_utilities."""
    n = n_parties if n_parties is not None else draw(st.integers(1, 4))
    rows = draw(st.integers(min_rows, max_rows))
    cells = draw(st.lists(dyadic_values, min_size=rows * n, max_size=rows * n))
    return np.array(cells).reshape(rows, n)


names_text = st.text(min_size=1, max_size=8).filter(lambda s: s.strip())
"""Arbitrary names: quotes, backslashes, dots, control characters, any script."""

note_texts = st.text(max_size=20)


@st.composite
def annotated_problems(draw, max_parties: int = 3) -> bg.Problem:
    """A problem from :func:`problems` renamed with arbitrary text, some values given as
    ``{option: value}`` mappings, and notes on the scenario, issues and numbers."""
    base = draw(problems(max_parties=max_parties))
    n_issues = len(base.space.issues)
    issue_names = draw(st.lists(names_text, min_size=n_issues, max_size=n_issues, unique=True))
    issues, rename = [], {}
    for issue, name in zip(base.space.issues, issue_names):
        labels = draw(st.lists(names_text, min_size=len(issue), max_size=len(issue), unique=True))
        issues.append(bg.Issue(name, labels))
        rename[issue.name] = (name, dict(zip(issue.options, labels)))
    space = bg.OutcomeSpace(issues)
    notes_of = st.dictionaries(st.sampled_from(["rationale", "source"]), note_texts, min_size=1)
    n = base.n_parties
    party_names = draw(st.lists(names_text, min_size=n, max_size=n, unique=True))
    parties = []
    for party, name in zip(base.parties, party_names):
        values, weights, notes = {}, {}, {}
        for old, (new, labels) in rename.items():
            vector = party.utility.values[old]
            if draw(st.booleans()):
                values[new] = dict(zip(labels.values(), vector))
                for label in labels.values():
                    if draw(st.booleans()):
                        notes[f"values.{toml_key(new)}.{toml_key(label)}"] = draw(notes_of)
            else:
                values[new] = list(vector)
                if draw(st.booleans()):
                    notes[f"values.{toml_key(new)}"] = draw(notes_of)
            weights[new] = party.utility.weights[old]
        lines = [
            {
                rename[issue][0]: [rename[issue][1][o] for o in options]
                for issue, options in rule.items()
            }
            for rule in party.red_lines
        ]
        paths = ["party", "disagreement", "power", *(f"red_lines[{i}]" for i in range(len(lines)))]
        for path in paths:
            if draw(st.booleans()):
                notes[path] = draw(notes_of)
        utility = bg.AdditiveUtility(values, weights)
        parties.append(bg.Party(name, utility, party.disagreement, party.power, lines, notes=notes))
    problem_notes = {}
    if draw(st.booleans()):
        scenario_kinds = st.sampled_from(["title", "description", "source"])
        problem_notes["scenario"] = draw(st.dictionaries(scenario_kinds, note_texts, min_size=1))
    for issue in issues:
        if draw(st.booleans()):
            problem_notes[f"issues.{toml_key(issue.name)}"] = draw(notes_of)
    return bg.Problem(space, parties, notes=problem_notes)


# -- bargaining processes (issue 5) ---------------------------------------------------------

discount_factors = st.floats(0.01, 0.99)
"""Per-period discount factors, away from the degenerate ends 0 and 1."""


@st.composite
def pie_problems(draw) -> bg.Problem:
    """A pie cut into 2^k slices (k = 2..6), each package a split (j/2^k, 1 - j/2^k)
    with 0 < j < 2^k, disagreement 0: the packages lie exactly on u1 + u2 = 1."""
    slices = 2 ** draw(st.integers(2, 6))
    return bg.Problem.from_utilities([[j / slices, 1 - j / slices] for j in range(1, slices)])


@st.composite
def recognition_probabilities(draw, n: int) -> list[float]:
    """n recognition probabilities summing to 1: integer weights 0..8 (not all 0), normalized."""
    weights = draw(st.lists(st.integers(0, 8), min_size=n, max_size=n).filter(any))
    total = sum(weights)
    return [w / total for w in weights]


@st.composite
def shaped_functions(draw, low: float, high: float):
    """A value function from bargain.shapes, finite on ``[low, high]``."""
    kind = draw(st.sampled_from(["linear", "power", "piecewise_linear"]))
    if kind == "linear":
        return bg.shapes.linear(draw(dyadic_values) - 0.5, draw(dyadic_values))
    if kind == "power":
        return bg.shapes.power(draw(positive_powers), draw(dyadic_values), origin=low)
    xs = sorted(draw(st.sets(st.integers(0, 8), min_size=2, max_size=4)))
    span = high - low
    return bg.shapes.piecewise_linear([(low + x * span / 8, draw(dyadic_values)) for x in xs])


@st.composite
def continuous_problems(draw, max_parties: int = 3) -> bg.Problem:
    """A problem with one or two continuous issues (built-in shapes) and maybe a discrete one,
    red lines sometimes forbidding an interval of a continuous issue."""
    issues = [
        bg.Issue.continuous(f"c{k}", low, low + draw(st.integers(1, 4)) / 2)
        for k, low in enumerate(draw(st.lists(st.integers(-2, 2), min_size=1, max_size=2)))
    ]
    if draw(st.booleans()):
        issues.append(bg.Issue("d", ["x", "y", "z"]))
    space = bg.OutcomeSpace(issues)
    parties = []
    for j in range(draw(st.integers(1, max_parties))):
        values = {
            issue.name: (
                draw(shaped_functions(issue.low, issue.high))
                if issue.is_continuous
                else draw(st.lists(dyadic_values, min_size=3, max_size=3))
            )
            for issue in issues
        }
        weights = {issue.name: draw(dyadic_weights) for issue in issues}
        lines = []
        if draw(st.booleans()):
            first = issues[0]
            cut = first.low + (first.high - first.low) / 4
            lines.append({first.name: (first.low, cut)})
        parties.append(
            bg.Party(
                f"party{j}",
                bg.AdditiveUtility(values, weights),
                disagreement=draw(dyadic_values) - 0.5,
                power=draw(positive_powers),
                red_lines=lines,
            )
        )
    return bg.Problem(space, parties)


def rescaled(problem: bg.Problem, j: int, scale: float, shift: float) -> bg.Problem:
    """Party ``j``'s utilities and disagreement mapped by ``u -> scale * u + offset``,
    where ``offset`` is ``shift`` times the first issue's weight (added through that
    issue's values)."""
    party = problem.parties[j]
    first = problem.space.issues[0].name
    offset = party.utility.weights[first] * shift
    values = {
        name: [scale * v + (shift if name == first else 0.0) for v in vals]
        for name, vals in party.utility.values.items()
    }
    return problem.replace_party(
        party.name,
        utility=bg.AdditiveUtility(values, party.utility.weights),
        disagreement=scale * party.disagreement + offset,
    )


# -- non-additive utilities (issue 10) -------------------------------------------------------

dyadic_bonuses = st.integers(-4, 16).map(lambda k: k / 4)


@st.composite
def interaction_utilities(draw, space: bg.OutcomeSpace) -> bg.AdditiveUtility:
    """An additive utility plus 0-2 interaction tables on pairs (or a triple) of issues."""
    base = draw(additive_utilities(space))
    interactions = {}
    names = list(space.names)
    if len(names) >= 2:
        for _ in range(draw(st.integers(0, 2))):
            arity = draw(st.integers(2, min(3, len(names))))
            chosen = tuple(draw(st.permutations(names))[:arity])
            if any(set(chosen) == set(k) for k in interactions):
                continue
            shape = [len(space.issue(name)) for name in chosen]
            cells = draw(
                st.lists(dyadic_bonuses, min_size=int(np.prod(shape)), max_size=int(np.prod(shape)))
            )
            interactions[chosen] = np.array(cells).reshape(shape)
    return bg.AdditiveUtility(base.values, base.weights, interactions or None)


@st.composite
def rectangle_utilities(
    draw, space: bg.OutcomeSpace, max_rectangles: int = 5
) -> bg.RectangleUtility:
    """1-``max_rectangles`` rectangles with dyadic bonuses (some negative), maybe a
    power-of-two maximum and a cap, so that every utility is exact in floating point."""
    rectangles = []
    for _ in range(draw(st.integers(1, max_rectangles))):
        count = draw(st.integers(1, len(space.issues)))
        chosen = draw(st.permutations(list(space.names)))[:count]
        ranges = {}
        for name in chosen:
            options = space.issue(name).options
            low, high = sorted(
                draw(st.lists(st.integers(0, len(options) - 1), min_size=2, max_size=2))
            )
            ranges[name] = (options[low], options[high])
        rectangles.append(bg.Rectangle(draw(dyadic_bonuses), ranges))
    maximum = draw(st.sampled_from([None, 2.0, 4.0]))
    cap = draw(st.sampled_from([None, None, 1.0, 0.5]))
    return bg.RectangleUtility(rectangles, maximum=maximum, cap=cap)


@st.composite
def nonadditive_problems(
    draw,
    max_parties: int = 3,
    max_issues: int = 3,
    max_options: int = 4,
    with_red_lines=True,
    min_parties: int = 1,
) -> bg.Problem:
    """A problem whose parties have interaction tables or rectangle utilities (or both kinds),
    disagreement at an exact utility of some package (so ties at disagreement occur), or
    just below the smallest."""
    space = draw(spaces(max_issues=max_issues, max_options=max_options))
    n = draw(st.integers(min_parties, max_parties))
    utilities = [
        draw(st.one_of(interaction_utilities(space), rectangle_utilities(space))) for _ in range(n)
    ]
    plain = bg.Problem(space, [bg.Party(f"party{j}", u) for j, u in enumerate(utilities)])
    parties = []
    for j, utility in enumerate(utilities):
        values = sorted({float(plain.utilities(i)[j]) for i in range(space.size)})
        disagreement = draw(st.sampled_from([values[0] - 0.25, *values[:-1]]))
        lines = draw(red_lines(space)) if with_red_lines and draw(st.booleans()) else []
        parties.append(
            bg.Party(
                f"party{j}", utility, disagreement, power=draw(positive_powers), red_lines=lines
            )
        )
    return bg.Problem(space, parties)


@st.composite
def two_party_rectangle_problems(draw, max_issues: int = 4, max_options: int = 4) -> bg.Problem:
    """Two parties with 1-10 rectangles each (as in ANAC 2014: integer bonuses 1-64, maybe
    divided by a power of two below their sum and capped at 1) on
    3-``max_issues`` issues of 2-``max_options`` options: frontiers of several utility
    vectors, each often reached by many packages. Disagreement just below each party's
    smallest utility, at it, or at its lower quartile."""
    n_issues = draw(st.integers(3, max_issues))
    sizes = [draw(st.integers(2, max_options)) for _ in range(n_issues)]
    space = bg.OutcomeSpace(
        [bg.Issue(f"issue{k}", [f"o{k}_{j}" for j in range(m)]) for k, m in enumerate(sizes)]
    )
    utilities = []
    for _ in range(2):
        rectangles = []
        for _ in range(draw(st.integers(1, 10))):
            chosen = draw(st.permutations(list(space.names)))[: draw(st.integers(1, n_issues))]
            ranges = {}
            for name in chosen:
                options = space.issue(name).options
                low = draw(st.integers(0, len(options) - 1))
                high = draw(st.integers(low, len(options) - 1))
                ranges[name] = (options[low], options[high])
            rectangles.append(bg.Rectangle(float(draw(st.integers(1, 64))), ranges))
        maximum = draw(st.sampled_from([None, 32.0, 64.0, 128.0]))
        cap = None if maximum is None else draw(st.sampled_from([None, 1.0]))
        utilities.append(bg.RectangleUtility(rectangles, maximum=maximum, cap=cap))
    plain = bg.Problem(space, [bg.Party(f"party{j}", u) for j, u in enumerate(utilities)])
    table = plain.utilities_of(np.arange(space.size))
    parties = []
    for j, utility in enumerate(utilities):
        values = sorted(set(table[:, j].tolist()))
        low = [values[0] - 0.25, values[0], values[len(values) // 4]]
        parties.append(bg.Party(f"party{j}", utility, draw(st.sampled_from(low))))
    return bg.Problem(space, parties)


@st.composite
def selected_numbers(draw, problem: bg.Problem) -> tuple[tuple, float]:
    """A selector of ``problem`` (see ``Problem.selectors``) and a valid new value for it."""
    selector = draw(st.sampled_from(problem.selectors()))
    kind = selector[1]
    value = draw(dyadic_weights if kind in ("power", "weight") else dyadic_values)
    return selector, value


@st.composite
def what_ifs(draw, problem: bg.Problem):
    """A what-if on ``problem``: ``(description, function of the problem)``, always valid."""
    choices = ["number"]
    discrete = [issue for issue in problem.space.issues if not issue.is_continuous]
    if discrete:
        choices.append("settle")
        if any(len(issue) > 1 for issue in discrete):
            choices.append("drop_option")
    if problem.n_parties > 1:
        choices.append("without")
    kind = draw(st.sampled_from(choices))
    if kind == "number":
        selector, value = draw(selected_numbers(problem))
        return f"with_number({selector!r}, {value!r})", lambda p: p.with_number(selector, value)
    if kind == "without":
        name = draw(st.sampled_from(problem.party_names))
        return f"without({name!r})", lambda p: p.without(name)
    if kind == "settle":
        issue = draw(st.sampled_from(discrete))
        option = draw(st.sampled_from(issue.options))
        return f"settle({issue.name!r}, {option!r})", lambda p: p.settle(issue.name, option)
    issue = draw(st.sampled_from([issue for issue in discrete if len(issue) > 1]))
    option = draw(st.sampled_from(issue.options))
    return (
        f"drop_option({issue.name!r}, {option!r})",
        lambda p: p.drop_option(issue.name, option),
    )


decimal_values = st.integers(0, 10).map(lambda k: k / 10)
"""One-decimal values: their float sums carry rounding noise (0.1 + 0.2 != 0.3)."""


@st.composite
def decimal_problems(draw, n_parties: int = 2, max_issues: int = 4) -> bg.Problem:
    """A problem whose values are one-decimal numbers, weights 1, and each disagreement
    the exact (decimal) utility of some package, written as the nearest float: packages
    exactly at disagreement and exactly tied, whose float sums differ in the last bit."""
    space = draw(spaces(max_issues=max_issues, max_options=3, min_options=2))
    tables = []
    for _ in range(n_parties):
        tables.append(
            {
                issue.name: draw(st.lists(decimal_values, min_size=len(issue), max_size=len(issue)))
                for issue in space.issues
            }
        )
    parties = []
    for j, values in enumerate(tables):
        index = draw(st.integers(0, space.size - 1))
        positions = space.options_of(index)
        tenths = sum(round(10 * values[i.name][p]) for i, p in zip(space.issues, positions))
        lines = draw(red_lines(space)) if draw(st.booleans()) else []
        parties.append(
            bg.Party(f"party{j}", bg.AdditiveUtility(values), tenths / 10, red_lines=lines)
        )
    return bg.Problem(space, parties)


@st.composite
def near_tie_problems(draw, max_parties: int = 3) -> bg.Problem:
    """Utilities 2e9 plus whole units (0-16) of a dyadic table, no-deal values 0, powers
    0-2: a unit more for one party moves the log Nash product (and a normalized gain) by
    5e-10, within the tie tolerance, so ties hide real differences; every utility is
    exact."""
    n = draw(st.integers(2, max_parties))
    table = draw(utility_tables(min_rows=2, n_parties=n))
    powers = draw(st.lists(nonnegative_powers, min_size=n, max_size=n))
    return bg.Problem.from_utilities(2e9 + 16 * table, powers=powers)
