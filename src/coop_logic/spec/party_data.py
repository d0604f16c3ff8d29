"""Party data: reading the party files, and who is bound by what on a given date.

The reading of dates and absences is the contract's section 9. Party status is decided
here, before any solving: each (instrument, State, date) comes out true, false or unknown,
with the data it rests on, and enters the solver as an input like a request fact.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import partial
from pathlib import Path
from typing import Any

import attrs

from coop_logic.errors import SpecError
from coop_logic.io.documents import Document, load_file
from coop_logic.io.field_reader import Fields
from coop_logic.io.state_codes import state_table
from coop_logic.model.instrument import PartyData, PartyEntry, ReservationDecl, ReservationEntry, SourceRef

STATE_PATTERN = r"[A-Z]{2}"
_INFORMATIONAL = (
    "title", "notes", "party_count", "signatories", "las_members", "sco_members",
    "pending_or_unconfirmed", "reported_ratifications_unconfirmed",
)
_STRUCTURAL = (
    "instrument", "as_of", "sources", "list_source", "completeness", "parties",
    "additional_parties",
    "unresolved", "non_parties",
    "non_participating", "former_members", "entry_into_force", "instrument_in_force",
    "reservations", "reservations_completeness",
)
# Keys of a party entry: those read, then those kept only as provenance for a reader.
_ENTRY_KEYS = ("state", "name", "in_force", "withdrawn", "source", "derived", "deposited",
               "deposit_source")
_ENTRY_NOTES = ("ratified", "ratified_domestic", "status", "note", "src", "ceased",
                "withdrawal_notified", "former_member")
_RESERVATION_KEYS = ("state", "article", "summary", "status", "in_force", "withdrawn", "source",
                     "kinds")
# A reservation's `status`, and whether the State holds the reservation (None: unknown).
# A closed set, so that a misspelt status is an error rather than a reservation in force.
RESERVATION_STATUSES: dict[str, bool | None] = {
    "in force": True, "declaration": True, "withdrawn": False, "unverified": None,
}


@attrs.frozen
class PartyFact:
    """Whether one State is bound by one instrument on the request's date, and why."""

    instrument: str
    state: str
    value: bool | None
    basis: str
    source: str
    as_of: dt.date | None

    @property
    def id(self) -> str:
        return f"party:{self.instrument}:{self.state}"


@attrs.frozen
class ReservationFact:
    instrument: str
    reservation: str
    article: str
    state: str
    value: bool | None
    basis: str
    source: str

    @property
    def id(self) -> str:
        return f"reservation:{self.instrument}:{self.reservation}:{self.state}"


def read_party_file(path: str | Path) -> PartyData:
    """Read a party-data file (the format of docs/spec-language.md)."""
    return load_party_document(load_file(path, SpecError), None)


