"""Differential tests: the z3 engine against the plain-Python reference evaluator.

Both read the same spec model; any disagreement on a status, a possible set, the grounds,
`depends_on`, or the overall verdict is a bug in one of them. Requests are generated over
the bundled specs (States that are Parties, non-Parties, unresolved and undated Parties,
dates around the entry-into-force and as-of dates of the party data) and over small random
spec sets written to a temporary folder and loaded like any other.
"""

from __future__ import annotations

import datetime as dt
import math
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import coop_logic
from coop_logic import CATEGORIES, FACTS, MEASURES, OFFENCE_FLAGS
from coop_logic.analysis.reference_evaluator import (
    Enumerator,
    holds,
    known_inputs,
    mentioned_inputs,
    reference_evaluate,
)
from coop_logic.model.conditions import parse_condition
from coop_logic.model.request import Request

# Parties, non-Parties, unresolved Parties (PY/SN/SI Budapest, IR/SO UNTOC, IN/PK/IR SCO,
# AO Malabo, SA LAS), undated Parties (NO Budapest; most of ECMA 1959 and UNTOC), States
# holding or having withdrawn a reservation (GB, AT, PL, SE, CZ, TR), non-UN States (TW, XK).
STATES = ("FR", "DE", "US", "GB", "JP", "NO", "PY", "SN", "SI", "CN", "RU", "IN", "PK", "IR",
          "SO", "AO", "NG", "GH", "SA", "AE", "BR", "MX", "CA", "AR", "VE", "KZ", "CZ", "AT",
          "PL", "SE", "TR", "TW", "XK", "PS")
PENALTIES = (0, 0.5, 1, 2, 3, 3.5, 4, 5, 10, 10_000)
MAX_UNKNOWN_FACTS = 6


@pytest.fixture(scope="module")
def bundled() -> coop_logic.KnowledgeBase:
    return coop_logic.load()


def anchor_dates(kb: coop_logic.KnowledgeBase) -> list[dt.date]:
    """The dates at which some party status of the listed States changes (and as-of dates)."""
    dates: set[dt.date] = {dt.date(2026, 6, 1)}
    for inst in kb.instruments.values():
        for data in (inst.parties, *inst.parties.protocols.values()):
            dates |= {d for d in (data.as_of, data.entry_into_force) if d}
            for state in STATES:
                entry = data.entries.get(state)
                if entry:
                    dates |= {d for d in (entry.in_force, entry.withdrawn) if d}
            for res in data.reservations:
                dates |= {d for d in (res.in_force, res.withdrawn) if d}
    return sorted(dates)


# -- the comparison ---------------------------------------------------------------------------


def engine_view(result: coop_logic.Result) -> dict[str, Any]:
    return {
        "instruments": {i: (v.status, v.possible, v.grounds, v.depends_on)
                        for i, v in result.verdicts.items()},
        "overall": (result.overall.status, result.overall.possible, result.overall.basis,
                    result.overall.depends_on),
    }


def compare(kb: coop_logic.KnowledgeBase, request: Request, closed_world: bool,
            selected: list[str] | None) -> None:
    result = kb.evaluate(request, closed_world=closed_world, instruments=selected, traces=False)
    ref = reference_evaluate(kb.instruments, request, selected or list(kb.instruments),
                             closed_world=closed_world)
    engine = engine_view(result)
    expected: dict[str, Any] = {"instruments": {}, "overall": (
        ref.overall.status, ref.overall.possible, ref.overall.basis, ref.overall.depends_on)}
    for i, v in ref.verdicts.items():
        grounds = v.grounds
        if v.status == "refusable" and not grounds:
            # No ground is established in every completion: the engine lists the grounds of
            # one model (docs/modelling.md, "Grounds reported"); any completion's set will do.
            actual = result.verdicts[i].grounds
            assert frozenset(actual) in v.ground_sets, (i, actual, v.ground_sets)
            grounds = actual
        expected["instruments"][i] = (v.status, v.possible, grounds, v.depends_on)
    detail = f"request: {request.to_dict()}, closed_world={closed_world}"
    assert engine["instruments"] == expected["instruments"], detail
    assert engine["overall"] == expected["overall"], detail


