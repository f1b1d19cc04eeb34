"""The command line: every command's output, and one clear line for every user mistake."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib

import pytest

import bargain as bg
from bargain.cli import CLOSED_PIPE, main

SMALL = """
[scenario]
title = "A small deal"

[[issues]]
name = "price"
options = ["low", "high"]

[[parties]]
name = "Buyer"
disagreement = 0.0
values = { price = [1.0, 0.25] }

[[parties]]
name = "Seller"
disagreement = 0.0
values = { price = [0.25, 1.0] }
red_lines = [{ forbid = { price = "low" }, rationale = "below cost" }]
"""


@pytest.fixture
def small(tmp_path):
    path = tmp_path / "small.toml"
    path.write_text(SMALL, encoding="utf-8")
    return str(path)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_scenarios_lists_the_built_ins_with_their_titles(capsys):
    status, out, err = run(capsys, "scenarios")
    assert status == 0 and not err
    lines = out.splitlines()
    assert [line.split()[0] for line in lines] == list(bg.scenarios.names())
    assert "Peace talks on the war in Ukraine, April 2025" in lines[0]


def test_show_prints_issues_values_weights_and_red_lines(capsys, small):
    status, out, _ = run(capsys, "show", small, "--notes")
    assert status == 0
    assert "A small deal" in out
    assert "  high" in out and "x1" in out
    assert "Seller  price: low" in out
    assert "Seller red_lines[0] rationale: below cost" in out


def test_show_a_built_in_scenario(capsys):
    status, out, _ = run(capsys, "show", "ukraine-2025")
    assert status == 0
    assert "all four claimed regions" in out
    assert "Russia   monitoring: European peacekeepers | NATO-country troops" in out


def test_solve_prints_the_package_utilities_and_gains(capsys, small):
    status, out, _ = run(capsys, "solve", small)
    assert status == 0
    assert "nash solution" in out
    assert "price  high" in out
    assert "Buyer    0.2500   0.2500" in out
    assert "Seller   1.0000   1.0000" in out


@pytest.mark.parametrize("concept", list(bg.CONCEPTS))
def test_solve_json_is_machine_readable_for_every_concept(capsys, concept):
    status, out, _ = run(capsys, "solve", "ukraine-2025", "--concept", concept, "--json")
    assert status == 0
    data = json.loads(out)
    expected = bg.solve(bg.scenarios.load("ukraine-2025"), concept)
    assert data["concept"] == concept
    assert data["package"] == expected.outcome
    assert data["utilities"] == pytest.approx(expected.utilities)
    assert data["gains"] == pytest.approx(expected.gains)


def test_no_agreement_is_valid_json(capsys, tmp_path):
    path = tmp_path / "hopeless.toml"
    path.write_text(SMALL.replace("disagreement = 0.0", "disagreement = 5.0"), encoding="utf-8")
    status, out, _ = run(capsys, "solve", str(path), "--json")
    assert status == 0
    data = json.loads(out)
    assert data["agreement"] is False and data["package"] is None and data["score"] is None


def test_compare_shows_every_concept(capsys):
    status, out, _ = run(capsys, "compare", "ukraine-2025")
    assert status == 0
    header = out.splitlines()[3]
    assert all(concept in header for concept in bg.CONCEPTS)
    crimea = next(line for line in out.splitlines() if line.startswith("crimea"))
    assert crimea.split().count("jure") == 2  # Nash and KS: United States de jure
    status, out, _ = run(capsys, "compare", "ukraine-2025", "--json")
    assert [s["concept"] for s in json.loads(out)] == list(bg.CONCEPTS)


def test_frontier_lists_the_pareto_packages(capsys, small):
    status, out, _ = run(capsys, "frontier", small)
    assert status == 0
    assert "Pareto frontier: 1 packages" in out and "high" in out
    status, out, _ = run(capsys, "frontier", "ukraine-2025", "--json")
    data = json.loads(out)
    assert len(data["packages"]) == len(bg.pareto_frontier(bg.scenarios.load("ukraine-2025")))


def test_plot_writes_a_png(capsys, small, tmp_path):
    pytest.importorskip("matplotlib")
    out_path = tmp_path / "small.png"
    status, out, _ = run(capsys, "plot", small, "-o", str(out_path))
    assert status == 0 and str(out_path) in out
    assert out_path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(
    ("argv", "status", "message"),
    [
        (["solve", "atlantis"], 1, "no built-in scenario or file 'atlantis'; built-in scenarios"),
        (["solve", "ukraine-2025", "--concept", "shapley"], 2, "invalid choice: 'shapley'"),
        (["fly"], 2, "invalid choice: 'fly'"),
        (["plot", "ukraine-2025"], 2, "the following arguments are required: -o/--output"),
        (["solve"], 2, "solve: the following arguments are required: scenario"),
        (["solve", "ukrain-2025"], 1, "did you mean 'ukraine-2025'?"),
        (["show", "talks.toml"], 1, "scenario file 'talks.toml' does not exist"),
        (["show", "some/where"], 1, "scenario file 'some/where' does not exist"),
        (["plot", "ukraine-2025", "-o", "out.xyz"], 1, "'xyz' is not an image format"),
        (["plot", "ukraine-2025", "-o", "out"], 1, "cannot write 'out': give it an extension"),
        (["plot", "ukraine-2025", "-o", "/nonexistent/dir/x.png"], 1, "'/nonexistent/dir'"),
        (
            ["simulate", "ukraine-2025", "--strategy", "Russia"],
            2,
            "--strategy: expected PARTY=NAME",
        ),
        (["simulate", "ukraine-2025", "--strategy", "Russia=stubborn"], 1, "'stubborn'"),
        (["simulate", "ukraine-2025", "--strategy", "Europe=linear"], 1, "party 'Europe'"),
        (["simulate", "ukraine-2025", "--protocol", "auction"], 2, "invalid choice: 'auction'"),
        (["simulate", "ukraine-2025", "--rounds", "0"], 1, "rounds"),
        (["simulate", "ukraine-2025", "--first", "Europe"], 1, "Europe"),
        (["simulate", "ukraine-2025", "--protocol", "zeuthen"], 1, "exactly 2 parties"),
        (["simulate", "ukraine-2025", "--protocol", "mediator", "--first", "Ukraine"], 1, "only"),
        (["whatif", "ukraine-2025", "--set", "Ukraine/disagreement=x"], 2, "'x' is not a number"),
        (["whatif", "ukraine-2025", "--set", "Ukraine/hope=1"], 1, "kind 'hope'"),
        (["whatif", "ukraine-2025", "--settle", "crimea"], 2, "--settle: expected ISSUE=OPTION"),
        (["whatif", "ukraine-2025", "--drop", "nato=maybe"], 1, "no option 'maybe'; options"),
        (["whatif", "ukraine-2025", "--without", "Poland"], 1, "Poland"),
    ],
)
def test_user_mistakes_are_one_line_on_stderr(capsys, argv, status, message):
    code, out, err = run(capsys, *argv)
    assert code == status
    assert not out
    assert err.count("\n") == 1 and err.startswith("bargain: error: ")
    assert message in err


def test_a_bad_file_names_the_file_and_key_path(capsys, tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(SMALL.replace("[1.0, 0.25]", "[1.0, nan]"), encoding="utf-8")
    code, _, err = run(capsys, "solve", str(path))
    assert code == 1
    assert (
        err
        == f"bargain: error: {path}: parties[0].values.price[1]: must be a finite number, got nan\n"
    )


def test_missing_matplotlib_is_one_line(capsys, monkeypatch, small, tmp_path):
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    code, _, err = run(capsys, "plot", small, "-o", str(tmp_path / "x.png"))
    assert code == 1
    assert err.startswith("bargain: error: plot needs matplotlib") and err.count("\n") == 1


def test_python_dash_m_bargain_runs(small):
    completed = subprocess.run(
        [sys.executable, "-m", "bargain", "solve", small, "--json"],
        capture_output=True,
        text=True,
        env={**os.environ, "MPLBACKEND": "Agg"},
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout)["package"] == {"price": "high"}
    failed = subprocess.run(
        [sys.executable, "-m", "bargain", "show", "atlantis"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert failed.returncode == 1
    assert "Traceback" not in failed.stderr and failed.stderr.count("\n") == 1


CONTINUOUS = """
[[issues]]
name = "share"
low = 0.0
high = 1.0

