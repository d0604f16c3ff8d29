"""e-Evidence Regulation (EU) 2023/1543: specs/eu_e_evidence.yaml and its party data.

requesting_state is the issuing Member State, requested_state the enforcing Member State
(where the provider's designated establishment or legal representative is). The Regulation
applies from 18 August 2026 (Art. 34(2)): requests are dated 2026-09-01 unless the test is
about that date, and read in the closed world. FR -> DE is the default pair.
"""

from __future__ import annotations

from typing import Any

import pytest

import coop_logic
from coop_logic import PartyStep
from tests.helpers import ids, make_request

AFTER = "2026-09-01"
BEFORE = "2026-08-17"
SERIOUS_FRAUD = {"category": "fraud", "max_penalty_years": 5}
MINOR_OFFENCE = {"category": "other", "max_penalty_years": 1}
# Traffic data other than for identifying the user, and content data (stored_data_access).
NOTIFIED = ["traffic_data_disclosure", "stored_data_access"]
NOT_NOTIFIED = ["subscriber_information", "expedited_preservation"]


def ee(kb: coop_logic.KnowledgeBase, *, requesting: str = "FR", requested: str = "DE",
       date: str = AFTER, **request: Any) -> coop_logic.Verdict:
    req = make_request(requesting=requesting, requested=requested, date=date, **request)
    return kb.evaluate(req, closed_world=True)["eu_e_evidence"]



# -- Art. 34(2) and the party data ---------------------------------------------------------


@pytest.mark.parametrize("measure", NOTIFIED + NOT_NOTIFIED)
def test_art34_a_request_dated_before_18_august_2026_is_not_applicable(kb, measure):
    v = ee(kb, date=BEFORE, measure=measure, offence=SERIOUS_FRAUD)
    assert v.status == "not_applicable"
    party = [s for s in v.trace if isinstance(s, PartyStep)]
    assert party and party[0].instrument == "eu_e_evidence" and party[0].value is False
    assert "2026-08-18" in party[0].basis


def test_art34_a_request_dated_18_august_2026_is_governed_by_the_regulation(kb):
    v = ee(kb, date="2026-08-18", measure="subscriber_information", offence=SERIOUS_FRAUD)
    assert v.status == "mandatory"
    party = [s for s in v.trace if isinstance(s, PartyStep)]
    assert party and all(s.value is True for s in party)


def test_denmark_is_not_bound_so_an_order_to_a_provider_there_is_not_applicable(kb):
    v = ee(kb, requested="DK", measure="subscriber_information", offence=SERIOUS_FRAUD)
    assert v.status == "not_applicable"
    assert "party:eu_e_evidence:DK" in ids(v)


def test_ireland_is_bound_unlike_under_the_eio(kb):
    v = ee(kb, requested="IE", measure="subscriber_information", offence=SERIOUS_FRAUD)
    assert v.status == "mandatory"
    assert kb.evaluate(make_request(requesting="FR", requested="IE", date=AFTER,
                                    measure="evidence_collection",
                                    offence=SERIOUS_FRAUD),
                       closed_world=True)["eu_eio"].status == "not_applicable"


def test_a_state_outside_the_union_is_not_bound(kb):
    v = ee(kb, requested="US", measure="subscriber_information", offence=SERIOUS_FRAUD)
    assert v.status == "not_applicable"
    assert "party:eu_e_evidence:US" in ids(v)


def test_party_file_lists_26_member_states_from_18_august_2026(kb):
    data = kb.instruments["eu_e_evidence"].parties
    assert len(data.entries) == 26
    assert "DK" not in data.entries and "DK" in data.non_parties
    assert str(data.entry_into_force) == "2026-08-18"
    assert data.completeness == "complete"


# -- Art. 5(3): subscriber data for any offence ---------------------------------------------


def test_art5_3_subscriber_data_may_be_ordered_for_any_criminal_offence(kb):
    v = ee(kb, measure="subscriber_information", offence=MINOR_OFFENCE)
    assert v.status == "mandatory"
    assert {"eu_e_evidence.art5.3", "eu_e_evidence.art10"} <= ids(v)


def test_art5_3_does_not_decide_before_the_regulation_applies(kb):
    v = ee(kb, date=BEFORE, measure="subscriber_information", offence=MINOR_OFFENCE)
    assert v.status == "not_applicable"
    assert "eu_e_evidence.art5.3" not in ids(v)


# -- Art. 5(4): threshold for traffic and content data ----------------------------------------


@pytest.mark.parametrize("measure", NOTIFIED)
def test_art5_4_traffic_or_content_data_for_an_offence_of_three_years_is_covered(kb, measure):
    v = ee(kb, measure=measure, offence={"category": "other", "max_penalty_years": 3})
    assert v.status == "mandatory"
    assert "eu_e_evidence.art5.4" in ids(v)


@pytest.mark.parametrize("measure", NOTIFIED)
def test_art5_4_traffic_or_content_data_for_an_offence_below_three_years_is_outside(kb, measure):
    v = ee(kb, measure=measure, offence={"category": "fraud", "max_penalty_years": 2})
    assert v.status == "not_applicable"
    assert {"eu_e_evidence.art5.4", "offence.max_penalty_years"} <= ids(v)


