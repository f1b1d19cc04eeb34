"""GENIUS/ANAC negotiation domains: :func:`load` and :func:`save`.

The automated-negotiation community (GENIUS, the ANAC competitions, NegMAS)
publishes its domains as XML: one *domain* file (root element
``negotiation_template``) listing the issues, and one *profile* per party (root
``utility_space``) giving that party's utility. :func:`load` reads them into a
:class:`~bargain.Problem` whose :meth:`~bargain.Problem.utilities` are the
utilities GENIUS computes, float for float; :func:`save` writes a problem back.

The rules, as GENIUS's evaluators apply them
--------------------------------------------
*Issues* (domain file, in file order: that is the space's issue order):

* a discrete issue (``type="discrete"``, or no ``type``) has its ``item``
  values as options, in file order;
* an integer issue (``type="integer"``) has the integers ``lowerbound`` to
  ``upperbound`` as options, in order, labelled by their decimal form (``"0"``,
  ``"1"``, ...);
* a real issue (``type="real"``, with a ``range`` element) becomes a
  :class:`~bargain.ContinuousIssue` on ``[lowerbound, upperbound]``.

*Linear profiles* (``utility_space`` without ``type="nonlinear"``): the utility
of a package is ``min(1, sum_k w_k * e_k)`` summed in the domain's issue order,
with the weights ``w_k`` of the ``weight`` elements *as written* (they need not
sum to 1) and ``e_k`` the evaluation of the chosen option:

* discrete issue: with ``m = round(max evaluation)`` over the issue's items
  (Java's ``Math.round``: halves round up), ``e = round(evaluation) / m`` when
  ``m > 1``, else the evaluation as written; an issue whose evaluations are all
  0 therefore contributes 0 (no division by zero);
* integer issue: ``e = clamp01(offset + slope * (x - lowerbound))`` with the
  profile's ``evaluator`` ``slope`` and ``offset`` and the profile issue's
  ``lowerbound``; without an ``evaluator`` element ``e = 0``;
* real issue: ``ftype="linear"``: ``e = clamp01(parameter1 * x + parameter0)``
  (a :func:`~bargain.shapes.piecewise_linear` through the points where the clamp
  bends); ``ftype="constant"``: ``e = parameter0``.

*The cap at 1.* The largest sum a linear profile can reach is the sum, in the
same order, of each issue's largest term (float addition is monotone), and the
package that takes every largest term reaches it. When that sum is at most 1
the cap never binds and the party gets a plain
:class:`~bargain.AdditiveUtility` (weights as written, evaluations as above, so
``problem.utilities`` equals GENIUS's value float for float). When it exceeds
1 (20 profiles in 14 ANAC domains: the Laptop domain's weights sum to 1.0000518,
car_domain's to 1.0075, most others exceed 1 by one rounding step) the cap
binds on some packages, and the party gets a capped rectangle utility (see
below) with one single-issue rectangle per option, ``maximum=1`` and ``cap=1``:
the same numbers as GENIUS, including the cap.

*Non-linear profiles* (``utility_space type="nonlinear"``, ANAC 2014): a package
earns a ``hyperRectangle``'s ``utility`` (times its ``weight``, default 1) when
every ``INCLUDES index min max`` holds with both ends inclusive (``index`` names
an integer issue by its ``index`` attribute; bounds outside the issue's range
are clipped to it, and a rectangle no package can satisfy is dropped); the
utility is the sum divided by ``maxutility``, capped at 1. ``nonlinear="sum"``
keeps the uncapped, unnormalized sum instead (the files' ``maxutility`` is
below the true maximum in 17 of the 24 ANAC 2014 profiles, so GENIUS's cap
flattens their tops).

*Reservation value.* ``reservation value`` becomes the party's disagreement
value (0 when absent, as in GENIUS). A package is individually rational only
when it gives every party *strictly* more than its reservation value.

*Discount factor.* ``discount_factor`` becomes ``Party.discount``; a value
outside (0, 1] (GENIUS writes 0 for "no discounting") counts as 1, as in
GENIUS. The axiomatic concepts are timeless and ignore it; the processes that
use time (``bg.simulate``, ``bg.tournament``) apply it.

Anything else the format allows but `bargain` does not model (nested
objectives, ``EXCLUDES`` rectangles, other aggregations, other real evaluator
shapes) and every malformed file (XML that does not parse, a missing weight, an
item without evaluation, an ``INCLUDES`` on an unknown index, a non-numeric
bound) raises :class:`~bargain.ScenarioFileError` naming the file, the element
and the rule: never a silently different utility.

>>> import bargain as bg, pathlib, tempfile
>>> problem = bg.Problem.from_utilities([[1.0, 0.2], [0.4, 0.9]], names=["buyer", "seller"])
>>> folder = bg.genius.save(problem, pathlib.Path(tempfile.mkdtemp()) / "deal")
>>> sorted(path.name for path in folder.iterdir())
['buyer.xml', 'deal-domain.xml', 'seller.xml']
>>> bg.genius.load(folder) == problem
True
"""

