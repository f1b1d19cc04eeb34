"""A first bargaining problem: two parties, two issues, the exact Nash package.

Run: python examples/quickstart.py

The numbers are illustrative judgements, not estimates: they show how to
write a problem down, not what the parties really want.
"""

import bargain as bg

territory = bg.Issue(
    "territory", ["1991 borders", "pre-2022 line", "current front line", "four oblasts"]
)
nato = bg.Issue("nato", ["membership path", "postponed", "permanent neutrality"])
space = bg.OutcomeSpace([territory, nato])

russia = bg.Party(
    "Russia",
    bg.AdditiveUtility(
        values={"territory": [0.0, 0.2, 0.8, 1.0], "nato": [0.0, 0.4, 1.0]},
        weights={"territory": 0.6, "nato": 0.4},
    ),
    disagreement=0.3,
    red_lines=[{"nato": ["membership path"]}],
)
ukraine = bg.Party(
    "Ukraine",
    bg.AdditiveUtility(
        values={"territory": [1.0, 0.7, 0.35, 0.0], "nato": [1.0, 0.6, 0.1]},
        weights={"territory": 0.7, "nato": 0.3},
    ),
    disagreement=0.25,
)
problem = bg.Problem(space, [russia, ukraine])

print(f"{problem.space.size} packages, parties {', '.join(problem.party_names)}\n")
symmetric = bg.nash(problem)
print(symmetric)
print()
stronger = bg.nash(problem.replace_party("Russia", power=2.0))
print("If Russia had twice Ukraine's bargaining power:")
print(stronger)
print()
print(bg.pareto_frontier(problem))
