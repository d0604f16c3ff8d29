"""`coop-logic plan` and `coop_logic.practice.plan`: the best legal basis and the request checklist.

Ranking: a basis that certainly applies before one that may not; then the status (a basis
that certainly applies by the weakest status it can take, determined before undetermined;
one that may not apply by the strongest), then fewest refusal grounds available, then the
fastest channel; for each basis the channels, contents and time limits of the instrument's
`procedure:` section, cited.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

import coop_logic
from coop_logic.errors import SpecError
from coop_logic.practice.plan import NO_PROCEDURE_SPEED, STATUS_RANK, Plan, plan
from coop_logic.spec.instrument_reader import CHANNELS, TIME_LIMIT_KINDS, read_spec
from tests.helpers import make_request
from tests.helpers import run_cli as run

EXE = Path(sys.executable).parent / "coop-logic"
REPO = Path(__file__).resolve().parents[2]

ILLEGAL_ACCESS = {"category": "illegal_access", "max_penalty_years": 5,
                  "committed_by_computer": True, "electronic_evidence": True}


def fr_us_preservation(**extra: Any) -> dict[str, Any]:
    return make_request("FR", "US", "expedited_preservation", offence=ILLEGAL_ACCESS, **extra)


def de_fr_evidence(measure: str = "evidence_collection", **extra: Any) -> dict[str, Any]:
    offence = {"category": "computer_fraud", "max_penalty_years": 5,
               "committed_by_computer": True, "electronic_evidence": True}
    return make_request("DE", "FR", measure, offence=offence, **extra)


def ids(items: Any) -> list[str]:
    return [i.id for i in items]


def ranking_key(o: Any) -> tuple[int, ...]:
    """The ranking, computed here from the verdict's possible statuses alone."""
    statuses = sorted(STATUS_RANK[s] for s in o.possible if s in STATUS_RANK)
    may_not_apply = "not_applicable" in o.possible
    strength = statuses[0] if may_not_apply else statuses[-1]
    return (int(bool(o.obligatory_grounds)), int(may_not_apply), strength,
            int(len(o.possible) > 1), statuses[0], len(o.grounds),
            NO_PROCEDURE_SPEED if o.speed is None else o.speed)


def fr_us_stored_data(**facts: bool) -> dict[str, Any]:
    """Open world: whether the offence is transnational and involves an organised
    criminal group is unknown, so UNTOC may not apply; Budapest binds both States."""
    return make_request("FR", "US", "stored_data_access", offence=ILLEGAL_ACCESS, facts=facts)


def budapest_settled(kb: Any) -> dict[str, Any]:
    """The open-world request with every fact Budapest's verdict turns on given as false:
    Budapest is then mandatory, while UNTOC still turns on the offence's character."""
    unknowns = kb.evaluate(fr_us_stored_data())["budapest"].depends_on
    return fr_us_stored_data(**{u: False for u in unknowns if "." not in u and ":" not in u})


# -- the three practitioner cases ------------------------------------------------------------


def test_fr_us_preservation_best_basis_is_budapest_with_its_checklist(kb):
    p = plan(kb, fr_us_preservation(), closed_world=True)
    best = p.best
    assert best is not None and best.instrument == "budapest"
    assert best.status == "mandatory" and not best.undetermined
    channels = {c.id: c for c in best.channels}
    assert {"network_24_7", "central_authority"} <= set(channels)
    assert "Art. 35" in channels["network_24_7"].cite
    assert channels["network_24_7"].speed == 1 and best.speed == 1
    assert channels["network_24_7"].holds is True
    assert "Art. 27" in channels["central_authority"].cite  # no MLA treaty binds FR and US
    assert best.channels[0].id == "network_24_7"  # fastest first
    contents = {c.id: c for c in best.contents}
    assert [f"art29_2_{x}" for x in "abcdef"] == [c for c in contents if c.startswith("art29_2")]
    assert all(c.cite.startswith("Budapest Convention, Art. 29(2)(") for c in contents.values()
               if c.id.startswith("art29_2"))
    assert all(c.text_verified for c in best.contents)
    (limit,) = best.time_limits
    assert (limit.days, limit.hours, limit.kind) == (60, None, "minimum_duration")
    assert limit.cite == "Budapest Convention, Art. 29(7)"
    assert {g.id for g in best.grounds} == {"political_offence", "essential_interests"}
    assert all(g.certain and g.established is False for g in best.grounds)
    assert any("29" in b["cite"] for b in best.basis)