[[issues]]
name = "nato"
options = ["in", "out"]

[[parties]]
name = "A"
disagreement = 0.0
values = { share = { shape = "linear", slope = 1.0 }, nato = [1.0, 0.0] }
red_lines = [{ forbid = { share = [0.0, 0.25] } }]

[[parties]]
name = "B"
disagreement = 0.0
values = { share = { shape = "linear", slope = -1.0, intercept = 1.0 }, nato = [0.0, 1.0] }
"""


def test_a_continuous_scenario_shows_solves_and_compares(capsys, tmp_path):
    path = tmp_path / "share.toml"
    path.write_text(CONTINUOUS, encoding="utf-8")
    status, out, _ = run(capsys, "show", str(path))
    assert status == 0
    assert "any number in [0, 1]" in out and "share: strictly between 0 and 0.25" in out
    status, out, _ = run(capsys, "solve", str(path), "--json")
    expected = bg.nash(bg.load(path))
    assert status == 0 and json.loads(out)["package"] == expected.outcome
    status, out, _ = run(capsys, "compare", str(path))
    assert status == 0 and "share" in out and "nato" in out
    tied = next(line for line in out.splitlines() if line.startswith("tied packages"))
    assert tied.split()[2:] == ["-", *["1"] * len(bg.CONCEPTS)]
    status, _, err = run(capsys, "plot", str(path), "-o", str(tmp_path / "x.png"))
    assert status == 1 and "continuous" in err and err.count("\n") == 1


def test_user_mistakes_never_repeat_the_prefix(capsys):
    for argv in (["fly"], ["solve"], ["solve", "ukraine-2025", "--concept", "shapley"]):
        _, _, err = run(capsys, *argv)
        assert err.count("bargain") == 1, err


def test_no_command_prints_the_usage(capsys):
    status, out, err = run(capsys)
    assert status == 2 and not out
    assert err.startswith("usage: bargain")
    assert all(command in err for command in ("scenarios", "solve", "compare", "--version"))
    assert "error" not in err


def test_version(capsys):
    status, out, _ = run(capsys, "--version")
    assert status == 0 and out == f"bargain {bg.__version__}\n"


def test_help_shows_the_concepts_and_the_default(capsys):
    status, out, _ = run(capsys, "solve", "--help")
    assert status == 0
    assert "--concept NAME" in out
    assert "nash, kalai_smorodinsky, egalitarian, utilitarian (default: nash)" in " ".join(
        out.split()
    )


def test_unsupported_image_formats_are_listed(capsys, small, tmp_path):
    pytest.importorskip("matplotlib")
    target = tmp_path / "x.xyz"
    status, out, err = run(capsys, "plot", small, "-o", str(target))
    assert status == 1 and not out and err.count("\n") == 1
    assert "supported formats are" in err and "png" in err and "svg" in err
    assert not target.exists()
    status, _, err = run(capsys, "plot", small, "-o", str(tmp_path / "missing" / "x.png"))
    assert status == 1
    assert err == (
        f"bargain: error: cannot write '{tmp_path / 'missing' / 'x.png'}': "
        f"folder '{tmp_path / 'missing'}' does not exist\n"
    )
    status, _, err = run(capsys, "plot", small, "-o", str(tmp_path / "x.svg"))
    assert status == 0 and (tmp_path / "x.svg").read_text().lstrip().startswith("<?xml")


def test_a_folder_is_read_as_a_genius_domain_and_an_empty_one_is_one_line(capsys, tmp_path):
    status, _, err = run(capsys, "show", str(tmp_path))
    assert status == 1
    assert err.startswith(f"bargain: error: {tmp_path}: found 0 domain files")
    assert err.count("\n") == 1


def test_an_os_error_is_one_line_without_errno():
    from bargain.cli import _one_line

    error = IsADirectoryError(21, "Is a directory", "/tmp/talks")
    assert _one_line(error) == "/tmp/talks: Is a directory"


def test_a_mistyped_name_far_from_every_scenario_gets_no_suggestion(capsys):
    _, _, err = run(capsys, "show", "atlantis")
    assert "did you mean" not in err


def tied_talks(folder):
    """The peace talks with one what-if that makes two packages tie for the utilitarian
    (the US values de facto recognition of Crimea 0.3 above US de jure recognition),
    saved in ``folder``: the problem and the file."""
    talks = bg.scenarios.load("ukraine-2025")
    us = talks.parties[talks.party_position("United States")]
    values = {**us.utility.values, "crimea": [0.4, 1.0, 0.7, 0.8]}
    problem = talks.replace_party(
        "United States", utility=bg.AdditiveUtility(values, us.utility.weights)
    )
    return problem, str(bg.save(problem, folder / "tied.toml"))


def test_compare_shows_ties_no_deal_values_and_gains(capsys, tmp_path):
    problem, path = tied_talks(tmp_path)
    utilitarian = bg.utilitarian(problem)
    assert len(utilitarian.ties) == 2
    status, out, _ = run(capsys, "compare", str(path))
    assert status == 0
    lines = out.splitlines()
    header = lines[3].split()
    assert header == ["no", "deal", *bg.CONCEPTS]
    assert lines[4].split()[:2] == ["territory", "-"]
    tied = next(line for line in lines if line.startswith("tied packages")).split()
    assert tied[2:] == ["-", "1", "1", "1", "2", "(below)"]
    russia = next(line for line in lines if line.startswith("utility  Russia")).split()
    assert russia[2] == f"{problem.disagreement[0]:.4f}"
    assert float(russia[-1]) == pytest.approx(utilitarian.utilities["Russia"])
    gain = next(line for line in lines if line.startswith("gain     Russia")).split()
    assert gain[3:] == [f"{bg.solve(problem, c).gains['Russia']:+.4f}" for c in bg.CONCEPTS]
    other = utilitarian.ties[1]
    assert f"utilitarian: 2 packages tie; the table shows package {utilitarian.index}" in out
    assert f"package {other}: crimea: United States de jure" in out
    others = dict(zip(problem.party_names, problem.utilities(other)))
    assert f"Russia {others['Russia']:.4f}, Ukraine {others['Ukraine']:.4f}" in out


def test_compare_without_agreement_says_no_deal(capsys, tmp_path):
    path = tmp_path / "hopeless.toml"
    path.write_text(SMALL.replace("disagreement = 0.0", "disagreement = 5.0"), encoding="utf-8")
    status, out, _ = run(capsys, "compare", str(path))
    assert status == 0
    price = next(line for line in out.splitlines() if line.startswith("price")).split()
    assert price == ["price", "-", *["no", "deal"] * len(bg.CONCEPTS)]
    tied = next(line for line in out.splitlines() if line.startswith("tied")).split()
    assert tied == ["tied", "packages", "-", *["-"] * len(bg.CONCEPTS)]
    gain = next(line for line in out.splitlines() if line.startswith("gain")).split()
    assert gain[3:] == ["+0.0000"] * len(bg.CONCEPTS)


# -- gaps a mutation probe found -----------------------------------------------------------


def test_json_has_every_tie_and_the_no_deal_values(capsys, tmp_path):
    problem, path = tied_talks(tmp_path)
    expected = bg.utilitarian(problem)
    status, out, _ = run(capsys, "solve", path, "--concept", "utilitarian", "--json")
    data = json.loads(out)
    assert status == 0 and len(expected.ties) == 2
    assert data["ties"] == list(expected.ties) and data["index"] == expected.ties[0]
    assert data["disagreement"] == dict(zip(problem.party_names, problem.disagreement.tolist()))


def test_compare_lists_only_the_other_tied_packages(capsys, tmp_path):
    problem, path = tied_talks(tmp_path)
    status, out, _ = run(capsys, "compare", str(path))
    shown, other = bg.utilitarian(problem).ties
    assert status == 0
    assert f"package {other}:" in out and f"package {shown}:" not in out


def test_show_prints_the_no_deal_values_and_powers(capsys):
    status, out, _ = run(capsys, "show", "ukraine-2025")
    problem = bg.scenarios.load("ukraine-2025")
    assert status == 0
    rows = {line.split()[0]: line.split()[1:] for line in out.splitlines() if line.strip()}
    europe = problem.observers[0].disagreement  # an observer's power is unused
    assert rows["disagreement"] == [f"{d:.4g}" for d in [*problem.disagreement, europe]]
    assert rows["power"] == [f"{p:.4g}" for p in problem.powers] + ["-"]


def test_a_file_in_the_way_of_the_folder_is_named(capsys, small, tmp_path):
    pytest.importorskip("matplotlib")
    blocker = tmp_path / "notes.txt"
    blocker.write_text("not a folder", encoding="utf-8")
    status, _, err = run(capsys, "plot", small, "-o", str(blocker / "x.png"))
    assert status == 1
    target = blocker / "x.png"
    assert err == f"bargain: error: cannot write '{target}': folder '{blocker}' is not a folder\n"


def test_an_error_naming_a_file_with_a_line_break_stays_one_line(capsys, tmp_path):
    path = tmp_path / "two\nlines.toml"
    path.write_text("a = = 1\n", encoding="utf-8")
    status, _, err = run(capsys, "show", str(path))
    assert status == 1
    assert err.count("\n") == 1 and err.startswith("bargain: error: ") and "invalid TOML" in err


def test_simulate_prints_the_offers_the_agreed_package_and_the_utilities(capsys):
    code, out, err = run(
        capsys, "simulate", "ukraine-2025", "--strategy", "Russia=boulware", "--seed", "3"
    )
    assert code == 0 and not err
    problem = bg.scenarios.load("ukraine-2025")
    strategies = {"Russia": bg.strategies.Boulware()}
    trace = bg.simulate(problem, strategies=strategies, rng=3)
    assert trace.agreement
    assert "strategies: Russia boulware, Ukraine linear, United States linear" in out
    assert str(trace) in out
    assert f"agreement on package {trace.index} in round {trace.round}:" in out
    for issue, option in trace.outcome.items():
        assert f"  {issue}: {option}\n" in out
    shown = ", ".join(f"{name} {u:.3f}" for name, u in trace.utilities.items())
    assert out.rstrip().endswith(f"utilities: {shown}")


def test_simulate_json_is_the_trace_with_who_played_what(capsys):
    argv = ["simulate", "ukraine-2025", "--protocol", "mediator", "--rounds", "30"]
    code, out, _ = run(capsys, *argv, "--strategy", "United States=hardliner", "--json")
    assert code == 0
    data = json.loads(out)
    problem = bg.scenarios.load("ukraine-2025")
    trace = bg.simulate(
        problem, "mediator", {"United States": bg.strategies.Hardliner()}, rounds=30, rng=0
    )
    assert data == {
        **trace.to_dict(),
        "strategies": {"Russia": "linear", "Ukraine": "linear", "United States": "hardliner"},
        "seed": 0,
    }
    assert len(data["offers"]) == len(trace.offers) > 0


def test_simulate_zeuthen_and_no_agreement(capsys, small, tmp_path):
    code, out, _ = run(capsys, "simulate", small, "--protocol", "zeuthen")
    assert code == 0 and "strategies:" not in out
    assert str(bg.simulate(bg.load(small), "zeuthen")) in out
    code, _, err = run(capsys, "simulate", small, "--protocol", "zeuthen", "--strategy", "A=linear")
    assert code == 1 and "--strategy does not apply to the zeuthen protocol" in err
    open_price = tmp_path / "open.toml"  # both prices allowed: two hardliners never meet
    open_price.write_text(SMALL.split("red_lines")[0], encoding="utf-8")
    both = ["--strategy", "Buyer=hardliner", "--strategy", "Seller=hardliner", "--rounds", "4"]
    code, out, _ = run(capsys, "simulate", str(open_price), *both)
    assert code == 0
    assert "no agreement: every party gets its no-deal value" in out
    assert out.rstrip().endswith("utilities: Buyer 0.000, Seller 0.000")


def test_whatif_applies_the_changes_in_the_order_given(capsys):
    problem = bg.scenarios.load("ukraine-2025")
    argv = ["whatif", "ukraine-2025", "--set", "Ukraine / disagreement=0.2"]
    argv += ["--without", "United States", "--drop", "nato=barred", "--concept", "egalitarian"]
    code, out, err = run(capsys, *argv)
    assert code == 0 and not err
    steps = [
        (
            "Ukraine / disagreement set to 0.2",
            lambda p: p.replace_party("Ukraine", disagreement=0.2),
        ),
        ("United States leaves the table", lambda p: p.without("United States")),
        ("nato: barred off the table", lambda p: p.drop_option("nato", "barred")),
    ]
    chain = bg.whatif_chain(problem, steps, "egalitarian")
    assert str(chain) in out
    assert [step.change for step in chain.steps[1:]] == [label for label, _ in steps]
    code, out, _ = run(capsys, *argv, "--json")
    assert code == 0 and json.loads(out) == json.loads(json.dumps(chain.to_dict()))


def test_whatif_without_changes_tells_a_built_in_scenarios_own_chain(capsys, small):
    code, out, _ = run(capsys, "whatif", "ukraine-2025")
    problem = bg.scenarios.load("ukraine-2025")
    assert code == 0
    assert str(bg.whatif_chain(problem, bg.scenarios.whatifs("ukraine-2025"))) in out
    code, out, err = run(capsys, "whatif", small)
    assert code == 1 and not out
    assert "whatif: give at least one change (--without, --set, --settle or --drop)" in err


# -- what show, solve --json, tournament, report and a closed pipe left out ----------------


def test_show_has_the_observers_the_war_model_and_their_notes(capsys):
    status, out, _ = run(capsys, "show", "ukraine-2025", "--notes")
    assert status == 0
    rows = [line.split() for line in out.splitlines()]
    assert ["Russia", "Ukraine", "United", "States", "Europe"] in rows
    assert ["party", "party", "party", "observer"] in rows
    assert ["territory", "x0.35", "x0.3", "x0.15", "x0.25"] in rows  # Europe's weight last
    assert "Russia prevails, probability 0.3 (0.15 to 0.45): territory: all four" in out
    assert "cost of fighting: Russia 0.1 (0.05 to 0.2)," in out
    assert "Europe (observer) disagreement rationale: Cost of continued war to Europe" in out
    assert "war rationale: Continued war, Fearon's" in out
    assert "war.outcomes[0].probability rationale:" in out


INTERACTING = """
[[issues]]
name = "line"
options = ["holds", "moves"]

