"""The cooperation map: the overall verdict for every ordered pair of a set of States.

For one measure (and optionally a date, an offence category, offence flags and facts that
apply to every pair, the closed-world reading),
`build_map` evaluates every ordered pair (requesting State, requested State) through the
batch worker pool (`batch.WorkerPool`, verdicts only, memoized per worker on the solver's
inputs: pairs with the same party data are solved once). The map is written as CSV and
JSON (`write_csv`, `write_json`) and drawn as a heatmap (`draw`, `map_picture`: PNG or
SVG) whose rows and columns are ordered so that treaty blocs show as
blocks on the diagonal (`bloc_order`: hierarchical clustering of the States' verdict
vectors with numpy when installed, else a greedy nearest-neighbour chain).

Pillow is the optional extra `coop-logic[map]`; CSV and JSON do not need it.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from coop_logic.errors import InputError, did_you_mean
from coop_logic.io.state_codes import state_table
from coop_logic.practice import map_picture
from coop_logic.practice.bloc_order import similarity_order
from coop_logic.practice.map_picture import have_pillow as have_pillow
from coop_logic.vocabulary import (
    CATEGORIES,
    FACTS,
    MEASURES,
    OFFENCE_FLAGS,
    OVERALL_ORDER,
    UNDETERMINED,
)

FORMATS: tuple[str, ...] = ("csv", "json", "html", "png", "svg")
IMAGE_FORMATS: tuple[str, ...] = ("png", "svg")

# Colours of the heatmap, from the Okabe-Ito palette (told apart with every common colour
# vision deficiency): bluish green, vermillion and blue. An undetermined cell is drawn in a
# pale tint of the strongest status still possible for it; the diagonal (a State and
# itself) is dark grey.
COLOURS: dict[str, str] = {
    "mandatory": "#009e73",
    "refusable": "#d55e00",
    "discretionary": "#0072b2",
    "undetermined:mandatory": "#a6dccb",
    "undetermined:refusable": "#f2c2a1",
    "undetermined:discretionary": "#a6c9e2",
    "not_applicable": "#ffffff",
}
SAME_STATE_COLOUR = "#4d4d4d"
LABELS: dict[str, str] = {
    "mandatory": "mandatory: a duty to assist, no refusal ground established",
    "refusable": "refusable: a duty, but a refusal ground is established",
    "discretionary": "discretionary: no duty (comity, letters rogatory, 'may')",
    "undetermined:mandatory": "undetermined, mandatory possible (depends on unknowns)",
    "undetermined:refusable": "undetermined, refusable at best (depends on unknowns)",
    "undetermined:discretionary": "undetermined, discretionary at best",
    "not_applicable": "not applicable",
}


@attrs.frozen
class Cell:
    """The overall verdict for one ordered pair."""

    requesting_state: str
    requested_state: str
    status: str
    basis: tuple[str, ...]
    possible: tuple[str, ...]
    depends_on: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"requesting_state": self.requesting_state,
                "requested_state": self.requested_state, "status": self.status,
                "basis": list(self.basis), "possible": list(self.possible),
                "depends_on": list(self.depends_on)}


@attrs.frozen
class CooperationMap:
    """The verdicts for every ordered pair of `states` (given order), and the bloc order."""

    measure: str
    date: dt.date
    category: str | None
    closed_world: bool
    states: tuple[str, ...]
    cells: dict[tuple[str, str], Cell]
    order: tuple[str, ...]
    seconds: float = 0.0
    jobs: int = 1
    facts: dict[str, bool] = attrs.field(factory=dict)  # request facts, the same for every pair
    flags: dict[str, bool] = attrs.field(factory=dict)  # offence flags, the same for every pair

    def cell(self, requesting: str, requested: str) -> Cell:
        if (requesting, requested) not in self.cells:
            from coop_logic.model.result import unknown_key

            known = [f"{a}->{b}" for a, b in list(self.cells)[:20]]
            raise KeyError(unknown_key("pair", f"{requesting}->{requested}", known))
        return self.cells[(requesting, requested)]

    def __getitem__(self, pair: tuple[str, str]) -> Cell:
        return self.cell(*pair)

    def _repr_html_(self) -> str:
        """Rich display in Jupyter: the question, the counts, the States in bloc order
        (`write_html` gives the interactive page)."""
        from coop_logic.explain.markup import record_html

        data = self.to_dict()
        data.pop("pairs")
        return record_html(f"Cooperation map: {self.measure}, {self.date.isoformat()}", data)

    def counts(self) -> Counter:
        return Counter(c.status for c in self.cells.values())

    def request(self, requesting: str, requested: str) -> dict[str, Any]:
        return pair_request(requesting, requested, self.measure, self.date, self.category,
                            self.facts, self.flags)

    def to_dict(self) -> dict[str, Any]:
        counts = self.counts()
        offence: dict[str, Any] = {"category": self.category} if self.category else {}
        offence.update(self.flags)
        given = {"facts": dict(self.facts)} if self.facts else {}
        return {
            "measure": self.measure,
            "date": self.date.isoformat(),
            "offence": offence,
            **given,
            "closed_world": self.closed_world,
            "states": list(self.order),
            "counts": {s: counts[s] for s in (*OVERALL_ORDER, UNDETERMINED) if counts[s]},
            "pairs": [self.cells[(a, b)].to_dict()
                      for a in self.states for b in self.states if a != b],
        }


# -- inputs -----------------------------------------------------------------------------------


def check_measure(measure: str) -> str:
    if measure not in MEASURES:
        raise InputError(f"unknown measure '{measure}'{did_you_mean(measure, MEASURES)}",
                         field="--measure", expected="a measure id of the contract")
    return measure


def check_category(category: str | None) -> str | None:
    if category is not None and category not in CATEGORIES:
        raise InputError(f"unknown category '{category}'{did_you_mean(category, CATEGORIES)}",
                         field="--offence-category",
                         expected="an offence category id of the contract")
    return category


def check_given(values: Mapping[str, Any] | None, known: Sequence[str],
                field: str, what: str) -> dict[str, bool]:
    """Facts or offence flags given for every pair of a map: known ids, True or False."""
    if values is None:
        return {}
    if not isinstance(values, Mapping):
        raise InputError(f"is {values!r}", field=field,
                         expected=f"a mapping of {what} ids to True or False")
    out: dict[str, bool] = {}
    for key, value in values.items():
        if key not in known:
            raise InputError(f"unknown {what} '{key}'{did_you_mean(str(key), known)}",
                             field=f"{field}.{key}", expected=f"a {what} id of the contract")
        if not isinstance(value, bool):
            raise InputError(f"is {value!r}", field=f"{field}.{key}", expected="True or False")
        out[key] = value
    return out


def check_date(text: str | None) -> dt.date:
    if text is None:
        return dt.date.today()
    try:
        if len(text) != 10:
            raise ValueError
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(f"'{text}' is not a date", field="--date",
                         expected="an ISO date YYYY-MM-DD") from None


def check_formats(text: str) -> tuple[str, ...]:
    formats = tuple(dict.fromkeys(f.strip().lower() for f in text.split(",") if f.strip()))
    if not formats:
        raise InputError("is empty", field="--format", expected="formats among " + ",".join(FORMATS))
    for f in formats:
        if f not in FORMATS:
            raise InputError(f"unknown format '{f}'{did_you_mean(f, FORMATS)}", field="--format",
                             expected="formats among " + ",".join(FORMATS))
    return formats


def select_states(text: str | None, specs: Sequence[str] = (),
                  parties: Sequence[str] = ()) -> list[str]:
    """The States of `--states`: a comma-separated list of codes, `un` (the UN Member
    States), or by default every State named in the loaded party data; sorted."""
    table = state_table()
    if text is None:
        return sorted(party_data_states(specs, parties))
    if text.strip().lower() == "un":
        return sorted(table.un_members)
    codes = list(dict.fromkeys(c.strip() for c in text.split(",") if c.strip()))
    for code in codes:
        if not table.is_state(code):
            hint = " (codes are upper case)" if table.is_state(code.upper()) else ""
            raise InputError(f"'{code}' is not an ISO 3166-1 alpha-2 code{hint}",
                             field="--states", expected="State codes such as FR,US, or 'un'")
    if len(codes) < 2:
        raise InputError(f"names {len(codes)} State", field="--states",
                         expected="at least two State codes")
    return sorted(codes)


def party_data_states(specs: Sequence[str] = (), parties: Sequence[str] = ()) -> set[str]:
    """Every State named in the party data of the bundled specs (and of `specs` and
    `parties`): Parties, non-Parties, unresolved States, reserving States. A list given by
    complement (`all_un_members`) adds only the States it names."""
    from coop_logic.engine.knowledge_base import load_instruments

    states: set[str] = set()

    def collect(data: Any) -> None:
        states.update(data.entries)
        states.update(data.non_parties)
        states.update(data.unresolved or ())
        states.update(r.state for r in data.reservations)
        for protocol in data.protocols.values():
            collect(protocol)

    for inst in load_instruments(specs, parties).values():
        collect(inst.parties)
    return states


def _given(cmap: CooperationMap) -> str:
    """What every pair's request states besides the States, for a title: ', offence:
    illegal_access, transnational; essential_interests = true'."""
    offence = [cmap.category] if cmap.category else []
    offence += [f if v else f"not {f}" for f, v in cmap.flags.items()]
    text = f", offence: {', '.join(offence)}" if offence else ""
    if cmap.facts:
        text += "; " + ", ".join(f"{f} = {str(v).lower()}" for f, v in cmap.facts.items())
    return text


