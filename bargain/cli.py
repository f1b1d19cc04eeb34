"""The ``bargain`` command line: scenarios in, solutions as text, JSON and pictures out.

Every command takes a built-in scenario name (``bargain scenarios`` lists them)
or the path of a scenario file or of a GENIUS/ANAC domain folder::

    bargain scenarios
    bargain show ukraine-2025 [--notes]
    bargain solve ukraine-2025 [--concept nash] [--json]
    bargain compare ukraine-2025 [--json]
    bargain frontier ukraine-2025 [--json]
    bargain plot ukraine-2025 -o talks.png

User mistakes (an unknown scenario, a bad file, an unknown concept, matplotlib
missing) print one line on stderr and exit with status 1 (2 for bad command
line syntax); there is no traceback.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path

from . import genius, io, scenarios
from .concepts import CONCEPTS, compare, solve
from .errors import BargainError
from .frontier import pareto_frontier
from .problem import Problem
from .solution import Frontier, Solution
from .space import ContinuousIssue
from .utility import AdditiveUtility

__all__ = ["main"]

USAGE_ERROR = 2
"""Exit status for a malformed command line (as argparse uses)."""

FAILURE = 1
"""Exit status for anything else the user got wrong: scenario, file, concept, extra."""

TEXT_WIDTH = 88
"""Where long free text (descriptions, notes) is wrapped."""


class _UsageError(Exception):
    """Raised instead of argparse's exit so that main() can return a status."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, no usage dump
        raise _UsageError(f"{self.prog}: {message}")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default ``sys.argv[1:]``); return the exit status."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except _UsageError as exc:
        print(f"bargain: error: {exc}", file=sys.stderr)
        return USAGE_ERROR
    except SystemExit as exc:  # --help and --version
        return int(exc.code or 0)
    try:
        args.run(args)
    except (BargainError, OSError, ImportError) as exc:
        print(f"bargain: error: {_one_line(exc)}", file=sys.stderr)
        return FAILURE
    return 0


def _one_line(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return " ".join(text.split())


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="bargain",
        description="Game-theoretic bargaining analysis of scenario files.",
    )
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    target = (
        "a built-in scenario name (see 'bargain scenarios'), a scenario file or a GENIUS "
        "domain folder"
    )

    listing = commands.add_parser("scenarios", help="list the built-in scenarios")
    listing.set_defaults(run=_scenarios)

    show = commands.add_parser("show", help="print a problem readably")
    show.add_argument("scenario", help=target)
    show.add_argument("--notes", action="store_true", help="also print every rationale")
    show.set_defaults(run=_show)

    concepts = list(CONCEPTS)
    solving = commands.add_parser("solve", help="the package one concept chooses")
    solving.add_argument("scenario", help=target)
    solving.add_argument("--concept", default=concepts[0], choices=concepts)
    solving.add_argument("--json", action="store_true", help="machine-readable output")
    solving.set_defaults(run=_solve)

    comparing = commands.add_parser("compare", help="every concept side by side")
    comparing.add_argument("scenario", help=target)
    comparing.add_argument("--json", action="store_true", help="machine-readable output")
    comparing.set_defaults(run=_compare)

    frontier = commands.add_parser("frontier", help="the Pareto frontier")
    frontier.add_argument("scenario", help=target)
    frontier.add_argument("--json", action="store_true", help="machine-readable output")
    frontier.set_defaults(run=_frontier)

    plotting = commands.add_parser("plot", help="draw the utility space (needs bargain[plot])")
    plotting.add_argument("scenario", help=target)
    plotting.add_argument("-o", "--output", required=True, type=Path, help="image file to write")
    plotting.set_defaults(run=_plot)
    return parser


def _problem(name: str) -> Problem:
    if name in scenarios.names():
        return scenarios.load(name)
    path = Path(name)
    if not path.exists():
        raise FileNotFoundError(
            f"no built-in scenario or file {name!r}; built-in scenarios are "
            f"{list(scenarios.names())}"
        )
    if path.is_dir():  # a GENIUS/ANAC domain folder
        return genius.load(path)
    return io.load(path)


# -- commands ------------------------------------------------------------------------------


def _scenarios(args: argparse.Namespace) -> None:
    names = scenarios.names()
    width = max(len(name) for name in names)
    for name in names:
        title = scenarios.load(name).notes.get(io.SCENARIO_PATH, {}).get("title", "")
        print(f"{name:<{width}}  {title}".rstrip())


def _show(args: argparse.Namespace) -> None:
    problem = _problem(args.scenario)
    print(_describe(problem, args.scenario, args.notes))


def _solve(args: argparse.Namespace) -> None:
    problem = _problem(args.scenario)
    solution = solve(problem, args.concept)
    if args.json:
        print(json.dumps(_solution_json(solution), indent=2))
    else:
        print(_heading(problem, args.scenario))
        print(solution)


def _compare(args: argparse.Namespace) -> None:
    problem = _problem(args.scenario)
    comparison = compare(problem)
    if args.json:
        solutions = [_solution_json(s) for s in comparison.solutions.values()]
        print(json.dumps(solutions, indent=2))
    else:
        print(_heading(problem, args.scenario))
        print(comparison)


def _frontier(args: argparse.Namespace) -> None:
    problem = _problem(args.scenario)
    frontier = pareto_frontier(problem)
    if args.json:
        print(json.dumps(_frontier_json(frontier), indent=2))
    else:
        print(_heading(problem, args.scenario))
        print(frontier)
        if len(frontier):
            print("\npackages")
            for index, outcome in zip(frontier.indices, frontier.outcomes()):
                print(f"{int(index):>10}  " + " / ".join(map(str, outcome.values())))


