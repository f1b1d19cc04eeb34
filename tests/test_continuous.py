"""Continuous issues: closed-form solutions of every concept, axioms, red lines on
intervals, mixed spaces, and clear errors for bad input."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import bargain as bg

from .strategies import continuous_problems

TOL = 1e-6


def pie(u_a, u_b, disagreement=(0.0, 0.0), powers=(1.0, 1.0), red_lines=((), ())) -> bg.Problem:
    """Two parties splitting ``share`` in [0, 1]; party A gets ``share``."""
    space = bg.OutcomeSpace([bg.Issue.continuous("share", 0.0, 1.0)])
    parties = [
        bg.Party(name, bg.AdditiveUtility({"share": u}), d, p, list(lines))
        for name, u, d, p, lines in zip("AB", (u_a, u_b), disagreement, powers, red_lines)
    ]
    return bg.Problem(space, parties)


def share(solution: bg.Solution) -> float:
    return solution.outcome["share"]


LINEAR_B = bg.shapes.linear(-1.0, 1.0)  # u_B = 1 - x


# -- closed forms ---------------------------------------------------------------------------


@pytest.mark.parametrize("a", [0.25, 0.5, 0.75, 1.0])
def test_nash_pie_with_power_utility(a):
    """u_A = x^a, u_B = 1 - x, d = 0: maximize a log x + log(1 - x), so
    a / x = 1 / (1 - x) and x* = a / (1 + a)."""
    for u_a in (bg.shapes.power(a), lambda x: x**a):
        solution = bg.nash(pie(u_a, LINEAR_B))
        assert share(solution) == pytest.approx(a / (1 + a), abs=TOL)
        assert solution.index is None and solution.ties == () and solution.agreement


def test_the_issue_example_with_numpy_and_lambda_callables():
    """u_A = sqrt(x), u_B = 1 - x: Nash at x = 1/3 (a = 1/2 above)."""
    solution = bg.nash(pie(np.sqrt, lambda x: 1 - x))
    assert share(solution) == pytest.approx(1 / 3, abs=TOL)
    assert solution.utilities["A"] == pytest.approx(math.sqrt(1 / 3), abs=TOL)
    assert not solution.optimal  # plain callables: multi-start, nothing proven
    assert bg.nash(pie(bg.shapes.power(0.5), LINEAR_B)).optimal


@given(
    st.integers(1, 12).map(lambda k: k / 4),
    st.integers(1, 12).map(lambda k: k / 4),
    st.integers(1, 8).map(lambda k: k / 4),
    st.integers(1, 8).map(lambda k: k / 4),
)
def test_linear_pie_closed_forms(p, q, slope_a, slope_b):
    """u_A = a x, u_B = b (1 - x), d = 0, powers (p, q):
    Nash maximizes p log x + q log(1 - x): x* = p / (p + q), whatever a and b;
    KS: the ideal is (a, b), so x = 1 - x: x* = 1/2;
    egalitarian: a x = b (1 - x): x* = b / (a + b); with weights (w, 1): a x / w = b (1 - x)."""
    problem = pie(bg.shapes.linear(slope_a), bg.shapes.linear(-slope_b, slope_b), powers=(p, q))
    assert share(bg.nash(problem)) == pytest.approx(p / (p + q), abs=TOL)
    assert share(bg.kalai_smorodinsky(problem)) == pytest.approx(0.5, abs=TOL)
    assert share(bg.egalitarian(problem)) == pytest.approx(slope_b / (slope_a + slope_b), abs=TOL)
    w = p
    proportional = bg.egalitarian(problem, weights=[w, 1.0])
    assert share(proportional) == pytest.approx(w * slope_b / (slope_a + w * slope_b), abs=TOL)


def test_kalai_smorodinsky_and_egalitarian_on_the_square_root_frontier():
    """u_A = sqrt(x), u_B = 1 - x, d = 0. The ideal point is (1, 1), so KS and the
    egalitarian solution both solve sqrt(x) = 1 - x: with s = sqrt(x), s^2 + s - 1 = 0,
    s = (sqrt(5) - 1) / 2 and x* = s^2 = (3 - sqrt(5)) / 2."""
    problem = pie(bg.shapes.power(0.5), LINEAR_B)
    expected = (3 - math.sqrt(5)) / 2
    ks = bg.kalai_smorodinsky(problem)
    assert share(ks) == pytest.approx(expected, abs=TOL)
    assert ks.stats["ideal"] == pytest.approx({"A": 1.0, "B": 1.0}, abs=TOL)
    assert ks.score == pytest.approx(math.sqrt(expected), abs=TOL)
    assert share(bg.egalitarian(problem)) == pytest.approx(expected, abs=TOL)


def test_utilitarian_closed_forms():
    """u_A = sqrt(x), u_B = 1 - x: maximize sqrt(x) + 1 - x, 1 / (2 sqrt x) = 1, x* = 1/4.
    With B's weight 2: 1 / (2 sqrt x) = 2, x* = 1/16."""
    solution = bg.utilitarian(pie(bg.shapes.power(0.5), LINEAR_B))
    assert share(solution) == pytest.approx(0.25, abs=TOL)
    assert solution.score == pytest.approx(1.25, abs=1e-9)
    doubled = bg.utilitarian(pie(bg.shapes.power(0.5), bg.shapes.linear(-2.0, 2.0)))
    assert share(doubled) == pytest.approx(1 / 16, abs=TOL)


