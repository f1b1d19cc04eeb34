"""Solution concepts by name: :func:`solve` and :func:`compare`.

Each concept module registers its function in :data:`CONCEPTS` here; faces
(the command line, scenario scripts) look concepts up by name and never
import concept modules one by one.
"""

from __future__ import annotations

import inspect
import textwrap
from collections.abc import Callable, Mapping
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

SHOWN_TIES = 5
"""A :class:`Comparison` lists at most this many tied packages per concept (and counts
the rest)."""

TEXT_WIDTH = 88
"""Where long free text (tied packages here, descriptions and notes on the command line)
is wrapped."""


def solve(problem: Problem, concept: str = "nash", **options: object) -> Solution:
    """Solve ``problem`` with the concept called ``concept``.

    >>> import bargain as bg
    >>> bg.solve(bg.Problem.from_utilities([[5, 1], [1, 5], [2, 2]]), "nash").ties
    (0, 1)
    """
    require_problem(problem, "solve")
    concept = check_concept(concept, "solve")
    check_options(concept, options, "solve")
    return CONCEPTS[concept](problem, **options)


def check_concept(concept: object, caller: str) -> str:
    """``concept``, a name of :data:`CONCEPTS` (else a bargain error naming ``caller``)."""
    if not isinstance(concept, str):
        raise BargainTypeError(f"{caller}: concept must be a concept name, got {concept!r}")
    if concept not in CONCEPTS:
        raise UnknownNameError(
            f"{caller}: unknown concept {concept!r}; concepts are {sorted(CONCEPTS)}"
        )
    return concept


def check_options(concept: str, options: Mapping[str, object], caller: str) -> None:
    """Reject an option ``concept``'s function does not take, naming it and the ones it does
    (their values are checked by the concept itself)."""
    parameters = inspect.signature(CONCEPTS[concept]).parameters
    known = [name for name, p in parameters.items() if p.kind is inspect.Parameter.KEYWORD_ONLY]
    unknown = [name for name in options if name not in known]
    if unknown:
        raise UnknownNameError(
            f"{caller}: unknown option {unknown[0]!r} for concept {concept!r}; its options "
            f"are {known}"
        )


@dataclass(frozen=True)
class Comparison:
    """Every concept's solution of one problem, side by side."""

    problem: Problem
    solutions: dict[str, Solution]

    def __getitem__(self, concept: str) -> Solution:
        return self.solutions[concept]

    def __str__(self) -> str:
        """Every concept side by side, next to no deal: packages, ties, utilities and gains.

        A concept whose best packages tie shows the lowest index in the table; the
        others (at most :data:`SHOWN_TIES`) are listed below it, with what differs
        and what each party gets. A lottery shows its most probable package and
        that package's probability.
        """
        problem = self.problem
        solutions = list(self.solutions.values())
        names = problem.party_names
        no_deal = dict(zip(names, map(float, problem.disagreement)))
        rows = [("", "no deal", *self.solutions)]
        rows += [
            (issue, _EMPTY, *(_cell(s, issue) for s in solutions)) for issue in problem.space.names
        ]
        if any(s.lottery for s in solutions):
            probabilities = (
                f"{dict(s.lottery)[s.index] if s.lottery else float(s.agreement):.4f}"
                for s in solutions
            )
            rows.append(("probability", _EMPTY, *probabilities))
        rows.append(("tied packages", _EMPTY, *map(_tied, solutions)))
        for j, name in enumerate(names):
            utilities = (f"{s.utilities[name]:.4f}" for s in solutions)
            label = f"{'utility' if j == 0 else '':<7}  {name}"
            rows.append((label, f"{no_deal[name]:.4f}", *utilities))
        for j, name in enumerate(names):
            gains = (f"{s.gains[name]:+.4f}" for s in solutions)
            rows.append((f"{'gain' if j == 0 else '':<7}  {name}", _EMPTY, *gains))
        widths = [max(len(row[c]) for row in rows) for c in range(len(rows[0]))]
        lines = [
            f"{row[0]:<{widths[0]}}  "
            + "  ".join(f"{text:>{width}}" for text, width in zip(row[1:], widths[1:]))
            for row in rows
        ]
        for solution in solutions:
            if len(solution.ties) > 1:
                lines += ["", *_ties_text(solution)]
        return "\n".join(lines)


