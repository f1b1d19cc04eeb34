"""bargain: game-theoretic bargaining analysis.

>>> import bargain as bg
>>> bg.nash(bg.Problem.from_utilities([[5, 1], [1, 5], [2, 2]])).ties
(0, 1)
"""

from . import genius, io, report, scenarios, shapes, threats, war, whatif
from .concepts import (
    CONCEPTS,
    Comparison,
    compare,
    egalitarian,
    kalai_smorodinsky,
    nash,
    solve,
    utilitarian,
)
from .dynamics import (
    BaronFerejohn,
    CoalitionDeal,
    Offer,
    Rubinstein,
    Tournament,
    Trace,
    baron_ferejohn,
    coalition_deal,
    rubinstein,
    simulate,
    strategies,
    tournament,
)
from .errors import (
    BargainError,
    BargainTypeError,
    ContinuousSpaceError,
    DuplicateNameError,
    ImmutableError,
    MissingDependencyError,
    OutOfRangeError,
    ScenarioFileError,
    SolverError,
    UnknownNameError,
    ValidationError,
)
from .frontier import pareto_frontier
from .generate import random_interaction_problem, random_problem, random_rectangle_problem
from .io import load, save
from .plotting import plot, plot_frequencies, plot_tipping_points
from .problem import Party, Problem
from .sensitivity import noise, ranking, robustness, sweep, tipping_points
from .solution import Frontier, Solution
from .space import ContinuousIssue, Issue, OutcomeSpace
from .threats import threat_path
from .utility import AdditiveUtility, Rectangle, RectangleUtility
from .war import fearon_disagreement
from .whatif import whatif_chain

__version__ = "0.1.0"

__all__ = [
    "CONCEPTS",
    "AdditiveUtility",
    "BargainError",
    "BargainTypeError",
    "BaronFerejohn",
    "CoalitionDeal",
    "Comparison",
    "ContinuousIssue",
    "ContinuousSpaceError",
    "DuplicateNameError",
    "Frontier",
    "ImmutableError",
    "Issue",
    "MissingDependencyError",
    "Offer",
    "OutOfRangeError",
    "OutcomeSpace",
    "Party",
    "Problem",
    "Rectangle",
    "RectangleUtility",
    "Rubinstein",
    "ScenarioFileError",
    "Solution",
    "SolverError",
    "Tournament",
    "Trace",
    "UnknownNameError",
    "ValidationError",
    "baron_ferejohn",
    "coalition_deal",
    "compare",
    "egalitarian",
    "fearon_disagreement",
    "genius",
    "io",
    "kalai_smorodinsky",
    "load",
    "nash",
    "noise",
    "pareto_frontier",
    "plot",
    "plot_frequencies",
    "plot_tipping_points",
    "random_interaction_problem",
    "random_problem",
    "random_rectangle_problem",
    "ranking",
    "report",
    "robustness",
    "rubinstein",
    "save",
    "scenarios",
    "shapes",
    "simulate",
    "solve",
    "strategies",
    "sweep",
    "threat_path",
    "threats",
    "tipping_points",
    "tournament",
    "utilitarian",
    "war",
    "whatif",
    "whatif_chain",
]
