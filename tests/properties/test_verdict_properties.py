"""Properties of verdicts over generated requests (hypothesis).

Each property is stated against the public API (`KnowledgeBase.evaluate`, `Result`,
`Verdict`, `to_dict`) and the contract's README; party data is read through
`coop_logic.spec.party_data` only to know, independently of the solver, whether a request's
party and reservation inputs are all known.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

import coop_logic
from coop_logic import CATEGORIES, FACTS, MEASURES, OFFENCE_FLAGS, STATUSES
from coop_logic.spec.party_data import party_status, protocol_data, reservation_status

# States whose party status for Budapest and UNTOC is recorded in the bundled data, plus
# a few that are not Parties to Budapest (CN, RU, IN, ZA) and two whose status is
# unresolved (PY for Budapest, IR for UNTOC), so that open party data is also exercised.
STATES = ("FR", "US", "DE", "IT", "JP", "GB", "NO", "BR", "CA", "NG", "CN", "RU", "IN", "ZA",
          "PY", "IR", "AT", "PL", "SE", "CZ", "TR")
# Requested States whose Budapest art. 29(4) reservation is recorded (held, or withdrawn),
# so that a request to them can be fully known, reservations included.
RESERVATION_KNOWN = ("GB", "AT", "PL", "SE", "CZ", "TR")
DATES = ("2026-06-01", "2025-01-15", "2010-06-01")
PENALTIES = (0, 0.5, 1, 2, 3, 4, 5, 10, 10_000)
ALL_STATUSES = (*STATUSES, "undetermined")
OVERALL_STATUSES = ("mandatory", "refusable", "discretionary", "undetermined")
# Facts whose `true` value establishes (or is) a refusal ground: every fact but `urgent`
# (no ground) and the two that describe the extradition treaty situation.
GROUND_FACTS = tuple(f for f in FACTS if f not in {
    "urgent", "extradition_treaty", "treaty_required_for_extradition"})
SLOW_OK = [HealthCheck.too_slow]


def examples(n: int) -> int:
    """`n` examples, scaled by COOP_LOGIC_PROPERTY_SCALE for a deeper run (default 1)."""
    return max(1, round(n * float(os.environ.get("COOP_LOGIC_PROPERTY_SCALE", "1"))))



# -- strategies -------------------------------------------------------------------------


@st.composite
def state_pairs(draw: st.DrawFn) -> tuple[str, str]:
    requested = draw(st.sampled_from(RESERVATION_KNOWN) | st.sampled_from(STATES))
    requesting = draw(st.sampled_from([s for s in STATES if s != requested]))
    return requesting, requested


@st.composite
def requests(draw: st.DrawFn, *, complete: bool = False) -> dict[str, Any]:
    """A request mapping. With `complete`, category, penalty, every offence flag and every
    fact are given; otherwise each is present or absent at random."""
    requesting, requested = draw(state_pairs())
    request: dict[str, Any] = {
        "requesting_state": requesting,
        "requested_state": requested,
        "measure": draw(st.sampled_from(MEASURES)),
        "date": draw(st.sampled_from(DATES)),
    }
    offence: dict[str, Any] = {}
    if complete or draw(st.booleans()):
        offence["category"] = draw(st.sampled_from(CATEGORIES))
    if complete or draw(st.booleans()):
        offence["max_penalty_years"] = draw(st.sampled_from(PENALTIES))
    for flag in OFFENCE_FLAGS:
        if complete or draw(st.booleans()):
            offence[flag] = draw(st.booleans())
    if offence:
        request["offence"] = offence
    known = FACTS if complete else draw(st.lists(st.sampled_from(FACTS), unique=True))
    # Mostly false (the ordinary case), sometimes true, so that refusal grounds occur.
    facts = {f: draw(st.booleans()) if draw(st.integers(0, 3)) == 0 else False for f in known}
    if facts:
        request["facts"] = facts
    return request


# -- helpers ----------------------------------------------------------------------------


def party_data_known(kb: coop_logic.KnowledgeBase, request: dict[str, Any]) -> bool:
    """Whether every party, protocol and reservation input of the request is known in the
    loaded party data on the request's date (read without the solver)."""
    date = dt.date.fromisoformat(request["date"])
    states = (request["requesting_state"], request["requested_state"])
    for inst in kb.instruments.values():
        data = inst.parties
        for state in states:
            if party_status(data, state, date).value is None:
                return False
            for name in data.protocols:
                if party_status(protocol_data(data, name), state, date).value is None:
                    return False
        for res in inst.reservations:
            status = reservation_status(data, res.id, res.article, request["requested_state"], date)
            if status.value is None:
                return False
    return True


def with_value(request: dict[str, Any], name: str, value: Any) -> dict[str, Any]:
    """A copy of the request with a fact (`id`) or offence field (`offence.<f>`) set."""
    out = json.loads(json.dumps(request))
    if name.startswith("offence."):
        out.setdefault("offence", {})[name.removeprefix("offence.")] = value
    else:
        out.setdefault("facts", {})[name] = value
    return out


