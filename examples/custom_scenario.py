"""Write a small scenario file from Python, load it back and solve it.

Run: python examples/custom_scenario.py [scenario.toml]

A scenario file holds a whole problem: issues and their options, and for each
party its values, weights, disagreement value, power and red lines, with a
free-text rationale (and source) on any number. `bg.save` writes one,
`bg.load` reads it back, equal to what was saved.
"""

import sys
import tempfile
from pathlib import Path

import bargain as bg

price = bg.Issue("price", ["low", "fair", "high"])
delivery = bg.Issue("delivery", ["this month", "next quarter"])
space = bg.OutcomeSpace([price, delivery])

buyer = bg.Party(
    "Buyer",
    bg.AdditiveUtility(
        values={"price": [1.0, 0.6, 0.0], "delivery": [1.0, 0.2]},
        weights={"price": 0.7, "delivery": 0.3},
    ),
    disagreement=0.3,
    notes={
        "disagreement": {"rationale": "a second supplier quotes a fair price, delivery late"},
        "weights.delivery": {"rationale": "the line stops without the parts", "source": "ops"},
    },
)
seller = bg.Party(
    "Seller",
    bg.AdditiveUtility(values={"price": [0.0, 0.6, 1.0], "delivery": [0.3, 1.0]}),
    disagreement=0.5,
    red_lines=[{"price": "low"}],
    notes={"red_lines[0]": {"rationale": "a low price is below cost"}},
)
problem = bg.Problem(space, [buyer, seller], notes={"scenario": {"title": "Parts contract"}})

folder = None if len(sys.argv) > 1 else tempfile.TemporaryDirectory()
path = Path(sys.argv[1]) if folder is None else Path(folder.name) / "contract.toml"
bg.save(problem, path)
print(f"--- {path.name} ---")
print(path.read_text(encoding="utf-8"))

loaded = bg.load(path)
assert loaded == problem and loaded.parties[0].notes == buyer.notes
print(bg.compare(loaded))
print()
print(bg.nash(loaded))
if folder is not None:
    folder.cleanup()
