"""Parties and bargaining problems.

A :class:`Problem` is an outcome space and the parties bargaining over it. It
validates everything once, when it is built, and then holds the arrays the
solvers work on:

* ``tables[k]``: an ``(n_parties, n_options_k)`` array, the weighted value of
  each option of issue ``k`` for each party (utilities are sums of these);
* ``disagreement`` and ``powers``: one entry per party;
* ``rules``: the red lines, each a conjunction over issues of forbidden options.

>>> import bargain as bg
>>> p = bg.Problem.from_utilities([[5, 1], [1, 5], [2, 2]], disagreement=[0, 0])
>>> p.party_names
('P1', 'P2')
>>> p.utilities(2)
array([2., 2.])
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ._checks import (
    check_name,
    check_notes,
    check_real,
    check_real_array,
    check_sequence,
    check_unique,
    counted,
    real_array,
)
from ._frozen import Frozen, FrozenDict, frozen_notes, read_only
from .errors import (
    BargainError,
    BargainTypeError,
    ContinuousSpaceError,
    OutOfRangeError,
    UnknownNameError,
    ValidationError,
)
from .space import ContinuousIssue, Issue, OutcomeSpace
from .utility import AdditiveUtility, Rectangle, RectangleUtility, Term
from .war import War

__all__ = [
    "Party",
    "Problem",
    "RedLine",
    "Selector",
    "require_discrete",
    "require_problem",
    "sum_contributions",
]

RedLine = Mapping[str, Sequence[str] | str | tuple[float, float]]
"""A red line: ``{issue name: forbidden option(s)}``.

A package crosses the red line when, on *every* issue the mapping names, it
takes one of the listed options. ``{"nato": ["membership path"]}`` forbids
every package with NATO membership; ``{"territory": ["1991 borders"], "nato":
["membership path"]}`` forbids only the packages that have both. On a
continuous issue the forbidden set is an open interval ``(low, high)`` of
numbers: ``{"share": (0.0, 0.2)}`` forbids every share strictly between 0 and
0.2 (the end points stay allowed, so optima exist).
"""


class Party(Frozen):
    """A bargaining party: a name, a utility, a disagreement value, a power, red lines.

    Immutable: :meth:`replace` (or the problem's what-if methods) make changed copies.

    Parameters
    ----------
    name : str
        Unique within a problem.
    utility : AdditiveUtility or RectangleUtility
        The party's utility over packages.
    disagreement : float, default 0.0
        The party's utility if no deal is reached. Used exactly as given (it is
        never clamped to the utility's range).
    power : float, default 1.0
        Bargaining power: the party's exponent in the (asymmetric) Nash product.
        Non-negative and finite.
    red_lines : sequence of RedLine, default ()
        Packages the party never accepts: a package crossing any red line of any
        party is excluded from every solution. See :data:`RedLine`.
    notes : mapping, optional
        Commentary on the party's numbers, ``{path: {"rationale": text, "source":
        text}}`` (see :func:`~bargain._checks.check_notes`). Notes never affect a solution and do
        not count in equality; scenario files keep them.
    owns : mapping of issue name to option label, optional
        Issues that belong to the party (US aid belongs to the United States),
        each with the option it collapses to when the party leaves the table
        (:meth:`Problem.without` settles it there). Checked against the space
        when a :class:`Problem` is built: a discrete issue, an existing option,
        at most one owner per issue.
    discount : float, default 1.0
        The party's discount factor per round of bargaining (GENIUS's
        ``discountFactor``), in ``(0, 1]``; 1 means time costs nothing. Kept for
        the dynamics and GENIUS import/export; the axiomatic concepts ignore it.

    Examples
    --------
    >>> u = AdditiveUtility(values={"nato": [0.0, 0.4, 1.0]})
    >>> Party("Russia", u, disagreement=0.3, red_lines=[{"nato": "membership path"}])
    Party('Russia', disagreement=0.3, power=1.0, red_lines=({'nato': ('membership path',)},))
    >>> Party("US", u, owns={"nato": "membership path"}, discount=0.9).owns
    {'nato': 'membership path'}
    """

    __slots__ = (
        "disagreement",
        "discount",
        "name",
        "notes",
        "owns",
        "power",
        "red_lines",
        "utility",
    )

    def __init__(
        self,
        name: str,
        utility: AdditiveUtility | RectangleUtility,
        disagreement: float = 0.0,
        power: float = 1.0,
        red_lines: Sequence[RedLine] = (),
        notes: Mapping[str, Mapping[str, str]] | None = None,
        owns: Mapping[str, str] | None = None,
        discount: float = 1.0,
    ) -> None:
        name = check_name(name, "Party name")
        if not isinstance(utility, AdditiveUtility | RectangleUtility):
            raise BargainTypeError(
                f"Party {name!r}: utility must be a bargain.AdditiveUtility or "
                f"bargain.RectangleUtility, got {utility!r}"
            )
        discount = check_real(discount, f"Party {name!r}: discount")
        if not 0.0 < discount <= 1.0:
            raise ValidationError(
                f"Party {name!r}: discount must be in (0, 1] (1: time costs nothing), "
                f"got {discount!r}"
            )
        self.name: str
        self.utility: AdditiveUtility
        self.disagreement: float
        self.power: float
        self.red_lines: tuple[FrozenDict, ...]
        self.notes: FrozenDict
        self.owns: FrozenDict
        self.discount: float
        self._init(
            name=name,
            utility=utility,
            disagreement=check_real(disagreement, f"Party {name!r}: disagreement"),
            power=check_real(power, f"Party {name!r}: power", minimum=0.0),
            red_lines=_normalize_red_lines(red_lines, f"Party {name!r}: red_lines"),
            notes=frozen_notes(check_notes(notes, f"Party {name!r}: notes")),
            owns=_checked_owns(owns, f"Party {name!r}: owns"),
            discount=discount,
        )

    def replace(self, **changes: object) -> Party:
        """Return a copy with some fields changed (``name``, ``utility``, ...).

        >>> u = AdditiveUtility(values={"nato": [0.0, 1.0]})
        >>> Party("A", u).replace(disagreement=0.5).disagreement
        0.5
        """
        fields = {slot: getattr(self, slot) for slot in self.__slots__}
        unknown = [key for key in changes if key not in fields]
        if unknown:
            raise UnknownNameError(
                f"Party.replace: no field {unknown[0]!r}; fields are {sorted(fields)}"
            )
        fields.update(changes)
        return Party(**fields)  # type: ignore[arg-type]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Party) and all(
            getattr(self, slot) == getattr(other, slot)
            for slot in self.__slots__
            if slot != "notes"
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        lines = f", red_lines={self.red_lines!r}" if self.red_lines else ""
        owns = f", owns={self.owns!r}" if self.owns else ""
        discount = f", discount={self.discount!r}" if self.discount != 1.0 else ""
        return (
            f"Party({self.name!r}, disagreement={self.disagreement!r}, power={self.power!r}"
            f"{lines}{owns}{discount})"
        )


def _checked_owns(owns: object, field: str) -> FrozenDict:
    """``{issue: default option}``, names checked (the space checks them in Problem)."""
    if owns is None:
        return FrozenDict()
    if not isinstance(owns, Mapping):
        raise BargainTypeError(
            f"{field} must be a mapping {{issue name: default option}}, got {owns!r}"
        )
    for issue, option in owns.items():
        check_name(issue, f"{field} issue name")
        check_name(option, f"{field}[{issue!r}] (the option the issue collapses to)")
    return FrozenDict(owns)


def _normalize_red_lines(red_lines: object, field: str) -> tuple[dict[str, tuple[str, ...]], ...]:
    if isinstance(red_lines, Mapping):
        red_lines = [red_lines]
    if isinstance(red_lines, str) or not isinstance(red_lines, Iterable):
        raise BargainTypeError(
            f"{field} must be a list of {{issue: options}} mappings, got {red_lines!r}"
        )
    out = []
    for position, rule in enumerate(red_lines):
        where = f"{field}[{position}]"
        if not isinstance(rule, Mapping):
            raise BargainTypeError(f"{where} must be a mapping {{issue: options}}, got {rule!r}")
        if not rule:
            raise ValidationError(f"{where} is empty; a red line names at least one issue")
        normalized = {}
        for issue, options in rule.items():
            check_name(issue, f"{where} issue name")
            if _is_interval(options):
                normalized[issue] = _checked_interval(options, f"{where}[{issue!r}]")
                continue
            if isinstance(options, str):
                labels = (options,)
            elif isinstance(options, Iterable) and not isinstance(options, Mapping):
                labels = tuple(options)  # (any order: a red line is a set of options)
            else:
                raise BargainTypeError(
                    f"{where}[{issue!r}] must be an option label or a list of them (an "
                    f"interval (low, high) on a continuous issue), got {options!r}"
                )
            if not labels:
                raise ValidationError(f"{where}[{issue!r}] lists no option; list at least one")
            for label in labels:
                check_name(label, f"{where}[{issue!r}] option")
            normalized[issue] = labels
        out.append(FrozenDict(normalized))
    return tuple(out)


def _is_interval(options: object) -> bool:
    """Whether a red line's entry is a numeric interval (for a continuous issue)."""
    return (
        isinstance(options, tuple | list)
        and len(options) == 2
        and all(isinstance(x, int | float | np.number) and not isinstance(x, bool) for x in options)
    )


