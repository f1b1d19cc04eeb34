"""One entry point for every concept: discrete packages, lotteries or continuous issues."""

from __future__ import annotations

from collections.abc import Callable

from ..errors import BargainTypeError, ValidationError
from ..problem import Problem
from ..solution import Solution
from ._criteria import Criterion
from ._discrete import SearchOptions
from .continuous import solve_continuous
from .lotteries import solve_lottery


def dispatch(
    problem: Problem,
    concept: str,
    criterion: Criterion,
    lotteries: bool,
    rng: object,
    search_options: tuple,
    discrete: Callable[[SearchOptions], Solution] | None,
) -> Solution:
    """Route ``concept`` to the continuous, lottery or discrete solver, options checked once.

    ``search_options`` is ``(tie_tol, max_ties, memory_budget, prune)``;
    ``discrete(options)`` solves over single packages (None when the caller
    handles that case itself, as :func:`bargain.nash` does).
    """
    if not isinstance(lotteries, bool):
        raise BargainTypeError(f"{concept}: lotteries must be True or False, got {lotteries!r}")
    continuous = problem.space.continuous_issues
    if continuous:
        if lotteries:
            raise ValidationError(
                f"{concept}: lotteries=True needs a discrete space, but issue(s) "
                f"{[issue.name for issue in continuous]} are continuous"
            )
        return solve_continuous(problem, concept, criterion, rng)
    options = SearchOptions.checked(concept, *search_options)
    if lotteries:
        return solve_lottery(problem, concept, criterion, options)
    return discrete(options)
