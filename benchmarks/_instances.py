"""What the benchmarks share: their instances, the broadcast baseline, timers.

Instances come from :func:`bargain.random_problem` (value tables uniform in
[0, 1], weights Dirichlet(1) per party, powers uniform in [0.5, 1.5],
disagreement at a quantile of each party's range, 0.5: midway).
"""

from __future__ import annotations

import argparse
import time
import tracemalloc

import numpy as np

import bargain as bg

random_problem = bg.random_problem


def timed(function, *args, best_of: int = 1, **kwargs):
    """Result and best-of-``best_of`` wall time (the machines are noisy)."""
    times = []
    for _ in range(best_of):
        start = time.perf_counter()
        result = function(*args, **kwargs)
        times.append(time.perf_counter() - start)
    return result, min(times)


def traced_peak_mib(function, *args, **kwargs) -> float:
    """Peak memory traced by tracemalloc (numpy reports to it) during one call, in MiB."""
    tracemalloc.start()
    function(*args, **kwargs)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def broadcast_nash(problem: bg.Problem) -> int:
    """The straightforward baseline: the full utility tensor, then argmax."""
    n_issues = len(problem.tables)
    total = 0
    for k, table in enumerate(problem.tables):
        shape = [problem.n_parties] + [1] * n_issues
        shape[k + 1] = table.shape[1]
        total = total + table.reshape(shape)
    utilities = total.reshape(problem.n_parties, -1)
    gains = utilities - problem.disagreement[:, None]
    rational = np.all(gains > 0, axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        score = np.where(rational, problem.powers @ np.log(np.where(rational, gains, 1.0)), -np.inf)
    return int(np.argmax(score))


def against_broadcast(n_parties: int, n_issues: int, seeds: int) -> tuple[list, list]:
    """Print, per seed, the broadcast baseline, `bg.nash` and the block scorer forced to
    score every package (`prune=False`), best of 3 each, and return both speed-up lists."""
    header = ("seed", "broadcast s", "nash s", "ratio", "forced s", "ratio")
    print(" ".join(f"{h:>{w}}" for h, w in zip(header, (4, 12, 9, 7, 9, 7))))
    ratios, forced_ratios = [], []
    for seed in range(seeds):
        problem = random_problem(n_parties, n_issues, rng=seed)
        baseline, t_base = timed(broadcast_nash, problem, best_of=3)
        solution, t_nash = timed(bg.nash, problem, best_of=3)
        forced, t_forced = timed(bg.nash, problem, prune=False, best_of=3)
        assert solution.index == forced.index == baseline, (solution.index, baseline)
        ratios.append(t_base / t_nash)
        forced_ratios.append(t_base / t_forced)
        print(
            f"{seed:>4} {t_base:>12.3f} {t_nash:>9.4f} {ratios[-1]:>6.0f}x "
            f"{t_forced:>9.3f} {forced_ratios[-1]:>6.1f}x"
        )
    return ratios, forced_ratios


def instance_arguments(description: str, issues: int, quick_issues: int) -> argparse.Namespace:
    """``--parties``, ``--issues``, ``--repeat`` (seeds) and ``--quick`` (a smoke run at
    10^quick_issues packages with one seed), parsed from the command line."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--parties", type=int, default=4)
    parser.add_argument("--issues", type=int, default=issues)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--quick", action="store_true", help=f"a smoke test at 10^{quick_issues} packages"
    )
    args = parser.parse_args()
    if args.quick:
        args.issues, args.repeat = quick_issues, 1
    return args
