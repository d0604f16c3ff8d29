"""Practitioner networks (`specs/networks/`, `coop_logic.spec.networks`): the bundled data is
dated and sourced, a bad file is refused naming file, line and field, user files merge
State by State, and a network serves a request only when its measure fits and both States
belong (with the role a network may require)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

import coop_logic
from coop_logic.errors import SpecError
from coop_logic.model.request import Request
from coop_logic.practice.plan import plan
from coop_logic.spec.networks import load_networks, membership, read_network_file, serving
from coop_logic.vocabulary import MEASURES
from tests.helpers import make_request
from tests.helpers import run_cli as run

EXE = Path(sys.executable).parent / "coop-logic"
REPO = Path(__file__).resolve().parents[2]
NETWORKS = REPO / "specs" / "networks"
EXPECTED = {"budapest_24_7", "commonwealth_cncp", "ejn", "eurojust", "g7_24_7", "iberred",
            "oas_remja", "pcj_coi", "pcjs_sahel", "unodc_cna"}
TWENTY_FOUR_SEVEN = {"expedited_preservation", "contact_point_assistance",
                     "traffic_data_disclosure", "information_sharing"}


def served(kb: Any, requesting: str, requested: str, measure: str) -> set[str]:
    request = Request.from_dict(make_request(requesting, requested, measure))
    return {n.id for n in serving(kb, request)}


# -- the bundled data -----------------------------------------------------------------------


def test_every_network_of_the_issue_is_shipped_with_dated_sourced_data():
    nets = load_networks([NETWORKS])
    assert set(nets) == EXPECTED
    for net in nets.values():
        assert net.as_of is not None, net.id
        assert net.completeness in {"complete", "partial"}, net.id
        assert net.sources and all(s.url.startswith(("http://", "https://"))
                                   for s in net.sources), net.id
        assert net.serves and net.serves <= set(MEASURES), net.id
        assert net.members or net.derived_from, net.id
        assert net.not_sourced, f"{net.id} says nothing of what could not be sourced"


def test_a_partial_list_says_so_and_names_the_gap():
    nets = load_networks([NETWORKS])
    assert nets["g7_24_7"].completeness == "partial"
    assert "not published" in nets["g7_24_7"].not_sourced
    assert set(nets["g7_24_7"].members) == {"CA", "FR", "DE", "IT", "JP", "GB", "US"}


def test_what_a_network_serves_is_data_not_code():
    nets = load_networks([NETWORKS])
    assert nets["budapest_24_7"].serves == TWENTY_FOUR_SEVEN
    assert nets["g7_24_7"].serves == TWENTY_FOUR_SEVEN
    for judicial in ("ejn", "eurojust", "iberred", "oas_remja"):
        assert {"extradition", "evidence_collection"} <= nets[judicial].serves
        assert "contact_point_assistance" not in nets[judicial].serves


def test_listed_members_cite_their_own_source_where_one_was_read():
    nets = load_networks([NETWORKS])
    for net_id in ("ejn", "iberred", "commonwealth_cncp", "pcjs_sahel", "pcj_coi", "oas_remja"):
        assert all(m.source for m in nets[net_id].members.values()), net_id


def test_the_budapest_24_7_network_is_derived_from_the_budapest_party_data(kb):
    net = kb.networks["budapest_24_7"]
    assert net.derived_from == "budapest" and not net.members
    day = Request.from_dict(make_request()).date
    ng = membership(net, "NG", day, kb.instruments)
    assert ng.value is True and "a Party to budapest" in ng.basis
    assert membership(net, "CN", day, kb.instruments).value is False
    # Before Nigeria became a Party (in force 2022-11-01), it was not a member.
    early = membership(net, "NG", Request.from_dict(make_request(date="2020-01-01")).date,
                       kb.instruments)
    assert early.value is False


# -- which networks serve a request ---------------------------------------------------------


def test_eu_surrender_is_served_by_the_ejn_and_eurojust(kb):
    assert {"ejn", "eurojust", "unodc_cna"} <= served(kb, "FR", "IT", "extradition")


def test_preservation_between_budapest_parties_is_served_by_the_24_7_network(kb):
    nets = served(kb, "NG", "GH", "expedited_preservation")
    assert "budapest_24_7" in nets
    assert "g7_24_7" not in nets  # neither State is on the (partial) G7 list


def test_a_24_7_network_does_not_serve_an_extradition(kb):
    assert not served(kb, "FR", "US", "extradition") & {"budapest_24_7", "g7_24_7"}
    assert {"budapest_24_7", "g7_24_7"} <= served(kb, "FR", "US", "expedited_preservation")


def test_eurojust_needs_a_member_state_on_one_side(kb):
    assert "eurojust" in served(kb, "DE", "US", "extradition")  # US: a liaison prosecutor
    assert "eurojust" not in served(kb, "US", "CH", "evidence_collection")  # two third States


def test_the_regional_platforms_serve_their_members(kb):
    assert "pcjs_sahel" in served(kb, "ML", "SN", "extradition")
    assert "pcj_coi" in served(kb, "MU", "FR", "evidence_collection")
    assert "iberred" in served(kb, "BR", "PT", "stored_data_access")
    assert "commonwealth_cncp" in served(kb, "NG", "GH", "evidence_collection")
    assert "oas_remja" in served(kb, "CA", "MX", "extradition")
    assert "pcjs_sahel" not in served(kb, "ML", "FR", "extradition")


def test_plan_lists_the_networks_in_its_result_and_json(kb):
    p = plan(kb, make_request("FR", "IT", "extradition"))
    assert {"ejn", "eurojust"} <= {n.id for n in p.networks}
    data = p.to_dict()
    ejn = next(n for n in data["networks"] if n["id"] == "ejn")
    assert ejn["requesting_state"]["member"] is True
    assert ejn["requested_state"]["source"].startswith("https://")


# -- user files -----------------------------------------------------------------------------


def test_a_user_file_adds_a_state_to_a_network(tmp_path, load_kb):
    extra = tmp_path / "g7.yaml"
    extra.write_text("network: g7_24_7\nas_of: 2026-11-01\nmembers:\n"
                     "  - {state: IN, source: https://example.org/in}\n", encoding="utf-8")
    kb = load_kb(networks=[extra])
    assert "g7_24_7" in served(kb, "IN", "US", "expedited_preservation")
    assert "g7_24_7" not in served(coop_logic.load(), "IN", "US", "expedited_preservation")
    # The other members stay; the new entry keeps its own source and the file's date.
    net = kb.networks["g7_24_7"]
    assert {"IN", "US", "FR"} <= set(net.members)
    found = membership(net, "IN", Request.from_dict(make_request()).date)
    assert found.source == "https://example.org/in"
    assert "in data as of 2026-11-01" in found.basis


def test_a_user_file_can_record_that_a_state_is_not_a_member(tmp_path, load_kb):
    extra = tmp_path / "ejn.yaml"
    extra.write_text("network: ejn\nmembers:\n  - {state: IT, member: false}\n",
                     encoding="utf-8")
    kb = load_kb(networks=[extra])
    assert "ejn" not in served(kb, "FR", "IT", "extradition")


def test_a_user_file_can_add_a_network(tmp_path, load_kb):
    extra = tmp_path / "new.yaml"
    extra.write_text(
        "network: test_net\nname: Test network\nas_of: 2026-01-01\ncompleteness: complete\n"
        "sources: [{url: https://example.org/net}]\n"
        "serves: {measures: [evidence_collection]}\n"
        "members: [{state: FR}, {state: US, since: 2027-01-01}]\n", encoding="utf-8")
    kb = load_kb(networks=[extra])
    assert "test_net" not in served(kb, "FR", "US", "evidence_collection")  # US from 2027
    later = Request.from_dict(make_request("FR", "US", "evidence_collection", date="2027-06-01"))
    assert "test_net" in {n.id for n in serving(kb, later)}


BAD = [
    ("network: ejn\ncolour: blue\n", "colour", 2),
    ("network: x\nname: X\nsources: [{url: https://e.org}]\nserves: {measures: [hacking]}\n"
     "members: [{state: FR}]\n", "serves.measures[0]", 4),
    ("network: x\nname: X\nsources: [{url: https://e.org}]\nserves: {measures: [extradition]}\n"
     "members:\n  - {state: FRA}\n", "members[0].state", 6),
    ("network: ejn\nmembers:\n  - {state: FR}\n  - {state: FR}\n", "members[1].state", 4),
    ("network: ejn\nmembers:\n  - {state: FR, since: 2020-01-01, until: 2019-01-01}\n",
     "members[0].until", 3),
    ("network: ejn\ncompleteness: maybe\n", "completeness", 2),
    ("network: ejn\nas_of: yesterday\n", "as_of", 2),
]


@pytest.mark.parametrize(("text", "field", "line"), BAD)
def test_a_bad_network_file_is_refused_naming_file_line_and_field(tmp_path, load_kb, text,
                                                                  field, line):
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(SpecError) as err:
        load_kb(networks=[bad])
    assert err.value.file == str(bad)
    assert err.value.field == field
    assert err.value.line == line


def test_a_new_network_must_say_what_it_serves(tmp_path):
    bad = tmp_path / "new.yaml"
    bad.write_text("network: fresh\nname: Fresh\nsources: [{url: https://e.org}]\n"
                   "members: [{state: FR}]\n", encoding="utf-8")
    with pytest.raises(SpecError, match="serves"):
        load_networks([NETWORKS], [bad])


def test_a_network_derived_from_an_unloaded_instrument_is_refused(tmp_path, load_kb):
    bad = tmp_path / "d.yaml"
    bad.write_text("network: d\nname: D\nsources: [{url: https://e.org}]\n"
                   "serves: {measures: [extradition]}\nderived_from: no_such_treaty\n",
                   encoding="utf-8")
    with pytest.raises(SpecError) as err:
        load_kb(networks=[bad])
    assert err.value.field == "derived_from" and err.value.line == 5


def test_every_bundled_file_reads_alone():
    for path in sorted(NETWORKS.glob("*.yaml")):
        assert read_network_file(path).id == path.stem


# -- through the command --------------------------------------------------------------------




def test_plan_takes_a_networks_file_and_shows_the_networks(tmp_path):
    request = tmp_path / "req.yaml"
    request.write_text(json.dumps(make_request("IN", "US", "expedited_preservation")),
                       encoding="utf-8")
    extra = tmp_path / "g7.yaml"
    extra.write_text("network: g7_24_7\nmembers: [{state: IN}]\n", encoding="utf-8")
    proc = run("plan", request, "--networks", extra, "--json")
    assert proc.returncode == 0, proc.stderr
    assert "g7_24_7" in {n["id"] for n in json.loads(proc.stdout)["networks"]}
    text = run("plan", request, "--networks", extra)
    assert "Networks both States belong to that serve this request:" in text.stdout
    assert "G7 24/7 High Tech Crime Network" in text.stdout


def test_a_bad_networks_file_exits_2_naming_it(tmp_path):
    request = tmp_path / "req.yaml"
    request.write_text(json.dumps(make_request()), encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text("network: ejn\nmembers:\n  - {state: XX}\n", encoding="utf-8")
    proc = run("plan", request, "--networks", bad)
    assert proc.returncode == 2 and proc.stdout == ""
    assert f"{bad}:3" in proc.stderr and "members[0].state" in proc.stderr
