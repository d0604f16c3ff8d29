"""What-if (`coop-logic whatif`): the fewest changes that reach a target status, and why not."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

import coop_logic
from coop_logic.practice.whatif import what_if
from tests.helpers import make_request
from tests.helpers import run_cli as run

EXE = Path(sys.executable).parent / "coop-logic"


def refusable_preservation() -> dict[str, Any]:
    """FR asks US to preserve data about illegal access; the offence is political."""
    facts = {f: False for f in coop_logic.FACTS}
    facts["political_offence"] = True
    return make_request(offence={"category": "illegal_access"}, facts=facts)


def ids(steps: Any) -> list[str]:
    return [s.id for s in steps]


@pytest.mark.parametrize("instrument", ["budapest", None])
def test_removing_the_ground_makes_it_mandatory(kb: coop_logic.KnowledgeBase,
                                                instrument: str | None) -> None:
    """Done-when: on a refusable request, the removal of the established ground."""
    w = what_if(kb, refusable_preservation(), "mandatory", instrument=instrument, closed_world=True)
    assert w.status == "refusable" and not w.reached
    facts = w.of_kind("facts")
    assert facts, w
    first = facts[0]
    assert [c.to_dict() for c in first.changes] == [
        {"id": "political_offence", "from": True, "to": False}]
    assert first.assuming == () and first.status == "mandatory" and first.reaches == "certainly"
    assert first.request.facts["political_offence"] is False
    assert "budapest.art29.5" in ids(first.verdicts["budapest"].trace)
    budapest = next(c for c in w.contrast if c.instrument == "budapest")
    assert budapest.status == "refusable" and budapest.excluded == ("mandatory",)
    assert "budapest.art29.5" in ids(budapest.trace)
    assert {"kind": "fact", "id": "political_offence", "value": True} in [
        s.to_dict() for s in budapest.trace]


@pytest.mark.parametrize(("requested", "date", "instrument", "measure", "expected"), [
    ("NZ", "2025-06-01", "budapest", "expedited_preservation", dt.date(2025, 12, 1)),
    ("DE", "2026-06-01", "eu_e_evidence", "stored_data_access", dt.date(2026, 8, 18)),
])
def test_not_yet_in_force_gives_the_entry_into_force(
        kb: coop_logic.KnowledgeBase, requested: str, date: str, instrument: str, measure: str,
        expected: dt.date) -> None:
    """Done-when: before a State's entry into force, the date of entry into force."""
    request = make_request(requested=requested, date=date, measure=measure,
                           offence={"category": "illegal_access"})
    w = what_if(kb, request, "mandatory", instrument=instrument, closed_world=True)
    assert w.status == "not_applicable"
    (answer,) = w.of_kind("date")
    assert answer.date == expected and answer.request.date == expected
    assert answer.status == "mandatory" and answer.reaches == "certainly"
    assert any(s.kind == "party" and s.value for s in answer.verdicts[instrument].trace)
    (contrast,) = w.contrast
    assert any(s.kind == "party" and s.value is False for s in contrast.trace)
    assert w.of_kind("facts") == ()  # no fact makes a State a Party


def test_other_instruments_that_give_the_target(kb: coop_logic.KnowledgeBase) -> None:
    request = make_request(requested="DE", measure="stored_data_access",
                           offence={"category": "illegal_access"})
    w = what_if(kb, request, "mandatory", instrument="eu_e_evidence", closed_world=True)
    by = {a.instrument: a for a in w.of_kind("instrument")}
    assert {"budapest", "eu_eio"} <= set(by)
    assert "eu_e_evidence" not in by
    assert by["eu_eio"].status == "mandatory" and by["eu_eio"].request.instruments == ("eu_eio",)
    assert by["eu_eio"].verdicts["eu_eio"].trace


