"""Simulated negotiations: protocols that let strategies concede, round by round.

Protocols
---------
``"alternating"``
    The parties propose in turn, in party order (or from ``first``); one
    offer per round. An offer is agreed when every other party accepts it:
    for two parties Rubinstein's alternating offers, for more the *stacked*
    alternating offers protocol (Aydoğan et al. 2017).
``"mediator"``
    A single negotiating text (Raiffa 1982): the text starts at a random
    allowed package; each round a mediator proposes changing one issue (one
    option chosen at random) and the text changes when every party accepts.
    After the last round the parties agree on the text if it is individually
    rational (every party's gain over its disagreement value above
    :data:`~bargain.engine.DEFAULT_UTILITY_TOLERANCE`, as on the Pareto
    frontier); ``round`` is
    then the round the final text was adopted. Package indices are exact Python
    ints, so spaces of any size work (beyond 2**63 packages too).
``"zeuthen"``
    Zeuthen–Harsanyi concession (two parties, no strategies): both start at
    their best frontier package; each round, the party less willing to risk
    conflict concedes (both on a tie). With equal powers that is Zeuthen's
    rule, the lower risk ``r_i = (u_i(own) - u_i(other's)) / (u_i(own) - d_i)``,
    which is the party whose own proposal has the lower Nash product (Harsanyi
    1956); with powers ``w_i``, the lower weighted risk ``w_i log(1 / (1 - r_i))``,
    i.e. the lower weighted Nash product (the engine's
    :class:`~bargain.criteria.Nash`), so the process ends next to the
    asymmetric Nash package. A concession is minimal: one step along the
    frontier toward the other. Agreement when a party is offered at least what
    its own proposal gives it (between two such proposals, the one with the
    larger weighted Nash product, then the lower index). Zeuthen always ends
    (within as many rounds as the frontier has packages), so it runs to its end
    unless ``rounds`` sets a limit.

Offers are always packages of the problem's Pareto frontier when they come
from the built-in strategies (see :mod:`bargain.dynamics.book`); the frontier
is computed once per problem and every strategy query is a binary search on
it, so a negotiation never scans the space.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from .. import engine
from .._checks import check_int
from ..errors import BargainTypeError, OutOfRangeError, UnknownNameError, ValidationError
from ..parallel import root_seed
from ..problem import Problem, require_discrete
from .book import OfferBook, log_nash, offer_book
from .strategies import State, by_name, check_strategy
from .trace import Offer, Trace

__all__ = ["PROTOCOLS", "simulate"]

PROTOCOLS = ("alternating", "mediator", "zeuthen")
"""The protocols :func:`simulate` knows."""

DEFAULT_STRATEGY = "linear"
"""The built-in strategy (:func:`~bargain.strategies.by_name`) of a party ``strategies``
does not name."""

MEDIATOR = "mediator"
"""The proposer name of a mediator's texts."""

DEFAULT_DEADLINE = 100
"""The deadline of ``"alternating"`` and ``"mediator"`` when ``rounds`` is not given
(time-dependent strategies concede toward it)."""

RISK_TOLERANCE = 1e-12
"""Zeuthen: proposals whose (weighted) log Nash products are this close are a tie
(both concede)."""


