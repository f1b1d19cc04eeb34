"""`bargain` against NegMAS on the ANAC domains: Pareto frontier + Nash point, per domain.

Run: python benchmarks/bench_genius.py [CORPUS] [--quick]    (NegMAS: pip install '.[bench]')

CORPUS is a folder of GENIUS domain folders, searched recursively (default:
/work/shared/anac when present, else tests/data/anac, which ``--quick`` always
uses). Each domain is loaded once by each library; then, in the same run, each library computes the
domain's Pareto frontier and Nash point from its own loaded objects, utilities
included: NegMAS with ``pareto_frontier`` + ``nash_points`` on its
``Scenario.from_genius_folder`` ufuns (reservation values kept; its
``pareto_frontier`` evaluates every package), `bargain` with
``bg.pareto_frontier`` + ``bg.nash`` on a freshly built, equal ``bg.Problem``
(built untimed, like NegMAS's scenario; its package utilities are summed
inside the timed calls, as NegMAS's are). Each is timed best of
repeated runs (the machine is shared and noisy). The ratio is NegMAS's time
over ours; the median and minimum are printed at the end. Domains where NegMAS
gives no answer (the ANAC 2014 spaces of 10^10 packages and more) print
`bargain`'s times alone: Nash, and the frontier (swept by search) with one package
per utility vector and with up to 1000 (``+``: more tie, not listed). Without
NegMAS the script says so and times `bargain` alone. ``--quick`` runs two tiny
domains (the test suite's smoke run).
"""

from __future__ import annotations

import argparse
import functools
import statistics
import time
import warnings
from pathlib import Path

import bargain as bg

try:
    import negmas
    from negmas.inout import Scenario
    from negmas.preferences.ops import nash_points, pareto_frontier
except ImportError:
    negmas = None

NEGMAS_MAX_PACKAGES = 10**6
"""NegMAS enumerates every package: above this many it has no answer in reasonable time."""

REPEAT_SECONDS = 0.3
"""Each library runs a domain repeatedly for about this long (best time kept)..."""

MAX_REPEATS = 50
"""...but at most this many times."""

LARGE_BUDGET = 60.0
"""Seconds `bargain` may search a space too large for NegMAS."""

QUICK = ("y2013/Ultimatum", "y2015/group3-bank_robbery")


def default_corpus(quick: bool) -> Path:
    """/work/shared/anac when present (and not ``quick``), else the tests' copies."""
    shared = Path("/work/shared/anac")
    here = Path(__file__).resolve().parent.parent / "tests/data/anac"
    return shared if shared.is_dir() and not quick else here


def domains(corpus: Path) -> list[Path]:
    """Every folder below ``corpus`` that holds XML files, sorted."""
    return sorted({file.parent for file in corpus.rglob("*.xml")})


def best_time(function, setup=lambda: ()) -> float:
    """Best time of ``function(*setup())``, ``setup`` untimed, repeated (see REPEAT_SECONDS)."""
    times: list[float] = []
    deadline = time.perf_counter() + REPEAT_SECONDS
    while len(times) < MAX_REPEATS and (not times or time.perf_counter() < deadline):
        arguments = setup()
        start = time.perf_counter()
        function(*arguments)
        times.append(time.perf_counter() - start)
    return min(times)


def negmas_scenario(folder: Path):
    """NegMAS's reading of a domain, reservation values kept (its strict parser rejects a
    few ANAC files, e.g. issue indices starting at 2: then its lenient one is used)."""
    try:
        return Scenario.from_genius_folder(folder, ignore_reserved=False, ignore_discount=True)
    except ValueError:
        return Scenario.from_genius_folder(
            folder, ignore_reserved=False, ignore_discount=True, safe_parsing=False
        )


def fresh(problem: bg.Problem) -> tuple[bg.Problem]:
    """An equal problem with nothing computed yet (no package utilities summed)."""
    return (bg.Problem(problem.space, problem.parties),)


def ours(problem: bg.Problem):
    return bg.pareto_frontier(problem), bg.nash(problem)


def large(problem: bg.Problem) -> str:
    """A space NegMAS cannot enumerate: `bargain`'s Nash point (and frontier), timed once."""
    cells = []
    start = time.perf_counter()
    solution = bg.nash(problem, time_budget=LARGE_BUDGET)
    proven = "" if solution.optimal else " (not proven)"
    cells.append(f"Nash {time.perf_counter() - start:.1f}s{proven}")
    for max_ties in (1, bg.engine.DEFAULT_MAX_TIES):
        start = time.perf_counter()
        try:
            front = bg.pareto_frontier(problem, max_ties=max_ties, time_budget=LARGE_BUDGET)
        except bg.BargainError as exc:
            cells.append(f"frontier: {type(exc).__name__}")
            break
        listed = "+" if front.ties_truncated else ""
        proven = "" if front.complete else " (incomplete)"
        cells.append(
            f"frontier {front.vectors} vectors, {len(front)}{listed} packages (max_ties "
            f"{max_ties}) {time.perf_counter() - start:.1f}s{proven}"
        )
    return "NegMAS has no answer; bargain: " + ", ".join(cells)


def theirs(scenario):
    utilities, _ = pareto_frontier(scenario.ufuns, issues=scenario.outcome_space.issues)
    return utilities, nash_points(scenario.ufuns, utilities, outcome_space=scenario.outcome_space)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=None)
    parser.add_argument("--quick", action="store_true", help="two tiny domains, a smoke test")
    args = parser.parse_args()
    corpus = args.corpus or default_corpus(args.quick)
    folders = domains(corpus)
    if args.quick:
        folders = [f for f in folders if any(str(f).endswith(name) for name in QUICK)] or folders[
            :2
        ]
    if negmas is None:
        print("negmas is not installed (pip install '.[bench]'): timing bargain alone")
    else:
        print(f"negmas {negmas.__version__}, bargain {bg.__version__}, corpus {corpus}")
    header = ("domain", "packages", "parties", "frontier", "negmas s", "bargain s", "ratio")
    print(
        f"{header[0]:<36} {header[1]:>8} {header[2]:>7} {header[3]:>8} "
        + " ".join(f"{h:>10}" for h in header[4:])
    )
    ratios = []
    for folder in folders:
        name = str(folder.relative_to(corpus))
        problem = bg.genius.load(folder)
        size = problem.space.size
        line = f"{name:<36} {size:>8.2g} {problem.n_parties:>7} "
        if size > NEGMAS_MAX_PACKAGES:
            print(line + large(problem))
            continue
        front, _ = ours(*fresh(problem))
        t_ours = best_time(ours, functools.partial(fresh, problem))
        line += f"{len(front):>8} "
        if negmas is None:
            print(line + f"{'no negmas':>10} {t_ours:>10.5f}")
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            scenario = negmas_scenario(folder)
            t_theirs = best_time(functools.partial(theirs, scenario))
        ratios.append(t_theirs / t_ours)
        print(line + f"{t_theirs:>10.5f} {t_ours:>10.5f} {ratios[-1]:>9.1f}x")
    if ratios:
        print(
            f"\n{len(ratios)} domains timed against NegMAS: median ratio "
            f"{statistics.median(ratios):.1f}x, minimum {min(ratios):.2f}x"
        )


if __name__ == "__main__":
    main()
