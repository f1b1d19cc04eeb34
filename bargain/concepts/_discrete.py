"""What every concept on a discrete space shares: options checked once, the
engine called, its result turned into a :class:`~bargain.Solution`."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .. import engine
from .._checks import check_real
from ..errors import BargainTypeError, ValidationError
from ..problem import Problem
from ..solution import Solution


@dataclass(frozen=True)
class SearchOptions:
    """Validated solver options shared by the discrete concepts."""

    tie_tol: float = engine.DEFAULT_TIE_TOLERANCE
    max_ties: int = engine.DEFAULT_MAX_TIES
    memory_budget: int = engine.DEFAULT_MEMORY_BUDGET
    prune: bool = True

    @classmethod
    def checked(cls, concept: str, tie_tol, max_ties, memory_budget, prune) -> SearchOptions:
        tie_tol = check_real(tie_tol, f"{concept}: tie_tol", minimum=0.0)
        for field, value, minimum in (
            ("max_ties", max_ties, 1),
            ("memory_budget", memory_budget, 2**16),
        ):
            if isinstance(value, bool) or not isinstance(value, int | np.integer):
                raise BargainTypeError(f"{concept}: {field} must be an integer, got {value!r}")
            if value < minimum:
                raise ValidationError(f"{concept}: {field} must be >= {minimum}, got {value!r}")
        if not isinstance(prune, bool):
            raise BargainTypeError(f"{concept}: prune must be True or False, got {prune!r}")
        return cls(tie_tol, int(max_ties), int(memory_budget), prune)


def best_package(
    problem: Problem, concept: str, objective: engine.Objective, options: SearchOptions
) -> Solution:
    """Run the engine for ``objective`` and wrap the best package as a Solution."""
    found = search(problem, objective, options)
    stats = {"method": "blocks", "scored": found.scored, "pruned": options.prune}
    return package_solution(problem, concept, found, stats)


def search(problem: Problem, objective: engine.Objective, options: SearchOptions) -> engine.Best:
    """The engine's best rational packages for ``objective`` under ``options``."""
    return engine.argmax(
        engine.compiled(problem, options.memory_budget),
        objective,
        tie_tol=options.tie_tol,
        max_ties=options.max_ties,
        memory_budget=options.memory_budget,
        prune=options.prune,
    )


def package_solution(problem: Problem, concept: str, found: engine.Best, stats: dict) -> Solution:
    """Wrap the engine's best packages (the first one is chosen) as a Solution."""
    names = problem.party_names
    if not found.found:
        return Solution(
            problem=problem,
            concept=concept,
            index=None,
            ties=(),
            utilities=dict(zip(names, map(float, problem.disagreement))),
            agreement=False,
            score=-math.inf,
            stats=stats,
        )
    utilities = problem.utilities(int(found.indices[0]))  # the one summation order
    return Solution(
        problem=problem,
        concept=concept,
        index=int(found.indices[0]),
        ties=tuple(int(i) for i in found.indices),
        utilities=dict(zip(names, map(float, utilities))),
        agreement=True,
        score=float(found.score),
        ties_truncated=found.truncated,
        stats=stats,
    )
