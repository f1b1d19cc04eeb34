"""Exact asymmetric Nash on 10^7 packages against a plain numpy broadcast.

Run: python benchmarks/bench_nash_scoring.py [--issues 7] [--parties 4] [--repeat 3] [--quick]

Prints, for the same seeded instances measured in one run, the time of the
full-tensor broadcast + argmax baseline, of `bargain.nash` (pruned blocks) and
of the block scorer forced to score every package (`prune=False`), the speed-up
ratios, and the peak memory traced during each `bargain` solve.
"""

from __future__ import annotations

import numpy as np
from _instances import (
    against_broadcast,
    broadcast_nash,
    instance_arguments,
    random_problem,
    traced_peak_mib,
)

import bargain as bg


def main() -> None:
    args = instance_arguments(__doc__.splitlines()[0], issues=7, quick_issues=4)

    print(f"{args.parties} parties, {args.issues} issues x 10 options (10^{args.issues} packages)")
    ratios, forced_ratios = against_broadcast(args.parties, args.issues, args.repeat)
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
