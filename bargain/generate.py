"""Seeded random bargaining problems, for experiments, benchmarks and tests."""

from __future__ import annotations

import numpy as np

from ._checks import check_real
from .errors import BargainTypeError, ValidationError
from .problem import Party, Problem
from .space import Issue, OutcomeSpace
from .utility import AdditiveUtility, Rectangle, RectangleUtility

__all__ = ["random_interaction_problem", "random_problem", "random_rectangle_problem"]

DISAGREEMENT_SAMPLES = 4096
"""Random packages on which :func:`random_rectangle_problem` places disagreement values."""


def random_problem(
    n_parties: int,
    n_issues: int,
    n_options: int = 10,
    *,
    quantile: float = 0.5,
    powers: tuple[float, float] | None = (0.5, 1.5),
    rng: int | np.random.Generator | None = None,
) -> Problem:
    """A random additive problem, the standard instance of the benchmarks.

    Every party's option values are uniform in [0, 1], its issue weights are
    Dirichlet(1) (they sum to one), its power is uniform in ``powers`` (all 1
    when ``powers`` is None), and its disagreement value sits at ``quantile``
    of the way from its worst to its best utility over the space (0.5:
    midway). Parties are ``party0``, ``party1``, ...; issues ``issue0``, ...;
    options ``o0``, ``o1``, ...

    Examples
    --------
    >>> import bargain as bg
    >>> p = bg.random_problem(3, 4, 5, rng=0)
    >>> p.party_names, p.space.size
    (('party0', 'party1', 'party2'), 625)
    >>> bg.random_problem(3, 4, 5, rng=0) == p
    True
    """
    return random_interaction_problem(
        n_parties, n_issues, n_options, n_interactions=0, quantile=quantile, powers=powers, rng=rng
    )


def _integers(caller: str, **fields: object) -> None:
    for field, value in fields.items():
        if isinstance(value, bool) or not isinstance(value, int | np.integer):
            raise BargainTypeError(f"{caller}: {field} must be an integer, got {value!r}")
        if value < (0 if field == "n_interactions" else 1):
            raise ValidationError(f"{caller}: {field} is {value!r}, out of range")


def _space(n_issues: int, n_options: int) -> OutcomeSpace:
    return OutcomeSpace(
        [Issue(f"issue{k}", [f"o{j}" for j in range(n_options)]) for k in range(n_issues)]
    )


def _power_draw(caller: str, powers: tuple[float, float] | None):
    """A function drawing one party's power from ``rng`` (always 1 when ``powers`` is None)."""
    if powers is None:
        return lambda rng: 1.0
    low = check_real(powers[0], f"{caller}: powers[0]", minimum=0.0)
    high = check_real(powers[1], f"{caller}: powers[1]", minimum=low)
    return lambda rng: rng.uniform(low, high)


def random_interaction_problem(
    n_parties: int,
    n_issues: int,
    n_options: int = 10,
    *,
    n_interactions: int = 2,
    strength: float = 0.2,
    quantile: float = 0.5,
    powers: tuple[float, float] | None = (0.5, 1.5),
    rng: int | np.random.Generator | None = None,
) -> Problem:
    """A random additive problem with pairwise interaction tables (see :func:`random_problem`).

    Each party gets ``n_interactions`` tables on random pairs of distinct issues
    (at most one per pair), entries uniform in ``[-strength, strength]``. Its
    disagreement value sits at ``quantile`` of the way from a lower to an upper
    bound of its utility (the sums of the smallest, respectively largest,
    weighted values and table entries; exact without interactions). With
    ``n_interactions=0`` this is :func:`random_problem`, draw for draw.

    >>> import bargain as bg
    >>> p = bg.random_interaction_problem(2, 4, 3, n_interactions=2, rng=1)
    >>> len(p.terms), p.space.size
    (4, 81)
    """
    caller = "random_interaction_problem" if n_interactions else "random_problem"
    _integers(
        caller,
        n_parties=n_parties,
        n_issues=n_issues,
        n_options=n_options,
        n_interactions=n_interactions,
    )
    quantile = check_real(quantile, f"{caller}: quantile")
    strength = check_real(strength, f"{caller}: strength", minimum=0.0)
    draw_power = _power_draw(caller, powers)
    pairs = n_issues * (n_issues - 1) // 2
    if n_interactions > pairs:
        raise ValidationError(
            f"{caller}: n_interactions is {n_interactions}, but {n_issues} issues have only "
            f"{pairs} pairs"
        )
    rng = np.random.default_rng(rng)
    space = _space(n_issues, n_options)
    parties = []
    for j in range(n_parties):
        values = {issue.name: rng.random(n_options) for issue in space.issues}
        weights = dict(zip(values, rng.dirichlet(np.ones(n_issues))))
        low = sum(weights[k] * v.min() for k, v in values.items())
        high = sum(weights[k] * v.max() for k, v in values.items())
        power = draw_power(rng)
        interactions = {}
        if n_interactions:
            chosen = rng.choice(pairs, size=n_interactions, replace=False)
            first, second = np.triu_indices(n_issues, k=1)
            for c in sorted(chosen.tolist()):
                table = rng.uniform(-strength, strength, size=(n_options, n_options))
                interactions[(f"issue{first[c]}", f"issue{second[c]}")] = table
                low += table.min()
                high += table.max()
        parties.append(
            Party(
                f"party{j}",
                AdditiveUtility(values, weights, interactions or None),
                disagreement=low + quantile * (high - low),
                power=power,
            )
        )
    return Problem(space, parties)


