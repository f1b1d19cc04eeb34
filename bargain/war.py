r"""No-deal values with a model behind them: Fearon's bargaining model of war.

Fearon (1995, "Rationalist explanations for war", *International Organization*
49(3), 379-414) models the alternative to a deal as a costly lottery: side A
prevails with probability :math:`p` and takes the whole prize (worth 1 to it,
0 to B), B prevails otherwise, and fighting costs A :math:`c_A` and B
:math:`c_B` on the same utility scale. War is then worth

.. math:: p - c_A \text{ to A}, \qquad 1 - p - c_B \text{ to B},

and any split :math:`x` of the prize with :math:`p - c_A \le x \le p + c_B`
leaves both at least as well off as fighting (:func:`fearon`).

:class:`War` generalises this as simply as we could to packages of several
issues and any number of parties: continued war ends in one of a few packages
``w`` of the outcome space (the war outcomes, "Russia prevails", "stalemate",
...), each with a probability :math:`\pi_w`, and party ``i`` pays a cost
:math:`c_i` for fighting. Its no-deal value is the expected utility of that
lottery minus its cost,

.. math:: d_i = \sum_w \pi_w\, u_i(w) - c_i .

With two outcomes, "A prevails" worth (1, 0) and "B prevails" worth (0, 1),
this is Fearon's closed form exactly. Every input carries an uncertainty
range (``low``, ``high``) next to its value, for the analyst to explore.

>>> fearon(0.6, 0.1, 0.05)
(0.5, 0.35)
>>> import bargain as bg
>>> space = bg.OutcomeSpace([bg.Issue("prize", ["A wins", "B wins"])])
>>> a = bg.Party("A", bg.AdditiveUtility({"prize": [1.0, 0.0]}))
>>> b = bg.Party("B", bg.AdditiveUtility({"prize": [0.0, 1.0]}))
>>> war = War(
...     outcomes=[
...         WarOutcome("A prevails", Estimate(0.6), {"prize": "A wins"}),
...         WarOutcome("B prevails", Estimate(0.4), {"prize": "B wins"}),
...     ],
...     costs={"A": Estimate(0.1), "B": Estimate(0.05)},
... )
>>> problem = fearon_disagreement(bg.Problem(space, [a, b]), war)
>>> [round(float(d), 12) for d in problem.disagreement]
[0.5, 0.35]
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ._checks import check_name, check_notes, check_real, check_unique
from .errors import BargainTypeError, UnknownNameError, ValidationError
from .space import OutcomeSpace

if TYPE_CHECKING:
    from .problem import Problem

__all__ = [
    "PROBABILITY_TOLERANCE",
    "Estimate",
    "War",
    "WarOutcome",
    "fearon",
    "fearon_disagreement",
]

PROBABILITY_TOLERANCE = 1e-9
"""How far the war outcomes' probabilities may sum from 1."""


def fearon(p: float, cost_a: float, cost_b: float) -> tuple[float, float]:
    """Fearon's (1995) expected values of war: ``(p - cost_a, 1 - p - cost_b)``.

    ``p`` is the probability that A prevails (and takes the whole prize, worth 1
    to it and 0 to B); the costs are on the same scale.

    >>> fearon(0.5, 0.1, 0.1)
    (0.4, 0.4)
    """
    p = check_real(p, "fearon: p")
    if not 0.0 <= p <= 1.0:
        raise ValidationError(f"fearon: p is {p!r}; a probability lies in [0, 1]")
    cost_a = check_real(cost_a, "fearon: cost_a", minimum=0.0)
    cost_b = check_real(cost_b, "fearon: cost_b", minimum=0.0)
    return (p - cost_a, 1.0 - p - cost_b)


@dataclass(frozen=True)
class Estimate:
    """An input of the war model: its value and the range the analyst finds plausible.

    >>> Estimate(0.3, 0.2, 0.45)
    Estimate(value=0.3, low=0.2, high=0.45)
    >>> Estimate(0.3).low
    0.3
    """

    value: float
    low: float = math.nan
    high: float = math.nan

    def __post_init__(self) -> None:
        value = check_real(self.value, "Estimate: value")
        low = value if math.isnan(self.low) else check_real(self.low, "Estimate: low")
        high = value if math.isnan(self.high) else check_real(self.high, "Estimate: high")
        if not low <= value <= high:
            raise ValidationError(
                f"Estimate: low {low!r}, value {value!r}, high {high!r}; need low <= value <= high"
            )
        object.__setattr__(self, "value", value)
        object.__setattr__(self, "low", low)
        object.__setattr__(self, "high", high)

    def span(self, number: str = "g") -> str | None:
        """The plausible range as text, ``"low to high"`` (each in the format ``number``),
        or None when the estimate has none (one value).

        >>> Estimate(0.3, 0.2, 0.45).span(), Estimate(0.3).span()
        ('0.2 to 0.45', None)
        """
        if self.low == self.high:
            return None
        return f"{self.low:{number}} to {self.high:{number}}"


@dataclass(frozen=True)
class WarOutcome:
    """One way continued war may end: a package of the outcome space and its probability."""

    name: str
    probability: Estimate
    package: Mapping[str, str]

    def __post_init__(self) -> None:
        check_name(self.name, "WarOutcome: name")
        if not isinstance(self.probability, Estimate):
            raise BargainTypeError(
                f"WarOutcome {self.name!r}: probability must be a bargain.war.Estimate, "
                f"got {self.probability!r}"
            )
        if not 0.0 <= self.probability.low <= self.probability.high <= 1.0:
            raise ValidationError(
                f"WarOutcome {self.name!r}: probability {self.probability!r} leaves [0, 1]"
            )
        if not isinstance(self.package, Mapping):
            raise BargainTypeError(
                f"WarOutcome {self.name!r}: package must be a mapping {{issue: option}}, "
                f"got {self.package!r}"
            )
        object.__setattr__(self, "package", dict(self.package))


