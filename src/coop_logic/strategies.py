"""Hypothesis strategies for coop-logic requests, for property tests of your own.

    from hypothesis import given
    from coop_logic.strategies import requests

    @given(req=requests(measures=["extradition"], closed_world=True))
    def test_comity_imposes_no_duty_to_extradite(coop_kb, req):
        verdict = coop_kb.evaluate(req, closed_world=True)["comity"]
        assert verdict.status == "discretionary"

Every strategy draws values in the contract's request format, which
`coop_logic.Request.from_dict` accepts (the property tests of this module check it):

- `requests(...)`: whole request mappings;
- `facts(unknown=True)`: the `facts` mapping, some facts absent or null (unknown);
- `offences(unknown=True)`: the `offence` mapping, penalties near the thresholds the rules
  use;
- `state_pairs(instrument, date=...)`: (requesting, requested) State pairs drawn from the
  party data: both Parties on the date, or not;
- `dates_around(instrument, state)`: dates at and around the dates the party data records
  (entry into force, withdrawal, reservations), where verdicts change.

Strategies that read the party data take `kb=`; without it they use the knowledge base of
the running pytest session (`coop_logic.testing.current_kb()`: the `coop_kb` fixture's,
`--coop-spec` and `--coop-parties` included) or, outside pytest, the bundled specs. The
knowledge base is looked up when an example is drawn, not when the strategy is built.
Requires the `hypothesis` package (coop-logic's `test` extra).
"""

from __future__ import annotations

import datetime as dt
import numbers
import sys
import weakref
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from coop_logic.io.state_codes import state_table
from coop_logic.spec.party_data import party_status, protocol_data
from coop_logic.vocabulary import CATEGORIES, FACTS, MEASURES, OFFENCE_FLAGS

if TYPE_CHECKING:
    from coop_logic.engine.knowledge_base import KnowledgeBase
    from coop_logic.model.instrument import PartyData

__all__ = ["dates_around", "facts", "offences", "requests", "state_pairs"]

# Dates drawn when nothing narrower is asked: the span of the bundled party data.
MIN_DATE = dt.date(1990, 1, 1)
MAX_DATE = dt.date(2035, 12, 31)
MAX_PENALTY = 10_000


# -- the knowledge base -----------------------------------------------------------------------

_DEFAULT: list[KnowledgeBase] = []


def _kb(kb: KnowledgeBase | None) -> KnowledgeBase:
    if kb is not None:
        return kb
    testing = sys.modules.get("coop_logic.testing")
    if testing is not None:
        return testing.current_kb()
    if not _DEFAULT:
        from coop_logic.engine.knowledge_base import load

        _DEFAULT.append(load())
    return _DEFAULT[0]


def _percent(rate: float, name: str) -> int:
    if isinstance(rate, bool) or not isinstance(rate, numbers.Real) or not 0 <= rate <= 1:
        raise InvalidArgument(f"{name}={rate!r}: expected a number from 0 to 1")
    return round(rate * 100)


def _ids(value: Any, name: str) -> tuple[str, ...]:
    """A collection of ids given as an argument: one id alone is taken as a list of one
    (never split into its characters); anything but text is an InvalidArgument."""
    if isinstance(value, str):
        return (value,)
    if isinstance(value, Mapping) or not isinstance(value, Iterable):
        raise InvalidArgument(f"{name}={value!r}: expected a list of ids (or one id)")
    items = tuple(value)
    for item in items:
        if not isinstance(item, str):
            raise InvalidArgument(f"{name} holds {item!r}: expected ids (text)")
    return items


def _flag(value: Any, name: str) -> bool:
    if not isinstance(value, bool):
        raise InvalidArgument(f"{name}={value!r}: expected True or False")
    return value


def _check_kb(kb: Any) -> None:
    if kb is not None and not (hasattr(kb, "compiled") and hasattr(kb, "instruments")):
        raise InvalidArgument(f"kb={kb!r}: expected a KnowledgeBase (coop_logic.load()) or None")


def _instrument_id(value: Any, name: str = "instrument") -> str:
    if not isinstance(value, str):
        raise InvalidArgument(f"{name}={value!r}: expected an instrument id")
    return value


def _known(draw: st.DrawFn, unknown_pct: int) -> bool:
    # Shrinks towards 0, i.e. towards "unknown": the smaller request.
    return draw(st.integers(0, 99)) >= unknown_pct


