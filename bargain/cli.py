"""The ``bargain`` command line: scenarios in, solutions as text, JSON and pictures out.

Every command takes a built-in scenario name (``bargain scenarios`` lists them)
or the path of a scenario file or of a GENIUS/ANAC domain folder::

    bargain scenarios [--json]
    bargain show ukraine-2025 [--notes] [--json]
    bargain solve ukraine-2025 [--concept nash] [--json]
    bargain compare ukraine-2025 [--json]
    bargain frontier ukraine-2025 [--json]
    bargain plot ukraine-2025 -o talks.png
    bargain simulate ukraine-2025 [--strategy Russia=boulware] [--protocol alternating] [--json]
    bargain tournament DOMAIN_FOLDER... [--strategies boulware,linear] [--self-play] [--json]
    bargain report ukraine-2025 -o report.html [--format markdown]
    bargain ranking ukraine-2025 [-k 5] [--concept nash] [--json]
    bargain tipping ukraine-2025 [--concept nash] [--json]
    bargain whatif ukraine-2025 [--without PARTY] [--set PARTY/disagreement=0.4] [--json]
    bargain robustness ukraine-2025 [--draws N] [--noise values=0.05,weights=0.3] [--json]

User mistakes (an unknown scenario, a missing or bad file, an unknown concept,
an image format matplotlib cannot write, an output folder that does not exist,
matplotlib missing) print one line on stderr and exit with status 1 (2 for bad
command line syntax); there is no traceback. Output whose reader stops early
(``| head``) ends quietly with status 141. ``bargain`` alone prints the usage.
"""

from __future__ import annotations

import argparse
import dataclasses
import difflib
import json
import math
import os
import sys
import tomllib
from collections.abc import Callable, Sequence
from pathlib import Path

from . import __version__, genius, io, scenarios
from ._checks import counted
from .concepts import CONCEPTS, compare, solve
from .concepts.registry import wrapped as _wrapped
from .dynamics.protocols import DEFAULT_STRATEGY, PROTOCOLS, simulate
from .dynamics.strategies import BUILT_IN, by_name
from .errors import BargainError, ValidationError
from .frontier import pareto_frontier
from .problem import Problem
from .sensitivity import (
    ENUMERATE_LIMIT,
    FACE_NOISE,
    LARGE_SPACE_DRAWS,
    Noise,
    face_draws,
    noise,
    ranking,
    tipping_points,
)
from .sensitivity import robustness as monte_carlo
from .solution import Frontier, Solution
from .utility import AdditiveUtility
from .war import Estimate
from .whatif import whatif_chain

__all__ = ["main"]

USAGE_ERROR = 2
"""Exit status for a malformed command line (as argparse uses)."""

FAILURE = 1
"""Exit status for anything else the user got wrong: scenario, file, concept, extra."""

CLOSED_PIPE = 141
"""Exit status when the reader of the output went away (``bargain show ... | head``): 128 +
SIGPIPE, what cat or grep report, so that a ``set -o pipefail`` script sees cut output
as it would from them."""

PICTURE_DPI = 120
"""Resolution of the pictures ``bargain plot`` writes (dots per inch)."""

SIMILAR_NAME = 0.6
"""How alike (difflib's ratio) a mistyped scenario name and a built-in one must be
for the error to suggest the built-in one."""

PROG = "bargain"


class _UsageError(Exception):
    """Raised instead of argparse's exit so that main() can return a status."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, no usage dump
        command = self.prog.removeprefix(PROG).strip()  # "solve" for "bargain solve"
        raise _UsageError(f"{command}: {message}" if command else message)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default ``sys.argv[1:]``); return the exit status."""
    parser = _parser()
    argv = sys.argv[1:] if argv is None else list(argv)
    if not argv:  # nothing asked: say what can be asked
        parser.print_help(sys.stderr)
        return USAGE_ERROR
    try:
        args = parser.parse_args(argv)
    except _UsageError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return USAGE_ERROR
    except SystemExit as exc:  # --help and --version
        return int(exc.code or 0)
    try:
        args.run(args)
        sys.stdout.flush()  # a closed pipe shows here, not as a traceback at exit
    except BrokenPipeError:  # before OSError: the reader stopped, no mistake to report
        return _reader_gone()
    except (BargainError, OSError, ImportError) as exc:
        print(f"{PROG}: error: {_one_line(exc)}", file=sys.stderr)
        return FAILURE
    return 0