def test_disagreement_values_are_used_as_given():
    """u_A = x, u_B = 1 - x, d = (0.2, 0.1): Nash maximizes log(x - 0.2) + log(0.9 - x),
    x* = 0.55; the ideal is (0.9, 0.8), gains (0.7, 0.7): KS x - 0.2 = 0.9 - x, 0.55 too;
    d = (0.6, 0.6) leaves nothing to share: no agreement."""
    problem = pie(bg.shapes.linear(), LINEAR_B, disagreement=(0.2, 0.1))
    assert share(bg.nash(problem)) == pytest.approx(0.55, abs=TOL)
    assert share(bg.kalai_smorodinsky(problem)) == pytest.approx(0.55, abs=TOL)
    for concept in bg.CONCEPTS:
        solution = bg.solve(pie(bg.shapes.linear(), LINEAR_B, disagreement=(0.6, 0.6)), concept)
        assert not solution.agreement and solution.outcome is None
        assert solution.utilities == {"A": 0.6, "B": 0.6}


def test_two_continuous_issues():
    """u_A = sqrt(s) + sqrt(t), u_B = (1 - s) + (1 - t): the Nash objective is concave and
    symmetric in (s, t), so s = t at the optimum, and log(2 sqrt s) + log(2 (1 - s))
    gives s = t = 1/3."""
    space = bg.OutcomeSpace([bg.Issue.continuous("s", 0, 1), bg.Issue.continuous("t", 0, 1)])
    a = bg.Party("A", bg.AdditiveUtility({"s": bg.shapes.power(0.5), "t": bg.shapes.power(0.5)}))
    b = bg.Party("B", bg.AdditiveUtility({"s": LINEAR_B, "t": LINEAR_B}))
    solution = bg.nash(bg.Problem(space, [a, b]))
    assert solution.outcome["s"] == pytest.approx(1 / 3, abs=TOL)
    assert solution.outcome["t"] == pytest.approx(1 / 3, abs=TOL)


