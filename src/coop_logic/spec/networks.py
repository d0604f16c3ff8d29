"""Practitioner networks: reading and validating their membership data, and which networks
serve a request.

A network file (`specs/networks/<id>.yaml`, the format of docs/networks.md) says what a
network does (`serves`: the measures it helps with), who belongs to it (`members`, each
with its own source where one was read; or `derived_from` an instrument whose Parties are
members, e.g. the 24/7 network of Budapest art. 35), how complete that list is, as of which
date, and where it comes from. Files are validated at load: a bad file is a SpecError naming
the file, the line and the field. User files (`--networks FILE`, `load(networks=[...])`)
are merged State by State onto the loaded data.

A network *serves* a request when the request's measure is among those it serves and both
States are members on the request's date (and, where the network says so, one of them has
the required role, e.g. an EU Member State for Eurojust). Membership is never a legal basis:
a network helps to prepare, route or speed up a request; it changes no verdict. Nothing here
calls the solver.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import attrs

from coop_logic.errors import SpecError
from coop_logic.io.documents import load_file
from coop_logic.io.field_reader import Fields
from coop_logic.io.state_codes import state_table
from coop_logic.model.instrument import Instrument, SourceRef
from coop_logic.model.request import Request
from coop_logic.spec.party_data import party_status
from coop_logic.vocabulary import MEASURES

NETWORK_ID = r"[a-z][a-z0-9_]*"
COMPLETENESS = ("complete", "partial")
_TOP_KEYS = ("network", "name", "description", "home", "as_of", "completeness", "sources",
             "serves", "requires_role", "derived_from", "members", "not_sourced", "notes")
_MEMBER_KEYS = ("state", "since", "until", "role", "source", "note", "member")


@attrs.frozen
class Member:
    """One State's membership of a network, as recorded."""

    state: str
    member: bool = True  # False: recorded as not a member (a correction, or a departure)
    since: dt.date | None = None
    until: dt.date | None = None
    role: str | None = None
    source: str | None = None
    note: str = ""
    as_of: dt.date | None = None  # the as-of date of the file the entry came from


@attrs.frozen
class Network:
    """A practitioner network and its membership data."""

    id: str
    name: str
    description: str
    home: str
    as_of: dt.date | None
    completeness: str
    sources: tuple[SourceRef, ...]
    serves: frozenset[str]
    requires_role: str | None
    derived_from: str | None
    members: dict[str, Member]
    not_sourced: str
    file: str = ""
    given: frozenset[str] = frozenset()

    @property
    def source_text(self) -> str:
        return self.sources[0].url if self.sources else self.file


@attrs.frozen
class Membership:
    """Whether one State belongs to a network on a date, and on what data."""

    state: str
    value: bool | None  # None: the data cannot tell
    basis: str
    source: str
    role: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"state": self.state, "member": self.value, "basis": self.basis,
                "source": self.source, "role": self.role}


@attrs.frozen
class NetworkMatch:
    """A network that both States belong to and that serves the request's measure."""

    id: str
    name: str
    description: str
    home: str
    as_of: dt.date | None
    completeness: str
    requesting: Membership
    requested: Membership
    sources: tuple[SourceRef, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "description": self.description,
                "home": self.home or None,
                "as_of": self.as_of.isoformat() if self.as_of else None,
                "completeness": self.completeness,
                "requesting_state": self.requesting.to_dict(),
                "requested_state": self.requested.to_dict(),
                "sources": [{"url": s.url, "note": s.note or None} for s in self.sources]}


# -- reading --------------------------------------------------------------------------------


