"""Every example runs and prints its key result; every benchmark runs as a quick smoke
test and prints its measurements and its checks of equal results.

To add a script, add an entry to EXAMPLES or BENCHMARKS below: what its output must
show (``has``: regular expressions, or functions returning the literal text, computed
with the library, of a result that depends on data, such as a built-in scenario) and
what it must never show (``lacks``). A script without an entry fails the test.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

import bargain as bg

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Prints:
    """What a script's standard output shows: every pattern of ``has``, none of ``lacks``.

    A pattern is a regular expression, or a function returning literal text (looked
    up with runs of white space counting as one space). ``files`` are written into
    the working directory.
    """

    has: tuple[str | Callable[[], str], ...] = ()
    lacks: tuple[str, ...] = ()
    files: tuple[str, ...] = ()


def nash_text(scenario: str) -> Callable[[], str]:
    """The Nash solution of a built-in scenario as ``print(solution)`` shows it."""
    return lambda: str(bg.nash(bg.scenarios.load(scenario)))


def concept_gains(concept: str) -> Callable[[], str]:
    """ukraine_2025.py's line of a concept's gains, ties and runner-up margin."""

    def text() -> str:
        from bargain.report import runner_up

        talks = bg.scenarios.load("ukraine-2025")
        solution = bg.solve(talks, concept)
        gains = ", ".join(f"{name} {gain:+.3f}" for name, gain in solution.gains.items())
        margin = runner_up(talks, solution).margin
        return f"{concept} gains {gains}; {len(solution.ties)} tie(s) runner-up by {margin:.4f}:"

    return text


def war_value(party: str) -> Callable[[], str]:
    """ukraine_2025.py's line of a party's cost of war and derived no-deal value."""

    def text() -> str:
        talks = bg.scenarios.load("ukraine-2025")
        cost, value = talks.war.costs[party], talks.war.values(talks)[party]
        return (
            f"{party} cost {cost.value:.2f} ({cost.low:.2f} to {cost.high:.2f}) "
            f"-> no-deal value {value:.4f}"
        )

    return text


def nash_text_of_package(scenario: str) -> Callable[[], str]:
    """The Nash package of a built-in scenario, one issue a line, as the examples print it."""

    def text() -> str:
        outcome = bg.nash(bg.scenarios.load(scenario)).outcome
        return "\n".join(f"{issue} {option}" for issue, option in outcome.items())

    return text


NUMBER = r"\d+(?:\.\d+)?"


def anac_text(what: str) -> Callable[[], str]:
    """anac_domains.py's comparison of the Laptop domain, or its frontier line."""

    def text() -> str:
        laptop = bg.genius.load(ROOT / "tests" / "data" / "anac" / "y2011" / "Laptop")
        if what == "compare":
            return str(bg.compare(laptop))
        return f"Pareto frontier: {len(bg.pareto_frontier(laptop))} packages"

    return text


