"""Solution concepts: functions ``concept(problem, **options) -> Solution``."""

from .nash import nash

__all__ = ["nash"]
