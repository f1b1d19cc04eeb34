"""Reports: the whole analysis of a problem as one self-contained HTML file, or Markdown.

:func:`report` builds the document once and renders it as HTML (one file, the
figures embedded as base64 PNGs, no external resource) or as Markdown (for
people who write papers in it; the figures embedded as data URIs too). It
holds every concept's package with gains, ties and the runner-up's margin,
the robustness of the Nash package (Monte Carlo frequencies and tipping
points, :mod:`bargain.sensitivity`), how far each party's no-deal value can
move before the Nash package changes (and who gains when it does), an
optional what-if chain, the picture of the utility space, then the problem
with every rationale and the war model behind the no-deal values. Without
matplotlib each figure is replaced by a sentence saying so; every number
stays.

Every number in the HTML sits in an element with a ``data-value`` attribute
holding its exact ``repr``, so that a reader (or a test) can check it against
the library.

>>> import bargain as bg
>>> p = bg.Problem.from_utilities([[4, 1], [3, 2.5], [1, 4]], names=["A", "B"])
>>> text = report(p, format="markdown", figure=False)
>>> print(text.splitlines()[0])
# Bargaining report
"""

from __future__ import annotations

import base64
import html
import io as _io
import itertools
import math
import os
from dataclasses import dataclass
from pathlib import Path

from . import io
from .concepts import compare
from .errors import MissingDependencyError, UnknownNameError, ValidationError
from .problem import Problem, require_problem
from .sensitivity import (
    FACE_NOISE,
    RankedPackage,
    face_draws,
    noise,
    ranking,
    robustness,
    scored_whole,
    tipping_points,
)
from .solution import Solution
from .threats import threat_path
from .utility import AdditiveUtility
from .whatif import Chain

__all__ = [
    "FORMATS",
    "PACKAGE_ROWS",
    "ROBUSTNESS_DRAWS",
    "ROBUSTNESS_NOISE",
    "THREAT_REACH",
    "TIPPING_ROWS",
    "report",
    "runner_up",
    "write",
]

FORMATS = ("html", "markdown")
"""What :func:`report` writes."""

THREAT_REACH = 0.5
"""How far below and above its no-deal value each party's threat path is followed."""

ROBUSTNESS_DRAWS = 2000
"""Monte Carlo draws of the robustness section (seeded: the report is reproducible)."""

ROBUSTNESS_NOISE = FACE_NOISE
"""The robustness section's noise model (:func:`bargain.noise`'s arguments) for a scenario
without ``uncertain`` notes: :data:`bargain.sensitivity.FACE_NOISE`, as ``bargain
robustness`` draws."""

RECTANGLE_ROWS = 30
"""Rectangles listed per party (ANAC 2014 profiles hold hundreds), and every later one
that has a note."""

TIPPING_ROWS = 10
"""The numbers closest to flipping the headline package that the report lists."""

PACKAGE_ROWS = 8
"""The most frequent Monte Carlo packages the report lists."""

DIGITS = 4
"""Decimals shown for a number (the HTML keeps the exact value in ``data-value``)."""


# -- the document --------------------------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    level: int
    text: str


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]
    """Cells are text or numbers (floats, shown to :data:`DIGITS` decimals)."""


@dataclass(frozen=True)
class Picture:
    png: bytes | None
    alt: str


Block = Heading | Paragraph | Table | Picture


def runner_up(problem: Problem, solution: Solution) -> RankedPackage | None:
    """The concept's best package once every tied winner is set aside (None if there is
    none), from :func:`bargain.ranking`: its ``margin`` is the winner's score minus its."""
    if not solution.agreement or solution.lottery is not None or problem.space.continuous_issues:
        return None
    if solution.ties_truncated:
        return None
    ranked = ranking(problem, k=len(solution.ties) + 1, concept=solution.concept)
    rest = [package for package in ranked.packages if package.index not in solution.ties]
    return rest[0] if rest else None


def _number(value: float) -> float:
    return float(value)


def _package_text(outcome: dict | None) -> str:
    if not outcome:
        return "no deal"
    return "; ".join(f"{issue}: {option}" for issue, option in outcome.items())


def _note(notes: dict, path: str) -> str:
    note = notes.get(path, {})
    return " ".join(note[kind] for kind in ("rationale", "source") if kind in note)


OBSERVER = " (observer)"
"""Marks an observer's name in the tables: its utilities are reported, it holds no veto."""


