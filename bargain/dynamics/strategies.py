"""Negotiation strategies for :func:`bargain.simulate`, and the interface for your own.

A strategy is any object with two methods:

``propose(state) -> int``
    The package (its index in the space) the party offers now.
``accept(state, offer) -> bool``
    Whether the party accepts ``offer`` (an :class:`~bargain.dynamics.trace.Offer`).

``state`` (a :class:`State`) tells the party who it is, the round and the
deadline, the offers so far, and gives fast helpers over the problem's Pareto
frontier: :meth:`State.offer_for` returns the package best for the others
among those giving the party at least a target utility. The simplest way to
write a strategy is to subclass :class:`Strategy` and define ``target(state)``,
the utility the party aims for now; it then offers ``state.offer_for(target)``
and accepts any offer worth at least its target (under a mediator: at least
the lower of its target and the current text). Strategies must not keep
per-negotiation state on ``self`` (one object may play many negotiations):
read the history from ``state`` instead.

A strategy that returns something other than a package of the space, or a
package that crosses a red line, stops the simulation with a clear error.

>>> import bargain as bg
>>> class Stubborn(bg.strategies.Strategy):
...     '''Concede only in the last tenth of the negotiation.'''
...     def target(self, state):
...         return state.best if state.time < 0.9 else state.reservation
>>> p = bg.Problem.from_utilities([[4, 1], [3, 3], [1, 4]], names=["A", "B"])
>>> trace = bg.simulate(p, strategies={"A": Stubborn(), "B": bg.strategies.Linear()}, rounds=10)
>>> trace.outcome, trace.round
({'alternative': '0'}, 8)
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field

import numpy as np

from .._checks import check_real
from ..errors import BargainTypeError, UnknownNameError, ValidationError
from .book import OfferBook
from .trace import Offer

__all__ = [
    "BUILT_IN",
    "Boulware",
    "Conceder",
    "Hardliner",
    "Linear",
    "State",
    "Strategy",
    "TimeDependent",
    "TitForTat",
    "by_name",
    "check_strategy",
    "elapsed",
]


def elapsed(round_: int, rounds: int) -> float:
    """Elapsed fraction of a negotiation in round ``round_`` of ``rounds``: 0 in the
    first round, 1 in the last (1 when there is only one)."""
    return (round_ - 1) / (rounds - 1) if rounds > 1 else 1.0


@dataclass(eq=False)
class State:
    """What a party knows when it proposes or responds.

    Attributes
    ----------
    party : str
        The party's name.
    position : int
        Its position in the problem's party order (index into ``utilities`` arrays).
    round : int
        The current round, from 1.
    rounds : int
        The deadline: the last round.
    book : OfferBook
        The problem's Pareto frontier, indexed for concession.
    rng : numpy.random.Generator
        The simulation's random generator (the only source of randomness).
    offers : list of Offer
        Every offer made so far, oldest first.
    first_offers, last_offers : dict
        Each proposer's first and latest offer, by name.
    current : Offer or None
        Under a mediator, the current single text; otherwise ``None``.
    """

    party: str
    position: int
    round: int
    rounds: int
    book: OfferBook = field(repr=False)
    rng: np.random.Generator = field(repr=False)
    offers: list[Offer] = field(repr=False)
    first_offers: dict[str, Offer] = field(repr=False)
    last_offers: dict[str, Offer] = field(repr=False)
    current: Offer | None = None

    @property
    def time(self) -> float:
        """Elapsed fraction of the negotiation: 0 in the first round, 1 in the last."""
        return elapsed(self.round, self.rounds)

    @property
    def best(self) -> float:
        """The party's best utility on the Pareto frontier."""
        return float(self.book.best[self.position])

    @property
    def reservation(self) -> float:
        """The party's disagreement value: it never needs to accept less."""
        return float(self.book.problem.disagreement[self.position])

    def utility(self, index: int) -> float:
        """The party's utility of package ``index``."""
        return float(self.book.package_utilities(index)[self.position])

    def offer_for(self, target: float) -> int:
        """The package best for the others (largest Nash product of their gains) among
        the frontier packages giving this party at least ``target``; its own best
        package when none does."""
        return int(self.book.indices[self.book.offer_for(self.position, target)])


class Strategy(ABC):
    """Base class of the strategies: define :meth:`target`, the utility aimed for now."""

    @abstractmethod
    def target(self, state: State) -> float:
        """The utility the party aims for in this round."""

    def propose(self, state: State) -> int:
        """Offer the package best for the others among those meeting the target."""
        return state.offer_for(self.target(state))

    def accept(self, state: State, offer: Offer) -> bool:
        """Accept an offer worth at least the target (under a mediator: at least the
        lower of the target and the current text)."""
        floor = self.target(state)
        if state.current is not None:
            floor = min(floor, float(state.current.utilities[state.position]))
        return bool(offer.utilities[state.position] >= floor)

    def __repr__(self) -> str:
        fields = ", ".join(f"{key}={value!r}" for key, value in vars(self).items())
        return f"{type(self).__name__}({fields})"