def _true(draw: st.DrawFn, true_pct: int) -> bool:
    # Shrinks towards 0, i.e. towards false: the ordinary case.
    return draw(st.integers(0, 99)) >= 100 - true_pct


# -- facts and offences -----------------------------------------------------------------------


def facts(unknown: bool = True, *, unknown_rate: float = 0.5, true_rate: float = 0.25,
          null_rate: float = 0.3, only: Iterable[str] | None = None
          ) -> st.SearchStrategy[dict[str, bool | None]]:
    """The `facts` mapping of a request.

    With `unknown` (the default) each fact is unknown with probability `unknown_rate`:
    left out, or, with probability `null_rate` among the unknown ones, given as `null`
    (which the contract reads the same way). Without `unknown` every fact is given. A
    given fact is true with probability `true_rate` (facts are worded so that false is
    the ordinary case). `only`: draw only these fact ids (the others are left out).
    """
    names = tuple(FACTS if only is None else _ids(only, "only"))
    for name in names:
        if name not in FACTS:
            raise InvalidArgument(f"unknown fact '{name}'")
    _flag(unknown, "unknown")
    unknown_pct = _percent(unknown_rate, "unknown_rate") if unknown else 0
    true_pct = _percent(true_rate, "true_rate")
    null_pct = _percent(null_rate, "null_rate")

    return _draw_facts(names, unknown_pct, true_pct, null_pct)


_fact_mappings = facts  # `requests` takes a `facts` argument that hides this name


@st.composite
def _draw_facts(draw: st.DrawFn, names: tuple[str, ...], unknown_pct: int, true_pct: int,
                null_pct: int) -> dict[str, bool | None]:
    out: dict[str, bool | None] = {}
    for name in names:
        if _known(draw, unknown_pct):
            out[name] = _true(draw, true_pct)
        elif draw(st.integers(0, 99)) < null_pct:
            out[name] = None
    return out


def _penalty_values(kb: KnowledgeBase) -> list[float]:
    thresholds = sorted({p.threshold for p in kb.compiled.inputs.penalty})
    values = {0.0, float(MAX_PENALTY)}
    for t in thresholds:
        values |= {t - 1, t - 0.5, t, t + 0.5, t + 1}
    return sorted(v for v in values if 0 <= v <= MAX_PENALTY)


def offences(unknown: bool = True, *, kb: KnowledgeBase | None = None,
             categories: Iterable[str] | None = None, unknown_rate: float = 0.5,
             true_rate: float = 0.5, null_rate: float = 0.2
             ) -> st.SearchStrategy[dict[str, Any]]:
    """The `offence` mapping of a request.

    `category` from `categories` (default: every category of the contract);
    `max_penalty_years` mostly at and around the thresholds the loaded rules compare it
    with (0, t-1, t-0.5, t, t+0.5, t+1, 10000), sometimes any number from 0 to 10000,
    integers and fractions; the four offence flags true with probability `true_rate`.
    With `unknown`, each field is unknown (left out, or `null` with probability
    `null_rate`) with probability `unknown_rate`; without, every field is given.
    """
    _check_kb(kb)
    _flag(unknown, "unknown")
    cats = tuple(CATEGORIES if categories is None else _ids(categories, "categories"))
    for c in cats:
        if c not in CATEGORIES:
            raise InvalidArgument(f"unknown offence category '{c}'")
    if not cats:
        raise InvalidArgument("categories is empty")
    unknown_pct = _percent(unknown_rate, "unknown_rate") if unknown else 0
    true_pct = _percent(true_rate, "true_rate")
    null_pct = _percent(null_rate, "null_rate")

    return _draw_offence(kb, cats, unknown_pct, true_pct, null_pct)


_ANY_PENALTY = (st.integers(0, MAX_PENALTY) | st.floats(0, MAX_PENALTY, allow_nan=False)).map(
    lambda v: _plain_number(v))


