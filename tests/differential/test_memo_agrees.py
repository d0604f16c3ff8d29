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


def test_a_trace_is_the_same_whatever_was_answered_before(kb):
    """The memos (answers, proofs, preferred conflicts) and the evaluated first model never
    make an answer depend on history: each request answered by a fresh engine equals the
    same request answered after all the others, in two different orders."""
    rng = random.Random(7)
    asked = [random_request(rng) for _ in range(40)]
    fresh = [answer(kb, Engine(kb.compiled), r, c) for r, c in asked]
    for order in (list(range(len(asked))), list(reversed(range(len(asked))))):
        shared = Engine(kb.compiled)
        for n in order:
            request, closed = asked[n]
            assert answer(kb, shared, request, closed) == fresh[n], request


def test_requests_that_differ_only_late_share_preferred_conflicts_and_equal_fresh_ones(kb):
    """A preferred conflict is reused for a request whose candidates agree up to the
    conflict's last one; the answers stay those of an engine without memos."""
    memo, plain = Engine(kb.compiled), Engine(kb.compiled, memo_size=0)
    base = {"requesting_state": "FR", "requested_state": "DE", "measure": "evidence_collection",
            "date": "2026-06-01",
            "offence": {"category": "fraud", "max_penalty_years": 5}}
    for fact in FACTS:
        request = {**base, "facts": {fact: True}}
        assert answer(kb, memo, request, True) == answer(kb, plain, request, True), fact
    assert memo.conflict_hits > 0


def test_the_evaluated_first_model_is_a_model_of_the_verdict_solver(kb):
    """The first model read off the hard terms (no check) satisfies the verdict solver
    with the request's literals, the unknowns at its values, and its statuses and
    grounds."""
    from coop_logic.engine.assumption_solver import SAT
    from coop_logic.engine.request_inputs import RequestFacts

    engine = Engine(kb.compiled)
    compiled = kb.compiled
    rng = random.Random(11)
    evaluated_once = False
    for _ in range(150):
        request, closed = random_request(rng)
        parsed = coop_logic.Request.from_dict(request)
        facts = RequestFacts(engine, parsed.closed() if closed else parsed)
        selected = list(compiled.instruments)
        evaluated = engine._evaluated(facts, selected)
        if evaluated is None:
            continue
        evaluated_once = True
        base = [lit.ast for lit in facts.literals]
        base += [engine.selector[(i, True)] for i in selected]
        for group, value in evaluated.witness.inputs.items():
            base += engine.group_literals(group, value)
        base += [engine.status_ptr[i][s] for i, s in evaluated.witness.status.items()]
        base.append(engine.overall_ptr[evaluated.witness.overall])
        for i in selected:
            for g, atom in compiled.ground_atoms[i].items():
                base.append(atom.as_ast() if g in evaluated.grounds(i)
                            else engine.negation(atom))
        assert engine.verdict.check(base) == SAT, request
    assert evaluated_once


def test_a_states_party_reading_shared_between_dates_equals_a_fresh_reading(kb):
    """Dates between the same two dates of the party data share one reading of a State;
    every shared reading equals the one read for that very date, the readings that quote
    the date ("so unknown on ...") included."""
    import datetime as dt

    from coop_logic.engine.request_inputs import party_dates, read_state_data

    engine = Engine(kb.compiled)
    rng = random.Random(3)
    written = party_dates(kb.instruments.values())
    days = [dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(4500)) for _ in range(150)]
    days += written[-40:]  # the written dates themselves and the days around them
    days += [d + dt.timedelta(days=k) for d in written[-40:] for k in (-1, 1)]
    for day in days:
        for state in ("FR", "US", "LY", "CN", "BS"):
            assert engine.state_data(state, day) == read_state_data(
                kb.instruments.values(), state, day), (state, day)
    assert len(engine._spans) < len(days) * 5
    assert any(marked for _, marked in engine._spans.values())  # readings quoting the date


def test_answers_rendered_again_equal_fresh_ones(kb):
    """Requests that share one solver answer but differ in what their traces show (their
    States, the penalty as given, the date a party reading quotes, a fact given or
    settled by a notification on file) are each rendered in their own terms: asked one
    after the other, the second answered from the memo, the memoized engine's JSON equals
    a fresh engine's for both."""
    memo, plain = Engine(kb.compiled), Engine(kb.compiled, memo_size=0)
    untoc = {"category": "computer_fraud", "max_penalty_years": 5, "transnational": True,
             "organized_criminal_group": True}

    def request(a: str, b: str, date: str = "2024-04-03", years: float = 5,
                facts: dict[str, bool] | None = None) -> dict[str, Any]:
        return {"requesting_state": a, "requested_state": b, "measure": "extradition",
                "date": date, "offence": {**untoc, "max_penalty_years": years},
                "facts": facts or {}}

    pairs = [
        (request("FR", "BS"), request("FR", "BS", facts={
            "treaty_required_for_extradition": True})),  # settled by a notification, or given
        (request("FR", "DE", years=1), request("FR", "DE", years=2.5)),  # one threshold
        (request("FR", "DE"), request("FR", "HU")),  # another State, the same party data
        (request("FR", "LY"), request("FR", "LY", date="2024-04-10")),  # a quoted date
    ]
    for first, second in pairs:
        for asked in (first, second):
            hits = memo.memo_hits
            assert answer(kb, memo, asked, True) == answer(kb, plain, asked, True), asked
        assert memo.memo_hits == hits + 1, second  # the second shared the first's answer
        assert answer(kb, plain, first, True) != answer(kb, plain, second, True)
