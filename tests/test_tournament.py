"""Tournaments: the table is its negotiations replayed one by one; reproducible, on Dask too."""

from __future__ import annotations

import itertools
import json
import math
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

import bargain as bg
from bargain.cli import main

Boulware, Conceder, Linear = bg.strategies.Boulware, bg.strategies.Conceder, bg.strategies.Linear

PIE = bg.Problem.from_utilities([[k / 10, 1 - k / 10] for k in range(11)], names=["A", "B"])
THREE = bg.Problem.from_utilities(
    [[0.9, 0.2, 0.4], [0.3, 0.8, 0.5], [0.6, 0.6, 0.6], [0.2, 0.4, 0.9], [0.7, 0.5, 0.1]],
    disagreement=[0.1, 0.1, 0.1],
    names=["X", "Y", "Z"],
)
NOISY = {
    "boulware": Boulware(noise=0.2),
    "linear": Linear(noise=0.2),
    "conceder": Conceder(noise=0.2),
    "titfortat": bg.strategies.TitForTat(generosity=0.5),
}


def discounted(problem: bg.Problem, factors: dict[str, float]) -> bg.Problem:
    """``problem`` with these parties' discount factors (Party.discount)."""
    for name, factor in factors.items():
        problem = problem.replace_party(name, discount=factor)
    return problem


def independent_scores(negotiations, strategies, problems, protocol, rounds):
    """Replay every negotiation with bg.simulate and score it from scratch."""
    totals = {name: [] for name in strategies}
    for record in negotiations:
        problem = problems[record.problem]
        names = problem.party_names
        players = {name: NOISY[s] for name, s in zip(names, record.strategies)}
        trace = bg.simulate(problem, protocol, players, rounds, rng=record.seed)
        u = np.array([trace.utilities[name] for name in names])
        assert (trace.agreement, trace.round) == (record.agreement, record.round)
        assert record.utilities == tuple(u)
        deltas = np.array([party.discount for party in problem.parties])
        t = 1.0 if not trace.agreement else (trace.round - 1) / (rounds - 1)
        value = u * deltas**t
        nash_point = np.array(list(bg.nash(problem).utilities.values()))
        front = bg.pareto_frontier(problem).utilities
        to_nash = math.dist(u, nash_point)
        to_pareto = min(math.dist(u, row) for row in front)
        for role, s in enumerate(record.strategies):
            totals[s].append(
                (value[role], trace.agreement, value.sum(), to_nash, to_pareto, trace.round)
            )
    out = {}
    for name, rows in totals.items():
        agreed = [row[5] for row in rows if row[1]]
        out[name] = {
            "negotiations": len(rows),
            "utility": np.mean([row[0] for row in rows]),
            "agreement": np.mean([row[1] for row in rows]),
            "welfare": np.mean([row[2] for row in rows]),
            "nash_distance": np.mean([row[3] for row in rows]),
            "pareto_distance": np.mean([row[4] for row in rows]),
            "rounds": np.mean(agreed) if agreed else None,
        }
    return out


def assert_same_scores(table: dict, expected: dict) -> None:
    assert table.keys() == expected.keys()
    for name, row in expected.items():
        for measure, value in row.items():
            got = table[name][measure]
            if value is None:
                assert got is None
            else:
                assert got == pytest.approx(value, rel=1e-12, abs=1e-12), (name, measure)


def test_the_table_equals_its_negotiations_replayed_one_by_one():
    problems = {"pie": discounted(PIE, {"A": 0.5}), "three": THREE}
    t = bg.tournament(problems, NOISY, rounds=30, repetitions=3, rng=2024)
    # every ordered choice of distinct strategies, in every role, repeated
    assert len(t.negotiations) == (4 * 3 + 4 * 3 * 2) * 3
    for name, problem in problems.items():
        n = problem.n_parties
        played = Counter(r.strategies for r in t.negotiations if r.problem == name)
        assert set(played) == set(itertools.permutations(NOISY, n))
        assert set(played.values()) == {3}
    # negotiation k draws from the k-th child of the root seed
    assert [r.seed.spawn_key for r in t.negotiations] == [(k,) for k in range(len(t.negotiations))]
    expected = independent_scores(t.negotiations, NOISY, problems, "alternating", 30)
    assert_same_scores(t.to_dict()["scores"], expected)
    # discounting bites: A's pie share is worth less the later it comes
    pie_a = [r for r in t.negotiations if r.problem == "pie" and r.agreement and r.round > 1]
    assert pie_a and all(r.discounted[0] < r.utilities[0] for r in pie_a)
    assert all(r.discounted[1] == r.utilities[1] for r in pie_a)


