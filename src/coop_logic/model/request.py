"""Requests for assistance (the contract's section 1): reading and validating them.

A request is immutable once read. Absent facts and offence fields stay unknown (None);
`closed` gives the closed-world reading. This module does not know the specs: checking
the `instruments` filter against what is loaded is done by the knowledge base.
"""

from __future__ import annotations

import datetime as dt
import numbers
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from coop_logic.errors import DeprecatedInputWarning, RequestError, did_you_mean
from coop_logic.io.documents import MAX_DEPTH, Document, load_file
from coop_logic.io.field_reader import Fields
from coop_logic.io.state_codes import state_table
from coop_logic.vocabulary import CATEGORIES, FACT_ALIASES, FACTS, MEASURES, OFFENCE_FIELDS, OFFENCE_FLAGS

_TOP_KEYS = ("requesting_state", "requested_state", "measure", "date", "offence", "facts",
             "instruments")


@attrs.frozen
class Offence:
    """The offence, as far as known; None means unknown."""

    category: str | None = None
    max_penalty_years: float | None = None
    transnational: bool | None = None
    organized_criminal_group: bool | None = None
    committed_by_computer: bool | None = None
    electronic_evidence: bool | None = None

    def flag(self, name: str) -> bool | None:
        return getattr(self, name)


@attrs.frozen
class Request:
    """One request: who asks whom for what, on which date, about which offence."""

    requesting_state: str
    requested_state: str
    measure: str
    date: dt.date
    offence: Offence = Offence()
    facts: dict[str, bool] = attrs.field(factory=dict)
    instruments: tuple[str, ...] | None = None
    source: str = "<request>"
    instruments_line: int | None = None
    # Facts the closed-world reading set to false because the request left them out
    # (party data that settles one of them, e.g. a notification, still takes precedence).
    defaulted: frozenset[str] = frozenset()

    def __attrs_post_init__(self) -> None:
        _check_built(self)

    @classmethod
    def from_dict(cls, data: Any, name: str = "<request>") -> Request:
        """Validate a mapping in the contract's request format; raises RequestError.
        Any Mapping is read as a dict, and numbers and booleans of other libraries (such
        as numpy's) as Python's."""
        return parse_request(Document(name, _plain(data, name)))

    @classmethod
    def from_file(cls, path: str | Path) -> Request:
        """Read a YAML or JSON request file; raises RequestError naming file, line, field."""
        return parse_request(load_file(path, RequestError))

    def fact(self, name: str) -> bool | None:
        return self.facts.get(name)

    def closed(self) -> Request:
        """The closed-world reading: every absent Boolean fact and offence flag is false."""
        facts = {f: self.facts.get(f, False) for f in FACTS}
        flags = {f: (False if self.offence.flag(f) is None else self.offence.flag(f))
                 for f in OFFENCE_FLAGS}
        defaulted = self.defaulted | {f for f in FACTS if f not in self.facts}
        return _changed(self, facts=facts, offence=_changed(self.offence, **flags),
                        defaulted=frozenset(defaulted))

    def left_out(self, fact: str) -> bool:
        """Whether the request itself says nothing about `fact` (closed world or not)."""
        return fact not in self.facts or fact in self.defaulted

    def with_known(self, **changes: Any) -> Request:
        """A copy with some facts (by id) or offence fields (`offence.<field>`) set."""
        facts = dict(self.facts)
        offence: dict[str, Any] = {}
        for key, value in changes.items():
            if key.startswith("offence_"):
                offence[key.removeprefix("offence_")] = value
            else:
                facts[key] = value
        return attrs.evolve(self, facts=facts, offence=attrs.evolve(self.offence, **offence))

    def to_dict(self) -> dict[str, Any]:
        """The request in the contract's format (unknowns left out)."""
        out: dict[str, Any] = {
            "requesting_state": self.requesting_state,
            "requested_state": self.requested_state,
            "measure": self.measure,
            "date": self.date.isoformat(),
        }
        offence = {k: getattr(self.offence, k) for k in OFFENCE_FIELDS
                   if getattr(self.offence, k) is not None}
        if offence:
            out["offence"] = offence
        if self.facts:
            out["facts"] = {f: self.facts[f] for f in FACTS if f in self.facts}
        if self.instruments is not None:
            out["instruments"] = list(self.instruments)
        return out


_SCALARS = frozenset((str, bool, int, float, type(None)))


