"""Bargaining among some of a problem's parties, answered in the caller's problem.

The others leave the table (:meth:`Problem.without`), which settles every issue
they own: the reduced problem's space is smaller, so its package indices mean
other packages in the caller's space. Results map them back by outcome here.
"""

from __future__ import annotations

from collections.abc import Collection

from ..problem import Problem


def among(problem: Problem, members: Collection[str]) -> Problem:
    """``problem`` with only the parties named in ``members`` at the table (observers stay)."""
    return problem.without(*(name for name in problem.party_names if name not in members))


def caller_index(problem: Problem, reduced: Problem, index: int) -> int:
    """The index in ``problem``'s space of package ``index`` of ``reduced`` (from :func:`among`)."""
    if reduced.space is problem.space:  # nobody who left owned an issue
        return index
    return problem.space.index(reduced.space.outcome(index))