from __future__ import annotations

import math
import os
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from . import shapes
from .errors import BargainError, ScenarioFileError
from .problem import Party, Problem, require_problem
from .space import ContinuousIssue, Issue, OutcomeSpace
from .utility import AdditiveUtility, Rectangle, RectangleUtility

__all__ = ["NONLINEAR", "load", "save"]

NONLINEAR = ("genius", "sum")
"""How :func:`load` reads a non-linear profile: ``"genius"`` (summed bonuses
divided by ``maxutility``, capped at 1, as GENIUS does) or ``"sum"`` (the
uncapped, unnormalized sum of the bonuses)."""

DOMAIN_ROOT = "negotiation_template"
PROFILE_ROOT = "utility_space"


# -- reading -------------------------------------------------------------------------------


def load(
    path: str | os.PathLike[str],
    profiles: Sequence[str | os.PathLike[str]] | None = None,
    *,
    nonlinear: str = "genius",
) -> Problem:
    """Read a GENIUS domain and its profiles into a :class:`~bargain.Problem`.

    Parameters
    ----------
    path : path
        A folder holding one domain file (root ``negotiation_template``) and
        its profiles (root ``utility_space``; other XML files are ignored), or,
        with ``profiles``, the domain file itself.
    profiles : sequence of paths, optional
        The profile files, in party order. Without it the folder's profiles are
        the parties, in sorted order of their file names.
    nonlinear : {"genius", "sum"}
        How non-linear (ANAC 2014) profiles count: see :data:`NONLINEAR`.

    Returns
    -------
    Problem
        Parties named by their profile file's stem; see the module docstring
        for the rules.

    Raises
    ------
    ScenarioFileError
        For a file that does not parse or breaks a rule, naming the file, the
        element and the rule.
    """
    if nonlinear not in NONLINEAR:
        raise ScenarioFileError(
            f"genius.load: nonlinear must be one of {list(NONLINEAR)}, got {nonlinear!r}"
        )
    path = Path(path)
    if profiles is None:
        if not path.is_dir():
            raise ScenarioFileError(
                f"{path}: not a folder; give a domain folder, or the domain file and its "
                "profiles: genius.load(domain, [profile, ...])"
            )
        domain_file, profile_files = _scan(path)
    else:
        if isinstance(profiles, str | os.PathLike):
            profiles = [profiles]
        domain_file, profile_files = path, [Path(p) for p in profiles]
        if not profile_files:
            raise ScenarioFileError(f"{path}: profiles is empty; give at least one profile")
        root = _parse(domain_file)
        if root.tag != DOMAIN_ROOT:
            raise ScenarioFileError(
                f"{domain_file}: root element <{root.tag}>; a domain file's root is <{DOMAIN_ROOT}>"
            )
    domain = _Domain(domain_file)
    parties = [_profile(domain, file, nonlinear) for file in profile_files]
    try:
        return Problem(domain.space, parties)
    except BargainError as exc:  # e.g. two profiles with the same stem
        raise ScenarioFileError(f"{domain_file}: {exc}") from None


def _parse(file: Path) -> ET.Element:
    try:
        return ET.parse(file).getroot()
    except ET.ParseError as exc:
        raise ScenarioFileError(f"{file}: XML does not parse: {exc}") from None
    except OSError as exc:
        raise ScenarioFileError(f"{file}: cannot be read: {exc}") from None


def _scan(folder: Path) -> tuple[Path, list[Path]]:
    domains, profiles = [], []
    for file in sorted(folder.glob("*.xml")):
        tag = _parse(file).tag
        if tag == DOMAIN_ROOT:
            domains.append(file)
        elif tag == PROFILE_ROOT:
            profiles.append(file)
    if len(domains) != 1:
        found = [file.name for file in domains]
        raise ScenarioFileError(
            f"{folder}: found {len(domains)} domain files {found}; a domain folder holds "
            f"exactly one XML file with root <{DOMAIN_ROOT}>"
        )
    if not profiles:
        raise ScenarioFileError(
            f"{folder}: no profile (an XML file with root <{PROFILE_ROOT}>); a domain needs "
            "at least one"
        )
    return domains[0], profiles


def _describe(element: ET.Element) -> str:
    shown = " ".join(f'{k}="{v}"' for k, v in element.attrib.items() if k in ("index", "name"))
    return f"<{element.tag} {shown}>" if shown else f"<{element.tag}>"