def _checked_interval(options: Sequence[float], field: str) -> tuple[float, float]:
    low, high = (check_real(x, f"{field} interval end") for x in options)
    if not low < high:
        raise ValidationError(
            f"{field} is the interval ({low!r}, {high!r}); an interval needs low < high"
        )
    return (low, high)


@dataclass(frozen=True)
class Rule:
    """A compiled red line: the package is excluded when, for every ``(k, mask)``
    in ``clauses``, ``mask[option on issue k]`` is true. On a continuous issue
    ``k`` the clause holds ``array([low, high])`` instead: true strictly inside."""

    owner: int
    clauses: tuple[tuple[int, np.ndarray], ...]

    @property
    def issues(self) -> tuple[int, ...]:
        return tuple(k for k, _ in self.clauses)


Selector = tuple
"""A selector names one number of a problem, as a tuple:

* ``(party, "disagreement")`` and ``(party, "power")``;
* ``(party, "weight", issue)``: the party's weight on an issue;
* ``(party, "value", issue, option)``: the party's (unweighted) value of an
  option of a discrete issue.

:meth:`Problem.number` reads one, :meth:`Problem.with_number` makes a problem
with one changed, :meth:`Problem.selectors` lists them all.
"""

_SELECTOR_SHAPES = {
    "disagreement": "(party, 'disagreement')",
    "power": "(party, 'power')",
    "weight": "(party, 'weight', issue)",
    "value": "(party, 'value', issue, option)",
}


def sum_contributions(parts: Iterable[np.ndarray], shape: tuple[int, ...]) -> np.ndarray:
    """The one summation of per-issue utility contributions: from zero, in issue order.

    Every utility a result reports (``Problem.utilities``, the frontier's rows)
    is this sum, so the same package always gets the same bits.
    """
    total = np.zeros(shape)
    for part in parts:
        total = total + part
    return total


TERM_VALUES = 2**22
"""How many term values (terms x packages, float64: 32 MiB) :func:`add_terms` holds at
once; longer lists of packages go through in blocks."""


