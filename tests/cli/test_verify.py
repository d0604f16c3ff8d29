"""`coop-logic verify`: formal checks of spec files, each failure with a counterexample.

Broken spec directories are written to tmp_path; `verify SPEC_DIR` must load only that
directory. Exit codes: 0 every check passed, 3 a check failed, 2 bad input.
"""

from __future__ import annotations

import json
import re
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml

import coop_logic
from tests.helpers import US_FR_TREATY_HEADER
from tests.helpers import run_cli as run

EXE = Path(sys.executable).parent / "coop-logic"
SUMMARY = re.compile(r"^(\d+) passed, (\d+) failed$")

HEADER = US_FR_TREATY_HEADER + textwrap.dedent("""\
    rules:
    """)


def rule(rule_id: str, effect: str, measures: str = "all", **extra: str) -> str:
    lines = [
        f"  - id: mlat_us_fr.{rule_id}",
        f"    cite: US-FR MLAT, Art. {rule_id.removeprefix('art')}",
        "    summary: A provision of the test treaty.",
        "    source: https://example.org/treaty",
        "    text_verified: true",
        f"    effect: {effect}",
        f"    measures: {measures}",
    ]
    lines += [f"    {key}: {value}" for key, value in extra.items()]
    return "\n".join(lines) + "\n"


SCOPE = rule("art1", "scope", "[evidence_collection, stored_data_access]")
DUTY = rule("art2", "duty")
GROUNDS = rule("art3", "grounds", grounds="[political_offence, essential_interests]")
EXCLUSION = rule("art4", "exclusion", grounds="[bank_secrecy_only]")
CORRECT = HEADER + SCOPE + DUTY + GROUNDS + EXCLUSION




def spec_dir(tmp_path: Path, text: str, name: str = "specs") -> Path:
    folder = tmp_path / name
    folder.mkdir()
    (folder / "mlat_us_fr.yaml").write_text(text, encoding="utf-8")
    return folder


def summary(stdout: str) -> tuple[int, int]:
    last = stdout.strip().splitlines()[-1]
    match = SUMMARY.match(last)
    assert match, f"no summary line at the end: {last!r}"
    return int(match.group(1)), int(match.group(2))


def counterexamples(stdout: str) -> list[dict[str, Any]]:
    """The counterexample requests printed under FAIL lines (indented YAML)."""
    found = []
    lines = stdout.splitlines()
    for i, line in enumerate(lines):
        if line.strip() == "counterexample request:":
            block = []
            for nxt in lines[i + 1:]:
                if not nxt.startswith("    "):
                    break
                block.append(nxt[4:])
            found.append(yaml.safe_load("\n".join(block)))
    return found


def verify_json(folder: Path) -> tuple[int, dict[str, Any]]:
    proc = run("verify", folder, "--json")
    assert proc.returncode in (0, 3), proc.stderr
    return proc.returncode, json.loads(proc.stdout)


# -- the bundled specs ---------------------------------------------------------------------


def test_verify_runs_on_the_bundled_specs_and_prints_a_summary():
    proc = run("verify")
    assert proc.returncode in (0, 3), proc.stderr
    assert "Traceback" not in proc.stderr
    passed, failed = summary(proc.stdout)
    assert passed > 0
    assert (failed == 0) == (proc.returncode == 0)
    # One "FAIL" line per failed check.
    assert sum(line.startswith("FAIL ") for line in proc.stdout.splitlines()) == failed


# -- a correct spec ----------------------------------------------------------------------------


def test_a_correct_bilateral_treaty_passes(tmp_path):
    folder = spec_dir(tmp_path, CORRECT)
    proc = run("verify", folder)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stderr == ""
    passed, failed = summary(proc.stdout)
    assert failed == 0 and passed >= 5  # 4 rules alive + a reachable ground at least
    assert "FAIL" not in proc.stdout


