"""The built-in scenario library: scenario files shipped inside the package.

The numbers in these scenarios are illustrative judgements to explore, not a
forecast: each carries a one-line rationale tied to its source (see
``bargain show NAME --notes`` or the ``notes`` of the loaded problem).

>>> import bargain as bg
>>> bg.scenarios.names()
('ukraine-2025', 'ukraine-2025-front-line-offer', 'ukraine-2025-us-walks-away')
>>> problem = bg.scenarios.load("ukraine-2025")
>>> problem.party_names
('Russia', 'Ukraine', 'United States', 'Europe')
"""

from __future__ import annotations

from importlib import resources

from .._checks import check_name
from ..errors import UnknownNameError
from ..io import loads
from ..problem import Problem

__all__ = ["load", "names", "text"]

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
