"""Decisive questions (`coop-logic ask`): the fewest unknowns that settle a verdict."""

from __future__ import annotations

import copy
import itertools
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import coop_logic
from coop_logic.explain.text import explanation_lines as lines_of
from coop_logic.explain.text import explanation_text, unless, unless_all
from coop_logic.practice.ask import Session, SettleSearch, decisive_questions
from coop_logic.strategies import requests
from tests.helpers import make_request
from tests.helpers import run_cli as run

EXE = Path(sys.executable).parent / "coop-logic"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "requests"

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
                        "alternatives", "others", "jointly", "request", "closed_world",
                        "unless", "settle_with_instrument"}
    assert out["unless"] == "mandatory unless political_offence or essential_interests"
    assert out["settle_with_instrument"] is None  # asked of budapest itself
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


# -- ask and depends_on ---------------------------------------------------------------------


@settings(max_examples=25, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.filter_too_much])
@given(request=requests(measures=["stored_data_access", "extradition", "expedited_preservation"],
                        unknown_rate=0.3),
       instrument=st.sampled_from([None, "untoc", "budapest", "ecma_1959"]))
def test_ask_and_depends_on_agree_or_ask_says_why(kb: coop_logic.KnowledgeBase,
                                                  request: dict[str, Any],
                                                  instrument: str | None) -> None:
    """Every question is in depends_on or reported in `jointly` (no answer to it alone
    narrows the verdict, one together with another question's does); every unknown of
    depends_on is a question or reported in `others`, and the engine agrees that the
    questions settle the verdict: every combination of Boolean answers determines it."""
    q = decisive_questions(kb, request, instrument=instrument)
    depends = set(q.depends_on)
    joint = {j.unknown: j for j in q.jointly}
    assert set(q.unknowns) <= depends | set(joint)
    assert depends <= set(q.unknowns) | set(q.others)
    in_request = all(u in coop_logic.FACTS or u.startswith("offence.") for u in q.unknowns)
    if q.questions and len(q.questions) <= 4 and in_request and all(
            isinstance(a.value, bool) for question in q.questions for a in question.answers):
        for values in itertools.product([True, False], repeat=len(q.questions)):
            answered = with_answers(request, dict(zip(q.unknowns, values, strict=True)))
            result = kb.evaluate(answered, instruments=[instrument] if instrument else None,
                                 traces=False)
            verdict = result[instrument] if instrument else result.overall
            assert len(verdict.possible) == 1, (q.unknowns, values, verdict.depends_on)
    for question in q.questions:
        if question.unknown in joint:
            assert question.unknown not in depends
            # depends_on's own reading: no single answer rules a status out
            assert all(a.possible == q.possible for a in question.answers), question
            j = joint[question.unknown]
            assert set(j.partners) <= set(q.unknowns) - {question.unknown}
            if j.labels:  # one partner and a pair of answers that narrows the verdict
                assert len(j.partners) == 1 and len(j.possible) < len(q.possible)


def with_answers(request: dict[str, Any], answers: dict[str, Any]) -> dict[str, Any]:
    """The request with these unknowns (named as in depends_on) given."""
    changed = copy.deepcopy(request)
    for name, value in answers.items():
        if name.startswith("offence."):
            changed["offence"] = {**(changed.get("offence") or {}),
                                  name.removeprefix("offence."): value}
        else:
            changed["facts"] = {**(changed.get("facts") or {}), name: value}
    return changed


def test_a_ground_that_can_be_obligatory_is_asked_about(kb: coop_logic.KnowledgeBase) -> None:
    """EIO Art. 10-11: whether the measure exists in the executing State's law decides the
    verdict beside the Art. 11(1) grounds; a two-copy encoding that shared the atoms of
    obligatory grounds between its copies took it as settled by the others."""
    request = yaml.safe_load((EXAMPLES / "at-preservation-fraud.yaml").read_text("utf-8"))
    q = decisive_questions(kb, request, instrument="eu_eio")
    assert "not_available_domestically" in q.unknowns and not q.others
    for values in itertools.product([False], repeat=len(q.unknowns)):
        answered = with_answers(request, dict(zip(q.unknowns, values, strict=True)))
        assert kb.evaluate(answered, instruments=["eu_eio"])["eu_eio"].determined
    partial = with_answers(request, {u: False for u in q.unknowns
                                     if u != "not_available_domestically"})
    assert not kb.evaluate(partial, instruments=["eu_eio"])["eu_eio"].determined


