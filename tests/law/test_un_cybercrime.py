"""UN Convention against Cybercrime (2024): specs/un_cybercrime.yaml.

The Convention is not in force: with the bundled party data every verdict is
not_applicable and cites the party data. The rules are exercised on a knowledge base whose
party data is overridden by a small file putting the Convention in force for FR, US and BR
(UN_IN_FORCE below); BR holds, in the fixture, the Art. 42(4) reservation. Requests are
dated 2026-06-01 and read in the closed world; FR -> US is the default pair.

Every rule citing Chapter V is encoded from the digest (text_verified false); Art. 6 was
read in the Arabic text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import coop_logic
from coop_logic import PartyStep
from tests.helpers import ids, make_request

UN_IN_FORCE = """\
instrument: un_cybercrime
as_of: 2026-01-01
completeness: complete
instrument_in_force: true
sources:
  - {url: https://example.org/un-cybercrime-in-force, note: 'Test fixture: the Convention put in force.'}
parties:
  - {state: FR, name: France, in_force: 2026-01-01}
  - {state: US, name: United States, in_force: 2026-01-01}
  - {state: BR, name: Brazil, in_force: 2026-01-01}
reservations:
  - {state: BR, article: '42(4)', summary: 'Test fixture: dual criminality for preservation.'}
reservations_completeness: complete
"""

ILLEGAL_ACCESS = {"category": "illegal_access"}
# Electronic evidence of a serious crime (Art. 2(h): at least four years) outside Arts. 7-17.
SERIOUS_E_FRAUD = {"category": "fraud", "electronic_evidence": True, "max_penalty_years": 5}
MLA_MEASURES = ["expedited_preservation", "traffic_data_disclosure", "stored_data_access",
                "subscriber_information", "realtime_traffic_collection",
                "content_interception", "encryption_key_disclosure", "evidence_collection"]
ART40_21 = ["request_defective", "essential_interests", "domestic_law_prohibits",
            "contrary_to_legal_system"]


@pytest.fixture(scope="module")
def kb_un(tmp_path_factory: pytest.TempPathFactory, load_kb: Any) -> coop_logic.KnowledgeBase:
    path: Path = tmp_path_factory.mktemp("un") / "un_cybercrime_in_force.yaml"
    path.write_text(UN_IN_FORCE, encoding="utf-8")
    return load_kb(parties=[path])


def un(kb: coop_logic.KnowledgeBase, *, requesting: str = "FR", requested: str = "US",
       **request: Any) -> coop_logic.Verdict:
    req = make_request(requesting=requesting, requested=requested, **request)
    return kb.evaluate(req, closed_world=True)["un_cybercrime"]



# -- Not in force: the bundled party data ------------------------------------------------


@pytest.mark.parametrize("measure", ["stored_data_access", "expedited_preservation",
                                     "contact_point_assistance"])
def test_un_convention_not_in_force_makes_every_request_not_applicable_citing_the_party_data(
        kb, measure):
    v = un(kb, measure=measure, offence=ILLEGAL_ACCESS)
    assert v.status == "not_applicable"
    party = [s for s in v.trace if isinstance(s, PartyStep)]
    assert party and party[0].instrument == "un_cybercrime" and party[0].value is False
    assert "not in force" in party[0].basis


def test_un_convention_not_in_force_even_for_qatar_listed_as_ratifying(kb):
    v = un(kb, requesting="QA", requested="FR", measure="stored_data_access",
           offence=ILLEGAL_ACCESS)
    assert v.status == "not_applicable"
    assert "party:un_cybercrime:QA" in ids(v) or "party:un_cybercrime:FR" in ids(v)
    data = kb.instruments["un_cybercrime"].parties
    assert data.instrument_in_force is False
    assert "QA" in data.entries


# -- Arts. 2(h), 3(b), 35(1) and 40(1): scope ----------------------------------------------


def test_art35_1_scope_covers_a_convention_offence(kb_un):
    v = un(kb_un, measure="stored_data_access", offence=ILLEGAL_ACCESS)
    assert v.status == "mandatory"
    assert "un_cybercrime.art35.1" in ids(v)


def test_art35_1_c_scope_covers_electronic_evidence_of_a_serious_crime_of_four_years(kb_un):
    v = un(kb_un, measure="stored_data_access",
           offence={**SERIOUS_E_FRAUD, "max_penalty_years": 4})
    assert v.status == "mandatory"
    assert "un_cybercrime.art35.1" in ids(v)


def test_art2_h_a_crime_punishable_by_three_years_is_not_serious_so_outside_the_convention(
        kb_un):
    v = un(kb_un, measure="stored_data_access",
           offence={**SERIOUS_E_FRAUD, "max_penalty_years": 3})
    assert v.status == "not_applicable"
    assert {"un_cybercrime.art35.1", "offence.max_penalty_years"} <= ids(v)


def test_art35_1_c_serious_crime_without_electronic_evidence_is_outside_the_convention(kb_un):
    v = un(kb_un, measure="evidence_collection",
           offence={"category": "fraud", "max_penalty_years": 10})
    assert v.status == "not_applicable"
    assert "offence.electronic_evidence" in ids(v)


def test_art35_1_copyright_infringement_is_no_convention_offence_unlike_budapest(kb_un):
    v = un(kb_un, measure="stored_data_access",
           offence={"category": "copyright_infringement", "max_penalty_years": 2})
    assert v.status == "not_applicable"
    assert "un_cybercrime.art35.1" in ids(v)


def test_art35_1_scope_does_not_decide_when_the_requested_state_is_no_party(kb_un):
    v = un(kb_un, requested="CN", measure="stored_data_access", offence=ILLEGAL_ACCESS)
    assert v.status == "not_applicable"
    assert "party:un_cybercrime:CN" in ids(v)
    assert "un_cybercrime.art35.1" not in ids(v)


# -- Art. 40(1): the general duty ----------------------------------------------------------


@pytest.mark.parametrize("measure", ["evidence_collection", "encryption_key_disclosure"])
def test_art40_1_widest_measure_makes_general_assistance_mandatory(kb_un, measure):
    v = un(kb_un, measure=measure, offence=SERIOUS_E_FRAUD)
    assert v.status == "mandatory"
    assert "un_cybercrime.art40.1" in ids(v)


def test_art40_1_does_not_decide_stored_data_which_art44_governs(kb_un):
    v = un(kb_un, measure="stored_data_access", offence=SERIOUS_E_FRAUD)
    assert v.status == "mandatory"
    assert "un_cybercrime.art44" in ids(v)
    assert "un_cybercrime.art40.1" not in ids(v)


# -- Art. 40(4): spontaneous information ---------------------------------------------------


def test_art40_4_spontaneous_information_is_discretionary(kb_un):
    v = un(kb_un, measure="information_sharing", offence=ILLEGAL_ACCESS)
    assert v.status == "discretionary"
    assert "un_cybercrime.art40.4.scope" in ids(v)


def test_art40_4_does_not_reach_information_on_an_offence_outside_the_convention(kb_un):
    v = un(kb_un, measure="information_sharing", offence={"category": "fraud"})
    assert v.status == "not_applicable"
    assert "un_cybercrime.art40.4.scope" in ids(v)


# -- Art. 40(8): bank secrecy ----------------------------------------------------------------


def test_art40_8_bank_secrecy_alone_leaves_a_request_for_records_mandatory(kb_un):
    v = un(kb_un, measure="evidence_collection", offence=SERIOUS_E_FRAUD,
           facts={"bank_secrecy_only": True})
    assert v.status == "mandatory"
    assert v.grounds == ()


def test_art40_8_does_not_remove_a_ground_of_domestic_law_raised_besides_bank_secrecy(kb_un):
    v = un(kb_un, measure="evidence_collection", offence=SERIOUS_E_FRAUD,
           facts={"bank_secrecy_only": True, "domestic_law_prohibits": True})
    assert v.status == "refusable"
    assert v.grounds == ("domestic_law_prohibits",)


# -- Art. 40(9): dual criminality ------------------------------------------------------------


def test_art40_9_absence_of_dual_criminality_makes_stored_data_access_refusable(kb_un):
    v = un(kb_un, measure="stored_data_access", offence=SERIOUS_E_FRAUD,
           facts={"no_dual_criminality": True})
    assert v.status == "refusable"
    assert v.grounds == ("no_dual_criminality",)
    assert "un_cybercrime.art40.9" in ids(v)


def test_art40_9_does_not_decide_preservation_where_art42_3_excludes_dual_criminality(kb_un):
    v = un(kb_un, measure="expedited_preservation", offence=SERIOUS_E_FRAUD,
           facts={"no_dual_criminality": True})
    assert v.status == "mandatory"
    assert v.grounds == ()


# -- Art. 40(21): refusal grounds ------------------------------------------------------------


@pytest.mark.parametrize("ground", ART40_21)
def test_art40_21_each_ground_makes_mutual_legal_assistance_refusable(kb_un, ground):
    v = un(kb_un, measure="subscriber_information", offence=ILLEGAL_ACCESS, facts={ground: True})
    assert v.status == "refusable"
    assert v.grounds == (ground,)
    assert ids(v) & {"un_cybercrime.art40.21", "un_cybercrime.art42.5"}


def test_art40_21_grounds_do_not_reach_24_7_contact_point_assistance(kb_un):
    v = un(kb_un, measure="contact_point_assistance", offence=ILLEGAL_ACCESS,
           facts={"essential_interests": True, "domestic_law_prohibits": True})
    assert v.status == "mandatory"
    assert v.grounds == ()


# -- Art. 40(22): non-discrimination ---------------------------------------------------------


@pytest.mark.parametrize("measure", ["stored_data_access", "expedited_preservation",
                                     "traffic_data_disclosure"])
def test_art40_22_discriminatory_purpose_makes_assistance_refusable(kb_un, measure):
    v = un(kb_un, measure=measure, offence=ILLEGAL_ACCESS, facts={"discriminatory_purpose": True})
    assert v.status == "refusable"
    assert v.grounds == ("discriminatory_purpose",)


def test_art40_22_does_not_decide_a_request_without_discriminatory_purpose(kb_un):
    v = un(kb_un, measure="stored_data_access", offence=ILLEGAL_ACCESS)
    assert v.status == "mandatory"
    assert "un_cybercrime.art40.22" not in ids(v)


# -- Art. 40(23): fiscal matters ---------------------------------------------------------------


def test_art40_23_fiscal_character_alone_leaves_assistance_mandatory(kb_un):
    v = un(kb_un, measure="stored_data_access",
           offence={"category": "tax_offence", "electronic_evidence": True,
                    "max_penalty_years": 6},
           facts={"fiscal_offence": True})
    assert v.status == "mandatory"
    assert v.grounds == ()


def test_art40_23_does_not_remove_another_ground_of_a_fiscal_case(kb_un):
    v = un(kb_un, measure="stored_data_access",
           offence={"category": "tax_offence", "electronic_evidence": True,
                    "max_penalty_years": 6},
           facts={"fiscal_offence": True, "no_dual_criminality": True})
    assert v.status == "refusable"
    assert v.grounds == ("no_dual_criminality",)


# -- Art. 41: 24/7 network ---------------------------------------------------------------------


def test_art41_24_7_assistance_is_mandatory_with_no_ground(kb_un):
    v = un(kb_un, measure="contact_point_assistance", offence=ILLEGAL_ACCESS,
           facts={"human_rights_risk": True})
    assert v.status == "mandatory"
    assert {"un_cybercrime.art41.scope", "un_cybercrime.art41"} <= ids(v)


def test_art41_does_not_reach_an_ordinary_offence_without_electronic_evidence(kb_un):
    v = un(kb_un, measure="contact_point_assistance",
           offence={"category": "homicide", "max_penalty_years": 20})
    assert v.status == "not_applicable"
    assert "un_cybercrime.art41" not in ids(v)


# -- Art. 42: expedited preservation -------------------------------------------------------------


def test_art42_3_preservation_is_mandatory(kb_un):
    v = un(kb_un, measure="expedited_preservation", offence=SERIOUS_E_FRAUD)
    assert v.status == "mandatory"
    assert "un_cybercrime.art42.3" in ids(v)


def test_art42_3_dual_criminality_is_not_required_for_preservation(kb_un):
    v = un(kb_un, measure="expedited_preservation", offence=SERIOUS_E_FRAUD,
           facts={"no_dual_criminality": True})
    assert v.status == "mandatory"
    assert ids(v) & {"un_cybercrime.art42.3.dc", "un_cybercrime.art42.5"}


def test_art42_4_reservation_lets_the_requested_state_refuse_preservation_for_a_non_convention_offence(
        kb_un):
    v = un(kb_un, requested="BR", measure="expedited_preservation", offence=SERIOUS_E_FRAUD,
           facts={"no_dual_criminality": True})
    assert v.status == "refusable"
    assert v.grounds == ("no_dual_criminality",)
    assert "un_cybercrime.art42.4" in ids(v)
    assert "reservation:un_cybercrime:art42_4:BR" in ids(v)


def test_art42_4_reservation_does_not_reach_a_convention_offence(kb_un):
    v = un(kb_un, requested="BR", measure="expedited_preservation", offence=ILLEGAL_ACCESS,
           facts={"no_dual_criminality": True})
    assert v.status == "mandatory"
    assert v.grounds == ()


def test_art42_4_does_not_decide_for_a_state_without_the_reservation(kb_un):
    v = un(kb_un, measure="expedited_preservation", offence=SERIOUS_E_FRAUD,
           facts={"no_dual_criminality": True})
    assert v.status == "mandatory"
    assert "un_cybercrime.art42.4" not in ids(v)


def test_art42_5_closed_list_keeps_the_art40_21_grounds_for_preservation(kb_un):
    v = un(kb_un, measure="expedited_preservation", offence=SERIOUS_E_FRAUD,
           facts={"essential_interests": True})
    assert v.status == "refusable"
    assert v.grounds == ("essential_interests",)
    assert ids(v) & {"un_cybercrime.art42.5", "un_cybercrime.art40.21"}


@pytest.mark.parametrize("ground", [*ART40_21, "discriminatory_purpose"])
def test_art42_5_each_listed_ground_makes_preservation_refusable(kb_un, ground):
    v = un(kb_un, measure="expedited_preservation", offence=SERIOUS_E_FRAUD, facts={ground: True})
    assert v.status == "refusable"
    assert v.grounds == (ground,)


# -- Art. 43: expedited disclosure of preserved traffic data -------------------------------------


def test_art43_1_partial_disclosure_of_traffic_data_is_mandatory(kb_un):
    v = un(kb_un, measure="traffic_data_disclosure", offence=ILLEGAL_ACCESS)
    assert v.status == "mandatory"
    assert "un_cybercrime.art43.1" in ids(v)


def test_art43_2_closed_list_removes_dual_criminality_from_traffic_data_disclosure(kb_un):
    v = un(kb_un, measure="traffic_data_disclosure", offence=SERIOUS_E_FRAUD,
           facts={"no_dual_criminality": True})
    assert v.status == "mandatory"
    assert v.grounds == ()
    assert "un_cybercrime.art43.2" in ids(v)


def test_art43_2_does_not_remove_the_grounds_it_lists(kb_un):
    v = un(kb_un, measure="traffic_data_disclosure", offence=SERIOUS_E_FRAUD,
           facts={"contrary_to_legal_system": True})
    assert v.status == "refusable"
    assert v.grounds == ("contrary_to_legal_system",)


@pytest.mark.parametrize("ground", [*ART40_21, "discriminatory_purpose"])
def test_art43_2_each_listed_ground_makes_traffic_data_disclosure_refusable(kb_un, ground):
    v = un(kb_un, measure="traffic_data_disclosure", offence=SERIOUS_E_FRAUD, facts={ground: True})
    assert v.status == "refusable"
    assert v.grounds == (ground,)


# -- Art. 44: stored data ------------------------------------------------------------------------


@pytest.mark.parametrize("measure", ["stored_data_access", "subscriber_information"])
def test_art44_access_to_stored_data_is_mandatory(kb_un, measure):
    v = un(kb_un, measure=measure, offence=ILLEGAL_ACCESS)
    assert v.status == "mandatory"
    assert "un_cybercrime.art44" in ids(v)


def test_art44_does_not_decide_interception(kb_un):
    v = un(kb_un, measure="content_interception", offence=ILLEGAL_ACCESS,
           facts={"not_available_domestically": False})
    assert v.status == "mandatory"
    assert "un_cybercrime.art44" not in ids(v)


# -- Art. 45: real-time collection of traffic data -----------------------------------------------


def test_art45_real_time_collection_available_domestically_is_mandatory(kb_un):
    v = un(kb_un, measure="realtime_traffic_collection", offence=ILLEGAL_ACCESS,
           facts={"not_available_domestically": False})
    assert v.status == "mandatory"
    assert "un_cybercrime.art45" in ids(v)


def test_art45_2_real_time_collection_not_available_domestically_is_refusable(kb_un):
    v = un(kb_un, measure="realtime_traffic_collection", offence=ILLEGAL_ACCESS,
           facts={"not_available_domestically": True})
    assert v.status == "refusable"
    assert v.grounds == ("not_available_domestically",)
    assert "un_cybercrime.art45.2" in ids(v)


# -- Art. 46: interception of content data -------------------------------------------------------


def test_art46_interception_permitted_by_domestic_law_is_mandatory(kb_un):
    v = un(kb_un, measure="content_interception", offence=ILLEGAL_ACCESS,
           facts={"not_available_domestically": False})
    assert v.status == "mandatory"
    assert "un_cybercrime.art46" in ids(v)


def test_art46_extent_interception_forbidden_by_domestic_law_is_refusable(kb_un):
    v = un(kb_un, measure="content_interception", offence=ILLEGAL_ACCESS,
           facts={"not_available_domestically": False, "domestic_law_prohibits": True})
    assert v.status == "refusable"
    assert v.grounds == ("domestic_law_prohibits",)


def test_art46_extent_interception_not_available_domestically_is_refusable(kb_un):
    v = un(kb_un, measure="content_interception", offence=ILLEGAL_ACCESS,
           facts={"not_available_domestically": True})
    assert v.status == "refusable"
    assert v.grounds == ("not_available_domestically",)
    assert "un_cybercrime.art46.extent" in ids(v)


# -- Art. 6: human rights ------------------------------------------------------------------------


@pytest.mark.parametrize("measure", MLA_MEASURES)
def test_art6_human_rights_risk_makes_every_assistance_measure_refusable(kb_un, measure):
    v = un(kb_un, measure=measure, offence=ILLEGAL_ACCESS,
           facts={"human_rights_risk": True, "not_available_domestically": False})
    assert v.status == "refusable"
    assert v.grounds == ("human_rights_risk",)
    assert "un_cybercrime.art6" in ids(v)


def test_art6_prevails_over_the_closed_list_of_art42_5_for_preservation(kb_un):
    v = un(kb_un, measure="expedited_preservation", offence=ILLEGAL_ACCESS,
           facts={"human_rights_risk": True})
    assert v.status == "refusable"
    assert "un_cybercrime.art6" in ids(v)


def test_art6_does_not_decide_a_request_without_human_rights_risk(kb_un):
    v = un(kb_un, measure="stored_data_access", offence=ILLEGAL_ACCESS)
    assert v.status == "mandatory"
    assert "un_cybercrime.art6" not in ids(v)


def test_art6_is_the_only_rule_of_the_file_whose_text_was_read(kb_un):
    rules = {r.id: r for r in kb_un.instruments["un_cybercrime"].rules}
    assert rules["un_cybercrime.art6"].text_verified is True
    assert all(not r.text_verified for rid, r in rules.items() if rid != "un_cybercrime.art6")


# -- Art. 37: extradition (not encoded) ----------------------------------------------------------


@pytest.mark.parametrize("facts", [{}, {"extradition_treaty": True},
                                   {"treaty_required_for_extradition": True}])
def test_art37_unread_extradition_article_gives_no_duty_whatever_the_treaty_basis(kb_un, facts):
    # Art. 37 could not be read: no rule claims a duty to extradite (docs/modelling.md).
    v = un(kb_un, measure="extradition", offence={**ILLEGAL_ACCESS, "max_penalty_years": 5},
           facts=facts)
    assert v.status == "not_applicable"
    assert v.grounds == ()
