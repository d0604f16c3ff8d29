"""UNTOC (Palermo Convention): every rule of specs/untoc.yaml, where it decides the verdict
and where it does not, with the modelling choices of docs/modelling.md pinned.

Requests are dated 2026-06-01 and read in the closed world unless the test name says
otherwise. FR -> US is the default pair: both UN Member States, so Parties by the
complement list from its as_of date (2024-05-04), and no loaded mutual legal assistance
treaty binds them (so paras. 9-29 of art. 18 govern, art. 18(7)). CH -> NO is the treaty
pair: the 1959 Convention binds both, so its provisions take the place of art. 18(9)-(29)
while the duty of art. 18(1) and the bank-secrecy bar of art. 18(8) stay. For extradition,
the closed world reads `extradition_treaty` and `treaty_required_for_extradition` as false
(the requested State needs no treaty, art. 16(6)) unless party data fills the second.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import coop_logic
from tests.helpers import ids, make_request, step

# Serious crime (art. 2(b)), transnational (art. 3(2)), with an organized criminal group
# (art. 2(a)): inside the art. 3 scope gate.
ORGANIZED_FRAUD = {"category": "fraud", "max_penalty_years": 5, "transnational": True,
                   "organized_criminal_group": True}
# For extradition (art. 16(1)): covered offence and organized criminal group.
ORGANIZED_DRUGS = {"category": "drug_trafficking", "max_penalty_years": 10,
                   "organized_criminal_group": True}

MLA_MEASURES = [
    "expedited_preservation", "traffic_data_disclosure", "stored_data_access",
    "subscriber_information", "realtime_traffic_collection", "content_interception",
    "encryption_key_disclosure", "evidence_collection",
]
ART18_21_GROUNDS = ["request_defective", "essential_interests", "domestic_law_prohibits",
                    "contrary_to_legal_system"]
ART16_7_GROUNDS = ["person_is_national", "political_offence", "death_penalty_risk",
                   "human_rights_risk", "ne_bis_in_idem", "military_offence",
                   "essential_interests", "insufficient_evidence"]
# The grounds of the art. 18(7) treaty branch (docs/modelling.md).
ART18_7_GROUNDS = ["no_dual_criminality", "political_offence", "fiscal_offence",
                   "essential_interests", "domestic_law_prohibits", "contrary_to_legal_system",
                   "ne_bis_in_idem", "discriminatory_purpose", "special_tribunal",
                   "human_rights_risk", "death_penalty_risk", "insufficient_evidence"]
# Treaty basis of extradition (arts. 16(3), (4), (6)).
TREATY = {"extradition_treaty": True, "treaty_required_for_extradition": True}
NO_TREATY_BASIS = {"extradition_treaty": False, "treaty_required_for_extradition": True}
NO_TREATY_NEEDED = {"extradition_treaty": False, "treaty_required_for_extradition": False}

# Art. 16(5)(a) notifications on file for every State (test fixture): only the Bahamas took
# the Convention as the legal basis, so every other State is known to hold none.
NOTIFICATIONS_COMPLETE = """\
instrument: untoc
as_of: 2026-01-01
sources:
  - {url: https://example.org/untoc-16-5, note: 'Test fixture: art. 16(5)(a) notifications complete.'}
completeness: uncertain
parties: []
reservations:
  - {state: BS, article: 16(5)(a), summary: 'Test fixture: the Convention taken as legal basis.'}
reservations_completeness: complete
"""



def untoc(kb: coop_logic.KnowledgeBase, *, closed_world: bool = True,
          **request: Any) -> coop_logic.Verdict:
    return kb.evaluate(make_request(**request), closed_world=closed_world)["untoc"]


@pytest.fixture(scope="module")
def kb_notified(tmp_path_factory: pytest.TempPathFactory, load_kb: Any) -> coop_logic.KnowledgeBase:
    """The specs, with art. 16(5)(a) notifications on file for every State (once a module)."""
    path: Path = tmp_path_factory.mktemp("untoc") / "untoc_16_5.yaml"
    path.write_text(NOTIFICATIONS_COMPLETE, encoding="utf-8")
    return load_kb(parties=[path])




# -- Arts. 2-3: scope (covered offences, transnational, organized criminal group) ------


def test_art3_serious_transnational_crime_of_an_organized_group_is_within_art18_assistance(kb):
    v = untoc(kb, measure="evidence_collection", offence=ORGANIZED_FRAUD)
    assert v.status == "mandatory"
    assert v.grounds == ()
    assert {"untoc.art18.1.scope", "untoc.art18.1"} <= ids(v)
    assert step(v, "offence.transnational").value is True
    assert step(v, "offence.organized_criminal_group").value is True


@pytest.mark.parametrize(("years", "status"), [(4, "mandatory"), (10, "mandatory"),
                                               (3.99, "not_applicable"),
                                               (3, "not_applicable")])
def test_art2b_serious_crime_needs_a_maximum_penalty_of_at_least_four_years(kb, years, status):
    v = untoc(kb, measure="evidence_collection",
              offence={**ORGANIZED_FRAUD, "max_penalty_years": years})
    assert v.status == status
    assert "untoc.art18.1.scope" in ids(v)


def test_art3_2_an_offence_that_is_not_transnational_is_outside_art18(kb):
    v = untoc(kb, measure="evidence_collection",
              offence={**ORGANIZED_FRAUD, "transnational": False})
    assert v.status == "not_applicable"
    assert "untoc.art18.1.scope" in ids(v)
    assert step(v, "offence.transnational").value is False
    assert "untoc.art18.1" not in ids(v)


def test_art3_1_an_offence_without_an_organized_criminal_group_is_outside_art18(kb):
    v = untoc(kb, measure="evidence_collection",
              offence={**ORGANIZED_FRAUD, "organized_criminal_group": False})
    assert v.status == "not_applicable"
    assert "untoc.art18.1.scope" in ids(v)
    assert step(v, "offence.organized_criminal_group").value is False


@pytest.mark.parametrize("category", ["money_laundering", "corruption"])
def test_arts6_and_8_money_laundering_and_corruption_are_covered_whatever_the_penalty(kb, category):
    v = untoc(kb, measure="evidence_collection",
              offence={**ORGANIZED_FRAUD, "category": category, "max_penalty_years": 1})
    assert v.status == "mandatory"
    assert "untoc.art18.1.scope" in ids(v)
    assert step(v, "offence.category").value == category


def test_art3_open_world_unknown_transnationality_leaves_untoc_undetermined(kb):
    v = untoc(kb, closed_world=False, measure="evidence_collection",
              offence={"category": "fraud", "max_penalty_years": 5,
                       "organized_criminal_group": True},
              facts={g: False for g in [*ART18_21_GROUNDS, "no_dual_criminality"]})
    assert v.status == "undetermined"
    assert set(v.possible) == {"mandatory", "not_applicable"}
    assert v.depends_on == ("offence.transnational",)


def test_art2b_absent_penalty_of_a_non_listed_offence_leaves_untoc_undetermined_in_the_closed_world(kb):
    v = untoc(kb, measure="evidence_collection",
              offence={"category": "fraud", "transnational": True,
                       "organized_criminal_group": True})
    assert v.status == "undetermined"
    assert set(v.possible) == {"mandatory", "not_applicable"}
    assert v.depends_on == ("offence.max_penalty_years",)


# -- Art. 18(1): the duty of mutual legal assistance -----------------------------------


@pytest.mark.parametrize("measure", MLA_MEASURES)
def test_art18_1_duty_makes_every_mutual_assistance_measure_mandatory(kb, measure):
    v = untoc(kb, measure=measure, offence=ORGANIZED_FRAUD)
    assert v.status == "mandatory"
    assert v.grounds == ()
    assert "untoc.art18.1" in ids(v)


def test_art18_1_realtime_collection_is_not_refusable_for_domestic_unavailability_under_untoc(kb):
    # Unlike Budapest art. 33(2), UNTOC has no not_available_domestically ground.
    v = untoc(kb, measure="realtime_traffic_collection", offence=ORGANIZED_FRAUD,
              facts={"not_available_domestically": True})
    assert v.status == "mandatory"
    assert v.grounds == ()


@pytest.mark.parametrize("measure", ["data_retention", "contact_point_assistance"])
def test_art18_3_untoc_covers_neither_data_retention_nor_contact_point_assistance(kb, measure):
    v = untoc(kb, measure=measure, offence=ORGANIZED_FRAUD)
    assert v.status == "not_applicable"
    assert v.grounds == ()
    assert step(v, "measure").value == measure
    assert not any(s.kind == "provision" for s in v.trace)


# -- Art. 18(7): a treaty of mutual legal assistance replaces paras. 9-29 only ---------


def test_art18_7_a_treaty_binding_both_states_keeps_the_art18_1_duty(kb):
    v = untoc(kb, requesting="CH", requested="NO", measure="evidence_collection",
              offence=ORGANIZED_FRAUD)
    assert v.status == "mandatory"
    assert v.grounds == ()
    assert {"untoc.art18.1.scope", "untoc.art18.1"} <= ids(v)


def test_art18_7_a_test_mla_treaty_binding_both_states_keeps_the_duty_and_its_grounds_apply(
        kb_mlat):
    v = untoc(kb_mlat, measure="evidence_collection", offence=ORGANIZED_FRAUD,
              facts={"political_offence": True})
    assert v.status == "refusable"
    assert v.grounds == ("political_offence",)
    assert {"untoc.art18.1", "untoc.art18.7"} <= ids(v)
    assert step(v, "party:mlat_fr_us:FR").value is True
    assert step(v, "party:mlat_fr_us:US").value is True


def test_art18_7_the_treaty_gives_the_political_offence_ground_that_art18_21_lacks(kb):
    v = untoc(kb, requesting="CH", requested="NO", measure="evidence_collection",
              offence=ORGANIZED_FRAUD, facts={"political_offence": True})
    assert v.status == "refusable"
    assert v.grounds == ("political_offence",)
    assert {"untoc.art18.1", "untoc.art18.7"} <= ids(v)
    assert "untoc.art18.21" not in ids(v)


@pytest.mark.parametrize("ground", ART18_7_GROUNDS)
def test_art18_7_each_treaty_branch_ground_makes_assistance_refusable_between_treaty_states(
        kb, ground):
    v = untoc(kb, requesting="CH", requested="NO", measure="stored_data_access",
              offence=ORGANIZED_FRAUD, facts={ground: True})
    assert v.status == "refusable"
    assert v.grounds == (ground,)
    assert "untoc.art18.7" in ids(v)


def test_art18_7_takes_the_art18_21_ground_of_a_defective_request_away_between_treaty_states(kb):
    # Art. 18(21)(a) ("not in conformity with this article") lies within paras. 9-29.
    v = untoc(kb, requesting="CH", requested="NO", measure="stored_data_access",
              offence=ORGANIZED_FRAUD, facts={"request_defective": True})
    assert v.status == "mandatory"
    assert v.grounds == ()


def test_art18_7_the_treaty_branch_grounds_do_not_apply_without_a_treaty(kb):
    v = untoc(kb, measure="stored_data_access", offence=ORGANIZED_FRAUD,
              facts={"political_offence": True, "special_tribunal": True})
    assert v.status == "mandatory"
    assert v.grounds == ()
    assert "untoc.art18.7" not in ids(v)


def test_art18_7_does_not_apply_the_treaty_branch_where_the_treaty_binds_only_one_state(kb_mlat):
    v = untoc(kb_mlat, requesting="DE", measure="evidence_collection", offence=ORGANIZED_FRAUD,
              facts={"political_offence": True})
    assert v.status == "mandatory"
    assert "untoc.art18.7" not in ids(v)


def test_art18_7_does_not_touch_extradition_under_art16(kb_mlat):
    v = untoc(kb_mlat, measure="extradition", offence=ORGANIZED_DRUGS,
              facts={"political_offence": False})
    assert v.status == "mandatory"
    assert "untoc.art18.7" not in ids(v)


# -- Art. 18(8): bank secrecy --------------------------------------------------------


def test_art18_8_bank_secrecy_is_never_a_ground_for_refusing_assistance(kb):
    v = untoc(kb, measure="stored_data_access", offence=ORGANIZED_FRAUD,
              facts={"bank_secrecy_only": True})
    assert v.status == "mandatory"
    assert v.grounds == ()


def test_art18_8_bank_secrecy_does_not_hide_a_ground_that_is_established(kb):
    v = untoc(kb, measure="stored_data_access", offence=ORGANIZED_FRAUD,
              facts={"bank_secrecy_only": True, "essential_interests": True})
    assert v.status == "refusable"
    assert v.grounds == ("essential_interests",)


def test_art18_8_is_cited_when_bank_secrecy_is_the_only_obstacle(kb):
    v = untoc(kb, measure="stored_data_access", offence=ORGANIZED_FRAUD,
              facts={"bank_secrecy_only": True})
    assert v.status == "mandatory"
    assert "untoc.art18.8" in ids(v)


def test_art18_8_bank_secrecy_stays_excluded_between_states_bound_by_an_mla_treaty(kb):
    # Switzerland asks Norway for bank records: the 1959 Convention replaces art. 18(9)-(29),
    # not art. 18(8).
    v = untoc(kb, requesting="CH", requested="NO", measure="evidence_collection",
              offence=ORGANIZED_FRAUD, facts={"bank_secrecy_only": True})
    assert v.status == "mandatory"
    assert v.grounds == ()
    assert {"untoc.art18.1", "untoc.art18.8"} <= ids(v)
    assert "untoc.art18.7" not in ids(v)


def test_art18_8_does_not_hide_a_treaty_ground_that_is_established(kb):
    v = untoc(kb, requesting="CH", requested="NO", measure="evidence_collection",
              offence=ORGANIZED_FRAUD, facts={"bank_secrecy_only": True,
                                              "essential_interests": True})
    assert v.status == "refusable"
    assert v.grounds == ("essential_interests",)
    assert "untoc.art18.7" in ids(v)


# -- Art. 18(9): dual criminality ----------------------------------------------------


def test_art18_9_lack_of_dual_criminality_makes_assistance_refusable(kb):
    v = untoc(kb, measure="evidence_collection", offence=ORGANIZED_FRAUD,
              facts={"no_dual_criminality": True})
    assert v.status == "refusable"
    assert v.grounds == ("no_dual_criminality",)
    assert {"untoc.art18.1", "untoc.art18.9"} <= ids(v)


def test_art18_9_lack_of_dual_criminality_makes_even_preservation_refusable_under_untoc(kb):
    # Contrast Budapest art. 29(3): UNTOC has no preservation-specific bar.
    v = untoc(kb, measure="expedited_preservation", offence=ORGANIZED_FRAUD,
              facts={"no_dual_criminality": True})
    assert v.status == "refusable"
    assert v.grounds == ("no_dual_criminality",)
    assert "untoc.art18.9" in ids(v)


def test_art18_9_lack_of_dual_criminality_stays_a_ground_between_treaty_states_through_the_treaty(
        kb):
    # The trace may cite art. 18(9) beside art. 18(7): the ground holds in both branches.
    v = untoc(kb, requesting="CH", requested="NO", measure="evidence_collection",
              offence=ORGANIZED_FRAUD, facts={"no_dual_criminality": True})
    assert v.status == "refusable"
    assert v.grounds == ("no_dual_criminality",)


def test_art18_9_dual_criminality_met_leaves_assistance_mandatory(kb):
    v = untoc(kb, measure="evidence_collection", offence=ORGANIZED_FRAUD,
              facts={"no_dual_criminality": False})
    assert v.status == "mandatory"
    assert "untoc.art18.9" not in ids(v)


# -- Art. 18(21): grounds for refusal ------------------------------------------------


@pytest.mark.parametrize("ground", ART18_21_GROUNDS)
def test_art18_21_each_listed_ground_makes_assistance_refusable(kb, ground):
    v = untoc(kb, measure="stored_data_access", offence=ORGANIZED_FRAUD, facts={ground: True})
    assert v.status == "refusable"
    assert v.grounds == (ground,)
    assert "untoc.art18.21" in ids(v)


def test_art18_21_several_established_grounds_are_all_reported(kb):
    v = untoc(kb, measure="stored_data_access", offence=ORGANIZED_FRAUD,
              facts={"request_defective": True, "no_dual_criminality": True})
    assert v.status == "refusable"
    assert set(v.grounds) == {"request_defective", "no_dual_criminality"}


@pytest.mark.parametrize("fact", ["political_offence", "person_is_national", "human_rights_risk",
                                  "death_penalty_risk", "military_offence", "ne_bis_in_idem"])
def test_art18_21_has_no_political_offence_or_extradition_style_ground_for_assistance(kb, fact):
    v = untoc(kb, measure="stored_data_access", offence=ORGANIZED_FRAUD, facts={fact: True})
    assert v.status == "mandatory"
    assert v.grounds == ()
    assert "untoc.art18.21" not in ids(v)


# -- Art. 18(22): fiscal matters -----------------------------------------------------


def test_art18_22_fiscal_character_is_no_ground_for_refusing_assistance(kb):
    v = untoc(kb, measure="evidence_collection",
              offence={**ORGANIZED_FRAUD, "category": "tax_offence"},
              facts={"fiscal_offence": True})
    assert v.status == "mandatory"
    assert v.grounds == ()


def test_art18_22_fiscal_character_does_not_hide_another_established_ground(kb):
    v = untoc(kb, measure="evidence_collection", offence=ORGANIZED_FRAUD,
              facts={"fiscal_offence": True, "contrary_to_legal_system": True})
    assert v.status == "refusable"
    assert v.grounds == ("contrary_to_legal_system",)


def test_art18_22_does_not_bar_a_fiscal_ground_the_treaty_gives_between_treaty_states(kb):
    # Art. 18(22) lies within paras. 9-29: the treaty's own rule on fiscal offences applies.
    v = untoc(kb, requesting="CH", requested="NO", measure="evidence_collection",
              offence={**ORGANIZED_FRAUD, "category": "tax_offence"},
              facts={"fiscal_offence": True})
    assert v.status == "refusable"
    assert v.grounds == ("fiscal_offence",)
    assert "untoc.art18.7" in ids(v)
    assert "untoc.art18.22" not in ids(v)


def test_art18_22_is_cited_when_the_fiscal_character_is_the_only_obstacle(kb):
    v = untoc(kb, measure="evidence_collection", offence=ORGANIZED_FRAUD,
              facts={"fiscal_offence": True})
    assert v.status == "mandatory"
    assert "untoc.art18.22" in ids(v)


# -- Art. 18(4): spontaneous information -----------------------------------------------


def test_art18_4_spontaneous_information_within_the_convention_scope_is_discretionary(kb):
    v = untoc(kb, measure="information_sharing", offence=ORGANIZED_FRAUD)
    assert v.status == "discretionary"
    assert v.grounds == ()
    assert "untoc.art18.4.scope" in ids(v)


def test_art18_4_information_sharing_stays_discretionary_even_when_refusal_facts_are_established(kb):
    v = untoc(kb, measure="information_sharing", offence=ORGANIZED_FRAUD,
              facts={"essential_interests": True, "no_dual_criminality": True})
    assert v.status == "discretionary"
    assert v.grounds == ()


def test_art18_4_information_outside_the_convention_scope_is_not_applicable(kb):
    v = untoc(kb, measure="information_sharing",
              offence={**ORGANIZED_FRAUD, "transnational": False})
    assert v.status == "not_applicable"
    assert "untoc.art18.4.scope" in ids(v)


def test_art18_4_discretionary_information_sharing_cites_the_may_of_art18_4(kb):
    v = untoc(kb, measure="information_sharing", offence=ORGANIZED_FRAUD)
    assert v.status == "discretionary"
    assert "untoc.art18.4" in ids(v)


# -- Art. 16: extradition ------------------------------------------------------------


def test_art16_1_and_16_3_extradition_under_an_extradition_treaty_is_mandatory(kb):
    v = untoc(kb, measure="extradition", offence=ORGANIZED_DRUGS, facts=TREATY)
    assert v.status == "mandatory"
    assert v.grounds == ()
    assert {"untoc.art16.1", "untoc.art16.3"} <= ids(v)
    assert step(v, "extradition_treaty").value is True
    assert "untoc.art16.4" not in ids(v)


def test_art16_4_gives_no_duty_without_a_treaty_basis(kb_notified):
    # Russia asks the United States, which requires a treaty, has none with Russia and (in
    # this fixture) made no art. 16(5)(a) notification.
    v = untoc(kb_notified, requesting="RU", measure="extradition", offence=ORGANIZED_DRUGS,
              facts=NO_TREATY_BASIS)
    assert v.status == "discretionary"
    assert v.grounds == ()
    assert "untoc.art16.4" in ids(v)
    assert step(v, "treaty_required_for_extradition").value is True


def test_art16_4_no_ground_is_needed_to_decline_without_a_treaty_basis(kb_notified):
    v = untoc(kb_notified, requesting="RU", measure="extradition", offence=ORGANIZED_DRUGS,
              facts={**NO_TREATY_BASIS, "person_is_national": True})
    assert v.status == "discretionary"
    assert v.grounds == ()


def test_art16_4_without_a_treaty_basis_extradition_is_not_owed_with_the_bundled_data(kb):
    # Russia asks the United States: a treaty required, none with Russia. Whatever the United
    # States notified under art. 16(5)(a), art. 16(4) only lets it use the Convention.
    v = untoc(kb, requesting="RU", measure="extradition", offence=ORGANIZED_DRUGS,
              facts=NO_TREATY_BASIS)
    assert v.status == "discretionary"
    assert "untoc.art16.4" in ids(v)


def test_art16_4_does_not_decide_where_an_extradition_treaty_binds_the_pair(kb):
    v = untoc(kb, requesting="RU", measure="extradition", offence=ORGANIZED_DRUGS, facts=TREATY)
    assert v.status == "mandatory"
    assert "untoc.art16.4" not in ids(v)


def test_art16_open_world_unknown_treaty_facts_leave_extradition_undetermined(kb_notified):
    v = untoc(kb_notified, closed_world=False, requesting="RU", measure="extradition",
              offence=ORGANIZED_DRUGS,
              facts={g: False for g in [*ART16_7_GROUNDS, "discriminatory_purpose",
                                        "no_dual_criminality"]})
    assert v.status == "undetermined"
    assert set(v.possible) == {"mandatory", "discretionary"}
    assert set(v.depends_on) == {"extradition_treaty", "treaty_required_for_extradition"}


def test_art16_5_a_the_bahamas_notification_settles_that_it_requires_a_treaty(kb):
    # The request leaves the treaty requirement out; the notification on file settles it
    # (even in the closed world, which would otherwise read it as false), and art. 16(4)
    # then gives no duty.
    v = untoc(kb, requesting="US", requested="BS", measure="extradition",
              offence=ORGANIZED_DRUGS, facts={"extradition_treaty": False})
    assert v.status == "discretionary"
    assert v.grounds == ()
    assert "untoc.art16.4" in ids(v)
    assert step(v, "treaty_required_for_extradition").value is True
    assert step(v, "reservation:untoc:art16_5_a:BS").value is True


def test_art16_5_a_a_notification_does_not_turn_the_may_of_art16_4_into_a_duty(kb):
    v = untoc(kb, requesting="US", requested="BS", measure="extradition",
              offence=ORGANIZED_DRUGS, facts=NO_TREATY_BASIS)
    assert v.status == "discretionary"


def test_art16_5_a_the_request_outranks_the_notification(kb):
    v = untoc(kb, requesting="US", requested="BS", measure="extradition",
              offence=ORGANIZED_DRUGS, facts=NO_TREATY_NEEDED)
    assert v.status == "mandatory"
    assert "untoc.art16.6" in ids(v)
    assert "reservation:untoc:art16_5_a:BS" not in ids(v)


def test_art16_5_a_the_notification_of_the_requesting_state_does_not_count(kb):
    v = untoc(kb, requesting="BS", requested="FR", measure="extradition",
              offence=ORGANIZED_DRUGS, facts={"extradition_treaty": False})
    assert v.status == "mandatory"  # France: the closed world reads its requirement as false
    assert "reservation:untoc:art16_5_a:BS" not in ids(v)


def test_art16_6_a_requested_state_needing_no_treaty_owes_extradition(kb):
    v = untoc(kb, requesting="RU", requested="FR", measure="extradition",
              offence=ORGANIZED_DRUGS, facts=NO_TREATY_NEEDED)
    assert v.status == "mandatory"
    assert v.grounds == ()
    assert "untoc.art16.6" in ids(v)
    assert "untoc.art16.4" not in ids(v)


def test_art16_6_closed_world_reads_the_treaty_requirement_as_absent(kb):
    v = untoc(kb, measure="extradition", offence=ORGANIZED_DRUGS)
    assert v.status == "mandatory"
    assert "untoc.art16.6" in ids(v)
    assert step(v, "treaty_required_for_extradition").value is False


def test_art16_1_extradition_does_not_require_transnationality(kb):
    v = untoc(kb, measure="extradition", offence={**ORGANIZED_DRUGS, "transnational": False})
    assert v.status == "mandatory"
    assert "untoc.art16.1" in ids(v)


def test_art16_1_extradition_without_an_organized_criminal_group_is_not_applicable(kb):
    v = untoc(kb, measure="extradition",
              offence={**ORGANIZED_DRUGS, "organized_criminal_group": False,
                       "transnational": True})
    assert v.status == "not_applicable"
    assert "untoc.art16.1" in ids(v)
    assert "untoc.art16.3" not in ids(v)


def test_art16_1_extradition_below_the_serious_crime_threshold_is_not_applicable(kb):
    v = untoc(kb, measure="extradition", offence={**ORGANIZED_DRUGS, "max_penalty_years": 2})
    assert v.status == "not_applicable"
    assert "untoc.art16.1" in ids(v)
    assert step(v, "offence.max_penalty_years").value == 2


def test_art16_1_extradition_for_money_laundering_is_covered_below_four_years(kb):
    v = untoc(kb, measure="extradition",
              offence={**ORGANIZED_DRUGS, "category": "money_laundering",
                       "max_penalty_years": 2})
    assert v.status == "mandatory"
    assert "untoc.art16.1" in ids(v)


def test_art16_1_lack_of_dual_criminality_puts_extradition_outside_untoc_not_refusable(kb):
    v = untoc(kb, measure="extradition", offence=ORGANIZED_DRUGS,
              facts={"no_dual_criminality": True})
    assert v.status == "not_applicable"
    assert v.grounds == ()
    assert "untoc.art16.1" in ids(v)
    assert step(v, "no_dual_criminality").value is True


@pytest.mark.parametrize("ground", ART16_7_GROUNDS)
def test_art16_7_each_ground_of_the_requested_states_law_makes_extradition_refusable(kb, ground):
    v = untoc(kb, measure="extradition", offence=ORGANIZED_DRUGS, facts={**TREATY, ground: True})
    assert v.status == "refusable"
    assert v.grounds == (ground,)
    assert {"untoc.art16.3", "untoc.art16.7"} <= ids(v)


def test_art16_7_insufficient_evidence_under_the_requested_states_law_makes_extradition_refusable(
        kb):
    v = untoc(kb, requesting="RU", requested="FR", measure="extradition",
              offence=ORGANIZED_DRUGS, facts={**NO_TREATY_NEEDED, "insufficient_evidence": True})
    assert v.status == "refusable"
    assert v.grounds == ("insufficient_evidence",)
    assert {"untoc.art16.6", "untoc.art16.7"} <= ids(v)


def test_art16_7_insufficient_evidence_is_no_ground_for_mutual_assistance_without_a_treaty(kb):
    v = untoc(kb, measure="evidence_collection", offence=ORGANIZED_FRAUD,
              facts={"insufficient_evidence": True})
    assert v.status == "mandatory"
    assert v.grounds == ()


@pytest.mark.parametrize("fact", ["domestic_law_prohibits", "request_defective",
                                  "contrary_to_legal_system", "bank_secrecy_only"])
def test_art16_7_facts_outside_the_extradition_list_do_not_make_extradition_refusable(kb, fact):
    v = untoc(kb, measure="extradition", offence=ORGANIZED_DRUGS, facts={fact: True})
    assert v.status == "mandatory"
    assert v.grounds == ()
    assert "untoc.art16.7" not in ids(v)


def test_art16_14_discriminatory_purpose_makes_extradition_refusable(kb):
    v = untoc(kb, measure="extradition", offence=ORGANIZED_DRUGS,
              facts={"discriminatory_purpose": True})
    assert v.status == "refusable"
    assert v.grounds == ("discriminatory_purpose",)
    assert "untoc.art16.14" in ids(v)
    assert "untoc.art16.7" not in ids(v)


def test_art16_14_discriminatory_purpose_is_no_ground_for_mutual_assistance_under_art18(kb):
    v = untoc(kb, measure="evidence_collection", offence=ORGANIZED_FRAUD,
              facts={"discriminatory_purpose": True})
    assert v.status == "mandatory"
    assert v.grounds == ()


def test_art16_15_fiscal_character_is_no_ground_for_refusing_extradition(kb):
    v = untoc(kb, measure="extradition", offence=ORGANIZED_DRUGS, facts={"fiscal_offence": True})
    assert v.status == "mandatory"
    assert v.grounds == ()


def test_art16_15_fiscal_character_does_not_hide_the_nationality_ground(kb):
    v = untoc(kb, measure="extradition", offence=ORGANIZED_DRUGS,
              facts={"fiscal_offence": True, "person_is_national": True})
    assert v.status == "refusable"
    assert v.grounds == ("person_is_national",)


def test_art16_15_is_cited_when_the_fiscal_character_is_the_only_obstacle_to_extradition(kb):
    v = untoc(kb, measure="extradition", offence=ORGANIZED_DRUGS, facts={"fiscal_offence": True})
    assert v.status == "mandatory"
    assert "untoc.art16.15" in ids(v)


# -- Arts. 36-38: who is bound (party data by UN-membership complement, section 9) ----


def test_art38_two_undated_un_members_are_bound_after_the_party_data_as_of_date(kb):
    # France and Spain are Parties by the complement list without a date of their own.
    v = untoc(kb, requested="ES", measure="evidence_collection", offence=ORGANIZED_FRAUD)
    assert v.status == "mandatory"
    for state in ("FR", "ES"):
        party = step(v, f"party:untoc:{state}")
        assert party.kind == "party"
        assert party.value is True
        assert "2024-05-04" in party.basis


def test_art38_a_dated_party_is_bound_from_its_own_date(kb):
    v = untoc(kb, measure="evidence_collection", offence=ORGANIZED_FRAUD)
    assert v.status == "mandatory"
    assert "2005-12-03" in step(v, "party:untoc:US").basis


def test_art38_two_un_members_are_bound_on_the_as_of_date_itself(kb):
    v = untoc(kb, measure="evidence_collection", offence=ORGANIZED_FRAUD, date="2024-05-04")
    assert v.status == "mandatory"


def test_art38_two_undated_un_members_are_undetermined_before_the_party_data_as_of_date(kb):
    v = untoc(kb, requested="ES", measure="evidence_collection", offence=ORGANIZED_FRAUD,
              date="2024-05-03")
    assert v.status == "undetermined"
    assert set(v.possible) == {"mandatory", "not_applicable"}
    assert set(v.depends_on) == {"party:untoc:FR", "party:untoc:ES"}


def test_art38_no_state_is_bound_before_the_convention_entered_into_force_on_2003_09_29(kb):
    v = untoc(kb, measure="evidence_collection", offence=ORGANIZED_FRAUD, date="2003-09-28")
    assert v.status == "not_applicable"
    assert v.depends_on == ()
    assert any(s.kind == "party" and s.value is False for s in v.trace)


@pytest.mark.parametrize(("requesting", "requested", "state"),
                         [("PG", "US", "PG"), ("FR", "TV", "TV")])
def test_art38_a_un_member_listed_as_non_party_is_not_bound(kb, requesting, requested, state):
    v = untoc(kb, requesting=requesting, requested=requested, measure="evidence_collection",
              offence=ORGANIZED_FRAUD)
    assert v.status == "not_applicable"
    assert v.depends_on == ()
    assert step(v, f"party:untoc:{state}").value is False


@pytest.mark.parametrize(("requesting", "requested", "state"),
                         [("IR", "US", "IR"), ("FR", "SO", "SO")])
def test_art38_unresolved_iran_and_somalia_leave_untoc_undetermined(kb, requesting, requested,
                                                                    state):
    v = untoc(kb, requesting=requesting, requested=requested, measure="evidence_collection",
              offence=ORGANIZED_FRAUD)
    assert v.status == "undetermined"
    assert set(v.possible) == {"mandatory", "not_applicable"}
    assert v.depends_on == (f"party:untoc:{state}",)


def test_art38_an_unresolved_state_does_not_matter_when_the_request_is_outside_the_scope(kb):
    v = untoc(kb, requesting="IR", measure="evidence_collection",
              offence={**ORGANIZED_FRAUD, "organized_criminal_group": False})
    assert v.status == "not_applicable"
    assert v.depends_on == ()


def test_art38_a_territory_that_is_not_a_un_member_and_not_listed_is_not_bound(kb):
    v = untoc(kb, requesting="TW", measure="evidence_collection", offence=ORGANIZED_FRAUD)
    assert v.status == "not_applicable"
    assert step(v, "party:untoc:TW").value is False


@pytest.mark.parametrize("state", ["VA", "PS", "CK", "NU"])
def test_art36_non_un_member_parties_named_in_the_party_data_are_bound(kb, state):
    v = untoc(kb, requesting=state, measure="evidence_collection", offence=ORGANIZED_FRAUD)
    assert v.status in {"mandatory", "undetermined"}
    assert v.status != "not_applicable"
