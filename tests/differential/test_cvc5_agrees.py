"""cvc5 as a second solver: it must answer every `verify` obligation as z3 does.

Skipped when cvc5 (the optional extra `coop-logic[cvc5]`) is not installed."""

from __future__ import annotations

import pytest

import coop_logic
from coop_logic.analysis.cvc5 import check_with_cvc5, cvc5_on_text
from coop_logic.analysis.smt2 import export_smt2
from coop_logic.analysis.verify import Verifier

pytest.importorskip("cvc5")


@pytest.fixture(scope="module")
def bundled() -> coop_logic.KnowledgeBase:
    return coop_logic.load()


def test_cvc5_and_z3_agree_on_every_verify_obligation_of_the_bundled_specs(bundled):
    checked = check_with_cvc5(bundled.compiled)
    assert {o.instrument for o in checked} == set(bundled.instruments)
    assert {o.check for o in checked} >= {"dead_rule", "ground_reachable"}
    disagree = [(o.instrument, o.check, o.subject, o.z3, o.z3_text, o.cvc5)
                for o in checked if not o.agree]
    assert disagree == []


def test_cvc5_reads_every_exported_instrument(bundled):
    for inst_id in bundled.instruments:
        assert cvc5_on_text(export_smt2(bundled, inst_id)) == "sat", inst_id


def test_cvc5_agrees_on_failing_and_passing_checks(tmp_path):
    """A spec with a conflict, a dead rule and an unreachable ground (sat and unsat
    obligations both), checked with the Verifier's own findings alongside."""
    (tmp_path / "c.yaml").write_text("""\
spec_version: 1
id: c
title: Conflicting
adopted: null
entry_into_force: null
sources: [{url: https://example.org, note: x}]
parties: all
rules:
  - {id: c.scope, cite: a, summary: s, source: https://example.org, text_verified: true,
     effect: scope, measures: all}
  - {id: c.duty, cite: a, summary: s, source: https://example.org, text_verified: true,
     effect: duty, measures: all}
  - {id: c.may, cite: a, summary: s, source: https://example.org, text_verified: true,
     effect: discretion, measures: [extradition], when: urgent}
  - {id: c.never, cite: a, summary: s, source: https://example.org, text_verified: true,
     effect: discretion, measures: all, when: urgent and not urgent}
  - {id: c.grounds, cite: a, summary: s, source: https://example.org, text_verified: true,
     effect: grounds, measures: all, grounds: [political_offence, fiscal_offence]}
  - {id: c.nofiscal, cite: a, summary: s, source: https://example.org, text_verified: true,
     effect: exclusion, measures: all, grounds: [fiscal_offence], overrides: [c.grounds]}
""")
    kb = coop_logic.load(spec_dirs=[tmp_path])
    checked = check_with_cvc5(kb.compiled)
    findings = Verifier(kb.compiled).run()
    assert [(o.check, o.subject) for o in checked] == [(f.check, f.subject) for f in findings]
    assert all(o.agree for o in checked)
    answers = {(o.check, o.subject): o.cvc5 for o in checked}
    assert answers[("conflict", "c.duty / c.may")] == "sat"
    assert answers[("conflict", "c.duty / c.never")] == "unsat"
    assert answers[("dead_rule", "c.never")] == "unsat"
    assert answers[("ground_reachable", "fiscal_offence")] == "unsat"
    assert answers[("ground_reachable", "political_offence")] == "sat"
