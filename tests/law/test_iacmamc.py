"""Inter-American Convention on Mutual Assistance in Criminal Matters (OAS A-55) and its
Optional Protocol (A-59): every rule of specs/iacmamc.yaml, where it decides the verdict and
where it does not.

Requests are read in the closed world unless the test name says otherwise. MX -> US is the
default pair: both are Parties with dates (Mexico from 2003-03-13); the United States is a
Party to the Optional Protocol and Mexico is not. CO -> US is a pair bound by the Protocol.
"""

from __future__ import annotations

from typing import Any

import pytest

import coop_logic
from tests.helpers import ids, make_request

DATE = "2026-06-01"
DUTY_MEASURES = ["evidence_collection", "stored_data_access", "subscriber_information",
                 "traffic_data_disclosure", "expedited_preservation"]
BY_AGREEMENT = ["realtime_traffic_collection", "content_interception",
                "encryption_key_disclosure"]


def iac(kb: coop_logic.KnowledgeBase, requesting: str = "MX", requested: str = "US",
        measure: str = "evidence_collection", date: str = DATE, closed_world: bool = True,
        **request: Any) -> coop_logic.Verdict:
    result = kb.evaluate(make_request(requesting, requested, measure, date, **request),
                         closed_world=closed_world)
    return result["iacmamc"]



# -- Arts. 1, 2 and 8: scope and duty ------------------------------------------------------

def test_a_mexican_request_to_the_united_states_for_evidence_is_mandatory_under_art1(kb):
    result = kb.evaluate(make_request("MX", "US", "evidence_collection", DATE),
                         closed_world=True)
    verdict = result["iacmamc"]
    assert verdict.status == "mandatory"
    assert verdict.grounds == ()
    assert {"iacmamc.art2.scope", "iacmamc.art1"} <= ids(verdict)
    assert result.overall.status == "mandatory"
    assert "iacmamc" in result.overall.basis


@pytest.mark.parametrize("measure", DUTY_MEASURES)
def test_art1_the_duty_covers_the_forms_of_assistance_the_convention_lists(kb, measure):
    verdict = iac(kb, measure=measure)
    assert verdict.status == "mandatory"
    assert "iacmamc.art1" in ids(verdict)


def test_art8_an_offence_subject_exclusively_to_military_law_is_outside_the_convention(kb):
    verdict = iac(kb, facts={"military_offence": True})
    assert verdict.status == "not_applicable"
    assert {"iacmamc.art2.scope", "military_offence"} <= ids(verdict)


@pytest.mark.parametrize("measure", ["extradition", "information_sharing",
                                     "contact_point_assistance", "data_retention"])
def test_art2_the_convention_covers_no_extradition_police_information_or_retention(kb, measure):
    verdict = iac(kb, measure=measure)
    assert verdict.status == "not_applicable"
    assert "iacmamc.art2.scope" not in ids(verdict)


def test_party_data_the_convention_binds_mexico_only_from_13_march_2003(kb):
    verdict = iac(kb, date="2003-03-12")
    assert verdict.status == "not_applicable"
    assert "party:iacmamc:MX" in ids(verdict)
    assert iac(kb, date="2003-03-13").status == "mandatory"


# -- Art. 5: dual criminality for coercive measures -----------------------------------------

@pytest.mark.parametrize("measure", ["stored_data_access", "expedited_preservation"])
def test_art5_the_united_states_may_refuse_a_search_or_freeze_without_dual_criminality(
        kb, measure):
    verdict = iac(kb, measure=measure, facts={"no_dual_criminality": True})
    assert verdict.status == "refusable"
    assert verdict.grounds == ("no_dual_criminality",)
    assert "iacmamc.art5" in ids(verdict)


@pytest.mark.parametrize("measure", ["evidence_collection", "subscriber_information",
                                     "traffic_data_disclosure"])
def test_art5_assistance_without_coercion_is_owed_even_without_dual_criminality(kb, measure):
    verdict = iac(kb, measure=measure, facts={"no_dual_criminality": True})
    assert verdict.status == "mandatory"
    assert verdict.grounds == ()
    assert "iacmamc.art5" not in ids(verdict)


# -- Art. 7(j): other forms of assistance only by agreement -----------------------------------

@pytest.mark.parametrize("measure", BY_AGREEMENT)
def test_art7_j_interception_and_similar_measures_need_the_requested_states_agreement(
        kb, measure):
    verdict = iac(kb, measure=measure)
    assert verdict.status == "discretionary"
    assert verdict.grounds == ()
    assert "iacmamc.art7.j" in ids(verdict)


