"""Reading spec files into `model.Instrument` records, with every field validated.

Errors name the file, the line and the field (SpecError). References to other
instruments (bound(), status(), ground(), examples' `instruments`) are checked by
`check_references` once every file is read, called by `kb.load`, which also refuses
duplicate instrument ids. This module does not touch the solver.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from coop_logic.errors import SpecError, did_you_mean
from coop_logic.io.documents import load_file
from coop_logic.io.field_reader import Fields
from coop_logic.model.conditions import TRUE, Condition, ConditionError, parse_condition
from coop_logic.model.instrument import (
    EFFECTS,
    Example,
    Expectation,
    Ground,
    Instrument,
    NotEncoded,
    PartyData,
    Property,
    ReservationDecl,
    Rule,
    SourceRef,
)
from coop_logic.spec.citations import parse_provision
from coop_logic.spec.party_data import load_party_document, parse_party_data
from coop_logic.vocabulary import FACTS, MEASURES, OFFENCE_FLAGS

ID_PATTERN = r"[a-z][a-z0-9_]*"
RULE_ID_PATTERN = r"[a-z][a-z0-9_]*(\.[A-Za-z0-9_]+)+"
_TOP_KEYS = (
    "spec_version", "id", "title", "short_title", "adopted", "entry_into_force", "sources",
    "parties", "tags", "definitions", "reservations", "grounds", "rules", "not_encoded",
    "properties", "provisions", "examples", "procedure",
)
_RESERVED_NAMES = {"category", "measure", "max_penalty_years", "bound", "bound_any",
                   "reservation", "protocol", "status", "ground", "obligatory", "and", "or",
                   "not", "in",
                   "true", "false"}
_PROPERTY_KEYS = ("id", "cite", "summary", "source", "text_verified", "when", "then")
_RULE_KEYS = (
    "id", "cite", "summary", "source", "text_verified", "effect", "measures", "when",
    "grounds", "only", "obligatory", "overrides",
)


def read_spec(path: str | Path, party_dirs: tuple[Path, ...] = ()) -> Instrument:
    """Read one spec file. Party data named by id is looked up in `party_dirs`, in order."""
    path = Path(path)
    doc = load_file(path, SpecError)
    top = Fields(doc, (), SpecError)
    top.check_keys(_TOP_KEYS)
    version = top.raw("spec_version")
    if version != 1:
        raise top.fail(top.at("spec_version"), f"is {version!r}", "1")
    inst_id = top.str("id", pattern=ID_PATTERN)
    reservations = tuple(_reservation_decl(top, i, item)
                         for i, item in enumerate(top.list("reservations", [])))
    reservation_ids = frozenset(r.id for r in reservations)
    definitions = _definitions(top, reservation_ids)
    grounds = tuple(_ground(top, i, item, definitions, reservation_ids)
                    for i, item in enumerate(top.list("grounds", [])))
    rules = tuple(
        _rule(top, i, item, inst_id, definitions, reservation_ids, grounds)
        for i, item in enumerate(top.list("rules"))
    )
    _check_rules(top, rules)
    digest, provisions = _provisions(top)
    return Instrument(
        id=inst_id,
        title=top.str("title"),
        short_title=top.str("short_title", top.str("title")),
        adopted=top.date("adopted", None, nullable=True),
        entry_into_force=top.date("entry_into_force", None, nullable=True),
        sources=tuple(_sources(top)),
        parties=_parties(top, inst_id, path, party_dirs),
        tags=frozenset(_id_list(top, "tags", [])),
        reservations=reservations,
        grounds=grounds,
        rules=rules,
        not_encoded=tuple(_not_encoded(top)),
        properties=tuple(_property(top, i, item, inst_id, definitions, reservation_ids)
                         for i, item in enumerate(top.list("properties", []))),
        file=str(path),
        provisions=provisions,
        provisions_digest=digest,
        examples=_examples(top, inst_id, rules),
        procedure=_procedure(top, definitions, reservation_ids),
        definitions=dict(definitions),
    )


def _condition(fields: Fields, key: str, definitions: dict[str, Condition],
               reservations: frozenset[str], *, verdicts: bool = False) -> tuple[Condition, str]:
    value = fields.raw(key) if fields.has(key) else True
    if isinstance(value, bool):
        return parse_condition(str(value).lower()), str(value).lower()
    if not isinstance(value, str) or not value.strip():
        raise fields.fail(fields.at(key), "is not a condition", "a condition such as 'urgent'")
    text = " ".join(value.split())
    try:
        return parse_condition(text, definitions, reservations, verdicts=verdicts), text
    except ConditionError as exc:
        shown = text if len(text) <= 120 else (
            ("..." if exc.column > 60 else "") + text[max(0, exc.column - 60):exc.column + 60]
            + "...")  # a long condition is quoted around the column only
        pointer = f" at column {exc.column + 1} of '{shown}'"
        raise fields.fail(fields.at(key), exc.message + pointer,
                          "a condition in the language of docs/spec-language.md") from None


def _definitions(top: Fields, reservations: frozenset[str]) -> dict[str, Condition]:
    raw = top.raw("definitions") if top.has("definitions") else {}
    defs = top.sub("definitions", raw)
    result: dict[str, Condition] = {}
    for name in raw:
        if not isinstance(name, str) or not _is_id(name):
            raise defs.fail(defs.at(name), f"'{name}' is not a valid name", "snake_case")
        if name in FACTS or name in OFFENCE_FLAGS or name in _RESERVED_NAMES:
            raise defs.fail(defs.at(name), f"'{name}' is a vocabulary name", "a new name")
        result[name], _ = _condition(defs, name, result, reservations)
    return result


def _is_id(text: str) -> bool:
    import re

    return re.fullmatch(ID_PATTERN, text) is not None


def _id_list(fields: Fields, key: str, default: Any = None) -> list[str]:
    values = fields.list(key, default if default is not None else [])
    out = []
    for i, v in enumerate(values):
        if not isinstance(v, str) or not _is_id(v):
            raise fields.fail((*fields.at(key), i), f"'{v}' is not an id", "a snake_case id")
        out.append(v)
    return out


def _sources(top: Fields) -> list[SourceRef]:
    items = top.list("sources")
    if not items:
        raise top.fail(top.at("sources"), "is empty", "at least one source")
    result = []
    for i, item in enumerate(items):
        f = Fields(top.doc, (*top.at("sources"), i), SpecError, item)
        f.check_keys(["url", "note"])
        result.append(SourceRef(f.str("url"), f.str("note", "")))
    return result


def _reservation_decl(top: Fields, i: int, item: Any) -> ReservationDecl:
    f = Fields(top.doc, (*top.at("reservations"), i), SpecError, item)
    f.check_keys(["id", "article", "summary", "fills", "kind"])
    article = f.raw("article")
    fills: list[tuple[str, bool]] = []
    if f.has("fills"):
        g = f.sub("fills", f.raw("fills"))
        for key in g.data:
            if key not in FACTS:
                raise g.fail(g.at(key), f"unknown fact '{key}'{did_you_mean(str(key), FACTS)}",
                             "a fact id of the contract's section 6")
            fills.append((str(key), g.bool(key)))
    return ReservationDecl(f.str("id", pattern=ID_PATTERN), str(article), f.str("summary"),
                           tuple(fills), f.str("kind", None, pattern=ID_PATTERN))


def _ground(top: Fields, i: int, item: Any, definitions: dict[str, Condition],
            reservations: frozenset[str]) -> Ground:
    f = Fields(top.doc, (*top.at("grounds"), i), SpecError, item)
    f.check_keys(["id", "established_by", "summary"])
    gid = f.str("id", pattern=ID_PATTERN)
    if gid in FACTS:
        raise f.fail(f.at("id"), f"'{gid}' is a fact id, already a ground", "a new ground id")
    cond, text = _condition(f, "established_by", definitions, reservations)
    return Ground(gid, cond, text, f.str("summary"))


def _rule(top: Fields, i: int, item: Any, inst_id: str, definitions: dict[str, Condition],
          reservations: frozenset[str], grounds: tuple[Ground, ...]) -> Rule:
    f = Fields(top.doc, (*top.at("rules"), i), SpecError, item)
    f.check_keys(_RULE_KEYS)
    rule_id = f.str("id", pattern=RULE_ID_PATTERN)
    if not rule_id.startswith(inst_id + "."):
        raise f.fail(f.at("id"), f"'{rule_id}' does not start with '{inst_id}.'",
                     f"an id such as {inst_id}.art1")
    effect = f.str("effect")
    if effect not in EFFECTS:
        raise f.fail(f.at("effect"), f"unknown effect '{effect}'{did_you_mean(effect, EFFECTS)}",
                     "one of " + ", ".join(EFFECTS))
    when, when_text = _condition(f, "when", definitions, reservations)
    rule_grounds: tuple[str, ...] = ()
    own = {g.id for g in grounds}
    if effect in {"grounds", "exclusion"}:
        if not f.has("grounds"):
            raise f.fail(f.path, "missing required field 'grounds'",
                         f"the grounds this {effect} rule concerns")
        rule_grounds = tuple(_id_list(f, "grounds"))
        if not rule_grounds:
            raise f.fail(f.at("grounds"), "is empty", "at least one ground id")
        for k, g in enumerate(rule_grounds):
            if g not in FACTS and g not in own:
                raise f.fail((*f.at("grounds"), k),
                             f"unknown ground '{g}'{did_you_mean(g, [*FACTS, *own])}",
                             "a fact id or a ground declared under 'grounds'")
    elif f.has("grounds"):
        raise f.fail(f.at("grounds"), f"a {effect} rule lists no grounds", None)
    only = f.bool("only", False)
    if only and effect != "grounds":
        raise f.fail(f.at("only"), "'only' belongs to grounds rules", None)
    obligatory = f.bool("obligatory", False)
    if obligatory and effect != "grounds":
        raise f.fail(f.at("obligatory"), "'obligatory' belongs to grounds rules",
                     "obligatory only on a rule with effect: grounds")
    overrides = tuple(_rule_ids(f, "overrides"))
    return Rule(
        id=rule_id,
        cite=f.str("cite"),
        summary=" ".join(f.str("summary").split()),
        source=f.str("source"),
        text_verified=f.bool("text_verified"),
        effect=effect,
        measures=_measures(f),
        when=when if f.has("when") else TRUE,
        when_text=when_text,
        grounds=rule_grounds,
        only=only,
        obligatory=obligatory,
        overrides=overrides,
        file=top.doc.name,
        line=top.doc.line(f.path),
    )


def _property(top: Fields, i: int, item: Any, inst_id: str, definitions: dict[str, Condition],
              reservations: frozenset[str]) -> Property:
    f = Fields(top.doc, (*top.at("properties"), i), SpecError, item)
    f.check_keys(_PROPERTY_KEYS)
    prop_id = f.str("id", pattern=RULE_ID_PATTERN)
    if not prop_id.startswith(inst_id + "."):
        raise f.fail(f.at("id"), f"'{prop_id}' does not start with '{inst_id}.'",
                     f"an id such as {inst_id}.property.name")
    when, when_text = _condition(f, "when", definitions, reservations, verdicts=True)
    then, then_text = _condition(f, "then", definitions, reservations, verdicts=True)
    if not f.has("then"):
        raise f.fail(f.path, "missing required field 'then'", "the condition that must hold")
    return Property(prop_id, f.str("cite"), " ".join(f.str("summary").split()), f.str("source"),
                    f.bool("text_verified"), when, when_text, then, then_text,
                    top.doc.line(f.path))


def _rule_ids(f: Fields, key: str) -> list[str]:
    import re

    values = f.list(key, [])
    for k, v in enumerate(values):
        if not isinstance(v, str) or not re.fullmatch(RULE_ID_PATTERN, v):
            raise f.fail((*f.at(key), k), f"'{v}' is not a rule id", "a rule id")
    return values


def _measures(f: Fields) -> frozenset[str]:
    value = f.raw("measures")
    if value == "all":
        return frozenset(MEASURES)
    if not isinstance(value, list) or not value:
        raise f.fail(f.at("measures"), "is not a list of measures", "a list of measure ids or all")
    for k, m in enumerate(value):
        if m not in MEASURES:
            raise f.fail((*f.at("measures"), k),
                         f"unknown measure '{m}'{did_you_mean(str(m), MEASURES)}",
                         "a measure id of the contract's section 4")
    return frozenset(value)


_OPPOSING = {
    "duty": {"discretion"},
    "discretion": {"duty"},
    "grounds": {"grounds", "exclusion"},
    "exclusion": {"grounds"},
}


def _check_rules(top: Fields, rules: tuple[Rule, ...]) -> None:
    by_id: dict[str, Rule] = {}
    for i, rule in enumerate(rules):
        if rule.id in by_id:
            raise top.fail((*top.at("rules"), i, "id"), f"duplicate rule id '{rule.id}'")
        by_id[rule.id] = rule
    for i, rule in enumerate(rules):
        for k, target in enumerate(rule.overrides):
            path = (*top.at("rules"), i, "overrides", k)
            if target not in by_id:
                raise top.fail(path, f"unknown rule '{target}'{did_you_mean(target, by_id)}",
                               "a rule id of this instrument")
            other = by_id[target]
            if other.effect not in _OPPOSING.get(rule.effect, set()) or (
                rule.effect == other.effect == "grounds" and not (other.only or rule.only)
            ):
                raise top.fail(path, f"a {rule.effect} rule cannot override a "
                               f"{'closed-list ' if other.only else ''}{other.effect} rule",
                               "a rule of the opposing effect")
    _check_acyclic(top, rules, by_id)


def _check_acyclic(top: Fields, rules: tuple[Rule, ...], by_id: dict[str, Rule]) -> None:
    state: dict[str, int] = {}

    def visit(rule_id: str, trail: list[str]) -> None:
        if state.get(rule_id) == 2:
            return
        if state.get(rule_id) == 1:
            cycle = " -> ".join([*trail[trail.index(rule_id):], rule_id])
            index = next(i for i, r in enumerate(rules) if r.id == rule_id)
            raise top.fail((*top.at("rules"), index, "overrides"),
                           f"precedence forms a cycle: {cycle}", "no cycle")
        state[rule_id] = 1
        for target in by_id[rule_id].overrides:
            visit(target, [*trail, rule_id])
        state[rule_id] = 2

    for rule in rules:
        visit(rule.id, [])


def _parties(top: Fields, inst_id: str, path: Path, party_dirs: tuple[Path, ...]) -> PartyData:
    value = top.raw("parties")
    if value == "all":
        return PartyData(inst_id, None, "all", (), {}, file=str(path))
    if isinstance(value, dict):
        return parse_party_data(top.sub("parties", value), inst_id)
    if isinstance(value, str) and _is_id(value):
        for directory in (path.parent / "parties", *party_dirs):
            candidate = directory / f"{value}.yaml"
            if candidate.is_file():
                data = load_party_document(load_file(candidate, SpecError), None)
                if data.instrument != inst_id:
                    raise SpecError(f"party file is for '{data.instrument}', not '{inst_id}'",
                                    file=str(candidate), field="instrument")
                return data
        raise top.fail(top.at("parties"), f"no party file '{value}.yaml' found",
                       "a file in the parties/ folder beside the spec")
    raise top.fail(top.at("parties"), "is not a party-data reference",
                   "an id, 'all', or an inline party-data mapping")


def _not_encoded(top: Fields) -> list[NotEncoded]:
    result = []
    for i, item in enumerate(top.list("not_encoded", [])):
        f = Fields(top.doc, (*top.at("not_encoded"), i), SpecError, item)
        f.check_keys(["cite", "reason"])
        result.append(NotEncoded(f.str("cite"), f.str("reason")))
    return result


def _provisions(top: Fields) -> tuple[str | None, tuple[str, ...]]:
    """`provisions: {digest: <file>, articles: [...]}`: the article references of the source
    digest's provision table, each one a reference such as 29(5), 29(1)-(3), Annex D or, for
    a protocol's article, `ETS 99: 1` (see citations.py)."""
    if not top.has("provisions"):
        return None, ()
    f = top.sub("provisions", top.raw("provisions"))
    f.check_keys(["digest", "articles"])
    digest = f.str("digest")
    articles = f.list("articles")
    if not articles:
        raise f.fail(f.at("articles"), "is empty", "at least one article reference")
    out = []
    for k, item in enumerate(articles):
        text = str(item) if isinstance(item, int) and not isinstance(item, bool) else item
        if not isinstance(text, str) or not parse_provision(text)[1]:
            raise f.fail((*f.at("articles"), k), f"'{item}' is not an article reference",
                         "a reference such as 29(5), 29(1)-(3), Annex D or 'ETS 99: 1'")
        if text in out:
            raise f.fail((*f.at("articles"), k), f"duplicate provision '{text}'")
        out.append(text)
    return digest, tuple(out)