def test_piecewise_linear_values():
    """u_A through (0,0), (0.5,0.8), (1,1); u_B = 1 - x. On [0, 0.5] u_A = 1.6 x and
    the Nash first-order condition 1/x = 1/(1-x) gives x = 1/2, the kink; on the right
    piece u_A = 0.6 + 0.4 x, d/dx log = 0.4/(0.6 + 0.4 x) - 1/(1 - x) < 0 at 1/2:
    x* = 1/2 exactly."""
    u_a = bg.shapes.piecewise_linear([(0, 0), (0.5, 0.8), (1, 1)])
    solution = bg.nash(pie(u_a, LINEAR_B))
    assert share(solution) == pytest.approx(0.5, abs=TOL)
    assert solution.optimal


# -- axioms on continuous problems ---------------------------------------------------------


@pytest.mark.parametrize("concept", ["nash", "kalai_smorodinsky"])
def test_scale_invariance(concept):
    """u_A = 3 sqrt(x) + 1 with d_A = 1 is an affine image of sqrt(x) with d_A = 0."""
    base = pie(bg.shapes.power(0.5), LINEAR_B)
    moved = pie(lambda x: 3 * np.sqrt(x) + 1, LINEAR_B, disagreement=(1.0, 0.0))
    assert share(bg.solve(moved, concept)) == pytest.approx(share(bg.solve(base, concept)), abs=TOL)


def test_egalitarian_and_utilitarian_are_not_scale_invariant():
    """u_A = x vs 2x, u_B = 1 - x: egalitarian x = 1/2 vs 2x = 1 - x, x = 1/3;
    u_A = sqrt(x) vs 2 sqrt(x): utilitarian x = 1/4 vs 1/sqrt(x) = 1, x = 1 (A's best)."""
    assert share(bg.egalitarian(pie(bg.shapes.linear(), LINEAR_B))) == pytest.approx(0.5, abs=TOL)
    doubled = pie(bg.shapes.linear(2.0), LINEAR_B)
    assert share(bg.egalitarian(doubled)) == pytest.approx(1 / 3, abs=TOL)
    assert share(bg.utilitarian(pie(bg.shapes.power(0.5), LINEAR_B))) == pytest.approx(
        0.25, abs=TOL
    )
    doubled = pie(bg.shapes.power(0.5, scale=2.0), LINEAR_B)
    assert share(bg.utilitarian(doubled)) == pytest.approx(1.0, abs=TOL)


def test_kalai_smorodinsky_is_individually_monotone_and_nash_may_not_be():
    """Replacing u_A = x by sqrt(x) >= x keeps the ideal point (1, 1) and enlarges the
    set for A at every level of B's utility: KS gives A more (1/2 -> 0.618...). Nash
    moves the share against A (1/2 -> 1/3) although A's utility rises (0.5 -> 0.577)."""
    linear, concave = pie(bg.shapes.linear(), LINEAR_B), pie(bg.shapes.power(0.5), LINEAR_B)
    before = bg.kalai_smorodinsky(linear).utilities["A"]
    after = bg.kalai_smorodinsky(concave).utilities["A"]
    assert before == pytest.approx(0.5, abs=TOL)
    assert after == pytest.approx((math.sqrt(5) - 1) / 2, abs=TOL)
    assert share(bg.nash(concave)) < share(bg.nash(linear))


@pytest.mark.parametrize("concept", sorted(bg.CONCEPTS))
def test_individually_rational_and_weakly_pareto(concept):
    """On a concave pie no split gives both parties more than the solution."""
    problem = pie(bg.shapes.power(0.7, scale=1.5), lambda x: (1 - x) ** 0.4, disagreement=(0.1, 0))
    solution = bg.solve(problem, concept)
    u = np.array(list(solution.utilities.values()))
    assert np.all(u - problem.disagreement >= -1e-9)
    grid = np.linspace(0, 1, 10001)
    others = np.stack([1.5 * grid**0.7, (1 - grid) ** 0.4])
    assert not np.any(np.all(others > u[:, None] + 1e-7, axis=0))


