"""The record of a simulated negotiation: every offer, round by round.

>>> import bargain as bg
>>> p = bg.Problem.from_utilities([[4, 1], [3, 3], [1, 4]], names=["A", "B"])
>>> trace = bg.simulate(p, protocol="zeuthen")
>>> trace.agreement, trace.index, trace.round
(True, 1, 2)
>>> print(trace)
zeuthen: agreement in round 2 on package 1
round  proposer  package      A      B  response
    1  A               0  4.000  1.000  rejected by B
    1  B               2  1.000  4.000  rejected by A; A, B concede
    2  A               1  3.000  3.000  accepted
    2  B               1  3.000  3.000  accepted
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..errors import MissingDependencyError
from ..problem import Problem

__all__ = ["Offer", "Trace"]


@dataclass(slots=True, eq=False)
class Offer:
    """One offer of a negotiation.

    Attributes
    ----------
    round : int
        The round it was made in, from 1.
    proposer : str
        The party (or ``"mediator"``) who made it.
    index : int
        The package offered.
    utilities : ndarray
        Every party's utility of it, in party order.
    rejected_by : tuple of str
        The parties who rejected it (empty when it was accepted).
    accepted : bool
        Whether it became the agreement (or, under a mediator, the new text).
    note : str
        What else happened (Zeuthen: who concedes after this round).
    """

    round: int
    proposer: str
    index: int
    utilities: np.ndarray
    rejected_by: tuple[str, ...] = ()
    accepted: bool = False
    note: str = ""

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Offer)
            and (self.round, self.proposer, self.index, self.rejected_by, self.accepted)
            == (other.round, other.proposer, other.index, other.rejected_by, other.accepted)
            and self.note == other.note
            and np.array_equal(self.utilities, other.utilities)
        )


@dataclass(frozen=True, eq=False)
class Trace:
    """A simulated negotiation.

    Attributes
    ----------
    problem : Problem
    protocol : str
    offers : tuple of Offer
        Every offer in the order made.
    agreement : bool
        Whether the parties agreed before the deadline (no agreement is a
        result: every party then gets its disagreement value).
    index : int or None
        The agreed package.
    round : int or None
        The round of agreement.
    utilities : dict
        Each party's utility of the agreement (disagreement values without one).
    outcome : dict or None
        The agreed package as ``{issue: option}``.
    conceders : tuple of tuple of str
        Zeuthen: for every round without agreement, who conceded (both on a tie).
    """

    problem: Problem = field(repr=False)
    protocol: str
    offers: tuple[Offer, ...]
    agreement: bool
    index: int | None
    round: int | None
    utilities: dict[str, float]
    outcome: dict[str, str] | None = None
    conceders: tuple[tuple[str, ...], ...] = ()

    def __post_init__(self) -> None:
        if self.outcome is None and self.index is not None:
            object.__setattr__(self, "outcome", self.problem.space.outcome(self.index))

    def __str__(self) -> str:
        names = self.problem.party_names
        if self.agreement:
            head = f"{self.protocol}: agreement in round {self.round} on package {self.index}"
        else:
            head = f"{self.protocol}: no agreement after {len(self.offers)} offers"
        who = max([8, *(len(offer.proposer) for offer in self.offers)])
        widths = [max(6, len(name)) for name in names]
        lines = [
            head,
            f"round  {'proposer':<{who}}  package  "
            + "  ".join(f"{name:>{w}}" for name, w in zip(names, widths))
            + "  response",
        ]
        for offer in self.offers:
            response = "accepted" if offer.accepted else ""
            if offer.rejected_by:
                response = "rejected by " + ", ".join(offer.rejected_by)
            if offer.note:
                response = f"{response}; {offer.note}" if response else offer.note
            cells = "  ".join(f"{u:>{w}.3f}" for u, w in zip(offer.utilities, widths))
            lines.append(
                f"{offer.round:>5}  {offer.proposer:<{who}}  {offer.index:>7}  {cells}  {response}"
            )
        return "\n".join(lines)

    def to_dict(self) -> dict:
        """The negotiation as plain Python data (JSON-ready): the result, then every offer
        with each party's utility of it by name.

        >>> import bargain as bg
        >>> p = bg.Problem.from_utilities([[4, 1], [3, 3], [1, 4]], names=["A", "B"])
        >>> record = bg.simulate(p, protocol="zeuthen").to_dict()
        >>> record["agreement"], record["index"], record["utilities"]
        (True, 1, {'A': 3.0, 'B': 3.0})
        >>> first = record["offers"][0]
        >>> first["proposer"], first["index"], first["utilities"], first["rejected_by"]
        ('A', 0, {'A': 4.0, 'B': 1.0}, ['B'])
        """
        names = self.problem.party_names
        return {
            "protocol": self.protocol,
            "agreement": self.agreement,
            "index": self.index,
            "round": self.round,
            "utilities": {name: float(u) for name, u in self.utilities.items()},
            "outcome": self.outcome,
            "offers": [
                {
                    "round": offer.round,
                    "proposer": offer.proposer,
                    "index": int(offer.index),
                    "utilities": dict(zip(names, map(float, offer.utilities))),
                    "rejected_by": list(offer.rejected_by),
                    "accepted": offer.accepted,
                    "note": offer.note,
                }
                for offer in self.offers
            ],
            "conceders": [list(who) for who in self.conceders],
        }

    def plot(self, ax=None):
        """Plot the offers in utility space, round by round (needs matplotlib).

        Two parties: each proposer's offers as a path in the (u1, u2) plane,
        the agreement starred. More parties: each party's utility of the
        offers against the round. Returns the matplotlib ``Axes`` (without
        ``ax``, on a new ``Figure`` that pyplot does not track: save it with
        ``ax.figure.savefig(path)``).
        """
        try:
            from matplotlib.figure import Figure
        except ImportError as exc:
            raise MissingDependencyError(
                "Trace.plot needs matplotlib; install it with pip install 'bargaining[plot]'"
            ) from exc
        if ax is None:  # the object-oriented API only: no pyplot state, as bargain.plot
            ax = Figure().subplots()
        names = self.problem.party_names
        proposers = list(dict.fromkeys(offer.proposer for offer in self.offers))
        if len(names) == 2:
            for proposer in proposers:
                points = np.array([o.utilities for o in self.offers if o.proposer == proposer])
                ax.plot(points[:, 0], points[:, 1], marker="o", label=f"offers by {proposer}")
            if self.agreement:
                agreed = [self.utilities[name] for name in names]
                ax.plot(*agreed, marker="*", markersize=16, linestyle="", label="agreement")
            ax.set_xlabel(f"utility of {names[0]}")
            ax.set_ylabel(f"utility of {names[1]}")
        else:
            rounds = [offer.round for offer in self.offers]
            for j, name in enumerate(names):
                ax.plot(rounds, [o.utilities[j] for o in self.offers], marker=".", label=name)
            ax.set_xlabel("round")
            ax.set_ylabel("utility of the offer")
        ax.set_title(f"{self.protocol} negotiation")
        ax.legend()
        return ax
