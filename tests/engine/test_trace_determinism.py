"""Traces do not depend on what the solver saw before: the same request gives the same
proof in a fresh knowledge base and in one that has answered many other requests."""

from __future__ import annotations

import json
import random

import coop_logic

STATES = ["FR", "US", "DE", "AT", "IT", "ES", "JP", "GB", "CH", "NO", "MX", "BR", "CN", "EG",
          "JO", "NG", "GH", "SE", "PL", "CZ"]


def random_request(rng: random.Random) -> dict:
    requesting, requested = rng.sample(STATES, 2)
    return {
        "requesting_state": requesting, "requested_state": requested,
        "measure": rng.choice(coop_logic.MEASURES), "date": "2026-06-01",
        "offence": {"category": rng.choice(coop_logic.CATEGORIES),
                    "max_penalty_years": rng.choice([0.5, 2, 3, 5, 10]),
                    "transnational": rng.random() < 0.5,
                    "organized_criminal_group": rng.random() < 0.5,
                    "committed_by_computer": rng.random() < 0.5},
        "facts": {f: rng.random() < 0.15 for f in coop_logic.FACTS},
    }


def answer(kb: coop_logic.KnowledgeBase, request: dict) -> str:
    return json.dumps(kb.evaluate(request).to_dict(), sort_keys=True)


def test_the_same_request_gets_the_same_trace_whatever_was_asked_before():
    rng = random.Random(7)
    probes = [random_request(rng) for _ in range(12)]
    fresh = coop_logic.load()
    expected = [answer(fresh, r) for r in probes]
    used = coop_logic.load()
    for _ in range(150):
        used.evaluate(random_request(rng))
    assert [answer(used, r) for r in reversed(probes)] == list(reversed(expected))