def _reader_gone() -> int:
    """Stop quietly once stdout's reader has closed the pipe."""
    # Python flushes stdout again at exit, which would fail on the closed pipe.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    return CLOSED_PIPE


def _one_line(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror and exc.filename:
        text = f"{exc.filename}: {exc.strerror}"  # not "[Errno 2] ..."
    else:
        text = str(exc) or type(exc).__name__
    return " ".join(text.split())


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="Game-theoretic bargaining analysis of scenario files.",
        epilog="'bargain COMMAND --help' describes a command.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    target = (
        "a built-in scenario name (see 'bargain scenarios'), a scenario file or a GENIUS "
        "domain folder"
    )

    listing = commands.add_parser("scenarios", help="list the built-in scenarios")
    listing.add_argument("--json", action="store_true", help="names and titles as JSON")
    listing.set_defaults(run=_scenarios)

    show = commands.add_parser("show", help="print a problem readably")
    show.add_argument("scenario", help=target)
    show.add_argument("--notes", action="store_true", help="also print every rationale")
    show.add_argument(
        "--json",
        action="store_true",
        help="the scenario file's contents, notes included, as JSON",
    )
    show.set_defaults(run=_show)

    concepts = list(CONCEPTS)
    solving = commands.add_parser("solve", help="the package one concept chooses")
    solving.add_argument("scenario", help=target)
    solving.add_argument(
        "--concept",
        default=concepts[0],
        choices=concepts,
        metavar="NAME",
        help=f"the solution concept: {', '.join(concepts)} (default: %(default)s)",
    )
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

    plotting = commands.add_parser(
        "plot", help="draw the utility space (needs the plot extra: bargaining[plot])"
    )
    plotting.add_argument("scenario", help=target)
    plotting.add_argument(
        "-o",
        "--output",
        required=True,
        type=Path,
        help="image file to write; its extension is the format (png, pdf, svg, ...)",
    )
    plotting.set_defaults(run=_plot)

    simulating = commands.add_parser(
        "simulate", help="one negotiation, offer by offer, under a protocol and strategies"
    )
    simulating.add_argument("scenario", help=target)
    simulating.add_argument("--protocol", default="alternating", choices=list(PROTOCOLS))
    simulating.add_argument(
        "--strategy",
        action="append",
        type=_party_strategy,
        default=[],
        metavar="PARTY=NAME",
        help=f"a party's built-in strategy ({', '.join(BUILT_IN)}); repeat for each party "
        f"(default: {DEFAULT_STRATEGY}; not with zeuthen, whose rule fixes every concession)",
    )
    simulating.add_argument(
        "--rounds",
        type=int,
        default=None,
        help="the deadline (default 100; zeuthen: none, it always ends)",
    )
    simulating.add_argument(
        "--first", metavar="PARTY", help="who proposes first (alternating; default: the first)"
    )
    simulating.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    simulating.add_argument("--json", action="store_true", help="machine-readable output")
    simulating.set_defaults(run=_simulate)

    playing = commands.add_parser(
        "tournament", help="every strategy against every other on the given problems"
    )
    playing.add_argument(
        "problems",
        nargs="+",
        metavar="DOMAIN",
        help="GENIUS domain folders (a domain file and its profiles), scenario names or files",
    )
    playing.add_argument(
        "--strategies",
        default="boulware,linear,conceder,titfortat",
        help="comma-separated built-in strategies (default: %(default)s; also hardliner)",
    )
    playing.add_argument("--repetitions", type=int, default=10, help="default: %(default)s")
    playing.add_argument(
        "--self-play",
        action="store_true",
        help="a strategy may also meet itself (needed when a problem has more parties than "
        "there are strategies)",
    )
    playing.add_argument(
        "--rounds", type=int, default=None, help="deadline of every negotiation (default 100)"
    )
    playing.add_argument("--protocol", default="alternating", choices=["alternating", "mediator"])
    playing.add_argument("--seed", type=int, default=0, help="root seed (default: %(default)s)")
    playing.add_argument("--json", action="store_true", help="machine-readable output")
    playing.set_defaults(run=_tournament)

    reporting = commands.add_parser(
        "report", help="the whole analysis as one self-contained HTML (or Markdown) file"
    )
    reporting.add_argument("scenario", help=target)
    reporting.add_argument("-o", "--output", required=True, type=Path, help="file to write")
    reporting.add_argument(
        "--format",
        choices=("html", "markdown"),
        help="default: markdown for a .md file, else html",
    )
    reporting.set_defaults(run=_report)
    ranked = commands.add_parser("ranking", help="the k best packages and their margins")
    ranked.add_argument("scenario", help=target)
    ranked.add_argument("-k", type=int, default=5, help="how many packages (default 5)")
    ranked.add_argument("--concept", default=concepts[0], choices=concepts)
    ranked.add_argument("--json", action="store_true", help="machine-readable output")
    ranked.set_defaults(run=_ranking)

    tipping = commands.add_parser("tipping", help="for every number, where the deal flips")
    tipping.add_argument("scenario", help=target)
    tipping.add_argument("--concept", default=concepts[0], choices=concepts)
    tipping.add_argument("--json", action="store_true", help="machine-readable output")
    tipping.set_defaults(run=_tipping)

    asking = commands.add_parser(
        "whatif",
        help="one change at a time, in the order given, solved after each",
        description="Apply the changes one at a time, in the order given, and solve after "
        "each: the package, each party's utility and its change. Without changes, a built-in "
        "scenario's own what-if chain.",
    )
    asking.add_argument("scenario", help=target)
    changes = (
        ("--without", _leaves, "PARTY", "the party leaves the table"),
        (
            "--set",
            _sets,
            "NUMBER=VALUE",
            "a number set to a value: PARTY/disagreement, PARTY/power, PARTY/weight/ISSUE or "
            "PARTY/value/ISSUE/OPTION (e.g. 'Ukraine/disagreement=0.2')",
        ),
        ("--settle", _settles, "ISSUE=OPTION", "the issue is settled at that option"),
        ("--drop", _drops, "ISSUE=OPTION", "the option leaves the table"),
    )
    for flag, change, metavar, meaning in changes:  # one list, in the order given
        asking.add_argument(
            flag, dest="changes", action="append", type=change, metavar=metavar, help=meaning
        )
    asking.add_argument("--concept", default=concepts[0], choices=concepts)
    asking.add_argument("--json", action="store_true", help="machine-readable output")
    asking.set_defaults(run=_whatif, changes=None)

    robust = commands.add_parser(
        "robustness", help="Monte Carlo over the scenario's uncertain numbers"
    )
    robust.add_argument("scenario", help=target)
    robust.add_argument(
        "--draws",
        type=int,
        default=None,
        help=f"default {DRAWS}; {LARGE_SPACE_DRAWS} on a space of more than {ENUMERATE_LIMIT} "
        "allowed packages, where each draw is a full solve",
    )
    robust.add_argument(
        "--noise",
        type=_noise,
        default=None,
        help="global noise, e.g. values=0.05,weights=0.3,disagreement=0.05 (default: the "
        "file's 'uncertain' notes, or that noise when it has none)",
    )
    robust.add_argument("--concept", default=concepts[0], choices=concepts)
    robust.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    robust.add_argument("--json", action="store_true", help="machine-readable output")
    robust.set_defaults(run=_robustness)
    return parser


