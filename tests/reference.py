"""Slow, obviously correct reference implementations, for checking the engine.

Everything here enumerates packages one by one in plain Python, straight from
the definitions; none of it shares code with the engine beyond the model.
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import numpy as np
import pytest
from scipy.optimize import linprog, minimize

import bargain as bg

TIE_TOL = bg.engine.DEFAULT_TIE_TOLERANCE
UTILITY_TOL = bg.engine.DEFAULT_UTILITY_TOLERANCE


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
    utility = party.utility
    if isinstance(utility, bg.RectangleUtility):
        # The sum of the bonuses of the rectangles holding the package, / maximum, capped.
        total = 0.0
        for rectangle in utility.rectangles:
            inside = True
            for name, (low, high) in rectangle.ranges.items():
                options = space.issue(name).options
                where = options.index(outcome[name])
                inside = inside and options.index(low) <= where <= options.index(high)
            if inside:
                total += rectangle.bonus
        if utility.maximum is not None:
            total /= utility.maximum
        return total if utility.cap is None else min(utility.cap, total)
    total = 0.0
    for names, table in utility.interactions.items():
        cell = table
        for name in names:
            cell = cell[space.issue(name).options.index(outcome[name])]
        total += float(cell)
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


def nash_maximizers(problem: bg.Problem, tol: float = TIE_TOL) -> tuple[int, ...]:
    """Every package maximizing the weighted Nash product (ascending; what the engine's
    :class:`~bargain.criteria.Nash` finds), or () when there is no agreement."""
    candidates = rational(problem)
    if not candidates:
        return ()
    scores = {i: nash_score(problem, u) for i, u in candidates.items()}
    best = max(scores.values())
    return tuple(sorted(i for i, s in scores.items() if s >= best - tol))


def nash(problem: bg.Problem, tol: float = TIE_TOL) -> tuple[int, ...]:
    """All Nash packages (ascending), or () when there is no agreement: the maximizers
    (within ``tol``), narrowed by the tie rule (:func:`tie_rule`)."""
    return tie_rule(problem, "nash", nash_maximizers(problem, tol))


def tie_rule(problem: bg.Problem, concept: str, ties) -> tuple[int, ...]:
    """The ties a concept keeps, ascending: for Nash, those best for the parties of power 0
    by their own Nash product (the limit of small positive powers; within the default tie
    tolerance); then those no other kept tie dominates, utilities compared with the
    utility tolerance (:func:`undominated_within`)."""
    ties = list(ties)
    zero = [j for j, party in enumerate(problem.parties) if party.power == 0]
    if concept == "nash" and zero and ties:
        candidates = rational(problem)
        second = {
            i: sum(math.log(candidates[i][j] - problem.parties[j].disagreement) for j in zero)
            for i in ties
        }
        top = max(second.values())
        ties = [i for i in ties if second[i] >= top - TIE_TOL]
    return undominated_within(problem, ties)


def tolerance_classes(values: list[float], tol: float = UTILITY_TOL) -> list[int]:
    """Each value's class: in sorted order a new class starts wherever a value is more
    than ``tol`` above the one before (values a chain of steps of at most ``tol`` apart
    are equal)."""
    order = sorted(range(len(values)), key=lambda k: values[k])
    classes = [0] * len(values)
    for previous, k in itertools.pairwise(order):
        classes[k] = classes[previous] + (values[k] - values[previous] > tol)
    return classes


def undominated_within(problem: bg.Problem, indices, tol: float = UTILITY_TOL):
    """The ``indices``, ascending, whose utilities no other of them dominates, compared in
    tolerance classes among them (:func:`tolerance_classes`)."""
    indices = list(indices)
    utilities = package_utilities(problem)
    columns = [
        tolerance_classes([utilities[i][j] for i in indices], tol) for j in range(problem.n_parties)
    ]
    ranks = {i: tuple(column[k] for column in columns) for k, i in enumerate(indices)}
    return undominated(ranks)


def dominates(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return all(x >= y for x, y in zip(a, b)) and any(x > y for x, y in zip(a, b))


def pareto_frontier(problem: bg.Problem) -> tuple[int, ...]:
    """Indices of the rational packages that no rational package dominates."""
    return undominated(rational(problem))


def undominated(candidates: dict[int, tuple]) -> tuple[int, ...]:
    """The indices, ascending, whose utilities no candidate's dominate."""
    return tuple(
        sorted(
            i
            for i, u in candidates.items()
            if not any(dominates(v, u) for v in candidates.values())
        )
    )


