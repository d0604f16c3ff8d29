"""SCO Agreement on Cooperation in Ensuring International Information Security (2009):
specs/sco.yaml.

The six founding members are listed Parties (undated, bound from the list's as_of,
2024-07-04); India, Pakistan, Iran and Belarus are SCO members whose accession to the
Agreement is unresolved; every other State is not a Party.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import ids, make_request

SCO = "sco"
DATE = "2026-06-01"
ICT_OFFENCE = {"category": "illegal_access"}
ALL_FACTS_TRUE = {
    "political_offence": True, "essential_interests": True, "no_dual_criminality": True,
    "domestic_law_prohibits": True, "human_rights_risk": True,
}


def verdict(kb, measure: str = "information_sharing", *, requesting: str = "RU",
            requested: str = "CN", offence: dict[str, Any] | None = None,
            facts: dict[str, bool] | None = None, closed_world: bool = True, date: str = DATE):
    request = make_request(requesting, requested, measure, date,
                           offence=ICT_OFFENCE if offence is None else offence, facts=facts)
    return kb.evaluate(request, closed_world=closed_world, instruments=[SCO])[SCO]



# -- Art. 3: areas of co-operation (scope) -------------------------------------------------------

def test_art_3_brings_sharing_information_about_an_information_crime_within_the_agreement(kb):
    v = verdict(kb)
    assert v.status == "discretionary"
    assert "sco.art3.scope" in ids(v)


def test_art_3_covers_an_ordinary_offence_committed_by_computer(kb):
    v = verdict(kb, offence={"category": "fraud", "committed_by_computer": True})
    assert v.status == "discretionary"


def test_art_3_does_not_reach_an_offence_without_an_ict_element(kb):
    v = verdict(kb, offence={"category": "homicide"})
    assert v.status == "not_applicable"


def test_art_3_leaves_the_verdict_open_when_the_ict_element_is_unknown(kb):
    v = verdict(kb, offence={"category": "homicide"}, closed_world=False)
    assert v.status == "undetermined"
    assert "offence.committed_by_computer" in v.depends_on


# -- Arts. 4-5: co-operation under national law, no duty -------------------------------------------

def test_art_5_leaves_information_sharing_discretionary_whatever_the_facts(kb):
    v = verdict(kb, facts=ALL_FACTS_TRUE)
    assert v.status == "discretionary"
    assert v.grounds == ()
    assert "sco.art5" in ids(v)


def test_art_5_gives_no_duty_even_in_the_open_world(kb):
    v = verdict(kb, closed_world=False)
    assert v.status == "discretionary"
    assert v.depends_on == ()


@pytest.mark.parametrize("measure", ["stored_data_access", "expedited_preservation",
                                     "evidence_collection", "extradition",
                                     "contact_point_assistance"])
def test_the_agreement_is_no_basis_for_evidence_requests_extradition_or_24_7_help(kb, measure):
    v = verdict(kb, measure)
    assert v.status == "not_applicable"
    assert not {"sco.art3.scope", "sco.art5"} & ids(v)


# -- Party data ------------------------------------------------------------------------------------

@pytest.mark.parametrize("state", ["IN", "PK", "IR", "BY"])
def test_an_sco_member_with_unresolved_accession_gives_an_undetermined_verdict(kb, state):
    v = verdict(kb, requested=state)
    assert v.status == "undetermined"
    assert set(v.possible) == {"discretionary", "not_applicable"}
    assert f"party:sco:{state}" in v.depends_on


def test_an_unresolved_state_stays_undetermined_in_the_closed_world(kb):
    v = verdict(kb, requesting="IN", requested="RU", closed_world=True)
    assert v.status == "undetermined"
    assert v.depends_on == ("party:sco:IN",)


def test_a_state_outside_the_sco_is_not_a_party(kb):
    v = verdict(kb, requested="FR")
    assert v.status == "not_applicable"
    assert "party:sco:FR" in ids(v)


def test_an_observer_state_is_not_a_party(kb):
    v = verdict(kb, requested="MN")
    assert v.status == "not_applicable"


def test_a_founding_party_is_unknown_before_the_lists_as_of_date(kb):
    v = verdict(kb, date="2020-06-01")
    assert v.status == "undetermined"
    assert {"party:sco:RU", "party:sco:CN"} <= set(v.depends_on)