_EXAMPLE_KEYS = ("id", "illustrates", "cite", "summary", "request", "closed_world", "expect")
_EXPECT_KEYS = ("status", "grounds", "possible", "depends_on")


def _examples(top: Fields, inst_id: str, rules: tuple[Rule, ...]) -> tuple[Example, ...]:
    """`examples:`: tests inside the spec file, each a request and the verdict it must get
    (run by `coop-logic test`, examples.py)."""
    examples: list[Example] = []
    items = top.list("examples", [])
    # the line and raw text of every value under each example's request, gathered in one
    # pass over the document (not one pass per example)
    base = len(top.at("examples"))
    lines: dict[int, dict[tuple[Any, ...], int]] = {i: {} for i in range(len(items))}
    raws: dict[int, dict[tuple[Any, ...], str]] = {i: {} for i in range(len(items))}
    for table, out in ((top.doc.lines, lines), (top.doc.raw, raws)):
        for path, value in table.items():
            if (len(path) > base + 1 and path[:base] == top.at("examples")
                    and path[base + 1] == "request" and path[base] in out):
                out[path[base]][path[base + 2:]] = value  # type: ignore[index]
    for i, item in enumerate(items):
        example = _example(top, i, item, inst_id, rules, lines[i], raws[i])
        if any(e.id == example.id for e in examples):
            raise top.fail((*top.at("examples"), i, "id"), f"duplicate example id '{example.id}'")
        examples.append(example)
    return tuple(examples)


