"""The compiled constraints of an instrument as SMT-LIB 2, for other solvers and for reading.

`export_smt2(kb, instrument_id)` writes the instrument's *hard* encoding (the one the
verdict solver holds, `compile.instrument_terms` without labels): the constraints tying the
inputs together (one measure, one offence category, a consistent penalty chain) and the
definition of each status and each refusal ground of the instrument, as named Boolean
atoms. The text comes from z3 (`Solver.sexpr()`), with z3's cardinality constraints
(`at-most`) rewritten as pairwise exclusions so that any SMT-LIB solver reads it
(`QF_UF`: every atom is a Boolean constant). `smt2_script` builds the same kind of text for
any list of formulas (used by `cvc5_check` for the verify obligations).
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

import z3

from coop_logic.engine.compile import Compiled, instrument_terms
from coop_logic.errors import InputError, did_you_mean
from coop_logic.vocabulary import STATUSES

if TYPE_CHECKING:
    from coop_logic.engine.knowledge_base import KnowledgeBase

LOGIC = "QF_UF"

NAMING = """\
Atoms (Booleans), one per input value, true in a request that has that value:
  measure:<measure>              the request's measure (exactly one is true)
  category:<category>            the offence category (exactly one is true)
  penalty:ge:<t>, penalty:gt:<t> max_penalty_years >= t, > t (the thresholds the loaded
                                 rules use; a wider one holds whenever a narrower one does)
  flag:<offence flag>            transnational, organized_criminal_group, ...
  fact:<fact>                    a Boolean fact of the contract's section 6
  party:<instrument>:requesting  the requesting State is bound by <instrument> on the date
  party:<instrument>:requested   the requested State is bound by <instrument> on the date
  party:<instrument>.<protocol>:<role>  the same for a protocol in the party data
  reservation:<instrument>:<id>  the requested State holds that reservation on the date
Defined atoms (asserted equal to their definition below):
  status:<instrument>:<status>   mandatory | refusable | discretionary | not_applicable
  ground:<instrument>:<ground>   the ground is available for the measure and established
Party, protocol and reservation atoms are decided from the party data before solving (the
engine adds them as assumptions); here they are free, like every request input."""


def portable(constraint: z3.BoolRef) -> list[z3.BoolRef]:
    """`constraint` without z3's cardinality operators: at-most-1 as pairwise exclusions."""
    if z3.is_app_of(constraint, z3.Z3_OP_PB_AT_MOST) and constraint.params() == [1]:
        args = constraint.children()
        return [z3.Not(z3.And(a, b)) for a, b in itertools.combinations(args, 2)]
    return [constraint]


_PB_OPERATORS = ("(_ at-most", "(_ at-least", "(_ pble", "(_ pbge", "(_ pbeq")


def _check_portable(text: str) -> None:
    for op in _PB_OPERATORS:
        if op in text:
            raise ValueError(f"a z3 cardinality constraint ({op[1:]}) is left in the export")


def input_constraints(compiled: Compiled) -> list[z3.BoolRef]:
    """The constraints tying the input atoms together, in portable form."""
    return [c for constraint in compiled.inputs.constraints() for c in portable(constraint)]


def instrument_encoding(compiled: Compiled, instrument_id: str) -> list[z3.BoolRef]:
    """The hard encoding of one instrument: input constraints, status and ground definitions."""
    ctx = compiled.ctx
    inst = compiled.instruments[instrument_id]
    terms = instrument_terms(compiled.encoder, inst, None)
    out = input_constraints(compiled)
    out += terms.constraints
    for status in STATUSES:
        out.append(z3.Bool(f"status:{inst.id}:{status}", ctx) == terms.statuses[status])
    for ground, term in terms.grounds.items():
        out.append(z3.Bool(f"ground:{inst.id}:{ground}", ctx) == term)
    return out


def smt2_script(constraints: list[z3.BoolRef], comment: str = "", *,
                check_sat: bool = True) -> str:
    """An SMT-LIB 2 script asserting `constraints` (z3's `Solver.sexpr()`), with `comment`
    as leading `;` lines."""
    ctx = constraints[0].ctx if constraints else z3.main_ctx()
    solver = z3.Solver(ctx=ctx)
    for c in constraints:
        solver.add(c)
    body = solver.sexpr().rstrip("\n")
    _check_portable(body)
    lines = [f"; {line}".rstrip() for line in comment.splitlines()]
    lines.append(f"(set-logic {LOGIC})")
    if body:
        lines.append(body)
    if check_sat:
        lines.append("(check-sat)")
    return "\n".join(lines) + "\n"


def export_smt2(kb: KnowledgeBase, instrument_id: str) -> str:
    """The compiled constraints of one instrument of `kb` as SMT-LIB 2.

    Raises InputError when the instrument is not loaded."""
    if instrument_id not in kb.instruments:
        raise InputError(
            f"unknown instrument '{instrument_id}'{did_you_mean(instrument_id, kb.instruments)}",
            file="<command line>", field="instrument",
            expected="one of " + ", ".join(kb.instruments),
        )
    inst = kb.instruments[instrument_id]
    header = "\n".join([
        f"coop_logic: the compiled constraints of {inst.id} ({inst.title})",
        f"spec file: {inst.file}",
        f"rules: {len(inst.rules)}; z3 {z3.get_version_string()}",
        "Satisfiable: every model is a request (the inputs) with the instrument's verdict",
        "on it (the defined atoms). To ask about one request, assert its input atoms.",
        "",
        *NAMING.splitlines(),
    ])
    return smt2_script(instrument_encoding(kb.compiled, instrument_id), header)
