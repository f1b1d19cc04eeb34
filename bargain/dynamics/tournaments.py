"""ANAC-style tournaments: every strategy against every other, on every problem, in
every role, repeated, with :func:`~bargain.simulate`.

A tournament plays, for every problem with ``n`` parties, every assignment of
``n`` different strategies to its parties (all ordered choices, so every
strategy plays every role: first proposer, responder, ...; with
``self_play=True`` a strategy may also meet itself), ``repetitions`` times.
Every negotiation is one call of :func:`~bargain.simulate` with its own seed.

Scores per strategy (the standard ANAC measures; Baarslag et al. 2015), each
the mean over every negotiation the strategy played, once per role it held:

``utility``
    Its individual utility. With discounting (see below) the discounted one.
``agreement``
    The fraction of its negotiations that ended in agreement.
``welfare``
    Social welfare: the sum of every party's utility (discounted likewise).
``nash_distance``
    Euclidean distance, in utility space, from the outcome (the disagreement
    point without agreement) to the Nash point of the problem (its Nash
    package's utilities; the disagreement point when it has none).
``pareto_distance``
    Euclidean distance from the outcome to the nearest package of the
    Pareto frontier (to the disagreement point when the frontier is empty).
``rounds``
    Mean round of agreement over its agreements (``None`` without any).

Discounting, as GENIUS does it, applies when the protocol runs on time
(``"alternating"`` and ``"mediator"``): a party with discount factor ``delta``
(``Party.discount``, 1.0 by default, read from GENIUS profiles) values an
agreement reached at elapsed time ``t`` in [0, 1] (round ``r`` of ``R``:
``t = (r - 1) / (R - 1)``, as :attr:`~bargain.strategies.State.time`; the
mediator's text is agreed when its last round is over, ``t = 1``) at
``u * delta**t``, and no agreement at its reservation (disagreement) value times
``delta`` (the deadline, ``t = 1``). Distances use the undiscounted outcome.

Reproducibility: negotiation ``k`` (in schedule order: problems, then strategy
assignments, then repetitions) draws from the ``k``-th child of the seed
sequence behind ``rng`` (``SeedSequence.spawn``, through
:func:`bargain.parallel.run_blocks`), so a tournament gives the same table for
the same ``rng`` whether it runs in this process or on a Dask cluster
(``client=``), whatever the number of workers. Each negotiation's record keeps
its seed: ``bg.simulate(problem, protocol, strategies, rounds, rng=record.seed)``
replays it.

>>> import bargain as bg
>>> pie = bg.Problem.from_utilities([[k / 8, 1 - k / 8] for k in range(9)], names=["A", "B"])
>>> t = bg.tournament(pie, ["boulware", "conceder"], rounds=20, repetitions=2, rng=0)
>>> len(t.negotiations), t.scores["boulware"].utility, t.scores["conceder"].utility
(4, 0.875, 0.125)
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .._checks import check_int, counted
from ..concepts import nash
from ..errors import BargainTypeError, MissingDependencyError, ValidationError
from ..frontier import pareto_frontier
from ..parallel import run_blocks
from ..problem import Problem, require_discrete
from .protocols import DEFAULT_DEADLINE, simulate
from .strategies import by_name, check_strategy, elapsed

__all__ = ["TOURNAMENT_PROTOCOLS", "Negotiation", "Scores", "Tournament", "tournament"]

TOURNAMENT_PROTOCOLS = ("alternating", "mediator")
"""The :func:`~bargain.simulate` protocols whose parties play strategies."""

NEGOTIATIONS_PER_BLOCK = 1
"""Each negotiation is one seeded block of :func:`~bargain.parallel.run_blocks`, so
its seed is the ``k``-th child of the root seed whatever the grouping into tasks."""

MEASURES = ("utility", "agreement", "welfare", "nash_distance", "pareto_distance", "rounds")
"""The per-strategy scores, in table order."""


@dataclass(frozen=True, eq=False)
class Negotiation:
    """One negotiation of a tournament.

    Attributes
    ----------
    problem : str
        The problem's name in the tournament.
    strategies : tuple of str
        The strategy of each party, in the problem's party order.
    repetition : int
        From 0.
    seed : numpy.random.SeedSequence
        The negotiation's seed (``rng=seed`` replays it with :func:`~bargain.simulate`).
    agreement : bool
    round : int or None
        The round of agreement.
    utilities : tuple of float
        Every party's utility of the outcome (disagreement values without agreement).
    discounted : tuple of float
        The same, discounted for the time of agreement (equal without discounting).
    nash_distance, pareto_distance : float
        Distances of the outcome (``utilities``) to the Nash point and to the frontier.
    """

    problem: str
    strategies: tuple[str, ...]
    repetition: int
    seed: np.random.SeedSequence
    agreement: bool
    round: int | None
    utilities: tuple[float, ...]
    discounted: tuple[float, ...]
    nash_distance: float
    pareto_distance: float


@dataclass(frozen=True)
class Scores:
    """One strategy's ANAC measures (see :mod:`bargain.dynamics.tournaments`)."""

    negotiations: int
    utility: float
    agreement: float
    welfare: float
    nash_distance: float
    pareto_distance: float
    rounds: float | None