def _members(problem: Problem) -> list[tuple[str, object]]:
    """``(label, party)`` for every party, then every observer (marked)."""
    return [(party.name, party) for party in problem.parties] + [
        (party.name + OBSERVER, party) for party in problem.observers
    ]


def _title(problem: Problem, name: str | None) -> str:
    scenario = problem.notes.get(io.SCENARIO_PATH, {})
    return scenario.get("title") or (f"Bargaining report: {name}" if name else "Bargaining report")


def _blocks(
    problem: Problem,
    name: str | None,
    chain: Chain | None,
    figure: bool,
    threats: bool,
    robust: bool,
) -> list[Block]:
    scenario = problem.notes.get(io.SCENARIO_PATH, {})
    blocks: list[Block] = [Heading(1, _title(problem, name))]
    for kind, label in (("description", ""), ("source", "Source: "), ("rationale", "")):
        if kind in scenario:
            blocks.append(Paragraph(label + scenario[kind]))
    # Findings first, then the problem and the no-deal model they rest on.
    comparison = compare(problem)
    blocks += _solution_blocks(problem, comparison.solutions)
    if robust and not problem.space.continuous_issues and comparison["nash"].agreement:
        blocks += _robustness_blocks(problem, figure)
    if threats and not problem.space.continuous_issues:
        blocks += _threat_blocks(problem)
    if chain is not None:
        blocks += _chain_blocks(chain)
    if figure:
        blocks += _figure_blocks(problem, _title(problem, name))
    blocks += _problem_blocks(problem)
    if problem.war is not None:
        blocks += _war_blocks(problem)
    return blocks


def _problem_blocks(problem: Problem) -> list[Block]:
    space = problem.space
    blocks: list[Block] = [Heading(2, "The problem")]
    size = (
        f"{len(space.continuous_issues)} continuous issues"
        if space.continuous_issues
        else f"{space.size} packages"
    )
    blocks.append(
        Paragraph(
            f"{len(space.issues)} issues, {size}; parties at the table: "
            f"{', '.join(problem.party_names)}"
            + (
                f"; observers (utilities reported, no veto): {', '.join(problem.observer_names)}."
                if problem.observers
                else "."
            )
        )
    )
    rows = []
    for issue in space.issues:
        options = (
            f"any number in [{issue.low:g}, {issue.high:g}]"
            if issue.is_continuous
            else " | ".join(issue.options)
        )
        rows.append((issue.name, options, _note(problem.notes, f"issues.{io.key(issue.name)}")))
    blocks.append(Table(("issue", "options", "why"), tuple(rows)))
    rows = []
    for label, party in _members(problem):
        rows.append(
            (
                label,
                _number(party.disagreement),
                _number(party.power),
                _note(party.notes, "party"),
                _note(party.notes, "disagreement"),
            )
        )
    blocks.append(
        Table(("party", "no-deal value", "power", "who", "why that no-deal value"), tuple(rows))
    )
    rules = []
    for party in problem.parties:
        for position, rule in enumerate(party.red_lines):
            forbids = " and ".join(
                f"{issue}: {' | '.join(map(str, options))}" for issue, options in rule.items()
            )
            rules.append((party.name, forbids, _note(party.notes, f"red_lines[{position}]")))
    if rules:
        blocks.append(Heading(3, "Red lines (a package taking all the listed options is excluded)"))
        blocks.append(Table(("party", "forbids", "why"), tuple(rules)))
    blocks.append(Heading(3, "What each party wants (weight x value of each option)"))
    for label, party in _members(problem):
        if not isinstance(party.utility, AdditiveUtility):
            blocks += _rectangle_blocks(label, party)
            continue
        rows = []
        for issue in space.issues:
            key = io.key(issue.name)
            weight = party.utility.weights[issue.name]
            given = party.utility.values[issue.name]
            if issue.is_continuous:
                values = repr(given)
            else:
                listed = [given[o] for o in issue.options] if isinstance(given, dict) else given
                values = ", ".join(f"{o} {float(v):g}" for o, v in zip(issue.options, listed))
            why = " ".join(
                text
                for text in (
                    _note(party.notes, f"weights.{key}"),
                    _note(party.notes, f"values.{key}"),
                )
                if text
            )
            rows.append((issue.name, _number(weight), values, why))
        blocks.append(Heading(4, label))
        blocks.append(Table(("issue", "weight", "values", "why"), tuple(rows)))
        rows = _interaction_rows(space, party)
        if rows:
            blocks.append(
                Paragraph("Interactions (added as written when the issues take these options):")
            )
            blocks.append(
                Table(("issues", "bonus (or penalty) per combination", "why"), tuple(rows))
            )
    return blocks


