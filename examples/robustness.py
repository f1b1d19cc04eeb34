"""How robust is the peace deal? Runners-up, tipping points, a sweep and Monte Carlo.

Every number of the ``ukraine-2025`` scenario is an analyst's judgement. This
script asks, in turn: how far ahead is the Nash package of its runners-up;
which single numbers are closest to flipping it, and what takes over; what
happens as one weight moves; and how often the package survives modest noise
on every number at once, issue by issue.

Run it with ``python examples/robustness.py``.
"""

import scipy.stats as st

import bargain as bg

problem = bg.scenarios.load("ukraine-2025")
deal = bg.nash(problem)
print("The Nash package of the peace talks:")
for issue, option in deal.outcome.items():
    print(f"  {issue:<12} {option}")

# 1. Runners-up: the five best packages and how far each trails (log Nash product).
ranking = bg.ranking(problem, k=5)
print("\n1. The runners-up")
print(ranking)
runner_up = ranking.packages[1]
changed = {k: v for k, v in runner_up.outcome.items() if deal.outcome[k] != v}
print(f"The runner-up differs on {changed} and trails by {runner_up.margin:.4f}.")

# 2. Tipping points: for every number, the nearest values that flip the package.
tipping = bg.tipping_points(problem)
print("\n2. The numbers closest to flipping the deal")
closest = tipping.rows[:8]
for row in closest:
    sides = []
    for label, value, package in (
        ("down to", row.lower, row.lower_package),
        ("up to", row.upper, row.upper_package),
    ):
        if value is not None:
            sides.append(f"{label} {value:.4g} (then package {package})")
    name = " / ".join(map(str, row.selector))
    print(f"  {name:<60} now {row.value:<6.4g} flips {'; '.join(sides)}")
never = sum(row.lower is None and row.upper is None for row in tipping.rows)
print(f"  ... {never} of {len(tipping)} numbers never flip it within their range.")

# 3. One number swept, with the exact breakpoints between the values.
number = closest[0].selector
low, high = (
    (closest[0].lower or closest[0].value) * 0.9,
    (closest[0].upper or closest[0].value) * 1.1,
)
sweep = bg.sweep(problem, number, [low, closest[0].value, high])
print(f"\n3. Sweeping {' / '.join(map(str, number))}")
print(sweep)

# 4. Monte Carlo: values +/-0.05, weights +/-30 %, no-deal values +/-0.05 on every number.
noise = bg.noise(values=0.05, weights=0.3, disagreement=0.05)
result = bg.robustness(problem, noise, draws=5000, rng=0)
print(f"\n4. Under noise ({noise}):")
print(f"  the exact package comes out in {result.base_share:.0%} of the draws")
print(f"  some deal is reached in {result.agreement_rate:.0%}")
print("  per issue, how often the package's option holds:")
for issue, option in deal.outcome.items():
    print(f"    {issue:<12} {option:<26} {result.marginals[issue][option]:6.1%}")

# 5. Uncertainty on chosen numbers only, with scipy.stats distributions.
first = problem.party_names[0]
uncertain = {(first, "disagreement"): st.uniform(deal.utilities[first] - 0.2, 0.3)}
focused = bg.robustness(problem, uncertain, draws=2000, rng=0)
print(f"\n5. With only {first}'s no-deal value uncertain (uniform on a 0.3 range):")
print(f"  the package holds in {focused.base_share:.0%}, a deal in {focused.agreement_rate:.0%}")
