"""Every concept over lotteries of 10^5 packages, 4 parties, next to the same concept on
single packages.

Run: python benchmarks/bench_lotteries.py [--issues 5] [--parties 4] [--repeat 3] [--quick]

For seeded random instances (`_instances.random_problem`: 10 options per issue,
disagreement midway), prints the best-of-3 wall time of each concept without and
with ``lotteries=True`` measured in the same run, their ratio, the lottery's
support size, the column generation's rounds and columns, and how much the
lottery improves the concept's own objective over the best single package.
"""

from __future__ import annotations

import numpy as np
from _instances import instance_arguments, random_problem, timed

import bargain as bg


def main() -> None:
    args = instance_arguments(__doc__.splitlines()[0], issues=5, quick_issues=3)

    print(f"{args.parties} parties, {args.issues} issues x 10 options (10^{args.issues} packages)")
    header = ("seed", "concept", "single s", "lottery s", "ratio", "support", "rounds", "gain")
    widths = (4, 18, 9, 10, 7, 8, 7, 10)
    print(" ".join(f"{h:>{w}}" for h, w in zip(header, widths)))
    worst = {name: 0.0 for name in bg.CONCEPTS}
    for seed in range(args.repeat):
        problem = random_problem(args.parties, args.issues, rng=seed)
        for name in bg.CONCEPTS:
            single, t_single = timed(bg.solve, problem, name, best_of=3)
            lottery, t_lottery = timed(bg.solve, problem, name, lotteries=True, best_of=3)
            assert lottery.optimal and len(lottery.lottery) <= args.parties
            worst[name] = max(worst[name], t_lottery)
            # KS scores differ in their ideal point (packages vs lotteries): no gain shown.
            gain = "" if name == "kalai_smorodinsky" else f"{lottery.score - single.score:+.2e}"
            print(
                f"{seed:>4} {name:>18} {t_single:>9.4f} {t_lottery:>10.4f} "
                f"{t_lottery / t_single:>6.1f}x {len(lottery.lottery):>8} "
                f"{lottery.stats['rounds']:>7} {gain:>10}"
            )
    slowest = max(worst.values())
    print(
        "slowest lottery solve: "
        + ", ".join(f"{name} {t:.3f} s" for name, t in worst.items())
        + f" (max {slowest:.3f} s; median over concepts {np.median(list(worst.values())):.3f} s)"
    )


if __name__ == "__main__":
    main()