def random_rectangle_problem(
    n_parties: int,
    n_issues: int,
    n_options: int = 10,
    *,
    n_rectangles: int = 100,
    max_width: int = 3,
    quantile: float = 0.5,
    normalized: bool = True,
    powers: tuple[float, float] | None = None,
    rng: int | np.random.Generator | None = None,
) -> Problem:
    """A random problem of rectangle (constraint) utilities, in the style of ANAC 2014.

    Each party gets ``n_rectangles`` rectangles, each over 1 to ``max_width``
    random issues with a random range of options on each, and an integer bonus
    uniform in 1..100. With ``normalized`` (default) the utility is divided by
    the sum of the bonuses and capped at 1, as GENIUS profiles do with
    ``maxutility``; otherwise it is the plain sum. A party's disagreement value
    is the ``quantile`` of its utility over :data:`DISAGREEMENT_SAMPLES` random
    packages.

    >>> import bargain as bg
    >>> p = bg.random_rectangle_problem(2, 5, 4, n_rectangles=10, rng=0)
    >>> len(p.terms), p.space.size
    (20, 1024)
    """
    caller = "random_rectangle_problem"
    _integers(
        caller,
        n_parties=n_parties,
        n_issues=n_issues,
        n_options=n_options,
        n_rectangles=n_rectangles,
        max_width=max_width,
    )
    quantile = check_real(quantile, f"{caller}: quantile", minimum=0.0)
    if quantile > 1:
        raise ValidationError(f"{caller}: quantile must be <= 1, got {quantile!r}")
    if not isinstance(normalized, bool):
        raise BargainTypeError(f"{caller}: normalized must be True or False, got {normalized!r}")
    draw_power = _power_draw(caller, powers)
    rng = np.random.default_rng(rng)
    space = _space(n_issues, n_options)
    width = min(max_width, n_issues)
    sample = rng.integers(0, n_options, size=(DISAGREEMENT_SAMPLES, n_issues))
    parties = []
    for j in range(n_parties):
        rectangles = []
        earned = np.zeros(DISAGREEMENT_SAMPLES)
        for _ in range(n_rectangles):
            issues = rng.choice(n_issues, size=int(rng.integers(1, width + 1)), replace=False)
            bonus = float(rng.integers(1, 101))
            ranges, inside = {}, np.ones(DISAGREEMENT_SAMPLES, dtype=bool)
            for k in sorted(issues.tolist()):
                low, high = sorted(rng.integers(0, n_options, size=2).tolist())
                ranges[f"issue{k}"] = (f"o{low}", f"o{high}")
                inside &= (sample[:, k] >= low) & (sample[:, k] <= high)
            rectangles.append(Rectangle(bonus, ranges))
            earned += inside * bonus
        options = {}
        if normalized:
            options = {"maximum": float(sum(r.bonus for r in rectangles)), "cap": 1.0}
            earned = np.minimum(1.0, earned / options["maximum"])
        parties.append(
            Party(
                f"party{j}",
                RectangleUtility(rectangles, **options),
                disagreement=float(np.quantile(earned, quantile)),
                power=draw_power(rng),
            )
        )
    return Problem(space, parties)
