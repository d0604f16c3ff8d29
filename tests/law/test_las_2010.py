"""Arab Convention on Combating Information Technology Offences (2010): specs/las_2010.yaml.

Egypt and Jordan are both listed Parties (undated, bound from the list's as_of, 2016-12-31),
so requests between them in 2026 test the provisions; each provision has one request where
it decides the verdict and one where it does not. For extradition, the closed world reads
`extradition_treaty` and `treaty_required_for_extradition` as false: the requested State needs
no treaty (Art. 31(4)).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import ids, make_request

LAS = "las_2010"
DATE = "2026-06-01"
IT_OFFENCE = {"category": "illegal_access"}
EXTRADITABLE = {"category": "illegal_access", "max_penalty_years": 2}
TREATY = {"extradition_treaty": True, "treaty_required_for_extradition": True}
NO_TREATY_BASIS = {"extradition_treaty": False, "treaty_required_for_extradition": True}
NO_TREATY_NEEDED = {"extradition_treaty": False, "treaty_required_for_extradition": False}


def verdict(kb, measure: str, *, requesting: str = "EG", requested: str = "JO",
            offence: dict[str, Any] | None = None, facts: dict[str, bool] | None = None,
            closed_world: bool = True, instrument: str = LAS, date: str = DATE):
    request = make_request(requesting, requested, measure, date,
                           offence=IT_OFFENCE if offence is None else offence, facts=facts)
    return kb.evaluate(request, closed_world=closed_world, instruments=[instrument])[instrument]



# -- Art. 32(1) with Art. 22(2): scope of mutual assistance ----------------------------------

def test_art_32_scope_covers_electronic_evidence_of_any_offence(kb):
    v = verdict(kb, "stored_data_access",
                offence={"category": "homicide", "electronic_evidence": True})
    assert v.status == "mandatory"
    assert "las_2010.art32.scope" in ids(v)


def test_art_32_scope_leaves_out_an_offence_without_any_it_element(kb):
    v = verdict(kb, "stored_data_access", offence={"category": "homicide"})
    assert v.status == "not_applicable"


def test_art_32_scope_is_undetermined_when_the_it_element_is_unknown(kb):
    v = verdict(kb, "stored_data_access", offence={"category": "homicide"}, closed_world=False)
    assert v.status == "undetermined"
    assert "offence.electronic_evidence" in v.depends_on


def test_art_32_scope_does_not_cover_data_retention(kb):
    v = verdict(kb, "data_retention")
    assert v.status == "not_applicable"
    assert "las_2010.art32.scope" not in ids(v)


# -- Art. 31: extradition --------------------------------------------------------------------

def test_art_31_1_brings_a_chapter_ii_offence_punishable_by_a_year_within_extradition(kb):
    v = verdict(kb, "extradition", offence=EXTRADITABLE, facts=TREATY)
    assert v.status == "mandatory"
    assert {"las_2010.art31.1", "las_2010.art31.2"} <= ids(v)


def test_art_31_3_gives_no_duty_without_a_treaty_basis(kb):
    v = verdict(kb, "extradition", offence=EXTRADITABLE, facts=NO_TREATY_BASIS)
    assert v.status == "discretionary"
    assert v.grounds == ()
    assert "las_2010.art31.3" in ids(v)


def test_art_31_3_no_ground_is_needed_to_decline_without_a_treaty_basis(kb):
    v = verdict(kb, "extradition", offence=EXTRADITABLE,
                facts={**NO_TREATY_BASIS, "person_is_national": True})
    assert v.status == "discretionary"
    assert v.grounds == ()


def test_art_31_3_does_not_decide_where_an_extradition_treaty_binds_the_pair(kb):
    v = verdict(kb, "extradition", offence=EXTRADITABLE, facts=TREATY)
    assert "las_2010.art31.3" not in ids(v)


def test_art_31_4_a_requested_state_needing_no_treaty_owes_extradition(kb):
    v = verdict(kb, "extradition", offence=EXTRADITABLE, facts=NO_TREATY_NEEDED)
    assert v.status == "mandatory"
    assert "las_2010.art31.4" in ids(v)
    assert "las_2010.art31.3" not in ids(v)


def test_art_31_open_world_unknown_treaty_facts_leave_extradition_undetermined(kb):
    grounds = ["person_is_national", "political_offence", "essential_interests",
               "death_penalty_risk", "human_rights_risk", "discriminatory_purpose",
               "ne_bis_in_idem", "military_offence", "fiscal_offence", "insufficient_evidence",
               "no_dual_criminality"]
    v = verdict(kb, "extradition", offence=EXTRADITABLE, closed_world=False,
                facts={g: False for g in grounds})
    assert v.status == "undetermined"
    assert set(v.possible) == {"mandatory", "discretionary"}
    assert set(v.depends_on) == {"extradition_treaty", "treaty_required_for_extradition"}


def test_art_31_1_threshold_of_one_year_is_inclusive(kb):
    v = verdict(kb, "extradition", offence={"category": "illegal_access", "max_penalty_years": 1})
    assert v.status == "mandatory"
    assert "las_2010.art31.1" in ids(v)


def test_art_31_1_leaves_out_an_offence_punishable_by_less_than_a_year(kb):
    v = verdict(kb, "extradition", offence={"category": "illegal_access", "max_penalty_years": 0.5})
    assert v.status == "not_applicable"
    assert "las_2010.art31.2" not in ids(v)


def test_art_31_1_requires_punishability_in_both_states(kb):
    v = verdict(kb, "extradition", offence={"category": "illegal_access", "max_penalty_years": 2},
                facts={"no_dual_criminality": True})
    assert v.status == "not_applicable"


def test_art_31_1_covers_terrorism_only_when_committed_by_information_technology(kb):
    by_it = verdict(kb, "extradition", offence={"category": "terrorism", "max_penalty_years": 10,
                                                "committed_by_computer": True})
    offline = verdict(kb, "extradition", offence={"category": "terrorism", "max_penalty_years": 10})
    assert (by_it.status, offline.status) == ("mandatory", "not_applicable")


def test_art_31_5_lets_the_requested_state_refuse_to_extradite_its_national(kb):
    v = verdict(kb, "extradition", offence={"category": "illegal_access", "max_penalty_years": 2},
                facts={"person_is_national": True})
    assert v.status == "refusable"
    assert v.grounds == ("person_is_national",)
    assert "las_2010.art31.5" in ids(v)


@pytest.mark.parametrize("ground", ["person_is_national", "political_offence",
                                    "essential_interests", "death_penalty_risk",
                                    "human_rights_risk", "discriminatory_purpose",
                                    "ne_bis_in_idem", "military_offence", "fiscal_offence",
                                    "insufficient_evidence"])
def test_art_31_5_each_ground_of_law_and_treaties_makes_extradition_refusable(kb, ground):
    v = verdict(kb, "extradition", offence={"category": "illegal_access", "max_penalty_years": 2},
                facts={ground: True})
    assert v.status == "refusable"
    assert v.grounds == (ground,)
    assert "las_2010.art31.5" in ids(v)


def test_art_31_5_gives_no_ground_when_no_extradition_ground_is_established(kb):
    v = verdict(kb, "extradition", offence={"category": "illegal_access", "max_penalty_years": 2},
                facts={"bank_secrecy_only": True})
    assert v.status == "mandatory"
    assert "las_2010.art31.5" not in ids(v)


# -- Art. 32(1) and (4): general duty and domestic-law grounds -------------------------------

def test_art_32_1_makes_general_evidence_gathering_mandatory(kb):
    v = verdict(kb, "evidence_collection")
    assert v.status == "mandatory"
    assert "las_2010.art32.1" in ids(v)


def test_art_32_1_does_not_reach_a_state_outside_the_league(kb):
    v = verdict(kb, "evidence_collection", requesting="FR")
    assert v.status == "not_applicable"
    assert "las_2010.art32.1" not in ids(v)


def test_art_32_4_lets_domestic_law_refuse_for_death_penalty_risk(kb):
    v = verdict(kb, "evidence_collection", facts={"death_penalty_risk": True})
    assert v.status == "refusable"
    assert v.grounds == ("death_penalty_risk",)
    assert "las_2010.art32.4" in ids(v)


@pytest.mark.parametrize("ground", ["no_dual_criminality", "domestic_law_prohibits",
                                    "contrary_to_legal_system", "death_penalty_risk",
                                    "human_rights_risk", "discriminatory_purpose",
                                    "ne_bis_in_idem", "insufficient_evidence"])
def test_art_32_4_each_domestic_ground_makes_evidence_gathering_refusable(kb, ground):
    v = verdict(kb, "evidence_collection", facts={ground: True})
    assert v.status == "refusable"
    assert v.grounds == (ground,)
    assert "las_2010.art32.4" in ids(v)


@pytest.mark.parametrize("measure", ["expedited_preservation", "traffic_data_disclosure"])
def test_art_32_4_insufficient_evidence_does_not_pass_the_closed_lists_of_arts_37_and_38(
        kb, measure):
    v = verdict(kb, measure, facts={"insufficient_evidence": True})
    assert v.status == "mandatory"
    assert v.grounds == ()


def test_art_32_4_domestic_grounds_do_not_reach_preservation(kb):
    v = verdict(kb, "expedited_preservation", facts={"domestic_law_prohibits": True})
    assert v.status == "mandatory"
    assert "las_2010.art32.4" not in ids(v)


def test_art_32_4_second_sentence_bars_a_purely_fiscal_refusal_for_a_convention_offence(kb):
    v = verdict(kb, "evidence_collection", facts={"fiscal_offence": True})
    assert v.status == "mandatory"
    assert "las_2010.art32.4.fiscal" in ids(v)


def test_art_32_4_second_sentence_does_not_protect_an_offence_outside_chapter_ii(kb):
    v = verdict(kb, "evidence_collection",
                offence={"category": "tax_offence", "electronic_evidence": True},
                facts={"fiscal_offence": True})
    assert v.status == "refusable"
    assert v.grounds == ("fiscal_offence",)


# -- Art. 33: spontaneous information ---------------------------------------------------------

def test_art_33_leaves_spontaneous_information_to_the_state_that_holds_it(kb):
    v = verdict(kb, "information_sharing", facts={"political_offence": True})
    assert v.status == "discretionary"
    assert v.grounds == ()
    assert {"las_2010.art33.scope", "las_2010.art33"} <= ids(v)


def test_art_33_does_not_reach_information_about_an_offline_offence(kb):
    v = verdict(kb, "information_sharing", offence={"category": "homicide"})
    assert v.status == "not_applicable"
    assert "las_2010.art33" not in ids(v)


# -- Art. 35: political offence, sovereignty and essential interests ---------------------------

def test_art_35_allows_refusal_of_a_stored_data_request_for_a_political_offence(kb):
    v = verdict(kb, "stored_data_access", facts={"political_offence": True})
    assert v.status == "refusable"
    assert v.grounds == ("political_offence",)
    assert "las_2010.art35" in ids(v)


def test_art_35_allows_refusal_to_protect_sovereignty_or_security(kb):
    v = verdict(kb, "subscriber_information", facts={"essential_interests": True})
    assert v.status == "refusable"
    assert v.grounds == ("essential_interests",)


def test_art_35_does_not_apply_to_extradition(kb):
    v = verdict(kb, "extradition", offence={"category": "illegal_access", "max_penalty_years": 2},
                facts={"political_offence": True})
    assert v.status == "refusable"
    assert "las_2010.art35" not in ids(v)
    assert "las_2010.art31.5" in ids(v)


# -- Art. 37: expedited preservation ---------------------------------------------------------

def test_art_37_makes_preservation_mandatory(kb):
    v = verdict(kb, "expedited_preservation")
    assert v.status == "mandatory"
    assert {"las_2010.art37", "las_2010.art37.5"} <= ids(v)


def test_art_37_does_not_require_dual_criminality_for_preservation(kb):
    v = verdict(kb, "expedited_preservation", facts={"no_dual_criminality": True})
    assert v.status == "mandatory"
    assert "las_2010.art37.5" in ids(v)


def test_art_37_still_allows_refusing_preservation_for_a_political_offence(kb):
    v = verdict(kb, "expedited_preservation", facts={"political_offence": True})
    assert v.status == "refusable"
    assert v.grounds == ("political_offence",)


def test_art_37_still_allows_refusing_preservation_to_protect_essential_interests(kb):
    v = verdict(kb, "expedited_preservation", facts={"essential_interests": True})
    assert v.status == "refusable"
    assert v.grounds == ("essential_interests",)


def test_art_37_does_not_govern_stored_data_access(kb):
    v = verdict(kb, "stored_data_access", facts={"no_dual_criminality": True})
    assert v.status == "refusable"
    assert "las_2010.art37.5" not in ids(v)


# -- Art. 38: expedited disclosure of preserved traffic information ---------------------------

def test_art_38_makes_disclosure_of_preserved_traffic_information_mandatory(kb):
    v = verdict(kb, "traffic_data_disclosure", facts={"domestic_law_prohibits": True})
    assert v.status == "mandatory"
    assert {"las_2010.art38", "las_2010.art38.2"} <= ids(v)


def test_art_38_2_allows_withholding_only_to_protect_essential_interests(kb):
    v = verdict(kb, "traffic_data_disclosure", facts={"essential_interests": True})
    assert v.status == "refusable"
    assert v.grounds == ("essential_interests",)


def test_art_38_2_allows_withholding_for_a_political_offence(kb):
    v = verdict(kb, "traffic_data_disclosure", facts={"political_offence": True})
    assert v.status == "refusable"
    assert v.grounds == ("political_offence",)


def test_art_38_does_not_govern_preservation(kb):
    v = verdict(kb, "expedited_preservation")
    assert "las_2010.art38" not in ids(v)


# -- Art. 39: access to stored information -----------------------------------------------------

def test_art_39_makes_a_subscriber_information_request_mandatory(kb):
    v = verdict(kb, "subscriber_information", offence={"category": "computer_fraud"})
    assert v.status == "mandatory"
    assert "las_2010.art39" in ids(v)


def test_art_39_does_not_govern_general_evidence(kb):
    v = verdict(kb, "evidence_collection")
    assert "las_2010.art39" not in ids(v)


# -- Art. 41: real-time collection of traffic information -------------------------------------

def test_art_41_makes_real_time_collection_mandatory_where_available_domestically(kb):
    v = verdict(kb, "realtime_traffic_collection", facts={"not_available_domestically": False})
    assert v.status == "mandatory"
    assert "las_2010.art41" in ids(v)


def test_art_41_allows_refusal_where_not_available_in_a_domestic_case(kb):
    v = verdict(kb, "realtime_traffic_collection", facts={"not_available_domestically": True})
    assert v.status == "refusable"
    assert v.grounds == ("not_available_domestically",)
    assert "las_2010.art41.domestic" in ids(v)


def test_art_41_domestic_availability_is_not_a_ground_for_stored_data(kb):
    v = verdict(kb, "stored_data_access", facts={"not_available_domestically": True})
    assert v.status == "mandatory"
    assert "las_2010.art41.domestic" not in ids(v)


# -- Art. 42: interception of content -----------------------------------------------------------

def test_art_42_makes_interception_mandatory_to_the_extent_domestic_law_permits(kb):
    v = verdict(kb, "content_interception", facts={"not_available_domestically": False})
    assert v.status == "mandatory"
    assert "las_2010.art42" in ids(v)


def test_art_42_allows_refusal_where_domestic_law_does_not_permit_interception(kb):
    v = verdict(kb, "content_interception", facts={"not_available_domestically": True})
    assert v.status == "refusable"
    assert v.grounds == ("not_available_domestically",)
    assert "las_2010.art42.extent" in ids(v)


def test_art_42_extent_is_not_a_ground_for_traffic_disclosure(kb):
    v = verdict(kb, "traffic_data_disclosure", facts={"not_available_domestically": True})
    assert v.status == "mandatory"
    assert "las_2010.art42.extent" not in ids(v)


# -- Art. 43: the specialised (24/7) body ----------------------------------------------------------

def test_art_43_makes_contact_point_assistance_mandatory_without_grounds(kb):
    v = verdict(kb, "contact_point_assistance",
                facts={"political_offence": True, "essential_interests": True})
    assert v.status == "mandatory"
    assert {"las_2010.art43.scope", "las_2010.art43.1"} <= ids(v)


def test_art_43_does_not_reach_an_offline_offence_without_electronic_evidence(kb):
    v = verdict(kb, "contact_point_assistance", offence={"category": "homicide"})
    assert v.status == "not_applicable"
    assert "las_2010.art43.1" not in ids(v)


# -- Party data -------------------------------------------------------------------------------------

def test_a_league_state_whose_ratification_is_unresolved_is_undetermined(kb):
    v = verdict(kb, "evidence_collection", requesting="SA")
    assert v.status == "undetermined"
    assert set(v.possible) == {"mandatory", "not_applicable"}
    assert "party:las_2010:SA" in v.depends_on


def test_a_state_outside_the_league_is_not_a_party(kb):
    v = verdict(kb, "evidence_collection", requesting="FR")
    assert v.status == "not_applicable"
    assert "party:las_2010:FR" in ids(v)


def test_an_undated_party_is_unknown_before_the_lists_as_of_date(kb):
    v = verdict(kb, "evidence_collection", date="2015-06-01")
    assert v.status == "undetermined"
    assert {"party:las_2010:EG", "party:las_2010:JO"} <= set(v.depends_on)


# -- Relation to Budapest Art. 27 and UNTOC Art. 18(7): not an mla_treaty ---------------------------

def test_the_arab_convention_does_not_displace_untoc_article_18(kb):
    request = make_request(
        "EG", "JO", "evidence_collection", DATE,
        offence={"category": "drug_trafficking", "max_penalty_years": 10, "transnational": True,
                 "organized_criminal_group": True, "committed_by_computer": True},
    )
    result = kb.evaluate(request, closed_world=True, instruments=[LAS, "untoc"])
    assert result[LAS].status == "mandatory"
    assert result["untoc"].status == "mandatory"
    assert "untoc.art18.7" not in ids(result["untoc"])


def test_the_arab_convention_carries_no_mla_treaty_tag(kb):
    assert "mla_treaty" not in kb.instruments[LAS].tags


@pytest.mark.parametrize("measure", ["expedited_preservation", "traffic_data_disclosure",
                                     "stored_data_access", "contact_point_assistance"])
def test_the_chapter_iv_duties_hold_between_two_listed_parties(kb, measure):
    assert verdict(kb, measure).status == "mandatory"