def _interaction_rows(space, party) -> list[tuple[str, str, str]]:
    """Each interaction table of ``party``'s additive utility as a row: its issues, its
    non-zero cells (one option per issue, then the bonus), and its note."""
    rows = []
    for number, (issues, table) in enumerate(party.utility.interactions.items()):
        combinations = itertools.product(*(space.issue(name).options for name in issues))
        cells = "; ".join(
            f"{' / '.join(combination)} {float(bonus):+g}"
            for combination, bonus in zip(combinations, table.reshape(-1).tolist())
            if bonus
        )
        rows.append((" x ".join(issues), cells, _note(party.notes, f"interactions[{number}]")))
    return rows


def _rectangle_blocks(label: str, party) -> list[Block]:
    """A rectangle utility: its bonuses, each with its ranges, then the maximum and cap (the
    first :data:`RECTANGLE_ROWS` rectangles, and every later one that has a note)."""
    utility = party.utility
    rows = tuple(
        (
            str(number),
            _number(rectangle.bonus),
            "; ".join(f"{name} {low} to {high}" for name, (low, high) in rectangle.ranges.items()),
            _note(party.notes, f"rectangles[{number}]"),
        )
        for number, rectangle in enumerate(utility.rectangles)
    )
    shown = tuple(row for number, row in enumerate(rows) if number < RECTANGLE_ROWS or row[3])
    scale = "the sum of the bonuses held"
    if utility.maximum is not None:
        scale += f", divided by {utility.maximum:g}"
    if utility.cap is not None:
        scale += f", at most {utility.cap:g}"
    return [
        Heading(4, label),
        Paragraph(
            f"A rectangle utility of {len(rows)} rectangles: the utility of a package is "
            f"{scale}; a rectangle is held when every issue it names takes an option in "
            "its range (both ends included)."
        ),
        Table(("rectangle", "bonus", "ranges", "why"), shown),
        *(
            [Paragraph(f"... and {len(rows) - len(shown)} more rectangles.")]
            if len(shown) < len(rows)
            else []
        ),
    ]


def _range(estimate) -> str:
    return estimate.span() or "-"


def _war_blocks(problem: Problem) -> list[Block]:
    war = problem.war
    blocks: list[Block] = [Heading(2, "No deal: the model of continued war")]
    text = _note(war.notes, io.WAR_PATH)
    blocks.append(
        Paragraph(
            "Each fighting party's no-deal value is its expected utility of how the war may end "
            "minus its cost of fighting (Fearon 1995, generalised to packages: bargain.war)."
            + (f" {text}" if text else "")
        )
    )
    names = [label for label, _ in _members(problem)]
    rows = []
    for i, (outcome, index) in enumerate(zip(war.outcomes, war.indices(problem.space))):
        why = " ".join(
            t
            for t in (
                _note(war.notes, f"outcomes[{i}]"),
                _note(war.notes, f"outcomes[{i}].probability"),
            )
            if t
        )
        rows.append(
            (
                outcome.name,
                _number(outcome.probability.value),
                _range(outcome.probability),
                _package_text(outcome.package),
                *map(_number, problem.utilities(index)),
                *problem.observer_utilities_at(outcome.package).values(),
                why,
            )
        )
    blocks.append(
        Table(("war ends in", "probability", "plausible", "package", *names, "why"), tuple(rows))
    )
    values = war.values(problem)
    derived = war.derived(problem)
    rows = []
    members = {party.name: (label, party) for label, party in _members(problem)}
    for name, cost in war.costs.items():
        label, party = members[name]
        rows.append(
            (
                label,
                _number(cost.value),
                _range(cost),
                _number(values[name] + cost.value),
                _number(values[name]),
                "yes" if name in derived else "no (set by hand)",
                _note(party.notes, "disagreement"),
            )
        )
    blocks.append(
        Table(
            (
                "party",
                "cost of war",
                "plausible",
                "expected utility",
                "no-deal value",
                "in use",
                "why",
            ),
            tuple(rows),
        )
    )
    return blocks


