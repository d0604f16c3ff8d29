"""European Convention on Mutual Assistance in Criminal Matters (ETS 30) with its 1978 and
2001 Protocols: every rule of specs/ecma_1959.yaml, where it decides the verdict and where
it does not.

Requests are read in the closed world unless the test name says otherwise. CH -> NO is the
default pair: both are Parties with dates, both are bound by the 2001 Protocol, neither is
bound by the EIO, and Norway's Art. 5 declaration is on record. Pairs and dates chosen for
the Protocols: Armenia is bound by the 1959 Convention from 2002-04-25, by the 1978 Protocol
only from 2004-06-21 and by the 2001 Protocol only from 2011-04-01; Poland and Lithuania are
bound by the 1959 Convention and the 1978 Protocol, and by the EIO only from 2017-05-22.
Reservations on record, for the Art. 5 and Art. 2 tests: Switzerland (Art. 5, every coercive
measure on dual criminality, from 1967-03-20; Art. 2, speciality, from 1996-12-13), Albania and
San Marino (Art. 5(1)(a) and (c)), Armenia and Russia (Art. 2, extra grounds). Germany and the
United Kingdom are undated Parties, bound from the data's as-of date (2023-03-24); Russia is
asked on 2021-06-01, before its expulsion from the Council of Europe, to keep that question out.
"""

from __future__ import annotations

from typing import Any

import pytest

import coop_logic
from tests.helpers import ids, make_request

DATE = "2026-06-01"
LETTERS_ROGATORY = ["evidence_collection", "stored_data_access", "subscriber_information",
                    "traffic_data_disclosure", "realtime_traffic_collection",
                    "content_interception", "encryption_key_disclosure"]
ALL_COVERED = [*LETTERS_ROGATORY, "expedited_preservation"]
# The letters rogatory that require a coercive measure (docs/modelling.md, 1959 Convention):
# Switzerland's Art. 5 reservation reaches all of them, the search-and-seizure declarations
# only stored_data_access.
COERCIVE = ["stored_data_access", "subscriber_information", "traffic_data_disclosure",
            "realtime_traffic_collection", "content_interception", "encryption_key_disclosure"]
COERCIVE_BEYOND_SEARCH = [m for m in COERCIVE if m != "stored_data_access"]
RU_DATE = "2021-06-01"


def ecma(kb: coop_logic.KnowledgeBase, requesting: str = "CH", requested: str = "NO",
         measure: str = "evidence_collection", date: str = DATE,
         closed_world: bool = True, **request: Any) -> coop_logic.Verdict:
    result = kb.evaluate(make_request(requesting, requested, measure, date, **request),
                         closed_world=closed_world)
    return result["ecma_1959"]



# -- Art. 1: scope ----------------------------------------------------------------------

def test_a_swiss_request_to_norway_for_evidence_is_mandatory_under_art3_1(kb):
    verdict = ecma(kb)
    assert verdict.status == "mandatory"
    assert verdict.grounds == ()
    assert {"ecma_1959.art1.scope", "ecma_1959.art3.1"} <= ids(verdict)


@pytest.mark.parametrize("measure", ALL_COVERED)
def test_art1_scope_covers_every_mutual_assistance_measure_for_an_ordinary_offence(kb, measure):
    verdict = ecma(kb, measure=measure)
    assert verdict.status in {"mandatory", "discretionary"}
    assert "ecma_1959.art1.scope" in ids(verdict)


def test_art1_2_puts_an_offence_under_military_law_only_outside_the_convention(kb):
    verdict = ecma(kb, facts={"military_offence": True})
    assert verdict.status == "not_applicable"
    assert verdict.grounds == ()
    assert "ecma_1959.art1.scope" in ids(verdict)
    assert "military_offence" in ids(verdict)


