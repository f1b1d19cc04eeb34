"""Every classic bargaining solution side by side: on packages, on lotteries, and with a
continuous issue.

Run: python examples/classic_concepts.py

The numbers are illustrative, not estimates. Three parties share a budget (a
continuous issue, the fraction going to reconstruction) and settle a discrete
question (who monitors the ceasefire); then the same parties bargain over a
finite menu of twelve packages, first as it is, then with lotteries allowed.
"""

import numpy as np

import bargain as bg

budget = bg.Issue.continuous("reconstruction share", 0.0, 1.0)
monitor = bg.Issue("monitor", ["UN", "OSCE", "joint commission"])
space = bg.OutcomeSpace([budget, monitor])

donor = bg.Party(
    "Donor",
    bg.AdditiveUtility(
        values={"reconstruction share": bg.shapes.power(0.5), "monitor": [0.2, 0.5, 0.1]}
    ),
)
host = bg.Party(
    "Host",
    bg.AdditiveUtility(
        values={"reconstruction share": bg.shapes.linear(0.8, 0.2), "monitor": [0.0, 0.1, 0.4]}
    ),
    disagreement=0.3,
)
treasury = bg.Party(
    "Treasury",
    bg.AdditiveUtility(
        values={
            "reconstruction share": bg.shapes.piecewise_linear([(0, 1), (0.6, 0.7), (1, 0)]),
            "monitor": [0.3, 0.2, 0.0],
        }
    ),
    red_lines=[{"reconstruction share": (0.8, 1.0)}],
)
mixed = bg.Problem(space, [donor, host, treasury])
print("A continuous budget share and a discrete monitor (every concept, exact):")
print(bg.compare(mixed))

# Twelve packages, none dominated: each splits one unit of value three ways.
rng = np.random.default_rng(7)
menu = bg.Problem.from_utilities(
    rng.dirichlet([2, 2, 2], size=12).round(3),
    disagreement=[0.1, 0.1, 0.1],
    names=["Donor", "Host", "Treasury"],
)
print("\nTwelve packages on the table:")
print(bg.compare(menu))
print("\nThe same, lotteries over packages allowed:")
print(bg.compare(menu, lotteries=True))
print()
print(bg.nash(menu, lotteries=True))