def _number(file: Path, element: ET.Element, attribute: str, default: float | None = None):
    text = element.get(attribute)
    if text is None:
        if default is not None:
            return default
        raise ScenarioFileError(
            f"{file}: {_describe(element)} has no {attribute!r} attribute; it needs a number"
        )
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise ScenarioFileError(
            f"{file}: {_describe(element)} {attribute}={text!r} is not a finite number"
        )
    return value


def _integer(file: Path, element: ET.Element, attribute: str) -> int:
    text = element.get(attribute)
    try:
        return int(text.strip())
    except (AttributeError, ValueError):
        raise ScenarioFileError(
            f"{file}: {_describe(element)} {attribute}={text!r} is not an integer; "
            f"{attribute} must be an integer"
        ) from None


def _objective(file: Path, root: ET.Element) -> ET.Element:
    objective = root.find("objective")
    if objective is None:
        raise ScenarioFileError(f"{file}: <{root.tag}> has no <objective> element")
    nested = objective.find("objective")
    if nested is not None:
        raise ScenarioFileError(
            f"{file}: {_describe(nested)} is a nested objective; only issues directly under "
            "the root objective are supported"
        )
    return objective


def _kind(element: ET.Element) -> str:
    """An issue's kind as GENIUS reads it: ``type`` wins; no ``type`` means discrete."""
    kind = element.get("type")
    return "discrete" if kind is None else kind.strip().lower()


def java_round(value: float) -> int:
    """Java's ``Math.round``: the nearest integer, halves rounded up (``floor(x + 1/2)``
    without the rounding error of adding 1/2).

    >>> java_round(2.5), java_round(-2.5), java_round(0.49999999999999994)
    (3, -2, 0)
    """
    floor = math.floor(value)
    return floor + 1 if value - floor >= 0.5 else floor


class _Domain:
    """A domain file: the space, and each issue's GENIUS index and kind."""

    def __init__(self, file: Path) -> None:
        self.file = file
        root = _parse(file)
        space_element = root.find(PROFILE_ROOT)
        if space_element is None:
            raise ScenarioFileError(f"{file}: <{root.tag}> has no <{PROFILE_ROOT}> element")
        issues = []
        self.kinds: list[str] = []
        self.bounds: list[tuple[float, float] | None] = []
        self.position: dict[int, int] = {}  # GENIUS index -> position in the space
        for element in _objective(file, space_element).findall("issue"):
            index = _integer(file, element, "index")
            name = element.get("name")
            if not name:
                raise ScenarioFileError(f"{file}: {_describe(element)} has no name")
            if index in self.position:
                raise ScenarioFileError(
                    f"{file}: {_describe(element)}: index {index} is used twice; issue indices "
                    "must be unique"
                )
            kind = _kind(element)
            self.position[index] = len(issues)
            self.kinds.append(kind)
            try:
                if kind == "discrete":
                    labels = [item.get("value") for item in element.findall("item")]
                    issues.append(Issue(name, labels))
                    self.bounds.append(None)
                elif kind == "integer":
                    low = _integer(file, element, "lowerbound")
                    high = _integer(file, element, "upperbound")
                    if high < low:
                        raise ScenarioFileError(
                            f"{file}: {_describe(element)}: upperbound {high} is below "
                            f"lowerbound {low}"
                        )
                    issues.append(Issue(name, [str(x) for x in range(low, high + 1)]))
                    self.bounds.append((low, high))
                elif kind == "real":
                    span = element.find("range")
                    if span is None:
                        raise ScenarioFileError(
                            f"{file}: {_describe(element)} is a real issue without a <range>"
                        )
                    low = _number(file, span, "lowerbound")
                    high = _number(file, span, "upperbound")
                    issues.append(ContinuousIssue(name, low, high))
                    self.bounds.append((low, high))
                else:
                    raise ScenarioFileError(
                        f"{file}: {_describe(element)} has type {kind!r}; supported issue types "
                        "are discrete, integer and real"
                    )
            except ScenarioFileError:
                raise
            except BargainError as exc:
                raise ScenarioFileError(f"{file}: {_describe(element)}: {exc}") from None
        if not issues:
            raise ScenarioFileError(f"{file}: the domain has no <issue>")
        try:
            self.space = OutcomeSpace(issues)
        except BargainError as exc:
            raise ScenarioFileError(f"{file}: {exc}") from None
        self.index_of = {position: index for index, position in self.position.items()}


