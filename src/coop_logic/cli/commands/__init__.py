"""The verbs of `coop-logic`, one module each, in the order `--help` lists them.

The table names each verb's module and its one-line summary, so that `coop-logic --help`
lists the verbs without importing any of them (as pip's `commands_dict`); a verb's module
is imported only when that verb runs (or its own `--help` is asked). Each module defines
`command`, a click command. To add a verb: write `commands/<verb>.py` and add a line here.
"""

from __future__ import annotations

from typing import NamedTuple


class Verb(NamedTuple):
    module: str
    summary: str


VERBS: dict[str, Verb] = {
    "check": Verb("check", "Verdict of every instrument on a request."),
    "explain": Verb("explain", "The proof trace of each verdict on a request, for people."),
    "ask": Verb("ask", "The questions whose answers settle an undetermined verdict."),
    "whatif": Verb("whatif", "What would change a verdict to a target status."),
    "plan": Verb("plan", "The best legal basis for a request, with channels and checklist."),
    "memo": Verb("memo", "One page an adviser can file about a request."),
    "validate": Verb("validate", "Check requests, specs, party and network files."),
    "batch": Verb("batch", "Verdicts of many requests (JSON lines in, JSON lines out)."),
    "map": Verb("map", "The overall verdict for every ordered pair of States."),
    "verify": Verb("verify", "Formal checks of the specs, with counterexamples."),
    "test": Verb("test", "Run the examples written in the specs, with rule coverage."),
    "diff": Verb("diff", "Whether a new version of the law or data is stricter or laxer."),
    "doc": Verb("doc", "The review page of each instrument, for lawyers."),
    "schema": Verb("schema", "The JSON Schema of requests, specs or party files."),
    "export-smt2": Verb("export_smt2", "An instrument's constraints as SMT-LIB 2."),
}
