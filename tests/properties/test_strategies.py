"""The Hypothesis strategies users get (`coop_logic.strategies`): they draw only valid
requests, and they reach the variety they promise (every measure, unknowns and nulls,
penalties at the rules' thresholds, Parties and non-Parties, dates at the party data's
edges, every verdict status)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from coop_logic import CATEGORIES, FACTS, MEASURES, OFFENCE_FLAGS, Request
from coop_logic.spec.party_data import party_status
from coop_logic.strategies import dates_around, facts, offences, requests, state_pairs

PROPS = settings(max_examples=60, deadline=None,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
STATUSES = ("mandatory", "refusable", "discretionary", "not_applicable", "undetermined")


def collect(strategy: st.SearchStrategy[Any], n: int) -> list[Any]:
    """`n` examples of `strategy`, the same on every run."""
    seen: list[Any] = []

    @settings(max_examples=n, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    def gather(value: Any) -> None:
        seen.append(value)

    gather()
    return seen


# -- only valid requests --------------------------------------------------------------------------


@PROPS
@given(data=st.data())
def test_requests_are_valid_and_evaluate(kb, data):
    raw = data.draw(requests(kb=kb))
    request = Request.from_dict(raw)  # never raises
    assert Request.from_dict(request.to_dict()) == Request.from_dict(request.to_dict())
    result = kb.evaluate(request, traces=False)
    assert result.overall.status in ("mandatory", "refusable", "discretionary", "undetermined")


@PROPS
@given(data=st.data())
def test_closed_world_requests_leave_no_boolean_unknown(kb, data):
    raw = data.draw(requests(kb=kb, closed_world=True))
    request = Request.from_dict(raw)
    assert set(request.facts) == set(FACTS)
    assert all(request.offence.flag(f) is not None for f in OFFENCE_FLAGS)
    closed = kb.evaluate(request, closed_world=True, traces=False)
    opened = kb.evaluate(request, traces=False)
    for inst, verdict in closed.verdicts.items():
        # Only category and penalty may be open: the two readings agree.
        assert opened[inst].status == verdict.status


@PROPS
@given(data=st.data())
def test_requests_respect_their_arguments(kb, data):
    day = dt.date(2026, 6, 1)
    raw = data.draw(requests(kb=kb, measures=["extradition", "evidence_collection"],
                             states=["FR", "US", "DE"], dates=[day, "2020-01-01"],
                             instruments=["budapest"], unknown_rate=0.0))
    assert raw["measure"] in ("extradition", "evidence_collection")
    assert {raw["requesting_state"], raw["requested_state"]} <= {"FR", "US", "DE"}
    assert raw["date"] in ("2026-06-01", "2020-01-01")
    assert raw["instruments"] == ["budapest"]
    assert set(raw["facts"]) == set(FACTS)
    request = Request.from_dict(raw)
    assert set(kb.evaluate(request, traces=False).verdicts) == {"budapest", "comity"}


@PROPS
@given(data=st.data())
def test_state_pairs_follow_the_party_data(kb, data):
    day = data.draw(st.sampled_from([dt.date(2026, 6, 1), dt.date(2012, 3, 1)]))
    budapest = kb.instruments["budapest"].parties
    a, b = data.draw(state_pairs("budapest", kb=kb, date=day))
    assert a != b
    assert party_status(budapest, a, day).value is True
    assert party_status(budapest, b, day).value is True
    a, b = data.draw(state_pairs("budapest", kb=kb, date=day, bound=False))
    assert a != b
    assert False in (party_status(budapest, a, day).value, party_status(budapest, b, day).value)
    a, b = data.draw(state_pairs("untoc", kb=kb, date=day, bound=None))
    assert a != b
    a, b = data.draw(state_pairs(kb=kb))
    assert a != b
    Request.from_dict({"requesting_state": a, "requested_state": b,
                       "measure": "extradition", "date": day})


@PROPS
@given(data=st.data())
def test_requests_with_state_pairs_apply_the_treaty(kb, data):
    day = dt.date(2026, 6, 1)
    raw = data.draw(requests(kb=kb, states=state_pairs("budapest", kb=kb, date=day),
                             dates=[day], measures=["expedited_preservation"],
                             closed_world=True))
    verdict = kb.evaluate(raw, closed_world=True)["budapest"]
    # Both are Parties on the date: party status is known, and known to be true.
    assert not any(d.startswith("party:budapest:") for d in verdict.depends_on)
    assert all(step.value for step in verdict.trace
               if step.kind == "party" and step.instrument == "budapest")


@PROPS
@given(data=st.data())
def test_facts_and_offences_are_valid_parts_of_a_request(kb, data):
    base = {"requesting_state": "FR", "requested_state": "US", "measure": "extradition"}
    fact_values = data.draw(facts())
    offence = data.draw(offences(kb=kb))
    request = Request.from_dict({**base, "facts": fact_values, "offence": offence})
    assert request.facts == {k: v for k, v in fact_values.items() if v is not None}
    penalty = offence.get("max_penalty_years")
    assert penalty is None or 0 <= penalty <= 10_000
    full = data.draw(offences(unknown=False, kb=kb))
    assert set(full) == {"category", "max_penalty_years", *OFFENCE_FLAGS}
    assert None not in full.values()
    assert set(data.draw(facts(unknown=False))) == set(FACTS)


# -- the variety they promise ---------------------------------------------------------------------


def test_requests_reach_the_promised_variety(kb):
    drawn = collect(requests(kb=kb), 400)
    thresholds = {p.threshold for p in kb.compiled.inputs.penalty}
    measures = Counter(r["measure"] for r in drawn)
    categories = {r["offence"].get("category") for r in drawn if r.get("offence")}
    penalties = [r["offence"]["max_penalty_years"] for r in drawn
                 if (r.get("offence") or {}).get("max_penalty_years") is not None]
    fact_maps = [r.get("facts") or {} for r in drawn]
    years = {r["date"][:4] for r in drawn}
    assert set(measures) == set(MEASURES)
    assert len(categories - {None}) >= len(CATEGORIES) // 2
    assert any(p in thresholds for p in penalties), "no penalty at a rule's threshold"
    assert any(p not in thresholds for p in penalties)
    assert any("offence" not in r for r in drawn)
    assert any(r.get("offence", 0) is None for r in drawn)  # offence: null
    assert any(r.get("facts") is None and "facts" in r for r in drawn)  # facts: null
    assert any(None in m.values() for m in fact_maps)  # a fact given as null
    assert any(len(m) < len(FACTS) for m in fact_maps)  # facts left out
    assert any(True in m.values() for m in fact_maps)
    assert len(years) >= 10
    budapest = kb.instruments["budapest"].parties

    def both_parties(r: dict) -> bool:
        day = dt.date.fromisoformat(r["date"])
        return all(party_status(budapest, r[k], day).value
                   for k in ("requesting_state", "requested_state"))

    parties = sum(both_parties(r) for r in drawn)
    assert 0.1 * len(drawn) < parties < 0.9 * len(drawn)
    statuses: Counter[str] = Counter()
    for raw in drawn[:60]:
        for verdict in kb.evaluate(raw, traces=False).verdicts.values():
            statuses[verdict.status] += 1
    for raw in collect(requests(kb=kb, closed_world=True), 200):
        for verdict in kb.evaluate(raw, closed_world=True, traces=False).verdicts.values():
            statuses[verdict.status] += 1
    assert set(STATUSES) <= set(statuses), statuses


def test_dates_around_hit_the_recorded_dates(kb):
    entry = kb.instruments["budapest"].parties.entries["FR"].in_force
    drawn = set(collect(dates_around("budapest", "FR", kb=kb), 120))
    assert {entry - dt.timedelta(days=1), entry, entry + dt.timedelta(days=1)} <= drawn
    assert all(abs((d - entry).days) <= 30 or d == kb.instruments["budapest"].parties.as_of
               or abs((d - kb.instruments["budapest"].parties.as_of).days) <= 30
               for d in drawn)
    assert len(collect(dates_around("comity", "FR", kb=kb), 30)) == 30  # no dates: any date
    # Around a reservation: Austria's art. 29(4) reservation takes effect with the treaty.
    austria = set(collect(dates_around("budapest", "AT", kb=kb), 120))
    assert kb.instruments["budapest"].parties.entries["AT"].in_force in austria


def test_strategies_use_the_session_kb_by_default():
    drawn = collect(requests(measures=["extradition"]), 10)
    assert all(Request.from_dict(r).measure == "extradition" for r in drawn)


# -- misuse is reported --------------------------------------------------------------------------


@pytest.mark.parametrize("make", [
    lambda: requests(measures=["teleport"]),
    lambda: requests(measures=[]),
    lambda: requests(states=["FR"]),
    lambda: requests(states=["FR", "XX"]),
    lambda: requests(unknown_rate=1.5),
    lambda: facts(only=["no_such_fact"]),
    lambda: offences(categories=["arson"]),
    lambda: state_pairs("budapest", bound="yes"),
    lambda: dates_around("budapest", "FR", spread=0),
])
def test_bad_arguments_are_refused(make):
    with pytest.raises(InvalidArgument):
        make().example()


def test_impossible_draws_are_refused(kb):
    with pytest.raises(InvalidArgument, match="is not loaded"):
        collect(state_pairs("no_such_treaty", kb=kb), 1)
    with pytest.raises(InvalidArgument, match="fewer than two States"):
        collect(state_pairs("budapest", kb=kb, date="1990-01-01"), 1)

