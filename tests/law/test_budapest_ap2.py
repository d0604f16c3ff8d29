"""Second Additional Protocol to the Budapest Convention (CETS 224): specs/budapest_ap2.yaml.

The Protocol is not in force (three of five ratifications): with the bundled party data every
verdict is not_applicable and cites the party data. The rules themselves are exercised on a
knowledge base whose party data is overridden by a small file that puts the Protocol in
force for a few States (AP2_IN_FORCE below). Requests are dated 2026-06-01 and read in the
closed world. JP -> US is the default pair: both are Parties to the Convention (ETS 185) and
no loaded instrument tagged mla_treaty binds them. RS holds, in the fixture, the Art. 8(13)
reservation (no Art. 8 for traffic data); IN is a Protocol Party in the fixture but not a
Party to the Convention.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import coop_logic
from coop_logic import PartyStep, ReservationStep
from tests.helpers import ids, make_request

AP2_IN_FORCE = """\
instrument: budapest_ap2
as_of: 2026-01-01
completeness: complete
instrument_in_force: true
sources:
  - {url: https://example.org/ap2-in-force, note: 'Test fixture: the Protocol put in force.'}
parties:
  - {state: JP, name: Japan, in_force: 2025-01-01}
  - {state: US, name: United States, in_force: 2025-01-01}
  - {state: RS, name: Serbia, in_force: 2025-01-01}
  - {state: IN, name: India, in_force: 2025-01-01}
reservations:
  - {state: RS, article: '8(13)', summary: 'Test fixture: no Art. 8 for traffic data.'}
reservations_completeness: complete
"""

MLAT_JP_US = """\
spec_version: 1
id: mlat_jp_us
title: Test treaty on mutual legal assistance between Japan and the United States
short_title: JP-US MLAT (test fixture)
adopted: 2003-08-05
entry_into_force: 2006-07-21
sources:
  - {url: https://example.org/mlat-jp-us, note: Test fixture.}
parties:
  as_of: 2026-01-01
  completeness: complete
  sources: [{url: https://example.org/mlat-jp-us, note: Test fixture.}]
  parties:
    - {state: JP, name: Japan, in_force: 2006-07-21}
    - {state: US, name: United States, in_force: 2006-07-21}
tags: [mla_treaty]
rules:
  - id: mlat_jp_us.art1
    cite: JP-US MLAT, Art. 1
    summary: Covers assistance in criminal matters.
    source: https://example.org/mlat-jp-us
    text_verified: true
    effect: scope
    measures: [evidence_collection]
  - id: mlat_jp_us.art1.1
    cite: JP-US MLAT, Art. 1(1)
    summary: The Parties must assist each other.
    source: https://example.org/mlat-jp-us
    text_verified: true
    effect: duty
    measures: all
"""

ILLEGAL_ACCESS = {"category": "illegal_access"}
E_FRAUD = {"category": "fraud", "electronic_evidence": True}
PLAIN_FRAUD = {"category": "fraud"}
ART8_8_GROUNDS = [
    "no_dual_criminality", "domestic_law_prohibits", "contrary_to_legal_system",
    "death_penalty_risk", "human_rights_risk", "discriminatory_purpose", "ne_bis_in_idem",
    "political_offence", "essential_interests", "insufficient_evidence",
]


@pytest.fixture(scope="module")
def ap2_party_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ap2") / "budapest_ap2_in_force.yaml"
    path.write_text(AP2_IN_FORCE, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def kb_ap2(ap2_party_file: Path, load_kb: Any) -> coop_logic.KnowledgeBase:
    """The bundled specs, with the Protocol in force for JP, US, RS and IN."""
    return load_kb(parties=[ap2_party_file])


@pytest.fixture(scope="module")
def kb_ap2_mlat(ap2_party_file: Path, tmp_path_factory: pytest.TempPathFactory,
                load_kb: Any) -> coop_logic.KnowledgeBase:
    """As kb_ap2, plus a JP-US treaty tagged mla_treaty."""
    path = tmp_path_factory.mktemp("mlat") / "mlat_jp_us.yaml"
    path.write_text(MLAT_JP_US, encoding="utf-8")
    return load_kb(extra_specs=[path], parties=[ap2_party_file])


def ap2(kb: coop_logic.KnowledgeBase, *, requesting: str = "JP", requested: str = "US",
        **request: Any) -> coop_logic.Verdict:
    req = make_request(requesting=requesting, requested=requested, **request)
    return kb.evaluate(req, closed_world=True)["budapest_ap2"]



# -- Not in force: the bundled party data ------------------------------------------------


@pytest.mark.parametrize("measure", ["subscriber_information", "traffic_data_disclosure",
                                     "stored_data_access", "evidence_collection"])
def test_second_protocol_not_in_force_makes_every_request_not_applicable_citing_the_party_data(
        kb, measure):
    v = ap2(kb, measure=measure, offence=ILLEGAL_ACCESS, facts={"urgent": True})
    assert v.status == "not_applicable"
    assert v.grounds == ()
    party = [s for s in v.trace if isinstance(s, PartyStep)]
    assert party, f"no party step in {sorted(ids(v))}"
    assert all(s.instrument == "budapest_ap2" and s.value is False for s in party)
    assert "not in force" in party[0].basis
    assert party[0].source


def test_second_protocol_party_file_marks_it_not_in_force_and_keeps_the_three_ratifications(kb):
    data = kb.instruments["budapest_ap2"].parties
    assert data.instrument_in_force is False
    assert {"JP", "RS", "HU"} <= set(data.entries)


def test_second_protocol_does_not_change_the_budapest_convention_verdict_for_the_same_request(kb):
    result = kb.evaluate(make_request(requesting="JP", requested="US",
                                      measure="subscriber_information", offence=ILLEGAL_ACCESS),
                         closed_world=True)
    assert result["budapest_ap2"].status == "not_applicable"
    assert result["budapest"].status == "mandatory"
    assert "budapest" in result.overall.basis


# -- Arts. 2(1)(a), 7(1) and 8(1)(a): scope for subscriber information -------------------


def test_art7_scope_subscriber_information_for_an_illegal_access_investigation_is_covered(kb_ap2):
    v = ap2(kb_ap2, measure="subscriber_information", offence=ILLEGAL_ACCESS)
    assert v.status == "mandatory"
    assert {"budapest_ap2.art7.scope", "budapest_ap2.art8.2"} <= ids(v)


def test_art7_scope_covers_electronic_evidence_of_an_ordinary_offence(kb_ap2):
    v = ap2(kb_ap2, measure="subscriber_information", offence=E_FRAUD)
    assert v.status == "mandatory"
    assert "budapest_ap2.art7.scope" in ids(v)


def test_art7_scope_excludes_an_offence_with_no_link_to_computers(kb_ap2):
    v = ap2(kb_ap2, measure="subscriber_information", offence=PLAIN_FRAUD)
    assert v.status == "not_applicable"
    assert "budapest_ap2.art7.scope" in ids(v)


def test_art2_scope_requires_both_states_to_be_parties_to_the_budapest_convention(kb_ap2):
    # IN is a Party to the Protocol in the fixture, but not to ETS 185: bound(budapest) fails.
    v = ap2(kb_ap2, requested="IN", measure="subscriber_information", offence=ILLEGAL_ACCESS)
    assert v.status == "not_applicable"
    assert "party:budapest:IN" in ids(v)
    assert "budapest_ap2.art8.2" not in ids(v)


def test_art7_scope_does_not_decide_when_the_protocol_does_not_bind_the_requested_state(kb_ap2):
    v = ap2(kb_ap2, requested="FR", measure="subscriber_information", offence=ILLEGAL_ACCESS)
    assert v.status == "not_applicable"
    assert "party:budapest_ap2:FR" in ids(v)
    assert "budapest_ap2.art7.scope" not in ids(v)


# -- Arts. 8(1)(b) and 8(13): scope for traffic data --------------------------------------


def test_art8_scope_traffic_data_order_is_given_effect_between_parties(kb_ap2):
    v = ap2(kb_ap2, measure="traffic_data_disclosure", offence=ILLEGAL_ACCESS)
    assert v.status == "mandatory"
    assert {"budapest_ap2.art8.scope", "budapest_ap2.art8.2"} <= ids(v)


def test_art8_13_reservation_puts_traffic_data_outside_the_protocol(kb_ap2):
    v = ap2(kb_ap2, requested="RS", measure="traffic_data_disclosure", offence=ILLEGAL_ACCESS)
    assert v.status == "not_applicable"
    assert "budapest_ap2.art8.scope" in ids(v)
    res = [s for s in v.trace if isinstance(s, ReservationStep)]
    assert res and res[0].state == "RS" and res[0].value is True


def test_art8_13_reservation_does_not_touch_subscriber_information(kb_ap2):
    v = ap2(kb_ap2, requested="RS", measure="subscriber_information", offence=ILLEGAL_ACCESS)
    assert v.status == "mandatory"
    assert "budapest_ap2.art8.2" in ids(v)


# -- Arts. 7(2) and 8(2): the duty --------------------------------------------------------


def test_art8_2_duty_makes_subscriber_information_mandatory_absent_grounds(kb_ap2):
    v = ap2(kb_ap2, measure="subscriber_information", offence=ILLEGAL_ACCESS)
    assert v.status == "mandatory"
    assert v.grounds == ()
    assert "budapest_ap2.art8.2" in ids(v)


def test_art8_2_duty_does_not_decide_an_emergency_traffic_request_to_a_reserving_state(kb_ap2):
    v = ap2(kb_ap2, requested="RS", measure="traffic_data_disclosure", offence=ILLEGAL_ACCESS,
            facts={"urgent": True})
    assert v.status == "mandatory"
    assert "budapest_ap2.art9" in ids(v)
    assert "budapest_ap2.art8.2" not in ids(v)


# -- Arts. 7(5)(c) and 8(8): the grounds of Convention Arts. 25(4) and 27(4) ------------


@pytest.mark.parametrize("ground", ART8_8_GROUNDS)
def test_art8_8_each_convention_ground_makes_a_subscriber_information_order_refusable(
        kb_ap2, ground):
    v = ap2(kb_ap2, measure="subscriber_information", offence=ILLEGAL_ACCESS,
            facts={ground: True})
    assert v.status == "refusable"
    assert v.grounds == (ground,)
    assert "budapest_ap2.art8.8" in ids(v)


def test_art8_8_political_offence_is_a_ground_even_when_a_treaty_binds_the_pair(kb_ap2_mlat):
    v = ap2(kb_ap2_mlat, measure="traffic_data_disclosure", offence=ILLEGAL_ACCESS,
            facts={"political_offence": True})
    assert v.status == "refusable"
    assert v.grounds == ("political_offence",)


def test_art8_8_grounds_do_not_apply_where_art8_does_not_so_emergency_traffic_data_stays_mandatory(
        kb_ap2):
    v = ap2(kb_ap2, requested="RS", measure="traffic_data_disclosure", offence=ILLEGAL_ACCESS,
            facts={"urgent": True, "essential_interests": True})
    assert v.status == "mandatory"
    assert v.grounds == ()
    assert "budapest_ap2.art8.8" not in ids(v)


# -- Art. 9: expedited disclosure of stored computer data in an emergency ----------------


def test_art9_emergency_disclosure_of_traffic_data_is_owed_even_by_a_state_that_reserved_art8(
        kb_ap2):
    v = ap2(kb_ap2, requested="RS", measure="traffic_data_disclosure", offence=ILLEGAL_ACCESS,
            facts={"urgent": True})
    assert v.status == "mandatory"
    assert {"budapest_ap2.art9.scope", "budapest_ap2.art9"} <= ids(v)


def test_art9_emergency_disclosure_of_stored_data_is_owed(kb_ap2):
    v = ap2(kb_ap2, measure="stored_data_access", offence=ILLEGAL_ACCESS, facts={"urgent": True})
    assert v.status == "mandatory"
    assert ids(v) & {"budapest_ap2.art9", "budapest_ap2.art10"}


def test_art9_does_not_decide_a_request_that_is_not_urgent(kb_ap2):
    v = ap2(kb_ap2, measure="stored_data_access", offence=ILLEGAL_ACCESS)
    assert v.status == "not_applicable"
    assert "urgent" in ids(v)
    assert "budapest_ap2.art9" not in ids(v)


# -- Art. 10: emergency mutual assistance ------------------------------------------------


def test_art10_emergency_request_for_evidence_is_mandatory_over_the_discretion_of_art11(kb_ap2):
    v = ap2(kb_ap2, measure="evidence_collection", offence=ILLEGAL_ACCESS, facts={"urgent": True})
    assert v.status == "mandatory"
    assert {"budapest_ap2.art10.scope", "budapest_ap2.art10"} <= ids(v)


def test_art10_emergency_interception_request_is_within_the_protocol(kb_ap2):
    v = ap2(kb_ap2, measure="content_interception", offence=ILLEGAL_ACCESS,
            facts={"urgent": True})
    assert v.status == "mandatory"
    assert "budapest_ap2.art10" in ids(v)


def test_art10_does_not_decide_a_request_that_is_not_urgent(kb_ap2):
    v = ap2(kb_ap2, measure="content_interception", offence=ILLEGAL_ACCESS)
    assert v.status == "not_applicable"
    assert "budapest_ap2.art10" not in ids(v)


def test_art10_6_essential_interests_make_emergency_assistance_refusable(kb_ap2):
    v = ap2(kb_ap2, measure="evidence_collection", offence=ILLEGAL_ACCESS,
            facts={"urgent": True, "essential_interests": True})
    assert v.status == "refusable"
    assert v.grounds == ("essential_interests",)
    assert "budapest_ap2.art10.grounds" in ids(v)


@pytest.mark.parametrize("ground", [*ART8_8_GROUNDS, "fiscal_offence"])
def test_art10_6_each_convention_ground_makes_emergency_assistance_refusable(kb_ap2, ground):
    offence = E_FRAUD if ground == "fiscal_offence" else ILLEGAL_ACCESS  # fiscal: Arts. 2-11
    v = ap2(kb_ap2, measure="evidence_collection", offence=offence,
            facts={"urgent": True, ground: True})
    assert v.status == "refusable"
    assert v.grounds == (ground,)
    assert "budapest_ap2.art10.grounds" in ids(v)


def test_art10_6_grounds_do_not_reach_emergency_traffic_data_under_art9(kb_ap2):
    v = ap2(kb_ap2, requested="RS", measure="traffic_data_disclosure", offence=ILLEGAL_ACCESS,
            facts={"urgent": True, "political_offence": True})
    assert v.status == "mandatory"
    assert "budapest_ap2.art10.grounds" not in ids(v)


# -- Convention Art. 25(4), second sentence, through Arts. 8(8) and 10 -------------------


def test_art8_8_fiscal_character_is_no_ground_for_a_convention_offence(kb_ap2):
    v = ap2(kb_ap2, measure="subscriber_information", offence=ILLEGAL_ACCESS,
            facts={"fiscal_offence": True})
    assert v.status == "mandatory"
    assert v.grounds == ()
    assert "budapest_ap2.fiscal" in ids(v)


def test_art8_8_fiscal_character_is_a_ground_for_an_offence_outside_convention_arts_2_to_11(
        kb_ap2):
    v = ap2(kb_ap2, measure="subscriber_information", offence=E_FRAUD,
            facts={"fiscal_offence": True})
    assert v.status == "refusable"
    assert v.grounds == ("fiscal_offence",)
    assert "budapest_ap2.fiscal" not in ids(v)


# -- Arts. 5, 11 and 12: video conferencing and joint investigation teams ----------------


def test_art11_video_conference_or_joint_team_is_discretionary_without_a_treaty(kb_ap2):
    v = ap2(kb_ap2, measure="evidence_collection", offence=ILLEGAL_ACCESS)
    assert v.status == "discretionary"
    # Discretionary means "applies, no duty": the proof needs the scope of Arts. 11-12, and
    # either their "may" or the reason the only duty that could reach the measure (Art. 10,
    # emergencies) does not fire; which of the two the trace cites is the engine's choice.
    assert {"budapest_ap2.art11.scope", "urgent"} <= ids(v)
    assert ids(v) & {"budapest_ap2.art11", "budapest_ap2.art10"}


def test_art11_section_5_does_not_apply_where_a_mutual_assistance_treaty_binds_the_pair(
        kb_ap2_mlat):
    v = ap2(kb_ap2_mlat, measure="evidence_collection", offence=ILLEGAL_ACCESS)
    assert v.status == "not_applicable"
    assert "budapest_ap2.art11.scope" in ids(v)
    assert "party:mlat_jp_us:JP" in ids(v) or "party:mlat_jp_us:US" in ids(v)


def test_art11_discretion_does_not_decide_an_emergency_request(kb_ap2):
    v = ap2(kb_ap2, measure="evidence_collection", offence=ILLEGAL_ACCESS, facts={"urgent": True})
    assert v.status == "mandatory"
    assert "budapest_ap2.art11" not in ids(v)


# -- Measures the Protocol does not cover --------------------------------------------------


@pytest.mark.parametrize("measure", ["extradition", "data_retention", "information_sharing",
                                     "contact_point_assistance"])
def test_second_protocol_gives_no_basis_for_measures_outside_arts_7_to_12(kb_ap2, measure):
    v = ap2(kb_ap2, measure=measure, offence={**ILLEGAL_ACCESS, "max_penalty_years": 5},
            facts={"urgent": True})
    assert v.status == "not_applicable"