def test_the_mediator_tournament_replays_too():
    t = bg.tournament({"three": THREE}, NOISY, protocol="mediator", rounds=15, rng=5)
    expected = independent_scores(t.negotiations, NOISY, {"three": THREE}, "mediator", 15)
    assert_same_scores(t.to_dict()["scores"], expected)


def test_tournaments_are_reproducible_and_the_seed_matters():
    a = bg.tournament([PIE, THREE], NOISY, rounds=20, repetitions=2, rng=7)
    b = bg.tournament([PIE, THREE], NOISY, rounds=20, repetitions=2, rng=np.random.default_rng(7))
    c = bg.tournament([PIE, THREE], NOISY, rounds=20, repetitions=2, rng=8)
    assert a.to_dict() == b.to_dict() and a.problems == ("problem 1", "problem 2")
    assert [r.utilities for r in a.negotiations] == [r.utilities for r in b.negotiations]
    assert [r.utilities for r in a.negotiations] != [r.utilities for r in c.negotiations]


def test_a_known_round_robin():
    """Without noise on a pie of tenths: Boulware holds out against the conceder and
    gets the larger share; the time-dependent strategies give in to the hardliner at
    the deadline, which therefore tops the table; two hardliners never agree."""
    t = bg.tournament(PIE, ["boulware", "conceder", "hardliner"], rounds=20, rng=0)
    assert t.ranking()[0] == "hardliner" and t.scores["hardliner"].utility == pytest.approx(0.9)
    pairs = [r for r in t.negotiations if set(r.strategies) == {"boulware", "conceder"}]
    assert len(pairs) == 2 and all(r.agreement for r in pairs)
    assert all(r.utilities[r.strategies.index("boulware")] > 0.5 for r in pairs)
    assert t.scores["hardliner"].negotiations == 4
    text = str(t)
    assert text.splitlines()[0].startswith("Tournament: 3 strategies, 1 problem, 1 repetition,")
    assert "to Nash" in text and all(name in text for name in t.strategies)
    stubborn = bg.tournament(PIE, ["hardliner"], rounds=20, rng=0, self_play=True)
    assert stubborn.scores["hardliner"].agreement == 0.0
    assert stubborn.scores["hardliner"].rounds is None


def test_without_an_agreement_the_reservation_value_is_discounted_at_the_deadline():
    pie = discounted(
        bg.Problem.from_utilities([[0.9, 0.1], [0.1, 0.9]], disagreement=[0.05, 0.05]),
        {"P1": 0.5, "P2": 0.8},
    )
    t = bg.tournament(pie, ["hardliner"], rounds=5, rng=0, self_play=True)
    [stuck] = t.negotiations
    assert not stuck.agreement and stuck.utilities == (0.05, 0.05)
    assert stuck.discounted == pytest.approx((0.05 * 0.5, 0.05 * 0.8), abs=1e-15)


