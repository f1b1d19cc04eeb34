"""`bargain` against NegMAS on the same problems: end to end, and the Pareto filter alone.

Run: python benchmarks/bench_negmas.py [--quick]    (needs: pip install '.[bench]')

NegMAS (PyPI ``negmas``) is an optional benchmark extra, never a dependency of
`bargain`; without it this script says so and exits cleanly. NegMAS clamps
each disagreement value (its ``reserved_value``) up to the utility's minimum
and has no bargaining powers, so the problems here are the ones where that
makes no difference: equal powers and disagreement at each party's minimum
utility. Both then define the same rational packages (NegMAS keeps also the
packages *at* a party's minimum, which cannot be Nash packages and which
`bargain`, asking for a strict gain, leaves off its frontier; they are
ignored in the comparison).

Instances: seeded, value tables uniform in [0, 1], weights Dirichlet(1), 10
options per issue. Printed, measured in this one run:

5. 10^5 and 10^6 packages, 2, 3 and 4 parties, end to end (utilities, Pareto
   frontier, Nash package): NegMAS's ``pareto_frontier`` + ``nash_points``
   against ``bg.pareto_frontier`` + ``bg.nash`` (building the problem
   included, best of 3), the speed-up and whether both chose the same package
   and frontier;
6. the Pareto filter alone on the same 10^6 utility rows, 3 and 4 parties:
   ``negmas.preferences.ops.pareto_frontier_numpy`` against
   ``bargain.engine.pareto_mask``.
"""

from __future__ import annotations

import argparse

import numpy as np
from _instances import timed

import bargain as bg

try:
    import negmas
    from negmas.outcomes import make_issue
    from negmas.preferences import LinearAdditiveUtilityFunction
    from negmas.preferences.ops import nash_points, pareto_frontier, pareto_frontier_numpy
except ImportError:
    negmas = None


def instance(n_parties: int, n_issues: int, seed: int):
    """Per-party ``(values, weights)`` dicts, issue names and labels, and the minima."""
    rng = np.random.default_rng(seed)
    names = [f"issue{k}" for k in range(n_issues)]
    labels = [f"o{j}" for j in range(10)]
    parties = []
    for _ in range(n_parties):
        values = {name: rng.random(10) for name in names}
        weights = dict(zip(names, rng.dirichlet(np.ones(n_issues))))
        minimum = sum(weights[name] * values[name].min() for name in names)
        parties.append((values, weights, minimum))
    return names, labels, parties


def solve_bargain(names, labels, parties):
    space = bg.OutcomeSpace([bg.Issue(name, labels) for name in names])
    problem = bg.Problem(
        space,
        [
            bg.Party(f"p{j}", bg.AdditiveUtility(values, weights), disagreement=minimum)
            for j, (values, weights, minimum) in enumerate(parties)
        ],
    )
    return bg.pareto_frontier(problem), bg.nash(problem)


def solve_negmas(names, labels, parties):
    issues = [make_issue(labels, name=name) for name in names]
    ufuns = [
        LinearAdditiveUtilityFunction(
            values={name: dict(zip(labels, map(float, values[name]))) for name in names},
            weights={name: float(weights[name]) for name in names},
            issues=issues,
            reserved_value=float(minimum),
        )
        for values, weights, minimum in parties
    ]
    utilities, indices = pareto_frontier(ufuns, issues=issues)
    nash = nash_points(ufuns, utilities, issues=issues)
    return utilities, indices, nash


def end_to_end(sizes, party_counts) -> None:
    print("\n[5] end to end: utilities, Pareto frontier, Nash package (equal powers, d = min)")
    header = ("parties", "packages", "negmas s", "bargain s", "ratio", "same Nash", "same front")
    print(" ".join(f"{h:>10}" for h in header))
    for n_issues in sizes:
        for n_parties in party_counts:
            names, labels, parties = instance(n_parties, n_issues, seed=n_parties)
            (front, solution), t_ours = timed(solve_bargain, names, labels, parties, best_of=3)
            (utilities, indices, nash), t_theirs = timed(solve_negmas, names, labels, parties)
            minima = np.array([minimum for _, _, minimum in parties])
            strict = [i for i, u in zip(indices, utilities) if np.all(np.array(u) > minima)]
            same_front = sorted(int(i) for i in strict) == [int(i) for i in front.indices]
            chosen = {int(indices[position]) for _, position in nash}
            same_nash = solution.index in chosen
            print(
                f"{n_parties:>10} {10**n_issues:>10} {t_theirs:>10.3f} {t_ours:>10.4f} "
                f"{t_theirs / t_ours:>9.0f}x {same_nash!s:>10} {same_front!s:>10}"
            )


def pareto_filter(n_issues: int) -> None:
    print(f"\n[6] Pareto filter alone on the same 10^{n_issues} utility rows")
    print(" ".join(f"{h:>10}" for h in ("parties", "frontier", "negmas s", "bargain s", "ratio")))
    for n_parties in (3, 4):
        _, _, parties = instance(n_parties, n_issues, seed=10 + n_parties)
        rows = np.zeros((n_parties, 1))
        for k in range(n_issues):
            table = np.array(
                [weights[f"issue{k}"] * values[f"issue{k}"] for values, weights, _ in parties]
            )
            rows = (rows[:, :, None] + table[:, None, :]).reshape(n_parties, -1)
        points = np.ascontiguousarray(rows.T)
        mask, t_ours = timed(bg.engine.pareto_mask, points, best_of=3)
        theirs, t_theirs = timed(pareto_frontier_numpy, points)
        assert sorted(theirs.tolist()) == np.flatnonzero(mask).tolist(), "frontiers differ"
        print(
            f"{n_parties:>10} {int(mask.sum()):>10} {t_theirs:>10.3f} {t_ours:>10.4f} "
            f"{t_theirs / t_ours:>9.0f}x   (same frontier)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, a smoke test")
    args = parser.parse_args()
    if negmas is None:
        print("negmas is not installed (pip install '.[bench]'): nothing to compare, skipping")
        return
    print(f"negmas {negmas.__version__}, bargain {bg.__version__}")
    if args.quick:
        end_to_end([3], [2, 3])
        pareto_filter(4)
        return
    end_to_end([5, 6], [2, 3, 4])
    pareto_filter(6)


if __name__ == "__main__":
    main()