def test_unknowns_the_target_needs(kb: coop_logic.KnowledgeBase) -> None:
    """Undetermined: no known fact changes, but the target needs two unknowns' values."""
    request = make_request(offence={"category": "illegal_access"})
    w = what_if(kb, request, "mandatory", instrument="budapest")
    assert w.status == "undetermined" and w.contrast == ()
    (answer,) = w.of_kind("facts")
    assert answer.changes == ()
    assert {(c.id, c.after) for c in answer.assuming} == {
        ("political_offence", False), ("essential_interests", False)}
    assert answer.status == "mandatory" and answer.reaches == "certainly"


def test_category_change_brings_the_request_into_scope(kb: coop_logic.KnowledgeBase) -> None:
    request = make_request(offence={"category": "fraud"})
    w = what_if(kb, request, "mandatory", instrument="budapest", closed_world=True)
    changes = [[c.id for c in a.changes] for a in w.of_kind("facts")]
    assert ["offence.category"] in changes
    assert ["offence.committed_by_computer"] in changes
    assert ["offence.electronic_evidence"] in changes
    category = next(a for a in w.of_kind("facts") if a.changes[0].id == "offence.category")
    assert category.changes[0].before == "fraud"
    assert category.changes[0].after in coop_logic.CATEGORIES
    assert category.status == "mandatory"
    (contrast,) = w.contrast
    assert "budapest.art25.1.scope" in ids(contrast.trace)


def test_target_already_reached(kb: coop_logic.KnowledgeBase) -> None:
    request = make_request(offence={"category": "illegal_access"})
    w = what_if(kb, request, "mandatory", instrument="budapest", closed_world=True)
    assert w.reached and w.answers == () and w.contrast == ()


def test_overall_contrast_names_the_stronger_instrument(kb: coop_logic.KnowledgeBase) -> None:
    """Overall mandatory; target discretionary: the instrument giving the duty is why."""
    request = make_request(offence={"category": "illegal_access"})
    w = what_if(kb, request, "discretionary", closed_world=True)
    assert w.status == "mandatory"
    assert [c.instrument for c in w.contrast] == ["budapest"]
    assert w.contrast[0].excluded == ("discretionary", "not_applicable")


def test_bad_target(kb: coop_logic.KnowledgeBase) -> None:
    with pytest.raises(coop_logic.RequestError):
        what_if(kb, make_request(), "not_applicable")
    with pytest.raises(coop_logic.RequestError):
        what_if(kb, make_request(), "compulsory", instrument="budapest")


# -- the command line -----------------------------------------------------------------------




def write(tmp_path: Path, request: dict[str, Any]) -> Path:
    path = tmp_path / "request.yaml"
    path.write_text(yaml.safe_dump(request, sort_keys=False), encoding="utf-8")
    return path


def test_cli_whatif_json(tmp_path: Path) -> None:
    path = write(tmp_path, make_request(requested="NZ", date="2025-06-01",
                                        offence={"category": "illegal_access"}))
    proc = run("whatif", path, "--target", "mandatory", "--instrument", "budapest",
               "--closed-world", "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert set(out) == {"instrument", "target", "status", "possible", "reached", "answers",
                        "contrast", "request", "closed_world"}
    date = [a for a in out["answers"] if a["kind"] == "date"]
    assert [a["date"] for a in date] == ["2025-12-01"]
    assert set(date[0]) == {"kind", "changes", "assuming", "date", "instrument", "status",
                            "possible", "reaches", "request", "verdicts"}
    assert date[0]["verdicts"]["budapest"]["status"] == "mandatory"
    assert out["contrast"][0]["trace"][0]["id"] == "party:budapest:NZ"


def test_cli_whatif_text(tmp_path: Path) -> None:
    path = write(tmp_path, refusable_preservation())
    proc = run("whatif", path, "--target", "mandatory", "--instrument", "budapest")
    assert proc.returncode == 0, proc.stderr
    assert "political_offence: true -> false" in proc.stdout
    assert "Art. 29(5)" in proc.stdout


def test_cli_whatif_bad_target(tmp_path: Path) -> None:
    path = write(tmp_path, make_request())
    proc = run("whatif", path, "--target", "not_applicable")
    assert proc.returncode == 2 and proc.stdout == ""
    assert "--target" in proc.stderr
    proc = run("whatif", path)
    assert proc.returncode == 2 and proc.stdout == ""
