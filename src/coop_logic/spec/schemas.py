"""JSON Schemas (draft 2020-12) for request files, spec files and party-data files.

For editors (completion and red squiggles while typing a spec or a request) and for
other tools. The schemas are generated from the package itself, never copied by hand:
the enumerations from `vocabulary` (measures, categories, facts, effects, instrument
ids) and the bundled State table, the allowed keys from the readers' own key lists
(`request._TOP_KEYS`, `spec._TOP_KEYS`, `spec._RULE_KEYS`, `spec._PROPERTY_KEYS`,
`parties._STRUCTURAL`/`_INFORMATIONAL`). The package ships them as
`coop_logic/data/schemas/<name>.schema.json`; `python -m coop_logic.spec.schemas` rewrites
the shipped files, and a test requires them to equal what `generate()` gives.

A schema sees a file as an editor does (YAML 1.2): a date is text (`2026-06-01`), `NO`
is text. It checks shapes, names and ids; the readers check more (the condition
language, that the two States differ, references between rules, party data on
disk). A file the schema accepts can still be refused by `coop-logic`, with a message
naming the field; a file the schema refuses is refused by `coop-logic` too.

Use it from an editor with a modeline in the file:

    # yaml-language-server: $schema=<path printed by `coop-logic schema spec --path`>

or print a schema with `coop-logic schema request|spec|parties`.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

from coop_logic.io.state_codes import state_table
from coop_logic.model import request as _request
from coop_logic.model.instrument import EFFECTS
from coop_logic.spec import instrument_reader as _spec
from coop_logic.spec import party_data as _parties
from coop_logic.vocabulary import (
    CATEGORIES,
    CONTRACT_INSTRUMENTS,
    FACT_ALIASES,
    FACT_MEANINGS,
    FACTS,
    MEASURES,
    OFFENCE_FIELDS,
    OFFENCE_FLAGS,
    STATUSES,
)

DIALECT = "https://json-schema.org/draft/2020-12/schema"
NAMES = ("request", "spec", "parties")
UNDESCRIBED = "(no shape known to the schema generator: any value)"

Schema = dict[str, Any]


# -- building blocks --------------------------------------------------------------------------


def _anchored(pattern: str) -> str:
    return f"^(?:{pattern})$"


def _text(description: str | None = None) -> Schema:
    out: Schema = {"type": "string", "pattern": r"\S"}
    if description:
        out["description"] = description
    return out


def _date(nullable: bool = False, description: str | None = None) -> Schema:
    out: Schema = {"type": ["string", "null"] if nullable else "string", "format": "date",
                   "pattern": r"^\d{4}-\d{2}-\d{2}$"}
    if description:
        out["description"] = description
    return out


def _nullable(schema: Schema) -> Schema:
    """`schema`, or null (an unknown). Kept flat, not an anyOf, so that a validator's
    message names the offending key rather than "not valid under any of the schemas"."""
    out = dict(schema)
    types = out.get("type", [])
    out["type"] = [*([types] if isinstance(types, str) else types), "null"]
    if "enum" in out:
        out["enum"] = [*out["enum"], None]
    return out


def _object(properties: dict[str, Schema], keys: tuple[str, ...] | list[str],
            required: tuple[str, ...] = (), *, description: str | None = None,
            additional: bool | Schema = False) -> Schema:
    """An object whose allowed keys are exactly `keys` (the reader's list); a key of that
    list with no entry in `properties` is allowed with any value and marked UNDESCRIBED."""
    props = {k: properties.get(k, {"description": UNDESCRIBED}) for k in keys}
    out: Schema = {"type": "object", "properties": props, "additionalProperties": additional}
    if required:
        out["required"] = [k for k in required if k in keys]
    if description:
        out["description"] = description
    return out


STATE_REF = "#/$defs/state"


def _state_code() -> Schema:
    return {"$ref": STATE_REF}


def _state_def() -> Schema:
    """The State codes of the bundled table (data/states.yaml), defined once per schema."""
    return {"type": "string", "enum": sorted(state_table().names),
            "description": "An ISO 3166-1 alpha-2 State code, upper case (quote 'NO' for "
                           "YAML 1.1 tools)."}


def _source() -> Schema:
    return _object({"url": _text("Where the text or the data can be read."),
                    "note": _text("What the source supports.")},
                   ("url", "note"), ("url",))


def _condition(description: str) -> Schema:
    return {"type": ["string", "boolean"], "description": description}


# -- request ----------------------------------------------------------------------------------


def request_schema() -> Schema:
    """The request-file format (the contract's section 1 and extension E1)."""
    return {"$schema": DIALECT, "$id": "urn:coop-logic:schema:request",
            "title": "coop-logic request", "description": (
                "A request for assistance, as coop-logic reads it (docs/contract.md, "
                "section 1). Generated by coop_logic.spec.schemas."), **_request_body(),
            "$defs": {"state": _state_def()}}


def _request_body() -> Schema:
    state = _state_code()
    offence_props: dict[str, Schema] = {
        "category": _nullable({"type": "string", "enum": list(CATEGORIES),
                               "description": "The offence category (contract section 5)."}),
        "max_penalty_years": _nullable({
            "type": "number", "minimum": 0, "maximum": 10_000,
            "description": "Maximum penalty in the requesting State, in years "
                           "(life imprisonment: 10000)."}),
    }
    flag_words = {
        "transnational": "The offence is transnational (UNTOC art. 3(2)).",
        "organized_criminal_group": "An organized criminal group is involved (UNTOC art. 3(1)).",
        "committed_by_computer": "The offence was committed by means of a computer system.",
        "electronic_evidence": "The assistance seeks evidence in electronic form.",
    }
    for flag in OFFENCE_FLAGS:
        offence_props[flag] = _nullable({"type": "boolean",
                                         "description": flag_words.get(flag, flag)})
    facts_props = {
        f: _nullable({"type": "boolean", "description": f"true means: {FACT_MEANINGS[f]}."
                      if f in FACT_MEANINGS else f})
        for f in FACTS
    }
    for old, (new, flips) in FACT_ALIASES.items():
        facts_props[old] = _nullable({
            "type": "boolean", "deprecated": True,
            "description": f"Deprecated (contract revision 2): read as '{new}'"
                           + (" with the opposite value." if flips else ".")})
    props: dict[str, Schema] = {
        "requesting_state": {**state, "description": "The State asking for assistance."},
        "requested_state": {**state, "description": "The State asked (must differ from "
                                                    "requesting_state)."},
        "measure": {"type": "string", "enum": list(MEASURES),
                    "description": "The assistance asked for (contract section 4)."},
        "date": _date(description="The date the request is judged on (default: today); "
                                  "a date, not a date-time."),
        "offence": _nullable(_object(offence_props, OFFENCE_FIELDS, description=(
            "What is known of the offence; an absent or null field is unknown."))),
        "facts": _nullable(_object(facts_props, [*FACTS, *FACT_ALIASES], description=(
            "Boolean facts (contract section 6); an absent or null fact is unknown."))),
        "instruments": _nullable({
            "type": "array", "minItems": 1,
            "items": {"anyOf": [{"enum": list(CONTRACT_INSTRUMENTS)},
                                {"type": "string", "pattern": _anchored(_spec.ID_PATTERN)}]},
            "description": "Consider only these instruments (comity is always considered)."}),
    }
    return _object(props, _request._TOP_KEYS, ("requesting_state", "requested_state", "measure"))


# -- party data -------------------------------------------------------------------------------


def _party_data(kind: str) -> Schema:
    """Party data: `file` (a party-data file), `inline` (a spec's `parties:` mapping) or
    `protocol` (a protocol's list inside party data)."""
    state = _state_code()
    note = {"description": "Information for people; not read."}
    entry = _object(
        {"state": state, "name": _text("The State's name."),
         "in_force": _date(True, "Bound from this date (null: no date found)."),
         "withdrawn": _date(True, "No longer bound from this date."),
         "source": _text("The source that supports this State's entry (cited in traces)."),
         "derived": {"type": "boolean", "description": "true: in_force was computed from "
                     "the deposit date and the treaty's entry-into-force rule."},
         "deposited": _date(True, "The date the instrument was deposited."),
         "deposit_source": _text("The source of the deposit date."),
         **{k: note for k in _parties._ENTRY_NOTES}},
        (*_parties._ENTRY_KEYS, *_parties._ENTRY_NOTES), ("state",),
        description="A Party.")
    state_item = _object({"state": state}, ("state",), ("state",), additional=True)
    former = _object({"state": state, "name": _text(), "ceased": _date(True)},
                     ("state", "name", "ceased"), ("state",), additional=True)
    reservation = _object(
        {"state": state,
         "article": {"type": ["string", "integer"],
                     "description": "The article the reservation is made under, e.g. 29(4)."},
         "summary": _text(),
         "status": {"enum": list(_parties.RESERVATION_STATUSES),
                    "description": "Whether the State holds it: 'in force' and 'declaration' "
                                   "yes, 'withdrawn' no, 'unverified' unknown."},
         "in_force": _date(True), "withdrawn": _date(True),
         "source": _text("The source that supports this reservation (cited in traces)."),
         "kinds": {"type": "array", "items": {"type": "string",
                                              "pattern": _anchored(_spec.ID_PATTERN)},
                   "description": "What the reservation does, where one article carries "
                                  "reservations of different content; read by a spec "
                                  "declaration's `kind`."}},
        _parties._RESERVATION_KEYS, ("state", "article"))
    instrument: Schema = (_text("The protocol's title.") if kind == "protocol" else
                          {"type": "string", "pattern": _anchored(_spec.ID_PATTERN),
                           "description": "The instrument id the data is for."})
    props: dict[str, Schema] = {
        "instrument": instrument,
        "as_of": _date(True, "The date of the latest source used."),
        "sources": {"type": "array", "items": _source()},
        "list_source": _text("The source cited for a State the list covers without an "
                             "entry of its own (default: the first of `sources`)."),
        "completeness": {"type": "string",
                         "pattern": r"^(complete|partial|uncertain)(\s|$)",
                         "description": "How complete the membership list is: complete, "
                                        "partial or uncertain (words may follow)."},
        "parties": {"anyOf": [{"const": "all_un_members"},
                              {"type": "array", "items": entry}],
                    "description": "The Parties, or all_un_members (with non_parties)."},
        "additional_parties": {"type": "array", "items": entry,
                               "description": "More Parties, read like `parties` (e.g. "
                                              "beside all_un_members)."},
        "unresolved": {"type": "array", "items": state,
                       "description": "With a partial list: the only States whose status "
                                      "is unknown."},
        "non_parties": {"type": "array", "items": state_item},
        "non_participating": {"type": "array", "items": state_item},
        "former_members": {"type": "array", "items": former},
        "entry_into_force": _date(True, "No State is bound before this date."),
        "instrument_in_force": {"type": "boolean",
                                "description": "false: the instrument binds no State."},
        "reservations": {"type": "array", "items": reservation},
        "reservations_completeness": {"enum": ["complete", "partial"]},
    }
    for key in _parties._INFORMATIONAL:
        props.setdefault(key, {"description": "Information for people; not read."})
    required = ["completeness", "parties"] + (["instrument"] if kind == "file" else [])
    keys = (*_parties._STRUCTURAL, *_parties._INFORMATIONAL)
    # Any other key is a protocol of the instrument when it holds a mapping with its own
    # `parties` list (as the reader decides); otherwise it is unknown.
    protocol: bool | Schema = (False if kind == "protocol" else {
        "if": {"type": "object", "required": ["parties"]},
        "then": {"$ref": "#/$defs/protocol"}, "else": False})
    return _object(props, keys, tuple(required), additional=protocol)


def parties_schema() -> Schema:
    """The party-data file format (specs/parties/*.yaml, `--parties` files)."""
    body = _party_data("file")
    return {"$schema": DIALECT, "$id": "urn:coop-logic:schema:parties",
            "title": "coop-logic party data", "description": (
                "Who is bound by an instrument, from when, with which reservations "
                "(docs/spec-language.md, 'Party data'). A key holding a mapping with its "
                "own `parties` list is a protocol of the instrument. Generated by "
                "coop_logic.spec.schemas."),
            **body, "$defs": {"protocol": _party_data("protocol"), "state": _state_def()}}


# -- spec -------------------------------------------------------------------------------------


def spec_schema() -> Schema:
    """The spec-file format (docs/spec-language.md)."""
    ident = {"type": "string", "pattern": _anchored(_spec.ID_PATTERN)}
    rule_id = {"type": "string", "pattern": _anchored(_spec.RULE_ID_PATTERN)}
    ground_id = {"anyOf": [{"enum": list(FACTS)}, ident]}
    condition = _condition("A condition in the spec condition language "
                           "(docs/spec-language.md, 'Conditions'), or true/false.")
    verdict_condition = _condition("A condition that may also use status(...), ground(...) "
                                   "and obligatory(...) (docs/spec-language.md, "
                                   "'Properties').")
    rule_props: dict[str, Schema] = {
        "id": {**rule_id, "description": "Unique; starts with '<instrument id>.'."},
        "cite": _text("The citation, e.g. 'Budapest Convention, Art. 29(5)'."),
        "summary": _text("What the provision does, in our words."),
        "source": _text("A link to the text of the provision."),
        "text_verified": {"type": "boolean", "description": "false: encoded from a digest, "
                                                           "not the official text."},
        "effect": {"enum": list(EFFECTS)},
        "measures": {"anyOf": [{"const": "all"},
                               {"type": "array", "minItems": 1,
                                "items": {"enum": list(MEASURES)}}]},
        "when": condition,
        "grounds": {"type": "array", "minItems": 1, "items": ground_id,
                    "description": "grounds and exclusion rules only: fact ids or grounds "
                                   "declared under 'grounds'."},
        "only": {"type": "boolean", "description": "grounds rules only: a closed list."},
        "obligatory": {"type": "boolean", "description": "grounds rules only: the text says "
                       "assistance shall be refused on these grounds (not 'may')."},
        "overrides": {"type": "array", "items": rule_id},
    }
    rule = _object(rule_props, _spec._RULE_KEYS,
                   ("id", "cite", "summary", "source", "text_verified", "effect", "measures"))
    rule["allOf"] = [
        {"if": {"properties": {"effect": {"enum": ["grounds", "exclusion"]}},
                "required": ["effect"]},
         "then": {"required": ["grounds"]},
         "else": {"not": {"required": ["grounds"]}}},
        {"if": {"not": {"properties": {"effect": {"const": "grounds"}}}},
         "then": {"properties": {"only": {"const": False}, "obligatory": {"const": False}}}},
    ]
    property_props: dict[str, Schema] = {
        "id": rule_props["id"], "cite": rule_props["cite"], "summary": rule_props["summary"],
        "source": rule_props["source"], "text_verified": rule_props["text_verified"],
        "when": verdict_condition, "then": verdict_condition,
    }
    property_keys = getattr(_spec, "_PROPERTY_KEYS", ())
    reserved = [*FACTS, "category", "measure", "max_penalty_years"]
    top_props: dict[str, Schema] = {
        "spec_version": {"const": 1},
        "id": {**ident, "description": "The instrument id (a bilateral treaty: "
                                       "mlat_<a>_<b>)."},
        "title": _text(),
        "short_title": _text("Used in explanations."),
        "adopted": _date(True),
        "entry_into_force": _date(True, "Descriptive: party data decides who is bound."),
        "sources": {"type": "array", "minItems": 1, "items": _source()},
        "parties": {"if": {"type": "string"}, "then": ident,
                    "else": {"$ref": "#/$defs/party_data"},
                    "description": "A party file id (specs/parties/<id>.yaml), 'all' "
                                   "(every State), or inline party data."},
        "tags": {"type": "array", "items": ident},
        "definitions": {"type": "object",
                        "propertyNames": {"pattern": _anchored(_spec.ID_PATTERN),
                                          "not": {"enum": reserved}},
                        "additionalProperties": condition},
        "reservations": {"type": "array", "items": _object(
            {"id": ident, "article": {"type": ["string", "number"]}, "summary": _text(),
             "kind": {**ident, "description": "Read only party entries listing this kind "
                                              "under `kinds`."},
             "fills": {"type": "object", "propertyNames": {"enum": list(FACTS)},
                       "additionalProperties": {"type": "boolean"},
                       "description": "Facts this reservation or notification settles for the "
                                      "requested State that holds it, where the request "
                                      "leaves them out."}},
            ("id", "article", "summary", "fills", "kind"), ("id", "article", "summary"))},
        "grounds": {"type": "array", "items": _object(
            {"id": {**ident, "not": {"enum": list(FACTS)}},
             "established_by": condition, "summary": _text()},
            ("id", "established_by", "summary"), ("id", "summary"))},
        "rules": {"type": "array", "items": {"$ref": "#/$defs/rule"}},
        "properties": {"type": "array", "items": {"$ref": "#/$defs/property"}},
        "not_encoded": {"type": "array", "items": _object(
            {"cite": _text(), "reason": _text()}, ("cite", "reason"), ("cite", "reason"))},
        "provisions": _object(
            {"digest": _text("The source digest the list is taken from."),
             "articles": {"type": "array", "minItems": 1, "uniqueItems": True,
                          "items": {"type": ["string", "integer"]},
                          "description": "Article references (29(5), 29(1)-(3), Annex D, "
                                         "'ETS 99: 1'), each to be cited by a rule or a "
                                         "not_encoded entry (verify's coverage check)."}},
            ("digest", "articles"), ("digest", "articles")),
        "examples": {"type": "array", "items": {"$ref": "#/$defs/example"},
                     "description": "Tests inside the spec: a request and the verdict it "
                                    "must get (coop-logic test)."},
        "procedure": _procedure(rule_props, condition),
    }
    ids = {"type": "array", "items": _text()}
    expect_props: dict[str, Schema] = {
        "status": {"enum": [*STATUSES, "undetermined"]},
        "grounds": {**ids, "description": "refusable only: the grounds established."},
        "possible": {"type": "array", "items": {"enum": list(STATUSES)}},
        "depends_on": {**ids, "description": "undetermined only: the unknowns."},
    }
    example_props: dict[str, Schema] = {
        "id": rule_props["id"],
        "illustrates": {**rule_id, "description": "The rule the example illustrates."},
        "cite": _text(), "summary": _text(),
        "request": {"$ref": "#/$defs/request"},
        "closed_world": {"type": "boolean", "description": "Default true."},
        "expect": _object(expect_props, getattr(_spec, "_EXPECT_KEYS", ()), ("status",)),
    }
    body = _object(top_props, _spec._TOP_KEYS,
                   ("spec_version", "id", "title", "sources", "parties", "rules"))
    defs: dict[str, Schema] = {"rule": rule, "party_data": _party_data("inline"),
                               "protocol": _party_data("protocol"), "state": _state_def()}
    example_keys = getattr(_spec, "_EXAMPLE_KEYS", ())
    if example_keys:
        defs["example"] = _object(example_props, example_keys,
                                  ("id", "illustrates", "request", "expect"))
        defs["request"] = _request_body()
    if property_keys:
        defs["property"] = _object(property_props, property_keys,
                                   ("id", "cite", "summary", "source", "text_verified", "then"))
    else:
        body["properties"].pop("properties", None)
    return {"$schema": DIALECT, "$id": "urn:coop-logic:schema:spec",
            "title": "coop-logic spec", "description": (
                "An instrument written in the spec language (docs/spec-language.md). "
                f"Statuses: {', '.join(STATUSES)}. Generated by coop_logic.spec.schemas."),
            **body, "$defs": defs}


def _procedure(rule_props: dict[str, Schema], condition: Schema) -> Schema:
    """`procedure:`: channels, contents of a request, time limits (coop-logic plan)."""
    rank = {"type": "integer", "minimum": 1,
            "description": "Speed rank: 1 fastest (24/7 network) ... 5 (letters rogatory)."}
    item_id = {"type": "string", "pattern": _anchored(_spec.ID_PATTERN)}
    common = {"measures": rule_props["measures"], "when": condition, "cite": _text(),
              "source": _text(), "text_verified": rule_props["text_verified"]}
    channel = _object({**common, "id": {"enum": list(_spec.CHANNELS)}, "speed": rank,
                       "summary": _text()}, _spec._CHANNEL_KEYS,
                      ("id", "measures", "cite", "summary", "text_verified"))
    content = _object({**common, "id": item_id, "text": _text()}, _spec._CONTENT_KEYS,
                      ("id", "measures", "text", "cite", "text_verified"))
    period = {"type": "integer", "minimum": 1}
    limit = _object({**common, "id": item_id, "kind": {"enum": list(_spec.TIME_LIMIT_KINDS)},
                     "days": period, "hours": period, "summary": _text()},
                    _spec._TIME_LIMIT_KEYS,
                    ("id", "measures", "kind", "cite", "summary", "text_verified"))
    limit["oneOf"] = [{"required": ["days"]}, {"required": ["hours"]}]
    return _object({"speed": rank, "note": _text(),
                    "channels": {"type": "array", "items": channel},
                    "contents": {"type": "array", "items": content},
                    "time_limits": {"type": "array", "items": limit}},
                   _spec._PROCEDURE_KEYS, ("speed",),
                   description="How a request is made: channels, contents, time limits "
                               "(docs/spec-language.md, Procedure).")


# -- the shipped files ------------------------------------------------------------------------


def generate() -> dict[str, Schema]:
    """Every schema, by name: `request`, `spec`, `parties`."""
    return {"request": request_schema(), "spec": spec_schema(), "parties": parties_schema()}


def render(schema: Schema) -> str:
    """The text of a schema file (stable: sorted nowhere, indented, newline-terminated)."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def shipped_dir() -> Path:
    return Path(str(resources.files("coop_logic"))) / "data" / "schemas"


def shipped_path(name: str) -> Path:
    """Where the package ships the schema `name` (request, spec or parties)."""
    if name not in NAMES:
        raise ValueError(f"unknown schema '{name}': expected one of {', '.join(NAMES)}")
    return shipped_dir() / f"{name}.schema.json"


def load(name: str) -> Schema:
    """The shipped schema `name`."""
    return json.loads(shipped_path(name).read_text("utf-8"))


def undescribed(schema: Schema) -> list[str]:
    """JSON pointers of keys a reader allows but the generator gives no shape for (a key
    added to a reader's list without a schema here)."""
    found: list[str] = []

    def visit(node: Any, pointer: str) -> None:
        if isinstance(node, dict):
            if node.get("description") == UNDESCRIBED:
                found.append(pointer)
            for key, value in node.items():
                visit(value, f"{pointer}/{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                visit(value, f"{pointer}/{i}")

    visit(schema, "")
    return found


def write(directory: Path | None = None) -> list[Path]:
    """Write every schema to `directory` (default: the package's shipped folder)."""
    target = directory or shipped_dir()
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in generate().items():
        path = target / f"{name}.schema.json"
        path.write_text(render(schema), "utf-8")
        written.append(path)
    return written


if __name__ == "__main__":  # python -m coop_logic.spec.schemas: refresh the shipped files
    for path in write():
        print(path)
