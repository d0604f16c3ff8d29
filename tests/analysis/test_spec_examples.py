"""Tests inside spec files (`examples:`, docs/spec-language.md "Examples"): reading them,
`coop-logic test`, the runner `coop_logic.analysis.spec_examples`, and its use from pytest."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

import coop_logic
from coop_logic.analysis.spec_examples import (
    assert_example,
    example_ids,
    instruments_in,
    run_example,
    run_examples,
)
from coop_logic.cli import main

pytest_plugins = ["pytester"]

MLAT = """\
spec_version: 1
id: mlat_xx_yy
title: Test treaty on mutual legal assistance between France and the United States
short_title: X-Y MLAT
adopted: 2001-05-01
entry_into_force: 2003-01-01
sources:
  - {url: https://example.org/treaty, note: Test fixture.}
parties:
  as_of: 2026-01-01
  completeness: complete
  sources: [{url: https://example.org/treaty, note: Test fixture.}]
  parties:
    - {state: US, name: United States, in_force: 2003-01-01}
    - {state: FR, name: France, in_force: 2003-01-01}
tags: [mla_treaty]
rules:
  - id: mlat_xx_yy.art1
    cite: X-Y MLAT, Art. 1
    summary: Covers evidence in criminal matters.
    source: https://example.org/treaty
    text_verified: true
    effect: scope
    measures: [evidence_collection, stored_data_access]
  - id: mlat_xx_yy.art1.1
    cite: X-Y MLAT, Art. 1(1)
    summary: The Parties must assist each other.
    source: https://example.org/treaty
    text_verified: true
    effect: duty
    measures: all
  - id: mlat_xx_yy.art3
    cite: X-Y MLAT, Art. 3
    summary: Assistance may be refused for a political offence.
    source: https://example.org/treaty
    text_verified: true
    effect: grounds
    measures: all
    grounds: [political_offence]
"""

GOOD_EXAMPLES = """\
examples:
  - id: mlat_xx_yy.example.evidence
    illustrates: mlat_xx_yy.art1.1
    summary: France asks the United States for evidence.
    request:
      requesting_state: FR
      requested_state: US
      measure: evidence_collection
      date: 2026-06-01
    expect: {status: mandatory, grounds: [], possible: [mandatory], depends_on: []}
  - id: mlat_xx_yy.example.political
    illustrates: mlat_xx_yy.art3
    request:
      requesting_state: FR
      requested_state: US
      measure: stored_data_access
      date: 2026-06-01
      facts: {political_offence: true}
    expect: {status: refusable, grounds: [political_offence]}
  - id: mlat_xx_yy.example.open_world
    illustrates: mlat_xx_yy.art3
    request:
      requesting_state: FR
      requested_state: US
      measure: stored_data_access
      date: 2026-06-01
    closed_world: false
    expect:
      status: undetermined
      possible: [mandatory, refusable]
      depends_on: [political_offence]
"""

WRONG_EXAMPLE = """\
  - id: mlat_xx_yy.example.wrong
    illustrates: mlat_xx_yy.art1.1
    summary: A wrong expectation.
    request:
      requesting_state: FR
      requested_state: US
      measure: evidence_collection
      date: 2026-06-01
    expect: {status: refusable, grounds: [political_offence]}
"""


def write(tmp_path: Path, text: str, name: str = "mlat_xx_yy.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def kb() -> coop_logic.KnowledgeBase:
    """A knowledge base of this module's own: running every example through the session's
    would change the solver history other tests' traces are compared under."""
    return coop_logic.load()


def cli(*args: str | Path):
    return CliRunner().invoke(main, ["test", *map(str, args)])


# -- the bundled specs ------------------------------------------------------------------------


def test_every_bundled_spec_carries_examples_and_they_all_pass(kb):
    report = run_examples(kb)
    assert report.failed == 0, "\n".join(o.example.id + ": " + "; ".join(o.problems)
                                         for o in report.failures)
    assert {c.instrument for c in report.coverage} == set(kb.ids)
    for cov in report.coverage:
        assert cov.examples > 0, f"{cov.instrument} has no example"
        assert set(cov.exercised) <= set(cov.rules)
        assert set(cov.traced) <= set(cov.exercised)


def test_bundled_examples_illustrate_rules_and_are_unique(kb):
    seen = set()
    for inst in kb.instruments.values():
        rule_ids = {r.id for r in inst.rules}
        for example in inst.examples:
            assert example.id.startswith(inst.id + ".")
            assert example.illustrates in rule_ids
            assert example.summary, example.id
            assert example.id not in seen
            seen.add(example.id)


def test_coop_logic_test_passes_on_the_bundled_specs_and_reports_coverage(kb):
    result = cli()
    assert result.exit_code == 0, result.output
    total = sum(len(i.examples) for i in kb.instruments.values())
    assert f"{total} passed, 0 failed" in result.output
    assert "rule coverage" in result.output
    budapest = kb.instruments["budapest"]
    assert (f"budapest: {len(budapest.rules)}/{len(budapest.rules)} rules exercised by "
            f"{len(budapest.examples)} examples") in result.output
    assert "all: " in result.output


def test_coop_logic_test_json_report(kb):
    result = cli("--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["failed"] == 0
    assert data["passed"] == data["examples"] == len(data["results"])
    assert set(data["coverage"]) == set(kb.ids)
    cov = data["coverage"]["ecma_1959"]
    assert cov["exercised"] == cov["rules"] and cov["unexercised"] == []
    first = data["results"][0]
    assert {"id", "instrument", "illustrates", "passed", "file", "line", "expected", "actual",
            "cited"} <= set(first)


def test_coop_logic_test_of_one_bundled_spec_runs_only_its_examples(kb):
    result = cli(Path(kb.instruments["iacmamc"].file), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert list(data["coverage"]) == ["iacmamc"]
    assert data["examples"] == len(kb.instruments["iacmamc"].examples)


# -- a user spec ------------------------------------------------------------------------------


def test_a_user_spec_with_passing_examples(tmp_path):
    path = write(tmp_path, MLAT + GOOD_EXAMPLES)
    result = cli(path)
    assert result.exit_code == 0, result.output
    assert "3 passed, 0 failed" in result.output
    assert "mlat_xx_yy: 3/3 rules exercised by 3 examples" in result.output
    assert "budapest" not in result.output  # only the examples of the named spec are run


def test_a_wrong_expectation_fails_with_exit_3_and_the_trace(tmp_path):
    path = write(tmp_path, MLAT + GOOD_EXAMPLES + WRONG_EXAMPLE)
    result = cli(path)
    assert result.exit_code == 3, result.output
    out = result.output
    assert "FAIL mlat_xx_yy.example.wrong" in out
    assert "status is mandatory, expected refusable" in out
    assert "grounds is [], expected [political_offence]" in out
    assert "actual verdict: status=mandatory" in out
    assert "proof trace:" in out
    assert "X-Y MLAT, Art. 1(1): The Parties must assist each other." in out
    assert f"{path}:" in out  # where the example is
    assert "3 passed, 1 failed" in out
    data = json.loads(cli(path, "--json").output)
    wrong = next(r for r in data["results"] if not r["passed"])
    assert wrong["id"] == "mlat_xx_yy.example.wrong"
    assert wrong["actual"]["status"] == "mandatory"
    assert "MANDATORY" in wrong["trace"]


def test_coverage_lists_the_rules_no_example_exercises(tmp_path):
    only_duty = GOOD_EXAMPLES.split("  - id: mlat_xx_yy.example.political")[0]
    path = write(tmp_path, MLAT + only_duty)
    result = cli(path)
    assert result.exit_code == 0, result.output
    assert "mlat_xx_yy: 2/3 rules exercised by 1 example\n" in result.output
    assert "not exercised: mlat_xx_yy.art3" in result.output


def test_run_examples_api_and_assert_example(tmp_path):
    path = write(tmp_path, MLAT + GOOD_EXAMPLES + WRONG_EXAMPLE)
    kb = coop_logic.load(extra_specs=[path])
    assert instruments_in(kb, [path]) == ["mlat_xx_yy"]
    report = run_examples(kb, ["mlat_xx_yy"])
    assert (report.passed, report.failed) == (3, 1)
    (cov,) = report.coverage
    assert cov.unexercised == ()
    assert example_ids(kb, ["mlat_xx_yy"]) == [
        "mlat_xx_yy.example.evidence", "mlat_xx_yy.example.political",
        "mlat_xx_yy.example.open_world", "mlat_xx_yy.example.wrong"]
    outcome = assert_example(kb, "mlat_xx_yy.example.political")
    assert outcome.passed and "mlat_xx_yy.art3" in outcome.cited
    with pytest.raises(AssertionError, match=r"(?s)status is mandatory, expected refusable"
                                             r".*proof trace:.*Art\. 1\(1\)"):
        assert_example(kb, "mlat_xx_yy.example.wrong")
    with pytest.raises(KeyError):
        assert_example(kb, "mlat_xx_yy.example.missing")
    inst = kb.instruments["mlat_xx_yy"]
    assert run_example(kb, inst, inst.examples[0]).passed
    with pytest.raises(ValueError, match="not loaded"):
        run_examples(kb, ["nowhere"])


# -- malformed examples -----------------------------------------------------------------------


def _example(request: str = "", expect: str = "{status: mandatory}", extra: str = "") -> str:
    request = request or ("{requesting_state: FR, requested_state: US, "
                          "measure: evidence_collection, date: 2026-06-01}")
    return textwrap.dedent(f"""\
        examples:
          - id: mlat_xx_yy.example.ok
            illustrates: mlat_xx_yy.art1.1
            request: {{requesting_state: FR, requested_state: US, measure: evidence_collection}}
            expect: {{status: mandatory}}
          - id: mlat_xx_yy.example.broken
            illustrates: mlat_xx_yy.art1.1
            request: {request}
            expect: {expect}
        """) + extra


@pytest.mark.parametrize(("examples", "field", "offset", "message"), [
    (_example(request="{requesting_state: FR, requested_state: US, measure: teleport}"),
     "examples[1].request.measure", 8, "unknown measure 'teleport'"),
    (_example().replace("request: {requesting_state: FR, requested_state: US, "
                        "measure: evidence_collection, date: 2026-06-01}",
                        "request:\n      requesting_state: FR\n      requested_state: US\n"
                        "      measure: evidence_colection"),
     "examples[1].request.measure", 11, "did you mean 'evidence_collection'"),
    (_example(request="{requesting_state: FR, requested_state: US, measure: evidence_collection,"
                      " facts: {politcal_offence: true}}"),
     "examples[1].request.facts.politcal_offence", 8, "unknown fact"),
    (_example(request="{requesting_state: FR, requested_state: FR, measure: evidence_collection}"),
     "examples[1].request.requested_state", 8, "same State"),
    (_example(request="{requesting_state: FR, requested_state: US, measure: evidence_collection,"
                      " date: 2026-13-01}"),
     "examples[1].request.date", 8, "not a valid date"),
    (_example(request="[FR, US]"), "examples[1].request", 8, "a list"),
    (_example(request="{requesting_state: FR, requested_state: US, measure: evidence_collection,"
                      " instruments: [budapest]}"),
     "examples[1].request.instruments", 8, "does not include mlat_xx_yy"),
    (_example(expect="{status: mandatroy}"), "examples[1].expect.status", 9,
     "did you mean 'mandatory'"),
    (_example(expect="{status: mandatory, grounds: [political_offence]}"),
     "examples[1].expect.grounds", 9, "grounds for a mandatory verdict"),
    (_example(expect="{status: refusable, grounds: [bank_secrecy_only]}"),
     "examples[1].expect.grounds[0]", 9, "not a ground of mlat_xx_yy"),
    (_example(expect="{status: undetermined, possible: [mandatory]}"),
     "examples[1].expect.possible", 9, "fewer than two"),
    (_example(expect="{status: mandatory, possible: [refusable]}"),
     "examples[1].expect.possible", 9, "is not [mandatory]"),
    (_example(expect="{status: undetermined, depends_on: [weather]}"),
     "examples[1].expect.depends_on[0]", 9, "not an unknown of a request"),
    (_example(expect="{status: mandatory, depends_on: [urgent]}"),
     "examples[1].expect.depends_on", 9, "unknowns for a mandatory verdict"),
    (_example(expect="{statu: mandatory}"), "examples[1].expect.statu", 9, "unknown field"),
    (_example().replace("illustrates: mlat_xx_yy.art1.1\n    request: {req",
                        "illustrates: mlat_xx_yy.art9\n    request: {req", 1),
     "examples[0].illustrates", 3, "unknown rule 'mlat_xx_yy.art9'"),
    (_example().replace("mlat_xx_yy.example.broken", "other.example.broken"),
     "examples[1].id", 6, "does not start with 'mlat_xx_yy.'"),
    (_example().replace("mlat_xx_yy.example.broken", "mlat_xx_yy.example.ok"),
     "examples[1].id", 6, "duplicate example id"),
    (_example().replace("    expect: {status: mandatory}\n", "    expect: {status: mandatory}\n"
                        "    closed_world: maybe\n", 1),
     "examples[0].closed_world", 6, "expected true or false"),
])
def test_a_malformed_example_is_a_spec_error_naming_the_field(tmp_path, examples, field, offset,
                                                                message):
    """`offset`: the line of the bad field, counted from the last line of the rules."""
    path = write(tmp_path, MLAT + examples)
    with pytest.raises(coop_logic.SpecError) as info:
        coop_logic.load(extra_specs=[path])
    error = info.value
    assert error.field == field, str(error)
    assert error.file == str(path)
    assert error.line == MLAT.count("\n") + offset, str(error)
    assert message in str(error)


def test_coop_logic_test_reports_a_malformed_example_with_exit_2(tmp_path):
    path = write(tmp_path, MLAT + _example(
        request="{requesting_state: FR, requested_state: US, measure: teleport}"))
    result = CliRunner().invoke(main, ["test", str(path)])
    assert result.exit_code == 2
    assert "field 'examples[1].request.measure'" in result.output
    assert f"{path}:{MLAT.count(chr(10)) + 8}" in result.output


# -- from pytest ------------------------------------------------------------------------------


def test_each_spec_example_as_a_pytest_item(pytester, tmp_path):
    """What the pytest plugin can do: one test item per example, failures with the trace."""
    spec = write(tmp_path, MLAT + GOOD_EXAMPLES + WRONG_EXAMPLE)
    source = textwrap.dedent("""
        import pytest
        from coop_logic.analysis.spec_examples import assert_example, example_ids, instruments_in
        from coop_logic.engine.knowledge_base import load

        KB = load(extra_specs=[SPEC])

        @pytest.mark.parametrize("example_id", example_ids(KB, instruments_in(KB, [SPEC])))
        def test_spec_example(example_id):
            assert_example(KB, example_id)
    """)
    pytester.makepyfile(test_specs=f"SPEC = {str(spec)!r}\n" + source)
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=3, failed=1)
    result.stdout.fnmatch_lines([
        "*test_spec_example?mlat_xx_yy.example.wrong?*",
        "*status is mandatory, expected refusable*",
        "*proof trace:*",
        "*X-Y MLAT, Art. 1(1)*",
    ])