class TimeDependent(Strategy):
    """Time-based concession (Faratin, Sierra and Jennings 1998).

    The target falls from the party's best frontier utility to its reservation
    value as the deadline nears::

        target(t) = best - (best - reservation) * t ** (1 / exponent)

    with ``t`` the elapsed fraction of the negotiation. ``exponent < 1``
    concedes late (Boulware), ``1`` linearly, ``> 1`` early (Conceder).

    Parameters
    ----------
    exponent : float
        Positive.
    noise : float, default 0.0
        Each proposal aims at ``target + noise * (best - reservation) * U(-1, 1)``
        (clipped to the range), drawn from the simulation's ``rng``; acceptance
        uses the exact target.
    """

    def __init__(self, exponent: float, noise: float = 0.0) -> None:
        self.exponent = check_real(exponent, f"{type(self).__name__}: exponent")
        if self.exponent <= 0:
            raise ValidationError(
                f"{type(self).__name__}: exponent must be > 0, got {self.exponent!r}"
            )
        self.noise = check_real(noise, f"{type(self).__name__}: noise", minimum=0.0)

    def target(self, state: State) -> float:
        best, reservation = state.best, state.reservation
        return best - (best - reservation) * state.time ** (1.0 / self.exponent)

    def propose(self, state: State) -> int:
        aim = self.target(state)
        if self.noise:
            best, reservation = state.best, state.reservation
            aim += self.noise * (best - reservation) * state.rng.uniform(-1.0, 1.0)
            aim = min(max(aim, reservation), best)
        return state.offer_for(aim)


class Boulware(TimeDependent):
    """Concedes little until the deadline nears (``exponent`` default 0.2)."""

    def __init__(self, exponent: float = 0.2, noise: float = 0.0) -> None:
        super().__init__(exponent, noise)


class Linear(TimeDependent):
    """Concedes at a constant rate (``exponent`` 1)."""

    def __init__(self, noise: float = 0.0) -> None:
        super().__init__(1.0, noise)


class Conceder(TimeDependent):
    """Concedes early (``exponent`` default 5)."""

    def __init__(self, exponent: float = 5.0, noise: float = 0.0) -> None:
        super().__init__(exponent, noise)


class Hardliner(Strategy):
    """Never concedes: offers its best package, accepts only what matches it."""

    def target(self, state: State) -> float:
        return state.best


class TitForTat(Strategy):
    """Relative tit-for-tat: concede, as a fraction of one's own range, as much as
    the others have conceded of theirs (Faratin et al. 1998).

    The others' concession is the mean over the other proposers of
    ``(u_j(first offer of j) - u_j(latest offer of j)) / (best_j - reservation_j)``,
    clipped to [0, 1]; ``generosity * t`` is added so that two tit-for-tat
    players are not stuck forever at their opening offers.

    Parameters
    ----------
    generosity : float, default 0.0
        Non-negative.
    """

    def __init__(self, generosity: float = 0.0) -> None:
        self.generosity = check_real(generosity, "TitForTat: generosity", minimum=0.0)

    def target(self, state: State) -> float:
        book = state.book
        conceded = []
        for name, first in state.first_offers.items():
            if name == state.party or name not in state.last_offers:
                continue
            j = book.problem.party_position(name)
            span = book.best[j] - book.problem.disagreement[j]
            drop = first.utilities[j] - state.last_offers[name].utilities[j]
            conceded.append(min(max(drop / span, 0.0), 1.0) if span > 0 else 0.0)
        fraction = (sum(conceded) / len(conceded) if conceded else 0.0) + self.generosity * (
            state.time
        )
        best, reservation = state.best, state.reservation
        return best - (best - reservation) * min(fraction, 1.0)


BUILT_IN = {
    "boulware": Boulware,
    "linear": Linear,
    "conceder": Conceder,
    "titfortat": TitForTat,
    "hardliner": Hardliner,
}
"""The built-in strategies by name (each with its default parameters)."""


def by_name(name: str) -> Strategy:
    """A built-in strategy with its default parameters, by name (see :data:`BUILT_IN`).

    >>> by_name("boulware")
    Boulware(exponent=0.2, noise=0.0)
    """
    if name not in BUILT_IN:
        raise UnknownNameError(
            f"unknown strategy {name!r}; built-in strategies are {list(BUILT_IN)}"
        )
    return BUILT_IN[name]()


def check_strategy(strategy: object, field: str) -> object:
    """``strategy`` if it has the ``propose`` and ``accept`` methods of a strategy."""
    for method in ("propose", "accept"):
        if not callable(getattr(strategy, method, None)):
            raise BargainTypeError(
                f"{field} has no {method}() method; a strategy needs propose(state) and "
                "accept(state, offer) (see bargain.strategies.Strategy)"
            )
    return strategy