def offer_for(problem: bg.Problem, party: int, target: float) -> int:
    """The frontier package best for the others (weighted log Nash product of their
    gains) among those giving ``party`` at least ``target``; ties go to the higher
    utility for ``party``, then the lower index. ``party``'s best package (lowest
    index) when none meets the target."""
    utilities = package_utilities(problem)
    front = pareto_frontier(problem)
    d = [p.disagreement for p in problem.parties]

    def others(index: int) -> float:
        return sum(
            p.power * math.log(utilities[index][j] - d[j])
            for j, p in enumerate(problem.parties)
            if j != party
        )

    meeting = [i for i in front if utilities[i][party] >= target]
    if not meeting:
        return min(front, key=lambda i: (-utilities[i][party], i))
    return min(meeting, key=lambda i: (-others(i), -utilities[i][party], i))


def leximin(problem: bg.Problem, scale: list[float], tol: float = TIE_TOL) -> tuple[int, ...]:
    """Rational packages maximizing the sorted vector of gains / scale lexicographically
    (each level within ``tol`` of its best), ascending; () when there is no agreement."""
    d = [party.disagreement for party in problem.parties]
    keys = {
        i: sorted((uj - dj) / sj for uj, dj, sj in zip(u, d, scale))
        for i, u in rational(problem).items()
    }
    alive = list(keys)
    for level in range(problem.n_parties):
        if not alive:
            break
        best = max(keys[i][level] for i in alive)
        alive = [i for i in alive if keys[i][level] >= best - tol]
    return tie_rule(problem, "leximin", alive)


def ideal_point(problem: bg.Problem) -> list[float]:
    """Each party's best utility over the rational packages."""
    candidates = rational(problem).values()
    return [max(u[j] for u in candidates) for j in range(problem.n_parties)]


def kalai_smorodinsky(problem: bg.Problem, tol: float = TIE_TOL) -> tuple[int, ...]:
    if not rational(problem):
        return ()
    d = [party.disagreement for party in problem.parties]
    return leximin(problem, [i - dj for i, dj in zip(ideal_point(problem), d)], tol)


def egalitarian(
    problem: bg.Problem, weights: list[float] | None = None, tol: float = TIE_TOL
) -> tuple[int, ...]:
    return leximin(problem, weights or [1.0] * problem.n_parties, tol)


def utilitarian(problem: bg.Problem, tol: float = TIE_TOL) -> tuple[int, ...]:
    candidates = rational(problem)
    if not candidates:
        return ()
    best = max(sum(u) for u in candidates.values())
    return tie_rule(
        problem, "utilitarian", [i for i, u in candidates.items() if sum(u) >= best - tol]
    )


def lottery_optimum(problem: bg.Problem, concept: str) -> float | tuple[float, float] | None:
    """The concept's optimal value over all lotteries of allowed packages, from every
    package's utility vector at once (dense linear programs), or None when no lottery
    gives every party more than its disagreement value. For Nash, a proven
    ``(lower, upper)`` bracket around the optimum (SLSQP plus its Frank–Wolfe gap)."""
    points = np.array(list(package_utilities(problem).values()))
    if points.size == 0:
        return None
    m, n = points.shape
    d = np.array([party.disagreement for party in problem.parties])
    gains = points - d

    def maxmin(weights):
        # variables (lambda, t): max t, gains^T lambda >= weights * t, sum lambda = 1
        res = linprog(
            np.r_[np.zeros(m), -1.0],
            A_ub=np.c_[-gains.T, weights],
            b_ub=np.zeros(n),
            A_eq=np.r_[np.ones(m), 0.0][None],
            b_eq=[1.0],
            bounds=[(0, None)] * m + [(None, None)],
        )
        return -res.fun, res.x[:m]

    smallest, start = maxmin(np.ones(n))
    if smallest <= 1e-9:
        return None
    if concept in ("egalitarian", "kalai_smorodinsky"):
        weights = np.ones(n)
        if concept == "kalai_smorodinsky":
            weights = np.array(
                [
                    -linprog(
                        -gains[:, j],
                        A_ub=-gains.T,
                        b_ub=np.zeros(n),
                        A_eq=np.ones((1, m)),
                        b_eq=[1.0],
                    ).fun
                    for j in range(n)
                ]
            )
        return maxmin(weights)[0]
    if concept == "utilitarian":
        res = linprog(
            -gains.sum(axis=1), A_ub=-gains.T, b_ub=np.zeros(n), A_eq=np.ones((1, m)), b_eq=[1.0]
        )
        return -res.fun + d.sum()
    powers = np.array([party.power for party in problem.parties])
    res = minimize(
        lambda x: -powers @ np.log(np.maximum(gains.T @ x, 1e-300)),
        start,
        method="SLSQP",
        bounds=[(0, 1)] * m,
        constraints=[{"type": "eq", "fun": lambda x: x.sum() - 1}],
        options={"ftol": 1e-15, "maxiter": 1000},
    )
    # SLSQP may end slightly off the simplex: bound the optimum from a feasible point.
    # Below, the value there; above, that value plus the Frank–Wolfe gap (the log Nash
    # product is concave, so its tangent plane at the point bounds it everywhere).
    lower = -math.inf
    for weights in (np.clip(res.x, 0.0, None), start):
        point = gains.T @ (weights / weights.sum())
        if np.all(point > 0) and powers @ np.log(point) > lower:
            lower, slope = float(powers @ np.log(point)), powers / point
            upper = lower + max(0.0, float(np.max(gains @ slope) - slope @ point))
    return lower, upper