def _problem(name: str) -> Problem:
    """A built-in scenario by name, a scenario file or a GENIUS domain folder by path."""
    built_in = scenarios.names()
    if not name:  # Path("") is the current folder
        raise ValidationError(
            "the scenario is '' (empty); give a built-in scenario name (see 'bargain "
            "scenarios'), a scenario file or a GENIUS domain folder"
        )
    if name in built_in:
        return scenarios.load(name)
    path = Path(name)
    if path.is_dir():  # a GENIUS/ANAC domain folder
        return genius.load(path)
    if path.exists():
        return io.load(path)
    if path.suffix or len(path.parts) > 1:  # meant as a file
        raise FileNotFoundError(f"scenario file {name!r} does not exist")
    close = difflib.get_close_matches(name, built_in, n=1, cutoff=SIMILAR_NAME)
    hint = f"did you mean {close[0]!r}? " if close else ""
    raise FileNotFoundError(
        f"no built-in scenario or file {name!r}; {hint}built-in scenarios are {list(built_in)}"
    )


def _image(path: Path) -> Path:
    """Check, before any work, that a picture can be written at ``path``."""
    from .plotting import image_formats

    formats = image_formats()
    suffix = path.suffix.removeprefix(".").lower()
    if suffix not in formats:
        problem = f"{suffix!r} is not an image format" if suffix else "give it an extension"
        raise ValidationError(
            f"cannot write {str(path)!r}: {problem}; supported formats are {', '.join(formats)}"
        )
    return _writable(path)


