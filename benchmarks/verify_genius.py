"""Every ANAC domain against brute force: Nash, every concept and the Pareto frontier.

Run: python benchmarks/verify_genius.py [CORPUS] [--quick] [--max-packages N] [--budget S]

For every domain of CORPUS (default /work/shared/anac when present, else
tests/data/anac) up to ``--max-packages`` packages (default 10^6), every
package's utilities are computed by brute force (the full utility tensor, in
the issue order GENIUS sums in, rectangles and caps included), and from them,
straight from the definitions:

* the rational packages (strictly more than every reservation value, by more
  than the engine's utility tolerance);
* each concept's optimal packages (ties within the engine's tie tolerance):
  Nash (log Nash product), utilitarian (sum of utilities), egalitarian
  (leximin of gains) and Kalai–Smorodinsky (leximin of gains over the ideal
  point's), compared with ``bg.solve(problem, name).ties``;
* the Pareto frontier, checked both ways: no frontier package is dominated by
  a rational package, and every rational package off the frontier is
  dominated by a frontier package (so duplicates of a frontier point are on
  it as ties). Dominance is judged with the engine's utility tolerance: ``b``
  dominates ``a`` when ``b >= a - tol`` everywhere and ``b > a + tol`` somewhere.

Larger domains (ANAC 2014) are solved by `bargain` alone, each concept with a
``--budget`` of seconds (``time_budget``: past it the answer is not proven
optimal and is reported so), the frontier too (one package per utility vector),
each concept's utilities checked to be a frontier vector,
with times and sizes printed. The script prints one line per domain and a
summary; it exits non-zero when a check fails.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

import bargain as bg

TIE_TOL = bg.engine.DEFAULT_TIE_TOLERANCE
UTILITY_TOL = bg.engine.DEFAULT_UTILITY_TOLERANCE
"""The engine's one rule on utilities: rational is a gain above it, and in dominance
utilities within it are equal (so sums equal but for rounding tie)."""


def all_utilities(problem: bg.Problem) -> np.ndarray:
    """Every package's utilities, shape (N, n), packages in index order."""
    space = problem.space
    n = problem.n_parties
    shape = space.sizes
    total = np.zeros((n, *shape))
    for k, table in enumerate(problem.tables):  # issue order, from 0, as GENIUS sums
        view = [n] + [1] * len(shape)
        view[k + 1] = shape[k]
        total = total + table.reshape(view)
    total = total.reshape(n, -1)
    if not problem.additive:
        positions = np.indices(shape).reshape(len(shape), -1).T
        for j, term in problem.terms:
            total[j] += term.values(positions[:, list(term.issues)])
        total = np.minimum(problem.cap[:, None], total / problem.maximum[:, None])
    return total.T


def leximin(keys: np.ndarray) -> np.ndarray:
    """Rows maximizing the sorted keys lexicographically, each level within TIE_TOL."""
    ordered = np.sort(keys, axis=1)
    alive = np.arange(keys.shape[0])
    for level in range(keys.shape[1]):
        column = ordered[alive, level]
        alive = alive[column >= column.max() - TIE_TOL]
    return alive


def brute_force(problem: bg.Problem) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
    """Each concept's tied packages, the rational indices and their utilities."""
    utilities = all_utilities(problem)
    d = problem.disagreement
    rational = np.flatnonzero(np.all(utilities - d > UTILITY_TOL, axis=1))
    points = utilities[rational]
    gains = points - d
    solutions: dict[str, np.ndarray] = {}
    if rational.size == 0:
        return {name: rational for name in bg.CONCEPTS}, rational, points
    scores = {
        "nash": np.sum(problem.powers * np.log(gains), axis=1),
        "utilitarian": np.sum(points, axis=1),
    }
    for name, score in scores.items():
        solutions[name] = rational[score >= score.max() - TIE_TOL]
    solutions["egalitarian"] = rational[leximin(gains)]
    ideal = points.max(axis=0)
    solutions["kalai_smorodinsky"] = rational[leximin(gains / (ideal - d))]
    return solutions, rational, points


