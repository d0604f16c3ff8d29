"""Channels without a treaty (specs/comity.yaml, letters_rogatory.yaml, informal.yaml) and
the overall verdict (contract section 2).

Comity applies to every pair and every measure, letters rogatory to the eight evidence
measures, informal police co-operation to information sharing and contact-point help;
each is discretionary whenever it applies, whatever the facts. The overall verdict is
never not_applicable and is the strongest status (mandatory > refusable > discretionary)
with the instruments giving it as basis.

Requests are dated 2026-06-01 and read in the closed world unless the test name says
otherwise. PG -> TV (two States bound by no loaded treaty) isolates the channels.
"""

from __future__ import annotations

from typing import Any

import pytest

import coop_logic
from tests.helpers import ids, make_request

ALL_MEASURES = list(coop_logic.MEASURES)
EVIDENCE_MEASURES = [
    "expedited_preservation", "traffic_data_disclosure", "stored_data_access",
    "subscriber_information", "realtime_traffic_collection", "content_interception",
    "encryption_key_disclosure", "evidence_collection",
]
INFORMAL_MEASURES = ["information_sharing", "contact_point_assistance"]
ALL_FACTS_TRUE = {fact: True for fact in coop_logic.FACTS}
STRENGTH = ("mandatory", "refusable", "discretionary")

ORGANIZED_E_FRAUD = {"category": "fraud", "max_penalty_years": 5, "transnational": True,
                     "organized_criminal_group": True, "electronic_evidence": True}


def evaluate(kb: coop_logic.KnowledgeBase, *, closed_world: bool = True,
             **request: Any) -> coop_logic.Result:
    return kb.evaluate(make_request(**request), closed_world=closed_world)



def test_the_three_channels_cover_every_measure_of_the_contract():
    # Guards the parametrisations below against a vocabulary change.
    assert set(EVIDENCE_MEASURES) | set(INFORMAL_MEASURES) | {"extradition", "data_retention"} \
        == set(ALL_MEASURES)


# -- Comity -----------------------------------------------------------------------------


@pytest.mark.parametrize("measure", ALL_MEASURES)
def test_comity_applies_to_every_measure_as_discretionary(kb, measure):
    v = evaluate(kb, requesting="PG", requested="TV", measure=measure)["comity"]
    assert v.status == "discretionary"
    assert v.possible == ("discretionary",)
    assert v.grounds == ()
    assert v.depends_on == ()
    assert "comity.scope" in ids(v)


@pytest.mark.parametrize(("requesting", "requested"),
                         [("FR", "US"), ("CN", "RU"), ("KP", "TV"), ("TW", "CN"), ("VA", "PS"),
                          ("PY", "IR")])
def test_comity_applies_to_every_pair_of_states_including_non_parties_and_unresolved_states(
        kb, requesting, requested):
    v = evaluate(kb, requesting=requesting, requested=requested, measure="stored_data_access",
                 offence={"category": "fraud", "electronic_evidence": True})["comity"]
    assert v.status == "discretionary"
    assert v.depends_on == ()
    assert not any(step.kind == "party" for step in v.trace)


@pytest.mark.parametrize("date", ["1950-01-01", "2026-06-01"])
def test_comity_applies_on_any_date_because_it_rests_on_no_instrument(kb, date):
    v = evaluate(kb, requesting="PG", requested="TV", measure="evidence_collection",
                 date=date)["comity"]
    assert v.status == "discretionary"


def test_comity_stays_discretionary_whatever_the_facts(kb):
    v = evaluate(kb, requesting="PG", requested="TV", measure="extradition",
                 offence={"category": "homicide", "max_penalty_years": 30},
                 facts=ALL_FACTS_TRUE)["comity"]
    assert v.status == "discretionary"
    assert v.grounds == ()


def test_comity_open_world_is_discretionary_without_any_fact(kb):
    v = evaluate(kb, closed_world=False, requesting="PG", requested="TV",
                 measure="stored_data_access")["comity"]
    assert v.status == "discretionary"
    assert v.depends_on == ()


def test_comity_is_considered_even_when_the_request_names_other_instruments(kb):
    result = evaluate(kb, requesting="CN", requested="RU", measure="extradition",
                      instruments=["budapest"])
    assert set(result.verdicts) == {"budapest", "comity"}
    assert result["budapest"].status == "not_applicable"
    assert result["comity"].status == "discretionary"
    assert result.overall.status == "discretionary"
    assert result.overall.basis == ("comity",)


