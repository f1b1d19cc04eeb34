"""The scoring engine: the only place that loops over packages.

Everything here works on the arrays of a compiled problem and trusts them (the
model validated them). Solution concepts hand the engine an *objective*, a
function of the parties' gains over disagreement, and the engine streams the
space in blocks to find the best packages and their ties.

How the space is streamed
-------------------------
1. **Factors.** Red lines that link several issues make those issues one
   *factor* whose options are the allowed combinations (the links are the
   connected components of a graph of issues, found with networkx); a red line
   on a single issue just removes options. After this, every package of the
   factored space crosses no red line and utilities are sums of one
   contribution vector per factor: no mask is ever evaluated per package.
2. **Inner and outer factors.** The last factors form an *inner* block whose
   utilities (``n_parties x I``) are computed once; the first factors are
   enumerated as *outer* combinations. A block of packages is
   ``outer[:, m, None] + inner[:, None, I]``: one addition per party and package.
3. **Bounds.** For an objective that does not decrease in any party's gain
   (all the classic ones), ``objective(outer + max(inner))`` bounds every package
   of an outer combination. Outer combinations are visited best bound first, and
   the scan stops as soon as no remaining bound can reach the incumbent (within
   the tie tolerance). ``prune=False`` scores every package.
4. **Memory.** A block never holds more packages than ``memory_budget`` allows
   (about ``(3 * n_parties + 3) * 8`` bytes each), nor more than
   :data:`BLOCK_TARGET` (cache-sized blocks score faster); nothing
   proportional to the space is ever allocated. Spaces too large to score are
   searched by the branch and bound of :mod:`bargain.search`.
5. **Small spaces.** A space of at most :data:`HELD_WHOLE_PACKAGES` packages is held
   whole (:func:`small_space`): its rational packages and their reported utilities,
   computed once per problem in a handful of numpy calls and shared by the
   frontier and every concept (:func:`small_argmax`), which then take a few
   calls each (when its arrays fit in the memory budget).

Ties are every package whose objective is within ``tie_tol`` of the best one;
they are reported ascending by package index, and the lowest is the solution.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import numpy as np

from .errors import SolverError
from .problem import add_terms, sum_contributions

__all__ = [
    "DEFAULT_MAX_TIES",
    "DEFAULT_MEMORY_BUDGET",
    "DEFAULT_TIE_TOLERANCE",
    "DEFAULT_UTILITY_TOLERANCE",
    "HELD_WHOLE_PACKAGES",
    "TIE_HOLD_EXTRA",
    "Best",
    "Compiled",
    "Factor",
    "SmallSpace",
    "argmax",
    "compile_problem",
    "compiled",
    "pareto_mask",
    "rational",
    "small_argmax",
    "small_space",
    "tie_capacity",
    "vector_ids",
]


class _Networkx:
    """networkx, imported on first use rather than by ``import bargain`` (start-up)."""

    def __getattr__(self, name: str):
        import networkx

        return getattr(networkx, name)


nx = _Networkx()

DEFAULT_MEMORY_BUDGET = 64 * 2**20
"""Bytes a block of packages may take (default 64 MiB)."""

DEFAULT_TIE_TOLERANCE = 1e-9
"""Absolute tolerance on the objective within which packages tie (for Nash, on
the log of the Nash product: a relative 1e-9 on the product itself)."""

DEFAULT_UTILITY_TOLERANCE = 1e-9
"""Absolute tolerance on utilities, the one used wherever utilities are compared:
a package is individually rational when every party's gain over disagreement
exceeds it, and in dominance two utilities that differ by no more than it (or
by a chain of such steps) count as equal. Sums of the same numbers in another
order differ by far less (about 1e-16 per unit of utility), so rounding noise
never decides; exact differences smaller than it are treated as ties.
Settable per call where users need it (``pareto_frontier(..., utility_tol=)``)."""


def rational(gains: np.ndarray, utility_tol: float = DEFAULT_UTILITY_TOLERANCE):
    """Individual rationality, the one rule every path applies: every party's gain over its
    no-deal value exceeds ``utility_tol``. ``gains`` is ``(n,)`` for one package (a bool)
    or ``(n, ...)``, parties first, for many (a mask of the rest of the shape, built party
    by party: no temporary of the whole shape).

    >>> rational(np.array([0.2, 2e-9])), rational(np.array([0.2, 1e-9]))
    (True, False)
    >>> rational(np.array([[0.5, 0.5, -0.1], [0.1, 0.0, 0.3]]))
    array([ True, False, False])
    """
    if gains.ndim == 1:
        return bool(np.all(gains > utility_tol))
    mask = gains[0] > utility_tol
    for row in gains[1:]:
        mask &= row > utility_tol
    return mask


DEFAULT_MAX_TIES = 1000
"""How many tied packages a solution lists at most (the lowest indices)."""

TIE_HOLD_EXTRA = 4096
"""Candidate ties held beyond four per listed tie (see :func:`tie_capacity`)."""


def tie_capacity(max_ties: int) -> int:
    """How many candidate ties a scan or search holds in memory before it trims them
    (the search) or falls back to a second, listing pass (the block scorer).

    >>> tie_capacity(1000)
    8096
    """
    return 4 * max_ties + TIE_HOLD_EXTRA


INNER_TARGET = 16384
"""Packages in the inner block: small enough for tight bounds per outer
combination, large enough that numpy's per-call overhead is amortized."""

BLOCK_TARGET = 2**16
"""Packages in a block at most, whatever the memory budget: a block's arrays
then stay in the processor's cache, which scores faster than bigger blocks."""

FOLD_LIMIT = 128
"""The search folds a non-additive term into a factor while the factor keeps at
most this many combinations; a term that would make it larger stays *loose*
(:class:`Loose`) and the search bounds it instead."""

PARETO_GRID_ABOVE = 1024
""":func:`pareto_mask` thins inputs of more rows than this with a grid first
(again on what is left, while the grid removes enough)."""

PARETO_DIRECT_ROWS = 64
""":func:`pareto_mask` compares every pair of rows at once for inputs of at most this
many rows (cheaper than sorting and sweeping at that size)."""

PARETO_GRID_THINS = 0.75
"""The grid is used again only while it leaves fewer than this share of the rows."""

DOMINANCE_SLICE = 2048
"""Rows of the dominating set encoded as bitsets at once before covered candidates leave."""