def _example(top: Fields, i: int, item: Any, inst_id: str, rules: tuple[Rule, ...],
             lines: dict[tuple[Any, ...], int], raws: dict[tuple[Any, ...], str]) -> Example:
    from coop_logic.errors import RequestError
    from coop_logic.io.documents import Document, render_path
    from coop_logic.model.request import parse_request as parse_request
    from coop_logic.vocabulary import OFFENCE_FIELDS, STATUSES, UNDETERMINED

    f = Fields(top.doc, (*top.at("examples"), i), SpecError, item)
    f.check_keys(_EXAMPLE_KEYS)
    example_id = f.str("id", pattern=RULE_ID_PATTERN)
    if not example_id.startswith(inst_id + "."):
        raise f.fail(f.at("id"), f"'{example_id}' does not start with '{inst_id}.'",
                     f"an id such as {inst_id}.example.name")
    rule_ids = [r.id for r in rules]
    illustrates = f.str("illustrates")
    if illustrates not in rule_ids:
        raise f.fail(f.at("illustrates"),
                     f"unknown rule '{illustrates}'{did_you_mean(illustrates, rule_ids)}",
                     f"a rule id of {inst_id}")
    # the request, validated exactly as Request.from_dict validates it, with its lines
    prefix = f.at("request")
    raw_request = f.raw("request")
    doc = top.doc
    sub = Document(doc.name, raw_request, lines, raws)
    try:
        request = parse_request(sub)
    except RequestError as exc:
        where = render_path(prefix) + ("." + exc.field if exc.field else "")
        raise SpecError(exc.detail, file=doc.name, line=exc.line or doc.line(prefix),
                        field=where, expected=exc.expected) from None
    if request.instruments is not None and inst_id not in request.instruments:
        raise f.fail((*prefix, "instruments"), f"does not include {inst_id}",
                     f"no instruments field, or one that includes {inst_id}")
    e = f.sub("expect", f.raw("expect"))
    e.check_keys(_EXPECT_KEYS)
    verdicts = (*STATUSES, UNDETERMINED)
    status = e.str("status")
    if status not in verdicts:
        raise e.fail(e.at("status"), f"unknown status '{status}'{did_you_mean(status, verdicts)}",
                     "one of " + ", ".join(verdicts))
    grounds = _optional_strings(e, "grounds")
    if grounds:
        known = list(dict.fromkeys(g for r in rules for g in r.grounds))
        for k, g in enumerate(grounds):
            if g not in known:
                raise e.fail((*e.at("grounds"), k),
                             f"'{g}' is not a ground of {inst_id}{did_you_mean(g, known)}",
                             "a ground named by a rule of " + inst_id)
        if status != "refusable":
            raise e.fail(e.at("grounds"), f"lists grounds for a {status} verdict",
                         "grounds only with status refusable (or grounds: [])")
    possible = _optional_strings(e, "possible")
    if possible is not None:
        for k, s in enumerate(possible):
            if s not in STATUSES:
                raise e.fail((*e.at("possible"), k),
                             f"unknown status '{s}'{did_you_mean(s, STATUSES)}",
                             "one of " + ", ".join(STATUSES))
        if status != UNDETERMINED and list(possible) != [status]:
            raise e.fail(e.at("possible"), f"is not [{status}]",
                         f"[{status}]: a determined verdict has one possible status")
        if status == UNDETERMINED and len(set(possible)) < 2:
            raise e.fail(e.at("possible"), "has fewer than two statuses",
                         "the two or more statuses an undetermined verdict leaves open")
    depends_on = _optional_strings(e, "depends_on")
    for k, d in enumerate(depends_on or ()):
        field = d.removeprefix("offence.")
        if not (d in FACTS or (d.startswith("offence.") and field in OFFENCE_FIELDS)
                or d.startswith(("party:", "reservation:"))):
            raise e.fail((*e.at("depends_on"), k), f"'{d}' is not an unknown of a request",
                         "a fact id, offence.<field>, party:<instrument>:<STATE> or "
                         "reservation:<instrument>:<reservation>:<STATE>")
    if depends_on and status != UNDETERMINED:
        raise e.fail(e.at("depends_on"), f"lists unknowns for a {status} verdict",
                     "depends_on only with status undetermined (or depends_on: [])")
    return Example(
        id=example_id,
        illustrates=illustrates,
        request=request,
        expect=Expectation(status, grounds, possible, depends_on),
        closed_world=f.bool("closed_world", True),
        cite=f.str("cite", ""),
        summary=" ".join(f.str("summary", "").split()),
        line=top.doc.line(f.path),
    )