@dataclass(frozen=True, eq=False)
class Tournament:
    """The result of :func:`tournament`: every negotiation and the scores per strategy.

    Attributes
    ----------
    protocol : str
    rounds : int
        The deadline of every negotiation.
    repetitions : int
    problems : tuple of str
        The problems' names.
    strategies : tuple of str
        The strategies' names, in the order given.
    negotiations : tuple of Negotiation
        In schedule order.
    scores : dict
        ``{strategy: Scores}``, in the order given.
    """

    protocol: str
    rounds: int
    repetitions: int
    problems: tuple[str, ...]
    strategies: tuple[str, ...]
    negotiations: tuple[Negotiation, ...]
    scores: dict[str, Scores]

    def ranking(self) -> list[str]:
        """Strategies by mean individual utility, best first (ties: the order given)."""
        return sorted(self.strategies, key=lambda name: -self.scores[name].utility)

    def to_dict(self) -> dict:
        """Settings and scores as plain Python data (JSON-ready; ``rounds`` may be None)."""
        return {
            "protocol": self.protocol,
            "rounds": self.rounds,
            "repetitions": self.repetitions,
            "problems": list(self.problems),
            "negotiations": len(self.negotiations),
            "scores": {
                name: {"negotiations": s.negotiations, **{m: getattr(s, m) for m in MEASURES}}
                for name, s in self.scores.items()
            },
        }

    def to_frame(self):
        """The scores as a pandas DataFrame, one row per strategy (needs pandas: the
        ``frames`` extra)."""
        try:
            import pandas as pd
        except ImportError as exc:
            raise MissingDependencyError(
                "Tournament.to_frame needs pandas; install it with pip install 'bargaining[frames]'"
            ) from exc
        rows = self.to_dict()["scores"]
        frame = pd.DataFrame.from_dict(rows, orient="index")
        frame.index.name = "strategy"
        return frame

    def __str__(self) -> str:
        head = (
            f"Tournament: {counted(len(self.strategies), 'strategy', 'strategies')}, "
            f"{counted(len(self.problems), 'problem')}, "
            f"{counted(self.repetitions, 'repetition')}, {self.protocol} protocol, "
            f"{counted(self.rounds, 'round')}: {counted(len(self.negotiations), 'negotiation')}"
        )
        width = max(8, *(len(name) for name in self.strategies))
        lines = [
            head,
            f"  {'strategy':<{width}}  utility  agreement  welfare  to Nash  to Pareto  rounds",
        ]
        for name in self.ranking():
            s = self.scores[name]
            rounds = "-" if s.rounds is None else f"{s.rounds:.1f}"
            lines.append(
                f"  {name:<{width}}  {s.utility:7.4f}  {s.agreement:9.3f}  {s.welfare:7.4f}  "
                f"{s.nash_distance:7.4f}  {s.pareto_distance:9.4f}  {rounds:>6}"
            )
        return "\n".join(lines)


@dataclass(frozen=True)
class _Shared:
    """What every negotiation needs, sent to Dask workers once."""

    problems: tuple[Problem, ...]
    players: tuple[object, ...]
    schedule: tuple[tuple[int, tuple[int, ...], int], ...]
    protocol: str
    rounds: int
    discounts: tuple[np.ndarray, ...]
    nash_points: tuple[np.ndarray, ...]
    frontiers: tuple[np.ndarray, ...]