BITSET_BYTES = 2**16
""":func:`_bitset_mask` builds the prefix bitsets of this many bytes of columns at once (at least
one column; larger buffers cost more in page faults and cache misses than the calls they save)."""

PARETO_GRID_CELLS = 2**20
"""Cells of that grid at most (its memory: one byte each)."""

PARETO_GRID_CELLS_PER_ROW = 4
"""...and at most this many cells per row (a finer grid costs more than it saves)."""

PARETO_GRID_BINS = 1024
"""Bins per coordinate of that grid at most."""

Objective = Callable[[np.ndarray], np.ndarray]
"""Maps gains over disagreement, shape ``(n_parties, B)`` and all positive, to
scores of shape ``(B,)``. Must not decrease in any gain when pruning is on."""


@dataclass(frozen=True)
class Factor:
    """One factor of a compiled problem: a group of issues and their allowed combinations.

    ``positions[i]`` are the option positions, on ``issues``, of combination
    ``i``; ``contrib[:, i]`` its utility contribution for each party; and
    ``offsets[i]`` its contribution to the package index (int64; only valid
    when the space has fewer than 2**63 packages).
    """

    issues: tuple[int, ...]
    positions: np.ndarray
    contrib: np.ndarray
    offsets: np.ndarray

    @property
    def size(self) -> int:
        return int(self.contrib.shape[1])


@dataclass(frozen=True)
class Loose:
    """A rectangle bonus the factors do not hold: party ``party`` gets ``bonus`` when,
    for every ``(f, mask)`` of ``masks``, ``mask[combination chosen on factor f]``."""

    party: int
    bonus: float
    masks: tuple[tuple[int, np.ndarray], ...]


@dataclass(frozen=True)
class Compiled:
    """The arrays every kernel works on, derived once from a :class:`~bargain.Problem`."""

    factors: tuple[Factor, ...]
    disagreement: np.ndarray
    powers: np.ndarray
    sizes: tuple[int, ...]
    strides: tuple[int, ...]
    loose: tuple[Loose, ...] = ()
    """Rectangle bonuses left out of the factors (only in the search's compiled form)."""
    cap: np.ndarray | None = None
    """Per-party caps on utility (``None``: no party has one); a package's utility
    is ``min(cap, sum of its factors' contributions)``."""

    def gains(self, utilities: np.ndarray) -> np.ndarray:
        """Gains over disagreement of uncapped utilities ``(n, B)``: the cap applied."""
        if self.cap is not None:
            utilities = np.minimum(utilities, self.cap[:, None])
        return utilities - self.disagreement[:, None]

    @property
    def n_parties(self) -> int:
        return int(self.disagreement.size)

    @property
    def empty(self) -> bool:
        """True when red lines exclude every package."""
        return any(factor.size == 0 for factor in self.factors)

    @property
    def allowed_size(self) -> int:
        """Number of packages that cross no red line."""
        return math.prod(factor.size for factor in self.factors)

    @property
    def indexable(self) -> bool:
        """Whether package indices fit in int64 (exhaustive kernels need it)."""
        return math.prod(self.sizes) < 2**63

    def exact_offsets(self, factor: Factor) -> np.ndarray:
        """``factor``'s index contributions as exact Python ints (an object array)."""
        strides = np.array([self.strides[k] for k in factor.issues], dtype=object)
        return factor.positions.astype(object) @ strides

    def package_index(self, combination: tuple[int, ...]) -> int:
        """Exact package index (a Python int) of one combination per factor."""
        index = 0
        for factor, choice in zip(self.factors, combination):
            for k, position in zip(factor.issues, factor.positions[choice]):
                index += int(position) * self.strides[k]
        return index


def compiled(
    problem, memory_budget: int = DEFAULT_MEMORY_BUDGET, *, loose: bool = False, lean: bool = False
) -> Compiled:
    """The problem's compiled arrays, built once per (immutable) problem and kept on it.

    ``loose=True`` is the search's form: non-additive terms are folded into
    factors only while a factor keeps at most :data:`FOLD_LIMIT` combinations.
    ``lean=True`` (with ``loose``) is the mixed-integer programs' form
    (:mod:`bargain.milp`): a term is folded only where the joint table adds no more
    options than the loose bonuses it replaces (see :func:`compile_problem`).
    What is kept does not depend on ``memory_budget``: the budget only decides
    whether the linked combinations may be built, and it is checked on every
    call, so the answer never depends on which call came first.
    """
    # with no term spanning two issues, nothing is left loose: every form is the same
    spanning = any(len(term.issues) > 1 for _, term in problem.terms)
    form = ("lean" if lean else "loose") if loose and spanning else None
    result = problem.cached(
        "engine.compiled" if form is None else f"engine.compiled.{form}",
        lambda: compile_problem(problem, memory_budget, FOLD_LIMIT if loose else None, lean),
    )
    for factor in result.factors:
        _check_linked(problem, factor.issues, memory_budget)
    return result


HELD_WHOLE_PACKAGES = 2**14
"""Discrete spaces of at most this many packages are held whole (:func:`small_space`):
there a handful of numpy calls over every package cost less than any pruning (measured
on the ANAC domains with ``benchmarks/bench_genius.py``: 2 to 4x faster up to 15625)."""


@dataclass(frozen=True)
class SmallSpace:
    """The rational packages of a small discrete space, all at once (see :func:`small_space`)."""

    allowed: int
    """How many packages cross no red line."""
    indices: np.ndarray
    """The rational ones' indices (m,), int64 ascending."""
    utilities: np.ndarray
    """Their utilities (m, n): :meth:`~bargain.Problem.utilities_of` the indices, bit for bit
    (the transpose of a C-contiguous (n, m) array: one column per party)."""
    gains: np.ndarray
    """Their gains over disagreement (n, m): ``utilities.T - disagreement``."""


