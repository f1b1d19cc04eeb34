"""One entry point for every concept: discrete packages, lotteries or continuous issues."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..errors import BargainTypeError, OutOfRangeError, ValidationError
from ..problem import Problem, require_discrete
from ..solution import Solution
from ._criteria import Goal
from ._discrete import Run, SearchOptions
from .continuous import solve_continuous
from .lotteries import solve_lottery


def dispatch(
    problem: Problem,
    concept: str,
    goal: Goal,
    lotteries: bool,
    rng: object,
    options: dict[str, Any],
    discrete: Callable[[Run], Solution],
) -> Solution:
    """Route ``concept`` to the continuous, lottery or discrete solver; the options are
    checked once, here, whatever the path.

    ``discrete(run)`` solves over single packages.
    """
    checked = SearchOptions.checked(concept, **options)
    if not isinstance(lotteries, bool):
        raise BargainTypeError(f"{concept}: lotteries must be True or False, got {lotteries!r}")
    if checked.start is not None:  # a package: checked against this problem's space
        if lotteries:
            raise ValidationError(
                f"{concept}: start is a package to start from; lotteries=True optimizes "
                "over lotteries, where it does not apply"
            )
        require_discrete(problem, f"{concept}: start")
        if not checked.start < problem.space.size:
            raise OutOfRangeError(
                f"{concept}: start must be a package index below {problem.space.size} (the "
                f"space's packages), got {checked.start}"
            )
    if problem.space.continuous_issues:
        if lotteries:
            require_discrete(problem, f"{concept}: lotteries=True")
        return solve_continuous(problem, concept, goal, rng)
    if lotteries:
        return solve_lottery(problem, concept, goal, checked)
    return discrete(Run(problem, concept, checked))
