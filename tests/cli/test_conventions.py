"""The conventions every verb shares, in the shape users know from OPA and Cedar: the
request on stdin (`-`), `--fact` and `--date` overriding the request, `--fail-on` turning a
verdict into an exit code, one `--format` (with `--json` as its alias), `-o` writing a
file whole, `validate`, and a worked example in every verb's help."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from coop_logic.cli.commands import VERBS
from coop_logic.cli.terminal import wrap
from tests.helpers import make_request, run_cli, run_on_terminal

ANSI = re.compile(r"\x1b\[[0-9;]*m|\x1b\]8;[^\x1b]*\x1b\\")

# Portugal asks Australia for stored data on a fraud: both bound by Budapest and UNTOC.
PT_AU = make_request("PT", "AU", "stored_data_access",
                     offence={"category": "fraud", "max_penalty_years": 5,
                              "transnational": True, "organized_criminal_group": True,
                              "committed_by_computer": True})


@pytest.fixture
def request_file(tmp_path: Path) -> Path:
    path = tmp_path / "pt_au.yaml"
    path.write_text(yaml.safe_dump(PT_AU, sort_keys=False), encoding="utf-8")
    return path


def checked(*args: str | Path, stdin: str | None = None) -> dict:
    proc = run_cli("check", *args, "--json", stdin=stdin)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def assert_refused(proc: subprocess.CompletedProcess[str], *words: str) -> None:
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr
    for word in words:
        assert word in proc.stderr, (word, proc.stderr)


# -- the request from stdin, facts and date from the command line -----------------------------


def test_check_reads_the_request_from_stdin_as_yaml_or_json(request_file):
    from_file = checked(request_file, "--closed-world")
    assert checked("-", "--closed-world", stdin=request_file.read_text()) == from_file
    assert checked("-", "--closed-world", stdin=json.dumps(PT_AU)) == from_file


def test_a_bad_request_on_stdin_is_named_as_stdin():
    assert_refused(run_cli("check", "-", stdin="requesting_state: PT\n"), "<stdin>")


def test_a_fact_on_the_command_line_overrides_the_request(request_file):
    plain = checked(request_file, "--closed-world")
    assert plain["instruments"]["budapest"]["status"] == "mandatory"
    refused = checked(request_file, "--closed-world", "--fact", "essential_interests=true")
    assert refused["instruments"]["budapest"]["status"] == "refusable"
    assert "essential_interests" in refused["instruments"]["budapest"]["grounds"]


def test_an_offence_flag_is_set_with_its_offence_prefix(request_file):
    out = checked(request_file, "--closed-world", "--fact", "offence.transnational=false")
    assert out["instruments"]["untoc"]["status"] == "not_applicable"


def test_the_date_on_the_command_line_replaces_the_requests(request_file):
    # Budapest binds Portugal from 2010-07-01 (party data): before that it does not apply
    early = checked(request_file, "--closed-world", "--date", "2009-01-01")
    assert early["instruments"]["budapest"]["status"] == "not_applicable"
    text = run_cli("check", request_file, "--date", "2009-01-01").stdout
    assert "(2009-01-01)" in text


@pytest.mark.parametrize(("args", "words"), [
    (("--fact", "political=true"), ["--fact", "unknown fact 'political'",
                                    "did you mean 'political_offence'"]),
    (("--fact", "political_offence"), ["--fact", "NAME=true or NAME=false"]),
    (("--fact", "political_offence=maybe"), ["--fact political_offence", "true or false"]),
    (("--fact", "urgent=true", "--fact", "urgent=false"), ["'urgent' is given twice"]),
    (("--date", "2026-02-30"), ["--date", "YYYY-MM-DD"]),
    (("--fail-on", "refused"), ["--fail-on", "unknown status 'refused'"]),
    (("--json", "--format", "md"), ["--json and --format md disagree"]),
    (("--instrument", "budapset"), ["did you mean 'budapest'"]),
])
def test_a_bad_option_value_is_refused_with_the_option_named(request_file, args, words):
    assert_refused(run_cli("check", request_file, *args), *words)


# -- exit codes on the verdict ----------------------------------------------------------------


def test_fail_on_exits_3_when_the_verdict_has_a_named_status(request_file):
    proc = run_cli("check", request_file, "--closed-world", "--fact", "essential_interests=true",
                   "--fail-on", "refusable,undetermined")
    assert proc.returncode == 3
    assert json.loads(run_cli("check", request_file, "--closed-world", "--json",
                              "--fact", "essential_interests=true").stdout)["overall"][
        "status"] == "refusable"
    assert "the verdict is refusable" in proc.stderr
    assert "overall: refusable" in proc.stdout  # the verdict is still printed


def test_fail_on_exits_0_when_the_verdict_is_not_named(request_file):
    proc = run_cli("check", request_file, "--closed-world", "--fail-on", "refusable")
    assert proc.returncode == 0, proc.stderr


def test_fail_on_undetermined_catches_an_open_verdict(request_file):
    proc = run_cli("check", request_file, "--fail-on", "undetermined", "--json")
    status = json.loads(proc.stdout)["overall"]["status"]
    assert proc.returncode == (3 if status == "undetermined" else 0)


def test_explain_fails_on_the_verdict_of_the_one_instrument_asked(request_file):
    proc = run_cli("explain", request_file, "--closed-world", "--instrument", "sco",
                   "--fail-on", "not_applicable")
    assert proc.returncode == 3
    assert "the verdict of sco is not_applicable" in proc.stderr


# -- one --format, -o everywhere -------------------------------------------------------------


@pytest.mark.parametrize("verb", ["check", "explain", "ask", "plan"])
def test_format_json_and_json_are_the_same(request_file, verb):
    a = run_cli(verb, request_file, "--json")
    b = run_cli(verb, request_file, "--format", "json")
    assert a.returncode == b.returncode == 0, a.stderr
    assert a.stdout == b.stdout
    json.loads(a.stdout)


def test_check_in_markdown_and_html_is_the_verdict_page(request_file):
    md = run_cli("check", request_file, "--format", "md", "--closed-world")
    assert md.stdout.startswith("# PT asks AU for stored data access")
    html = run_cli("check", request_file, "--format", "html", "--closed-world")
    assert html.stdout.startswith("<!DOCTYPE html>")


@pytest.mark.parametrize(("verb", "extra"), [
    ("check", ()), ("explain", ("--format", "md")), ("ask", ()), ("plan", ("--json",)),
    ("memo", ("--format", "html")), ("whatif", ("--target", "refusable")),
])
def test_o_writes_the_output_to_a_file_and_nothing_to_stdout(tmp_path, request_file, verb,
                                                             extra):
    target = tmp_path / "out.txt"
    proc = run_cli(verb, request_file, *extra, "-o", target)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    same = run_cli(verb, request_file, *extra)
    assert target.read_text(encoding="utf-8").strip() == same.stdout.strip()


def test_o_into_a_missing_folder_is_refused_and_writes_nothing(tmp_path, request_file):
    target = tmp_path / "missing" / "out.json"
    assert_refused(run_cli("check", request_file, "--json", "-o", target), "--output",
                   "does not exist")
    assert not target.exists()


def test_a_verb_refuses_a_format_it_does_not_offer(request_file):
    proc = run_cli("ask", request_file, "--format", "md")
    assert proc.returncode == 2 and proc.stdout == ""
    assert "'md' is not one of 'text', 'json', 'html'" in proc.stderr


# -- facts on the map -----------------------------------------------------------------------


def test_facts_given_to_map_apply_to_every_pair(tmp_path):
    def cells(*extra: str) -> tuple[dict[str, str], dict]:
        prefix = tmp_path / "map"
        proc = run_cli("map", "--measure", "expedited_preservation", "--states", "FR,US,JP",
                       "--date", "2026-06-01", "--offence-category", "illegal_access",
                       "--closed-world", "--format", "json",
                       "-o", prefix, *extra)
        assert proc.returncode == 0, proc.stderr
        data = json.loads((tmp_path / "map.json").read_text(encoding="utf-8"))
        return {f"{c['requesting_state']}->{c['requested_state']}": c["status"]
                for c in data["pairs"]}, data

    plain, _ = cells()
    assert plain["FR->US"] == "mandatory"  # Budapest art. 29 binds both
    refused, data = cells("--fact", "essential_interests=true", "--fact",
                          "offence.transnational=true")
    assert data["facts"] == {"essential_interests": True}
    assert data["offence"] == {"category": "illegal_access", "transnational": True}
    assert refused["FR->US"] == "refusable"
    assert_refused(run_cli("map", "--measure", "expedited_preservation", "--states", "FR,US",
                           "--fact", "essential=true", "-o", tmp_path / "bad"),
                   "--fact", "did you mean 'essential_interests'")


# -- hiding what does not apply --------------------------------------------------------------


def test_hide_not_applicable_names_them_in_one_line(request_file):
    full = run_cli("check", request_file, "--closed-world").stdout
    short = run_cli("check", request_file, "--closed-world", "--hide-not-applicable").stdout
    assert re.search(r"^sco\s", full, re.M)
    assert not re.search(r"^sco\s", short, re.M)
    assert re.search(r"^budapest\s", short, re.M)
    hidden = [line for line in short.splitlines() if line.startswith("not applicable (hidden)")]
    assert len(hidden) == 1
    named = hidden[0].split(": ", 1)[1].split(", ")
    assert "sco" in named and "budapest" not in named
    explained = run_cli("explain", request_file, "--closed-world", "--hide-not-applicable")
    assert "Shanghai" not in explained.stdout
    assert "Not applicable (details left out):" in explained.stdout


# -- validate --------------------------------------------------------------------------------


def test_validate_accepts_every_kind_of_file_and_says_what_each_is(request_file):
    root = Path(__file__).resolve().parents[2]
    proc = run_cli("validate", request_file, root / "specs" / "budapest.yaml",
                   root / "specs" / "parties" / "untoc.yaml",
                   root / "specs" / "networks" / "ejn.yaml", root / "examples" / "mlat_au_pt.yaml")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert len(lines) == 5
    assert "valid request (PT -> AU: stored_data_access, 2026-06-01)" in lines[0]
    assert "valid spec (budapest:" in lines[1]
    assert "valid party file" in lines[2]
    assert "valid network file" in lines[3]
    assert "valid spec (mlat_au_pt:" in lines[4]


def test_validate_reports_every_bad_file_and_prints_nothing_on_stdout(tmp_path, request_file):
    bad_request = tmp_path / "bad.yaml"
    bad_request.write_text("requesting_state: PT\nrequested_state: XX\nmeasure: "
                           "stored_data_access\ndate: 2026-06-01\n", encoding="utf-8")
    root = Path(__file__).resolve().parents[2]
    spec = (root / "specs" / "budapest.yaml").read_text(encoding="utf-8")
    bad_spec = tmp_path / "budapest.yaml"
    bad_spec.write_text(spec.replace("    effect: duty\n", "    effect: dutty\n", 1),
                        encoding="utf-8")
    proc = run_cli("validate", request_file, bad_request, bad_spec)
    assert proc.returncode == 2 and proc.stdout == ""
    assert f"{bad_request}:2: field 'requested_state'" in proc.stderr
    assert re.search(re.escape(str(bad_spec)) + r":\d+: field 'rules\[\d+\]\.effect'",
                     proc.stderr)
    assert f"{request_file}: valid request" in proc.stderr


def test_validate_checks_a_corrected_copy_of_a_bundled_spec_in_its_place(tmp_path):
    root = Path(__file__).resolve().parents[2]
    copy = tmp_path / "untoc.yaml"
    copy.write_text((root / "specs" / "untoc.yaml").read_text(encoding="utf-8"), "utf-8")
    proc = run_cli("validate", copy)
    assert proc.returncode == 0, proc.stderr
    assert "valid spec (untoc:" in proc.stdout


def test_validate_cannot_guess_a_file_of_no_known_kind(tmp_path):
    odd = tmp_path / "odd.yaml"
    odd.write_text("hello: world\n", encoding="utf-8")
    assert_refused(run_cli("validate", odd), "cannot tell what kind of file", "--kind")


# -- help ------------------------------------------------------------------------------------


def test_the_verb_list_comes_from_the_verb_table():
    proc = run_cli("--help")
    assert proc.returncode == 0
    for verb in VERBS:
        assert re.search(rf"^\s+{re.escape(verb)}\s", proc.stdout, re.M), verb


@pytest.mark.parametrize("verb", list(VERBS))
def test_every_verb_has_a_worked_example_of_itself_in_its_help(verb):
    proc = run_cli(verb, "--help")
    assert proc.returncode == 0, proc.stderr
    examples = proc.stdout.split("Examples:", 1)[1]
    assert f"coop-logic {verb} " in examples


def test_a_mistyped_verb_is_named_with_the_close_one():
    proc = run_cli("chek", "x.yaml")
    assert proc.returncode == 2
    assert "no such command 'chek'; did you mean 'check'?" in proc.stderr


def test_shell_completion_lists_the_verbs():
    proc = run_cli(env={"_COOP_LOGIC_COMPLETE": "bash_complete", "COMP_WORDS": "coop-logic ch",
                        "COMP_CWORD": "1"})
    assert proc.returncode == 0
    assert "plain,check" in proc.stdout.splitlines()


# -- terminal text ---------------------------------------------------------------------------


@given(st.lists(st.from_regex(r"[a-z_.()0-9]{1,30}", fullmatch=True), min_size=1, max_size=40),
       st.sampled_from(["", "  ", "    - ", "  1. ", "    [ ] "]),
       st.integers(min_value=20, max_value=100))
def test_wrapping_never_cuts_a_word_and_hangs_under_the_bullet(words, lead, width):
    text = lead + " ".join(words)
    lines = wrap(text, width)
    assert " ".join(" ".join(lines).split()) == " ".join(text.split())
    for line in lines[1:]:
        assert line.startswith(" " * len(lead)) and line[len(lead)] != " "
    for line in lines:
        assert len(line) <= width or " " not in line.strip()


def test_on_a_terminal_explain_wraps_at_80_columns_with_links(request_file):
    code, raw, _ = run_on_terminal("explain", request_file, "--closed-world", timeout=120)
    assert code == 0
    assert "\x1b]8;" in raw  # a clickable link (OSC 8)
    lines = ANSI.sub("", raw).replace("\r", "").splitlines()
    assert len(lines) > 20
    # at most 80 columns, but a link or an id longer than a line is never cut
    assert all(len(line) <= 80 or " " not in line.strip() for line in lines)
    assert any(line.startswith("      https://") for line in lines)  # hanging under its step
    piped = run_cli("explain", request_file, "--closed-world").stdout
    assert max(len(line) for line in piped.splitlines()) > 80  # a pipe keeps lines whole
    assert " ".join(" ".join(lines).split()) == " ".join(piped.split())