def _profile(domain: _Domain, file: Path, nonlinear: str) -> Party:
    root = _parse(file)
    if root.tag != PROFILE_ROOT:
        raise ScenarioFileError(
            f"{file}: root element <{root.tag}>; a profile's root is <{PROFILE_ROOT}>"
        )
    reservation = root.find("reservation")
    disagreement = 0.0 if reservation is None else _number(file, reservation, "value")
    found = root.find("discount_factor")
    discount = 1.0 if found is None else _number(file, found, "value")
    if not 0.0 < discount <= 1.0:  # GENIUS reads such a factor as no discounting
        discount = 1.0
    if (root.get("type") or "").strip().lower() == "nonlinear":
        utility = _nonlinear(domain, file, root, nonlinear)
    else:
        utility = _linear(domain, file, root)
    try:
        return Party(file.stem, utility, disagreement=disagreement, discount=discount)
    except BargainError as exc:
        raise ScenarioFileError(f"{file}: {exc}") from None


def _linear(domain: _Domain, file: Path, root: ET.Element):
    objective = _objective(file, root)
    issue_indices = {_integer(file, element, "index") for element in objective.findall("issue")}
    weights: dict[int, float] = {}
    for element in objective.findall("weight"):
        index = _integer(file, element, "index")
        if index not in issue_indices:
            continue  # a weight of no issue (e.g. of the objective itself): GENIUS ignores it
        if index in weights:
            raise ScenarioFileError(
                f"{file}: {_describe(element)}: a second weight for index {index}"
            )
        weights[index] = _number(file, element, "value")
        if weights[index] < 0:
            raise ScenarioFileError(
                f"{file}: {_describe(element)} value={weights[index]!r}: weights must be >= 0"
            )
    evaluations: dict[int, object] = {}
    for element in objective.findall("issue"):
        index = _integer(file, element, "index")
        if index not in domain.position:
            raise ScenarioFileError(
                f"{file}: {_describe(element)}: the domain has no issue with index {index}; "
                f"its issue indices are {sorted(domain.position)}"
            )
        if index in evaluations:
            raise ScenarioFileError(f"{file}: {_describe(element)}: index {index} appears twice")
        if index not in weights:
            raise ScenarioFileError(
                f'{file}: {_describe(element)} has no <weight index="{index}">; every issue '
                "needs a weight"
            )
        evaluations[index] = _evaluation(domain, file, element, index)
    values, weight_of, largest = {}, {}, []
    for position, issue in enumerate(domain.space.issues):
        index = domain.index_of[position]
        if index not in evaluations:
            raise ScenarioFileError(
                f'{file}: the profile has no <issue index="{index}"> for domain issue '
                f"{issue.name!r}; every issue needs an evaluation"
            )
        values[issue.name] = evaluations[index]
        weight_of[issue.name] = weights[index]
        given = evaluations[index]
        top = given.top if isinstance(given, _RealValue) else max(given)
        largest.append(weights[index] * top)
    peak = 0.0
    for term in largest:  # GENIUS's order and arithmetic: the largest sum any package reaches
        peak += term
    if peak <= 1.0:
        return AdditiveUtility(
            {name: (v.shape if isinstance(v, _RealValue) else v) for name, v in values.items()},
            weight_of,
        )
    return _capped_additive(domain, file, values, weight_of)


class _RealValue:
    """A real issue's evaluation: the shape and its largest value on the issue's range."""

    def __init__(self, shape, top: float) -> None:
        self.shape, self.top = shape, top


def _evaluation(domain: _Domain, file: Path, element: ET.Element, index: int):
    position = domain.position[index]
    kind = domain.kinds[position]
    issue = domain.space.issues[position]
    profile_kind = _kind(element)
    if profile_kind != kind:
        raise ScenarioFileError(
            f"{file}: {_describe(element)} has type {profile_kind!r}, but the domain's issue "
            f"{issue.name!r} is {kind!r}"
        )
    if kind == "discrete":
        given: dict[str, float] = {}
        for item in element.findall("item"):
            label = item.get("value")
            if label not in issue.options:
                raise ScenarioFileError(
                    f"{file}: {_describe(element)}: item {label!r} is not an option of the "
                    f"domain's issue {issue.name!r}; options are {list(issue.options)}"
                )
            text = item.get("evaluation")
            if text is None or text == "null":
                raise ScenarioFileError(
                    f"{file}: {_describe(element)}: item {label!r} has no evaluation; every "
                    "item needs one"
                )
            given[label] = _number(file, item, "evaluation")
        missing = [label for label in issue.options if label not in given]
        if missing:
            raise ScenarioFileError(
                f"{file}: {_describe(element)}: option {missing[0]!r} has no <item> with an "
                "evaluation; every option needs one"
            )
        top = java_round(max(given.values()))
        if max(given.values()) < 0:
            raise ScenarioFileError(
                f"{file}: {_describe(element)}: every evaluation is negative; GENIUS needs a "
                "largest evaluation >= 0"
            )
        if top > 1:
            return [java_round(given[label]) / top for label in issue.options]
        return [given[label] for label in issue.options]
    if kind == "integer":
        low = _integer(file, element, "lowerbound")
        function = element.find("evaluator")
        if function is None:
            return [0.0] * len(issue)
        slope = _number(file, function, "slope")
        offset = _number(file, function, "offset")
        first = domain.bounds[position][0]
        return [
            min(1.0, max(0.0, slope * float(x - low) + offset))
            for x in range(first, first + len(issue))
        ]
    return _real(domain, file, element, position)