def unknown_booleans(request: dict[str, Any]) -> list[str]:
    facts = request.get("facts", {})
    offence = request.get("offence", {})
    return ([f for f in FACTS if f not in facts]
            + [f"offence.{f}" for f in OFFENCE_FLAGS if f not in offence])


def trace_request(request: dict[str, Any], verdict: dict[str, Any]) -> dict[str, Any]:
    """The request reduced to its States, date, measure and the values of the trace's
    `fact` steps; everything else unknown."""
    reduced: dict[str, Any] = {k: request[k] for k in
                               ("requesting_state", "requested_state", "measure", "date")}
    for step in verdict["trace"]:
        if step["kind"] != "fact":
            continue
        if step["id"] == "measure":
            assert step["value"] == request["measure"]
            continue
        reduced = with_value(reduced, step["id"], step["value"])
    return reduced


def assert_contract_shape(d: dict[str, Any], request: dict[str, Any]) -> None:
    """The JSON object of `check --json` (contract section 2)."""
    assert {"overall", "instruments"} <= set(d)
    overall = d["overall"]
    assert {"status", "basis"} <= set(overall)
    assert overall["status"] in OVERALL_STATUSES
    assert isinstance(overall["basis"], list)
    assert set(overall["basis"]) <= set(d["instruments"])
    assert "comity" in d["instruments"]
    facts = request.get("facts", {})
    for inst, v in d["instruments"].items():
        assert {"status", "possible", "grounds", "depends_on", "trace"} <= set(v), inst
        assert v["status"] in ALL_STATUSES
        assert v["possible"], inst
        assert set(v["possible"]) <= set(STATUSES)
        assert len(set(v["possible"])) == len(v["possible"])
        determined = v["status"] != "undetermined"
        assert determined == (len(v["possible"]) == 1), inst
        if determined:
            assert v["possible"] == [v["status"]]
        assert bool(v["grounds"]) == (v["status"] == "refusable"), (inst, v)
        assert (v["depends_on"] == []) == determined, (inst, v)
        for ground in v["grounds"]:
            if ground in FACTS:
                assert facts.get(ground) is True, (inst, ground, "ground not established")
        for step in v["trace"]:
            assert step["kind"] in {"provision", "fact", "party", "reservation"}
            assert isinstance(step["id"], str) and step["id"]
            if step["kind"] == "provision":
                assert isinstance(step["cite"], str) and step["cite"].strip()
                assert isinstance(step["text_verified"], bool)
                assert step["id"].startswith(inst + ".")
            if step["kind"] == "fact":
                assert "value" in step
    statuses = {v["status"] for v in d["instruments"].values()}
    if "undetermined" not in statuses:
        strongest = next(s for s in ("mandatory", "refusable", "discretionary") if s in statuses)
        assert overall["status"] == strongest
        assert overall["basis"] == [i for i, v in d["instruments"].items()
                                    if v["status"] == strongest]


# -- properties -------------------------------------------------------------------------


@settings(max_examples=examples(200), deadline=None, suppress_health_check=SLOW_OK)
@given(request=requests(complete=True))
def test_a_fully_known_request_has_exactly_one_possible_status(kb, request):
    result = kb.evaluate(request, closed_world=True)
    for inst, verdict in result.verdicts.items():
        if verdict.determined:
            assert verdict.possible == (verdict.status,), (inst, verdict)
            assert verdict.status in STATUSES
            continue
        # Only party or reservation data may leave a fully known request open: such a
        # verdict is skipped, but it must say that this is why.
        event("a verdict open on party or reservation data")
        assert verdict.depends_on, (inst, verdict)
        assert all(d.startswith(("party:", "reservation:")) for d in verdict.depends_on), (
            inst, verdict.depends_on)
    if party_data_known(kb, request):
        event("all party data known")
        assert all(v.determined for v in result.verdicts.values())
        assert result.overall.status != "undetermined"


def test_a_fully_known_request_between_budapest_and_untoc_parties_is_determined(kb):
    request = {"requesting_state": "FR", "requested_state": "US", "measure": "evidence_collection",
               "date": "2026-06-01", "offence": {"category": "illegal_access",
                                                  "max_penalty_years": 5}}
    result = kb.evaluate(request, closed_world=True)
    assert result["budapest"].possible == ("mandatory",)
    assert result["untoc"].possible == ("not_applicable",)
    assert result["comity"].possible == ("discretionary",)


@settings(max_examples=examples(80), deadline=None, suppress_health_check=SLOW_OK)
@given(partial=requests(), filler=requests(complete=True))
def test_filling_in_the_unknowns_lands_in_possible(kb, partial, filler):
    result = kb.evaluate(partial)
    filled = json.loads(json.dumps(partial))
    offence = {**filler["offence"], **partial.get("offence", {})}
    filled["offence"] = offence
    filled["facts"] = {**filler["facts"], **partial.get("facts", {})}
    after = kb.evaluate(filled)
    for inst, verdict in result.verdicts.items():
        assert set(after[inst].possible) <= set(verdict.possible), (inst, verdict, after[inst])
    assert set(after.overall.possible) <= set(result.overall.possible)


