"""The boundary checks of ``bargain._checks``, through the public functions that use them."""

from __future__ import annotations

import numpy as np
import pytest

import bargain as bg

PIE = bg.Problem.from_utilities([[k, 8 - k] for k in range(9)], names=["A", "B"])

NUMBERS_DUE = [
    (lambda v: bg.sweep(PIE, ("A", "disagreement"), v), "sweep: values"),
    (
        lambda v: bg.Problem.from_utilities([[1, 0], [0, 1]], disagreement=v),
        "Problem.from_utilities: disagreement",
    ),
    (lambda v: bg.egalitarian(PIE, weights=v), "egalitarian: weights"),
    (lambda v: bg.AdditiveUtility(values={"x": v}), "AdditiveUtility: values['x']"),
    (lambda v: bg.baron_ferejohn(n=2, recognition=v), "baron_ferejohn: recognition"),
]
"""Calls that take a sequence of numbers, and the field their errors name."""


@pytest.mark.parametrize(
    "value", [0.5, np.float64(0.5), np.array(0.5)], ids=["float", "numpy float", "0-D array"]
)
@pytest.mark.parametrize(("call", "field"), NUMBERS_DUE, ids=[f for _, f in NUMBERS_DUE])
def test_a_number_where_numbers_are_due_is_a_type_error(call, field, value):
    """``check_real_array`` once read a number as a 0-D array and called it a shape mistake
    ("must be one-dimensional, got shape ()", a ValidationError)."""
    with pytest.raises(bg.BargainTypeError) as caught:
        call(value)
    assert str(caught.value) == f"{field} must be a sequence of numbers, got {value!r}"


def test_none_where_numbers_are_due_says_what_is():
    """Once "values['x'] is None; values must be numbers": true, but no help."""
    with pytest.raises(bg.BargainTypeError) as caught:
        bg.AdditiveUtility(values={"x": None})
    assert str(caught.value) == (
        "AdditiveUtility: values['x'] must be a sequence of numbers, got None"
    )


def test_a_table_where_a_row_of_numbers_is_due_is_a_shape_mistake():
    with pytest.raises(bg.ValidationError) as caught:
        bg.egalitarian(PIE, weights=[[1.0, 1.0]])
    assert str(caught.value) == "egalitarian: weights must be one-dimensional, got shape (1, 2)"
