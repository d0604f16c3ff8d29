"""Framework Decision 2002/584/JHA on the European arrest warrant: every rule of
specs/eu_eaw.yaml, where it decides the verdict and where it does not; the party data
(Member States with their dates, Ireland and Denmark bound, the United Kingdom until the end of
2020, transpositions that make Art. 4(1) obligatory); the displacement of the Budapest and UNTOC
extradition articles between Member States (Art. 31); and the procedure shown by `plan`.

Requests are read in the closed world unless the test name says otherwise. FR -> IT is the
default pair and an intrusion (illegal_access, five years) the default offence.
"""

from __future__ import annotations

from typing import Any

import pytest

import coop_logic
from coop_logic.practice.plan import plan
from tests.helpers import ids, make_request

DATE = "2026-06-01"
INTRUSION = {"category": "illegal_access", "max_penalty_years": 5}
OTHER = {"category": "other", "max_penalty_years": 5}
LISTED = ["illegal_access", "illegal_interception", "data_interference", "system_interference",
          "misuse_of_devices", "computer_forgery", "computer_fraud",
          "child_sexual_abuse_material", "fraud", "money_laundering", "corruption",
          "drug_trafficking", "terrorism", "trafficking_in_persons"]
NOT_LISTED = ["copyright_infringement", "tax_offence", "homicide", "other"]


def eaw(kb: coop_logic.KnowledgeBase, requesting: str = "FR", requested: str = "IT",
        measure: str = "extradition", date: str = DATE, closed_world: bool = True,
        offence: dict[str, Any] | None = None, **request: Any) -> coop_logic.Verdict:
    result = kb.evaluate(
        make_request(requesting, requested, measure, date,
                     offence=INTRUSION if offence is None else offence, **request),
        closed_world=closed_world)
    return result["eu_eaw"]


# -- Art. 1(2): the duty; Art. 31: the other instruments give way -------------------------

def test_art1_2_italy_must_surrender_an_intruder_wanted_in_france_and_eaw_is_the_basis(kb):
    result = kb.evaluate(make_request("FR", "IT", "extradition", DATE, offence=INTRUSION),
                         closed_world=True)
    verdict = result["eu_eaw"]
    assert verdict.status == "mandatory"
    assert verdict.grounds == ()
    assert {"eu_eaw.art2.1", "eu_eaw.art1.2", "party:eu_eaw:FR", "party:eu_eaw:IT"} <= ids(verdict)
    assert result.overall.status == "mandatory"
    assert result.overall.basis == ("eu_eaw",)


def test_art31_budapest_art24_gives_way_to_the_warrant_between_member_states(kb):
    result = kb.evaluate(make_request("FR", "IT", "extradition", DATE, offence=INTRUSION),
                         closed_world=True)
    budapest = result["budapest"]
    assert budapest.status == "not_applicable"
    assert "budapest.eaw.art31" in ids(budapest)


def test_art31_budapest_art24_still_governs_surrender_to_a_state_outside_the_union(kb):
    result = kb.evaluate(make_request("FR", "US", "extradition", DATE, offence=INTRUSION),
                         closed_world=True)
    assert result["eu_eaw"].status == "not_applicable"
    assert result["budapest"].status == "mandatory"
    assert "budapest.eaw.art31" not in ids(result["budapest"])


def test_art31_untoc_art16_gives_way_to_the_warrant_between_member_states(kb):
    organized = {"category": "drug_trafficking", "max_penalty_years": 10,
                 "transnational": True, "organized_criminal_group": True}
    result = kb.evaluate(make_request("DE", "FR", "extradition", DATE, offence=organized),
                         closed_world=True)
    assert result["eu_eaw"].status == "mandatory"
    assert result["untoc"].status == "not_applicable"
    assert "untoc.eaw.art31" in ids(result["untoc"])
    assert result.overall.basis == ("eu_eaw",)


