"""Simulated negotiations: protocols, strategies, traces."""

from __future__ import annotations

import itertools
import sys

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import bargain as bg
from bargain.dynamics import offer_book

from . import reference
from .strategies import problems

TOL = 1e-9
Boulware, Conceder, Linear = bg.strategies.Boulware, bg.strategies.Conceder, bg.strategies.Linear
Hardliner, TitForTat, State = bg.strategies.Hardliner, bg.strategies.TitForTat, bg.strategies.State

noisy_players = st.sampled_from(
    [
        lambda: Boulware(noise=0.1),
        lambda: Linear(noise=0.1),
        lambda: Conceder(noise=0.1),
        lambda: TitForTat(generosity=0.3),
        Hardliner,
    ]
)


def log_nash(gains) -> float:
    return float(np.sum(np.log(gains))) if np.all(np.asarray(gains) > 0) else -np.inf


def assert_offers_are_packages(trace: bg.Trace) -> None:
    problem = trace.problem
    for offer in trace.offers:
        assert 0 <= offer.index < problem.space.size
        assert problem.allowed(offer.index)
        assert np.allclose(offer.utilities, problem.utilities(offer.index), atol=1e-12)


@given(problems(min_parties=2, max_parties=4), st.data())
def test_traces_are_reproducible_and_offers_are_packages(problem, data):
    protocol = data.draw(st.sampled_from(["alternating", "mediator"]))
    players = {name: data.draw(noisy_players)() for name in problem.party_names}
    seed = data.draw(st.integers(0, 2**32 - 1))
    trace = bg.simulate(problem, protocol, players, rounds=30, rng=seed)
    again = bg.simulate(problem, protocol, players, rounds=30, rng=seed)
    assert trace.offers == again.offers
    assert (trace.agreement, trace.index, trace.round) == (
        again.agreement,
        again.index,
        again.round,
    )
    assert_offers_are_packages(trace)
    if trace.agreement:
        assert trace.utilities == dict(
            zip(problem.party_names, problem.utilities(trace.index).tolist())
        )
    else:
        assert list(trace.utilities.values()) == problem.disagreement.tolist()


@given(problems(min_parties=2, max_parties=4), st.data())
def test_alternating_agreement_is_an_offer_everyone_else_accepted(problem, data):
    players = {name: data.draw(noisy_players)() for name in problem.party_names}
    trace = bg.simulate(problem, "alternating", players, rounds=40, rng=0)
    n = problem.n_parties
    for k, offer in enumerate(trace.offers):
        assert offer.round == k + 1
        assert offer.proposer == problem.party_names[k % n]
        assert offer.accepted == (not offer.rejected_by)
        assert offer.proposer not in offer.rejected_by
    if trace.agreement:
        assert trace.offers[-1].accepted and trace.round == len(trace.offers)
        assert not any(offer.accepted for offer in trace.offers[:-1])


@given(problems(min_parties=2, max_parties=2, powers=st.just(1.0)))
def test_zeuthen_the_conceder_has_the_lower_nash_product(problem):
    trace = bg.simulate(problem, protocol="zeuthen", rounds=1000)
    d = problem.disagreement
    names = problem.party_names
    for round_, conceders in enumerate(trace.conceders, start=1):
        own = {o.proposer: o.utilities for o in trace.offers if o.round == round_}
        products = {name: log_nash(own[name] - d) for name in names}
        risks = {
            name: (own[name][i] - own[names[1 - i]][i]) / (own[name][i] - d[i])
            for i, name in enumerate(names)
        }
        for name in conceders:
            other = names[1 - names.index(name)]
            assert products[name] <= products[other] + TOL
            assert risks[name] <= risks[other] + TOL
        if len(conceders) == 1:
            (name,) = conceders
            assert products[name] < products[names[1 - names.index(name)]] + TOL


@given(problems(min_parties=2, max_parties=2, powers=st.just(1.0)))
def test_zeuthen_with_minimal_concessions_ends_one_step_from_the_nash_package(problem):
    trace = bg.simulate(problem, protocol="zeuthen", rounds=1000)
    front = bg.pareto_frontier(problem)
    nash = bg.nash(problem)
    assert trace.agreement == nash.agreement
    if not nash.agreement:
        return
    assert_offers_are_packages(trace)
    # distinct frontier points in the order of the first party's utility
    points = np.unique(front.utilities, axis=0)
    d = problem.disagreement
    products = np.array([log_nash(p - d) for p in points])
    agreed = np.flatnonzero(np.all(points == problem.utilities(trace.index), axis=1))[0]
    best = np.flatnonzero(products >= products.max() - TOL)
    assert np.min(np.abs(best - agreed)) <= 1
    # and a concession step is one frontier point: each proposal moves by at most one
    for name in problem.party_names:
        held = [o.utilities for o in trace.offers if o.proposer == name]
        steps = [np.flatnonzero(np.all(points == u, axis=1))[0] for u in held]
        assert all(abs(b - a) <= 1 for a, b in itertools.pairwise(steps))


