"""Party data that holds: per-State sources, undated entries, added dates, checked keys.

Pins the choices recorded in docs/modelling.md, "Input and data", and the corrections
listed in specs/parties/README.md.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import coop_logic
from coop_logic.explain.text import explanation_text
from coop_logic.spec.party_data import LIST_CITED, party_status, read_party_file, reservation_status
from tests.helpers import make_request, step

PARTIES = Path(__file__).resolve().parents[2] / "specs" / "parties"
A_TO_M_COPY = "https://inview.nl/document/ida9135c0f2679103f04a4f8f7d99c2d8c"
US_BUDAPEST = "https://japan2.usembassy.gov/e/p/2006/tp-20061002-04.html"
COE_CHART_185 = ("http://www.coe.int/en/web/conventions/full-list/-/conventions/treaty/185/"
                 "signatures?p_auth=igXbHmd5")
ILLEGAL_ACCESS = {"category": "illegal_access"}


def parties(name: str) -> coop_logic.model.instrument.PartyData:
    return read_party_file(PARTIES / f"{name}.yaml")


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


# -- each party step cites the State's own source ------------------------------------------


def test_a_budapest_party_step_for_the_us_cites_the_us_source_not_the_a_to_m_page(kb):
    verdict = kb.evaluate(make_request(offence=ILLEGAL_ACCESS), closed_world=True)["budapest"]
    us = step(verdict, "party:budapest:US")
    assert us.value is True
    assert us.source == US_BUDAPEST
    assert us.source != A_TO_M_COPY
    assert LIST_CITED not in us.basis


def test_a_party_step_prefers_the_official_coe_chart_where_it_shows_the_date(kb):
    verdict = kb.evaluate(make_request(offence=ILLEGAL_ACCESS), closed_world=True)["budapest"]
    france = step(verdict, "party:budapest:FR")
    assert france.source == COE_CHART_185
    assert "2006-05-01" in france.basis


def test_a_state_absent_from_the_list_cites_the_source_for_the_whole_list_and_says_so(kb):
    verdict = kb.evaluate(make_request(requesting="CN", offence=ILLEGAL_ACCESS),
                          closed_world=True)["budapest"]
    china = step(verdict, "party:budapest:CN")
    assert china.value is False
    assert china.source == parties("budapest").source_text
    assert china.source == "https://www.coe.int/en/web/cybercrime/the-budapest-convention"
    assert china.basis.endswith(f"({LIST_CITED})")


def test_a_un_member_under_the_untoc_complement_list_cites_the_un_treaty_collection():
    fact = party_status(parties("untoc"), "FR", day("2025-01-01"))
    assert fact.value is True
    assert "treaties.un.org" in fact.source
    assert LIST_CITED in fact.basis


def test_a_reservation_step_cites_the_reservations_own_source(kb):
    request = make_request(requesting="CH", requested="NO", measure="stored_data_access",
                           date="2020-01-01", offence={"category": "fraud"},
                           facts={"no_dual_criminality": True})
    verdict = kb.evaluate(request, closed_world=True)["ecma_1959"]
    assert verdict.status == "refusable"
    norway = step(verdict, "reservation:ecma_1959:art5_search:NO")
    assert norway.value is True
    assert norway.source == "https://zaki.ru/pagesnew.php?id=57601&page=42"


def test_an_override_entry_without_a_source_cites_its_own_file_not_the_bundled_list(
        load_kb, tmp_path):
    path = tmp_path / "budapest_override.yaml"
    path.write_text(
        "instrument: budapest\ncompleteness: partial\n"
        "sources: [{url: 'https://example.org/romania', note: Test.}]\n"
        "parties:\n  - {state: RO, name: Romania, in_force: 2004-09-01}\n", "utf-8")
    data = load_kb(parties=[path]).instruments["budapest"].parties
    romania = party_status(data, "RO", day("2010-01-01"))
    assert romania.value is True
    assert romania.source == "https://example.org/romania"
    assert LIST_CITED in romania.basis
    assert party_status(data, "US", day("2010-01-01")).source == US_BUDAPEST


# -- an undated entry is worded as what it is ----------------------------------------------


def test_an_undated_party_is_listed_in_data_of_a_date_not_bound_as_of_it():
    fact = party_status(parties("budapest"), "NO", day("2026-06-01"))
    assert fact.value is True
    assert fact.basis.startswith("listed as a Party in data as of 2026-01-14; "
                                 "date of entry into force not recorded")
    assert "bound as of" not in fact.basis


def test_an_undated_party_before_the_data_date_is_unknown_and_says_why():
    fact = party_status(parties("budapest"), "NO", day("2025-06-01"))
    assert fact.value is None
    assert ("listed as a Party in data as of 2026-01-14; date of entry into force not "
            "recorded, so unknown on 2025-06-01") in fact.basis


def test_no_explanation_says_bound_as_of_for_an_undated_party(kb):
    result = kb.evaluate(make_request(requested="NO", offence=ILLEGAL_ACCESS), closed_world=True)
    text = explanation_text(result, "budapest")
    assert "listed as a Party in data as of 2026-01-14" in text
    assert "bound as of" not in text


# -- dates added from sources we could read --------------------------------------------------


@pytest.mark.parametrize(("instrument", "state", "in_force"), [
    ("budapest", "PT", "2010-07-01"),     # Portuguese treaty database (read)
    ("ecma_1959", "NO", "1962-06-12"),    # CoE status copy (read)
    ("ecma_1959", "BE", "1975-11-11"),    # Belgian Senate doc. 2-889/1 (read)
    ("ecma_1959", "PT", "1994-12-26"),    # Trb. 1996, 63 deposit + 90 days (derived)
    ("ecma_1959", "BG", "1994-09-15"),
    ("ecma_1959", "MT", "1994-06-01"),
])
def test_a_newly_dated_party_is_known_bound_from_its_date_and_known_not_bound_before(
        instrument, state, in_force):
    data = parties(instrument)
    start = day(in_force)
    assert party_status(data, state, start).value is True
    assert party_status(data, state, start + dt.timedelta(days=365)).value is True
    assert party_status(data, state, start - dt.timedelta(days=1)).value is False


def test_portugal_under_budapest_is_mandatory_after_its_date_and_not_applicable_before(kb):
    after = kb.evaluate(make_request(requesting="PT", date="2011-01-01", offence=ILLEGAL_ACCESS),
                        closed_world=True)["budapest"]
    before = kb.evaluate(make_request(requesting="PT", date="2010-06-30",
                                      offence=ILLEGAL_ACCESS), closed_world=True)["budapest"]
    assert after.status == "mandatory"
    assert before.status == "not_applicable"
    assert step(before, "party:budapest:PT").value is False


def test_slovenia_is_an_undated_budapest_party_not_an_unresolved_state():
    data = parties("budapest")
    assert party_status(data, "SI", day("2026-06-01")).value is True
    before = party_status(data, "SI", day("2025-06-01"))
    assert before.value is None
    assert before.source == "https://coe.int/en/web/octopus/-/slovenia"
    assert "unresolved" not in before.basis


def test_a_derived_date_says_it_was_derived_from_the_deposit():
    fact = party_status(parties("ecma_1959"), "BG", day("2000-01-01"))
    assert "derived from the deposit on 1994-06-17" in fact.basis
    assert fact.source == "https://zoek.officielebekendmakingen.nl/trb-1996-63.html"


# -- the loader checks the new keys ------------------------------------------------------------


BAD_STATUS = """\
instrument: budapest
as_of: 2026-01-01
completeness: partial
sources: [{url: 'https://example.org', note: Test.}]
parties:
  - {state: FR, name: France, in_force: 2006-05-01}
