"""Answers to a solver's checks under assumptions, learned from its earlier answers.

Whether a set of assumptions is satisfiable is a function of the set alone (the solver's
assertions only ever gain definitions of fresh names), and it is monotone: every subset of
a satisfiable set is satisfiable, every superset of an unsatisfiable one is not. So each
satisfiable set a check finds answers "sat" for the sets inside it, and each unsat core
answers "unsat" for every later set that contains it. `CheckMemo` keeps both, as bit masks
over the assumptions it has seen, and asks the solver only when neither answers. (Reading
each satisfiable check's model would answer more sets, but costs about what it saves.)
Its answers are the solver's answers, whatever was asked before, so anything built from
them (the canonical QuickXplain traces of `solve`) stays the same in every process.
Nothing here knows the law.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import z3
from z3 import z3core

from coop_logic.engine.assumption_solver import SAT, UNSAT, FastSolver

ANSWERS_KEPT = 50_000  # exact answers per solver, by the set of assumptions
SAT_KEPT = CORES_KEPT = 256  # per solver, the least recently useful dropped first
SCAN = 64  # sets and cores tried per check, most recently useful first


class CheckMemo:
    """`check` for one solver, answered from earlier satisfiable sets and cores where
    they can. The pointers it is given must stay alive as long as it does (the engine
    keeps them): they are told apart by their ids."""

    def __init__(self, solver: FastSolver, ctx: z3.Context) -> None:
        self.solver = solver
        self.ctx = ctx
        self._mask: dict[int, int] = {}  # id(pointer) -> its bit, as a mask
        self._ast_id: list[int] = []  # by bit: the AST id of the pointer
        self._terms: list[z3.BoolRef] = []  # by bit: the term (kept alive)
        self._answers: dict[int, int] = {}  # by the mask of the assumptions
        self._sat: list[int] = []  # masks of satisfiable sets
        self._cores: list[int] = []  # masks of unsat cores
        self.answered = 0  # checks answered without the solver

    def _bits(self, assumptions: Sequence[Any]) -> int:
        mask = self._mask
        query = 0
        for p in assumptions:
            bit = mask.get(id(p))
            if bit is None:
                bit = self._register(p)
            query |= bit
        return query

    def _register(self, pointer: Any) -> int:
        """A new assumption gets the next bit (no set or core seen before holds it)."""
        n = len(self._terms)
        self._terms.append(z3.BoolRef(pointer, self.ctx))  # holds its own reference
        self._ast_id.append(z3core.Z3_get_ast_id(self.ctx.ref(), pointer))
        self._mask[id(pointer)] = 1 << n
        return 1 << n

    def check(self, assumptions: Sequence[Any], run: Callable[[], int]) -> int:
        """SAT or UNSAT for `assumptions`; `run` makes the real check of them (the budget
        and an `unknown` answer are the caller's) when nothing learned answers."""
        known = self._known(assumptions)
        if known is not None:
            return known
        result = run()
        self._learn(assumptions, result)
        return result

    def _known(self, assumptions: Sequence[Any]) -> int | None:
        """SAT or UNSAT where the sets and cores seen answer for `assumptions`, else None."""
        query = self._bits(assumptions)
        result = self._answers.get(query)
        if result is None:
            result = self._subsumed(query)
            if result is None:
                return None
            self._answer(query, result)
        self.answered += 1
        return result

    def _learn(self, assumptions: Sequence[Any], result: int) -> None:
        """Keep the answer of the check just made on `assumptions` (its core, if UNSAT)."""
        query = self._bits(assumptions)
        if result == SAT:
            _remember(self._sat, query, SAT_KEPT)
        elif result == UNSAT:
            ids = self.solver.core_ids()
            core = 0
            for p in assumptions:
                bit = self._mask[id(p)]
                if self._ast_id[bit.bit_length() - 1] in ids:
                    core |= bit
            _remember(self._cores, core, CORES_KEPT)
        else:
            return
        self._answer(query, result)

    def _answer(self, query: int, result: int) -> None:
        if len(self._answers) >= ANSWERS_KEPT:
            self._answers.clear()
        self._answers[query] = result

    def _subsumed(self, query: int) -> int | None:
        """SAT if a satisfiable set seen contains `query`, UNSAT if a core seen is in it."""
        if _found(self._sat, query, holds=True):
            return SAT
        if _found(self._cores, query, holds=False):
            return UNSAT
        return None


def _found(masks: list[int], query: int, *, holds: bool) -> bool:
    """Whether one of the first SCAN masks holds `query` (`holds`) or lies inside it;
    the one found moves to the front (the most recently useful are tried first)."""
    for n, mask in enumerate(masks[:SCAN]):
        if not (query & ~mask if holds else mask & ~query):
            if n:
                masks.insert(0, masks.pop(n))
            return True
    return False


def _remember(masks: list[int], mask: int, kept: int) -> None:
    masks.insert(0, mask)
    del masks[kept:]