@pytest.mark.parametrize("measure", ["extradition", "data_retention", "contact_point_assistance"])
def test_art1_scope_leaves_extradition_retention_and_the_24_7_network_outside(kb, measure):
    # No scope rule names these measures, so the trace rests on the measure alone.
    verdict = ecma(kb, measure=measure)
    assert verdict.status == "not_applicable"
    assert "measure" in ids(verdict)
    assert "ecma_1959.art1.scope" not in ids(verdict)


def test_art1_the_convention_does_not_apply_to_a_non_party_such_as_the_united_states(kb):
    verdict = ecma(kb, requested="US")
    assert verdict.status == "not_applicable"
    assert "party:ecma_1959:US" in ids(verdict)


# -- Art. 1(3) as replaced by ETS 182 Art. 1: administrative proceedings -------------------

@pytest.mark.parametrize("measure", ["evidence_collection", "stored_data_access"])
def test_ets182_art1_3_makes_assistance_in_administrative_proceedings_discretionary(kb, measure):
    verdict = ecma(kb, measure=measure, facts={"non_criminal_proceedings": True})
    assert verdict.status == "discretionary"
    assert verdict.grounds == ()
    assert {"ecma_1959.ap2001.art1.3.scope", "ecma_1959.ap2001.art1.3"} <= ids(verdict)


def test_art1_1_leaves_administrative_proceedings_outside_before_armenia_was_bound_by_ets182(kb):
    verdict = ecma(kb, "CH", "AM", date="2009-06-01", facts={"non_criminal_proceedings": True})
    assert verdict.status == "not_applicable"
    assert {"non_criminal_proceedings",
            "party:ecma_1959.second_additional_protocol_2001:AM"} <= ids(verdict)


def test_ets182_art1_3_does_not_touch_criminal_proceedings_between_its_parties(kb):
    verdict = ecma(kb, facts={"non_criminal_proceedings": False})
    assert verdict.status == "mandatory"
    assert "ecma_1959.ap2001.art1.3" not in ids(verdict)


# -- Art. 1(1) and ETS 182 Art. 24: preservation ----------------------------------------

def test_art1_1_makes_preservation_mandatory_where_the_2001_protocol_does_not_bind_the_pair(kb):
    verdict = ecma(kb, "CH", "AM", "expedited_preservation", date="2009-06-01")
    assert verdict.status == "mandatory"
    assert "ecma_1959.art1.1" in ids(verdict)


def test_ets182_art24_makes_preservation_discretionary_between_parties_to_the_2001_protocol(kb):
    verdict = ecma(kb, measure="expedited_preservation")
    assert verdict.status == "discretionary"
    assert verdict.grounds == ()
    assert "ecma_1959.ap2001.art24" in ids(verdict)


def test_ets182_art24_does_not_touch_letters_rogatory_between_parties_to_the_2001_protocol(kb):
    verdict = ecma(kb, measure="stored_data_access")
    assert verdict.status == "mandatory"
    assert "ecma_1959.ap2001.art24" not in ids(verdict)


# -- Art. 2: refusal grounds ------------------------------------------------------------

def test_art2_a_lets_norway_refuse_a_request_about_a_political_offence(kb):
    verdict = ecma(kb, facts={"political_offence": True})
    assert verdict.status == "refusable"
    assert verdict.grounds == ("political_offence",)
    assert "ecma_1959.art2.a" in ids(verdict)


def test_art2_a_lets_armenia_refuse_a_fiscal_offence_before_it_was_bound_by_the_1978_protocol(kb):
    verdict = ecma(kb, "CH", "AM", date="2003-06-01", facts={"fiscal_offence": True})
    assert verdict.status == "refusable"
    assert verdict.grounds == ("fiscal_offence",)
    assert "ecma_1959.art2.a" in ids(verdict)


def test_art2_b_lets_norway_refuse_to_protect_its_essential_interests(kb):
    verdict = ecma(kb, measure="stored_data_access", facts={"essential_interests": True})
    assert verdict.status == "refusable"
    assert verdict.grounds == ("essential_interests",)
    assert "ecma_1959.art2.b" in ids(verdict)


