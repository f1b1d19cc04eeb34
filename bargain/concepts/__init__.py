"""Solution concepts: functions ``concept(problem, **options) -> Solution``."""

from .nash import nash
from .registry import CONCEPTS, Comparison, compare, solve

__all__ = ["CONCEPTS", "Comparison", "compare", "nash", "solve"]