def test_de_fr_evidence_best_basis_is_the_eio_with_its_deadlines(kb):
    p = plan(kb, de_fr_evidence(), closed_world=True)
    assert p.best is not None and p.best.instrument == "eu_eio"
    assert p.best.status == "mandatory"
    limits = {t.id: t for t in p.best.time_limits}
    assert (limits["art12_3"].days, limits["art12_3"].kind) == (30, "deadline")
    assert (limits["art12_4"].days, limits["art12_4"].kind) == (90, "deadline")
    assert limits["art12_5"].kind == "extension"
    assert all(t.cite.startswith("EIO Directive, Art. 12(") and t.text_verified
               for t in limits.values())
    assert "direct_judicial" in ids(p.best.channels)
    assert "annex_d" in ids(p.best.contents)  # computer fraud, 5 years: tick Annex D
    # Budapest also binds both, mandatory too, but leaves more grounds open; the 1959
    # Convention is displaced by the Directive
    ranked = [o.instrument for o in p.options]
    assert ranked.index("eu_eio") < ranked.index("budapest")
    assert len(p.best.grounds) < len(p.options[ranked.index("budapest")].grounds)
    assert "ecma_1959" in p.not_applicable
    assert "no_dual_criminality" not in ids(p.best.grounds)  # Annex D, 3 years or more


def test_de_fr_preservation_has_the_24_hour_provisional_measure_limit(kb):
    p = plan(kb, de_fr_evidence(measure="expedited_preservation"), closed_world=True)
    eio = next(o for o in p.options if o.instrument == "eu_eio")
    hours = {t.id: t.hours for t in eio.time_limits}
    assert hours["art32_2"] == 24


def test_only_comity_gives_the_diplomatic_channel(kb):
    p = plan(kb, make_request("PG", "TV", "extradition",
                              offence={"category": "homicide", "max_penalty_years": 30}))
    assert [o.instrument for o in p.options] == ["comity"]
    best = p.best
    assert best.status == "discretionary" and best.grounds == ()
    assert "diplomatic" in ids(best.channels)
    assert "reciprocity" in ids(best.contents)


def test_evidence_without_a_treaty_goes_by_comity_or_letters_rogatory(kb):
    p = plan(kb, make_request("PG", "TV", "evidence_collection"))
    assert {o.instrument for o in p.options} == {"comity", "letters_rogatory"}
    assert p.best.instrument in {"comity", "letters_rogatory"}
    for option in p.options:
        assert option.status == "discretionary"
        assert "diplomatic" in ids(option.channels)
    rogatory = next(o for o in p.options if o.instrument == "letters_rogatory")
    assert {"court_and_case", "act_sought", "reciprocity"} <= set(ids(rogatory.contents))


# -- ranking ---------------------------------------------------------------------------------


@pytest.mark.parametrize("request_", [fr_us_preservation(), de_fr_evidence(),
                                      make_request("PG", "TV", "evidence_collection"),
                                      make_request("EG", "JO", "expedited_preservation",
                                                   offence=ILLEGAL_ACCESS)])
@pytest.mark.parametrize("closed", [False, True])
def test_options_are_ranked_by_status_grounds_and_speed(kb, request_, closed):
    p = plan(kb, request_, closed_world=closed)
    keys = [ranking_key(o) for o in p.options]
    assert keys == sorted(keys)
    assert [o.rank for o in p.options] == list(range(1, len(p.options) + 1))
    result = kb.evaluate(request_, closed_world=closed)
    considered = {o.instrument for o in p.options} | set(p.not_applicable)
    assert considered == set(result.verdicts)
    for option in p.options:
        assert option.status == result[option.instrument].status
        assert option.ranked_as in option.possible
        assert option.certainly_applies == ("not_applicable" not in option.possible)


def test_a_basis_that_may_not_apply_ranks_after_every_basis_that_certainly_applies(kb):
    p = plan(kb, budapest_settled(kb))
    ranked = [o.instrument for o in p.options]
    assert ranked == ["budapest", "comity", "letters_rogatory", "untoc"]
    budapest, untoc = p.options[0], p.options[-1]
    assert budapest.status == "mandatory" and budapest.certainly_applies
    assert budapest.why == "certainly applies: mandatory"
    # UNTOC would give a duty too, with fewer grounds, but only if the offence is
    # transnational and involves an organised criminal group (Art. 3(1))
    assert untoc.undetermined and "not_applicable" in untoc.possible
    assert untoc.ranked_as == "mandatory" and untoc.at_least is None
    assert len(untoc.grounds) < len(budapest.grounds)
    assert untoc.applies_depends_on == ("offence.transnational",
                                        "offence.organized_criminal_group")
    assert untoc.why.startswith(
        "may not apply: depends on offence.transnational, offence.organized_criminal_group")


