"""Formal checks of the specs themselves, each failure with a counterexample request.

Checks, per instrument, over every possible request (all inputs free):
- properties: each property the spec declares (`properties:`) holds for all requests;
- conflicts: two rules with opposing effects that can fire together for some request
  while the instrument applies, with no precedence declared between them;
- dead rules: a rule that can never fire (scope, displacement) or never fire while the
  instrument applies (the others);
- unreachable grounds: a refusal ground that no request makes refusable;
- shadowed grounds: a ground that never decides a request alone (whenever it is
  established, another ground already makes the request refusable);
- coverage: every provision the spec lists under `provisions:` (taken from its source
  digest) is cited by a rule or a not_encoded entry (a structural check, no solver).
Counterexamples are minimal in the sense of the fewest out-of-the-ordinary facts (z3's
optimizer keeps facts false where it can), and are turned into ready-to-run request
files, with real States chosen from the party data where some fit. This module asks z3
through its own solver; it never evaluates requests through the engine.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable

import attrs
import z3

from coop_logic.analysis.counterexample import Witnessing
from coop_logic.engine.budget import before_check
from coop_logic.engine.compile import Compiled, Encoder, instrument_terms
from coop_logic.model.instrument import Instrument, Rule
from coop_logic.spec.citations import uncovered

_OPPOSING = {("duty", "discretion"), ("grounds", "exclusion"), ("grounds", "grounds")}


@attrs.frozen
class Finding:
    """The outcome of one check."""

    instrument: str
    check: str
    subject: str
    ok: bool
    message: str
    counterexample: dict | None = None
    seconds: float = 0.0

    def to_dict(self) -> dict:
        return {"instrument": self.instrument, "check": self.check, "subject": self.subject,
                "ok": self.ok, "message": self.message,
                "counterexample": self.counterexample, "seconds": round(self.seconds, 6)}


class Verifier:
    def __init__(self, compiled: Compiled, date: dt.date | None = None) -> None:
        self.compiled = compiled
        self.enc = Encoder(compiled.inputs, compiled.instruments)
        self.date = date or dt.date.today()
        self.witness = Witnessing(compiled.inputs, compiled.instruments, self.date)

    def run(self, instruments: Iterable[str] | None = None) -> list[Finding]:
        findings: list[Finding] = []
        for inst_id in instruments or self.compiled.instruments:
            inst = self.compiled.instruments[inst_id]
            # one optimizer for the instrument's obligations (found about twice as fast
            # as an optimizer per obligation, and as minimal)
            with self.witness.shared():
                findings += self.properties(inst)
                findings += self.conflicts(inst)
                findings += self.dead_rules(inst)
                findings += self.grounds_reachable(inst)
            findings += self.coverage(inst)
        return findings

    # -- the checks -----------------------------------------------------------------------

    def _fires(self, inst: Instrument, rule: Rule) -> z3.BoolRef:
        return z3.And(self.enc.measure_in(rule.measures), self.enc.condition(rule.when, inst))

    def _applies(self, inst: Instrument) -> z3.BoolRef:
        return instrument_terms(self.enc, inst, None).applies

    def conflicts(self, inst: Instrument) -> list[Finding]:
        findings = []
        applies = self._applies(inst)
        for a, b in _pairs(inst.rules):
            if (a.effect, b.effect) not in _OPPOSING:
                continue
            if a.id in b.overrides or b.id in a.overrides:
                continue
            clash = _clash(a, b)
            if not clash:
                continue
            start = time.perf_counter()
            model = self._sat(z3.And(applies, self._fires(inst, a), self._fires(inst, b)))
            subject = f"{a.id} / {b.id}"
            if model is None:
                findings.append(Finding(inst.id, "conflict", subject, True,
                                        f"never fire together ({clash})",
                                        seconds=time.perf_counter() - start))
            else:
                findings.append(Finding(
                    inst.id, "conflict", subject, False,
                    f"{a.id} and {b.id} can both fire ({clash}) and neither overrides the other",
                    self.request_of(model, inst), time.perf_counter() - start))
        return findings

    def dead_rules(self, inst: Instrument) -> list[Finding]:
        findings = []
        terms = instrument_terms(self.enc, inst, None)
        scope = z3.Or(*[self._fires(inst, r) for r in inst.rules if r.effect == "scope"] or
                      [z3.BoolVal(False, self.compiled.ctx)])
        for rule in inst.rules:
            start = time.perf_counter()
            condition = self._fires(inst, rule)
            if rule.effect == "displacement":
                condition = z3.And(condition, scope)
            elif rule.effect != "scope":
                condition = z3.And(condition, terms.applies)
            model = self._sat(condition)
            if model is None:
                findings.append(Finding(inst.id, "dead_rule", rule.id, False,
                                        f"{rule.id} can never fire"
                                        + ("" if rule.effect == "scope" else
                                           " while the instrument applies"),
                                        seconds=time.perf_counter() - start))
            else:
                findings.append(Finding(inst.id, "dead_rule", rule.id, True, "can fire",
                                        self.request_of(model, inst),
                                        time.perf_counter() - start))
        return findings

    def properties(self, inst: Instrument) -> list[Finding]:
        findings = []
        for prop in inst.properties:
            start = time.perf_counter()
            when = self.enc.condition(prop.when, inst)
            then = self.enc.condition(prop.then, inst)
            model = self._sat(z3.And(when, z3.Not(then)))
            if model is None:
                findings.append(Finding(inst.id, "property", prop.id, True,
                                        f"proven for every request ({prop.cite})",
                                        seconds=time.perf_counter() - start))
            else:
                findings.append(Finding(
                    inst.id, "property", prop.id, False,
                    f"{prop.summary} ({prop.cite}) fails: when {prop.when_text}, "
                    f"not always {prop.then_text}",
                    self.request_of(model, inst), time.perf_counter() - start))
        return findings

    def grounds_reachable(self, inst: Instrument) -> list[Finding]:
        findings = []
        terms = instrument_terms(self.enc, inst, None)
        for ground in inst.ground_ids:
            if not any(r.gives(ground) for r in inst.rules):
                continue
            start = time.perf_counter()
            atom = terms.grounds.get(ground)
            model = None if atom is None else self._sat(
                z3.And(terms.statuses["refusable"], atom))
            if model is None:
                findings.append(Finding(inst.id, "ground_reachable", ground, False,
                                        f"no request is refusable on the ground {ground}",
                                        seconds=time.perf_counter() - start))
                continue
            findings.append(Finding(inst.id, "ground_reachable", ground, True,
                                    "some request is refusable on it",
                                    self.request_of(model, inst), time.perf_counter() - start))
            start = time.perf_counter()
            others = [t for g, t in terms.grounds.items() if g != ground]
            alone = self._sat(z3.And(terms.applies, terms.duty, atom,
                                     *[z3.Not(t) for t in others]))
            if alone is None:
                findings.append(Finding(
                    inst.id, "ground_shadowed", ground, False,
                    f"whenever {ground} is established, another ground already makes the "
                    f"request refusable: it never changes a verdict",
                    self.request_of(model, inst), time.perf_counter() - start))
            else:
                findings.append(Finding(inst.id, "ground_shadowed", ground, True,
                                        "decides some request alone",
                                        self.request_of(alone, inst),
                                        time.perf_counter() - start))
        return findings

    def coverage(self, inst: Instrument) -> list[Finding]:
        """Every provision the spec lists under `provisions:` (from its source digest) is
        cited by some rule or some not_encoded entry; nothing is checked without the list."""
        if not inst.provisions:
            return []
        start = time.perf_counter()
        cites = [r.cite for r in inst.rules] + [n.cite for n in inst.not_encoded]
        missing = uncovered(inst.provisions, cites)
        digest = inst.provisions_digest or "the digest"
        if missing:
            return [Finding(inst.id, "coverage", digest, False,
                            f"{len(missing)} of {len(inst.provisions)} provisions listed from "
                            f"{digest} are cited by no rule and no not_encoded entry: "
                            + ", ".join(missing), seconds=time.perf_counter() - start)]
        return [Finding(inst.id, "coverage", digest, True,
                        f"all {len(inst.provisions)} provisions listed from {digest} are cited "
                        f"by a rule or a not_encoded entry", seconds=time.perf_counter() - start)]

    def _sat(self, formula: z3.BoolRef) -> z3.ModelRef | None:
        before_check(None, "a verify obligation")  # the command's solver budget
        return self.witness.minimal_model(formula)

    def request_of(self, model: z3.ModelRef, inst: Instrument) -> dict:
        return self.witness.request_of(model, inst.id)

    def obligation(self, formula: z3.BoolRef) -> z3.Solver:
        """The plain satisfiability question behind a check (for other solvers)."""
        solver = z3.Solver(ctx=self.compiled.ctx)
        for c in self.compiled.inputs.constraints():
            solver.add(c)
        solver.add(formula)
        return solver


def _pairs(rules: tuple[Rule, ...]):
    for i, a in enumerate(rules):
        for b in rules[i + 1:]:
            if (a.effect, b.effect) in _OPPOSING:
                yield a, b
            elif (b.effect, a.effect) in _OPPOSING:
                yield b, a


def _clash(a: Rule, b: Rule) -> str:
    """What two rules disagree on, or '' when they cannot disagree."""
    shared = a.measures & b.measures
    if not shared:
        return ""
    if a.effect == "duty":
        return "duty and discretion"
    grounds = [g for g in a.grounds if a.gives(g) and b.removes(g)]
    grounds += [g for g in b.grounds if b.gives(g) and a.removes(g)]
    if not grounds:
        return ""
    return "ground " + ", ".join(dict.fromkeys(grounds)) + " given and removed"
