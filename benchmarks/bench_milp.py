"""Every concept against the strongest alternative a user has: HiGHS MILPs via scipy.

Each concept is written as a mixed-integer program (one-hot binaries per issue,
individual rationality as one linear constraint per party, HiGHS with zero gaps
and 1e-9 feasibility tolerances) and its answer re-checked in numpy:
utilitarian (max total gain), egalitarian (max t, gains >= t), Kalai–Smorodinsky
(the ideal point by one MILP per party, then the max-min of normalized gains)
and asymmetric Nash by outer approximation (tangent cuts of log, re-solved
until the gap is below 1e-9). Printed per row: bargain time, MILP time, their
ratio, whether the objectives agree; then the median ratio per concept. On the
two-party rectangle rows, egalitarian and Kalai–Smorodinsky are also timed against
the MILPs of their whole answer, the max-min's leximin tie-break included (one more
MILP: the larger scaled gain, both at least the max-min; bargain also proves ties).

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
    """One-hot binaries per issue; utilities are ``U @ v`` for the model's variables ``v``
    (the binaries themselves for additive utilities)."""

    def __init__(self, problem: bg.Problem) -> None:
        self.problem = problem
        self.d = problem.disagreement
        sizes = problem.space.sizes
        starts = np.concatenate([[0], np.cumsum(sizes)])
        m = int(starts[-1])
        onehot = np.zeros((len(sizes), m))
        for k in range(len(sizes)):
            onehot[k, starts[k] : starts[k + 1]] = 1
        if problem.additive:
            self.m = m
            self.U = np.hstack(problem.tables)
            self.rows = [(onehot, 1.0, 1.0)]
            self.integer = np.ones(m)
            self.upper = np.ones(m)
            return
        # Rectangle utilities: binaries x (options), y (rectangles), utilities u <= bonuses.
        n, terms = problem.n_parties, problem.terms
        t_count = len(terms)
        self.m = width = m + t_count + n
        links, party_rows = [], np.zeros((n, width))
        for t, (j, term) in enumerate(terms):
            for k, mask in zip(term.issues, term.masks):
                row = np.zeros(width)
                row[m + t] = 1.0
                row[starts[k] : starts[k + 1]] -= mask
                links.append(row)
            party_rows[j, m + t] = -term.bonus / problem.maximum[j]
        party_rows[:, m + t_count :] = np.eye(n)
        self.rows = [
            (np.hstack([onehot, np.zeros((len(sizes), width - m))]), 1.0, 1.0),
            (np.array(links), -np.inf, 0.0),
            (party_rows, -np.inf, 0.0),
        ]
        self.U = np.zeros((n, width))
        self.U[:, m + t_count :] = np.eye(n)
        self.integer = np.r_[np.ones(m + t_count), np.zeros(n)]
        self.upper = np.r_[np.ones(m + t_count), problem.cap]

    def solve(self, cost, extra_columns=0, rows=(), bounds=None):
        """Minimize ``cost`` over (v, extra); ``rows`` are LinearConstraints on (v, extra)."""
        pad = np.zeros
        constraints = [
            LinearConstraint(np.hstack([a, pad((a.shape[0], extra_columns))]), low, high)
            for a, low, high in self.rows
        ]
        constraints += [
            LinearConstraint(
                np.hstack([self.U, pad((self.U.shape[0], extra_columns))]),
                self.d + STRICT,
                np.inf,
            ),
            *rows,
        ]
        integrality = np.r_[self.integer, np.zeros(extra_columns)]
        lower = np.r_[np.zeros(self.m), np.full(extra_columns, -np.inf)]
        upper = np.r_[self.upper, np.full(extra_columns, np.inf)]
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
        x = np.where(self.integer > 0, np.round(res.x[: self.m]), res.x[: self.m])
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
            # A maximizer already cut at is optimal up to HiGHS's tolerances (a tangent
            # touches log there); without this test the loop may never end.
            if bound - value <= 1e-9 or any(np.array_equal(gains, g0) for g0 in cuts):
                return value
            cuts.append(gains)


def run_row(problem, concept, leximin: bool = False):
    """bargain's time, the MILP's, whether they agree, and with ``leximin`` (two parties,
    egalitarian and Kalai–Smorodinsky) the MILP's time for bargain's whole answer: then
    also the max-min's leximin tie-break, the largest larger scaled gain with both at least
    the max-min less 1e-9 (one more MILP; bargain also proves the ties), else None."""
    model = Model(problem)
    n = problem.n_parties
    start = time.perf_counter()
    solution = bg.solve(problem, concept)
    ours = time.perf_counter() - start
    start = time.perf_counter()
    scale = None
    if concept == "utilitarian":
        value = model.linear(np.ones(n))
        value = None if value is None else value + float(problem.disagreement.sum())
    elif concept == "egalitarian":
        scale = np.ones(n)
        value = model.maxmin(scale)
    elif concept == "kalai_smorodinsky":
        ideal = [model.linear(np.eye(n)[j]) for j in range(n)]
        scale = None if None in ideal else np.array(ideal)
        value = None if scale is None else model.maxmin(scale)
    else:
        seed = bg.egalitarian(problem)
        gains = np.maximum(np.array(list(seed.gains.values())), 1e-6)
        value = None if not seed.agreement else model.nash(problem.powers, gains)
    theirs = time.perf_counter() - start
    agree = (value is None and not solution.agreement) or (
        value is not None and abs(value - solution.score) <= 1e-6 * (1 + abs(value))
    )
    whole = None
    if leximin and n == 2 and scale is not None and value is not None:
        start = time.perf_counter()
        floors = LinearConstraint(model.U, model.d + scale * (value - 1e-9), np.inf)
        found = model.solve(-(1.0 / scale) @ model.U, 0, [floors])
        whole = theirs + time.perf_counter() - start
        larger = float(np.max(found[2] / scale))  # leximin's second level, both ways
        ours_larger = float(np.max(np.array(list(solution.gains.values())) / scale))
        agree = agree and abs(larger - ours_larger) <= 1e-6 * (1 + abs(larger))
    return ours, theirs, agree, whole


def run_rows(problem, concepts, label: str, ratios: dict, whole: dict | None = None) -> None:
    """Every concept on ``problem`` against its MILP: one printed row each (``label`` names
    the problem), the ratio added to ``ratios``; with ``whole``, the leximin concepts also
    against the MILPs of their whole answer (see :func:`run_row`), printed after the row."""
    for concept in concepts:
        ours, theirs, agree, lexicographic = run_row(problem, concept, whole is not None)
        ratios[concept].append(ours / theirs)
        line = f"{concept:>18} {label} {ours:>10.4f} {theirs:>9.4f} {ours / theirs:>7.2f} {agree}"
        if lexicographic is not None:
            whole[concept].append(ours / lexicographic)
            line += f"  leximin MILP {lexicographic:.4f} ratio {ours / lexicographic:.2f}"
        print(line, flush=True)


def print_medians(ratios: dict, where: str = "", against: str = "MILP") -> None:
    for concept, values in ratios.items():
        if values:
            median = statistics.median(values)
            print(f"median ratio (bargain / {against}) {where}{concept}: {median:.2f}")


def threshold(n_parties: int, n_issues: int, seed: int) -> float:
    """The quantile above which no package is acceptable to all: one max-min solve of
    ``min_j (u_j - low_j) / (high_j - low_j)`` (disagreement at the worst, weights the ranges)."""
    worst = bg.random_problem(n_parties, n_issues, 10, quantile=0.0, rng=seed)
    best = bg.random_problem(n_parties, n_issues, 10, quantile=1.0, rng=seed)
    ranges = best.disagreement - worst.disagreement
    model = Model(worst)
    model.d = worst.disagreement - STRICT  # packages at the worst utility count here
    return float(model.maxmin(ranges))


def threshold_band(n_parties: int, n_issues: int, seeds: int, quick: bool) -> None:
    """Nash at the threshold quantile minus 0.001 and 0.005, per seed: bargain / MILP."""
    print(f"nash at the feasibility threshold, {n_parties} parties x {n_issues} issues")
    print(f"{'seed':>4} {'quantile':>9} {'bargain s':>10} {'milp s':>9} {'ratio':>7} same")
    worst_ratio = 0.0
    for seed in range(seeds):
        top = threshold(n_parties, n_issues, seed)
        for below in (0.001,) if quick else (0.001, 0.005):
            problem = bg.random_problem(n_parties, n_issues, 10, quantile=top - below, rng=seed)
            ours, theirs, agree, _ = run_row(problem, "nash")
            worst_ratio = max(worst_ratio, ours / theirs)
            print(
                f"{seed:>4} {top - below:>9.5f} {ours:>10.4f} {theirs:>9.4f} "
                f"{ours / theirs:>7.2f} {agree}",
                flush=True,
            )
    print(f"largest ratio (bargain / MILP) at the threshold: {worst_ratio:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a tiny grid (a few seconds)")
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--parties", type=int, nargs="+", default=[2, 4, 8])
    parser.add_argument("--issues", type=int, nargs="+", default=[7, 9, 12, 20, 30])
    parser.add_argument("--concepts", nargs="+", default=list(bg.CONCEPTS))
    parser.add_argument(
        "--threshold-seeds",
        type=int,
        default=10,
        help="Nash just below the feasibility threshold: 8 parties x 20 issues, this many seeds "
        "(0: none)",
    )
    parser.add_argument(
        "--rectangles",
        type=int,
        nargs="*",
        default=[100, 300],
        help="also 2 parties x 40 issues x 10 values with this many rectangles per party "
        "(--seeds problems of each)",
    )
    args = parser.parse_args()
    parties = [2] if args.quick else args.parties
    issues = [5] if args.quick else args.issues
    seeds = 1 if args.quick else args.seeds
    concepts = args.concepts
    ratios = {c: [] for c in concepts}
    print(
        f"{'concept':>18} {'n':>2} {'k':>3} {'seed':>4} {'bargain s':>10} {'milp s':>9} "
        f"{'ratio':>7} same"
    )
    for n in parties:
        for k in issues:
            for seed in range(seeds):
                problem = bg.random_problem(n, k, 10, rng=seed)
                run_rows(problem, concepts, f"{n:>2} {k:>3} {seed:>4}", ratios)
    print_medians(ratios)
    if args.quick or args.threshold_seeds:  # --threshold-seeds 0: no Nash band
        threshold_band(
            *((3, 6, 1) if args.quick else (8, 20, args.threshold_seeds)), quick=args.quick
        )
    counts = [10] if args.quick else args.rectangles
    issues = 8 if args.quick else 40
    ratios = {c: [] for c in concepts}
    whole = {c: [] for c in concepts}
    for count in counts:
        for seed in range(max(seeds, 1)):  # (one seed at least, with the grid's --seeds 0)
            problem = bg.random_rectangle_problem(2, issues, 10, n_rectangles=count, rng=seed)
            label = f"{2:>2} {issues:>3} rect{count:>4} {seed:>4}"
            run_rows(problem, concepts, label, ratios, whole)
    print_medians(ratios, "on rectangles ")
    print_medians(whole, "on rectangles ", against="leximin MILP")


if __name__ == "__main__":
    main()
