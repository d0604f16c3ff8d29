"""Directive 2014/41/EU on the European Investigation Order: every rule of
specs/eu_eio.yaml, where it decides the verdict and where it does not, and the party data
choice (bound from 22 May 2017; Ireland and Denmark outside; the United Kingdom until the
end of 2020).

Requests are read in the closed world unless the test name says otherwise. DE -> FR is the
default pair; the default offence is `other` (no Annex D category), so that lack of dual
criminality stays a ground unless a test says otherwise.
"""

from __future__ import annotations

from typing import Any

import pytest

import coop_logic
from tests.helpers import ids, make_request

DATE = "2026-06-01"
OTHER = {"category": "other", "max_penalty_years": 5}
ALL_COVERED = ["evidence_collection", "stored_data_access", "subscriber_information",
               "traffic_data_disclosure", "expedited_preservation",
               "realtime_traffic_collection", "content_interception",
               "encryption_key_disclosure"]
ANNEX_D = ["illegal_access", "illegal_interception", "data_interference", "system_interference",
           "misuse_of_devices", "computer_forgery", "computer_fraud",
           "child_sexual_abuse_material", "fraud", "money_laundering", "corruption",
           "drug_trafficking", "terrorism", "trafficking_in_persons", "homicide"]


def eio(kb: coop_logic.KnowledgeBase, requesting: str = "DE", requested: str = "FR",
        measure: str = "evidence_collection", date: str = DATE, closed_world: bool = True,
        offence: dict[str, Any] | None = None, **request: Any) -> coop_logic.Verdict:
    result = kb.evaluate(
        make_request(requesting, requested, measure, date,
                     offence=OTHER if offence is None else offence, **request),
        closed_world=closed_world)
    return result["eu_eio"]



# -- Arts. 1 and 3: scope and duty; party data -------------------------------------------

def test_a_german_eio_to_france_for_evidence_is_mandatory_under_art1_2(kb):
    result = kb.evaluate(make_request("DE", "FR", "evidence_collection", DATE, offence=OTHER),
                         closed_world=True)
    verdict = result["eu_eio"]
    assert verdict.status == "mandatory"
    assert verdict.grounds == ()
    assert {"eu_eio.art3.scope", "eu_eio.art1.2"} <= ids(verdict)
    assert result["ecma_1959"].status == "not_applicable"
    assert "ecma_1959.eio.art34" in ids(result["ecma_1959"])
    assert result.overall.status == "mandatory"
    assert "eu_eio" in result.overall.basis


@pytest.mark.parametrize("measure", ALL_COVERED)
def test_art3_an_eio_covers_every_investigative_measure_of_the_contract(kb, measure):
    verdict = eio(kb, measure=measure)
    assert verdict.status == "mandatory"
    assert {"eu_eio.art3.scope", "eu_eio.art1.2"} <= ids(verdict)


@pytest.mark.parametrize("measure", ["extradition", "information_sharing",
                                     "contact_point_assistance", "data_retention"])
def test_art3_an_eio_is_no_instrument_for_surrender_police_information_or_retention(kb, measure):
    verdict = eio(kb, measure=measure)
    assert verdict.status == "not_applicable"
    assert "eu_eio.art3.scope" not in ids(verdict)


@pytest.mark.parametrize("requested", ["IE", "DK"])
def test_party_data_ireland_and_denmark_are_not_bound_by_the_eio(kb, requested):
    verdict = eio(kb, requested=requested)
    assert verdict.status == "not_applicable"
    assert f"party:eu_eio:{requested}" in ids(verdict)


def test_party_data_the_eio_binds_member_states_only_from_22_may_2017(kb):
    assert eio(kb, date="2017-05-21").status == "not_applicable"
    assert eio(kb, date="2017-05-22").status == "mandatory"


def test_party_data_the_united_kingdom_was_bound_until_the_end_of_2020_only(kb):
    assert eio(kb, "GB", "FR", date="2019-06-01").status == "mandatory"
    verdict = eio(kb, "GB", "FR", date="2021-01-01")
    assert verdict.status == "not_applicable"
    assert "party:eu_eio:GB" in ids(verdict)


# -- Art. 11(1): grounds for non-recognition or non-execution -----------------------------