@st.composite
def _draw_offence(draw: st.DrawFn, kb: KnowledgeBase | None, cats: tuple[str, ...],
                  unknown_pct: int, true_pct: int, null_pct: int) -> dict[str, Any]:
    out: dict[str, Any] = {}

    def field(name: str, value: st.SearchStrategy[Any]) -> None:
        if _known(draw, unknown_pct):
            out[name] = draw(value)
        elif draw(st.integers(0, 99)) < null_pct:
            out[name] = None

    field("category", st.sampled_from(cats))
    near = st.sampled_from(_penalty_values(_kb(kb))).map(_plain_number)
    field("max_penalty_years", near | _ANY_PENALTY)
    for flag in OFFENCE_FLAGS:
        if _known(draw, unknown_pct):
            out[flag] = _true(draw, true_pct)
        elif draw(st.integers(0, 99)) < null_pct:
            out[flag] = None
    return out


def _plain_number(value: float) -> int | float:
    """5.0 -> 5 (a request file writes whole years as integers)."""
    return int(value) if float(value).is_integer() else float(value)


# -- States and dates ---------------------------------------------------------------------------


_CACHE: weakref.WeakKeyDictionary[Any, dict[Any, Any]] = weakref.WeakKeyDictionary()


def _cached(kb: KnowledgeBase, key: Any, compute: Any) -> Any:
    table = _CACHE.setdefault(kb, {})
    if key not in table:
        table[key] = compute()
    return table[key]


def _instrument(kb: KnowledgeBase, instrument: str) -> Any:
    if instrument not in kb.instruments:
        from coop_logic.errors import did_you_mean

        raise InvalidArgument(f"instrument '{instrument}' is not loaded"
                              f"{did_you_mean(instrument, kb.instruments)}; loaded: "
                              f"{', '.join(kb.ids)}")
    return kb.instruments[instrument]


def _named_states(data: PartyData) -> list[str]:
    """The States a party-data record names (Parties, non-Parties, unresolved)."""
    named = set(data.entries) | set(data.non_parties) | set(data.unresolved or ())
    named |= {r.state for r in data.reservations}
    for name in data.protocols:
        named |= set(protocol_data(data, name).entries)
    return sorted(s for s in named if state_table().is_state(s))


def _status_groups(kb: KnowledgeBase, instrument: str, date: dt.date
                   ) -> dict[bool | None, list[str]]:
    """Every State, by its party status for `instrument` on `date` (True, False, None)."""

    def compute() -> dict[bool | None, list[str]]:
        data = _instrument(kb, instrument).parties
        groups: dict[bool | None, list[str]] = {True: [], False: [], None: []}
        for code in sorted(state_table().names):
            groups[party_status(data, code, date).value].append(code)
        return groups

    return _cached(kb, ("status", instrument, date), compute)


def _all_named(kb: KnowledgeBase) -> list[str]:
    def compute() -> list[str]:
        named: set[str] = set()
        for inst in kb.instruments.values():
            named |= set(_named_states(inst.parties))
        return sorted(named)

    return _cached(kb, ("named",), compute)


def _as_date(value: dt.date | str | None) -> dt.date:
    if value is None:
        return dt.date.today()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else _no_date(value)
    except ValueError:
        return _no_date(value)


def _no_date(value: Any) -> dt.date:
    raise InvalidArgument(f"{value!r} is not a date: expected a datetime.date or ISO text "
                          "YYYY-MM-DD")


def state_pairs(instrument: str | None = None, kb: KnowledgeBase | None = None,
                date: dt.date | str | None = None, *, bound: bool | None = True
                ) -> st.SearchStrategy[tuple[str, str]]:
    """(requesting, requested) pairs of distinct ISO 3166-1 alpha-2 codes.

    Without `instrument`: any two States, mostly ones the loaded party data names.
    With `instrument`, the pair is chosen by the instrument's party data on `date`
    (default: today; use the same date in the request):

    - `bound=True` (default): both States are Parties on that date;
    - `bound=False`: at least one of them is recorded as not a Party on that date;
    - `bound=None`: any two States the party data names, Parties, non-Parties and States
      whose status the data leaves unknown alike.

    Drawing fails (InvalidArgument) when the data has no such pair on the date.
    """
    if not (bound is None or isinstance(bound, bool)):
        raise InvalidArgument(f"bound={bound!r}: expected True, False or None")
    _check_kb(kb)
    if instrument is not None:
        _instrument_id(instrument)
    return _draw_pair(kb, instrument, _as_date(date), bound)