@pytest.mark.parametrize("fact", ["death_penalty_risk", "human_rights_risk", "ne_bis_in_idem",
                                  "discriminatory_purpose", "person_is_national",
                                  "bank_secrecy_only", "prosecution_pending", "statute_barred",
                                  "amnesty", "committed_in_requested_state"])
def test_art2_lists_no_other_ground_so_other_facts_leave_the_request_mandatory(kb, fact):
    # Asked of Switzerland, whose only Art. 2 reservation (speciality) adds no ground; Norway,
    # Armenia and Russia reserved extra grounds (docs/modelling.md).
    verdict = ecma(kb, "NO", "CH", facts={fact: True})
    assert verdict.status == "mandatory"
    assert verdict.grounds == ()


# -- 1978 Protocol, Art. 1: fiscal offences ---------------------------------------------

def test_ets99_art1_removes_the_fiscal_ground_between_poland_and_lithuania(kb):
    verdict = ecma(kb, "PL", "LT", date="2010-06-01", facts={"fiscal_offence": True})
    assert verdict.status == "mandatory"
    assert verdict.grounds == ()
    assert "ecma_1959.ap1978.art1" in ids(verdict)


def test_ets99_art1_removes_the_fiscal_ground_only_so_a_political_offence_stays_refusable(kb):
    verdict = ecma(kb, "PL", "LT", date="2010-06-01",
                   facts={"fiscal_offence": True, "political_offence": True})
    assert verdict.status == "refusable"
    assert verdict.grounds == ("political_offence",)
    assert "ecma_1959.art2.a" in ids(verdict)


def test_ets99_art1_open_world_fiscal_request_to_norway_turns_on_the_1978_protocol(kb):
    # Neither Switzerland nor Norway is on the (partial) list of Parties to the 1978 Protocol.
    verdict = ecma(kb, facts={"fiscal_offence": True})
    assert verdict.status == "undetermined"
    assert set(verdict.possible) == {"mandatory", "refusable"}
    assert set(verdict.depends_on) <= {"party:ecma_1959.additional_protocol_1978:CH",
                                       "party:ecma_1959.additional_protocol_1978:NO"}
    assert verdict.depends_on


# -- Art. 3(1): letters rogatory --------------------------------------------------------

@pytest.mark.parametrize("measure", LETTERS_ROGATORY)
def test_art3_1_obliges_norway_to_execute_letters_rogatory_for_evidence(kb, measure):
    verdict = ecma(kb, measure=measure)
    assert verdict.status == "mandatory"
    assert "ecma_1959.art3.1" in ids(verdict)


@pytest.mark.parametrize("fact", ["domestic_law_prohibits", "not_available_domestically"])
@pytest.mark.parametrize("measure", ["realtime_traffic_collection", "content_interception",
                                     "encryption_key_disclosure"])
def test_art3_1_execution_under_domestic_law_lets_norway_refuse_a_measure_its_law_does_not_give(
        kb, measure, fact):
    verdict = ecma(kb, measure=measure, facts={fact: True})
    assert verdict.status == "refusable"
    assert verdict.grounds == (fact,)
    assert "ecma_1959.art3.1.law" in ids(verdict)


@pytest.mark.parametrize("fact", ["domestic_law_prohibits", "not_available_domestically"])
def test_art3_1_domestic_prohibition_is_no_ground_for_ordinary_evidence(kb, fact):
    verdict = ecma(kb, facts={fact: True})
    assert verdict.status == "mandatory"
    assert verdict.grounds == ()


# -- Art. 5: declarations on search and seizure -----------------------------------------

def test_art5_norway_declaration_allows_refusing_a_search_without_dual_criminality(kb):
    verdict = ecma(kb, measure="stored_data_access", facts={"no_dual_criminality": True})
    assert verdict.status == "refusable"
    assert verdict.grounds == ("no_dual_criminality",)
    assert {"ecma_1959.art5", "reservation:ecma_1959:art5_search:NO"} <= ids(verdict)