def dominates(better: np.ndarray, worse: np.ndarray) -> np.ndarray:
    """Whether rows ``better`` dominate rows ``worse`` (broadcast; last axis the parties),
    utilities within UTILITY_TOL counting as equal."""
    at_least = np.all(better >= worse - UTILITY_TOL, axis=-1)
    return at_least & np.any(better > worse + UTILITY_TOL, axis=-1)


def dominated_by(candidates: np.ndarray, others: np.ndarray) -> np.ndarray:
    """For each candidate row, whether some row of ``others`` dominates it."""
    out = np.zeros(candidates.shape[0], dtype=bool)
    for start in range(0, others.shape[0], 2048):
        block = others[start : start + 2048]
        out |= np.any(dominates(block[None, :, :], candidates[:, None, :]), axis=1)
    return out


def true_frontier(front: bg.Frontier, rational: np.ndarray, points: np.ndarray) -> np.ndarray:
    """The rational packages no rational package dominates (positions into ``rational``):
    only packages on ``front`` or not dominated by it can be, and those are checked."""
    on = np.isin(rational, np.asarray(front.indices, dtype=np.int64))
    candidates = np.flatnonzero(on)
    off = np.flatnonzero(~on)
    if off.size:
        escaped = off[~dominated_by(points[off], points[candidates])]
        candidates = np.concatenate([candidates, escaped])
    return np.sort(candidates[~dominated_by(points[candidates], points)])


def frontier_problems(front: bg.Frontier, rational: np.ndarray, points: np.ndarray) -> list[str]:
    """What is wrong with ``front`` against the rational packages (empty when right)."""
    wrong = []
    position = {int(i): k for k, i in enumerate(rational)}
    missing = [int(i) for i in front.indices if int(i) not in position]
    if missing:
        return [f"frontier packages {missing[:5]} are not rational"]
    on = np.array([position[int(i)] for i in front.indices], dtype=np.int64)
    mine = points[on]
    for start in range(0, points.shape[0], 4096):  # no rational package dominates a frontier one
        block = points[start : start + 4096]
        if np.any(dominates(block[:, None, :], mine[None, :, :])):
            wrong.append("a frontier package is dominated")
            break
    off = np.ones(points.shape[0], dtype=bool)
    off[on] = False
    rest = points[off]
    for start in range(0, rest.shape[0], 1024):  # every other one is dominated by the frontier
        block = rest[start : start + 1024]
        if not np.all(np.any(dominates(mine[None, :, :], block[:, None, :]), axis=1)):
            wrong.append("a rational package off the frontier is not dominated by it")
            break
    return wrong


def distinct(front: bg.Frontier) -> int:
    return int(np.unique(front.utilities, axis=0).shape[0]) if len(front) else 0


def verify(problem: bg.Problem, name: str) -> list[str]:
    failures = []
    start = time.perf_counter()
    expected, rational, points = brute_force(problem)
    t_brute = time.perf_counter() - start
    start = time.perf_counter()
    front = bg.pareto_frontier(problem)
    solutions = {concept: bg.solve(problem, concept) for concept in bg.CONCEPTS}
    t_ours = time.perf_counter() - start
    for concept, solution in solutions.items():
        want = tuple(int(i) for i in expected[concept][: bg.engine.DEFAULT_MAX_TIES])
        if solution.ties != want:
            failures.append(f"{concept}: ties {solution.ties[:6]} != brute force {want[:6]}")
    failures += frontier_problems(front, rational, points)
    if failures and rational.size:
        truth = true_frontier(front, rational, points)
        unique = np.unique(points[truth], axis=0).shape[0]
        failures.append(f"brute-force frontier: {truth.size} packages, {unique} distinct")
    nash = solutions["nash"]
    gap = np.abs(all_utilities(problem) - problem.disagreement)
    at_rv = int(np.sum(np.any(gap <= UTILITY_TOL, axis=1)))
    print(
        f"{name:<34} {problem.space.size:>8} {problem.n_parties:>2} {rational.size:>8} "
        f"{len(front):>6} {distinct(front):>6} {len(nash.ties):>5} {at_rv:>6} "
        f"{t_brute:>8.3f} {t_ours:>8.3f}  {'ok' if not failures else 'FAIL'}"
    )
    for failure in failures:
        print(f"    {failure}")
    return failures


