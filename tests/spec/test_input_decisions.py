"""Pins the input and data choices recorded in docs/modelling.md, "Input and data"."""

from __future__ import annotations

import pytest

import coop_logic
from tests.helpers import make_request

FRAUD_EVIDENCE = {"category": "fraud", "electronic_evidence": True}


def test_an_explicit_null_fact_is_unknown_like_an_absent_one(kb):
    absent = kb.evaluate(make_request(requested="AT", offence=FRAUD_EVIDENCE))
    null = kb.evaluate(make_request(requested="AT", offence=FRAUD_EVIDENCE,
                                    facts={"no_dual_criminality": None}))
    assert null.to_dict()["instruments"] == absent.to_dict()["instruments"]
    assert "no_dual_criminality" in null["budapest"].depends_on


def test_closed_world_fixes_facts_and_offence_flags_but_not_category_or_penalty(kb):
    request = make_request(measure="extradition", requested="GB",
                           offence={"committed_by_computer": True})
    result = kb.evaluate(request, closed_world=True)
    budapest = result["budapest"]
    assert budapest.status == "undetermined"
    assert "offence.category" in budapest.depends_on
    assert "offence.max_penalty_years" in budapest.depends_on
    assert not any(d in coop_logic.FACTS for d in budapest.depends_on)


def test_closed_world_leaves_party_status_unknown(kb):
    # Paraguay is reported as a Budapest Party but no date was found (unresolved).
    result = kb.evaluate(make_request(requesting="PY", offence={"category": "illegal_access"}),
                         closed_world=True)
    assert result["budapest"].status == "undetermined"
    assert result["budapest"].depends_on == ("party:budapest:PY",)


def test_an_unknown_penalty_is_reasoned_over_the_thresholds_the_rules_use(kb):
    # Budapest art. 24(1): extradition needs a maximum penalty of at least one year.
    base = make_request(measure="extradition", requested="GB",
                        offence={"category": "illegal_access"})
    open_result = kb.evaluate(base, closed_world=True)
    assert open_result["budapest"].depends_on == ("offence.max_penalty_years",)
    short = kb.evaluate({**base, "offence": {"category": "illegal_access",
                                            "max_penalty_years": 0.5}}, closed_world=True)
    assert short["budapest"].status == "not_applicable"
    long = kb.evaluate({**base, "offence": {"category": "illegal_access",
                                           "max_penalty_years": 1}}, closed_world=True)
    assert long["budapest"].status == "mandatory"


def test_a_party_without_a_date_is_unknown_before_the_as_of_date_and_bound_after(kb):
    # Norway is listed as a Budapest Party without a date; the list is as of 2026-01-14.
    offence = {"category": "illegal_access"}
    before = kb.evaluate(make_request(requested="NO", date="2025-06-01", offence=offence),
                         closed_world=True)
    after = kb.evaluate(make_request(requested="NO", date="2026-06-01", offence=offence),
                        closed_world=True)
    assert before["budapest"].status == "undetermined"
    assert before["budapest"].depends_on == ("party:budapest:NO",)
    assert after["budapest"].status == "mandatory"


def test_no_state_is_bound_before_the_instruments_general_entry_into_force(kb):
    result = kb.evaluate(make_request(requesting="IT", requested="ES", measure="evidence_collection",
                                      date="2003-01-01",
                                      offence={"category": "fraud", "max_penalty_years": 8,
                                               "transnational": True,
                                               "organized_criminal_group": True}),
                         closed_world=True)
    assert result["untoc"].status == "not_applicable"
    party_steps = [s for s in result["untoc"].trace if s.kind == "party"]
    assert party_steps and "2003-09-29" in party_steps[0].basis


def test_a_state_missing_from_a_partial_reservation_list_is_unknown_to_hold_it(kb):
    result = kb.evaluate(make_request(requesting="DE", requested="FR", offence=FRAUD_EVIDENCE,
                                      facts={"no_dual_criminality": True}), closed_world=True)
    budapest = result["budapest"]
    assert budapest.status == "undetermined"
    assert set(budapest.possible) == {"mandatory", "refusable"}
    assert budapest.depends_on == ("reservation:budapest:art29_4:FR",)


@pytest.mark.parametrize(("date", "status"), [("2015-01-01", "refusable"),
                                              ("2020-01-01", "mandatory")])
def test_a_withdrawn_reservation_counts_until_its_withdrawal(kb, date, status):
    result = kb.evaluate(make_request(requesting="DE", requested="CZ", date=date,
                                      offence=FRAUD_EVIDENCE,
                                      facts={"no_dual_criminality": True}), closed_world=True)
    assert result["budapest"].status == status
    assert any(s.kind == "reservation" for s in result["budapest"].trace)


def test_comity_is_considered_even_when_the_request_restricts_instruments(kb):
    result = kb.evaluate(make_request(requesting="CN", offence={"category": "homicide"},
                                      instruments=["budapest"]), closed_world=True)
    assert set(result.verdicts) == {"budapest", "comity"}
    assert result["budapest"].status == "not_applicable"
    assert result.overall.status == "discretionary"
    assert result.overall.basis == ("comity",)