@pytest.mark.parametrize(("fact", "rule"), [
    ("contrary_to_legal_system", "eu_eio.art11.1.a"),
    ("essential_interests", "eu_eio.art11.1.b"),
    ("ne_bis_in_idem", "eu_eio.art11.1.d"),
    ("human_rights_risk", "eu_eio.art11.1.f"),
    ("no_dual_criminality", "eu_eio.art11.1.g"),
    ("domestic_law_prohibits", "eu_eio.art11.1.h"),
])
def test_art11_1_each_ground_lets_france_refuse_a_search_of_stored_data(kb, fact, rule):
    verdict = eio(kb, measure="stored_data_access", facts={fact: True})
    assert verdict.status == "refusable"
    assert verdict.grounds == (fact,)
    assert rule in ids(verdict)


@pytest.mark.parametrize("fact", ["political_offence", "fiscal_offence", "death_penalty_risk",
                                  "person_is_national", "special_tribunal", "bank_secrecy_only",
                                  "request_defective"])
def test_art11_1_lists_no_political_fiscal_or_nationality_ground_so_those_facts_change_nothing(
        kb, fact):
    verdict = eio(kb, facts={fact: True})
    assert verdict.status == "mandatory"
    assert verdict.grounds == ()


# -- Art. 11(1)(g) with Annex D ------------------------------------------------------------

@pytest.mark.parametrize("category", ANNEX_D)
def test_art11_1_g_annex_d_offence_with_three_years_removes_the_dual_criminality_ground(
        kb, category):
    verdict = eio(kb, measure="stored_data_access",
                  offence={"category": category, "max_penalty_years": 3},
                  facts={"no_dual_criminality": True})
    assert verdict.status == "mandatory"
    assert verdict.grounds == ()
    assert "eu_eio.art11.1.g.annex_d" in ids(verdict)


def test_art11_1_g_annex_d_offence_below_three_years_keeps_the_dual_criminality_ground(kb):
    verdict = eio(kb, measure="stored_data_access",
                  offence={"category": "illegal_access", "max_penalty_years": 2},
                  facts={"no_dual_criminality": True})
    assert verdict.status == "refusable"
    assert verdict.grounds == ("no_dual_criminality",)
    assert "eu_eio.art11.1.g" in ids(verdict)


@pytest.mark.parametrize("category", ["copyright_infringement", "tax_offence", "other"])
def test_art11_1_g_offence_outside_our_annex_d_reading_keeps_the_dual_criminality_ground(
        kb, category):
    verdict = eio(kb, measure="stored_data_access",
                  offence={"category": category, "max_penalty_years": 10},
                  facts={"no_dual_criminality": True})
    assert verdict.status == "refusable"
    assert verdict.grounds == ("no_dual_criminality",)


def test_art11_1_g_open_world_unknown_penalty_decides_the_annex_d_exception(kb):
    verdict = eio(kb, measure="stored_data_access", offence={"category": "computer_fraud"},
                  facts={"no_dual_criminality": True})
    assert verdict.status == "undetermined"
    assert set(verdict.possible) == {"mandatory", "refusable"}
    assert "offence.max_penalty_years" in verdict.depends_on


# -- Art. 11(2) with Art. 10(2)(e): subscriber identification ----------------------------

def test_art11_2_no_dual_criminality_is_no_ground_against_identifying_an_ip_subscriber(kb):
    verdict = eio(kb, measure="subscriber_information", facts={"no_dual_criminality": True})
    assert verdict.status == "mandatory"
    assert verdict.grounds == ()
    assert "eu_eio.art11.2" in ids(verdict)


def test_art11_2_an_offence_list_restriction_is_no_ground_against_identifying_a_subscriber(kb):
    verdict = eio(kb, measure="subscriber_information", facts={"domestic_law_prohibits": True})
    assert verdict.status == "mandatory"
    assert "eu_eio.art11.2" in ids(verdict)


def test_art11_2_leaves_the_other_grounds_against_identifying_a_subscriber(kb):
    verdict = eio(kb, measure="subscriber_information",
                  facts={"no_dual_criminality": True, "human_rights_risk": True})
    assert verdict.status == "refusable"
    assert verdict.grounds == ("human_rights_risk",)
    assert "eu_eio.art11.1.f" in ids(verdict)


def test_art11_2_does_not_reach_traffic_data_which_is_no_art10_2_measure(kb):
    verdict = eio(kb, measure="traffic_data_disclosure", facts={"no_dual_criminality": True})
    assert verdict.status == "refusable"
    assert "eu_eio.art11.2" not in ids(verdict)


# -- Art. 4 and Art. 11(1)(c): administrative proceedings ----------------------------------

