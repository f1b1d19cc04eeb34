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

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ._checks import check_name, check_notes, check_real, check_real_array, check_unique
from .errors import BargainTypeError, UnknownNameError, ValidationError
from .space import ContinuousIssue, Issue, OutcomeSpace
from .utility import AdditiveUtility, RectangleUtility, Term, WeightedFunction

__all__ = ["Party", "Problem", "RedLine", "require_problem"]

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


class Party:
    """A bargaining party: a name, a utility, a disagreement value, a power, red lines.

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

    Examples
    --------
    >>> u = AdditiveUtility(values={"nato": [0.0, 0.4, 1.0]})
    >>> Party("Russia", u, disagreement=0.3, red_lines=[{"nato": "membership path"}])
    Party('Russia', disagreement=0.3, power=1.0, red_lines=({'nato': ('membership path',)},))
    """

    __slots__ = ("disagreement", "name", "notes", "power", "red_lines", "utility")

    def __init__(
        self,
        name: str,
        utility: AdditiveUtility | RectangleUtility,
        disagreement: float = 0.0,
        power: float = 1.0,
        red_lines: Sequence[RedLine] = (),
        notes: Mapping[str, Mapping[str, str]] | None = None,
    ) -> None:
        self.name = check_name(name, "Party name")
        if not isinstance(utility, AdditiveUtility | RectangleUtility):
            raise BargainTypeError(
                f"Party {name!r}: utility must be a bargain.AdditiveUtility or "
                f"bargain.RectangleUtility, got {utility!r}"
            )
        self.utility = utility
        self.disagreement = check_real(disagreement, f"Party {name!r}: disagreement")
        self.power = check_real(power, f"Party {name!r}: power", minimum=0.0)
        self.red_lines = _normalize_red_lines(red_lines, f"Party {name!r}: red_lines")
        self.notes = check_notes(notes, f"Party {name!r}: notes")

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
        return (
            f"Party({self.name!r}, disagreement={self.disagreement!r}, power={self.power!r}{lines})"
        )


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
            labels = (options,) if isinstance(options, str) else tuple(options)
            if not labels:
                raise ValidationError(f"{where}[{issue!r}] lists no option; list at least one")
            for label in labels:
                check_name(label, f"{where}[{issue!r}] option")
            normalized[issue] = labels
        out.append(normalized)
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