def parse_party_data(
    fields: Fields, instrument: str | None, protocol_of: str | None = None
) -> PartyData:
    """Validate a party-data mapping; `instrument` is the owning spec's id when inline.

    A key holding a mapping with its own `parties` list is a protocol of the instrument
    (e.g. `additional_protocol_1978`), read the same way; its `instrument` key is then a
    free-text title, and missing `as_of`/`sources` are taken from the instrument."""
    protocol_keys = [
        key for key, value in fields.data.items()
        if key not in _STRUCTURAL and isinstance(value, dict) and "parties" in value
    ]
    fields.check_keys([*_STRUCTURAL, *_INFORMATIONAL, *protocol_keys])
    if protocol_of is not None:
        name = f"{protocol_of}.{fields.path[-1]}"
    else:
        name = fields.str("instrument", instrument, pattern=r"[a-z][a-z0-9_]*") or ""
    if protocol_of is None and instrument is not None and name != instrument:
        raise fields.fail(
            fields.at("instrument"), f"names '{name}', but the spec is '{instrument}'",
            f"'{instrument}'",
        )
    completeness = _completeness(fields)
    as_of = fields.date("as_of", None, nullable=True)
    sources = tuple(_sources(fields))
    list_source = fields.str("list_source", None)
    if list_source is None and sources:
        list_source = sources[0].url
    protocols = {
        key: parse_party_data(fields.sub(key, fields.data[key]), None, protocol_of=name)
        for key in protocol_keys
    }
    entries: dict[str, PartyEntry] = {}
    complement = False
    raw_parties = fields.raw("parties")
    if raw_parties == "all_un_members":
        complement = True
    elif isinstance(raw_parties, list):
        for i, item in enumerate(raw_parties):
            entry = _entry(fields, "parties", i, item, list_source)
            if entry.state in entries:
                raise fields.fail((*fields.at("parties"), i), f"State {entry.state} listed twice")
            entries[entry.state] = entry
    else:
        raise fields.fail(fields.at("parties"), "is neither a list nor all_un_members",
                          "a list of {state, name, in_force} or 'all_un_members'")
    for i, item in enumerate(fields.list("additional_parties", [])):
        entry = _entry(fields, "additional_parties", i, item, list_source)
        known = entries.get(entry.state)
        if known is not None and (known.in_force, known.withdrawn) != (entry.in_force,
                                                                        entry.withdrawn):
            raise fields.fail((*fields.at("additional_parties"), i),
                              f"State {entry.state} is listed twice, with different dates "
                              f"(in force {known.in_force} and {entry.in_force})",
                              "one entry per State, or the same dates in both lists")
        entries[entry.state] = entry
    for i, item in enumerate(fields.list("former_members", [])):
        f = Fields(fields.doc, (*fields.at("former_members"), i), SpecError, item)
        state = _state(f, "state")
        ceased = f.date("ceased", None, nullable=True)
        if state in entries:
            entries[state] = attrs.evolve(entries[state], withdrawn=ceased)
        else:
            entries[state] = PartyEntry(state, f.str("name", state),
                                        f.date("in_force", None, nullable=True), ceased,
                                        source=f.str("source", None), list_source=list_source)
    unresolved = None
    if fields.has("unresolved"):
        unresolved = frozenset(
            _state_value(fields, ("unresolved", i), v)
            for i, v in enumerate(fields.list("unresolved"))
        )
    non_parties: set[str] = set()
    for key in ("non_parties", "non_participating"):
        for i, item in enumerate(fields.list(key, [])):
            f = Fields(fields.doc, (*fields.at(key), i), SpecError, item)
            state = _state(f, "state")
            if state in entries and entries[state].withdrawn is None:
                raise f.fail(f.at("state"), f"State {state} is listed both as a Party and "
                             "as not a Party", "one of the two (a withdrawal date on the "
                             "Party's entry, if it has left)")
            non_parties.add(state)
    reservations = tuple(
        _reservation(Fields(fields.doc, (*fields.at("reservations"), i), SpecError, item))
        for i, item in enumerate(fields.list("reservations", []))
    )
    res_completeness = fields.str("reservations_completeness", "partial")
    if res_completeness not in {"complete", "partial"}:
        raise fields.fail(fields.at("reservations_completeness"), f"'{res_completeness}'",
                          "complete or partial")
    return PartyData(
        instrument=name,
        as_of=as_of,
        completeness=completeness,
        sources=sources,
        entries=entries,
        complement_of_un=complement,
        unresolved=unresolved,
        non_parties=frozenset(non_parties),
        entry_into_force=fields.date("entry_into_force", None, nullable=True),
        instrument_in_force=fields.bool("instrument_in_force", True),
        reservations=reservations,
        reservations_complete=res_completeness == "complete",
        protocols=protocols,
        given=frozenset(fields.data),
        file=fields.doc.name,
        list_source=fields.str("list_source", None),
    )


def _completeness(fields: Fields) -> str:
    text = fields.str("completeness")
    for word in ("complete", "partial", "uncertain"):
        if text.split()[0] == word:
            return word
    raise fields.fail(fields.at("completeness"), f"'{text}'", "complete, partial or uncertain")


def _sources(fields: Fields) -> list[SourceRef]:
    result = []
    for i, item in enumerate(fields.list("sources", [])):
        f = Fields(fields.doc, (*fields.at("sources"), i), SpecError, item)
        f.check_keys(["url", "note"])
        result.append(SourceRef(f.str("url"), f.str("note", "")))
    return result


def _state_value(fields: Fields, rel: tuple[str, int], value: Any) -> str:
    path = (*fields.path, *rel)
    if isinstance(value, bool) and path in fields.doc.raw:
        value = fields.doc.raw[path]
    if not isinstance(value, str) or not state_table().is_state(value):
        raise fields.fail(path, f"'{value}' is not an ISO 3166-1 alpha-2 code",
                          "a State code such as FR")
    return value


def _state(f: Fields, key: str) -> str:
    code = f.str(key, pattern=STATE_PATTERN)
    if not state_table().is_state(code):
        raise f.fail(f.at(key), f"'{code}' is not an ISO 3166-1 alpha-2 code",
                     "a State code such as FR")
    return code


