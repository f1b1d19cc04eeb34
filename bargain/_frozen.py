"""Immutability for the model: objects that refuse changes after construction.

Model classes derive from :class:`Frozen` and set their fields once, in
``__init__``, with :meth:`Frozen._init`; any later assignment or deletion
raises :class:`~bargain.ImmutableError`. Mappings they expose are
:class:`FrozenDict` (a ``dict`` that refuses changes) and arrays are read-only,
so nothing reachable from a problem can change the answer it gives. Results
(:class:`~bargain.Solution`, :class:`~bargain.Frontier`) expose theirs the same way.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from .errors import ImmutableError

WHAT_IFS = "with_number, replace_party, without, settle, drop_option or Party.replace"
"""The methods that make a changed copy, named in :class:`ImmutableError` messages."""


def _refuse(owner: object, name: object) -> ImmutableError:
    return ImmutableError(
        f"{type(owner).__name__}: cannot change {name!r}; bargain's model objects and "
        f"results are immutable, so what-ifs build new ones ({WHAT_IFS})"
    )


class Frozen:
    """Base of the immutable model classes (which declare ``__slots__``)."""

    __slots__ = ()

    def _init(self, **fields: object) -> None:
        """Set fields during construction (the only way they are ever set)."""
        for name, value in fields.items():
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: object) -> None:
        raise _refuse(self, name)

    def __delattr__(self, name: str) -> None:
        raise _refuse(self, name)

    def __setstate__(self, state: object) -> None:
        # pickle and copy restore slots through here (their default would call __setattr__)
        if isinstance(state, tuple):
            state = {**(state[0] or {}), **(state[1] or {})}
        self._init(**state)  # type: ignore[arg-type]


class FrozenDict(dict):
    """A ``dict`` that cannot be changed (it compares, prints and reads like a dict).

    >>> d = FrozenDict({"a": 1})
    >>> d, d == {"a": 1}
    ({'a': 1}, True)
    >>> d["a"] = 2  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    bargain.errors.ImmutableError: FrozenDict: cannot change 'a'; ...
    """

    __slots__ = ()

    def _refused(self, *args: object, **kwargs: object) -> None:
        raise _refuse(self, args[0] if args else "its entries")

    __setitem__ = __delitem__ = _refused  # type: ignore[assignment]
    clear = pop = popitem = setdefault = update = _refused  # type: ignore[assignment]
    __ior__ = _refused  # type: ignore[assignment]

    def __reduce__(self) -> tuple[object, tuple[dict]]:
        return (FrozenDict, (dict(self),))

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(tuple(sorted(self.items(), key=lambda item: repr(item[0]))))


def frozen_notes(notes: Mapping[str, Mapping[str, str]]) -> FrozenDict:
    """``{path: {kind: text}}`` notes as nested :class:`FrozenDict`."""
    return FrozenDict({path: FrozenDict(note) for path, note in notes.items()})


def read_only(array: np.ndarray) -> np.ndarray:
    """``array`` with writing switched off (returned for chaining)."""
    array.setflags(write=False)
    return array