@settings(max_examples=examples(150), deadline=None, suppress_health_check=SLOW_OK)
@given(request=requests(complete=True), data=st.data())
def test_establishing_another_ground_never_makes_a_refusable_request_mandatory(kb, request, data):
    # One ground established beforehand, so that refusable verdicts are common.
    request["facts"][data.draw(st.sampled_from(GROUND_FACTS))] = True
    false_facts = [f for f in GROUND_FACTS if not request["facts"][f]]
    assume(false_facts)
    fact = data.draw(st.sampled_from(false_facts))
    before = kb.evaluate(request, closed_world=True)
    after = kb.evaluate(with_value(request, fact, True), closed_world=True)
    event(f"refusable before: {sum(v.status == 'refusable' for v in before.verdicts.values()) > 0}")
    for inst, verdict in before.verdicts.items():
        if verdict.status == "refusable":
            assert "mandatory" not in after[inst].possible, (inst, fact, after[inst])


@settings(max_examples=examples(40), deadline=None, suppress_health_check=SLOW_OK)
@given(request=requests(), closed=st.booleans(), data=st.data())
def test_the_trace_is_a_sufficient_reason(kb, request, closed, data):
    result = kb.evaluate(request, closed_world=closed)
    reading = result.to_dict()["instruments"]
    chosen = data.draw(st.lists(st.sampled_from(sorted(reading)), min_size=1, max_size=4,
                                unique=True))
    cache: dict[str, coop_logic.Result] = {}
    for inst in chosen:
        verdict = reading[inst]
        reduced = trace_request(request, verdict)
        key = json.dumps(reduced, sort_keys=True)
        if key not in cache:
            cache[key] = kb.evaluate(reduced)
        again = cache[key][inst]
        assert again.status == verdict["status"], (inst, verdict["trace"], reduced, again)
        assert list(again.possible) == verdict["possible"], (inst, reduced, again)


@settings(max_examples=examples(80), deadline=None, suppress_health_check=SLOW_OK)
@given(request=requests(), closed=st.booleans())
def test_to_dict_round_trips_through_json_and_has_the_contract_shape(kb, request, closed):
    result = kb.evaluate(request, closed_world=closed)
    d = result.to_dict()
    assert json.loads(json.dumps(d)) == d
    assert json.loads(result.to_json()) == d
    reading = request
    if closed:
        reading = json.loads(json.dumps(request))
        reading["facts"] = {f: request.get("facts", {}).get(f, False) for f in FACTS}
    assert_contract_shape(d, reading)


@settings(max_examples=examples(25), deadline=None, suppress_health_check=SLOW_OK)
@given(request=requests(), data=st.data())
def test_depends_on_lists_exactly_the_boolean_unknowns_that_change_possible(kb, request, data):
    base = kb.evaluate(request)
    unknown = unknown_booleans(request)
    listed = sorted({d for v in base.verdicts.values() for d in v.depends_on} & set(unknown))
    # Half listed somewhere, half drawn at random, to keep the example small.
    names = data.draw(st.lists(st.sampled_from(unknown), max_size=3, unique=True)) if unknown else []
    if listed:
        names += [n for n in data.draw(st.lists(st.sampled_from(listed), min_size=1, max_size=3,
                                                unique=True)) if n not in names]
    fixed = {(name, value): kb.evaluate(with_value(request, name, value))
             for name in names for value in (True, False)}
    for inst, verdict in base.verdicts.items():
        for name in names:
            changes = any(set(fixed[(name, v)][inst].possible) != set(verdict.possible)
                          for v in (True, False))
            assert (name in verdict.depends_on) == changes, (inst, name, verdict)
    for name in names:
        changes = any(set(fixed[(name, v)].overall.possible) != set(base.overall.possible)
                      for v in (True, False))
        assert (name in base.overall.depends_on) == changes, ("overall", name, base.overall)


@settings(max_examples=examples(15), deadline=None, suppress_health_check=SLOW_OK)
@given(request=requests())
def test_a_listed_offence_field_changes_possible_for_some_value(kb, request):
    base = kb.evaluate(request)
    candidates = {"offence.category": CATEGORIES, "offence.max_penalty_years": PENALTIES}
    for inst, verdict in base.verdicts.items():
        for name, values in candidates.items():
            if name not in verdict.depends_on:
                continue
            assert name.removeprefix("offence.") not in request.get("offence", {})
            assert any(
                set(kb.evaluate(with_value(request, name, value))[inst].possible)
                != set(verdict.possible)
                for value in values
            ), (inst, name, verdict)


@pytest.mark.parametrize("measure", MEASURES)
def test_every_measure_gives_a_verdict_for_every_instrument(kb, measure):
    request = {"requesting_state": "FR", "requested_state": "US", "measure": measure,
               "date": "2026-06-01", "offence": {"category": "illegal_access",
                                                  "max_penalty_years": 5}}
    result = kb.evaluate(request, closed_world=True)
    assert set(result.verdicts) == set(kb.ids)
    assert result["comity"].status == "discretionary"
    assert_contract_shape(result.to_dict(), {**request, "facts": dict.fromkeys(FACTS, False)})
