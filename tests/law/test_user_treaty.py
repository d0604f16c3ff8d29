"""A user-written bilateral treaty: examples/mlat_au_pt.yaml (Australia-Portugal MLAT, 1989).

Loaded with `load(extra_specs=...)` / `--spec`, it must change verdicts where its text says
so (arts. 1-3 of the treaty), displace UNTOC art. 18(9)-(29) for its own pair only (UNTOC
art. 18(7)), switch Budapest from the no-treaty branch (art. 27(4)) to the treaty branch of
art. 25(4), and be validated as strictly as a bundled spec. Party-data overrides
(`parties=...` / `--parties`) must settle a Budapest party date the bundled data lacks.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import coop_logic

ROOT = Path(__file__).resolve().parents[2]
TREATY = ROOT / "examples" / "mlat_au_pt.yaml"
REQUESTS = ROOT / "examples" / "requests"
CLI = Path(sys.executable).parent / "coop-logic"

# A user's party-data correction (a test fixture, not a claim about Portugal): it replaces
# the bundled entry for Portugal (in force 2010-07-01) with a later date.
PORTUGAL_BUDAPEST = """\
instrument: budapest
completeness: partial
sources:
  - url: https://example.org/user-correction
    note: Test fixture.
parties:
  - {state: PT, name: Portugal, in_force: 2026-01-01}
