"""`coop-logic diff OLD NEW`: change impact of a new version of the party data or the specs,
with witness requests that, evaluated under both versions, show the change.

Three changes are pinned: Austria's Budapest Art. 29(4) reservation removed (preservation
stricter for Austria as requested State); a bilateral treaty tagged mla_treaty added
(UNTOC laxer for the treaty pair, Art. 18(7)); nothing changed (equivalent).
"""

from __future__ import annotations

import functools
import json
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

import coop_logic
from coop_logic.analysis.diff import RANK
from tests.helpers import run_cli

EXE = Path(sys.executable).parent / "coop-logic"
ROOT = Path(__file__).resolve().parents[2]
SPECS = coop_logic.bundled_spec_dir()
TREATY = ROOT / "examples" / "mlat_au_pt.yaml"
DATE = "2026-06-01"
MLA_MEASURES = ["expedited_preservation", "traffic_data_disclosure", "stored_data_access",
                "subscriber_information", "realtime_traffic_collection", "content_interception",
                "encryption_key_disclosure", "evidence_collection"]
CHANGE_KEYS = {"instrument", "measure", "direction", "state", "role", "stricter_witness",
               "laxer_witness"}



run = functools.partial(run_cli, timeout=600)  # the shared runner, with diff's time


def diff_json(old: Path, new: Path, *extra: str) -> dict[str, Any]:
    proc = run("diff", old, new, "--json", "--date", DATE, *extra)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    return json.loads(proc.stdout)


def status(kb: coop_logic.KnowledgeBase, request: dict[str, Any], instrument: str) -> Any:
    return kb.evaluate(request, closed_world=True, instruments=[instrument])[instrument]


def copy_specs(target: Path) -> Path:
    shutil.copytree(SPECS, target)
    return target


def without_reservation(source: Path, target: Path, state: str, article: str) -> Path:
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    before = len(data["reservations"])
    data["reservations"] = [r for r in data["reservations"]
                            if not (r["state"] == state and str(r["article"]) == article)]
    assert len(data["reservations"]) == before - 1
    target.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
    return target


def withdrawn(source: Path, target: Path, state: str, article: str) -> Path:
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    for r in data["reservations"]:
        if r["state"] == state and str(r["article"]) == article:
            r["status"] = "withdrawn"
    target.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
    return target


# -- party data: Austria's Art. 29(4) reservation ------------------------------------------------