def test_art4_an_eio_issued_in_administrative_proceedings_is_within_the_directive(kb):
    verdict = eio(kb, facts={"non_criminal_proceedings": True})
    assert verdict.status == "mandatory"
    assert verdict.grounds == ()
    assert {"eu_eio.art3.scope", "eu_eio.art1.2"} <= ids(verdict)


def test_art11_1_c_administrative_proceedings_for_a_measure_not_authorised_domestically(kb):
    verdict = eio(kb, measure="subscriber_information",
                  facts={"non_criminal_proceedings": True, "not_available_domestically": True})
    assert verdict.status == "refusable"
    assert verdict.grounds == ("administrative_proceedings_not_authorised",)
    assert verdict.obligatory_grounds == ()
    assert "eu_eio.art11.1.c" in ids(verdict)


@pytest.mark.parametrize("facts", [{"non_criminal_proceedings": True},
                                   {"not_available_domestically": True}])
def test_art11_1_c_needs_both_administrative_proceedings_and_no_domestic_authorisation(
        kb, facts):
    verdict = eio(kb, measure="subscriber_information", facts=facts)
    assert verdict.status == "mandatory"
    assert verdict.grounds == ()


def test_art11_1_c_open_world_unknown_proceedings_decide_a_subscriber_check(kb):
    verdict = eio(kb, measure="subscriber_information", closed_world=False,
                  facts={"not_available_domestically": True, "contrary_to_legal_system": False,
                         "essential_interests": False, "ne_bis_in_idem": False,
                         "human_rights_risk": False, "committed_in_requested_state": False})
    assert verdict.status == "undetermined"
    assert set(verdict.possible) == {"mandatory", "refusable"}
    assert verdict.depends_on == ("non_criminal_proceedings",)


# -- Art. 11(1)(e): territoriality ---------------------------------------------------------

def test_art11_1_e_territoriality_stays_for_an_annex_d_offence(kb):
    verdict = eio(kb, measure="stored_data_access",
                  offence={"category": "computer_fraud", "max_penalty_years": 5},
                  facts={"committed_in_requested_state": True, "no_dual_criminality": True})
    assert verdict.status == "refusable"
    assert verdict.grounds == ("territoriality_no_dual_criminality",)
    assert verdict.obligatory_grounds == ()
    assert "eu_eio.art11.1.e" in ids(verdict)


def test_art11_1_e_territoriality_stays_against_identifying_a_subscriber_despite_art11_2(kb):
    verdict = eio(kb, measure="subscriber_information",
                  facts={"committed_in_requested_state": True, "no_dual_criminality": True})
    assert verdict.status == "refusable"
    assert verdict.grounds == ("territoriality_no_dual_criminality",)
    assert "eu_eio.art11.1.e" in ids(verdict)


def test_art11_1_e_gives_a_ground_beside_point_g_outside_annex_d(kb):
    verdict = eio(kb, measure="stored_data_access",
                  facts={"committed_in_requested_state": True, "no_dual_criminality": True})
    assert verdict.status == "refusable"
    assert set(verdict.grounds) == {"territoriality_no_dual_criminality", "no_dual_criminality"}


@pytest.mark.parametrize("facts", [
    {"committed_in_requested_state": False, "no_dual_criminality": True},
    {"committed_in_requested_state": True, "no_dual_criminality": False},
])
def test_art11_1_e_needs_conduct_in_the_executing_state_that_is_no_offence_there(kb, facts):
    verdict = eio(kb, measure="stored_data_access",
                  offence={"category": "computer_fraud", "max_penalty_years": 5}, facts=facts)
    assert verdict.status == "mandatory"
    assert verdict.grounds == ()


def test_art11_1_e_open_world_where_the_conduct_took_place_decides_an_annex_d_case(kb):
    verdict = eio(kb, measure="stored_data_access", closed_world=False,
                  offence={"category": "computer_fraud", "max_penalty_years": 5},
                  facts={"no_dual_criminality": True, "contrary_to_legal_system": False,
                         "essential_interests": False, "ne_bis_in_idem": False,
                         "human_rights_risk": False, "domestic_law_prohibits": False,
                         "not_available_domestically": False})
    assert verdict.status == "undetermined"
    assert set(verdict.possible) == {"mandatory", "refusable"}
    assert verdict.depends_on == ("committed_in_requested_state",)


# -- Art. 11(1): "may be refused" ------------------------------------------------------------