def test_the_unknowns_that_decide_only_the_status_are_not_said_to_decide_applicability(kb):
    p = plan(kb, fr_us_stored_data())
    untoc = next(o for o in p.options if o.instrument == "untoc")
    assert "essential_interests" in untoc.depends_on
    assert "essential_interests" not in untoc.applies_depends_on
    assert untoc.applies_depends_on == ("offence.transnational",
                                        "offence.organized_criminal_group")


def test_a_basis_that_applies_whatever_the_unknowns_ranks_by_the_weakest_status_it_can_take(kb):
    p = plan(kb, fr_us_stored_data())  # Budapest: mandatory or refusable, on unknown grounds
    ranked = [o.instrument for o in p.options]
    assert ranked == ["budapest", "comity", "letters_rogatory", "untoc"]
    budapest = p.best
    assert budapest.undetermined and budapest.certainly_applies
    assert (budapest.at_least, budapest.ranked_as) == ("refusable", "mandatory")
    assert budapest.why == "certainly applies: at least refusable, possibly mandatory"
    assert budapest.applies_depends_on == ()


def eaw_request(**facts: bool) -> dict[str, Any]:
    return make_request("DE", "FR", "extradition",
                        offence={"category": "computer_fraud", "max_penalty_years": 5},
                        facts=facts)


def test_a_basis_under_which_the_requested_state_must_refuse_ranks_after_every_other(kb):
    # Framework Decision 2002/584/JHA, Art. 3(1): an amnestied offence "shall" make the
    # executing authority refuse; the verdict is refusable, but it cannot carry the request
    p = plan(kb, eaw_request(amnesty=True), closed_world=True)
    eaw = p.options[-1]
    assert eaw.instrument == "eu_eaw" and eaw.status == "refusable"
    assert eaw.must_refuse and eaw.obligatory_grounds == ("amnesty",)
    assert eaw.why == "certainly applies, but the requested State must refuse: amnesty"
    assert p.best.instrument == "comity" and not p.best.must_refuse
    data = p.to_dict()["alternatives"][-1]
    assert (data["must_refuse"], data["obligatory_grounds"]) == (True, ["amnesty"])


def test_without_an_obligatory_ground_the_arrest_warrant_is_the_best_basis(kb):
    p = plan(kb, eaw_request(), closed_world=True)
    assert p.best.instrument == "eu_eaw" and p.best.status == "mandatory"
    assert not p.best.must_refuse and p.best.obligatory_grounds == ()


def test_closed_world_settles_applicability(kb):
    p = plan(kb, budapest_settled(kb), closed_world=True)
    assert "untoc" in p.not_applicable
    assert all(o.certainly_applies and not o.undetermined for o in p.options)


def test_an_undetermined_basis_is_flagged_with_its_unknowns(kb):
    p = plan(kb, fr_us_preservation())  # open world: the Art. 29(5) facts are unknown
    assert p.best.instrument == "budapest"
    assert p.best.undetermined and p.best.status == "undetermined"
    assert (p.best.ranked_as, p.best.at_least) == ("mandatory", "refusable")
    assert set(p.best.depends_on) == {"political_offence", "essential_interests"}
    assert all(g.established is None for g in p.best.grounds)
    # channels that turn on an unknown are kept, marked as open
    urgent = [c for c in p.best.channels if c.when.startswith("urgent")]
    assert urgent and all(c.holds is None for c in urgent)
    untoc = next(o for o in p.options if o.instrument == "untoc")
    assert untoc.undetermined and "not_applicable" in untoc.possible
    assert untoc.ranked_as == "mandatory" and not untoc.certainly_applies
    assert p.options[-1] is untoc


def test_urgency_opens_the_direct_channels_and_closed_world_shuts_them(kb):
    closed = plan(kb, fr_us_preservation(), closed_world=True).best
    assert not {"direct_judicial", "interpol"} & set(ids(closed.channels))
    urgent = plan(kb, fr_us_preservation(facts={"urgent": True}), closed_world=True).best
    opened = {c.id: c for c in urgent.channels}
    assert opened["direct_judicial"].holds is True and opened["interpol"].holds is True
    assert "Art. 27(9)" in opened["direct_judicial"].cite


