"""The built-in scenario library: scenario files shipped inside the package.

The numbers in these scenarios are illustrative judgements to explore, not a
forecast: each carries a one-line rationale tied to its source (see
``bargain show NAME --notes`` or the ``notes`` of the loaded problem).

>>> import bargain as bg
>>> bg.scenarios.names()
('ukraine-2025', 'ukraine-2025-front-line-offer', 'ukraine-2025-us-walks-away')
>>> problem = bg.scenarios.load("ukraine-2025")
>>> problem.party_names
('Russia', 'Ukraine', 'United States')
"""

from __future__ import annotations

from importlib import resources

from .._checks import check_name
from ..errors import UnknownNameError
from ..io import loads
from ..problem import Problem
from ..whatif import Change

__all__ = ["load", "names", "text", "whatifs"]

SUFFIX = ".toml"


def names() -> tuple[str, ...]:
    """The names of the built-in scenarios, sorted."""
    files = resources.files(__name__).iterdir()
    return tuple(sorted(f.name[: -len(SUFFIX)] for f in files if f.name.endswith(SUFFIX)))


def text(name: str) -> str:
    """The TOML text of the built-in scenario ``name`` (to read or to copy and edit)."""
    check_name(name, "scenario name")
    if name not in names():
        raise UnknownNameError(f"no built-in scenario {name!r}; scenarios are {list(names())}")
    return resources.files(__name__).joinpath(name + SUFFIX).read_text(encoding="utf-8")


def load(name: str) -> Problem:
    """The built-in scenario ``name`` as a :class:`~bargain.Problem`, with its notes."""
    return loads(text(name), source=name + SUFFIX)


def _us_walks_away() -> list[tuple[str, Change]]:
    """The United States walks away from the talks, one change at a time.

    The first three steps are the threat alone (the US still at the table): continued war
    would be fought without US aid, re-modelled in ``ukraine-2025-us-walks-away``'s
    ``[war]`` table, which moves Ukraine's, Russia's and Europe's no-deal values. Then
    the US leaves (the issues it owns settle at their stated defaults) and US de jure
    recognition of Crimea leaves with it; the last problem is
    ``ukraine-2025-us-walks-away``.
    """
    walked = load("ukraine-2025-us-walks-away").war

    def war_without_us(name: str) -> Change:
        def change(problem: Problem) -> Problem:
            return problem.with_number((name, "disagreement"), walked.values(problem)[name])

        return change

    def falls(name: str, verb: str) -> str:
        return f"{name}'s no-deal value {verb}: continued war would be fought without US aid"

    return [
        (falls("Ukraine", "falls"), war_without_us("Ukraine")),
        (falls("Russia", "rises"), war_without_us("Russia")),
        (falls("Europe", "falls") + " (an observer)", war_without_us("Europe")),
        (
            "The United States leaves the table: US aid ends, no US business (its defaults)",
            lambda problem: problem.without("United States"),
        ),
        (
            "US de jure recognition of Crimea leaves the table with the United States",
            lambda problem: problem.drop_option("crimea", "United States de jure"),
        ),
    ]


_WHATIFS = {"ukraine-2025": _us_walks_away}


def whatifs(name: str) -> list[tuple[str, Change]]:
    """The documented what-if chain of the built-in scenario ``name`` (empty if it has none):
    steps for :func:`bargain.whatif_chain`, each one change.

    >>> import bargain as bg
    >>> [change for change, _ in bg.scenarios.whatifs("ukraine-2025")][0]
    "Ukraine's no-deal value falls: continued war would be fought without US aid"
    """
    check_name(name, "scenario name")
    if name not in names():
        raise UnknownNameError(f"no built-in scenario {name!r}; scenarios are {list(names())}")
    return _WHATIFS[name]() if name in _WHATIFS else []