def _real(domain: _Domain, file: Path, element: ET.Element, position: int) -> _RealValue:
    function = element.find("evaluator")
    ftype = None if function is None else (function.get("ftype") or "").strip().lower()
    low, high = domain.bounds[position]
    if ftype == "constant":
        value = _number(file, function, "parameter0")
        return _RealValue(shapes.linear(0.0, value), value)
    if ftype != "linear":
        raise ScenarioFileError(
            f'{file}: {_describe(element)}: a real issue needs <evaluator ftype="linear"> or '
            f'ftype="constant", got {ftype!r}'
        )
    slope = _number(file, function, "parameter1")
    offset = _number(file, function, "parameter0")

    def clamped(x: float) -> float:
        return min(1.0, max(0.0, slope * x + offset))

    xs = {low, high}
    if slope:
        xs |= {x for x in ((0.0 - offset) / slope, (1.0 - offset) / slope) if low < x < high}
    points = [(x, clamped(x)) for x in sorted(xs)]
    return _RealValue(shapes.piecewise_linear(points), max(y for _, y in points))


def _capped_additive(domain: _Domain, file: Path, values: dict, weights: dict):
    """``min(1, additive)``: one single-issue rectangle per option, maximum 1, cap 1."""
    rectangles = []
    for issue in domain.space.issues:
        given = values[issue.name]
        if isinstance(given, _RealValue):
            raise ScenarioFileError(
                f"{file}: the weighted sum can exceed 1, so GENIUS caps it, and the profile has "
                f"a real issue {issue.name!r}: a capped utility over a continuous issue is not "
                "supported"
            )
        for label, value in zip(issue.options, given):
            bonus = weights[issue.name] * value
            if bonus:
                rectangles.append(Rectangle(bonus, ranges={issue.name: (label, label)}))
    return RectangleUtility(rectangles, maximum=1.0, cap=1.0)


def _nonlinear(domain: _Domain, file: Path, root: ET.Element, mode: str):
    objective = _objective(file, root)
    utility = objective.find("utility")
    if utility is None:
        raise ScenarioFileError(f"{file}: a non-linear profile needs <utility maxutility=...>")
    maximum = _number(file, utility, "maxutility")
    functions = utility.findall("ufun")
    if len(functions) != 1:
        raise ScenarioFileError(
            f"{file}: <utility> holds {len(functions)} <ufun> elements; exactly one is supported"
        )
    function = functions[0]
    aggregation = (function.get("aggregation") or "sum").strip().lower()
    if aggregation != "sum":
        raise ScenarioFileError(
            f'{file}: <ufun aggregation={aggregation!r}>: only aggregation="sum" is supported'
        )
    if function.find("ufun") is not None:
        raise ScenarioFileError(f"{file}: nested <ufun> elements are not supported")
    rectangles = []
    for number, element in enumerate(function.findall("hyperRectangle"), start=1):
        where = f"{file}: <hyperRectangle> #{number}"
        if element.find("EXCLUDES") is not None:
            raise ScenarioFileError(f"{where}: EXCLUDES rectangles are not supported")
        bonus = _number(file, element, "utility") * _number(file, element, "weight", 1.0)
        ranges, empty = {}, False
        bounds = element.findall("INCLUDES")
        if not bounds:  # GENIUS: no bound at all means every package earns the bonus
            first = domain.space.issues[0]
            ranges[first.name] = (first.options[0], first.options[-1])
        for bound in bounds:
            index, low, high = (_bound(where, bound, name) for name in ("index", "min", "max"))
            if index not in domain.position:
                raise ScenarioFileError(
                    f'{where}: <INCLUDES index="{index}">: the domain has no issue with index '
                    f"{index}; its issue indices are {sorted(domain.position)}"
                )
            position = domain.position[index]
            if domain.kinds[position] != "integer":
                raise ScenarioFileError(
                    f'{where}: <INCLUDES index="{index}">: issue '
                    f"{domain.space.issues[position].name!r} is {domain.kinds[position]}; "
                    "rectangles bound integer issues"
                )
            first, last = domain.bounds[position]
            low, high = max(low, first), min(high, last)
            if low > high:
                empty = True
                continue
            name = domain.space.issues[position].name
            if name in ranges:
                old_low, old_high = (int(label) for label in ranges[name])
                low, high = max(low, old_low), min(high, old_high)
                if low > high:
                    empty = True
                    continue
            ranges[name] = (str(low), str(high))
        if not empty and bonus:
            rectangles.append(Rectangle(bonus, ranges=ranges))
    try:
        if mode == "sum":
            return RectangleUtility(rectangles)
        return RectangleUtility(rectangles, maximum=maximum, cap=1.0)
    except BargainError as exc:
        raise ScenarioFileError(f"{file}: {exc}") from None


