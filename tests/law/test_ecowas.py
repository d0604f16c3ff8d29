"""ECOWAS Directive C/DIR.1/08/11 on Fighting Cybercrime: specs/ecowas.yaml.

The Directive binds every Member State from its compliance deadline, 1 January 2014;
Burkina Faso, Mali and Niger ceased to be Member States on 29 January 2025.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import ids, make_request

ECOWAS = "ecowas"
DATE = "2026-06-01"
CYBER_OFFENCE = {"category": "computer_fraud"}


def verdict(kb, measure: str = "information_sharing", *, requesting: str = "NG",
            requested: str = "GH", offence: dict[str, Any] | None = None,
            facts: dict[str, bool] | None = None, closed_world: bool = True, date: str = DATE):
    request = make_request(requesting, requested, measure, date,
                           offence=CYBER_OFFENCE if offence is None else offence, facts=facts)
    return kb.evaluate(request, closed_world=closed_world, instruments=[ECOWAS])[ECOWAS]



# -- The co-operation clause: scope ---------------------------------------------------------------

def test_the_cooperation_clause_covers_information_on_a_cybercrime_between_member_states(kb):
    v = verdict(kb)
    assert v.status == "discretionary"
    assert "ecowas.coop.scope" in ids(v)


def test_the_cooperation_clause_covers_electronic_evidence_of_an_ordinary_offence(kb):
    v = verdict(kb, offence={"category": "drug_trafficking", "electronic_evidence": True})
    assert v.status == "discretionary"


def test_the_cooperation_clause_does_not_reach_an_offence_without_an_ict_element(kb):
    v = verdict(kb, offence={"category": "homicide"})
    assert v.status == "not_applicable"


# -- The co-operation clause: no duty -------------------------------------------------------------

def test_the_cooperation_clause_leaves_sharing_to_each_member_state_whatever_the_facts(kb):
    v = verdict(kb, facts={"political_offence": True, "essential_interests": True,
                           "no_dual_criminality": True})
    assert v.status == "discretionary"
    assert v.grounds == ()
    assert "ecowas.coop" in ids(v)


@pytest.mark.parametrize("measure", ["expedited_preservation", "stored_data_access",
                                     "content_interception", "evidence_collection",
                                     "extradition", "contact_point_assistance"])
def test_the_directive_procedure_chapter_gives_no_basis_for_a_request(kb, measure):
    v = verdict(kb, measure)
    assert v.status == "not_applicable"
    assert not {"ecowas.coop.scope", "ecowas.coop"} & ids(v)


# -- Party data: the Directive binds Member States from 1 January 2014 ---------------------------

def test_member_states_are_bound_from_the_compliance_deadline(kb):
    assert verdict(kb, date="2014-01-01").status == "discretionary"


def test_member_states_are_not_bound_before_the_compliance_deadline(kb):
    v = verdict(kb, date="2013-12-31")
    assert v.status == "not_applicable"
    assert "party:ecowas:NG" in ids(v) or "party:ecowas:GH" in ids(v)


def test_a_former_member_was_bound_while_still_a_member_state(kb):
    v = verdict(kb, requesting="BF", requested="NG", date="2020-06-01")
    assert v.status == "discretionary"
    assert "party:ecowas:BF" in ids(v)


def test_a_former_member_is_still_bound_on_the_day_before_its_withdrawal(kb):
    assert verdict(kb, requesting="ML", requested="SN", date="2025-01-28").status == "discretionary"


@pytest.mark.parametrize("state", ["BF", "ML", "NE"])
def test_a_former_member_is_not_bound_after_its_withdrawal_on_29_january_2025(kb, state):
    v = verdict(kb, requesting=state, requested="NG", date="2025-06-01")
    assert v.status == "not_applicable"
    assert f"party:ecowas:{state}" in ids(v)


def test_a_former_member_is_not_bound_during_the_transition_period(kb):
    v = verdict(kb, requesting="NG", requested="NE", date="2025-03-01")
    assert v.status == "not_applicable"


def test_mauritania_which_left_ecowas_in_2000_is_not_bound(kb):
    assert verdict(kb, requesting="MR").status == "not_applicable"


def test_the_membership_list_is_complete_so_no_state_is_undetermined(kb):
    v = verdict(kb, requesting="FR", closed_world=False)
    assert v.status == "not_applicable"
    assert v.depends_on == ()
