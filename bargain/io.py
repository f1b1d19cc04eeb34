"""Scenario files: a whole bargaining problem in TOML, read and written.

:func:`load` reads a file into a :class:`~bargain.Problem` and :func:`save`
writes one back; :func:`loads` and :func:`dumps` do the same with text. Files
are parsed with the standard library's ``tomllib`` (data only: nothing in a
file is ever executed) and written by a small emitter here, so that loading
what was saved gives an equal problem, notes included.

Every number may carry free-text notes: write ``{ value = 0.3, rationale =
"...", source = "..." }`` where the bare number would go. The notes are kept
on the problem (:attr:`Party.notes <bargain.Party>`, ``Problem.notes``) under
the number's key path (``"disagreement"``, ``"values.crimea"``,
``'values.territory."current front line"'``) and written back by :func:`save`.
Continuous issues (``low`` and ``high`` instead of ``options``) are valued by
the shapes of :mod:`bargain.shapes`, written as ``{ shape = "linear", slope =
1.0 }`` (see :data:`SHAPES`). The README's "Scenario files" section documents
the schema with an example.

>>> import bargain as bg
>>> text = '''
... [[issues]]
... name = "nato"
... options = ["membership", "neutrality"]
...
... [[parties]]
... name = "A"
... disagreement = { value = 0.2, rationale = "war is costly" }
... values = { nato = [1.0, 0.0] }
...
... [[parties]]
... name = "B"
... disagreement = 0.1
... values = { nato = [0.0, 1.0] }
... red_lines = [{ forbid = { nato = "membership" } }]
... '''
>>> problem = bg.io.loads(text)
>>> problem.parties[0].notes
{'disagreement': {'rationale': 'war is costly'}}
>>> bg.io.loads(bg.io.dumps(problem)) == problem
True
"""

from __future__ import annotations

import math
import os
import re
import tomllib
from collections.abc import Callable, Mapping
from functools import partial
from pathlib import Path

from . import shapes
from .errors import BargainError, ScenarioFileError, ValidationError
from .problem import Party, Problem, require_problem
from .space import ContinuousIssue, Issue, OutcomeSpace
from .utility import AdditiveUtility, Rectangle, RectangleUtility
from .war import Estimate, War, WarOutcome, fearon_disagreement

__all__ = [
    "DISTRIBUTIONS",
    "SHAPES",
    "distribution",
    "dumps",
    "key",
    "load",
    "loads",
    "save",
    "uncertainty",
]

NUMBER_NOTES = ("rationale", "source", "uncertain")
"""The note kinds a number, an issue, a party or a red line may carry. ``uncertain``
is the analyst's uncertainty about a number, a distribution written as text (see
:data:`DISTRIBUTIONS`); :func:`uncertainty` reads them for :func:`bargain.robustness`."""

DISTRIBUTIONS = {
    "uniform": ("low", "high"),
    "triangular": ("low", "mode", "high"),
    "normal": ("mean", "sd"),
    "truncnormal": ("mean", "sd", "low", "high"),
}
"""The distributions an ``uncertain`` note may name, with their parameters in order:
``uncertain = "triangular(0.4, 0.5, 0.6)"`` (scipy.stats ``uniform``, ``triang``,
``norm`` and ``truncnorm``)."""

SCENARIO_NOTES = ("title", "description", "source", "rationale")
"""The keys of the optional ``[scenario]`` table: free text about the whole problem."""

_TOP_KEYS = ("scenario", "issues", "parties", "observers", "war")
_WAR_KEYS = ("outcomes", *NUMBER_NOTES)
_OUTCOME_KEYS = ("name", "probability", "package", *NUMBER_NOTES)
_ESTIMATE_KEYS = ("value", "low", "high", *NUMBER_NOTES)
_WAR_COST_KEYS = ("war_cost", "low", "high", *NUMBER_NOTES)
WAR_PATH = "war"
"""The note path of the ``[war]`` table as a whole (outcomes are ``outcomes[i]``)."""
_ISSUE_KEYS = ("name", "options", "low", "high", *NUMBER_NOTES)
_PARTY_KEYS = (
    "name",
    "disagreement",
    "power",
    "weights",
    "values",
    "interactions",
    "rectangles",
    "maximum",
    "cap",
    "red_lines",
    "owns",
    "discount",
    *NUMBER_NOTES,
)
_RED_LINE_KEYS = ("forbid", *NUMBER_NOTES)
_INTERACTION_KEYS = ("issues", "table", *NUMBER_NOTES)
_RECTANGLE_KEYS = ("bonus", "ranges", *NUMBER_NOTES)
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")

SHAPES = {
    "linear": (shapes.Linear, shapes.linear, ("slope", "intercept")),
    "power": (shapes.Power, shapes.power, ("exponent", "scale", "origin")),
    "piecewise_linear": (shapes.PiecewiseLinear, shapes.piecewise_linear, ("points",)),
}
"""The value functions of continuous issues a file can hold, by their ``shape`` name:
the class, the constructor, and its parameters (see :mod:`bargain.shapes`)."""

# Note paths for what is not a number: the scenario itself, an issue, a party.
SCENARIO_PATH = "scenario"
PARTY_PATH = "party"


def key(name: str) -> str:
    """``name`` as a TOML key: bare when it can be, else a quoted string.

    >>> key("crimea"), key("current front line")
    ('crimea', '"current front line"')
    """
    return name if _BARE_KEY.fullmatch(name) else string(name)


def string(text: str) -> str:
    """``text`` as a TOML basic string, every character TOML forbids escaped.

    >>> print(string('say "no"\\n'))
    "say \\"no\\"\\n"
    """
    out = ['"']
    for char in text:
        code = ord(char)
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\u{code:04X}")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
}


def _join(base: str, name: str) -> str:
    return f"{base}.{key(name)}" if base else key(name)


# -- reading -------------------------------------------------------------------------------