def small_space(
    problem,
    utility_tol: float = DEFAULT_UTILITY_TOLERANCE,
    memory_budget: int = DEFAULT_MEMORY_BUDGET,
) -> SmallSpace | None:
    """Every rational package of a discrete space of at most :data:`HELD_WHOLE_PACKAGES`
    packages, with its reported utilities; ``None`` for a larger or continuous space, or when the
    packages' arrays would not fit in ``memory_budget`` bytes.

    Built once per (immutable) problem and tolerance, and kept on it: the frontier and
    every concept share it. A package is rational when it crosses no red line and every
    party's gain exceeds ``utility_tol``, judged on the reported utilities (so a package
    is rational for every caller, or for none).

    >>> import bargain as bg
    >>> small = small_space(bg.Problem.from_utilities([[3, 1], [1, 3], [0, 2]]))
    >>> small.indices, small.gains
    (array([0, 1]), array([[3., 1.],
           [1., 3.]]))
    """
    space = problem.space
    if space.continuous_issues:
        return None
    size = space.size
    if (
        size > HELD_WHOLE_PACKAGES
        or size * (problem.n_parties + len(space.issues)) * 24 > memory_budget
    ):
        return None
    return problem.cached(
        f"engine.small_space.{utility_tol!r}", lambda: _small_space(problem, size, utility_tol)
    )


def _small_space(problem, size: int, utility_tol: float) -> SmallSpace:
    sizes = problem.space.sizes
    # Every package in index order, its tables summed from zero issue by issue: the
    # order of sum_contributions, so the bits of Problem.utilities_of.
    total = _outer_sums(problem.tables, problem.n_parties)
    indices = np.arange(size, dtype=np.int64)
    positions = None
    if problem.rules or problem.terms:
        positions = np.indices(sizes).reshape(len(sizes), size).T
    if not problem.additive:
        total = problem._transformed(total, positions)  # the terms, maximum and cap
    if problem.rules:
        allowed = ~_crossing(problem.rules, positions, lambda k: k)
        indices, total = indices.compress(allowed), total.compress(allowed, axis=1)
    gains = total - problem.disagreement[:, None]
    allowed = indices.size
    if allowed and not gains.min() > utility_tol:  # (one reduction when all are rational)
        keep = rational(gains, utility_tol)
        # (compress: far faster than a boolean index along axis 1)
        indices = indices.compress(keep)
        total, gains = total.compress(keep, axis=1), gains.compress(keep, axis=1)
    return SmallSpace(allowed, indices, total.T, gains)


def _check_linked(problem, component: list[int] | tuple[int, ...], memory_budget: int) -> None:
    """Refuse a factor whose combinations take more than ``memory_budget`` bytes."""
    count = math.prod(problem.space.sizes[k] for k in component)
    if count * problem.n_parties * 8 > memory_budget:
        names = [problem.space.issues[k].name for k in component]
        links = "red lines" if problem.additive else "red lines and non-additive terms"
        raise SolverError(
            f"{links} link issues {names} into {count} combinations, more than the memory "
            f"budget of {memory_budget} bytes allows; raise memory_budget or split the red lines"
        )


def _components(problem, fold_limit: int | None, lean: bool = False) -> list[list[int]]:
    """Groups of issues: linked by red lines always, by non-additive terms while the
    group's joint table stays within ``fold_limit`` combinations (all when None); with
    ``lean``, only where the joint table adds at most as many combinations as the term
    has loose bonuses (:func:`_loose`: one per rectangle, one per nonzero cell of a
    table), the mixed-integer programs' columns."""
    sizes = problem.space.sizes
    linking = [rule.issues for rule in problem.rules] + [term.issues for _, term in problem.terms]
    if all(len(issues) < 2 for issues in linking):  # nothing links issues: no graph needed
        return [[k] for k in range(len(sizes))]
    graph = nx.Graph()
    graph.add_nodes_from(range(len(sizes)))
    for rule in problem.rules:
        graph.add_edges_from(itertools.pairwise(rule.issues))
    if fold_limit is None:
        for _, term in problem.terms:
            graph.add_edges_from(itertools.pairwise(term.issues))
    elif problem.terms:
        group = {k: frozenset(c) for c in nx.connected_components(graph) for k in c}
        candidates = sorted(
            (math.prod(sizes[k] for k in frozenset().union(*(group[k] for k in t.issues))), i)
            for i, (_, t) in enumerate(problem.terms)
        )
        for _, i in candidates:
            issues = problem.terms[i][1].issues
            merged = frozenset().union(*(group[k] for k in issues))
            size = math.prod(sizes[k] for k in merged)
            if lean:
                term = problem.terms[i][1]
                cells = 1 if term.table is None else int(np.count_nonzero(term.table))
                parts = {group[k] for k in issues}
                if size > sum(math.prod(sizes[k] for k in part) for part in parts) + cells:
                    continue
            if size <= fold_limit:
                graph.add_edges_from(itertools.pairwise(issues))
                for k in merged:
                    group[k] = merged
    return sorted((sorted(c) for c in nx.connected_components(graph)), key=lambda c: c[0])


def compile_problem(
    problem,
    memory_budget: int = DEFAULT_MEMORY_BUDGET,
    fold_limit: int | None = None,
    lean: bool = False,
) -> Compiled:
    """Factor a problem so that red lines disappear into the factors' option lists.

    Non-additive terms are folded into the factors (all of them when
    ``fold_limit`` is None; otherwise while a factor keeps at most
    ``fold_limit`` combinations, and with ``lean`` only where that adds no more options
    than the term's loose bonuses); the others become :class:`Loose` terms.
    """
    space = problem.space
    components = _components(problem, fold_limit, lean)
    # issue -> its component's first issue
    leader = {k: component[0] for component in components for k in component}
    factor_of = {k: f for f, component in enumerate(components) for k in component}
    terms_by_leader: dict[int, list] = {}
    loose_terms = []
    for j, term in problem.terms:
        if len({leader[k] for k in term.issues}) == 1:
            terms_by_leader.setdefault(leader[term.issues[0]], []).append((j, term))
        else:
            loose_terms.append((j, term))
    factors = []
    for component in components:
        _check_linked(problem, component, memory_budget)
        sizes = [space.sizes[k] for k in component]
        positions = np.indices(sizes).reshape(len(component), -1).T
        rules = [rule for rule in problem.rules if leader[rule.issues[0]] == component[0]]
        keep = ~_crossing(rules, positions, component.index)
        positions = np.ascontiguousarray(positions[keep])
        # the model's one summation order: issue by issue (components are sorted)
        contrib = sum_contributions(
            (problem.tables[k][:, positions[:, column]] for column, k in enumerate(component)),
            (problem.n_parties, positions.shape[0]),
        )
        offsets = np.zeros(positions.shape[0], dtype=np.int64)
        if math.prod(space.sizes) < 2**63:
            for column, k in enumerate(component):
                offsets += positions[:, column].astype(np.int64) * np.int64(space.strides[k])
        columns = {k: c for c, k in enumerate(component)}
        add_terms(contrib, positions, terms_by_leader.get(component[0], ()), columns)
        if not problem.additive:
            contrib /= problem.maximum[:, None]
        factors.append(Factor(tuple(component), positions, contrib, offsets))
    capped = not problem.additive and bool(np.any(problem.cap < np.inf))
    loose = []
    for j, term in loose_terms:
        loose += _loose(j, term, factors, factor_of, float(problem.maximum[j]))
    return Compiled(
        factors=tuple(factors),
        loose=tuple(loose),
        disagreement=np.asarray(problem.disagreement, dtype=float),
        powers=np.asarray(problem.powers, dtype=float),
        sizes=space.sizes,
        strides=space.strides,
        cap=np.asarray(problem.cap, dtype=float) if capped else None,
    )


