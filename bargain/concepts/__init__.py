"""Solution concepts: functions ``concept(problem, **options) -> Solution``."""

from .egalitarian import egalitarian
from .kalai_smorodinsky import kalai_smorodinsky
from .nash import nash
from .registry import CONCEPTS, Comparison, compare, solve
from .utilitarian import utilitarian

__all__ = [
    "CONCEPTS",
    "Comparison",
    "compare",
    "egalitarian",
    "kalai_smorodinsky",
    "nash",
    "solve",
    "utilitarian",
]
