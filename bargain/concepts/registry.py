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
from .egalitarian_solution import egalitarian
from .kalai_smorodinsky_solution import kalai_smorodinsky
from .nash_solution import nash
from .utilitarian_solution import utilitarian

__all__ = ["CONCEPTS", "Comparison", "compare", "solve"]

CONCEPTS: dict[str, Callable[..., Solution]] = {
    "nash": nash,
    "kalai_smorodinsky": kalai_smorodinsky,
    "egalitarian": egalitarian,
    "utilitarian": utilitarian,
}
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
        solutions = list(self.solutions.values())
        rows = [("", *self.solutions)]
        rows += [
            (issue, *(_cell(s, issue) for s in solutions)) for issue in self.problem.space.names
        ]
        if any(s.lottery for s in solutions):
            # A lottery shows its most probable package, and here that package's probability.
            rows.append(
                (
                    "probability",
                    *(
                        f"{dict(s.lottery)[s.index] if s.lottery else float(s.agreement):.4f}"
                        for s in solutions
                    ),
                )
            )
        rows += [
            (party, *(f"{s.utilities[party]:.4f}" for s in solutions))
            for party in self.problem.party_names
        ]
        widths = [max(len(row[c]) for row in rows) for c in range(len(rows[0]))]
        return "\n".join(
            f"{row[0]:<{widths[0]}}  "
            + "  ".join(f"{cell:>{width}}" for cell, width in zip(row[1:], widths[1:]))
            for row in rows
        )


def _cell(solution: Solution, issue: str) -> str:
    if not (solution.agreement and solution.outcome):
        return "no deal"
    value = solution.outcome[issue]
    return f"{value:.6g}" if isinstance(value, float) else str(value)


def compare(problem: Problem, concepts: list[str] | None = None, **options: object) -> Comparison:
    """Solve ``problem`` with every concept (or the named ones), side by side.

    >>> import bargain as bg
    >>> table = bg.compare(bg.Problem.from_utilities([[5, 1], [3, 3]], names=["A", "B"]))
    >>> print(table)
                   nash  kalai_smorodinsky  egalitarian  utilitarian
    alternative       1                  1            1            0
    A            3.0000             3.0000       3.0000       5.0000
    B            3.0000             3.0000       3.0000       1.0000
    >>> print(bg.compare(bg.Problem.from_utilities([[5, 1], [1, 5]]), ["nash"], lotteries=True))
                   nash
    alternative       0
    probability  0.5000
    P1           3.0000
    P2           3.0000
    """
    require_problem(problem, "compare")
    chosen = list(CONCEPTS) if concepts is None else list(concepts)
    return Comparison(problem, {name: solve(problem, name, **options) for name in chosen})