def add_terms(
    total: np.ndarray,
    positions: np.ndarray,
    terms: Sequence[tuple[int, Term]],
    column_of: Mapping[int, int] | None = None,
) -> None:
    """Add non-additive terms ``(party, term)`` to ``total`` (n, m) in place, for packages
    at option ``positions`` (m, columns; issue ``k`` in column ``column_of[k]``, by default
    ``k``): each party's terms one after another, in order, so every caller gets the
    same bits. Rectangles on one issue are evaluated together, issue by issue."""
    if not terms:
        return
    column = (lambda k: k) if column_of is None else column_of.__getitem__
    if not all(term.table is None and len(term.issues) == 1 for _, term in terms):
        for j, term in terms:
            total[j] += term.values(positions[:, [column(k) for k in term.issues]])
        return
    by_issue: dict[int, list[int]] = {}
    for row, (_, term) in enumerate(terms):
        by_issue.setdefault(term.issues[0], []).append(row)
    masks = {k: np.stack([terms[r][1].masks[0] for r in rows]) for k, rows in by_issue.items()}
    bonuses = {k: np.array([terms[r][1].bonus for r in rows]) for k, rows in by_issue.items()}
    block = max(1, TERM_VALUES // len(terms))
    for start in range(0, total.shape[1], block):
        stop = start + block
        values = np.empty((len(terms), min(stop, total.shape[1]) - start))
        for k, rows in by_issue.items():
            hit = masks[k][:, positions[start:stop, column(k)]]
            values[rows] = np.where(hit, bonuses[k][:, None], 0.0)
        for (j, _), value in zip(terms, values):  # (np.add.accumulate is as sequential,
            total[j, start:stop] += value  # but far slower along a short first axis)


class Problem(Frozen):
    """A bargaining problem: an outcome space and the parties bargaining over it.

    Immutable: what-ifs (:meth:`with_number`, :meth:`replace_party`,
    :meth:`without`, :meth:`settle`, :meth:`drop_option`) return new problems.

    Parameters
    ----------
    space : OutcomeSpace
    parties : sequence of Party
        At least one party, names unique, each utility covering every issue of
        the space.
    notes : mapping, optional
        Commentary on the problem as a whole and its issues, ``{path: {kind:
        text}}`` (see :func:`~bargain._checks.check_notes`); scenario files use
        ``"scenario"`` and ``"issues.<name>"``. Not counted in equality.
    observers : sequence of Party, optional
        Outside parties whose utilities are reported but who do not bargain:
        they hold no veto (an observer with red lines is an error), are in no
        concept's objective and never reach the engine; their ``power`` is
        unused. A :class:`~bargain.Solution` reports their utilities in
        ``observer_utilities``. Names are unique across parties and observers.
    war : bargain.war.War, optional
        Where the fighting parties' (and observers') no-deal values come from
        (set by :func:`bargain.war.fearon_disagreement`): provenance that
        scenario files keep, like the notes; not counted in equality. A party's
        disagreement comes from it only while it equals
        ``war.values(problem)[name]`` (:meth:`bargain.war.War.derived`): a
        what-if that changes the number or the party's utility leaves a plain
        number, and saving writes that. What-ifs keep it while its outcomes are
        packages of the new space, for the members still there.

    Attributes
    ----------
    tables : tuple of ndarray or None
        ``tables[k]`` has shape ``(n_parties, len(space.issues[k]))``: the
        weighted values each party puts on each option of issue ``k`` (None
        for a continuous issue, see :meth:`contribution`). Read-only.
    disagreement, powers : ndarray
        One entry per party, in party order. Read-only.
    rules : tuple of Rule
        The compiled red lines of all parties.

    Examples
    --------
    >>> import bargain as bg
    >>> space = bg.OutcomeSpace([bg.Issue("nato", ["membership", "neutrality"])])
    >>> a = bg.Party("A", bg.AdditiveUtility({"nato": [1.0, 0.0]}))
    >>> b = bg.Party("B", bg.AdditiveUtility({"nato": [0.0, 1.0]}),
    ...              red_lines=[{"nato": "membership"}])
    >>> problem = bg.Problem(space, [a, b])
    >>> problem.n_parties, problem.allowed(0), problem.allowed(1)
    (2, False, True)
    """

    __slots__ = (
        "_audience",
        "_memo",
        "cap",
        "disagreement",
        "maximum",
        "notes",
        "observers",
        "parties",
        "powers",
        "rules",
        "space",
        "tables",
        "terms",
        "value_functions",
        "war",
    )

    def __init__(
        self,
        space: OutcomeSpace,
        parties: Sequence[Party],
        notes: Mapping[str, Mapping[str, str]] | None = None,
        observers: Sequence[Party] = (),
        *,
        war: War | None = None,
    ) -> None:
        if not isinstance(space, OutcomeSpace):
            raise BargainTypeError(f"Problem: space must be a bargain.OutcomeSpace, got {space!r}")
        parties = _members(parties, "parties")
        if not parties:
            raise ValidationError("Problem: parties is empty; a problem needs at least one party")
        observers = _members(observers, "observers")
        check_unique(
            (party.name for party in parties + observers),
            "Problem: parties and observers",
            "party name",
        )
        for observer in observers:
            if observer.red_lines:
                raise ValidationError(
                    f"Problem: observer {observer.name!r} has red lines; an observer holds no "
                    "veto, so they would never count: make it a party or drop its red lines"
                )
        _check_ownership(space, parties + observers)
        if war is not None:
            if not isinstance(war, War):
                raise BargainTypeError(f"Problem: war must be a bargain.war.War, got {war!r}")
            war.indices(space)
            members = [party.name for party in parties + observers]
            for name in war.costs:
                if name not in members:
                    raise UnknownNameError(
                        f"Problem: war.costs names {name!r}, who is not at the table; "
                        f"parties and observers are {members}"
                    )
        bound = [party.utility.bind(space, f"Party {party.name!r}") for party in parties]
        per_party = [b.tables for b in bound]
        value_functions = FrozenDict(
            {
                k: tuple(tables[k] for tables in per_party)
                for k, issue in enumerate(space.issues)
                if issue.is_continuous
            }
        )
        self.space: OutcomeSpace
        self.parties: tuple[Party, ...]
        self.observers: tuple[Party, ...]
        self.notes: FrozenDict
        self.value_functions: FrozenDict
        self.tables: tuple[np.ndarray | None, ...]
        self.disagreement: np.ndarray
        self.powers: np.ndarray
        self.rules: tuple[Rule, ...]
        self.terms: tuple[tuple[int, Term], ...]
        self.maximum: np.ndarray
        self.cap: np.ndarray
        self._init(
            space=space,
            parties=parties,
            observers=observers,
            notes=frozen_notes(check_notes(notes, "Problem: notes")),
            value_functions=value_functions,
            tables=tuple(
                None
                if k in value_functions
                else read_only(np.ascontiguousarray(np.stack([t[k] for t in per_party])))
                for k in range(len(space.issues))
            ),
            disagreement=read_only(np.array([party.disagreement for party in parties])),
            powers=read_only(np.array([party.power for party in parties])),
            rules=tuple(
                _compile_rule(space, owner, party, position, rule)
                for owner, party in enumerate(parties)
                for position, rule in enumerate(party.red_lines)
            ),
            _audience=Problem(space, observers) if observers else None,
            _memo={},
            war=war,
            # Non-additive parts: (party, term) pairs; utility = min(cap, raw / maximum).
            terms=tuple((j, term) for j, b in enumerate(bound) for term in b.terms),
            maximum=read_only(np.array([b.maximum for b in bound])),
            cap=read_only(np.array([b.cap for b in bound])),
        )

    def __getstate__(self) -> tuple[None, dict[str, object]]:
        state = {slot: getattr(self, slot) for slot in self.__slots__}
        state["_memo"] = {}  # derived data is rebuilt where it is needed, never shipped
        return (None, state)

    def cached(self, key: str, build: Callable[[], object]) -> object:
        """Data derived from this problem alone (``build()``), built once and kept.

        Safe because the problem cannot change. ``key`` names what is kept
        (``"engine.compiled"``, ...); anything else a result depends on (an
        option) must not be in what is kept, or must be in ``key``.
        """
        memo = self._memo
        if key not in memo:
            memo[key] = build()
        return memo[key]

    # -- construction helpers ------------------------------------------------------------

    @classmethod
    def from_utilities(
        cls,
        utilities: Sequence[Sequence[float]] | np.ndarray,
        disagreement: Sequence[float] | None = None,
        powers: Sequence[float] | None = None,
        names: Sequence[str] | None = None,
        labels: Sequence[str] | None = None,
    ) -> Problem:
        """An abstract problem: one row of utilities (one per party) per alternative.

        The space has one issue, ``"alternative"``, whose options are labelled
        ``"0"``, ``"1"``, ... (or ``labels``), so package ``i`` is row ``i``.

        Parameters
        ----------
        utilities : array_like, shape (n_alternatives, n_parties)
        disagreement : array_like, shape (n_parties,), default zeros
        powers : array_like, shape (n_parties,), default ones
        names : sequence of str, default ``"P1"``, ``"P2"``, ...
        labels : sequence of str, optional
            Labels of the alternatives.

        Examples
        --------
        >>> p = Problem.from_utilities([[3, 1], [1, 3]], names=["Ann", "Bob"])
        >>> p.space.outcome(1), p.party_names
        ({'alternative': '1'}, ('Ann', 'Bob'))
        """
        caller = "Problem.from_utilities"
        matrix = real_array(utilities, f"{caller}: utilities")
        if matrix.ndim != 2 or matrix.shape[0] == 0 or matrix.shape[1] == 0:
            raise ValidationError(
                f"{caller}: utilities must be a non-empty 2-D array (alternatives x parties), "
                f"got shape {matrix.shape}"
            )
        n_alternatives, n_parties = matrix.shape
        # names and labels are checked here, before they reach a Party or an Issue, so that
        # a mistake is reported under the argument's own name
        names = _given_names(names, n_parties, f"{caller}: names", "party name", "columns")
        labels = _given_names(labels, n_alternatives, f"{caller}: labels", "label", "rows")
        d = (
            np.zeros(n_parties)
            if disagreement is None
            else check_real_array(disagreement, f"{caller}: disagreement", length=n_parties)
        )
        w = (
            np.ones(n_parties)
            if powers is None
            else check_real_array(powers, f"{caller}: powers", length=n_parties)
        )
        space = OutcomeSpace(
            [Issue("alternative", labels or [str(i) for i in range(n_alternatives)])]
        )
        parties = []
        for j in range(n_parties):
            column = check_real_array(matrix[:, j], f"{caller}: utilities[:, {j}]")
            utility = AdditiveUtility(values={"alternative": column})
            name = names[j] if names else f"P{j + 1}"
            parties.append(Party(name, utility, disagreement=d[j], power=w[j]))
        return cls(space, parties)

    # -- what-ifs: each returns a new problem ----------------------------------------------

    def _rebuilt(
        self,
        space: OutcomeSpace | None = None,
        parties: Sequence[Party] | None = None,
        observers: Sequence[Party] | None = None,
        notes: Mapping[str, Mapping[str, str]] | None = None,
    ) -> Problem:
        space = self.space if space is None else space
        parties = self.parties if parties is None else parties
        observers = self.observers if observers is None else observers
        return Problem(
            space,
            parties,
            self.notes if notes is None else notes,
            observers,
            war=_war_kept(self.war, space, [p.name for p in [*parties, *observers]]),
        )

    def _member(self, name: object, caller: str) -> tuple[bool, int]:
        """``(is_observer, position)`` of the party or observer called ``name``."""
        for observer, group in ((False, self.parties), (True, self.observers)):
            for position, party in enumerate(group):
                if party.name == name:
                    return observer, position
        known = list(self.party_names) + [party.name for party in self.observers]
        raise UnknownNameError(f"{caller}: the problem has no party {name!r}; parties are {known}")

    def _with_member(self, name: str, caller: str, **changes: object) -> Problem:
        observer, position = self._member(name, caller)
        group = list(self.observers if observer else self.parties)
        group[position] = group[position].replace(**changes)
        return self._rebuilt(**{"observers" if observer else "parties": group})

    def replace_party(self, name: str, **changes: object) -> Problem:
        """A new problem in which party (or observer) ``name`` has some fields changed.

        >>> p = Problem.from_utilities([[3, 1], [1, 3]])
        >>> p.replace_party("P2", disagreement=2.0).disagreement
        array([0., 2.])
        """
        return self._with_member(name, "Problem.replace_party", **changes)

    def without(self, *names: str) -> Problem:
        """A new problem without the named parties or observers (they leave the table).

        Every issue a leaving party owns (:attr:`Party.owns`) is settled at its
        stated default first (see :meth:`settle`). An unknown name is an error.

        >>> Problem.from_utilities([[3, 1, 0], [1, 3, 0]]).without("P3").party_names
        ('P1', 'P2')
        """
        problem = self
        leaving = []
        for name in names:
            observer, position = self._member(name, "Problem.without")
            leaving.append((self.observers if observer else self.parties)[position])
        for party in leaving:
            for issue, option in party.owns.items():
                problem = problem.settle(issue, option)
        gone = {party.name for party in leaving}
        return problem._rebuilt(
            parties=[party for party in problem.parties if party.name not in gone],
            observers=[party for party in problem.observers if party.name not in gone],
        )

    def settle(self, issue: str, option: str) -> Problem:
        """A new problem in which ``issue`` is decided: ``option`` is its only option.

        The issue stays in the space (outcomes still show it). Every party's
        value of ``option`` is kept; red lines are translated (a red line that
        can no longer be crossed is dropped); an owner's default stays if it is
        ``option`` and is dropped otherwise (nothing is left to collapse to).

        >>> p = Problem.from_utilities([[3, 1], [1, 3], [2, 2]])
        >>> settled = p.settle("alternative", "2")
        >>> settled.space.issue("alternative").options, settled.utilities(0)
        (('2',), array([2., 2.]))
        """
        self._discrete_option(issue, option, "Problem.settle")
        return self._restricted(issue, (option,), "Problem.settle")

    def drop_option(self, issue: str, option: str) -> Problem:
        """A new problem in which ``option`` of ``issue`` has left the table.

        Dropping an issue's last option, or an owner's default option, is an
        error. Values, red lines (translated as in :meth:`settle`), notes and
        ownership are carried over.

        >>> Problem.from_utilities([[3, 1], [1, 3]]).drop_option("alternative", "0").space
        OutcomeSpace([Issue('alternative', ['1'])])
        """
        discrete = self._discrete_option(issue, option, "Problem.drop_option")
        if len(discrete) == 1:
            raise ValidationError(
                f"Problem.drop_option: {option!r} is the last option of issue {issue!r}; an issue "
                "needs at least one option (settle it, or leave it as it is)"
            )
        for party in self.parties + self.observers:
            if party.owns.get(issue) == option:
                raise ValidationError(
                    f"Problem.drop_option: {option!r} is where issue {issue!r} collapses when its "
                    f"owner {party.name!r} leaves (owns); change the owner's default first"
                )
        kept = tuple(label for label in discrete.options if label != option)
        return self._restricted(issue, kept, "Problem.drop_option")

    def _discrete_option(self, issue: str, option: str, caller: str) -> Issue:
        found = self.space.issues[self._issue_position(issue, caller)]
        if found.is_continuous:
            raise ValidationError(
                f"{caller}: issue {issue!r} is continuous; only a discrete issue's options can be "
                "settled or dropped"
            )
        if option not in found.options:
            raise UnknownNameError(
                f"{caller}: issue {issue!r} has no option {option!r}; options are "
                f"{list(found.options)}"
            )
        return found

    def _issue_position(self, issue: object, caller: str) -> int:
        if issue not in self.space.names:
            raise UnknownNameError(
                f"{caller}: the problem has no issue {issue!r}; issues are {list(self.space.names)}"
            )
        return self.space.issue_position(issue)  # type: ignore[arg-type]

    def _restricted(self, name: str, kept: tuple[str, ...], caller: str) -> Problem:
        """The problem with issue ``name`` reduced to the options ``kept``."""
        k = self.space.issue_position(name)
        issues = list(self.space.issues)
        issues[k] = Issue(name, kept)
        space = OutcomeSpace(issues)
        return self._rebuilt(
            space=space,
            parties=[_restricted_party(p, issues[k], self.space.issues[k]) for p in self.parties],
            observers=[
                _restricted_party(p, issues[k], self.space.issues[k]) for p in self.observers
            ],
        )

    # -- numbers by selector ---------------------------------------------------------------

    def selectors(self, observers: bool = False) -> tuple[Selector, ...]:
        """Every number of the problem, as selectors, in a stable order.

        Party by party (observers after, when ``observers`` is true, without
        their unused power): disagreement, power, each issue's weight, then each
        option's value issue by issue (discrete issues only).

        >>> p = Problem.from_utilities([[3, 1], [1, 3]])
        >>> p.selectors()[:4]
        (('P1', 'disagreement'), ('P1', 'power'), ('P1', 'weight', 'alternative'), \
('P1', 'value', 'alternative', '0'))
        """
        out: list[Selector] = []
        members = [(p, False) for p in self.parties]
        members += [(p, True) for p in self.observers] if observers else []
        for party, is_observer in members:
            out.append((party.name, "disagreement"))
            if not is_observer:
                out.append((party.name, "power"))
            if not isinstance(party.utility, AdditiveUtility):
                continue  # a rectangle utility has no per-issue weights or values
            out += [(party.name, "weight", issue.name) for issue in self.space.issues]
            for issue in self.space.issues:
                if not issue.is_continuous:
                    out += [(party.name, "value", issue.name, label) for label in issue.options]
        return tuple(out)

    def number(self, selector: Selector) -> float:
        """The number a selector names (see :data:`Selector`).

        >>> p = Problem.from_utilities([[3, 1], [1, 3]], disagreement=[0.5, 0])
        >>> p.number(("P1", "disagreement")), p.number(("P2", "value", "alternative", "1"))
        (0.5, 3.0)
        """
        party, kind, issue, option = self._parse(selector, "Problem.number")
        if kind in ("disagreement", "power"):
            return float(getattr(party, kind))
        if kind == "weight":
            return float(party.utility.weights[issue])
        position = self.space.issue(issue).position(option)
        return party.utility.value(issue, option, position)

    def with_number(self, selector: Selector, value: float) -> Problem:
        """A new problem with the number ``selector`` names set to ``value``.

        Weights and powers must be >= 0, every number finite.

        >>> p = Problem.from_utilities([[3, 1], [1, 3]])
        >>> p.with_number(("P2", "disagreement"), 2.0).disagreement
        array([0., 2.])
        >>> p.with_number(("P1", "value", "alternative", "0"), 5.0).utilities(0)
        array([5., 1.])
        """
        party, kind, issue, option = self._parse(selector, "Problem.with_number")
        field = f"Problem.with_number: the value for {selector!r}"
        value = check_real(value, field, minimum=0.0 if kind in ("power", "weight") else None)
        if kind in ("disagreement", "power"):
            return self._with_member(party.name, "Problem.with_number", **{kind: value})
        utility = party.utility
        if kind == "weight":
            utility = utility.replace(weights={issue: value})
        else:
            given = utility.values[issue]
            if isinstance(given, Mapping):
                utility = utility.replace(values={issue: {**given, option: value}})
            else:
                position = self.space.issue(issue).position(option)
                changed = list(given)
                changed[position] = value
                utility = utility.replace(values={issue: changed})
        return self._with_member(party.name, "Problem.with_number", utility=utility)

    def _parse(self, selector: object, caller: str) -> tuple[Party, str, str | None, str | None]:
        """``(party, kind, issue, option)`` of a selector, or a clear error naming it."""
        shapes = "; ".join(_SELECTOR_SHAPES.values())
        if (
            not isinstance(selector, tuple)
            or len(selector) < 2
            or not all(isinstance(part, str) for part in selector)
        ):
            raise BargainTypeError(
                f"{caller}: selector {selector!r} must be a tuple of names, one of {shapes}"
            )
        name, kind = selector[0], selector[1]
        if kind not in _SELECTOR_SHAPES:
            raise UnknownNameError(
                f"{caller}: selector {selector!r} has the kind {kind!r}; kinds are "
                f"{list(_SELECTOR_SHAPES)} ({shapes})"
            )
        size = {"disagreement": 2, "power": 2, "weight": 3, "value": 4}[kind]
        if len(selector) != size:
            raise ValidationError(
                f"{caller}: selector {selector!r} has {len(selector)} entries; a {kind!r} "
                f"selector is {_SELECTOR_SHAPES[kind]}"
            )
        observer, position = self._member(name, f"{caller}: selector {selector!r}")
        party = (self.observers if observer else self.parties)[position]
        if observer and kind == "power":
            raise ValidationError(
                f"{caller}: selector {selector!r}: {name!r} is an observer, whose power is unused"
            )
        issue = option = None
        if size >= 3:
            issue = selector[2]
            found = self.space.issues[
                self._issue_position(issue, f"{caller}: selector {selector!r}")
            ]
            if size == 4:
                option = selector[3]
                if found.is_continuous:
                    raise ValidationError(
                        f"{caller}: selector {selector!r}: issue {issue!r} is continuous, so it "
                        "has no option values ('value' selectors exist for discrete issues; "
                        "its value function is not a number)"
                    )
                if option not in found.options:
                    raise UnknownNameError(
                        f"{caller}: selector {selector!r}: issue {issue!r} has no option "
                        f"{option!r}; options are {list(found.options)}"
                    )
            if not isinstance(party.utility, AdditiveUtility):
                raise ValidationError(
                    f"{caller}: selector {selector!r}: {name!r} has a "
                    f"{type(party.utility).__name__}, which has no per-issue weights or values "
                    f"(its numbers are its no-deal value{'' if observer else ' and power'})"
                )
        return party, kind, issue, option

    # -- queries -------------------------------------------------------------------------

    @property
    def n_parties(self) -> int:
        return len(self.parties)

    @property
    def party_names(self) -> tuple[str, ...]:
        return tuple(party.name for party in self.parties)

    @property
    def observer_names(self) -> tuple[str, ...]:
        return tuple(party.name for party in self.observers)

    def party_position(self, name: str) -> int:
        """Position of the party called ``name``."""
        for position, party in enumerate(self.parties):
            if party.name == name:
                return position
        raise UnknownNameError(
            f"The problem has no party {name!r}; parties are {list(self.party_names)}"
        )

    def contribution(self, issue: int | str, choice: object) -> np.ndarray:
        """Every party's utility contribution of one issue's choice (how an issue scores).

        ``choice`` is an option label or position for a discrete issue and a
        number in ``[low, high]`` for a continuous one; utilities are the sum
        of these contributions over the issues (:func:`sum_contributions`).

        >>> p = Problem.from_utilities([[3, 1], [1, 3]])
        >>> p.contribution("alternative", "1")
        array([1., 3.])
        """
        if isinstance(issue, int | np.integer) and not isinstance(issue, bool):
            k = _position_in(int(issue), len(self.space.issues), "contribution: issue position")
        else:
            k = self._issue_position(issue, "contribution")
        found = self.space.issues[k]
        if found.is_continuous:
            x = check_real(choice, f"contribution: the value of issue {found.name!r}")
            if not found.low <= x <= found.high:
                raise OutOfRangeError(
                    f"contribution: {x!r} is outside issue {found.name!r}'s interval "
                    f"[{found.low!r}, {found.high!r}]"
                )
            return np.array([f(np.array([x]))[0] for f in self.value_functions[k]])
        return self.tables[k][:, self._option_position(k, choice, "contribution")]

    def _option_position(self, k: int, choice: object, caller: str) -> int:
        """The position of ``choice`` (a label or a position) among discrete issue ``k``'s."""
        issue = self.space.issues[k]
        if isinstance(choice, int | np.integer) and not isinstance(choice, bool):
            return _position_in(int(choice), len(issue), f"{caller}: {issue.name!r} option")
        return issue.position(choice)  # type: ignore[arg-type]

    def utilities_at(self, outcome: Mapping[str, object]) -> np.ndarray:
        """Every party's utility of an outcome ``{issue: option label or number}``.

        Works for any space (continuous issues take numbers), with every utility's
        interactions, rectangles, maximum and cap: equal to :meth:`utilities` of the
        package's index on a discrete space.

        >>> p = Problem.from_utilities([[3, 1], [1, 3]])
        >>> p.utilities_at({"alternative": "0"})
        array([3., 1.])
        """
        if not isinstance(outcome, Mapping):
            raise BargainTypeError(
                f"outcome must be a mapping of issue name to option, got {outcome!r}"
            )
        for name in outcome:
            self._issue_position(name, "utilities_at")
        missing = [name for name in self.space.names if name not in outcome]
        if missing:
            raise ValidationError(f"outcome does not choose an option for issue(s) {missing}")
        # Discrete issues by option position (interactions and rectangles read them too),
        # continuous ones by their value.
        issues = self.space.issues
        positions = [
            None
            if issue.is_continuous
            else self._option_position(k, outcome[issue.name], "utilities_at")
            for k, issue in enumerate(issues)
        ]
        total = sum_contributions(
            (
                self.contribution(k, outcome[issue.name])
                if position is None
                else self.tables[k][:, position]
                for k, (issue, position) in enumerate(zip(issues, positions))
            ),
            (self.n_parties,),
        )
        if self.additive:
            return total
        # Interactions and rectangles (discrete issues only: a continuous one's 0 is unread),
        # each maximum and cap.
        at = np.array([[0 if position is None else position for position in positions]])
        return self._transformed(total[:, None], at)[:, 0]

    def utilities(self, index: int) -> np.ndarray:
        """Every party's utility of package ``index``, in party order."""
        positions = self.space.options_of(index)
        total = sum_contributions(
            (table[:, p] for table, p in zip(self.tables, positions)), (self.n_parties,)
        )
        if self.additive:
            return total
        return self._transformed(total[:, None], np.array([positions]))[:, 0]

    def utilities_of(self, indices: np.ndarray) -> np.ndarray:
        """:meth:`utilities` of many packages at once: shape ``(len(indices), n_parties)``.

        Bit for bit equal to :meth:`utilities` of each (one summation order).
        ``indices`` may be an object array of exact Python ints (huge spaces); an index
        that is not an integer, or out of range, raises.
        """
        positions = self.space.decode(self.space.check_indices(indices, "utilities_of"))
        total = sum_contributions(
            (table[:, positions[:, k]] for k, table in enumerate(self.tables)),
            (self.n_parties, positions.shape[0]),
        )
        return self._transformed(total, positions).T

    def _transformed(self, total: np.ndarray, positions: np.ndarray | None) -> np.ndarray:
        """Sums of the per-issue tables ``(n, m)`` of packages with option ``positions``
        ``(m, n_issues)`` plus the non-additive terms, divided by each maximum and capped
        (``positions`` may be None when there are no terms)."""
        if self.additive:
            return total
        if self.terms:
            total = total.copy()
            add_terms(total, positions, self.terms)
        return self.scaled(total)

    def scaled(self, raw: np.ndarray) -> np.ndarray:
        """Raw sums ``(n, ...)`` (tables plus terms, parties first) divided by each party's
        maximum and capped: the last step of every utility (see :meth:`utilities_of`)."""
        shape = (-1,) + (1,) * (raw.ndim - 1)
        return np.minimum(self.cap.reshape(shape), raw / self.maximum.reshape(shape))

    @property
    def additive(self) -> bool:
        """Whether every utility is a plain weighted sum over issues (no interaction,
        rectangle, maximum or cap)."""
        return self.cached(
            "additive",
            lambda: (  # (a few parties: Python floats cost less than numpy calls)
                not self.terms
                and all(maximum == 1.0 for maximum in self.maximum.tolist())
                and all(map(math.isinf, self.cap.tolist()))
            ),
        )

    def observer_utilities_at(self, outcome: Mapping[str, object]) -> dict[str, float]:
        """Each observer's utility of an outcome (see :meth:`utilities_at`); ``{}`` without."""
        if self._audience is None:
            return {}
        return dict(zip(self.observer_names, map(float, self._audience.utilities_at(outcome))))

    def observer_disagreement(self) -> dict[str, float]:
        """Each observer's disagreement value (its utility when there is no agreement)."""
        return {party.name: party.disagreement for party in self.observers}

    def allowed(self, index: int) -> bool:
        """Whether package ``index`` crosses no party's red line."""
        positions = self.space.options_of(index)
        return not any(all(mask[positions[k]] for k, mask in rule.clauses) for rule in self.rules)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Problem):
            return NotImplemented
        return (
            self.space == other.space
            and self.party_names == other.party_names
            and all(np.array_equal(a, b) for a, b in zip(self.tables, other.tables))
            and self.value_functions.keys() == other.value_functions.keys()
            and all(
                a.same(b)
                for k, functions in self.value_functions.items()
                for a, b in zip(functions, other.value_functions[k])
            )
            and np.array_equal(self.maximum, other.maximum)
            and np.array_equal(self.cap, other.cap)
            and len(self.terms) == len(other.terms)
            and all(a[0] == b[0] and a[1].same(b[1]) for a, b in zip(self.terms, other.terms))
            and np.array_equal(self.disagreement, other.disagreement)
            and np.array_equal(self.powers, other.powers)
            and [p.red_lines for p in self.parties] == [p.red_lines for p in other.parties]
            and [(p.owns, p.discount) for p in self.parties]
            == [(p.owns, p.discount) for p in other.parties]
            and self.observers == other.observers
        )

    __hash__ = None  # type: ignore[assignment]

    def _size_text(self) -> str:
        continuous = len(self.space.continuous_issues)
        return f"{continuous} continuous" if continuous else counted(self.space.size, "package")

    def __repr__(self) -> str:
        observers = f", observers={list(self.observer_names)}" if self.observers else ""
        return (
            f"Problem({counted(len(self.space.issues), 'issue')}, {self._size_text()}, "
            f"parties={list(self.party_names)}{observers})"
        )