def test_an_established_ground_is_reported_and_makes_the_basis_refusable(kb):
    p = plan(kb, fr_us_preservation(facts={"political_offence": True}), closed_world=True)
    budapest = next(o for o in p.options if o.instrument == "budapest")
    assert budapest.status == "refusable"
    established = {g.id: g.established for g in budapest.grounds}
    assert established == {"political_offence": True, "essential_interests": False}


def test_a_treaty_branch_switches_budapest_to_the_treaty_channel(kb):
    p = plan(kb, de_fr_evidence(), closed_world=True)
    budapest = next(o for o in p.options if o.instrument == "budapest")
    (central,) = [c for c in budapest.channels if c.id == "central_authority"]
    assert central.when == "bound_any(mla_treaty)" and central.holds is True


def test_an_instrument_without_a_procedure_ranks_by_status_and_grounds_only(load_kb):
    kb = load_kb(extra_specs=[REPO / "examples" / "mlat_au_pt.yaml"])
    request = yaml.safe_load((REPO / "examples" / "requests"
                              / "au_pt_political_witness.yaml").read_text())
    p = plan(kb, request, closed_world=True)
    # Art. 3(1) "será recusado": the treaty obliges Portugal to refuse, so it ranks last.
    [treaty] = [o for o in p.options if o.instrument == "mlat_au_pt"]
    assert treaty is p.options[-1] and treaty.status == "refusable"
    assert not treaty.has_procedure and treaty.speed is None
    assert treaty.channels == () and treaty.contents == () and treaty.time_limits == ()
    assert p.to_dict()["alternatives"][-1]["procedure"] is False


# -- the bundled procedures ------------------------------------------------------------------


def test_every_bundled_instrument_has_a_cited_procedure(kb):
    for inst in kb.instruments.values():
        proc = inst.procedure
        assert proc is not None, inst.id
        assert proc.speed >= 1
        items = [*proc.channels, *proc.contents, *proc.time_limits]
        assert items, inst.id
        for item in items:
            assert item.cite.strip() and item.measures, (inst.id, item)
            if not item.text_verified:  # honest about what was not read
                words = f"{item.cite} {getattr(item, 'summary', '')} {getattr(item, 'text', '')}"
                assert any(w in words for w in ("digest", "not read", "not verified",
                                                "memory", "practice", "no instrument",
                                                "not re-read", "22 CFR")), (inst.id, item.id)


def test_speed_ranks_follow_the_brief(kb):
    speeds = {i: kb.instruments[i].procedure.speed for i in kb.instruments}
    assert speeds["eu_eio"] == speeds["eu_e_evidence"] == 2
    assert speeds["budapest"] == speeds["untoc"] == 3
    assert speeds["letters_rogatory"] == 5
    network = [c for c in kb.instruments["budapest"].procedure.channels
               if c.id == "network_24_7" and c.speed == 1]
    assert network


# -- JSON ------------------------------------------------------------------------------------


def test_json_shape(kb):
    p = plan(kb, fr_us_preservation(), closed_world=True)
    data = json.loads(json.dumps(p.to_dict()))
    assert set(data) == {"request", "closed_world", "overall", "ranking", "best",
                         "alternatives", "not_applicable", "networks"}
    assert data["closed_world"] is True and len(data["ranking"]) == 4
    best = data["best"]
    assert set(best) == {"rank", "instrument", "title", "status", "possible", "ranked_as",
                         "obligatory_grounds", "must_refuse", "at_least",
                         "certainly_applies", "applies_depends_on", "why",
                         "undetermined", "depends_on", "grounds_available", "speed",
                         "procedure", "channels", "contents", "time_limits", "note", "basis"}
    assert best["rank"] == 1 and [a["rank"] for a in data["alternatives"]] == list(
        range(2, 2 + len(data["alternatives"])))
    assert set(best["grounds_available"][0]) == {"id", "certain", "established"}
    assert set(best["channels"][0]) == {"id", "holds", "speed", "when", "cite", "summary",
                                        "source", "text_verified"}
    assert set(best["contents"][0]) == {"id", "holds", "text", "cite", "source",
                                        "text_verified"}
    assert set(best["time_limits"][0]) == {"id", "holds", "kind", "days", "hours", "summary",
                                           "cite", "source", "text_verified"}
    assert set(best["basis"][0]) == {"id", "cite", "text_verified"}
    assert best["time_limits"][0]["days"] == 60 and best["time_limits"][0]["hours"] is None
    assert (best["at_least"], best["certainly_applies"], best["applies_depends_on"]) == (
        "mandatory", True, [])
    assert best["why"] == "certainly applies: mandatory"
    assert data["overall"]["status"] == "mandatory"
    assert isinstance(p, Plan)


