"""Which coalitions can form: quotas, veto players, and who can ally (a networkx graph).

A coalition is *feasible* when it has at least ``quota`` members, contains
every veto party and, when a graph of possible alliances is given, induces a
connected subgraph of it (every member can reach every other through
members). Graph questions are answered by networkx; this module only
enumerates member sets, which is why it is meant for the small numbers of
parties of real negotiations (the number of sets grows as ``C(n, quota)``).

:func:`coalition_deal` is a deal on a problem that needs every veto party and
a quota of the others: each feasible coalition of minimal size bargains à la
Nash among its members, and the coalition that forms is the one whose deal
gives its members the largest geometric-mean gain (see its docstring).

>>> import bargain as bg
>>> import networkx as nx
>>> p = bg.Problem.from_utilities(
...     [[4, 3, 0], [3, 0, 4], [0, 4, 3], [2, 2, 2]], names=["A", "B", "C"])
>>> deal = bg.coalition_deal(p, veto=["A"], quota=1, graph=nx.Graph([("A", "B"), ("B", "C")]))
>>> deal.members, deal.outcome
(('A', 'B'), {'alternative': '0'})
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from .._checks import check_int
from ..concepts import nash
from ..errors import BargainTypeError, SolverError, UnknownNameError, ValidationError
from ..problem import Problem, require_discrete
from ..solution import Solution
from ._table import among, caller_index

if TYPE_CHECKING:  # networkx is imported where a graph is used, not by `import bargain`
    import networkx as nx

__all__ = [
    "MAX_COALITIONS",
    "CoalitionDeal",
    "check_graph",
    "check_veto",
    "coalition_deal",
    "feasible_coalitions",
]

MAX_COALITIONS = 200_000
"""At most this many member sets are enumerated (each is checked with networkx);
beyond, a :class:`~bargain.SolverError` says so rather than running for hours."""


def check_graph(graph: object, names: Sequence[str], caller: str) -> nx.Graph | None:
    """The user's alliance graph, checked to name only known parties (or ``None``)."""
    if graph is None:
        return None
    import networkx as nx

    if not isinstance(graph, nx.Graph):
        raise BargainTypeError(f"{caller}: graph must be a networkx.Graph, got {graph!r}")
    if graph.is_directed():
        raise BargainTypeError(f"{caller}: graph must be undirected (alliances are mutual)")
    unknown = [node for node in graph.nodes if node not in names]
    if unknown:
        raise UnknownNameError(
            f"{caller}: graph names party {unknown[0]!r}, which is not bargaining; "
            f"parties are {list(names)}"
        )
    return graph


def check_veto(veto: object, names: Sequence[str], caller: str) -> tuple[str, ...]:
    """Veto parties as a tuple of known names, in party order."""
    if isinstance(veto, str) or not isinstance(veto, Iterable):
        raise BargainTypeError(f"{caller}: veto must be a list of party names, got {veto!r}")
    veto = list(veto)
    for name in veto:
        if name not in names:
            raise UnknownNameError(
                f"{caller}: veto names party {name!r}, which is not bargaining; "
                f"parties are {list(names)}"
            )
    return tuple(name for name in names if name in veto)


def feasible_coalitions(
    names: Sequence[str],
    size: int,
    *,
    veto: Sequence[str] = (),
    graph: nx.Graph | None = None,
    containing: str | None = None,
) -> list[tuple[str, ...]]:
    """Every coalition of exactly ``size`` parties (in party order) that contains the
    veto parties (and ``containing``) and is connected in ``graph`` (where a party
    that is not a node of the graph can ally with nobody).

    Examples
    --------
    >>> import networkx as nx
    >>> feasible_coalitions(["A", "B", "C", "D"], 2, graph=nx.path_graph(["A", "B", "C", "D"]))
    [('A', 'B'), ('B', 'C'), ('C', 'D')]
    """
    required = [name for name in names if name in veto or name == containing]
    rest = [name for name in names if name not in required]
    if len(required) > size:
        return []
    count = math.comb(len(rest), size - len(required))
    if count > MAX_COALITIONS:
        raise SolverError(
            f"{count} coalitions of {size} among {len(names)} parties would have to be "
            f"enumerated, more than MAX_COALITIONS = {MAX_COALITIONS}"
        )
    order = {name: position for position, name in enumerate(names)}
    if graph is not None:
        import networkx as nx

        graph = nx.Graph(graph)
        graph.add_nodes_from(names)  # a party the graph leaves out can ally with nobody
    found = []
    for others in itertools.combinations(rest, size - len(required)):
        members = tuple(sorted((*required, *others), key=order.__getitem__))
        if graph is None or nx.is_connected(graph.subgraph(members)):
            found.append(members)
    return found


