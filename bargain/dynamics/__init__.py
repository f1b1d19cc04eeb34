"""Bargaining as a process: alternating offers (:mod:`.alternating_offers`),
legislative and coalition bargaining (:mod:`.legislative`, :mod:`.coalitions`),
simulations of concession (:mod:`.protocols`, :mod:`.strategies`) and ANAC-style
tournaments (:mod:`.tournaments`).

This is the analyses layer: it builds on the model, the engine and the
solution concepts, and nothing below it imports it.
"""

from . import strategies
from .alternating_offers import Rubinstein, rubinstein
from .book import OfferBook, offer_book
from .coalitions import CoalitionDeal, coalition_deal, feasible_coalitions
from .legislative import BaronFerejohn, baron_ferejohn
from .protocols import PROTOCOLS, simulate
from .tournaments import Negotiation, Scores, Tournament, tournament
from .trace import Offer, Trace

__all__ = [
    "PROTOCOLS",
    "BaronFerejohn",
    "CoalitionDeal",
    "Negotiation",
    "Offer",
    "OfferBook",
    "Rubinstein",
    "Scores",
    "Tournament",
    "Trace",
    "baron_ferejohn",
    "coalition_deal",
    "feasible_coalitions",
    "offer_book",
    "rubinstein",
    "simulate",
    "strategies",
    "tournament",
]
