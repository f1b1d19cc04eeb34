"""Peace talks as a process: who concedes what, round by round.

Runs stacked alternating offers among every party of the built-in peace-talks
scenario ``ukraine-2025``, then Zeuthen–Harsanyi concession and Rubinstein's
subgame-perfect split between the two belligerents.

Run: python examples/peace_talks_process.py
"""

from __future__ import annotations

import bargain as bg


def changes(space: bg.OutcomeSpace, before: int, after: int) -> str:
    """The issues on which package ``after`` differs from ``before``."""
    old, new = space.outcome(before), space.outcome(after)
    moved = [f"{issue}: {old[issue]} -> {new[issue]}" for issue in old if old[issue] != new[issue]]
    return "; ".join(moved) if moved else "no change"


def concessions(trace: bg.Trace) -> None:
    """For each party, what it gave up from one of its offers to the next."""
    problem = trace.problem
    previous: dict[str, bg.Offer] = {}
    for offer in trace.offers:
        earlier = previous.get(offer.proposer)
        if earlier is not None and earlier.index != offer.index:
            j = problem.party_position(offer.proposer)
            drop = earlier.utilities[j] - offer.utilities[j]
            print(
                f"  round {offer.round:>3}  {offer.proposer:<14} concedes {drop:.3f} "
                f"of own utility: {changes(problem.space, earlier.index, offer.index)}"
            )
        previous[offer.proposer] = offer


def main() -> None:
    problem = bg.scenarios.load("ukraine-2025")
    names = problem.party_names
    print("Peace talks as a process: built-in scenario ukraine-2025")
    print(f"{problem.space.size} packages, parties {list(names)}\n")

    players = [
        bg.strategies.Boulware(),
        bg.strategies.TitForTat(generosity=0.3),
        bg.strategies.Conceder(),
        bg.strategies.Linear(),
    ]
    strategies = dict(zip(names, players))
    print("Stacked alternating offers, strategies:")
    for name, strategy in strategies.items():
        print(f"  {name:<14} {strategy!r}")
    trace = bg.simulate(problem, "alternating", strategies, rounds=60, rng=2025)
    print()
    print(trace)
    print("\nWho concedes what:")
    concessions(trace)
    if trace.agreement:
        print("\nAgreed package:")
        for issue, option in trace.outcome.items():
            print(f"  {issue:<24} {option}")
    nash = bg.nash(problem)
    if nash.agreement:
        print("\nFor comparison, the Nash package:", nash.outcome)

    pair = [name for name in names if name in ("Russia", "Ukraine")] or list(names[:2])
    duo = problem.without(*[name for name in names if name not in pair])
    print(f"\nZeuthen–Harsanyi concession between {pair[0]} and {pair[1]}:")
    zeuthen = bg.simulate(duo, protocol="zeuthen", rounds=500)
    print(zeuthen)
    print("\nWho concedes what:")
    concessions(zeuthen)
    if zeuthen.agreement:
        print(f"\nZeuthen agreement {zeuthen.outcome}; Nash package {bg.nash(duo).outcome}")

    r = bg.rubinstein(duo, discount={pair[0]: 0.95, pair[1]: 0.9}, proposer=pair[0])
    print(f"\nRubinstein alternating offers between {pair[0]} and {pair[1]}:")
    print(r)


if __name__ == "__main__":
    main()