def pair_request(requesting: str, requested: str, measure: str, date: dt.date,
                 category: str | None, facts: Mapping[str, bool] | None = None,
                 flags: Mapping[str, bool] | None = None) -> dict[str, Any]:
    """The request mapping (contract section 1) for one cell of the map."""
    request: dict[str, Any] = {"requesting_state": requesting, "requested_state": requested,
                               "measure": measure, "date": date.isoformat()}
    offence: dict[str, Any] = {"category": category} if category else {}
    offence.update(flags or {})
    if offence:
        request["offence"] = offence
    if facts:
        request["facts"] = dict(facts)
    return request


# -- building ---------------------------------------------------------------------------------


def build_map(measure: str, states: Sequence[str], *, date: dt.date | None = None,
              category: str | None = None, closed_world: bool = False,
              jobs: int | None = None, specs: Sequence[str] = (), parties: Sequence[str] = (),
              progress: Callable[[int], None] | None = None,
              order: bool = True, facts: Mapping[str, bool] | None = None,
              flags: Mapping[str, bool] | None = None) -> CooperationMap:
    """Evaluate every ordered pair of `states` for `measure`; `progress(n)` after each row
    of n pairs. `order=False` skips the bloc ordering (the map keeps the given order).
    `facts` (fact id -> True/False) and `flags` (offence flag -> True/False) are part of
    every pair's request, as a request's `facts` and `offence` fields are; with
    `closed_world`, the facts and flags not given read as false. An unknown id is an
    InputError naming it.

    The map is a join of small per-instrument tables. Every pair asks the same question
    (one measure, date, category and reading), so an instrument's verdict for a pair
    depends only on what the party data says, in each role, about the instruments in its
    cone: States with the same profile for an instrument share its verdict, and the
    engine is asked once per pair of profiles. Where every instrument is determined, the
    overall verdict is the strongest of them (as the engine's own overall is); where one is
    undetermined, the overall verdict needs a full evaluation: one per distinct tuple of
    profiles, spread over `jobs` worker processes (the batch pool)."""
    from coop_logic.engine.knowledge_base import load
    from coop_logic.practice.batch import BatchOptions, Task, WorkerPool

    check_measure(measure)
    check_category(category)
    facts = check_given(facts, FACTS, "facts", "fact")
    flags = check_given(flags, OFFENCE_FLAGS, "offence", "offence flag")
    states = tuple(dict.fromkeys(states))
    when = date or dt.date.today()
    start = time.perf_counter()
    kb = load(extra_specs=specs, parties=parties)
    join = _Join(kb, measure, when, category, closed_world, facts, flags)
    pairs = [(a, b) for a in states for b in states if a != b]
    pending: dict[Any, tuple[str, str]] = {}
    for a, b in pairs:
        key = join.key(a, b)
        if key not in join.joint and key not in pending:
            decided = join.decided(a, b)
            if decided is None:
                pending[key] = (a, b)
            else:
                join.joint[key] = (decided, (a, b))
    options = BatchOptions(closed_world=closed_world, specs=tuple(specs), parties=tuple(parties))
    pool = WorkerPool(options, jobs if pending else 1)
    items = [(key, join.request(a, b)) for key, (a, b) in pending.items()]
    with pool:
        chunks = (Task("overall", "map", items[i:i + 50], len(items[i:i + 50]))
                  for i in range(0, len(items), 50))
        for done in pool.run(chunks):
            for key, overall, error in done.outcomes:
                if overall is None:
                    a, b = pending[key]
                    raise InputError(f"the request {a} -> {b} failed: {error}")
                join.joint[key] = ((overall.status, overall.basis, overall.possible,
                                    overall.depends_on), pending[key])
    cells: dict[tuple[str, str], Cell] = {}
    for a in states:
        row = 0
        for b in states:
            if a != b:
                cells[(a, b)] = join.cell(a, b)
                row += 1
        if progress is not None and row:
            progress(row)
    seconds = time.perf_counter() - start
    result = CooperationMap(measure, when, category, closed_world, states, cells, states,
                            seconds, pool.jobs, facts, flags)
    if order:
        result = attrs.evolve(result, order=tuple(bloc_order(result)))
    return result