@dataclass(frozen=True)
class War:
    """Continued war as a costly lottery over packages (see the module docstring).

    Parameters
    ----------
    outcomes : sequence of WarOutcome
        Distinct names; the probabilities sum to 1 (within
        :data:`PROBABILITY_TOLERANCE`).
    costs : mapping of party name to Estimate
        Each fighting party's cost of war, non-negative, on its utility scale.
        Only these parties get a no-deal value from the war.
    notes : mapping, optional
        ``{path: {kind: text}}`` on the war as a whole (``"war"``) and on each
        outcome (``"outcomes[i]"``, ``"outcomes[i].probability"``). Not counted
        in equality.
    """

    outcomes: tuple[WarOutcome, ...]
    costs: Mapping[str, Estimate]
    notes: Mapping[str, Mapping[str, str]] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        outcomes = tuple(self.outcomes)
        if not outcomes:
            raise ValidationError("War: outcomes is empty; give at least one way the war ends")
        for position, outcome in enumerate(outcomes):
            if not isinstance(outcome, WarOutcome):
                raise BargainTypeError(
                    f"War: outcomes[{position}] must be a bargain.war.WarOutcome, got {outcome!r}"
                )
        check_unique((o.name for o in outcomes), "War: outcomes", "war outcome name")
        total = math.fsum(o.probability.value for o in outcomes)
        if abs(total - 1.0) > PROBABILITY_TOLERANCE:
            raise ValidationError(
                f"War: the outcomes' probabilities sum to {total!r}; they must sum to 1"
            )
        if not isinstance(self.costs, Mapping) or not self.costs:
            raise ValidationError(
                f"War: costs must be a non-empty mapping {{party: Estimate}}, got {self.costs!r}"
            )
        for name, cost in self.costs.items():
            check_name(name, "War: costs party name")
            if not isinstance(cost, Estimate):
                raise BargainTypeError(
                    f"War: costs[{name!r}] must be a bargain.war.Estimate, got {cost!r}"
                )
            if cost.low < 0.0:
                raise ValidationError(f"War: costs[{name!r}] is {cost!r}; a cost is >= 0")
        object.__setattr__(self, "outcomes", outcomes)
        object.__setattr__(self, "costs", dict(self.costs))
        object.__setattr__(self, "notes", check_notes(self.notes, "War: notes"))

    def indices(self, space: OutcomeSpace) -> list[int]:
        """The war outcomes' package indices in ``space`` (checking every issue and option)."""
        if space.continuous_issues:
            raise ValidationError("War: a war outcome is a package of discrete issues only")
        out = []
        for outcome in self.outcomes:
            where = f"War: outcome {outcome.name!r}"
            for issue in outcome.package:
                if issue not in space.names:
                    raise UnknownNameError(
                        f"{where} names issue {issue!r}; issues are {list(space.names)}"
                    )
            for issue in space.issues:
                if issue.is_continuous or issue.name not in outcome.package:
                    raise ValidationError(f"{where} gives no option for issue {issue.name!r}")
                if outcome.package[issue.name] not in issue.options:
                    raise UnknownNameError(
                        f"{where}: issue {issue.name!r} has no option "
                        f"{outcome.package[issue.name]!r}; options are {list(issue.options)}"
                    )
            out.append(space.index(outcome.package))
        return out

    def values(self, problem: Problem) -> dict[str, float]:
        """Each fighting party's (or observer's) no-deal value: expected utility of the war
        outcomes minus its cost."""
        members = {party.name: party for party in (*problem.parties, *problem.observers)}
        for name in self.costs:
            if name not in members:
                raise UnknownNameError(
                    f"War: costs names {name!r}, who is not at the table; parties and "
                    f"observers are {list(members)}"
                )
        indices = self.indices(problem.space)
        expected: dict[str, list[float]] = {name: [] for name in members}
        for outcome, index in zip(self.outcomes, indices):
            utilities = dict(zip(problem.party_names, map(float, problem.utilities(index))))
            utilities.update(problem.observer_utilities_at(problem.space.outcome(index)))
            for name, u in utilities.items():
                expected[name].append(outcome.probability.value * u)
        return {name: math.fsum(expected[name]) - cost.value for name, cost in self.costs.items()}

    def derived(self, problem: Problem) -> dict[str, Estimate]:
        """The costs of the parties whose disagreement in ``problem`` is still this war's value."""
        values = self.values(problem)
        return {
            party.name: self.costs[party.name]
            for party in (*problem.parties, *problem.observers)
            if party.name in values and party.disagreement == values[party.name]
        }


def fearon_disagreement(problem: Problem, war: War) -> Problem:
    """``problem`` with every fighting party's no-deal value derived from ``war``.

    Each party (or observer) named in ``war.costs`` gets disagreement
    :math:`\\sum_w \\pi_w u_i(w) - c_i` (:meth:`War.values`); the others keep
    theirs. The new problem records ``war`` (``problem.war``), so that saving
    it writes the war model rather than the bare numbers.
    """
    from .problem import Problem, require_problem

    require_problem(problem, "fearon_disagreement")
    if not isinstance(war, War):
        raise BargainTypeError(f"fearon_disagreement: war must be a bargain.war.War, got {war!r}")
    values = war.values(problem)

    def derived(group: tuple) -> list:
        return [
            party.replace(disagreement=values[party.name]) if party.name in values else party
            for party in group
        ]

    return Problem(
        problem.space,
        derived(problem.parties),
        problem.notes,
        derived(problem.observers),
        war=war,
    )