def test_zeuthen_on_a_symmetric_pie_meets_in_the_middle():
    pie = bg.Problem.from_utilities([[k, 8 - k] for k in range(9)], names=["A", "B"])
    trace = bg.simulate(pie, protocol="zeuthen")
    assert trace.utilities == {"A": 4.0, "B": 4.0} and trace.round == 4
    assert trace.conceders == (("A", "B"),) * 3
    lopsided = bg.Problem.from_utilities([[5, 1], [4, 3], [2, 3.5], [1, 4]], names=["A", "B"])
    trace = bg.simulate(lopsided, protocol="zeuthen")
    assert trace.conceders[0] == ("B",)  # B's proposal (1, 4) has product 4 < A's 5
    assert trace.index == bg.nash(lopsided).index == 1


@given(problems(min_parties=1, max_parties=4), st.data())
def test_the_offer_book_matches_the_brute_force_reference(problem, data):
    book = offer_book(problem)
    assert book.indices.tolist() == list(reference.pareto_frontier(problem))
    if not len(book):
        return
    party = data.draw(st.integers(0, problem.n_parties - 1))
    target = data.draw(st.sampled_from(sorted(set(book.utilities[:, party].tolist())))) - 1 / 32
    chosen = int(book.indices[book.offer_for(party, target)])
    expected = reference.offer_for(problem, party, target)
    u = reference.package_utilities(problem)
    d = problem.disagreement

    def others(index):
        return sum(
            problem.powers[j] * np.log(u[index][j] - d[j])
            for j in range(problem.n_parties)
            if j != party
        )

    assert u[chosen][party] >= target
    assert others(chosen) == pytest.approx(others(expected), abs=TOL)


def state_at(problem, position, round_, rounds=11) -> State:
    return State(
        problem.party_names[position],
        position,
        round_,
        rounds,
        offer_book(problem),
        np.random.default_rng(0),
        [],
        {},
        {},
    )


def test_time_dependent_targets_follow_the_formula():
    # frontier: A gets 2..7 (A needs > 1, B > 0); A's reservation is 1
    pie = bg.Problem.from_utilities([[k, 8 - k] for k in range(9)], disagreement=[1, 0])
    for round_ in range(1, 12):
        state = state_at(pie, 0, round_)
        t = (round_ - 1) / 10
        for strategy, e in ((Boulware(), 0.2), (Linear(), 1.0), (Conceder(), 5.0)):
            assert strategy.target(state) == pytest.approx(7 - 6 * t ** (1 / e), abs=1e-12)
        assert Boulware().target(state) >= Linear().target(state) >= Conceder().target(state)
        assert Hardliner().target(state) == 7
        offered = Linear().propose(state)
        assert pie.utilities(offered)[0] >= Linear().target(state)


def test_hardliners_never_agree_and_that_is_a_result():
    pie = bg.Problem.from_utilities([[k, 8 - k] for k in range(9)], names=["A", "B"])
    trace = bg.simulate(pie, strategies={"A": Hardliner(), "B": Hardliner()}, rounds=6)
    assert not trace.agreement and trace.index is None and trace.outcome is None
    assert len(trace.offers) == 6 and trace.utilities == {"A": 0.0, "B": 0.0}
    assert "no agreement after 6 offers" in str(trace)


def test_tit_for_tat_mirrors_the_opponents_concession():
    pie = bg.Problem.from_utilities([[k, 16 - k] for k in range(17)], names=["A", "B"])
    trace = bg.simulate(pie, strategies={"A": Linear(), "B": TitForTat()}, rounds=9, first="A")
    by_a = [o.utilities[0] for o in trace.offers if o.proposer == "A"]
    by_b = [o.utilities[1] for o in trace.offers if o.proposer == "B"]
    # B concedes, of its range 15 (best 15, reservation 0), the fraction A has conceded of its own
    for k in range(1, len(by_b)):
        conceded = (by_a[0] - by_a[k]) / 15
        assert by_b[k] >= 15 - 15 * conceded - 1e-12
    assert by_b[0] == 15


