"""What-if answers do not depend on what the knowledge base answered before: the same
question gets the same answer after other what-ifs in the same process and in a fresh
process (item: canonical what-if)."""

from __future__ import annotations

import json
import random
import subprocess
import sys

import coop_logic
from coop_logic.practice.whatif import what_if

_STATES = ["FR", "US", "DE", "JP", "BR", "NG", "IN", "CN", "RU", "GB", "ZA", "MX", "AU", "NO",
           "CH"]
_MEASURES = ["evidence_collection", "extradition", "expedited_preservation",
             "stored_data_access", "subscriber_information", "content_interception"]
_TARGETS = ["mandatory", "refusable", "discretionary"]


def _requests(seed: int, n: int) -> list[tuple[dict, str, bool]]:
    rng = random.Random(seed)
    facts = sorted(coop_logic.FACTS)
    out = []
    for _ in range(n):
        a, b = rng.sample(_STATES, 2)
        out.append(({
            "requesting_state": a, "requested_state": b, "measure": rng.choice(_MEASURES),
            "date": "2026-06-01",
            "offence": {"category": rng.choice(sorted(coop_logic.CATEGORIES)),
                        "max_penalty_years": rng.choice([0.5, 1, 3, 5, 12])},
            "facts": {f: rng.random() < 0.3 for f in rng.sample(facts, 8)}},
            rng.choice(_TARGETS), rng.random() < 0.5))
    return out


REQUESTS = _requests(1, 40)


def _answer(kb: coop_logic.KnowledgeBase, i: int) -> str:
    request, target, closed = REQUESTS[i]
    return json.dumps(what_if(kb, request, target, closed_world=closed).to_dict(),
                      sort_keys=True, default=str)


_ASKED = (16, 17)  # answered differently after the 20 questions before the fix


def test_a_what_if_gives_the_same_answer_after_others_and_in_a_fresh_process():
    kb = coop_logic.load()
    after_others = {i: _answer(kb, i) for i in reversed(range(20))}
    code = ("import coop_logic, json\n"
            "from tests.hardening.test_whatif_canonical import _answer\n"
            f"print(json.dumps([_answer(coop_logic.load(), i) for i in {_ASKED!r}]))\n")
    root = __file__.rsplit("/tests/", 1)[0]
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=root, timeout=120, check=True)
    fresh = json.loads(proc.stdout)
    assert [after_others[i] for i in _ASKED] == fresh
    assert _answer(kb, 5) == after_others[5]  # and asked again in the same process
