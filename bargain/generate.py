"""Seeded random bargaining problems, for experiments, benchmarks and tests."""

from __future__ import annotations

import numpy as np

from ._checks import check_real
from .errors import BargainTypeError, ValidationError
from .problem import Party, Problem
from .space import Issue, OutcomeSpace
from .utility import AdditiveUtility

__all__ = ["random_problem"]


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
    for field, value in (
        ("n_parties", n_parties),
        ("n_issues", n_issues),
        ("n_options", n_options),
    ):
        if isinstance(value, bool) or not isinstance(value, int | np.integer):
            raise BargainTypeError(f"random_problem: {field} must be an integer, got {value!r}")
        if value < 1:
            raise ValidationError(f"random_problem: {field} must be >= 1, got {value!r}")
    quantile = check_real(quantile, "random_problem: quantile")
    if powers is not None:
        low_power = check_real(powers[0], "random_problem: powers[0]", minimum=0.0)
        high_power = check_real(powers[1], "random_problem: powers[1]", minimum=low_power)
    rng = np.random.default_rng(rng)
    space = OutcomeSpace(
        [Issue(f"issue{k}", [f"o{j}" for j in range(n_options)]) for k in range(n_issues)]
    )
    parties = []
    for j in range(n_parties):
        values = {issue.name: rng.random(n_options) for issue in space.issues}
        weights = dict(zip(values, rng.dirichlet(np.ones(n_issues))))
        low = sum(weights[k] * v.min() for k, v in values.items())
        high = sum(weights[k] * v.max() for k, v in values.items())
        power = 1.0 if powers is None else rng.uniform(low_power, high_power)
        parties.append(
            Party(
                f"party{j}",
                AdditiveUtility(values, weights),
                disagreement=low + quantile * (high - low),
                power=power,
            )
        )
    return Problem(space, parties)
