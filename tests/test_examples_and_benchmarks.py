"""Every example runs, and every benchmark runs as a quick smoke test."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.py"))
BENCHMARKS = sorted((ROOT / "benchmarks").glob("bench_*.py"))


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
    assert completed.stdout.strip(), f"{script.name} printed nothing"
    return completed.stdout


@pytest.mark.parametrize("script", EXAMPLES, ids=lambda p: p.name)
def test_example_runs(script, tmp_path):
    run(script, cwd=tmp_path)


@pytest.mark.parametrize("script", BENCHMARKS, ids=lambda p: p.name)
def test_benchmark_smoke(script, tmp_path):
    run(script, "--quick", cwd=tmp_path)


def test_the_milp_benchmark_agrees_with_highs(tmp_path):
    """Every row of the quick MILP comparison reports the same objective for both."""
    out = run(ROOT / "benchmarks" / "bench_milp.py", "--quick", cwd=tmp_path)
    rows = [line for line in out.splitlines() if line.rstrip().endswith(("True", "False"))]
    assert len(rows) >= 9
    assert all(line.rstrip().endswith("True") for line in rows)