def test_to_frame_needs_pandas(monkeypatch):
    t = bg.tournament(PIE, ["linear", "conceder"], rounds=10, rng=0)
    frame = t.to_frame()
    assert list(frame.index) == ["linear", "conceder"]
    assert frame.loc["linear", "utility"] == t.scores["linear"].utility
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(bg.MissingDependencyError, match=r"bargaining\[frames\]"):
        t.to_frame()


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"strategies": ["boulware", "bulware"]}, bg.UnknownNameError, "'bulware'"),
        ({"strategies": ["linear", "linear"]}, bg.ValidationError, "two strategies are called"),
        ({"strategies": {"a": object(), "b": Linear()}}, bg.BargainTypeError, "propose"),
        ({"strategies": "linear"}, bg.BargainTypeError, "sequence"),
        ({"strategies": []}, bg.ValidationError, "at least one strategy"),
        (
            {"problems": [THREE], "strategies": ["linear", "conceder"]},
            bg.ValidationError,
            "3 parties",
        ),
        ({"problems": []}, bg.ValidationError, "at least one problem"),
        ({"problems": "pie"}, bg.BargainTypeError, "Problem"),
        ({"protocol": "zeuthen"}, bg.ValidationError, "protocol"),
        ({"rounds": 0}, bg.ValidationError, "rounds must be >= 1"),
        ({"repetitions": 1.5}, bg.BargainTypeError, "repetitions must be an integer"),
        ({"self_play": 1}, bg.BargainTypeError, "self_play"),
    ],
)
def test_bad_input_is_a_clear_error(kwargs, error, message):
    arguments = {"problems": PIE, "strategies": ["linear", "conceder"], **kwargs}
    with pytest.raises(error, match=message):
        bg.tournament(**arguments)


def test_self_play_lets_a_strategy_meet_itself():
    t = bg.tournament(PIE, ["linear"], rounds=10, rng=0, self_play=True)
    assert [r.strategies for r in t.negotiations] == [("linear", "linear")]
    assert t.scores["linear"].negotiations == 2


def test_on_a_dask_cluster_the_table_is_the_same():
    distributed = pytest.importorskip("dask.distributed")
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        remote = bg.tournament([PIE, THREE], NOISY, rounds=20, repetitions=2, rng=11, client=client)
    local = bg.tournament([PIE, THREE], NOISY, rounds=20, repetitions=2, rng=11)
    assert remote.to_dict() == local.to_dict()
    assert [r.utilities for r in remote.negotiations] == [r.utilities for r in local.negotiations]


SCENARIO = """
[scenario]
title = "A price"

[[issues]]
name = "price"
options = ["low", "mid", "high", "top"]

[[parties]]
name = "Buyer"
disagreement = 0.0
values = { price = [1.0, 0.7, 0.4, 0.1] }

[[parties]]
name = "Seller"
disagreement = 0.0
values = { price = [0.1, 0.4, 0.7, 1.0] }
"""


def test_the_command_line_plays_the_same_tournament(capsys, tmp_path):
    path = tmp_path / "price.toml"
    path.write_text(SCENARIO, encoding="utf-8")
    argv = ["tournament", str(path), "--strategies", "boulware, conceder,linear"]
    assert main([*argv, "--repetitions", "2", "--rounds", "12", "--json"]) == 0
    expected = bg.tournament(
        {"price": bg.load(path)},
        ["boulware", "conceder", "linear"],
        rounds=12,
        repetitions=2,
        rng=0,
    )
    assert json.loads(capsys.readouterr().out) == expected.to_dict()
    assert main([*argv, "--repetitions", "2", "--rounds", "12"]) == 0
    assert capsys.readouterr().out.strip() == str(expected)
    assert main([*argv[:2], "--strategies", "boulware,stubborn"]) == 1
    assert "unknown strategy 'stubborn'" in capsys.readouterr().err


def test_the_command_line_takes_genius_domain_folders(capsys):
    genius = pytest.importorskip("bargain.genius")
    folder = Path(__file__).resolve().parent / "data" / "anac" / "y2011" / "Laptop"
    if not folder.is_dir():
        pytest.skip("the GENIUS test domains are not in tests/data/anac")
    argv = ["tournament", str(folder), "--strategies", "boulware,conceder", "--repetitions", "2"]
    assert main([*argv, "--json"]) == 0
    expected = bg.tournament(
        {"Laptop": genius.load(folder)}, ["boulware", "conceder"], repetitions=2, rng=0
    )
    assert json.loads(capsys.readouterr().out) == expected.to_dict()
