"""The trials (`engine.trials`) answer whether a status is reachable with an unknown at a
value as the solver does: each answer they give, a model found or a proof that there is
none, is checked against the verdict solver, for every instrument and the overall
verdict, every unknown and every value, on requests with few and with many unknowns; and
the bit-parallel terms give, trial by trial, what the Boolean terms give."""

from __future__ import annotations

import random
from collections import Counter

import pytest

import coop_logic
from coop_logic.engine.assumption_solver import SAT
from coop_logic.engine.exploration import Exploration
from coop_logic.engine.request_inputs import RequestFacts
from coop_logic.engine.solve import Engine
from coop_logic.engine.straight_line import BITS, BOOL, DUAL_BITS, KLEENE, straight_line
from coop_logic.engine.trials import Trials
from coop_logic.vocabulary import FACTS, OVERALL_ORDER, STATUSES
from tests.differential.test_enumeration_agrees import read_requests, solver_base


@pytest.mark.parametrize("unknown", [0.3, 0.8])
def test_every_answer_is_the_solvers(kb: coop_logic.KnowledgeBase, unknown: float):
    engine = Engine(kb.compiled)
    selected = list(kb.instruments)
    evaluator = engine.evaluator()
    told: Counter[str] = Counter()
    for request, facts in read_requests(engine, int(unknown * 1000), unknown, 12):
        base = solver_base(engine, facts, selected)
        search = Exploration(engine, facts, base, selected)
        first = evaluator.evaluate(facts, selected)
        assert first is not None
        bases = [first.witness.inputs,
                 {g: evaluator.last.get(g, True) for g in search.unknown}]
        trials = Trials(evaluator, facts, selected, search.unknown, bases)
        targets = [(i, s, engine.status_ptr[i][s]) for i in selected for s in STATUSES]
        targets += [(None, s, engine.overall_ptr[s]) for s in OVERALL_ORDER]
        for group in search.unknown:
            for value in kb.compiled.inputs.values(group):
                fixed = engine.group_literals(group, value)
                for inst, status, ptr in targets:
                    answer = trials.answer(group, value, (value,), inst, status)
                    told[str(answer)] += 1
                    if answer is None:
                        continue
                    reachable = engine.check(engine.verdict, [*base, *fixed, ptr], "test") == SAT
                    assert answer == reachable, (request, group, value, inst, status)
    # they settle most questions, both ways
    assert told["True"] > told["None"] and told["False"] > 0, told


def test_the_four_readings_of_the_terms_agree(kb: coop_logic.KnowledgeBase):
    """On random inputs, the bit-parallel terms give each trial's Boolean values, and
    the dual bits give each trial's Kleene values (inputs unknown at random)."""
    evaluator = Engine(kb.compiled).evaluator()
    terms = kb.compiled.verdict_terms
    inst = "budapest"
    exprs = [terms[inst].statuses[s] for s in STATUSES[:3]]
    inputs = evaluator.inputs
    plain = straight_line(exprs, inputs, BOOL)
    kleene = straight_line(exprs, inputs, KLEENE)
    bits = straight_line(exprs, inputs, BITS)
    dual = straight_line(exprs, inputs, DUAL_BITS)
    assert None not in (plain, kleene, bits, dual)
    rng = random.Random(5)
    width = 64
    mask = (1 << width) - 1
    rows = [[rng.random() < 0.5 for _ in inputs] for _ in range(width)]
    known = [[rng.random() < 0.7 for _ in inputs] for _ in range(width)]
    x = [sum(rows[k][n] << k for k in range(width)) for n in range(len(inputs))]
    t = [sum((rows[k][n] and known[k][n]) << k for k in range(width)) for n in range(len(inputs))]
    f = [sum((not rows[k][n] and known[k][n]) << k for k in range(width))
         for n in range(len(inputs))]
    out = bits(x, mask)
    pairs = dual(t, f, mask)
    for k in range(width):
        assert [bool(v >> k & 1) for v in out] == plain(rows[k])
        three = kleene([v if known[k][n] else None for n, v in enumerate(rows[k])])
        for j, value in enumerate(three):
            sure_true, sure_false = pairs[2 * j] >> k & 1, pairs[2 * j + 1] >> k & 1
            assert (True if sure_true else False if sure_false else None) == value


def test_each_trial_is_the_model_of_its_values(kb: coop_logic.KnowledgeBase):
    """Every model trial gives every instrument, and the overall verdict, the status the
    model evaluated one by one for its values gives (and no other), on requests between
    States bound by several instruments, where one may oblige while another lets refuse."""
    engine = Engine(kb.compiled)
    selected = list(kb.instruments)
    evaluator = engine.evaluator()
    rng = random.Random(77)
    mixed = 0
    for a, b in (("FR", "DE"), ("DE", "AT"), ("NO", "CH"), ("FR", "US")):
        for measure in ("stored_data_access", "extradition", "expedited_preservation"):
            request = coop_logic.Request.from_dict({
                "requesting_state": a, "requested_state": b, "measure": measure,
                "date": "2026-06-01",
                "facts": {f: rng.random() < 0.2 for f in FACTS if rng.random() < 0.5}})
            facts = RequestFacts(engine, request)
            unknown = engine.ordered_groups(facts.unknown_groups)
            first = evaluator.evaluate(facts, selected)
            assert first is not None
            bases = [first.witness.inputs, {g: evaluator.last.get(g, True) for g in unknown}]
            trials = Trials(evaluator, facts, selected, unknown, bases)
            for trial in range(len(trials.bases) * trials.width):
                one = evaluator.evaluate(facts, selected, trials.inputs(trial))
                assert one is not None
                shown = set(one.witness.status.values())
                mixed += {"mandatory", "refusable"} <= shown
                for inst in selected:
                    for status in STATUSES:
                        assert trials.shows(trial, inst, status) == (
                            status == one.witness.status[inst])
                for status in OVERALL_ORDER:
                    assert trials.shows(trial, None, status) == (
                        status == one.witness.overall)
    assert mixed > 0