@pytest.mark.parametrize(("measure", "facts"), [
    ("stored_data_access", {"contrary_to_legal_system": True}),
    ("stored_data_access", {"essential_interests": True}),
    ("subscriber_information", {"non_criminal_proceedings": True,
                                "not_available_domestically": True}),
    ("stored_data_access", {"ne_bis_in_idem": True}),
    ("stored_data_access", {"committed_in_requested_state": True, "no_dual_criminality": True}),
    ("stored_data_access", {"human_rights_risk": True}),
    ("stored_data_access", {"no_dual_criminality": True}),
    ("stored_data_access", {"domestic_law_prohibits": True}),
    ("content_interception", {"not_available_domestically": True}),
])
def test_art11_1_and_art30_5_grounds_are_optional_never_obligatory(kb, measure, facts):
    verdict = eio(kb, measure=measure, facts=facts)
    assert verdict.status == "refusable"
    assert verdict.obligatory_grounds == ()
    assert not verdict.must_refuse


# -- Art. 10(1), (2) and (5): a measure not available domestically -------------------------

@pytest.mark.parametrize("measure", ["evidence_collection", "stored_data_access",
                                     "traffic_data_disclosure", "expedited_preservation",
                                     "encryption_key_disclosure"])
def test_art10_1_and_5_a_measure_not_available_domestically_is_not_carried_out_as_indicated(
        kb, measure):
    verdict = eio(kb, measure=measure, facts={"not_available_domestically": True})
    assert verdict.status == "refusable"
    assert verdict.grounds == ("indicated_measure_unavailable",)
    assert verdict.obligatory_grounds == ("indicated_measure_unavailable",)
    assert "eu_eio.art10.1" in ids(verdict)


def test_art10_1_decides_nothing_when_the_measure_is_available_domestically(kb):
    verdict = eio(kb, measure="stored_data_access", facts={"not_available_domestically": False})
    assert verdict.status == "mandatory"
    assert verdict.obligatory_grounds == ()


def test_art10_2_identifying_an_ip_subscriber_must_always_be_available(kb):
    verdict = eio(kb, measure="subscriber_information", facts={"not_available_domestically": True})
    assert verdict.status == "mandatory"
    assert verdict.grounds == ()
    assert "eu_eio.art10.2" in ids(verdict)


@pytest.mark.parametrize("measure", ["content_interception", "realtime_traffic_collection"])
def test_art10_leaves_interception_not_authorised_domestically_to_art30_5(kb, measure):
    verdict = eio(kb, measure=measure, facts={"not_available_domestically": True})
    assert verdict.grounds == ("not_available_domestically",)
    assert verdict.obligatory_grounds == ()
    assert "eu_eio.art10.1" not in ids(verdict)


# -- Art. 30(5): interception ----------------------------------------------------------------

@pytest.mark.parametrize("measure", ["content_interception", "realtime_traffic_collection"])
def test_art30_5_interception_may_be_refused_where_not_authorised_in_a_similar_domestic_case(
        kb, measure):
    verdict = eio(kb, measure=measure, facts={"not_available_domestically": True})
    assert verdict.status == "refusable"
    assert verdict.grounds == ("not_available_domestically",)
    assert "eu_eio.art30.5" in ids(verdict)


def test_art30_5_interception_authorised_domestically_is_mandatory(kb):
    verdict = eio(kb, measure="content_interception", facts={"not_available_domestically": False})
    assert verdict.status == "mandatory"
    assert "eu_eio.art30.5" not in ids(verdict)


@pytest.mark.parametrize("measure", ["content_interception", "realtime_traffic_collection"])
def test_art30_5_agrees_with_budapest_on_interception_not_available_domestically(kb, measure):
    result = kb.evaluate(
        make_request("DE", "FR", measure, DATE,
                     offence={"category": "illegal_access", "max_penalty_years": 5},
                     facts={"not_available_domestically": True}),
        closed_world=True)
    assert result["eu_eio"].status == result["budapest"].status == "refusable"
    assert result["eu_eio"].grounds == ("not_available_domestically",)
    assert "not_available_domestically" in result["budapest"].grounds


@pytest.mark.parametrize("measure", ["content_interception", "realtime_traffic_collection"])
def test_art11_1_h_reaches_interception_restricted_to_listed_offences(kb, measure):
    verdict = eio(kb, measure=measure, facts={"domestic_law_prohibits": True})
    assert verdict.status == "refusable"
    assert verdict.grounds == ("domestic_law_prohibits",)
    assert "eu_eio.art11.1.h" in ids(verdict)
    assert "eu_eio.art30.5" not in ids(verdict)