def load(path: str | os.PathLike[str]) -> Problem:
    """Read the scenario file at ``path`` into a :class:`~bargain.Problem`.

    Raises
    ------
    ScenarioFileError
        For a file that is not UTF-8, invalid TOML (with its line and column), an
        unknown key, a value of the wrong type, NaN or infinity, a missing or unknown
        issue, a duplicate name: the message names the file, the key path
        (``parties[2].values.crimea``) and the rule.
    OSError
        When the file cannot be read.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ScenarioFileError(
            f"{path}: is not UTF-8 text (byte {exc.start}); TOML files are UTF-8"
        ) from None
    return loads(text, source=str(path))


def loads(text: str, source: str = "<string>") -> Problem:
    """Parse scenario TOML ``text``; ``source`` names it in error messages."""
    if not isinstance(text, str):
        raise ScenarioFileError(f"{source}: the scenario must be text, got {type(text).__name__}")
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioFileError(f"{source}: invalid TOML: {exc}") from None
    return _Reader(source).problem(document)


class _Reader:
    """Checks a parsed document, key path by key path, and builds the problem."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, path: str, rule: str) -> ScenarioFileError:
        return ScenarioFileError(
            f"{self.source}: {path}: {rule}" if path else f"{self.source}: {rule}"
        )

    # generic checks

    def table(self, value: object, path: str, allowed: tuple[str, ...]) -> dict:
        if not isinstance(value, dict):
            raise self.fail(path, f"must be a table, got {_shown(value)}")
        for name in value:
            if name not in allowed:
                raise self.fail(_join(path, name), f"unknown key; allowed keys are {list(allowed)}")
        return value

    def array(self, value: object, path: str) -> list:
        if not isinstance(value, list):
            raise self.fail(path, f"must be an array, got {_shown(value)}")
        if not value:
            raise self.fail(path, "is empty; give at least one entry")
        return value

    def text(self, value: object, path: str) -> str:
        if not isinstance(value, str):
            raise self.fail(path, f"must be a string, got {_shown(value)}")
        return value

    def name(self, value: object, path: str) -> str:
        if not self.text(value, path).strip():
            raise self.fail(path, "must be a non-empty string")
        return value  # type: ignore[return-value]

    def unique(self, names: list[str], path: str, what: str) -> None:
        seen: set[str] = set()
        for position, name in enumerate(names):
            if name in seen:
                raise self.fail(
                    f"{path}[{position}]", f"duplicate {what} {name!r}; {what}s must be unique"
                )
            seen.add(name)

    def number(self, value: object, path: str, minimum: float | None = None) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(path, f"must be a number, got {_shown(value)}")
        number = float(value)
        if not math.isfinite(number):
            raise self.fail(path, f"must be a finite number, got {number!r}")
        if minimum is not None and number < minimum:
            raise self.fail(path, f"must be >= {minimum:g}, got {number!r}")
        return number

    def notes_of(self, table: dict, path: str, kinds: tuple[str, ...]) -> dict[str, str]:
        notes = {kind: self.text(table[kind], _join(path, kind)) for kind in kinds if kind in table}
        if "uncertain" in notes:
            try:
                _split(notes["uncertain"])
            except BargainError as exc:
                raise self.fail(_join(path, "uncertain"), str(exc)) from None
        return notes

    def annotated(self, value: object, path: str, notes: dict, note_path: str) -> object:
        """Unwrap ``{ value = x, rationale = ..., source = ... }``, keeping the notes."""
        if isinstance(value, dict):
            self.table(value, path, ("value", *NUMBER_NOTES))
            if "value" not in value:
                raise self.fail(path, "an annotated number needs a 'value' key")
            note = self.notes_of(value, path, NUMBER_NOTES)
            if note:
                notes[note_path] = note
            return value["value"]
        return value

    # the document

    def problem(self, document: dict) -> Problem:
        self.table(document, "", _TOP_KEYS)
        notes: dict[str, dict[str, str]] = {}
        if "scenario" in document:
            scenario = self.table(document["scenario"], "scenario", SCENARIO_NOTES)
            note = self.notes_of(scenario, "scenario", SCENARIO_NOTES)
            if note:
                notes[SCENARIO_PATH] = note
        for required in ("issues", "parties"):
            if required not in document:
                raise self.fail(required, "is missing; a scenario needs issues and parties")
        issues = [
            self.issue(entry, f"issues[{position}]", notes)
            for position, entry in enumerate(self.array(document["issues"], "issues"))
        ]
        self.unique([issue.name for issue in issues], "issues", "issue name")
        space = self.built("issues", lambda: OutcomeSpace(issues))
        entries = self.array(document["parties"], "parties")
        costs: dict[str, Estimate] = {}
        parties = [
            self.party(entry, f"parties[{j}]", space, costs) for j, entry in enumerate(entries)
        ]
        self.unique([party.name for party in parties], "parties", "party name")
        observers = []
        if "observers" in document:
            entries = self.array(document["observers"], "observers")
            for j, entry in enumerate(entries):
                if isinstance(entry, dict) and "red_lines" in entry:
                    raise self.fail(
                        f"observers[{j}].red_lines",
                        "an observer holds no veto, so it has no red lines (make it a party)",
                    )
                observers.append(self.party(entry, f"observers[{j}]", space, costs))
        for j, observer in enumerate(observers):
            if observer.name in [party.name for party in parties + observers[:j]]:
                raise self.fail(
                    f"observers[{j}].name",
                    f"duplicate name {observer.name!r}; parties and observers have unique names",
                )
        problem = self.built("", lambda: Problem(space, parties, notes, observers))
        if "war" not in document:
            if costs:
                raise self.fail(
                    "war",
                    f"is missing; {next(iter(costs))!r} takes its disagreement "
                    "from the war model (war_cost)",
                )
            return problem
        war = self.war(document["war"], costs)
        return self.built("war", lambda: fearon_disagreement(problem, war))

    def war(self, table: object, costs: dict[str, Estimate]) -> War:
        """The ``[war]`` table: continued war as a lottery over packages (bargain.war)."""
        table = self.table(table, "war", _WAR_KEYS)
        notes: dict[str, dict[str, str]] = {}
        note = self.notes_of(table, "war", NUMBER_NOTES)
        if note:
            notes[WAR_PATH] = note
        if "outcomes" not in table:
            raise self.fail("war.outcomes", "is missing; give the ways the war may end")
        outcomes = []
        for i, entry in enumerate(self.array(table["outcomes"], "war.outcomes")):
            at = f"war.outcomes[{i}]"
            entry = self.table(entry, at, _OUTCOME_KEYS)
            for required in ("name", "probability", "package"):
                if required not in entry:
                    raise self.fail(_join(at, required), "is missing")
            note = self.notes_of(entry, at, NUMBER_NOTES)
            if note:
                notes[f"outcomes[{i}]"] = note
            probability = self.estimate(
                entry["probability"],
                _join(at, "probability"),
                "value",
                notes,
                f"outcomes[{i}].probability",
            )
            package = self.table(entry["package"], _join(at, "package"), tuple(entry["package"]))
            package = {k: self.text(v, _join(_join(at, "package"), k)) for k, v in package.items()}
            name = self.name(entry["name"], _join(at, "name"))
            outcomes.append(self.built(at, partial(WarOutcome, name, probability, package)))
        if not costs:
            raise self.fail(
                "war", "no party takes its disagreement from the war: give one a war_cost"
            )
        return self.built("war", lambda: War(outcomes, costs, notes))

    def estimate(
        self, given: object, path: str, key_name: str, notes: dict, note_path: str
    ) -> Estimate:
        """A war-model input: a number, or ``{ <key_name> = x, low = ..., high = ..., ... }``."""
        if not isinstance(given, dict):
            return self.built(path, lambda: Estimate(self.number(given, path)))
        allowed = _ESTIMATE_KEYS if key_name == "value" else _WAR_COST_KEYS
        self.table(given, path, allowed)
        if key_name not in given:
            raise self.fail(_join(path, key_name), "is missing")
        value = self.number(given[key_name], _join(path, key_name))
        low = self.number(given["low"], _join(path, "low")) if "low" in given else math.nan
        high = self.number(given["high"], _join(path, "high")) if "high" in given else math.nan
        note = self.notes_of(given, path, NUMBER_NOTES)
        if note:
            notes[note_path] = note
        return self.built(path, lambda: Estimate(value, low, high))

    def built(self, path: str, build):
        """Run a model constructor, reporting any rule it enforces at ``path``."""
        try:
            return build()
        except BargainError as exc:
            raise self.fail(path, str(exc)) from None

    def issue(self, entry: object, path: str, notes: dict) -> Issue | ContinuousIssue:
        entry = self.table(entry, path, _ISSUE_KEYS)
        if "name" not in entry:
            raise self.fail(_join(path, "name"), "is missing")
        name = self.name(entry["name"], _join(path, "name"))
        note = self.notes_of(entry, path, NUMBER_NOTES)
        if note:
            notes[_join("issues", name)] = note
        bounds = [bound for bound in ("low", "high") if bound in entry]
        if "options" in entry:
            if bounds:
                raise self.fail(
                    _join(path, bounds[0]),
                    "an issue has either options (discrete) or low and high (continuous)",
                )
            where = _join(path, "options")
            options = [
                self.name(label, f"{where}[{position}]")
                for position, label in enumerate(self.array(entry["options"], where))
            ]
            self.unique(options, where, "option label")
            return self.built(path, lambda: Issue(name, options))
        if len(bounds) < 2:
            missing = "options" if not bounds else ("high" if bounds == ["low"] else "low")
            raise self.fail(
                _join(path, missing),
                "is missing; give options (a discrete issue) or low and high (a continuous one)",
            )
        low = self.number(entry["low"], _join(path, "low"))
        high = self.number(entry["high"], _join(path, "high"))
        return self.built(path, lambda: Issue.continuous(name, low, high))

    def party(
        self, entry: object, path: str, space: OutcomeSpace, costs: dict[str, Estimate]
    ) -> Party:
        entry = self.table(entry, path, _PARTY_KEYS)
        for required in ("name", "disagreement"):
            if required not in entry:
                raise self.fail(_join(path, required), "is missing")
        rectangular = "rectangles" in entry
        if rectangular:
            for additive in ("values", "weights", "interactions"):
                if additive in entry:
                    raise self.fail(
                        _join(path, additive),
                        "a party has either values (an additive utility) or rectangles",
                    )
        else:
            for rectangle_only in ("maximum", "cap"):
                if rectangle_only in entry:
                    raise self.fail(
                        _join(path, rectangle_only), "only a party with rectangles takes this key"
                    )
            if "values" not in entry:
                raise self.fail(_join(path, "values"), "is missing (or give rectangles)")
        name = self.name(entry["name"], _join(path, "name"))
        notes: dict[str, dict[str, str]] = {}
        note = self.notes_of(entry, path, NUMBER_NOTES)
        if note:
            notes[PARTY_PATH] = note
        at = _join(path, "disagreement")
        given = entry["disagreement"]
        if isinstance(given, dict) and "war_cost" in given:
            # Derived from the [war] table once every party is read (bargain.war).
            costs[name] = self.estimate(given, at, "war_cost", notes, "disagreement")
            disagreement = 0.0
        else:
            disagreement = self.number(self.annotated(given, at, notes, "disagreement"), at)
        power = 1.0
        if "power" in entry:
            at = _join(path, "power")
            power = self.number(self.annotated(entry["power"], at, notes, "power"), at, 0.0)
        discount = 1.0
        if "discount" in entry:
            at = _join(path, "discount")
            discount = self.number(self.annotated(entry["discount"], at, notes, "discount"), at)
        owns = (
            self.owns(entry["owns"], _join(path, "owns"), space, notes) if "owns" in entry else {}
        )
        if rectangular:
            utility = self.rectangle_utility(entry, path, notes)
            # Checked against the issues here, not only in Problem: errors name the key path.
            self.built(path, lambda: utility.bind(space, f"Party {name!r}"))
        else:
            utility = self.additive_utility(entry, path, space, notes)
        red_lines = []
        if "red_lines" in entry:
            where = _join(path, "red_lines")
            if not isinstance(entry["red_lines"], list):
                raise self.fail(where, f"must be an array, got {_shown(entry['red_lines'])}")
            red_lines = [
                self.red_line(rule, f"{where}[{position}]", space, notes, position)
                for position, rule in enumerate(entry["red_lines"])
            ]
        return self.built(
            path,
            lambda: Party(name, utility, disagreement, power, red_lines, notes, owns, discount),
        )

    def additive_utility(
        self, entry: dict, path: str, space: OutcomeSpace, notes: dict
    ) -> AdditiveUtility:
        values = self.values(entry["values"], _join(path, "values"), space, notes)
        weights = None
        if "weights" in entry:
            weights = self.weights(entry["weights"], _join(path, "weights"), space, notes)
        interactions = {}
        if "interactions" in entry:
            where = _join(path, "interactions")
            for position, item in enumerate(self.array(entry["interactions"], where)):
                at = f"{where}[{position}]"
                item = self.table(item, at, _INTERACTION_KEYS)
                for required in ("issues", "table"):
                    if required not in item:
                        raise self.fail(_join(at, required), "is missing")
                issues = tuple(
                    self.name(name, f"{_join(at, 'issues')}[{i}]")
                    for i, name in enumerate(self.array(item["issues"], _join(at, "issues")))
                )
                if frozenset(issues) in map(frozenset, interactions):
                    # (a dict would keep the last table only: a wrong utility, silently)
                    raise self.fail(
                        _join(at, "issues"),
                        f"{list(issues)} already have a table in an earlier entry; one table "
                        "per set of issues",
                    )
                interactions[issues] = self.nested(item["table"], _join(at, "table"))
                note = self.notes_of(item, at, NUMBER_NOTES)
                if note:
                    notes[f"interactions[{position}]"] = note
        return self.built(path, lambda: AdditiveUtility(values, weights, interactions or None))

    def nested(self, value: object, path: str) -> object:
        """A (nested) array of numbers, every number checked."""
        if isinstance(value, list):
            return [self.nested(v, f"{path}[{i}]") for i, v in enumerate(self.array(value, path))]
        return self.number(value, path)

    def rectangle_utility(self, entry: dict, path: str, notes: dict) -> RectangleUtility:
        where = _join(path, "rectangles")
        if not isinstance(entry["rectangles"], list):
            raise self.fail(where, f"must be an array, got {_shown(entry['rectangles'])}")
        rectangles = []
        for position, item in enumerate(entry["rectangles"]):
            at = f"{where}[{position}]"
            item = self.table(item, at, _RECTANGLE_KEYS)
            for required in ("bonus", "ranges"):
                if required not in item:
                    raise self.fail(_join(at, required), "is missing")
            bonus = self.number(item["bonus"], _join(at, "bonus"))
            ranges = self.table(item["ranges"], _join(at, "ranges"), tuple(item["ranges"]))
            pairs = {}
            for name, pair in ranges.items():
                field = _join(_join(at, "ranges"), name)
                if not isinstance(pair, list) or len(pair) != 2:
                    raise self.fail(
                        field, f"must be a pair [low, high] of labels, got {_shown(pair)}"
                    )
                pairs[name] = (self.text(pair[0], f"{field}[0]"), self.text(pair[1], f"{field}[1]"))
            rectangles.append(self.built(at, lambda b=bonus, r=pairs: Rectangle(b, r)))
            note = self.notes_of(item, at, NUMBER_NOTES)
            if note:
                notes[f"rectangles[{position}]"] = note
        options = {}
        for name in ("maximum", "cap"):
            if name in entry:
                options[name] = self.number(entry[name], _join(path, name))
        return self.built(path, lambda: RectangleUtility(rectangles, **options))

    def owns(self, table: object, path: str, space: OutcomeSpace, notes: dict) -> dict:
        """``owns = { issue = "default option", ... }``: the issues a party takes with it."""
        table = self.table(table, path, space.names)
        out = {}
        for name, given in table.items():
            at = _join(path, name)
            label = self.text(self.annotated(given, at, notes, _join("owns", name)), at)
            issue = self.issue_of(name, at, space)
            if issue.is_continuous or label not in issue.options:
                options = [] if issue.is_continuous else list(issue.options)
                raise self.fail(
                    at,
                    f"issue {name!r} has no option {label!r}; an owned issue collapses to one "
                    f"of its options, which are {options}",
                )
            out[name] = label
        return out

    def issue_of(self, name: str, path: str, space: OutcomeSpace) -> Issue:
        if name not in space.names:
            raise self.fail(path, f"no such issue; issues are {list(space.names)}")
        return space.issue(name)

    def covers_every_issue(self, table: dict, path: str, space: OutcomeSpace) -> None:
        for name in space.names:
            if name not in table:
                raise self.fail(_join(path, name), "is missing; give one for every issue")

    def values(self, table: object, path: str, space: OutcomeSpace, notes: dict) -> dict:
        table = self.table(table, path, space.names)
        self.covers_every_issue(table, path, space)
        out: dict[str, object] = {}
        for name, given in table.items():
            at = _join(path, name)
            issue = self.issue_of(name, at, space)
            note_path = _join("values", name)
            if issue.is_continuous:
                out[name] = self.shape(given, at, notes, note_path)
                continue
            if isinstance(given, dict) and isinstance(given.get("value"), list):
                given = self.annotated(given, at, notes, note_path)
                spec = notes.get(note_path, {}).get("uncertain")
                for label, _ in _split(spec) if spec is not None else ():
                    if label not in issue.options:
                        raise self.fail(
                            _join(at, "uncertain"),
                            f"an array of values takes 'option: distribution' pairs; got "
                            f"{spec!r}, options of {name!r} are {list(issue.options)}",
                        )
            if isinstance(given, list):
                if len(given) != len(issue):
                    raise self.fail(
                        at, f"has {len(given)} values, but issue {name!r} has {len(issue)} options"
                    )
                out[name] = [self.number(v, f"{at}[{i}]") for i, v in enumerate(given)]
            elif isinstance(given, dict):
                self.table(given, at, issue.options)
                self.covers_every_issue_option(given, at, issue)
                out[name] = {
                    label: self.number(
                        self.annotated(v, _join(at, label), notes, _join(note_path, label)),
                        _join(at, label),
                    )
                    for label, v in given.items()
                }
            else:
                raise self.fail(
                    at,
                    f"must be an array of numbers or a table of option values, got {_shown(given)}",
                )
        return out

    def shape(self, given: object, path: str, notes: dict, note_path: str) -> object:
        """A continuous issue's value function: ``{ shape = "linear", slope = ..., ... }``."""
        if not isinstance(given, dict) or "shape" not in given:
            raise self.fail(
                path,
                "a continuous issue's values are a table { shape = ..., parameters }; "
                f"shapes are {list(SHAPES)}; got {_shown(given)}",
            )
        kind = self.text(given["shape"], _join(path, "shape"))
        if kind not in SHAPES:
            raise self.fail(
                _join(path, "shape"), f"unknown shape {kind!r}; shapes are {list(SHAPES)}"
            )
        _, build, parameters = SHAPES[kind]
        self.table(given, path, ("shape", *parameters, *NUMBER_NOTES))
        arguments = {}
        for parameter in parameters:
            if parameter not in given:
                continue
            at = _join(path, parameter)
            if parameter == "points":
                arguments[parameter] = [
                    self.point(pair, f"{at}[{i}]")
                    for i, pair in enumerate(self.array(given[parameter], at))
                ]
            else:
                arguments[parameter] = self.number(given[parameter], at)
        note = self.notes_of(given, path, NUMBER_NOTES)
        if note:
            notes[note_path] = note
        return self.built(path, lambda: build(**arguments))

    def point(self, pair: object, path: str) -> tuple[float, float]:
        if not isinstance(pair, list) or len(pair) != 2:
            raise self.fail(path, f"must be a pair [x, y] of numbers, got {_shown(pair)}")
        return (self.number(pair[0], f"{path}[0]"), self.number(pair[1], f"{path}[1]"))

    def covers_every_issue_option(self, given: dict, path: str, issue: Issue) -> None:
        for label in issue.options:
            if label not in given:
                raise self.fail(_join(path, label), "is missing; give a value for every option")

    def weights(self, table: object, path: str, space: OutcomeSpace, notes: dict) -> dict:
        table = self.table(table, path, space.names)
        self.covers_every_issue(table, path, space)
        return {
            name: self.number(
                self.annotated(v, _join(path, name), notes, _join("weights", name)),
                _join(path, name),
                0.0,
            )
            for name, v in table.items()
        }

    def red_line(
        self, rule: object, path: str, space: OutcomeSpace, notes: dict, position: int
    ) -> dict[str, list[str]]:
        rule = self.table(rule, path, _RED_LINE_KEYS)
        if "forbid" not in rule:
            raise self.fail(_join(path, "forbid"), "is missing; a red line forbids some options")
        where = _join(path, "forbid")
        forbid = self.table(rule["forbid"], where, space.names)
        if not forbid:
            raise self.fail(where, "is empty; a red line names at least one issue")
        out = {}
        for name, labels in forbid.items():
            at = _join(where, name)
            issue = self.issue_of(name, at, space)
            if issue.is_continuous:
                if not isinstance(labels, list) or len(labels) != 2:
                    raise self.fail(
                        at,
                        "on a continuous issue a red line forbids an open interval [low, high], "
                        f"got {_shown(labels)}",
                    )
                out[name] = tuple(self.number(x, f"{at}[{i}]") for i, x in enumerate(labels))
                continue
            labels = [labels] if isinstance(labels, str) else self.array(labels, at)
            for i, label in enumerate(labels):
                if self.text(label, f"{at}[{i}]") not in issue.options:
                    raise self.fail(
                        f"{at}[{i}]",
                        f"issue {name!r} has no option {label!r}; "
                        f"options are {list(issue.options)}",
                    )
            out[name] = labels
        note = self.notes_of(rule, path, NUMBER_NOTES)
        if note:
            notes[f"red_lines[{position}]"] = note
        return out


