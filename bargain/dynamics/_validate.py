"""Boundary checks shared by the bargaining processes (never called inside kernels)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from numbers import Real

import numpy as np

from .._checks import check_keys, check_real
from ..errors import BargainTypeError, ValidationError


def check_open_unit(value: object, field: str) -> float:
    """A real number strictly between 0 and 1 (a discount factor)."""
    number = check_real(value, field)
    if not 0.0 < number < 1.0:
        raise ValidationError(f"{field} must be strictly between 0 and 1, got {number!r}")
    return number


def check_closed_unit(value: object, field: str) -> float:
    """A real number in [0, 1] (a discount factor where no discounting and full
    impatience both have an equilibrium)."""
    number = check_real(value, field)
    if not 0.0 <= number <= 1.0:
        raise ValidationError(f"{field} must be between 0 and 1 (inclusive), got {number!r}")
    return number


def check_positive(value: object, field: str) -> float:
    """A finite real number strictly above 0 (a rate, a period length)."""
    number = check_real(value, field)
    if number <= 0.0:
        raise ValidationError(f"{field} must be > 0, got {number!r}")
    return number


def check_probability(value: object, field: str, *, below_one: bool = False) -> float:
    """A probability in [0, 1] (or [0, 1) when ``below_one``)."""
    number = check_real(value, field, minimum=0.0)
    if number > 1.0 or (below_one and number == 1.0):
        bound = "< 1" if below_one else "<= 1"
        raise ValidationError(f"{field} must be a probability {bound}, got {number!r}")
    return number


def per_party(
    value: object,
    names: Sequence[str],
    field: str,
    check: Callable[[object, str], float],
) -> np.ndarray:
    """One checked number per party, from a scalar, a sequence in party order or a mapping.

    A mapping must name every party and nothing else.
    """
    if isinstance(value, Mapping):
        check_keys(value, names, field, "party", "parties bargaining")
        return np.array([check(value[name], f"{field}[{name!r}]") for name in names])
    if isinstance(value, Real | np.number) and not isinstance(value, bool):
        number = check(value, field)
        return np.full(len(names), number)
    if isinstance(value, str | bytes) or not isinstance(value, Sequence | np.ndarray):
        raise BargainTypeError(
            f"{field} must be a number, a sequence with one entry per party or a mapping "
            f"{{party: value}}, got {value!r}"
        )
    values = list(value)
    if len(values) != len(names):
        raise ValidationError(
            f"{field} has {len(values)} entries, but {len(names)} parties bargain ({list(names)})"
        )
    return np.array([check(item, f"{field}[{position}]") for position, item in enumerate(values)])
