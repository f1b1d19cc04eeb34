"""Pictures of a problem's utility space (needs the ``plot`` extra: matplotlib).

:func:`plot` draws every allowed package as a point in utility space (a
uniform random sample of them when there are more than ``max_points``), the
Pareto frontier, the disagreement point and the package each solution concept
chooses, marked and labelled. Two parties get one panel; more parties get a
grid of pairwise projections. matplotlib is imported only when :func:`plot`
is called, and only its object-oriented API is used (no pyplot state).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from . import engine
from ._checks import check_int, check_real
from .concepts import compare
from .errors import BargainTypeError, MissingDependencyError, UnknownNameError, ValidationError
from .frontier import pareto_frontier
from .problem import Problem, require_discrete, require_problem
from .sensitivity import Robustness, TippingPoints

__all__ = [
    "DEFAULT_MAX_POINTS",
    "image_formats",
    "package_utilities",
    "plot",
    "plot_frequencies",
    "plot_tipping_points",
]

DEFAULT_MAX_POINTS = 20_000
"""Packages drawn at most; beyond this a uniform sample of allowed packages is drawn."""

PANEL_COLUMNS = 3
"""Columns of the grid of pairwise projections (for more than two parties)."""

LABEL_NEAR = 0.08
"""Labels of solution points closer than this fraction of the axes are stacked."""

_MARKERS = "o*sD^vP<>Xph"


def package_utilities(
    problem: Problem, max_points: int = DEFAULT_MAX_POINTS, rng: Any = 0
) -> tuple[np.ndarray, bool]:
    """Utilities of the allowed packages, shape ``(m, n_parties)``, and whether all are there.

    When at most ``max_points`` packages cross no red line they are all returned
    (in no particular order); otherwise ``max_points`` are drawn uniformly at
    random, with replacement, from the allowed packages (the engine's factors
    are exactly the allowed combinations, so drawing one combination per factor
    is uniform). ``rng`` seeds ``np.random.default_rng``. Utilities are the
    model's (:meth:`~bargain.Problem.utilities_of`: caps and interactions included).

    >>> import bargain as bg
    >>> p = bg.Problem.from_utilities([[5, 1], [1, 5], [2, 2]])
    >>> utilities, complete = package_utilities(p)
    >>> sorted(map(tuple, utilities.tolist())), complete
    ([(1.0, 5.0), (2.0, 2.0), (5.0, 1.0)], True)
    """
    compiled = engine.compiled(problem, loose=True)  # (terms too wide to fold stay loose)
    n = compiled.n_parties
    if compiled.empty:
        return np.empty((0, n)), True
    if compiled.indexable:
        offsets = [factor.offsets for factor in compiled.factors]
    else:  # exact Python-int index contributions: huge spaces' indices overflow int64
        offsets = [compiled.exact_offsets(factor) for factor in compiled.factors]
    dtype = offsets[0].dtype if offsets else np.int64
    complete = compiled.allowed_size <= max_points
    if complete:
        indices = np.zeros(1, dtype=dtype)
        for offset in offsets:
            indices = (indices[:, None] + offset[None, :]).reshape(-1)
    else:
        generator = np.random.default_rng(rng)
        indices = np.zeros(max_points, dtype=dtype)
        for offset in offsets:
            indices = indices + offset[generator.integers(0, offset.size, max_points)]
    return problem.utilities_of(indices), complete


def plot(
    problem: Problem,
    *,
    concepts: Sequence[str] | None = None,
    max_points: int = DEFAULT_MAX_POINTS,
    rng: Any = 0,
    title: str | None = None,
    panel_size: float = 4.5,
):
    """Draw the utility space of ``problem``; return the matplotlib ``Figure``.

    Parameters
    ----------
    problem : Problem
        At least two parties.
    concepts : sequence of str, optional
        The solution concepts to mark (default: every one in
        :data:`bargain.CONCEPTS`).
    max_points : int, default :data:`DEFAULT_MAX_POINTS`
        Packages drawn at most (see :func:`package_utilities`). The frontier,
        the disagreement point and the solutions are always exact.
    rng : seed or Generator, default 0
        For the sample, when one is drawn.
    title : str, optional
        The figure's title.
    panel_size : float, default 4.5
        Width and height of one panel, in inches.

    Returns
    -------
    matplotlib.figure.Figure
        Save it with ``figure.savefig("out.png")``.

    Examples
    --------
    >>> import bargain as bg
    >>> figure = bg.plot(bg.Problem.from_utilities([[5, 1], [1, 5], [2, 2]]))  # doctest: +SKIP
    >>> figure.savefig("space.png")  # doctest: +SKIP
    """
    problem = require_problem(problem, "plot")
    if problem.n_parties < 2:
        raise ValidationError(
            f"plot: the problem has {problem.n_parties} party; a utility space needs at least two"
        )
    require_discrete(problem, "plot")
    check_int(max_points, "plot: max_points", minimum=1)
    check_real(panel_size, "plot: panel_size", minimum=1.0)
    Figure = _figure_class("plot")

    names = problem.party_names
    points, complete = package_utilities(problem, int(max_points), rng)
    frontier = pareto_frontier(problem)
    solutions = compare(problem, None if concepts is None else list(concepts)).solutions
    pairs = list(itertools.combinations(range(len(names)), 2))
    columns = min(PANEL_COLUMNS, len(pairs))
    rows = math.ceil(len(pairs) / columns)
    figure = Figure(figsize=(panel_size * columns, panel_size * rows + 0.8), layout="constrained")
    axes = figure.subplots(rows, columns, squeeze=False).ravel()
    for ax in axes[len(pairs) :]:
        ax.set_visible(False)
    what = "packages" if complete else f"{len(points)} sampled packages"
    for ax, (i, j) in zip(axes, pairs):
        ax.scatter(points[:, i], points[:, j], s=6, color="0.75", label=what, rasterized=True)
        front = frontier.utilities
        if len(names) == 2 and len(front):
            order = np.argsort(front[:, i], kind="stable")
            ax.plot(front[order, i], front[order, j], color="C0", lw=1, alpha=0.6)
        ax.scatter(
            front[:, i],
            front[:, j],
            s=22,
            color="C0",
            label="Pareto frontier" + ("" if len(names) == 2 else " (projected)"),
            zorder=3,
        )
        d = problem.disagreement
        ax.axvline(d[i], color="k", lw=0.6, ls=":")
        ax.axhline(d[j], color="k", lw=0.6, ls=":")
        ax.scatter([d[i]], [d[j]], marker="x", s=60, color="k", label="disagreement", zorder=4)
        _mark_solutions(ax, solutions, i, j)
        ax.set_xlabel(f"utility of {names[i]}")
        ax.set_ylabel(f"utility of {names[j]}")
    handles, labels = axes[0].get_legend_handles_labels()
    figure.legend(handles, labels, loc="outside lower center", ncols=2 if columns == 1 else 4)
    if title:
        figure.suptitle(title)
    return figure


def image_formats() -> tuple[str, ...]:
    """The file extensions a figure can be saved as (``"png"``, ``"pdf"``, ...), sorted.

    Raises :class:`~bargain.MissingDependencyError` without matplotlib. The command
    line checks an output file against them before drawing (``bargain plot``).
    """
    _figure_class("plot")
    from matplotlib.backend_bases import FigureCanvasBase

    return tuple(sorted(FigureCanvasBase.get_supported_filetypes()))


def _mark_solutions(ax, solutions, i: int, j: int) -> None:
    """Mark each concept's package; concepts that chose the same point share one label.

    Markers shrink from one concept to the next so that coinciding ones stay
    visible, and the labels of nearby points are stacked instead of overlapping.
    """
    at: dict[tuple[float, float], list[str]] = {}
    for k, (concept, solution) in enumerate(solutions.items()):
        if not solution.agreement:  # nothing to mark: say so in the legend
            ax.plot([], [], " ", label=f"{concept}: no agreement")
            continue
        utilities = list(solution.utilities.values())
        point = (utilities[i], utilities[j])
        at.setdefault(point, []).append(concept)
        ax.scatter(
            [point[0]],
            [point[1]],
            marker=_MARKERS[k % len(_MARKERS)],
            s=max(30, 150 - 30 * k),
            color=f"C{k + 1}",
            edgecolors="k",
            linewidths=0.5,
            label=concept,
            zorder=5,
        )
    x_span = np.ptp(ax.get_xlim())
    y_span = np.ptp(ax.get_ylim())
    placed: list[tuple[float, float]] = []
    for (x, y), concepts in at.items():
        near = sum(
            abs(x - px) < LABEL_NEAR * x_span and abs(y - py) < LABEL_NEAR * y_span
            for px, py in placed
        )
        placed.append((x, y))
        ax.annotate(
            ", ".join(concepts),
            (x, y),
            xytext=(8 + 14 * near, 6 - 12 * near),
            arrowprops={"arrowstyle": "-", "lw": 0.5, "color": "0.3"} if near else None,
            textcoords="offset points",
            fontsize=8,
            zorder=6,
        )


def _figure_class(caller: str):
    """matplotlib's ``Figure``, or a clear error naming ``caller`` without matplotlib."""
    try:
        from matplotlib.figure import Figure
    except ImportError as exc:
        raise MissingDependencyError(
            f"{caller} needs matplotlib; install it with pip install 'bargaining[plot]'"
        ) from exc
    return Figure