def test_the_mediator_changes_the_text_only_with_everyones_consent():
    problem = bg.Problem.from_utilities(np.random.default_rng(3).random((30, 3)))
    trace = bg.simulate(problem, "mediator", rounds=60, rng=5)
    assert all(o.proposer == "mediator" for o in trace.offers)
    assert all(o.accepted == (not o.rejected_by) for o in trace.offers)
    if trace.agreement:
        adopted = [o for o in trace.offers if o.accepted]
        assert adopted and trace.index == adopted[-1].index
        assert all(u > d for u, d in zip(trace.utilities.values(), problem.disagreement))


def test_a_trace_prints_as_a_table():
    pie = bg.Problem.from_utilities([[k, 8 - k] for k in range(9)], names=["Alpha", "B"])
    text = str(bg.simulate(pie, rounds=20))
    lines = text.splitlines()
    assert lines[0].startswith("alternating: agreement in round")
    assert lines[1].split() == ["round", "proposer", "package", "Alpha", "B", "response"]
    assert "rejected by B" in lines[2] and lines[-1].endswith("accepted")


def test_plotting_without_matplotlib_is_a_clear_error(monkeypatch):
    pie = bg.Problem.from_utilities([[k, 8 - k] for k in range(9)])
    trace = bg.simulate(pie, rounds=10)
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    with pytest.raises(bg.errors.MissingDependencyError, match="matplotlib"):
        trace.plot()


@pytest.mark.parametrize("n_parties", [2, 3])
def test_a_trace_plots(n_parties):
    pytest.importorskip("matplotlib")
    problem = bg.Problem.from_utilities(np.random.default_rng(0).random((20, n_parties)))
    pyplot = pytest.importorskip("matplotlib.pyplot")
    before = pyplot.get_fignums()
    ax = bg.simulate(problem, rounds=20).plot()
    assert ax.get_lines() and pyplot.get_fignums() == before  # no pyplot state


class Outside(bg.strategies.Strategy):
    def __init__(self, package):
        self.package = package

    def target(self, state):
        return state.best

    def propose(self, state):
        return self.package


def test_user_strategies_are_checked():
    space = bg.OutcomeSpace([bg.Issue("a", ["x", "y", "z"])])
    a = bg.Party("A", bg.AdditiveUtility({"a": [1, 2, 3]}), red_lines=[{"a": "z"}])
    b = bg.Party("B", bg.AdditiveUtility({"a": [3, 2, 1]}))
    problem = bg.Problem(space, [a, b])
    with pytest.raises(bg.OutOfRangeError, match="package 7, outside the space"):
        bg.simulate(problem, strategies={"A": Outside(7)})
    with pytest.raises(bg.BargainTypeError, match="not a package index"):
        bg.simulate(problem, strategies={"A": Outside("x")})
    with pytest.raises(bg.ValidationError, match="crosses a red line"):
        bg.simulate(problem, strategies={"A": Outside(2)})
    trace = bg.simulate(problem, strategies={"A": Outside(1), "B": Hardliner()}, rounds=3)
    assert [o.index for o in trace.offers] == [1, 0, 1] and not trace.agreement


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"protocol": "auction"}, bg.UnknownNameError, "unknown protocol"),
        ({"rounds": 0}, bg.ValidationError, "rounds"),
        ({"strategies": {"Z": Linear()}}, bg.UnknownNameError, "'Z'"),
        ({"strategies": {"P1": object()}}, bg.BargainTypeError, "propose"),
        ({"strategies": [Linear()]}, bg.BargainTypeError, "mapping"),
        ({"protocol": "zeuthen", "strategies": {}}, bg.ValidationError, "None"),
        ({"first": "Q"}, bg.UnknownNameError, "'Q'"),
        ({"first": "P2", "protocol": "mediator"}, bg.ValidationError, "alternating protocol only"),
        ({"first": "P2", "protocol": "zeuthen"}, bg.ValidationError, "alternating protocol only"),
    ],
)
def test_bad_input_is_a_clear_error(kwargs, error, message):
    pie = bg.Problem.from_utilities([[k, 8 - k] for k in range(9)])
    with pytest.raises(error, match=message):
        bg.simulate(pie, **kwargs)