def read_network_file(path: str | Path) -> Network:
    """Read and validate one network file; raises SpecError naming file, line and field."""
    doc = load_file(path, SpecError)
    f = Fields(doc, (), SpecError)
    f.check_keys(_TOP_KEYS)
    given = frozenset(str(k) for k in f.data)
    net_id = f.str("network", pattern=NETWORK_ID)
    as_of = f.date("as_of", None, nullable=True)
    completeness = f.str("completeness", "partial")
    if completeness not in COMPLETENESS:
        raise f.fail(f.at("completeness"), f"'{completeness}' is not a completeness",
                     "complete or partial")
    sources = []
    for i, item in enumerate(f.list("sources", [])):
        s = Fields(doc, ("sources", i), SpecError, item)
        s.check_keys(["url", "note"])
        sources.append(SourceRef(s.str("url", pattern=r"https?://\S+"), s.str("note", "")))
    serves: set[str] = set()
    if f.has("serves"):
        raw = f.data["serves"]
        sv = Fields(doc, ("serves",), SpecError, raw)
        sv.check_keys(["measures", "note"])
        sv.str("note", None)
        for i, m in enumerate(sv.list("measures")):
            if m not in MEASURES:
                raise sv.fail(("serves", "measures", i), f"'{m}' is not a measure",
                              "a measure id of the contract")
            serves.add(m)
    members: dict[str, Member] = {}
    for i, item in enumerate(f.list("members", [])):
        m = Fields(doc, ("members", i), SpecError, item)
        m.check_keys(_MEMBER_KEYS)
        state = _state(m)
        if state in members:
            raise m.fail(m.at("state"), f"{state} is listed twice", "each State once")
        since = m.date("since", None, nullable=True)
        until = m.date("until", None, nullable=True)
        if since and until and until < since:
            raise m.fail(m.at("until"), f"{until} is before since {since}",
                         "an end date on or after the start")
        members[state] = Member(state, m.bool("member", True), since, until,
                                m.str("role", None, pattern=NETWORK_ID),
                                m.str("source", None, pattern=r"https?://\S+"),
                                m.str("note", ""), as_of)
    f.str("notes", None)
    return Network(
        id=net_id,
        name=f.str("name", net_id),
        description=f.str("description", ""),
        home=f.str("home", "", pattern=r"https?://\S+") if f.has("home") else "",
        as_of=as_of,
        completeness=completeness,
        sources=tuple(sources),
        serves=frozenset(serves),
        requires_role=f.str("requires_role", None, pattern=NETWORK_ID),
        derived_from=f.str("derived_from", None, pattern=NETWORK_ID),
        members=members,
        not_sourced=f.str("not_sourced", ""),
        file=doc.name,
        given=given,
    )


def _state(m: Fields) -> str:
    value = m.raw("state")
    path = m.at("state")
    if isinstance(value, bool) and path in m.doc.raw:  # YAML 1.1 reads NO as false
        value = m.doc.raw[path]
    if not isinstance(value, str) or not state_table().is_state(value):
        raise m.fail(path, f"'{value}' is not an ISO 3166-1 alpha-2 code",
                     "a State code such as FR")
    return value


_REQUIRED_NEW = ("name", "serves", "sources")


def load_networks(dirs: Iterable[str | Path], overrides: Iterable[str | Path] = (),
                  instruments: Mapping[str, Instrument] | None = None) -> dict[str, Network]:
    """The networks in `dirs` (every *.yaml directly inside each that exists), with the
    `overrides` files merged State by State. A network derived from an instrument must name
    a loaded one (when `instruments` is given)."""
    loaded: dict[str, Network] = {}
    for d in dirs:
        folder = Path(d)
        if not folder.is_dir():
            continue
        for path in sorted(p for p in folder.glob("*.yaml") if p.is_file()):
            net = read_network_file(path)
            if net.id in loaded:
                raise SpecError(f"network '{net.id}' is already loaded from "
                                f"{loaded[net.id].file}", file=str(path), field="network")
            _check_new(net)
            loaded[net.id] = net
    for path in overrides:
        if not Path(path).exists():
            raise SpecError("no such network file", file=str(path))
        over = read_network_file(path)
        if over.id in loaded:
            loaded[over.id] = merge_network(loaded[over.id], over)
        else:
            _check_new(over)
            loaded[over.id] = over
    if instruments is not None:
        for net in loaded.values():
            if net.derived_from and net.derived_from not in instruments:
                doc = load_file(net.file, SpecError) if Path(net.file).is_file() else None
                raise SpecError(
                    f"derives its members from '{net.derived_from}', which is not loaded",
                    file=net.file, line=doc.line(("derived_from",)) if doc else None,
                    field="derived_from", expected="the id of a loaded instrument")
    return loaded


def _check_new(net: Network) -> None:
    for key in _REQUIRED_NEW:
        if key not in net.given:
            raise SpecError(f"missing required field '{key}' for network '{net.id}'",
                            file=net.file, line=1, field=key,
                            expected=f"a value for '{key}' (a network not loaded before)")
    if not net.members and not net.derived_from:
        raise SpecError(f"network '{net.id}' has no members and no derived_from", file=net.file,
                        field="members", expected="a list of members, or derived_from")


