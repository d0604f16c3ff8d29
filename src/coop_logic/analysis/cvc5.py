"""cvc5 as a second solver for the `verify` obligations (optional: `pip install coop-logic[cvc5]`).

`coop-logic verify` decides each check with z3: a conflict, a dead rule, an unreachable
ground is a satisfiability question over the hard encoding (verify.py). Here the same
questions are put to cvc5. The obligations are not re-derived by hand: a `Verifier` whose
`_sat` (its one solving step) also records the formula it was asked, so whatever
verify.py checks is what is exported. Each obligation is written as SMT-LIB 2 (the input
constraints plus the formula, see `smt2`), then answered three ways: z3 in memory (as
verify does), z3 reading the SMT-LIB text (so the export itself is checked), and cvc5
reading the same text. All three must give the same sat/unsat.

    python -m coop_logic.analysis.cvc5 [SPEC_DIR ...]    # exit 0 when all agree, 3 otherwise
"""

from __future__ import annotations

import sys
from collections.abc import Iterable

import attrs
import z3

from coop_logic.analysis.smt2 import input_constraints, smt2_script
from coop_logic.analysis.verify import Finding, Verifier
from coop_logic.engine.compile import Compiled

SAT, UNSAT, UNKNOWN = "sat", "unsat", "unknown"


@attrs.frozen
class Obligation:
    """One verify check as a satisfiability question, with each solver's answer."""

    instrument: str
    check: str
    subject: str
    smt2: str = attrs.field(repr=False)
    z3: str
    z3_text: str
    cvc5: str

    @property
    def agree(self) -> bool:
        return self.z3 == self.z3_text == self.cvc5 and self.z3 != UNKNOWN


class _RecordingVerifier(Verifier):
    """A Verifier that keeps every formula it decides, with z3's answer."""

    def __init__(self, compiled: Compiled) -> None:
        super().__init__(compiled)
        self.asked: list[tuple[z3.BoolRef, str]] = []

    def _sat(self, formula: z3.BoolRef) -> z3.ModelRef | None:
        model = super()._sat(formula)
        self.asked.append((formula, SAT if model is not None else UNSAT))
        return model


# Checks that verify makes without the solver (each other finding is one solver call).
STRUCTURAL_CHECKS = frozenset({"coverage"})


def obligations(compiled: Compiled, instruments: Iterable[str] | None = None
                ) -> list[tuple[Finding, z3.BoolRef, str]]:
    """Every verify check of `instruments` (default: all) that asks the solver, with its
    formula and z3's answer. A finding and its solver call are paired in order."""
    verifier = _RecordingVerifier(compiled)
    out: list[tuple[Finding, z3.BoolRef, str]] = []
    for inst_id in instruments or compiled.instruments:
        verifier.asked.clear()
        findings = [f for f in verifier.run([inst_id]) if f.check not in STRUCTURAL_CHECKS]
        if len(findings) != len(verifier.asked):
            raise RuntimeError(
                f"verify made {len(verifier.asked)} solver calls for {len(findings)} findings of "
                f"{inst_id}: cvc5_check pairs each finding with one call (STRUCTURAL_CHECKS "
                f"aside) and needs updating")
        out += [(f, formula, answer)
                for f, (formula, answer) in zip(findings, verifier.asked, strict=True)]
    return out


def obligation_script(inputs: list[z3.BoolRef], finding: Finding, formula: z3.BoolRef) -> str:
    """The obligation as SMT-LIB: the input constraints (`smt2.input_constraints`) and the
    formula whose satisfiability the check asks."""
    comment = (f"coop_logic verify obligation: {finding.instrument} {finding.check} "
               f"{finding.subject}\nsat: some request makes it happen; unsat: none does")
    return smt2_script([*inputs, formula], comment)


def z3_on_text(script: str) -> str:
    """z3's answer on an SMT-LIB script, read into a fresh context."""
    solver = z3.Solver(ctx=z3.Context())
    solver.from_string(script)
    return str(solver.check())


def cvc5_on_text(script: str) -> str:
    """cvc5's answer on an SMT-LIB script ending in (check-sat)."""
    try:
        import cvc5
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise RuntimeError("cvc5 is not installed: pip install 'coop-logic[cvc5]'") from exc
    if hasattr(cvc5, "TermManager"):  # cvc5 >= 1.2
        terms = cvc5.TermManager()
        solver = cvc5.Solver(terms)
        symbols = cvc5.SymbolManager(terms)
    else:  # cvc5 1.1
        solver = cvc5.Solver()
        symbols = cvc5.SymbolManager(solver)
    parser = cvc5.InputParser(solver, symbols)
    parser.setStringInput(cvc5.InputLanguage.SMT_LIB_2_6, script, "obligation")
    answer = ""
    while True:
        command = parser.nextCommand()
        if command.isNull():
            break
        answer = command.invoke(solver, symbols).strip() or answer
    return answer if answer in {SAT, UNSAT} else UNKNOWN


def check_with_cvc5(compiled: Compiled, instruments: Iterable[str] | None = None
                    ) -> list[Obligation]:
    """Every verify obligation, answered by z3 (in memory and from text) and by cvc5."""
    result = []
    inputs = input_constraints(compiled)
    for finding, formula, answer in obligations(compiled, instruments):
        script = obligation_script(inputs, finding, formula)
        result.append(Obligation(finding.instrument, finding.check, finding.subject, script,
                                 answer, z3_on_text(script), cvc5_on_text(script)))
    return result


def main(argv: list[str] | None = None) -> int:
    from coop_logic.engine.knowledge_base import load

    args = sys.argv[1:] if argv is None else argv
    kb = load(spec_dirs=args or None)
    checked = check_with_cvc5(kb.compiled)
    disagree = [o for o in checked if not o.agree]
    for o in disagree:
        print(f"DISAGREE {o.instrument} {o.check} {o.subject}: z3 {o.z3}, "
              f"z3 (text) {o.z3_text}, cvc5 {o.cvc5}")
    print(f"{len(checked)} obligations, {len(checked) - len(disagree)} agree, "
          f"{len(disagree)} disagree")
    return 3 if disagree else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