def _bound(where: str, element: ET.Element, attribute: str) -> int:
    text = element.get(attribute)
    try:
        return int(text.strip())
    except (AttributeError, ValueError):
        raise ScenarioFileError(
            f"{where}: <INCLUDES> {attribute}={text!r} is not an integer; INCLUDES index, min "
            "and max are integers"
        ) from None


# -- writing -------------------------------------------------------------------------------


def save(problem: Problem, folder: str | os.PathLike[str]) -> Path:
    """Write ``problem`` as a GENIUS domain folder; return the folder.

    The folder (created if needed) gets ``<folder name>-domain.xml`` and one
    profile ``<party name>.xml`` per party, each the form :func:`load` reads
    back into the same utility:

    * additive utilities: linear profiles over discrete issues, the weights and
      values as given when the values lie in ``[0, 1.5)`` (GENIUS then takes
      evaluations as written), else the weighted values with weight 1;
    * capped linear utilities (what :func:`load` makes of a linear profile
      whose sum can exceed 1: single-option rectangles with bonuses in ``[0,
      1.5)``, ``maximum`` 1 and ``cap`` 1): linear profiles, each option's
      bonus as its evaluation with weight 1 (GENIUS caps the sum at 1);
    * other rectangle utilities with ``cap`` 1 (ANAC 2014's form): non-linear
      profiles, ``maxutility`` the ``maximum`` (1 when None), one
      ``hyperRectangle`` per rectangle with an ``INCLUDES`` per issue it bounds.
      The domain's issues are then integer issues, so every issue's options
      must be consecutive integers (``"0"``, ``"1"``, ...) and every party's
      utility a rectangle utility with cap 1.

    The disagreement value is the reservation value, the discount factor is
    written when it is not 1. :func:`load` of the folder gives a problem equal to
    ``problem`` when the party names are in sorted order (``load`` orders
    profiles by file name; otherwise pass the profiles explicitly, in party
    order); every ANAC 2010-2015 domain does. (A capped linear utility whose sum cannot
    exceed 1 comes back as the additive utility it equals: the cap never binds.)

    Raises
    ------
    ScenarioFileError
        For what the format cannot express: continuous issues, red lines,
        observers, bargaining powers other than 1, negative values, additive utilities
        that can exceed 1 (GENIUS caps them at 1), interaction tables,
        rectangle utilities other than those above, and party names that are
        not file names.
    """
    problem = require_problem(problem, "genius.save")
    folder = Path(folder)
    space = problem.space
    if space.continuous_issues:
        raise ScenarioFileError(
            f"genius.save: issue {space.continuous_issues[0].name!r} is continuous; GENIUS real "
            "issues with arbitrary value shapes cannot be written"
        )
    if problem.observers:
        raise ScenarioFileError(
            f"genius.save: the problem has observers {list(problem.observer_names)}; a GENIUS "
            "domain has only negotiating parties (remove them first: problem.without(...))"
        )
    domain_name = f"{folder.name or 'domain'}-domain"
    forms = [_form(problem, j) for j in range(problem.n_parties)]
    nonlinear = [p.name for p, form in zip(problem.parties, forms) if form == "nonlinear"]
    for party, form in zip(problem.parties, forms):
        _check_writable(problem, party, domain_name, form, nonlinear)
    bounds = _integer_bounds(space, nonlinear[0]) if nonlinear else None
    folder.mkdir(parents=True, exist_ok=True)
    _write(folder / f"{domain_name}.xml", _domain_xml(space, bounds))
    for position, party in enumerate(problem.parties):
        if bounds is not None:
            profile = _nonlinear_xml(space, party, bounds)
        else:
            tables = [table[position] for table in problem.tables]
            profile = _profile_xml(space, party, tables)
        _write(folder / f"{party.name}.xml", profile)
    return folder


