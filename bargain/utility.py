"""Utility functions of the parties over packages.

An :class:`AdditiveUtility` gives a package the weighted sum, over issues, of
the party's value for the option chosen on that issue::

    u(package) = sum_k weights[k] * values[k][option chosen on issue k]

Weights are used exactly as given: they are *not* normalized to sum to one,
so ``weights={"a": 2, "b": 2}`` doubles every utility compared with weights of
one. (The solution concepts of `bargain` that are scale invariant, such as
Nash's, are unaffected; the others are, as theory says they should be.)

>>> import bargain as bg
>>> space = bg.OutcomeSpace([bg.Issue("a", ["x", "y"]), bg.Issue("b", ["p", "q"])])
>>> u = bg.AdditiveUtility(values={"a": [0.0, 1.0], "b": {"p": 0.5, "q": 0.0}},
...                        weights={"a": 0.75, "b": 0.25})
>>> u.evaluate(space, space.index({"a": "y", "b": "p"}))
0.875
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ._checks import (
    check_finite,
    check_keys,
    check_name,
    check_real,
    check_real_array,
    real_array,
)
from ._frozen import Frozen, FrozenDict, read_only
from .errors import BargainTypeError, UnknownNameError, ValidationError
from .space import OutcomeSpace

__all__ = [
    "PROBE_POINTS",
    "AdditiveUtility",
    "Bound",
    "Rectangle",
    "RectangleUtility",
    "Term",
    "WeightedFunction",
]

PROBE_POINTS = 65
"""Points of the even grid on which a continuous issue's value function is checked
(finite values of the right shape) when a problem is built."""


class AdditiveUtility(Frozen):
    """Additive utility: a weighted sum of per-issue option values (immutable).

    Parameters
    ----------
    values : mapping of issue name to values
        For each issue of the space, the value of each option: a list in the
        issue's option order, or a mapping ``{option label: value}`` covering
        every option. Values must be finite. For a continuous issue, a
        vectorized function: given a float array of points in ``[low, high]``
        it returns the array of their (finite) values, e.g. ``np.sqrt`` or a
        shape from :mod:`bargain.shapes`. It is checked on
        :data:`PROBE_POINTS` evenly spaced points when a problem is built.
    weights : mapping of issue name to float, optional
        Non-negative, finite weight of each issue (every issue named in
        ``values`` must have one). Default: weight 1 on every issue. Not
        normalized.
    interactions : mapping of issue-name tuple to table, optional
        Bonuses (or, negative, penalties) on combinations of options of
        several discrete issues: ``{("territory", "crimea"): table}`` adds
        ``table[i][j]`` to the utility, *as written* (not multiplied by any
        weight), when the first issue takes its ``i``-th option and the
        second its ``j``-th. A tuple of ``m`` issues takes an ``m``-dimensional
        table (higher-order interactions). Entries must be finite.

    Notes
    -----
    The utility is checked against a space when a :class:`~bargain.Problem` is
    built: it must cover every issue of the space, and nothing else.

    Examples
    --------
    >>> AdditiveUtility(values={"nato": [0.0, 0.4, 1.0]})
    AdditiveUtility(values={'nato': [0.0, 0.4, 1.0]}, weights={'nato': 1.0})

    Recognising Crimea is worth 0.3 more if the front line also holds:

    >>> import bargain as bg
    >>> space = bg.OutcomeSpace([bg.Issue("line", ["holds", "moves"]),
    ...                          bg.Issue("crimea", ["no", "yes"])])
    >>> u = AdditiveUtility({"line": [1.0, 0.0], "crimea": [0.0, 0.5]},
    ...                     interactions={("line", "crimea"): [[0.0, 0.3], [0.0, 0.0]]})
    >>> u.evaluate(space, space.index({"line": "holds", "crimea": "yes"}))
    1.8
    """

    __slots__ = ("interactions", "values", "weights")

    def __init__(
        self,
        values: Mapping[str, Sequence[float] | Mapping[str, float]],
        weights: Mapping[str, float] | None = None,
        interactions: Mapping[tuple[str, ...], object] | None = None,
    ) -> None:
        if not isinstance(values, Mapping):
            raise BargainTypeError(
                f"AdditiveUtility: values must be a mapping of issue name to option values, "
                f"got {values!r}"
            )
        if not values:
            raise ValidationError("AdditiveUtility: values is empty; give values for every issue")
        normalized: dict[str, object] = {}
        for issue, given in values.items():
            if not isinstance(issue, str):
                raise BargainTypeError(
                    f"AdditiveUtility: issue names must be strings, got {issue!r}"
                )
            normalized[issue] = _normalize_values(given, f"values[{issue!r}]")
        self.values: FrozenDict
        self.weights: FrozenDict
        self.interactions: FrozenDict
        self._init(
            values=FrozenDict(normalized),
            weights=FrozenDict(_checked_weights(weights, normalized)),
            interactions=FrozenDict(_normalize_interactions(interactions, normalized)),
        )

    def replace(
        self,
        values: Mapping[str, object] | None = None,
        weights: Mapping[str, float] | None = None,
    ) -> AdditiveUtility:
        """A copy with some issues' values or weights replaced (the others kept).

        >>> u = AdditiveUtility(values={"a": [0.0, 1.0], "b": [1.0, 0.0]})
        >>> u.replace(weights={"b": 0.5}).weights
        {'a': 1.0, 'b': 0.5}
        """
        return AdditiveUtility(
            values={**self.values, **(values or {})},
            weights={**self.weights, **(weights or {})},
            interactions=dict(self.interactions) or None,
        )

    def value(self, issue: str, option: str, position: int) -> float:
        """The (unweighted) value of ``option`` (at ``position`` in the issue's options)."""
        given = self.values[issue]
        return float(given[option] if isinstance(given, Mapping) else given[position])

    def tables(
        self, space: OutcomeSpace, owner: str = "AdditiveUtility"
    ) -> list[np.ndarray | WeightedFunction]:
        """Weighted value vectors, one per issue of ``space``, in the space's issue order.

        ``tables[k][j]`` is this utility's contribution when issue ``k`` takes
        option ``j``; for a continuous issue ``tables[k]`` is a
        :class:`WeightedFunction`. Raises a :class:`~bargain.BargainError` naming ``owner``
        if the utility does not fit the space.
        """
        for name in self.values:
            space.issue_position(name, f"{owner}: values[{name!r}]")
        tables = []
        for issue in space.issues:
            if issue.name not in self.values:
                raise ValidationError(
                    f"{owner}: values has no entry for issue {issue.name!r}; "
                    "every issue of the space needs values"
                )
            given = self.values[issue.name]
            field = f"{owner}: values[{issue.name!r}]"
            if issue.is_continuous:
                if not callable(given):
                    raise BargainTypeError(
                        f"{field} must be a vectorized function of the issue's value, since "
                        f"issue {issue.name!r} is continuous; got {given!r}"
                    )
                function = WeightedFunction(given, self.weights[issue.name], field)
                function.checked(np.linspace(issue.low, issue.high, PROBE_POINTS))
                tables.append(function)
                continue
            if callable(given):
                raise BargainTypeError(
                    f"{field} is a function, but issue {issue.name!r} has a finite list of "
                    "options: give one value per option"
                )
            if isinstance(given, dict):
                for label in given:
                    if label not in issue.options:
                        raise UnknownNameError(
                            f"{field} names option {label!r}, which issue {issue.name!r} does not "
                            f"have; options are {list(issue.options)}"
                        )
                missing = [label for label in issue.options if label not in given]
                if missing:
                    raise ValidationError(
                        f"{field} has no value for option {missing[0]!r}; give a value for every "
                        "option"
                    )
                vector = np.array([given[label] for label in issue.options], dtype=float)
            else:
                vector = np.asarray(given, dtype=float)
                if vector.size != len(issue):
                    raise ValidationError(
                        f"{field} has {vector.size} entries, but issue {issue.name!r} has "
                        f"{len(issue)} options"
                    )
            tables.append(self.weights[issue.name] * vector)
        return tables

    def bind(self, space: OutcomeSpace, owner: str = "AdditiveUtility") -> Bound:
        """This utility on ``space``: per-issue tables and the interaction terms."""
        tables = self.tables(space, owner)
        terms = []
        for issues, table in self.interactions.items():
            field = f"{owner}: interactions[{issues!r}]"
            positions = []
            for name in issues:
                k = space.issue_position(name, field)
                if space.issues[k].is_continuous:
                    raise ValidationError(
                        f"{field}: issue {name!r} is continuous; interactions take discrete issues"
                    )
                positions.append(k)
            expected = tuple(len(space.issues[k]) for k in positions)
            if table.shape != expected:
                raise ValidationError(
                    f"{field} has shape {table.shape}, but issues {list(issues)} have "
                    f"{list(expected)} options"
                )
            terms.append(Term(tuple(positions), table=table))
        return Bound(tables, tuple(terms))

    def evaluate(self, space: OutcomeSpace, index: int) -> float:
        """Utility of package ``index`` of discrete ``space`` (a convenience, not a kernel)."""
        return self.bind(space).evaluate(space.options_of(index))

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, AdditiveUtility)
            and self.weights == other.weights
            and self.values.keys() == other.values.keys()
            and all(_same_values(given, other.values[k]) for k, given in self.values.items())
            and self.interactions.keys() == other.interactions.keys()
            and all(np.array_equal(t, other.interactions[k]) for k, t in self.interactions.items())
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        shown = {k: (list(v) if isinstance(v, tuple) else v) for k, v in self.values.items()}
        extra = ""
        if self.interactions:
            tables = {k: t.tolist() for k, t in self.interactions.items()}
            extra = f", interactions={tables!r}"
        return f"AdditiveUtility(values={shown!r}, weights={dict(self.weights)!r}{extra})"


