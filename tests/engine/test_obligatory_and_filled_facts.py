"""Obligatory refusal grounds ("shall be refused") and facts settled by party data.

A test treaty between France and the United States exercises the two spec-language
features directly: a grounds rule with `obligatory: true`, and a declaration with `fills`
that settles a fact the request leaves out (as a UNTOC art. 16(5)(a) notification settles
`treaty_required_for_extradition`). Contract section 2 (the verdict) and section 6 (facts).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import coop_logic
from coop_logic.errors import SpecError
from tests.helpers import ids, make_request, step

EXE = Path(sys.executable).parent / "coop-logic"

TREATY = """\
spec_version: 1
id: mlat_fr_us
title: Test extradition treaty between France and the United States
short_title: FR-US test treaty
adopted: 1998-12-10
entry_into_force: 2001-12-01
sources:
  - {url: https://example.org/treaty, note: Test fixture (not a real treaty).}
parties:
  as_of: 2026-01-01
  completeness: complete
  sources: [{url: https://example.org/treaty, note: Test fixture.}]
  parties:
    - {state: US, name: United States, in_force: 2001-12-01}
    - {state: FR, name: France, in_force: 2001-12-01}
  reservations:
    - {state: US, article: '9', summary: 'Test declaration: extradition needs a treaty.'}
tags: []
reservations:
  - id: art9
    article: '9'
    summary: The requested State declares that it extradites only under a treaty.
    fills: {treaty_required_for_extradition: true}
rules:
  - id: mlat_fr_us.art1
    cite: Test treaty, Art. 1
    summary: Covers extradition.
    source: https://example.org/treaty
    text_verified: true
    effect: scope
    measures: [extradition]
  - id: mlat_fr_us.art2
    cite: Test treaty, Art. 2
    summary: The Parties must surrender persons sought, unless a ground below applies.
    source: https://example.org/treaty
    text_verified: true
    effect: duty
    measures: [extradition]
    when: not treaty_required_for_extradition or extradition_treaty
  - id: mlat_fr_us.art3
    cite: Test treaty, Art. 3
    summary: Surrender shall be refused for an amnesty or for a person under age.
    source: https://example.org/treaty
    text_verified: true
    effect: grounds
    obligatory: true
    measures: [extradition]
    grounds: [amnesty, person_under_age]
  - id: mlat_fr_us.art4
    cite: Test treaty, Art. 4
    summary: Surrender may be refused for a political offence.
    source: https://example.org/treaty
    text_verified: true
    effect: grounds
    measures: [extradition]
    grounds: [political_offence]
properties:
  - id: mlat_fr_us.property.amnesty_obligatory
    cite: Test treaty, Art. 3
    summary: An amnesty that is a ground is always one the State must refuse on.
    source: https://example.org/treaty
    text_verified: true
    when: ground(amnesty)
    then: obligatory(amnesty)
  - id: mlat_fr_us.property.political_optional
    cite: Test treaty, Art. 4
    summary: A political offence is never an obligatory ground.
    source: https://example.org/treaty
    text_verified: true
    then: not obligatory(political_offence)
"""


@pytest.fixture(scope="module")
def treaty_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("treaty") / "mlat_fr_us.yaml"
    path.write_text(TREATY, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def kb_treaty(treaty_path: Path, load_kb: Any) -> coop_logic.KnowledgeBase:
    return load_kb(extra_specs=[treaty_path])


def treaty(kb: coop_logic.KnowledgeBase, *, closed_world: bool = True,
           **request: Any) -> coop_logic.Verdict:
    request.setdefault("measure", "extradition")
    request.setdefault("instruments", ["mlat_fr_us"])
    return kb.evaluate(make_request(**request), closed_world=closed_world)["mlat_fr_us"]


# -- obligatory grounds ------------------------------------------------------------------


def test_a_ground_the_text_says_shall_be_refused_is_reported_as_obligatory(kb_treaty):
    v = treaty(kb_treaty, requesting="US", requested="FR", facts={"amnesty": True})
    assert v.status == "refusable"
    assert v.grounds == ("amnesty",)
    assert v.obligatory_grounds == ("amnesty",)
    assert v.must_refuse
    assert v.to_dict()["obligatory_grounds"] == ["amnesty"]


def test_a_ground_the_text_says_may_be_refused_is_not_obligatory(kb_treaty):
    v = treaty(kb_treaty, requesting="US", requested="FR", facts={"political_offence": True})
    assert v.status == "refusable"
    assert v.grounds == ("political_offence",)
    assert v.obligatory_grounds == ()
    assert not v.must_refuse


def test_an_optional_and_an_obligatory_ground_together_keep_only_the_obligatory_one_marked(
        kb_treaty):
    v = treaty(kb_treaty, requesting="US", requested="FR",
               facts={"political_offence": True, "person_under_age": True})
    assert set(v.grounds) == {"political_offence", "person_under_age"}
    assert v.obligatory_grounds == ("person_under_age",)


def test_explanations_say_must_refuse_for_an_obligatory_ground(kb_treaty):
    result = kb_treaty.evaluate(make_request(
        requesting="US", requested="FR", measure="extradition", facts={"amnesty": True},
        instruments=["mlat_fr_us"]), closed_world=True)
    text = result.explain("mlat_fr_us")
    assert "the requested State must refuse" in text
    assert "amnesty (obligatory: must refuse)" in text
    assert "may lawfully refuse" not in text
    assert "must refuse" in result.to_markdown("mlat_fr_us")
    assert "must refuse" in result.to_html("mlat_fr_us")


def test_an_unknown_obligatory_fact_leaves_the_verdict_open_without_marking_anything(kb_treaty):
    v = treaty(kb_treaty, requesting="US", requested="FR", closed_world=False,
               facts={"political_offence": False, "person_under_age": False,
                      "treaty_required_for_extradition": False})
    assert v.status == "undetermined"
    assert "amnesty" in v.depends_on
    assert v.obligatory_grounds == ()


def verify_findings(folder: Path) -> tuple[int, dict[str, dict[str, Any]]]:
    run = subprocess.run([str(EXE), "verify", str(folder), "--json"],
                         capture_output=True, text=True, timeout=300, check=False)
    report = json.loads(run.stdout)
    return run.returncode, {f["subject"]: f for f in report["findings"]
                            if f["check"] == "property"}


def test_verify_proves_properties_about_obligatory_grounds(treaty_path):
    code, found = verify_findings(treaty_path.parent)
    assert code == 0
    assert found["mlat_fr_us.property.amnesty_obligatory"]["ok"] is True
    assert found["mlat_fr_us.property.political_optional"]["ok"] is True


def test_verify_refutes_an_obligatory_reading_of_a_may_ground(tmp_path):
    wrong = TREATY.replace("then: not obligatory(political_offence)",
                           "when: ground(political_offence)\n    then: obligatory(political_offence)")
    (tmp_path / "mlat_fr_us.yaml").write_text(wrong, encoding="utf-8")
    code, found = verify_findings(tmp_path)
    assert code == 3
    finding = found["mlat_fr_us.property.political_optional"]
    assert finding["ok"] is False
    assert finding["counterexample"]["facts"]["political_offence"] is True


def test_obligatory_belongs_to_grounds_rules(tmp_path, load_kb):
    bad = TREATY.replace("    effect: duty\n", "    effect: duty\n    obligatory: true\n")
    path = tmp_path / "mlat_fr_us.yaml"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(SpecError) as err:
        load_kb(extra_specs=[path])
    assert err.value.field and err.value.field.endswith("obligatory")
    assert err.value.line is not None


# -- facts settled by party data -----------------------------------------------------------


def test_a_declaration_on_file_fills_a_fact_the_request_leaves_out(kb_treaty):
    v = treaty(kb_treaty, requesting="FR", requested="US", closed_world=False,
               facts={"extradition_treaty": False})
    assert v.status == "discretionary"
    assert step(v, "treaty_required_for_extradition").value is True
    assert "reservation:mlat_fr_us:art9:US" in ids(v)


def test_the_declaration_outranks_the_closed_world_default(kb_treaty):
    v = treaty(kb_treaty, requesting="FR", requested="US")
    assert v.status == "discretionary"
    assert "reservation:mlat_fr_us:art9:US" in ids(v)


def test_the_request_outranks_the_declaration(kb_treaty):
    v = treaty(kb_treaty, requesting="FR", requested="US",
               facts={"treaty_required_for_extradition": False})
    assert v.status == "mandatory"
    assert "reservation:mlat_fr_us:art9:US" not in ids(v)


def test_a_declaration_of_the_other_state_fills_nothing(kb_treaty):
    v = treaty(kb_treaty, requesting="US", requested="FR")
    assert v.status == "mandatory"
    assert step(v, "treaty_required_for_extradition").value is False


def test_fills_must_name_contract_facts(tmp_path, load_kb):
    bad = TREATY.replace("fills: {treaty_required_for_extradition: true}",
                         "fills: {treaty_required: true}")
    path = tmp_path / "mlat_fr_us.yaml"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(SpecError) as err:
        load_kb(extra_specs=[path])
    assert "treaty_required_for_extradition" in str(err.value)