def _entry(fields: Fields, key: str, index: int, item: Any,
           list_source: str | None) -> PartyEntry:
    f = Fields(fields.doc, (*fields.at(key), index), SpecError, item)
    f.check_keys([*_ENTRY_KEYS, *_ENTRY_NOTES])
    state = _state(f, "state")
    in_force = f.date("in_force", None, nullable=True)
    derived = f.bool("derived", False)
    deposited = f.date("deposited", None, nullable=True)
    if derived and in_force is None:
        raise f.fail(f.at("derived"), "marks a derived date, but in_force has none",
                     "an in_force date computed from the deposit, or no `derived`")
    withdrawn = f.date("withdrawn", None, nullable=True)
    if withdrawn and in_force and withdrawn < in_force:
        raise f.fail(f.at("withdrawn"), f"{withdrawn} is before in_force {in_force}",
                     "a withdrawal on or after the entry into force")
    if deposited and in_force and deposited > in_force:
        raise f.fail(f.at("deposited"), f"{deposited} is after in_force {in_force}",
                     "a deposit date on or before the entry into force")
    for note in ("status", "note", "src"):
        f.str(note, None)
    return PartyEntry(
        state=state,
        name=f.str("name", state),
        in_force=in_force,
        withdrawn=f.date("withdrawn", None, nullable=True),
        source=f.str("source", None),
        list_source=list_source,
        derived=derived,
        deposited=deposited,
        deposit_source=f.str("deposit_source", None),
    )


def _reservation(f: Fields) -> ReservationEntry:
    f.check_keys(_RESERVATION_KEYS)
    state = _state(f, "state")
    article = f.raw("article")
    if not isinstance(article, str | int):
        raise f.fail(f.at("article"), "is not an article reference", "text such as 29(4)")
    status = f.str("status", "in force")
    if status not in RESERVATION_STATUSES:
        raise f.fail(f.at("status"), f"'{status}' is not a reservation status",
                     "one of " + ", ".join(RESERVATION_STATUSES))
    return ReservationEntry(
        state=state,
        article=str(article),
        summary=f.str("summary", ""),
        status=status,
        in_force=f.date("in_force", None, nullable=True),
        withdrawn=f.date("withdrawn", None, nullable=True),
        source=f.str("source", None),
        kinds=tuple(_kinds(f)),
    )


