"""bargain: game-theoretic bargaining analysis.

>>> import bargain as bg
>>> bg.nash(bg.Problem.from_utilities([[5, 1], [1, 5], [2, 2]])).ties
(0, 1)
"""

from .concepts import CONCEPTS, Comparison, compare, nash, solve
from .errors import (
    BargainError,
    BargainTypeError,
    DuplicateNameError,
    OutOfRangeError,
    SolverError,
    UnknownNameError,
    ValidationError,
)
from .frontier import pareto_frontier
from .problem import Party, Problem
from .solution import Frontier, Solution
from .space import Issue, OutcomeSpace
from .utility import AdditiveUtility

__version__ = "0.1.0"

__all__ = [
    "CONCEPTS",
    "AdditiveUtility",
    "BargainError",
    "BargainTypeError",
    "Comparison",
    "DuplicateNameError",
    "Frontier",
    "Issue",
    "OutOfRangeError",
    "OutcomeSpace",
    "Party",
    "Problem",
    "Solution",
    "SolverError",
    "UnknownNameError",
    "ValidationError",
    "compare",
    "nash",
    "pareto_frontier",
    "solve",
]