def _writable(path: Path) -> Path:
    """Check, before any work, that the folder ``path`` is to be written in exists."""
    folder = path.parent
    if not folder.is_dir():
        state = "is not a folder" if folder.exists() else "does not exist"
        raise ValidationError(f"cannot write {str(path)!r}: folder {str(folder)!r} {state}")
    return path


# -- commands ------------------------------------------------------------------------------


def _scenarios(args: argparse.Namespace) -> None:
    titles = {name: _title(scenarios.load(name), "") for name in scenarios.names()}
    if args.json:
        print(json.dumps([{"name": n, "title": t} for n, t in titles.items()], indent=2))
        return
    width = max(len(name) for name in titles)
    for name, title in titles.items():
        print(f"{name:<{width}}  {title}".rstrip())


def _show(args: argparse.Namespace) -> None:
    problem = _problem(args.scenario)
    if args.json:  # the scenario file's document: its schema is the README's
        print(json.dumps(tomllib.loads(io.dumps(problem)), indent=2))
    else:
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
    from .plotting import plot  # matplotlib is imported only for pictures

    problem = _problem(args.scenario)
    _image(args.output)
    figure = plot(problem, title=_title(problem, args.scenario))
    figure.savefig(args.output, dpi=PICTURE_DPI)
    print(f"wrote {args.output}")


def _party_strategy(text: str) -> tuple[str, str]:
    return _pair(text, "PARTY=NAME (e.g. Russia=boulware)")


def _simulate(args: argparse.Namespace) -> None:
    problem = _problem(args.scenario)
    if args.protocol == "zeuthen" and args.strategy:
        raise ValidationError(
            "simulate: --strategy does not apply to the zeuthen protocol, whose rule fixes "
            "every concession"
        )
    chosen = dict(args.strategy)
    strategies = {party: by_name(name) for party, name in chosen.items()}
    trace = simulate(
        problem,
        args.protocol,
        strategies=None if args.protocol == "zeuthen" else strategies,
        rounds=args.rounds,
        rng=args.seed,
        first=args.first,
    )
    played = None
    if args.protocol != "zeuthen":  # who played what, the unnamed parties' default too
        played = {name: chosen.get(name, DEFAULT_STRATEGY) for name in problem.party_names}
    if args.json:
        print(json.dumps({**trace.to_dict(), "strategies": played, "seed": args.seed}, indent=2))
        return
    print(_heading(problem, args.scenario))
    if played is not None:
        print("strategies: " + ", ".join(f"{party} {name}" for party, name in played.items()))
    print(trace)
    print()
    if trace.agreement:
        print(f"agreement on package {trace.index} in round {trace.round}:")
        for issue, option in trace.outcome.items():
            print(f"  {issue}: {option}")
    else:
        print("no agreement: every party gets its no-deal value")
    print("utilities: " + ", ".join(f"{party} {u:.3f}" for party, u in trace.utilities.items()))