def test_art31_untoc_art16_still_governs_surrender_to_a_state_outside_the_union(kb):
    organized = {"category": "drug_trafficking", "max_penalty_years": 10,
                 "transnational": True, "organized_criminal_group": True}
    result = kb.evaluate(make_request("DE", "US", "extradition", DATE, offence=organized),
                         closed_world=True)
    assert result["untoc"].status == "mandatory"
    assert "untoc.eaw.art31" not in ids(result["untoc"])


@pytest.mark.parametrize("measure", ["evidence_collection", "stored_data_access",
                                     "information_sharing", "expedited_preservation"])
def test_art1_1_the_warrant_is_an_instrument_for_surrender_only(kb, measure):
    verdict = eaw(kb, measure=measure)
    assert verdict.status == "not_applicable"
    assert "eu_eaw.art2.1" not in ids(verdict)


# -- Art. 2(1): twelve months -----------------------------------------------------------

def test_art2_1_an_offence_punishable_by_twelve_months_is_within_scope(kb):
    verdict = eaw(kb, offence={"category": "other", "max_penalty_years": 1})
    assert verdict.status == "mandatory"
    assert "eu_eaw.art2.1" in ids(verdict)


def test_art2_1_an_offence_punishable_by_less_than_twelve_months_is_outside_scope(kb):
    verdict = eaw(kb, offence={"category": "other", "max_penalty_years": 0.5})
    assert verdict.status == "not_applicable"
    assert "offence.max_penalty_years" in ids(verdict)


def test_art2_1_an_unknown_penalty_decides_the_scope_in_the_open_world(kb):
    verdict = eaw(kb, closed_world=False, offence={"category": "illegal_access"},
                  facts={"human_rights_risk": False})
    assert verdict.status == "undetermined"
    assert "offence.max_penalty_years" in verdict.depends_on


# -- Art. 3: grounds on which execution shall be refused --------------------------------

@pytest.mark.parametrize("fact", ["amnesty", "ne_bis_in_idem", "person_under_age"])
def test_art3_each_ground_obliges_the_executing_state_to_refuse(kb, fact):
    verdict = eaw(kb, facts={fact: True})
    assert verdict.status == "refusable"
    assert verdict.grounds == (fact,)
    assert verdict.obligatory_grounds == (fact,)
    assert verdict.must_refuse
    assert "eu_eaw.art3" in ids(verdict)


@pytest.mark.parametrize("fact", ["amnesty", "ne_bis_in_idem", "person_under_age"])
def test_art3_without_its_facts_the_warrant_stays_mandatory(kb, fact):
    verdict = eaw(kb, facts={fact: False})
    assert verdict.status == "mandatory"
    assert verdict.obligatory_grounds == ()
    assert "eu_eaw.art3" not in ids(verdict)


# -- Arts. 2(2), 2(4) and 4(1): dual criminality ----------------------------------------

def test_art4_1_lack_of_dual_criminality_outside_the_list_may_be_raised(kb):
    verdict = eaw(kb, "DE", "FR", offence=OTHER, facts={"no_dual_criminality": True})
    assert verdict.status == "refusable"
    assert verdict.grounds == ("no_dual_criminality",)
    assert verdict.obligatory_grounds == ()
    assert "eu_eaw.art4.1" in ids(verdict)


@pytest.mark.parametrize("category", LISTED)
def test_art2_2_a_listed_offence_punishable_by_three_years_is_surrendered_without_the_check(
        kb, category):
    verdict = eaw(kb, "DE", "FR", offence={"category": category, "max_penalty_years": 3},
                  facts={"no_dual_criminality": True})
    assert verdict.status == "mandatory"
    assert verdict.grounds == ()


@pytest.mark.parametrize("category", LISTED[:3])
def test_art2_2_a_listed_offence_punishable_by_less_than_three_years_keeps_the_check(
        kb, category):
    verdict = eaw(kb, "DE", "FR", offence={"category": category, "max_penalty_years": 2},
                  facts={"no_dual_criminality": True})
    assert verdict.status == "refusable"
    assert verdict.grounds == ("no_dual_criminality",)


