"""The README's first hour: every command it shows runs as written, the scenario file
it prints is the one shipped, its test command is what CI runs, and every install
hint names the distribution (``bargaining``), not the unrelated ``bargain``."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest

from bargain.cli import main

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, re.S)


def commands(program: str) -> list[str]:
    """Every line of the README's shell blocks that runs ``program``, comments removed."""
    lines = (line.split(" #")[0].strip() for block in blocks("bash") for line in block.split("\n"))
    return [line for line in lines if line.split()[:1] == [program]]


@pytest.mark.parametrize("command", commands("bargain"))
def test_every_bargain_command_of_the_readme_runs(command, tmp_path, monkeypatch, capsys):
    argv = shlex.split(command)[1:]
    if "plot" in argv:
        pytest.importorskip("matplotlib")
    (tmp_path / "examples").mkdir()
    for path in (ROOT / "examples").glob("*.toml"):
        shutil.copy(path, tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    status = main(argv)
    out, err = capsys.readouterr()
    assert status == 0 and not err, err
    assert out.strip()


def test_the_readme_shows_the_commands_it_promises():
    shown = commands("bargain")
    promised = ("scenarios", "show", "solve", "compare", "frontier", "plot", "simulate")
    for command in (*promised, "--version"):
        assert any(line.split()[1] == command for line in shown), command


def test_the_printed_scenario_file_is_the_shipped_one():
    (toml,) = blocks("toml")
    assert (ROOT / "examples" / "parts_contract.toml").read_text(encoding="utf-8") == toml


def test_ci_runs_the_readme_test_command():
    (test_command,) = [c for c in commands("python3") if "pytest" in c]
    install = re.search(r"pip install -e '(\.\[[a-z,]+\])'", test_command).group(1)
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert f"pip install --quiet -e '{install}'" in ci
    assert test_command.endswith("&& python -m pytest")
    assert ci.rstrip().endswith("python -m pytest")


def test_install_hints_name_the_distribution():
    # 'bargain' on the package index is an unrelated project
    files = [ROOT / "README.md", ROOT / "pyproject.toml"]
    for folder in ("bargain", "examples", "benchmarks"):
        files += (ROOT / folder).rglob("*.py")
    wrong = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in files
        for match in re.finditer(r"\bbargain\[\w+\]|pip install '?bargain\b", path.read_text())
    ]
    assert not wrong
    assert "pip install 'bargaining[plot]'" in README


def test_the_citation_and_the_package_agree_on_the_version():
    import bargain

    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    citation = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    (version,) = re.findall(r'(?m)^version = "([^"]+)"', pyproject)
    assert bargain.__version__ == version
    assert re.search(rf"(?m)^version: {re.escape(version)}$", citation)
    assert re.search(r"(?m)^license: MIT$", citation) and 'license = "MIT"' in pyproject