def test_art5_1_c_norway_declaration_allows_refusing_a_search_its_law_forbids(kb):
    verdict = ecma(kb, measure="stored_data_access", facts={"domestic_law_prohibits": True})
    assert verdict.status == "refusable"
    assert verdict.grounds == ("domestic_law_prohibits",)
    assert {"ecma_1959.art5.c", "reservation:ecma_1959:art5_search_law:NO"} <= ids(verdict)


def test_art5_albania_declaration_also_counts_as_a_declaration_under_art5(kb):
    verdict = ecma(kb, "CH", "AL", "stored_data_access", facts={"no_dual_criminality": True})
    assert verdict.status == "refusable"
    assert "ecma_1959.art5" in ids(verdict)


@pytest.mark.parametrize("fact", ["no_dual_criminality", "domestic_law_prohibits"])
def test_art5_1_a_and_c_san_marino_declaration_allows_refusing_a_search(kb, fact):
    verdict = ecma(kb, "CH", "SM", "stored_data_access", facts={fact: True})
    assert verdict.status == "refusable"
    assert verdict.grounds == (fact,)
    rule, declaration = {"no_dual_criminality": ("ecma_1959.art5", "art5_search"),
                         "domestic_law_prohibits": ("ecma_1959.art5.c", "art5_search_law")}[fact]
    assert {rule, f"reservation:ecma_1959:{declaration}:SM"} <= ids(verdict)


def test_art5_san_marino_declaration_did_not_bind_before_san_marino_was_a_party_in_2009(kb):
    verdict = ecma(kb, "CH", "SM", "stored_data_access", date="2009-01-01",
                   facts={"no_dual_criminality": True})
    assert verdict.status == "not_applicable"
    assert "party:ecma_1959:SM" in ids(verdict)


def test_art5_does_not_reach_letters_rogatory_that_are_no_search_or_seizure(kb):
    # Switzerland: its Art. 5 declaration covers coercive measures, its Art. 2 reservation
    # (speciality) adds no ground, so plain evidence needing no coercion stays owed.
    verdict = ecma(kb, "NO", "CH", facts={"no_dual_criminality": True})
    assert verdict.status == "mandatory"
    assert verdict.grounds == ()
    assert "ecma_1959.art5" not in ids(verdict)


def test_art5_open_world_a_search_in_the_netherlands_turns_on_its_unrecorded_declaration(kb):
    verdict = ecma(kb, "NO", "NL", "stored_data_access", facts={"no_dual_criminality": True})
    assert verdict.status == "undetermined"
    assert set(verdict.possible) == {"mandatory", "refusable"}
    # Whether it declared (a) for searches, (a) for every coercive measure, or made an
    # Art. 23 reservation adding dual criminality to Art. 2: the data records none of it.
    assert verdict.depends_on == ("reservation:ecma_1959:art5_search:NL",
                                  "reservation:ecma_1959:art5_coercive:NL",
                                  "reservation:ecma_1959:art2_dual_criminality:NL")


def test_art5_switzerland_reservation_allows_refusing_a_german_search_without_dual_criminality(
        kb):
    verdict = ecma(kb, "DE", "CH", "stored_data_access", facts={"no_dual_criminality": True})
    assert verdict.status == "refusable"
    assert verdict.grounds == ("no_dual_criminality",)
    assert {"ecma_1959.art5.coercive", "reservation:ecma_1959:art5_coercive:CH"} <= ids(verdict)


def test_art5_switzerland_reservation_gives_no_ground_for_evidence_needing_no_coercion(kb):
    verdict = ecma(kb, "DE", "CH", facts={"no_dual_criminality": True})
    assert verdict.status == "mandatory"
    assert verdict.grounds == ()
    assert "ecma_1959.art5" not in ids(verdict)


