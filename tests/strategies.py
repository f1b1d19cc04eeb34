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