def _war_kept(war: War | None, space: OutcomeSpace, members: list[str]) -> War | None:
    """``war`` for a what-if's problem: its outcomes still packages of ``space``, its costs
    those of the ``members`` still there; else None (the derived numbers stay)."""
    if war is None:
        return None
    costs = {name: cost for name, cost in war.costs.items() if name in members}
    try:
        war.indices(space)
    except BargainError:
        return None
    return dataclasses.replace(war, costs=costs) if costs else None


def _position_in(position: int, count: int, field: str) -> int:
    if not 0 <= position < count:
        raise OutOfRangeError(f"{field} {position} is out of range 0..{count - 1}")
    return position


def _given_names(
    given: object, count: int, field: str, what: str, along: str
) -> tuple[str, ...] | None:
    """``from_utilities``'s ``names`` or ``labels``: None, or ``count`` distinct strings
    (one per column or row of utilities), else raise naming ``field``."""
    if given is None:
        return None
    names = check_sequence(given, field, f"{what}s")
    if len(names) != count:
        raise ValidationError(
            f"{field} has {len(names)} entries, but utilities has {count} {along} "
            f"(one {what} per {along[:-1]})"
        )
    for position, name in enumerate(names):
        check_name(name, f"{field}[{position}]")
    check_unique(names, field, what)
    return names


