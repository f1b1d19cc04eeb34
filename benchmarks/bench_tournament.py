"""An ANAC-style round robin: `bargain` against NegMAS on the same domains, side by side.

Run: python benchmarks/bench_tournament.py [--corpus ANAC_DIR] [--domains 20]
           [--max-packages N] [--repetitions 10] [--rounds 100] [--quick]

Domains: with ``--corpus`` (the ANAC 2010-2015 folders, one per domain), the
first ``--domains`` bilateral domains of 2010-2013 in year and name order (of at
most ``--max-packages`` packages), loaded with ``bg.genius.load``; otherwise
the bilateral domains copied into tests/data/anac (year/domain folders), or,
without those, seeded random problems (2 parties, 4 issues of 6 options).
``--quick`` (the test suite's smoke run) plays 2 domains, 2 repetitions, 20
rounds.

Both sides play the same schedule: every ordered pair of different strategies
(so each strategy plays each role) on every domain, ``--repetitions`` times,
with ``--rounds`` offers at most (NegMAS: ``n_steps = rounds / 2``, each step
one offer per negotiator), and both compute what the ANAC scores need (each
domain's Pareto frontier and Nash point, and the outcome's utilities):

* `bargain`: ``bg.tournament`` with Boulware, linear, conceder and tit-for-tat,
  in this process (one seeded block per negotiation, as on Dask);
* NegMAS (the ``bench`` extra; skipped with a line when it is not importable):
  ``SAOMechanism`` with its closest built-ins ``BoulwareTBNegotiator``,
  ``LinearTBNegotiator``, ``ConcederTBNegotiator`` and
  ``NaiveTitForTatNegotiator``, on linear-additive utility functions built from
  the same value tables (domains whose utilities are not a plain sum of
  per-issue values are left out of the NegMAS side, and said so), with
  ``negmas.preferences.ops.pareto_frontier`` and ``nash_points`` per domain.

Printed: negotiations per second for each, their ratio, and the mean offers per
negotiation and agreement rate (the strategies are alike, not identical, so these
show the two tournaments did comparable work). Timings are wall clock on a
shared machine: compare the ratio, measured in one run.
"""

from __future__ import annotations

import argparse
import itertools
import math
import time
import warnings
from pathlib import Path

import numpy as np

import bargain as bg

try:
    import negmas
    from negmas import SAOMechanism, make_issue
    from negmas.preferences import LinearAdditiveUtilityFunction
    from negmas.preferences.ops import nash_points, pareto_frontier
    from negmas.sao import (
        BoulwareTBNegotiator,
        ConcederTBNegotiator,
        LinearTBNegotiator,
        NaiveTitForTatNegotiator,
    )
except ImportError:
    negmas = None

STRATEGIES = ("boulware", "linear", "conceder", "titfortat")
TEST_DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "anac"
BILATERAL_YEARS = ("y2010", "y2011", "y2012", "y2013")


def corpus_domains(corpus: Path, count: int, max_packages: int | None) -> dict[str, bg.Problem]:
    """The first ``count`` bilateral domains of the corpus (year, then name order) of
    at most ``max_packages`` packages."""
    found = {}
    for year in BILATERAL_YEARS:
        for folder in sorted((corpus / year).iterdir()):
            if len(found) == count:
                return found
            problem = bg.genius.load(folder)
            small = max_packages is None or problem.space.size <= max_packages
            if problem.n_parties == 2 and small:
                found[f"{year}/{folder.name}"] = problem
    return found


def available_domains(count: int) -> dict[str, bg.Problem]:
    """The bilateral domains in tests/data/anac, else seeded random problems."""
    genius = getattr(bg, "genius", None)
    found = {}
    if genius is not None and TEST_DATA.is_dir():
        for folder in sorted(path for path in TEST_DATA.glob("*/*") if path.is_dir()):
            problem = genius.load(folder)
            if problem.n_parties == 2 and len(found) < count:
                found[f"{folder.parent.name}/{folder.name}"] = problem
    if found:
        return found
    return {f"random {k}": bg.random_problem(2, 4, 6, rng=k) for k in range(count)}


def run_bargain(domains, repetitions: int, rounds: int):
    start = time.perf_counter()
    result = bg.tournament(domains, STRATEGIES, rounds=rounds, repetitions=repetitions, rng=0)
    seconds = time.perf_counter() - start
    # one offer per round: the round of agreement, or the deadline
    offers = np.mean([n.round if n.agreement else rounds for n in result.negotiations])
    agreement = np.mean([n.agreement for n in result.negotiations])
    return result, len(result.negotiations), seconds, offers, agreement