@dataclass(frozen=True, eq=False)
class WeightedFunction:
    """A continuous issue's value function times the issue's weight.

    Calling it evaluates ``weight * function(points)`` and trusts the function
    (kernels call it); :meth:`checked` also verifies the result's shape and
    finiteness, naming ``field`` in the error.
    """

    function: Callable[[np.ndarray], np.ndarray]
    weight: float
    field: str

    def __call__(self, points: np.ndarray) -> np.ndarray:
        return self.weight * np.asarray(self.function(points), dtype=float)

    def same(self, other: WeightedFunction) -> bool:
        """Whether ``other`` gives the same values: the same weight and function (see
        :func:`same_function`)."""
        return self.weight == other.weight and same_function(self.function, other.function)

    def checked(self, points: np.ndarray) -> np.ndarray:
        """Values at ``points``, or a :class:`~bargain.ValidationError` if any is bad."""
        points = np.asarray(points, dtype=float)
        try:
            with np.errstate(all="ignore"):  # bad values are reported below, not warned
                values = np.asarray(self.function(points), dtype=float)
        except (TypeError, ValueError, ArithmeticError) as exc:
            raise ValidationError(
                f"{self.field}: calling the value function on an array of {points.size} points "
                f"failed ({type(exc).__name__}: {exc}); it must be vectorized"
            ) from exc
        if values.shape != points.shape:
            raise ValidationError(
                f"{self.field}: the value function returned shape {values.shape} for points of "
                f"shape {points.shape}; it must return one value per point"
            )
        bad = np.flatnonzero(~np.isfinite(values))
        if bad.size:
            raise ValidationError(
                f"{self.field}: the value function returned {float(values[bad[0]])!r} at "
                f"{float(points[bad[0]])!r}; values must be finite (no NaN or inf)"
            )
        return self.weight * values