def scope_unknown() -> dict[str, Any]:
    """UNTOC, stored data: every fact known false, the whole offence unknown."""
    return make_request(measure="stored_data_access", facts=all_known_but(()),
                        instruments=["untoc"])


def test_category_and_penalty_are_asked_though_neither_alone_is_in_depends_on(
        kb: coop_logic.KnowledgeBase) -> None:
    """UNTOC Art. 2(b) with Arts. 6 and 8: the offence is covered by its category or by its
    penalty; while transnationality is open too, neither alone narrows the verdict."""
    q = decisive_questions(kb, scope_unknown(), instrument="untoc")
    assert q.possible == ("mandatory", "not_applicable")
    assert set(q.depends_on) == {"offence.transnational", "offence.organized_criminal_group"}
    assert set(q.unknowns) == {*q.depends_on, "offence.category", "offence.max_penalty_years"}
    joint = {j.unknown: j for j in q.jointly}
    assert set(joint) == {"offence.category", "offence.max_penalty_years"}
    assert joint["offence.category"].partners == ("offence.max_penalty_years",)
    assert joint["offence.category"].possible == ("not_applicable",)
    # the engine agrees: a category outside Arts. 6 and 8 with a penalty under a year
    changed = scope_unknown()
    changed["offence"] = {"category": "fraud", "max_penalty_years": 0}
    assert kb.evaluate(changed, traces=False)["untoc"].status == "not_applicable"


def test_cli_ask_says_why_a_question_is_outside_depends_on(tmp_path: Path) -> None:
    proc = run("ask", write(tmp_path, scope_unknown()), "--instrument", "untoc")
    assert proc.returncode == 0, proc.stderr
    assert ("offence.category is asked though not in depends_on: no answer to it alone "
            "narrows the verdict, but together with offence.max_penalty_years it does") in (
        " ".join(proc.stdout.split()))


# -- "mandatory unless ..." -------------------------------------------------------------------


@pytest.mark.parametrize("instrument", [None, "budapest"])
def test_unless_names_the_unknown_grounds_that_make_it_refusable(
        kb: coop_logic.KnowledgeBase, instrument: str | None) -> None:
    request = preservation(instruments=["budapest"])
    result = kb.evaluate(request)
    found = unless(kb, result, instrument)
    assert found is not None and found.exact
    assert found.facts == ("political_offence", "essential_interests")
    assert found.grounds == (("political_offence",), ("essential_interests",))
    assert found.text == "mandatory unless political_offence or essential_interests"
    for fact in found.facts:  # each, true, makes Budapest refusable (Art. 29(5))
        changed = json.loads(json.dumps(request))
        changed["facts"][fact] = True
        assert kb.evaluate(changed)["budapest"].status == "refusable"
    changed = json.loads(json.dumps(request))
    changed["facts"].update(political_offence=False, essential_interests=False)
    assert kb.evaluate(changed)["budapest"].status == "mandatory"


def test_unless_says_which_unknown_fact_would_oblige_a_refusal(kb: coop_logic.KnowledgeBase
                                                               ) -> None:
    request = yaml.safe_load((EXAMPLES / "at-preservation-fraud.yaml").read_text("utf-8"))
    found = unless(kb, kb.evaluate(request, instruments=["eu_eio"]), "eu_eio")
    assert found is not None
    for fact in found.facts:  # "(must refuse)" exactly where the engine reports it so
        changed = with_answers(request, {fact: True})
        verdict = kb.evaluate(changed, instruments=["eu_eio"])["eu_eio"]
        assert verdict.status == "refusable"
        assert (fact in found.must_refuse) == verdict.must_refuse, fact
        assert (f"{fact} (must refuse)" in found.text) == verdict.must_refuse
    assert found.must_refuse


def test_unless_only_reads_a_verdict_between_mandatory_and_refusable(
        kb: coop_logic.KnowledgeBase) -> None:
    determined = kb.evaluate(make_request(facts={f: False for f in coop_logic.FACTS}))
    assert all(unless(kb, determined, i) is None for i in determined.verdicts)
    scope = kb.evaluate(scope_unknown())
    assert scope["untoc"].possible == ("mandatory", "not_applicable")
    assert unless(kb, scope, "untoc") is None


