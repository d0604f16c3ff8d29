"""Batch runs: a bad line (a lone surrogate) is reported by number and the run goes on with
valid UTF-8 output; a full output device is an error naming it; Ctrl-C stops the run at
once with whole lines written and exit 130, whatever the job count."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import time

import pytest

from .cli_helpers import EXE, assert_refused, run

GOOD_LINE = {"requesting_state": "FR", "requested_state": "US",
             "measure": "evidence_collection", "date": "2026-06-01"}


def _surrogate_lines() -> str:
    good = json.dumps(GOOD_LINE)
    return "\n".join([
        '{"requesting_state": "\\ud800", "requested_state": "US", "measure": "extradition"}',
        good,
        '{"requesting_state": "FR", "requested_state": "US", "measure": "extradition", '
        '"facts": {"\\udcff": true}}',
        '{"requesting_state": "FR", "requested_state": "US", "measure": "\\udcff"}',
        good,
    ]) + "\n"


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_lone_surrogate_is_a_bad_line_and_the_run_goes_on(tmp_path, jobs):
    path = tmp_path / "in.jsonl"
    path.write_text(_surrogate_lines(), encoding="utf-8")
    proc = subprocess.run([str(EXE), "batch", "-j", jobs, str(path)], capture_output=True,
                          timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    text = proc.stdout.decode("utf-8")  # strict: the output is valid UTF-8
    lines = [json.loads(line) for line in text.splitlines()]
    assert [line["line"] for line in lines] == [1, 2, 3, 4, 5]
    assert [("error" in line) for line in lines] == [True, False, True, True, False]
    assert "surrogate" in lines[0]["error"] and "requesting_state" in lines[0]["error"]
    assert "surrogate" in lines[2]["error"] and "facts" in lines[2]["error"]
    assert "Traceback" not in proc.stderr.decode("utf-8", "replace")


def test_a_full_output_device_is_an_error_naming_it(tmp_path):
    if not os.path.exists("/dev/full"):
        pytest.skip("needs /dev/full")
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps(GOOD_LINE) + "\n")
    proc = run("batch", "-j", "1", path, "--output", "/dev/full")
    assert_refused(proc, "/dev/full", "--output", "No space left")


def test_a_device_as_the_batch_input_is_refused():
    assert_refused(run("batch", "/dev/zero", timeout=20), "/dev/zero", "not a regular file")


# -- Ctrl-C --------------------------------------------------------------------------------

_STATES = ["FR", "US", "DE", "JP", "BR", "NG", "IN", "CN", "RU", "GB", "ZA", "MX", "AU"]
_MEASURES = ["evidence_collection", "extradition", "expedited_preservation",
             "stored_data_access", "subscriber_information", "content_interception"]
_FACTS = ["political_offence", "no_dual_criminality", "essential_interests", "urgent",
          "person_is_national", "fiscal_offence"]


def _many_lines(n: int) -> str:
    rng = random.Random(7)
    out = []
    for _ in range(n):
        a, b = rng.sample(_STATES, 2)
        out.append(json.dumps({
            "requesting_state": a, "requested_state": b, "measure": rng.choice(_MEASURES),
            "date": f"20{rng.randint(10, 26)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
            "offence": {"max_penalty_years": rng.randint(0, 12)},
            "facts": {f: rng.random() < 0.5 for f in rng.sample(_FACTS, 3)}}))
    return "\n".join(out) + "\n"


def _default_sigint() -> None:
    """Ctrl-C as at a terminal, even when the tests run where SIGINT is ignored."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.parametrize(("jobs", "delay"), [("1", 1.5), ("2", 1.5)])
def test_ctrl_c_stops_the_run_at_once_with_whole_lines(tmp_path, jobs, delay):
    path = tmp_path / "in.jsonl"
    path.write_text(_many_lines(3000))
    out = tmp_path / "out.jsonl"
    proc = subprocess.Popen([str(EXE), "batch", "-j", jobs, "--traces", str(path), "-o",
                             str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            preexec_fn=_default_sigint)
    deadline = time.monotonic() + 30
    while not out.exists() and time.monotonic() < deadline:  # the command has started
        time.sleep(0.05)
    time.sleep(delay)  # then the knowledge base is loaded and lines are being evaluated
    sent = time.monotonic()
    proc.send_signal(signal.SIGINT)
    try:
        stdout, stderr = proc.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        pytest.fail("the run went on after Ctrl-C")
    assert time.monotonic() - sent < 5
    assert proc.returncode == 130, stderr.decode()
    assert stdout == b""
    assert "interrupted" in stderr.decode() and "Traceback" not in stderr.decode()
    text = out.read_text(encoding="utf-8")
    assert text == "" or text.endswith("\n")
    lines = [json.loads(line) for line in text.splitlines()]  # whole lines only
    assert len(lines) < 3000
    assert [line["line"] for line in lines] == list(range(1, len(lines) + 1))
    assert not any("interrupt" in line.get("error", "") for line in lines)