# -- Letters rogatory ------------------------------------------------------------------


@pytest.mark.parametrize("measure", EVIDENCE_MEASURES)
def test_letters_rogatory_cover_the_evidence_measures_as_discretionary(kb, measure):
    v = evaluate(kb, requesting="PG", requested="TV", measure=measure)["letters_rogatory"]
    assert v.status == "discretionary"
    assert v.grounds == ()
    assert "letters_rogatory.scope" in ids(v)


@pytest.mark.parametrize("measure", ["extradition", "data_retention", *INFORMAL_MEASURES])
def test_letters_rogatory_do_not_cover_extradition_police_information_or_data_retention(kb,
                                                                                        measure):
    v = evaluate(kb, requesting="PG", requested="TV", measure=measure)["letters_rogatory"]
    assert v.status == "not_applicable"
    assert any(step.id == "measure" and step.value == measure for step in v.trace)


def test_letters_rogatory_stay_discretionary_whatever_the_facts(kb):
    v = evaluate(kb, requesting="FR", requested="US", measure="evidence_collection",
                 facts=ALL_FACTS_TRUE)["letters_rogatory"]
    assert v.status == "discretionary"
    assert v.grounds == ()


# -- Informal police co-operation ------------------------------------------------------


@pytest.mark.parametrize("measure", INFORMAL_MEASURES)
def test_informal_cooperation_covers_information_sharing_and_contact_point_help(kb, measure):
    v = evaluate(kb, requesting="PG", requested="TV", measure=measure)["informal"]
    assert v.status == "discretionary"
    assert v.grounds == ()
    assert "informal.scope" in ids(v)


@pytest.mark.parametrize("measure", [*EVIDENCE_MEASURES, "extradition", "data_retention"])
def test_informal_cooperation_does_not_cover_evidence_extradition_or_data_retention(kb, measure):
    v = evaluate(kb, requesting="PG", requested="TV", measure=measure)["informal"]
    assert v.status == "not_applicable"
    assert any(step.id == "measure" and step.value == measure for step in v.trace)


def test_informal_cooperation_stays_discretionary_whatever_the_facts(kb):
    v = evaluate(kb, requesting="FR", requested="US", measure="information_sharing",
                 facts=ALL_FACTS_TRUE)["informal"]
    assert v.status == "discretionary"


# -- The overall verdict ---------------------------------------------------------------


@pytest.mark.parametrize("closed_world", [True, False])
@pytest.mark.parametrize(("requesting", "requested"), [("PG", "TV"), ("FR", "US"), ("CN", "RU")])
@pytest.mark.parametrize("measure", ALL_MEASURES)
def test_overall_is_never_not_applicable(kb, measure, requesting, requested, closed_world):
    result = evaluate(kb, closed_world=closed_world, requesting=requesting, requested=requested,
                      measure=measure)
    assert result.overall.status in {*STRENGTH, "undetermined"}
    assert "not_applicable" not in result.overall.possible
    assert result.overall.basis


@pytest.mark.parametrize("measure", ALL_MEASURES)
def test_overall_without_any_treaty_is_discretionary_with_comity_in_the_basis(kb, measure):
    result = evaluate(kb, requesting="PG", requested="TV", measure=measure)
    assert result.overall.status == "discretionary"
    assert "comity" in result.overall.basis
    assert set(result.overall.basis) == {
        i for i, v in result.verdicts.items() if v.status == "discretionary"}


def test_overall_is_mandatory_when_one_instrument_is_mandatory_and_another_refusable(kb):
    # Budapest art. 33(2): refusable (not available domestically); UNTOC art. 18(1): mandatory.
    result = evaluate(kb, measure="realtime_traffic_collection", offence=ORGANIZED_E_FRAUD,
                      facts={"not_available_domestically": True},
                      instruments=["budapest", "untoc"])
    assert result["budapest"].status == "refusable"
    assert result["untoc"].status == "mandatory"
    assert result.overall.status == "mandatory"
    assert result.overall.basis == ("untoc",)


def test_overall_is_refusable_when_the_strongest_instrument_is_refusable(kb):
    result = evaluate(kb, measure="expedited_preservation",
                      offence={"category": "illegal_access"}, facts={"political_offence": True},
                      instruments=["budapest", "untoc"])
    assert result["budapest"].status == "refusable"
    assert result["untoc"].status == "not_applicable"
    assert result.overall.status == "refusable"
    assert result.overall.basis == ("budapest",)