class _Join:
    """Per-instrument verdict tables over State profiles, and the cells built from them."""

    def __init__(self, kb: Any, measure: str, date: dt.date, category: str | None,
                 closed_world: bool, facts: Mapping[str, bool] | None = None,
                 flags: Mapping[str, bool] | None = None) -> None:
        self.kb = kb
        self.facts = dict(facts or {})
        self.flags = dict(flags or {})
        self.measure = measure
        self.date = date
        self.category = category
        self.closed_world = closed_world
        compiled = kb.compiled
        self.instruments = list(kb.instruments)
        # Per instrument, the party inputs of its cone, per role (what a profile reads).
        self.reads: dict[str, dict[str, list[str]]] = {}
        filling = [(f"reservation:{inst.id}:{res.id}", {fact for fact, _ in res.fills})
                   for inst in kb.instruments.values() for res in inst.reservations if res.fills]
        for inst in self.instruments:
            groups = compiled.cones[(inst, measure)].groups
            reads: dict[str, list[str]] = {"requesting": [], "requested": []}
            for group in sorted(groups):
                if group.startswith("party:"):
                    _, name, role = group.split(":")
                    reads[role].append(name)
                elif group.startswith("reservation:"):
                    reads["requested"].append(group)
            # A notification that settles a fact this instrument reads (a UNTOC art.
            # 16(5)(a) notification and Budapest art. 24) is part of its profile too.
            reads["requested"] += [key for key, facts in filling
                                   if facts & groups and key not in reads["requested"]]
            self.reads[inst] = reads
        self.tables: dict[tuple[str, int, int], Any] = {}
        self.profiles: dict[tuple[str, str, str], int] = {}
        self.rows: dict[tuple[str, str], tuple[int, ...]] = {}
        self.numbers: dict[tuple[str, str], dict[tuple[Any, ...], int]] = {}
        self.joint: dict[tuple[Any, ...], tuple[Any, tuple[str, str]]] = {}

    def profile(self, inst: str, role: str, state: str) -> int:
        """The number of the State's profile for the instrument in that role: States with
        the same number read the same party inputs."""
        key = (inst, role, state)
        if key not in self.profiles:
            data = self.kb.engine.state_data(state, self.date)
            values = tuple(data.reservations[name].value if name.startswith("reservation:")
                           else data.parties[name].value for name in self.reads[inst][role])
            numbers = self.numbers.setdefault((inst, role), {})
            self.profiles[key] = numbers.setdefault(values, len(numbers))
        return self.profiles[key]

    def verdict(self, inst: str, a: str, b: str) -> Any:
        """The instrument's verdict for the pair's profiles."""
        key = (inst, self.profile(inst, "requesting", a), self.profile(inst, "requested", b))
        if key not in self.tables:
            result = self.kb.evaluate(self.request(a, b), closed_world=self.closed_world,
                                      instruments=[inst], traces=False)
            self.tables[key] = result[inst]
        return self.tables[key]

    def request(self, a: str, b: str) -> dict[str, Any]:
        return pair_request(a, b, self.measure, self.date, self.category, self.facts,
                            self.flags)

    def row(self, role: str, state: str) -> tuple[int, ...]:
        """The State's profile numbers for every instrument, in one role."""
        key = (role, state)
        if key not in self.rows:
            self.rows[key] = tuple(self.profile(i, role, state) for i in self.instruments)
        return self.rows[key]

    def key(self, a: str, b: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """Every instrument's inputs are fixed by the profiles: pairs with the same key have
        the same answer, up to the State codes in depends_on."""
        return self.row("requesting", a), self.row("requested", b)

    def cell(self, a: str, b: str) -> Cell:
        key = self.key(a, b)
        if key not in self.joint:
            self.joint[key] = (self.answer(a, b), (a, b))
        (status, basis, possible, depends), (a0, b0) = self.joint[key]
        if depends:
            states = {a0: a, b0: b}
            depends = tuple(_restate(name, states) for name in depends)
        return Cell(a, b, status, basis, possible, depends)

    def answer(self, a: str, b: str) -> tuple[str, tuple[str, ...], tuple[str, ...],
                                              tuple[str, ...]]:
        decided = self.decided(a, b)
        if decided is not None:
            return decided
        overall = self.kb.evaluate(self.request(a, b), closed_world=self.closed_world,
                                   traces=False, details=False).overall
        return overall.status, overall.basis, overall.possible, overall.depends_on

    def decided(self, a: str, b: str) -> tuple[str, tuple[str, ...], tuple[str, ...],
                                               tuple[str, ...]] | None:
        """The overall verdict from the tables alone, or None where it needs the engine."""
        verdicts = {inst: self.verdict(inst, a, b) for inst in self.instruments}
        # The strongest determined status is the overall one when no undetermined instrument
        # could reach a stronger one (the engine's overall then rests on the same basis).
        for rank, status in enumerate(OVERALL_ORDER):
            basis = tuple(i for i, v in verdicts.items() if v.determined and v.status == status)
            stronger = set(OVERALL_ORDER[:rank])
            if basis and not any(stronger & set(v.possible)
                                 for v in verdicts.values() if not v.determined):
                return status, basis, (status,), ()
            if basis:
                break
        return None


def _restate(name: str, states: dict[str, str]) -> str:
    """An unknown named for one pair (`party:untoc:FR`), named for another."""
    head, _, state = name.rpartition(":")
    if head.startswith(("party:", "reservation:")) and state in states:
        return f"{head}:{states[state]}"
    return name


# -- ordering ---------------------------------------------------------------------------------


def _features(cmap: CooperationMap) -> list[int]:
    """Each State's verdicts as a set of features, a bitset: per other State and
    direction, its status and each instrument of the basis (so that blocs of different
    treaties with the same status still fall apart)."""
    whats: dict[str, int] = {}
    per_cell: dict[tuple[str, tuple[str, ...]], int] = {}
    for cell in cmap.cells.values():
        key = (colour_key(cell), cell.basis)
        if key not in per_cell:
            per_cell[key] = sum(1 << whats.setdefault(w, len(whats)) for w in (key[0], *key[1]))
    width = len(whats)
    features: list[int] = []
    for s in cmap.states:
        bits = 0
        for k, t in enumerate(cmap.states):
            if s == t:
                continue
            for direction, cell in ((0, cmap.cells[(s, t)]), (1, cmap.cells[(t, s)])):
                bits |= per_cell[(colour_key(cell), cell.basis)] << ((2 * k + direction) * width)
        features.append(bits)
    return features


def bloc_order(cmap: CooperationMap) -> list[str]:
    """The States in an order that puts States with similar verdicts side by side
    (`bloc_order.similarity_order`)."""
    return similarity_order(list(cmap.states), _features(cmap))


# -- writing ----------------------------------------------------------------------------------


def write_csv(cmap: CooperationMap, path: str | Path) -> None:
    """One row per ordered pair: requesting_state, requested_state, status, basis,
    possible, depends_on (lists separated by ';'); States in the map's given order."""
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["requesting_state", "requested_state", "status", "basis", "possible",
                         "depends_on"])
        for a in cmap.states:
            for b in cmap.states:
                if a != b:
                    c = cmap.cells[(a, b)]
                    writer.writerow([a, b, c.status, ";".join(c.basis), ";".join(c.possible),
                                     ";".join(c.depends_on)])


