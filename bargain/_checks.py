"""Validation helpers used at the public boundary (never inside kernels), and
:func:`counted`, the wording of a number of things that messages and summaries share."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, MappingView, Sequence, Set
from itertools import chain
from numbers import Real

import numpy as np

from .errors import BargainTypeError, DuplicateNameError, UnknownNameError, ValidationError


def check_name(value: object, field: str) -> str:
    """Return ``value`` if it is a non-empty string, else raise naming ``field``."""
    if not isinstance(value, str):
        raise BargainTypeError(f"{field} must be a string, got {value!r}")
    if not value.strip():
        raise ValidationError(f"{field} must be a non-empty string, got {value!r}")
    return value


def check_unique(names: Iterable[str], field: str, what: str) -> None:
    """Raise :class:`DuplicateNameError` naming the first repeated entry."""
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise DuplicateNameError(
                f"{field} has the duplicate {what} {name!r}; {what}s must be unique"
            )
        seen.add(name)


def check_keys(
    mapping: Mapping, names: Sequence[str], field: str, noun: str, plural: str, remedy: str = ""
) -> None:
    """The keys of ``mapping`` are exactly ``names``, in any order: a key that is none of them
    is an :class:`UnknownNameError`, a name with no key a :class:`ValidationError`; the
    messages name ``field``, the key and the valid names (``noun`` one of them, ``plural``
    all of them; ``remedy`` ends the second)."""
    unknown = [key for key in mapping if key not in names]
    if unknown:
        raise UnknownNameError(
            f"{field} names {unknown[0]!r}, not one of the {plural} {list(names)}"
        )
    missing = [name for name in names if name not in mapping]
    if missing:
        raise ValidationError(
            f"{field} has no entry for {noun} {missing[0]!r}; give one for every {noun}{remedy}"
        )


def check_real(value: object, field: str, *, minimum: float | None = None) -> float:
    """Return ``value`` as a finite float (at least ``minimum`` when given)."""
    if isinstance(value, bool) or not isinstance(value, Real | np.number):
        raise BargainTypeError(f"{field} must be a real number, got {value!r}")
    number = float(value)  # type: ignore[arg-type]
    if not math.isfinite(number):
        raise ValidationError(f"{field} must be finite, got {number!r}")
    if minimum is not None and number < minimum:
        raise ValidationError(f"{field} must be >= {minimum:g}, got {number!r}")
    return number


def check_int(value: object, field: str, *, minimum: int | None = None) -> int:
    """Return ``value`` as an int (a Python or numpy integer, not a bool), at least
    ``minimum`` when given; else raise naming ``field``.

    >>> check_int(np.int64(3), "rounds", minimum=1)
    3
    """
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise BargainTypeError(f"{field} must be an integer, got {value!r}")
    if minimum is not None and value < minimum:
        raise ValidationError(f"{field} must be >= {minimum}, got {value!r}")
    return int(value)


def check_progress(value: object, caller: str) -> object:
    """Return ``value`` if it is None or callable (a ``progress`` callback), else raise
    naming ``caller``."""
    if value is not None and not callable(value):
        raise BargainTypeError(f"{caller}: progress must be callable, got {value!r}")
    return value


def check_choice(value: object, caller: str, name: str, choices: Iterable[str]) -> str:
    """Return ``value`` if it is one of the strings ``choices``, else raise naming ``caller``
    and the option ``name``.

    >>> check_choice("search", "pareto_frontier", "method", ("auto", "search"))
    'search'
    """
    choices = list(choices)
    if not isinstance(value, str):
        raise BargainTypeError(f"{caller}: {name} must be one of {choices}, got {value!r}")
    if value not in choices:
        raise UnknownNameError(f"{caller}: unknown {name} {value!r}; {name}s are {choices}")
    return value


def check_sequence(values: object, field: str, what: str) -> tuple:
    """Return ``values`` as a tuple if it is an ordered sequence (a list, a tuple, an array,
    a generator, a dict view: a dict keeps its insertion order); a string, a mapping, a set
    or a non-iterable raises naming ``field``. Positions are taken from the order (values
    lists follow options), and a set's order changes from run to run with PYTHONHASHSEED.

    >>> check_sequence({"b", "a"}, "Issue 'x': options", "option labels")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    bargain.errors.BargainTypeError: Issue 'x': options must be a list or tuple of option \