def _checked_weights(weights: object, values: Mapping[str, object]) -> dict[str, float]:
    """Validate the weights of the issues that have ``values`` (default: 1 each)."""
    if weights is None:
        return dict.fromkeys(values, 1.0)
    if not isinstance(weights, Mapping):
        raise BargainTypeError(
            f"AdditiveUtility: weights must be a mapping of issue name to weight, got {weights!r}"
        )
    check_keys(
        weights,
        list(values),
        "AdditiveUtility: weights",
        "issue",
        "issues with values",
        " (or omit weights for weight 1 each)",
    )
    return {
        name: check_real(weights[name], f"AdditiveUtility: weights[{name!r}]", minimum=0.0)
        for name in values
    }


def _normalize_values(given: object, field: str) -> object:
    """Validate one issue's values: a tuple of floats, a dict label -> float, or a function."""
    if callable(given):
        return given
    if isinstance(given, Mapping):
        out = {}
        for label, value in given.items():
            if not isinstance(label, str):
                raise BargainTypeError(f"AdditiveUtility: {field} keys must be option labels")
            out[label] = check_real(value, f"AdditiveUtility: {field}[{label!r}]")
        return FrozenDict(out)
    array = check_real_array(given, f"AdditiveUtility: {field}")
    if array.size == 0:
        raise ValidationError(f"AdditiveUtility: {field} is empty")
    return tuple(float(x) for x in array)