# -- requests over the bundled specs ----------------------------------------------------------


@st.composite
def offences(draw: st.DrawFn) -> dict[str, Any]:
    """Each field known (mostly) or unknown."""
    offence: dict[str, Any] = {}
    if draw(st.integers(0, 3)):
        offence["category"] = draw(st.sampled_from(CATEGORIES))
    if draw(st.integers(0, 2)):
        offence["max_penalty_years"] = draw(st.sampled_from(PENALTIES))
    for flag in OFFENCE_FLAGS:
        if draw(st.integers(0, 2)):
            offence[flag] = draw(st.booleans())
    return offence


@st.composite
def fact_values(draw: st.DrawFn, facts: tuple[str, ...] = FACTS) -> dict[str, bool]:
    """At most MAX_UNKNOWN_FACTS facts unknown; the others mostly false, sometimes true."""
    unknown = draw(st.sets(st.sampled_from(facts), max_size=MAX_UNKNOWN_FACTS))
    return {f: draw(st.integers(0, 4)) == 0 for f in facts if f not in unknown}


def request_of(draw: st.DrawFn, dates: list[dt.date], measures: tuple[str, ...] = MEASURES,
               states: tuple[str, ...] = STATES, facts: tuple[str, ...] = FACTS) -> Request:
    requesting = draw(st.sampled_from(states))
    requested = draw(st.sampled_from([s for s in states if s != requesting]))
    anchor = draw(st.sampled_from(dates))
    date = anchor + dt.timedelta(days=draw(st.sampled_from((-1, 0, 0, 1, -400, 400))))
    data: dict[str, Any] = {
        "requesting_state": requesting, "requested_state": requested,
        "measure": draw(st.sampled_from(measures)), "date": date.isoformat(),
        "offence": draw(offences()), "facts": draw(fact_values(facts)),
    }
    return Request.from_dict(data)


@st.composite
def bundled_cases(draw: st.DrawFn, ids: tuple[str, ...], dates: list[dt.date]):
    req = request_of(draw, dates)
    closed = draw(st.booleans())
    selected = None
    if draw(st.integers(0, 3)) == 0:
        selected = draw(st.lists(st.sampled_from(ids), min_size=1, max_size=3, unique=True))
    return req, closed, selected


@pytest.fixture(scope="module")
def bundled_dates(bundled) -> list[dt.date]:
    return anchor_dates(bundled)