def _form(problem: Problem, position: int) -> str:
    """How party ``position``'s utility is written: ``"additive"``, ``"capped"`` (a capped
    linear profile: bonuses per option, as the problem folds them into per-issue tables,
    in ``[0, 1.5)``, maximum 1 and cap 1) or ``"nonlinear"`` (hyper-rectangles: any other
    rectangle utility)."""
    utility = problem.parties[position].utility
    if isinstance(utility, AdditiveUtility):
        return "additive"
    per_option = all(owner != position for owner, _ in problem.terms) and all(
        0 <= r.bonus and java_round(r.bonus) <= 1  # (GENIUS reads these as written)
        for r in utility.rectangles
    )
    capped = utility.maximum in (None, 1.0) and utility.cap == 1.0
    return "capped" if per_option and capped else "nonlinear"


def _integer_bounds(space: OutcomeSpace, party: str) -> list[tuple[int, int]]:
    """Each issue's (lowerbound, upperbound) as a GENIUS integer issue: its options must be
    consecutive integers in their decimal form."""
    bounds = []
    for issue in space.issues:
        try:
            low = int(issue.options[0])
        except ValueError:
            low = None
        if low is None or list(issue.options) != [str(low + i) for i in range(len(issue))]:
            raise ScenarioFileError(
                f"genius.save: party {party!r} needs a non-linear profile (rectangles that are "
                "not one bonus in [0, 1.5) per option with maximum 1 and cap 1), whose issues "
                f"GENIUS writes as integer issues; issue {issue.name!r} has options "
                f"{list(issue.options)[:4]}..., not consecutive integers"
            )
        bounds.append((low, low + len(issue) - 1))
    return bounds


def _check_writable(
    problem: Problem, party: Party, domain_name: str, form: str, nonlinear: list[str]
) -> None:
    """Refuse what GENIUS cannot express of ``party``, written in ``form`` (:func:`_form`)
    next to the parties ``nonlinear`` that need a non-linear profile."""
    name = party.name
    if name != name.strip() or any(c in name for c in '/\\:*?"<>|') or name in (".", ".."):
        raise ScenarioFileError(
            f"genius.save: party name {name!r} cannot be a file name; GENIUS names parties by "
            "their profile files"
        )
    if name == domain_name:
        raise ScenarioFileError(
            f"genius.save: party name {name!r} is the domain file's name; rename the party or "
            "the folder"
        )
    if party.red_lines:
        raise ScenarioFileError(
            f"genius.save: party {name!r} has red lines; GENIUS profiles cannot express them"
        )
    if party.power != 1.0:
        raise ScenarioFileError(
            f"genius.save: party {name!r} has power {party.power!r}; GENIUS has no bargaining "
            "powers (only 1 can be written)"
        )
    utility = party.utility
    if form == "nonlinear" and utility.cap != 1.0:
        raise ScenarioFileError(
            f"genius.save: party {name!r} has a rectangle utility with cap {utility.cap!r} "
            "that needs a non-linear profile (its rectangles are not one bonus in [0, 1.5) per "
            "option with maximum 1 and cap 1), and GENIUS caps a non-linear profile's utility "
            "at 1: only cap 1 can be written"
        )
    if nonlinear and form == "additive":
        raise ScenarioFileError(
            f"genius.save: party {name!r} has an additive utility, but party {nonlinear[0]!r} "
            "needs a "
            "non-linear profile: GENIUS then reads every profile as hyper-rectangles over "
            "integer issues, the sum divided by maxutility and capped at 1, so every party "
            "must have a rectangle utility with cap 1"
        )
    if form != "additive":
        return
    if utility.interactions:
        raise ScenarioFileError(
            f"genius.save: party {name!r} has interaction tables; GENIUS profiles cannot "
            "express them"
        )
    position = problem.party_position(name)
    peak = 0.0
    for issue, table in zip(problem.space.issues, problem.tables):
        row = table[position]
        if np.any(row < 0):
            raise ScenarioFileError(
                f"genius.save: party {name!r} values an option of issue {issue.name!r} below 0; "
                "GENIUS evaluations are >= 0"
            )
        peak += float(row.max())
    if peak > 1.0:
        raise ScenarioFileError(
            f"genius.save: party {name!r} reaches utility {peak!r} > 1, but GENIUS caps "
            "utilities at 1, so the file would mean something else; rescale the utility to at "
            "most 1 first"
        )


def _root_objective(parent: ET.Element) -> ET.Element:
    """The ``root`` objective element that holds the issues, in domain and profile files."""
    return ET.SubElement(
        parent, "objective", index="0", name="root", type="objective", etype="objective"
    )


