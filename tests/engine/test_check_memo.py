"""The labelled solvers' answers learned from earlier sets and cores are the solver's own:
on random sets of assumptions (provisions, request values, goals), a memo that has seen
other sets first answers every set as a fresh check does."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

import coop_logic
from coop_logic.engine.assumption_solver import SAT, UNSAT
from coop_logic.engine.check_memo import CheckMemo
from coop_logic.engine.solve import Engine
from coop_logic.vocabulary import STATUSES

INSTRUMENTS = ("budapest", "untoc", "ecma_1959", "eu_eio")


def vocabulary(engine: Engine, inst_id: str) -> list[Any]:
    """Every assumption the proofs of `inst_id` use: its labels, both values of each input,
    and 'the status is not s' for each status."""
    literals = [engine.literal(a, v).ast for a in engine.compiled.inputs.atoms
                for v in (True, False)]
    goals = [engine._goal(inst_id, (s,)) for s in STATUSES]
    return [*engine._labels[inst_id], *literals, *goals]


@settings(max_examples=60, deadline=None)
@given(data=st.data(), inst_id=st.sampled_from(INSTRUMENTS))
def test_learned_answers_equal_fresh_checks(kb: coop_logic.KnowledgeBase, data: Any,
                                            inst_id: str) -> None:
    engine = Engine(kb.compiled, memo_size=0)  # its own checks are never memoized
    solver = engine.explainers[inst_id]
    memo = CheckMemo(solver, kb.compiled.ctx)
    words = vocabulary(engine, inst_id)
    sets = data.draw(st.lists(st.lists(st.sampled_from(words), max_size=40, unique_by=id),
                              min_size=1, max_size=30))
    for assumptions in sets:
        learned = memo.check(assumptions, lambda a=assumptions: solver.check(a))
        assert learned == solver.check(assumptions) in (SAT, UNSAT)


def test_subsets_and_supersets_are_answered_without_the_solver(kb):
    engine = Engine(kb.compiled, memo_size=0)
    solver = engine.explainers["budapest"]
    memo = CheckMemo(solver, kb.compiled.ctx)
    labels = engine._labels["budapest"]
    calls: list[int] = []

    def run(assumptions: list[Any]) -> int:
        calls.append(1)
        return solver.check(assumptions)

    assert memo.check(labels, lambda: run(labels)) == SAT
    assert memo.check(labels[:3], lambda: run(labels[:3])) == SAT  # a subset of a sat set
    assert len(calls) == 1
    measure = engine.compiled.inputs.groups["measure"]
    contradiction = [engine.literal(measure[0], False).ast] + [
        engine.literal(a, False).ast for a in measure[1:]]  # no measure at all: unsat
    assert memo.check(contradiction, lambda: run(contradiction)) == UNSAT
    bigger = [*contradiction, *labels[:2]]
    assert memo.check(bigger, lambda: run(bigger)) == UNSAT  # contains the core
    assert len(calls) == 2
    assert memo.answered == 2