def _one(draw: st.DrawFn, pool: list[str], exclude: str | None = None) -> str:
    """One element of `pool` other than `exclude` (drawn by index: no filtering); from
    every State when `pool` holds nothing else."""
    choices = [s for s in pool if s != exclude] if exclude in pool else pool
    if not choices:
        choices = [s for s in sorted(state_table().names) if s != exclude]
    return choices[draw(st.integers(0, len(choices) - 1))]


@st.composite
def _draw_pair(draw: st.DrawFn, kb: KnowledgeBase | None, instrument: str | None,
               when: dt.date, bound: bool | None) -> tuple[str, str]:
    the_kb = _kb(kb)
    everyone = sorted(state_table().names)
    if instrument is None:
        named = _all_named(the_kb)
        first = _one(draw, named if draw(st.integers(0, 3)) else everyone)
        return first, _one(draw, named if draw(st.integers(0, 3)) else everyone, first)
    groups = _status_groups(the_kb, instrument, when)
    if bound is True:
        parties = groups[True]
        if len(parties) < 2:
            raise InvalidArgument(f"fewer than two States are Parties to {instrument} "
                                  f"on {when.isoformat()} in the loaded party data")
        first = _one(draw, parties)
        return first, _one(draw, parties, first)
    if bound is False:
        outside = groups[False]
        if not outside:
            raise InvalidArgument(f"no State is recorded as not a Party to {instrument} "
                                  f"on {when.isoformat()}")
        out = _one(draw, outside)
        other = _one(draw, groups[True] if groups[True] and draw(st.booleans()) else everyone,
                     out)
        return (out, other) if draw(st.booleans()) else (other, out)
    named = _named_states(_instrument(the_kb, instrument).parties) or everyone
    pools = [p for p in (named, groups[None], everyone) if p]
    first = _one(draw, pools[draw(st.integers(0, len(pools) - 1))])
    return first, _one(draw, pools[draw(st.integers(0, len(pools) - 1))], first)


def _key_dates(kb: KnowledgeBase, instrument: str, state: str | None) -> list[dt.date]:
    def compute() -> list[dt.date]:
        data = _instrument(kb, instrument).parties
        records = [data, *(protocol_data(data, name) for name in sorted(data.protocols))]
        found: set[dt.date] = set()
        for rec in records:
            found |= {d for d in (rec.as_of, rec.entry_into_force) if d}
            for code, entry in rec.entries.items():
                if state is None or code == state:
                    found |= {d for d in (entry.in_force, entry.withdrawn) if d}
            for res in rec.reservations:
                if state is None or res.state == state:
                    found |= {d for d in (res.in_force, res.withdrawn) if d}
        return sorted(d for d in found if dt.date(1900, 1, 1) <= d <= MAX_DATE)

    return _cached(kb, ("dates", instrument, state), compute)


def dates_around(instrument: str, state: str | None = None, *,
                 kb: KnowledgeBase | None = None, spread: int = 30
                 ) -> st.SearchStrategy[dt.date]:
    """Dates at and around the dates `instrument`'s party data records for `state`.

    The key dates are the State's entry into force and withdrawal (for the instrument
    and its protocols), its reservations' dates, and the data's `as_of` and general
    `entry_into_force`; without `state`, those of every State. Drawn: a key date itself,
    the day before or after it, or a day within `spread` days of it. Where the data
    records no date (e.g. comity), any date from 1990 to 2035. Dates are `datetime.date`
    values; a request takes them as they are or as `.isoformat()` text.
    """
    if isinstance(spread, bool) or not isinstance(spread, numbers.Integral) or spread < 1:
        raise InvalidArgument(f"spread={spread!r}: expected a number of days >= 1")
    _check_kb(kb)
    _instrument_id(instrument)
    if state is not None and not isinstance(state, str):
        raise InvalidArgument(f"state={state!r}: expected a State code or None")
    return _draw_date(kb, instrument, state, spread)


_ANY_DATE = st.dates(MIN_DATE, MAX_DATE)


@st.composite
def _draw_date(draw: st.DrawFn, kb: KnowledgeBase | None, instrument: str, state: str | None,
               spread: int) -> dt.date:
    keys = _key_dates(_kb(kb), instrument, state)
    if not keys:
        return draw(_ANY_DATE)
    key = keys[draw(st.integers(0, len(keys) - 1))]
    offset = draw(st.sampled_from((0, -1, 1)) | st.integers(-spread, spread))
    try:
        return key + dt.timedelta(days=offset)
    except OverflowError:
        return key