def test_zeuthen_needs_two_parties_and_strategies_need_positive_exponents():
    with pytest.raises(bg.ValidationError, match="exactly 2 parties"):
        bg.simulate(bg.Problem.from_utilities([[1, 2, 3]]), protocol="zeuthen")
    with pytest.raises(bg.ValidationError, match="exponent must be > 0"):
        Boulware(exponent=0.0)
    with pytest.raises(bg.ValidationError, match="noise"):
        Linear(noise=-1.0)


def test_zeuthen_runs_to_its_natural_end_unless_limited():
    """Zeuthen always ends: on a 1001-point pie it reaches the Nash split by default
    (250 rounds of joint concessions), and a limit the user sets is honoured."""
    pie = bg.Problem.from_utilities([[k, 1000 - k] for k in range(1001)], names=["A", "B"])
    trace = bg.simulate(pie, protocol="zeuthen")
    assert trace.agreement and trace.utilities == {"A": 500.0, "B": 500.0}
    assert trace.round == 500
    cut = bg.simulate(pie, protocol="zeuthen", rounds=100)
    assert not cut.agreement and len(cut.offers) == 200
    root = bg.Problem.from_utilities([[k, np.sqrt(300 - k)] for k in range(301)], names=["A", "B"])
    trace = bg.simulate(root, protocol="zeuthen")
    assert trace.agreement and abs(trace.index - bg.nash(root).index) <= 1


def test_the_alternating_deadline_defaults_to_a_hundred_rounds():
    pie = bg.Problem.from_utilities([[k, 8 - k] for k in range(9)], names=["A", "B"])
    stubborn = {"A": Hardliner(), "B": Hardliner()}
    assert len(bg.simulate(pie, strategies=stubborn).offers) == 100
    assert len(bg.simulate(pie, strategies=stubborn, rounds=7).offers) == 7


@given(problems(min_parties=2, max_parties=2))
@example(
    bg.Problem.from_utilities([[k, 9 - k] for k in range(10)], names=["A", "B"], powers=[2, 1])
)
def test_zeuthen_with_powers_ends_one_step_from_the_asymmetric_nash_package(problem):
    """With powers, the conceder is the party whose proposal has the lower weighted
    Nash product (the engine's), so the process ends next to the asymmetric Nash package."""
    trace = bg.simulate(problem, protocol="zeuthen")
    nash = bg.nash(problem)
    assert trace.agreement == nash.agreement
    if not nash.agreement:
        return
    points = np.unique(bg.pareto_frontier(problem).utilities, axis=0)
    gains = points - problem.disagreement
    products = np.log(gains) @ problem.powers
    agreed = np.flatnonzero(np.all(points == problem.utilities(trace.index), axis=1))[0]
    best = np.flatnonzero(products >= products.max() - TOL)
    assert np.min(np.abs(best - agreed)) <= 1


def test_zeuthen_chooses_between_crossing_proposals_by_the_weighted_nash_product():
    """On the pie k + (9 - k) both parties concede together until they cross at (5, 4)
    and (4, 5): with equal powers the tie goes to the lower package, with A twice as
    powerful to A's (5, 4)."""
    rows = [[k, 9 - k] for k in range(10)]
    equal = bg.Problem.from_utilities(rows, names=["A", "B"])
    assert bg.simulate(equal, protocol="zeuthen").utilities == {"A": 4.0, "B": 5.0}
    strong = bg.Problem.from_utilities(rows, names=["A", "B"], powers=[2.0, 1.0])
    assert bg.nash(strong).utilities == {"A": 6.0, "B": 3.0}
    trace = bg.simulate(strong, protocol="zeuthen")
    assert trace.utilities == {"A": 6.0, "B": 3.0}


def test_the_mediator_works_on_spaces_beyond_int64():
    """10^20 packages: the texts are exact Python-int package indices."""
    problem = bg.random_problem(2, 20, 10, rng=3)
    assert problem.space.size >= 2**63
    trace = bg.simulate(problem, protocol="mediator", rng=0, rounds=60)
    assert len(trace.offers) == 60 and any(o.accepted for o in trace.offers)
    assert any(offer.index >= 2**63 for offer in trace.offers)
    for offer in trace.offers:
        assert np.allclose(offer.utilities, problem.utilities(offer.index), atol=1e-9)
    if trace.agreement:
        assert trace.utilities == pytest.approx(
            dict(zip(problem.party_names, problem.utilities(trace.index).tolist()))
        )


