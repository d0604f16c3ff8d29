"""Declared properties (`properties:`): verify proves those of the bundled specs, and a
false one fails with a counterexample request that, run through `coop-logic check`, really
violates it (the counterexample is a witness, not just a model of the solver)."""

from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

import coop_logic
from coop_logic.analysis.verify import Verifier
from tests.helpers import US_FR_TREATY_HEADER
from tests.helpers import run_cli as run

EXE = Path(sys.executable).parent / "coop-logic"

# Instruments whose text gives fewer than three guarantees may declare fewer; none does now.
MIN_PROPERTIES = 3

TREATY = US_FR_TREATY_HEADER + textwrap.dedent("""\
    properties:
      - id: mlat_us_fr.property.no_political_refusal
        cite: US-FR MLAT, Art. 3
        summary: A political offence is never a ground (false by Art. 3).
        source: https://example.org/treaty
        text_verified: true
        when: measure in {stored_data_access}
        then: not ground(political_offence)
      - id: mlat_us_fr.property.evidence_always_owed
        cite: US-FR MLAT, Art. 2
        summary: Evidence is always owed without a ground (false when Art. 3 applies).
        source: https://example.org/treaty
        text_verified: true
        when: measure in {evidence_collection}
        then: status(mandatory)
      - id: mlat_us_fr.property.bank_secrecy
        cite: US-FR MLAT, Art. 4
        summary: Bank secrecy is never a ground (true).
        source: https://example.org/treaty
        text_verified: true
        then: not ground(bank_secrecy_only)
    rules:
      - id: mlat_us_fr.art1
        cite: US-FR MLAT, Art. 1
        summary: Covers evidence and stored data.
        source: https://example.org/treaty
        text_verified: true
        effect: scope
        measures: [evidence_collection, stored_data_access]
      - id: mlat_us_fr.art2
        cite: US-FR MLAT, Art. 2
        summary: The Parties must assist.
        source: https://example.org/treaty
        text_verified: true
        effect: duty
        measures: all
      - id: mlat_us_fr.art3
        cite: US-FR MLAT, Art. 3
        summary: Political offences and essential interests are grounds.
        source: https://example.org/treaty
        text_verified: true
        effect: grounds
        measures: all
        grounds: [political_offence, essential_interests]
      - id: mlat_us_fr.art4
        cite: US-FR MLAT, Art. 4
        summary: Bank secrecy is no ground.
        source: https://example.org/treaty
        text_verified: true
        effect: exclusion
        measures: all
        grounds: [bank_secrecy_only]
    """)




@pytest.fixture(scope="module")
def treaty_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("specs")
    (folder / "mlat_us_fr.yaml").write_text(TREATY, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def findings(treaty_dir: Path) -> dict[str, dict[str, Any]]:
    proc = run("verify", treaty_dir, "--json")
    assert proc.returncode == 3, proc.stdout + proc.stderr
    report = json.loads(proc.stdout)
    return {f["subject"]: f for f in report["findings"] if f["check"] == "property"}


# -- the bundled specs -----------------------------------------------------------------------


def test_every_bundled_instrument_declares_properties(kb):
    for inst in kb.instruments.values():
        assert len(inst.properties) >= MIN_PROPERTIES, inst.id
        for prop in inst.properties:
            assert prop.id.startswith(f"{inst.id}.property."), prop.id
            assert prop.cite and prop.summary and prop.source


def test_verify_proves_every_bundled_property(kb):
    verifier = Verifier(kb.compiled)
    results = [f for inst in kb.instruments.values() for f in verifier.properties(inst)]
    assert len(results) == sum(len(i.properties) for i in kb.instruments.values())
    failed = [(f.subject, f.message, f.counterexample) for f in results if not f.ok]
    assert failed == []


# -- a false property -------------------------------------------------------------------------


def test_a_true_property_of_a_user_spec_is_proven(findings):
    assert findings["mlat_us_fr.property.bank_secrecy"]["ok"] is True
    assert findings["mlat_us_fr.property.bank_secrecy"]["counterexample"] is None


@pytest.mark.parametrize("prop", ["mlat_us_fr.property.no_political_refusal",
                                  "mlat_us_fr.property.evidence_always_owed"])
def test_a_false_property_fails_with_a_ready_to_run_counterexample(findings, prop):
    finding = findings[prop]
    assert finding["ok"] is False
    assert "fails" in finding["message"]
    request = finding["counterexample"]
    assert request["instruments"] == ["mlat_us_fr"]
    coop_logic.Request.from_dict(request)  # a valid request file


def check(treaty_dir: Path, request: dict[str, Any], tmp_path: Path) -> dict[str, Any]:
    path = tmp_path / "counterexample.json"
    path.write_text(json.dumps(request), encoding="utf-8")
    proc = run("check", path, "--json", "--closed-world", "--spec", treaty_dir / "mlat_us_fr.yaml")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)["instruments"]["mlat_us_fr"]


def test_the_counterexample_to_a_ground_property_really_has_the_ground(findings, treaty_dir,
                                                                       tmp_path):
    request = findings["mlat_us_fr.property.no_political_refusal"]["counterexample"]
    assert request["measure"] == "stored_data_access"  # the property's `when`
    # A ground is reported only where the treaty applies: between its two Parties.
    assert {request["requesting_state"], request["requested_state"]} == {"US", "FR"}
    verdict = check(treaty_dir, request, tmp_path)
    # `then: not ground(political_offence)` is violated: the ground is reported.
    assert verdict["status"] == "refusable"
    assert "political_offence" in verdict["grounds"]


def test_the_counterexample_to_a_status_property_really_has_another_status(findings, treaty_dir,
                                                                           tmp_path):
    request = findings["mlat_us_fr.property.evidence_always_owed"]["counterexample"]
    assert request["measure"] == "evidence_collection"  # the property's `when`
    verdict = check(treaty_dir, request, tmp_path)
    assert verdict["status"] != "mandatory"  # `then: status(mandatory)` is violated


def test_the_counterexample_agrees_with_the_engine_in_process(findings, treaty_dir):
    kb = coop_logic.load(spec_dirs=[treaty_dir])
    for prop in ("mlat_us_fr.property.no_political_refusal",
                 "mlat_us_fr.property.evidence_always_owed"):
        request = findings[prop]["counterexample"]
        verdict = kb.evaluate(request, closed_world=True)["mlat_us_fr"]
        assert verdict.determined
        assert verdict.status != "mandatory"