def tournament(
    problems: Problem | Sequence[Problem] | Mapping[str, Problem],
    strategies: Sequence[object] | Mapping[str, object],
    protocol: str = "alternating",
    rounds: int | None = None,
    repetitions: int = 1,
    rng: object = None,
    client: object = None,
    *,
    self_play: bool = False,
) -> Tournament:
    """Play an ANAC-style tournament (see :mod:`bargain.dynamics.tournaments`).

    Parameters
    ----------
    problems : Problem, sequence of Problem or mapping of name to Problem
        Every problem needs at least two parties (unnamed problems are called
        ``"problem 1"``, ...).
    strategies : sequence or mapping
        Built-in strategy names (``"boulware"``, ``"linear"``, ``"conceder"``,
        ``"titfortat"``, ``"hardliner"``), strategy objects (named after their
        class) or ``{name: strategy}``. A strategy must not keep per-negotiation
        state on itself (see :mod:`bargain.strategies`).
    protocol : {"alternating", "mediator"}
    rounds : int, optional
        The deadline of every negotiation; default
        :data:`~bargain.dynamics.protocols.DEFAULT_DEADLINE` (100).
    repetitions : int, default 1
        How many times each pairing plays on each problem.
    rng : None, int, SeedSequence or Generator
        The root of the negotiations' seeds.
    client : dask.distributed.Client, optional
        Play the negotiations on this Dask cluster (same results).
    self_play : bool, default False
        Let a strategy also negotiate against itself.

    Returns
    -------
    Tournament
    """
    named = _problems(problems)
    players = _strategies(strategies)
    if protocol not in TOURNAMENT_PROTOCOLS:
        raise ValidationError(
            f"tournament: protocol must be one of {list(TOURNAMENT_PROTOCOLS)} (protocols where "
            f"strategies play), got {protocol!r}"
        )
    rounds = (
        DEFAULT_DEADLINE if rounds is None else check_int(rounds, "tournament: rounds", minimum=1)
    )
    repetitions = check_int(repetitions, "tournament: repetitions", minimum=1)
    if not isinstance(self_play, bool):
        raise BargainTypeError(f"tournament: self_play must be True or False, got {self_play!r}")
    schedule = []
    for p, (name, problem) in enumerate(named.items()):
        n = problem.n_parties
        if not self_play and n > len(players):
            raise ValidationError(
                f"tournament: problem {name!r} has {n} parties but only {len(players)} "
                "strategies are given; give more strategies or self_play=True"
            )
        roles = (
            itertools.product(range(len(players)), repeat=n)
            if self_play
            else itertools.permutations(range(len(players)), n)
        )
        schedule += [(p, assignment, r) for assignment in roles for r in range(repetitions)]
    problem_list = tuple(named.values())
    shared = _Shared(
        problems=problem_list,
        players=tuple(players.values()),
        schedule=tuple(schedule),
        protocol=protocol,
        rounds=rounds,
        discounts=tuple(_discounts(problem) for problem in problem_list),
        nash_points=tuple(_nash_point(problem) for problem in problem_list),
        frontiers=tuple(_frontier_points(problem) for problem in problem_list),
    )
    played = run_blocks(
        _play, shared, len(schedule), rng=rng, block_size=NEGOTIATIONS_PER_BLOCK, client=client
    )
    names, strategy_names = tuple(named), tuple(players)
    negotiations = tuple(
        Negotiation(
            problem=names[p],
            strategies=tuple(strategy_names[s] for s in assignment),
            repetition=r,
            seed=seed,
            agreement=agreement,
            round=round_,
            utilities=utilities,
            discounted=discounted,
            nash_distance=to_nash,
            pareto_distance=to_pareto,
        )
        for (p, assignment, r), (
            seed,
            agreement,
            round_,
            utilities,
            discounted,
            to_nash,
            to_pareto,
        ) in zip(schedule, played)
    )
    return Tournament(
        protocol=protocol,
        rounds=rounds,
        repetitions=repetitions,
        problems=names,
        strategies=strategy_names,
        negotiations=negotiations,
        scores=scores(negotiations, strategy_names),
    )