def _members(group: object, field: str) -> tuple[Party, ...]:
    if isinstance(group, Party):
        group = [group]
    group = check_sequence(group, f"Problem: {field}", "bargain.Party")
    for position, party in enumerate(group):
        if not isinstance(party, Party):
            raise BargainTypeError(
                f"Problem: {field}[{position}] must be a bargain.Party, got {party!r}"
            )
    return group


def _check_ownership(space: OutcomeSpace, members: tuple[Party, ...]) -> None:
    """Each owned issue exists, is discrete, has the default option and one owner."""
    owner_of: dict[str, str] = {}
    for party in members:
        for name, option in party.owns.items():
            field = f"Party {party.name!r}: owns[{name!r}]"
            issue = space.issues[space.issue_position(name, field)]
            if issue.is_continuous:
                raise ValidationError(
                    f"{field}: issue {name!r} is continuous; an owned issue collapses to one of "
                    "its options, so it must be discrete"
                )
            if option not in issue.options:
                raise UnknownNameError(
                    f"{field} is {option!r}, which issue {name!r} does not have; options are "
                    f"{list(issue.options)}"
                )
            if name in owner_of:
                raise ValidationError(
                    f"{field}: issue {name!r} is already owned by {owner_of[name]!r}; an issue "
                    "has at most one owner"
                )
            owner_of[name] = party.name