def _tournament(args: argparse.Namespace) -> None:
    from .dynamics import tournament

    problems = {}
    for name in args.problems:
        path = Path(name)
        label = (path.name if path.is_dir() else path.stem) if path.exists() else name
        problems[label] = _problem(name)
    strategies = [name.strip() for name in args.strategies.split(",") if name.strip()]
    # Checked here, not left to tournament(): its message names the library's
    # self_play=True, and the remedy here is a flag. (No strategy at all is its error.)
    if strategies and not args.self_play:
        for label, problem in problems.items():
            if problem.n_parties > len(strategies):
                raise ValidationError(
                    f"tournament: problem {label!r} has {problem.n_parties} parties but "
                    f"--strategies names only {counted(len(strategies), 'strategy', 'strategies')}"
                    "; name more, or add --self-play to let a strategy meet itself"
                )
    result = tournament(
        problems,
        strategies,
        protocol=args.protocol,
        rounds=args.rounds,
        repetitions=args.repetitions,
        rng=args.seed,
        self_play=args.self_play,
    )
    if args.json:
        print(json.dumps(result.to_dict(), indent=2))
    else:
        print(result)


def _report(args: argparse.Namespace) -> None:
    from .report import write

    problem = _problem(args.scenario)
    _writable(args.output)
    steps = scenarios.whatifs(args.scenario) if args.scenario in scenarios.names() else []
    chain = whatif_chain(problem, steps) if steps else None
    path = write(problem, args.output, format=args.format, name=args.scenario, chain=chain)
    print(f"wrote {path}")


def _ranking(args: argparse.Namespace) -> None:
    problem = _problem(args.scenario)
    result = ranking(problem, args.k, concept=args.concept)
    if args.json:
        print(json.dumps(_finite(result.to_dict()), indent=2))
    else:
        print(_heading(problem, args.scenario))
        print(result)


def _tipping(args: argparse.Namespace) -> None:
    problem = _problem(args.scenario)
    with _progress(len(problem.selectors()), "number") as progress:
        result = tipping_points(problem, args.concept, progress=progress)
    if args.json:
        print(json.dumps(_finite(result.to_dict()), indent=2))
    else:
        print(_heading(problem, args.scenario))
        print(result)


def _pair(text: str, shape: str) -> tuple[str, str]:
    """``text`` split at its last ``=`` into two non-empty parts, or a usage error (argparse
    names the option)."""
    left, equals, right = text.rpartition("=")
    if not equals or not left.strip() or not right.strip():
        raise argparse.ArgumentTypeError(f"expected {shape}, got {text!r}")
    return left.strip(), right.strip()


def _leaves(party: str) -> tuple[str, Callable[[Problem], Problem]]:
    return f"{party} leaves the table", lambda problem: problem.without(party)


def _sets(text: str) -> tuple[str, Callable[[Problem], Problem]]:
    number, value = _pair(text, "NUMBER=VALUE (e.g. 'Ukraine/disagreement=0.2')")
    selector = tuple(part.strip() for part in number.split("/"))
    try:
        amount = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number") from None
    label = f"{' / '.join(selector)} set to {amount:g}"
    return label, lambda problem: problem.with_number(selector, amount)


def _settles(text: str) -> tuple[str, Callable[[Problem], Problem]]:
    issue, option = _pair(text, "ISSUE=OPTION")
    return f"{issue} settled: {option}", lambda problem: problem.settle(issue, option)


def _drops(text: str) -> tuple[str, Callable[[Problem], Problem]]:
    issue, option = _pair(text, "ISSUE=OPTION")
    return f"{issue}: {option} off the table", lambda problem: problem.drop_option(issue, option)


def _whatif(args: argparse.Namespace) -> None:
    problem = _problem(args.scenario)
    steps = args.changes
    if not steps and args.scenario in scenarios.names():
        steps = scenarios.whatifs(args.scenario)
    if not steps:
        raise ValidationError(
            "whatif: give at least one change (--without, --set, --settle or --drop); only "
            "some built-in scenarios have a what-if chain of their own"
        )
    chain = whatif_chain(problem, steps, args.concept)
    if args.json:
        print(json.dumps(_finite(chain.to_dict()), indent=2))
    else:
        print(_heading(problem, args.scenario))
        print(chain)


DRAWS = 10_000
"""``bargain robustness``'s draws on a space scored whole
(:data:`bargain.sensitivity.LARGE_SPACE_DRAWS` on larger ones)."""


