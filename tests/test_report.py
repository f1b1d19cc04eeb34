"""The report: one self-contained HTML file (or Markdown) whose numbers are the library's."""

from __future__ import annotations

import base64
import sys
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest

import bargain as bg
from bargain import report
from bargain.cli import main
from bargain.threats import threat_path
from bargain.whatif import whatif_chain

BASE = "ukraine-2025"


class Tables(HTMLParser):
    """Collects the tables (header and rows of cells, a cell's data-value kept), the
    headings, and every src/href."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[dict] = []
        self.headings: list[str] = []
        self.links: list[str] = []
        self.cell: dict | None = None
        self.heading: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.links += [attrs[k] for k in ("src", "href") if k in attrs]
        if tag == "table":
            self.tables.append({"header": [], "rows": []})
        elif tag == "tr":
            self.tables[-1]["rows"].append([])
        elif tag in ("td", "th"):
            self.cell = {"tag": tag, "text": "", "value": attrs.get("data-value")}
        elif tag in ("h1", "h2", "h3", "h4"):
            self.heading = []

    def handle_data(self, data):
        if self.cell is not None:
            self.cell["text"] += data
        if self.heading is not None:
            self.heading.append(data)

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            table = self.tables[-1]
            if self.cell["tag"] == "th":
                table["header"].append(self.cell["text"])
            else:
                table["rows"][-1].append(self.cell)
            self.cell = None
        elif tag in ("h1", "h2", "h3", "h4") and self.heading is not None:
            self.headings.append("".join(self.heading))
            self.heading = None

    def table(self, first_header: str, contains: str) -> dict:
        for table in self.tables:
            if table["header"][:1] == [first_header] and contains in table["header"]:
                table["rows"] = [row for row in table["rows"] if row]
                return table
        raise AssertionError(f"no table headed {first_header!r} with {contains!r}")


def parsed(text: str) -> Tables:
    parser = Tables()
    parser.feed(text)
    parser.close()
    return parser


@pytest.fixture(scope="module")
def talks():
    problem = bg.scenarios.load(BASE)
    chain = whatif_chain(problem, bg.scenarios.whatifs(BASE))
    return problem, chain, report.report(problem, name=BASE, chain=chain)


def test_the_html_parses_and_needs_nothing_outside_the_file(talks):
    _, _, text = talks
    page = parsed(text)
    assert page.headings[0] == "Peace talks on the war in Ukraine, April 2025"
    for section in ("The problem", "Solutions", "Threats: how far each no-deal value can move"):
        assert section in page.headings
    assert all(link.startswith("data:") for link in page.links)
    assert "<script" not in text


def test_the_utility_space_is_an_embedded_png(talks):
    pytest.importorskip("matplotlib")
    links = parsed(talks[2]).links
    assert len(links) == 3  # the frequencies, the tipping points, the utility space
    png = base64.b64decode(links[0].removeprefix("data:image/png;base64,"))
    assert png.startswith(b"\x89PNG\r\n\x1a\n")


def test_the_solution_numbers_are_the_librarys(talks):
    problem, _, text = talks
    table = parsed(text).table("party", "nash utility")
    comparison = bg.compare(problem)
    header = table["header"]
    no_deal = {
        **dict(zip(problem.party_names, problem.disagreement)),
        **problem.observer_disagreement(),
    }
    names = [row[0]["text"].removesuffix(report.OBSERVER) for row in table["rows"]]
    assert (
        names
        == [*problem.party_names, *problem.observer_names]
        == [
            "Russia",
            "Ukraine",
            "United States",
            "Europe",
        ]
    )
    for name, row in zip(names, table["rows"]):
        assert float(row[1]["value"]) == no_deal[name]
        for concept, solution in comparison.solutions.items():
            column = header.index(f"{concept} utility")
            utility = {**solution.utilities, **solution.observer_utilities}[name]
            assert float(row[column]["value"]) == utility
            assert float(row[column + 1]["value"]) == utility - no_deal[name]
            if name in solution.gains:
                assert float(row[column + 1]["value"]) == solution.gains[name]


def test_the_packages_ties_and_runner_up_margins_are_the_librarys(talks):
    problem, _, text = talks
    table = parsed(text).table("concept", "margin")
    for row in table["rows"]:
        solution = bg.solve(problem, row[0]["text"])
        for issue, option in solution.outcome.items():
            assert f"{issue}: {option}" in row[1]["text"]
        assert row[2]["text"] == str(len(solution.ties))
        second = report.runner_up(problem, solution)
        assert float(row[4]["value"]) == second.margin
        assert second.index not in solution.ties
        if solution.concept == "nash":  # the log Nash product: the same scale as the score
            assert second.margin == pytest.approx(
                solution.score
                - np.log(
                    np.prod(
                        [u - d for u, d in zip(second.utilities.values(), problem.disagreement)]
                    )
                ),
                abs=1e-12,
            )


def test_the_runner_up_is_the_best_package_once_the_winners_are_gone():
    problem = bg.Problem.from_utilities([[5, 1], [1, 5], [3, 3], [2, 2.4]])
    solution = bg.nash(problem)
    assert solution.ties == (2,)
    second = report.runner_up(problem, solution)
    assert second.index == 0 and second.margin == pytest.approx(np.log(9) - np.log(5))
    tied = bg.Problem.from_utilities([[5, 1], [1, 5], [2, 2]])
    assert bg.nash(tied).ties == (0, 1)
    assert report.runner_up(tied, bg.nash(tied)).index == 2


def test_the_robustness_section_is_the_librarys_monte_carlo_and_tipping_points(talks):
    problem, _, text = talks
    page = parsed(text)
    assert "Robustness of the Nash package" in page.headings
    shares = page.table("share of draws", "package")
    uncertain = bg.io.uncertainty(problem)  # the file's error bars, else the report's noise
    expected = bg.robustness(
        problem,
        uncertain,
        noise=None if uncertain else bg.noise(**report.ROBUSTNESS_NOISE),
        draws=report.ROBUSTNESS_DRAWS,
        rng=0,
    )
    assert [(float(r[0]["value"]), int(r[1]["text"])) for r in shares["rows"]] == [
        (p.frequency, p.index) for p in expected.packages[: report.PACKAGE_ROWS]
    ]
    assert int(shares["rows"][0][1]["text"]) == bg.nash(problem).index
    tipping = page.table("number", "flips below")
    points = list(bg.tipping_points(problem))[: report.TIPPING_ROWS]
    assert [r[0]["text"] for r in tipping["rows"]] == [
        " / ".join(map(str, row.selector)) for row in points
    ]
    assert [float(r[1]["value"]) for r in tipping["rows"]] == [row.value for row in points]


def test_the_threat_paths_breakpoints_are_the_tipping_points_of_a_no_deal_value():
    problem = bg.scenarios.load(BASE)
    path = threat_path(problem, "Ukraine", -0.5, 1.0)
    row = bg.tipping_points(problem, numbers=[("Ukraine", "disagreement")])[
        ("Ukraine", "disagreement")
    ]
    assert row.lower == pytest.approx(path.breakpoints[0], abs=1e-6)
    assert row.upper == pytest.approx(path.breakpoints[1], abs=1e-6)


def test_the_tipping_values_are_the_threat_paths_breakpoints(talks):
    problem, _, text = talks
    table = parsed(text).table("party", "tipping value")
    for row in table["rows"]:
        if row[2]["value"] is None:
            continue
        name = row[0]["text"]
        d = float(problem.disagreement[problem.party_position(name)])
        path = threat_path(problem, name, d - report.THREAT_REACH, d + report.THREAT_REACH)
        assert float(row[2]["value"]) in path.breakpoints


def test_the_war_model_and_the_what_if_chain_are_in_the_report(talks):
    problem, chain, text = talks
    page = parsed(text)
    war = page.table("war ends in", "probability")
    assert [float(row[1]["value"]) for row in war["rows"]] == [
        outcome.probability.value for outcome in problem.war.outcomes
    ]
    steps = page.table("step", "change")
    assert [row[1]["text"] for row in steps["rows"]] == [step.change for step in chain.steps]
    assert f"no deal {chain.steps[-1].disagreement['Ukraine']:.4f}" in steps["rows"][-1][4]["text"]


def test_without_matplotlib_the_report_says_so_and_keeps_every_number(monkeypatch):
    plotting = sys.modules["bargain.plotting"]

    def missing(*args, **kwargs):
        raise bg.MissingDependencyError("plot needs matplotlib")

    for name in ("plot", "plot_frequencies", "plot_tipping_points"):
        monkeypatch.setattr(plotting, name, missing)
    problem = bg.scenarios.load(BASE)
    text = report.report(problem)
    assert text.count("No picture: plot needs matplotlib.") == 3
    assert "data:image/png" not in text
    assert parsed(text).table("party", "nash utility")["rows"]


def test_markdown_holds_the_same_tables():
    problem = bg.scenarios.load(BASE)
    text = report.report(problem, format="markdown", figure=False)
    nash = bg.nash(problem)
    assert text.startswith("# Peace talks on the war in Ukraine, April 2025\n")
    solutions = text[text.index("## Solutions") :].splitlines()
    row = next(line for line in solutions if line.startswith("| Ukraine |"))
    assert row.startswith(
        f"| Ukraine | 0.2940 | {nash.utilities['Ukraine']:.4f} | {nash.gains['Ukraine']:.4f} |"
    )


def test_markdown_shows_notes_and_names_as_text_never_as_html():
    space = bg.OutcomeSpace([bg.Issue("line", ["holds", "moves"])])
    scenario = {"description": "Ukraine <b>insists</b> & Russia | waits"}
    parties = [
        bg.Party("A<i>", bg.AdditiveUtility({"line": [1.0, 0.0]})),
        bg.Party("B", bg.AdditiveUtility({"line": [0.0, 1.0]})),
    ]
    problem = bg.Problem(space, parties, notes={bg.io.SCENARIO_PATH: scenario})
    text = report.report(problem, format="markdown", figure=False, threats=False)
    assert "Ukraine &lt;b&gt;insists&lt;/b&gt; &amp; Russia | waits" in text
    assert "| A&lt;i&gt; |" in text
    assert "<b>" not in text and "<i>" not in text


def test_an_unknown_format_is_refused():
    with pytest.raises(bg.UnknownNameError, match="unknown format 'pdf'"):
        report.report(bg.Problem.from_utilities([[1, 1]]), format="pdf")


def test_the_command_writes_html_or_markdown(tmp_path, capsys):
    page = tmp_path / "report.html"
    assert main(["report", BASE, "-o", str(page)]) == 0
    assert capsys.readouterr().out == f"wrote {page}\n"
    assert parsed(page.read_text(encoding="utf-8")).table("step", "change")
    notes = tmp_path / "report.md"
    assert main(["report", BASE, "-o", str(notes)]) == 0
    assert notes.read_text(encoding="utf-8").startswith("# Peace talks")
    other = tmp_path / "report.txt"
    assert main(["report", BASE, "-o", str(other), "--format", "markdown"]) == 0
    assert other.read_text(encoding="utf-8").startswith("# Peace talks")


def test_rectangle_and_interaction_utilities_are_shown_as_written():
    """A GENIUS domain whose linear profile is capped (Laptop: rectangles per option) and a
    party with an interaction table: the report lists the bonuses, not weights it lacks."""
    laptop = bg.genius.load(Path(__file__).parent / "data/anac/y2011/Laptop")
    text = report.report(laptop, format="markdown", figure=False, threats=False)
    assert "A rectangle utility of 9 rectangles" in text
    assert "divided by 1, at most 1" in text
    space = bg.OutcomeSpace(
        [bg.Issue("line", ["holds", "moves"]), bg.Issue("crimea", ["no", "yes"])]
    )
    linked = bg.AdditiveUtility(
        {"line": [1.0, 0.0], "crimea": [0.0, 1.0]},
        interactions={("line", "crimea"): [[0.0, 0.25], [0.0, 0.0]]},
    )
    plain = bg.AdditiveUtility({"line": [0.0, 1.0], "crimea": [1.0, 0.0]})
    problem = bg.Problem(space, [bg.Party("A", linked), bg.Party("B", plain)])
    text = report.report(problem, format="markdown", figure=False)
    assert "holds / yes +0.25" in text and "line x crimea" in text


def test_notes_on_rectangles_and_interactions_show_in_the_why_column():
    """Each note stands in its own rectangle's or interaction table's row, in HTML and
    Markdown, also a rectangle's past the listed ones (it was left off with them)."""
    space = bg.OutcomeSpace([bg.Issue("a", ["0", "1", "2"]), bg.Issue("b", ["0", "1"])])
    boxes = bg.RectangleUtility(
        [bg.Rectangle(float(k), {"a": ("0", "1"), "b": ("1", "1")}) for k in range(35)]
        + [bg.Rectangle(-0.5, {"b": ("0", "0")})],
        maximum=64.0,
        cap=1.0,
    )
    noted = {
        "rectangles[1]": {"rationale": "first box why"},
        "rectangles[35]": {"rationale": "last box why"},
    }
    linked = bg.AdditiveUtility(
        {"a": [0.0, 0.5, 1.0], "b": [1.0, 0.0]},
        interactions={("b", "a"): [[0.0, 0.25, 0.0], [0.0, 0.0, -0.5]]},
    )
    problem = bg.Problem(
        space,
        [
            bg.Party("A", boxes, notes=noted),
            bg.Party("B", linked, notes={"interactions[0]": {"rationale": "pair why"}}),
        ],
    )
    text = report.report(problem, format="markdown", figure=False, threats=False)
    assert "| 1 | 1.0000 | a 0 to 1; b 1 to 1 | first box why |" in text
    assert "| 35 | -0.5000 | b 0 to 0 | last box why |" in text
    assert "| 34 |" not in text and "... and 5 more rectangles." in text
    assert "| b x a | 0 / 1 +0.25; 1 / 2 -0.5 | pair why |" in text
    page = report.report(problem, format="html", figure=False, threats=False)
    assert '<td>35</td><td class="number" data-value="-0.5">-0.5000</td>' in page
    assert "<td>b 0 to 0</td><td>last box why</td>" in page
    assert "<td>0 / 1 +0.25; 1 / 2 -0.5</td><td>pair why</td>" in page


def test_the_noise_of_rectangle_utilities_names_only_their_numbers():
    """Parties with rectangle utilities have no option values or weights to shake: the
    robustness section says it moves their no-deal values only."""
    problem = bg.random_rectangle_problem(2, 3, 3, n_rectangles=4, rng=1)
    text = report.report(problem, format="markdown", figure=False, threats=False)
    assert "over noise on every number: no-deal values +/- 0.05, uniform" in text
    assert "option values +/-" not in text
