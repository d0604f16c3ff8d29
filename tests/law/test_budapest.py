"""Budapest Convention (ETS 185): every rule of specs/budapest.yaml, where it decides the
verdict and where it does not, with the modelling choices of docs/modelling.md pinned.

Requests are dated 2026-06-01 and read in the closed world unless the test name says
otherwise. FR -> US is the default pair: both are Parties with dates, and neither has an
art. 29(4) reservation on record (the reservation data is partial, so their reservation
status is unknown; tests that turn on art. 29(4) use a convention offence or a State whose
reservation is recorded). For extradition, the closed world reads `extradition_treaty` and
`treaty_required_for_extradition` as false: the requested Party needs no treaty (art. 24(4)).
"""

from __future__ import annotations

from typing import Any

import pytest

import coop_logic
from tests.helpers import ids, make_request, step

# Fraud with evidence in electronic form: computer-related (arts. 23, 25(1)) but not a
# convention offence (arts. 2-10), so arts. 25(4) second sentence and 29(4) treat it as
# "other" offence.
E_FRAUD = {"category": "fraud", "electronic_evidence": True}
# A convention offence (art. 2): computer-related by its category alone.
ILLEGAL_ACCESS = {"category": "illegal_access"}
# An ordinary offence with no link to computers (closed world: the flags read false).
PLAIN_FRAUD = {"category": "fraud"}

# The grounds that art. 25(4) takes from the requested State's law (docs/modelling.md).
ART25_4_GROUNDS = [
    "no_dual_criminality", "domestic_law_prohibits", "contrary_to_legal_system",
    "death_penalty_risk", "human_rights_risk", "discriminatory_purpose", "ne_bis_in_idem",
    "fiscal_offence", "insufficient_evidence",
]
# The extradition grounds of art. 24(5).
ART24_5_GROUNDS = [
    "person_is_national", "political_offence", "essential_interests", "death_penalty_risk",
    "human_rights_risk", "discriminatory_purpose", "ne_bis_in_idem", "military_offence",
    "fiscal_offence", "insufficient_evidence",
]
# The six measures to which art. 27(4) adds its grounds in the no-treaty branch.
ART27_4_MEASURES = [
    "stored_data_access", "subscriber_information", "realtime_traffic_collection",
    "content_interception", "encryption_key_disclosure", "evidence_collection",
]



def budapest(kb: coop_logic.KnowledgeBase, *, closed_world: bool = True,
             **request: Any) -> coop_logic.Verdict:
    return kb.evaluate(make_request(**request), closed_world=closed_world)["budapest"]




# -- Arts. 23 and 25(1): scope of mutual assistance -------------------------------------


def test_art25_1_scope_covers_preservation_of_electronic_evidence_of_an_ordinary_offence(kb):
    v = budapest(kb, offence=E_FRAUD)
    assert v.status == "mandatory"
    assert v.grounds == ()
    assert "budapest.art25.1.scope" in ids(v)
    assert step(v, "offence.electronic_evidence").value is True


def test_art25_1_scope_covers_an_offence_committed_by_computer(kb):
    v = budapest(kb, measure="evidence_collection",
                 offence={"category": "fraud", "committed_by_computer": True})
    assert v.status == "mandatory"
    assert "budapest.art25.1.scope" in ids(v)


def test_art25_1_scope_covers_a_convention_offence_without_any_computer_flag(kb):
    v = budapest(kb, measure="stored_data_access", offence=ILLEGAL_ACCESS)
    assert v.status == "mandatory"
    assert "budapest.art25.1.scope" in ids(v)
    assert step(v, "offence.category").value == "illegal_access"


def test_art25_1_scope_excludes_an_offence_with_no_link_to_computers(kb):
    v = budapest(kb, measure="evidence_collection", offence=PLAIN_FRAUD)
    assert v.status == "not_applicable"
    assert v.grounds == ()
    assert "budapest.art25.1.scope" in ids(v)
    assert step(v, "offence.electronic_evidence").value is False
    assert "budapest.art25.1" not in ids(v)


def test_art25_1_scope_open_world_unknown_computer_link_leaves_preservation_undetermined(kb):
    v = budapest(kb, closed_world=False, offence=PLAIN_FRAUD,
                 facts={"political_offence": False, "essential_interests": False,
                        "no_dual_criminality": False})
    assert v.status == "undetermined"
    assert set(v.possible) == {"mandatory", "not_applicable"}
    assert "offence.electronic_evidence" in v.depends_on
    assert "offence.committed_by_computer" in v.depends_on


# -- Art. 24: extradition ----------------------------------------------------------------

EXTRADITABLE = {"category": "illegal_access", "max_penalty_years": 5}
# Treaty basis of extradition (arts. 24(2)-(4)).
TREATY = {"extradition_treaty": True, "treaty_required_for_extradition": True}
NO_TREATY_BASIS = {"extradition_treaty": False, "treaty_required_for_extradition": True}
NO_TREATY_NEEDED = {"extradition_treaty": False, "treaty_required_for_extradition": False}
# Every art. 24(5) ground and dual criminality settled as in the ordinary case.
NO_GROUND = {g: False for g in [*ART24_5_GROUNDS, "no_dual_criminality"]}