[[issues]]
name = "crimea"
options = ["no", "yes"]

[[parties]]
name = "A"
disagreement = 0.0
values = { line = [1.0, 0.0], crimea = [0.0, 0.5] }
interactions = [{ issues = ["line", "crimea"], table = [[0.0, 0.3], [0.0, 0.0]] }]

[[parties]]
name = "B"
disagreement = 0.0
values = { line = [0.0, 1.0], crimea = [1.0, 0.0] }
"""


def test_show_names_the_interaction_tables(capsys, tmp_path):
    path = tmp_path / "interacting.toml"
    path.write_text(INTERACTING, encoding="utf-8")
    status, out, _ = run(capsys, "show", str(path))
    assert status == 0
    assert "interactions, added to the values above as written (not weighted):" in out
    assert "  A  line x crimea: [[0, 0.3], [0, 0]]\n" in out


def test_scenarios_and_show_give_json(capsys):
    status, out, _ = run(capsys, "scenarios", "--json")
    titles = [bg.scenarios.load(name).notes["scenario"]["title"] for name in bg.scenarios.names()]
    assert status == 0
    assert json.loads(out) == [
        {"name": name, "title": title} for name, title in zip(bg.scenarios.names(), titles)
    ]
    status, out, _ = run(capsys, "show", "ukraine-2025", "--json")
    problem = bg.scenarios.load("ukraine-2025")
    assert status == 0
    data = json.loads(out)
    assert data == tomllib.loads(bg.io.dumps(problem))  # the scenario file, as JSON
    assert [party["name"] for party in data["observers"]] == ["Europe"]
    assert [outcome["name"] for outcome in data["war"]["outcomes"]] == [
        outcome.name for outcome in problem.war.outcomes
    ]


def test_solve_json_has_the_observers_as_whatif_json_does(capsys):
    status, out, _ = run(capsys, "solve", "ukraine-2025", "--json")
    problem = bg.scenarios.load("ukraine-2025")
    assert status == 0
    data = json.loads(out)
    assert data["observer_utilities"] == bg.nash(problem).observer_utilities
    assert data["observer_disagreement"] == {"Europe": problem.observers[0].disagreement}
    assert list(data["utilities"]) == list(problem.party_names)  # the parties alone
    _, out, _ = run(capsys, "whatif", "ukraine-2025", "--json")
    start = json.loads(out)["steps"][0]
    assert start["utilities"] == {**data["utilities"], **data["observer_utilities"]}
    assert start["disagreement"] == {**data["disagreement"], **data["observer_disagreement"]}


def test_tournament_self_play_lets_one_strategy_fill_every_seat(capsys, small):
    """Too few strategies once got the library's remedy, "self_play=True": the command
    line's is the flag."""
    argv = ["tournament", small, "--strategies", "boulware", "--repetitions", "1", "--json"]
    status, _, err = run(capsys, *argv)
    assert status == 1
    assert err == (
        "bargain: error: tournament: problem 'small' has 2 parties but --strategies names "
        "only 1 strategy; name more, or add --self-play to let a strategy meet itself\n"
    )
    status, out, err = run(capsys, *argv, "--self-play")
    assert status == 0 and not err
    assert list(json.loads(out)["scores"]) == ["boulware"]