def test_overall_basis_lists_every_instrument_giving_the_strongest_status(kb):
    result = evaluate(kb, measure="stored_data_access", offence=ORGANIZED_E_FRAUD,
                      facts={"domestic_law_prohibits": True},
                      instruments=["budapest", "untoc"])
    assert result["budapest"].status == "refusable"
    assert result["untoc"].status == "refusable"
    assert result.overall.status == "refusable"
    assert set(result.overall.basis) == {"budapest", "untoc"}


def test_overall_of_two_mandatory_treaties_names_both_and_not_the_channels(kb):
    result = evaluate(kb, measure="evidence_collection", offence=ORGANIZED_E_FRAUD,
                      instruments=["budapest", "untoc", "letters_rogatory"])
    assert result.overall.status == "mandatory"
    assert set(result.overall.basis) == {"budapest", "untoc"}


def test_overall_is_discretionary_when_the_only_treaty_verdict_is_discretionary(kb):
    result = evaluate(kb, measure="information_sharing", offence={"category": "illegal_access"},
                      instruments=["budapest", "informal"])
    assert result["budapest"].status == "discretionary"
    assert result.overall.status == "discretionary"
    assert set(result.overall.basis) == {"budapest", "comity", "informal"}


@pytest.mark.parametrize("request_fields", [
    dict(measure="realtime_traffic_collection", offence=ORGANIZED_E_FRAUD),
    dict(measure="expedited_preservation", offence={"category": "illegal_access"},
         facts={"political_offence": True}),
    dict(measure="extradition", offence={"category": "illegal_access", "max_penalty_years": 5},
         facts={"person_is_national": True}),
    dict(measure="information_sharing", offence={"category": "illegal_access"}),
    dict(measure="data_retention", offence={"category": "illegal_access"}),
    dict(measure="evidence_collection", requesting="CN", requested="RU",
         offence={"category": "fraud"}),
], ids=["realtime", "preservation", "extradition", "information", "retention", "cn-ru"])
def test_overall_is_the_strongest_instrument_status_with_its_instruments_as_basis(
        kb, request_fields):
    result = evaluate(kb, instruments=["budapest", "untoc", "letters_rogatory", "informal"],
                      **request_fields)
    statuses = {i: v.status for i, v in result.verdicts.items()}
    assert "undetermined" not in statuses.values()
    strongest = next(s for s in STRENGTH if s in statuses.values())
    assert result.overall.status == strongest
    assert set(result.overall.basis) == {i for i, s in statuses.items() if s == strongest}


def test_overall_open_world_is_undetermined_when_the_unknowns_leave_it_open(kb):
    # Every Budapest ground is settled except art. 33(2)'s domestic availability.
    settled = {fact: False for fact in coop_logic.FACTS if fact != "not_available_domestically"}
    result = evaluate(kb, closed_world=False, measure="realtime_traffic_collection",
                      offence={"category": "illegal_access"}, facts=settled,
                      instruments=["budapest"])
    assert result["budapest"].status == "undetermined"
    assert result.overall.status == "undetermined"
    assert set(result.overall.possible) == {"mandatory", "refusable"}
    assert result.overall.depends_on == ("not_available_domestically",)
    assert result.overall.basis == ("budapest",)


def test_overall_open_world_is_determined_when_the_unknowns_cannot_change_it(kb):
    # Budapest art. 35: no ground, so unknown facts leave the 24/7 duty mandatory.
    result = evaluate(kb, closed_world=False, measure="contact_point_assistance",
                      offence={"category": "illegal_access"}, instruments=["budapest"])
    assert result.overall.status == "mandatory"
    assert result.overall.depends_on == ()


def test_overall_in_the_contract_json_has_status_and_basis(kb):
    data = evaluate(kb, measure="realtime_traffic_collection", offence=ORGANIZED_E_FRAUD,
                    facts={"not_available_domestically": True},
                    instruments=["budapest", "untoc"]).to_dict()
    assert data["overall"]["status"] == "mandatory"
    assert data["overall"]["basis"] == ["untoc"]
    assert set(data["instruments"]) == {"budapest", "untoc", "comity"}
    assert data["instruments"]["comity"]["status"] == "discretionary"