def test_art24_1_and_24_2_extradition_under_an_extradition_treaty_is_mandatory(kb):
    v = budapest(kb, measure="extradition", offence=EXTRADITABLE, facts=TREATY)
    assert v.status == "mandatory"
    assert v.grounds == ()
    assert {"budapest.art24.1", "budapest.art24.2"} <= ids(v)
    assert step(v, "extradition_treaty").value is True
    assert "budapest.art24.3" not in ids(v)


def test_art24_3_gives_no_duty_without_a_treaty_basis(kb):
    # Ukraine asks the United States, which requires a treaty and has none with Ukraine.
    v = budapest(kb, requesting="UA", measure="extradition", offence=EXTRADITABLE,
                 facts=NO_TREATY_BASIS)
    assert v.status == "discretionary"
    assert v.grounds == ()
    assert {"budapest.art24.1", "budapest.art24.3"} <= ids(v)
    assert step(v, "treaty_required_for_extradition").value is True
    assert step(v, "extradition_treaty").value is False


def test_art24_3_no_ground_is_needed_to_decline_without_a_treaty_basis(kb):
    v = budapest(kb, requesting="UA", measure="extradition", offence=EXTRADITABLE,
                 facts={**NO_TREATY_BASIS, "person_is_national": True})
    assert v.status == "discretionary"
    assert v.grounds == ()


def test_art24_3_does_not_decide_where_an_extradition_treaty_binds_the_pair(kb):
    v = budapest(kb, requesting="UA", measure="extradition", offence=EXTRADITABLE, facts=TREATY)
    assert v.status == "mandatory"
    assert "budapest.art24.3" not in ids(v)


def test_art24_4_a_requested_party_needing_no_treaty_owes_extradition(kb):
    v = budapest(kb, requesting="UA", requested="FR", measure="extradition",
                 offence=EXTRADITABLE, facts=NO_TREATY_NEEDED)
    assert v.status == "mandatory"
    assert v.grounds == ()
    assert "budapest.art24.4" in ids(v)
    assert "budapest.art24.3" not in ids(v)


def test_art24_4_closed_world_reads_the_treaty_requirement_as_absent(kb):
    v = budapest(kb, measure="extradition", offence=EXTRADITABLE)
    assert v.status == "mandatory"
    assert "budapest.art24.4" in ids(v)
    assert step(v, "treaty_required_for_extradition").value is False


def test_art24_open_world_unknown_treaty_facts_leave_extradition_undetermined(kb):
    v = budapest(kb, closed_world=False, requesting="UA", measure="extradition",
                 offence=EXTRADITABLE, facts=NO_GROUND)
    assert v.status == "undetermined"
    assert set(v.possible) == {"mandatory", "discretionary"}
    assert set(v.depends_on) == {"extradition_treaty", "treaty_required_for_extradition"}


def test_art24_open_world_a_known_treaty_settles_extradition_whatever_the_requirement(kb):
    v = budapest(kb, closed_world=False, requesting="UA", measure="extradition",
                 offence=EXTRADITABLE, facts={**NO_GROUND, "extradition_treaty": True})
    assert v.status == "mandatory"
    assert v.depends_on == ()


@pytest.mark.parametrize(("years", "status"), [(1, "mandatory"), (0.99, "not_applicable"),
                                               (0.5, "not_applicable")])
def test_art24_1_extradition_requires_a_maximum_penalty_of_at_least_one_year(kb, years, status):
    v = budapest(kb, measure="extradition",
                 offence={"category": "illegal_access", "max_penalty_years": years})
    assert v.status == status
    assert "budapest.art24.1" in ids(v)


def test_art24_1_lack_of_dual_criminality_puts_extradition_outside_the_convention_not_refusable(kb):
    v = budapest(kb, measure="extradition", offence=EXTRADITABLE,
                 facts={"no_dual_criminality": True})
    assert v.status == "not_applicable"
    assert v.grounds == ()
    assert "budapest.art24.1" in ids(v)
    assert step(v, "no_dual_criminality").value is True
    assert "budapest.art24.2" not in ids(v)


def test_art24_1_extradition_for_a_non_convention_offence_is_not_applicable(kb):
    v = budapest(kb, measure="extradition",
                 offence={"category": "fraud", "max_penalty_years": 10,
                          "committed_by_computer": True})
    assert v.status == "not_applicable"
    assert "budapest.art24.1" in ids(v)
    assert step(v, "offence.category").value == "fraud"


def test_art24_1_absent_penalty_stays_unknown_even_in_the_closed_world_so_extradition_is_undetermined(
        kb):
    # closed_world reads absent Booleans as false; a number is never guessed
    v = budapest(kb, measure="extradition", offence=ILLEGAL_ACCESS)
    assert v.status == "undetermined"
    assert set(v.possible) == {"mandatory", "not_applicable"}
    assert v.depends_on == ("offence.max_penalty_years",)