def _noise(text: str) -> Noise:
    fields = {}
    for part in text.split(","):
        name, _, value = part.partition("=")
        try:
            fields[name.strip()] = float(value)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"--noise takes name=number pairs separated by commas, got {text!r}"
            ) from None
    unknown = set(fields) - {"values", "weights", "disagreement", "powers"}
    if unknown:
        raise argparse.ArgumentTypeError(
            f"--noise: unknown field(s) {sorted(unknown)}; fields are values, weights, "
            "disagreement, powers"
        )
    try:
        return noise(**fields)
    except BargainError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _robustness(args: argparse.Namespace) -> None:
    problem = _problem(args.scenario)
    uncertainty = io.uncertainty(problem)
    model = args.noise
    if model is None and not uncertainty:
        model = noise(**FACE_NOISE)
    draws = face_draws(problem, DRAWS) if args.draws is None else args.draws
    with _progress(draws, "draw") as progress:
        result = monte_carlo(
            problem,
            uncertainty,
            noise=model,
            draws=draws,
            concept=args.concept,
            rng=args.seed,
            progress=progress,
        )
    if args.json:
        used = {
            "uncertain": [list(selector) for selector in uncertainty],
            "noise": None if model is None else dataclasses.asdict(model),
        }
        print(json.dumps(_finite({**result.to_dict(), **used}), indent=2))
        return
    print(_heading(problem, args.scenario))
    if uncertainty:
        print("uncertain numbers: " + "; ".join(" / ".join(s) for s in uncertainty))
    if model is not None:
        print(f"noise: {model}")
    print(result)


class _progress:
    """A tqdm bar of ``count`` ``unit``s on a terminal (when tqdm is installed), nothing
    when piped."""

    def __init__(self, count: int, unit: str) -> None:
        self.bar = None
        if sys.stderr.isatty():
            try:
                from tqdm import tqdm
            except ImportError:
                return
            self.bar = tqdm(total=count, unit=unit, file=sys.stderr, leave=False)
        self.count = count

    def __enter__(self):
        if self.bar is None:
            return None

        def update(done: int, total: int) -> None:
            self.bar.n = round(self.count * done / total)
            self.bar.refresh()

        return update

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.close()