def same_function(a: object, b: object) -> bool:
    """Whether two value functions are the same: equal :mod:`bargain.shapes` (which compare
    by value), else the same callable (a function or ufunc equals only itself).

    >>> from bargain import shapes
    >>> same_function(shapes.power(0.5), shapes.power(0.5)), same_function(np.sqrt, np.exp)
    (True, False)
    """
    return a is b or (a == b) is True  # (an __eq__ answering with an array is no "same")


def _same_values(a: object, b: object) -> bool:
    """Whether one issue's values (a tuple, a mapping or a function) are the same."""
    if callable(a) or callable(b):
        return same_function(a, b)
    return a == b


@dataclass(frozen=True, eq=False)
class Term:
    """A non-additive part of one party's utility, over a few discrete issues.

    ``issues`` are positions in the space's issue order. Either a dense
    ``table`` over the issues' joint options (an interaction: ``table[i, j]``
    when the first issue takes option ``i`` and the second option ``j``), or a
    rectangle: ``bonus`` is earned when ``masks[c][option on issues[c]]`` holds
    for every ``c``.
    """

    issues: tuple[int, ...]
    table: np.ndarray | None = None
    masks: tuple[np.ndarray, ...] = ()
    bonus: float = 0.0

    def values(self, positions: np.ndarray) -> np.ndarray:
        """The term at option positions of shape ``(m, len(issues))`` -> shape ``(m,)``."""
        if self.table is not None:
            return self.table[tuple(positions.T)]
        hit = np.ones(positions.shape[0], dtype=bool)
        for column, mask in enumerate(self.masks):
            hit &= mask[positions[:, column]]
        return np.where(hit, self.bonus, 0.0)

    def same(self, other: Term) -> bool:
        """Whether ``other`` is the same term (arrays compared by value)."""
        return (
            self.issues == other.issues
            and (self.table is None) == (other.table is None)
            and (self.table is None or np.array_equal(self.table, other.table))
            and len(self.masks) == len(other.masks)
            and all(np.array_equal(a, b) for a, b in zip(self.masks, other.masks))
            and self.bonus == other.bonus
        )


@dataclass(frozen=True, eq=False)
class Bound:
    """A utility checked against a space: what the engine compiles.

    ``u = min(cap, (sum_k tables[k][option k] + sum of terms) / maximum)``.
    """

    tables: list
    terms: tuple[Term, ...] = ()
    maximum: float = 1.0
    cap: float = math.inf

    def evaluate(self, positions: Sequence[int]) -> float:
        """The utility of one package given by its option positions."""
        raw = 0.0
        for table, position in zip(self.tables, positions):
            raw += float(table[position])
        for term in self.terms:
            raw += float(term.values(np.array([[positions[k] for k in term.issues]]))[0])
        return min(self.cap, raw / self.maximum)


def _per_option(terms: list[Term]) -> bool:
    """Whether rectangle ``terms`` each hold one issue, in issue order, those on one
    issue disjoint (then each is a bonus on some options of its issue)."""
    issues = [term.issues[0] if len(term.issues) == 1 else -1 for term in terms]
    if -1 in issues or issues != sorted(issues):
        return False
    held: dict[int, np.ndarray] = {}
    for k, term in zip(issues, terms):
        mask = term.masks[0]
        if k in held and bool(np.any(held[k] & mask)):
            return False
        held[k] = held[k] | mask if k in held else mask
    return True