def test_art24_5_nationality_of_the_person_makes_extradition_refusable(kb):
    v = budapest(kb, measure="extradition", offence=EXTRADITABLE,
                 facts={"person_is_national": True})
    assert v.status == "refusable"
    assert v.grounds == ("person_is_national",)
    assert {"budapest.art24.4", "budapest.art24.5"} <= ids(v)
    assert step(v, "person_is_national").value is True


@pytest.mark.parametrize("ground", ART24_5_GROUNDS)
def test_art24_5_each_extradition_ground_of_the_requested_states_law_makes_extradition_refusable(
        kb, ground):
    v = budapest(kb, measure="extradition", offence=EXTRADITABLE, facts={ground: True})
    assert v.status == "refusable"
    assert v.grounds == (ground,)
    assert "budapest.art24.5" in ids(v)


def test_art24_5_insufficient_evidence_under_the_requested_states_law_makes_extradition_refusable(
        kb):
    v = budapest(kb, measure="extradition", offence=EXTRADITABLE,
                 facts={**TREATY, "insufficient_evidence": True})
    assert v.status == "refusable"
    assert v.grounds == ("insufficient_evidence",)
    assert {"budapest.art24.2", "budapest.art24.5"} <= ids(v)


def test_art24_5_fiscal_ground_applies_to_extradition_because_art25_4_exclusion_covers_only_assistance(kb):
    v = budapest(kb, measure="extradition", offence=EXTRADITABLE, facts={"fiscal_offence": True})
    assert v.status == "refusable"
    assert v.grounds == ("fiscal_offence",)
    assert "budapest.art25.4.fiscal" not in ids(v)


@pytest.mark.parametrize("fact", ["domestic_law_prohibits", "contrary_to_legal_system",
                                  "request_defective", "bank_secrecy_only"])
def test_art24_5_facts_outside_its_list_do_not_make_extradition_refusable(kb, fact):
    v = budapest(kb, measure="extradition", offence=EXTRADITABLE, facts={fact: True})
    assert v.status == "mandatory"
    assert v.grounds == ()
    assert "budapest.art24.5" not in ids(v)


# -- Art. 25(1): the general duty -------------------------------------------------------


@pytest.mark.parametrize("measure", ["evidence_collection", "encryption_key_disclosure"])
def test_art25_1_general_duty_makes_assistance_without_a_specific_article_mandatory(kb, measure):
    v = budapest(kb, measure=measure, offence=E_FRAUD)
    assert v.status == "mandatory"
    assert v.grounds == ()
    assert {"budapest.art25.1.scope", "budapest.art25.1"} <= ids(v)


def test_art25_1_general_duty_does_not_reach_information_sharing_which_stays_discretionary(kb):
    v = budapest(kb, measure="information_sharing", offence=E_FRAUD)
    assert v.status == "discretionary"
    assert "budapest.art25.1" not in ids(v)


# -- Art. 25(4), first sentence: grounds of the requested State's law ------------------


def test_art25_4_domestic_law_prohibition_makes_stored_data_access_refusable(kb):
    v = budapest(kb, measure="stored_data_access", offence=E_FRAUD,
                 facts={"domestic_law_prohibits": True})
    assert v.status == "refusable"
    assert v.grounds == ("domestic_law_prohibits",)
    assert {"budapest.art25.4", "budapest.art31"} <= ids(v)


@pytest.mark.parametrize("ground", ART25_4_GROUNDS)
def test_art25_4_each_domestic_law_ground_makes_evidence_collection_refusable(kb, ground):
    v = budapest(kb, measure="evidence_collection", offence=E_FRAUD, facts={ground: True})
    assert v.status == "refusable"
    assert v.grounds == (ground,)
    assert "budapest.art25.4" in ids(v)


def test_art25_4_several_established_grounds_are_all_reported(kb):
    v = budapest(kb, measure="stored_data_access", offence=E_FRAUD,
                 facts={"domestic_law_prohibits": True, "human_rights_risk": True})
    assert v.status == "refusable"
    assert set(v.grounds) == {"domestic_law_prohibits", "human_rights_risk"}


@pytest.mark.parametrize("fact", ["person_is_national", "military_offence", "request_defective",
                                  "bank_secrecy_only"])
def test_art25_4_facts_outside_the_mutual_assistance_list_do_not_make_evidence_collection_refusable(
        kb, fact):
    v = budapest(kb, measure="evidence_collection", offence=E_FRAUD, facts={fact: True})
    assert v.status == "mandatory"
    assert v.grounds == ()


def test_art25_4_domestic_law_ground_does_not_make_preservation_refusable_under_the_art29_5_closed_list(kb):
    v = budapest(kb, offence=E_FRAUD, facts={"domestic_law_prohibits": True})
    assert v.status == "mandatory"
    assert v.grounds == ()
    assert "budapest.art29.5" in ids(v)


# -- Art. 25(4), first sentence, treaty branch -----------------------------------------


