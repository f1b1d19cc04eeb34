"""Every concept against the strongest alternative a user has: HiGHS MILPs via scipy.

Each concept is written as a mixed-integer program (one-hot binaries per issue,
individual rationality as one linear constraint per party, HiGHS with zero gaps
and 1e-9 feasibility tolerances) and its answer re-checked in numpy:
utilitarian (max total gain), egalitarian (max t, gains >= t), Kalai–Smorodinsky
(the ideal point by one MILP per party, then the max-min of normalized gains)
and asymmetric Nash by outer approximation (tangent cuts of log, re-solved
until the gap is below 1e-9). Printed per row: bargain time, MILP time, their
ratio, whether the objectives agree; then the median ratio per concept.

    python benchmarks/bench_milp.py            # the grid of issue 10 (slow)
    python benchmarks/bench_milp.py --quick    # a few seconds
"""

from __future__ import annotations

import argparse
import statistics
import time
import warnings

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

import bargain as bg

OPTIONS = {
    "mip_rel_gap": 0.0,
    "mip_abs_gap": 0.0,
    "primal_feasibility_tolerance": 1e-9,
}
STRICT = 1e-9
"""Individual rationality ``gain >= STRICT`` (bargain asks for strictly positive gains)."""


class Model:
    """One-hot binaries per issue; utilities are ``U @ x``."""

    def __init__(self, problem: bg.Problem) -> None:
        self.problem = problem
        self.U = np.hstack(problem.tables)  # (n, sum of options)
        sizes = [t.shape[1] for t in problem.tables]
        self.m = sum(sizes)
        rows = np.zeros((len(sizes), self.m))
        start = 0
        for k, size in enumerate(sizes):
            rows[k, start : start + size] = 1
            start += size
        self.onehot = rows
        self.d = problem.disagreement

    def solve(self, cost, extra_columns=0, rows=(), bounds=None):
        """Minimize ``cost`` over (x, extra); ``rows`` are LinearConstraints on (x, extra)."""
        constraints = [
            LinearConstraint(
                np.hstack([self.onehot, np.zeros((len(self.onehot), extra_columns))]), 1, 1
            ),
            LinearConstraint(
                np.hstack([self.U, np.zeros((self.U.shape[0], extra_columns))]),
                self.d + STRICT,
                np.inf,
            ),
            *rows,
        ]
        integrality = np.r_[np.ones(self.m), np.zeros(extra_columns)]
        lower = np.r_[np.zeros(self.m), np.full(extra_columns, -np.inf)]
        upper = np.r_[np.ones(self.m), np.full(extra_columns, np.inf)]
        if bounds is not None:
            lower[self.m :], upper[self.m :] = bounds
        # HiGHS options scipy does not list are passed to HiGHS verbatim (it warns).
        warnings.filterwarnings("ignore", "Unrecognized options", RuntimeWarning)
        for presolve in (True, False):  # HiGHS may fail on max-min models: retry without presolve
            res = milp(
                cost,
                constraints=constraints,
                integrality=integrality,
                bounds=Bounds(lower, upper),
                options={**OPTIONS, "presolve": presolve},
            )
            if res.status in (0, 2):
                break
        if res.status == 2:
            return None
        if res.status != 0:
            raise RuntimeError(f"HiGHS failed: {res.message}")
        x = np.round(res.x[: self.m])
        return x, res.x[self.m :], self.U @ x - self.d

    def linear(self, weights):
        found = self.solve(-(weights @ self.U))
        return None if found is None else float(weights @ found[2])

    def maxmin(self, scale):
        # max t  s.t.  gains_j >= scale_j t
        rows = [LinearConstraint(np.hstack([self.U, -scale[:, None]]), self.d, np.inf)]
        found = self.solve(np.r_[np.zeros(self.m), -1.0], 1, rows)
        return None if found is None else float(np.min(found[2] / scale))

    def nash(self, powers, start_gains):
        # max sum_j p_j s_j,  s_j <= log g0 + (g - g0)/g0 for every cut point g0
        n = len(self.d)
        cuts = [start_gains]
        while True:
            rows = []
            for g0 in cuts:
                # s_j - (U_j x - d_j)/g0_j <= log g0_j - 1
                a = np.hstack([-self.U / g0[:, None], np.eye(n)])
                rows.append(LinearConstraint(a, -np.inf, np.log(g0) - 1 - self.d / g0))
            found = self.solve(np.r_[np.zeros(self.m), -powers], n, rows)
            gains = found[2]
            value = float(powers @ np.log(gains))
            bound = float(powers @ found[1])
            if bound - value <= 1e-9:
                return value
            cuts.append(gains)


def run_row(problem, concept):
    model = Model(problem)
    n = problem.n_parties
    start = time.perf_counter()
    solution = bg.solve(problem, concept)
    ours = time.perf_counter() - start
    start = time.perf_counter()
    if concept == "utilitarian":
        value = model.linear(np.ones(n))
        value = None if value is None else value + float(problem.disagreement.sum())
    elif concept == "egalitarian":
        value = model.maxmin(np.ones(n))
    elif concept == "kalai_smorodinsky":
        ideal = [model.linear(np.eye(n)[j]) for j in range(n)]
        value = None if None in ideal else model.maxmin(np.array(ideal))
    else:
        seed = bg.egalitarian(problem)
        gains = np.array(list(seed.gains.values()))
        value = None if not seed.agreement else model.nash(problem.powers, gains)
    theirs = time.perf_counter() - start
    agree = (value is None and not solution.agreement) or (
        value is not None and abs(value - solution.score) <= 1e-6 * (1 + abs(value))
    )
    return ours, theirs, agree


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a tiny grid (a few seconds)")
    parser.add_argument("--seeds", type=int, default=3)
    args = parser.parse_args()
    parties = [2] if args.quick else [2, 4, 8]
    issues = [5] if args.quick else [7, 9, 12, 20, 30]
    seeds = 1 if args.quick else args.seeds
    concepts = ["utilitarian", "egalitarian", "kalai_smorodinsky", "nash"]
    ratios = {c: [] for c in concepts}
    print(
        f"{'concept':>18} {'n':>2} {'k':>3} {'seed':>4} {'bargain s':>10} {'milp s':>9} "
        f"{'ratio':>7} same"
    )
    for n in parties:
        for k in issues:
            for seed in range(seeds):
                problem = bg.random_problem(n, k, 10, rng=seed)
                for concept in concepts:
                    ours, theirs, agree = run_row(problem, concept)
                    ratios[concept].append(ours / theirs)
                    print(
                        f"{concept:>18} {n:>2} {k:>3} {seed:>4} {ours:>10.4f} {theirs:>9.4f} "
                        f"{ours / theirs:>7.2f} {agree}",
                        flush=True,
                    )
    for concept, values in ratios.items():
        print(f"median ratio (bargain / MILP) {concept}: {statistics.median(values):.2f}")


if __name__ == "__main__":
    main()