reservations:
  - {state: FR, article: 29(4), summary: Test., status: in forse}
"""


def test_a_misspelt_reservation_status_is_an_error_naming_file_line_and_field(tmp_path):
    path = tmp_path / "budapest.yaml"
    path.write_text(BAD_STATUS, "utf-8")
    with pytest.raises(coop_logic.SpecError) as caught:
        read_party_file(path)
    error = caught.value
    assert error.file is not None and error.file.endswith("budapest.yaml")
    assert error.line == 8
    assert error.field == "reservations[0].status"
    assert "in forse" in str(error) and "in force" in str(error)


def test_an_unverified_reservation_is_unknown_not_in_force(tmp_path):
    path = tmp_path / "budapest.yaml"
    path.write_text(BAD_STATUS.replace("in forse", "unverified"), "utf-8")
    fact = reservation_status(read_party_file(path), "art29_4", "29(4)", "FR", day("2020-01-01"))
    assert fact.value is None


def test_a_misspelt_entry_key_is_an_error_naming_the_field(tmp_path):
    path = tmp_path / "budapest.yaml"
    path.write_text(BAD_STATUS.replace("in_force: 2006-05-01", "in_force: 2006-05-01, "
                                       "sourse: 'https://example.org'"), "utf-8")
    with pytest.raises(coop_logic.SpecError, match="sourse") as caught:
        read_party_file(path)
    assert caught.value.field == "parties[0].sourse"
    assert caught.value.line == 6


def test_a_derived_flag_without_a_date_is_an_error(tmp_path):
    path = tmp_path / "budapest.yaml"
    path.write_text(BAD_STATUS.replace("in_force: 2006-05-01", "in_force: null, derived: true"),
                    "utf-8")
    with pytest.raises(coop_logic.SpecError, match="derived"):
        read_party_file(path)


@pytest.mark.parametrize("name", sorted(p.stem for p in PARTIES.glob("*.yaml")))
def test_every_bundled_party_file_loads_with_checked_keys(name):
    data = parties(name)
    assert data.entries or data.complement_of_un