def test_verify_of_a_directory_loads_only_that_directory(tmp_path):
    folder = spec_dir(tmp_path, CORRECT)
    code, report = verify_json(folder)
    assert code == 0
    assert report["failed"] == 0
    assert report["checks"] == report["passed"] == len(report["findings"])
    assert {f["instrument"] for f in report["findings"]} == {"mlat_us_fr"}
    dead = {f["subject"] for f in report["findings"] if f["check"] == "dead_rule"}
    assert dead == {"mlat_us_fr.art1", "mlat_us_fr.art2", "mlat_us_fr.art3", "mlat_us_fr.art4"}
    reachable = {f["subject"] for f in report["findings"] if f["check"] == "ground_reachable"}
    assert reachable == {"political_offence", "essential_interests"}


def test_the_correct_treaty_gives_verdicts_through_check(tmp_path):
    """The spec used as the passing control is a working instrument, not a vacuous one."""
    folder = spec_dir(tmp_path, CORRECT)
    request = tmp_path / "request.yaml"
    request.write_text("requesting_state: FR\nrequested_state: US\nmeasure: evidence_collection\n"
                       "date: 2026-06-01\nfacts: {political_offence: true}\n", encoding="utf-8")
    proc = run("check", request, "--json", "--spec", folder / "mlat_us_fr.yaml",
               "--instrument", "mlat_us_fr")
    assert proc.returncode == 0, proc.stderr
    verdict = json.loads(proc.stdout)["instruments"]["mlat_us_fr"]
    assert verdict["status"] == "refusable"
    assert verdict["grounds"] == ["political_offence"]


# -- conflicts ---------------------------------------------------------------------------------

CONFLICT = HEADER + SCOPE + DUTY + rule("art3", "discretion", "[evidence_collection]",
                                        when="urgent")


def test_a_duty_and_a_discretion_without_precedence_fail_with_a_counterexample(tmp_path):
    folder = spec_dir(tmp_path, CONFLICT)
    proc = run("verify", folder)
    assert proc.returncode == 3, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    fails = [line for line in proc.stdout.splitlines() if line.startswith("FAIL ")]
    assert len(fails) == 1, fails
    assert "conflict" in fails[0]
    assert "mlat_us_fr.art2" in fails[0] and "mlat_us_fr.art3" in fails[0]
    assert summary(proc.stdout)[1] == 1
    [example] = counterexamples(proc.stdout)
    request = coop_logic.Request.from_dict(example)  # a valid request
    assert {request.requesting_state, request.requested_state} == {"US", "FR"}
    assert request.measure == "evidence_collection"
    assert request.facts.get("urgent") is True


def test_the_conflict_counterexample_makes_both_rules_fire(tmp_path):
    """Run through `check`, the counterexample is discretionary: the discretion defeats
    the duty (docs/spec-language.md, Precedence), so both rules fire on it."""
    folder = spec_dir(tmp_path, CONFLICT)
    _, report = verify_json(folder)
    [finding] = [f for f in report["findings"] if not f["ok"]]
    assert finding["check"] == "conflict"
    request = tmp_path / "counterexample.yaml"
    request.write_text(yaml.safe_dump(finding["counterexample"]), encoding="utf-8")
    proc = run("check", request, "--json", "--spec", folder / "mlat_us_fr.yaml")
    assert proc.returncode == 0, proc.stderr
    verdict = json.loads(proc.stdout)["instruments"]["mlat_us_fr"]
    assert verdict["status"] == "discretionary"
    ids = {s["id"] for s in verdict["trace"] if s["kind"] == "provision"}
    assert "mlat_us_fr.art3" in ids


def test_declaring_precedence_resolves_the_conflict(tmp_path):
    resolved = HEADER + SCOPE + rule("art2", "duty", overrides="[mlat_us_fr.art3]") + rule(
        "art3", "discretion", "[evidence_collection]", when="urgent")
    proc = run("verify", spec_dir(tmp_path, resolved))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert summary(proc.stdout)[1] == 0