EXAMPLES = {
    "quickstart.py": Prints(
        has=(
            r"12 packages, parties Russia, Ukraine",
            r"nash solution\n\s+territory\s+current front line\n\s+nato\s+postponed",
            r"Russia\s+0\.6400\s+0\.3400\n\s+Ukraine\s+0\.4250\s+0\.1750",
            r"Pareto frontier: 4 packages",
            r"\n\s+2\s+0\.4000\s+0\.7300\n\s+5\s+0\.5200\s+0\.5200\n"
            r"\s+7\s+0\.6400\s+0\.4250\n\s+8\s+0\.8800\s+0\.2750",
        )
    ),
    "ukraine_2025.py": Prints(
        has=(
            *(concept_gains(concept) for concept in bg.CONCEPTS),
            *(war_value(party) for party in ("Russia", "Ukraine", "United States", "Europe")),
            r"stalemate\s+p = 0\.55 \(0\.40 to 0\.70\)",
            r"Ukraine\s+at 0\.2940; tips below at none within reach, above at 0\.3429",
            r"1\. Ukraine's no-deal value falls.*\n(.*\n){1}\s+Ukraine\s+0\.4550\s+\(\+0\.0000\)"
            r"\s+no deal\s+0\.0760",
            r"threat to walk away \(steps 1 to 3\):\n\s+Russia \+0\.0000, Ukraine \+0\.0000, "
            r"United States \+0\.0000, Europe \+0\.0000",
            r"4\. The United States leaves the table.*\n\s+us_aid: continues -> ends",
            nash_text("ukraine-2025-us-walks-away"),
            r"\n  Nash: no deal\n",
            r"0\.9 instead of 0\.75 .*\n\s+nash\s+unchanged\n",
            r"wrote the report to ukraine_2025\.html",
        ),
        files=("ukraine_2025.html",),
    ),
    "classic_concepts.py": Prints(
        has=(
            # closed forms of the continuous share (a quadratic and a square root; for
            # Kalai-Smorodinsky (sqrt(s) + 0.1) / 1.5 = (1 - s / 2) / 1.2375, the Donor's
            # ideal at share 1, the end point of the Treasury's forbidden (0.8, 1.0))
            r"reconstruction share\s+-\s+0\.631258\s+0\.579231\s+0\.538462\s+0\.6\n",
            r"Twelve packages on the table:\n.*\nalternative\s+-\s+6\s+6\s+6\s+0\n",
            r"lotteries over packages allowed:\n.*\nalternative\s+-(\s+8){4}\nprobability",
            r"nash solution\n\s+lottery over packages:",
        )
    ),
    "custom_scenario.py": Prints(
        has=(
            r"--- contract\.toml ---\n# A bargain scenario file",
            r"delivery\s+-\s+next quarter\s+next quarter\s+this month\s+next quarter",
            r"nash solution\n\s+price\s+fair\n\s+delivery\s+next quarter",
            r"Buyer\s+0\.4800\s+0\.1800\n\s+Seller\s+1\.6000\s+1\.1000",
        )
    ),
    "robustness.py": Prints(
        has=(
            nash_text_of_package("ukraine-2025"),
            r"1\. The runners-up\nnash: the 5 best packages",
            r"The runner-up differs on \{.*\} and trails by \d\.\d+\.",
            r"2\. The numbers closest to flipping the deal\n\s+\w+ / ",
            r"breakpoints: ",
            r"the exact package comes out in \d+% of the draws",
        )
    ),
    "anac_domains.py": Prints(
        has=(
            r"Laptop \(ANAC 2011\): 27 packages, parties laptop_buyer_utility",
            anac_text("compare"),
            anac_text("frontier"),
            r"\(ANAC 2014\): 1e\+10 packages",
            *(rf"\n\s+{c}\s+utilities 0\.\d+, 0\.\d+\s+proven optimal: True" for c in bg.CONCEPTS),
            r"exact Pareto frontier: \d+ utility vectors, complete: True",
            # (the reservation values' tipping points, checked by re-solving at each)
            r"egalitarian: package \d+; numbers closest to flipping it first",
            r"profile-1 / disagreement\s+0\.75\s+0\.7277\d+\s+0\.9001\d+",
            r"profile-2 / disagreement\s+0\.75\s+0\.5998\d+\s+0\.7722\d+",
            r"profile-1 / power\s+1\s+never\s+never",
            r"48 negotiations\n\s+strategy\s+utility\s+agreement",
            r"kept in \d+% of 2000 draws, a deal in \d+%",
            r"the same utilities on every package: True",
        ),
        lacks=("False",),
    ),
    "peace_talks_process.py": Prints(
        has=(
            r"alternating: agreement in round \d+ on package \d+",
            r"Who concedes what:\n\s+round\s+\d+\s+\w+",
            r"the same three-party problem:\n\s+territory\s+current front line",
            r"Settled and stated: us_aid = ends, business = none",
            # Zeuthen's concession process ends at the two parties' Nash package
            r"Zeuthen agreement (\{[^}]+\})\nNash package      \1\nSame package: True",
            r"Rubinstein alternating offers\n(.*\n)+\s+Russia\s+0\.\d+\s+\(discount 0\.9500, "
            r"proposes first\)",
        ),
        lacks=("no agreement", "concedes -", "concedes 0.000"),
    ),
}

NEGMAS = importlib.util.find_spec("negmas") is not None

LEXIMIN = ("egalitarian", "kalai_smorodinsky")
"""The concepts whose answer is a leximin (bench_milp.py also times the MILPs of all of it)."""