# -- the spec language -----------------------------------------------------------------------

MINIMAL = """\
spec_version: 1
id: mlat_xx_yy
title: Test treaty
sources: [{url: https://example.org/treaty}]
parties: all
tags: [mla_treaty]
{procedure}
rules:
  - id: mlat_xx_yy.art1
    cite: Test treaty, Art. 1
    summary: Covers evidence.
    source: https://example.org/treaty
    text_verified: true
    effect: scope
    measures: [evidence_collection]
"""

GOOD = """\
procedure:
  speed: 3
  channels:
    - {id: central_authority, measures: all, cite: Art. 2, summary: Central authorities.,
       text_verified: true}
    - {id: direct_judicial, measures: [evidence_collection], when: urgent, speed: 2,
       cite: Art. 2(2), summary: Urgent direct requests., text_verified: false,
       source: https://example.org/treaty}
  contents:
    - {id: facts, measures: all, text: The facts., cite: Art. 3, text_verified: true}
  time_limits:
    - {id: answer, measures: all, kind: deadline, days: 30, cite: Art. 4,
       summary: Answer within 30 days., text_verified: true}
    - {id: urgent_answer, measures: all, kind: deadline, hours: 48, when: urgent,
       cite: Art. 4(2), summary: Urgent ones in 48 hours., text_verified: true}"""


def write_spec(tmp_path: Path, procedure: str) -> Path:
    path = tmp_path / "mlat_xx_yy.yaml"
    path.write_text(MINIMAL.replace("{procedure}", procedure))
    return path


def test_a_procedure_section_is_read(tmp_path):
    inst = read_spec(write_spec(tmp_path, GOOD))
    proc = inst.procedure
    assert proc.speed == 3
    assert [c.id for c in proc.channels] == ["central_authority", "direct_judicial"]
    assert proc.channels[1].speed == 2 and proc.channels[1].when_text == "urgent"
    assert proc.channels[0].measures == frozenset(coop_logic.MEASURES)
    assert (proc.time_limits[1].hours, proc.time_limits[1].days) == (48, None)
    assert read_spec(write_spec(tmp_path, "")).procedure is None


def test_a_user_treaty_with_a_procedure_is_planned(tmp_path, load_kb):
    kb = load_kb(extra_specs=[write_spec(tmp_path, GOOD)])
    p = plan(kb, make_request("PG", "TV", "evidence_collection", facts={"urgent": True}),
             closed_world=True)
    treaty = next(o for o in p.options if o.instrument == "mlat_xx_yy")
    assert [c.id for c in treaty.channels] == ["direct_judicial", "central_authority"]
    assert treaty.speed == 2
    assert [t.id for t in treaty.time_limits] == ["answer", "urgent_answer"]


@pytest.mark.parametrize("procedure, field, message", [
    (GOOD.replace("id: central_authority", "id: central_authorty"),
     "procedure.channels[0].id", "did you mean 'central_authority'"),
    (GOOD.replace("speed: 3", "speed: 0"), "procedure.speed", "is 0"),
    (GOOD.replace("days: 30", "days: 30, hours: 2"), "procedure.time_limits[0].hours",
     "both days and hours"),
    (GOOD.replace("kind: deadline, days: 30", "kind: deadline"), "procedure.time_limits[0]",
     "no period"),
    (GOOD.replace("kind: deadline, days: 30", "kind: soon, days: 30"),
     "procedure.time_limits[0].kind", "unknown kind 'soon'"),
    (GOOD.replace("id: urgent_answer", "id: answer"), "procedure.time_limits[1].id",
     "duplicate time_limits id 'answer'"),
    (GOOD.replace("when: urgent, speed: 2", "when: urgnt, speed: 2"),
     "procedure.channels[1].when", "urgnt"),
    (GOOD.replace("measures: [evidence_collection]", "measures: [evidence]"),
     "procedure.channels[1].measures[0]", "unknown measure 'evidence'"),
    (GOOD.replace("text: The facts., ", ""), "procedure.contents[0]", "'text'"),
    (GOOD.replace("speed: 3", "speed: 3\n  deadline: 3"), "procedure.deadline",
     "unknown field 'deadline'"),
    (GOOD.replace("Central authorities.,\n       text_verified: true}", "Central authorities.}"),
     "procedure.channels[0]", "'text_verified'"),
])
def test_a_bad_procedure_is_refused_naming_file_line_and_field(tmp_path, procedure, field,
                                                               message):
    path = write_spec(tmp_path, procedure)
    with pytest.raises(SpecError) as info:
        read_spec(path)
    error = info.value
    assert error.file == str(path) and error.line is not None
    assert error.field == field, str(error)
    assert message in str(error)


