"""Decisive questions (`coop-logic ask`): the fewest unknowns that settle a verdict."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

import coop_logic
from coop_logic.questions import Session, SettleSearch, decisive_questions
from tests.helpers import make_request

EXE = Path(sys.executable).parent / "coop-logic"

FIVE_UNKNOWN = ("political_offence", "essential_interests", "no_dual_criminality",
                "fiscal_offence", "person_is_national")


def all_known_but(unknown: tuple[str, ...], **changes: bool) -> dict[str, bool]:
    facts = {f: False for f in coop_logic.FACTS if f not in unknown}
    facts.update(changes)
    return facts


def preservation(**extra: Any) -> dict[str, Any]:
    """FR asks US to preserve data about illegal access: Budapest applies; every offence
    field known; only the facts left out are unknown."""
    offence = {"category": "illegal_access", "max_penalty_years": 5, "transnational": True,
               "organized_criminal_group": False, "committed_by_computer": True,
               "electronic_evidence": True}
    return make_request(offence=offence, facts=all_known_but(FIVE_UNKNOWN), **extra)


@pytest.mark.parametrize("instrument", [None, "budapest"])
def test_five_unknowns_two_matter(kb: coop_logic.KnowledgeBase, instrument: str | None) -> None:
    """Done-when: of five unknown facts, only the two Art. 29(5) grounds matter."""
    q = decisive_questions(kb, preservation(instruments=["budapest"]), instrument=instrument)
    assert q.status == "undetermined"
    assert q.possible == ("mandatory", "refusable")
    assert set(q.unknowns) == {"political_offence", "essential_interests"}
    assert q.minimum and not q.alternatives and not q.others
    for question in q.questions:
        by_value = {a.value: a for a in question.answers}
        assert by_value[True].possible == ("refusable",) and by_value[True].status == "refusable"
        assert by_value[False].possible == ("mandatory", "refusable")
        assert by_value[False].status == "undetermined"
        assert question.narrowing == 0.5


def test_determined_verdict_has_no_questions(kb: coop_logic.KnowledgeBase) -> None:
    request = preservation(instruments=["budapest"])
    request["facts"].update(political_offence=False, essential_interests=False)
    q = decisive_questions(kb, request, instrument="budapest")
    assert q.status == "mandatory" and q.questions == () and q.possible == ("mandatory",)


def untoc_request() -> dict[str, Any]:
    unknown = ("no_dual_criminality", "essential_interests")
    return make_request(measure="stored_data_access",
                        offence={"category": "fraud", "max_penalty_years": 5},
                        facts=all_known_but(unknown), instruments=["untoc"])


def test_settling_set_beyond_the_exact_search(kb: coop_logic.KnowledgeBase) -> None:
    """Four unknowns needed (UNTOC scope needs both offence flags, then two grounds):
    the greedy extension finds them, and every answer to them settles the verdict."""
    request = untoc_request()
    q = decisive_questions(kb, request, instrument="untoc")
    expected = {"offence.transnational", "offence.organized_criminal_group",
                "no_dual_criminality", "essential_interests"}
    assert set(q.unknowns) == expected
    assert q.minimum  # every set of three was refuted by the exact search
    scope_first = [question.unknown for question in q.questions][:2]
    assert set(scope_first) == {"offence.transnational", "offence.organized_criminal_group"}
    for values in itertools.product([True, False], repeat=4):
        fixed = dict(zip(sorted(expected), values, strict=True))
        changed = json.loads(json.dumps(request))
        for key, value in fixed.items():
            if key.startswith("offence."):
                changed["offence"][key.removeprefix("offence.")] = value
            else:
                changed["facts"][key] = value
        assert kb.evaluate(changed, instruments=["untoc"], traces=False)["untoc"].determined


def test_answers_follow_the_engine(kb: coop_logic.KnowledgeBase) -> None:
    """Each answer's possible statuses are those the engine gives with that value set."""
    request = untoc_request()
    q = decisive_questions(kb, request, instrument="untoc")
    for question in q.questions:
        for answer in question.answers:
            changed = json.loads(json.dumps(request))
            name = question.unknown
            if name.startswith("offence."):
                changed["offence"][name.removeprefix("offence.")] = answer.value
            else:
                changed["facts"][name] = answer.value
            verdict = kb.evaluate(changed, instruments=["untoc"], traces=False)["untoc"]
            assert verdict.possible == answer.possible, (name, answer.value)


