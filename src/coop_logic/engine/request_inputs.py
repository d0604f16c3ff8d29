"""A request read as values of the compiled inputs: party data read once per State and
date, facts filled from notifications on file, the known literals. No solving."""

from __future__ import annotations

import bisect
import datetime as dt
import functools
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import attrs

from coop_logic.engine.compile import ONE_HOT, InputAtom
from coop_logic.model.instrument import Instrument
from coop_logic.model.request import Request
from coop_logic.spec.party_data import (
    PartyFact,
    ReservationFact,
    declared_status,
    party_status,
    protocol_data,
)

if TYPE_CHECKING:
    from coop_logic.engine.solve import Engine



@attrs.frozen
class Literal:
    """A known input value: the atom and the AST of the literal that asserts it."""

    atom: InputAtom
    value: bool
    ast: Any = attrs.field(eq=False)


STATE_MEMO_SIZE = 4_096  # (State, date) party readings kept
PARTS_KEPT = 16_384  # (instrument, State, span) parts of party readings kept
VIEWS = 1_024  # what is derived from party readings, and unknown groups, kept


@attrs.frozen
class StateData:
    """What the party data says about one State on one date, for every instrument: read
    once and shared by every request that names that State on that date."""

    parties: dict[str, PartyFact]  # instrument id, or `<instrument>.<protocol>`
    reservations: dict[str, ReservationFact]  # `reservation:<instrument>:<id>`
    # the reading shared by its span that this one was made from for one date (`dated`):
    # what is derived from this one is derived from that one, then patched, not kept
    template: StateData | None = attrs.field(default=None, eq=False)


def read_state_data(instruments: Iterable[Instrument], state: str,
                    date: Any) -> StateData:
    parties: dict[str, PartyFact] = {}
    reservations: dict[str, ReservationFact] = {}
    for inst in instruments:
        own, held = read_instrument(inst, state, date)
        parties.update(own)
        reservations.update(held)
    return StateData(parties, reservations)


def read_instrument(inst: Instrument, state: str, date: Any
                    ) -> tuple[dict[str, PartyFact], dict[str, ReservationFact]]:
    """What one instrument's party data says about a State on a date: whether it is bound
    by the instrument and by each protocol, and which declared reservations it holds."""
    parties: dict[str, PartyFact] = {}
    reservations: dict[str, ReservationFact] = {}
    parent = None
    if inst.parties.completeness != "all":
        parent = parties[inst.id] = party_status(inst.parties, state, date)
    for name in inst.parties.protocols:
        fact = party_status(protocol_data(inst.parties, name), state, date)
        if fact.value is None and parent is not None and parent.value is False:
            fact = attrs.evolve(fact, value=False, basis=(
                f"{state} is not bound by {inst.id} itself, which only its "
                f"Parties can supplement ({parent.basis})"))
        parties[f"{inst.id}.{name}"] = fact
    for res in inst.reservations:
        reservations[f"reservation:{inst.id}:{res.id}"] = declared_status(
            inst.parties, res, state, date)
    return parties, reservations


class PartyReadings:
    """`read_state_data` with each instrument's part kept per State and span of that
    instrument's own dates: its reading compares the date only with the dates written in
    its own party data, so a State read on a new date mostly reuses the parts of the
    instruments whose dates it did not cross. A part that quotes the date itself ("so
    unknown on ...") is read anew."""

    def __init__(self, instruments: Iterable[Instrument]) -> None:
        self.instruments = list(instruments)
        self.dates = {inst.id: party_dates([inst]) for inst in self.instruments}
        self._parts: dict[tuple[str, str, int, bool], tuple[dict[str, PartyFact],
                                                            dict[str, ReservationFact]]] = {}

    def read(self, state: str, date: dt.date) -> tuple[StateData, bool]:
        """The reading, and whether some part of it quotes the date."""
        parties: dict[str, PartyFact] = {}
        reservations: dict[str, ReservationFact] = {}
        quotes = False
        parts = self._parts
        for inst in self.instruments:
            dates = self.dates[inst.id]
            at = bisect.bisect_left(dates, date)
            key = (inst.id, state, at, at < len(dates) and dates[at] == date)
            part = parts.get(key)
            if part is None:
                part = read_instrument(inst, state, date)
                text = date.isoformat()
                if any(text in f.basis for f in (*part[0].values(), *part[1].values())):
                    quotes = True
                else:
                    if len(parts) >= PARTS_KEPT:
                        parts.clear()
                    parts[key] = part
            parties.update(part[0])
            reservations.update(part[1])
        return StateData(parties, reservations), quotes