def _restricted_party(party: Party, new: Issue, old: Issue) -> Party:
    """``party`` on a space where issue ``old`` became ``new`` (a subset of its options)."""
    from .io import _join, restricted_uncertain  # the note paths and texts of scenario files

    name = new.name
    notes = dict(party.notes)
    utility = party.utility
    if isinstance(utility, AdditiveUtility):
        given = utility.values[name]
        if isinstance(given, Mapping):
            values = {label: given[label] for label in new.options}
        else:
            values = [given[old.position(label)] for label in new.options]
        prefix = _join("values", name)
        for label in old.options:
            if label not in new.options:
                notes.pop(_join(prefix, label), None)
        whole = notes.get(prefix, {})
        if "uncertain" in whole:  # option by option: the parts on dropped options go
            spec = restricted_uncertain(whole["uncertain"], new.options)
            whole = {kind: text for kind, text in whole.items() if kind != "uncertain"}
            if spec is not None:
                whole["uncertain"] = spec
            if whole:
                notes[prefix] = whole
            else:
                del notes[prefix]
        kept = [old.position(label) for label in new.options]
        interactions = {
            issues: np.take(table, kept, axis=issues.index(name)) if name in issues else table
            for issues, table in utility.interactions.items()
        }
        utility = AdditiveUtility(
            {**utility.values, name: values}, utility.weights, interactions or None
        )
    else:
        utility = _restricted_rectangles(utility, new, old, notes)
    red_lines = []
    for position, rule in enumerate(party.red_lines):
        translated = dict(rule)
        if name in rule:
            translated[name] = tuple(label for label in rule[name] if label in new.options)
        old_path, new_path = f"red_lines[{position}]", f"red_lines[{len(red_lines)}]"
        note = notes.pop(old_path, None)
        if name in rule and not translated[name]:
            continue  # this red line can no longer be crossed
        if note is not None:
            notes[new_path] = note
        red_lines.append(translated)
    owns = {
        issue: option
        for issue, option in party.owns.items()
        if issue != name or option in new.options
    }
    return party.replace(utility=utility, red_lines=red_lines, notes=notes, owns=owns)