def _solution_blocks(problem: Problem, solutions: dict[str, Solution]) -> list[Block]:
    blocks: list[Block] = [Heading(2, "Solutions")]
    blocks.append(
        Paragraph(
            "Every concept's package; 'ties' counts the packages equally good for the concept, "
            "'margin' is how much better the package scores than the best other one "
            "(the runner-up) on the concept's own objective."
        )
    )
    rows = []
    for concept, solution in solutions.items():
        second = runner_up(problem, solution)
        ties = len(solution.ties) if solution.agreement else 0
        rows.append(
            (
                concept,
                _package_text(solution.outcome if solution.agreement else None),
                str(ties) + ("+" if solution.ties_truncated else ""),
                _package_text(second.outcome) if second else "-",
                _number(second.margin) if second else "-",
            )
        )
    blocks.append(Table(("concept", "package", "ties", "runner-up", "margin"), tuple(rows)))
    header = ["party", "no-deal value"]
    for concept in solutions:
        header += [f"{concept} utility", "gain"]
    rows = []
    for label, party in _members(problem):
        row: list[object] = [label, _number(party.disagreement)]
        for solution in solutions.values():
            utilities = {**solution.utilities, **solution.observer_utilities}
            utility = utilities[party.name]
            row += [_number(utility), _number(utility - party.disagreement)]
        rows.append(tuple(row))
    blocks.append(Table(tuple(header), tuple(rows)))
    return blocks


def _robustness_blocks(problem: Problem, figure: bool) -> list[Block]:
    blocks: list[Block] = [Heading(2, "Robustness of the Nash package")]
    uncertain = io.uncertainty(problem)
    model = None if uncertain else noise(**ROBUSTNESS_NOISE)
    large = not scored_whole(problem)
    draws = face_draws(problem, ROBUSTNESS_DRAWS)
    result = robustness(problem, uncertain, noise=model, draws=draws, rng=0)
    what = (
        "the scenario's 'uncertain' notes ("
        + "; ".join(" / ".join(map(str, selector)) for selector in uncertain)
        + ")"
        if uncertain
        else (
            "noise on every number: "
            + (
                f"option values +/- {model.values:g}, weights x (1 +/- {model.weights:g}), "
                if any(isinstance(p.utility, AdditiveUtility) for p in problem.parties)
                else ""  # (rectangle utilities: their bonuses are not numbers)
            )
            + f"no-deal values +/- {model.disagreement:g}, uniform"
        )
    )
    blocks.append(
        Paragraph(
            f"Monte Carlo (bargain.sensitivity, {result.draws} draws, seed 0"
            + (", each a full solve on this large space" if large else "")
            + f") over {what}: "
            f"the Nash package of every draw, found exactly. The headline package is chosen "
            f"in {result.base_share:.1%} of the draws; a deal is reached in "
            f"{result.agreement_rate:.1%}."
        )
    )
    rows = [
        (
            _number(share.frequency),
            "no deal" if share.index is None else str(share.index),
            _package_text(share.outcome),
        )
        for share in result.packages[:PACKAGE_ROWS]
    ]
    blocks.append(Table(("share of draws", "package index", "package"), tuple(rows)))
    points = tipping_points(problem)
    blocks.append(
        Paragraph(
            "Tipping points (bargain.tipping_points): each number moved alone, the nearest "
            "values below and above at which the Nash package changes; the numbers closest "
            "to flipping it first ('relative change' is the move over the number's scale)."
        )
    )
    rows = []
    for row in list(points)[:TIPPING_ROWS]:
        rows.append(
            (
                " / ".join(map(str, row.selector)),
                _number(row.value),
                "never" if row.lower is None else _number(row.lower),
                "never" if row.upper is None else _number(row.upper),
                "-" if math.isinf(row.distance) else _number(row.distance),
            )
        )
    blocks.append(
        Table(("number", "now", "flips below", "flips above", "relative change"), tuple(rows))
    )
    if figure:
        blocks += _pictures(
            lambda plotting: plotting.plot_frequencies(result),
            "The most frequent Nash packages over the Monte Carlo draws.",
        )
        blocks += _pictures(
            lambda plotting: plotting.plot_tipping_points(points),
            "Tipping points: how far each number can move before the Nash package changes.",
        )
    return blocks


