"""The field's own data: ANAC negotiation domains (GENIUS XML), solved and played.

A researcher working on the automated-negotiation benchmarks loads GENIUS
domains, asks for the exact solutions (also on ANAC 2014's non-linear domains of
10^10 packages, which enumeration cannot touch) and where they tip, runs an
ANAC-style tournament of concession strategies, asks how robust the Nash package
is to the reservation values, and writes a changed domain back for GENIUS.

The domains are the copies in this repository's tests/data/anac (the ANAC
2010-2015 corpus as published has the same layout). Run it with
``python examples/anac_domains.py``.
"""

import tempfile
import time
from pathlib import Path

import numpy as np
import scipy.stats as st

import bargain as bg

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "anac"

# 1. A linear domain: load, solve with every concept, the Pareto frontier.
laptop = bg.genius.load(DATA / "y2011" / "Laptop")
print(f"Laptop (ANAC 2011): {laptop.space.size} packages, parties {', '.join(laptop.party_names)}")
print(bg.compare(laptop))
frontier = bg.pareto_frontier(laptop)
print(f"Pareto frontier: {len(frontier)} packages")

# 2. A non-linear domain of ANAC 2014: hyper-rectangle utilities on 10^10 packages.
boxes = bg.genius.load(DATA / "y2014" / "10issuesDiscountedwithRV")
print(f"\n10issuesDiscountedwithRV (ANAC 2014): {boxes.space.size:.0e} packages")
for concept in bg.CONCEPTS:
    start = time.perf_counter()
    solution = bg.solve(boxes, concept)
    utilities = ", ".join(f"{u:.4f}" for u in solution.utilities.values())
    print(
        f"  {concept:<18} utilities {utilities}  proven optimal: {solution.optimal}  "
        f"({time.perf_counter() - start:.1f} s)"
    )
start = time.perf_counter()
frontier = bg.pareto_frontier(boxes, max_ties=1)
print(
    f"  exact Pareto frontier: {frontier.vectors} utility vectors, complete: "
    f"{frontier.complete} ({time.perf_counter() - start:.1f} s)"
)
# How far can each reservation value move before the egalitarian package changes? Each
# threshold is found by a few exact solves, not by enumerating the 10^10 packages.
start = time.perf_counter()
points = bg.tipping_points(boxes, "egalitarian")
print(f"  egalitarian tipping points ({time.perf_counter() - start:.1f} s):")
print(points)

# 3. An ANAC-style tournament: every strategy against every other, in both roles.
domains = {name: bg.genius.load(DATA / name) for name in ("y2011/Laptop", "y2013/Ultimatum")}
table = bg.tournament(
    domains, ["boulware", "linear", "conceder", "titfortat"], repetitions=2, rng=0
)
print("\nTournament (alternating offers, 2 repetitions):")
print(table)

# 4. How robust is Laptop's Nash package to the reservation values? Each is drawn from a
# 0.2-wide interval around it, moved up to start at 0 where it would go below (GENIUS
# reservation values are >= 0; Laptop's are 0, so each is uniform on [0, 0.2]).
uncertainty = {
    (party, "disagreement"): st.uniform(max(0.0, value - 0.1), 0.2)
    for party, value in zip(laptop.party_names, laptop.disagreement)
}
result = bg.robustness(laptop, uncertainty, draws=2000, rng=0)
print(
    f"\nLaptop's Nash package under uncertain reservation values (width 0.2): kept in "
    f"{result.base_share:.0%} of 2000 draws, a deal in {result.agreement_rate:.0%}"
)

# 5. A what-if written back for GENIUS: the seller no longer offers the 60 Gb disk.
changed = laptop.drop_option("Harddisk", "60 Gb")
folder = bg.genius.save(changed, Path(tempfile.mkdtemp()) / "laptop-without-60gb")
again = bg.genius.load(folder)
every = np.arange(changed.space.size)
print(f"\nSaved {sorted(p.name for p in folder.iterdir())}")
print(
    "Loads back with the same utilities on every package: "
    f"{np.array_equal(again.utilities_of(every), changed.utilities_of(every))}"
)
# (The buyer's weights summed above 1, so GENIUS capped its utility at 1; without the
# 60 Gb disk the sum cannot pass 1 any more, and the capped utility loads back additive.)
