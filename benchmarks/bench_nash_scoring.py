"""Exact asymmetric Nash on 10^7 packages against a plain numpy broadcast.

Run: python benchmarks/bench_nash_scoring.py [--issues 7] [--parties 4] [--repeat 3] [--quick]

Prints, for the same seeded instances measured in one run, the time of the
full-tensor broadcast + argmax baseline, of `bargain.nash` (pruned blocks) and
of the block scorer forced to score every package (`prune=False`), the speed-up
ratios, and the peak memory traced during each `bargain` solve.
"""

from __future__ import annotations

import argparse

import numpy as np
from _instances import broadcast_nash, random_problem, timed, traced_peak_mib

import bargain as bg


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parties", type=int, default=4)
    parser.add_argument("--issues", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="a smoke test at 10^4 packages")
    args = parser.parse_args()
    if args.quick:
        args.issues, args.repeat = 4, 1

    print(f"{args.parties} parties, {args.issues} issues x 10 options (10^{args.issues} packages)")
    header = ("seed", "broadcast s", "nash s", "ratio", "no-prune s", "ratio")
    print(" ".join(f"{h:>{w}}" for h, w in zip(header, (4, 12, 9, 7, 11, 7))))
    ratios, forced_ratios = [], []
    for seed in range(args.repeat):
        problem = random_problem(args.parties, args.issues, rng=seed)
        baseline, t_base = timed(broadcast_nash, problem, best_of=3)
        solution, t_nash = timed(bg.nash, problem, best_of=3)
        forced, t_forced = timed(bg.nash, problem, prune=False, best_of=3)
        assert solution.index == forced.index == baseline, (solution.index, baseline)
        ratios.append(t_base / t_nash)
        forced_ratios.append(t_base / t_forced)
        print(
            f"{seed:>4} {t_base:>12.3f} {t_nash:>9.4f} {ratios[-1]:>6.0f}x "
            f"{t_forced:>11.3f} {forced_ratios[-1]:>6.1f}x"
        )
    problem = random_problem(args.parties, args.issues, rng=0)
    peak_nash = traced_peak_mib(bg.nash, problem)
    peak_forced = traced_peak_mib(bg.nash, problem, prune=False)
    peak_base = traced_peak_mib(broadcast_nash, problem)
    print(
        f"median speed-up: pruned {np.median(ratios):.0f}x, forced {np.median(forced_ratios):.1f}x"
    )
    print(
        f"peak traced memory: nash {peak_nash:.0f} MiB, forced {peak_forced:.0f} MiB, "
        f"broadcast {peak_base:.0f} MiB"
    )


if __name__ == "__main__":
    main()