def test_art25_4_treaty_branch_gives_the_political_offence_ground_where_an_mla_treaty_binds_both_states(
        kb_mlat):
    v = budapest(kb_mlat, measure="stored_data_access", offence=E_FRAUD,
                 facts={"political_offence": True})
    assert v.status == "refusable"
    assert v.grounds == ("political_offence",)
    assert "budapest.art25.4.treaty" in ids(v)


def test_art25_4_treaty_branch_gives_the_essential_interests_ground_where_an_mla_treaty_binds_both_states(
        kb_mlat):
    v = budapest(kb_mlat, measure="evidence_collection", offence=E_FRAUD,
                 facts={"essential_interests": True})
    assert v.status == "refusable"
    assert v.grounds == ("essential_interests",)
    assert "budapest.art25.4.treaty" in ids(v)


def test_art25_4_treaty_branch_and_art27_4_give_the_same_grounds_so_the_verdict_does_not_turn_on_a_treaty(
        kb, kb_mlat):
    request = dict(measure="stored_data_access", offence=E_FRAUD,
                   facts={"political_offence": True})
    without_treaty, with_treaty = budapest(kb, **request), budapest(kb_mlat, **request)
    assert (without_treaty.status, without_treaty.grounds) == ("refusable", ("political_offence",))
    assert (with_treaty.status, with_treaty.grounds) == ("refusable", ("political_offence",))


@pytest.mark.xfail(strict=True, reason=(
    "trace cites a rule whose condition is false: for FR -> US no loaded mla_treaty binds "
    "both States, yet the trace cites budapest.art25.4.treaty (condition bound_any(mla_treaty)) "
    "next to budapest.art27.4; the ground's closure lists every rule giving the ground, and "
    "because the two conditions are complementary the core needs no party data to decide "
    "between them"))
def test_art25_4_treaty_branch_is_not_cited_where_no_mla_treaty_binds_both_states(kb):
    v = budapest(kb, measure="stored_data_access", offence=E_FRAUD,
                 facts={"political_offence": True})
    assert v.status == "refusable"
    assert "budapest.art27.4" in ids(v)
    assert "budapest.art25.4.treaty" not in ids(v)


def test_art25_4_treaty_branch_does_not_break_the_art29_5_closed_list_for_preservation(kb_mlat):
    v = budapest(kb_mlat, offence=E_FRAUD, facts={"domestic_law_prohibits": True})
    assert v.status == "mandatory"
    assert v.grounds == ()


# -- Art. 25(4), second sentence: fiscal offences -------------------------------------


def test_art25_4_fiscal_character_is_no_ground_for_a_convention_offence(kb):
    v = budapest(kb, measure="stored_data_access", offence=ILLEGAL_ACCESS,
                 facts={"fiscal_offence": True})
    assert v.status == "mandatory"
    assert v.grounds == ()
    assert "budapest.art25.4.fiscal" in ids(v)


def test_art25_4_fiscal_character_remains_a_ground_for_an_offence_outside_arts_2_to_11(kb):
    v = budapest(kb, measure="stored_data_access", offence=E_FRAUD,
                 facts={"fiscal_offence": True})
    assert v.status == "refusable"
    assert v.grounds == ("fiscal_offence",)
    assert "budapest.art25.4.fiscal" not in ids(v)
    assert "budapest.art25.4" in ids(v)


def test_art25_4_fiscal_exclusion_bars_only_the_fiscal_ground_and_another_ground_still_counts(kb):
    v = budapest(kb, measure="stored_data_access", offence=ILLEGAL_ACCESS,
                 facts={"fiscal_offence": True, "human_rights_risk": True})
    assert v.status == "refusable"
    assert v.grounds == ("human_rights_risk",)


# -- Art. 26: spontaneous information --------------------------------------------------


def test_art26_spontaneous_information_on_a_computer_related_offence_is_discretionary(kb):
    v = budapest(kb, measure="information_sharing", offence=ILLEGAL_ACCESS)
    assert v.status == "discretionary"
    assert v.grounds == ()
    assert "budapest.art26" in ids(v)


def test_art26_information_sharing_stays_discretionary_even_when_refusal_facts_are_established(kb):
    v = budapest(kb, measure="information_sharing", offence=ILLEGAL_ACCESS,
                 facts={"political_offence": True, "essential_interests": True,
                        "no_dual_criminality": True})
    assert v.status == "discretionary"
    assert v.grounds == ()


def test_art26_information_on_an_offence_with_no_link_to_computers_is_not_applicable(kb):
    v = budapest(kb, measure="information_sharing", offence=PLAIN_FRAUD)
    assert v.status == "not_applicable"
    assert "budapest.art26" in ids(v)


def test_art26_1_discretionary_information_sharing_cites_the_may_of_art26_1(kb):
    v = budapest(kb, measure="information_sharing", offence=ILLEGAL_ACCESS)
    assert v.status == "discretionary"
    assert "budapest.art26.1" in ids(v)


# -- Art. 27(4): grounds of the no-treaty branch ---------------------------------------


def test_art27_4_political_offence_makes_stored_data_access_refusable_without_an_mla_treaty(kb):
    v = budapest(kb, measure="stored_data_access", offence=E_FRAUD,
                 facts={"political_offence": True})
    assert v.status == "refusable"
    assert v.grounds == ("political_offence",)
    assert {"budapest.art27.4", "budapest.art31"} <= ids(v)