def connected(members: tuple[str, ...], edges: list[tuple[str, str]]) -> bool:
    """Whether ``members`` induce a connected subgraph of the graph with ``edges``
    (a depth-first search over the members only; a single member is connected)."""
    inside = set(members)
    neighbours: dict[str, set[str]] = {m: set() for m in members}
    for a, b in edges:
        if a in inside and b in inside:
            neighbours[a].add(b)
            neighbours[b].add(a)
    seen, stack = {members[0]}, [members[0]]
    while stack:
        for other in neighbours[stack.pop()] - seen:
            seen.add(other)
            stack.append(other)
    return seen == inside


def exact_utilities(problem: bg.Problem, index: int) -> tuple[Fraction, ...]:
    """Package ``index``'s utilities in exact arithmetic, reading every number as the
    decimal it was written as (``0.1`` is one tenth, not the nearest float)."""
    outcome = problem.space.outcome(index)
    out = []
    for party in problem.parties:
        total = Fraction(0)
        for issue in problem.space.issues:
            label = outcome[issue.name]
            value = party.utility.value(issue.name, label, issue.position(label))
            total += Fraction(repr(party.utility.weights[issue.name])) * Fraction(repr(value))
        out.append(total)
    return tuple(out)


def exact_rational(problem: bg.Problem) -> dict[int, tuple[Fraction, ...]]:
    """Allowed packages better than disagreement for every party, in exact arithmetic."""
    d = [Fraction(repr(party.disagreement)) for party in problem.parties]
    out = {}
    for index in range(problem.space.size):
        if problem.allowed(index):
            u = exact_utilities(problem, index)
            if all(a > b for a, b in zip(u, d)):
                out[index] = u
    return out


def exact_pareto_frontier(problem: bg.Problem) -> tuple[int, ...]:
    """The rational frontier in exact arithmetic (see :func:`exact_utilities`)."""
    return undominated(exact_rational(problem))


def ranked(problem: bg.Problem, concept: str, k: int, tol: float = TIE_TOL) -> list[int]:
    """The ``k`` best packages of ``concept`` by repeated choice: each is what the
    concept chooses once the earlier ones are taken away (Kalai–Smorodinsky keeps
    the ideal point of the whole problem), its tie rule included."""
    d = [party.disagreement for party in problem.parties]
    candidates = rational(problem)
    if concept == "kalai_smorodinsky" and candidates:
        scale = [i - dj for i, dj in zip(ideal_point(problem), d)]
    else:
        scale = [1.0] * problem.n_parties

    def keys(index: int) -> list[float]:
        u = candidates[index]
        if concept == "nash":
            return [nash_score(problem, u)]
        if concept == "utilitarian":
            return [sum(u)]
        return sorted((uj - dj) / sj for uj, dj, sj in zip(u, d, scale))

    out: list[int] = []
    alive_all = dict(candidates)
    while alive_all and len(out) < k:
        alive = sorted(alive_all)
        for level in range(len(keys(alive[0]))):
            best = max(keys(i)[level] for i in alive)
            alive = [i for i in alive if keys(i)[level] >= best - tol]
        chosen = tie_rule(problem, concept, alive)[0]
        out.append(chosen)
        del alive_all[chosen]
    return out


def assert_same_answer(found: bg.Solution, expected: bg.Solution) -> None:
    """A fast path's solution against exhaustive scoring's (``method="blocks"``): the same
    agreement and score, only true ties, and all of them when the list is not truncated."""
    assert found.agreement == expected.agreement
    if expected.agreement:
        assert found.score == pytest.approx(expected.score, abs=1e-9)
        assert set(found.ties) <= set(expected.ties)
        if not found.ties_truncated:
            assert found.ties == expected.ties
