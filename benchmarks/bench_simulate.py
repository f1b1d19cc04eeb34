"""1,000 seeded alternating-offers negotiations between 4 parties on 10^6 packages.

Run: python benchmarks/bench_simulate.py [--negotiations 1000] [--issues 6] [--rounds 100] [--quick]

The problem (benchmarks/_instances.py, seed 0) is built once; its Pareto
frontier and the per-party offer book are computed once (timed separately).
Every negotiation is stacked alternating offers between a Boulware, a linear
and a conceder negotiator (each aiming with 5% noise, so seeds differ) and a
tit-for-tat. The baseline plays the same negotiations with strategies that
find each offer by scanning the whole frontier with numpy (what one writes
without the book); both must produce identical traces. Prints the time per
negotiation and per offer, and the ratio.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from _instances import random_problem

import bargain as bg
from bargain.dynamics import offer_book

NOISE = 0.05


def scanned_offer(state: bg.strategies.State, target: float) -> int:
    """Baseline offer: scan every frontier package (ties broken like the book)."""
    book = state.book
    j = state.position
    own = book.utilities[:, j]
    gains = book.utilities - book.problem.disagreement
    others = (book.problem.powers * np.log(gains)).sum(axis=1) - book.problem.powers[j] * np.log(
        gains[:, j]
    )
    meets = own >= target
    if not meets.any():
        best = np.flatnonzero(own == own.max())
        return int(book.indices[best[0]])
    score = np.where(meets, others, -np.inf)
    candidates = np.flatnonzero(score == score.max())
    # the book prefers higher own utility, then the lower index, among equal scores
    pick = candidates[np.lexsort((book.indices[candidates], -own[candidates]))[0]]
    return int(book.indices[pick])


def scanning(strategy_class):
    class Scanning(strategy_class):
        def propose(self, state):
            aim = self.target(state)
            if getattr(self, "noise", 0.0):
                best, reservation = state.best, state.reservation
                aim += self.noise * (best - reservation) * state.rng.uniform(-1.0, 1.0)
                aim = min(max(aim, reservation), best)
            return scanned_offer(state, aim)

    Scanning.__name__ = f"Scanning{strategy_class.__name__}"
    return Scanning


def players(problem, baseline: bool):
    kinds = [
        (bg.strategies.Boulware, {"noise": NOISE}),
        (bg.strategies.Linear, {"noise": NOISE}),
        (bg.strategies.Conceder, {"noise": NOISE}),
        (bg.strategies.TitForTat, {"generosity": 0.2}),
    ]
    chosen = {}
    for name, (kind, options) in zip(problem.party_names, kinds):
        chosen[name] = (scanning(kind) if baseline else kind)(**options)
    return chosen


def run(problem, negotiations: int, rounds: int, baseline: bool):
    strategies = players(problem, baseline)
    start = time.perf_counter()
    traces = [
        bg.simulate(problem, "alternating", strategies, rounds=rounds, rng=seed)
        for seed in range(negotiations)
    ]
    return traces, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--negotiations", type=int, default=1000)
    parser.add_argument("--baseline-negotiations", type=int, default=100)
    parser.add_argument("--issues", type=int, default=6)
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--quick", action="store_true", help="a smoke test: 20 runs, 10^4")
    args = parser.parse_args()
    if args.quick:
        args.negotiations, args.baseline_negotiations, args.issues = 20, 5, 4

    problem = random_problem(4, args.issues, rng=0)
    start = time.perf_counter()
    book = offer_book(problem)
    t_book = time.perf_counter() - start
    print(
        f"4 parties, {args.issues} issues x 10 options (10^{args.issues} packages); "
        f"frontier {len(book)} packages, offer book built once in {t_book:.3f} s"
    )
    traces, t_fast = run(problem, args.negotiations, args.rounds, baseline=False)
    offers = sum(len(trace.offers) for trace in traces)
    agreed = sum(trace.agreement for trace in traces)
    distinct = len({(trace.index, trace.round) for trace in traces})
    print(
        f"{args.negotiations} negotiations (rounds <= {args.rounds}): {t_fast:.3f} s total, "
        f"{1e3 * t_fast / args.negotiations:.3f} ms per negotiation, "
        f"{1e6 * t_fast / offers:.1f} us per offer ({offers} offers, {agreed} agreements, "
        f"{distinct} distinct outcomes)"
    )
    k = min(args.baseline_negotiations, args.negotiations)
    slow, t_slow = run(problem, k, args.rounds, baseline=True)
    assert all(
        [o.index for o in a.offers] == [o.index for o in b.offers] for a, b in zip(slow, traces[:k])
    ), "the frontier scan and the offer book disagree"
    slow_offers = sum(len(trace.offers) for trace in slow)
    per_fast = t_fast / offers
    per_slow = t_slow / slow_offers
    print(
        f"baseline (frontier scan per offer), first {k} negotiations: {t_slow:.3f} s, "
        f"{1e6 * per_slow:.1f} us per offer; offer book {per_slow / per_fast:.1f}x faster "
        "per offer, same offers"
    )


if __name__ == "__main__":
    main()