def party_dates(instruments: Iterable[Instrument]) -> list[dt.date]:
    """Every date written anywhere in the instruments' party data (entries, protocols,
    reservations, entry into force, as-of dates), sorted: the only dates a reading of the
    party data compares a request's date with."""
    found: set[dt.date] = set()
    seen: set[int] = set()
    stack: list[Any] = [inst.parties for inst in instruments]
    while stack:
        value = stack.pop()
        if isinstance(value, dt.date):
            found.add(value)
        elif isinstance(value, str | bytes | int | float | bool) or value is None or id(value) in seen:
            continue
        elif attrs.has(type(value)):
            seen.add(id(value))
            stack.extend(getattr(value, a.name) for a in attrs.fields(type(value)))
        elif isinstance(value, dict):
            seen.add(id(value))
            stack.extend(value.keys())
            stack.extend(value.values())
        elif isinstance(value, list | tuple | set | frozenset):
            seen.add(id(value))
            stack.extend(value)
    return sorted(found)


# Where a reading quotes the date it was read for ("... so unknown on 2024-04-03"), the
# reading shared by the other dates of its span holds this mark instead.
DATE_MARK = "\x00date\x00"


def undated(data: StateData, date: dt.date) -> StateData | None:
    """The reading with the date it quotes replaced by `DATE_MARK`, or None when it quotes
    none (then it is shared as it is)."""
    text = date.isoformat()
    if not any(text in f.basis for f in (*data.parties.values(), *data.reservations.values())):
        return None
    return _reworded(data, text, DATE_MARK)


def dated(template: StateData, date: dt.date) -> StateData:
    """A shared reading with `DATE_MARK` replaced by `date`."""
    return _reworded(template, DATE_MARK, date.isoformat(), template)


def _reworded(data: StateData, old: str, new: str,
              template: StateData | None = None) -> StateData:
    """The reading with `old` replaced by `new` in the wording of each fact."""
    def reword(fact: Any) -> Any:
        return attrs.evolve(fact, basis=fact.basis.replace(old, new)) if old in fact.basis else fact

    return StateData({k: reword(f) for k, f in data.parties.items()},
                     {k: reword(r) for k, r in data.reservations.items()}, template=template)


@attrs.frozen
class _Tables:
    """What reading a request needs from the compiled inputs, listed once per engine, and
    what it has read before."""

    flags: list[tuple[str, str]]  # (atom key, offence flag)
    facts: list[tuple[str, str]]  # (atom key, fact id)
    literals: dict[tuple[str, bool], Literal]
    group_of: dict[str, str]
    # per party reading and role: the reading (kept alive, its id is the key), the party
    # facts under their input keys, and the known values among them
    views: dict[tuple[int, str], tuple[StateData, dict[str, PartyFact], dict[str, bool]]]
    # per requested State's reading: the reading, the known reservation values, and the
    # reservations on file with the facts each settles
    declared: dict[int, tuple[StateData, dict[str, bool], list[tuple[ReservationFact, Any]]]]
    # per set of known inputs (one bit an input): the unknown groups
    unknown: dict[int, frozenset[str]]
    fills: dict[str, Any]  # reservation input key -> the facts it settles
    # per input in canonical order: its key, its literals (true, false; None where a
    # false value is not asserted: one measure and one category are), and its bits
    # (known, known true, known false)
    reading: list[tuple[str, Literal, Literal | None, int, int, int]]


def _tables(engine: Engine) -> _Tables:
    tables = engine.request_tables
    if tables is None:
        inputs = engine.compiled.inputs
        atoms = inputs.atoms
        tables = engine.request_tables = _Tables(
            [(a.key, a.key.removeprefix("flag:")) for a in atoms if a.key.startswith("flag:")],
            [(a.key, a.key.removeprefix("fact:")) for a in atoms if a.key.startswith("fact:")],
            {(a.key, v): engine.literal(a, v) for a in atoms for v in (True, False)},
            {a.key: a.group for a in atoms}, {}, {}, {},
            {f"reservation:{inst.id}:{res.id}": res.fills
             for inst in engine.compiled.instruments.values() for res in inst.reservations},
            [(a.key, engine.literal(a, True),
              None if inputs.kind(a.group) == ONE_HOT else engine.literal(a, False),
              1 << n, 1 << (2 * n + 1), 1 << (2 * n)) for n, a in enumerate(atoms)])
    return tables


