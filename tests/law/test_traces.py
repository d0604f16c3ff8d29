"""Proof traces (contract section 2): they cite the deciding provisions and the party data
the verdict rests on (section 9), they are deterministic, and every human-readable
explanation that relies on a provision not checked against the official text says so.

Requests are dated 2026-06-01 and read in the closed world unless the test name says
otherwise.
"""

from __future__ import annotations

from typing import Any

import pytest

import coop_logic
from tests.helpers import make_request

PRESERVATION = make_request(offence={"category": "illegal_access"})  # FR -> US
DETERMINISM_REQUESTS = {
    "mandatory": PRESERVATION,
    "refusable": make_request(requested="AT", offence={"category": "fraud",
                                                       "electronic_evidence": True},
                              facts={"no_dual_criminality": True}),
    "undetermined": make_request(requesting="DE", requested="FR",
                                 offence={"category": "fraud", "electronic_evidence": True},
                                 facts={"no_dual_criminality": True}),
    "not_applicable": make_request(requesting="CN", offence={"category": "illegal_access"}),
    "extradition": make_request(measure="extradition",
                                offence={"category": "drug_trafficking", "max_penalty_years": 10,
                                         "organized_criminal_group": True},
                                facts={"person_is_national": True, "extradition_treaty": True,
                                       "treaty_required_for_extradition": True}),
}
UNVERIFIED_FLAG = "[encoded from a digest; text not verified]"
UNVERIFIED_NOTE = "not yet checked against the official text"


def evaluate(kb: coop_logic.KnowledgeBase, request: dict[str, Any],
             closed_world: bool = True) -> coop_logic.Result:
    return kb.evaluate(request, closed_world=closed_world)


def by_id(verdict: coop_logic.Verdict) -> dict[str, Any]:
    return {step.id: step for step in verdict.trace}


# -- What a trace cites ----------------------------------------------------------------


def test_art29_1_mandatory_preservation_trace_cites_the_article_and_both_party_steps(kb):
    v = evaluate(kb, PRESERVATION)["budapest"]
    assert v.status == "mandatory"
    steps = by_id(v)
    assert "budapest.art29.1" in steps
    assert steps["budapest.art29.1"].kind == "provision"
    for state, since in (("FR", "2006-05-01"), ("US", "2007-01-01")):
        party = steps[f"party:budapest:{state}"]
        assert party.kind == "party"
        assert party.instrument == "budapest"
        assert party.state == state
        assert party.value is True
        assert since in party.basis
        assert party.source.startswith("http")
        assert party.as_of is not None and party.as_of.isoformat() == "2026-01-14"


def test_art29_1_provision_steps_carry_the_citation_summary_source_and_verification(kb):
    v = evaluate(kb, PRESERVATION)["budapest"]
    provisions = [s for s in v.trace if s.kind == "provision"]
    assert provisions
    for provision in provisions:
        assert provision.id.startswith("budapest.")
        assert provision.cite.startswith("Budapest Convention, Art")
        assert provision.summary
        assert provision.source.startswith("https://")
        assert provision.text_verified is True
    art29 = by_id(v)["budapest.art29.1"]
    assert art29.cite == "Budapest Convention, Art. 29(1) and (3), first sentence"


def test_art29_1_trace_in_the_contract_json_has_kind_id_cite_and_text_verified(kb):
    data = evaluate(kb, PRESERVATION).to_dict()["instruments"]["budapest"]
    assert data["status"] == "mandatory"
    entries = {entry["id"]: entry for entry in data["trace"]}
    provision = entries["budapest.art29.1"]
    assert provision["kind"] == "provision"
    assert provision["cite"].startswith("Budapest Convention, Art. 29(1)")
    assert provision["text_verified"] is True
    party = entries["party:budapest:US"]
    assert party["kind"] == "party"
    assert party["value"] is True
    assert party["as_of"] == "2026-01-14"
    assert party["source"].startswith("http")
    fact = entries["offence.category"]
    assert fact == {"kind": "fact", "id": "offence.category", "value": "illegal_access"}