class Rectangle(Frozen):
    """A bonus earned when, on every named issue, the option lies in a range.

    Parameters
    ----------
    bonus : float
        Finite; added to the utility when the package lies in the rectangle.
    ranges : mapping of issue name to (low label, high label)
        The inclusive range of options, in the issue's option order.

    Examples
    --------
    >>> Rectangle(2.0, {"price": ("p3", "p7")})
    Rectangle(2.0, {'price': ('p3', 'p7')})
    """

    __slots__ = ("bonus", "ranges")

    def __init__(self, bonus: float, ranges: Mapping[str, tuple[str, str]]) -> None:
        bonus = check_real(bonus, "Rectangle: bonus")
        if not isinstance(ranges, Mapping):
            raise BargainTypeError(
                f"Rectangle: ranges must be a mapping {{issue: (low label, high label)}}, "
                f"got {ranges!r}"
            )
        if not ranges:
            raise ValidationError(
                "Rectangle: ranges is empty; a rectangle names at least one issue"
            )
        checked: dict[str, tuple[str, str]] = {}
        for issue, pair in ranges.items():
            check_name(issue, "Rectangle: ranges issue name")
            if isinstance(pair, str) or not isinstance(pair, Sequence) or len(pair) != 2:
                raise BargainTypeError(
                    f"Rectangle: ranges[{issue!r}] must be a pair (low label, high label), "
                    f"got {pair!r}"
                )
            low = check_name(pair[0], f"Rectangle: ranges[{issue!r}][0]")
            high = check_name(pair[1], f"Rectangle: ranges[{issue!r}][1]")
            checked[issue] = (low, high)
        self.bonus: float
        self.ranges: FrozenDict
        self._init(bonus=bonus, ranges=FrozenDict(checked))

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Rectangle)
            and self.bonus == other.bonus
            and self.ranges == other.ranges
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Rectangle({self.bonus!r}, {dict(self.ranges)!r})"


class RectangleUtility(Frozen):
    """A constraint ("hyper-rectangle") utility: a sum of rectangle bonuses.

    ``u(package) = min(cap, sum of the bonuses of the rectangles containing the
    package / maximum)``, dividing only when ``maximum`` is given and capping
    only when ``cap`` is (the ANAC 2014 domains use ``maximum`` the file's
    ``maxutility`` and ``cap`` 1). Every issue of the space must be discrete.

    Parameters
    ----------
    rectangles : sequence of Rectangle
    maximum : float, optional
        Positive; the sum of bonuses is divided by it.
    cap : float, optional
        The utility never exceeds it.

    Examples
    --------
    >>> import bargain as bg
    >>> space = bg.OutcomeSpace([bg.Issue("a", ["0", "1", "2"]), bg.Issue("b", ["0", "1"])])
    >>> u = RectangleUtility([Rectangle(3.0, {"a": ("1", "2")}),
    ...                       Rectangle(1.0, {"a": ("0", "1"), "b": ("1", "1")})],
    ...                      maximum=4.0, cap=0.9)
    >>> [u.evaluate(space, i) for i in range(space.size)]
    [0.0, 0.25, 0.75, 0.9, 0.75, 0.75]
    """

    __slots__ = ("cap", "maximum", "rectangles")

    def __init__(
        self,
        rectangles: Sequence[Rectangle],
        *,
        maximum: float | None = None,
        cap: float | None = None,
    ) -> None:
        if isinstance(rectangles, str | Rectangle) or not isinstance(rectangles, Sequence):
            raise BargainTypeError(
                f"RectangleUtility: rectangles must be a sequence of bargain.Rectangle, "
                f"got {rectangles!r}"
            )
        for position, rectangle in enumerate(rectangles):
            if not isinstance(rectangle, Rectangle):
                raise BargainTypeError(
                    f"RectangleUtility: rectangles[{position}] must be a bargain.Rectangle, "
                    f"got {rectangle!r}"
                )
        if maximum is not None:
            maximum = check_real(maximum, "RectangleUtility: maximum")
            if maximum <= 0:
                raise ValidationError(f"RectangleUtility: maximum must be > 0, got {maximum!r}")
        self.rectangles: tuple[Rectangle, ...]
        self.maximum: float | None
        self.cap: float | None
        self._init(
            rectangles=tuple(rectangles),
            maximum=maximum,
            cap=None if cap is None else check_real(cap, "RectangleUtility: cap"),
        )

    def bind(self, space: OutcomeSpace, owner: str = "RectangleUtility") -> Bound:
        """This utility on ``space``: one rectangle term per rectangle."""
        for issue in space.issues:
            if issue.is_continuous:
                raise ValidationError(
                    f"{owner}: a rectangle utility needs discrete issues, but issue "
                    f"{issue.name!r} is continuous"
                )
        terms = []
        for position, rectangle in enumerate(self.rectangles):
            issues, masks = [], []
            for name, (low, high) in rectangle.ranges.items():
                field = f"{owner}: rectangles[{position}].ranges[{name!r}]"
                issue = space.issues[space.issue_position(name, field)]
                for label in (low, high):
                    if label not in issue.options:
                        raise UnknownNameError(
                            f"{field} names option {label!r}, outside issue {name!r}; "
                            f"options are {list(issue.options)}"
                        )
                first, last = issue.position(low), issue.position(high)
                if first > last:
                    raise ValidationError(
                        f"{field} is ({low!r}, {high!r}), but {low!r} comes after {high!r} in "
                        f"the option order; a range needs low <= high"
                    )
                mask = np.zeros(len(issue), dtype=bool)
                mask[first : last + 1] = True
                mask.setflags(write=False)
                issues.append(space.issue_position(name))
                masks.append(mask)
            order = np.argsort(issues, kind="stable")
            terms.append(
                Term(
                    tuple(issues[i] for i in order),
                    masks=tuple(masks[i] for i in order),
                    bonus=rectangle.bonus,
                )
            )
        tables = [np.zeros(len(issue)) for issue in space.issues]
        if _per_option(terms):
            # Bonuses per option (GENIUS's capped linear profiles): a package earns at
            # most one per issue, in issue order, so per-issue tables give the same sums.
            for term in terms:
                k = term.issues[0]
                tables[k] = tables[k] + np.where(term.masks[0], term.bonus, 0.0)
            terms = []
        return Bound(
            tables,
            tuple(terms),
            maximum=1.0 if self.maximum is None else self.maximum,
            cap=math.inf if self.cap is None else self.cap,
        )

    def evaluate(self, space: OutcomeSpace, index: int) -> float:
        """Utility of package ``index`` of ``space`` (a convenience, not a kernel)."""
        return self.bind(space).evaluate(space.options_of(index))

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, RectangleUtility)
            and self.rectangles == other.rectangles
            and self.maximum == other.maximum
            and self.cap == other.cap
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return (
            f"RectangleUtility({len(self.rectangles)} rectangles, maximum={self.maximum!r}, "
            f"cap={self.cap!r})"
        )