def _restricted_rectangles(
    utility: RectangleUtility, new: Issue, old: Issue, notes: dict
) -> RectangleUtility:
    """``utility`` on issue ``new`` (options of ``old``, in order): a range on it shrinks
    to the options left inside it (the same packages earn the bonus); a rectangle with
    none left can no longer be earned and goes, its note with it (``notes`` is updated)."""
    rectangles = []
    for position, rectangle in enumerate(utility.rectangles):
        note = notes.pop(f"rectangles[{position}]", None)
        bounds = rectangle.ranges.get(new.name)
        if bounds is not None:
            low, high = old.position(bounds[0]), old.position(bounds[1])
            inside = [label for label in new.options if low <= old.position(label) <= high]
            if not inside:
                continue
            ranges = {**rectangle.ranges, new.name: (inside[0], inside[-1])}
            rectangle = Rectangle(rectangle.bonus, ranges)
        if note is not None:
            notes[f"rectangles[{len(rectangles)}]"] = note
        rectangles.append(rectangle)
    return RectangleUtility(rectangles, maximum=utility.maximum, cap=utility.cap)


def _compile_rule(space: OutcomeSpace, owner: int, party: Party, position: int, rule: dict) -> Rule:
    clauses = []
    for issue_name, labels in rule.items():
        field = f"Party {party.name!r}: red_lines[{position}]"
        k = space.issue_position(issue_name, field)
        issue = space.issues[k]
        if issue.is_continuous or _is_interval(labels):
            clauses.append((k, _interval_clause(issue, labels, f"{field}[{issue_name!r}]")))
            continue
        mask = np.zeros(len(issue), dtype=bool)
        for label in labels:
            if label not in issue.options:
                raise UnknownNameError(
                    f"{field}[{issue_name!r}] names option {label!r}, which issue {issue_name!r} "
                    f"does not have; options are {list(issue.options)}"
                )
            mask[issue.position(label)] = True
        mask.setflags(write=False)
        clauses.append((k, mask))
    return Rule(owner=owner, clauses=tuple(sorted(clauses, key=lambda clause: clause[0])))


