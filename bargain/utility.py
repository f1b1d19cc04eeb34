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

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ._checks import check_real, check_real_array
from ._frozen import Frozen, FrozenDict
from .errors import BargainTypeError, UnknownNameError, ValidationError
from .space import OutcomeSpace

__all__ = ["PROBE_POINTS", "AdditiveUtility", "WeightedFunction"]

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

    Notes
    -----
    The utility is checked against a space when a :class:`~bargain.Problem` is
    built: it must cover every issue of the space, and nothing else.

    Examples
    --------
    >>> AdditiveUtility(values={"nato": [0.0, 0.4, 1.0]})
    AdditiveUtility(values={'nato': [0.0, 0.4, 1.0]}, weights={'nato': 1.0})
    """

    __slots__ = ("values", "weights")

    def __init__(
        self,
        values: Mapping[str, Sequence[float] | Mapping[str, float]],
        weights: Mapping[str, float] | None = None,
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
        self._init(
            values=FrozenDict(normalized),
            weights=FrozenDict(_checked_weights(weights, normalized)),
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
            values={**self.values, **(values or {})}, weights={**self.weights, **(weights or {})}
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
            if name not in space.names:
                raise UnknownNameError(
                    f"{owner}: values[{name!r}] names an issue the space does not have; "
                    f"issues are {list(space.names)}"
                )
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

    def evaluate(self, space: OutcomeSpace, index: int) -> float:
        """Utility of package ``index`` of discrete ``space`` (a convenience, not a kernel)."""
        positions = space.options_of(index)
        return float(sum(t[p] for t, p in zip(self.tables(space), positions)))

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, AdditiveUtility)
            and self.weights == other.weights
            and _comparable(self.values) == _comparable(other.values)
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        shown = {k: (list(v) if isinstance(v, tuple) else v) for k, v in self.values.items()}
        return f"AdditiveUtility(values={shown!r}, weights={dict(self.weights)!r})"


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
    unknown = [name for name in weights if name not in values]
    if unknown:
        raise UnknownNameError(
            f"AdditiveUtility: weights[{unknown[0]!r}] names an issue that has no values; "
            f"issues with values are {list(values)}"
        )
    missing = [name for name in values if name not in weights]
    if missing:
        raise ValidationError(
            f"AdditiveUtility: weights has no entry for issue {missing[0]!r}; "
            "give a weight for every issue (or omit weights for weight 1 each)"
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


def _comparable(values: dict[str, object]) -> dict[str, object]:
    return {
        k: (tuple(sorted(v.items())) if isinstance(v, Mapping) else v) for k, v in values.items()
    }