def test_art29_5_refusable_preservation_trace_cites_the_closed_list_and_the_established_fact(kb):
    v = evaluate(kb, make_request(offence={"category": "illegal_access"},
                                  facts={"political_offence": True}))["budapest"]
    assert v.status == "refusable"
    steps = by_id(v)
    assert "budapest.art29.5" in steps
    assert steps["political_offence"].kind == "fact"
    assert steps["political_offence"].value is True


def test_art29_4_reservation_is_cited_with_its_state_article_and_source(kb):
    v = evaluate(kb, DETERMINISM_REQUESTS["refusable"])["budapest"]
    assert v.status == "refusable"
    reservation = by_id(v)["reservation:budapest:art29_4:AT"]
    assert reservation.kind == "reservation"
    assert reservation.state == "AT"
    assert reservation.article == "29(4)"
    assert reservation.value is True
    assert reservation.source.startswith("http")


def test_art36_37_not_applicable_trace_for_a_non_party_contains_the_party_step_with_value_false(kb):
    v = evaluate(kb, DETERMINISM_REQUESTS["not_applicable"])["budapest"]
    assert v.status == "not_applicable"
    party = by_id(v)["party:budapest:CN"]
    assert party.kind == "party"
    assert party.state == "CN"
    assert party.value is False
    assert "CN" in party.basis
    assert party.source.startswith("http")
    # The non-Party alone settles it: no provision is needed.
    assert not any(s.kind == "provision" for s in v.trace)


def test_art37_not_applicable_trace_before_entry_into_force_names_the_date(kb):
    v = evaluate(kb, make_request(requesting="NZ", date="2025-11-30",
                                  offence={"category": "illegal_access"}))["budapest"]
    assert v.status == "not_applicable"
    party = by_id(v)["party:budapest:NZ"]
    assert party.value is False
    assert "2025-12-01" in party.basis


def test_art25_1_out_of_scope_trace_cites_the_scope_provision_and_the_missing_computer_link(kb):
    v = evaluate(kb, make_request(measure="evidence_collection",
                                  offence={"category": "fraud"}))["budapest"]
    assert v.status == "not_applicable"
    steps = by_id(v)
    assert "budapest.art25.1.scope" in steps
    assert steps["offence.electronic_evidence"].value is False
    assert steps["offence.committed_by_computer"].value is False


def test_untoc_art16_7_refusable_extradition_trace_cites_duty_ground_and_party_data(kb):
    v = evaluate(kb, DETERMINISM_REQUESTS["extradition"])["untoc"]
    assert v.status == "refusable"
    steps = by_id(v)
    assert {"untoc.art16.1", "untoc.art16.3", "untoc.art16.7"} <= set(steps)
    assert steps["extradition_treaty"].value is True
    assert steps["person_is_national"].value is True
    assert steps["party:untoc:FR"].value is True
    assert steps["party:untoc:US"].value is True


def test_untoc_art18_8_bank_records_between_treaty_states_trace_cites_the_duty_and_the_bar(kb):
    # Switzerland asks Norway for bank records: the 1959 Convention binds both, which
    # replaces art. 18(9)-(29) only; the duty of 18(1) and the bar of 18(8) still decide.
    request = make_request(requesting="CH", requested="NO", measure="evidence_collection",
                           offence={"category": "fraud", "max_penalty_years": 5,
                                    "transnational": True, "organized_criminal_group": True},
                           facts={"bank_secrecy_only": True})
    v = evaluate(kb, request)["untoc"]
    assert v.status == "mandatory"
    steps = by_id(v)
    assert {"untoc.art18.1", "untoc.art18.8"} <= set(steps)
    assert steps["untoc.art18.8"].cite == "UNTOC, Art. 18(8)"
    assert steps["party:untoc:CH"].value is True
    assert steps["party:untoc:NO"].value is True


def test_budapest_art24_3_discretionary_extradition_trace_cites_the_may_provision(kb):
    request = make_request(requesting="UA", measure="extradition",
                           offence={"category": "illegal_access", "max_penalty_years": 5},
                           facts={"extradition_treaty": False,
                                  "treaty_required_for_extradition": True})
    v = evaluate(kb, request)["budapest"]
    assert v.status == "discretionary"
    steps = by_id(v)
    assert "budapest.art24.3" in steps
    assert steps["budapest.art24.3"].cite == "Budapest Convention, Art. 24(3)"
    assert steps["treaty_required_for_extradition"].value is True
    assert steps["extradition_treaty"].value is False