def _threat_blocks(problem: Problem) -> list[Block]:
    blocks: list[Block] = [Heading(2, "Threats: how far each no-deal value can move")]
    blocks.append(
        Paragraph(
            "For each party, the Nash package is followed exactly while that party's no-deal "
            f"value moves {THREAT_REACH:g} below and above its value, every other number fixed "
            "(bargain.threats: closed-form breakpoints, Nash 1953 reading of a threat as a move "
            "of the disagreement point). The table gives the interval over which today's package "
            "holds and, at each end, the package that takes over and what every party gains "
            "or loses there."
        )
    )
    names = problem.party_names
    rows = []
    for j, name in enumerate(names):
        d = float(problem.disagreement[j])
        path = threat_path(problem, name, d - THREAT_REACH, d + THREAT_REACH)
        segments = path.segments
        here = segments.index(path.segment(d))
        now = path.utilities(d)
        for side, step in (("below", -1), ("above", 1)):
            if not 0 <= here + step < len(segments):
                rows.append((name, side, "none within reach", "-", "-", *("-" for _ in names)))
                continue
            beyond = segments[here + step]
            edge = segments[here].low if step < 0 else segments[here].high
            # Just past the edge; without a deal the moving party gets its no-deal value there.
            then = (
                beyond.utilities if beyond.index is not None else {**beyond.utilities, name: edge}
            )
            package = "no deal" if beyond.index is None else problem.space.outcome(beyond.index)
            rows.append(
                (
                    name,
                    side,
                    _number(edge),
                    _package_text(package) if beyond.index is not None else package,
                    _number(edge - d),
                    *(_number(then[n] - now[n]) for n in names),
                )
            )
    header = (
        "party",
        "moves",
        "tipping value",
        "then",
        "distance",
        *(f"change for {n}" for n in names),
    )
    blocks.append(Table(header, tuple(rows)))
    return blocks


def _chain_blocks(chain: Chain) -> list[Block]:
    blocks: list[Block] = [Heading(2, "What if: one change at a time")]
    names = list(chain.steps[0].utilities)
    observers = chain.steps[0].problem.observer_names
    labels = [name + OBSERVER if name in observers else name for name in names]
    header = ("step", "change", "package moves", *labels)
    rows = []
    for number, step in enumerate(chain.steps):
        moved = "; ".join(f"{i}: {a} -> {b}" for i, (a, b) in step.moved.items()) or "-"
        cells = []
        for name in names:
            value, change = step.utilities[name], step.effect[name]
            if value is None:
                cells.append("not at the table")
            else:
                moved_by = "" if change is None else f" ({change:+.{DIGITS}f})"
                no_deal = step.disagreement[name]
                cells.append(f"{value:.{DIGITS}f}{moved_by}; no deal {no_deal:.{DIGITS}f}")
        rows.append((str(number), step.change, moved, *cells))
    blocks.append(
        Paragraph(
            f"Each step makes one change and re-solves ({chain.concept}); each party's utility "
            "at the solution, with its change from the step before in brackets, and its "
            "no-deal value."
        )
    )
    blocks.append(Table(header, tuple(rows)))
    return blocks


def _pictures(draw, alt: str) -> list[Block]:
    """A figure drawn by ``draw(bargain.plotting)`` as an embedded PNG, or a sentence saying
    why there is none (matplotlib missing)."""
    from . import plotting

    try:
        figure = draw(plotting)
    except MissingDependencyError as exc:
        return [Paragraph(f"No picture: {exc}.")]
    buffer = _io.BytesIO()
    figure.savefig(buffer, format="png", dpi=90)
    return [Picture(buffer.getvalue(), alt)]


def _figure_blocks(problem: Problem, title: str) -> list[Block]:
    blocks: list[Block] = [Heading(2, "The utility space")]
    if problem.n_parties < 2 or problem.space.continuous_issues:
        blocks.append(Paragraph("No picture: it needs two parties and discrete issues."))
        return blocks
    blocks += _pictures(
        lambda plotting: plotting.plot(problem, title=title),
        "Every allowed package in utility space, pair of parties by pair, with the Pareto "
        "frontier, the no-deal point and each concept's package.",
    )
    return blocks


# -- rendering -----------------------------------------------------------------------------

_STYLE = """
body { font-family: system-ui, sans-serif; max-width: 1200px; margin: 2em auto; padding: 0 1em;
       color: #222; line-height: 1.4; }
h1 { font-size: 1.6em; } h2 { margin-top: 1.6em; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.5em; vertical-align: top; text-align: left; }
th { background: #f0f0f0; } td.number { text-align: right; font-variant-numeric: tabular-nums; }
img { max-width: 100%; }
"""


def _cell_html(cell: object) -> str:
    if isinstance(cell, float):
        if not math.isfinite(cell):
            return '<td class="number">-</td>'
        return f'<td class="number" data-value="{cell!r}">{cell:.{DIGITS}f}</td>'
    return f"<td>{html.escape(str(cell))}</td>"