def _finite(data: object) -> object:
    """JSON has no infinity: infinite floats become None."""
    if isinstance(data, dict):
        return {k: _finite(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [_finite(v) for v in data]
    if isinstance(data, float) and not math.isfinite(data):
        return None
    return data


# -- text ----------------------------------------------------------------------------------


def _title(problem: Problem, name: str) -> str:
    return problem.notes.get(io.SCENARIO_PATH, {}).get("title", name)


def _heading(problem: Problem, name: str) -> str:
    parties = ", ".join(problem.party_names)
    continuous = len(problem.space.continuous_issues)
    size = f"{continuous} continuous" if continuous else counted(problem.space.size, "package")
    issues = counted(len(problem.space.issues), "issue")
    return f"{_title(problem, name)}\n{issues}, {size}; parties {parties}\n"


def _describe(problem: Problem, name: str, with_notes: bool) -> str:
    """The problem as text: issues, parties and observers, the values table, interactions,
    red lines, the war model (and notes)."""
    scenario = problem.notes.get(io.SCENARIO_PATH, {})
    lines = [_heading(problem, name).rstrip()]
    for kind in ("description", "source"):
        if kind in scenario:
            lines.append(_wrapped(f"{kind}: {scenario[kind]}"))
    issues = problem.space.issues
    members = (*problem.parties, *problem.observers)  # observers' columns last
    names = [p.name for p in members]
    discrete = [issue for issue in issues if not issue.is_continuous]
    label = max(12, *(len(issue.name) for issue in issues))
    label = max(label, *(len("  " + option) for issue in discrete for option in issue.options))
    width = max(7, *(len(n) for n in names))

    def row(head: str, cells: Sequence[str]) -> str:
        return f"{head:<{label}}  " + "  ".join(f"{cell:>{width}}" for cell in cells)

    lines += ["", row("", names)]
    observers = len(problem.observers)
    if observers:  # no veto, not bargaining: their power is unused
        lines.append(row("", ["party"] * len(problem.parties) + ["observer"] * observers))
    lines.append(row("disagreement", [f"{p.disagreement:.4g}" for p in members]))
    lines.append(row("power", [f"{p.power:.4g}" for p in problem.parties] + ["-"] * observers))
    lines.append("")
    lines.append("values of each option (and each issue's weight):")
    additive = [isinstance(p.utility, AdditiveUtility) for p in members]
    for issue in issues:
        weights = [
            f"x{p.utility.weights[issue.name]:.4g}" if plain else "-"
            for p, plain in zip(members, additive)
        ]
        lines.append(row(issue.name, weights))
        if issue.is_continuous:
            lines.append(f"  any number in [{issue.low:g}, {issue.high:g}], valued by")
            lines += [f"    {p.name}: {p.utility.values[issue.name]!r}" for p in members]
            continue
        tables = [
            [f"{v:.4g}" for v in _values(p, issue)] if plain else ["-"] * len(issue)
            for p, plain in zip(members, additive)
        ]
        for j, option in enumerate(issue.options):
            lines.append(row(f"  {option}", [t[j] for t in tables]))
    interactions = [
        (p.name, together, table)
        for p, plain in zip(members, additive)
        if plain
        for together, table in p.utility.interactions.items()
    ]
    if interactions:
        lines += ["", "interactions, added to the values above as written (not weighted):"]
        lines.append("  table[i][j]: the first issue at its i-th option, the second at its j-th")
        for owner, together, table in interactions:
            cells = io._nested(table.tolist(), lambda number: f"{number:.4g}")
            lines.append(_wrapped(f"{owner}  {' x '.join(together)}: {cells}"))
    if not all(additive):
        lines += ["", "non-additive utilities ('-' above):"]
        lines += [f"  {p.name}: {p.utility!r}" for p, a in zip(members, additive) if not a]
    rules = [(p.name, rule) for p in problem.parties for rule in p.red_lines]
    if rules:
        lines += ["", "red lines (a package is excluded when it takes the listed options):"]
        who = max(len(n) for n, _ in rules)
        for owner, rule in rules:
            text = " and ".join(f"{i}: {_forbidden(options)}" for i, options in rule.items())
            lines.append(f"  {owner:<{who}}  {text}")
    war = problem.war
    if war is not None:
        lines += ["", "no-deal values from continued war: a fighting party's expected utility of"]
        lines.append("how the war ends, minus its cost of fighting")
        for outcome in war.outcomes:
            package = "; ".join(f"{issue}: {option}" for issue, option in outcome.package.items())
            chance = _estimate(outcome.probability)
            lines.append(_wrapped(f"{outcome.name}, probability {chance}: {package}"))
        costs = ", ".join(f"{who} {_estimate(cost)}" for who, cost in war.costs.items())
        lines.append(_wrapped(f"cost of fighting: {costs}"))
    if with_notes:
        lines += ["", "notes:"]
        for path, note in problem.notes.items():
            lines += [_wrapped(f"{path} {kind}: {text}") for kind, text in note.items()]
        for party in members:
            observer = party.name in problem.observer_names
            owner = f"{party.name} (observer)" if observer else party.name
            for path, note in party.notes.items():
                lines += [_wrapped(f"{owner} {path} {k}: {t}") for k, t in note.items()]
        for path, note in {} if war is None else war.notes.items():
            path = io.WAR_PATH if path == io.WAR_PATH else f"{io.WAR_PATH}.{path}"
            lines += [_wrapped(f"{path} {kind}: {text}") for kind, text in note.items()]
    return "\n".join(lines)


def _estimate(estimate: Estimate) -> str:
    """``0.3`` or, with a range, ``0.3 (0.15 to 0.45)``."""
    span = estimate.span(".4g")
    return f"{estimate.value:.4g}" + ("" if span is None else f" ({span})")


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
        # observers hold no veto: apart from the parties, as Solution keeps them
        "observer_utilities": solution.observer_utilities,
        "observer_disagreement": problem.observer_disagreement(),
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
