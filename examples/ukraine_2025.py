"""The April 2025 peace talks on the war in Ukraine, solved with every concept.

Run: python examples/ukraine_2025.py [picture.png]

Loads the built-in scenario ``ukraine-2025`` (four parties, six issues, every
number with a one-line rationale tied to a news report of the talks), solves it
with every available solution concept, shows what changes when the United
States walks away from the talks and when Russia's offer to stop at the front
line is taken at its word, and saves a picture of the utility space.

The numbers are illustrative judgements to explore, not a forecast.
"""

import sys

import bargain as bg
from bargain.errors import MissingDependencyError

picture = sys.argv[1] if len(sys.argv) > 1 else "ukraine_2025.png"

talks = bg.scenarios.load("ukraine-2025")
print(talks.notes["scenario"]["title"])
print(f"{talks.space.size} packages; parties {', '.join(talks.party_names)}\n")

comparison = bg.compare(talks)
print(comparison)
print()
nash = comparison["nash"]
print(nash)
print("\nWhy: every party gains over continued war. The package is the US proposals")
print("the article reports (the front line, US recognition of Crimea, European")
print("peacekeepers) plus the NATO bar Russia demands; Ukraine keeps US aid and Russia")
print("gets no US business deals.\n")

walked = bg.scenarios.load("ukraine-2025-us-walks-away")
after = bg.nash(walked)
print("If the United States walks away (Rubio: 'we're done'):")
for issue, option in nash.outcome.items():
    now = after.outcome[issue] if after.agreement else "no deal"
    mark = "" if now == option else "   <- changed"
    print(f"  {issue:<11} {option:<24} -> {now}{mark}")
print(f"  {'party':<11} {'utility before':>14} {'after':>8} {'gain before':>12} {'after':>8}")
for party in walked.party_names:
    print(
        f"  {party:<11} {nash.utilities[party]:>14.3f} {after.utilities[party]:>8.3f}"
        f" {nash.gains[party]:>12.3f} {after.gains[party]:>8.3f}"
    )
print()

offer = bg.nash(bg.scenarios.load("ukraine-2025-front-line-offer"))
print("Russia's offer to stop at the front line, with its reported price: the front")
print("line only with Crimea recognized internationally and NATO barred. Ukraine's red")
print("line excludes international recognition, so the front line drops off the table")
print("and the bargain moves to a line worse for Ukraine:")
print(offer)
print()

try:
    figure = bg.plot(talks, title=talks.notes["scenario"]["title"])
except MissingDependencyError as exc:
    print(f"no picture: {exc}")
else:
    figure.savefig(picture, dpi=110)
    print(f"saved the utility space to {picture}")
