"""Result types: :class:`Solution` (one chosen package, or a lottery) and :class:`Frontier`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from ._frozen import FrozenDict, read_only
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
    utilities : mapping
        Each party's utility at the solution, in party order (the disagreement
        values when there is no agreement), as Python floats. Like every mapping
        of a solution (``outcome``, ``gains``, ``observer_utilities``, ``stats``)
        it is read-only (:class:`~bargain.ImmutableError` on a change); it compares,
        prints and exports to JSON like a dict.
    observer_utilities : mapping
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
    outcome : mapping or None
        The chosen package, ``{issue: option}``.
    lottery : tuple of (index, probability), optional
        For lottery solutions: the support and its probabilities.
    optimal : bool
        False when a budget stopped the search before optimality was proven;
        then ``gap`` bounds how far ``score`` can be from the optimum.
    stats : mapping
        How the solver got there (method, packages scored, ...).
    """

    problem: Problem = field(repr=False)
    concept: str
    index: int | None
    ties: tuple[int, ...]
    utilities: Mapping[str, float]
    agreement: bool
    score: float
    ties_truncated: bool = False
    outcome: Mapping[str, Any] | None = None
    lottery: tuple[tuple[int, float], ...] | None = None
    optimal: bool = True
    gap: float = 0.0
    stats: Mapping[str, Any] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        # Results are immutable like the model (read-only mappings of plain floats), so a
        # caller's change can never alter what gains, str or an export report later.
        outcome = self.outcome
        if outcome is None and self.index is not None:
            outcome = self.problem.space.outcome(self.index)
        fields = {
            "utilities": _floats(self.utilities),
            "outcome": None if outcome is None else FrozenDict(outcome),
            "ties": tuple(self.ties),
            "stats": FrozenDict(
                {
                    key: FrozenDict(value) if isinstance(value, dict) else value
                    for key, value in self.stats.items()
                }
            ),
        }
        for name, value in fields.items():
            object.__setattr__(self, name, value)

    @property
    def observer_utilities(self) -> FrozenDict:
        """Each observer's utility at the solution (``{}`` when the problem has none).

        >>> import bargain as bg
        >>> p = bg.Problem.from_utilities([[3, 1], [1, 3], [2, 2.5]])
        >>> europe = bg.Party("Europe", bg.AdditiveUtility({"alternative": [0, 1, 5]}))
        >>> bg.nash(bg.Problem(p.space, p.parties, observers=[europe])).observer_utilities
        {'Europe': 5.0}
        """
        problem = self.problem
        if not problem.observers:
            return FrozenDict()
        if not self.agreement:
            return _floats(problem.observer_disagreement())
        if self.lottery is None:
            return _floats(problem.observer_utilities_at(self.outcome))
        expected = dict.fromkeys(problem.observer_names, 0.0)
        for index, probability in self.lottery:
            at = problem.observer_utilities_at(problem.space.outcome(index))
            expected = {name: expected[name] + probability * at[name] for name in expected}
        return _floats(expected)

    @property
    def gains(self) -> FrozenDict:
        """Each party's utility minus its disagreement value.

        >>> import bargain as bg
        >>> bg.nash(bg.Problem.from_utilities([[3, 1], [1, 3]], disagreement=[1, 0])).gains
        {'P1': 2.0, 'P2': 1.0}
        """
        return _floats(
            {
                name: self.utilities[name] - d
                for name, d in zip(self.problem.party_names, self.problem.disagreement.tolist())
            }
        )

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
        lines += _utility_table("party", self.utilities, self.gains)
        observed = self.observer_utilities
        if observed:
            gains = {p.name: observed[p.name] - p.disagreement for p in self.problem.observers}
            lines += _utility_table("observer", observed, gains, "  (no veto, not bargaining)")
        return "\n".join(lines)


def _floats(values: Mapping[str, float]) -> FrozenDict:
    """``{name: number}`` as a read-only mapping of plain Python floats."""
    return FrozenDict({name: float(value) for name, value in values.items()})


def _utility_table(
    title: str, utilities: Mapping[str, float], gains: Mapping[str, float], remark: str = ""
) -> list[str]:
    """The lines of a ``title | utility | gain`` table, the first column as wide as its
    widest entry, header included (one layout for parties and observers)."""
    width = max(len(title), *(len(name) for name in utilities))
    lines = [f"  {title:<{width}}  utility     gain{remark}"]
    for name, utility in utilities.items():
        lines.append(f"  {name:<{width}}  {utility:7.4f}  {gains[name]:7.4f}")
    return lines


@dataclass(frozen=True, eq=False)
class Frontier:
    """The Pareto frontier: every individually rational, Pareto-optimal package.

    Attributes
    ----------
    indices : ndarray of int64, shape (k,)
        Package indices, ascending (an object array of exact Python ints when
        the space has 2**63 packages or more).
    utilities : ndarray of float, shape (k, n_parties)
        One row of utilities per package, parties in order. Both arrays are
        read-only, like the model's.
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

    def __post_init__(self) -> None:
        # Read-only views: the frontier cannot be changed through them, and the arrays the
        # caller passed stay as they were.
        for name in ("indices", "utilities"):
            view = np.asarray(getattr(self, name)).view()
            object.__setattr__(self, name, read_only(view))

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