@pytest.mark.parametrize("measure", COERCIVE_BEYOND_SEARCH)
def test_art5_switzerland_reservation_allows_refusing_every_coercive_measure_without_dual_criminality(
        kb, measure):
    verdict = ecma(kb, "DE", "CH", measure, facts={"no_dual_criminality": True})
    assert verdict.status == "refusable"
    assert verdict.grounds == ("no_dual_criminality",)
    assert {"ecma_1959.art5.coercive", "reservation:ecma_1959:art5_coercive:CH"} <= ids(verdict)


def test_art5_switzerland_reservation_names_only_dual_criminality_so_its_law_is_no_ground_for_a_search(
        kb):
    verdict = ecma(kb, "DE", "CH", "stored_data_access", facts={"domestic_law_prohibits": True})
    assert verdict.status == "mandatory"
    assert verdict.grounds == ()


@pytest.mark.parametrize("requested", ["AL", "SM", "NO"])
@pytest.mark.parametrize("measure", COERCIVE_BEYOND_SEARCH)
def test_art5_search_and_seizure_declarations_give_no_dual_criminality_ground_beyond_a_search(
        kb, requested, measure):
    verdict = ecma(kb, "CH", requested, measure, facts={"no_dual_criminality": True})
    # Their Art. 5 declarations concern searches only: what remains open is whether the State
    # added dual criminality to Art. 2 by an Art. 23 reservation, which the data does not
    # record for these States (Norway's Art. 2 text is cut off in the source).
    assert verdict.status == "undetermined"
    assert set(verdict.possible) == {"mandatory", "refusable"}
    assert verdict.depends_on == (f"reservation:ecma_1959:art2_dual_criminality:{requested}",)
    assert not {"ecma_1959.art5", "ecma_1959.art5.coercive"} & ids(verdict)


# -- Art. 23: reservations to Art. 2 ------------------------------------------------------

@pytest.mark.parametrize("fact", ["ne_bis_in_idem", "prosecution_pending", "statute_barred"])
def test_art2_swiss_speciality_reservation_is_a_condition_on_use_and_adds_no_refusal_ground(
        kb, fact):
    verdict = ecma(kb, "DE", "CH", facts={fact: True})
    assert verdict.status == "mandatory"
    assert verdict.grounds == ()


@pytest.mark.parametrize("fact", ["ne_bis_in_idem", "prosecution_pending", "statute_barred"])
def test_art23_russian_reservation_adds_refusal_grounds_to_art2(kb, fact):
    verdict = ecma(kb, "CH", "RU", date=RU_DATE, facts={fact: True})
    assert verdict.status == "refusable"
    assert verdict.grounds == (fact,)
    assert any(step_id.startswith("reservation:ecma_1959:") and step_id.endswith(":RU")
               for step_id in ids(verdict))


def test_art23_russian_reservation_adds_no_dual_criminality_ground_to_art2(kb):
    verdict = ecma(kb, "CH", "RU", date=RU_DATE, facts={"no_dual_criminality": True})
    assert verdict.status == "mandatory"
    assert verdict.grounds == ()


@pytest.mark.parametrize("fact", ["no_dual_criminality", "prosecution_pending", "ne_bis_in_idem"])
def test_art23_armenian_reservation_adds_refusal_grounds_to_art2(kb, fact):
    verdict = ecma(kb, "CH", "AM", facts={fact: True})
    assert verdict.status == "refusable"
    assert verdict.grounds == (fact,)
    assert any(step_id.startswith("reservation:ecma_1959:") and step_id.endswith(":AM")
               for step_id in ids(verdict))


def test_art23_armenian_reservation_adds_no_statute_of_limitations_ground_to_art2(kb):
    verdict = ecma(kb, "CH", "AM", facts={"statute_barred": True})
    assert verdict.status == "mandatory"
    assert verdict.grounds == ()


# -- 2001 Protocol, Art. 11: spontaneous information -------------------------------------