def additive(problem: bg.Problem) -> bool:
    """Whether every package's utility is the sum of the per-issue value tables."""
    if problem.rules:
        return False
    rng = np.random.default_rng(0)
    for index in rng.integers(problem.space.size, size=50):
        positions = problem.space.options_of(int(index))
        summed = sum(table[:, p] for table, p in zip(problem.tables, positions))
        if not np.allclose(summed, problem.utilities(int(index)), atol=1e-12):
            return False
    return True


def negmas_domain(problem: bg.Problem):
    issues = [make_issue(list(issue.options), name=issue.name) for issue in problem.space.issues]
    ufuns = [
        LinearAdditiveUtilityFunction(
            values={
                issue.name: dict(zip(issue.options, map(float, table[j])))
                for issue, table in zip(problem.space.issues, problem.tables)
            },
            weights={issue.name: 1.0 for issue in problem.space.issues},
            issues=issues,
            reserved_value=float(problem.disagreement[j]),
        )
        for j in range(problem.n_parties)
    ]
    return issues, ufuns


def run_negmas(domains, repetitions: int, rounds: int):
    players = (
        BoulwareTBNegotiator,
        LinearTBNegotiator,
        ConcederTBNegotiator,
        NaiveTitForTatNegotiator,
    )
    negotiations, offers, agreements = 0, 0, 0
    start = time.perf_counter()
    for name, problem in domains.items():
        begun = time.perf_counter()
        issues, ufuns = negmas_domain(problem)
        frontier, _ = pareto_frontier(ufuns, issues=issues)
        nash_points(ufuns, frontier, issues=issues)
        for first, second in itertools.permutations(players, 2):
            for _ in range(repetitions):
                mechanism = SAOMechanism(issues=issues, n_steps=math.ceil(rounds / 2))
                mechanism.add(first(name="a"), ufun=ufuns[0])
                mechanism.add(second(name="b"), ufun=ufuns[1])
                state = mechanism.run()
                if state.agreement is not None:
                    agreements += 1
                    [u(state.agreement) for u in ufuns]
                negotiations += 1
                offers += len(mechanism.extended_trace)
        spent = time.perf_counter() - begun
        print(f"  NegMAS {name}: {problem.space.size} packages, {spent:.2f} s", flush=True)
    seconds = time.perf_counter() - start
    return negotiations, seconds, offers / negotiations, agreements / negotiations


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, help="the ANAC corpus (folders y2010 ...)")
    parser.add_argument("--domains", type=int, default=20)
    parser.add_argument(
        "--max-packages", type=int, help="with --corpus: skip larger domains (default: none)"
    )
    parser.add_argument("--repetitions", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--quick", action="store_true", help="a few seconds' smoke run")
    args = parser.parse_args()
    if args.quick:
        args.domains, args.repetitions, args.rounds = 2, 2, 20
    if args.corpus is not None:
        domains = corpus_domains(args.corpus, args.domains, args.max_packages)
    else:
        domains = available_domains(args.domains)
    sizes = [problem.space.size for problem in domains.values()]
    print(
        f"{len(domains)} bilateral domains ({min(sizes)} to {max(sizes)} packages), "
        f"strategies {', '.join(STRATEGIES)}, {args.repetitions} repetitions, "
        f"{args.rounds} offers at most"
    )
    result, count, seconds, offers, agreement = run_bargain(domains, args.repetitions, args.rounds)
    rate = count / seconds
    print(
        f"bargain: {count} negotiations in {seconds:.2f} s = {rate:,.0f} negotiations/s "
        f"(mean {offers:.1f} offers, agreement rate {agreement:.3f})"
    )
    print(result)
    if negmas is None:
        print("NegMAS: not installed (pip install 'bargaining[bench]'); comparison skipped")
        return
    plain = {name: problem for name, problem in domains.items() if additive(problem)}
    if len(plain) < len(domains):
        print(f"NegMAS: {len(domains) - len(plain)} non-additive domains left out")
        _, _, seconds, _, _ = run_bargain(plain, args.repetitions, args.rounds)
        rate = count_of(plain, args.repetitions) / seconds
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        n_count, n_seconds, n_offers, n_agreement = run_negmas(plain, args.repetitions, args.rounds)
    n_rate = n_count / n_seconds
    print(
        f"NegMAS {negmas.__version__}: {n_count} negotiations in {n_seconds:.2f} s = "
        f"{n_rate:,.1f} negotiations/s (mean {n_offers:.1f} offers, agreement rate "
        f"{n_agreement:.3f})"
    )
    print(f"ratio (bargain / NegMAS negotiations per second): {rate / n_rate:.1f}x")


def count_of(domains, repetitions: int) -> int:
    return len(domains) * len(STRATEGIES) * (len(STRATEGIES) - 1) * repetitions


if __name__ == "__main__":
    main()
