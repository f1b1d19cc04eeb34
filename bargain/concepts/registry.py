"""Solution concepts by name: :func:`solve` and :func:`compare`.

Each concept module registers its function in :data:`CONCEPTS` here; faces
(the command line, scenario scripts) look concepts up by name and never
import concept modules one by one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..errors import BargainTypeError, UnknownNameError
from ..problem import Problem, require_problem
from ..solution import Solution
from .nash import nash

__all__ = ["CONCEPTS", "Comparison", "compare", "solve"]

CONCEPTS: dict[str, Callable[..., Solution]] = {"nash": nash}
"""Every solution concept by name, in the order :func:`compare` shows them."""


def solve(problem: Problem, concept: str = "nash", **options: object) -> Solution:
    """Solve ``problem`` with the concept called ``concept``.

    >>> import bargain as bg
    >>> bg.solve(bg.Problem.from_utilities([[5, 1], [1, 5], [2, 2]]), "nash").ties
    (0, 1)
    """
    require_problem(problem, "solve")
    if not isinstance(concept, str):
        raise BargainTypeError(f"solve: concept must be a concept name, got {concept!r}")
    if concept not in CONCEPTS:
        raise UnknownNameError(
            f"solve: unknown concept {concept!r}; concepts are {sorted(CONCEPTS)}"
        )
    return CONCEPTS[concept](problem, **options)


@dataclass(frozen=True)
class Comparison:
    """Every concept's solution of one problem, side by side."""

    problem: Problem
    solutions: dict[str, Solution]

    def __getitem__(self, concept: str) -> Solution:
        return self.solutions[concept]

    def __str__(self) -> str:
        names = list(self.solutions)
        issues = list(self.problem.space.names)
        label = max(len(x) for x in [*issues, *self.problem.party_names, "package"])
        width = max(12, *(len(n) for n in names))
        rows = [f"{'':<{label}}  " + "  ".join(f"{n:>{width}}" for n in names)]
        for issue in issues:
            cells = [
                str(s.outcome[issue]) if s.agreement and s.outcome else "no deal"
                for s in self.solutions.values()
            ]
            rows.append(f"{issue:<{label}}  " + "  ".join(f"{c[:width]:>{width}}" for c in cells))
        for party in self.problem.party_names:
            cells = [f"{s.utilities[party]:.4f}" for s in self.solutions.values()]
            rows.append(f"{party:<{label}}  " + "  ".join(f"{c:>{width}}" for c in cells))
        return "\n".join(rows)


def compare(problem: Problem, concepts: list[str] | None = None, **options: object) -> Comparison:
    """Solve ``problem`` with every concept (or the named ones), side by side.

    >>> import bargain as bg
    >>> table = bg.compare(bg.Problem.from_utilities([[5, 1], [3, 3]], names=["A", "B"]))
    >>> print(table)
                         nash
    alternative             1
    A                  3.0000
    B                  3.0000
    """
    require_problem(problem, "compare")
    chosen = list(CONCEPTS) if concepts is None else list(concepts)
    return Comparison(problem, {name: solve(problem, name, **options) for name in chosen})
