"""Start-up stays fast: the heavy libraries are imported where they are used, not by
``import bargain`` or by the command line's quick commands."""

from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY = (
    "scipy.optimize",
    "scipy.sparse",
    "scipy.stats",
    "networkx",
    "matplotlib",
    "pandas",
    "dask",
)

CHECK = """
import sys
{code}
print("heavy:", *(name for name in {heavy!r} if name in sys.modules))
"""


def imported_after(code: str) -> list[str]:
    """The heavy modules present in ``sys.modules`` after running ``code`` in a fresh Python."""
    completed = subprocess.run(
        [sys.executable, "-c", CHECK.format(code=code, heavy=HEAVY)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    last = completed.stdout.splitlines()[-1].split()
    assert last[0] == "heavy:"
    return last[1:]


@pytest.mark.parametrize(
    "code",
    [
        "import bargain",
        "import bargain.cli as cli; cli.main(['scenarios'])",
        "import bargain.cli as cli; cli.main(['show', 'ukraine-2025'])",
    ],
)
def test_import_and_quick_commands_leave_heavy_modules_alone(code):
    assert imported_after(code) == []


def test_the_check_sees_a_heavy_import():
    # the check above cannot pass vacuously: solving a continuous problem needs scipy.optimize
    code = (
        "import numpy as np, bargain as bg\n"
        "share = bg.Issue.continuous('share', 0.0, 1.0)\n"
        "a = bg.Party('A', bg.AdditiveUtility(values={'share': np.sqrt}))\n"
        "b = bg.Party('B', bg.AdditiveUtility(values={'share': lambda x: 1 - x}))\n"
        "bg.nash(bg.Problem(bg.OutcomeSpace([share]), [a, b]))"
    )
    assert "scipy.optimize" in imported_after(code)


def test_no_name_hides_a_module():
    # `from .plot import plot` once made `bargain.plot` the function, not the module; the
    # concept modules are named `<concept>_solution` so that `bargain.concepts.nash` is the
    # function and `bargain.concepts.nash_solution` its module.
    import importlib
    import pkgutil

    import bargain

    names = [
        info.name
        for info in pkgutil.walk_packages(bargain.__path__, "bargain.")
        if not info.name.endswith("__main__")  # running it is the command line
    ]
    assert {"bargain.plotting", "bargain.concepts.nash_solution", "bargain.dynamics.book"} <= set(
        names
    )
    for name in names:
        module = importlib.import_module(name)
        parent, _, attribute = name.rpartition(".")
        assert getattr(sys.modules[parent], attribute) is module, name


def test_pictures_use_no_pyplot_state():
    pytest.importorskip("matplotlib")
    code = (
        "import bargain as bg\n"
        "pie = bg.Problem.from_utilities([[k, 8 - k] for k in range(9)])\n"
        "bg.simulate(pie, rounds=10).plot().figure.savefig('/dev/null', format='png')\n"
        "bg.plot(pie).savefig('/dev/null', format='png')\n"
        "print('heavy:', 'matplotlib.pyplot' in sys.modules, 'matplotlib' in sys.modules)"
    )
    completed = subprocess.run(
        [sys.executable, "-c", "import sys\n" + code],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.split() == ["heavy:", "False", "True"]