@pytest.mark.parametrize("ground", ["political_offence", "essential_interests"])
@pytest.mark.parametrize("measure", ART27_4_MEASURES)
def test_art27_4_adds_political_offence_and_essential_interests_for_its_six_measures(
        kb, measure, ground):
    # Domestic availability keeps arts. 33(2) and 34 from supplying a ground of their own.
    v = budapest(kb, measure=measure, offence=ILLEGAL_ACCESS,
                 facts={ground: True, "not_available_domestically": False})
    assert v.status == "refusable"
    assert v.grounds == (ground,)
    assert "budapest.art27.4" in ids(v)


def test_art27_4_does_not_reach_preservation_whose_political_ground_comes_from_art29_5(kb):
    v = budapest(kb, offence=E_FRAUD, facts={"political_offence": True})
    assert v.status == "refusable"
    assert v.grounds == ("political_offence",)
    assert "budapest.art29.5" in ids(v)
    assert "budapest.art27.4" not in ids(v)


def test_art27_4_political_offence_is_still_a_ground_where_an_mla_treaty_binds_both_states(kb_mlat):
    # Art. 27 yields to the treaty, whose grounds enter through art. 25(4) (treaty branch).
    v = budapest(kb_mlat, measure="subscriber_information", offence=E_FRAUD,
                 facts={"political_offence": True})
    assert v.status == "refusable"
    assert v.grounds == ("political_offence",)
    assert "budapest.art25.4.treaty" in ids(v)


@pytest.mark.xfail(strict=True, reason=(
    "trace cites a rule whose condition is false: with the FR-US treaty loaded, art. 27 "
    "does not apply (not bound_any(mla_treaty) is false), yet budapest.art27.4 is cited "
    "next to budapest.art25.4.treaty and the treaty's party steps are not"))
def test_art27_4_is_not_cited_where_an_mla_treaty_binds_both_states(kb_mlat):
    v = budapest(kb_mlat, measure="subscriber_information", offence=E_FRAUD,
                 facts={"political_offence": True})
    assert v.status == "refusable"
    assert "budapest.art25.4.treaty" in ids(v)
    assert "budapest.art27.4" not in ids(v)


# -- Art. 29: expedited preservation ---------------------------------------------------


def test_art29_1_preservation_of_a_convention_offence_is_mandatory_between_parties(kb):
    v = budapest(kb, offence=ILLEGAL_ACCESS)
    assert v.status == "mandatory"
    assert v.grounds == ()
    assert "budapest.art29.1" in ids(v)


def test_art29_1_preservation_duty_does_not_decide_when_the_request_is_outside_the_scope(kb):
    v = budapest(kb, offence=PLAIN_FRAUD)
    assert v.status == "not_applicable"
    assert "budapest.art29.1" not in ids(v)


def test_art29_3_preservation_cannot_be_refused_for_lack_of_dual_criminality(kb):
    v = budapest(kb, offence=ILLEGAL_ACCESS, facts={"no_dual_criminality": True})
    assert v.status == "mandatory"
    assert v.grounds == ()
    # The removal of the 25(4) dual-criminality ground is carried by 29(3) or the 29(5) list.
    assert {"budapest.art29.3", "budapest.art29.5"} & ids(v)


def test_art29_3_dual_criminality_is_no_ground_against_czechia_after_its_reservation_was_withdrawn(kb):
    v = budapest(kb, requesting="DE", requested="CZ", offence=E_FRAUD,
                 facts={"no_dual_criminality": True})
    assert v.status == "mandatory"
    assert v.grounds == ()
    reservation = step(v, "reservation:budapest:art29_4:CZ")
    assert reservation.kind == "reservation"
    assert reservation.value is False


def test_art29_3_is_the_provision_cited_when_preservation_lacks_dual_criminality(kb):
    v = budapest(kb, offence=ILLEGAL_ACCESS, facts={"no_dual_criminality": True})
    assert v.status == "mandatory"
    assert "budapest.art29.3" in ids(v)


def test_art29_4_austria_may_refuse_preservation_for_a_non_convention_offence_lacking_dual_criminality(kb):
    v = budapest(kb, requested="AT", offence=E_FRAUD, facts={"no_dual_criminality": True})
    assert v.status == "refusable"
    assert v.grounds == ("no_dual_criminality",)
    assert "budapest.art29.4" in ids(v)
    reservation = step(v, "reservation:budapest:art29_4:AT")
    assert reservation.kind == "reservation"
    assert reservation.value is True
    assert reservation.article == "29(4)"


def test_art29_4_austria_must_preserve_illegal_access_data_even_without_dual_criminality(kb):
    v = budapest(kb, requested="AT", offence=ILLEGAL_ACCESS, facts={"no_dual_criminality": True})
    assert v.status == "mandatory"
    assert v.grounds == ()


