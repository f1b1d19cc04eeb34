"""bargain: game-theoretic bargaining analysis.

>>> import bargain as bg
>>> bg.nash(bg.Problem.from_utilities([[5, 1], [1, 5], [2, 2]])).ties
(0, 1)
"""

from .concepts import nash
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
    "AdditiveUtility",
    "BargainError",
    "BargainTypeError",
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
    "nash",
    "pareto_frontier",
]