def write_json(cmap: CooperationMap, path: str | Path) -> None:
    """`CooperationMap.to_dict()`, with one line per pair."""
    data = cmap.to_dict()
    pairs = data.pop("pairs")
    with open(path, "w", encoding="utf-8") as f:
        f.write("{\n")
        for key, value in data.items():
            f.write(f" {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)},\n")
        f.write(' "pairs": [')
        for i, pair in enumerate(pairs):
            f.write(("\n  " if i == 0 else ",\n  ") + json.dumps(pair, ensure_ascii=False))
        f.write("\n ]\n}\n")


def colour_key(cell: Cell) -> str:
    """The legend entry of a cell: its status, or for an undetermined one the strongest
    status still possible."""
    if cell.status == UNDETERMINED and cell.possible and cell.possible[0] in OVERALL_ORDER:
        return f"{UNDETERMINED}:{cell.possible[0]}"
    return cell.status if cell.status in COLOURS else "not_applicable"


def draw(cmap: CooperationMap, paths: Iterable[str | Path]) -> None:
    """The heatmap (rows: requesting State, columns: requested State, both in bloc
    order), saved to each of `paths` (format from the suffix: .png or .svg), with Pillow
    (`map_picture`)."""
    order = list(cmap.order)
    keys = [["same" if a == b else colour_key(cmap.cells[(a, b)]) for b in order]
            for a in order]
    offence = _given(cmap)
    world = "closed world" if cmap.closed_world else "open world"
    title = (f"Cooperation map: {cmap.measure}{offence}, {cmap.date.isoformat()}\n"
             f"{world}; {len(order)} States, ordered by similarity of their verdicts")
    counts = Counter(colour_key(c) for c in cmap.cells.values())
    picture = map_picture.layout(title, order, keys, {**COLOURS, "same": SAME_STATE_COLOUR},
                                 LABELS, counts, SAME_STATE_COLOUR)
    for path in paths:
        if Path(path).suffix.lower() == ".svg":
            map_picture.write_svg(picture, path)
        else:
            map_picture.write_png(picture, path)