def _plain(value: Any, name: str, depth: int = 0) -> Any:
    """`value` with every Mapping a dict, every tuple a list, and numbers and booleans of
    other libraries (numpy's integers, floats and bool_) the Python ones they stand for."""
    if depth > MAX_DEPTH:
        raise RequestError(f"the request nests deeper than {MAX_DEPTH} levels", file=name)
    kind = type(value)
    if kind in _SCALARS:
        return value
    if kind is dict and depth < MAX_DEPTH:  # JSON's and YAML's own: scalars taken as they are
        return {k: v if type(v) in _SCALARS else _plain(v, name, depth + 1)
                for k, v in value.items()}
    if isinstance(value, str | bool | int | float) or value is None:
        return value
    if isinstance(value, Mapping):
        return {k: _plain(v, name, depth + 1) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v, name, depth + 1) for v in value]
    if getattr(getattr(value, "dtype", None), "kind", None) == "b":
        return bool(value)  # numpy.bool_ is not a numbers.Integral
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    return value


_FACT_IDS = frozenset(FACTS)


def _changed(record: Any, **changes: Any) -> Any:
    """A copy of a checked record with fields changed to values of the right type and
    vocabulary (the closed-world reading's Booleans), without checking it again."""
    new = object.__new__(type(record))
    for field in attrs.fields(type(record)):
        object.__setattr__(new, field.name, changes.get(field.name,
                                                        getattr(record, field.name)))
    return new


def _checked(cls: type, **values: Any) -> Any:
    """A record of fields that its reader has checked one by one (`parse_request`), built
    without checking them again; the fields not given take their defaults."""
    new = object.__new__(cls)
    for field in attrs.fields(cls):
        if field.name in values:
            value = values[field.name]
        elif isinstance(field.default, attrs.Factory):  # type: ignore[arg-type]
            value = field.default.factory()
        else:
            value = field.default
        object.__setattr__(new, field.name, value)
    return new


def _check_built(request: Request) -> None:
    """A Request built directly (not read by `from_dict`) gets the same checks, cheaply:
    every field of the right type and vocabulary. Raises RequestError naming the field."""
    def fail(field: str, value: Any, expected: str) -> RequestError:
        return RequestError(f"is {value!r}", file=request.source, field=field,
                            expected=expected)

    table = state_table()
    for field in ("requesting_state", "requested_state"):
        code = getattr(request, field)
        if not isinstance(code, str) or not table.is_state(code):
            raise fail(field, code, "an ISO 3166-1 alpha-2 code such as FR")
    if request.requesting_state == request.requested_state:
        raise fail("requested_state", request.requested_state, "a State other than "
                   "requesting_state")
    if request.measure not in MEASURES:
        raise fail("measure", request.measure, "a measure id of the contract")
    if isinstance(request.date, dt.datetime) or not isinstance(request.date, dt.date):
        raise fail("date", request.date, "a datetime.date")
    offence = request.offence
    if not isinstance(offence, Offence):
        raise fail("offence", offence, "an Offence")
    if offence.category is not None and offence.category not in CATEGORIES:
        raise fail("offence.category", offence.category, "an offence category id")
    penalty = offence.max_penalty_years
    if penalty is not None and (isinstance(penalty, bool) or not isinstance(penalty, int | float)
                                or not 0 <= penalty <= 10_000):
        raise fail("offence.max_penalty_years", penalty, "a number of years from 0 to 10000")
    for flag in OFFENCE_FLAGS:
        if offence.flag(flag) is not None and not isinstance(offence.flag(flag), bool):
            raise fail(f"offence.{flag}", offence.flag(flag), "True, False or None")
    if not isinstance(request.facts, dict):
        raise fail("facts", request.facts, "a dict of fact ids to True or False")
    if not request.facts.keys() <= _FACT_IDS or not all(
            v is True or v is False for v in request.facts.values()):
        for key, value in request.facts.items():  # name the first one that is wrong
            if key not in FACTS:
                raise fail(f"facts.{key}", key, "a fact id of the contract's section 6")
            if not isinstance(value, bool):
                raise fail(f"facts.{key}", value, "True or False")
    if request.instruments is not None and (
            not isinstance(request.instruments, tuple) or not request.instruments
            or not all(isinstance(i, str) for i in request.instruments)):
        raise fail("instruments", request.instruments, "None or a non-empty tuple of ids")