def _shown(value: object) -> str:
    kind = {
        bool: "a boolean",
        str: "a string",
        int: "an integer",
        float: "a number",
        list: "an array",
        dict: "a table",
    }.get(type(value), type(value).__name__)
    text = repr(value)
    return f"{kind} {text if len(text) <= 40 else text[:37] + '...'}"


# -- writing -------------------------------------------------------------------------------


def save(problem: Problem, path: str | os.PathLike[str]) -> Path:
    """Write ``problem`` (with its notes) to the scenario file ``path``; return the path.

    :func:`load` of the file gives a problem equal to ``problem``.
    """
    path = Path(path)
    path.write_text(dumps(problem), encoding="utf-8")
    return path


def dumps(problem: Problem) -> str:
    """``problem`` as scenario TOML text (see :func:`save`)."""
    problem = require_problem(problem, "save")
    return _Writer(problem).text()


def _number(value: float) -> str:
    # repr gives the shortest text that reads back as the same float.
    return repr(float(value))


def _inline(value: object, note: Mapping[str, str] | None) -> str:
    """A value, wrapped as ``{ value = ..., rationale = ... }`` when it has a note."""
    if isinstance(value, list | tuple):
        shown = "[" + ", ".join(_number(v) for v in value) + "]"
    else:
        shown = _number(value)  # type: ignore[arg-type]
    if not note:
        return shown
    extra = "".join(f", {kind} = {string(note[kind])}" for kind in NUMBER_NOTES if kind in note)
    return f"{{ value = {shown}{extra} }}"


