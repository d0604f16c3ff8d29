"""The `coop-logic` command through its installed entry point (contract section 2).

Every test runs the executable next to the interpreter in a subprocess, as a user would,
and reads its stdout, stderr and exit code.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.helpers import run_cli as run

EXE = Path(sys.executable).parent / "coop-logic"
STATUSES = ("mandatory", "refusable", "discretionary", "not_applicable")
OVERALL = ("mandatory", "refusable", "discretionary", "undetermined")
FACT_IDS = (
    "no_dual_criminality", "political_offence", "essential_interests", "fiscal_offence",
    "death_penalty_risk", "human_rights_risk", "discriminatory_purpose", "ne_bis_in_idem",
    "person_is_national", "military_offence", "domestic_law_prohibits",
    "contrary_to_legal_system", "request_defective", "bank_secrecy_only",
    "not_available_domestically", "insufficient_evidence", "extradition_treaty",
    "treaty_required_for_extradition", "amnesty", "person_under_age", "statute_barred",
    "prosecution_pending", "trial_in_absentia", "committed_in_requested_state",
    "non_criminal_proceedings", "special_tribunal", "urgent",
)
OFFENCE_FIELDS = ("category", "max_penalty_years", "transnational", "organized_criminal_group",
                  "committed_by_computer", "electronic_evidence")
ANSI = re.compile(r"\x1b\[")

UNTOC_OFFENCE = {"category": "fraud", "max_penalty_years": 5, "transnational": True,
                 "organized_criminal_group": True}




def write_request(tmp_path: Path, name: str = "request.yaml", **fields: Any) -> Path:
    request = {"date": "2026-06-01", **fields}
    path = tmp_path / name
    if name.endswith(".json"):
        path.write_text(json.dumps(request), encoding="utf-8")
    else:
        path.write_text(yaml.safe_dump(request, sort_keys=False), encoding="utf-8")
    return path


def check_json(*args: str | Path) -> dict[str, Any]:
    proc = run("check", *args, "--json")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    out = json.loads(proc.stdout)
    assert_contract(out)
    return out


def assert_contract(out: dict[str, Any]) -> None:
    """The shape of section 2 of the contract."""
    assert {"overall", "instruments"} <= set(out)
    overall = out["overall"]
    assert overall["status"] in OVERALL
    assert isinstance(overall["basis"], list)
    assert set(overall["basis"]) <= set(out["instruments"])
    assert "comity" in out["instruments"]
    for inst, v in out["instruments"].items():
        assert {"status", "possible", "grounds", "depends_on", "trace"} <= set(v), inst
        assert v["status"] in (*STATUSES, "undetermined")
        assert v["possible"] and set(v["possible"]) <= set(STATUSES)
        determined = v["status"] != "undetermined"
        assert determined == (len(v["possible"]) == 1)
        if determined:
            assert v["possible"] == [v["status"]]
        assert bool(v["grounds"]) == (v["status"] == "refusable")
        assert bool(v["depends_on"]) == (not determined)
        for d in v["depends_on"]:
            assert (d in FACT_IDS or d.removeprefix("offence.") in OFFENCE_FIELDS
                    or re.fullmatch(r"(party|reservation):[a-z0-9_.]+:([a-z0-9_]+:)?[A-Z]{2}", d)), d
        for step in v["trace"]:
            assert step["kind"] in {"provision", "fact", "party", "reservation"}
            if step["kind"] == "provision":
                assert step["cite"].strip() and isinstance(step["text_verified"], bool)
                assert step["id"].startswith(inst + ".")
            if step["kind"] == "fact":
                assert "value" in step
    if all(v["status"] != "undetermined" for v in out["instruments"].values()):
        strongest = next(s for s in OVERALL
                         if any(v["status"] == s for v in out["instruments"].values()))
        assert overall["status"] == strongest
        assert overall["basis"] == [i for i, v in out["instruments"].items()
                                    if v["status"] == strongest]


def provisions(verdict: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {s["id"]: s for s in verdict["trace"] if s["kind"] == "provision"}


def steps(verdict: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {s["id"]: s for s in verdict["trace"] if s["kind"] == kind}


# -- check --json: Budapest ------------------------------------------------------------------


def test_budapest_preservation_between_parties_is_mandatory_in_a_closed_world(tmp_path):
    path = write_request(tmp_path, requesting_state="FR", requested_state="US",
                         measure="expedited_preservation", offence={"category": "illegal_access"})
    out = check_json(path, "--closed-world")
    budapest = out["instruments"]["budapest"]
    assert budapest["status"] == "mandatory"
    assert budapest["possible"] == ["mandatory"]
    assert budapest["depends_on"] == [] and budapest["grounds"] == []
    art29 = provisions(budapest)["budapest.art29.1"]
    assert art29["cite"].startswith("Budapest Convention, Art. 29(1)")
    assert art29["text_verified"] is True
    parties = steps(budapest, "party")
    assert {"party:budapest:FR", "party:budapest:US"} <= set(parties)
    for p in parties.values():
        assert p["value"] is True and p["source"].startswith("http")
    assert out["overall"] == {**out["overall"], "status": "mandatory"}
    assert "budapest" in out["overall"]["basis"]


def test_budapest_preservation_with_a_political_offence_is_refusable(tmp_path):
    path = write_request(tmp_path, requesting_state="FR", requested_state="US",
                         measure="expedited_preservation", offence={"category": "illegal_access"},
                         facts={"political_offence": True})
    out = check_json(path, "--closed-world")
    budapest = out["instruments"]["budapest"]
    assert budapest["status"] == "refusable"
    assert budapest["grounds"] == ["political_offence"]
    assert "budapest.art29.5" in provisions(budapest)
    assert steps(budapest, "fact")["political_offence"]["value"] is True


def test_budapest_preservation_without_offence_data_is_undetermined(tmp_path):
    path = write_request(tmp_path, requesting_state="FR", requested_state="US",
                         measure="expedited_preservation")
    out = check_json(path)
    budapest = out["instruments"]["budapest"]
    assert budapest["status"] == "undetermined"
    assert {"mandatory", "not_applicable"} <= set(budapest["possible"])
    assert "offence.category" in budapest["depends_on"]
    assert "political_offence" in budapest["depends_on"]
    # Art. 29(3): dual criminality is no ground for preservation of a Convention offence,
    # and art. 29(4) is a reservation the data does not record for the US.
    assert out["overall"]["status"] == "undetermined"


def test_budapest_with_the_offence_known_depends_only_on_the_art29_5_grounds(tmp_path):
    path = write_request(tmp_path, requesting_state="FR", requested_state="US",
                         measure="expedited_preservation", offence={"category": "illegal_access"})
    out = check_json(path)
    budapest = out["instruments"]["budapest"]
    assert budapest["status"] == "undetermined"
    assert budapest["possible"] == ["mandatory", "refusable"]
    assert budapest["depends_on"] == ["political_offence", "essential_interests"]


def test_party_status_missing_from_partial_data_is_an_unknown(tmp_path):
    # Paraguay is listed as unresolved in the Budapest party data.
    path = write_request(tmp_path, requesting_state="FR", requested_state="PY",
                         measure="expedited_preservation", offence={"category": "illegal_access"})
    budapest = check_json(path, "--closed-world")["instruments"]["budapest"]
    assert budapest["status"] == "undetermined"
    assert budapest["possible"] == ["mandatory", "not_applicable"]
    assert budapest["depends_on"] == ["party:budapest:PY"]


def test_the_date_decides_party_status(tmp_path):
    path = write_request(tmp_path, requesting_state="FR", requested_state="US",
                         measure="expedited_preservation", offence={"category": "illegal_access"},
                         date="2005-01-01")
    budapest = check_json(path, "--closed-world")["instruments"]["budapest"]
    assert budapest["status"] == "not_applicable"
    party = steps(budapest, "party")["party:budapest:FR"]
    assert party["value"] is False and "2006-05-01" in party["basis"]


def test_without_a_date_the_request_is_judged_today(tmp_path):
    path = tmp_path / "request.yaml"
    path.write_text("requesting_state: FR\nrequested_state: US\nmeasure: evidence_collection\n",
                    encoding="utf-8")
    proc = run("explain", path, "--instrument", "comity")
    assert proc.returncode == 0, proc.stderr
    assert f"(date {dt.date.today().isoformat()})" in proc.stdout


# -- check --json: UNTOC ---------------------------------------------------------------------


def test_untoc_organized_fraud_is_mandatory_in_a_closed_world(tmp_path):
    # Italy and Japan share no loaded mutual legal assistance treaty, so UNTOC art. 18
    # is not displaced (art. 18(7)); fraud is not computer-related, so Budapest does not apply.
    path = write_request(tmp_path, requesting_state="IT", requested_state="JP",
                         measure="evidence_collection", offence=UNTOC_OFFENCE)
    out = check_json(path, "--closed-world")
    untoc = out["instruments"]["untoc"]
    assert untoc["status"] == "mandatory"
    assert {"untoc.art18.1.scope", "untoc.art18.1"} <= set(provisions(untoc))
    facts = steps(untoc, "fact")
    assert facts["offence.max_penalty_years"]["value"] == 5
    assert facts["offence.transnational"]["value"] is True
    assert facts["offence.organized_criminal_group"]["value"] is True
    assert {"party:untoc:IT", "party:untoc:JP"} <= set(steps(untoc, "party"))
    assert out["instruments"]["budapest"]["status"] == "not_applicable"
    assert out["overall"]["status"] == "mandatory"
    assert out["overall"]["basis"] == ["untoc"]


def test_untoc_organized_fraud_is_undetermined_on_its_refusal_grounds(tmp_path):
    path = write_request(tmp_path, requesting_state="IT", requested_state="JP",
                         measure="evidence_collection", offence=UNTOC_OFFENCE)
    out = check_json(path)
    untoc = out["instruments"]["untoc"]
    assert untoc["status"] == "undetermined"
    assert untoc["possible"] == ["mandatory", "refusable"]
    # Art. 18(9) and 18(21); bank secrecy and fiscal matters are excluded (18(8), 18(22)).
    assert {"no_dual_criminality", "essential_interests", "domestic_law_prohibits",
            "contrary_to_legal_system", "request_defective"} == set(untoc["depends_on"])


def test_untoc_below_the_serious_crime_threshold_is_not_applicable(tmp_path):
    path = write_request(tmp_path, requesting_state="IT", requested_state="JP",
                         measure="evidence_collection",
                         offence={**UNTOC_OFFENCE, "max_penalty_years": 3})
    out = check_json(path, "--closed-world")
    untoc = out["instruments"]["untoc"]
    assert untoc["status"] == "not_applicable"
    assert steps(untoc, "fact")["offence.max_penalty_years"]["value"] == 3


def test_untoc_unknown_organized_group_is_listed_as_an_offence_field(tmp_path):
    path = write_request(tmp_path, requesting_state="IT", requested_state="JP",
                         measure="evidence_collection",
                         offence={"category": "fraud", "max_penalty_years": 5})
    untoc = check_json(path)["instruments"]["untoc"]
    assert "not_applicable" in untoc["possible"]
    assert {"offence.transnational", "offence.organized_criminal_group"} <= set(untoc["depends_on"])


def test_untoc_between_states_bound_by_an_mla_treaty_keeps_its_duty_with_the_treaty_grounds(
        tmp_path):
    # Italy and Germany are both Parties to the European MLA Convention (tagged mla_treaty):
    # UNTOC art. 18(7) replaces only paras. 9-29 by that treaty; the art. 18(1) duty stays,
    # and the grounds are the treaty's.
    path = write_request(tmp_path, requesting_state="IT", requested_state="DE",
                         measure="evidence_collection", offence=UNTOC_OFFENCE)
    untoc = check_json(path, "--closed-world")["instruments"]["untoc"]
    assert untoc["status"] == "mandatory"
    assert "untoc.art18.1" in provisions(untoc)
    political = write_request(tmp_path, requesting_state="IT", requested_state="DE",
                              measure="evidence_collection", offence=UNTOC_OFFENCE,
                              facts={"political_offence": True})
    untoc = check_json(political, "--closed-world")["instruments"]["untoc"]
    assert untoc["status"] == "refusable"
    assert untoc["grounds"] == ["political_offence"]
    assert "untoc.art18.7" in provisions(untoc)


# -- check --json: comity only --------------------------------------------------------------


def test_comity_only_request_is_discretionary(tmp_path):
    # China is no Budapest Party; a domestic homicide is outside UNTOC.
    path = write_request(tmp_path, requesting_state="CN", requested_state="US",
                         measure="evidence_collection", offence={"category": "homicide",
                                                                 "max_penalty_years": 20})
    out = check_json(path, "--closed-world", "--instrument", "budapest", "--instrument", "untoc")
    assert set(out["instruments"]) == {"budapest", "untoc", "comity"}
    assert out["overall"]["status"] == "discretionary"
    assert out["overall"]["basis"] == ["comity"]
    budapest = out["instruments"]["budapest"]
    assert budapest["status"] == "not_applicable"
    party = steps(budapest, "party")["party:budapest:CN"]
    assert party["value"] is False and party["source"].startswith("http")
    assert out["instruments"]["untoc"]["status"] == "not_applicable"
    comity = out["instruments"]["comity"]
    assert comity["status"] == "discretionary"
    assert all(p["text_verified"] is False for p in provisions(comity).values())


def test_comity_only_request_without_offence_data_leaves_untoc_open(tmp_path):
    path = write_request(tmp_path, requesting_state="CN", requested_state="US",
                         measure="evidence_collection")
    out = check_json(path, "--instrument", "untoc")
    assert set(out["instruments"]) == {"untoc", "comity"}
    assert out["instruments"]["comity"]["status"] == "discretionary"
    untoc = out["instruments"]["untoc"]
    assert untoc["status"] == "undetermined"
    assert "not_applicable" in untoc["possible"] and "mandatory" in untoc["possible"]
    assert out["overall"]["status"] == "undetermined"
    assert "untoc" in out["overall"]["basis"]


def test_comity_alone(tmp_path):
    path = write_request(tmp_path, requesting_state="CN", requested_state="US",
                         measure="extradition")
    out = check_json(path, "--instrument", "comity")
    assert list(out["instruments"]) == ["comity"]
    assert out["overall"] == {**out["overall"], "status": "discretionary", "basis": ["comity"]}


# -- options and formats ---------------------------------------------------------------------


@pytest.mark.parametrize(("wanted", "expected"), [
    (["budapest"], {"budapest", "comity"}),
    (["untoc", "budapest"], {"budapest", "untoc", "comity"}),
    (["comity"], {"comity"}),
])
def test_instrument_option_filters_and_keeps_comity(tmp_path, wanted, expected):
    path = write_request(tmp_path, requesting_state="FR", requested_state="US",
                         measure="stored_data_access")
    args = [a for w in wanted for a in ("--instrument", w)]
    out = check_json(path, *args)
    assert set(out["instruments"]) == expected


def test_instruments_field_of_the_request_filters_and_keeps_comity(tmp_path):
    path = write_request(tmp_path, requesting_state="FR", requested_state="US",
                         measure="stored_data_access", instruments=["untoc"])
    out = check_json(path)
    assert set(out["instruments"]) == {"untoc", "comity"}


def test_without_a_filter_every_loaded_instrument_is_reported(tmp_path):
    path = write_request(tmp_path, requesting_state="FR", requested_state="US",
                         measure="stored_data_access")
    out = check_json(path)
    assert {"budapest", "untoc", "comity", "informal", "letters_rogatory"} <= set(out["instruments"])
    assert out["instruments"]["informal"]["status"] == "not_applicable"


def test_closed_world_reads_absent_facts_as_false(tmp_path):
    path = write_request(tmp_path, requesting_state="FR", requested_state="US",
                         measure="traffic_data_disclosure", offence={"category": "illegal_access"})
    open_world = check_json(path)["instruments"]["budapest"]
    closed = check_json(path, "--closed-world")["instruments"]["budapest"]
    assert open_world["status"] == "undetermined"
    assert closed["status"] == "mandatory"
    # Art. 30(2) closes the list: only these two facts matter, both false.
    facts = steps(closed, "fact")
    assert facts["political_offence"]["value"] is False
    assert facts["essential_interests"]["value"] is False


def test_closed_world_does_not_invent_the_offence_category(tmp_path):
    path = write_request(tmp_path, requesting_state="FR", requested_state="US",
                         measure="expedited_preservation")
    budapest = check_json(path, "--closed-world")["instruments"]["budapest"]
    assert budapest["status"] == "undetermined"
    assert "offence.category" in budapest["depends_on"]


def test_a_json_request_file_is_read_like_yaml(tmp_path):
    fields = dict(requesting_state="FR", requested_state="US", measure="expedited_preservation",
                  offence={"category": "illegal_access"})
    from_yaml = check_json(write_request(tmp_path, "r.yaml", **fields), "--closed-world")
    from_json = check_json(write_request(tmp_path, "r.json", **fields), "--closed-world")
    assert from_json["instruments"] == from_yaml["instruments"]
    assert from_json["overall"] == from_yaml["overall"]


def test_check_prints_a_table_without_json(tmp_path):
    path = write_request(tmp_path, requesting_state="FR", requested_state="US",
                         measure="expedited_preservation", offence={"category": "illegal_access"})
    proc = run("check", path, "--closed-world")
    assert proc.returncode == 0, proc.stderr
    assert not ANSI.search(proc.stdout)
    assert "overall: mandatory" in proc.stdout
    for inst in ("budapest", "untoc", "comity"):
        assert inst in proc.stdout


def test_the_same_request_gives_the_same_json(tmp_path):
    path = write_request(tmp_path, requesting_state="FR", requested_state="US",
                         measure="stored_data_access", offence={"category": "computer_fraud"})
    first = run("check", path, "--json")
    second = run("check", path, "--json")
    assert first.returncode == second.returncode == 0
    assert first.stdout == second.stdout


# -- explain -----------------------------------------------------------------------------


def test_explain_prints_a_plain_text_trace_with_citations(tmp_path):
    path = write_request(tmp_path, requesting_state="FR", requested_state="US",
                         measure="expedited_preservation", offence={"category": "illegal_access"})
    proc = run("explain", path, "--closed-world")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    text = proc.stdout
    assert not ANSI.search(text), "piped output must be plain text"
    assert "Request: FR asks US" in text
    assert "Overall: MANDATORY" in text
    assert "Budapest Convention, Art. 29(1)" in text
    assert "budapest.art29.1" in text
    assert "offence.category = illegal_access" in text
    assert "FR is bound by budapest" in text and "US is bound by budapest" in text
    # Comity rests on secondary sources: the explanation must say so.
    comity = text[text.index("[comity]"):]
    assert "text not verified" in comity.split("\n\n")[0]


def test_explain_one_instrument(tmp_path):
    path = write_request(tmp_path, requesting_state="FR", requested_state="US",
                         measure="expedited_preservation", offence={"category": "illegal_access"},
                         facts={"essential_interests": True})
    proc = run("explain", path, "--instrument", "budapest", "--closed-world")
    assert proc.returncode == 0, proc.stderr
    text = proc.stdout
    assert "[budapest]" in text and "REFUSABLE" in text
    assert "essential_interests" in text
    assert "Budapest Convention, Art. 29(5)" in text
    assert "[comity]" not in text and "[untoc]" not in text


def test_explain_an_undetermined_verdict_names_what_would_decide_it(tmp_path):
    path = write_request(tmp_path, requesting_state="FR", requested_state="US",
                         measure="expedited_preservation", offence={"category": "illegal_access"})
    proc = run("explain", path, "--instrument", "budapest")
    assert proc.returncode == 0, proc.stderr
    assert "UNDETERMINED" in proc.stdout
    assert "political_offence" in proc.stdout and "essential_interests" in proc.stdout
    assert "mandatory" in proc.stdout and "refusable" in proc.stdout


def test_explain_cites_party_data_for_a_non_party(tmp_path):
    path = write_request(tmp_path, requesting_state="CN", requested_state="US",
                         measure="evidence_collection")
    proc = run("explain", path, "--instrument", "budapest")
    assert proc.returncode == 0, proc.stderr
    assert "CN is not bound by budapest" in proc.stdout
    assert "source: http" in proc.stdout


def test_version_and_help():
    assert run("--version").returncode == 0
    proc = run("--help")
    assert proc.returncode == 0
    for command in ("check", "explain", "verify"):
        assert command in proc.stdout