def _discrete_issue(
    objective: ET.Element, k: int, issue: Issue, evaluation: Sequence[float] | None = None
) -> None:
    """Issue ``k`` (1-based) as a discrete issue element, its items optionally evaluated."""
    element = _issue_element(objective, k, issue, "discrete")
    for j, label in enumerate(issue.options, start=1):
        extra = {} if evaluation is None else {"evaluation": repr(evaluation[j - 1])}
        ET.SubElement(element, "item", index=str(j), value=label, **extra)


def _issue_element(objective: ET.Element, k: int, issue: Issue, kind: str, **bounds: str):
    """Issue ``k`` (1-based) of type ``kind`` (its ``type``, ``etype`` and ``vtype``)."""
    return ET.SubElement(
        objective,
        "issue",
        index=str(k),
        name=issue.name,
        type=kind,
        etype=kind,
        vtype=kind,
        **bounds,
    )


def _integer_issues(objective: ET.Element, space: OutcomeSpace, bounds) -> None:
    """Every issue as an integer issue from ``lowerbound`` to ``upperbound``."""
    for k, (issue, (low, high)) in enumerate(zip(space.issues, bounds), start=1):
        _issue_element(objective, k, issue, "integer", lowerbound=str(low), upperbound=str(high))


def _domain_xml(space: OutcomeSpace, bounds: list[tuple[int, int]] | None) -> ET.Element:
    """The domain: discrete issues, or (``bounds``) integer issues."""
    root = ET.Element(DOMAIN_ROOT)
    utility_space = ET.SubElement(root, PROFILE_ROOT, number_of_issues=str(len(space.issues)))
    objective = _root_objective(utility_space)
    if bounds is not None:
        _integer_issues(objective, space, bounds)
        return root
    for k, issue in enumerate(space.issues, start=1):
        _discrete_issue(objective, k, issue)
    return root


def _profile_xml(space: OutcomeSpace, party: Party, tables: list[np.ndarray]) -> ET.Element:
    """A linear profile: an additive utility, or a capped linear one (its bonuses as
    evaluations with weight 1; ``tables`` are then those bonuses, as the problem folds them)."""
    root = ET.Element(PROFILE_ROOT)
    objective = _root_objective(root)
    utility = party.utility
    for k, (issue, table) in enumerate(zip(space.issues, tables), start=1):
        if isinstance(utility, AdditiveUtility):
            weight = utility.weights[issue.name]
            values = _given_values(utility.values[issue.name], issue)
        else:
            weight, values = 1.0, [float(v) for v in table]
        if min(values) < 0 or java_round(max(values)) > 1 or not _same(weight, values, table):
            # GENIUS would normalize these evaluations: write the weighted values instead
            weight, values = 1.0, [float(v) for v in table]
        _discrete_issue(objective, k, issue, evaluation=values)
        ET.SubElement(objective, "weight", index=str(k), value=repr(float(weight)))
    _party_numbers(root, party)
    return root


def _nonlinear_xml(space: OutcomeSpace, party: Party, bounds) -> ET.Element:
    """A non-linear profile (ANAC 2014's form): the issues, then one ``hyperRectangle`` per
    rectangle, ``INCLUDES`` bounds in the issues' integers."""
    root = ET.Element(PROFILE_ROOT, type="nonlinear")
    objective = _root_objective(root)
    _integer_issues(objective, space, bounds)
    utility = party.utility
    maximum = 1.0 if utility.maximum is None else utility.maximum
    holder = ET.SubElement(objective, "utility", maxutility=repr(float(maximum)))
    function = ET.SubElement(holder, "ufun", type="PlainUfun", weight="1", aggregation="sum")
    for rectangle in utility.rectangles:
        box = ET.SubElement(function, "hyperRectangle", utility=repr(float(rectangle.bonus)))
        for index, name in enumerate(space.names, start=1):  # in issue order, as ANAC 2014
            if name in rectangle.ranges:
                low, high = rectangle.ranges[name]
                ET.SubElement(box, "INCLUDES", index=str(index), min=low, max=high)
    _party_numbers(root, party)
    return root


def _party_numbers(root: ET.Element, party: Party) -> None:
    """The reservation value, and the discount factor when it is not 1."""
    ET.SubElement(root, "reservation", value=repr(float(party.disagreement)))
    if party.discount != 1.0:
        ET.SubElement(root, "discount_factor", value=repr(float(party.discount)))


def _given_values(given: object, issue: Issue) -> list[float]:
    if isinstance(given, dict):
        return [float(given[label]) for label in issue.options]
    return [float(v) for v in given]


def _same(weight: float, values: list[float], table: np.ndarray) -> bool:
    return bool(np.array_equal(weight * np.asarray(values), table))


def _write(file: Path, root: ET.Element) -> None:
    ET.indent(root)
    ET.ElementTree(root).write(file, encoding="utf-8", xml_declaration=True)