def _crossing(rules, positions: np.ndarray, column: Callable[[int], int]) -> np.ndarray:
    """Which packages at option ``positions`` (m, columns; issue ``k`` in column
    ``column(k)``) cross one of ``rules`` (red lines): a boolean mask (m,)."""
    crossed = np.zeros(positions.shape[0], dtype=bool)
    for rule in rules:
        hit = np.ones(positions.shape[0], dtype=bool)
        for k, mask in rule.clauses:
            hit &= mask[positions[:, column(k)]]
        crossed |= hit
    return crossed


def _loose(j: int, term, factors: list[Factor], factor_of: dict, maximum: float) -> list[Loose]:
    """A term spanning several factors as rectangles: one per nonzero cell of an
    interaction table, one for a rectangle of nonzero bonus; bonuses divided by
    ``maximum``. (A bonus of 0 is no term: left in, it kept options that differ in
    nothing apart, and HiGHS then had two packages to tell apart where numpy has one.)"""
    if term.table is None:
        cells = [(term.bonus, [np.asarray(mask) for mask in term.masks])] if term.bonus else []
    else:
        cells = []
        for cell in zip(*np.nonzero(term.table)):
            masks = [np.arange(term.table.shape[c]) == cell[c] for c in range(len(cell))]
            cells.append((float(term.table[cell]), masks))
    out = []
    for bonus, masks in cells:
        by_factor: dict[int, np.ndarray] = {}
        for k, mask in zip(term.issues, masks):
            f = factor_of[k]
            factor = factors[f]
            hit = mask[factor.positions[:, factor.issues.index(k)]]
            by_factor[f] = by_factor[f] & hit if f in by_factor else hit
        out.append(Loose(j, bonus / maximum, tuple(sorted(by_factor.items()))))
    return out


@dataclass(frozen=True)
class Best:
    """Result of :func:`argmax`: the best score and every package within tolerance."""

    score: float
    indices: np.ndarray
    gains: np.ndarray
    truncated: bool
    scored: int
    utilities: np.ndarray | None = None
    """The first package's reported utilities (:meth:`~bargain.Problem.utilities`, bit
    for bit) when the engine has them at hand; ``None`` otherwise."""

    @property
    def found(self) -> bool:
        return self.indices.size > 0


def _sum_rows(factors: tuple[Factor, ...], n_parties: int) -> tuple[np.ndarray, np.ndarray]:
    """All combinations of some factors: contributions (n, I) and offsets (I,), row-major."""
    contrib = _outer_sums((factor.contrib for factor in factors), n_parties)
    offsets = _outer_sums((factor.offsets[None, :] for factor in factors), 1, np.int64)
    return contrib, offsets[0]


def _outer_sums(parts: Iterable[np.ndarray], rows: int, dtype: type = float) -> np.ndarray:
    """Every combination of one column of each part (``(rows, s_k)`` arrays), summed from
    zero in part order: shape ``(rows, prod s_k)``, row-major (the first part slowest)."""
    total = np.zeros((rows, 1), dtype=dtype)
    for part in parts:
        if total.shape[1] == 1:  # (the first part: a broadcast is enough)
            total = total + part
        else:
            total = (total[:, :, None] + part[:, None, :]).reshape(rows, -1)
    return total


def _decode(factors: tuple[Factor, ...], linear: np.ndarray, n_parties: int):
    """Contributions (n, m) and offsets (m,) of outer combinations given by linear index."""
    contrib = np.zeros((n_parties, linear.size))
    offsets = np.zeros(linear.size, dtype=np.int64)
    rest = linear.copy()
    for factor in reversed(factors):
        choice = rest % factor.size
        rest //= factor.size
        contrib += factor.contrib[:, choice]
        offsets += factor.offsets[choice]
    return contrib, offsets


@dataclass
class _Plan:
    outer: tuple[Factor, ...]
    inner_contrib: np.ndarray
    inner_offsets: np.ndarray
    n_outer: int
    group: int  # outer combinations per block