def write_html(cmap: CooperationMap, path: str | Path) -> None:
    """One self-contained HTML page (no external resource): the map drawn on a canvas, in
    bloc order, with the States' names and a tooltip per cell (the overall status, its
    basis, what it depends on), a legend, and the question the map answers."""
    table = state_table()
    order = list(cmap.order)
    keys = list(COLOURS)
    texts: dict[str, int] = {}

    def text_id(value: str) -> int:
        return texts.setdefault(value, len(texts))

    cells = []
    for a in order:
        row = []
        for b in order:
            if a == b:
                row.append(None)
                continue
            cell = cmap.cells[(a, b)]
            row.append([keys.index(colour_key(cell)), text_id(cell.status),
                        text_id(", ".join(cell.basis)), text_id(", ".join(cell.depends_on))])
        cells.append(row)
    data = {
        "states": order, "names": [table.name(code) for code in order],
        "colours": [COLOURS[k] for k in keys], "labels": [LABELS[k] for k in keys],
        "same": SAME_STATE_COLOUR, "texts": list(texts), "cells": cells,
        "counts": [sum(1 for c in cmap.cells.values() if colour_key(c) == k) for k in keys],
    }
    offence = _given(cmap)
    world = "closed world" if cmap.closed_world else "open world"
    title = (f"Cooperation map: {cmap.measure}{offence}, {cmap.date.isoformat()} ({world}, "
             f"{len(order)} States)")
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    Path(path).write_text(_HTML.replace("__TITLE__", _html_escape(title))
                          .replace("__DATA__", payload), encoding="utf-8")


