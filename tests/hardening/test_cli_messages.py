"""Bad input at the command line that used to pass silently or end in an internal error:
each is now exit 2, nothing on stdout, and one line on stderr naming the file, the line
where known, the field and what was expected."""

from __future__ import annotations

import json

from .cli_helpers import GOOD, assert_refused, run
from .specs import rule, spec, write


def test_a_400_digit_penalty_threshold_is_refused_at_its_column(tmp_path):
    path = write(tmp_path, spec([rule(2, "max_penalty_years >= " + "9" * 400)]))
    message = assert_refused(run("verify", tmp_path), str(path), "rules[1].when",
                             "more than 10000 years", "column 22")
    assert len(message) < 1000


def test_diff_with_an_unknown_instrument_names_the_option(tmp_path):
    path = write(tmp_path, spec([rule(2, "urgent")]))
    assert_refused(run("diff", path, path, "--instrument", "bogus"), "--instrument", "bogus",
                   "expected one of")


def test_verify_and_test_on_a_folder_without_specs_are_refused(tmp_path):
    for command in ("verify", "test"):
        assert_refused(run(command, tmp_path), str(tmp_path), "no spec file")


def test_a_json_request_error_gives_its_line(tmp_path):
    path = tmp_path / "request.json"
    path.write_text(json.dumps({"requesting_state": "FR", "requested_state": "US",
                                "measure": "evidence_collection",
                                "offence": {"category": "fraud", "transnational": "yes"}},
                               indent=2))
    assert_refused(run("check", path), f"{path}:7:", "offence.transnational", "true or false")


def test_an_unknown_yaml_tag_is_refused(tmp_path):
    path = tmp_path / "request.yaml"
    path.write_text(GOOD + "facts: !python/object {urgent: true}\n")
    assert_refused(run("check", path), f"{path}:5:", "facts", "unknown YAML tag")


def test_huge_values_and_control_characters_are_cut_and_escaped(tmp_path):
    path = tmp_path / "request.json"
    measure = "\x1b[31m\r" + "x" * 1_500_000
    path.write_text(json.dumps({"requesting_state": "FR", "requested_state": "US",
                                "measure": measure}), encoding="utf-8")
    message = assert_refused(run("check", path), str(path), "measure", "\\x1b[31m\\x0d")
    assert len(message) < 3000
    assert "\x1b" not in message and "\r" not in message
