"""AU Convention on Cyber Security and Personal Data Protection (Malabo, 2014):
specs/au_malabo.yaml.

In force on 8 June 2023 for the fifteen States listed; Angola is the only unresolved State,
every other State is not a Party.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import ids, make_request

MALABO = "au_malabo"
DATE = "2026-06-01"
CYBER_OFFENCE = {"category": "illegal_access"}


def verdict(kb, measure: str = "stored_data_access", *, requesting: str = "BJ",
            requested: str = "GH", offence: dict[str, Any] | None = None,
            facts: dict[str, bool] | None = None, closed_world: bool = True, date: str = DATE):
    request = make_request(requesting, requested, measure, date,
                           offence=CYBER_OFFENCE if offence is None else offence, facts=facts)
    return kb.evaluate(request, closed_world=closed_world, instruments=[MALABO])[MALABO]



# -- Art. 28(1)-(2): mutual legal assistance, in conformity with double criminality ---------------

def test_art_28_2_brings_an_evidence_request_about_a_cybercrime_within_the_convention(kb):
    v = verdict(kb)
    assert v.status == "discretionary"
    assert "au_malabo.art28.2.scope" in ids(v)


def test_art_28_2_covers_an_offence_committed_by_computer(kb):
    v = verdict(kb, "evidence_collection",
                offence={"category": "fraud", "committed_by_computer": True})
    assert v.status == "discretionary"


def test_art_28_2_requires_double_criminal_liability(kb):
    v = verdict(kb, facts={"no_dual_criminality": True})
    assert v.status == "not_applicable"
    assert "no_dual_criminality" in ids(v)


def test_art_28_2_leaves_double_criminality_open_in_the_open_world(kb):
    v = verdict(kb, closed_world=False)
    assert v.status == "undetermined"
    assert "no_dual_criminality" in v.depends_on


def test_art_28_2_does_not_reach_an_offline_offence(kb):
    v = verdict(kb, offence={"category": "homicide", "electronic_evidence": True})
    assert v.status == "not_applicable"


def test_art_28_2_imposes_no_duty_to_execute_a_request_whatever_the_facts(kb):
    v = verdict(kb, "content_interception",
                facts={"political_offence": True, "essential_interests": True})
    assert v.status == "discretionary"
    assert v.grounds == ()
    assert "au_malabo.art28.2" in ids(v)


@pytest.mark.parametrize("measure", ["extradition", "contact_point_assistance", "data_retention"])
def test_art_28_gives_no_basis_for_extradition_24_7_help_or_retention(kb, measure):
    v = verdict(kb, measure)
    assert v.status == "not_applicable"
    assert not {"au_malabo.art28.2.scope", "au_malabo.art28.2"} & ids(v)


# -- Art. 28(3): exchange of information -----------------------------------------------------------

def test_art_28_3_makes_information_exchange_on_a_cybercrime_discretionary(kb):
    v = verdict(kb, "information_sharing", facts={"no_dual_criminality": True})
    assert v.status == "discretionary"
    assert {"au_malabo.art28.3.scope", "au_malabo.art28.3"} <= ids(v)


def test_art_28_3_does_not_reach_information_on_an_offline_offence(kb):
    v = verdict(kb, "information_sharing", offence={"category": "homicide"})
    assert v.status == "not_applicable"
    assert "au_malabo.art28.3.scope" in ids(v)
    assert "au_malabo.art28.3" not in ids(v)


# -- Party data ----------------------------------------------------------------------------------------

def test_the_convention_binds_no_one_before_8_june_2023(kb):
    v = verdict(kb, date="2023-06-07")
    assert v.status == "not_applicable"


def test_the_convention_binds_the_listed_parties_from_8_june_2023(kb):
    assert verdict(kb, date="2023-06-08").status == "discretionary"


def test_an_au_state_absent_from_the_partial_list_is_not_a_party(kb):
    v = verdict(kb, requested="KE")
    assert v.status == "not_applicable"
    assert "party:au_malabo:KE" in ids(v)
    assert v.depends_on == ()


def test_angola_whose_ratification_is_unconfirmed_gives_an_undetermined_verdict(kb):
    v = verdict(kb, requested="AO")
    assert v.status == "undetermined"
    assert set(v.possible) == {"discretionary", "not_applicable"}
    assert "party:au_malabo:AO" in v.depends_on


def test_niger_remains_a_party_although_it_left_ecowas(kb):
    assert verdict(kb, requesting="NE", requested="SN").status == "discretionary"
