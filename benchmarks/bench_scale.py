"""Exact Nash on spaces of 10^7 to 10^30 packages: the issue #6 performance bars.

Run: python benchmarks/bench_scale.py [--quick]

Seeded random instances (value tables uniform in [0, 1], weights Dirichlet(1)
per party, powers uniform in [0.5, 1.5], 10 options per issue). Disagreement
is either *midway* between each party's worst and best utility, or *tight*: at
a percentile of the party's own utility over the space (estimated from
200,000 seeded uniform random packages). Prints, measured in this one run:

1. 4 parties x 7 issues, midway: `bg.nash` (auto: the branch and bound) and
   the block scorer forced to score every package (`prune=False`) against a
   full-tensor numpy broadcast + argmax, best of 3, same package;
2. 4 x 12 midway: median and maximum time over 10 instances, peak memory;
3. 6 x 20 midway: median over 5 instances;
4. tight: 4 x 12 and 4 x 30 at the 90th percentile, 8 x 20 at the 80th:
   every instance's time, whether a deal exists, and the search nodes.
"""

from __future__ import annotations

import argparse
import resource

import numpy as np
from _instances import against_broadcast, random_problem, timed, traced_peak_mib

import bargain as bg

SAMPLES = 200_000


def tight_problem(n_parties: int, n_issues: int, percentile: float, seed: int) -> bg.Problem:
    """Each party's disagreement at ``percentile`` of its utility over the space."""
    problem = random_problem(n_parties, n_issues, rng=seed)
    rng = np.random.default_rng(1_000_000 + seed)
    utilities = sum(table[:, rng.integers(0, table.shape[1], SAMPLES)] for table in problem.tables)
    for name, value in zip(problem.party_names, np.percentile(utilities, percentile, axis=1)):
        problem = problem.replace_party(name, disagreement=float(value))
    return problem


def bar_enumerable(n_issues: int, seeds: int) -> None:
    print(f"\n[1] 4 parties x {n_issues} issues (10^{n_issues} packages), midway, best of 3")
    ratios, forced_ratios = against_broadcast(4, n_issues, seeds)
    print(
        f"    speed-up vs broadcast: nash min {min(ratios):.0f}x median {np.median(ratios):.0f}x;"
        f" forced blocks min {min(forced_ratios):.1f}x median {np.median(forced_ratios):.1f}x"
    )


def bar_midway(n_parties: int, n_issues: int, seeds: int, label: str) -> None:
    print(f"\n[{label}] {n_parties} parties x {n_issues} issues (10^{n_issues} packages), midway")
    times, nodes = [], []
    for seed in range(seeds):
        solution, elapsed = timed(bg.nash, random_problem(n_parties, n_issues, rng=seed))
        assert solution.optimal and solution.stats["method"] == "search"
        times.append(elapsed)
        nodes.append(solution.stats["nodes"])
    print(
        f"    {seeds} instances: median {1e3 * np.median(times):.1f} ms, "
        f"max {1e3 * max(times):.1f} ms, nodes median {np.median(nodes):.0f} max {max(nodes)}"
    )


def bar_tight(n_parties: int, n_issues: int, percentile: float, seeds: int) -> None:
    print(
        f"\n[4] {n_parties} parties x {n_issues} issues (10^{n_issues} packages), "
        f"disagreement at the {percentile:g}th percentile"
    )
    times = []
    for seed in range(seeds):
        problem = tight_problem(n_parties, n_issues, percentile, seed)
        solution, elapsed = timed(bg.nash, problem)
        assert solution.optimal
        times.append(elapsed)
        verdict = "deal" if solution.agreement else "proof of no deal"
        print(
            f"    seed {seed}: {elapsed:7.3f} s  {verdict:<16} nodes {solution.stats['nodes']:>7}"
            f"  log Nash product {solution.score:.4f}"
        )
    print(f"    max {max(times):.3f} s, median {np.median(times):.3f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, a smoke test")
    args = parser.parse_args()
    if args.quick:
        bar_enumerable(5, 1)
        bar_midway(4, 8, 2, "2")
        bar_midway(6, 10, 1, "3")
        bar_tight(4, 8, 90, 1)
        return
    bar_enumerable(7, 3)
    bar_midway(4, 12, 10, "2")
    problem = random_problem(4, 12, rng=0)
    print(f"    peak traced memory of one 10^12 solve: {traced_peak_mib(bg.nash, problem):.1f} MiB")
    bar_midway(6, 20, 5, "3")
    bar_tight(4, 12, 90, 5)
    bar_tight(4, 30, 90, 5)
    bar_tight(8, 20, 80, 5)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**10
    print(f"\nprocess peak resident memory, whole run incl. the broadcast: {peak:.0f} MiB")


if __name__ == "__main__":
    main()