def test_trace_lists_provisions_before_facts_and_party_data(kb):
    v = evaluate(kb, PRESERVATION)["budapest"]
    kinds = [s.kind for s in v.trace]
    first_other = next(i for i, k in enumerate(kinds) if k != "provision")
    assert "provision" not in kinds[first_other:]


def test_trace_has_no_duplicate_steps(kb):
    for request in DETERMINISM_REQUESTS.values():
        for verdict in evaluate(kb, request).verdicts.values():
            step_ids = [s.id for s in verdict.trace]
            assert len(step_ids) == len(set(step_ids)), verdict.instrument


# -- Determinism -----------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(DETERMINISM_REQUESTS))
def test_trace_is_identical_across_two_evaluations_of_the_same_request(kb, name):
    first = evaluate(kb, DETERMINISM_REQUESTS[name]).to_dict()
    second = evaluate(kb, DETERMINISM_REQUESTS[name]).to_dict()
    assert first == second


def test_trace_does_not_depend_on_the_requests_evaluated_before(kb):
    alone = evaluate(kb, PRESERVATION).to_dict()
    for request in DETERMINISM_REQUESTS.values():
        evaluate(kb, request, closed_world=False)
    assert evaluate(kb, PRESERVATION).to_dict() == alone


def test_trace_is_identical_across_two_freshly_loaded_knowledge_bases(load_kb):
    # The one test that loads its own knowledge bases: determinism across loads.
    kb_one, kb_two = load_kb(), load_kb()
    for name, request in DETERMINISM_REQUESTS.items():
        for closed_world in (True, False):
            one = kb_one.evaluate(request, closed_world=closed_world).to_dict()
            two = kb_two.evaluate(request, closed_world=closed_world).to_dict()
            assert one == two, (name, closed_world)
    assert kb_one.evaluate(PRESERVATION, closed_world=True)["budapest"].trace == \
        kb_two.evaluate(PRESERVATION, closed_world=True)["budapest"].trace


# -- Provisions not checked against the official text -----------------------------------


def test_comity_provisions_are_marked_text_verified_false_in_the_trace(kb):
    data = evaluate(kb, PRESERVATION).to_dict()["instruments"]
    for channel in ("comity", "letters_rogatory"):
        provisions = [e for e in data[channel]["trace"] if e["kind"] == "provision"]
        assert provisions, channel
        assert all(e["text_verified"] is False for e in provisions), channel


def test_explanation_flags_a_provision_not_checked_against_the_official_text(kb):
    text = evaluate(kb, PRESERVATION).explain()
    comity_lines = [line for line in text.splitlines()
                    if line.strip().startswith("- Comity of nations")]
    assert comity_lines
    assert all(UNVERIFIED_FLAG in line for line in comity_lines)
    assert UNVERIFIED_NOTE in text
    assert "not verified" in text


def test_explanation_of_comity_alone_says_it_relies_on_an_unverified_provision(kb):
    text = evaluate(kb, PRESERVATION).explain("comity")
    assert "Comity" in text
    assert UNVERIFIED_FLAG in text
    assert UNVERIFIED_NOTE in text


def test_explanation_of_a_budapest_verdict_resting_on_verified_text_carries_no_such_flag(kb):
    result = evaluate(kb, PRESERVATION)
    text = result.explain("budapest")
    assert "budapest.art29.1" in text
    assert "Art. 29(1)" in text
    assert UNVERIFIED_FLAG not in text
    assert UNVERIFIED_NOTE not in text


def test_explanation_names_the_party_data_with_its_source(kb):
    text = evaluate(kb, DETERMINISM_REQUESTS["not_applicable"]).explain("budapest")
    assert "NOT APPLICABLE" in text
    assert "CN is not bound by budapest" in text
    assert "source: http" in text