def _interval_clause(issue: Issue | ContinuousIssue, given: object, field: str) -> np.ndarray:
    """A continuous issue's clause: the forbidden open interval as ``array([low, high])``."""
    if not issue.is_continuous:
        raise ValidationError(
            f"{field} is an interval, but issue {issue.name!r} is discrete: list forbidden options"
        )
    if not _is_interval(given):
        raise ValidationError(
            f"{field} lists options {given!r}, but issue {issue.name!r} is continuous: give a "
            "forbidden interval (low, high)"
        )
    return read_only(np.array(given, dtype=float))


def require_problem(problem: object, caller: str) -> Problem:
    """Return ``problem`` if it is a :class:`Problem`, else raise naming ``caller``."""
    if not isinstance(problem, Problem):
        raise BargainTypeError(f"{caller}: problem must be a bargain.Problem, got {problem!r}")
    return problem


def require_discrete(problem: object, caller: str) -> Problem:
    """:func:`require_problem`, with every issue discrete: what works on the list of packages
    (the frontier, simulations, the analyses, pictures) says so at its door, naming ``caller``
    and the continuous issues, rather than deep inside."""
    problem = require_problem(problem, caller)
    names = [issue.name for issue in problem.space.continuous_issues]
    if names:
        raise ContinuousSpaceError(
            f"{caller} needs a discrete space (a finite list of packages), but issue(s) {names} "
            "are continuous"
        )
    return problem
