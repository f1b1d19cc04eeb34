"""The exception hierarchy of `bargain`.

Every error the library raises on purpose derives from :class:`BargainError`, so
``except bg.BargainError`` catches them all. Where the error is what Python
calls a ``ValueError``, ``TypeError`` or ``IndexError``, the class subclasses it
too, so generic handlers keep working.

Messages name the field, the bad value and the rule that was broken, e.g.
``Party 'Russia': values['nato'] has 2 entries, but issue 'nato' has 3 options``.

>>> import bargain as bg
>>> try:
...     bg.Issue("nato", ["in", "in"])
... except bg.DuplicateNameError as err:
...     print(err)
Issue 'nato': options has the duplicate option label 'in'; option labels must be unique
"""

from __future__ import annotations

__all__ = [
    "BargainError",
    "BargainTypeError",
    "ContinuousSpaceError",
    "DuplicateNameError",
    "ImmutableError",
    "MissingDependencyError",
    "OutOfRangeError",
    "ScenarioFileError",
    "SolverError",
    "UnknownNameError",
    "ValidationError",
]


class BargainError(Exception):
    """Base class of every error raised by `bargain`."""


class ValidationError(BargainError, ValueError):
    """An input value breaks a rule (NaN, negative weight, wrong length, ...)."""


class BargainTypeError(BargainError, TypeError):
    """An input has the wrong type (a number where a list is expected, ...)."""


class UnknownNameError(ValidationError):
    """A name (issue, option, party, concept) that the problem does not know."""


class DuplicateNameError(ValidationError):
    """A name that must be unique appears twice."""


class ImmutableError(BargainError, AttributeError):
    """An attempt to change a model object (issue, space, utility, party, problem) after
    construction: what-ifs return new objects instead (``Problem.with_number``, ...)."""


class OutOfRangeError(ValidationError, IndexError):
    """An index outside the valid range (a package index beyond the space)."""


class ContinuousSpaceError(ValidationError):
    """A discrete-only operation (counting, indexing, enumerating packages, lotteries)
    asked of a space with continuous issues."""


class ScenarioFileError(ValidationError):
    """A scenario file that cannot be read: invalid TOML, an unknown key, a bad value.

    The message starts with the file name and the key path of the problem,
    e.g. ``talks.toml: parties[2].values.crimea: ...``.
    """


class SolverError(BargainError, RuntimeError):
    """A numerical method failed to reach its documented guarantee."""


class MissingDependencyError(BargainError, ImportError):
    """An optional dependency (matplotlib for plots) is needed but not installed."""