# -- whole requests ------------------------------------------------------------------------------


def requests(
    kb: KnowledgeBase | None = None,
    *,
    measures: Iterable[str] | st.SearchStrategy[str] | None = None,
    states: Iterable[str] | st.SearchStrategy[tuple[str, str]] | None = None,
    dates: Iterable[dt.date | str] | st.SearchStrategy[dt.date | str] | None = None,
    instruments: Iterable[str] | None = None,
    closed_world: bool = False,
    unknown_rate: float = 0.5,
    true_rate: float = 0.25,
    facts: Mapping[str, bool | None] | None = None,
    categories: Iterable[str] | None = None,
) -> st.SearchStrategy[dict[str, Any]]:
    """Request mappings in the contract's format (dates as ISO text), always valid.

    - `measures`: measure ids to draw from (default: all), or a strategy of ids.
    - `states`: State codes to draw two distinct ones from, or a strategy of
      (requesting, requested) pairs such as `state_pairs("budapest", date=...)`. Default:
      half the time two Parties to a randomly chosen treaty on the request's date (so
      that treaties apply), otherwise any two States, mostly ones the data names.
    - `dates`: dates to draw from, or a strategy of dates. Default: half the time dates
      around the dates the party data of a random treaty records (`dates_around`),
      otherwise any date from 1990 to 2035.
    - `instruments`: when given, the request's `instruments` field (comity is always
      considered besides).
    - `closed_world`: every fact and offence flag is given (none is unknown): the request
      as the closed-world reading sees it (category and penalty, which that reading does
      not touch, may still be absent). Otherwise each fact and each offence field is
      unknown (left out, sometimes `null`) with probability `unknown_rate`.
    - `true_rate`: the probability that a given fact is true.
    - `facts`: facts pinned to a value in every request drawn, e.g.
      `{"political_offence": False}`; `None` as a value pins the fact unknown (left out;
      not with `closed_world`). The other facts are drawn as above.
    - `categories`: the offence category of every request drawn is one of these (never
      unknown).

        requests(facts={"political_offence": False}, categories=["fraud"],
                 dates=st.dates(dt.date(2024, 1, 1), dt.date(2026, 12, 31)))
    """
    pins = _pins(facts, closed_world)
    cats = None if categories is None else _categories(categories)
    _check_kb(kb)
    _flag(closed_world, "closed_world")
    if isinstance(measures, st.SearchStrategy):
        measure_st = measures
    else:
        chosen = tuple(MEASURES if measures is None else _ids(measures, "measures"))
        for m in chosen:
            if m not in MEASURES:
                raise InvalidArgument(f"unknown measure '{m}'")
        if not chosen:
            raise InvalidArgument("measures is empty")
        measure_st = st.sampled_from(chosen)
    pair_st: st.SearchStrategy[tuple[str, str]] | None
    if states is None or isinstance(states, st.SearchStrategy):
        pair_st = states
    else:
        codes = tuple(dict.fromkeys(_ids(states, "states")))
        for code in codes:
            if not state_table().is_state(code):
                raise InvalidArgument(f"'{code}' is not an ISO 3166-1 alpha-2 code")
        if len(codes) < 2:
            raise InvalidArgument("states must name at least two States")
        pair_st = _draw_pair_from(codes)
    date_st: st.SearchStrategy[Any] | None
    if dates is None or isinstance(dates, st.SearchStrategy):
        date_st = dates
    else:
        if isinstance(dates, str | dt.date):
            dates = [dates]
        if not isinstance(dates, Iterable):
            raise InvalidArgument(f"dates={dates!r}: expected dates or a strategy of dates")
        chosen_dates = [_as_date(d) for d in dates]
        if not chosen_dates:
            raise InvalidArgument("dates is empty")
        date_st = st.sampled_from(chosen_dates)
    wanted = None if instruments is None else _ids(instruments, "instruments")
    if wanted is not None and not wanted:
        raise InvalidArgument("instruments is empty: expected at least one instrument id")
    fact_st = _fact_mappings(unknown=not closed_world, unknown_rate=unknown_rate,
                             true_rate=true_rate)
    offence_st = (offences(unknown=False, kb=kb, true_rate=0.5) if closed_world
                  else offences(unknown=True, kb=kb, unknown_rate=unknown_rate))
    drawn = _draw_request(kb, measure_st, pair_st, date_st, offence_st, fact_st,
                          wanted, closed_world,
                          _percent(unknown_rate, "unknown_rate"))
    return _pinned(drawn, pins, cats) if pins or cats else drawn