def parse_request(doc: Document) -> Request:
    top = Fields(doc, (), RequestError)
    top.check_keys(_TOP_KEYS)
    table = state_table()
    states = {}
    for key in ("requesting_state", "requested_state"):
        code = top.str(key)
        if not table.is_state(code):
            hint = " (codes are upper case)" if table.is_state(code.upper()) else ""
            raise top.fail(top.at(key), f"'{code}' is not an ISO 3166-1 alpha-2 code{hint}",
                           "a two-letter State code such as FR")
        states[key] = code
    if states["requesting_state"] == states["requested_state"]:
        raise top.fail(top.at("requested_state"),
                       f"is the same State as requesting_state ({states['requested_state']})",
                       "a different State")
    measure = top.str("measure")
    if measure not in MEASURES:
        raise top.fail(top.at("measure"), f"unknown measure '{measure}'"
                       f"{did_you_mean(measure, MEASURES)}", "a measure id of the contract")
    date = top.date("date", None)
    return _checked(
        Request,
        requesting_state=states["requesting_state"],
        requested_state=states["requested_state"],
        measure=measure,
        date=date or dt.date.today(),
        offence=_offence(top),
        facts=_facts(top),
        instruments=_instruments(top),
        source=doc.name,
        instruments_line=doc.line(("instruments",)),
    )


def _offence(top: Fields) -> Offence:
    if not top.has("offence") or top.raw("offence") is None:
        return Offence()
    f = top.sub("offence", top.raw("offence"))
    f.check_keys(OFFENCE_FIELDS)
    values: dict[str, Any] = {}
    category = f.data.get("category")
    if category is not None:
        if not isinstance(category, str) or category not in CATEGORIES:
            raise f.fail(f.at("category"), f"unknown category '{category}'"
                         f"{did_you_mean(str(category), CATEGORIES)}",
                         "an offence category id of the contract")
        values["category"] = category
    penalty = f.data.get("max_penalty_years")
    if penalty is not None:
        if isinstance(penalty, bool) or not isinstance(penalty, int | float):
            raise f.fail(f.at("max_penalty_years"), f"is {penalty!r}", "a number of years >= 0")
        if penalty != penalty or penalty < 0 or penalty > 10_000:  # NaN, negative, too large
            raise f.fail(f.at("max_penalty_years"), f"is {penalty}",
                         "a number of years between 0 and 10000 (life: 10000)")
        values["max_penalty_years"] = float(penalty)
    for flag in OFFENCE_FLAGS:
        value = f.data.get(flag)
        if value is not None:
            values[flag] = value if type(value) is bool else f.bool(flag)
    return _checked(Offence, **values)


def _facts(top: Fields) -> dict[str, bool]:
    if not top.has("facts") or top.raw("facts") is None:
        return {}
    f = top.sub("facts", top.raw("facts"))
    for key in f.data:
        if key not in FACTS and key not in FACT_ALIASES:
            raise f.fail(f.at(key), f"unknown fact '{key}'{did_you_mean(str(key), FACTS)}",
                         "a fact id of the contract's section 6")
    data = f.data
    facts = {key: value if type(value) is bool else f.bool(key)
             for key in FACTS if (value := data.get(key)) is not None}
    for old, (new, flips) in FACT_ALIASES.items():
        if f.data.get(old) is None:
            continue
        if new in facts:
            raise f.fail(f.at(old), f"sets both '{old}' (deprecated) and '{new}'",
                         f"only '{new}'")
        value = f.bool(old)
        facts[new] = (not value) if flips else value
        line = top.doc.line((*f.path, old))
        where = top.doc.name + (f":{line}" if line is not None else "")
        warnings.warn(
            f"{where}: fact '{old}' is deprecated; read as '{new}: {str(facts[new]).lower()}'"
            f" (contract revision 2)", DeprecatedInputWarning, stacklevel=2)
    return {key: facts[key] for key in FACTS if key in facts}


def _instruments(top: Fields) -> tuple[str, ...] | None:
    if not top.has("instruments") or top.raw("instruments") is None:
        return None
    values = top.list("instruments")
    if not values:
        raise top.fail(top.at("instruments"), "is empty", "at least one instrument id")
    for i, v in enumerate(values):
        if not isinstance(v, str):
            raise top.fail((*top.at("instruments"), i), f"is {v!r}", "an instrument id")
    return tuple(dict.fromkeys(values))
