"""Solution concepts: functions ``concept(problem, **options) -> Solution``, and the tie
rule they share with the analyses (:func:`tie_rule`)."""

from ._discrete import tie_rule
from .egalitarian_solution import egalitarian
from .kalai_smorodinsky_solution import kalai_smorodinsky
from .nash_solution import nash
from .registry import CONCEPTS, Comparison, compare, solve
from .utilitarian_solution import utilitarian

__all__ = [
    "CONCEPTS",
    "Comparison",
    "compare",
    "egalitarian",
    "kalai_smorodinsky",
    "nash",
    "solve",
    "tie_rule",
    "utilitarian",
]
