"""Slow, obviously correct reference implementations, for checking the engine.

Everything here enumerates packages one by one in plain Python, straight from
the definitions; none of it shares code with the engine beyond the model.
"""

from __future__ import annotations

import itertools
import math

import bargain as bg

TIE_TOL = bg.engine.DEFAULT_TIE_TOLERANCE


def package_utilities(problem: bg.Problem) -> dict[int, tuple[float, ...]]:
    """Utilities of every package that crosses no red line: {index: (u_1, ..., u_n)}."""
    space = problem.space
    out = {}
    for positions in itertools.product(*(range(size) for size in space.sizes)):
        outcome = {issue.name: issue.options[p] for issue, p in zip(space.issues, positions)}
        if _crosses_red_line(problem, outcome):
            continue
        index = sum(p * s for p, s in zip(positions, space.strides))
        out[index] = tuple(_utility(party, space, outcome) for party in problem.parties)
    return out


def _utility(party: bg.Party, space: bg.OutcomeSpace, outcome: dict[str, str]) -> float:
    total = 0.0
    for issue in space.issues:
        values = party.utility.values[issue.name]
        option = outcome[issue.name]
        value = values[option] if isinstance(values, dict) else values[issue.options.index(option)]
        total += party.utility.weights[issue.name] * value
    return total


def _crosses_red_line(problem: bg.Problem, outcome: dict[str, str]) -> bool:
    return any(
        all(outcome[issue] in options for issue, options in rule.items())
        for party in problem.parties
        for rule in party.red_lines
    )


def rational(problem: bg.Problem) -> dict[int, tuple[float, ...]]:
    """The allowed packages giving every party strictly more than disagreement."""
    d = [party.disagreement for party in problem.parties]
    return {
        index: u
        for index, u in package_utilities(problem).items()
        if all(ui > di for ui, di in zip(u, d))
    }


def nash_score(problem: bg.Problem, utilities: tuple[float, ...]) -> float:
    return sum(
        party.power * math.log(u - party.disagreement) if party.power else 0.0
        for party, u in zip(problem.parties, utilities)
    )


def nash(problem: bg.Problem, tol: float = TIE_TOL) -> tuple[int, ...]:
    """All Nash packages (ascending), or () when there is no agreement."""
    candidates = rational(problem)
    if not candidates:
        return ()
    scores = {i: nash_score(problem, u) for i, u in candidates.items()}
    best = max(scores.values())
    return tuple(sorted(i for i, s in scores.items() if s >= best - tol))


def dominates(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return all(x >= y for x, y in zip(a, b)) and any(x > y for x, y in zip(a, b))


def pareto_frontier(problem: bg.Problem) -> tuple[int, ...]:
    """Indices of the rational packages that no rational package dominates."""
    candidates = rational(problem)
    return tuple(
        sorted(
            i
            for i, u in candidates.items()
            if not any(dominates(v, u) for v in candidates.values())
        )
    )