def _normalize_interactions(
    interactions: object, values: dict[str, object]
) -> dict[tuple[str, ...], np.ndarray]:
    """Validate interaction tables: issue-name tuples to read-only finite float arrays."""
    if interactions is None:
        return {}
    if not isinstance(interactions, Mapping):
        raise BargainTypeError(
            "AdditiveUtility: interactions must be a mapping {(issue, issue): table}, "
            f"got {interactions!r}"
        )
    out: dict[tuple[str, ...], np.ndarray] = {}
    seen: set[frozenset[str]] = set()
    for issues, given in interactions.items():
        field = f"AdditiveUtility: interactions[{issues!r}]"
        if not isinstance(issues, tuple) or len(issues) < 2:
            raise BargainTypeError(f"{field}: the key must be a tuple of two or more issue names")
        for name in issues:
            if not isinstance(name, str):
                raise BargainTypeError(f"{field}: issue names must be strings, got {name!r}")
            if name not in values:
                raise UnknownNameError(
                    f"{field} names issue {name!r}, which has no values; issues with values "
                    f"are {list(values)}"
                )
        if len(set(issues)) < len(issues) or frozenset(issues) in seen:
            raise ValidationError(
                f"{field}: an issue appears twice, or these issues already have a table"
            )
        seen.add(frozenset(issues))
        table = real_array(given, field)
        expected = []
        for name in issues:
            given_values = values[name]
            if callable(given_values):
                raise ValidationError(
                    f"{field}: issue {name!r} is continuous; interactions take discrete issues"
                )
            expected.append(len(given_values))  # type: ignore[arg-type]
        if table.shape != tuple(expected):
            raise ValidationError(
                f"{field} has shape {table.shape}, but issues {list(issues)} have "
                f"{expected} options"
            )
        out[issues] = read_only(check_finite(table, field))
    return out
