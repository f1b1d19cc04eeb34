"""The two peace-talks examples print the library's analysis (not numbers typed by hand)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import bargain as bg
from bargain.report import runner_up

ROOT = Path(__file__).resolve().parent.parent


def run(name: str, *args: str, cwd: Path) -> str:
    completed = subprocess.run(
        [sys.executable, str(ROOT / "examples" / name), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "MPLBACKEND": "Agg", "PYTHONPATH": str(ROOT)},
    )
    assert completed.returncode == 0, completed.stderr
    return completed.stdout


def test_the_ukraine_example_prints_the_analysis_and_writes_the_report(tmp_path):
    out = run("ukraine_2025.py", "talks.html", cwd=tmp_path)
    talks = bg.scenarios.load("ukraine-2025")
    nash = bg.nash(talks)
    gains = ", ".join(f"{name} {gain:+.3f}" for name, gain in nash.gains.items())
    assert f"  nash               gains {gains}; 1 tie(s)" in out
    margin = nash.score - runner_up(talks, nash).score
    assert f"runner-up by {margin:.4f}" in out
    for name, value in talks.war.values(talks).items():
        assert f"  {name:<17} cost 0.10" in out and f"-> no-deal value {value:.4f}" in out
    assert "Russia +0.0000, Ukraine +0.0000, United States +0.0000" in out
    walked = bg.nash(bg.scenarios.load("ukraine-2025-us-walks-away"))
    assert f"  Ukraine   {walked.utilities['Ukraine']:.4f}   {walked.gains['Ukraine']:.4f}" in out
    assert "  Nash: no deal" in out
    report = (tmp_path / "talks.html").read_text(encoding="utf-8")
    assert report.startswith("<!DOCTYPE html>") and "What if: one change at a time" in report
    assert out.endswith("wrote the report to talks.html\n")


def test_the_process_example_compares_like_with_like(tmp_path):
    out = run("peace_talks_process.py", cwd=tmp_path)
    assert "Settled and stated: us_aid = ends, business = none" in out
    assert "Same package: True" in out
    for line in out.splitlines():
        if line.startswith("  round") and " concedes " in line:
            assert float(line.split(" concedes ")[1].split()[0]) > 0