def plot_tipping_points(points: TippingPoints, top: int = 15) -> Any:
    """A tornado chart of :func:`bargain.tipping_points`: the ``top`` numbers closest to
    flipping the deal, each a bar from the relative decrease to the relative increase
    that changes the package (relative to the row's ``scale``; "never" sides are
    drawn as arrows to the edge). Returns the matplotlib ``Figure``.

    >>> import bargain as bg
    >>> t = bg.tipping_points(bg.Problem.from_utilities([[4, 1], [2.5, 2.5], [1, 4]]))
    >>> bg.plot_tipping_points(t).savefig("tornado.png")  # doctest: +SKIP
    """
    if not isinstance(points, TippingPoints):
        raise BargainTypeError(
            f"plot_tipping_points: points must come from bg.tipping_points, got {points!r}"
        )
    top = check_int(top, "plot_tipping_points: top", minimum=1)
    Figure = _figure_class("plot_tipping_points")
    rows = [row for row in points.rows if math.isfinite(row.distance)][:top][::-1]
    figure = Figure(figsize=(8, 1.2 + 0.35 * max(1, len(rows))), layout="constrained")
    ax = figure.add_subplot()
    sides = [
        [None if x is None else (x - row.value) / row.scale for x in (row.lower, row.upper)]
        for row in rows
    ]
    reach = max([abs(x) for pair in sides for x in pair if x is not None] or [1.0]) * 1.15
    for y, (low, high) in enumerate(sides):
        for end, colour in ((low, "tab:blue"), (high, "tab:red")):
            if end is None:
                continue
            ax.barh(y, end, color=colour, alpha=0.8)
        for end, sign in ((low, -1), (high, 1)):
            if end is None:
                ax.annotate(
                    "never",
                    (sign * reach * 0.98, y),
                    ha="right" if sign > 0 else "left",
                    va="center",
                    fontsize=8,
                    color="grey",
                )
    ax.set_yticks(
        range(len(rows)), [" / ".join(map(str, row.selector)) for row in rows], fontsize=8
    )
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_xlim(-reach, reach)
    ax.set_xlabel("relative change that flips the package (down: blue, up: red)")
    ax.set_title(f"{points.concept}: numbers closest to flipping package {points.package}")
    return figure