def _estimate(name: str, estimate: Estimate, note: Mapping[str, str] | None) -> str:
    """A war-model input as ``{ <name> = x, low = ..., high = ..., rationale = ... }``."""
    fields = f"{name} = {_number(estimate.value)}"
    if (estimate.low, estimate.high) != (estimate.value, estimate.value):
        fields += f", low = {_number(estimate.low)}, high = {_number(estimate.high)}"
    return _with_notes(fields, note)


def _inline_label(label: str, note: Mapping[str, str] | None) -> str:
    """An option label, wrapped as ``{ value = "...", rationale = ... }`` when it has a note."""
    return _with_notes(f"value = {string(label)}", note) if note else string(label)


def _label_or_number(value: object) -> str:
    """An option label, or an end of a continuous red line's interval."""
    return string(value) if isinstance(value, str) else _number(value)  # type: ignore[arg-type]


def _shape(function: object, field: str) -> str:
    """A continuous issue's value function as ``shape = "...", parameter = ..., ...``."""
    for name, (kind, _, parameters) in SHAPES.items():
        if type(function) is kind:
            if name == "piecewise_linear":
                pairs = zip(function.xs, function.ys)  # type: ignore[attr-defined]
                shown = "[" + ", ".join(f"[{_number(x)}, {_number(y)}]" for x, y in pairs) + "]"
                return f'shape = "{name}", points = {shown}'
            values = ", ".join(f"{p} = {_number(getattr(function, p))}" for p in parameters)
            return f'shape = "{name}", {values}'
    raise ValidationError(
        f"save: {field} is {function!r}; a scenario file holds only the value functions of "
        f"bargain.shapes ({', '.join(SHAPES)}), not arbitrary code"
    )


