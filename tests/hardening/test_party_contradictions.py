"""Party data that contradicts itself is an error with file, line and field: a State both a
Party and not a Party, a withdrawal before the entry into force, a State listed twice with
different dates, and party data for an instrument that binds every State (comity)."""

from __future__ import annotations

import pytest

import coop_logic
from coop_logic.errors import SpecError

from .cli_helpers import GOOD, assert_refused, run

HEAD = """\
instrument: budapest
as_of: 2026-01-01
sources: [{url: https://example.org/list, note: Test data.}]
completeness: partial
"""


def party_file(tmp_path, body: str, instrument: str = "budapest"):
    path = tmp_path / "parties.yaml"
    path.write_text(HEAD.replace("budapest", instrument) + body)
    return path


@pytest.mark.parametrize(("body", "line", "field", "words"), [
    ("parties:\n  - {state: FR, name: France, in_force: 2006-05-01}\n"
     "non_parties:\n  - {state: FR}\n", 8, "non_parties[0].state",
     ["both as a Party and as not a Party"]),
    ("parties:\n  - {state: FR, name: France, in_force: 2006-05-01, withdrawn: 2005-01-01}\n",
     6, "parties[0].withdrawn", ["before in_force"]),
    ("parties:\n  - {state: FR, name: France, in_force: 2006-05-01}\n"
     "additional_parties:\n  - {state: FR, name: France, in_force: 2010-01-01}\n", 8,
     "additional_parties[0]", ["listed twice", "different dates"]),
    ("parties:\n  - {state: FR, name: France, in_force: 2006-05-01}\n"
     "  - {state: FR, name: France, in_force: 2010-01-01}\n", 7, "parties[1]",
     ["listed twice"]),
])
def test_contradictory_party_data_is_refused_with_line_and_field(tmp_path, body, line, field,
                                                                   words):
    path = party_file(tmp_path, body)
    with pytest.raises(SpecError) as info:
        coop_logic.load(parties=[path])
    assert (info.value.file, info.value.line, info.value.field) == (str(path), line, field)
    for word in words:
        assert word in str(info.value)


def test_party_data_for_comity_is_refused_at_the_command_line(tmp_path):
    path = party_file(tmp_path, "parties:\n  - {state: FR, name: France, in_force: 2006-05-01}\n",
                      instrument="comity")
    request = tmp_path / "request.yaml"
    request.write_text(GOOD)
    assert_refused(run("check", request, "--parties", path), f"{path}:1:", "instrument",
                   "binds every State")


def test_consistent_party_data_still_loads(tmp_path):
    path = party_file(tmp_path, "parties:\n  - {state: FR, name: France, in_force: 2006-05-01,"
                      " withdrawn: 2030-01-01}\nadditional_parties:\n  - {state: FR, name: "
                      "France, in_force: 2006-05-01, withdrawn: 2030-01-01}\n"
                      "non_parties:\n  - {state: KP}\n")
    kb = coop_logic.load(parties=[path])
    assert kb.instruments["budapest"].parties.entries["FR"].withdrawn.year == 2030
