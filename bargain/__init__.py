"""bargain: game-theoretic bargaining analysis.

>>> import bargain as bg
>>> bg.nash(bg.Problem.from_utilities([[5, 1], [1, 5], [2, 2]])).ties
(0, 1)
"""

from . import genius, io, scenarios, shapes
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
    Trace,
    baron_ferejohn,
    coalition_deal,
    rubinstein,
    simulate,
    strategies,
)
from .errors import (
    BargainError,
    BargainTypeError,
    ContinuousSpaceError,
    DuplicateNameError,
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
from .plot import plot
from .problem import Party, Problem
from .solution import Frontier, Solution
from .space import ContinuousIssue, Issue, OutcomeSpace
from .utility import AdditiveUtility, Rectangle, RectangleUtility

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
    "Trace",
    "UnknownNameError",
    "ValidationError",
    "baron_ferejohn",
    "coalition_deal",
    "compare",
    "egalitarian",
    "genius",
    "io",
    "kalai_smorodinsky",
    "load",
    "nash",
    "pareto_frontier",
    "plot",
    "random_interaction_problem",
    "random_problem",
    "random_rectangle_problem",
    "rubinstein",
    "save",
    "scenarios",
    "shapes",
    "simulate",
    "solve",
    "strategies",
    "utilitarian",
]
