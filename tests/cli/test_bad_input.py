"""Bad input at the command line (contract section 2): exit code 2, nothing on stdout, one
message on stderr naming the file, the field and what was expected, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.helpers import rule_text
from tests.helpers import run_cli as run
from tests.helpers import spec_text as treaty_spec

EXE = Path(sys.executable).parent / "coop-logic"

GOOD = textwrap.dedent("""\
    requesting_state: FR
    requested_state: US
    measure: evidence_collection
    date: 2026-06-01
    """)




def assert_bad_input(proc: subprocess.CompletedProcess[str], file: str, *words: str) -> str:
    """Exit 2, empty stdout, one message on stderr naming `file` and every word."""
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr
    message = proc.stderr.strip()
    assert len(message.splitlines()) == 1, message
    assert file in message, message
    for word in words:
        assert word in message, (word, message)
    return message


def request_file(tmp_path: Path, text: str, name: str = "request.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# -- requests ---------------------------------------------------------------------------------

# (name, file content, words the message must contain: the field and what was expected)
REQUEST_CASES = [
    ("measure_typo", GOOD.replace("evidence_collection", "expedited_preservaton"),
     ["field 'measure'", "expedited_preservaton", "did you mean 'expedited_preservation'",
      "expected"]),
    ("unknown_fact", GOOD + "facts:\n  politcal_offence: true\n",
     ["field 'facts.politcal_offence'", "did you mean 'political_offence'", "expected"]),
    ("unknown_category", GOOD + "offence:\n  category: hacking\n",
     ["field 'offence.category'", "hacking", "expected"]),
    ("unknown_instrument", GOOD + "instruments: [budapest, budapset]\n",
     ["field 'instruments[1]'", "budapset", "did you mean 'budapest'", "expected"]),
    ("measure_number", GOOD.replace("evidence_collection", "5"),
     ["field 'measure'", "5", "expected"]),
    ("penalty_text", GOOD + "offence:\n  max_penalty_years: five\n",
     ["field 'offence.max_penalty_years'", "five", "expected a number"]),
    ("fact_text", GOOD + 'facts:\n  political_offence: "yes"\n',
     ["field 'facts.political_offence'", "yes", "expected true or false"]),
    ("fact_number", GOOD + "facts:\n  political_offence: 1\n",
     ["field 'facts.political_offence'", "expected true or false"]),
    ("flag_text", GOOD + "offence:\n  transnational: maybe\n",
     ["field 'offence.transnational'", "expected true or false"]),
    ("same_state", GOOD.replace("requested_state: US", "requested_state: FR"),
     ["field 'requested_state'", "FR", "expected a different State"]),
    ("unknown_state", GOOD.replace("requesting_state: FR", "requesting_state: XX"),
     ["field 'requesting_state'", "XX", "expected"]),
    ("lower_case_state", GOOD.replace("requesting_state: FR", "requesting_state: fr"),
     ["field 'requesting_state'", "'fr'", "upper case", "expected"]),
    ("three_letter_state", GOOD.replace("requested_state: US", "requested_state: USA"),
     ["field 'requested_state'", "USA", "expected"]),
    ("negative_penalty", GOOD + "offence:\n  max_penalty_years: -1\n",
     ["field 'offence.max_penalty_years'", "-1", "expected"]),
    ("unknown_top_field", GOOD.replace("measure:", "measures:"),
     ["field 'measures'", "did you mean 'measure'", "expected"]),
    ("unknown_offence_field", GOOD + "offence:\n  categroy: fraud\n",
     ["field 'offence.categroy'", "did you mean 'category'", "expected"]),
    ("facts_not_a_mapping", GOOD + "facts: [political_offence]\n",
     ["field 'facts'", "expected a mapping"]),
    ("instruments_not_a_list", GOOD + "instruments: budapest\n",
     ["field 'instruments'", "expected a list"]),
    ("date_text", GOOD.replace("2026-06-01", "next week"),
     ["field 'date'", "expected an ISO date"]),
    ("duplicate_key", GOOD + "measure: extradition\n", ["field 'measure'", "duplicate"]),
    ("empty_instruments", GOOD + "instruments: []\n", ["field 'instruments'", "expected"]),
    ("boolean_penalty", GOOD + "offence:\n  max_penalty_years: true\n",
     ["field 'offence.max_penalty_years'", "expected a number"]),
    ("infinite_penalty", GOOD + "offence:\n  max_penalty_years: .inf\n",
     ["field 'offence.max_penalty_years'", "expected"]),
    ("null_state", GOOD.replace("requesting_state: FR", "requesting_state:"),
     ["field 'requesting_state'", "expected"]),
    ("two_documents", GOOD + "---\nmeasure: extradition\n", ["more than one YAML document"]),
    ("deep_nesting", GOOD + "offence: " + "[" * 100 + "]" * 100 + "\n", ["deeper than"]),
]


@pytest.mark.parametrize(("name", "text", "words"), REQUEST_CASES, ids=[c[0] for c in REQUEST_CASES])
def test_a_bad_request_is_refused_with_a_precise_message(tmp_path, name, text, words):
    path = request_file(tmp_path, text, f"{name}.yaml")
    message = assert_bad_input(run("check", path, "--json"), path.name, *words)
    assert f"{path.name}:" in message  # the file, then the line


def test_the_same_bad_requests_are_refused_by_explain(tmp_path):
    path = request_file(tmp_path, GOOD.replace("evidence_collection", "expedited_preservaton"))
    assert_bad_input(run("explain", path), path.name, "field 'measure'", "did you mean")


def test_missing_required_field(tmp_path):
    path = request_file(tmp_path, GOOD.replace("measure: evidence_collection\n", ""))
    assert_bad_input(run("check", path, "--json"), path.name, "measure", "missing")


@pytest.mark.parametrize("field", ["requesting_state", "requested_state", "measure"])
def test_every_required_field_is_required(tmp_path, field):
    text = "".join(line + "\n" for line in GOOD.splitlines() if not line.startswith(field))
    path = request_file(tmp_path, text)
    assert_bad_input(run("check", path), path.name, field)


def test_invalid_yaml_names_the_line(tmp_path):
    path = request_file(tmp_path, GOOD + "facts: {political_offence: true\noffence: {}\n")
    message = assert_bad_input(run("check", path, "--json"), path.name, "invalid YAML")
    line = int(message.split(f"{path.name}:")[1].split(":")[0])
    assert line in (6, 7), message


@pytest.mark.parametrize(("text", "kind"), [
    ("- FR\n- US\n", "list"),
    ("just some text\n", "str"),
    ("", "empty"),
    ("# only a comment\n", "empty"),
    ("42\n", "int"),
], ids=["list", "scalar", "empty", "comment_only", "number"])
def test_a_document_that_is_not_a_mapping(tmp_path, text, kind):
    path = request_file(tmp_path, text)
    assert_bad_input(run("check", path, "--json"), path.name, kind, "expected a mapping")


def test_a_file_over_the_size_limit(tmp_path):
    path = request_file(tmp_path, GOOD + "# " + "x" * (2 * 1024 * 1024) + "\n")
    assert_bad_input(run("check", path, "--json"), path.name, "limit")


def test_a_nonexistent_file(tmp_path):
    path = tmp_path / "no_such_request.yaml"
    assert_bad_input(run("check", path, "--json"), path.name, "No such file")


def test_a_directory_instead_of_a_file(tmp_path):
    assert_bad_input(run("check", tmp_path, "--json"), tmp_path.name)


def test_invalid_json_request(tmp_path):
    path = request_file(tmp_path, '{\n  "requesting_state": "FR",\n  "requested_state": "US",\n}\n',
                        "request.json")
    assert_bad_input(run("check", path, "--json"), "request.json:4", "invalid JSON")


def test_a_json_fact_of_the_wrong_type(tmp_path):
    body = {"requesting_state": "FR", "requested_state": "US", "measure": "evidence_collection",
            "facts": {"political_offence": "yes"}}
    path = request_file(tmp_path, json.dumps(body), "request.json")
    assert_bad_input(run("check", path, "--json"), path.name,
                     "field 'facts.political_offence'", "expected true or false")


def test_a_yaml_alias_bomb_is_refused(tmp_path):
    lines = ["  a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"  a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    path = request_file(tmp_path, GOOD + "facts:\n" + "\n".join(lines) + "\n")
    assert_bad_input(run("check", path, "--json"), path.name, "more than")


def test_a_json_penalty_that_is_not_a_number(tmp_path):
    path = request_file(tmp_path, '{"requesting_state": "FR", "requested_state": "US", '
                        '"measure": "evidence_collection", "offence": {"max_penalty_years": NaN}}',
                        "request.json")
    assert_bad_input(run("check", path, "--json"), path.name,
                     "field 'offence.max_penalty_years'", "expected")


def test_a_non_utf8_file(tmp_path):
    path = tmp_path / "request.yaml"
    path.write_bytes(GOOD.encode() + b"# \xff\xfe\n")
    assert_bad_input(run("check", path, "--json"), path.name, "UTF-8")


def test_an_unknown_instrument_option(tmp_path):
    path = request_file(tmp_path, GOOD)
    proc = run("check", path, "--json", "--instrument", "budapset")
    assert proc.returncode == 2 and proc.stdout == "" and "Traceback" not in proc.stderr
    assert "budapset" in proc.stderr and "did you mean 'budapest'" in proc.stderr


def test_an_unknown_instrument_option_names_the_option_or_the_file(tmp_path):
    path = request_file(tmp_path, GOOD)
    proc = run("check", path, "--json", "--instrument", "budapset")
    assert "<input>" not in proc.stderr
    assert "--instrument" in proc.stderr or path.name in proc.stderr


@pytest.mark.parametrize("case", ["missing_field", "impossible_date"])
def test_every_field_message_says_what_was_expected(tmp_path, case):
    text = {"missing_field": GOOD.replace("measure: evidence_collection\n", ""),
            "impossible_date": GOOD.replace("2026-06-01", "2026-13-01")}[case]
    path = request_file(tmp_path, text)
    assert_bad_input(run("check", path, "--json"), path.name, "expected")


def test_norway_works_unquoted(tmp_path):
    path = request_file(tmp_path, textwrap.dedent("""\
        requesting_state: NO
        requested_state: US
        measure: expedited_preservation
        date: 2026-06-01
        offence: {category: illegal_access}
        """))
    proc = run("check", path, "--json", "--closed-world")
    assert proc.returncode == 0, proc.stderr
    budapest = json.loads(proc.stdout)["instruments"]["budapest"]
    assert budapest["status"] == "mandatory"
    parties = {s["id"]: s for s in budapest["trace"] if s["kind"] == "party"}
    assert parties["party:budapest:NO"]["state"] == "NO"
    assert parties["party:budapest:NO"]["value"] is True


def test_norway_works_unquoted_as_the_requested_state(tmp_path):
    path = request_file(tmp_path, GOOD.replace("requested_state: US", "requested_state: NO"))
    proc = run("explain", path, "--instrument", "budapest")
    assert proc.returncode == 0, proc.stderr
    assert "Request: FR asks NO" in proc.stdout


def test_a_boolean_that_is_not_norway_is_still_refused(tmp_path):
    path = request_file(tmp_path, GOOD.replace("requesting_state: FR", "requesting_state: yes"))
    assert_bad_input(run("check", path), path.name, "field 'requesting_state'", "expected")


# -- specs and party data passed on the command line ------------------------------------------

SPEC_CASES = [
    ("unknown_effect", dict(effect="dutty"),
     ["field 'rules[1].effect'", "dutty", "did you mean 'duty'", "expected one of"]),
    ("unprefixed_rule_id", dict(rule_id="mlat_fr_us.art2"),
     ["field 'rules[1].id'", "mlat_fr_us.art2", "mlat_us_fr.", "expected"]),
    ("unknown_ground", dict(effect="grounds", extra="    grounds: [politcal_offence]\n"),
     ["field 'rules[1].grounds[0]'", "did you mean 'political_offence'", "expected"]),
    ("condition_syntax", dict(when="urgent and and political_offence"),
     ["field 'rules[1].when'", "column 12", "expected"]),
    ("condition_unknown_name", dict(when="urgent or politcal_offence"),
     ["field 'rules[1].when'", "column 11", "did you mean 'political_offence'"]),
    ("undeclared_reservation", dict(when="reservation(art9)"),
     ["field 'rules[1].when'", "art9", "not declared"]),
]


def spec_text(rule_id: str = "mlat_us_fr.art2", effect: str = "duty", when: str = "true",
              extra: str = "") -> str:
    return treaty_spec([rule_text(2, when, effect, rule_id=rule_id, measures="all",
                                  extra=extra)])


@pytest.mark.parametrize(("name", "fields", "words"), SPEC_CASES, ids=[c[0] for c in SPEC_CASES])
def test_a_malformed_spec_passed_with_spec_is_refused(tmp_path, name, fields, words):
    request = request_file(tmp_path, GOOD)
    spec = tmp_path / f"{name}.yaml"
    spec.write_text(spec_text(**fields), encoding="utf-8")
    message = assert_bad_input(run("check", request, "--json", "--spec", spec), spec.name, *words)
    assert f"{spec.name}:" in message  # with a line number


def test_the_well_formed_spec_is_accepted(tmp_path):
    """The control for the malformed-spec cases: the same spec, unbroken, loads and applies."""
    request = request_file(tmp_path, GOOD)
    spec = tmp_path / "mlat_us_fr.yaml"
    spec.write_text(spec_text(), encoding="utf-8")
    proc = run("check", request, "--json", "--spec", spec)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["instruments"]["mlat_us_fr"]["status"] == "mandatory"


def test_a_nonexistent_spec(tmp_path):
    request = request_file(tmp_path, GOOD)
    assert_bad_input(run("check", request, "--spec", tmp_path / "nope.yaml"), "nope.yaml")


def test_parties_for_an_instrument_that_is_not_loaded(tmp_path):
    request = request_file(tmp_path, GOOD)
    parties = tmp_path / "mlat_zz_yy_parties.yaml"
    parties.write_text(textwrap.dedent("""\
        instrument: mlat_zz_yy
        as_of: 2026-01-01
        completeness: complete
        sources: [{url: https://example.org, note: A test list.}]
        parties:
          - {state: FR, name: France, in_force: 2001-01-01}
        """), encoding="utf-8")
    assert_bad_input(run("check", request, "--json", "--parties", parties), parties.name,
                     "field 'instrument'", "mlat_zz_yy", "not loaded")


def test_a_malformed_parties_file(tmp_path):
    request = request_file(tmp_path, GOOD)
    parties = tmp_path / "budapest_fix.yaml"
    parties.write_text(textwrap.dedent("""\
        instrument: budapest
        as_of: 2026-01-01
        completeness: somewhat
        sources: [{url: https://example.org, note: A test list.}]
        parties:
          - {state: FR, name: France, in_force: 2001-01-01}
        """), encoding="utf-8")
    assert_bad_input(run("check", request, "--json", "--parties", parties), parties.name,
                     "completeness")


def test_a_malformed_spec_directory_for_verify(tmp_path):
    folder = tmp_path / "specs"
    folder.mkdir()
    (folder / "mlat_us_fr.yaml").write_text(spec_text(effect="dutty"), encoding="utf-8")
    assert_bad_input(run("verify", folder), "mlat_us_fr.yaml", "field 'rules[1].effect'")


def test_a_nonexistent_spec_directory_for_verify(tmp_path):
    assert_bad_input(run("verify", tmp_path / "nowhere"), "nowhere")


# -- references inside a spec, checked when it is loaded ---------------------------------------

# Every part of a spec that names something else (another instrument, a protocol, a rule, a
# measure, a channel) is checked when the spec is loaded, whatever command loads it: `check`
# refuses the spec even where the broken part (a procedure item, a property, an example)
# plays no role in the request's verdict.
FULL_SPEC = textwrap.dedent("""\
    spec_version: 1
    id: mlat_us_fr
    title: Treaty on Mutual Legal Assistance in Criminal Matters between the US and France
    short_title: US-FR MLAT
    sources:
      - {url: https://example.org/treaty, note: Official text.}
    parties: all
    tags: [mla_treaty]
    grounds:
      - id: prior_request
        established_by: bound(untoc) and essential_interests
        summary: A ground of the treaty's own.
    rules:
      - id: mlat_us_fr.art1
        cite: US-FR MLAT, Art. 1
        summary: Covers assistance in criminal matters.
        source: https://example.org/treaty
        text_verified: true
        effect: scope
        measures: [evidence_collection]
        when: not bound(budapest) or true
      - id: mlat_us_fr.art2
        cite: US-FR MLAT, Art. 2
        summary: Assistance is due.
        source: https://example.org/treaty
        text_verified: true
        effect: duty
        measures: all
      - id: mlat_us_fr.art3
        cite: US-FR MLAT, Art. 3
        summary: Assistance may be refused.
        source: https://example.org/treaty
        text_verified: true
        effect: grounds
        measures: all
        grounds: [prior_request]
        overrides: []
    properties:
      - id: mlat_us_fr.property.duty
        cite: US-FR MLAT, Art. 2
        summary: No prior request, no refusal.
        source: https://example.org/treaty
        text_verified: true
        when: not essential_interests
        then: not ground(mlat_us_fr, prior_request) and not status(untoc, discretionary) or true
    examples:
      - id: mlat_us_fr.example.duty
        illustrates: mlat_us_fr.art2
        request:
          requesting_state: FR
          requested_state: US
          measure: evidence_collection
          date: 2026-06-01
          instruments: [mlat_us_fr, budapest]
        expect: {status: mandatory}
    procedure:
      speed: 3
      channels:
        - id: central_authority
          measures: [evidence_collection]
          when: not bound(untoc)
          cite: US-FR MLAT, Art. 4
          summary: Central authorities.
          text_verified: true
      contents:
        - id: facts
          measures: all
          when: bound(budapest)
          text: The facts.
          cite: US-FR MLAT, Art. 5
          text_verified: true
      time_limits:
        - id: answer
          measures: all
          kind: deadline
          days: 30
          when: urgent
          cite: US-FR MLAT, Art. 6
          summary: Answer within 30 days.
          text_verified: true
    """)

# (name, replaced text, its replacement, words of the message: the field, what is named,
# what was expected); the message's line is the replacement's line
REFERENCE_CASES = [
    ("procedure_channel_bound", "when: not bound(untoc)", "when: not bound(untok)",
     ["field 'procedure.channels[0].when'", "bound(untok)", "not loaded",
      "did you mean 'untoc'", "expected a loaded instrument id"]),
    ("procedure_content_bound", "when: bound(budapest)", "when: bound(budapst)",
     ["field 'procedure.contents[0].when'", "budapst", "did you mean 'budapest'", "expected"]),
    ("procedure_time_limit_protocol", "when: urgent", "when: protocol(second)",
     ["field 'procedure.time_limits[0].when'", "protocol(second)", "names no protocol",
      "expected a protocol listed in the party data"]),
    ("procedure_channel_measure", "measures: [evidence_collection]\n      when: not",
     "measures: [evidence]\n      when: not",
     ["field 'procedure.channels[0].measures[0]'", "unknown measure 'evidence'", "expected"]),
    ("procedure_channel_id", "- id: central_authority", "- id: central_authorty",
     ["field 'procedure.channels[0].id'", "did you mean 'central_authority'", "expected one of"]),
    ("rule_bound", "when: not bound(budapest) or true", "when: not bound(budapset) or true",
     ["field 'rules[0].when'", "budapset", "not loaded", "expected a loaded instrument id"]),
    ("ground_established_by", "established_by: bound(untoc)", "established_by: bound(unto)",
     ["field 'grounds[0].established_by'", "bound(unto)", "expected a loaded instrument id"]),
    ("property_status", "status(untoc, discretionary)", "status(untocc, discretionary)",
     ["field 'properties[0].then'", "status(untocc, discretionary)", "not loaded",
      "expected a loaded instrument id"]),
    ("property_ground", "ground(mlat_us_fr, prior_request)", "ground(mlat_us_fr, prior_requst)",
     ["field 'properties[0].then'", "'prior_requst' is not a ground of mlat_us_fr",
      "did you mean 'prior_request'", "expected a ground named by a rule of mlat_us_fr"]),
    ("example_illustrates", "illustrates: mlat_us_fr.art2", "illustrates: mlat_us_fr.art9",
     ["field 'examples[0].illustrates'", "unknown rule 'mlat_us_fr.art9'", "expected"]),
    ("example_instruments", "instruments: [mlat_us_fr, budapest]",
     "instruments: [mlat_us_fr, budapset]",
     ["field 'examples[0].request.instruments[1]'", "unknown instrument 'budapset'",
      "did you mean 'budapest'", "expected a loaded instrument id"]),
    ("example_depends_on_party", "expect: {status: mandatory}",
     "expect: {status: undetermined, depends_on: ['party:untok:US']}",
     ["field 'examples[0].expect.depends_on[0]'", "'party:untok:US' names instrument 'untok'",
      "did you mean 'untoc'", "expected a loaded instrument id"]),
    ("example_depends_on_reservation", "expect: {status: mandatory}",
     "expect: {status: undetermined, depends_on: ['reservation:budapest:art29_5:US']}",
     ["field 'examples[0].expect.depends_on[0]'", "names reservation 'art29_5'",
      "did you mean 'art29_4'", "expected a reservation declared by budapest"]),
    ("overrides", "overrides: []", "overrides: [mlat_us_fr.art7]",
     ["field 'rules[2].overrides[0]'", "unknown rule 'mlat_us_fr.art7'",
      "expected a rule id of this instrument"]),
]


def test_the_full_spec_with_every_kind_of_reference_is_accepted(tmp_path):
    """The control for the reference cases: the same spec, unbroken, loads and plans."""
    request = request_file(tmp_path, GOOD)
    spec = tmp_path / "mlat_us_fr.yaml"
    spec.write_text(FULL_SPEC, encoding="utf-8")
    proc = run("check", request, "--json", "--spec", spec)
    assert proc.returncode == 0, proc.stderr
    verdict = json.loads(proc.stdout)["instruments"]["mlat_us_fr"]
    assert verdict["status"] == "undetermined" and verdict["depends_on"] == ["essential_interests"]
    assert run("plan", request, "--spec", spec).returncode == 0
    assert run("test", spec).returncode == 0


@pytest.mark.parametrize(("name", "old", "new", "words"), REFERENCE_CASES,
                         ids=[c[0] for c in REFERENCE_CASES])
def test_a_spec_naming_something_that_does_not_exist_is_refused_by_check(tmp_path, name, old,
                                                                         new, words):
    assert FULL_SPEC.count(old) == 1, old
    text = FULL_SPEC.replace(old, new)
    request = request_file(tmp_path, GOOD)
    spec = tmp_path / f"{name}.yaml"
    spec.write_text(text, encoding="utf-8")
    message = assert_bad_input(run("check", request, "--spec", spec), spec.name, *words)
    line = text[:text.index(new)].count("\n") + 1
    assert f"{spec.name}:{line}: " in message, (line, message)


def test_a_procedure_naming_an_unloaded_instrument_is_refused_by_every_loading_command(tmp_path):
    request = request_file(tmp_path, GOOD)
    spec = tmp_path / "mlat_us_fr.yaml"
    spec.write_text(FULL_SPEC.replace("bound(untoc)\n", "bound(untok)\n"), encoding="utf-8")
    field = "field 'procedure.channels[0].when'"
    repo = Path(__file__).resolve().parents[2]
    for args in (("check", request, "--spec", spec), ("plan", request, "--spec", spec),
                 ("explain", request, "--spec", spec), ("test", spec),
                 ("diff", repo / "specs", spec)):
        assert_bad_input(run(*args), spec.name, field, "untok")
