"""The JSON Schemas of request, spec and party-data files (`coop_logic.spec.schemas`).

The shipped files equal the generated ones; every bundled spec, party file and example
request validates; a misspelled key is rejected with its path, by the schema and by the
reader alike; and on mutated requests the schema and the reader agree.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import coop_logic
from coop_logic import CATEGORIES, FACTS, MEASURES, schemas
from coop_logic.cli import main
from coop_logic.errors import RequestError, SpecError
from coop_logic.spec.instrument_reader import read_spec
from coop_logic.vocabulary import FACT_ALIASES

jsonschema = pytest.importorskip("jsonschema")

REPO = Path(__file__).resolve().parents[2]
SPECS = sorted((REPO / "specs").glob("*.yaml"))
PARTY_FILES = sorted((REPO / "specs" / "parties").glob("*.yaml"))
EXAMPLE_SPECS = sorted((REPO / "examples").glob("*.yaml"))
EXAMPLE_REQUESTS = sorted((REPO / "examples" / "requests").glob("*.y*ml"))


# -- reading a file as an editor does (YAML 1.2: dates are text, only true/false are bools) --


class EditorLoader(yaml.SafeLoader):
    """PyYAML's safe loader without YAML 1.1's timestamps and yes/no/on/off booleans."""


EditorLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers
            if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
EditorLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


def editor_load(path: Path) -> Any:
    return yaml.load(path.read_text("utf-8"), Loader=EditorLoader)


def validator(name: str) -> Any:
    schema = schemas.load(name)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def errors(name: str, data: Any) -> list[Any]:
    return sorted(validator(name).iter_errors(data), key=lambda e: list(e.absolute_path))


def describe(errs: list[Any]) -> str:
    return "\n".join(f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message[:200]}"
                     for e in errs)


# -- the shipped files --------------------------------------------------------------------------


@pytest.mark.parametrize("name", schemas.NAMES)
def test_shipped_schema_equals_the_generated_one(name):
    shipped = schemas.shipped_path(name).read_text("utf-8")
    assert shipped == schemas.render(schemas.generate()[name]), (
        f"{schemas.shipped_path(name)} is stale: run `python -m coop_logic.spec.schemas`")


@pytest.mark.parametrize("name", schemas.NAMES)
def test_schema_is_valid_draft_2020_12_and_describes_every_key(name):
    schema = schemas.load(name)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schemas.undescribed(schema) == [], (
        "a reader allows keys the schema generator gives no shape for")


def test_enumerations_and_keys_come_from_the_package():
    from coop_logic.model import request as request_module
    from coop_logic.model.instrument import EFFECTS
    from coop_logic.spec import instrument_reader as spec_module

    req = schemas.load("request")
    assert list(req["properties"]) == list(request_module._TOP_KEYS)
    assert req["properties"]["measure"]["enum"] == list(MEASURES)
    offence = req["properties"]["offence"]
    assert offence["properties"]["category"]["enum"] == [*CATEGORIES, None]
    assert list(req["properties"]["facts"]["properties"]) == [*FACTS, *FACT_ALIASES]
    spec = schemas.load("spec")
    assert list(spec["properties"]) == list(spec_module._TOP_KEYS)
    assert list(spec["$defs"]["rule"]["properties"]) == list(spec_module._RULE_KEYS)
    assert spec["$defs"]["rule"]["properties"]["effect"]["enum"] == list(EFFECTS)


# -- every bundled file validates -------------------------------------------------------------


@pytest.mark.parametrize("path", SPECS + EXAMPLE_SPECS, ids=lambda p: p.name)
def test_every_bundled_and_example_spec_validates(path):
    errs = errors("spec", editor_load(path))
    assert not errs, describe(errs)


@pytest.mark.parametrize("path", PARTY_FILES, ids=lambda p: p.name)
def test_every_party_file_validates(path):
    errs = errors("parties", editor_load(path))
    assert not errs, describe(errs)


def test_every_party_file_reference_resolves_to_a_valid_file():
    referenced = 0
    for path in SPECS:
        parties = editor_load(path)["parties"]
        if isinstance(parties, str) and parties != "all":
            target = REPO / "specs" / "parties" / f"{parties}.yaml"
            assert target.is_file(), f"{path.name} refers to missing {target.name}"
            errs = errors("parties", editor_load(target))
            assert not errs, describe(errs)
            referenced += 1
    assert referenced >= 3


@pytest.mark.parametrize("path", EXAMPLE_REQUESTS, ids=lambda p: p.name)
def test_every_example_request_validates(path):
    errs = errors("request", editor_load(path))
    assert not errs, describe(errs)


# -- misspelled keys: rejected with their path, by the schema and by the reader ------------------

BASE_REQUEST = {"requesting_state": "FR", "requested_state": "US",
                "measure": "expedited_preservation", "date": "2026-06-01",
                "offence": {"category": "illegal_access", "max_penalty_years": 5},
                "facts": {"political_offence": False}}

SPEC_TEXT = """
spec_version: 1
id: mlat_xx_yy
title: Treaty on Mutual Legal Assistance between X and Y
short_title: X-Y MLAT
adopted: 2001-05-01
entry_into_force: 2003-01-01
sources:
  - {url: https://example.org/treaty, note: Official text.}
parties:
  as_of: 2026-01-01
  completeness: complete
  sources: [{url: https://example.org/treaty, note: Both ratified.}]
  parties:
    - {state: US, name: United States, in_force: 2003-01-01}
    - {state: FR, name: France, in_force: 2003-01-01}
  reservations:
    - {state: US, article: "3", summary: A reservation.}
tags: [mla_treaty]
definitions:
  serious: max_penalty_years >= 1
reservations:
  - {id: art3, article: "3", summary: A reservation.}
grounds:
  - id: unreasonable
    established_by: death_penalty_risk or human_rights_risk
    summary: Unreasonable requests.
rules:
  - id: mlat_xx_yy.art1
    cite: X-Y MLAT, Art. 1
    summary: Covers assistance.
    source: https://example.org/treaty
    text_verified: true
    effect: scope
    measures: [evidence_collection, stored_data_access]
  - id: mlat_xx_yy.art1.1
    cite: X-Y MLAT, Art. 1(1)
    summary: The Parties must assist each other.
    source: https://example.org/treaty
    text_verified: true
    effect: duty
    measures: all
    when: serious
  - id: mlat_xx_yy.art3
    cite: X-Y MLAT, Art. 3
    summary: Refusal grounds.
    source: https://example.org/treaty
    text_verified: true
    effect: grounds
    measures: all
    grounds: [political_offence, unreasonable]
properties:
  - id: mlat_xx_yy.property.p
    cite: X-Y MLAT, Art. 3
    summary: A political offence is a ground.
    source: https://example.org/treaty
    text_verified: true
    when: political_offence
    then: not status(mandatory)
not_encoded:
  - {cite: "X-Y MLAT, Art. 9", reason: Costs.}
"""


def _objects(data: Any, path: tuple = ()) -> list[tuple]:
    """Paths of every mapping in a document."""
    found = []
    if isinstance(data, dict):
        found.append(path)
        for key, value in data.items():
            found += _objects(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            found += _objects(value, (*path, i))
    return found


def _at(data: Any, path: tuple) -> Any:
    for part in path:
        data = data[part]
    return data


def _render(path: tuple) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else ("." if text else "") + str(part)
    return text


def test_a_misspelled_request_key_is_rejected_with_its_path():
    bad = copy.deepcopy(BASE_REQUEST)
    bad["facts"]["politcal_offence"] = bad["facts"].pop("political_offence")
    errs = errors("request", bad)
    assert [list(e.absolute_path) for e in errs] == [["facts"]]
    assert "'politcal_offence' was unexpected" in errs[0].message
    with pytest.raises(RequestError) as info:
        coop_logic.Request.from_dict(bad)
    assert info.value.field == "facts.politcal_offence"


def test_a_misspelled_spec_key_is_rejected_with_its_path(tmp_path):
    data = yaml.load(SPEC_TEXT, Loader=EditorLoader)
    data["rules"][1]["wehn"] = data["rules"][1].pop("when")
    errs = errors("spec", data)
    assert [list(e.absolute_path) for e in errs] == [["rules", 1]]
    assert "'wehn' was unexpected" in errs[0].message
    path = tmp_path / "mlat_xx_yy.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), "utf-8")
    with pytest.raises(SpecError) as info:
        read_spec(path)
    assert info.value.field == "rules[1].wehn"


def test_the_spec_example_is_valid_for_schema_and_reader(tmp_path):
    data = yaml.load(SPEC_TEXT, Loader=EditorLoader)
    assert not errors("spec", data), describe(errors("spec", data))
    path = tmp_path / "mlat_xx_yy.yaml"
    path.write_text(SPEC_TEXT, "utf-8")
    assert read_spec(path).id == "mlat_xx_yy"


# Mappings whose keys the readers do not check (none: party entries and reservations have
# closed key sets, notes included).
OPEN_MAPPINGS: set[tuple[object, ...]] = set()


def test_an_unknown_key_anywhere_is_rejected_by_both(tmp_path):
    data = yaml.load(SPEC_TEXT, Loader=EditorLoader)
    checked = 0
    for where in _objects(data):
        if where in OPEN_MAPPINGS or (where and where[0] == "definitions"):
            continue
        bad = copy.deepcopy(data)
        _at(bad, where)["zz_unknown"] = "x"
        errs = errors("spec", bad)
        # Inside party data, an unknown key could be a protocol: the error is at the key.
        # A Party entry sits under `parties: list | all_un_members` (an anyOf): the
        # validator reports the list.
        assert [list(e.absolute_path) for e in errs] in (
            [list(where)], [[*where, "zz_unknown"]], [list(where[:-1])]), (where, describe(errs))
        path = tmp_path / "mlat_xx_yy.yaml"
        path.write_text(yaml.safe_dump(bad, sort_keys=False), "utf-8")
        with pytest.raises(SpecError) as info:
            read_spec(path)
        assert info.value.field == _render((*where, "zz_unknown")), where
        checked += 1
    assert checked >= 11
    for where in _objects(BASE_REQUEST):
        bad = copy.deepcopy(BASE_REQUEST)
        _at(bad, where)["zz_unknown"] = "x"
        assert [list(e.absolute_path) for e in errors("request", bad)] == [list(where)]
        with pytest.raises(RequestError) as info:
            coop_logic.Request.from_dict(bad)
        assert info.value.field == _render((*where, "zz_unknown"))


# -- the schema and the reader agree on mutated requests ---------------------------------------

STATE_VALUES = ["FR", "US", "DE", "fr", "XX", "", 7, None, True]
FIELD_VALUES: dict[tuple, list[Any]] = {
    ("requesting_state",): STATE_VALUES,
    ("requested_state",): STATE_VALUES,
    ("measure",): ["extradition", "evidence_collection", "Extradition", "teleport", 1, None],
    ("date",): ["2026-06-01", "2026-02-30", "2026-6-1", "2026-06-01T10:00:00", "", 20260601,
                None],
    ("offence",): [None, {}, [], "x", {"category": None}],
    ("offence", "category"): ["fraud", "terrorism", "Fraud", "arson", None, 3, True],
    ("offence", "max_penalty_years"): [0, 4, 4.5, 10_000, 10_001, -1, 1e300, "5", None, True],
    ("offence", "transnational"): [True, False, None, "yes", 1, 0],
    ("facts",): [None, {}, [], {"urgent": True}, {"urgent": "no"}, {"uregnt": True}],
    ("facts", "political_offence"): [True, False, None, "false", 0],
    ("instruments",): [None, [], ["budapest"], ["untoc", "untoc"], [1], "budapest"],
}


@settings(max_examples=150, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(sorted(FIELD_VALUES)).flatmap(
    lambda key: st.tuples(st.just(key), st.sampled_from(FIELD_VALUES[key]))),
    min_size=1, max_size=3), st.sets(st.sampled_from(["requesting_state", "requested_state",
                                                       "measure", "date", "offence"]),
                                     max_size=1))
def test_schema_and_reader_agree_on_mutated_requests(changes, removed):
    request = copy.deepcopy(BASE_REQUEST)
    for path, value in changes:
        parent = _at(request, path[:-1]) if len(path) > 1 else request
        if isinstance(parent, dict):
            parent[path[-1]] = copy.deepcopy(value)
    for key in removed:
        request.pop(key, None)
    schema_ok = not errors("request", request)
    try:
        coop_logic.Request.from_dict(request)
        reader_ok = True
    except RequestError:
        reader_ok = False
    if schema_ok and not reader_ok:
        # The one rule JSON Schema cannot state: the two States must differ.
        assert request.get("requesting_state") == request.get("requested_state"), request
    else:
        assert schema_ok == reader_ok, (request, describe(errors("request", request)))


# -- the command ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", schemas.NAMES)
def test_schema_command_prints_the_schema(name):
    result = CliRunner().invoke(main, ["schema", name])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == schemas.generate()[name]


def test_schema_command_path_and_output(tmp_path):
    result = CliRunner().invoke(main, ["schema", "spec", "--path"])
    assert result.exit_code == 0
    assert Path(result.output.strip()) == schemas.shipped_path("spec")
    assert Path(result.output.strip()).is_file()
    target = tmp_path / "request.schema.json"
    result = CliRunner().invoke(main, ["schema", "request", "-o", str(target)])
    assert result.exit_code == 0 and result.output == ""
    assert target.read_text("utf-8") == schemas.render(schemas.generate()["request"])


def test_schema_command_rejects_an_unknown_name():
    result = CliRunner().invoke(main, ["schema", "treaty"])
    assert result.exit_code == 2
    assert "'treaty' is not one of" in result.output