def _with_notes(fields: str, note: Mapping[str, str] | None) -> str:
    extra = "".join(f", {k} = {string(note[k])}" for k in NUMBER_NOTES if note and k in note)
    return f"{{ {fields}{extra} }}"


def _check_kinds(note: Mapping[str, str], allowed: tuple[str, ...], where: str) -> None:
    for kind in note:
        if kind not in allowed:
            raise ValidationError(
                f"save: notes[{where!r}] has the kind {kind!r}, which a scenario file cannot "
                f"hold there; kinds there are {list(allowed)}"
            )


def _nested(value: object, number: Callable[[float], str] | None = None) -> str:
    """Nested lists of numbers as TOML text, each number by ``number`` (default: exactly)."""
    if isinstance(value, list):
        return "[" + ", ".join(_nested(v, number) for v in value) + "]"
    return (number or _number)(value)  # type: ignore[arg-type]


class _Writer:
    """Emits a problem as TOML, consuming its notes and refusing any it cannot place."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self.lines: list[str] = ["# A bargain scenario file (schema: README, 'Scenario files')."]

    def text(self) -> str:
        problem = self.problem
        unused = dict(problem.notes)
        scenario = unused.pop(SCENARIO_PATH, None)
        if scenario:
            _check_kinds(scenario, SCENARIO_NOTES, SCENARIO_PATH)
            self.lines += ["", "[scenario]"]
            self.lines += [f"{k} = {string(scenario[k])}" for k in SCENARIO_NOTES if k in scenario]
        for issue in problem.space.issues:
            self.lines += ["", "[[issues]]", f"name = {string(issue.name)}"]
            if issue.is_continuous:
                self.lines += [f"low = {_number(issue.low)}", f"high = {_number(issue.high)}"]
            else:
                self.lines.append("options = [" + ", ".join(map(string, issue.options)) + "]")
            note = unused.pop(_join("issues", issue.name), None)
            self.note_lines(note, _join("issues", issue.name))
        self.refuse(unused, "Problem")
        self.war_table()
        for party in problem.parties:
            self.party(party, "parties")
        for party in problem.observers:
            self.party(party, "observers")
        return "\n".join(self.lines) + "\n"

    def derived(self) -> dict[str, Estimate]:
        """The war costs of the parties whose disagreement is still the war model's."""
        war = self.problem.war
        return {} if war is None else war.derived(self.problem)

    def war_table(self) -> None:
        war = self.problem.war
        if not self.derived():
            return
        notes = dict(war.notes)
        self.lines += ["", "[war]"]
        self.note_lines(notes.pop(WAR_PATH, None), WAR_PATH)
        for i, outcome in enumerate(war.outcomes):
            probability = _estimate(
                "value", outcome.probability, notes.pop(f"outcomes[{i}].probability", None)
            )
            package = ", ".join(f"{key(k)} = {string(v)}" for k, v in outcome.package.items())
            self.lines += ["", "[[war.outcomes]]", f"name = {string(outcome.name)}"]
            self.note_lines(notes.pop(f"outcomes[{i}]", None), f"outcomes[{i}]")
            self.lines += [f"probability = {probability}", f"package = {{ {package} }}"]
        self.refuse(notes, "War")

    def note_lines(self, note: Mapping[str, str] | None, where: str) -> None:
        if note:
            _check_kinds(note, NUMBER_NOTES, where)
            self.lines += [
                f"{kind} = {string(note[kind])}" for kind in NUMBER_NOTES if kind in note
            ]

    def refuse(self, unused: Mapping[str, object], owner: str) -> None:
        if unused:
            raise ValidationError(
                f"save: {owner} notes path {next(iter(unused))!r} names nothing a scenario file "
                "holds; paths are 'scenario', 'issues.<name>', and for parties 'party', "
                "'disagreement', 'power', 'discount', 'owns.<issue>', 'weights.<issue>', "
                "'values.<issue>[.<option>]', 'red_lines[<i>]', 'interactions[<i>]', "
                "'rectangles[<i>]'"
            )

    def party(self, party: Party, group: str) -> None:
        notes = dict(party.notes)
        owner = f"Party {party.name!r}"

        def take(path: str) -> dict[str, str] | None:
            note = notes.pop(path, None)
            if note:
                _check_kinds(note, NUMBER_NOTES, path)
            return note

        lines = self.lines
        lines += ["", f"[[{group}]]", f"name = {string(party.name)}"]
        self.note_lines(take(PARTY_PATH), PARTY_PATH)
        derived = self.derived()
        if party.name in derived:
            shown = _estimate("war_cost", derived[party.name], take("disagreement"))
        else:
            shown = _inline(party.disagreement, take("disagreement"))
        lines.append(f"disagreement = {shown}")
        lines.append(f"power = {_inline(party.power, take('power'))}")
        note = take("discount")
        if party.discount != 1.0 or note:
            lines.append(f"discount = {_inline(party.discount, note)}")
        if party.owns:
            owned = ", ".join(
                f"{key(issue)} = {_inline_label(label, take(_join('owns', issue)))}"
                for issue, label in party.owns.items()
            )
            lines.append(f"owns = {{ {owned} }}")
        if party.red_lines:
            lines.append("red_lines = [")
            for position, rule in enumerate(party.red_lines):
                forbid = ", ".join(
                    f"{key(issue)} = [" + ", ".join(map(_label_or_number, labels)) + "]"
                    for issue, labels in rule.items()
                )
                note = take(f"red_lines[{position}]") or {}
                extra = "".join(f", {k} = {string(note[k])}" for k in NUMBER_NOTES if k in note)
                lines.append(f"  {{ forbid = {{ {forbid} }}{extra} }},")
            lines.append("]")
        utility = party.utility
        if isinstance(utility, RectangleUtility):
            self.rectangles(utility, take)
            self.refuse(notes, owner)
            return
        for position, (issues_of, table) in enumerate(utility.interactions.items()):
            if position == 0:
                lines.append("interactions = [")
            note = take(f"interactions[{position}]") or {}
            extra = "".join(f", {k} = {string(note[k])}" for k in NUMBER_NOTES if k in note)
            names = ", ".join(map(string, issues_of))
            lines.append(f"  {{ issues = [{names}], table = {_nested(table.tolist())}{extra} }},")
            if position == len(utility.interactions) - 1:
                lines.append("]")
        issues = self.problem.space.issues
        lines += ["", f"[{group}.weights]"]
        for issue in issues:
            note = take(_join("weights", issue.name))
            lines.append(f"{key(issue.name)} = {_inline(utility.weights[issue.name], note)}")
        lines += ["", f"[{group}.values]"]
        tables = []
        for issue in issues:
            given = utility.values[issue.name]
            prefix = _join("values", issue.name)
            if issue.is_continuous:
                shape = _shape(given, f"{owner}: values[{issue.name!r}]")
                lines.append(f"{key(issue.name)} = {_with_notes(shape, take(prefix))}")
                continue
            vector = [given[label] for label in issue.options] if isinstance(given, dict) else given
            option_notes = {
                label: notes.pop(_join(prefix, label))
                for label in issue.options
                if _join(prefix, label) in notes
            }
            whole = take(prefix)
            if option_notes and whole:
                raise ValidationError(
                    f"save: {owner} has notes on values[{issue.name!r}] as a whole and on its "
                    "options; a scenario file holds one or the other"
                )
            if option_notes:
                tables.append((issue, vector, option_notes))
            else:
                lines.append(f"{key(issue.name)} = {_inline(list(vector), whole)}")
        for issue, vector, option_notes in tables:
            lines += ["", f"[{group}.values.{key(issue.name)}]"]
            for label, value in zip(issue.options, vector):
                note = option_notes.get(label)
                if note:
                    _check_kinds(note, NUMBER_NOTES, _join(_join("values", issue.name), label))
                lines.append(f"{key(label)} = {_inline(value, note)}")
        self.refuse(notes, owner)

    def rectangles(self, utility: RectangleUtility, take) -> None:
        lines = self.lines
        if utility.maximum is not None:
            lines.append(f"maximum = {_number(utility.maximum)}")
        if utility.cap is not None:
            lines.append(f"cap = {_number(utility.cap)}")
        lines.append("rectangles = [")
        for position, rectangle in enumerate(utility.rectangles):
            note = take(f"rectangles[{position}]") or {}
            extra = "".join(f", {k} = {string(note[k])}" for k in NUMBER_NOTES if k in note)
            ranges = ", ".join(
                f"{key(name)} = [{string(low)}, {string(high)}]"
                for name, (low, high) in rectangle.ranges.items()
            )
            lines.append(
                f"  {{ bonus = {_number(rectangle.bonus)}, ranges = {{ {ranges} }}{extra} }},"
            )
        lines.append("]")


