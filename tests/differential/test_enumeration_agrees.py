"""Possible statuses and depends_on found by enumerating the unknowns an instrument reads
(`engine.enumeration`) are the solver's: on requests with few and with many unknowns
(facts, offence fields, party data), an engine that enumerates and one that asks the
solver give the same JSON, byte for byte; and a table, where it is built, says what the
solver says about each status and each unknown."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest

import coop_logic
from coop_logic.engine.assumption_solver import SAT
from coop_logic.engine.enumeration import cone_table, overall_table
from coop_logic.engine.exploration import Exploration
from coop_logic.engine.request_inputs import RequestFacts
from coop_logic.engine.solve import Engine
from coop_logic.vocabulary import CATEGORIES, FACTS, MEASURES, OFFENCE_FLAGS, STATUSES

STATES = ("FR", "DE", "US", "CH", "NO", "GB", "RU", "BR", "JP", "UA", "SN", "EG", "CN", "MX",
          "BS", "AT")


def random_request(rng: random.Random, unknown: float) -> dict[str, Any]:
    a, b = rng.sample(STATES, 2)
    offence: dict[str, Any] = {}
    if rng.random() >= unknown:
        offence["category"] = rng.choice(CATEGORIES)
    if rng.random() >= unknown:
        offence["max_penalty_years"] = rng.choice((0.5, 1, 2, 3, 4, 5, 10))
    for flag in OFFENCE_FLAGS:
        if rng.random() >= unknown:
            offence[flag] = rng.random() < 0.5
    facts = {f: rng.random() < 0.15 for f in FACTS if rng.random() >= unknown}
    return {"requesting_state": a, "requested_state": b, "measure": rng.choice(MEASURES),
            "date": rng.choice(("2026-06-01", "2019-03-01", "2010-06-01")),
            "offence": offence, "facts": facts}


@pytest.mark.parametrize("unknown", [0.1, 0.3, 0.6, 0.9])
def test_enumerated_answers_equal_the_solvers(kb: coop_logic.KnowledgeBase, unknown: float):
    enumerating, solving = Engine(kb.compiled), Engine(kb.compiled, memo_size=0)
    rng = random.Random(int(unknown * 100))
    for _ in range(60):
        request = coop_logic.Request.from_dict(random_request(rng, unknown))
        ours = enumerating.evaluate(request, list(kb.instruments)).to_dict()
        theirs = solving.evaluate(request, list(kb.instruments)).to_dict()
        assert json.dumps(ours, sort_keys=True) == json.dumps(theirs, sort_keys=True), request


def read_requests(engine: Engine, seed: int, unknown: float, count: int
                  ) -> list[tuple[coop_logic.Request, RequestFacts]]:
    """Random requests with a share of unknowns, each read as the engine reads it."""
    rng = random.Random(seed)
    requests = [coop_logic.Request.from_dict(random_request(rng, unknown))
                for _ in range(count)]
    return [(request, RequestFacts(engine, request)) for request in requests]


def solver_base(engine: Engine, facts: RequestFacts, selected: list[str]) -> list[Any]:
    """The verdict solver's assumptions for the request: its known values, all selected."""
    return ([lit.ast for lit in facts.literals]
            + [engine.selector[(i, True)] for i in selected])


def solver_possible(engine: Engine, facts: RequestFacts, base: list[Any], inst: str,
                    status: str, fixed: list[Any]) -> bool:
    return engine.check(engine.verdict, [*base, *fixed, engine.status_ptr[inst][status]],
                        "test") == SAT


def test_a_table_says_what_the_solver_says_status_by_status(kb: coop_logic.KnowledgeBase):
    """Each status a table gives is one the solver finds a model for, and each it does
    not give is one the solver refutes; the same for each value of each open group."""
    engine = Engine(kb.compiled, memo_size=0)
    selected = list(kb.instruments)
    tables = 0
    for request, facts in read_requests(engine, 5, 0.4, 40):
        base = solver_base(engine, facts, selected)
        for inst in selected:
            table = cone_table(engine, facts, inst, budget=256)
            if table is None:
                continue
            tables += 1
            for status in STATUSES:
                assert (status in table.possible()) == solver_possible(
                    engine, facts, base, inst, status, []), (request, inst, status)
            for j, group in enumerate(table.groups):
                for k, value in enumerate(table.choices[j]):
                    fixed = engine.group_literals(group, value)
                    for status in STATUSES:
                        assert (status in table.reached[j][k]) == solver_possible(
                            engine, facts, base, inst, status, fixed), (inst, group, value)
    assert tables > 40


def test_the_overall_table_agrees_with_the_solvers_search(kb: coop_logic.KnowledgeBase):
    engine = Engine(kb.compiled, memo_size=0)
    selected = list(kb.instruments)
    compared = 0
    for request, facts in read_requests(engine, 9, 0.3, 60):
        table = overall_table(engine, facts, selected, budget=1024)
        if table is None:
            continue
        base = solver_base(engine, facts, selected)
        search = Exploration(engine, facts, base, selected)
        possible = search.overall_possible()
        assert sorted(table.possible()) == sorted(possible), request
        if len(possible) > 1:
            assert tuple(table.depends_on(possible)) == search.overall_depends_on(selected)
            compared += 1
    assert compared > 5


def test_an_open_refusable_verdicts_grounds_are_the_solvers(kb: coop_logic.KnowledgeBase):
    """The grounds of a refusable verdict whose instrument reads unknowns: found among the
    evaluated model's grounds (each entailed in Kleene's logic or by a check), they are
    those the solver's model and entailment checks give."""
    ours_engine, solving = Engine(kb.compiled), Engine(kb.compiled, memo_size=0)
    rng = random.Random(31)
    compared = 0
    for _ in range(400):
        request = coop_logic.Request.from_dict(random_request(rng, 0.3))
        ours = ours_engine.evaluate(request, list(kb.instruments))
        theirs = solving.evaluate(request, list(kb.instruments))
        facts = RequestFacts(ours_engine, request)
        for inst_id, verdict in ours.verdicts.items():
            if verdict.status == "refusable" and ours_engine._open(inst_id, request, facts):
                assert verdict.grounds == theirs.verdicts[inst_id].grounds, (request, inst_id)
                compared += 1
    assert compared >= 20, compared