def test_the_mediator_never_agrees_on_a_text_at_a_disagreement_value():
    """B's gain is 0 (or 1e-12, below the utility tolerance) in every package: as on
    the Pareto frontier, no package is individually rational, so no deal, ever."""
    for b in (0.0, 1e-12):
        problem = bg.Problem.from_utilities([[1, b], [2, b], [3, b]], disagreement=[0, 0])
        assert not len(bg.pareto_frontier(problem))
        for seed in range(5):
            trace = bg.simulate(problem, protocol="mediator", rng=seed, rounds=10)
            assert not trace.agreement and trace.index is None


def test_no_function_hides_a_dynamics_module():
    """``bargain.dynamics.<module>`` is the module for every module of the package."""
    import importlib
    import inspect
    import pkgutil

    dynamics = importlib.import_module("bargain.dynamics")
    names = [info.name for info in pkgutil.iter_modules(dynamics.__path__)]
    assert {"protocols", "alternating_offers", "legislative", "tournaments"} <= set(names)
    for name in names:
        assert inspect.ismodule(getattr(dynamics, name)), name


class AcceptAll(bg.strategies.Strategy):
    def target(self, state):
        return state.reservation

    def accept(self, state, offer):
        return True


def test_each_mediator_proposal_changes_exactly_one_issue_of_the_text():
    """With every proposal adopted, consecutive texts differ in exactly one issue, and
    over many rounds every option of every issue is proposed (none is skipped)."""
    space = bg.OutcomeSpace([bg.Issue(f"i{k}", ["a", "b"]) for k in range(3)])
    parties = [
        bg.Party(name, bg.AdditiveUtility({f"i{k}": [k + 1.0, 0.5] for k in range(3)}))
        for name in ("A", "B")
    ]
    problem = bg.Problem(space, parties)
    players = {"A": AcceptAll(), "B": AcceptAll()}
    trace = bg.simulate(problem, "mediator", players, rounds=60, rng=4)
    assert all(offer.accepted for offer in trace.offers)
    texts = [problem.space.options_of(offer.index) for offer in trace.offers]
    for before, after in itertools.pairwise(texts):
        assert sum(a != b for a, b in zip(before, after)) == 1
    assert {position for text in texts for position in text} == {0, 1}


def test_tit_for_tat_concedes_as_much_of_its_range_as_the_other_did():
    """Pie of hundredths: before each of its offers, tit-for-tat (A) aims at
    best - range * (B's drop from its first offer to its latest) / B's range, and offers
    the package best for B among those giving A at least that (one step above at most)."""
    pie = bg.Problem.from_utilities([[k / 100, 1 - k / 100] for k in range(101)], names=["A", "B"])
    trace = bg.simulate(pie, strategies={"A": TitForTat(), "B": Linear()}, rounds=40)
    offers = trace.offers
    checked = 0
    for k, offer in enumerate(offers):
        seen = [o.utilities[1] for o in offers[:k] if o.proposer == "B"]
        if offer.proposer != "A" or not seen:
            continue
        target = 0.99 - 0.99 * min(max((seen[0] - seen[-1]) / 0.99, 0.0), 1.0)
        assert target - 1e-9 <= offer.utilities[0] <= target + 0.01 + 1e-9
        checked += 1
    own = [o.utilities[0] for o in offers if o.proposer == "A"]
    assert checked >= 5 and own[-1] < own[0] - 0.2  # it did concede


@pytest.mark.parametrize("rng", ["x", 1.5, [0.5]])
def test_a_bad_rng_is_the_same_clear_error_as_elsewhere(rng):
    pie = bg.Problem.from_utilities([[k, 8 - k] for k in range(9)], names=["A", "B"])
    with pytest.raises(bg.BargainTypeError, match="rng must be None, an int"):
        bg.simulate(pie, rng=rng)
    with pytest.raises(bg.BargainTypeError, match="rng must be None, an int"):
        bg.tournament(pie, ["linear", "boulware"], rounds=5, rng=rng)


def test_a_generator_continues_its_stream_and_a_seed_replays():
    pie = bg.Problem.from_utilities([[k, 8 - k] for k in range(9)], names=["A", "B"])
    generator = np.random.default_rng(3)
    first = bg.simulate(pie, protocol="mediator", rounds=30, rng=generator)
    replay = bg.simulate(pie, protocol="mediator", rounds=30, rng=3)
    assert first.offers == replay.offers
    # The generator was advanced, not re-seeded from its seed sequence.
    assert generator.bit_generator.state != np.random.default_rng(3).bit_generator.state