def _html_escape(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


_HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>__TITLE__</title>
<style>
 body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #222; background: #fff; }
 h1 { font-size: 1.25em; margin: 0 0 .3em; }
 p.note { color: #555; margin: 0 0 1em; max-width: 60em; }
 #wrap { display: flex; gap: 1.5em; align-items: flex-start; flex-wrap: wrap; }
 canvas { border: 1px solid #999; image-rendering: pixelated; cursor: crosshair; }
 #tip { position: fixed; pointer-events: none; background: #fff; border: 1px solid #555;
   padding: .4em .6em; border-radius: 4px; box-shadow: 0 2px 6px rgba(0,0,0,.2);
   max-width: 28em; display: none; font-size: 13px; }
 ul.legend { list-style: none; padding: 0; margin: 0; }
 ul.legend li { margin: .25em 0; }
 ul.legend span { display: inline-block; width: 1.1em; height: 1.1em; margin-right: .5em;
   vertical-align: -.2em; border: 1px solid #999; }
 #pick { font-weight: bold; min-height: 1.4em; }
</style></head><body>
<h1>__TITLE__</h1>
<p class="note">Row: the requesting State; column: the requested State, both ordered so that
treaty blocs show as blocks. Point at a cell for the overall verdict, the instruments it rests
on, and the unknowns it depends on. Decision support from encoded treaty law, not legal
advice.</p>
<div id="wrap"><canvas id="map" role="img" aria-label="__TITLE__"></canvas>
<div><div id="pick"></div><ul class="legend" id="legend"></ul></div></div>
<div id="tip"></div>
<script>
const D = __DATA__;
const n = D.states.length, canvas = document.getElementById("map");
const size = Math.max(3, Math.min(14, Math.floor(900 / n)));
canvas.width = canvas.height = n * size;
const ctx = canvas.getContext("2d");
for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
  const c = D.cells[i][j];
  ctx.fillStyle = c === null ? D.same : D.colours[c[0]];
  ctx.fillRect(j * size, i * size, size, size);
}
const legend = document.getElementById("legend");
D.labels.forEach((label, k) => {
  if (!D.counts[k]) return;
  const li = document.createElement("li"), sw = document.createElement("span");
  sw.style.background = D.colours[k];
  li.append(sw, label + " (" + D.counts[k].toLocaleString() + ")");
  legend.append(li);
});
const tip = document.getElementById("tip"), pick = document.getElementById("pick");
function name(i) { return D.names[i] + " (" + D.states[i] + ")"; }
canvas.addEventListener("mousemove", (e) => {
  const r = canvas.getBoundingClientRect();
  const j = Math.floor((e.clientX - r.left) / r.width * n);
  const i = Math.floor((e.clientY - r.top) / r.height * n);
  if (i < 0 || j < 0 || i >= n || j >= n) { tip.style.display = "none"; return; }
  const c = D.cells[i][j];
  tip.textContent = "";
  const head = document.createElement("b");
  head.textContent = name(i) + " asks " + name(j);
  tip.append(head);
  const lines = c === null ? ["the same State"] :
    ["overall: " + D.texts[c[1]], "basis: " + (D.texts[c[2]] || "none"),
     "depends on: " + (D.texts[c[3]] || "nothing unknown")];
  for (const line of lines) { tip.append(document.createElement("br"), line); }
  pick.textContent = D.states[i] + " \u2192 " + D.states[j];
  tip.style.display = "block";
  tip.style.left = (e.clientX + 14) + "px"; tip.style.top = (e.clientY + 14) + "px";
});
canvas.addEventListener("mouseleave", () => { tip.style.display = "none"; });
</script></body></html>
"""
