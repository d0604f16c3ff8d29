"""Counterexamples stay minimal with the optimizer shared by an instrument's obligations:
an instrument verified alone gets the same findings as within a run over every instrument,
each counterexample with as few facts and flags true (which minimal request z3 picks among
equals may differ), and each formula's shared-optimizer model is as minimal as a fresh
optimizer's."""

from __future__ import annotations

import datetime as dt

import coop_logic
from coop_logic.analysis.verify import Verifier


def findings(kb: coop_logic.KnowledgeBase, instruments: list[str] | None) -> list[tuple]:
    run = Verifier(kb.compiled, dt.date(2026, 6, 1)).run(instruments)
    return [(f.instrument, f.check, f.subject, f.ok, f.message, true_count(f.counterexample))
            for f in run]


def true_count(request: dict | None) -> int | None:
    if request is None:
        return None
    flags = [v for v in request["offence"].values() if isinstance(v, bool)]
    return sum(flags) + sum(request["facts"].values())


def test_an_instrument_verified_alone_gets_the_same_findings(kb):
    everything = findings(kb, None)
    for inst in ("untoc", "ecma_1959"):
        alone = findings(kb, [inst])
        assert alone == [f for f in everything if f[0] == inst]
        assert any(f[5] is not None for f in alone)


def test_counterexamples_keep_as_few_facts_and_flags_true_as_a_fresh_optimizer(kb):
    """The shared optimizer's models are as minimal as a fresh one's for each formula."""
    verifier = Verifier(kb.compiled, dt.date(2026, 6, 1))
    inst = kb.instruments["budapest"]
    formulas = [verifier._fires(inst, rule) for rule in inst.rules[:12]]

    def true_count(model) -> int:
        return sum(1 for a in kb.compiled.inputs.atoms if a.key.startswith(("fact:", "flag:"))
                   and bool(model.eval(a.var, model_completion=True)))

    fresh = [verifier.witness.minimal_model(f) for f in formulas]
    with verifier.witness.shared():
        shared = [verifier.witness.minimal_model(f) for f in formulas]
    for a, b in zip(fresh, shared, strict=True):
        assert (a is None) == (b is None)
        if a is not None:
            assert true_count(a) == true_count(b)