def sampled_utilities(problem: bg.Problem, count: int = 400):
    """Utilities (n_parties, k) of random allowed outcomes, straight from the definitions."""
    rng = np.random.default_rng(0)
    points = {
        issue.name: (
            rng.uniform(issue.low, issue.high, count)
            if isinstance(issue, bg.ContinuousIssue)
            else rng.integers(0, len(issue.options), count)
        )
        for issue in problem.space.issues
    }
    allowed = np.ones(count, dtype=bool)
    for party in problem.parties:
        for rule in party.red_lines:
            hit = np.ones(count, dtype=bool)
            for name, forbidden in rule.items():
                issue = problem.space.issue(name)
                if isinstance(issue, bg.ContinuousIssue):
                    hit &= (forbidden[0] < points[name]) & (points[name] < forbidden[1])
                else:
                    hit &= np.isin([issue.options[i] for i in points[name]], forbidden)
            allowed &= ~hit
    rows = []
    for party in problem.parties:
        total = np.zeros(count)
        for name, values in party.utility.values.items():
            value = values(points[name]) if callable(values) else np.asarray(values)[points[name]]
            total = total + party.utility.weights[name] * value
        rows.append(total[allowed])
    return np.array(rows)


@given(continuous_problems(), st.sampled_from(sorted(bg.CONCEPTS)))
def test_continuous_solutions_are_rational_allowed_and_weakly_pareto(problem, concept):
    """Every concept: gains >= 0 (closed individual rationality), inside the bounds and
    outside every forbidden interval; an agreement whenever some sampled outcome is
    strictly rational; and, when the optimum is proven (concave shapes), no sampled
    allowed outcome is better for every party."""
    solution = bg.solve(problem, concept)
    others = sampled_utilities(problem)
    d = problem.disagreement[:, None]
    if np.any(np.all(others - d > 1e-6, axis=0)):
        assert solution.agreement
    if not solution.agreement:
        return
    u = np.array(list(solution.utilities.values()))
    assert np.all(u - problem.disagreement >= -1e-9)
    for issue in problem.space.continuous_issues:
        assert issue.low <= solution.outcome[issue.name] <= issue.high
    for party in problem.parties:
        for rule in party.red_lines:
            for name, (low, high) in rule.items():
                assert not low < solution.outcome[name] < high
    if solution.optimal:
        assert not np.any(np.all(others > u[:, None] + 1e-6, axis=0))


# -- red lines, mixed spaces, non-concave values -----------------------------------------


def test_a_forbidden_interval_moves_the_split_to_its_best_end():
    """Nash on the linear pie is x = 1/2; B forbids (0.3, 0.6). The ends score
    log(0.3 * 0.7) < log(0.6 * 0.4), so x* = 0.6, an end point, which stays allowed."""
    problem = pie(bg.shapes.linear(), LINEAR_B, red_lines=((), ({"share": (0.3, 0.6)},)))
    assert share(bg.nash(problem)) == pytest.approx(0.6, abs=TOL)
    assert share(bg.egalitarian(problem)) == pytest.approx(0.6, abs=TOL)


@pytest.mark.parametrize("concept", sorted(bg.CONCEPTS))
def test_the_end_points_of_a_forbidden_interval_stay_allowed_on_every_side(concept):
    """A box's end points stay allowed even where no allowed cell holds them: the issue's
    own bound (both parties best at 0, A forbids (0, 0.2): 0, not 0.2), and the point
    between two forbidden intervals (only 0, 1/2 and 1 allowed: 1/2 is best for every
    concept; it was no deal)."""
    both_low = bg.shapes.linear(-1.0, 1.0)
    at_bound = pie(both_low, both_low, (-1.0, -1.0), red_lines=(({"share": (0.0, 0.2)},), ()))
    assert share(bg.solve(at_bound, concept)) == pytest.approx(0.0, abs=TOL)
    between = ({"share": (0.0, 0.5)}, {"share": (0.5, 1.0)})
    a = bg.shapes.piecewise_linear([(0.0, 0.0), (0.5, 0.8), (1.0, 1.0)])
    b = bg.shapes.piecewise_linear([(0.0, 1.0), (0.5, 0.8), (1.0, 0.0)])
    split = pie(a, b, (-0.1, -0.1), red_lines=(between, ()))
    assert share(bg.solve(split, concept)) == pytest.approx(0.5, abs=TOL)