def scores(negotiations: Sequence[Negotiation], strategies: Sequence[str]) -> dict[str, Scores]:
    """Each strategy's mean measures over the negotiations it played (once per role)."""
    out = {}
    for name in strategies:
        played = [
            (negotiation, role)
            for negotiation in negotiations
            for role, strategy in enumerate(negotiation.strategies)
            if strategy == name
        ]
        if not played:
            raise ValidationError(f"tournament: strategy {name!r} played no negotiation")
        agreed = [n.round for n, _ in played if n.agreement]
        out[name] = Scores(
            negotiations=len(played),
            utility=_mean(n.discounted[role] for n, role in played),
            agreement=_mean(float(n.agreement) for n, _ in played),
            welfare=_mean(math.fsum(n.discounted) for n, _ in played),
            nash_distance=_mean(n.nash_distance for n, _ in played),
            pareto_distance=_mean(n.pareto_distance for n, _ in played),
            rounds=_mean(agreed) if agreed else None,
        )
    return out


def _mean(values) -> float:
    values = list(values)
    return math.fsum(values) / len(values)


def _play(shared: _Shared, start: int, stop: int, seed: np.random.SeedSequence) -> tuple:
    """Negotiation ``start`` (one per block): its seed and its outcome."""
    (item,) = range(start, stop)
    p, assignment, _ = shared.schedule[item]
    problem = shared.problems[p]
    players = {name: shared.players[s] for name, s in zip(problem.party_names, assignment)}
    trace = simulate(problem, shared.protocol, players, shared.rounds, rng=seed)
    utilities = np.array([trace.utilities[name] for name in problem.party_names])
    if not trace.agreement or shared.protocol == "mediator":
        t = 1.0  # the deadline; the mediator's text is agreed after its last round
    else:
        t = elapsed(trace.round, shared.rounds)
    discounted = utilities * shared.discounts[p] ** t
    to_nash = float(np.linalg.norm(utilities - shared.nash_points[p]))
    to_pareto = float(np.min(np.linalg.norm(shared.frontiers[p] - utilities, axis=1)))
    return (
        seed,
        trace.agreement,
        trace.round,
        tuple(map(float, utilities)),
        tuple(map(float, discounted)),
        to_nash,
        to_pareto,
    )


def _problems(problems) -> dict[str, Problem]:
    if isinstance(problems, Problem):
        problems = [problems]
    if isinstance(problems, Mapping):
        named = {}
        for name, problem in problems.items():
            if not isinstance(name, str):
                raise BargainTypeError(f"tournament: problem names must be strings, got {name!r}")
            named[name] = require_discrete(problem, f"tournament: problems[{name!r}]")
    elif isinstance(problems, Sequence) and not isinstance(problems, str):
        named = {
            f"problem {k + 1}": require_discrete(problem, f"tournament: problems[{k}]")
            for k, problem in enumerate(problems)
        }
    else:
        raise BargainTypeError(
            "tournament: problems must be a Problem, a sequence of Problems or a mapping "
            f"{{name: Problem}}, got {problems!r}"
        )
    if not named:
        raise ValidationError("tournament: give at least one problem")
    for name, problem in named.items():
        if problem.n_parties < 2:
            raise ValidationError(
                f"tournament: problem {name!r} has {problem.n_parties} party; negotiations "
                "need at least 2"
            )
    return named


def _strategies(strategies) -> dict[str, object]:
    if isinstance(strategies, Mapping):
        items = list(strategies.items())
    elif isinstance(strategies, Sequence) and not isinstance(strategies, str):
        items = [
            (s, by_name(s)) if isinstance(s, str) else (type(s).__name__.lower(), s)
            for s in strategies
        ]
    else:
        raise BargainTypeError(
            "tournament: strategies must be a sequence of strategy names or objects, or a "
            f"mapping {{name: strategy}}, got {strategies!r}"
        )
    players: dict[str, object] = {}
    for name, strategy in items:
        if not isinstance(name, str):
            raise BargainTypeError(f"tournament: strategy names must be strings, got {name!r}")
        if name in players:
            raise ValidationError(
                f"tournament: two strategies are called {name!r}; name them with a mapping "
                "{name: strategy}"
            )
        players[name] = check_strategy(strategy, f"tournament: strategy {name!r}")
    if not players:
        raise ValidationError("tournament: give at least one strategy")
    return players


def _discounts(problem: Problem) -> np.ndarray:
    """Each party's discount factor (``Party.discount``)."""
    return np.array([party.discount for party in problem.parties])


def _nash_point(problem: Problem) -> np.ndarray:
    return np.array(list(nash(problem).utilities.values()))


def _frontier_points(problem: Problem) -> np.ndarray:
    points = pareto_frontier(problem).utilities
    return points if len(points) else problem.disagreement[None, :]
