"""Issues and the space of packages they span.

A *package* (an outcome) picks one option on every issue. The packages of an
:class:`OutcomeSpace` are numbered row-major, first issue slowest, exactly like
``numpy.ravel_multi_index`` on the option indices.

>>> import bargain as bg
>>> territory = bg.Issue("territory", ["1991 borders", "pre-2022 line", "current front line"])
>>> nato = bg.Issue("nato", ["membership path", "neutrality"])
>>> space = bg.OutcomeSpace([territory, nato])
>>> len(space)
6
>>> space.outcome(3)
{'territory': 'pre-2022 line', 'nato': 'neutrality'}
>>> space.index({"territory": "current front line", "nato": "membership path"})
4
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

from ._checks import check_int, check_name, check_real, check_sequence, check_unique
from ._frozen import Frozen, FrozenDict
from .errors import (
    BargainTypeError,
    ContinuousSpaceError,
    OutOfRangeError,
    UnknownNameError,
    ValidationError,
)

__all__ = ["ContinuousIssue", "Issue", "OutcomeSpace"]


class Issue(Frozen):
    """One issue on the table, with a finite list of options (immutable).

    Parameters
    ----------
    name : str
        The issue's name, unique within a space.
    options : sequence of str
        The option labels, in the order that values lists follow. At least one,
        all distinct.

    Examples
    --------
    >>> nato = Issue("nato", ["membership path", "postponed", "permanent neutrality"])
    >>> len(nato), nato.position("postponed")
    (3, 1)
    """

    __slots__ = ("_index", "name", "options")

    kind = "discrete"
    """What kind of issue this is: ``"discrete"`` (a list of options, valued by a
    table) or ``"continuous"`` (an interval, valued by functions)."""

    is_continuous = False

    def __init__(self, name: str, options: Sequence[str]) -> None:
        name = check_name(name, "Issue name")
        labels = check_sequence(options, f"Issue {name!r}: options", "option labels")
        if not labels:
            raise ValidationError(
                f"Issue {name!r}: options is empty; an issue needs at least one option"
            )
        for position, label in enumerate(labels):
            check_name(label, f"Issue {name!r}: options[{position}]")
        check_unique(labels, f"Issue {name!r}: options", "option label")
        self.name: str
        self.options: tuple[str, ...]
        self._init(
            name=name,
            options=labels,
            _index=FrozenDict({label: position for position, label in enumerate(labels)}),
        )

    def __len__(self) -> int:
        return len(self.options)

    @staticmethod
    def continuous(name: str, low: float, high: float) -> ContinuousIssue:
        """An issue settled by any number in ``[low, high]`` (see :class:`ContinuousIssue`).

        >>> Issue.continuous("share", 0.0, 1.0)
        ContinuousIssue('share', 0.0, 1.0)
        """
        return ContinuousIssue(name, low, high)

    def position(self, option: str) -> int:
        """Return the position of ``option`` in this issue's options."""
        try:
            return self._index[option]
        except (KeyError, TypeError):
            raise UnknownNameError(
                f"Issue {self.name!r} has no option {option!r}; options are {list(self.options)}"
            ) from None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Issue) and (self.name, self.options) == (other.name, other.options)

    def __hash__(self) -> int:
        return hash((self.name, self.options))

    def __repr__(self) -> str:
        return f"Issue({self.name!r}, {list(self.options)!r})"


class ContinuousIssue(Frozen):
    """An issue settled by a number in the closed interval ``[low, high]`` (immutable).

    A share of a pie, a date, a number of troops: any value in the interval can
    be agreed. Values for it are functions (see
    :class:`~bargain.AdditiveUtility` and :mod:`bargain.shapes`) and the
    concepts optimize over it with :mod:`bargain.concepts.continuous`.

    Parameters
    ----------
    name : str
    low, high : float
        Finite bounds with ``low < high``.

    Examples
    --------
    >>> troops = ContinuousIssue("troops", 0, 50_000)
    >>> troops.low, troops.high
    (0.0, 50000.0)
    """

    __slots__ = ("high", "low", "name")

    kind = "continuous"
    is_continuous = True

    def __init__(self, name: str, low: float, high: float) -> None:
        name = check_name(name, "Issue name")
        low = check_real(low, f"Issue {name!r}: low")
        high = check_real(high, f"Issue {name!r}: high")
        if not low < high:
            raise ValidationError(
                f"Issue {name!r}: low ({low!r}) must be less than high ({high!r})"
            )
        self.name: str
        self.low: float
        self.high: float
        self._init(name=name, low=low, high=high)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ContinuousIssue) and (self.name, self.low, self.high) == (
            other.name,
            other.low,
            other.high,
        )

    def __hash__(self) -> int:
        return hash((self.name, self.low, self.high))

    def __repr__(self) -> str:
        return f"ContinuousIssue({self.name!r}, {self.low!r}, {self.high!r})"