def test_explain_says_it_in_short(kb: coop_logic.KnowledgeBase, tmp_path: Path) -> None:
    result = kb.evaluate(preservation(instruments=["budapest"]))
    assert "in short" not in explanation_text(result)  # without the knowledge base
    lines = [t for _, t in lines_of(result, unless_found=unless_all(kb, result))]
    short = [t for t in lines if "in short" in t]
    assert short == ["  in short: mandatory unless political_offence or essential_interests"] * 2
    proc = run("explain", write(tmp_path, preservation()))
    assert proc.returncode == 0, proc.stderr
    assert "in short: mandatory unless political_offence or essential_interests" in proc.stdout


def test_cli_ask_suggests_the_instrument_that_alone_leaves_the_overall_open(
        tmp_path: Path) -> None:
    path = write(tmp_path, preservation())
    proc = run("ask", path)
    assert proc.returncode == 0, proc.stderr
    assert "In short: mandatory unless political_offence or essential_interests" in proc.stdout
    assert (f"To settle only budapest, run: coop-logic ask {path} --instrument budapest"
            in proc.stdout)
    proc = run("ask", path, "--instrument", "budapest")
    assert "To settle only" not in proc.stdout


# -- one question at a time ------------------------------------------------------------------


def interactive(path: Path, answers: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "COOP_LOGIC_DEBUG"}
    return subprocess.run([str(EXE), "ask", str(path), "--interactive", *args], input=answers,
                          capture_output=True, text=True, env=env, timeout=120, check=False)


def saved_request(stdout: str) -> dict[str, Any]:
    marker = "# the request with your answers (save it as a request file):\n"
    assert marker in stdout
    return yaml.safe_load(stdout.split(marker, 1)[1])


def test_interactive_asks_until_the_verdict_is_settled(kb: coop_logic.KnowledgeBase,
                                                       tmp_path: Path) -> None:
    path = write(tmp_path, preservation())
    proc = interactive(path, "no\nyes\n")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert out.count("answer (yes/no/unknown/quit): ") == 2
    assert out.index("? political_offence") < out.index("? essential_interests")
    assert "verdict (overall): refusable (basis: budapest)" in out
    saved = saved_request(out)
    assert saved["facts"]["political_offence"] is False
    assert saved["facts"]["essential_interests"] is True
    assert kb.evaluate(saved)["budapest"].grounds == ("essential_interests",)


def test_interactive_re_asks_after_a_wrong_answer_and_skips_unknowns(tmp_path: Path) -> None:
    path = write(tmp_path, preservation(instruments=["budapest"]))
    proc = interactive(path, "perhaps\nunknown\nno\n", "--instrument", "budapest")
    assert proc.returncode == 0, proc.stderr
    assert "not an answer: 'perhaps'" in proc.stdout
    assert "the verdict stays open" in proc.stdout
    assert "verdict (budapest): UNDETERMINED: still mandatory | refusable" in proc.stdout
    assert "in short: mandatory unless political_offence" in proc.stdout
    saved = saved_request(proc.stdout)
    assert "political_offence" not in saved["facts"]
    assert saved["facts"]["essential_interests"] is False


@pytest.mark.parametrize("answers", ["quit\n", ""])
def test_interactive_quit_or_end_of_input_prints_the_request_as_it_was(
        tmp_path: Path, answers: str) -> None:
    request = preservation()
    proc = interactive(write(tmp_path, request), answers)
    assert proc.returncode == 0, proc.stderr
    assert "verdict (overall): undetermined" in proc.stdout
    saved = saved_request(proc.stdout)
    assert saved["facts"] == request["facts"]
    assert coop_logic.Request.from_dict(saved).to_dict() == saved


def test_interactive_asks_for_an_offence_category_by_id(kb: coop_logic.KnowledgeBase,
                                                       tmp_path: Path) -> None:
    request = scope_unknown()
    request["offence"] = {"transnational": True, "organized_criminal_group": True,
                          "max_penalty_years": 2}
    proc = interactive(write(tmp_path, request), "theft\nmoney_laundering\n",
                       "--instrument", "untoc")
    assert proc.returncode == 0, proc.stderr
    assert "answer (a category id/unknown/quit): " in proc.stdout
    assert "not an answer: 'theft'" in proc.stdout
    assert saved_request(proc.stdout)["offence"]["category"] == "money_laundering"
    assert "verdict (untoc): MANDATORY" in proc.stdout


def test_interactive_and_json_do_not_combine(tmp_path: Path) -> None:
    proc = interactive(write(tmp_path, preservation()), "", "--json")
    assert proc.returncode == 2 and proc.stdout == ""
    assert "field '--interactive'" in proc.stderr and "no --format/--json/-o" in proc.stderr