def test_the_edges_of_a_forbidden_square_stay_allowed():
    """A forbids the open unit square: its edges are what is left, and the Nash package of
    u_A = x + y, u_B = 2 - x - y is on them with x + y = 1 (it was no deal: the only cell
    was removed with its edges)."""
    space = bg.OutcomeSpace([bg.Issue.continuous("x", 0, 1), bg.Issue.continuous("y", 0, 1)])
    a = bg.AdditiveUtility({"x": bg.shapes.linear(), "y": bg.shapes.linear()})
    b = bg.AdditiveUtility({"x": bg.shapes.linear(-1.0, 1.0), "y": bg.shapes.linear(-1.0, 1.0)})
    square = [{"x": (0.0, 1.0), "y": (0.0, 1.0)}]
    problem = bg.Problem(space, [bg.Party("A", a, red_lines=square), bg.Party("B", b)])
    solution = bg.nash(problem)
    x, y = solution.outcome["x"], solution.outcome["y"]
    assert solution.agreement and x + y == pytest.approx(1.0, abs=TOL)
    assert min(x, y) == pytest.approx(0.0, abs=TOL) or max(x, y) == pytest.approx(1.0, abs=TOL)


def mixed(red_lines=()) -> bg.Problem:
    space = bg.OutcomeSpace([bg.Issue("nato", ["in", "out"]), bg.Issue.continuous("share", 0, 1)])
    a = bg.Party("A", bg.AdditiveUtility({"nato": [0.3, 0.0], "share": bg.shapes.linear()}))
    b = bg.Party("B", bg.AdditiveUtility({"nato": [0.0, 0.5], "share": LINEAR_B}), 0, 1, red_lines)
    return bg.Problem(space, [a, b])


def test_a_mixed_space_solves_each_discrete_package():
    """nato=in: gains (0.3 + x, 1 - x), Nash x = 0.35, product 0.65^2 = 0.4225;
    nato=out: gains (x, 1.5 - x), x = 0.75, product 0.5625: out wins, at 0.75."""
    solution = bg.nash(mixed())
    assert solution.outcome["nato"] == "out"
    assert solution.outcome["share"] == pytest.approx(0.75, abs=TOL)
    assert solution.score == pytest.approx(math.log(0.5625), abs=1e-9)
    assert solution.stats["pieces"] == 2


def test_a_red_line_linking_a_discrete_and_a_continuous_issue():
    """B refuses 'out' with a share in (0.5, 1): out is capped at x = 0.5, product
    0.5 * 1.0 = 0.5, still above in's 0.4225."""
    solution = bg.nash(mixed([{"nato": "out", "share": (0.5, 1.0)}]))
    assert solution.outcome["nato"] == "out"
    assert solution.outcome["share"] == pytest.approx(0.5, abs=TOL)
    solution = bg.nash(mixed([{"nato": "out"}]))
    assert solution.outcome["nato"] == "in"
    assert solution.outcome["share"] == pytest.approx(0.35, abs=TOL)


def test_multi_start_finds_the_global_optimum_of_a_non_concave_problem():
    """u_A = 4 (x - 1/2)^2 (convex, 1 at both ends), u_B = 0.3 x + 0.2: the total is
    1.2 at x = 0, a local optimum, and 1.5 at x = 1, the global one."""
    problem = pie(lambda x: 4 * (x - 0.5) ** 2, bg.shapes.linear(0.3, 0.2))
    solution = bg.utilitarian(problem, rng=0)
    assert share(solution) == pytest.approx(1.0, abs=TOL)
    assert solution.stats["guarantee"] == "multi-start"
    assert not solution.optimal