# -- uncertainty ---------------------------------------------------------------------------

_CALL = re.compile(r"\s*([a-z_]+)\s*\((.*)\)\s*")


def _checked(spec: str) -> tuple[str, dict[str, float]]:
    """The family and parameters an ``uncertain`` distribution names, checked (without
    importing scipy: loading a file stays light)."""
    found = _CALL.fullmatch(spec) if isinstance(spec, str) else None
    if found is None or found.group(1) not in DISTRIBUTIONS:
        raise ValidationError(
            f"uncertain = {spec!r} is not a distribution; write name(parameters), one of "
            + ", ".join(f"{name}({', '.join(p)})" for name, p in DISTRIBUTIONS.items())
        )
    name, names = found.group(1), DISTRIBUTIONS[found.group(1)]
    try:
        values = [float(x) for x in found.group(2).split(",")] if found.group(2).strip() else []
    except ValueError:
        values = []
    if len(values) != len(names) or not all(math.isfinite(v) for v in values):
        raise ValidationError(
            f"uncertain = {spec!r}: {name} takes {len(names)} finite numbers ({', '.join(names)})"
        )
    given = dict(zip(names, values))
    if "sd" in given and given["sd"] <= 0:
        raise ValidationError(f"uncertain = {spec!r}: sd must be > 0")
    if "low" in given and not given["low"] < given["high"]:
        raise ValidationError(f"uncertain = {spec!r}: low must be < high")
    if name == "triangular" and not given["low"] <= given["mode"] <= given["high"]:
        raise ValidationError(f"uncertain = {spec!r}: the mode must lie between low and high")
    return name, given


