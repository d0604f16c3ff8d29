"""The SMT-LIB export (`coop_logic.analysis.smt2`, `coop-logic export-smt2`): well-formed, portable,
and meaning what the engine means."""

from __future__ import annotations

import pytest
import z3
from click.testing import CliRunner

import coop_logic
from coop_logic.analysis.smt2 import export_smt2
from coop_logic.cli import main
from coop_logic.engine.request_inputs import RequestFacts
from coop_logic.errors import InputError
from coop_logic.model.request import Request
from coop_logic.vocabulary import STATUSES


@pytest.fixture(scope="module")
def bundled() -> coop_logic.KnowledgeBase:
    return coop_logic.load()


def solver_for(text: str) -> tuple[z3.Solver, z3.Context]:
    ctx = z3.Context()
    solver = z3.Solver(ctx=ctx)
    solver.from_string(text)
    return solver, ctx


def test_every_bundled_instrument_exports_to_satisfiable_portable_smt2(bundled):
    for inst_id, inst in bundled.instruments.items():
        text = export_smt2(bundled, inst_id)
        assert text.startswith(f"; coop_logic: the compiled constraints of {inst_id} ")
        assert f"; spec file: {inst.file}" in text
        assert "status:<instrument>:<status>" in text  # the naming scheme
        assert "(set-logic QF_UF)" in text and text.rstrip().endswith("(check-sat)")
        assert "at-most" not in text and "at-least" not in text
        for status in STATUSES:
            assert f"|status:{inst_id}:{status}|" in text
        solver, _ = solver_for(text)
        assert solver.check() == z3.sat, inst_id


@pytest.mark.parametrize("request_data", [
    {"requesting_state": "FR", "requested_state": "US", "measure": "expedited_preservation",
     "offence": {"category": "illegal_access"}, "facts": {"political_offence": True}},
    {"requesting_state": "FR", "requested_state": "DE", "measure": "evidence_collection",
     "offence": {"category": "fraud", "electronic_evidence": True}},
    {"requesting_state": "PY", "requested_state": "GB", "measure": "extradition"},
])
def test_the_export_entails_the_engines_verdicts(bundled, request_data):
    """With a request's known inputs asserted, the exported constraints allow exactly the
    statuses the engine reports as possible."""
    request = Request.from_dict({"date": "2026-06-01", **request_data})
    result = bundled.evaluate(request, traces=False)
    values = RequestFacts(bundled.engine, request).values
    for inst_id, verdict in result.verdicts.items():
        solver, ctx = solver_for(export_smt2(bundled, inst_id))
        known = [z3.Bool(k, ctx) == v for k, v in values.items()]
        possible = tuple(s for s in STATUSES
                         if solver.check(*known, z3.Bool(f"status:{inst_id}:{s}", ctx)) == z3.sat)
        assert possible == verdict.possible, inst_id


def test_an_unknown_instrument_is_an_input_error_with_a_suggestion(bundled):
    with pytest.raises(InputError, match="did you mean 'budapest'"):
        export_smt2(bundled, "budapst")


def test_the_command_prints_writes_and_refuses_unknown_instruments(tmp_path):
    runner = CliRunner()
    out = runner.invoke(main, ["export-smt2", "comity"])
    assert out.exit_code == 0, out.output
    assert out.stdout.startswith("; coop_logic: the compiled constraints of comity")
    target = tmp_path / "budapest.smt2"
    written = runner.invoke(main, ["export-smt2", "budapest", "--output", str(target)])
    assert written.exit_code == 0
    assert written.stdout == ""
    assert target.read_text().startswith("; coop_logic: the compiled constraints of budapest")
    bad = runner.invoke(main, ["export-smt2", "budapst"])
    assert bad.exit_code == 2
    assert bad.stdout == ""
    assert "unknown instrument 'budapst'; did you mean 'budapest'?" in bad.stderr
    unwritable = runner.invoke(main, ["export-smt2", "comity", "-o",
                                      str(tmp_path / "missing" / "x.smt2")])
    assert unwritable.exit_code == 2
    assert "names a folder that does not exist" in unwritable.stderr