def _plan(compiled: Compiled, memory_budget: int) -> _Plan:
    n = compiled.n_parties
    block = max(1, min(BLOCK_TARGET, memory_budget // ((3 * n + 3) * 8)))
    target = min(block, INNER_TARGET)
    split = len(compiled.factors)
    inner_size = 1
    while split > 0 and inner_size * compiled.factors[split - 1].size <= target:
        split -= 1
        inner_size *= compiled.factors[split].size
    inner = compiled.factors[split:]
    outer = compiled.factors[:split]
    inner_contrib, inner_offsets = _sum_rows(inner, n)
    return _Plan(
        outer=outer,
        inner_contrib=inner_contrib,
        inner_offsets=inner_offsets,
        n_outer=math.prod(f.size for f in outer),
        group=max(1, block // inner_size),
    )


def _scan(
    compiled: Compiled, plan: _Plan, order: np.ndarray, utility_tol: float
) -> Iterator[tuple[np.ndarray, np.ndarray, int]]:
    """Yield ``(gains, indices, scored)`` of the rational packages, block by block.

    ``order`` lists the outer combinations to visit, in visiting order; a
    package is rational when every gain exceeds ``utility_tol``.
    """
    n = compiled.n_parties
    d = compiled.disagreement[:, None, None]
    inner = plan.inner_contrib[:, None, :]
    for start in range(0, order.size, plan.group):
        chosen = order[start : start + plan.group]
        outer_contrib, outer_offsets = _decode(plan.outer, chosen, n)
        if compiled.cap is None:
            gains = ((outer_contrib[:, :, None] - d) + inner).reshape(n, -1)
        else:
            gains = compiled.gains((outer_contrib[:, :, None] + inner).reshape(n, -1))
        keep = np.flatnonzero(rational(gains, utility_tol))
        if keep.size:
            which_outer, which_inner = np.divmod(keep, plan.inner_offsets.size)
            indices = outer_offsets[which_outer] + plan.inner_offsets[which_inner]
            yield gains.take(keep, axis=1), indices, gains.shape[1]
        else:
            yield gains[:, :0], np.empty(0, dtype=np.int64), gains.shape[1]


def argmax(
    compiled: Compiled,
    objective: Objective,
    *,
    tie_tol: float = DEFAULT_TIE_TOLERANCE,
    max_ties: int = DEFAULT_MAX_TIES,
    memory_budget: int = DEFAULT_MEMORY_BUDGET,
    prune: bool = True,
    utility_tol: float = DEFAULT_UTILITY_TOLERANCE,
) -> Best:
    """Best rational packages of a compiled problem under ``objective``, with ties.

    A package is *rational* when every party's gain over disagreement exceeds
    ``utility_tol`` (:data:`DEFAULT_UTILITY_TOLERANCE`) and it crosses no red
    line. Returns the best score, the indices (ascending) and gains of every
    rational package scoring within ``tie_tol`` of it (at most ``max_ties``,
    the lowest indices), and how many packages were scored.
    """
    n = compiled.n_parties
    empty = Best(-math.inf, np.empty(0, dtype=np.int64), np.empty((n, 0)), False, 0)
    if compiled.empty:
        return empty
    plan = _plan(compiled, memory_budget)
    order = np.arange(plan.n_outer, dtype=np.int64)
    if plan.n_outer <= plan.group:  # one block holds the space: score it in one pass
        gains, indices, scored = next(_scan(compiled, plan, order, utility_tol))
        return _best_of(gains, indices, objective, tie_tol, max_ties, scored)
    bounds = None
    if prune:
        outer_contrib, _ = _decode(plan.outer, order, n)
        upper = compiled.gains(outer_contrib + plan.inner_contrib.max(axis=1)[:, None])
        possible = rational(upper, utility_tol)
        order = order[possible]
        if order.size == 0:
            return empty
        bounds = objective(upper[:, possible])
        ranking = np.argsort(-bounds, kind="stable")
        order, bounds = order[ranking], bounds[ranking]

    best = -math.inf
    kept_scores = np.empty(0)
    kept_indices = np.empty(0, dtype=np.int64)
    kept_gains = np.empty((n, 0))
    overflow = False
    scored = 0
    cap = tie_capacity(max_ties)
    position = 0
    for gains, indices, count in _scan(compiled, plan, order, utility_tol):
        position += plan.group
        scored += count
        if gains.shape[1]:
            scores = objective(gains)
            top = float(scores.max())
            if top >= best - tie_tol:
                best = max(best, top)
                take = scores >= best - tie_tol
                if not overflow:
                    kept_scores = np.concatenate([kept_scores, scores[take]])
                    kept_indices = np.concatenate([kept_indices, indices[take]])
                    kept_gains = np.concatenate([kept_gains, gains[:, take]], axis=1)
                    near = kept_scores >= best - tie_tol
                    kept_scores, kept_indices = kept_scores[near], kept_indices[near]
                    kept_gains = kept_gains[:, near]
                    if kept_indices.size > cap:
                        overflow = True
        if bounds is not None and position < bounds.size and bounds[position] < best - tie_tol:
            break
    if best == -math.inf:
        return Best(best, empty.indices, empty.gains, False, scored)
    if overflow:
        kept_indices, kept_gains, total = _collect_ties(
            compiled, plan, objective, order, bounds, best - tie_tol, max_ties, utility_tol
        )
    else:
        total = kept_indices.size
    ranking = np.argsort(kept_indices, kind="stable")[:max_ties]
    return Best(best, kept_indices[ranking], kept_gains[:, ranking], total > max_ties, scored)


def _best_of(
    gains: np.ndarray,
    indices: np.ndarray,
    objective: Objective,
    tie_tol: float,
    max_ties: int,
    scored: int,
    utilities: np.ndarray | None = None,
    ascending: bool = False,
) -> Best:
    """The best of rational packages held at once (gains (n, m), indices (m,), or
    ``ascending`` indices), with ties; ``utilities`` (m, n), when given, are their
    reported utilities."""
    if not gains.shape[1]:
        n = gains.shape[0]
        return Best(-math.inf, np.empty(0, dtype=np.int64), np.empty((n, 0)), False, scored)
    scores = objective(gains)
    best = float(np.maximum.reduce(scores))
    take = (scores >= best - tie_tol).nonzero()[0]
    if not ascending:
        take = take[np.argsort(indices[take], kind="stable")]
    top = take[:max_ties]
    first = None if utilities is None else utilities[top[0]]
    # (takes: far faster than fancy indexing along the second axis)
    return Best(
        best, indices.take(top), gains.take(top, axis=1), take.size > max_ties, scored, first
    )


def small_argmax(
    small: SmallSpace,
    objective: Objective,
    *,
    tie_tol: float = DEFAULT_TIE_TOLERANCE,
    max_ties: int = DEFAULT_MAX_TIES,
) -> Best:
    """:func:`argmax` over a :class:`SmallSpace` (the same packages, ties and scores,
    the gains taken from the reported utilities)."""
    return _best_of(
        small.gains,
        small.indices,
        objective,
        tie_tol,
        max_ties,
        small.allowed,
        small.utilities,
        ascending=True,
    )


def _collect_ties(compiled, plan, objective, order, bounds, threshold, max_ties, utility_tol):
    """Second pass when ties overflowed: every package scoring >= threshold, lowest first."""
    if bounds is not None:
        order = np.sort(order[bounds >= threshold])
    n = compiled.n_parties
    indices = np.empty(0, dtype=np.int64)
    gains_kept = np.empty((n, 0))
    total = 0
    for gains, block_indices, _ in _scan(compiled, plan, order, utility_tol):
        if not gains.shape[1]:
            continue
        take = objective(gains) >= threshold
        total += int(take.sum())
        indices = np.concatenate([indices, block_indices[take]])
        gains_kept = np.concatenate([gains_kept, gains[:, take]], axis=1)
        if indices.size > max_ties:
            lowest = np.argpartition(indices, max_ties)[:max_ties]
            indices, gains_kept = indices[lowest], gains_kept[:, lowest]
    return indices, gains_kept, total


def pareto_mask(
    points: np.ndarray, chunk: int = 2048, tol: float = DEFAULT_UTILITY_TOLERANCE
) -> np.ndarray:
    """Boolean mask of the non-dominated rows of ``points`` (shape ``(m, n)``), maximizing.

    Row ``a`` is dominated when some row ``b`` has ``b >= a`` everywhere and
    ``b > a`` somewhere; equal rows do not dominate each other, so duplicates
    of a non-dominated row are all kept. Values are compared with ``tol``
    (:data:`DEFAULT_UTILITY_TOLERANCE`; 0 compares exactly): in each column,
    values whose sorted neighbours are at most ``tol`` apart count as equal
    (:func:`tolerance_ranks`), so rounding noise decides nothing.

    Two columns take one sort (:func:`_two_column_mask`; two when values lie a few
    tolerances apart), up to :data:`DOMINANCE_SLICE` rows of more columns one sort of
    each (:func:`_bitset_mask`). Larger inputs
    with three or more columns are first thinned by a grid: each
    coordinate is cut into ``G`` bins, and a row whose cell has an occupied
    cell strictly above it on every coordinate is dominated (bins are monotone
    in the value, so this is exact); only the rest, a thin shell around the
    frontier, is compared. Those rows are sorted in decreasing lexicographic
    order, where equal rows are neighbours and whatever dominates a row comes
    before it with a first coordinate at least as large; so a distinct row is
    dominated exactly when an earlier one is at least as large on the other
    coordinates: rows are swept in chunks of ``chunk``, each checked against the non-dominated
    rows before it with bitsets (:func:`_covered`). Memory is
    ``O(m * n + (chunk + DOMINANCE_SLICE) * DOMINANCE_SLICE / 8 + G^n)`` bytes (and
    ``O(m * n + BITSET_BYTES)`` in :func:`_bitset_mask`).

    Examples
    --------
    >>> pareto_mask(np.array([[1.0, 2.0], [2.0, 1.0], [1.0, 1.0], [2.0, 1.0]]))
    array([ True,  True, False,  True])
    >>> pareto_mask(np.array([[0.1 + 0.2, 1.0], [0.3, 1.0]]))  # equal but for rounding
    array([ True,  True])
    """
    m, n = points.shape
    if n == 2 and m:
        return _two_column_mask(points, tol)
    if m <= PARETO_DIRECT_ROWS:  # few rows: every pair at once
        if m and tol > 0 and _near_ties(points, tol):
            points = tolerance_ranks(points, tol)
        at_least = np.all(points[:, None, :] >= points[None, :, :], axis=2)
        better = np.any(points[:, None, :] > points[None, :, :], axis=2)
        return ~np.any(at_least & better, axis=0)
    keep = np.zeros(m, dtype=bool)
    if m > PARETO_GRID_ABOVE and n > 2 and tol > 0:
        # Thin on the raw values first (ranking every row costs n sorts): a row two
        # bins below another on every coordinate is below it by more than any
        # chain of tolerance steps can span, so it is dominated with the tolerance.
        shell = np.flatnonzero(~_grid_dominated(points, tol))
        if shell.size < PARETO_GRID_THINS * m:
            keep[shell] = pareto_mask(points[shell], chunk, tol)
            return keep
    if m <= DOMINANCE_SLICE:
        return _bitset_mask(points, tol)
    if m and tol > 0 and _near_ties(points, tol):
        points = tolerance_ranks(points, tol)
    return _pareto_mask_exact(points, chunk)


def _near_ties(points: np.ndarray, tol: float) -> bool:
    """Whether two values of a column are within ``tol`` but unequal: unless they are,
    :func:`tolerance_ranks` order and equate rows as the values do (no need to rank)."""
    ordered = np.sort(points, axis=0)
    gaps = ordered[1:] - ordered[:-1]
    return bool(((gaps > 0) & (gaps <= tol)).any())


def tolerance_ranks(points: np.ndarray, tol: float) -> np.ndarray:
    """Each column replaced by ranks in which values at most ``tol`` apart are equal.

    A column is sorted and cut wherever two neighbours differ by more than
    ``tol``; each run between cuts gets one rank (0, 1, ...). Comparing ranks
    is comparing values with the tolerance, consistently (transitively).

    >>> tolerance_ranks(np.array([[0.3], [0.1 + 0.2], [0.7]]), 1e-9)
    array([[0.],
           [0.],
           [1.]])
    """
    columns = []
    for d in range(points.shape[1]):
        column = np.ascontiguousarray(points[:, d])
        order = np.argsort(column)  # equal values get one rank, so stability is not needed
        steps = np.empty(column.size)
        steps[0] = 0.0
        np.cumsum(np.diff(column[order]) > tol, out=steps[1:])
        ranks = np.empty(column.size)
        ranks[order] = steps
        columns.append(ranks)
    return np.column_stack(columns)


def vector_ids(utilities: np.ndarray, tol: float = DEFAULT_UTILITY_TOLERANCE) -> np.ndarray:
    """Rows ``(k, n)`` -> the id (0, 1, ...) of each row's utility vector, rows equal within
    ``tol`` (:func:`tolerance_ranks`; exactly equal with ``tol`` 0) sharing one.

    >>> vector_ids(np.array([[0.3, 1.0], [0.1 + 0.2, 1.0], [0.7, 0.0]]))
    array([0, 0, 1])
    """
    if utilities.shape[0] < 2:
        return np.arange(utilities.shape[0])
    ranks = tolerance_ranks(utilities, tol) if tol > 0 else utilities
    return np.unique(ranks, axis=0, return_inverse=True)[1].reshape(-1)


def _two_column_mask(points: np.ndarray, tol: float) -> np.ndarray:
    """:func:`pareto_mask` of two columns: one sort, no pairs (two where values are close).

    Each column's values fall into tolerance classes, as in :func:`tolerance_ranks`.
    A row is dominated exactly when a row of a higher first class has a second class
    at least as high, or a row of its own first class has a higher second class.
    Rows sorted by their first value give the first classes; per class, the best second
    value of the classes above and of its own. Whether a row's second value shares a
    class with such a best value is decided by their gap alone, without sorting the second
    column: at most ``tol`` apart (so is every pair of values between them) they share it,
    more than ``2 m tol`` apart they do not (a chain of ``m`` values at most ``tol`` apart
    spans less). Only when some gap lies in between are the second column's classes
    computed (:func:`_two_column_classes`).
    """
    m = points.shape[0]
    columns = np.ascontiguousarray(points.T)
    order = columns[0].argsort(kind="stable")  # (faster here; any order would do)
    first, second = columns.take(order, axis=1)  # (a take: far faster than [:, order])
    starts = np.empty(m, dtype=bool)  # the first row of each first class
    starts[0] = True
    np.greater(first[1:] - first[:-1], tol, out=starts[1:])
    heads = starts.nonzero()[0]
    k = heads.size
    top = np.empty(k + 1)  # per first class (from 1): its best second value
    np.maximum.reduceat(second, heads, out=top[1:])
    above = np.empty(k + 1)  # per first class: the best second value of the classes above
    above[k] = -np.inf
    np.maximum.accumulate(top[k:1:-1], out=above[k - 1 : 0 : -1])
    classes = np.add.accumulate(starts, dtype=np.intp)  # each row's first class
    gaps = np.empty((2, m))
    np.subtract(second, above.take(classes), out=gaps[0])  # above the best of the classes above
    np.subtract(top.take(classes), second, out=gaps[1])  # below the best of its own class
    apart = gaps > tol
    if np.count_nonzero(apart & (gaps <= 2 * m * tol)):  # a class the gap does not decide
        return _two_column_classes(columns, tol)
    keep = np.empty(m, dtype=bool)
    keep[order] = apart[0] > apart[1]  # above the classes above, the best of its own
    return keep


def _two_column_classes(columns: np.ndarray, tol: float) -> np.ndarray:
    """:func:`_two_column_mask` of the columns ``(2, m)`` on the classes of both: one sort
    of each."""
    m = columns.shape[1]
    order = columns.argsort(axis=1, kind="stable")
    ordered = columns.ravel().take(order + np.array([[0], [m]]))  # (flat: faster)
    starts = np.empty((2, m), dtype=bool)  # the first value of each tolerance class
    starts[:, 0] = True
    np.greater(ordered[:, 1:] - ordered[:, :-1], tol, out=starts[:, 1:])
    classes = np.add.accumulate(starts.view(np.uint8), axis=1, dtype=np.int64)  # from 1
    second = np.empty(m, dtype=classes.dtype)
    second[order[1]] = classes[1]
    second = second[order[0]]  # the second class of each row, in the first column's order
    first = classes[0]
    top = np.maximum.reduceat(second, starts[0].nonzero()[0])  # per first class
    above = np.zeros(top.size + 1, dtype=top.dtype)  # the best in the classes above
    np.maximum.accumulate(top[::-1], out=above[-2::-1])
    keep = np.empty(m, dtype=bool)
    keep[order[0]] = (above[first] < second) & (top[first - 1] <= second)
    return keep


def _bitset_mask(points: np.ndarray, tol: float) -> np.ndarray:
    """:func:`pareto_mask` of at most :data:`DOMINANCE_SLICE` rows: one sort per column.

    Each column's values fall into tolerance classes, as in :func:`tolerance_ranks` (with
    ``tol`` 0, one class per value). For each column, the rows of a class at most a row's
    are a prefix of the column's sorted order, and those of a class below a row's a shorter
    prefix: one bitset per prefix (64 rows a machine word). A row is dominated by the rows
    in none of its "below" prefixes (at least as good everywhere) and not in all of its
    "at most" prefixes (better somewhere). Columns are taken :data:`BITSET_BYTES` at a time.
    """
    m, n = points.shape
    columns = np.ascontiguousarray(points.T)
    # flat indices throughout: far faster than broadcast fancy indices on small arrays
    order = columns.argsort(axis=1, kind="stable")
    order += np.arange(0, n * m, m)[:, None]  # into columns.ravel()
    ordered = columns.ravel().take(order)
    cut = np.empty((n, m + 1), dtype=bool)  # a class starts at this sorted position
    cut[:, 0] = cut[:, m] = True
    np.greater(ordered[:, 1:] - ordered[:, :-1], tol, out=cut[:, 1:m])
    positions = np.arange(m + 1)
    # per row, where its class starts and where the next one starts in its column's order
    start, end = np.empty(n * m, dtype=np.int64), np.empty(n * m, dtype=np.int64)
    start[order] = np.maximum.accumulate(np.where(cut, positions, 0), axis=1)[:, :m]
    end[order] = np.minimum.accumulate(np.where(cut, positions, m)[:, ::-1], axis=1)[:, -2::-1]
    order -= np.arange(0, n * m, m)[:, None]  # back to rows
    word = order >> 6
    bit = np.left_shift(np.uint64(1), (order & 63).astype(np.uint64))
    words = (m + 63) // 64
    padding = ~np.uint64(0) << np.uint64(m & 63) if m & 63 else np.uint64(0)
    group = max(1, min(n, BITSET_BYTES // (8 * (m + 1) * words)))
    # buffers reused column group after column group (fresh large arrays cost page faults)
    prefix = np.empty((group * (m + 1), words), dtype=np.uint64)
    gathered = np.empty((group * m, words), dtype=np.uint64)
    part = np.empty((m, words), dtype=np.uint64)
    below = np.zeros((m, words), dtype=np.uint64)  # per row: rows below it somewhere
    at_most = np.full((m, words), ~np.uint64(0))  # per row: rows at most it everywhere
    for low in range(0, n, group):
        high = min(n, low + group)
        # prefix (d, p): the rows sorted before position p in column d, as (m + 1) * words
        offsets = np.arange(0, (high - low) * (m + 1), m + 1)[:, None]
        stacked = prefix[: (high - low) * (m + 1)]
        stacked.fill(0)
        stacked[offsets.ravel(), -1] = padding  # bits past the last row: in every prefix
        slots = ((offsets + positions[1:]) * words + word[low:high]).ravel()
        stacked.ravel()[slots] = bit[low:high].ravel()  # one row after each position
        cube = stacked.reshape(high - low, m + 1, words)
        np.bitwise_or.accumulate(cube, axis=1, out=cube)
        rows = gathered[: (high - low) * m]
        for bound, into, ufunc in ((start, below, np.bitwise_or), (end, at_most, np.bitwise_and)):
            at = (bound[low * m : high * m].reshape(high - low, m) + offsets).ravel()
            np.take(stacked, at, axis=0, out=rows)
            ufunc.reduce(rows.reshape(high - low, m, words), axis=0, out=part)
            ufunc(into, part, out=into)
    blocked = np.bitwise_or(below, at_most, out=below)  # the rows that cannot dominate it
    return np.all(blocked == ~np.uint64(0), axis=1)


def _pareto_mask_exact(points: np.ndarray, chunk: int) -> np.ndarray:
    """:func:`pareto_mask` with exact comparisons."""
    m, n = points.shape
    keep = np.zeros(m, dtype=bool)
    if m == 0:
        return keep
    if m > PARETO_GRID_ABOVE and n > 2:
        shell = np.flatnonzero(~_grid_dominated(points))
        if shell.size < PARETO_GRID_THINS * m:
            keep[shell] = _pareto_mask_exact(points[shell], chunk)
            return keep
    order = np.argsort(-points[:, 0], kind="stable")
    first = points[order, 0]
    if np.any(first[1:] == first[:-1]):  # one sort is enough unless first coordinates tie
        order = np.lexsort(-points.T[::-1])
    rows = points[order]
    new = np.ones(m, dtype=bool)
    new[1:] = np.any(rows[1:] != rows[:-1], axis=1)
    copy_of = np.cumsum(new) - 1
    keep[order] = ~_dominated_distinct_sorted(rows[new], chunk)[copy_of]
    return keep


def _dominated_distinct_sorted(rows: np.ndarray, chunk: int) -> np.ndarray:
    """:func:`pareto_mask`'s complement for distinct rows in decreasing lexicographic order.

    Row ``i`` is dominated exactly when some row ``j < i`` is at least as large
    on every coordinate but the first.
    """
    m, n = rows.shape
    dominated = np.ones(m, dtype=bool)
    dominated[0] = False
    if n == 1:
        return dominated
    rest = rows[:, 1:]
    survivors = np.empty(0, dtype=np.int64)
    for start in range(0, m, chunk):
        block = np.arange(start, min(start + chunk, m))
        block = block[~_covered(rest[block], rest[survivors])]
        # Within the chunk, a row is checked against the chunk's rows before it only.
        beaten = _covered(rest[block], rest[block], before=np.arange(block.size))
        survivors = np.concatenate([survivors, block[~beaten]])
    dominated[survivors] = False
    return dominated


def _grid_dominated(points: np.ndarray, tol: float = 0.0) -> np.ndarray:
    """Rows certainly dominated: another row lies in a strictly higher bin on every
    coordinate. With a tolerance ``tol > 0``, two bins higher, and only when a bin
    is wider than twice ``m * tol`` (the longest chain of tolerance steps);
    otherwise no row is marked."""
    m, n = points.shape
    margin = 2 if tol > 0 else 1
    cells = min(PARETO_GRID_CELLS, PARETO_GRID_CELLS_PER_ROW * m)
    bins = max(2, min(PARETO_GRID_BINS, int(cells ** (1.0 / n))))
    if margin >= bins:
        return np.zeros(m, dtype=bool)
    flat = np.zeros(m, dtype=np.int64)
    for d in range(n):  # column by column: much faster than reducing (m, n) along axis 0
        column = points[:, d]
        low, high = column.min(), column.max()
        if tol > 0 and high > low and (high - low) / bins <= 2 * m * tol:
            return np.zeros(m, dtype=bool)
        cell = ((column - low) * (bins / (high - low) if high > low else 0.0)).astype(np.int64)
        np.minimum(cell, bins - 1, out=cell)
        flat *= bins
        flat += cell
    above = np.zeros(bins**n, dtype=bool)
    above[flat] = True
    above = above.reshape((bins,) * n)
    for axis in range(n):
        # "some occupied cell at or above, on every axis handled so far"; slab by
        # slab, as ufunc.accumulate along a strided axis is many times slower.
        slabs = np.moveaxis(above, axis, 0)
        for b in range(bins - 2, -1, -1):
            slabs[b] |= slabs[b + 1]
    strictly = np.zeros_like(above)
    strictly[(slice(None, -margin),) * n] = above[(slice(margin, None),) * n]
    return strictly.reshape(-1)[flat]


def _covered(
    candidates: np.ndarray, others: np.ndarray, before: np.ndarray | None = None
) -> np.ndarray:
    """For each candidate row ``i``, whether some row ``j`` of ``others`` is >= it everywhere.

    With ``before``, only rows ``j < before[i]`` count. ``others`` is taken in
    slices of :data:`DOMINANCE_SLICE` rows; candidates found covered leave at once.
    """
    out = np.zeros(candidates.shape[0], dtype=bool)
    open_rows = np.arange(candidates.shape[0])
    for start in range(0, others.shape[0], DOMINANCE_SLICE):
        if not open_rows.size:
            break
        part = others[start : start + DOMINANCE_SLICE]
        limit = None if before is None else np.clip(before[open_rows] - start, 0, part.shape[0])
        hit = _covered_by_slice(candidates[open_rows], part, limit)
        out[open_rows[hit]] = True
        open_rows = open_rows[~hit]
    return out


def _covered_by_slice(
    candidates: np.ndarray, others: np.ndarray, limit: np.ndarray | None
) -> np.ndarray:
    """:func:`_covered` against a few thousand ``others``, with bitsets.

    For each coordinate, the rows of ``others`` at least as large as a value
    are the ``c`` largest ones: one precomputed bitset per ``c`` (cumulative
    ORs along the sorted order), found by binary search. A candidate is
    covered when the AND of its bitsets over the coordinates (and over the
    first ``limit[i]`` rows) is not empty: 64 rows per machine word.
    """
    k = others.shape[0]
    words = (k + 63) // 64
    ids = np.arange(k)
    steps = np.arange(1, k + 1)
    word_of = ids >> 6
    bit_of = np.left_shift(np.uint64(1), (ids & 63).astype(np.uint64))

    def first_rows(order: np.ndarray) -> np.ndarray:
        """Row ``c``: the bitset of ``order[:c]``."""
        sets = np.zeros((k + 1, words), dtype=np.uint64)
        sets[steps, word_of[order]] = bit_of[order]
        return np.bitwise_or.accumulate(sets, axis=0, out=sets)

    common = None if limit is None else first_rows(ids)[limit]
    for d in range(others.shape[1]):
        column = others[:, d]
        descending = np.argsort(-column, kind="stable")
        smaller = np.searchsorted(column[descending[::-1]], candidates[:, d], side="left")
        sets = first_rows(descending)[k - smaller]
        common = sets if common is None else np.bitwise_and(common, sets, out=common)
    return np.any(common, axis=1)
