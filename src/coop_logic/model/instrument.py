"""Immutable records for what the specs say: instruments, rules, grounds, party data.

Built by `spec` (from files) and read by `compile`, `solve` and `explain`. Nothing here
reads files or calls the solver.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from coop_logic.model.conditions import Condition

EFFECTS = ("scope", "displacement", "duty", "discretion", "grounds", "exclusion")


@attrs.frozen
class SourceRef:
    url: str
    note: str = ""


@attrs.frozen
class Rule:
    """One provision of an instrument, with its logical content."""

    id: str
    cite: str
    summary: str
    source: str
    text_verified: bool
    effect: str
    measures: frozenset[str]
    when: Condition
    when_text: str
    grounds: tuple[str, ...] = ()
    only: bool = False
    obligatory: bool = False  # grounds only: "shall be refused", not "may be refused"
    overrides: tuple[str, ...] = ()
    file: str = ""
    line: int | None = None

    def removes(self, ground: str) -> bool:
        """Whether this rule, when it fires, takes `ground` away."""
        if self.effect == "exclusion":
            return ground in self.grounds
        return self.effect == "grounds" and self.only and ground not in self.grounds

    def gives(self, ground: str) -> bool:
        return self.effect == "grounds" and ground in self.grounds


@attrs.frozen
class Ground:
    """A refusal ground of an instrument's own, established by a condition."""

    id: str
    established_by: Condition
    established_by_text: str
    summary: str


@attrs.frozen
class ReservationDecl:
    """A reservation, declaration or notification a spec reads from party data. `fills`:
    request facts it settles for the requested State that holds it, where the request
    leaves them out (e.g. a UNTOC art. 16(5)(a) notification: extradition needs a treaty)."""

    id: str
    article: str
    summary: str
    fills: tuple[tuple[str, bool], ...] = ()
    kind: str | None = None  # held only through a party entry listing this kind


@attrs.frozen
class NotEncoded:
    cite: str
    reason: str


@attrs.frozen
class Property:
    """A guarantee the law gives, stated over all requests: whenever `when`, then `then`."""

    id: str
    cite: str
    summary: str
    source: str
    text_verified: bool
    when: Condition
    when_text: str
    then: Condition
    then_text: str
    line: int | None = None


@attrs.frozen
class Expectation:
    """What an example expects of its instrument's verdict; None: not checked."""

    status: str
    grounds: tuple[str, ...] | None = None
    possible: tuple[str, ...] | None = None
    depends_on: tuple[str, ...] | None = None


@attrs.frozen
class Example:
    """A test inside a spec file (`examples:`): a request and the verdict it must get."""

    id: str
    illustrates: str
    request: Any  # request.Request, validated as Request.from_dict validates
    expect: Expectation
    closed_world: bool = True
    cite: str = ""
    summary: str = ""
    line: int | None = None


@attrs.frozen
class Channel:
    """A way a request under an instrument travels (`procedure.channels`), for `measures`
    when `when` holds; `speed` (lower is faster) overrides the procedure's own rank."""

    id: str  # a kind from spec.CHANNELS: central_authority, network_24_7, ...
    measures: frozenset[str]
    when: Condition
    when_text: str
    cite: str
    summary: str
    source: str = ""
    text_verified: bool = False
    speed: int | None = None
    line: int | None = None


@attrs.frozen
class ContentItem:
    """An item a request for `measures` must carry (`procedure.contents`), in our words."""

    id: str
    measures: frozenset[str]
    text: str
    cite: str
    when: Condition
    when_text: str
    source: str = ""
    text_verified: bool = False
    line: int | None = None


@attrs.frozen
class TimeLimit:
    """A period the instrument sets for `measures` (`procedure.time_limits`): exactly one of
    `days` and `hours`; `kind` from spec.TIME_LIMIT_KINDS (deadline, minimum_duration, ...)."""

    id: str
    measures: frozenset[str]
    kind: str
    days: int | None
    hours: int | None
    when: Condition
    when_text: str
    cite: str
    summary: str
    source: str = ""
    text_verified: bool = False
    line: int | None = None