@dataclass(frozen=True, eq=False)
class CoalitionDeal:
    """The coalition that forms and its Nash deal.

    Attributes
    ----------
    members : tuple of str
        The coalition that forms, in party order (empty without a deal).
    solution : Solution or None
        The Nash solution among the members, of the problem without the others
        (``solution.problem``, where issues an outsider owns are settled: its
        ``index`` numbers that smaller space, not ``problem``'s).
    index : int or None
        The agreed package, in ``problem``'s space; ``outcome`` the same as
        ``{issue: option}``.
    utilities : dict
        Every party's utility of the deal, members and outsiders alike
        (disagreement values without a deal).
    agreement : bool
    candidates : dict
        For every feasible coalition of minimal size, its score: the mean over
        members of ``power * log(gain)`` at its Nash package (``-inf`` when it
        has no deal).
    """

    problem: Problem = field(repr=False)
    members: tuple[str, ...]
    solution: Solution | None = field(repr=False)
    index: int | None
    outcome: dict[str, str] | None
    utilities: dict[str, float]
    agreement: bool
    candidates: dict[tuple[str, ...], float] = field(repr=False)

    def __str__(self) -> str:
        if not self.agreement:
            return "coalition deal: no feasible coalition has an agreement"
        lines = [f"coalition deal: {', '.join(self.members)}"]
        width = max(len(name) for name in self.outcome)
        lines += [f"  {name:<{width}}  {option}" for name, option in self.outcome.items()]
        width = max(len(name) for name in self.utilities)
        for name, value in self.utilities.items():
            role = "member" if name in self.members else "outside"
            lines.append(f"  {name:<{width}}  {value:8.4f}  ({role})")
        return "\n".join(lines)


def coalition_deal(
    problem: Problem,
    *,
    quota: int,
    veto: Sequence[str] = (),
    graph: nx.Graph | None = None,
) -> CoalitionDeal:
    """A deal that needs every veto party and ``quota`` of the other parties.

    Every feasible coalition of minimal size (the veto parties plus ``quota``
    others, connected in ``graph`` when given) bargains as if alone: its deal
    is the Nash package of the problem restricted to its members
    (:meth:`Problem.without` the others, whose utilities and red lines then do
    not bind). The coalition that forms is the one whose deal gives its
    members the largest mean weighted log gain ``mean(power_j * log(u_j - d_j))``
    (the log of the geometric mean of the Nash product, so that coalitions of
    the same size compare on the same scale); ties go to the coalition listed
    first in party order. Outsiders get whatever the package gives them.

    Parameters
    ----------
    problem : Problem
    quota : int
        How many non-veto parties must sign (0 to their number).
    veto : sequence of str, default ()
        Parties who must sign every deal.
    graph : networkx.Graph, optional
        Which parties can ally; nodes are party names.

    Returns
    -------
    CoalitionDeal
        ``agreement`` is False when no feasible coalition has an individually
        rational package (a result, not an error).
    """
    problem = require_discrete(problem, "coalition_deal")
    names = problem.party_names
    veto = check_veto(veto, names, "coalition_deal")
    graph = check_graph(graph, names, "coalition_deal")
    others = len(names) - len(veto)
    quota = check_int(quota, "coalition_deal: quota", minimum=0)
    if quota > others:
        raise ValidationError(
            f"coalition_deal: quota is {quota}, but only {others} parties are not veto parties"
        )
    if len(veto) + quota == 0:
        raise ValidationError("coalition_deal: a deal needs at least one signatory")
    candidates: dict[tuple[str, ...], float] = {}
    best: tuple[float, tuple[str, ...], Solution] | None = None
    for members in feasible_coalitions(names, len(veto) + quota, veto=veto, graph=graph):
        solution = nash(among(problem, members))
        score = -math.inf
        if solution.agreement:
            powers = [problem.parties[problem.party_position(m)].power for m in members]
            score = float(
                np.mean([w * math.log(g) for w, g in zip(powers, solution.gains.values())])
            )
        candidates[members] = score
        if solution.agreement and (best is None or score > best[0]):
            best = (score, members, solution)
    if best is None:
        utilities = dict(zip(names, map(float, problem.disagreement)))
        return CoalitionDeal(problem, (), None, None, None, utilities, False, candidates)
    _, members, solution = best
    index = caller_index(problem, solution.problem, solution.index)
    utilities = dict(zip(names, map(float, problem.utilities(index))))
    return CoalitionDeal(
        problem, members, solution, index, problem.space.outcome(index), utilities, True, candidates
    )