def _plot(args: argparse.Namespace) -> None:
    from .plot import plot

    problem = _problem(args.scenario)
    figure = plot(problem, title=_title(problem, args.scenario))
    figure.savefig(args.output, dpi=120)
    print(f"wrote {args.output}")


# -- text ----------------------------------------------------------------------------------


def _title(problem: Problem, name: str) -> str:
    return problem.notes.get(io.SCENARIO_PATH, {}).get("title", name)


def _heading(problem: Problem, name: str) -> str:
    parties = ", ".join(problem.party_names)
    continuous = len(problem.space.continuous_issues)
    size = f"{continuous} continuous" if continuous else f"{problem.space.size} packages"
    return (
        f"{_title(problem, name)}\n{len(problem.space.issues)} issues, {size}; parties {parties}\n"
    )


def _wrapped(text: str, indent: str = "  ") -> str:
    return textwrap.fill(text, TEXT_WIDTH, initial_indent=indent, subsequent_indent=indent * 2)


def _describe(problem: Problem, name: str, with_notes: bool) -> str:
    """The problem as text: issues, parties, the values table, red lines (and notes)."""
    scenario = problem.notes.get(io.SCENARIO_PATH, {})
    lines = [_heading(problem, name).rstrip()]
    for kind in ("description", "source"):
        if kind in scenario:
            lines.append(_wrapped(f"{kind}: {scenario[kind]}"))
    issues = problem.space.issues
    names = problem.party_names
    discrete = [issue for issue in issues if not isinstance(issue, ContinuousIssue)]
    label = max(12, *(len(issue.name) for issue in issues))
    label = max(label, *(len("  " + option) for issue in discrete for option in issue.options))
    width = max(7, *(len(n) for n in names))

    def row(head: str, cells: Sequence[str]) -> str:
        return f"{head:<{label}}  " + "  ".join(f"{cell:>{width}}" for cell in cells)

    lines += ["", row("", names)]
    lines.append(row("disagreement", [f"{p.disagreement:.4g}" for p in problem.parties]))
    lines.append(row("power", [f"{p.power:.4g}" for p in problem.parties]))
    lines.append("")
    lines.append("values of each option (and each issue's weight):")
    additive = [isinstance(p.utility, AdditiveUtility) for p in problem.parties]
    for issue in issues:
        weights = [
            f"x{p.utility.weights[issue.name]:.4g}" if plain else "-"
            for p, plain in zip(problem.parties, additive)
        ]
        lines.append(row(issue.name, weights))
        if isinstance(issue, ContinuousIssue):
            lines.append(f"  any number in [{issue.low:g}, {issue.high:g}], valued by")
            lines += [f"    {p.name}: {p.utility.values[issue.name]!r}" for p in problem.parties]
            continue
        tables = [
            [f"{v:.4g}" for v in _values(p, issue)] if plain else ["-"] * len(issue)
            for p, plain in zip(problem.parties, additive)
        ]
        for j, option in enumerate(issue.options):
            lines.append(row(f"  {option}", [t[j] for t in tables]))
    if not all(additive):
        lines += ["", "non-additive utilities ('-' above):"]
        lines += [f"  {p.name}: {p.utility!r}" for p, a in zip(problem.parties, additive) if not a]
    rules = [(p.name, rule) for p in problem.parties for rule in p.red_lines]
    if rules:
        lines += ["", "red lines (a package is excluded when it takes the listed options):"]
        who = max(len(n) for n, _ in rules)
        for owner, rule in rules:
            text = " and ".join(f"{i}: {_forbidden(options)}" for i, options in rule.items())
            lines.append(f"  {owner:<{who}}  {text}")
    if with_notes:
        lines += ["", "notes:"]
        for path, note in problem.notes.items():
            lines += [_wrapped(f"{path} {kind}: {text}") for kind, text in note.items()]
        for party in problem.parties:
            for path, note in party.notes.items():
                lines += [_wrapped(f"{party.name} {path} {k}: {t}") for k, t in note.items()]
    return "\n".join(lines)


def _forbidden(options: tuple) -> str:
    if all(isinstance(option, str) for option in options):
        return " | ".join(options)
    return f"strictly between {options[0]:g} and {options[1]:g}"


def _values(party, issue) -> list[float]:
    given = party.utility.values[issue.name]
    return [given[o] for o in issue.options] if isinstance(given, dict) else list(given)


# -- JSON ----------------------------------------------------------------------------------


def _number(value: float) -> float | None:
    """A float for JSON, None where JSON has no number (infinite scores)."""
    return float(value) if math.isfinite(value) else None


def _solution_json(solution: Solution) -> dict:
    problem = solution.problem
    return {
        "concept": solution.concept,
        "agreement": solution.agreement,
        "package": solution.outcome,
        "index": solution.index,
        "ties": list(solution.ties),
        "ties_truncated": solution.ties_truncated,
        "utilities": {k: _number(v) for k, v in solution.utilities.items()},
        "gains": {k: _number(v) for k, v in solution.gains.items()},
        "disagreement": dict(zip(problem.party_names, map(float, problem.disagreement))),
        "score": _number(solution.score),
        "lottery": None if solution.lottery is None else [list(x) for x in solution.lottery],
        "optimal": solution.optimal,
    }


def _frontier_json(frontier: Frontier) -> dict:
    names = frontier.problem.party_names
    return {
        "parties": list(names),
        "packages": [
            {
                "index": int(index),
                "package": outcome,
                "utilities": dict(zip(names, map(float, row))),
            }
            for index, outcome, row in zip(
                frontier.indices, frontier.outcomes(), frontier.utilities
            )
        ],
    }