@attrs.frozen
class Procedure:
    """How a request under an instrument is made (`procedure:`): channels, the contents a
    request must carry, time limits, and the instrument's speed rank (lower is faster)."""

    speed: int
    channels: tuple[Channel, ...] = ()
    contents: tuple[ContentItem, ...] = ()
    time_limits: tuple[TimeLimit, ...] = ()
    note: str = ""
    line: int | None = None


@attrs.frozen
class PartyEntry:
    state: str
    name: str
    in_force: dt.date | None
    withdrawn: dt.date | None = None
    as_of: dt.date | None = None  # for an undated entry from another file than the list's
    source: str | None = None  # the source of this State's entry, when the file names one
    list_source: str | None = None  # the source of the list the entry came from
    derived: bool = False  # in_force computed from `deposited` and the entry-into-force rule
    deposited: dt.date | None = None
    deposit_source: str | None = None


@attrs.frozen
class ReservationEntry:
    state: str
    article: str
    summary: str
    status: str  # one of parties.RESERVATION_STATUSES
    in_force: dt.date | None = None
    withdrawn: dt.date | None = None
    source: str | None = None
    # What the reservation or declaration does, where one article carries reservations of
    # different content (ETS 30 art. 5: dual criminality for every coercive measure, or for
    # searches only); matched against a spec declaration's `kind`.
    kinds: tuple[str, ...] = ()


@attrs.frozen
class PartyData:
    """Who is bound by an instrument, from when, and where that comes from."""

    instrument: str
    as_of: dt.date | None
    completeness: str  # complete | partial | uncertain | all
    sources: tuple[SourceRef, ...]
    entries: dict[str, PartyEntry]
    complement_of_un: bool = False
    unresolved: frozenset[str] | None = None
    non_parties: frozenset[str] = frozenset()
    entry_into_force: dt.date | None = None
    instrument_in_force: bool = True
    reservations: tuple[ReservationEntry, ...] = ()
    reservations_complete: bool = False
    protocols: dict[str, PartyData] = attrs.field(factory=dict)
    given: frozenset[str] = frozenset()  # the top-level keys the file stated
    file: str = ""
    list_source: str | None = None  # the source for the list as a whole (`list_source`)

    @property
    def source_text(self) -> str:
        """The source cited for the list as a whole: `list_source`, else the first source."""
        return self.list_source or (self.sources[0].url if self.sources else self.file)


@attrs.frozen
class Instrument:
    id: str
    title: str
    short_title: str
    adopted: dt.date | None
    entry_into_force: dt.date | None
    sources: tuple[SourceRef, ...]
    parties: PartyData
    tags: frozenset[str]
    reservations: tuple[ReservationDecl, ...]
    grounds: tuple[Ground, ...]
    rules: tuple[Rule, ...]
    not_encoded: tuple[NotEncoded, ...] = ()
    properties: tuple[Property, ...] = ()
    file: str = ""
    # The provisions the source digest lists as bearing on co-operation (`provisions:`),
    # each to be cited by a rule or a not_encoded entry (verify's coverage check).
    provisions: tuple[str, ...] = ()
    provisions_digest: str | None = None
    examples: tuple[Example, ...] = ()  # tests inside the spec file (`examples:`)
    procedure: Procedure | None = None  # channels, contents, time limits (`procedure:`)
    # The named conditions of `definitions:`, parsed (rules hold them expanded in place).
    definitions: dict[str, Any] = attrs.field(factory=dict, eq=False)

    def rule(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)

    def own_ground(self, ground_id: str) -> Ground | None:
        for ground in self.grounds:
            if ground.id == ground_id:
                return ground
        return None

    def excludes(self, ground_id: str) -> bool:
        """Whether an exclusion rule of this instrument names the ground."""
        return any(r.effect == "exclusion" and ground_id in r.grounds for r in self.rules)

    def gives(self, ground_id: str) -> bool:
        """Whether a grounds rule of this instrument gives the ground."""
        return any(r.gives(ground_id) for r in self.rules)

    @property
    def ground_ids(self) -> tuple[str, ...]:
        """Every ground some rule of this instrument names, in first-mention order."""
        seen: dict[str, None] = {}
        for rule in self.rules:
            for ground in rule.grounds:
                seen.setdefault(ground, None)
        return tuple(seen)
