"""ISO 3166-1 alpha-2 State codes and UN membership, from the bundled `data/states.yaml`.

Used to validate State codes in requests and party data, and to expand party lists given
by complement (`parties: all_un_members`).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import attrs

from coop_logic.errors import SpecError
from coop_logic.io.documents import load_file


@attrs.frozen
class StateTable:
    names: dict[str, str]
    un_members: frozenset[str]
    as_of: str
    source: str

    def is_state(self, code: str) -> bool:
        return code in self.names

    def name(self, code: str) -> str:
        return self.names.get(code, code)


@cache
def state_table() -> StateTable:
    """The bundled table, read once per process."""
    data = load_file(Path(__file__).resolve().parents[1] / "data" / "states.yaml",
                     SpecError).data
    names: dict[str, str] = {}
    members: set[str] = set()
    for entry in data["states"]:
        code = "NO" if entry["code"] is False else str(entry["code"])
        names[code] = entry["name"]
        if entry.get("un_member"):
            members.add(code)
    return StateTable(names, frozenset(members), str(data["as_of"]), data["sources"][0]["url"])