@pytest.mark.parametrize("category", NOT_LISTED)
def test_art2_4_an_offence_outside_the_mapped_categories_keeps_the_check(kb, category):
    verdict = eaw(kb, "DE", "FR", offence={"category": category, "max_penalty_years": 10},
                  facts={"no_dual_criminality": True})
    assert verdict.status == "refusable"
    assert verdict.grounds == ("no_dual_criminality",)


# -- Art. 4(1) transposed as mandatory (party data) -------------------------------------

@pytest.mark.parametrize("requested", ["IT", "PT", "BG"])
def test_art4_1_a_transposition_recorded_in_party_data_makes_dual_criminality_obligatory(
        kb, requested):
    verdict = eaw(kb, "FR", requested, offence=OTHER, facts={"no_dual_criminality": True})
    assert verdict.status == "refusable"
    assert verdict.grounds == ("no_dual_criminality",)
    assert verdict.obligatory_grounds == ("no_dual_criminality",)


def test_art4_1_a_transposition_as_mandatory_does_not_reach_listed_offences(kb):
    verdict = eaw(kb, "FR", "IT", offence=INTRUSION, facts={"no_dual_criminality": True})
    assert verdict.status == "mandatory"
    assert verdict.obligatory_grounds == ()


def test_art4_1_a_users_party_file_can_record_another_mandatory_transposition(tmp_path, load_kb):
    override = tmp_path / "eu_eaw_es.yaml"
    override.write_text(
        "instrument: eu_eaw\nas_of: 2026-01-01\ncompleteness: partial\n"
        "sources: [{url: https://example.org/es, note: Test data.}]\nparties: []\n"
        "reservations:\n"
        "- {state: ES, article: 4(1), summary: Transposed as mandatory (test), status: in force}\n",
        encoding="utf-8")
    kb_es = load_kb(parties=[override])
    request = make_request("FR", "ES", "extradition", DATE, offence=OTHER,
                           facts={"no_dual_criminality": True})
    assert kb_es.evaluate(request, closed_world=True)["eu_eaw"].obligatory_grounds == (
        "no_dual_criminality",)


# -- Arts. 4(2), 4(4), 4(7)(a), 4a and 1(3): optional grounds ---------------------------

OPTIONAL = [("prosecution_pending", "eu_eaw.art4.2"), ("statute_barred", "eu_eaw.art4.4"),
            ("committed_in_requested_state", "eu_eaw.art4.7.a"),
            ("trial_in_absentia", "eu_eaw.art4a.1"), ("human_rights_risk", "eu_eaw.art1.3")]


@pytest.mark.parametrize(("fact", "rule"), OPTIONAL)
def test_art4_art4a_and_art1_3_optional_grounds_make_the_warrant_refusable_not_obligatory(
        kb, fact, rule):
    verdict = eaw(kb, facts={fact: True})
    assert verdict.status == "refusable"
    assert verdict.grounds == (fact,)
    assert verdict.obligatory_grounds == ()
    assert rule in ids(verdict)


@pytest.mark.parametrize(("fact", "rule"), OPTIONAL)
def test_art4_art4a_and_art1_3_optional_grounds_not_established_leave_it_mandatory(
        kb, fact, rule):
    verdict = eaw(kb, facts={fact: False})
    assert verdict.status == "mandatory"
    assert rule not in ids(verdict)


# -- No political-offence exception, no nationality bar ---------------------------------

@pytest.mark.parametrize("fact", ["political_offence", "person_is_national", "fiscal_offence",
                                  "military_offence", "essential_interests",
                                  "death_penalty_risk", "discriminatory_purpose"])
def test_arts3_to_4a_give_no_political_nationality_or_other_extradition_treaty_ground(kb, fact):
    verdict = eaw(kb, facts={fact: True})
    assert verdict.status == "mandatory"
    assert verdict.grounds == ()