"""


@pytest.fixture(scope="module")
def kb_treaty() -> coop_logic.KnowledgeBase:
    return coop_logic.load(extra_specs=[TREATY])


def request(name: str) -> coop_logic.Request:
    return coop_logic.Request.from_file(REQUESTS / f"{name}.yaml")


def trace_ids(verdict: coop_logic.Verdict) -> set[str]:
    return {step.id for step in verdict.trace}


def write_override(tmp_path: Path) -> Path:
    path = tmp_path / "budapest_pt.yaml"
    path.write_text(PORTUGAL_BUDAPEST, encoding="utf-8")
    return path


# -- the treaty's own text -----------------------------------------------------------------


def test_tax_records_refusable_under_budapest_are_owed_under_the_treaty_which_has_no_fiscal_ground(
        kb, kb_treaty):
    without = kb.evaluate(request("pt_au_tax_records"), closed_world=True)
    assert without["budapest"].status == "refusable"
    assert without["budapest"].grounds == ("fiscal_offence",)
    assert without.overall.status == "refusable"

    result = kb_treaty.evaluate(request("pt_au_tax_records"), closed_world=True)
    assert result["mlat_au_pt"].status == "mandatory"
    assert {"mlat_au_pt.art1.scope", "mlat_au_pt.art1.1"} <= trace_ids(result["mlat_au_pt"])
    assert result.overall.status == "mandatory"
    assert result.overall.basis == ("mlat_au_pt",)


def test_the_treaty_answers_a_request_dated_before_budapest_bound_portugal(kb, kb_treaty):
    # Portugal is bound by Budapest from 2010-07-01 (bundled data); the MLAT from 1994.
    early = {**request("pt_au_before_budapest_as_of").to_dict(), "date": "2009-06-01"}
    without = kb.evaluate(early, closed_world=True)
    assert without["budapest"].status == "not_applicable"
    assert "party:budapest:PT" in {s.id for s in without["budapest"].trace}

    result = kb_treaty.evaluate(early, closed_world=True)
    assert result["mlat_au_pt"].status == "mandatory"
    assert result.overall.status == "mandatory"
    assert result.overall.basis == ("mlat_au_pt",)


def test_after_portugal_is_bound_budapest_and_the_treaty_both_give_the_duty(kb_treaty):
    result = kb_treaty.evaluate(request("pt_au_before_budapest_as_of"), closed_world=True)
    assert result["budapest"].status == "mandatory"
    assert result["mlat_au_pt"].status == "mandatory"
    assert set(result.overall.basis) >= {"budapest", "mlat_au_pt"}


def test_a_political_offence_must_be_refused_under_art_3_1_and_decides_the_overall_verdict(
        kb, kb_treaty):
    without = kb.evaluate(request("au_pt_political_witness"), closed_world=True)
    assert without["budapest"].status == "not_applicable"
    assert without["untoc"].status == "not_applicable"
    assert without.overall.status == "discretionary"

    result = kb_treaty.evaluate(request("au_pt_political_witness"), closed_world=True)
    verdict = result["mlat_au_pt"]
    assert verdict.status == "refusable"
    assert verdict.grounds == ("political_offence",)
    assert verdict.obligatory_grounds == ("political_offence",)  # "será recusado"
    assert "mlat_au_pt.art3.1" in trace_ids(verdict)
    assert result.overall.status == "refusable"
    assert result.overall.basis == ("mlat_au_pt",)


def test_search_and_seizure_may_be_refused_without_dual_criminality_under_art_2_1(kb_treaty):
    req = request("pt_au_stored_data_fraud").to_dict()
    req["facts"]["no_dual_criminality"] = True
    verdict = kb_treaty.evaluate(req, closed_world=True)["mlat_au_pt"]
    assert verdict.status == "refusable"
    assert verdict.grounds == ("no_dual_criminality",)
    assert "mlat_au_pt.art2.1.search" in trace_ids(verdict)


def test_other_assistance_without_dual_criminality_is_permitted_not_owed_under_art_2_1(kb_treaty):
    req = request("pt_au_tax_records").to_dict()
    req["facts"]["no_dual_criminality"] = True
    verdict = kb_treaty.evaluate(req, closed_world=True)["mlat_au_pt"]
    assert verdict.status == "discretionary"
    assert "mlat_au_pt.art2.1" in trace_ids(verdict)


def test_an_offence_under_military_law_only_is_outside_the_treaty_under_art_1_2(kb_treaty):
    req = request("pt_au_stored_data_fraud").to_dict()
    req["facts"]["military_offence"] = True
    verdict = kb_treaty.evaluate(req, closed_world=True)["mlat_au_pt"]
    assert verdict.status == "not_applicable"
    assert "mlat_au_pt.art1.scope" in trace_ids(verdict)


def test_every_treaty_provision_in_a_trace_is_marked_as_checked_against_the_text(kb_treaty):
    result = kb_treaty.evaluate(request("pt_au_essential_interests"), closed_world=True)
    provisions = [s for s in result["mlat_au_pt"].trace if s.kind == "provision"]
    assert provisions
    assert all(step.text_verified for step in provisions)


# -- UNTOC art. 18(7): displacement for the treaty's pair only ------------------------------


def test_the_treaty_replaces_untoc_art_18_paras_9_to_29_for_its_own_pair_and_keeps_the_duty(
        kb, kb_treaty):
    assert kb.evaluate(request("pt_au_stored_data_fraud"), closed_world=True)["untoc"].status \
        == "mandatory"

    result = kb_treaty.evaluate(request("pt_au_stored_data_fraud"), closed_world=True)
    untoc = result["untoc"]
    assert untoc.status == "mandatory"  # art. 18(1) still binds beside the treaty
    assert result["mlat_au_pt"].status == "mandatory"
    assert {"mlat_au_pt", "untoc"} <= set(result.overall.basis)

    political = {**request("pt_au_stored_data_fraud").to_dict(),
                 "facts": {"political_offence": True}}
    untoc = kb_treaty.evaluate(political, closed_world=True)["untoc"]
    assert untoc.status == "refusable"  # the treaty's grounds, through art. 18(7)
    assert {"untoc.art18.7", "party:mlat_au_pt:PT", "party:mlat_au_pt:AU"} <= trace_ids(untoc)


def test_the_treaty_does_not_displace_untoc_for_another_pair(kb_treaty):
    result = kb_treaty.evaluate(request("fr_us_stored_data_fraud"), closed_world=True)
    assert result["mlat_au_pt"].status == "not_applicable"
    assert result["untoc"].status == "mandatory"
    assert "untoc.art18.7" not in trace_ids(result["untoc"])


# -- Budapest art. 25(4) / 27(4): the treaty branch ----------------------------------------


def test_budapest_stays_refusable_for_essential_interests_with_or_without_the_treaty(
        kb, kb_treaty):
    for base in (kb, kb_treaty):
        verdict = base.evaluate(request("pt_au_essential_interests"), closed_world=True)["budapest"]
        assert verdict.status == "refusable"
        assert verdict.grounds == ("essential_interests",)


@pytest.mark.xfail(strict=True, reason=(
    "engine: the minimised trace case-splits on bound_any(mla_treaty) and cites both "
    "budapest.art27.4 and budapest.art25.4.treaty, whichever branch holds"))
def test_budapest_trace_switches_from_the_no_treaty_branch_to_the_treaty_branch(kb, kb_treaty):
    without = trace_ids(
        kb.evaluate(request("pt_au_essential_interests"), closed_world=True)["budapest"])
    assert "budapest.art27.4" in without
    assert "budapest.art25.4.treaty" not in without

    with_treaty = trace_ids(
        kb_treaty.evaluate(request("pt_au_essential_interests"), closed_world=True)["budapest"])
    assert "budapest.art25.4.treaty" in with_treaty
    assert "budapest.art27.4" not in with_treaty


# -- a user spec is validated like a bundled one ------------------------------------------


def test_a_misspelled_key_in_a_user_treaty_is_an_error_naming_file_line_and_field(tmp_path):
    text = TREATY.read_text(encoding="utf-8")
    assert text.count("    text_verified: true\n") > 1
    broken = text.replace("    text_verified: true\n", "    text_verifed: true\n", 1)
    path = tmp_path / "mlat_au_pt.yaml"
    path.write_text(broken, encoding="utf-8")
    line = 1 + broken.splitlines().index("    text_verifed: true")

    with pytest.raises(coop_logic.SpecError) as info:
        coop_logic.load(extra_specs=[path])
    error = info.value
    assert error.file == str(path)
    assert error.line == line
    assert "text_verifed" in (error.field or "")
    assert str(path) in str(error) and f":{line}" in str(error)


def test_the_treaty_passes_verify_on_its_own(tmp_path):
    folder = tmp_path / "treaties"
    folder.mkdir()
    (folder / TREATY.name).write_text(TREATY.read_text(encoding="utf-8"), encoding="utf-8")
    run = subprocess.run([str(CLI), "verify", "--json", str(folder)],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert report["failed"] == 0
    assert report["checks"] > 0


# -- party-data overrides -----------------------------------------------------------------


def test_a_parties_override_replaces_the_bundled_entry_and_is_cited(kb_treaty, tmp_path):
    before = kb_treaty.evaluate(request("pt_au_before_budapest_as_of"), closed_world=True)
    assert before["budapest"].status == "mandatory"

    # A user's correction (test fixture): Portugal bound only from 2026-01-01.
    corrected = coop_logic.load(extra_specs=[TREATY], parties=[write_override(tmp_path)])
    verdict = corrected.evaluate(request("pt_au_before_budapest_as_of"),
                                 closed_world=True)["budapest"]
    assert verdict.status == "not_applicable"
    party = next(s for s in verdict.trace if s.id == "party:budapest:PT")
    assert party.value is False
    assert "2026-01-01" in party.basis
    assert party.source == "https://example.org/user-correction"


def test_the_cli_loads_the_treaty_and_the_override_together(tmp_path):
    run = subprocess.run(
        [str(CLI), "check", "--json", "--closed-world",
         "--spec", str(TREATY), "--parties", str(write_override(tmp_path)),
         str(REQUESTS / "pt_au_before_budapest_as_of.yaml")],
        capture_output=True, text=True, check=False,
    )
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert out["instruments"]["budapest"]["status"] == "not_applicable"  # the override's date
    assert out["instruments"]["mlat_au_pt"]["status"] == "mandatory"
    assert out["overall"]["status"] == "mandatory"
    assert "mlat_au_pt" in out["overall"]["basis"]


def test_an_override_that_only_adds_a_date_keeps_an_instrument_out_of_force(tmp_path):
    text = TREATY.read_text(encoding="utf-8")
    assert "  completeness: complete\n" in text
    not_in_force = text.replace("  completeness: complete\n",
                                "  completeness: complete\n  instrument_in_force: false\n", 1)
    spec = tmp_path / "mlat_au_pt.yaml"
    spec.write_text(not_in_force, encoding="utf-8")
    override = tmp_path / "mlat_au_pt_dates.yaml"
    override.write_text("instrument: mlat_au_pt\ncompleteness: complete\n"
                        "parties:\n  - {state: PT, name: Portugal, in_force: 1994-01-01}\n",
                        encoding="utf-8")

    req = request("pt_au_stored_data_fraud")
    assert coop_logic.load(extra_specs=[spec]).evaluate(
        req, closed_world=True)["mlat_au_pt"].status == "not_applicable"
    corrected = coop_logic.load(extra_specs=[spec], parties=[override])
    assert corrected.evaluate(req, closed_world=True)["mlat_au_pt"].status == "not_applicable"


def test_the_cli_names_a_party_file_for_an_instrument_that_is_not_loaded(tmp_path):
    path = tmp_path / "mlat_xx.yaml"
    path.write_text(PORTUGAL_BUDAPEST.replace("instrument: budapest", "instrument: mlat_au_pt"),
                    encoding="utf-8")
    run = subprocess.run(
        [str(CLI), "check", "--json", "--parties", str(path),
         str(REQUESTS / "pt_au_stored_data_fraud.yaml")],
        capture_output=True, text=True, check=False,
    )
    assert run.returncode == 2
    assert run.stdout == ""
    assert str(path) in run.stderr and "mlat_au_pt" in run.stderr