@pytest.fixture(scope="module")
def at_dropped(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The bundled specs, and a copy whose Budapest party file marks Austria's reservation
    withdrawn (a party file is merged State by State, as --parties merges it)."""
    new_dir = copy_specs(tmp_path_factory.mktemp("at") / "specs")
    party = withdrawn(SPECS / "parties" / "budapest.yaml",
                      new_dir / "parties" / "budapest.yaml", "AT", "29(4)")
    report = diff_json(SPECS / "parties" / "budapest.yaml", party)
    return {"report": report, "new": coop_logic.load(spec_dirs=[new_dir])}


def test_withdrawing_a_reservation_makes_preservation_stricter_for_that_state(at_dropped):
    changes = at_dropped["report"]["changes"]
    assert [(c["instrument"], c["measure"], c["direction"], c["state"], c["role"])
            for c in changes] == [("budapest", "expedited_preservation", "stricter", "AT",
                                   "requested")]
    assert changes[0]["laxer_witness"] is None


def test_the_stricter_witness_is_refusable_before_and_may_be_mandatory_after(at_dropped, kb):
    witness = at_dropped["report"]["changes"][0]["stricter_witness"]
    assert witness["requested_state"] == "AT"
    assert witness["measure"] == "expedited_preservation"
    assert witness["facts"]["no_dual_criminality"] is True
    old = status(kb, witness, "budapest")
    assert old.status == "refusable" and old.grounds == ("no_dual_criminality",)
    new = status(at_dropped["new"], witness, "budapest")
    assert new.status == "mandatory"


def test_a_party_file_is_merged_as_parties_merges_it_so_leaving_an_entry_out_changes_nothing(
        tmp_path):
    new_dir = copy_specs(tmp_path / "specs")
    party = without_reservation(SPECS / "parties" / "budapest.yaml",
                                new_dir / "parties" / "budapest.yaml", "AT", "29(4)")
    report = diff_json(SPECS / "parties" / "budapest.yaml", party)
    assert report["changes"] == []


def test_a_withdrawn_reservation_gives_a_witness_that_really_gains(tmp_path, kb):
    new_dir = copy_specs(tmp_path / "specs")
    party = withdrawn(SPECS / "parties" / "budapest.yaml", new_dir / "parties" / "budapest.yaml",
                      "AT", "29(4)")
    report = diff_json(SPECS / "parties" / "budapest.yaml", party)
    [change] = report["changes"]
    assert (change["instrument"], change["measure"], change["direction"], change["state"]) == (
        "budapest", "expedited_preservation", "stricter", "AT")
    witness = change["stricter_witness"]
    old = status(kb, witness, "budapest")
    new = status(coop_logic.load(spec_dirs=[new_dir]), witness, "budapest")
    assert (old.status, new.status) == ("refusable", "mandatory")
    assert RANK[new.status] > RANK[old.status]


# -- specs: a bilateral MLA treaty displaces UNTOC Art. 18(9)-(29) ------------------------------


@pytest.fixture(scope="module")
def with_treaty(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    new_dir = copy_specs(tmp_path_factory.mktemp("treaty") / "specs")
    shutil.copy(TREATY, new_dir / TREATY.name)
    report = diff_json(SPECS, new_dir)
    return {"report": report, "new": coop_logic.load(spec_dirs=[new_dir])}


def test_a_loaded_treaty_changes_untoc_both_ways_for_every_assistance_measure(with_treaty):
    # UNTOC art. 18(7): the treaty's grounds replace those of art. 18(9)-(29) for the pair
    # (laxer where the treaty has a ground UNTOC lacks, stricter where art. 18(21) had one
    # the treaty lacks); the art. 18(1) duty stays.
    untoc = {c["measure"]: c for c in with_treaty["report"]["changes"]
             if c["instrument"] == "untoc"}
    assert set(untoc) == set(MLA_MEASURES)
    assert {c["direction"] for c in untoc.values()} == {"incomparable"}
    assert all(c["stricter_witness"] and c["laxer_witness"] for c in untoc.values())


@pytest.mark.parametrize("measure", MLA_MEASURES)
def test_the_untoc_witness_is_the_treaty_pair_and_really_loses(with_treaty, kb, measure):
    [change] = [c for c in with_treaty["report"]["changes"]
                if c["instrument"] == "untoc" and c["measure"] == measure]
    witness = change["laxer_witness"]
    assert {witness["requesting_state"], witness["requested_state"]} == {"AU", "PT"}
    old, new = status(kb, witness, "untoc"), status(with_treaty["new"], witness, "untoc")
    assert old.determined and new.determined
    assert (old.status, new.status) == ("mandatory", "refusable")
    assert "untoc.art18.7" in {step.id for step in new.trace}
    witness = change["stricter_witness"]
    assert {witness["requesting_state"], witness["requested_state"]} == {"AU", "PT"}
    old, new = status(kb, witness, "untoc"), status(with_treaty["new"], witness, "untoc")
    assert (old.status, new.status) == ("refusable", "mandatory")


def test_the_new_treaty_itself_is_reported_stricter_with_a_real_pair(with_treaty):
    treaty = [c for c in with_treaty["report"]["changes"] if c["instrument"] == "mlat_au_pt"]
    assert treaty and {c["direction"] for c in treaty} == {"stricter"}
    for change in treaty:
        witness = change["stricter_witness"]
        assert {witness["requesting_state"], witness["requested_state"]} == {"AU", "PT"}


def test_no_other_instrument_changes_status_for_the_treaty(with_treaty):
    # Budapest moves from its no-treaty branch (Art. 27(4)) to its treaty branch (Art. 25(4))
    # for the pair, with the same grounds: no status changes. The Second Protocol's Section 5
    # (Art. 5) is off between treaty partners, but the Protocol is in force for no one, so
    # its witness has no real pair.
    changed = {c["instrument"] for c in with_treaty["report"]["changes"]}
    assert changed <= {"untoc", "mlat_au_pt", "budapest_ap2"}
    for c in with_treaty["report"]["changes"]:
        if c["instrument"] == "budapest_ap2":
            assert c["direction"] == "laxer"
            assert c["laxer_witness"]["requesting_state"] == "??"


# -- no change, and the report's shape ------------------------------------------------------------


def test_an_unchanged_copy_is_equivalent(tmp_path, kb):
    same = copy_specs(tmp_path / "specs")
    report = diff_json(SPECS, same)
    assert report["changes"] == []
    assert report["compared"] == len(kb.instruments) * len(coop_logic.MEASURES)
    proc = run("diff", SPECS, same)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == f"equivalent: {report['compared']} instrument-measure pairs compared"
    assert "witnesses" not in proc.stdout


def test_the_json_report_has_the_documented_shape(at_dropped, with_treaty):
    for report in (at_dropped["report"], with_treaty["report"]):
        assert set(report) == {"changes", "compared", "summary"}
        assert isinstance(report["compared"], int) and report["compared"] >= len(report["changes"])
        for change in report["changes"]:
            assert set(change) == CHANGE_KEYS
            assert change["direction"] in {"stricter", "laxer", "incomparable"}
            assert change["measure"] in coop_logic.MEASURES
            witnesses = [change["stricter_witness"], change["laxer_witness"]]
            assert (change["stricter_witness"] is not None) == (
                change["direction"] in {"stricter", "incomparable"})
            assert (change["laxer_witness"] is not None) == (
                change["direction"] in {"laxer", "incomparable"})
            for witness in filter(None, witnesses):
                assert witness["measure"] == change["measure"]
                assert witness["date"] == DATE
                assert witness["instruments"] == [change["instrument"]]
                if witness["requesting_state"] != "??" and witness["requested_state"] != "??":
                    coop_logic.Request.from_dict(witness)


def test_the_text_report_names_the_state_and_role(tmp_path):
    party = withdrawn(SPECS / "parties" / "budapest.yaml", tmp_path / "budapest.yaml",
                      "AT", "29(4)")
    proc = run("diff", SPECS / "parties" / "budapest.yaml", party, "--date", DATE)
    assert proc.returncode == 0, proc.stderr
    lines = [" ".join(line.split()) for line in proc.stdout.splitlines()]
    assert lines[0].startswith(f"changed: the party data of 1 State on {DATE} (")
    assert "budapest AT stricter 1 stricter" in lines
    group = lines.index("budapest, party data of AT as requested State: "
                        "requests that gain under NEW (1)")
    assert lines[group + 1].startswith("expedited_preservation: {")


def test_instrument_and_measure_options_restrict_the_comparison(with_treaty, tmp_path):
    new_dir = tmp_path / "specs"
    copy_specs(new_dir)
    shutil.copy(TREATY, new_dir / TREATY.name)
    report = diff_json(SPECS, new_dir, "--instrument", "untoc", "--measure", "evidence_collection")
    assert report["compared"] == 1
    assert [(c["instrument"], c["measure"], c["direction"]) for c in report["changes"]] == [
        ("untoc", "evidence_collection", "incomparable")]