def test_art29_4_austria_must_preserve_when_dual_criminality_is_met(kb):
    v = budapest(kb, requested="AT", offence=E_FRAUD, facts={"no_dual_criminality": False})
    assert v.status == "mandatory"
    assert v.grounds == ()
    assert "budapest.art29.4" not in ids(v)


def test_art29_4_reservation_ground_adds_to_the_art29_5_grounds_for_austria(kb):
    v = budapest(kb, requested="AT", offence=E_FRAUD,
                 facts={"no_dual_criminality": True, "political_offence": True,
                        "domestic_law_prohibits": True})
    assert v.status == "refusable"
    assert set(v.grounds) == {"no_dual_criminality", "political_offence"}


@pytest.mark.parametrize("state", ["SE", "PL", "TR", "GB"])
def test_art29_4_recorded_reservations_make_preservation_refusable_for_lack_of_dual_criminality(
        kb, state):
    v = budapest(kb, requested=state, offence=E_FRAUD, facts={"no_dual_criminality": True})
    assert v.status == "refusable"
    assert v.grounds == ("no_dual_criminality",)
    assert step(v, f"reservation:budapest:art29_4:{state}").value is True


def test_art29_4_unknown_reservation_status_of_france_leaves_preservation_undetermined(kb):
    v = budapest(kb, requesting="DE", requested="FR", offence=E_FRAUD,
                 facts={"no_dual_criminality": True})
    assert v.status == "undetermined"
    assert set(v.possible) == {"mandatory", "refusable"}
    assert v.grounds == ()
    assert v.depends_on == ("reservation:budapest:art29_4:FR",)


def test_art29_4_unknown_reservation_status_of_france_does_not_matter_for_a_convention_offence(kb):
    v = budapest(kb, requesting="DE", requested="FR", offence=ILLEGAL_ACCESS,
                 facts={"no_dual_criminality": True})
    assert v.status == "mandatory"
    assert v.depends_on == ()


def test_art29_4_czech_reservation_makes_preservation_refusable_before_its_withdrawal_on_2019_07_05(kb):
    v = budapest(kb, requesting="DE", requested="CZ", date="2019-01-01", offence=E_FRAUD,
                 facts={"no_dual_criminality": True})
    assert v.status == "refusable"
    assert v.grounds == ("no_dual_criminality",)
    assert step(v, "reservation:budapest:art29_4:CZ").value is True


@pytest.mark.parametrize("date", ["2019-07-05", "2026-06-01"])
def test_art29_4_czech_reservation_no_longer_applies_from_its_withdrawal_on_2019_07_05(kb, date):
    v = budapest(kb, requesting="DE", requested="CZ", date=date, offence=E_FRAUD,
                 facts={"no_dual_criminality": True})
    assert v.status == "mandatory"
    assert v.grounds == ()
    assert step(v, "reservation:budapest:art29_4:CZ").value is False


def test_art29_4_open_world_unknown_category_decides_austrias_preservation(kb):
    v = budapest(kb, closed_world=False, requested="AT", offence={"electronic_evidence": True},
                 facts={"no_dual_criminality": True, "political_offence": False,
                        "essential_interests": False})
    assert v.status == "undetermined"
    assert set(v.possible) == {"mandatory", "refusable"}
    assert v.depends_on == ("offence.category",)


@pytest.mark.parametrize("ground", ["political_offence", "essential_interests"])
def test_art29_5_political_offence_or_essential_interests_make_preservation_refusable(kb, ground):
    v = budapest(kb, offence=E_FRAUD, facts={ground: True})
    assert v.status == "refusable"
    assert v.grounds == (ground,)
    assert {"budapest.art29.1", "budapest.art29.5"} <= ids(v)


@pytest.mark.parametrize("ground", [g for g in ART25_4_GROUNDS if g != "no_dual_criminality"])
def test_art29_5_closed_list_bars_every_art25_4_domestic_law_ground_for_preservation(kb, ground):
    v = budapest(kb, offence=E_FRAUD, facts={ground: True})
    assert v.status == "mandatory"
    assert v.grounds == ()
    assert "budapest.art29.5" in ids(v)


# -- Art. 30: expedited disclosure of preserved traffic data ---------------------------


def test_art30_1_disclosure_of_preserved_traffic_data_is_mandatory(kb):
    v = budapest(kb, measure="traffic_data_disclosure", offence=E_FRAUD)
    assert v.status == "mandatory"
    assert v.grounds == ()
    assert "budapest.art30.1" in ids(v)


@pytest.mark.parametrize("ground", ["political_offence", "essential_interests"])
def test_art30_2_political_offence_or_essential_interests_make_traffic_data_disclosure_refusable(
        kb, ground):
    v = budapest(kb, measure="traffic_data_disclosure", offence=E_FRAUD, facts={ground: True})
    assert v.status == "refusable"
    assert v.grounds == (ground,)
    assert {"budapest.art30.1", "budapest.art30.2"} <= ids(v)