def simulate(
    problem: Problem,
    protocol: str = "alternating",
    strategies: Mapping[str, object] | None = None,
    rounds: int | None = None,
    rng: object = None,
    first: str | None = None,
) -> Trace:
    """Simulate a negotiation on ``problem`` and return its :class:`Trace`.

    Parameters
    ----------
    problem : Problem
    protocol : {"alternating", "mediator", "zeuthen"}
        See :mod:`bargain.dynamics.protocols`.
    strategies : mapping of party name to strategy, optional
        Objects with ``propose(state)`` and ``accept(state, offer)`` (see
        :mod:`bargain.strategies`). Parties not named play
        :class:`~bargain.strategies.Linear`. Not used by ``"zeuthen"``.
    rounds : int, optional
        The deadline (at least 1): offers under ``"alternating"``, mediator
        proposals, Zeuthen rounds. Default: :data:`DEFAULT_DEADLINE` (100) for
        ``"alternating"`` and ``"mediator"``; no limit for ``"zeuthen"``, which
        always ends.
    rng : None, int, numpy SeedSequence or Generator, optional
        Resolved by ``numpy.random.default_rng(rng)``; the same seed gives the
        same trace. Anything else is a :class:`~bargain.BargainTypeError`.
    first : str, optional
        The party who proposes first under ``"alternating"`` (default: the first); an
        error under the other protocols, where nobody does.

    Examples
    --------
    >>> import bargain as bg
    >>> p = bg.Problem.from_utilities([[k, 8 - k] for k in range(9)], names=["A", "B"])
    >>> trace = bg.simulate(p, strategies={"A": bg.strategies.Boulware(),
    ...                                    "B": bg.strategies.Conceder()}, rounds=20)
    >>> trace.agreement, trace.utilities
    (True, {'A': 7.0, 'B': 1.0})
    """
    problem = require_discrete(problem, "simulate")
    if protocol not in PROTOCOLS:
        raise UnknownNameError(
            f"simulate: unknown protocol {protocol!r}; protocols are {list(PROTOCOLS)}"
        )
    if rounds is not None:
        rounds = check_int(rounds, "simulate: rounds", minimum=1)
    if first is not None and protocol != "alternating":
        raise ValidationError(
            f"simulate: first (here {first!r}) applies to the alternating protocol only; under "
            f"{protocol!r} nobody proposes first"
        )
    # A Generator is used as it is (its stream continues); anything else is checked
    # as every seeded analysis checks it.
    generator = np.random.default_rng(
        rng if isinstance(rng, np.random.Generator) else root_seed(rng)
    )
    names = problem.party_names
    if protocol == "zeuthen":
        if strategies is not None:
            raise ValidationError(
                "simulate: the zeuthen protocol fixes how parties concede; strategies must be None"
            )
        if problem.n_parties != 2:
            raise ValidationError(
                f"simulate: the zeuthen protocol needs exactly 2 parties, the problem has "
                f"{problem.n_parties}"
            )
        return _zeuthen(problem, offer_book(problem), rounds)
    players = _check_strategies(strategies, names)
    rounds = DEFAULT_DEADLINE if rounds is None else rounds
    start = 0 if first is None else problem.party_position(first)
    book = offer_book(problem)
    if protocol == "alternating":
        return _alternating(problem, book, players, rounds, generator, start)
    return _mediator(problem, book, players, rounds, generator)


def _check_strategies(strategies, names) -> list[object]:
    if strategies is None:
        strategies = {}
    if not isinstance(strategies, Mapping):
        raise BargainTypeError(
            f"simulate: strategies must be a mapping {{party: strategy}}, got {strategies!r}"
        )
    for name, strategy in strategies.items():
        if name not in names:
            raise UnknownNameError(
                f"simulate: strategies names party {name!r}, which the problem does not have; "
                f"parties are {list(names)}"
            )
        check_strategy(strategy, f"simulate: strategies[{name!r}]")
    return [strategies[name] if name in strategies else by_name(DEFAULT_STRATEGY) for name in names]


def _checked_package(problem: Problem, book: OfferBook, index: object, party: str) -> np.ndarray:
    """Utilities of the package a strategy proposed, after checking it is one."""
    field = f"simulate: the strategy of {party!r} proposed what is not a package index; it"
    index = check_int(index, field)
    if index in book.position:
        return book.utilities[book.position[index]]
    if not 0 <= index < problem.space.size:
        raise OutOfRangeError(
            f"simulate: the strategy of {party!r} proposed package {index}, outside the space "
            f"(0 to {problem.space.size - 1})"
        )
    if not problem.allowed(index):
        raise ValidationError(
            f"simulate: the strategy of {party!r} proposed package {index}, which crosses a "
            "red line"
        )
    return problem.utilities(index)


def _states(problem, book, rounds, generator, offers, first, last) -> list[State]:
    return [
        State(name, j, 1, rounds, book, generator, offers, first, last)
        for j, name in enumerate(problem.party_names)
    ]


def _no_deal(problem: Problem, protocol: str, offers: list[Offer], conceders=()) -> Trace:
    utilities = dict(zip(problem.party_names, map(float, problem.disagreement)))
    return Trace(
        problem, protocol, tuple(offers), False, None, None, utilities, conceders=tuple(conceders)
    )


def _deal(
    problem: Problem, protocol: str, offers: list[Offer], agreed: Offer, conceders=()
) -> Trace:
    utilities = dict(zip(problem.party_names, map(float, agreed.utilities)))
    return Trace(
        problem,
        protocol,
        tuple(offers),
        True,
        agreed.index,
        agreed.round,
        utilities,
        conceders=tuple(conceders),
    )


def _alternating(problem, book, players, rounds, generator, start) -> Trace:
    n = problem.n_parties
    names = problem.party_names
    offers: list[Offer] = []
    first: dict[str, Offer] = {}
    last: dict[str, Offer] = {}
    states = _states(problem, book, rounds, generator, offers, first, last)
    if not len(book):
        return _no_deal(problem, "alternating", offers)
    for round_ in range(1, rounds + 1):
        proposer = (start + round_ - 1) % n
        for state in states:
            state.round = round_
        index = players[proposer].propose(states[proposer])
        utilities = _checked_package(problem, book, index, names[proposer])
        offer = Offer(round_, names[proposer], int(index), utilities)
        rejected = tuple(
            names[j] for j in range(n) if j != proposer and not players[j].accept(states[j], offer)
        )
        offer.rejected_by = rejected
        offer.accepted = not rejected
        offers.append(offer)
        first.setdefault(offer.proposer, offer)
        last[offer.proposer] = offer
        if offer.accepted:
            return _deal(problem, "alternating", offers, offer)
    return _no_deal(problem, "alternating", offers)