class Problem:
    """A bargaining problem: an outcome space and the parties bargaining over it.

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

    Attributes
    ----------
    tables : list of ndarray
        ``tables[k]`` has shape ``(n_parties, len(space.issues[k]))``: the
        weighted values each party puts on each option of issue ``k``.
    disagreement, powers : ndarray
        One entry per party, in party order.
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

    def __init__(
        self,
        space: OutcomeSpace,
        parties: Sequence[Party],
        notes: Mapping[str, Mapping[str, str]] | None = None,
    ) -> None:
        if not isinstance(space, OutcomeSpace):
            raise BargainTypeError(f"Problem: space must be a bargain.OutcomeSpace, got {space!r}")
        if isinstance(parties, Party):
            parties = [parties]
        parties = tuple(parties)
        if not parties:
            raise ValidationError("Problem: parties is empty; a problem needs at least one party")
        for position, party in enumerate(parties):
            if not isinstance(party, Party):
                raise BargainTypeError(
                    f"Problem: parties[{position}] must be a bargain.Party, got {party!r}"
                )
        check_unique((party.name for party in parties), "Problem: parties", "party name")
        self.space = space
        self.parties: tuple[Party, ...] = parties
        self.notes = check_notes(notes, "Problem: notes")
        bound = [party.utility.bind(space, f"Party {party.name!r}") for party in parties]
        per_party = [b.tables for b in bound]
        # Non-additive parts: (party, term) pairs; utility = min(cap, raw / maximum).
        self.terms: tuple[tuple[int, Term], ...] = tuple(
            (j, term) for j, b in enumerate(bound) for term in b.terms
        )
        self.maximum = np.array([b.maximum for b in bound])
        self.cap = np.array([b.cap for b in bound])
        self.maximum.setflags(write=False)
        self.cap.setflags(write=False)
        # A continuous issue has value functions instead of a table: tables[k] is None.
        self.value_functions: dict[int, tuple[WeightedFunction, ...]] = {
            k: tuple(tables[k] for tables in per_party)
            for k, issue in enumerate(space.issues)
            if isinstance(issue, ContinuousIssue)
        }
        self.tables: list[np.ndarray | None] = [
            None
            if k in self.value_functions
            else np.ascontiguousarray(np.stack([tables[k] for tables in per_party]))
            for k in range(len(space.issues))
        ]
        for table in self.tables:
            if table is not None:
                table.setflags(write=False)
        self.disagreement = np.array([party.disagreement for party in parties])
        self.powers = np.array([party.power for party in parties])
        self.disagreement.setflags(write=False)
        self.powers.setflags(write=False)
        self.rules: tuple[Rule, ...] = tuple(
            _compile_rule(space, owner, party, position, rule)
            for owner, party in enumerate(parties)
            for position, rule in enumerate(party.red_lines)
        )

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
        try:
            matrix = np.asarray(utilities, dtype=float)
        except (TypeError, ValueError) as exc:
            raise BargainTypeError(
                "Problem.from_utilities: utilities must be a 2-D array of numbers, "
                f"got {utilities!r}"
            ) from exc
        if matrix.ndim != 2 or matrix.shape[0] == 0 or matrix.shape[1] == 0:
            raise ValidationError(
                "Problem.from_utilities: utilities must be a non-empty 2-D array "
                f"(alternatives x parties), got shape {matrix.shape}"
            )
        n_alternatives, n_parties = matrix.shape
        names = [f"P{j + 1}" for j in range(n_parties)] if names is None else list(names)
        if len(names) != n_parties:
            raise ValidationError(
                f"Problem.from_utilities: names has {len(names)} entries, but utilities has "
                f"{n_parties} columns (one per party)"
            )
        d = (
            np.zeros(n_parties)
            if disagreement is None
            else check_real_array(
                disagreement, "Problem.from_utilities: disagreement", length=n_parties
            )
        )
        w = (
            np.ones(n_parties)
            if powers is None
            else check_real_array(powers, "Problem.from_utilities: powers", length=n_parties)
        )
        labels = [str(i) for i in range(n_alternatives)] if labels is None else list(labels)
        space = OutcomeSpace([Issue("alternative", labels)])
        parties = []
        for j, name in enumerate(names):
            column = check_real_array(matrix[:, j], f"Problem.from_utilities: utilities[:, {j}]")
            utility = AdditiveUtility(values={"alternative": column})
            parties.append(Party(name, utility, disagreement=d[j], power=w[j]))
        return cls(space, parties)

    def replace_party(self, name: str, **changes: object) -> Problem:
        """A new problem in which party ``name`` has some fields changed.

        >>> p = Problem.from_utilities([[3, 1], [1, 3]])
        >>> p.replace_party("P2", disagreement=2.0).disagreement
        array([0., 2.])
        """
        position = self.party_position(name)
        parties = list(self.parties)
        parties[position] = parties[position].replace(**changes)
        return Problem(self.space, parties, self.notes)

    def without(self, *names: str) -> Problem:
        """A new problem with the named parties removed (they leave the table).

        >>> Problem.from_utilities([[3, 1, 0], [1, 3, 0]]).without("P3").party_names
        ('P1', 'P2')
        """
        drop = {self.parties[self.party_position(name)].name for name in names}
        kept = [party for party in self.parties if party.name not in drop]
        return Problem(self.space, kept, self.notes)

    # -- queries -------------------------------------------------------------------------

    @property
    def n_parties(self) -> int:
        return len(self.parties)

    @property
    def party_names(self) -> tuple[str, ...]:
        return tuple(party.name for party in self.parties)

    def party_position(self, name: str) -> int:
        """Position of the party called ``name``."""
        for position, party in enumerate(self.parties):
            if party.name == name:
                return position
        raise UnknownNameError(
            f"The problem has no party {name!r}; parties are {list(self.party_names)}"
        )

    def utilities(self, index: int) -> np.ndarray:
        """Every party's utility of package ``index``, in party order."""
        positions = self.space.options_of(index)
        total = np.zeros(self.n_parties)
        for table, p in zip(self.tables, positions):
            total = total + table[:, p]
        if not self.additive:
            for j, term in self.terms:
                total[j] += term.values(np.array([[positions[k] for k in term.issues]]))[0]
            total = np.minimum(self.cap, total / self.maximum)
        return total

    @property
    def additive(self) -> bool:
        """Whether every utility is a plain weighted sum over issues (no interaction,
        rectangle, maximum or cap)."""
        return not self.terms and bool(np.all(self.maximum == 1.0) and np.all(self.cap == np.inf))

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
            and np.array_equal(self.maximum, other.maximum)
            and np.array_equal(self.cap, other.cap)
            and len(self.terms) == len(other.terms)
            and all(a[0] == b[0] and a[1].same(b[1]) for a, b in zip(self.terms, other.terms))
            and np.array_equal(self.disagreement, other.disagreement)
            and np.array_equal(self.powers, other.powers)
            and [p.red_lines for p in self.parties] == [p.red_lines for p in other.parties]
        )

    __hash__ = None  # type: ignore[assignment]

    def _size_text(self) -> str:
        continuous = len(self.space.continuous_issues)
        return f"{continuous} continuous" if continuous else f"{self.space.size} packages"

    def __repr__(self) -> str:
        return (
            f"Problem({len(self.space.issues)} issues, {self._size_text()}, "
            f"parties={list(self.party_names)})"
        )


def _compile_rule(space: OutcomeSpace, owner: int, party: Party, position: int, rule: dict) -> Rule:
    clauses = []
    for issue_name, labels in rule.items():
        field = f"Party {party.name!r}: red_lines[{position}]"
        try:
            k = space.issue_position(issue_name)
        except UnknownNameError:
            raise UnknownNameError(
                f"{field} names issue {issue_name!r}, which the space does not have; "
                f"issues are {list(space.names)}"
            ) from None
        issue = space.issues[k]
        if isinstance(issue, ContinuousIssue) or _is_interval(labels):
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
    if not isinstance(issue, ContinuousIssue):
        raise ValidationError(
            f"{field} is an interval, but issue {issue.name!r} is discrete: list forbidden options"
        )
    if not _is_interval(given):
        raise ValidationError(
            f"{field} lists options {given!r}, but issue {issue.name!r} is continuous: give a "
            "forbidden interval (low, high)"
        )
    return np.array(given, dtype=float)


def require_problem(problem: object, caller: str) -> Problem:
    """Return ``problem`` if it is a :class:`Problem`, else raise naming ``caller``."""
    if not isinstance(problem, Problem):
        raise BargainTypeError(f"{caller}: problem must be a bargain.Problem, got {problem!r}")
    return problem