@pytest.mark.parametrize("instrument", [None, "budapest", "untoc"])
def test_empty_set_settles_exactly_determined_verdicts(kb: coop_logic.KnowledgeBase,
                                                       instrument: str | None) -> None:
    """The two-copy solver agrees with the engine on what is determined."""
    requests = [
        make_request(),
        make_request(offence={"category": "illegal_access"}),
        preservation(),
        make_request(offence={"category": "fraud"}, facts={f: False for f in coop_logic.FACTS}),
        make_request(requested="NZ", date="2025-06-01"),
    ]
    for request in requests:
        session = Session(kb, request, False, instrument)
        settles = SettleSearch(session).settling([]) is None
        assert settles == (len(session.current.possible) == 1), request


def test_overall_questions_settle_the_overall(kb: coop_logic.KnowledgeBase) -> None:
    request = preservation()
    q = decisive_questions(kb, request)
    assert q.status == "undetermined" and q.instrument is None
    session = Session(kb, request, False, None)
    groups = [session.group_of[name] for name in q.unknowns]
    search = SettleSearch(session)
    assert search.settling(groups) is None
    for g in groups:  # irredundant: no member can be dropped
        assert search.settling([x for x in groups if x != g]) is not None


def test_category_answers_group_alike_categories(kb: coop_logic.KnowledgeBase) -> None:
    request = make_request(facts={f: False for f in coop_logic.FACTS},
                           offence={"committed_by_computer": False, "electronic_evidence": False})
    q = decisive_questions(kb, request, instrument="budapest")
    assert q.unknowns == ("offence.category",)
    (question,) = q.questions
    by_status = {a.status: a for a in question.answers}
    assert set(by_status) == {"mandatory", "not_applicable"}
    assert "illegal_access" in by_status["mandatory"].value
    assert "fraud" in by_status["not_applicable"].value
    assert question.narrowing == 1.0


# -- the command line -----------------------------------------------------------------------


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "COOP_LOGIC_DEBUG"}
    env["COLUMNS"] = "200"
    return subprocess.run([str(EXE), *map(str, args)], capture_output=True, text=True,
                          env=env, timeout=120, check=False)


def write(tmp_path: Path, request: dict[str, Any]) -> Path:
    path = tmp_path / "request.yaml"
    path.write_text(yaml.safe_dump(request, sort_keys=False), encoding="utf-8")
    return path


def test_cli_ask_json(tmp_path: Path) -> None:
    path = write(tmp_path, preservation(instruments=["budapest"]))
    proc = run("ask", path, "--json", "--instrument", "budapest")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert set(out) == {"instrument", "status", "possible", "depends_on", "questions", "minimum",
                        "alternatives", "others", "request", "closed_world"}
    assert out["instrument"] == "budapest" and out["status"] == "undetermined"
    assert {q["unknown"] for q in out["questions"]} == {"political_offence", "essential_interests"}
    for q in out["questions"]:
        assert set(q) == {"unknown", "narrowing", "answers"}
        for a in q["answers"]:
            assert set(a) == {"value", "label", "possible", "status"}


def test_cli_ask_text_and_closed_world(tmp_path: Path) -> None:
    path = write(tmp_path, make_request(offence={"category": "illegal_access"}))
    proc = run("ask", path, "--instrument", "budapest")
    assert proc.returncode == 0, proc.stderr
    assert "political_offence" in proc.stdout and "essential_interests" in proc.stdout
    proc = run("ask", path, "--instrument", "budapest", "--closed-world")
    assert proc.returncode == 0, proc.stderr
    assert "nothing to ask" in proc.stdout


def test_cli_ask_bad_input(tmp_path: Path) -> None:
    path = write(tmp_path, make_request())
    proc = run("ask", path, "--instrument", "budapset")
    assert proc.returncode == 2 and proc.stdout == ""
    assert "budapest" in proc.stderr
    proc = run("ask", tmp_path / "missing.yaml")
    assert proc.returncode == 2 and proc.stdout == ""