@pytest.mark.parametrize("ground", ART25_4_GROUNDS)
def test_art30_2_closed_list_bars_art25_4_grounds_for_traffic_data_disclosure(kb, ground):
    v = budapest(kb, measure="traffic_data_disclosure", offence=E_FRAUD, facts={ground: True})
    assert v.status == "mandatory"
    assert v.grounds == ()
    assert "budapest.art30.2" in ids(v)


def test_art30_no_art29_4_reservation_lets_austria_withhold_traffic_data_for_lack_of_dual_criminality(kb):
    v = budapest(kb, requested="AT", measure="traffic_data_disclosure", offence=E_FRAUD,
                 facts={"no_dual_criminality": True})
    assert v.status == "mandatory"
    assert v.grounds == ()
    assert "budapest.art29.4" not in ids(v)


# -- Art. 31: access to stored computer data -------------------------------------------


@pytest.mark.parametrize("measure", ["stored_data_access", "subscriber_information"])
def test_art31_stored_data_and_subscriber_information_requests_are_mandatory(kb, measure):
    v = budapest(kb, measure=measure, offence=E_FRAUD)
    assert v.status == "mandatory"
    assert v.grounds == ()
    assert "budapest.art31" in ids(v)


@pytest.mark.parametrize("measure", ["stored_data_access", "subscriber_information"])
def test_art31_duty_does_not_decide_for_an_offence_outside_the_scope(kb, measure):
    v = budapest(kb, measure=measure, offence=PLAIN_FRAUD)
    assert v.status == "not_applicable"
    assert "budapest.art31" not in ids(v)


def test_art31_lack_of_dual_criminality_makes_stored_data_access_refusable_under_art25_4(kb):
    v = budapest(kb, measure="stored_data_access", offence=ILLEGAL_ACCESS,
                 facts={"no_dual_criminality": True})
    assert v.status == "refusable"
    assert v.grounds == ("no_dual_criminality",)
    assert {"budapest.art25.4", "budapest.art31"} <= ids(v)


# -- Art. 33: real-time collection of traffic data -------------------------------------


def test_art33_1_realtime_collection_available_in_a_similar_domestic_case_is_mandatory(kb):
    v = budapest(kb, measure="realtime_traffic_collection", offence=ILLEGAL_ACCESS,
                 facts={"not_available_domestically": False})
    assert v.status == "mandatory"
    assert v.grounds == ()
    assert "budapest.art33.1" in ids(v)
    assert "budapest.art33.2" not in ids(v)


def test_art33_2_realtime_collection_not_available_domestically_is_refusable_not_discretionary(kb):
    v = budapest(kb, measure="realtime_traffic_collection", offence=ILLEGAL_ACCESS,
                 facts={"not_available_domestically": True})
    assert v.status == "refusable"
    assert v.grounds == ("not_available_domestically",)
    assert {"budapest.art33.1", "budapest.art33.2"} <= ids(v)
    assert step(v, "not_available_domestically").value is True


def test_art33_2_closed_world_reads_absent_domestic_unavailability_as_false_so_collection_is_owed(
        kb):
    # not_available_domestically is worded so that false is the ordinary case (contract
    # revision 2): an absent fact no longer makes real-time collection refusable.
    v = budapest(kb, measure="realtime_traffic_collection", offence=E_FRAUD)
    assert v.status == "mandatory"
    assert v.grounds == ()
    assert step(v, "not_available_domestically").value is False


def test_art33_2_open_world_unknown_domestic_availability_leaves_realtime_collection_undetermined(kb):
    v = budapest(kb, closed_world=False, measure="realtime_traffic_collection",
                 offence=ILLEGAL_ACCESS, facts={g: False for g in ART25_4_GROUNDS}
                 | {"political_offence": False, "essential_interests": False})
    assert v.status == "undetermined"
    assert set(v.possible) == {"mandatory", "refusable"}
    assert v.depends_on == ("not_available_domestically",)


def test_art33_2_domestic_unavailability_is_no_ground_for_stored_data_access(kb):
    v = budapest(kb, measure="stored_data_access", offence=ILLEGAL_ACCESS,
                 facts={"not_available_domestically": True})
    assert v.status == "mandatory"
    assert v.grounds == ()


# -- Art. 34: interception of content data ---------------------------------------------


def test_art34_interception_permitted_by_domestic_law_is_mandatory(kb):
    v = budapest(kb, measure="content_interception", offence=ILLEGAL_ACCESS,
                 facts={"not_available_domestically": False})
    assert v.status == "mandatory"
    assert v.grounds == ()
    assert "budapest.art34" in ids(v)
    assert "budapest.art34.extent" not in ids(v)


def test_art34_extent_interception_not_available_domestically_is_refusable(kb):
    v = budapest(kb, measure="content_interception", offence=ILLEGAL_ACCESS,
                 facts={"not_available_domestically": True})
    assert v.status == "refusable"
    assert v.grounds == ("not_available_domestically",)
    assert {"budapest.art34", "budapest.art34.extent"} <= ids(v)