def test_art4_6_nationality_leaves_surrender_mandatory_where_budapest_would_allow_refusal(kb):
    # FR -> US under the Budapest Convention: nationality is a ground of art. 24(5).
    outside = kb.evaluate(make_request("FR", "US", "extradition", DATE, offence=INTRUSION,
                                       facts={"person_is_national": True}), closed_world=True)
    assert outside["budapest"].status == "refusable"
    assert eaw(kb, facts={"person_is_national": True}).status == "mandatory"


# -- Party data -------------------------------------------------------------------------

@pytest.mark.parametrize("requested", ["IE", "DK"])
def test_party_data_ireland_and_denmark_take_part_unlike_in_the_eio(kb, requested):
    verdict = eaw(kb, "FR", requested)
    assert verdict.status == "mandatory"
    assert f"party:eu_eaw:{requested}" in ids(verdict)


def test_party_data_the_united_kingdom_was_bound_until_the_end_of_2020(kb):
    assert eaw(kb, "IE", "GB", date="2020-12-31").status == "mandatory"
    after = eaw(kb, "IE", "GB", date="2021-01-01")
    assert after.status == "not_applicable"
    assert "party:eu_eaw:GB" in ids(after)


def test_party_data_italy_applies_the_warrant_from_14_may_2005(kb):
    assert eaw(kb, "ES", "IT", date="2005-05-13").status == "not_applicable"
    assert eaw(kb, "ES", "IT", date="2005-05-14").status == "mandatory"


def test_party_data_croatia_from_its_accession_on_1_july_2013(kb):
    assert eaw(kb, "ES", "HR", date="2013-06-30").status == "not_applicable"
    assert eaw(kb, "ES", "HR", date="2013-07-01").status == "mandatory"


@pytest.mark.parametrize("requested", ["BG", "RO"])
def test_party_data_bulgaria_and_romania_from_1_january_2007(kb, requested):
    assert eaw(kb, "ES", requested, date="2006-12-31").status == "not_applicable"
    assert eaw(kb, "ES", requested, date="2007-01-01").status == "mandatory"


def test_party_data_an_undated_member_state_is_unknown_before_the_data_as_of(kb):
    verdict = eaw(kb, "ES", "FR", date="2010-06-01")
    assert verdict.status == "undetermined"
    assert "party:eu_eaw:FR" in verdict.depends_on


def test_party_data_a_state_outside_the_union_is_not_bound(kb):
    verdict = eaw(kb, "FR", "CH")
    assert verdict.status == "not_applicable"
    assert "party:eu_eaw:CH" in ids(verdict)


# -- Procedure: Arts. 8, 9, 10, 17 and 23 in `plan` -------------------------------------

def test_plan_shows_the_warrant_first_with_its_channels_contents_and_time_limits(kb):
    result = plan(kb, make_request("FR", "IT", "extradition", DATE, offence=INTRUSION),
                  closed_world=True)
    best = result.best
    assert best is not None and best.instrument == "eu_eaw"
    channels = {c.id: c.cite for c in best.channels}
    assert channels["direct_judicial"].endswith("Art. 9(1)")
    assert channels["police"].endswith("Art. 9(2)-(3)")
    assert channels["interpol"].endswith("Art. 10(3)")
    limits = {t.id: (t.kind, t.days) for t in best.time_limits}
    assert limits == {"art17_2": ("deadline", 10), "art17_3": ("deadline", 60),
                      "art17_4": ("extension", 30), "art23_2": ("deadline", 10)}
    contents = {c.id for c in best.contents}
    assert {"art8_1_a", "art8_1_d", "art8_2"} <= contents
    assert "art5_3" not in contents and "art4a_1" not in contents


def test_plan_asks_for_the_return_guarantee_for_a_national_of_the_executing_state(kb):
    result = plan(kb, make_request("FR", "IT", "extradition", DATE, offence=INTRUSION,
                                   facts={"person_is_national": True}), closed_world=True)
    assert result.best is not None
    assert "art5_3" in {c.id for c in result.best.contents}