def test_report_checks_its_folder_before_the_analysis(capsys, monkeypatch, tmp_path):
    def analysis(*args, **kwargs):
        raise AssertionError("the analysis ran before the folder was checked")

    monkeypatch.setattr("bargain.cli.whatif_chain", analysis)
    target = tmp_path / "missing" / "x.html"
    status, out, err = run(capsys, "report", "ukraine-2025", "-o", str(target))
    assert status == 1 and not out
    assert err == (
        f"bargain: error: cannot write '{target}': folder '{tmp_path / 'missing'}' does not exist\n"
    )


@pytest.mark.parametrize(
    "argv",
    [
        ["scenarios"],  # less than a buffer: written by the last flush
        ["show", "ukraine-2025", "--notes"],  # more: written while running
    ],
)
def test_a_reader_gone_before_the_output_ends_quietly(argv):
    read, write = os.pipe()
    os.close(read)  # no reader at all: every write fails, as after 'head' has its lines
    buffered = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    try:
        completed = subprocess.run(
            [sys.executable, "-m", "bargain", *argv],
            stdout=write,
            stderr=subprocess.PIPE,
            text=True,
            env=buffered,
            timeout=120,
        )
    finally:
        os.close(write)
    assert completed.stderr == ""
    assert completed.returncode == CLOSED_PIPE


def test_an_empty_scenario_name_is_a_clean_error_and_one_issue_is_singular(capsys, small):
    status, out, err = run(capsys, "show", "")
    assert status == 1 and not out
    assert err.startswith("bargain: error: the scenario is '' (empty); give a built-in")
    status, out, _ = run(capsys, "show", small)
    assert status == 0
    assert out.splitlines()[1] == "1 issue, 2 packages; parties Buyer, Seller"