def _pins(pins: Any, closed_world: bool) -> dict[str, bool | None]:
    if pins is None:
        return {}
    if not isinstance(pins, Mapping):
        raise InvalidArgument(f"facts={pins!r}: expected a mapping of fact ids to True, False "
                              "or None")
    for name, value in pins.items():
        if name not in FACTS:
            from coop_logic.errors import did_you_mean

            raise InvalidArgument(f"facts: unknown fact {name!r}{did_you_mean(str(name), FACTS)}")
        if not (value is None or isinstance(value, bool)):
            raise InvalidArgument(f"facts[{name!r}]={value!r}: expected True, False or None")
        if value is None and closed_world:
            raise InvalidArgument(f"facts[{name!r}]=None pins the fact unknown, which "
                                  "closed_world=True never leaves a fact")
    return dict(pins)


def _categories(categories: Any) -> tuple[str, ...]:
    cats = _ids(categories, "categories")
    for c in cats:
        if c not in CATEGORIES:
            raise InvalidArgument(f"unknown offence category '{c}'")
    if not cats:
        raise InvalidArgument("categories is empty")
    return cats


@st.composite
def _pinned(draw: st.DrawFn, drawn: st.SearchStrategy[dict[str, Any]],
            pins: dict[str, bool | None], cats: tuple[str, ...] | None) -> dict[str, Any]:
    """A drawn request with the pinned facts set (or left out) and a category from `cats`."""
    request = draw(drawn)
    if pins:
        fact_map = {k: v for k, v in (request.get("facts") or {}).items() if k not in pins}
        fact_map.update({k: v for k, v in pins.items() if v is not None})
        request["facts"] = fact_map
    if cats is not None:
        offence = request.get("offence") or {}
        if offence.get("category") not in cats:
            offence["category"] = draw(st.sampled_from(cats))
        request["offence"] = offence
    return request


@st.composite
def _draw_pair_from(draw: st.DrawFn, codes: tuple[str, ...]) -> tuple[str, str]:
    first = _one(draw, list(codes))
    return first, _one(draw, list(codes), first)


@st.composite
def _draw_request(draw: st.DrawFn, kb: KnowledgeBase | None, measure_st: Any, pair_st: Any,
                  date_st: Any, offence_st: Any, fact_st: Any,
                  instruments: tuple[str, ...] | None, closed_world: bool,
                  unknown_pct: int) -> dict[str, Any]:
    the_kb = _kb(kb)
    for inst in instruments or ():
        _instrument(the_kb, inst)
    treaties = _cached(the_kb, ("treaties",), lambda: [
        i for i, inst in the_kb.instruments.items() if inst.parties.completeness != "all"])
    if date_st is not None:
        date = _as_date(draw(date_st))
    elif treaties and draw(st.booleans()):
        date = draw(_draw_date(the_kb, _one(draw, treaties), None, 30))
    else:
        date = draw(_ANY_DATE)
    pair = None
    if pair_st is not None:
        pair = draw(pair_st)
    elif treaties and draw(st.booleans()):
        inst = _one(draw, treaties)
        if len(_status_groups(the_kb, inst, date)[True]) >= 2:
            pair = draw(_draw_pair(the_kb, inst, date, True))
    if pair is None:
        pair = draw(_draw_pair(the_kb, None, date, None))
    request: dict[str, Any] = {
        "requesting_state": pair[0],
        "requested_state": pair[1],
        "measure": draw(measure_st),
        "date": date.isoformat(),
    }
    offence = draw(offence_st)
    if closed_world:
        # Category and penalty are no Booleans: the closed-world reading leaves them open.
        for name in ("category", "max_penalty_years"):
            if not _known(draw, unknown_pct):
                offence.pop(name)
        request["offence"] = offence
        request["facts"] = draw(fact_st)
    else:
        # A quarter of the unknowns are whole sections: left out, or null.
        for key, value in (("offence", offence), ("facts", draw(fact_st))):
            if _known(draw, unknown_pct // 4):
                request[key] = value
            elif draw(st.booleans()):
                request[key] = None
    if instruments is not None:
        request["instruments"] = list(instruments)
    return request