def _html(blocks: list[Block]) -> str:
    title = next((b.text for b in blocks if isinstance(b, Heading)), "Bargaining report")
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{html.escape(title)}</title><style>{_STYLE}</style></head><body>",
    ]
    for block in blocks:
        if isinstance(block, Heading):
            out.append(f"<h{block.level}>{html.escape(block.text)}</h{block.level}>")
        elif isinstance(block, Paragraph):
            out.append(f"<p>{html.escape(block.text)}</p>")
        elif isinstance(block, Table):
            out.append("<table><thead><tr>")
            out += [f"<th>{html.escape(h)}</th>" for h in block.header]
            out.append("</tr></thead><tbody>")
            for row in block.rows:
                out.append("<tr>" + "".join(_cell_html(c) for c in row) + "</tr>")
            out.append("</tbody></table>")
        elif block.png is not None:
            data = base64.b64encode(block.png).decode("ascii")
            out.append(
                f'<figure><img src="data:image/png;base64,{data}" alt="{html.escape(block.alt)}">'
                f"<figcaption>{html.escape(block.alt)}</figcaption></figure>"
            )
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def _md_text(text: str) -> str:
    """``text`` as Markdown shows it: ``&``, ``<`` and ``>`` as entities (a note or a name
    is never raw HTML in the page)."""
    return html.escape(text, quote=False)


def _md_cell(text: str) -> str:
    """:func:`_md_text` in a table cell: ``|`` escaped, on one line."""
    return _md_text(text).replace("|", "\\|").replace("\n", " ")


def _cell_markdown(cell: object) -> str:
    if isinstance(cell, float):
        return f"{cell:.{DIGITS}f}" if math.isfinite(cell) else "-"
    return _md_cell(str(cell))


def _markdown(blocks: list[Block]) -> str:
    out = []
    for block in blocks:
        if isinstance(block, Heading):
            out += ["#" * block.level + " " + _md_text(block.text), ""]
        elif isinstance(block, Paragraph):
            out += [_md_text(block.text), ""]
        elif isinstance(block, Table):
            out.append("| " + " | ".join(map(_md_cell, block.header)) + " |")
            out.append("|" + "|".join("---" for _ in block.header) + "|")
            out += ["| " + " | ".join(map(_cell_markdown, row)) + " |" for row in block.rows]
            out.append("")
        elif block.png is not None:
            data = base64.b64encode(block.png).decode("ascii")
            out += [f"![{_md_cell(block.alt)}](data:image/png;base64,{data})", ""]
    return "\n".join(out)


def report(
    problem: Problem,
    *,
    format: str = "html",
    name: str | None = None,
    chain: Chain | None = None,
    figure: bool = True,
    threats: bool = True,
    robust: bool = True,
) -> str:
    """The report on ``problem`` as HTML or Markdown text.

    Parameters
    ----------
    problem : Problem
    format : {"html", "markdown"}, default "html"
    name : str, optional
        The scenario's name, for the title when the problem has none.
    chain : Chain, optional
        A what-if chain (:func:`bargain.whatif_chain`) to include.
    figure : bool, default True
        Include the picture of the utility space (needs matplotlib; without it
        a sentence says so).
    threats : bool, default True
        Include how far each party's no-deal value can move (discrete problems).
    robust : bool, default True
        Include the robustness of the Nash package: Monte Carlo frequencies
        (:data:`ROBUSTNESS_DRAWS` draws, seed 0, over the scenario's
        ``uncertain`` notes or else :data:`ROBUSTNESS_NOISE`) and tipping points.
    """
    problem = require_problem(problem, "report")
    if format not in FORMATS:
        raise UnknownNameError(f"report: unknown format {format!r}; formats are {list(FORMATS)}")
    if chain is not None and not isinstance(chain, Chain):
        raise ValidationError(f"report: chain must be a bargain.whatif.Chain, got {chain!r}")
    blocks = _blocks(problem, name, chain, figure, threats, robust)
    return _html(blocks) if format == "html" else _markdown(blocks)


def write(
    problem: Problem,
    path: str | os.PathLike[str],
    *,
    format: str | None = None,
    **options: object,
) -> Path:
    """Write :func:`report` to ``path``; the format follows the suffix (``.md``: Markdown)
    unless given."""
    path = Path(path)
    if format is None:
        format = "markdown" if path.suffix.lower() in (".md", ".markdown") else "html"
    path.write_text(report(problem, format=format, **options), encoding="utf-8")
    return path