def plot_frequencies(result: Robustness, issue: str | None = None, top: int = 10) -> Any:
    """A bar chart of a :func:`bargain.robustness` run: the ``top`` most frequent
    packages, or with ``issue`` the share of each of its options. Returns the
    matplotlib ``Figure``.

    >>> import bargain as bg
    >>> m = bg.robustness(bg.Problem.from_utilities([[4, 1], [2.5, 2.5]]), {}, draws=10)
    >>> bg.plot_frequencies(m).savefig("shares.png")  # doctest: +SKIP
    """
    if not isinstance(result, Robustness):
        raise BargainTypeError(
            f"plot_frequencies: result must come from bg.robustness, got {result!r}"
        )
    top = check_int(top, "plot_frequencies: top", minimum=1)
    if issue is not None and issue not in result.marginals:
        raise UnknownNameError(
            f"plot_frequencies: no issue {issue!r}; issues are {list(result.marginals)}"
        )
    Figure = _figure_class("plot_frequencies")
    if issue is None:
        shown = result.packages[:top]
        labels = ["no deal" if p.index is None else str(p.index) for p in shown]
        shares = [p.frequency for p in shown]
        title = f"{result.concept}: share of {result.draws} draws per package"
    else:
        labels, shares = list(result.marginals[issue]), list(result.marginals[issue].values())
        title = f"{result.concept}: {issue}, share of each option over {result.draws} draws"
    figure = Figure(figsize=(max(5, 0.6 * len(labels) + 2), 4), layout="constrained")
    ax = figure.add_subplot()
    colours = [
        "tab:orange" if issue is None and p.index == result.base else "tab:blue"
        for p in (shown if issue is None else [])
    ] or "tab:blue"
    ax.bar(range(len(labels)), shares, color=colours)
    ax.set_xticks(range(len(labels)), labels, rotation=30, ha="right", fontsize=8)
    ax.set_ylim(0, 1)
    ax.set_ylabel("share of draws")
    ax.set_title(title)
    return figure
