"""Peace talks as a process: who concedes what, round by round.

Runs stacked alternating offers among every party of the built-in peace-talks
scenario ``ukraine-2025`` and compares the agreement with the Nash package of
the same problem. Then compares like with like for the two belligerents:
Zeuthen–Harsanyi concession, Rubinstein's subgame-perfect split and the Nash
package, all on one two-party problem, ``ukraine-2025-us-walks-away``, where
the United States' issues are settled and stated (US aid ends, no US
business) rather than decided by two parties who do not own them.

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
            verb = f"concedes {drop:.3f}" if drop > 0 else f"asks {-drop:.3f} more"
            print(
                f"  round {offer.round:>3}  {offer.proposer:<14} {verb} "
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
        print("\nFor comparison, the Nash package of the same three-party problem:")
        for issue, option in nash.outcome.items():
            mark = "" if trace.agreement and trace.outcome[issue] == option else "   <- differs"
            print(f"  {issue:<24} {option}{mark}")

    duo = bg.scenarios.load("ukraine-2025-us-walks-away")
    pair = list(duo.party_names)
    print(f"\nRussia and Ukraine alone: {duo.notes['scenario']['title']}")
    settled = [issue for issue in duo.space.issues if len(issue) == 1]
    print("Settled and stated: " + ", ".join(f"{i.name} = {i.options[0]}" for i in settled))
    print(f"\nZeuthen–Harsanyi concession between {pair[0]} and {pair[1]}:")
    zeuthen = bg.simulate(duo, protocol="zeuthen", rounds=500)
    print(zeuthen)
    print("\nWho concedes what:")
    concessions(zeuthen)
    duo_nash = bg.nash(duo)
    if zeuthen.agreement:
        print(f"\nZeuthen agreement {zeuthen.outcome}")
        print(f"Nash package      {duo_nash.outcome}")
        print(f"Same package: {zeuthen.outcome == duo_nash.outcome}")

    r = bg.rubinstein(duo, discount={pair[0]: 0.95, pair[1]: 0.9}, proposer=pair[0])
    print(f"\nRubinstein alternating offers between {pair[0]} and {pair[1]}:")
    print(r)


if __name__ == "__main__":
    main()