def _kinds(f: Fields) -> list[str]:
    kinds = f.list("kinds", [])
    for i, kind in enumerate(kinds):
        if not isinstance(kind, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", kind):
            raise f.fail((*f.at("kinds"), i), f"is {kind!r}", "a kind id such as all_coercive")
    return kinds


LIST_CITED = "cited: the source for the whole list"


def party_status(data: PartyData, state: str, date: dt.date) -> PartyFact:
    """Section 9 of the contract: is `state` bound by the instrument on `date`?

    The fact cites the State's own source where its entry has one, and otherwise the source
    for the whole list (an absence, or an entry without a source), saying so in its basis."""

    def fact(value: bool | None, basis: str, source: str | None = None,
             list_source: str | None = None) -> PartyFact:
        if source is None:
            source, basis = list_source or data.source_text, f"{basis} ({LIST_CITED})"
        return PartyFact(data.instrument, state, value, basis, source, data.as_of)

    if data.completeness == "all":
        return fact(True, "open to every State without a treaty")
    if not data.instrument_in_force:
        return fact(False, f"the instrument is not in force (party data as of {data.as_of})")
    if data.entry_into_force and date < data.entry_into_force:
        return fact(False, f"the instrument entered into force only on {data.entry_into_force}")
    entry = data.entries.get(state)
    if entry is not None:
        cite = (entry.source, entry.list_source)  # the list's: of the file the entry came from
        if entry.withdrawn and date >= entry.withdrawn:
            return fact(False, f"{state} ceased to be bound on {entry.withdrawn}", *cite)
        if entry.in_force:
            how = _derivation(entry)
            if date >= entry.in_force:
                return fact(True, f"in force for {state} since {entry.in_force}{how}", *cite)
            return fact(False, f"in force for {state} only from {entry.in_force}{how}", *cite)
        return _undated(entry.as_of or data.as_of, date, partial(fact, source=cite[0],
                        list_source=cite[1]), "listed as a Party")
    if state in data.non_parties:
        return fact(False, f"{state} is recorded as not a Party")
    if data.unresolved is not None and state in data.unresolved:
        return fact(None, f"the status of {state} is unresolved in the party data")
    if data.complement_of_un:
        if state in state_table().un_members:
            return _undated(data.as_of, date, fact, "a UN Member State, not listed as a non-Party")
        return fact(False, f"{state} is not a UN Member State and not listed")
    if data.completeness == "complete" or data.unresolved is not None:
        return fact(False, f"{state} is not in the list of Parties")
    return fact(None, f"{state} is absent from a {data.completeness} list of Parties")


def _derivation(entry: PartyEntry) -> str:
    if not entry.derived:
        return ""
    if entry.deposited:
        return (f" (a date derived from the deposit on {entry.deposited} and the treaty's "
                "entry-into-force rule)")
    return " (a derived date)"


def _undated(as_of: dt.date | None, date: dt.date, fact: Any, what: str) -> PartyFact:
    """An undated entry, worded as what it is: listed in data of a date, not bound from it."""
    if as_of is None:
        return fact(None, f"{what}, with no date of entry into force and no as-of date")
    text = f"{what} in data as of {as_of}; date of entry into force not recorded"
    if date >= as_of:
        return fact(True, text)
    return fact(None, f"{text}, so unknown on {date}")


def declared_status(data: PartyData, decl: ReservationDecl, state: str,
                    date: dt.date) -> ReservationFact:
    """Whether `state` holds the reservation a spec declares (`decl`) on `date`."""
    return reservation_status(data, decl.id, decl.article, state, date, kind=decl.kind)


def reservation_status(
    data: PartyData, reservation: str, article: str, state: str, date: dt.date,
    *, kind: str | None = None,
) -> ReservationFact:
    """Whether `state` holds the reservation made under `article` on `date`; with `kind`,
    one of that kind: a State whose entries under the article list other kinds does not
    hold it, and one whose entries list no kind at all may or may not."""

    def fact(value: bool | None, basis: str, source: str | None = None) -> ReservationFact:
        if source is None:
            source, basis = data.source_text, f"{basis} ({LIST_CITED})"
        return ReservationFact(data.instrument, reservation, article, state, value, basis,
                               source)

    untyped = None
    for entry in data.reservations:
        if entry.state != state or not _same_article(entry.article, article):
            continue
        if kind is not None and kind not in entry.kinds:
            if not entry.kinds:
                untyped = entry
            continue
        own = entry.source
        if entry.in_force and date < entry.in_force:
            return fact(False, f"reservation under {article} effective only from "
                               f"{entry.in_force}", own)
        if entry.withdrawn and date >= entry.withdrawn:
            return fact(False, f"reservation under {article} withdrawn on {entry.withdrawn}",
                        own)
        held = RESERVATION_STATUSES[entry.status]
        if held is False and not entry.withdrawn:
            return fact(False, f"reservation under {article} withdrawn", own)
        if held is None:
            return fact(None, f"{state} is recorded with a reservation under {article} whose "
                              f"status is {entry.status}: {entry.summary}", own)
        return fact(True, f"{state} made a reservation under {article}: {entry.summary}", own)
    if untyped is not None:
        return fact(None, f"{state} is recorded with a reservation under {article} whose kind "
                          f"is not recorded ({kind} or another): {untyped.summary}",
                    untyped.source)
    if kind is not None and any(e.state == state and _same_article(e.article, article)
                                for e in data.reservations):
        entry = next(e for e in data.reservations
                     if e.state == state and _same_article(e.article, article))
        return fact(False, f"{state}'s reservation under {article} is not of the kind "
                           f"{kind}: {entry.summary}", entry.source)
    if data.reservations_complete:
        return fact(False, f"{state} made no reservation under {article}")
    return fact(None, f"the reservation data is partial: {state} is not listed under {article}")


def load_party_document(doc: Document, instrument: str | None) -> PartyData:
    return parse_party_data(Fields(doc, (), SpecError), instrument)


def _same_article(recorded: str, declared: str) -> bool:
    """'5(1)(a),(c)' is made under article '5' and under '5(1)'; '29(4)' only under itself."""
    recorded, declared = recorded.replace(" ", ""), declared.replace(" ", "")
    return recorded == declared or recorded.startswith(declared + "(")


def protocol_data(parent: PartyData, name: str) -> PartyData:
    """A protocol's party data, with the parent's as-of date and sources where it has none."""
    data = parent.protocols[name]
    return attrs.evolve(data, as_of=data.as_of or parent.as_of,
                        sources=data.sources or parent.sources,
                        file=data.file or parent.file)
