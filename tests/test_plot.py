"""Pictures: the points drawn are the allowed packages' utilities, and the figures render."""

from __future__ import annotations

import struct
import sys

import numpy as np
import pytest
from hypothesis import given

import bargain as bg
from bargain.errors import MissingDependencyError
from bargain.plotting import package_utilities

from . import reference
from .strategies import problems

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(path) -> tuple[int, int]:
    """Width and height from a PNG file's IHDR chunk (after checking the signature)."""
    data = path.read_bytes()
    assert data[:8] == PNG_SIGNATURE
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def sorted_rows(rows: np.ndarray) -> np.ndarray:
    return rows[np.lexsort(rows.T[::-1])] if len(rows) else rows


@given(problems(max_parties=3))
def test_the_points_are_exactly_the_allowed_packages(problem):
    utilities, complete = package_utilities(problem)
    expected = np.array(list(reference.package_utilities(problem).values()))
    assert complete
    assert len(utilities) == len(expected)
    assert utilities.shape[1] == problem.n_parties
    if len(expected):
        np.testing.assert_array_equal(sorted_rows(utilities), sorted_rows(expected))


@given(problems(max_parties=3))
def test_a_sample_draws_only_allowed_packages_and_is_reproducible(problem):
    allowed = set(reference.package_utilities(problem).values())
    utilities, complete = package_utilities(problem, max_points=3, rng=7)
    if len(allowed) > 3:
        assert not complete and utilities.shape == (3, problem.n_parties)
        assert {tuple(row) for row in utilities.tolist()} <= allowed
        again, _ = package_utilities(problem, max_points=3, rng=7)
        np.testing.assert_array_equal(utilities, again)


def test_two_parties_render_one_panel(tmp_path):
    pytest.importorskip("matplotlib")
    problem = bg.Problem.from_utilities(
        [[k, 8 - k] for k in range(9)], disagreement=[1, 1], names=["A", "B"]
    )
    figure = bg.plot(problem, title="pie")
    visible = [ax for ax in figure.axes if ax.get_visible()]
    assert len(visible) == 1
    assert visible[0].get_xlabel() == "utility of A"
    texts = {text.get_text() for text in visible[0].texts}
    assert any("nash" in text for text in texts)
    path = tmp_path / "pie.png"
    figure.savefig(path, dpi=50)
    width, height = png_size(path)
    assert width > 100 and height > 100


def test_four_parties_render_a_grid_of_pairwise_projections(tmp_path):
    pytest.importorskip("matplotlib")
    problem = bg.random_problem(4, 3, 4, rng=2025)
    figure = bg.plot(problem, concepts=["nash"], max_points=200)
    visible = [ax for ax in figure.axes if ax.get_visible()]
    assert len(visible) == 6  # 4 choose 2
    labels = {(ax.get_xlabel(), ax.get_ylabel()) for ax in visible}
    first, second = problem.party_names[:2]
    assert (f"utility of {first}", f"utility of {second}") in labels
    path = tmp_path / "talks.png"
    figure.savefig(path, dpi=40)
    assert png_size(path)[0] > 200


def test_a_problem_without_agreement_says_so_in_the_legend():
    pytest.importorskip("matplotlib")
    problem = bg.Problem.from_utilities([[1, 0], [0, 1]], disagreement=[2, 2])
    figure = bg.plot(problem, concepts=["nash"])
    texts = [text.get_text() for legend in figure.legends for text in legend.get_texts()]
    assert "nash: no agreement" in texts


def test_without_matplotlib_the_error_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    problem = bg.Problem.from_utilities([[1, 0], [0, 1]])
    with pytest.raises(MissingDependencyError, match=r"pip install 'bargaining\[plot\]'"):
        bg.plot(problem)


@pytest.mark.parametrize(
    ("problem", "options", "message"),
    [
        (bg.Problem.from_utilities([[1], [2]]), {}, "at least two"),
        (bg.Problem.from_utilities([[1, 0]]), {"max_points": 0}, "max_points must be >= 1"),
        (bg.Problem.from_utilities([[1, 0]]), {"max_points": 2.5}, "must be an integer"),
        ("not a problem", {}, "problem must be a bargain.Problem"),
    ],
)
def test_bad_arguments_are_named(problem, options, message):
    with pytest.raises(bg.BargainError, match=message):
        bg.plot(problem, **options)
