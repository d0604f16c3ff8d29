"""coop_logic: the law of international cooperation against cybercrime, as logic.

Load the specs once, then evaluate requests:

    >>> import coop_logic
    >>> kb = coop_logic.load()
    >>> result = kb.evaluate({"requesting_state": "FR", "requested_state": "US",
    ...                       "measure": "expedited_preservation",
    ...                       "offence": {"category": "illegal_access"}})
    >>> result["budapest"].status
    'mandatory'

Everything users touch is re-exported here; other modules may change.
"""

from .errors import CoopLogicError, InputError, RequestError, SolverError, SpecError
from .kb import KnowledgeBase, bundled_spec_dir, load
from .request import Offence, Request
from .result import FactStep, Overall, PartyStep, ProvisionStep, ReservationStep, Result, Verdict
from .vocabulary import CATEGORIES, FACTS, MEASURES, OFFENCE_FLAGS, STATUSES

__all__ = [
    "CATEGORIES",
    "FACTS",
    "MEASURES",
    "OFFENCE_FLAGS",
    "STATUSES",
    "CoopLogicError",
    "FactStep",
    "InputError",
    "KnowledgeBase",
    "Offence",
    "Overall",
    "PartyStep",
    "ProvisionStep",
    "Request",
    "RequestError",
    "ReservationStep",
    "Result",
    "SolverError",
    "SpecError",
    "Verdict",
    "bundled_spec_dir",
    "load",
]

__version__ = "0.1.0"