def test_art34_extent_domestic_law_prohibition_makes_interception_refusable(kb):
    v = budapest(kb, measure="content_interception", offence=ILLEGAL_ACCESS,
                 facts={"not_available_domestically": False, "domestic_law_prohibits": True})
    assert v.status == "refusable"
    assert v.grounds == ("domestic_law_prohibits",)
    # Both art. 34 ("to the extent permitted") and art. 25(4) give this ground.
    assert {"budapest.art34.extent", "budapest.art25.4"} & ids(v)


# -- Art. 35: the 24/7 network --------------------------------------------------------


def test_art35_24_7_network_assistance_for_a_computer_related_offence_is_mandatory(kb):
    v = budapest(kb, measure="contact_point_assistance", offence=E_FRAUD)
    assert v.status == "mandatory"
    assert v.grounds == ()
    assert {"budapest.art35", "budapest.art35.1"} <= ids(v)


def test_art35_1_no_refusal_ground_is_attached_to_24_7_network_assistance(kb):
    v = budapest(kb, measure="contact_point_assistance", offence=ILLEGAL_ACCESS,
                 facts={"political_offence": True, "essential_interests": True,
                        "domestic_law_prohibits": True, "no_dual_criminality": True,
                        "human_rights_risk": True, "fiscal_offence": True})
    assert v.status == "mandatory"
    assert v.grounds == ()
    assert "budapest.art35.1" in ids(v)


def test_art35_24_7_network_does_not_cover_an_offence_with_no_link_to_computers(kb):
    v = budapest(kb, measure="contact_point_assistance", offence={"category": "homicide"})
    assert v.status == "not_applicable"
    assert "budapest.art35" in ids(v)
    assert "budapest.art35.1" not in ids(v)


# -- Arts. 16-17 and 29: no duty to retain data ---------------------------------------


def test_arts16_17_29_impose_no_data_retention_duty_so_data_retention_is_not_applicable(kb):
    v = budapest(kb, measure="data_retention", offence=ILLEGAL_ACCESS,
                 facts={"not_available_domestically": False})
    assert v.status == "not_applicable"
    assert v.grounds == ()
    assert step(v, "measure").value == "data_retention"
    assert not any(s.kind == "provision" for s in v.trace)


# -- Arts. 36-37: who is bound, and from when (party data, contract section 9) --------


def test_art37_new_zealand_request_before_its_entry_into_force_on_2025_12_01_is_not_applicable(kb):
    v = budapest(kb, requesting="NZ", date="2025-11-30", offence=ILLEGAL_ACCESS)
    assert v.status == "not_applicable"
    party = step(v, "party:budapest:NZ")
    assert party.kind == "party"
    assert party.value is False
    assert "2025-12-01" in party.basis


def test_art37_new_zealand_is_bound_from_its_entry_into_force_on_2025_12_01(kb):
    v = budapest(kb, requesting="NZ", date="2025-12-01", offence=ILLEGAL_ACCESS)
    assert v.status == "mandatory"
    assert step(v, "party:budapest:NZ").value is True


def test_art36_austria_was_not_bound_before_2012_10_01(kb):
    v = budapest(kb, requested="AT", date="2012-09-30", offence=ILLEGAL_ACCESS)
    assert v.status == "not_applicable"
    assert step(v, "party:budapest:AT").value is False


def test_art36_norway_listed_without_a_date_is_undetermined_before_the_data_as_of_date(kb):
    v = budapest(kb, requesting="NO", date="2025-06-01", offence=ILLEGAL_ACCESS)
    assert v.status == "undetermined"
    assert set(v.possible) == {"mandatory", "not_applicable"}
    assert v.depends_on == ("party:budapest:NO",)


@pytest.mark.parametrize("date", ["2026-01-14", "2026-06-01"])
def test_art36_norway_listed_without_a_date_is_bound_from_the_data_as_of_date(kb, date):
    v = budapest(kb, requesting="NO", date=date, offence=ILLEGAL_ACCESS)
    assert v.status == "mandatory"
    party = step(v, "party:budapest:NO")
    assert party.value is True
    assert "2026-01-14" in party.basis


@pytest.mark.parametrize(("requesting", "requested"), [("CN", "US"), ("FR", "CN")])
def test_art36_37_china_is_not_a_party_so_the_convention_is_not_applicable(kb, requesting,
                                                                            requested):
    v = budapest(kb, requesting=requesting, requested=requested, offence=ILLEGAL_ACCESS)
    assert v.status == "not_applicable"
    assert v.depends_on == ()
    party = step(v, "party:budapest:CN")
    assert party.value is False


def test_art36_37_paraguay_unresolved_in_the_party_data_leaves_the_verdict_undetermined(kb):
    v = budapest(kb, requesting="PY", offence=ILLEGAL_ACCESS)
    assert v.status == "undetermined"
    assert set(v.possible) == {"mandatory", "not_applicable"}
    assert v.depends_on == ("party:budapest:PY",)


def test_art36_37_a_non_party_settles_the_verdict_even_against_an_unresolved_state(kb):
    v = budapest(kb, requesting="PY", requested="CN", offence=ILLEGAL_ACCESS)
    assert v.status == "not_applicable"
    assert v.depends_on == ()
    assert step(v, "party:budapest:CN").value is False