def test_a_duty_and_a_discretion_that_never_fire_together_pass(tmp_path):
    apart = HEADER + SCOPE + rule("art2", "duty", when="not urgent") + rule(
        "art3", "discretion", "[evidence_collection]", when="urgent")
    proc = run("verify", spec_dir(tmp_path, apart))
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_a_ground_and_its_exclusion_without_precedence_fail(tmp_path):
    text = HEADER + SCOPE + DUTY + GROUNDS + rule(
        "art4", "exclusion", "[stored_data_access]", grounds="[political_offence]",
        when="transnational")
    folder = spec_dir(tmp_path, text)
    proc = run("verify", folder)
    assert proc.returncode == 3, proc.stdout
    fails = [line for line in proc.stdout.splitlines() if line.startswith("FAIL ")]
    assert any("conflict" in f and "mlat_us_fr.art3" in f and "mlat_us_fr.art4" in f
               for f in fails), fails
    [example] = counterexamples(proc.stdout)
    assert example["measure"] == "stored_data_access"
    assert example["offence"]["transnational"] is True


# -- dead rules ----------------------------------------------------------------------------------


def test_a_rule_that_can_never_fire_fails(tmp_path):
    text = CORRECT + rule("art9", "grounds", "[evidence_collection]", when="false",
                          grounds="[request_defective]")
    proc = run("verify", spec_dir(tmp_path, text))
    assert proc.returncode == 3, proc.stdout
    fails = [line for line in proc.stdout.splitlines() if line.startswith("FAIL ")]
    assert any("dead_rule" in f and "mlat_us_fr.art9" in f for f in fails), fails
    assert not any("mlat_us_fr.art2" in f or "mlat_us_fr.art3" in f for f in fails)
    assert summary(proc.stdout)[1] == len(fails) >= 1


def test_a_rule_whose_condition_contradicts_the_scope_fails(tmp_path):
    text = (HEADER + rule("art1", "scope", "[evidence_collection]", when="transnational") + DUTY
            + rule("art3", "grounds", "[evidence_collection]", when="not transnational",
                   grounds="[political_offence]"))
    _, report = verify_json(spec_dir(tmp_path, text))
    failed = {(f["check"], f["subject"]) for f in report["findings"] if not f["ok"]}
    assert ("dead_rule", "mlat_us_fr.art3") in failed
    assert ("dead_rule", "mlat_us_fr.art1") not in failed
    assert ("dead_rule", "mlat_us_fr.art2") not in failed


def test_a_rule_for_a_measure_outside_the_scope_fails(tmp_path):
    text = CORRECT + rule("art9", "discretion", "[extradition]")
    code, report = verify_json(spec_dir(tmp_path, text))
    assert code == 3
    failed = {(f["check"], f["subject"]) for f in report["findings"] if not f["ok"]}
    assert failed == {("dead_rule", "mlat_us_fr.art9")}


def test_a_living_rule_is_shown_with_a_request_that_fires_it(tmp_path):
    text = (HEADER + rule("art1", "scope", "[evidence_collection]", when="transnational") + DUTY
            + rule("art3", "grounds", "[evidence_collection]", when="urgent",
                   grounds="[political_offence]"))
    code, report = verify_json(spec_dir(tmp_path, text))
    assert code == 0
    [alive] = [f for f in report["findings"]
               if f["check"] == "dead_rule" and f["subject"] == "mlat_us_fr.art3"]
    assert alive["ok"]
    example = alive["counterexample"]
    assert example["offence"]["transnational"] is True
    assert example["facts"]["urgent"] is True


@pytest.mark.parametrize("broken", ["conflict", "dead"])
def test_json_report_counts_match(tmp_path, broken):
    text = CONFLICT if broken == "conflict" else CORRECT + rule("art9", "duty", when="false")
    code, report = verify_json(spec_dir(tmp_path, text))
    assert code == 3
    assert report["failed"] == sum(not f["ok"] for f in report["findings"]) >= 1
    assert report["passed"] + report["failed"] == report["checks"] == len(report["findings"])
