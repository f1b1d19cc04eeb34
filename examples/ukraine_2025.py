"""The April 2025 peace talks on the war in Ukraine: the analysis, printed, and a report.

Run: python examples/ukraine_2025.py [report.html]

Loads the built-in scenario ``ukraine-2025`` (the United States, Russia and
Ukraine at the table, Europe an observer; six issues; every number with a
rationale tied to a news report of the talks; no-deal values derived from a
model of continued war) and prints:
the modelling choices; every concept's package with gains, ties and the
runner-up's margin; where the no-deal values come from; how far each one can
move before the Nash package changes (the threat analysis); the United
States' threat to walk away as a chain of single changes; the talks once it
has walked away; and Russia's front-line offer taken with its price. Then it
writes the whole analysis as one self-contained HTML report.

The numbers are illustrative judgements to explore, not a forecast.
"""

import sys

import bargain as bg
from bargain.report import THREAT_REACH, runner_up, write
from bargain.threats import threat_path
from bargain.whatif import whatif_chain

output = sys.argv[1] if len(sys.argv) > 1 else "ukraine_2025.html"


def package(outcome: dict | None) -> str:
    return "no deal" if outcome is None else "; ".join(outcome.values())


talks = bg.scenarios.load("ukraine-2025")
print(talks.notes["scenario"]["title"])
print(f"{talks.space.size} packages; parties at the table: {', '.join(talks.party_names)}")
print(f"observers (utilities reported, no veto): {', '.join(talks.observer_names)}")
print(talks.notes["scenario"]["rationale"])

print("\nEvery concept (utility, gain over no deal), ties and the runner-up's margin:")
comparison = bg.compare(talks)
print(comparison)
for concept, solution in comparison.solutions.items():
    second = runner_up(talks, solution)
    gains = ", ".join(f"{name} {gain:+.3f}" for name, gain in solution.gains.items())
    print(f"  {concept:<18} gains {gains}; {len(solution.ties)} tie(s)")
    print(f"  {'':<18} runner-up by {second.margin:.4f}: {package(second.outcome)}")

print("\nNo deal is continued war (Fearon 1995): expected utility of how it ends minus its cost")
war = talks.war
for outcome in war.outcomes:
    p = outcome.probability
    print(f"  {outcome.name:<17} p = {p.value:.2f} ({p.low:.2f} to {p.high:.2f})")
values = war.values(talks)
for name, cost in war.costs.items():
    print(
        f"  {name:<17} cost {cost.value:.2f} ({cost.low:.2f} to {cost.high:.2f}) "
        f"-> no-deal value {values[name]:.4f}"
    )

print(f"\nThreats: how far each no-deal value can move (within {THREAT_REACH}) before the")
print("Nash package changes (exact breakpoints):")
for j, name in enumerate(talks.party_names):
    d = float(talks.disagreement[j])
    path = threat_path(talks, name, d - THREAT_REACH, d + THREAT_REACH)
    held = path.segment(d)
    low = "none within reach" if held is path.segments[0] else f"{held.low:.4f}"
    high = "none within reach" if held is path.segments[-1] else f"{held.high:.4f}"
    print(f"  {name:<14} at {d:.4f}; tips below at {low}, above at {high}")

print()
chain = whatif_chain(talks, bg.scenarios.whatifs("ukraine-2025"))
print(chain)
threat = [step for step in chain.steps if step.problem.space == talks.space]
moved = {
    name: threat[-1].utilities[name] - threat[0].utilities[name] for name in threat[0].utilities
}
print(f"Who gains from the United States' threat to walk away (steps 1 to {len(threat) - 1}):")
print("  " + ", ".join(f"{name} {change:+.4f}" for name, change in moved.items()))
if all(step.solution.index == threat[0].solution.index for step in threat):
    print("  The Nash package does not move: no no-deal value crosses its tipping value.")

walked = bg.scenarios.load("ukraine-2025-us-walks-away")
after = bg.nash(walked)
print("\nOnce the United States has walked away (its issues settled: US aid ends, no US")
print("business; US de jure recognition gone; war re-modelled without US aid):")
print(after)

offer = bg.scenarios.load("ukraine-2025-front-line-offer")
solution = bg.nash(offer)
print("\nRussia's offer to stop at the front line, with its price (Crimea recognized")
print("internationally and NATO barred) on every line short of all four regions, meets")
print("Ukraine's refusal to recognize the occupation of Crimea:")
print(f"  Nash: {package(solution.outcome if solution.agreement else None)}")

print("\nThe other change the old variant made, alone: Russia values the current front line")
print("0.9 instead of 0.75 (one number, every other as in ukraine-2025):")
keener = talks.with_number(("Russia", "value", "territory", "current front line"), 0.9)
for concept, before in comparison.solutions.items():
    after = bg.solve(keener, concept)
    moved = {k: v for k, v in after.outcome.items() if before.outcome[k] != v}
    print(f"  {concept:<18} {moved if moved else 'unchanged'}")

path = write(talks, output, name="ukraine-2025", chain=chain)
print(f"\nwrote the report to {path}")