def exact_only(problem: bg.Problem, name: str, budget: float) -> list[str]:
    """A domain too large for brute force: `bargain`'s answers, timed against ``budget``."""
    cells, failures, agreed = [], [], {}
    for concept in bg.CONCEPTS:
        start = time.perf_counter()
        try:
            solution = bg.solve(problem, concept, time_budget=budget)
            elapsed = time.perf_counter() - start
            optimal = getattr(solution, "optimal", True)
            cells.append(f"{concept} {elapsed:.1f}s{'' if optimal else ' (not proven)'}")
            if elapsed > budget or not optimal:
                failures.append(f"{concept}: {elapsed:.1f}s, optimal={optimal}")
            if solution.agreement:
                agreed[concept] = np.array(list(solution.utilities.values()))
        except bg.BargainError as exc:
            cells.append(f"{concept} failed")
            failures.append(f"{concept}: {type(exc).__name__}: {str(exc)[:120]}")
    start = time.perf_counter()
    try:
        front = bg.pareto_frontier(problem, max_ties=1, time_budget=budget)
        elapsed = time.perf_counter() - start
        cells.append(f"frontier {front.vectors} vectors {elapsed:.1f}s")
        if elapsed > budget or not front.complete:
            failures.append(f"frontier: {elapsed:.1f}s, complete={front.complete}")
        # with no brute force, the answers must at least agree: each concept's utility
        # vector is a frontier vector (Pareto optimality of every concept)
        tol = bg.engine.DEFAULT_UTILITY_TOLERANCE
        for concept, utilities in agreed.items():
            if not np.any(np.all(np.abs(front.utilities - utilities) <= tol, axis=1)):
                failures.append(f"{concept}: its utilities are not a frontier vector")
    except bg.BargainError as exc:
        cells.append("frontier failed")
        failures.append(f"frontier: {type(exc).__name__}: {str(exc)[:120]}")
    print(f"{name:<34} {problem.space.size:>8.1e} {problem.n_parties:>2}  " + "; ".join(cells))
    for failure in failures:
        print(f"    {failure}")
    return failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=None)
    parser.add_argument("--quick", action="store_true", help="the test data only")
    parser.add_argument("--max-packages", type=int, default=10**6)
    parser.add_argument("--budget", type=float, default=60.0, help="seconds per large domain")
    args = parser.parse_args()
    here = Path(__file__).resolve().parent.parent / "tests/data/anac"
    shared = Path("/work/shared/anac")
    corpus = args.corpus or (here if args.quick or not shared.is_dir() else shared)
    folders = sorted({file.parent for file in corpus.rglob("*.xml")})
    print(
        f"{'domain':<34} {'packages':>8} {'n':>2} {'rational':>8} {'front':>6} {'unique':>6} "
        f"{'nash':>5} {'at rv':>6} {'brute s':>8} {'ours s':>8}"
    )
    failed, large = [], 0
    for folder in folders:
        name = str(folder.relative_to(corpus))
        problem = bg.genius.load(folder)
        if problem.space.size <= args.max_packages:
            problems = verify(problem, name)
        else:
            large += 1
            problems = exact_only(problem, name, args.budget)
        if problems:
            failed.append(name)
    print(
        f"\n{len(folders)} domains loaded; {len(folders) - large} checked against brute force, "
        f"{large} solved by bargain alone; {len(failed)} with failures: {failed}"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