def test_ets182_art11_spontaneous_information_is_discretionary_between_its_parties(kb):
    verdict = ecma(kb, measure="information_sharing")
    assert verdict.status == "discretionary"
    assert verdict.grounds == ()
    assert {"ecma_1959.ap2001.art11.scope", "ecma_1959.ap2001.art11",
            "party:ecma_1959.second_additional_protocol_2001:NO"} <= ids(verdict)


def test_ets182_art11_does_not_reach_an_offence_under_military_law_only(kb):
    # Convention Art. 1(2) bounds the Protocol too (property military_offences_outside).
    verdict = ecma(kb, measure="information_sharing", facts={"military_offence": True})
    assert verdict.status == "not_applicable"
    assert "ecma_1959.ap2001.art11" not in ids(verdict)


def test_ets182_art11_does_not_apply_before_armenia_was_bound_by_the_2001_protocol(kb):
    verdict = ecma(kb, "CH", "AM", "information_sharing", date="2009-06-01")
    assert verdict.status == "not_applicable"
    assert "ecma_1959.ap2001.art11.scope" in ids(verdict)


# -- EIO Art. 34: displacement between Member States bound by the EIO --------------------

def test_eio_art34_displaces_the_convention_for_a_german_request_to_france(kb):
    result = kb.evaluate(make_request("DE", "FR", "evidence_collection", DATE), closed_world=True)
    verdict = result["ecma_1959"]
    assert verdict.status == "not_applicable"
    assert verdict.grounds == ()
    assert "ecma_1959.eio.art34" in ids(verdict)
    assert result["eu_eio"].status == "mandatory"


def test_eio_art34_does_not_displace_the_convention_between_eu_states_before_22_may_2017(kb):
    verdict = ecma(kb, "NL", "PL", date="2016-06-01")
    assert verdict.status == "mandatory"
    assert "ecma_1959.eio.art34" not in ids(verdict)


def test_eio_art34_displaces_the_convention_between_the_same_eu_states_after_22_may_2017(kb):
    verdict = ecma(kb, "NL", "PL")
    assert verdict.status == "not_applicable"
    assert "ecma_1959.eio.art34" in ids(verdict)


def test_eio_art34_leaves_spontaneous_information_between_germany_and_france_to_ets182(kb):
    verdict = ecma(kb, "DE", "FR", "information_sharing")
    assert verdict.status == "discretionary"
    assert "ecma_1959.eio.art34" not in ids(verdict)


def test_eio_art34_does_not_displace_the_convention_for_ireland_which_is_outside_the_eio(kb):
    verdict = ecma(kb, "DE", "IE")
    assert verdict.status == "mandatory"
    assert "ecma_1959.eio.art34" not in ids(verdict)


# -- The Convention as an mla_treaty for Budapest and UNTOC ------------------------------

def test_the_convention_puts_untoc_on_its_art18_7_treaty_branch_between_switzerland_and_norway(kb):
    # UNTOC Art. 18(7): the 1959 Convention binds both, so its grounds (Art. 2(a): political
    # offence) replace those of UNTOC Art. 18(21), which has none for a political offence.
    offence = {"category": "fraud", "max_penalty_years": 5, "transnational": True,
               "organized_criminal_group": True}
    result = kb.evaluate(make_request("CH", "NO", "evidence_collection", DATE, offence=offence,
                                      facts={"political_offence": True}), closed_world=True)
    assert result["untoc"].status == "refusable"
    assert "untoc.art18.7" in ids(result["untoc"])
    assert result["ecma_1959"].status == "refusable"
    assert result["ecma_1959"].grounds == ("political_offence",)


def test_the_convention_switches_budapest_art25_4_to_its_treaty_branch_for_switzerland_and_norway(
        kb):
    result = kb.evaluate(make_request("CH", "NO", "stored_data_access", DATE,
                                      offence={"category": "illegal_access"},
                                      facts={"political_offence": True}), closed_world=True)
    assert result["budapest"].status == "refusable"
    assert "budapest.art25.4.treaty" in ids(result["budapest"])