def test_art7_j_does_not_touch_a_listed_form_of_assistance(kb):
    verdict = iac(kb, measure="stored_data_access")
    assert verdict.status == "mandatory"
    assert "iacmamc.art7.j" not in ids(verdict)


# -- Art. 9: refusal grounds --------------------------------------------------------------------

@pytest.mark.parametrize("fact", ["ne_bis_in_idem", "discriminatory_purpose", "political_offence",
                                  "special_tribunal", "essential_interests"])
def test_art9_a_to_e_each_ground_lets_the_united_states_refuse(kb, fact):
    verdict = iac(kb, facts={fact: True})
    assert verdict.status == "refusable"
    assert verdict.grounds == (fact,)
    assert "iacmamc.art9" in ids(verdict)


@pytest.mark.parametrize("fact", ["death_penalty_risk", "human_rights_risk", "person_is_national",
                                  "domestic_law_prohibits", "bank_secrecy_only"])
def test_art9_lists_no_other_ground_so_other_facts_leave_the_request_mandatory(kb, fact):
    verdict = iac(kb, facts={fact: True})
    assert verdict.status == "mandatory"
    assert verdict.grounds == ()


def test_art9_f_the_united_states_may_refuse_a_mexican_request_about_a_tax_crime(kb):
    verdict = iac(kb, facts={"fiscal_offence": True})
    assert verdict.status == "refusable"
    assert verdict.grounds == ("fiscal_offence",)
    assert {"iacmamc.art9.f", "party:iacmamc.optional_protocol_1993:MX"} <= ids(verdict)


# -- Optional Protocol (1993), Art. 1 ------------------------------------------------------------

def test_op1993_art1_removes_the_tax_ground_between_colombia_and_the_united_states(kb):
    verdict = iac(kb, "CO", "US", facts={"fiscal_offence": True})
    assert verdict.status == "mandatory"
    assert verdict.grounds == ()
    assert "iacmamc.op1993.art1" in ids(verdict)


def test_op1993_art1_removes_the_tax_ground_only_so_a_political_offence_stays_refusable(kb):
    verdict = iac(kb, "CO", "US", facts={"fiscal_offence": True, "political_offence": True})
    assert verdict.status == "refusable"
    assert verdict.grounds == ("political_offence",)


def test_op1993_art1_applies_only_once_both_states_are_bound_by_the_protocol(kb):
    # Colombia: Convention and Protocol from 2003-02-12; the United States from 2001-06-24
    # and 2002-04-07. On 2002-06-01 Colombia is bound by neither.
    assert iac(kb, "CO", "US", date="2002-06-01").status == "not_applicable"
    verdict = iac(kb, "CO", "US", date="2003-02-12", facts={"fiscal_offence": True})
    assert verdict.status == "mandatory"
    assert "iacmamc.op1993.art1" in ids(verdict)


# -- The Convention as an mla_treaty for UNTOC ---------------------------------------------------

def test_the_convention_replaces_untoc_art18_9_to_29_between_mexico_and_the_united_states(kb):
    # UNTOC art. 18(7): the treaty takes the place of paras. 9-29 only; the duty of 18(1)
    # stays, and a ground of the treaty (Art. 9: political offence) reaches UNTOC's verdict.
    offence = {"category": "drug_trafficking", "max_penalty_years": 10, "transnational": True,
               "organized_criminal_group": True}
    result = kb.evaluate(make_request("MX", "US", "evidence_collection", DATE, offence=offence,
                                      facts={"political_offence": True}),
                         closed_world=True)
    assert result["untoc"].status == "refusable"
    assert result["untoc"].grounds == ("political_offence",)
    assert "untoc.art18.7" in ids(result["untoc"])
    assert result["iacmamc"].status == "refusable"


def test_the_convention_leaves_the_untoc_art18_1_duty_between_mexico_and_the_united_states(kb):
    offence = {"category": "drug_trafficking", "max_penalty_years": 10, "transnational": True,
               "organized_criminal_group": True}
    result = kb.evaluate(make_request("MX", "US", "evidence_collection", DATE, offence=offence),
                         closed_world=True)
    assert result["untoc"].status == "mandatory"
    assert "untoc.art18.1" in ids(result["untoc"])
    assert result["iacmamc"].status == "mandatory"