def distribution(spec: str) -> object:
    """The scipy.stats distribution an ``uncertain`` note names (see :data:`DISTRIBUTIONS`).

    >>> float(distribution("triangular(0.4, 0.5, 0.6)").mean())
    0.5
    """
    name, given = _checked(spec)
    import scipy.stats as st

    if name == "uniform":
        return st.uniform(given["low"], given["high"] - given["low"])
    if name == "normal":
        return st.norm(given["mean"], given["sd"])
    if name == "truncnormal":
        mean, sd = given["mean"], given["sd"]
        return st.truncnorm((given["low"] - mean) / sd, (given["high"] - mean) / sd, mean, sd)
    low, mode, high = given["low"], given["mode"], given["high"]
    return st.triang((mode - low) / (high - low), loc=low, scale=high - low)


_PART = re.compile(r"\s*(.+?)\s*:\s*([a-z_]+\s*\([^()]*\))\s*(?:;|$)")
"""One ``option: distribution`` part of an array's ``uncertain`` note: the option is what
comes before the colon that precedes the distribution (labels may hold ``:`` or ``;``)."""


def _split(spec: str) -> list[tuple[str | None, str]]:
    """An ``uncertain`` note as ``(option or None, distribution text)`` pairs, checked."""
    if not isinstance(spec, str) or _CALL.fullmatch(spec):
        _checked(spec)
        return [(None, spec)]
    parts, position = [], 0
    while position < len(spec) and spec[position:].strip():
        found = _PART.match(spec, position)
        if found is None:
            break
        _checked(found[2])
        parts.append((found[1], found[2]))
        position = found.end()
    if not parts or spec[position:].strip():
        raise ValidationError(
            f"uncertain = {spec!r}: on an array of option values write "
            "'option: distribution' pairs separated by ';'"
        )
    return parts


