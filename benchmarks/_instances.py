"""Seeded random instances shared by the benchmarks.

Value tables uniform in [0, 1], weights Dirichlet(1) per party, powers uniform
in [0.5, 1.5]; each party's disagreement value sits at ``quantile`` between its
worst and best utility over the space (0.5: midway).
"""

from __future__ import annotations

import numpy as np

import bargain as bg


def random_problem(
    n_parties: int, n_issues: int, n_options: int = 10, quantile: float = 0.5, rng=None
) -> bg.Problem:
    rng = np.random.default_rng(rng)
    space = bg.OutcomeSpace(
        [bg.Issue(f"issue{k}", [f"o{j}" for j in range(n_options)]) for k in range(n_issues)]
    )
    parties = []
    for j in range(n_parties):
        values = {issue.name: rng.random(n_options) for issue in space.issues}
        weights = dict(zip(values, rng.dirichlet(np.ones(n_issues))))
        low = sum(weights[k] * v.min() for k, v in values.items())
        high = sum(weights[k] * v.max() for k, v in values.items())
        parties.append(
            bg.Party(
                f"party{j}",
                bg.AdditiveUtility(values, weights),
                disagreement=low + quantile * (high - low),
                power=rng.uniform(0.5, 1.5),
            )
        )
    return bg.Problem(space, parties)


def broadcast_nash(problem: bg.Problem) -> int:
    """The straightforward baseline: the full utility tensor, then argmax."""
    n_issues = len(problem.tables)
    total = 0
    for k, table in enumerate(problem.tables):
        shape = [problem.n_parties] + [1] * n_issues
        shape[k + 1] = table.shape[1]
        total = total + table.reshape(shape)
    utilities = total.reshape(problem.n_parties, -1)
    gains = utilities - problem.disagreement[:, None]
    rational = np.all(gains > 0, axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        score = np.where(rational, problem.powers @ np.log(np.where(rational, gains, 1.0)), -np.inf)
    return int(np.argmax(score))
