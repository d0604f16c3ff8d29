"""Solver work is bounded: a spec set may bring at most 50 distinct penalty thresholds,
conditions are bounded in nesting and in size once definitions are expanded, and every
command has a solver budget whose exhaustion is a solver error (exit 1), never a wait."""

from __future__ import annotations

import json
import time

import pytest

from coop_logic import load
from coop_logic.engine.budget import solver_budget
from coop_logic.errors import SolverError, SpecError
from coop_logic.model.conditions import ConditionError, parse_condition
from coop_logic.practice.ask import decisive_questions
from coop_logic.practice.whatif import what_if

from .cli_helpers import GOOD, assert_refused, run
from .specs import rule, spec, thresholds_spec, write


@pytest.fixture
def request_file(tmp_path):
    path = tmp_path / "request.yaml"
    path.write_text(GOOD)
    return path


def test_a_rule_with_hundreds_of_penalty_thresholds_is_refused_at_load(tmp_path, request_file):
    path = write(tmp_path, thresholds_spec(300))
    start = time.monotonic()
    proc = run("check", request_file, "--spec", path)
    assert_refused(proc, str(path), "rules[1].when", "mlat_us_fr.art2", "50 distinct")
    assert time.monotonic() - start < 15


def test_forty_thresholds_are_accepted(tmp_path):
    kb = load(extra_specs=[write(tmp_path, thresholds_spec(40))])
    assert "mlat_us_fr" in kb.ids


def test_an_exhausted_budget_is_a_solver_error_with_nothing_on_stdout(tmp_path, request_file):
    spec_file = write(tmp_path, thresholds_spec(40))
    proc = run("check", request_file, "--json", "--spec", spec_file,
               env={"COOP_LOGIC_SOLVER_BUDGET": "0.02"})
    assert_refused(proc, "solver budget of 0.02 s ran out", code=1)


def test_whatif_and_ask_stop_with_a_solver_error_when_the_budget_is_spent(kb):
    request = {"requesting_state": "FR", "requested_state": "US",
               "measure": "evidence_collection", "date": "2026-06-01"}
    for question in (lambda: what_if(kb, request, "mandatory"),
                     lambda: decisive_questions(kb, request)):
        with solver_budget(0.0), pytest.raises(SolverError, match="solver budget"):
            question()


def test_an_exhausted_budget_in_batch_is_a_line_error_and_exit_1(tmp_path):
    lines = tmp_path / "in.jsonl"
    lines.write_text(json.dumps({"requesting_state": "FR", "requested_state": "US",
                                 "measure": "evidence_collection", "date": "2026-06-01"}) + "\n")
    proc = run("batch", "-j", "1", "--traces", lines, env={"COOP_LOGIC_SOLVER_BUDGET": "0.005"})
    assert proc.returncode == 1
    out = json.loads(proc.stdout)
    assert out["line"] == 1 and "solver budget" in out["error"]


def test_the_api_budget_stops_an_evaluation_with_a_solver_error(tmp_path):
    kb = load(extra_specs=[write(tmp_path, thresholds_spec(40))])
    request = {"requesting_state": "FR", "requested_state": "US",
               "measure": "evidence_collection", "date": "2026-06-01"}
    with solver_budget(0.0), pytest.raises(SolverError, match="solver budget"):
        kb.evaluate(request)
    assert kb.evaluate(request).overall.status  # the budget ends with its block


def test_definitions_that_double_at_each_level_are_refused_naming_the_definition(
        tmp_path, request_file):
    definitions = {"d0": "urgent"}
    for i in range(1, 41):
        definitions[f"d{i}"] = f"d{i - 1} and (d{i - 1} or political_offence)"
    path = write(tmp_path, spec([rule(2, "d40")], definitions))
    for command in (["check", request_file, "--spec", path], ["verify", tmp_path]):
        start = time.monotonic()
        message = assert_refused(run(*command), str(path), "definitions.d11", "5000")
        assert ":" in message.split("definitions")[0]  # the line is given
        assert time.monotonic() - start < 15
    with pytest.raises(SpecError, match=r"definitions\.d11"):
        load(extra_specs=[path])


@pytest.mark.parametrize("when", ["(" * 10_000 + "urgent" + ")" * 10_000,
                                  "not " * 10_000 + "urgent"])
def test_deep_conditions_are_refused_at_the_column(tmp_path, request_file, when):
    path = write(tmp_path, spec([rule(2, when)]))
    assert_refused(run("check", request_file, "--spec", path), str(path), "rules[1].when",
                   "nests more than 100 levels", "column")
    with pytest.raises(ConditionError) as info:
        parse_condition(when)
    assert info.value.column > 0


def test_a_deeply_nested_request_is_refused(tmp_path):
    deep = tmp_path / "deep.json"
    deep.write_text('{"requesting_state": "FR", "offence": ' + "[" * 5000 + "]" * 5000 + "}")
    assert_refused(run("check", deep), str(deep), "nest")
    deep_yaml = tmp_path / "deep.yaml"
    deep_yaml.write_text("requesting_state: FR\noffence: " + "[" * 5000 + "]" * 5000 + "\n")
    assert_refused(run("check", deep_yaml), str(deep_yaml), "nest")
