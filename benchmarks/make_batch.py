"""Generate a JSONL batch of random requests, for `coop-logic batch` benchmarks and tests.

    python benchmarks/make_batch.py 100000 > requests.jsonl
    python benchmarks/make_batch.py 1000 --open 0.2 --bad-every 97 --seed 7 -o small.jsonl

Each line is one request in the contract's format (section 1), between two UN Member
States (or the non-member Parties in the bundled data), for a random measure, offence
and date from 2020 to 2026. By default every fact and offence field is given (most facts
false, as in an ordinary request), so that a verdict is undetermined only where party
data is: that is the common case for a practitioner's batch. `--open P` leaves the facts
and offence flags of a fraction P of the requests unknown (open world: those cost several
solver checks each, for `possible` and `depends_on`). `--bad-every K` makes every K-th line
a bad one (malformed JSON, an unknown measure, a missing field, ...), to exercise the
per-line error records. The output depends only on the arguments (a seeded generator).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
from collections.abc import Iterator
from typing import Any, TextIO

from coop_logic.io.state_codes import state_table
from coop_logic.vocabulary import CATEGORIES, FACTS, MEASURES, OFFENCE_FLAGS

_BAD_LINES = (
    '{"requesting_state": "FR", "requested_state": "US", "measure": ',
    '{"requesting_state": "FR", "requested_state": "US", "measure": "quick_freeze"}',
    '{"requesting_state": "FR", "measure": "extradition"}',
    '{"requesting_state": "FR", "requested_state": "FR", "measure": "extradition"}',
    '{"requesting_state": "fr", "requested_state": "US", "measure": "extradition"}',
    '["FR", "US", "extradition"]',
    '{"requesting_state": "FR", "requested_state": "US", "measure": "extradition", '
    '"facts": {"politcal_offence": true}}',
    '{"requesting_state": "FR", "requested_state": "US", "measure": "extradition", '
    '"offence": {"max_penalty_years": -1}}',
    '{"requesting_state": "FR", "requested_state": "US", "measure": "extradition", '
    '"date": "2026-02-30"}',
    '{"requesting_state": "FR", "requested_state": "US", "measure": "extradition", '
    '"instruments": ["budapset"]}',
)

_FIRST = dt.date(2020, 1, 1)
_DAYS = (dt.date(2026, 12, 31) - _FIRST).days


def requests(n: int, *, seed: int = 0, open_fraction: float = 0.0,
             bad_every: int = 0, states_count: int = 0) -> Iterator[str]:
    """`n` JSON lines (requests, with a bad line every `bad_every` lines when > 0), between
    all the States, or a seeded sample of `states_count` of them."""
    rng = random.Random(seed)
    table = state_table()
    states = sorted(table.un_members | {"CK", "NU", "PS", "VA"})
    if states_count:
        states = sorted(rng.sample(states, states_count))
    for i in range(1, n + 1):
        if bad_every and i % bad_every == 0:
            yield _BAD_LINES[(i // bad_every) % len(_BAD_LINES)]
            continue
        yield json.dumps(_request(rng, states, open_world=rng.random() < open_fraction),
                         separators=(",", ":"))


def _request(rng: random.Random, states: list[str], *, open_world: bool) -> dict[str, Any]:
    requesting, requested = rng.sample(states, 2)
    request: dict[str, Any] = {
        "requesting_state": requesting,
        "requested_state": requested,
        "measure": rng.choice(MEASURES),
        "date": (_FIRST + dt.timedelta(days=rng.randrange(_DAYS + 1))).isoformat(),
    }
    offence: dict[str, Any] = {"category": rng.choice(CATEGORIES),
                               "max_penalty_years": rng.choice((0.5, 1, 2, 3, 5, 10, 20, 10000))}
    if not open_world:
        for flag in OFFENCE_FLAGS:
            offence[flag] = rng.random() < 0.5
        # an ordinary request: each exceptional fact established now and then
        request["facts"] = {f: rng.random() < 0.05 for f in FACTS}
    request["offence"] = offence
    return request


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of lines")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--open", dest="open_fraction", type=float, default=0.0,
                        help="fraction of requests with facts and offence flags unknown")
    parser.add_argument("--bad-every", type=int, default=0,
                        help="make every K-th line a bad one (0: none)")
    parser.add_argument("--states", dest="states_count", type=int, default=0,
                        help="draw the pairs from a seeded sample of this many States "
                             "(0: all)")
    parser.add_argument("-o", "--output", default=None, help="file to write (default stdout)")
    args = parser.parse_args(argv)
    out: TextIO = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout  # noqa: SIM115
    try:
        for line in requests(args.n, seed=args.seed, open_fraction=args.open_fraction,
                             bad_every=args.bad_every, states_count=args.states_count):
            out.write(line + "\n")
    finally:
        if out is not sys.stdout:
            out.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