def merge_network(base: Network, over: Network) -> Network:
    """`over` on top of `base`: its members replace or add States; the other fields change
    only where the override file states them; its sources come first."""
    def pick(key: str, field: str) -> Any:
        return getattr(over if key in over.given else base, field)

    members = {**base.members, **over.members}
    return attrs.evolve(
        base,
        name=pick("name", "name"), description=pick("description", "description"),
        home=pick("home", "home"), as_of=pick("as_of", "as_of"),
        completeness=pick("completeness", "completeness"),
        sources=over.sources + base.sources,
        serves=pick("serves", "serves"), requires_role=pick("requires_role", "requires_role"),
        derived_from=pick("derived_from", "derived_from"), members=members,
        not_sourced=pick("not_sourced", "not_sourced"), file=over.file,
        given=base.given | over.given,
    )


@cache
def _bundled() -> dict[str, Network]:
    from coop_logic.spec.loader import bundled_spec_dir

    return load_networks([bundled_spec_dir() / "networks"])


def networks_of(kb: Any) -> dict[str, Network]:
    """The networks a knowledge base was loaded with (`load(networks=...)`), or the bundled
    ones for a knowledge base built without `load`."""
    nets = getattr(kb, "networks", None)
    return dict(nets) if nets is not None else dict(_bundled())


# -- membership -----------------------------------------------------------------------------


def membership(net: Network, state: str, date: dt.date,
               instruments: Mapping[str, Instrument] | None = None) -> Membership:
    """Whether `state` belongs to `net` on `date`: its own entry first (`member: false`,
    `until`, `since`; an entry without dates is a member, "listed as a member in data as
    of" the file's date: network data describes present practice, so it is not read as
    unknown before that date, unlike party data); else, for a network derived from an
    instrument, whether it is a Party on that date (party data); else, by the list's
    completeness, not a member (complete) or unknown (partial)."""
    entry = net.members.get(state)
    if entry is not None:
        source = entry.source or net.source_text
        cited = "" if entry.source else " (the network's list cited)"
        role = entry.role
        if not entry.member:
            return Membership(state, False, f"{state} is recorded as not a member{cited}",
                              source, role)
        if entry.until and date >= entry.until:
            return Membership(state, False, f"{state} left on {entry.until}{cited}", source, role)
        if entry.since:
            if date >= entry.since:
                return Membership(state, True, f"member since {entry.since}{cited}", source, role)
            return Membership(state, False, f"member only from {entry.since}{cited}", source,
                              role)
        as_of = entry.as_of or net.as_of
        when = f"in data as of {as_of}" if as_of else "in undated data"
        return Membership(state, True, f"listed as a member {when}, no start date recorded"
                                       f"{cited}", source, role)
    if net.derived_from and instruments and net.derived_from in instruments:
        fact = party_status(instruments[net.derived_from].parties, state, date)
        word = {True: "a Party", False: "not a Party", None: "of unknown status"}[fact.value]
        then = {True: "a member", False: "not a member", None: "membership unknown"}[fact.value]
        return Membership(state, fact.value,
                          f"{word} to {net.derived_from} ({fact.basis}), so {then}",
                          fact.source)
    if net.completeness == "complete":
        return Membership(state, False, f"{state} is not in the complete list of members",
                          net.source_text)
    return Membership(state, None, f"{state} is absent from a partial list of members",
                      net.source_text)


def serving(kb: Any, request: Request) -> tuple[NetworkMatch, ...]:
    """The networks that serve `request`: its measure is among those the network serves,
    both States are members on its date, and one of them has the role the network
    requires (if any). In the order the networks were loaded."""
    instruments = getattr(kb, "instruments", None)
    out = []
    for net in networks_of(kb).values():
        if request.measure not in net.serves:
            continue
        a = membership(net, request.requesting_state, request.date, instruments)
        b = membership(net, request.requested_state, request.date, instruments)
        if a.value is not True or b.value is not True:
            continue
        if net.requires_role and net.requires_role not in {a.role, b.role}:
            continue
        out.append(NetworkMatch(net.id, net.name, net.description, net.home, net.as_of,
                                net.completeness, a, b, net.sources))
    return tuple(out)


def partial_gaps(kb: Any, request: Request) -> tuple[Network, ...]:
    """Networks that serve the measure but whose data cannot tell whether both States
    belong (a partial list, or an unknown party status): a gap worth naming."""
    instruments = getattr(kb, "instruments", None)
    out = []
    for net in networks_of(kb).values():
        if request.measure not in net.serves:
            continue
        values = {membership(net, s, request.date, instruments).value
                  for s in (request.requesting_state, request.requested_state)}
        if None in values and False not in values:
            out.append(net)
    return tuple(out)