@pytest.mark.parametrize("offence", [
    {"category": "illegal_access", "max_penalty_years": 2},
    {"category": "child_sexual_abuse_material", "max_penalty_years": 1},
    {"category": "fraud", "committed_by_computer": True, "max_penalty_years": 2},
])
def test_art5_4_b_listed_offences_committed_by_an_information_system_need_no_three_years(
        kb, offence):
    v = ee(kb, measure="stored_data_access", offence=offence)
    assert v.status == "mandatory"
    assert "eu_e_evidence.art5.4" in ids(v)


def test_art5_4_does_not_decide_subscriber_data(kb):
    v = ee(kb, measure="subscriber_information", offence={"category": "fraud",
                                                          "max_penalty_years": 2})
    assert v.status == "mandatory"
    assert "eu_e_evidence.art5.4" not in ids(v)


# -- Art. 6: preservation orders for any offence --------------------------------------------


def test_art6_preservation_order_may_be_issued_for_any_criminal_offence(kb):
    v = ee(kb, measure="expedited_preservation", offence=MINOR_OFFENCE)
    assert v.status == "mandatory"
    assert {"eu_e_evidence.art6", "eu_e_evidence.art11"} <= ids(v)


def test_art6_does_not_decide_a_measure_the_regulation_does_not_know(kb):
    v = ee(kb, measure="content_interception", offence=SERIOUS_FRAUD)
    assert v.status == "not_applicable"
    assert "eu_e_evidence.art6" not in ids(v)


# -- Art. 10: the provider's duty and the enforcing State's ----------------------------------


@pytest.mark.parametrize("measure", ["subscriber_information", *NOTIFIED])
def test_art10_production_order_is_mandatory_absent_an_art12_ground(kb, measure):
    v = ee(kb, measure=measure, offence=SERIOUS_FRAUD)
    assert v.status == "mandatory"
    assert v.grounds == ()
    assert "eu_e_evidence.art10" in ids(v)


def test_art10_emergency_shortens_the_deadline_but_does_not_change_the_verdict(kb):
    v = ee(kb, measure="stored_data_access", offence=SERIOUS_FRAUD, facts={"urgent": True})
    assert v.status == "mandatory"
    assert "urgent" not in ids(v)


def test_art10_does_not_decide_a_preservation_order(kb):
    v = ee(kb, measure="expedited_preservation", offence=SERIOUS_FRAUD)
    assert "eu_e_evidence.art10" not in ids(v)


# -- Art. 11: preservation, no ground at the notification stage ------------------------------


def test_art11_preservation_stays_mandatory_on_the_art12_only_grounds(kb):
    facts = {"ne_bis_in_idem": True, "no_dual_criminality": True, "political_offence": True,
             "essential_interests": True}
    v = ee(kb, measure="expedited_preservation", offence=SERIOUS_FRAUD, facts=facts)
    assert v.status == "mandatory"
    assert v.grounds == ()
    assert "eu_e_evidence.art11" in ids(v)


def test_art11_does_not_decide_a_production_order(kb):
    v = ee(kb, measure="subscriber_information", offence=SERIOUS_FRAUD)
    assert "eu_e_evidence.art11" not in ids(v)


# -- Arts. 8(1) and 12(1)(a)-(c): grounds of the notified enforcing State --------------------


@pytest.mark.parametrize(("fact", "ground"), [
    ("domestic_law_prohibits", "immunities_or_press_freedom"),
    ("human_rights_risk", "human_rights_risk"),
    ("ne_bis_in_idem", "ne_bis_in_idem"),
])
@pytest.mark.parametrize("measure", NOTIFIED)
def test_art12_1_notified_enforcing_state_may_refuse_traffic_or_content_data(
        kb, measure, fact, ground):
    v = ee(kb, measure=measure, offence=SERIOUS_FRAUD, facts={fact: True})
    assert v.status == "refusable"
    assert v.grounds == (ground,)
    assert "eu_e_evidence.art12.1" in ids(v)


@pytest.mark.parametrize("fact", ["ne_bis_in_idem", "no_dual_criminality"])
def test_art8_1_subscriber_data_is_not_notified_so_no_art12_ground_applies(kb, fact):
    v = ee(kb, measure="subscriber_information", offence=SERIOUS_FRAUD, facts={fact: True})
    assert v.status == "mandatory"
    assert v.grounds == ()
    assert "eu_e_evidence.art12.1" not in ids(v)


# -- Art. 16(2), (4) and (5): grounds against enforcement ------------------------------------


@pytest.mark.parametrize(("fact", "ground"), [
    ("domestic_law_prohibits", "immunities_or_press_freedom"),
    ("human_rights_risk", "human_rights_risk"),
])
def test_art16_4_enforcement_of_a_subscriber_data_order_may_be_refused(kb, fact, ground):
    v = ee(kb, measure="subscriber_information", offence=SERIOUS_FRAUD, facts={fact: True})
    assert v.status == "refusable"
    assert v.grounds == (ground,)
    assert v.obligatory_grounds == ()
    assert "eu_e_evidence.art16.4" in ids(v)
    assert "eu_e_evidence.art12.1" not in ids(v)