def test_compare_prints_numbers_for_continuous_issues():
    table = str(bg.compare(pie(bg.shapes.power(0.5), LINEAR_B)))
    assert "0.333333" in table and "0.381966" in table and "0.25" in table


# -- bad input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("low", "high", "message"),
    [
        (1.0, 1.0, "low .* must be less than high"),
        (2.0, 1.0, "low .* must be less than high"),
        (0.0, math.inf, "high must be finite"),
        (math.nan, 1.0, "low must be finite"),
    ],
)
def test_bad_bounds_are_rejected(low, high, message):
    with pytest.raises(bg.ValidationError, match=message):
        bg.Issue.continuous("share", low, high)


@pytest.mark.parametrize(
    ("function", "message"),
    [
        (lambda x: np.log(x - 0.5), "returned nan at 0.0|returned -inf"),
        (lambda x: x[:3], r"returned shape \(3,\) for points of shape \(65,\)"),
        (lambda x: 1.0, r"returned shape \(\) for points"),
        (lambda x: [float(v) for v in x] if np.ndim(x) == 0 else x.item(), "vectorized"),
    ],
)
def test_bad_value_functions_are_rejected_when_the_problem_is_built(function, message):
    with pytest.raises(bg.ValidationError, match=message):
        pie(function, LINEAR_B)


def test_values_must_fit_the_kind_of_issue():
    with pytest.raises(bg.BargainTypeError, match="must be a vectorized function"):
        pie([0.0, 1.0], LINEAR_B)
    space = bg.OutcomeSpace([bg.Issue("nato", ["in", "out"])])
    with pytest.raises(bg.BargainTypeError, match="is a function, but issue 'nato'"):
        bg.Problem(space, [bg.Party("A", bg.AdditiveUtility({"nato": np.sqrt}))])


def test_red_lines_must_fit_the_kind_of_issue():
    with pytest.raises(bg.ValidationError, match="is continuous: give a forbidden interval"):
        pie(bg.shapes.linear(), LINEAR_B, red_lines=(({"share": ["half"]},), ()))
    with pytest.raises(bg.ValidationError, match="needs low < high"):
        pie(bg.shapes.linear(), LINEAR_B, red_lines=(({"share": (0.5, 0.2)},), ()))
    with pytest.raises(bg.ValidationError, match="is discrete: list forbidden options"):
        mixed([{"nato": (0.0, 1.0)}])


@pytest.mark.parametrize(
    ("caller", "call"),
    [
        ("simulate", lambda p: bg.simulate(p)),
        ("tournament: problems[0]", lambda p: bg.tournament([p], ["linear", "boulware"])),
        ("pareto_frontier", lambda p: bg.pareto_frontier(p)),
        ("rubinstein", lambda p: bg.rubinstein(p, discount=0.9)),
        ("coalition_deal", lambda p: bg.coalition_deal(p, quota=2)),
        ("threat_path", lambda p: bg.threat_path(p, "A", 0.0, 0.5)),
        ("ranking", lambda p: bg.ranking(p)),
        ("tipping_points", lambda p: bg.tipping_points(p)),
        ("robustness", lambda p: bg.robustness(p, {})),
        ("nash: lotteries=True", lambda p: bg.nash(p, lotteries=True)),
    ],
)
def test_what_works_on_the_list_of_packages_says_so_at_its_door(caller, call):
    """Each names itself and the continuous issues (simulate, tournament, the frontier,
    rubinstein and coalition_deal once failed deep inside, naming OutcomeSpace.sizes or
    .outcome, or pareto_frontier for rubinstein)."""
    message = (
        rf"^{re.escape(caller)} needs a discrete space .* issue\(s\) \['share'\] are continuous$"
    )
    with pytest.raises(bg.ContinuousSpaceError, match=message):
        call(mixed())