def _view(tables: _Tables, data: StateData, role: str
          ) -> tuple[dict[str, PartyFact], dict[str, bool]]:
    """A State's party facts in one role, under their input keys, and the known values."""
    if data.template is not None:  # the shared reading's view, with this date's facts
        parties, values = _view(tables, data.template, role)
        shared = data.template.parties
        dated = {f"party:{name}:{role}": fact for name, fact in data.parties.items()
                 if fact is not shared[name]}
        return {**parties, **dated}, values  # the values do not depend on the date
    found = tables.views.get((id(data), role))
    if found is None:
        if len(tables.views) >= VIEWS:
            tables.views.clear()
        parties = {f"party:{name}:{role}": fact for name, fact in data.parties.items()}
        values = {key: fact.value for key, fact in parties.items() if fact.value is not None}
        found = tables.views[(id(data), role)] = (data, parties, values)
    return found[1], found[2]


def _declared(tables: _Tables, data: StateData
              ) -> tuple[dict[str, bool], list[tuple[ReservationFact, Any]]]:
    """The requested State's known reservation values, and those on file with the facts
    they settle."""
    found = tables.declared.get(id(data))
    if found is None:
        fills = tables.fills
        values = {key: r.value for key, r in data.reservations.items() if r.value is not None}
        on_file = [(r, fills[key]) for key, r in data.reservations.items()
                   if r.value and fills.get(key)]
        found = (data, values, on_file)
        if data.template is None:
            if len(tables.declared) >= VIEWS:
                tables.declared.clear()
            tables.declared[id(data)] = found
    return found[1], found[2]


class RequestFacts:
    """A request read as values of the compiled inputs, with the data behind each."""

    def __init__(self, engine: Engine, request: Request) -> None:
        self.engine = engine
        self.request = request
        inputs = engine.compiled.inputs
        values: dict[str, bool] = {f"measure:{request.measure}": True}
        offence = request.offence
        if offence.category is not None:
            values[f"category:{offence.category}"] = True
        if offence.max_penalty_years is not None:
            for p in inputs.penalty:
                values[p.key] = p.holds(offence.max_penalty_years)
        tables = _tables(engine)
        for key, name in tables.flags:
            flag = offence.flag(name)
            if flag is not None:
                values[key] = flag
        facts = request.facts
        for key, name in tables.facts:
            fact = facts.get(name)
            if fact is not None:
                values[key] = fact
        requesting = engine.state_data(request.requesting_state, request.date)
        requested = engine.state_data(request.requested_state, request.date)
        self.requesting_data, self.requested_data = requesting, requested
        values.update(_view(tables, requesting, "requesting")[1])
        values.update(_view(tables, requested, "requested")[1])
        self.reservations: dict[str, ReservationFact] = requested.reservations
        known, on_file = _declared(tables, requested)
        values.update(known)
        # Facts the request leaves out that a reservation or notification on file settles.
        self.filled: dict[str, ReservationFact] = {}
        for rfact, fills in on_file:
            for fact, value in fills:
                if request.left_out(fact) and f"fact:{fact}" not in self.filled:
                    values[f"fact:{fact}"] = value
                    self.filled[f"fact:{fact}"] = rfact
        self.values = values
        self.literals: list[Literal] = []
        found = self.literals.append
        # the literals as one number, two bits an input (known false, known true): what
        # the answer memo is keyed on; and which inputs are known, one bit each
        bits = present = 0
        get = values.get
        for key, true, false, known, bit_true, bit_false in tables.reading:
            value = get(key)
            if value is None:
                continue
            present |= known
            if value:
                found(true)
                bits |= bit_true
            elif false is not None:
                found(false)
                bits |= bit_false
        self.known = bits
        unknown = tables.unknown.get(present)
        if unknown is None:
            if len(tables.unknown) >= VIEWS:
                tables.unknown.clear()
            group_of = tables.group_of
            known_groups = {group_of[k] for k in values}
            unknown = tables.unknown[present] = frozenset(
                g for g in inputs.groups if g not in known_groups)
        self.unknown_groups = unknown

    @functools.cached_property
    def parties(self) -> dict[str, PartyFact]:
        """The party facts of both States under their input keys (read for the traces)."""
        tables = _tables(self.engine)
        return {**_view(tables, self.requesting_data, "requesting")[0],
                **_view(tables, self.requested_data, "requested")[0]}

    def public_name(self, group: str) -> str:
        """How an unknown is named in `depends_on` (contract section 2)."""
        if group.startswith("party:"):
            _, inst, role = group.split(":")
            state = (self.request.requesting_state if role == "requesting"
                     else self.request.requested_state)
            return f"party:{inst}:{state}"
        if group.startswith("reservation:"):
            return f"{group}:{self.request.requested_state}"
        return group