class OutcomeSpace(Frozen):
    """The Cartesian product of some issues: every package that could be agreed (immutable).

    Packages are numbered row-major with the first issue slowest. The size is a
    Python integer and may be astronomically large (10^30 packages is fine: the
    space is never materialized); ``len()`` works while it fits in a machine
    integer, ``size`` always.

    Parameters
    ----------
    issues : sequence of Issue or ContinuousIssue
        At least one issue, names unique. With a continuous issue the space
        has no finite list of packages: ``size``, ``len()``, ``sizes``,
        ``strides`` and the indexing methods raise
        :class:`~bargain.ContinuousSpaceError`, and the concepts solve it with
        :mod:`bargain.concepts.continuous`.

    Examples
    --------
    >>> space = OutcomeSpace([Issue("a", ["x", "y"]), Issue("b", ["p", "q", "r"])])
    >>> space.size, space.sizes, space.strides
    (6, (2, 3), (3, 1))
    >>> space.options_of(5)
    (1, 2)
    """

    __slots__ = ("_by_name", "_size", "_sizes", "_strides", "continuous_issues", "issues")

    def __init__(self, issues: Sequence[Issue]) -> None:
        if isinstance(issues, Issue | ContinuousIssue):
            issues = [issues]
        issues = check_sequence(issues, "OutcomeSpace: issues", "bargain.Issue")
        if not issues:
            raise ValidationError("OutcomeSpace: issues is empty; a space needs at least one issue")
        for position, issue in enumerate(issues):
            if not isinstance(issue, Issue | ContinuousIssue):
                raise BargainTypeError(
                    f"OutcomeSpace: issues[{position}] must be a bargain.Issue, got {issue!r}"
                )
        check_unique((issue.name for issue in issues), "OutcomeSpace: issues", "issue name")
        sizes = tuple(0 if issue.is_continuous else len(issue) for issue in issues)
        strides = [1] * len(issues)
        for k in range(len(issues) - 2, -1, -1):
            strides[k] = strides[k + 1] * sizes[k + 1]
        self.issues: tuple[Issue | ContinuousIssue, ...]
        self.continuous_issues: tuple[ContinuousIssue, ...]
        self._init(
            issues=issues,
            continuous_issues=tuple(issue for issue in issues if issue.is_continuous),
            _sizes=sizes,
            _size=math.prod(sizes),  # (0 with a continuous issue: never read then)
            _strides=tuple(strides),
            _by_name=FrozenDict({issue.name: k for k, issue in enumerate(issues)}),
        )

    def _require_discrete(self, operation: str) -> None:
        if self.continuous_issues:
            names = [issue.name for issue in self.continuous_issues]
            raise ContinuousSpaceError(
                f"OutcomeSpace.{operation} needs a discrete space, but issue(s) {names} are "
                "continuous: such a space has no finite list of packages to count or index"
            )

    @property
    def sizes(self) -> tuple[int, ...]:
        """The number of options of each issue (discrete spaces only)."""
        self._require_discrete("sizes")
        return self._sizes

    @property
    def strides(self) -> tuple[int, ...]:
        """Row-major strides of the package index, one per issue (discrete spaces only)."""
        self._require_discrete("strides")
        return self._strides

    @property
    def size(self) -> int:
        """The number of packages (a Python int, never overflowing; discrete spaces only)."""
        self._require_discrete("size")
        return self._size

    @property
    def index_dtype(self) -> np.dtype:
        """The dtype of arrays of package indices: int64, or object (exact Python ints) on
        spaces of 2**63 packages or more (discrete spaces only)."""
        return np.dtype(np.int64 if self.size < 2**63 else object)

    def __len__(self) -> int:
        return self.size

    @property
    def names(self) -> tuple[str, ...]:
        """The issue names, in order."""
        return tuple(issue.name for issue in self.issues)

    def issue_position(self, name: str, field: str | None = None) -> int:
        """Return the position of the issue called ``name``; an unknown name raises
        UnknownNameError, naming ``field`` (the input that gave the name) when given."""
        try:
            return self._by_name[name]
        except (KeyError, TypeError):
            where = (
                f"The space has no issue {name!r}"
                if field is None
                else f"{field} names an issue the space does not have (it names issue {name!r})"
            )
            raise UnknownNameError(f"{where}; issues are {list(self.names)}") from None

    def issue(self, name: str) -> Issue:
        """Return the issue called ``name``."""
        return self.issues[self.issue_position(name)]

    def _check_index(self, index: object) -> int:
        self._require_discrete("outcome")
        index = check_int(index, "package index")
        if not 0 <= index < self.size:
            raise OutOfRangeError(
                f"package index {index} is out of range; the space has {self.size} packages "
                f"(0 to {self.size - 1})"
            )
        return index

    def options_of(self, index: int) -> tuple[int, ...]:
        """Return the option position on each issue of package ``index``."""
        index = self._check_index(index)
        return tuple((index // stride) % size for stride, size in zip(self.strides, self.sizes))

    def index_of(self, options: Sequence[int]) -> int:
        """Return the package index of a tuple of option positions (one per issue)."""
        self._require_discrete("index_of")
        options = tuple(options)
        if len(options) != len(self.issues):
            raise ValidationError(
                f"option positions has {len(options)} entries, but the space has "
                f"{len(self.issues)} issues"
            )
        for issue, size, position in zip(self.issues, self.sizes, options):
            check_int(position, f"option position for issue {issue.name!r}")
            if not 0 <= position < size:
                raise OutOfRangeError(
                    f"option position {position} for issue {issue.name!r} is out of range "
                    f"0..{size - 1}"
                )
        return sum(int(p) * s for p, s in zip(options, self.strides))

    def outcome(self, index: int) -> dict[str, str]:
        """Return package ``index`` as ``{issue name: option label}``."""
        positions = self.options_of(index)
        return {issue.name: issue.options[p] for issue, p in zip(self.issues, positions)}

    def index(self, outcome: Mapping[str, str]) -> int:
        """Return the index of a package given as ``{issue name: option label}``."""
        if not isinstance(outcome, Mapping):
            raise BargainTypeError(
                f"outcome must be a mapping of issue name to option, got {outcome!r}"
            )
        self._require_discrete("index")
        for name in outcome:
            self.issue_position(name)
        missing = [issue.name for issue in self.issues if issue.name not in outcome]
        if missing:
            raise ValidationError(f"outcome does not choose an option for issue(s) {missing}")
        return sum(
            issue.position(outcome[issue.name]) * stride
            for issue, stride in zip(self.issues, self.strides)
        )

    def check_indices(self, indices: object, caller: str) -> np.ndarray:
        """``indices`` as a one-dimensional array of valid package indices (int64, or exact
        Python ints in an object array on spaces of 2**63 packages or more, as
        :meth:`decode` takes them); else raise naming ``caller``, the bad value and the rule.

        >>> space = OutcomeSpace([Issue("a", ["x", "y"]), Issue("b", ["p", "q", "r"])])
        >>> space.check_indices([5, 0], "utilities_of")
        array([5, 0])
        >>> space.check_indices([6], "utilities_of")
        Traceback (most recent call last):
        ...
        bargain.errors.OutOfRangeError: utilities_of: package index 6 is out of range; the \
space has 6 packages (0 to 5)
        """
        self._require_discrete(caller)
        array = np.asarray(indices)
        if array.ndim != 1:
            raise ValidationError(
                f"{caller}: indices must be one-dimensional (one package index each), got "
                f"shape {array.shape}"
            )
        if array.size == 0:
            return np.zeros(0, dtype=self.index_dtype)
        if array.dtype == object:
            bad = [i for i in array.tolist() if isinstance(i, bool) or not isinstance(i, int)]
        else:
            bad = [] if array.dtype.kind in "iu" else array[:1].tolist()
        if bad:
            raise BargainTypeError(f"{caller}: package indices must be integers, got {bad[0]!r}")
        low, high = array.min(), array.max()
        if low < 0 or high >= self.size:
            raise OutOfRangeError(
                f"{caller}: package index {low if low < 0 else high} is out of range; the "
                f"space has {self.size} packages (0 to {self.size - 1})"
            )
        return array.astype(self.index_dtype, copy=False)

    def decode(self, indices: np.ndarray) -> np.ndarray:
        """Vectorized :meth:`options_of`: an ``(m, n_issues)`` array of option positions,
        from int64 indices or, on any space, an object array of Python ints (decoded in
        int64 limbs: one exact division per limb, not per issue and package).

        Kernels call it on valid input (:meth:`check_indices`).
        """
        sizes = np.asarray(self.sizes, dtype=np.int64)
        if indices.dtype != object:
            strides = np.asarray(self.strides, dtype=np.int64)
            return (indices[:, None] // strides[None, :]) % sizes[None, :]
        positions = np.empty((indices.shape[0], len(self.sizes)), dtype=np.int64)
        rest, end = indices, len(self.sizes)
        while end > 0:  # the fastest issues first, as many as one int64 limb holds
            start, limb = end - 1, int(sizes[end - 1])
            while start > 0 and limb * int(sizes[start - 1]) < 2**62:
                start -= 1
                limb *= int(sizes[start])
            low = (rest % limb).astype(np.int64)
            # (the limb's strides: the space's, over the stride of its fastest issue)
            fastest = self.strides[end - 1]
            local = np.array([stride // fastest for stride in self.strides[start:end]])
            positions[:, start:end] = (low[:, None] // local[None, :]) % sizes[start:end]
            rest, end = rest // limb, start
        return positions

    def __eq__(self, other: object) -> bool:
        return isinstance(other, OutcomeSpace) and self.issues == other.issues

    def __hash__(self) -> int:
        return hash(self.issues)

    def __repr__(self) -> str:
        return f"OutcomeSpace({list(self.issues)!r})"