BENCHMARKS = {
    "bench_milp.py": Prints(
        has=(
            *(rf"\n\s+{c}\s+2\s+5\s+0(\s+{NUMBER}){{3}} True" for c in bg.CONCEPTS),
            rf"largest ratio \(bargain / MILP\) at the threshold: {NUMBER}",
            *(rf"\n\s+{c}\s+2\s+8 rect\s+10\s+0(\s+{NUMBER}){{3}} True" for c in bg.CONCEPTS),
            *(rf"median ratio \(bargain / MILP\) on rectangles {c}: {NUMBER}" for c in bg.CONCEPTS),
            *(
                rf"\n\s+{c}\s+2\s+8 rect\s+10\s+0(\s+{NUMBER}){{3}} True  leximin MILP {NUMBER} "
                rf"ratio {NUMBER}\n"
                for c in LEXIMIN
            ),
            *(
                rf"median ratio \(bargain / leximin MILP\) on rectangles {c}: {NUMBER}"
                for c in LEXIMIN
            ),
        ),
        lacks=(" False",),
    ),
    "bench_lotteries.py": Prints(
        has=(
            r"4 parties, 3 issues x 10 options",
            *(rf"\n\s+0\s+{c}(\s+{NUMBER}){{2}}\s+{NUMBER}x\s" for c in bg.CONCEPTS),
            rf"slowest lottery solve: .*\(max {NUMBER} s; median over concepts {NUMBER} s\)",
        ),
        # a lottery is never worse than the best single package
        lacks=(r"-\d\.\d+e[-+]\d+\s*\n",),
    ),
    "bench_nash_scoring.py": Prints(
        has=(
            rf"median speed-up: pruned {NUMBER}x, forced {NUMBER}x",
            r"peak traced memory: nash \d+ MiB, forced \d+ MiB, broadcast \d+ MiB",
        )
    ),
    "bench_robustness.py": Prints(
        has=(
            rf"speed-up {NUMBER}x wall, {NUMBER}x CPU; same packages on the subsample: yes",
            rf"loop of bg.nash on \d+ of the draws: {NUMBER} ms CPU per draw; ratio {NUMBER}",
            r"\d+ thresholds found and re-solved on both sides",
        ),
        lacks=("same packages on the subsample: no",),
    ),
    "bench_scale.py": Prints(
        has=(
            rf"speed-up vs broadcast: nash min {NUMBER}x median {NUMBER}x",
            rf"\[2\] .*\n\s+\d+ instances: median {NUMBER} ms",
            rf"\[4\] .*90th percentile\n\s+seed 0:\s+{NUMBER} s\s+deal",
        )
    ),
    "bench_simulate.py": Prints(
        has=(
            rf"offer book built once in {NUMBER} s",
            r"20 negotiations .*\(\d+ offers, 20 agreements",
            rf"offer book {NUMBER}x faster per offer, same offers",
        )
    ),
    "bench_genius.py": Prints(
        has=(
            r"domain\s+packages\s+parties\s+frontier\s+negmas s\s+bargain s\s+ratio",
            r"y2013/Ultimatum\s+9\s+2\s+2\s",
            (
                rf"2 domains timed against NegMAS: median ratio {NUMBER}x, minimum {NUMBER}x"
                if NEGMAS
                else r"negmas is not installed \(pip install .*: timing bargain alone"
            ),
        )
    ),
    "bench_tournament.py": Prints(
        has=(
            rf"(?m)^bargain: 48 negotiations in {NUMBER} s = [\d,]+ negotiations/s",
            r"Tournament: 4 strategies, 2 problems, 2 repetitions, alternating protocol",
            (
                rf"(?m)^ratio \(bargain / NegMAS negotiations per second\): {NUMBER}x$"
                if NEGMAS
                else r"NegMAS: not installed"
            ),
        )
    ),
    "bench_negmas.py": Prints(
        has=(
            (
                rf"same Nash same front\n(\s+\d\s+\d+(\s+{NUMBER}){{2}}\s+{NUMBER}x"
                r"\s+True\s+True\n)+",
                r"\(same frontier\)",
            )
            if NEGMAS
            else (r"negmas is not installed",)
        ),
        lacks=("False",),
    ),
}


def run(script: Path, *args: str, cwd: Path) -> str:
    completed = subprocess.run(
        [sys.executable, str(script), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "MPLBACKEND": "Agg"},
    )
    assert completed.returncode == 0, completed.stderr
    return completed.stdout


def check(name: str, out: str, expected: Prints, cwd: Path) -> None:
    for pattern in expected.has:
        if callable(pattern):
            text = pattern()
            shown = " ".join(out.split())
            assert " ".join(text.split()) in shown, f"{name} does not print:\n{text}\n---\n{out}"
        else:
            assert re.search(pattern, out), f"{name}: no match for {pattern!r} in:\n{out}"
    for pattern in expected.lacks:
        assert not re.search(pattern, out), f"{name} prints {pattern!r}:\n{out}"
    for file in expected.files:
        assert (cwd / file).stat().st_size > 0, f"{name} did not write {file}"


def scripts(folder: str, pattern: str) -> list[str]:
    return sorted(path.name for path in (ROOT / folder).glob(pattern))


@pytest.mark.parametrize("script", scripts("examples", "*.py"))
def test_example_prints_its_key_result(script, tmp_path):
    assert script in EXAMPLES, f"examples/{script}: add what it prints to EXAMPLES"
    if "ukraine_2025.png" in EXAMPLES[script].files:
        pytest.importorskip("matplotlib")
    out = run(ROOT / "examples" / script, cwd=tmp_path)
    check(script, out, EXAMPLES[script], tmp_path)


@pytest.mark.parametrize("script", scripts("benchmarks", "bench_*.py"))
def test_benchmark_smoke(script, tmp_path):
    assert script in BENCHMARKS, f"benchmarks/{script}: add what it prints to BENCHMARKS"
    out = run(ROOT / "benchmarks" / script, "--quick", cwd=tmp_path)
    check(script, out, BENCHMARKS[script], tmp_path)


def test_every_entry_names_a_script():
    assert sorted(EXAMPLES) == scripts("examples", "*.py")
    assert sorted(BENCHMARKS) == scripts("benchmarks", "bench_*.py")


def test_the_check_catches_a_wrong_result(tmp_path):
    with pytest.raises(AssertionError, match="does not print"):
        check(
            "x.py", "nash solution\n  nato  barred\n", Prints(has=(lambda: "postponed",)), tmp_path
        )
    with pytest.raises(AssertionError, match="no match"):
        check(
            "x.py",
            "Zeuthen agreement {1}; Nash package {2}\n",
            EXAMPLES["peace_talks_process.py"],
            tmp_path,
        )
    with pytest.raises(AssertionError, match="prints"):
        check("x.py", "same offers, False", Prints(lacks=("False",)), tmp_path)