def test_discrete_only_operations_raise_a_clear_error():
    problem = mixed()
    space = problem.space
    for operation in (
        lambda: len(space),
        lambda: space.size,
        lambda: space.outcome(0),
        lambda: space.index({"nato": "in", "share": "x"}),
        lambda: problem.utilities(0),
        lambda: bg.pareto_frontier(problem),
    ):
        with pytest.raises(bg.ContinuousSpaceError, match=r"issue\(s\) \['share'\] are continuous"):
            operation()
    assert "continuous" in repr(problem)


def test_unknown_concept_name_on_a_continuous_problem():
    with pytest.raises(bg.UnknownNameError, match="unknown concept 'rawls'"):
        bg.solve(pie(bg.shapes.linear(), LINEAR_B), "rawls")


def test_too_many_discrete_packages_in_a_mixed_space():
    issues = [bg.Issue(f"i{k}", [f"o{j}" for j in range(10)]) for k in range(4)]
    space = bg.OutcomeSpace([*issues, bg.Issue.continuous("share", 0, 1)])
    values = {issue.name: [0.0] * 10 for issue in issues}
    parties = [
        bg.Party("A", bg.AdditiveUtility({**values, "share": bg.shapes.linear()})),
        bg.Party("B", bg.AdditiveUtility({**values, "share": LINEAR_B})),
    ]
    with pytest.raises(bg.ValidationError, match="10000 packages"):
        bg.nash(bg.Problem(space, parties))


def test_shapes_validate_their_parameters():
    with pytest.raises(bg.ValidationError, match="at least two"):
        bg.shapes.piecewise_linear([(0, 1)])
    with pytest.raises(bg.ValidationError, match="x must increase strictly"):
        bg.shapes.piecewise_linear([(0, 1), (0, 2)])
    with pytest.raises(bg.ValidationError, match="exponent must be >= 0"):
        bg.shapes.power(-1.0)
    assert bg.shapes.power(0.5).concave and not bg.shapes.power(2.0).concave
    assert bg.shapes.power(2.0, scale=-1.0).concave
    assert not bg.shapes.piecewise_linear([(0, 0), (0.5, 0.2), (1, 1)]).concave


def test_a_bad_rng_is_a_clear_error():
    with pytest.raises(bg.BargainTypeError, match="rng must be a seed"):
        bg.nash(pie(np.sqrt, LINEAR_B), rng="seed")


@pytest.mark.parametrize("concept", ["egalitarian", "kalai_smorodinsky"])
def test_the_max_min_leaves_no_slack_a_party_could_have_for_free(concept):
    """C's issue caps the smallest gain at 0.2 whatever A gets; A's w is free, so w = 1
    (the max-min alone stopped anywhere, at w = 0.21 once: a dominated point)."""
    line = bg.shapes.linear
    space = bg.OutcomeSpace(
        [
            bg.Issue.continuous("x", 0, 1),
            bg.Issue.continuous("w", 0, 1),
            bg.Issue.continuous("z", 0, 0.2),
        ]
    )
    zero = line(0.0, 0.0)
    a = bg.AdditiveUtility({"x": line(), "w": line(), "z": zero})
    b = bg.AdditiveUtility({"x": line(-1.0, 1.0), "w": zero, "z": zero})
    c = bg.AdditiveUtility({"x": zero, "w": zero, "z": line()})
    parties = [bg.Party("A", a), bg.Party("B", b), bg.Party("C", c)]
    solution = bg.solve(bg.Problem(space, parties), concept)
    assert solution.outcome["w"] == pytest.approx(1.0, abs=TOL)
    assert solution.outcome["z"] == pytest.approx(0.2, abs=TOL)
    if concept == "egalitarian":  # leximin's second level: min(A, B) = min(1 + x, 1 - x)
        assert solution.outcome["x"] == pytest.approx(0.0, abs=TOL)