def _optional_strings(f: Fields, key: str) -> tuple[str, ...] | None:
    if not f.has(key):
        return None
    values = f.list(key)
    for k, v in enumerate(values):
        if not isinstance(v, str) or not v.strip():
            raise f.fail((*f.at(key), k), f"'{v}' is not an id", "an id")
    return tuple(values)


# -- procedure: channels, contents of a request, time limits ---------------------------------

CHANNELS = (
    "central_authority", "network_24_7", "direct_judicial", "diplomatic", "police", "interpol",
    "provider_direct", "competent_authority", "cert",
)
TIME_LIMIT_KINDS = ("deadline", "minimum_duration", "maximum_duration", "extension")
_PROCEDURE_KEYS = ("speed", "channels", "contents", "time_limits", "note")
_CHANNEL_KEYS = ("id", "measures", "when", "speed", "cite", "summary", "source", "text_verified")
_CONTENT_KEYS = ("id", "measures", "when", "text", "cite", "source", "text_verified")
_TIME_LIMIT_KEYS = ("id", "measures", "kind", "days", "hours", "when", "cite", "summary",
                    "source", "text_verified")


def _procedure(top: Fields, definitions: dict[str, Condition],
               reservations: frozenset[str]) -> Any:
    """`procedure:` (optional): how a request under the instrument is made, for
    `coop-logic plan`. Its conditions are those of rules (no verdicts)."""
    from coop_logic.model.instrument import Procedure

    if not top.has("procedure"):
        return None
    p = top.sub("procedure", top.raw("procedure"))
    p.check_keys(_PROCEDURE_KEYS)
    speed = _rank(p, "speed")
    channels = tuple(_channel(p, i, item, definitions, reservations)
                     for i, item in enumerate(p.list("channels", [])))
    contents = tuple(_content(p, i, item, definitions, reservations)
                     for i, item in enumerate(p.list("contents", [])))
    limits = tuple(_time_limit(p, i, item, definitions, reservations)
                   for i, item in enumerate(p.list("time_limits", [])))
    for key, items in (("contents", contents), ("time_limits", limits)):
        seen: set[str] = set()
        for i, item in enumerate(items):
            if item.id in seen:
                raise p.fail((*p.at(key), i, "id"), f"duplicate {key} id '{item.id}'",
                             f"ids unique within procedure.{key}")
            seen.add(item.id)
    note = " ".join(p.str("note").split()) if p.has("note") else ""
    return Procedure(speed, channels, contents, limits, note, top.doc.line(p.path))


