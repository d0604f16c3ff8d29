"""`coop-logic diff` on party-data corrections of one or a few States: every change that
can move a verdict is found, in every instrument whose verdict reads the corrected data
(its own party data, or another instrument's it refers to), and each witness request,
evaluated on OLD and NEW, gets the verdict the report says.

Pinned: Greece not bound by the Budapest Convention on the date (laxer both ways); Greece
and Hungary both (two States whose data changed alike, each with its own witness);
Austria not bound by the EIO Directive (laxer under the Directive and under Budapest,
whose Art. 27(4) route no longer gives way to it; stricter under the 1959 Convention,
which the Directive no longer replaces for Austria).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import coop_logic
from coop_logic.analysis.diff import RANK
from tests.analysis.test_diff import SPECS, diff_json, status

CORRECTION = """\
instrument: {instrument}
title: a correction of {states}
as_of: 2026-01-14
sources:
- url: https://example.org/correction
  note: the corrected entries
completeness: {completeness}
parties:
{entries}
"""


def correction(folder: Path, instrument: str, completeness: str,
               entries: dict[str, str]) -> Path:
    """A party file holding only the corrected States (merged State by State)."""
    path = folder / f"{instrument}_correction.yaml"
    path.write_text(CORRECTION.format(
        instrument=instrument, states=", ".join(entries), completeness=completeness,
        entries="\n".join(f"- {{state: {s}, name: {s}, in_force: {d}, "
                          "source: 'https://example.org/correction'}"
                          for s, d in entries.items())), encoding="utf-8")
    return path


def check_witnesses(report: dict[str, Any], old: coop_logic.KnowledgeBase,
                    new: coop_logic.KnowledgeBase) -> int:
    """Every witness with a real pair of States rises (stricter) or falls (laxer) from OLD
    to NEW; returns how many were checked."""
    checked = 0
    for change in report["changes"]:
        for field, sign in (("stricter_witness", 1), ("laxer_witness", -1)):
            witness = change[field]
            if witness is None or "??" in (witness["requesting_state"],
                                            witness["requested_state"]):
                continue
            assert witness[f"{change['role']}_state"] == change["state"]
            assert witness["requesting_state"] != witness["requested_state"]
            before = status(old, witness, change["instrument"])
            after = status(new, witness, change["instrument"])
            assert before.determined and after.determined
            assert (RANK[after.status] - RANK[before.status]) * sign > 0, (change, witness)
            checked += 1
    return checked


def directions(report: dict[str, Any]) -> set[tuple[str, str, str, str]]:
    return {(c["instrument"], c["state"], c["role"], c["direction"]) for c in report["changes"]}


@pytest.fixture(scope="module")
def greece_leaves(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    path = correction(tmp_path_factory.mktemp("gr"), "budapest", "partial", {"GR": "2027-05-01"})
    return {"report": diff_json(SPECS / "parties" / "budapest.yaml", path),
            "new": coop_logic.load(parties=[path])}


def test_a_one_state_correction_reports_that_state_only_in_both_roles(greece_leaves):
    assert directions(greece_leaves["report"]) == {
        ("budapest", "GR", "requesting", "laxer"), ("budapest", "GR", "requested", "laxer")}
    pairs = {(c["measure"], c["role"]) for c in greece_leaves["report"]["changes"]}
    measures = {m for m, _ in pairs}
    assert {"expedited_preservation", "extradition"} <= measures
    assert pairs == {(m, r) for m in measures for r in ("requesting", "requested")}
    assert len(greece_leaves["report"]["changes"]) == len(pairs)


def test_each_witness_of_a_one_state_correction_really_loses(greece_leaves, kb):
    assert check_witnesses(greece_leaves["report"], kb, greece_leaves["new"]) == len(
        greece_leaves["report"]["changes"])


def test_states_corrected_alike_each_get_a_witness_of_their_own(tmp_path, kb):
    path = correction(tmp_path, "budapest", "partial", {"GR": "2027-05-01", "HU": "2027-05-01"})
    report = diff_json(SPECS / "parties" / "budapest.yaml", path)
    by_state = {s: [c for c in report["changes"] if c["state"] == s] for s in ("GR", "HU")}
    assert len(by_state["GR"]) == len(by_state["HU"]) > 0
    assert {(c["measure"], c["role"], c["direction"]) for c in by_state["GR"]} == {
        (c["measure"], c["role"], c["direction"]) for c in by_state["HU"]}
    new = coop_logic.load(parties=[path])
    assert check_witnesses(report, kb, new) == len(report["changes"])


@pytest.fixture(scope="module")
def austria_leaves_the_eio(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    path = correction(tmp_path_factory.mktemp("eio"), "eu_eio", "complete", {"AT": "2030-01-01"})
    return {"report": diff_json(SPECS / "parties" / "eu_eio.yaml", path),
            "new": coop_logic.load(parties=[path])}


def test_a_correction_is_found_in_the_instruments_that_refer_to_the_corrected_one(
        austria_leaves_the_eio):
    found = directions(austria_leaves_the_eio["report"])
    for role in ("requesting", "requested"):
        assert ("eu_eio", "AT", role, "laxer") in found
        assert ("budapest", "AT", role, "laxer") in found  # bound(eu_eio) in Budapest
        assert ("ecma_1959", "AT", role, "stricter") in found  # bound(eu_eio) in the 1959 Conv.
    assert {state for _, state, _, _ in found} == {"AT"}


def test_the_witnesses_of_a_correction_referred_to_change_the_verdict_both_ways(
        austria_leaves_the_eio, kb):
    report = austria_leaves_the_eio["report"]
    assert check_witnesses(report, kb, austria_leaves_the_eio["new"]) > 0
    real = {c["instrument"] for c in report["changes"]
            for w in (c["stricter_witness"], c["laxer_witness"])
            if w and "??" not in (w["requesting_state"], w["requested_state"])}
    assert {"eu_eio", "budapest", "ecma_1959"} <= real


def test_a_correction_the_date_does_not_reach_changes_nothing(tmp_path):
    # Greece bound from 2017-05-01 or from 2020-01-01: the same on the date of the diff
    # (2026-06-01)
    path = correction(tmp_path, "budapest", "partial", {"GR": "2020-01-01"})
    assert diff_json(SPECS / "parties" / "budapest.yaml", path)["changes"] == []
