"""A thin layer over z3's C API for the per-request hot path.

z3's Python wrappers build and free an `ExprRef` per call; on a request answered with a
handful of checks that overhead is most of the cost. Here a solver is checked against
precomputed AST pointers, model values are read without wrappers, and unsat cores come
back as AST ids. The Python objects behind every pointer stay referenced by the caller
(`compile.Compiled`), so the pointers stay valid. Nothing here knows about the law.
"""

from __future__ import annotations

from collections.abc import Sequence

import z3
from z3 import z3core

SAT, UNSAT, UNKNOWN = 1, -1, 0


class FastSolver:
    """Check-with-assumptions, model reading and cores for one z3 solver."""

    def __init__(self, solver: z3.Solver) -> None:
        self.solver = solver
        self.ctx = solver.ctx.ref()
        self.ptr = solver.solver
        self._array = (z3.Ast * 0)()
        self._out = (z3.Ast * 1)()
        self.checks = 0

    def check(self, assumptions: Sequence[z3.Ast]) -> int:
        """Check under the assumption ASTs; SAT (1), UNSAT (-1) or UNKNOWN (0)."""
        n = len(assumptions)
        if len(self._array) < n:
            self._array = (z3.Ast * max(n, 2 * len(self._array)))()
        array = self._array
        for i, pointer in enumerate(assumptions):
            array[i] = pointer
        self.checks += 1
        return z3core.Z3_solver_check_assumptions(self.ctx, self.ptr, n, array)

    def reason_unknown(self) -> str:
        return z3core.Z3_solver_get_reason_unknown(self.ctx, self.ptr)

    def model_values(self, terms: Sequence[z3.Ast]) -> list[bool | None]:
        """The values of Boolean terms in the last model (after a SAT check)."""
        return self.packed_values((), terms, {})

    def packed_values(self, packs: Sequence[Packed], terms: Sequence[z3.Ast],
                      where: dict[int, tuple[int, int]]) -> list[bool | None]:
        """`model_values`, reading each pack of terms in one evaluation: `where` gives,
        by the id of a term's pointer, its pack and bit; a term in no pack is read alone."""
        model = z3core.Z3_solver_get_model(self.ctx, self.ptr)
        z3core.Z3_model_inc_ref(self.ctx, model)
        try:
            out = self._out
            words: dict[int, int | None] = {}
            values: list[bool | None] = []
            for term in terms:
                place = where.get(id(term))
                if place is not None:
                    n, bit = place
                    if n not in words:
                        words[n] = packs[n].read(self.ctx, model, out)
                    word = words[n]
                    if word is not None:
                        values.append(bool(word >> bit & 1))
                        continue
                if not z3core.Z3_model_eval(self.ctx, model, term, True, out):
                    values.append(None)
                    continue
                value = z3core.Z3_get_bool_value(self.ctx, out[0])
                values.append(True if value == 1 else False if value == -1 else None)
            return values
        finally:
            z3core.Z3_model_dec_ref(self.ctx, model)

    def core_ids(self) -> set[int]:
        """The AST ids of the last UNSAT check's core."""
        vector = z3core.Z3_solver_get_unsat_core(self.ctx, self.ptr)
        z3core.Z3_ast_vector_inc_ref(self.ctx, vector)
        try:
            size = z3core.Z3_ast_vector_size(self.ctx, vector)
            return {
                z3core.Z3_get_ast_id(self.ctx, z3core.Z3_ast_vector_get(self.ctx, vector, i))
                for i in range(size)
            }
        finally:
            z3core.Z3_ast_vector_dec_ref(self.ctx, vector)


def pointer(expr: z3.ExprRef) -> z3.Ast:
    """The C-level AST of an expression, as passed to `FastSolver.check`."""
    return expr.as_ast()


class Packed:
    """Boolean terms read from a model in one evaluation: a bit-vector with one bit per
    term (the first term is bit 0). Python's cost per term read is most of a model's
    reading; one evaluation of the packed term replaces a call per term."""

    def __init__(self, terms: Sequence[z3.BoolRef], ctx: z3.Context) -> None:
        one, zero = z3.BitVecVal(1, 1, ctx), z3.BitVecVal(0, 1, ctx)
        bits = [z3.If(t, one, zero) for t in reversed(terms)]
        self.terms = list(terms)
        self.expr = bits[0] if len(bits) == 1 else z3.Concat(*bits)
        self.ast = self.expr.as_ast()

    def read(self, ctx: z3.ContextObj, model: z3.ModelObj, out: z3.Ast) -> int | None:
        if not z3core.Z3_model_eval(ctx, model, self.ast, True, out):
            return None
        if z3core.Z3_get_ast_kind(ctx, out[0]) != z3.Z3_NUMERAL_AST:
            return None
        return int(z3core.Z3_get_numeral_string(ctx, out[0]))