labels (an ordered sequence), got the set ..., whose order is not fixed ...
    """
    rule = f"{field} must be a list or tuple of {what} (an ordered sequence)"
    if isinstance(values, MappingView):  # (keys and items views count as sets, too)
        return tuple(values)
    if isinstance(values, Set):
        raise BargainTypeError(
            f"{rule}, got the {type(values).__name__} {values!r}, whose order is not fixed "
            "(it can change from run to run); pass a list in the order you mean"
        )
    if isinstance(values, str | bytes | Mapping) or not isinstance(values, Iterable):
        raise BargainTypeError(f"{rule}, got {values!r}")
    return tuple(values)


def real_array(values: object, field: str) -> np.ndarray:
    """``values`` (nested sequences or an array, any shape) as a new float array; strings,
    mappings, sets, booleans, None and non-numbers raise naming ``field`` (``check_real``
    refuses a bool as a number, and so does every table of numbers).

    >>> real_array([[1.0, 2.0], [3.0, True]], "table")
    Traceback (most recent call last):
    ...
    bargain.errors.BargainTypeError: table[1, 1] is True; values must be numbers (not \
booleans or None)
    """
    if isinstance(values, str | bytes | Mapping | Set | MappingView):
        raise BargainTypeError(f"{field} must be a sequence of numbers, got {values!r}")
    try:
        array = np.array(values, dtype=float)  # (a copy: callers may make it read-only)
    except (TypeError, ValueError) as exc:
        raise BargainTypeError(f"{field} must be a sequence of numbers, got {values!r}") from exc
    refused = _first_refused(values)
    if refused is not None:
        where, value = refused
        raise BargainTypeError(
            f"{field}{list(where) if where else ''} is {value!r}; values must be numbers "
            "(not booleans or None)"
        )
    return array


def _first_refused(values: object, at: tuple[int, ...] = ()) -> tuple[tuple, object] | None:
    """The position and value of the first bool or None in ``values`` (which numpy turns
    into 1.0, 0.0 and NaN without a word), or None."""
    if values is None or isinstance(values, bool | np.bool_):
        return at, None if values is None else bool(values)
    if not isinstance(values, list | tuple | np.ndarray):
        values = np.asarray(values)  # (a scalar, or an array-like such as a pandas Series)
    if isinstance(values, np.ndarray):
        if values.ndim == 0:
            item = values.item()
            return (at, item) if item is None or isinstance(item, bool) else None
        if values.dtype == bool:
            return (at + (0,) * values.ndim, bool(values.flat[0])) if values.size else None
        if values.dtype != object:
            return None
    # plain numbers, or rows of them, are told apart at C speed (map, chain); only the
    # rest is searched entry by entry
    kinds = set(map(type, values))
    if kinds <= _NUMBERS or (
        kinds <= _ROWS and set(map(type, chain.from_iterable(values))) <= _NUMBERS
    ):
        return None
    for position, value in enumerate(values):
        found = _first_refused(value, (*at, position))
        if found is not None:
            return found
    return None


_NUMBERS = {float, int}
_ROWS = {list, tuple}


def check_finite(array: np.ndarray, field: str) -> np.ndarray:
    """Return ``array`` if every entry is finite, else raise naming ``field`` and the entry."""
    bad = np.argwhere(~np.isfinite(array))
    if bad.size:
        where = tuple(int(i) for i in bad[0])
        raise ValidationError(
            f"{field}{list(where)} is {float(array[where])!r}; "
            "every value must be finite (no NaN or inf)"
        )
    return array


def check_real_array(values: object, field: str, *, length: int | None = None) -> np.ndarray:
    """Return a 1-D float array of finite values (see :func:`real_array`), optionally of a
    given length; None or a single number is a :class:`BargainTypeError`.

    >>> check_real_array(0.5, "sweep: values")
    Traceback (most recent call last):
    ...
    bargain.errors.BargainTypeError: sweep: values must be a sequence of numbers, got 0.5
    """
    # numpy reads None or a number as a 0-D array, which is not a shape mistake
    array = real_array(values, field) if isinstance(values, Iterable) else None
    if array is None or array.ndim == 0:
        raise BargainTypeError(f"{field} must be a sequence of numbers, got {values!r}")
    if array.ndim != 1:
        raise ValidationError(f"{field} must be one-dimensional, got shape {array.shape}")
    if length is not None and array.size != length:
        raise ValidationError(f"{field} has {array.size} entries, but {length} are required")
    return check_finite(array, field)


NOTE_KINDS = ("title", "description", "rationale", "source", "uncertain")
"""What a note may say about a number (or a problem): free text of these kinds
(``uncertain``: a distribution, see :data:`bargain.io.DISTRIBUTIONS`)."""


def check_notes(notes: object, field: str) -> dict[str, dict[str, str]]:
    """Return ``notes`` as ``{path: {kind: text}}``, each kind one of :data:`NOTE_KINDS`.

    ``path`` names what the note is about (``"disagreement"``,
    ``"values.crimea"``, ...); the texts are free strings.

    >>> check_notes({"power": {"rationale": "equal footing"}}, "notes")
    {'power': {'rationale': 'equal footing'}}
    """
    if notes is None:
        return {}
    if not isinstance(notes, Mapping):
        raise BargainTypeError(f"{field} must be a mapping {{path: {{kind: text}}}}, got {notes!r}")
    out = {}
    for path, note in notes.items():
        check_name(path, f"{field} path")
        if not isinstance(note, Mapping):
            raise BargainTypeError(
                f"{field}[{path!r}] must be a mapping {{kind: text}}, got {note!r}"
            )
        for kind, text in note.items():
            if kind not in NOTE_KINDS:
                raise ValidationError(
                    f"{field}[{path!r}] has the note kind {kind!r}; kinds are {list(NOTE_KINDS)}"
                )
            if not isinstance(text, str):
                raise BargainTypeError(
                    f"{field}[{path!r}][{kind!r}] must be a string, got {text!r}"
                )
        out[path] = dict(note)
    return out


def counted(number: int, noun: str, plural: str | None = None) -> str:
    """``number`` and ``noun``, in the plural (``plural``, else ``noun + "s"``) unless
    ``number`` is 1.

    >>> counted(1, "issue"), counted(0, "issue"), counted(3, "strategy", "strategies")
    ('1 issue', '0 issues', '3 strategies')
    """
    return f"{number} {noun if number == 1 else plural or noun + 's'}"
