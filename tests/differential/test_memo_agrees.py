"""The answer memo changes nothing: a memoized engine and one without a memo give the same
JSON, traces included, byte for byte, on thousands of requests (open and closed world),
including repeats and pairs of States that share their party status."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest

import coop_logic
from coop_logic.engine.solve import Engine
from coop_logic.vocabulary import CATEGORIES, FACTS, MEASURES, OFFENCE_FLAGS

STATES = ("FR", "DE", "IT", "US", "CH", "NO", "GB", "RU", "BR", "AU", "JP", "UA", "BS", "AT",
          "PT", "SN", "EG", "CN", "MX", "CA")
DATES = ("2026-06-01", "2019-03-01", "2023-11-20", "2010-06-01")


def random_request(rng: random.Random) -> tuple[dict[str, Any], bool]:
    a, b = rng.sample(STATES, 2)
    offence: dict[str, Any] = {}
    if rng.random() < 0.8:
        offence["category"] = rng.choice(CATEGORIES)
    if rng.random() < 0.7:
        offence["max_penalty_years"] = rng.choice((0.5, 1, 2, 3, 4, 5, 10))
    for flag in OFFENCE_FLAGS:
        if rng.random() < 0.5:
            offence[flag] = rng.random() < 0.5
    facts = {f: rng.random() < 0.2 for f in FACTS if rng.random() < 0.4}
    request = {"requesting_state": a, "requested_state": b, "measure": rng.choice(MEASURES),
               "date": rng.choice(DATES), "offence": offence, "facts": facts}
    return request, rng.random() < 0.5


@pytest.fixture(scope="module")
def engines(kb: coop_logic.KnowledgeBase) -> tuple[Engine, Engine]:
    return Engine(kb.compiled, memo_size=64), Engine(kb.compiled, memo_size=0)


def answer(kb: coop_logic.KnowledgeBase, engine: Engine, request: dict[str, Any],
           closed_world: bool) -> str:
    parsed = coop_logic.Request.from_dict(request)
    reading = parsed.closed() if closed_world else parsed
    result = engine.evaluate(reading, list(kb.instruments))
    return json.dumps(result.to_dict(), sort_keys=True)


@pytest.mark.parametrize("seed", range(2))
def test_memoized_answers_equal_fresh_ones(kb, engines, seed):
    memo, plain = engines
    rng = random.Random(seed)
    pool = [random_request(rng) for _ in range(120)]
    # Repeats and States swapped for others with the same status exercise the memo.
    asked = pool + [rng.choice(pool) for _ in range(80)]
    hits_before = memo.memo_hits
    for request, closed in asked:
        assert answer(kb, memo, request, closed) == answer(kb, plain, request, closed), request
    assert memo.memo_hits > hits_before


def test_two_pairs_with_the_same_party_status_share_one_answer_but_keep_their_own_data(kb):
    engine = Engine(kb.compiled)
    base = {"measure": "expedited_preservation", "date": "2026-06-01",
            "offence": {"category": "illegal_access", "committed_by_computer": True}}
    first = coop_logic.Request.from_dict({**base, "requesting_state": "FR",
                                          "requested_state": "US"}).closed()
    second = coop_logic.Request.from_dict({**base, "requesting_state": "FR",
                                           "requested_state": "JP"}).closed()
    a = engine.evaluate(first, ["budapest"])
    hits = engine.memo_hits
    b = engine.evaluate(second, ["budapest"])
    assert a["budapest"].status == b["budapest"].status == "mandatory"
    states = {s.state for s in b["budapest"].trace if s.kind == "party"}
    assert "JP" in states and "US" not in states
    assert engine.memo_hits in (hits, hits + 1)
