"""The text report of `coop-logic diff`: the summary first (one line per instrument for its
rules, one per instrument and State for party data), then the witness requests grouped by
instrument, State, role and direction, at most `--limit` per group with the count of the
rest; the JSON report keeps `changes` and `compared` and adds the same summary; a long run
on a terminal shows its progress on stderr.
"""

from __future__ import annotations

import json
import re
import shutil
from typing import Any

import pytest

import coop_logic
from tests.analysis.test_diff import DATE, SPECS, TREATY, diff_json, run
from tests.analysis.test_diff_party_corrections import correction
from tests.helpers import run_on_terminal

GROUP = re.compile(r"^(?P<head>\S.*): requests that (?P<way>gain|lose) under NEW \((?P<n>\d+)\)$")
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def words(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines()]


def groups(lines: list[str]) -> dict[str, tuple[int, list[str]]]:
    """Each witness group's heading: its size and the lines under it."""
    out: dict[str, tuple[int, list[str]]] = {}
    current = None
    for line in lines[lines.index(next(x for x in lines if x.startswith("witnesses ("))) + 1:]:
        match = GROUP.match(line)
        if match:
            current = line
            out[current] = (int(match["n"]), [])
        else:
            assert current is not None, line
            out[current][1].append(line)
    return out


@pytest.fixture(scope="module")
def greece(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Greece not bound by the Budapest Convention on the date: the text report with
    --limit 1 and 0, and the JSON report."""
    path = correction(tmp_path_factory.mktemp("gr"), "budapest", "partial", {"GR": "2027-05-01"})
    old = SPECS / "parties" / "budapest.yaml"
    texts = {}
    for limit in ("1", "0"):
        proc = run("diff", old, path, "--date", DATE, "--limit", limit)
        assert proc.returncode == 0, proc.stderr
        assert proc.stderr == ""
        texts[limit] = words(proc.stdout)
    return {"path": path, "text": texts, "json": diff_json(old, path)}


def test_the_summary_comes_first_one_line_per_instrument_then_one_per_state(greece, kb):
    lines = greece["text"]["1"]
    compared = greece["json"]["compared"]
    assert lines[0] == f"changed: the party data of 1 State on {DATE} ({compared} " \
                       "instrument-measure pairs compared)"
    assert lines[1] == "rules:"
    measures = len(coop_logic.MEASURES)
    assert lines[2:2 + len(kb.instruments)] == [
        f"{inst} equivalent {measures} equivalent" for inst in sorted(kb.instruments)]
    changes = len(greece["json"]["changes"])
    assert lines[2 + len(kb.instruments):5 + len(kb.instruments)] == [
        f"party data on {DATE}:", f"budapest GR laxer {changes} laxer", ""]
    assert lines[5 + len(kb.instruments)] == "witnesses (at most 1 per group; --limit 0 shows all):"


def test_witnesses_are_grouped_by_state_role_and_direction_at_most_limit_each(greece):
    found = groups(greece["text"]["1"])
    assert {h.split(":")[0] for h in found} == {
        "budapest, party data of GR as requesting State",
        "budapest, party data of GR as requested State"}
    for heading, (size, lines) in found.items():
        role = "requesting" if "requesting State" in heading else "requested"
        assert size == sum(1 for c in greece["json"]["changes"] if c["role"] == role)
        assert len(lines) == 2 and lines[1] == f"... and {size - 1} more"
        measure, _, witness = lines[0].partition(": ")
        request = json.loads(witness)
        assert request["measure"] == measure and request[f"{role}_state"] == "GR"


def test_limit_zero_shows_every_witness(greece):
    found = groups(greece["text"]["0"])
    shown = [line for _, lines in found.values() for line in lines]
    assert not any(line.startswith("...") for line in shown)
    assert len(shown) == sum(bool(c["laxer_witness"]) + bool(c["stricter_witness"])
                             for c in greece["json"]["changes"])


def test_the_json_report_keeps_every_change_and_adds_the_summary(greece, kb):
    report = greece["json"]
    assert set(report) == {"changes", "compared", "summary"}
    rules = [s for s in report["summary"] if s["state"] is None]
    assert [s["instrument"] for s in rules] == sorted(kb.instruments)
    assert all(s == {"instrument": s["instrument"], "state": None, "direction": "equivalent",
                     "counts": {"equivalent": len(coop_logic.MEASURES)}} for s in rules)
    assert [s for s in report["summary"] if s["state"] is not None] == [
        {"instrument": "budapest", "state": "GR", "direction": "laxer",
         "counts": {"laxer": len(report["changes"])}}]
    assert report["compared"] == len(kb.instruments) * len(coop_logic.MEASURES) + len(
        report["changes"])


def test_the_summary_of_a_rules_change_counts_each_direction(tmp_path):
    new_dir = tmp_path / "specs"
    shutil.copytree(SPECS, new_dir)
    shutil.copy(TREATY, new_dir / TREATY.name)
    report = diff_json(SPECS, new_dir)
    summary = {s["instrument"]: s for s in report["summary"]}
    untoc = [c for c in report["changes"] if c["instrument"] == "untoc"]
    assert summary["untoc"]["direction"] == "incomparable"
    assert summary["untoc"]["counts"] == {
        "incomparable": len(untoc), "equivalent": len(coop_logic.MEASURES) - len(untoc)}
    assert summary["mlat_au_pt"]["direction"] == "stricter"
    assert summary["comity"] == {"instrument": "comity", "state": None,
                                 "direction": "equivalent",
                                 "counts": {"equivalent": len(coop_logic.MEASURES)}}


def test_the_report_written_with_o_is_the_one_printed(greece, tmp_path):
    target = tmp_path / "report.txt"
    proc = run("diff", SPECS / "parties" / "budapest.yaml", greece["path"], "--date", DATE,
               "--limit", "1", "-o", target)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    assert words(target.read_text(encoding="utf-8")) == greece["text"]["1"]


def test_fail_on_change_exits_3_after_the_report_when_a_verdict_changes(greece):
    proc = run("diff", SPECS / "parties" / "budapest.yaml", greece["path"], "--date", DATE,
               "--fail-on-change", "--limit", "1")
    assert proc.returncode == 3, proc.stderr
    assert words(proc.stdout) == greece["text"]["1"]


def test_fail_on_change_exits_0_when_nothing_changes():
    party = SPECS / "parties" / "budapest.yaml"
    proc = run("diff", party, party, "--date", DATE, "--fail-on-change", "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["changes"] == []


@pytest.mark.parametrize("limit", ["-1", "many"])
def test_a_limit_that_is_not_a_count_is_refused_with_nothing_on_stdout(limit, greece):
    proc = run("diff", SPECS / "parties" / "budapest.yaml", greece["path"], "--limit", limit)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.splitlines() == [
        f"error: field '--limit': '{limit}' is not a count (expected a whole number of "
        "witnesses per group, 0 for all)"]


def test_a_long_run_on_a_terminal_shows_its_progress_on_stderr(tmp_path):
    new_dir = tmp_path / "specs"
    shutil.copytree(SPECS, new_dir)
    shutil.copy(TREATY, new_dir / TREATY.name)
    code, shown, stdout = run_on_terminal("diff", SPECS, new_dir, "--date", DATE,
                                          terminal="stderr")
    assert code == 0
    progress = ANSI.sub("", shown)
    assert "comparisons" in progress
    assert "comparisons" not in stdout
    assert stdout.startswith("changed: the rules of ")