def test_the_vocabularies_are_documented():
    doc = (REPO / "docs" / "spec-language.md").read_text()
    section = doc[doc.index("## Procedure"):doc.index("## Party data")]
    for word in (*CHANNELS, *TIME_LIMIT_KINDS):
        assert f"`{word}`" in section, word


# -- the command line, through the installed entry point ------------------------------------




@pytest.fixture
def request_file(tmp_path: Path) -> Path:
    path = tmp_path / "fr_us.yaml"
    path.write_text(yaml.safe_dump(fr_us_preservation()))
    return path


def test_cli_json(request_file):
    done = run("plan", request_file, "--closed-world", "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["best"]["instrument"] == "budapest"
    assert {"network_24_7", "central_authority"} <= {c["id"] for c in data["best"]["channels"]}
    assert data["best"]["time_limits"][0]["days"] == 60


def test_cli_text(request_file):
    done = run("plan", request_file)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Best basis: Budapest Convention (budapest)" in out
    assert "network_24_7 (speed 1)" in out and "Art. 35" in out
    assert "Budapest Convention, Art. 29(2)(f)" in out
    assert "60 days (minimum duration)" in out
    assert "not legal advice" in out


@pytest.fixture
def stored_data_file(tmp_path: Path, kb: Any) -> Path:
    path = tmp_path / "fr_us_stored_data.yaml"
    path.write_text(yaml.safe_dump(budapest_settled(kb)))
    return path


def test_cli_ranks_a_basis_that_may_not_apply_last_and_says_why(stored_data_file):
    done = run("plan", stored_data_file)
    assert done.returncode == 0, done.stderr
    headers = [line for line in done.stdout.splitlines()
               if line.startswith(("Best basis", "Alternative"))]
    assert headers[0] == "Best basis: Budapest Convention (budapest): mandatory"
    assert headers[-1].startswith("Alternative 3: UNTOC (untoc): undetermined")
    lines = done.stdout.splitlines()
    why = lines[lines.index(headers[-1]) + 1]
    assert why.startswith("  ranked here: may not apply: depends on offence.transnational, "
                          "offence.organized_criminal_group; if it applies: mandatory")
    assert "  ranked here: certainly applies: mandatory" in lines


def test_cli_json_ranks_a_basis_that_may_not_apply_last(stored_data_file):
    done = run("plan", stored_data_file, "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["best"]["instrument"] == "budapest" and data["best"]["certainly_applies"]
    untoc = data["alternatives"][-1]
    assert untoc["instrument"] == "untoc" and untoc["certainly_applies"] is False
    assert untoc["at_least"] is None
    assert untoc["applies_depends_on"] == ["offence.transnational",
                                           "offence.organized_criminal_group"]


def test_cli_instrument_filter_keeps_comity(request_file):
    done = run("plan", request_file, "--closed-world", "--json", "--instrument", "untoc")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    shown = {data["best"]["instrument"], *(a["instrument"] for a in data["alternatives"]),
             *data["not_applicable"]}
    assert shown == {"untoc", "comity"}


@pytest.mark.parametrize("args, field", [
    (("--instrument", "budapst"), "--instrument"),
    ((), "measure"),
])
def test_cli_bad_input_exits_2_with_nothing_on_stdout(tmp_path, request_file, args, field):
    if not args:
        request_file.write_text(yaml.safe_dump({**fr_us_preservation(), "measure": "freeze"}))
    done = run("plan", request_file, *args)
    assert done.returncode == 2
    assert done.stdout == ""
    assert field in done.stderr