_SPEED = ("a whole number >= 1 (a speed rank: 1 fastest, e.g. the 24/7 network; "
          "5 diplomatic letters rogatory)")


def _rank(f: Fields, key: str, expected: str = _SPEED) -> int:
    value = f.raw(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise f.fail(f.at(key), f"is {value!r}", expected)
    return value


def _entry(p: Fields, key: str, i: int, item: Any, keys: tuple[str, ...]) -> Fields:
    f = Fields(p.doc, (*p.at(key), i), SpecError, item)
    f.check_keys(keys)
    return f


def _channel(p: Fields, i: int, item: Any, definitions: dict[str, Condition],
             reservations: frozenset[str]) -> Any:
    from coop_logic.model.instrument import Channel

    f = _entry(p, "channels", i, item, _CHANNEL_KEYS)
    kind = f.str("id")
    if kind not in CHANNELS:
        raise f.fail(f.at("id"), f"unknown channel '{kind}'{did_you_mean(kind, CHANNELS)}",
                     "one of " + ", ".join(CHANNELS))
    when, when_text = _condition(f, "when", definitions, reservations)
    return Channel(
        id=kind, measures=_measures(f), when=when, when_text=when_text,
        cite=f.str("cite"), summary=" ".join(f.str("summary").split()),
        source=f.str("source", ""), text_verified=f.bool("text_verified"),
        speed=_rank(f, "speed") if f.has("speed") else None, line=p.doc.line(f.path),
    )


def _content(p: Fields, i: int, item: Any, definitions: dict[str, Condition],
             reservations: frozenset[str]) -> Any:
    from coop_logic.model.instrument import ContentItem

    f = _entry(p, "contents", i, item, _CONTENT_KEYS)
    when, when_text = _condition(f, "when", definitions, reservations)
    return ContentItem(
        id=f.str("id", pattern=ID_PATTERN), measures=_measures(f),
        text=" ".join(f.str("text").split()), cite=f.str("cite"), when=when,
        when_text=when_text, source=f.str("source", ""), text_verified=f.bool("text_verified"),
        line=p.doc.line(f.path),
    )


def _time_limit(p: Fields, i: int, item: Any, definitions: dict[str, Condition],
                reservations: frozenset[str]) -> Any:
    from coop_logic.model.instrument import TimeLimit

    f = _entry(p, "time_limits", i, item, _TIME_LIMIT_KEYS)
    limit_id = f.str("id", pattern=ID_PATTERN)
    kind = f.str("kind")
    if kind not in TIME_LIMIT_KINDS:
        raise f.fail(f.at("kind"), f"unknown kind '{kind}'{did_you_mean(kind, TIME_LIMIT_KINDS)}",
                     "one of " + ", ".join(TIME_LIMIT_KINDS))
    given = [k for k in ("days", "hours") if f.has(k)]
    if len(given) != 1:
        where = f.at(given[1]) if len(given) == 2 else f.path
        raise f.fail(where, "gives both days and hours" if given else "gives no period",
                     "exactly one of days or hours")
    amount = _rank(f, given[0], f"a whole number of {given[0]} >= 1")
    when, when_text = _condition(f, "when", definitions, reservations)
    return TimeLimit(
        id=limit_id, measures=_measures(f), kind=kind,
        days=amount if given[0] == "days" else None,
        hours=amount if given[0] == "hours" else None,
        when=when, when_text=when_text, cite=f.str("cite"),
        summary=" ".join(f.str("summary").split()), source=f.str("source", ""),
        text_verified=f.bool("text_verified"), line=p.doc.line(f.path),
    )


# -- cross-references between the loaded specs ------------------------------------------------


def check_references(instruments: dict[str, Instrument]) -> None:
    """Every reference a spec makes to another loaded instrument, checked once all files
    are read (`kb.load`): `bound(I)`, `status(I, S)`, `ground(I, g)` and `protocol(p)` in
    every condition (rules, grounds, properties, procedure), and the `instruments` of the
    examples' requests. A SpecError names the file, the line, the field and what was
    expected."""
    from coop_logic.model.conditions import Bound, GroundIs, Protocol, StatusIs, walk

    loaded = list(instruments)
    for inst in instruments.values():
        for path, condition in _conditions(inst):
            for node in walk(condition):
                if isinstance(node, Bound | StatusIs | GroundIs):
                    target = node.instrument or inst.id
                    if target not in instruments:
                        raise _reference_error(
                            inst, path, f"{_written(node)} names instrument '{target}', which "
                            f"is not loaded{did_you_mean(target, loaded)}",
                            "a loaded instrument id: " + ", ".join(loaded))
                    grounds = instruments[target].ground_ids
                    if isinstance(node, GroundIs) and node.ground not in grounds:
                        raise _reference_error(
                            inst, path, f"'{node.ground}' is not a ground of {target}"
                            f"{did_you_mean(node.ground, grounds)}",
                            f"a ground named by a rule of {target}")
                if isinstance(node, Protocol) and node.name not in inst.parties.protocols:
                    raise _reference_error(
                        inst, path, f"protocol({node.name}) names no protocol of {inst.id}'s "
                        f"party data{did_you_mean(node.name, inst.parties.protocols)}",
                        "a protocol listed in the party data, e.g. "
                        + (", ".join(inst.parties.protocols) or "none is listed"))
        for i, example in enumerate(inst.examples):
            for k, other in enumerate(example.request.instruments or ()):
                if other not in instruments:
                    raise _reference_error(
                        inst, ("examples", i, "request", "instruments", k),
                        f"unknown instrument '{other}'{did_you_mean(other, loaded)}",
                        "a loaded instrument id: " + ", ".join(loaded))
            for k, unknown in enumerate(example.expect.depends_on or ()):
                problem = _unknown_problem(unknown, instruments)
                if problem:
                    raise _reference_error(inst, ("examples", i, "expect", "depends_on", k),
                                           *problem)


def _unknown_problem(unknown: str, instruments: dict[str, Instrument]) -> tuple[str, str] | None:
    """What is wrong with the instrument (and reservation) an unknown such as
    `party:budapest:FR` or `reservation:budapest:art29_4:AT` names, if anything."""
    if not unknown.startswith(("party:", "reservation:")):
        return None
    parts = unknown.split(":")
    kind, target = parts[0], parts[1] if len(parts) > 1 else ""
    base = target.split(".")[0] if kind == "party" else target
    loaded = list(instruments)
    if base not in instruments:
        return (f"'{unknown}' names instrument '{base}', which is not loaded"
                f"{did_you_mean(base, loaded)}", "a loaded instrument id: " + ", ".join(loaded))
    if kind == "reservation":
        declared = [r.id for r in instruments[base].reservations]
        rid = parts[2] if len(parts) > 2 else ""
        if rid not in declared:
            return (f"'{unknown}' names reservation '{rid}', which {base} does not declare"
                    f"{did_you_mean(rid, declared)}",
                    f"a reservation declared by {base}: " + (", ".join(declared) or "none"))
    return None


def _conditions(inst: Instrument) -> list[tuple[tuple[str | int, ...], Condition]]:
    """Every condition of a spec, with the path of the field it is written in."""
    out: list[tuple[tuple[str | int, ...], Condition]] = []
    out += [(("rules", i, "when"), r.when) for i, r in enumerate(inst.rules)]
    out += [(("grounds", i, "established_by"), g.established_by)
            for i, g in enumerate(inst.grounds)]
    for i, prop in enumerate(inst.properties):
        out += [(("properties", i, "when"), prop.when), (("properties", i, "then"), prop.then)]
    proc = inst.procedure
    if proc is not None:
        for key, items in (("channels", proc.channels), ("contents", proc.contents),
                           ("time_limits", proc.time_limits)):
            out += [(("procedure", key, i, "when"), item.when) for i, item in enumerate(items)]
    return out


def _written(node: Condition) -> str:
    """A reference to an instrument as the spec writes it."""
    from coop_logic.model.conditions import Bound, GroundIs, StatusIs

    if isinstance(node, Bound):
        return f"bound({node.instrument})"
    if isinstance(node, StatusIs):
        return f"status({node.instrument}, {node.status})"
    if isinstance(node, GroundIs):
        name = "obligatory" if node.obligatory else "ground"
        return f"{name}({node.instrument}, {node.ground})"
    return str(node)


def _reference_error(inst: Instrument, path: tuple[str | int, ...], message: str,
                     expected: str) -> SpecError:
    """A SpecError at `path` of the instrument's file (its line read again from the file,
    which is read only when there is an error to report)."""
    from coop_logic.io.documents import render_path

    line = None
    if inst.file and Path(inst.file).is_file():
        line = load_file(inst.file, SpecError).line(path)
    return SpecError(message, file=inst.file or None, line=line, field=render_path(path),
                     expected=expected)