@pytest.mark.parametrize(("fact", "ground"), [
    ("domestic_law_prohibits", "immunities_or_press_freedom"),
    ("human_rights_risk", "human_rights_risk"),
])
def test_art16_5_enforcement_of_a_preservation_order_may_be_refused(kb, fact, ground):
    v = ee(kb, measure="expedited_preservation", offence=SERIOUS_FRAUD, facts={fact: True})
    assert v.status == "refusable"
    assert v.grounds == (ground,)
    assert "eu_e_evidence.art16.5" in ids(v)


@pytest.mark.parametrize("measure", NOT_NOTIFIED)
def test_art16_gives_no_ground_where_neither_immunities_nor_fundamental_rights_are_at_stake(
        kb, measure):
    v = ee(kb, measure=measure, offence=SERIOUS_FRAUD,
           facts={"domestic_law_prohibits": False, "human_rights_risk": False})
    assert v.status == "mandatory"
    assert "eu_e_evidence.art16.4" not in ids(v)
    assert "eu_e_evidence.art16.5" not in ids(v)


def test_art16_open_world_an_unknown_fundamental_rights_breach_decides_enforcement(kb):
    req = make_request(requesting="FR", requested="DE", date=AFTER,
                       measure="subscriber_information", offence=SERIOUS_FRAUD,
                       facts={"domestic_law_prohibits": False})
    v = kb.evaluate(req)["eu_e_evidence"]
    assert v.status == "undetermined"
    assert set(v.possible) == {"mandatory", "refusable"}
    assert v.depends_on == ("human_rights_risk",)


def test_art12_1_other_refusal_grounds_of_mutual_legal_assistance_are_not_available(kb):
    facts = {"political_offence": True, "essential_interests": True, "fiscal_offence": True,
             "person_is_national": True}
    v = ee(kb, measure="stored_data_access", offence=SERIOUS_FRAUD, facts=facts)
    assert v.status == "mandatory"
    assert v.grounds == ()


# -- Art. 12(1)(d): dual criminality and Annex IV ----------------------------------------------


def test_art12_1_d_absence_of_dual_criminality_makes_content_data_refusable(kb):
    v = ee(kb, measure="stored_data_access", offence={"category": "other",
                                                      "max_penalty_years": 5},
           facts={"no_dual_criminality": True})
    assert v.status == "refusable"
    assert v.grounds == ("no_dual_criminality",)
    assert "eu_e_evidence.art12.1.d" in ids(v)


def test_art12_1_d_annex_iv_offence_of_three_years_excludes_the_dual_criminality_ground(kb):
    v = ee(kb, measure="stored_data_access", offence=SERIOUS_FRAUD,
           facts={"no_dual_criminality": True})
    assert v.status == "mandatory"
    assert v.grounds == ()
    assert "eu_e_evidence.art12.1.d.annex" in ids(v)


def test_art12_1_d_annex_iv_threshold_of_three_years_is_inclusive(kb):
    v = ee(kb, measure="stored_data_access", offence={"category": "fraud", "max_penalty_years": 3},
           facts={"no_dual_criminality": True})
    assert v.status == "mandatory"
    assert "eu_e_evidence.art12.1.d.annex" in ids(v)


def test_art12_1_d_annex_iv_exception_does_not_decide_an_offence_below_three_years(kb):
    # Computer fraud of two years is within Art. 5(4)(b), but below the Annex IV threshold.
    v = ee(kb, measure="traffic_data_disclosure",
           offence={"category": "fraud", "committed_by_computer": True, "max_penalty_years": 2},
           facts={"no_dual_criminality": True})
    assert v.status == "refusable"
    assert v.grounds == ("no_dual_criminality",)
    assert "eu_e_evidence.art12.1.d.annex" not in ids(v)


def test_art12_1_d_annex_iv_exception_does_not_cover_an_offence_outside_the_annex(kb):
    v = ee(kb, measure="stored_data_access", offence={"category": "tax_offence",
                                                      "max_penalty_years": 8},
           facts={"no_dual_criminality": True})
    assert v.status == "refusable"
    assert v.grounds == ("no_dual_criminality",)


def test_art12_1_d_does_not_decide_when_the_conduct_is_criminal_in_both_states(kb):
    v = ee(kb, measure="stored_data_access", offence={"category": "other",
                                                      "max_penalty_years": 5})
    assert v.status == "mandatory"
    assert "eu_e_evidence.art12.1.d" not in ids(v)


def test_rules_read_in_the_regulation_text_are_marked_verified_and_the_others_are_not(kb):
    unread = {"eu_e_evidence.art6", "eu_e_evidence.art16.4", "eu_e_evidence.art16.5"}
    rules = {r.id: r for r in kb.instruments["eu_e_evidence"].rules}
    assert all(rules[rid].text_verified is False for rid in unread)
    assert all(r.text_verified for rid, r in rules.items() if rid not in unread)