@settings(max_examples=1300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_engine_agrees_with_reference_on_bundled_specs(bundled, bundled_dates, data):
    req, closed, selected = data.draw(bundled_cases(tuple(bundled.instruments), bundled_dates))
    compare(bundled, req, closed, selected)


# -- small random spec sets -------------------------------------------------------------------

FACT_POOL = ("political_offence", "essential_interests", "no_dual_criminality", "fiscal_offence",
             "urgent")
FLAG_POOL = ("transnational", "committed_by_computer")
CATEGORY_POOL = ("illegal_access", "fraud", "terrorism", "other")
MEASURE_POOL = ("expedited_preservation", "extradition", "evidence_collection")
# Threshold 0 only as "> 0" / "<= 0": ">= 0" and "< 0" hit an engine bug, pinned by
# test_a_tautological_penalty_condition_is_not_a_question below.
THRESHOLDS = (0, 1, 2.5, 3, 4)
SMALL_STATES = ("FR", "US", "DE", "JP", "CN")
SMALL_DATES = (dt.date(2000, 1, 1), dt.date(2010, 1, 1), dt.date(2015, 6, 1), dt.date(2020, 1, 1))
ARTICLES = ("5", "5(1)", "5(1)(a),(c)", "29(4)")
OPPOSING = {"duty": {"discretion"}, "discretion": {"duty"}, "grounds": {"grounds", "exclusion"},
            "exclusion": {"grounds"}}


@st.composite
def conditions(draw: st.DrawFn, ids: list[str], reservations: list[str],
               protocols: list[str]) -> str:
    atoms = [*FACT_POOL, *FLAG_POOL, "true", "false", "bound_any(mla_treaty)",
             *(f"bound({i})" for i in ids), *(f"reservation({r})" for r in reservations),
             *(f"protocol({p})" for p in protocols)]
    atom = st.one_of(
        st.sampled_from(atoms),
        st.sets(st.sampled_from(CATEGORY_POOL), min_size=1, max_size=3).map(
            lambda cs: "category in {" + ", ".join(sorted(cs)) + "}"),
        st.sets(st.sampled_from(MEASURE_POOL), min_size=1, max_size=2).map(
            lambda ms: "measure in {" + ", ".join(sorted(ms)) + "}"),
        st.tuples(st.sampled_from((">=", ">", "<=", "<")), st.sampled_from(THRESHOLDS)).filter(
            lambda p: p[1] > 0 or p[0] in {">", "<="}).map(
            lambda p: f"max_penalty_years {p[0]} {p[1]:g}"),
    )

    def tree(depth: int) -> st.SearchStrategy[str]:
        if depth == 0:
            return atom
        inner = tree(depth - 1)
        return st.one_of(
            atom, atom,
            inner.map(lambda c: f"not ({c})"),
            st.lists(inner, min_size=2, max_size=3).map(
                lambda cs: " and ".join(f"({c})" for c in cs)),
            st.lists(inner, min_size=2, max_size=3).map(
                lambda cs: " or ".join(f"({c})" for c in cs)),
        )

    return draw(tree(draw(st.integers(0, 2))))


def _date(draw: st.DrawFn) -> str:
    return draw(st.sampled_from(SMALL_DATES)).isoformat()


@st.composite
def party_lists(draw: st.DrawFn, with_reservations: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "as_of": _date(draw),
        "completeness": draw(st.sampled_from(("complete", "partial", "uncertain"))),
        "sources": [{"url": "https://example.org/parties", "note": "Generated."}],
    }
    parties, absent = [], []
    for state in SMALL_STATES:
        kind = draw(st.sampled_from(("dated", "dated", "undated", "absent", "dated")))
        if kind == "absent":
            absent.append(state)
            continue
        entry: dict[str, Any] = {"state": state, "name": state}
        if kind == "dated":
            in_force = draw(st.sampled_from(SMALL_DATES[:2]))
            entry["in_force"] = in_force.isoformat()
            if draw(st.integers(0, 4)) == 0:  # a withdrawal takes effect after entry into force
                entry["withdrawn"] = draw(st.sampled_from(
                    [d for d in SMALL_DATES if d >= in_force])).isoformat()
        parties.append(entry)
    data["parties"] = parties
    if absent and draw(st.booleans()):
        unresolved = draw(st.sets(st.sampled_from(absent)))
        data["unresolved"] = sorted(unresolved)
        rest = [s for s in absent if s not in unresolved]
        if rest and draw(st.booleans()):
            data["non_parties"] = [{"state": s} for s in draw(st.sets(st.sampled_from(rest),
                                                                      min_size=1))]
    if draw(st.integers(0, 4)) == 0:
        data["entry_into_force"] = _date(draw)
    if draw(st.integers(0, 9)) == 0:
        data["instrument_in_force"] = False
    if with_reservations:
        reservations = []
        for state in draw(st.sets(st.sampled_from(SMALL_STATES), max_size=3)):
            res: dict[str, Any] = {"state": state, "article": draw(st.sampled_from(ARTICLES)),
                                   "summary": "Generated.",
                                   "status": draw(st.sampled_from(("in force", "withdrawn")))}
            for key in ("in_force", "withdrawn"):
                if draw(st.integers(0, 2)) == 0:
                    res[key] = _date(draw)
            if "in_force" in res and "withdrawn" in res and res["withdrawn"] < res["in_force"]:
                res["in_force"], res["withdrawn"] = res["withdrawn"], res["in_force"]
            reservations.append(res)
        data["reservations"] = reservations
        data["reservations_completeness"] = draw(st.sampled_from(("complete", "partial")))
    return data


@st.composite
def spec_sets(draw: st.DrawFn) -> dict[str, dict[str, Any]]:
    """One to three instruments: rules with random effects, measures and conditions, own
    grounds, reservations, protocols, and precedence that respects the spec language."""
    ids = [f"inst_{c}" for c in "abc"[:draw(st.integers(1, 3))]]
    specs = {}
    for inst_id in ids:
        reservations = ["res_a"] if draw(st.booleans()) else []
        inline = draw(st.booleans())
        parties: Any = "all"
        protocols: list[str] = []
        if inline:
            parties = draw(party_lists(bool(reservations)))
            if draw(st.integers(0, 2)) == 0:
                protocols = ["proto_a"]
                proto = draw(party_lists(False))
                del proto["sources"]
                parties["proto_a"] = proto
        cond = conditions(ids, reservations, protocols)
        own = [f"own_{k}" for k in range(draw(st.integers(0, 2)))]
        spec: dict[str, Any] = {
            "spec_version": 1, "id": inst_id, "title": f"Generated {inst_id}",
            "adopted": None, "entry_into_force": None,
            "sources": [{"url": "https://example.org", "note": "Generated."}],
            "parties": parties,
            "tags": ["mla_treaty"] if draw(st.booleans()) else [],
            "reservations": [{"id": r, "article": "5", "summary": "Generated."}
                             for r in reservations],
            "grounds": [{"id": g, "established_by": draw(cond), "summary": "Generated."}
                        for g in own],
        }
        rules = []
        n = draw(st.integers(1, 8))
        # A scope rule first and mostly a duty rule second, so that verdicts other than
        # not_applicable are common.
        first = ["scope", "duty"] if draw(st.integers(0, 3)) else ["scope"]
        for k in range(n):
            effect = first[k] if k < len(first) else draw(st.sampled_from(
                ("grounds", "exclusion", "grounds", "discretion", "duty", "scope", "displacement")))
            rule: dict[str, Any] = {
                "id": f"{inst_id}.r{k}", "cite": f"Art. {k}", "summary": "Generated rule.",
                "source": "https://example.org", "text_verified": draw(st.booleans()),
                "effect": effect,
                "measures": "all" if k == 0 or draw(st.integers(0, 2)) else sorted(draw(st.sets(
                    st.sampled_from(MEASURE_POOL), min_size=1))),
            }
            if draw(st.integers(0, 2)):
                rule["when"] = draw(cond)
            if effect in {"grounds", "exclusion"}:
                rule["grounds"] = sorted(draw(st.sets(st.sampled_from([*FACT_POOL[:4], *own]),
                                                      min_size=1, max_size=3)))
            if effect == "grounds" and draw(st.integers(0, 2)) == 0:
                rule["only"] = True
            rules.append(rule)
        # Precedence: a random order; a rule may override only rules below it (no cycle),
        # of the opposing effect (grounds over grounds only when one is a closed list).
        rank = draw(st.permutations(range(n)))
        for a in rules:
            targets = [b["id"] for b in rules if rank[rules.index(b)] < rank[rules.index(a)]
                       and b["effect"] in OPPOSING.get(a["effect"], set())
                       and not (a["effect"] == b["effect"] == "grounds"
                                and not (a.get("only") or b.get("only")))]
            if targets and draw(st.booleans()):
                a["overrides"] = sorted(draw(st.sets(st.sampled_from(targets), min_size=1)))
        spec["rules"] = rules
        specs[inst_id] = spec
    return specs


def load_specs(specs: dict[str, dict[str, Any]], folder: Path) -> coop_logic.KnowledgeBase:
    for inst_id, spec in specs.items():
        (folder / f"{inst_id}.yaml").write_text(yaml.safe_dump(spec, sort_keys=False))
    return coop_logic.load(spec_dirs=[folder])


@st.composite
def small_requests(draw: st.DrawFn) -> tuple[Request, bool]:
    dates = [*SMALL_DATES, dt.date(2026, 6, 1)]
    request = request_of(draw, dates, measures=(*MEASURE_POOL, "information_sharing"),
                         states=SMALL_STATES, facts=FACT_POOL)
    return request, draw(st.booleans())


REQUESTS_PER_SPEC_SET = 4


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(specs=spec_sets(), requests=st.lists(small_requests(), min_size=REQUESTS_PER_SPEC_SET,
                                            max_size=REQUESTS_PER_SPEC_SET),
       data=st.data())
def test_engine_agrees_with_reference_on_random_specs(specs, requests, data):
    with tempfile.TemporaryDirectory() as tmp:
        kb = load_specs(specs, Path(tmp))
    for request, closed in requests:
        selected = None
        if len(kb.instruments) > 1 and data.draw(st.integers(0, 3)) == 0:
            selected = data.draw(st.lists(st.sampled_from(list(kb.instruments)), min_size=1,
                                          unique=True))
        compare(kb, request, closed, selected)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(specs=spec_sets(), request=small_requests())
def test_reference_case_splitting_equals_visiting_every_completion(specs, request):
    """The reference's own check: splitting on the unknowns a value waits for gives what
    visiting every completion of the inputs the specs mention gives."""
    with tempfile.TemporaryDirectory() as tmp:
        kb = load_specs(specs, Path(tmp))
    req, closed = request
    enum = Enumerator(kb.instruments, known_inputs(kb.instruments, req.closed() if closed else req))
    free = [k for k in enum.unknowns() if k in mentioned_inputs(kb.instruments)]
    assume(math.prod(len(enum.domains[k]) for k in free) <= 4096)
    split = reference_evaluate(kb.instruments, req, list(kb.instruments), closed_world=closed)
    every = reference_evaluate(kb.instruments, req, list(kb.instruments), closed_world=closed,
                               exhaustive=True)
    assert split == every


# -- the reference on its own, against the spec language ------------------------------------


def _rule(inst: str, name: str, effect: str, when: str = "true", **extra: Any) -> dict[str, Any]:
    return {"id": f"{inst}.{name}", "cite": name, "summary": "Test rule.",
            "source": "https://example.org", "text_verified": True, "effect": effect,
            "measures": "all", "when": when, **extra}


def _spec(inst: str, rules: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {"spec_version": 1, "id": inst, "title": inst, "adopted": None,
            "entry_into_force": None, "sources": [{"url": "https://example.org", "note": "x"}],
            "parties": "all", "rules": rules, **extra}


def _request(**offence_and_facts: Any) -> Request:
    offence = {k: v for k, v in offence_and_facts.items()
               if k in {"category", "max_penalty_years", *OFFENCE_FLAGS}}
    facts = {k: v for k, v in offence_and_facts.items() if k in FACTS}
    return Request.from_dict({"requesting_state": "FR", "requested_state": "US",
                              "measure": "extradition", "date": "2026-06-01",
                              "offence": offence, "facts": facts})


@pytest.fixture(scope="module")
def treaty(tmp_path_factory) -> coop_logic.KnowledgeBase:
    """Scope, a duty, grounds with an exclusion that one giving rule overrides, a closed
    list, and a discretion when urgent."""
    rules = [
        _rule("t", "scope", "scope", "max_penalty_years >= 1"),
        _rule("t", "duty", "duty"),
        _rule("t", "may", "discretion", "urgent"),
        _rule("t", "grounds", "grounds", grounds=["political_offence", "fiscal_offence"]),
        _rule("t", "nofiscal", "exclusion", "category in {fraud}", grounds=["fiscal_offence"]),
        _rule("t", "only", "grounds", "category in {terrorism}", grounds=["essential_interests"],
              only=True),
    ]
    folder = tmp_path_factory.mktemp("treaty")
    return load_specs({"t": _spec("t", rules)}, folder)


@pytest.mark.parametrize(("inputs", "status", "grounds"), [
    ({"max_penalty_years": 0.5}, "not_applicable", ()),
    ({"max_penalty_years": 2, "urgent": True}, "discretionary", ()),
    ({"max_penalty_years": 2, "urgent": False, "political_offence": False,
      "fiscal_offence": False, "category": "other"}, "mandatory", ()),
    ({"max_penalty_years": 2, "urgent": False, "political_offence": True,
      "fiscal_offence": True, "category": "other"}, "refusable",
     ("political_offence", "fiscal_offence")),
    # The exclusion removes the fiscal ground for fraud; the closed list for terrorism
    # removes both grounds of the giving rule and gives essential_interests only.
    ({"max_penalty_years": 2, "urgent": False, "political_offence": False,
      "fiscal_offence": True, "category": "fraud"}, "mandatory", ()),
    ({"max_penalty_years": 2, "urgent": False, "political_offence": True,
      "essential_interests": True, "category": "terrorism"}, "refusable",
     ("essential_interests",)),
])
def test_reference_reads_the_spec_language(treaty, inputs, status, grounds):
    ref = reference_evaluate(treaty.instruments, _request(**inputs), ["t"])["t"]
    assert (ref.status, ref.grounds) == (status, grounds)


def test_reference_unknowns_and_depends_on(treaty):
    ref = reference_evaluate(treaty.instruments, _request(max_penalty_years=2, category="other",
                                                          political_offence=False), ["t"])
    verdict = ref["t"]
    assert verdict.possible == ("mandatory", "refusable", "discretionary")
    assert verdict.depends_on == ("fiscal_offence", "urgent")
    assert ref.overall.possible == ("mandatory", "refusable", "discretionary")
    assert ref.overall.basis == ("t",)
    # Without the penalty, scope is open too; the category decides whether the closed list
    # takes the political ground away.
    ref = reference_evaluate(treaty.instruments, _request(political_offence=True,
                                                          fiscal_offence=False, urgent=False,
                                                          essential_interests=False),
                             ["t"])
    assert ref["t"].possible == ("mandatory", "refusable", "not_applicable")
    assert ref["t"].depends_on == ("offence.category", "offence.max_penalty_years")
    assert holds(parse_condition("max_penalty_years >= 1 and not urgent"),
                 treaty.instruments["t"], treaty.instruments,
                 {"offence.max_penalty_years": 1.0, "urgent": False}) is True
    with pytest.raises(ValueError, match="urgent"):
        holds(parse_condition("urgent"), treaty.instruments["t"], treaty.instruments, {})


def test_refusable_without_a_ground_common_to_every_completion(tmp_path):
    """Refusable whatever `urgent` is, on one own ground or the other: the engine lists the
    grounds of one model, which must be those of some completion."""
    rules = [_rule("g", "scope", "scope"), _rule("g", "duty", "duty"),
             _rule("g", "grounds", "grounds", grounds=["own_a", "own_b"])]
    grounds = [{"id": "own_a", "established_by": "urgent", "summary": "x"},
               {"id": "own_b", "established_by": "not urgent", "summary": "x"}]
    kb = load_specs({"g": _spec("g", rules, grounds=grounds)}, tmp_path)
    request = _request()
    ref = reference_evaluate(kb.instruments, request, ["g"])["g"]
    assert (ref.status, ref.grounds) == ("refusable", ())
    assert ref.ground_sets == {frozenset({"own_a"}), frozenset({"own_b"})}
    compare(kb, request, False, None)


# -- engine bugs found by these tests (kept as regression tests) ----------------------------


def test_close_penalty_thresholds_are_told_apart(tmp_path):
    rules = [_rule("p", "scope", "scope", "max_penalty_years >= 2.5"),
             _rule("p", "duty", "duty", "max_penalty_years < 2.5000001")]
    kb = load_specs({"p": _spec("p", rules)}, tmp_path)
    request = _request(max_penalty_years=2.5)
    assert reference_evaluate(kb.instruments, request, ["p"])["p"].status == "mandatory"
    assert kb.evaluate(request, traces=False)["p"].status == "mandatory"


def test_a_tautological_penalty_condition_is_not_a_question(tmp_path):
    rules = [_rule("z", "scope", "scope", "urgent"),
             _rule("z", "duty", "duty", "max_penalty_years >= 0")]
    kb = load_specs({"z": _spec("z", rules)}, tmp_path)
    request = _request()
    ref = reference_evaluate(kb.instruments, request, ["z"])
    assert (ref["z"].depends_on, ref.overall.depends_on) == (("urgent",), ("urgent",))
    result = kb.evaluate(request, traces=False)
    assert result["z"].possible == ("mandatory", "not_applicable")
    assert (result["z"].depends_on, result.overall.depends_on) == (("urgent",), ("urgent",))


def test_protocol_naming_no_protocol_is_a_spec_error(tmp_path):
    # Found while writing the spec generator (compile failed with a KeyError, an internal
    # error); fixed in the loader since.
    rules = [_rule("p", "scope", "scope", "protocol(nonexistent)")]
    with pytest.raises(coop_logic.SpecError, match="nonexistent"):
        load_specs({"p": _spec("p", rules)}, tmp_path)