_EMPTY = "-"


def _cell(solution: Solution, issue: str) -> str:
    if not (solution.agreement and solution.outcome):
        return "no deal"
    value = solution.outcome[issue]
    return f"{value:.6g}" if isinstance(value, float) else str(value)


def _tied(solution: Solution) -> str:
    count = len(solution.ties)
    if count <= 1:
        return "1" if solution.agreement else _EMPTY  # a continuous optimum lists no ties
    return f"{count}{'+' if solution.ties_truncated else ''} (below)"


def _ties_text(solution: Solution) -> list[str]:
    """The packages tied with the one a concept shows, and how they differ from it."""
    problem = solution.problem
    count = f"{len(solution.ties)}{' or more' if solution.ties_truncated else ''}"
    lines = [
        f"{solution.concept}: {count} packages tie; the table shows package {solution.index}, "
        "the lowest index; also best:"
    ]
    shown = solution.outcome
    for index in solution.ties[1:SHOWN_TIES]:
        outcome = problem.space.outcome(index)
        changes = ", ".join(f"{k}: {v}" for k, v in outcome.items() if v != shown[k])
        utilities = ", ".join(
            f"{name} {u:.4f}" for name, u in zip(problem.party_names, problem.utilities(index))
        )
        lines += [
            wrapped(f"package {index}: {changes}"),
            wrapped(f"utilities {utilities}", "    "),
        ]
    rest = len(solution.ties) - SHOWN_TIES
    if rest > 0 or solution.ties_truncated:
        lines.append(f"  and {rest}{' or more' if solution.ties_truncated else ''} more")
    return lines


def wrapped(text: str, indent: str = "  ") -> str:
    """``text`` wrapped at :data:`TEXT_WIDTH`, continuation lines indented twice as far."""
    return textwrap.fill(text, TEXT_WIDTH, initial_indent=indent, subsequent_indent=indent * 2)


def compare(problem: Problem, concepts: list[str] | None = None, **options: object) -> Comparison:
    """Solve ``problem`` with every concept (or the named ones), side by side.

    >>> import bargain as bg
    >>> table = bg.compare(bg.Problem.from_utilities([[5, 1], [3, 3]], names=["A", "B"]))
    >>> print(table)
                   no deal     nash  kalai_smorodinsky  egalitarian  utilitarian
    alternative          -        1                  1            1            0
    tied packages        -        1                  1            1    2 (below)
    utility  A      0.0000   3.0000             3.0000       3.0000       5.0000
             B      0.0000   3.0000             3.0000       3.0000       1.0000
    gain     A           -  +3.0000            +3.0000      +3.0000      +5.0000
             B           -  +3.0000            +3.0000      +3.0000      +1.0000
    <BLANKLINE>
    utilitarian: 2 packages tie; the table shows package 0, the lowest index; also best:
      package 1: alternative: 1
        utilities A 3.0000, B 3.0000
    >>> print(bg.compare(bg.Problem.from_utilities([[5, 1], [1, 5]]), ["nash"], lotteries=True))
                   no deal     nash
    alternative          -        0
    probability          -   0.5000
    tied packages        -        1
    utility  P1     0.0000   3.0000
             P2     0.0000   3.0000
    gain     P1          -  +3.0000
             P2          -  +3.0000
    """
    require_problem(problem, "compare")
    chosen = list(CONCEPTS) if concepts is None else list(concepts)
    return Comparison(problem, {name: solve(problem, name, **options) for name in chosen})