def restricted_uncertain(spec: str, options: tuple[str, ...]) -> str | None:
    """An array's ``uncertain`` note keeping only the parts on ``options`` (where the issue
    lost options), None when no part is left; a note on one number is kept as it is."""
    parts = _split(spec)
    if parts[0][0] is None:
        return spec
    kept = [f"{label}: {text.strip()}" for label, text in parts if label in options]
    return "; ".join(kept) or None


def uncertain_parts(spec: str) -> list[tuple[str | None, object]]:
    """The distributions of an ``uncertain`` note: ``[(None, dist)]`` for one number's
    note, ``[(option, dist), ...]`` for a values array's note that names its options,
    ``"de facto: triangular(0.4, 0.5, 0.6); international: uniform(0.9, 1.0)"``.

    >>> parts = uncertain_parts("a: uniform(0, 1); b: normal(2, 1)")
    >>> [(label, float(d.mean())) for label, d in parts]
    [('a', 0.5), ('b', 2.0)]
    """
    return [(label, distribution(text)) for label, text in _split(spec)]


def uncertainty(problem: Problem) -> dict[tuple, object]:
    """The ``uncertain`` notes of a problem's numbers, as ``{selector: distribution}``
    (ready for :func:`bargain.robustness`); empty when the file gave none.

    A note on a single number counts: ``disagreement``, ``power``, a weight, or one
    option's value (the table form ``[parties.values.crimea]`` with ``"de facto" = {
    value = 0.5, uncertain = "uniform(0.4, 0.6)" }``, or on the array, option by
    option: ``crimea = { value = [0.0, 0.5, 1.0], uncertain = "de facto: uniform(0.4,
    0.6)" }``, see :func:`uncertain_parts`).

    >>> text = (
    ...     '[[issues]]\\nname = "nato"\\noptions = ["membership", "neutrality"]\\n'
    ...     '[[parties]]\\nname = "A"\\nvalues = { nato = [1.0, 0.0] }\\n'
    ...     'disagreement = { value = 0.2, uncertain = "uniform(0.1, 0.3)" }\\n'
    ... )
    >>> list(uncertainty(loads(text)))
    [('A', 'disagreement')]
    """
    require_problem(problem, "uncertainty")
    out: dict[tuple, object] = {}
    for party in problem.parties:
        paths = {"disagreement": (party.name, "disagreement"), "power": (party.name, "power")}
        for issue in problem.space.issues:
            paths[_join("weights", issue.name)] = (party.name, "weight", issue.name)
            if not isinstance(issue, ContinuousIssue):
                for label in issue.options:
                    path = _join(_join("values", issue.name), label)
                    paths[path] = (party.name, "value", issue.name, label)
        for path, note in party.notes.items():
            if "uncertain" not in note:
                continue
            for label, dist in uncertain_parts(note["uncertain"]):
                at = path if label is None else _join(path, label)
                if at not in paths or (label is not None and not path.startswith("values.")):
                    raise ValidationError(
                        f"uncertainty: party {party.name!r} has uncertain = "
                        f"{note['uncertain']!r} on {path!r}, and {at!r} is not a single number "
                        "(disagreement, power, a weight or one option's value)"
                    )
                out[paths[at]] = dist
    return out
