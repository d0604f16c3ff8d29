"""`coop-logic batch` and `coop_logic.practice.batch`: JSON lines in, one verdict per line out.

Each output line is the contract's JSON object of `evaluate` on that line's request, with
"line": n; a bad line gives {"line": n, "error": ...} naming the field, and the run goes
on; order is kept with several worker processes. Inputs are small: the tests stay fast.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import coop_logic
from coop_logic.cli import main
from coop_logic.practice.batch import BatchOptions, Evaluator, WorkerPool, read_tasks, run_batch

DATE = "2026-06-01"


@pytest.fixture(scope="module")
def kb() -> coop_logic.KnowledgeBase:
    """Loaded when this module's tests start, like the knowledge bases of the workers
    they compare with (not the session's, which may predate an edit of the specs)."""
    return coop_logic.load()

REQUESTS: list[dict[str, Any]] = [
    {"requesting_state": "FR", "requested_state": "US", "measure": "expedited_preservation",
     "date": DATE, "offence": {"category": "illegal_access"}},
    {"requesting_state": "DE", "requested_state": "FR", "measure": "stored_data_access",
     "date": DATE, "offence": {"category": "computer_fraud", "max_penalty_years": 5,
                               "committed_by_computer": True}},
    {"requesting_state": "JP", "requested_state": "GB", "measure": "traffic_data_disclosure",
     "date": DATE, "offence": {"category": "system_interference", "max_penalty_years": 3},
     "facts": {"political_offence": True}},
    {"requesting_state": "CN", "requested_state": "US", "measure": "evidence_collection",
     "date": DATE, "offence": {"category": "homicide", "max_penalty_years": 20}},
    {"requesting_state": "LY", "requested_state": "SD", "measure": "extradition",
     "date": DATE, "offence": {"category": "illegal_access"}, "instruments": ["las_2010"]},
]

BAD_LINES: list[tuple[str, str]] = [  # (line, what its error message must name)
    ('{"requesting_state": "FR", "requested_state": "US", "measure": ', "invalid JSON"),
    ('{"requesting_state": "FR", "requested_state": "US", "measure": "quick_freeze"}',
     "field 'measure'"),
    ('{"requesting_state": "FR", "measure": "extradition"}', "requested_state"),
    ('["FR", "US"]', "not an object"),
    ('{"requesting_state": "FR", "requested_state": "US", "measure": "extradition", '
     '"facts": {"politcal_offence": true}}', "field 'facts.politcal_offence'"),
    ('{"requesting_state": "FR", "requested_state": "US", "measure": "extradition", '
     '"instruments": ["budapset"]}', "field 'instruments[0]'"),
]


def jsonl(items: list[Any]) -> bytes:
    lines = [item if isinstance(item, str) else json.dumps(item) for item in items]
    return ("\n".join(lines) + "\n").encode("utf-8")


def batch(data: bytes, **kwargs: Any) -> tuple[list[dict[str, Any]], Any]:
    out = io.StringIO()
    summary = run_batch(io.BytesIO(data), out, source="in.jsonl", **kwargs)
    return [json.loads(line) for line in out.getvalue().splitlines()], summary


def expected(kb: coop_logic.KnowledgeBase, line: int, request: dict[str, Any], *,
             closed_world: bool = False, traces: bool = False) -> dict[str, Any]:
    result = kb.evaluate(request, closed_world=closed_world, traces=traces)
    return {"line": line, **result.to_dict()}


def test_each_output_line_is_the_evaluation_of_its_request(kb: coop_logic.KnowledgeBase) -> None:
    records, summary = batch(jsonl(REQUESTS), jobs=1)
    assert records == [expected(kb, n, r) for n, r in enumerate(REQUESTS, start=1)]
    assert summary.lines == len(REQUESTS) and not summary.errors
    assert sum(summary.statuses.values()) == len(REQUESTS)


def test_closed_world_and_traces_are_passed_on(kb: coop_logic.KnowledgeBase) -> None:
    records, _ = batch(jsonl(REQUESTS[:2]), jobs=1,
                       options=BatchOptions(closed_world=True, traces=True))
    assert records == [expected(kb, n, r, closed_world=True, traces=True)
                       for n, r in enumerate(REQUESTS[:2], start=1)]
    assert records[0]["closed_world"] is True
    assert records[0]["instruments"]["budapest"]["trace"]


def test_bad_lines_are_reported_with_their_number_and_the_run_goes_on(
        kb: coop_logic.KnowledgeBase) -> None:
    items: list[Any] = []
    for request, (bad, _) in zip(REQUESTS, BAD_LINES, strict=False):
        items += [request, bad]
    items += [line for line, _ in BAD_LINES[len(REQUESTS):]] + ["", "   ", REQUESTS[0]]
    records, summary = batch(jsonl(items), jobs=1)
    by_line = {r["line"]: r for r in records}
    assert [r["line"] for r in records] == sorted(by_line)  # blank lines skipped, order kept
    assert len(records) == len(items) - 2
    wanted = dict(BAD_LINES)
    for n, item in enumerate(items, start=1):
        if isinstance(item, dict):
            assert by_line[n] == expected(kb, n, item)
        elif item.strip():
            assert set(by_line[n]) == {"line", "error"}
            assert by_line[n]["error"].startswith(f"in.jsonl:{n}: ")
            assert wanted[item] in by_line[n]["error"]
    assert summary.errors == {"input": len(BAD_LINES)}
    assert summary.verdicts == len(REQUESTS) + 1


def test_a_line_that_is_not_utf8_is_a_bad_line() -> None:
    data = jsonl(REQUESTS[:1]) + b'{"requesting_state": "\xff"}\n' + jsonl(REQUESTS[1:2])
    records, summary = batch(data, jobs=1)
    assert [r["line"] for r in records] == [1, 2, 3]
    assert "not UTF-8" in records[1]["error"]
    assert summary.errors == {"input": 1}


def test_an_oversized_line_is_a_bad_line_and_is_not_kept() -> None:
    from coop_logic.practice.batch import MAX_LINE_BYTES

    data = jsonl([REQUESTS[1], "x" * (MAX_LINE_BYTES + 10), REQUESTS[1]])
    records, summary = batch(data, jobs=1)
    assert [r["line"] for r in records] == [1, 2, 3]
    assert "longer than the limit" in records[1]["error"]
    assert summary.errors == {"input": 1} and summary.verdicts == 2


def test_order_is_kept_with_two_jobs_and_many_chunks(kb: coop_logic.KnowledgeBase) -> None:
    items: list[Any] = []
    for i in range(120):
        items.append(REQUESTS[i % len(REQUESTS)] if i % 7 else BAD_LINES[i % len(BAD_LINES)][0])
    data = jsonl(items)
    closed = BatchOptions(closed_world=True)  # fully known requests: fast
    one, _ = batch(data, jobs=1, options=closed)
    two, summary = batch(data, jobs=2, chunk=7, options=closed)
    assert two == one
    assert [r["line"] for r in two] == list(range(1, len(items) + 1))
    assert summary.jobs == 2


def test_read_tasks_streams_in_chunks() -> None:
    data = jsonl([REQUESTS[0]] * 600)
    tasks = read_tasks(io.BytesIO(data), "in.jsonl")
    first = next(tasks)
    assert len(first.items) == 250 and first.items[0][0] == 1
    assert [len(t.items) for t in tasks] == [250, 100]


def test_worker_pool_reports_a_bad_spec_file_as_an_input_error(tmp_path: Path) -> None:
    bad = tmp_path / "mlat_xx_yy.yaml"
    bad.write_text("spec_version: 1\nid: Not An Id\n", encoding="utf-8")
    for jobs in (1, 2):
        with pytest.raises(coop_logic.InputError, match=r"mlat_xx_yy\.yaml"), \
                WorkerPool(BatchOptions(specs=(str(bad),)), jobs) as pool:
            list(pool.run(read_tasks(io.BytesIO(jsonl(REQUESTS[:1])), "in.jsonl")))


def test_evaluator_record_matches_evaluate(kb: coop_logic.KnowledgeBase) -> None:
    evaluator = Evaluator(BatchOptions())
    outcome = evaluator.record(7, json.dumps(REQUESTS[3]), "x")
    assert outcome.status == kb.evaluate(REQUESTS[3], traces=False).overall.status
    assert json.loads(outcome.text) == expected(kb, 7, REQUESTS[3])


# -- the command ------------------------------------------------------------------------------


def invoke(*args: str, stdin: bytes | None = None) -> Any:
    return CliRunner().invoke(main, list(args), input=stdin, catch_exceptions=False)


def test_cli_writes_jsonl_and_a_summary(tmp_path: Path, kb: coop_logic.KnowledgeBase) -> None:
    source = tmp_path / "in.jsonl"
    source.write_bytes(jsonl([REQUESTS[0], BAD_LINES[1][0], REQUESTS[2]]))
    out = tmp_path / "out.jsonl"
    result = invoke("batch", str(source), "--jobs", "2", "--closed-world", "--output", str(out))
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert records[0] == expected(kb, 1, REQUESTS[0], closed_world=True)
    assert records[0]["overall"] == {"status": "mandatory", "basis": ["budapest"],
                                     "possible": ["mandatory"], "depends_on": []}
    assert records[1]["line"] == 2 and "field 'measure'" in records[1]["error"]
    assert records[2] == expected(kb, 3, REQUESTS[2], closed_world=True)
    summary = result.stderr
    assert "batch summary" in summary and "req/s" in summary
    assert "mandatory" in summary and "error (bad line)" in summary


def test_cli_reads_stdin_and_prints_only_verdicts_on_stdout(kb: coop_logic.KnowledgeBase) -> None:
    result = invoke("batch", "-", "--jobs", "1", stdin=jsonl(REQUESTS[:2]))
    assert result.exit_code == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert records == [expected(kb, n, r) for n, r in enumerate(REQUESTS[:2], start=1)]
    assert "2 requests" in result.stderr


def test_cli_missing_file_is_bad_input(tmp_path: Path) -> None:
    result = invoke("batch", str(tmp_path / "nope.jsonl"), "--jobs", "1")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "nope.jsonl" in result.stderr and "cannot read" in result.stderr


def test_cli_refuses_to_overwrite_its_input(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_bytes(jsonl(REQUESTS[:1]))
    result = invoke("batch", str(source), "--output", str(source))
    assert result.exit_code == 2 and "--output" in result.stderr
    assert source.read_bytes() == jsonl(REQUESTS[:1])


def test_cli_rejects_zero_jobs(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_bytes(jsonl(REQUESTS[:1]))
    result = invoke("batch", str(source), "--jobs", "0")
    assert result.exit_code == 2 and "--jobs" in result.stderr


def test_a_key_given_twice_is_refused_however_it_is_written() -> None:
    """A key given twice is refused, naming it: at the top, nested, or written with an
    escape."""
    from coop_logic.errors import RequestError
    from coop_logic.practice.batch import _parse_line

    head = '{"requesting_state":"FR","requested_state":"US","measure":"extradition"'
    for line, key in ((head + ',"measure":"extradition"}', "measure"),
                      (head + ',"facts":{"political_offence":true,"political_offence":false}}',
                       "political_offence"),
                      (head + ',"\\u006deasure":"extradition"}', "measure"),
                      (head + ',"offence":{"category":"fraud","category":"fraud"}}', "category")):
        with pytest.raises(RequestError, match=f"duplicate key '{key}'"):
            _parse_line(line, "x")
    # a key's name as a string value elsewhere is no duplicate
    fine = _parse_line(head + ',"instruments":["untoc"],"facts":{"political_offence":true}}',
                       "x")
    assert fine.facts == {"political_offence": True}


def test_a_result_line_is_the_results_json(kb: coop_logic.KnowledgeBase) -> None:
    """The output line, written from each verdict's JSON kept once per shared verdict, is
    `json.dumps` of the result's contract object, text for text, with and without traces,
    for verdicts shared by many lines and verdicts of one line."""
    from coop_logic.practice.batch import _json_line

    for traces in (False, True):
        evaluator = Evaluator(BatchOptions(closed_world=True, traces=traces))
        for n, data in enumerate(REQUESTS * 2):
            result = evaluator.kb.evaluate(data, closed_world=True, traces=traces)
            expected = _json_line({"line": n, **result.to_dict()})
            assert evaluator._result_line(n, result) == expected
            assert json.loads(expected)["line"] == n