def _mediator(problem, book, players, rounds, generator) -> Trace:
    # The factors' allowed combinations are all the mediator needs (utilities come from
    # the problem): terms too wide to fold stay loose rather than refused.
    compiled = engine.compiled(problem, loose=True)
    offers: list[Offer] = []
    states = _states(problem, book, rounds, generator, offers, {}, {})
    if compiled.empty:
        return _no_deal(problem, MEDIATOR, offers)
    factors = compiled.factors
    # exact Python-int index contributions: a text's index never overflows int64
    offsets = [compiled.exact_offsets(factor) for factor in factors]
    # utilities are the model's (its one summation, caps and interactions included)
    choice = [int(generator.integers(factor.size)) for factor in factors]
    index = sum(int(offset[c]) for offset, c in zip(offsets, choice))
    text = Offer(0, MEDIATOR, index, problem.utilities(index), accepted=True)
    adopted_in = 0
    changeable = [f for f, factor in enumerate(factors) if factor.size > 1]
    for round_ in range(1, rounds + 1):
        if not changeable:
            break
        f = changeable[int(generator.integers(len(changeable)))]
        factor = factors[f]
        new = int(generator.integers(factor.size - 1))
        new += new >= choice[f]  # any combination but the current one
        index = text.index - int(offsets[f][choice[f]]) + int(offsets[f][new])
        offer = Offer(round_, MEDIATOR, index, problem.utilities(index))
        for state in states:
            state.round, state.current = round_, text
        offer.rejected_by = tuple(
            state.party for player, state in zip(players, states) if not player.accept(state, offer)
        )
        offer.accepted = not offer.rejected_by
        offers.append(offer)
        if offer.accepted:
            text, choice[f], adopted_in = offer, new, round_
    # individually rational as everywhere: every gain above the one utility tolerance
    if engine.rational(text.utilities - problem.disagreement):
        agreed = Offer(adopted_in, MEDIATOR, text.index, text.utilities, accepted=True)
        return _deal(problem, MEDIATOR, offers, agreed)
    return _no_deal(problem, MEDIATOR, offers)


def _zeuthen(problem: Problem, book: OfferBook, rounds: int) -> Trace:
    names = problem.party_names
    d = problem.disagreement
    offers: list[Offer] = []
    if not len(book):
        return _no_deal(problem, "zeuthen", offers)
    # The frontier by the first party's utility: its best package last, the second's first.
    order = np.lexsort((book.indices, book.utilities[:, 0]))
    utilities = book.utilities[order]
    held = [order.size - 1, 0]
    conceded: list[tuple[str, ...]] = []
    with np.errstate(divide="ignore"):  # a zero gain scores -inf
        products = log_nash(problem.powers, (utilities - d).T)
    # each round at least one party moves one step: they meet within order.size rounds
    for round_ in range(1, (order.size if rounds is None else rounds) + 1):
        own = [utilities[held[0]], utilities[held[1]]]
        pair = [Offer(round_, names[i], int(book.indices[order[held[i]]]), own[i]) for i in (0, 1)]
        offers += pair
        # Party i accepts the other's proposal when it gives i at least its own.
        accepts = [own[1][0] >= own[0][0], own[0][1] >= own[1][1]]
        if any(accepts):
            # Both acceptable: the proposal with the larger Nash product, then the lower index.
            candidates = [1 - i for i in (0, 1) if accepts[i]]
            chosen = max(candidates, key=lambda i: (products[held[i]], -pair[i].index))
            for i in (0, 1):
                pair[i].accepted = pair[i].index == pair[chosen].index
                if not pair[i].accepted:
                    pair[i].rejected_by = (names[1 - i],)
            return _deal(problem, "zeuthen", offers, pair[chosen], conceded)
        willing = [products[held[i]] for i in (0, 1)]  # the lower concedes
        if willing[0] == willing[1] or abs(willing[0] - willing[1]) <= RISK_TOLERANCE:
            conceders = (0, 1)
        else:
            conceders = (int(np.argmin(willing)),)
        for i in (0, 1):
            pair[i].rejected_by = (names[1 - i],)
        pair[1].note = ", ".join(names[i] for i in conceders) + (
            " concede" if len(conceders) > 1 else " concedes"
        )
        conceded.append(tuple(names[i] for i in conceders))
        for i in conceders:
            held[i] += -1 if i == 0 else 1
    return _no_deal(problem, "zeuthen", offers, conceded)
