"""Result types: :class:`Solution` (one chosen package, or a lottery) and :class:`Frontier`."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from .engine import DEFAULT_UTILITY_TOLERANCE, vector_ids
from .problem import Problem

__all__ = ["Frontier", "Solution"]


@dataclass(frozen=True, eq=False)
class Solution:
    """What a solution concept chose.

    Attributes
    ----------
    concept : str
        The concept's name (``"nash"``, ...).
    index : int or None
        The chosen package's index in the space: the lowest index among ties.
        ``None`` when there is no agreement.
    ties : tuple of int
        Every optimal package, ascending (``index`` first). When more packages
        tie than the solver was asked to keep, the lowest ones are kept and
        ``ties_truncated`` is true.
    utilities : dict
        Each party's utility at the solution, in party order (the disagreement
        values when there is no agreement).
    observer_utilities : dict
        Each observer's utility at the solution (a property: observers, see
        :class:`~bargain.Problem`, are reported but never bargain); expected
        utility for a lottery, the disagreement value without agreement.
    agreement : bool
        False when no package gives every party strictly more than its
        disagreement value and crosses no red line: then the parties stay at
        disagreement. That is a result, not an error.
    score : float
        The concept's objective at the solution (for Nash, the log of the
        weighted Nash product); ``-inf`` without agreement.
    outcome : dict or None
        The chosen package, ``{issue: option}``.
    lottery : tuple of (index, probability), optional
        For lottery solutions: the support and its probabilities.
    optimal : bool
        False when a budget stopped the search before optimality was proven;
        then ``gap`` bounds how far ``score`` can be from the optimum.
    stats : dict
        How the solver got there (method, packages scored, ...).
    """

    problem: Problem = field(repr=False)
    concept: str
    index: int | None
    ties: tuple[int, ...]
    utilities: dict[str, float]
    agreement: bool
    score: float
    ties_truncated: bool = False
    outcome: dict[str, Any] | None = None
    lottery: tuple[tuple[int, float], ...] | None = None
    optimal: bool = True
    gap: float = 0.0
    stats: dict[str, Any] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if self.outcome is None and self.index is not None:
            object.__setattr__(self, "outcome", self.problem.space.outcome(self.index))

    @property
    def observer_utilities(self) -> dict[str, float]:
        """Each observer's utility at the solution (``{}`` when the problem has none).

        >>> import bargain as bg
        >>> p = bg.Problem.from_utilities([[3, 1], [1, 3], [2, 2.5]])
        >>> europe = bg.Party("Europe", bg.AdditiveUtility({"alternative": [0, 1, 5]}))
        >>> bg.nash(bg.Problem(p.space, p.parties, observers=[europe])).observer_utilities
        {'Europe': 5.0}
        """
        problem = self.problem
        if not problem.observers:
            return {}
        if not self.agreement:
            return problem.observer_disagreement()
        if self.lottery is None:
            return problem.observer_utilities_at(self.outcome)
        expected = dict.fromkeys(problem.observer_names, 0.0)
        for index, probability in self.lottery:
            at = problem.observer_utilities_at(problem.space.outcome(index))
            expected = {name: expected[name] + probability * at[name] for name in expected}
        return expected

    @property
    def gains(self) -> dict[str, float]:
        """Each party's utility minus its disagreement value."""
        return {
            name: self.utilities[name] - d
            for name, d in zip(self.problem.party_names, self.problem.disagreement)
        }

    def __str__(self) -> str:
        lines = [f"{self.concept} solution"]
        if not self.agreement:
            lines.append("  no agreement: no package gives every party more than disagreement")
        elif self.lottery is not None:
            lines.append("  lottery over packages:")
            space = self.problem.space
            for index, probability in self.lottery:
                lines.append(f"    {probability:6.3f}  {space.outcome(index)}")
        else:
            width = max(len(name) for name in self.outcome)
            lines += [f"  {name:<{width}}  {option}" for name, option in self.outcome.items()]
            if len(self.ties) > 1:
                more = "+" if self.ties_truncated else ""
                lines.append(f"  ({len(self.ties)}{more} packages tie; the lowest index is shown)")
        width = max(len(name) for name in self.utilities)
        lines.append(f"  {'party':<{width}}  utility     gain")
        for name, gain in self.gains.items():
            lines.append(f"  {name:<{width}}  {self.utilities[name]:7.4f}  {gain:7.4f}")
        observed = self.observer_utilities
        if observed:
            width = max(len("observer"), *(len(name) for name in observed))
            lines.append(f"  {'observer':<{width}}  utility     gain  (no veto, not bargaining)")
            for party in self.problem.observers:
                utility = observed[party.name]
                gain = utility - party.disagreement
                lines.append(f"  {party.name:<{width}}  {utility:7.4f}  {gain:7.4f}")
        return "\n".join(lines)


@dataclass(frozen=True, eq=False)
class Frontier:
    """The Pareto frontier: every individually rational, Pareto-optimal package.

    Attributes
    ----------
    indices : ndarray of int64, shape (k,)
        Package indices, ascending (an object array of exact Python ints when
        the space has 2**63 packages or more).
    utilities : ndarray of float, shape (k, n_parties)
        One row of utilities per package, parties in order.
    ties_truncated : bool
        True when some utility vector of the frontier is reached by more packages
        than are listed (see :func:`bargain.pareto_frontier`'s ``max_ties``).
    complete : bool
        False when a ``time_budget`` stopped the search before it proved every
        frontier vector: the listed ones are on the frontier, others may be missing.
    utility_tol : float
        The tolerance within which utilities counted as equal (see
        :func:`bargain.pareto_frontier`).

    >>> import bargain as bg
    >>> front = bg.pareto_frontier(bg.Problem.from_utilities([[2, 2], [2, 2], [1, 3]]))
    >>> len(front), front.vectors, front.ties_truncated
    (3, 2, False)
    """

    problem: Problem = field(repr=False)
    indices: np.ndarray
    utilities: np.ndarray
    ties_truncated: bool = False
    complete: bool = True
    utility_tol: float = field(default=DEFAULT_UTILITY_TOLERANCE, repr=False)

    @cached_property
    def vectors(self) -> int:
        """How many distinct utility vectors the rows hold (rows equal within
        ``utility_tol`` count once)."""
        return int(vector_ids(self.utilities, self.utility_tol).max(initial=-1)) + 1

    def __len__(self) -> int:
        return int(self.indices.size)

    def outcomes(self) -> list[dict[str, str]]:
        """The frontier's packages as ``{issue: option}`` mappings."""
        return [self.problem.space.outcome(int(i)) for i in self.indices]

    def __str__(self) -> str:
        names = self.problem.party_names
        header = "  ".join(f"{name:>10}" for name in names)
        title = f"Pareto frontier: {len(self)} packages"
        if self.vectors < len(self):
            title += f", {self.vectors} distinct utility vectors"
        if self.ties_truncated:
            title += " (more tied packages not listed)"
        if not self.complete:
            title += " (incomplete: the time budget ran out)"
        lines = [title, f"{'package':>10}  {header}"]
        for index, row in zip(self.indices, self.utilities):
            lines.append(f"{int(index):>10}  " + "  ".join(f"{u:>10.4f}" for u in row))
        return "\n".join(lines)
