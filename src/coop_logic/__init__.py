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

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from coop_logic.errors import CoopLogicError, InputError, RequestError, SolverError, SpecError
from coop_logic.vocabulary import CATEGORIES, FACTS, MEASURES, OFFENCE_FLAGS, STATUSES

# The rest is loaded on first use (PEP 562), so that `import coop_logic`, the command's
# `--help` and the pytest plugin do not load z3 or read any file.
_LAZY = {
    "KnowledgeBase": "engine.knowledge_base",
    "bundled_spec_dir": "engine.knowledge_base",
    "load": "engine.knowledge_base",
    "Offence": "model.request",
    "Request": "model.request",
    "FactStep": "model.result",
    "Overall": "model.result",
    "PartyStep": "model.result",
    "ProvisionStep": "model.result",
    "ReservationStep": "model.result",
    "Result": "model.result",
    "Verdict": "model.result",
}

if TYPE_CHECKING:
    from coop_logic.engine.knowledge_base import KnowledgeBase, bundled_spec_dir, load
    from coop_logic.model.request import Offence, Request
    from coop_logic.model.result import (
        FactStep,
        Overall,
        PartyStep,
        ProvisionStep,
        ReservationStep,
        Result,
        Verdict,
    )


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'coop_logic' has no attribute '{name}'")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


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
