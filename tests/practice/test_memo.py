"""`coop-logic memo` and `coop_logic.practice.memo`: one page an adviser can file.

The question in words with State names; the short answer per instrument in words (with the
article that makes each unknown matter); what to ask; how to send it (from plan, with the
practitioner networks); caveats; sources, official text first; the instruments that do not
apply. The overall verdict is the engine's, never recomputed.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import attrs
import pytest

from coop_logic.model.request import Request
from coop_logic.model.result import Overall
from coop_logic.practice.memo import (
    MEASURE_WORDS,
    MODELLING_SECTIONS,
    QUESTIONS,
    WIDTH,
    Memo,
    memo,
    modelling_link,
    question_text,
    slug,
)
from coop_logic.vocabulary import FACTS, MEASURES, OFFENCE_FLAGS
from tests.helpers import make_request
from tests.helpers import run_cli as run

EXE = Path(sys.executable).parent / "coop-logic"
REPO = Path(__file__).resolve().parents[2]

BR_PT = make_request("BR", "PT", "stored_data_access",
                     offence={"category": "fraud", "max_penalty_years": 5})
DE_US = make_request("DE", "US", "extradition",
                     offence={"category": "illegal_access", "max_penalty_years": 3,
                              "committed_by_computer": True})
NG_GH = make_request("NG", "GH", "expedited_preservation",
                     offence={"category": "computer_fraud", "max_penalty_years": 7})
FR_IT = make_request("FR", "IT", "extradition",
                     offence={"category": "computer_fraud", "max_penalty_years": 5})


@pytest.fixture(scope="module")
def memos(kb: Any) -> dict[str, Memo]:
    return {"br_pt": memo(kb, BR_PT), "de_us": memo(kb, DE_US), "ng_gh": memo(kb, NG_GH),
            "fr_it": memo(kb, FR_IT, closed_world=True)}


def answer(m: Memo, instrument: str) -> str:
    return next(a.text for a in m.answers if a.instrument == instrument)


# -- the question and the short answer ------------------------------------------------------


def test_the_question_is_in_words_with_state_names(memos):
    assert memos["br_pt"].question == (
        "Brazil asks Portugal to search, seize or disclose stored computer data "
        "(stored_data_access); fraud, maximum penalty 5 years; 1 June 2026")
    assert memos["de_us"].question.startswith(
        "Germany asks United States of America to extradite (surrender) a person")


def test_the_overall_verdict_is_the_engines(kb, memos):
    for name, request in (("br_pt", BR_PT), ("de_us", DE_US), ("ng_gh", NG_GH)):
        assert memos[name].overall == kb.evaluate(request).overall
    assert memos["fr_it"].overall == kb.evaluate(FR_IT, closed_world=True).overall


class Doctored:
    """A knowledge base whose engine answers a different overall verdict: the memo must
    show that one, since it never recomputes the overall."""

    def __init__(self, kb: Any) -> None:
        self._kb = kb
        self.instruments = kb.instruments
        self.compiled = kb.compiled
        self.engine = kb.engine
        self.networks = kb.networks

    def evaluate(self, *args: Any, **kwargs: Any) -> Any:
        result = self._kb.evaluate(*args, **kwargs)
        return attrs.evolve(result, overall=Overall("discretionary", ("comity",),
                                                    ("discretionary",), ()))


def test_the_memo_does_not_recompute_the_overall_verdict(kb):
    m = memo(Doctored(kb), NG_GH)
    assert m.overall.status == "discretionary"
    assert m.overall_text.startswith("discretionary: may assist, with no duty to")


def test_preservation_answer_names_the_grounds_and_their_article(memos):
    assert answer(memos["ng_gh"], "budapest") == (
        "must assist unless one of: political offence, essential interests (Art. 29(5))")


def test_an_instrument_that_may_not_apply_says_what_decides_it(memos):
    text = answer(memos["br_pt"], "budapest")
    assert text.startswith("may not apply, depending on: committed by computer, electronic "
                           "evidence (Arts. 23 and 25(1)); if it applies: must assist unless "
                           "one of:")
    assert "Art. 25(4), first sentence" in text
    untoc = answer(memos["br_pt"], "untoc")
    assert "transnational offence, organized criminal group" in untoc


def test_extradition_of_an_intruder_cites_article_24(memos):
    text = answer(memos["de_us"], "budapest")
    assert "(Art. 24(5))" in text and "extradition treaty (Art. 24(2))" in text
    assert "no dual criminality (Art. 24(1)(a))" in text


def test_a_determined_mandatory_verdict_reads_must_assist(memos):
    assert answer(memos["fr_it"], "eu_eaw") == "must assist"
    assert memos["fr_it"].overall_text == "mandatory: must assist (basis: eu_eaw)"


def test_an_obligatory_ground_reads_must_refuse_with_its_article(kb):
    m = memo(kb, {**FR_IT, "facts": {"amnesty": True}}, closed_world=True)
    assert answer(m, "eu_eaw") == "must refuse: amnesty (Art. 3(1)-(3))"


def test_an_optional_ground_reads_may_refuse_on(kb):
    request = make_request("FR", "US", "expedited_preservation",
                           offence={"category": "fraud", "electronic_evidence": True},
                           facts={"political_offence": True})
    m = memo(kb, request, closed_world=True)
    assert answer(m, "budapest") == "may refuse on: political_offence (Art. 29(5))"


def test_comity_reads_as_no_duty(memos):
    assert answer(memos["ng_gh"], "comity") == "may assist, with no duty to"


# -- what to ask ----------------------------------------------------------------------------


def test_the_decisive_questions_are_those_of_ask(kb, memos):
    from coop_logic.practice.ask import decisive_questions

    asked = decisive_questions(kb, BR_PT)
    assert [q.unknown for q in memos["br_pt"].questions] == list(asked.unknowns)
    first = memos["br_pt"].questions[0]
    assert first.text == QUESTIONS[first.unknown] and first.text.endswith("?")


def test_questions_for_the_requesting_state_and_assessments_for_the_requested_one(memos):
    text = memos["ng_gh"].to_text()
    ask = text.split("WHAT TO ASK NIGERIA")[1].split("FOR GHANA TO ASSESS")[0]
    assert "Is the offence transnational" in ask
    assess = text.split("FOR GHANA TO ASSESS")[1].split("HOW TO SEND IT")[0]
    assert "essential interests (Budapest Convention, Art. 29(5)" in assess
    assert "Art. 18(21)): if yes: may refuse." in assess


def test_a_determined_verdict_has_nothing_to_ask(memos):
    assert memos["fr_it"].questions == ()
    assert "Nothing: no unknown the requesting State can answer." in memos["fr_it"].to_text()


def test_every_fact_and_offence_field_has_a_question_and_every_measure_words():
    assert set(FACTS) <= set(QUESTIONS)
    assert {f"offence.{f}" for f in OFFENCE_FLAGS} <= set(QUESTIONS)
    assert set(MEASURES) == set(MEASURE_WORDS)


# -- how to send it -------------------------------------------------------------------------


def test_eu_surrender_shows_the_eaw_channel_and_the_art_17_time_limits(memos):
    m = memos["fr_it"]
    assert m.send is not None and m.send.instrument == "eu_eaw"
    text = m.to_text()
    send = text.split("HOW TO SEND IT")[1].split("CAVEATS")[0]
    assert "Channel: direct judicial" in send
    assert "Framework Decision 2002/584/JHA, Art. 9(1)" in send
    for limit in ("Art. 17(2)", "Art. 17(3)", "Art. 17(4)"):
        assert f"Framework Decision 2002/584/JHA, {limit}" in send
    assert "60 days (deadline)" in send
    assert "[ ] The identity and nationality of the requested person." in send


def test_preservation_goes_through_the_24_7_network(memos):
    m = memos["ng_gh"]
    assert m.send is not None and m.send.instrument == "budapest"
    assert m.send.channels[0].id == "network_24_7"
    assert "budapest_24_7" in {n.id for n in m.networks}
    assert "24/7 Network of the Budapest Convention (Art. 35)" in m.to_text()


def test_the_networks_both_states_belong_to_are_listed(memos):
    assert {"ejn", "eurojust"} <= {n.id for n in memos["fr_it"].networks}
    assert "iberred" in {n.id for n in memos["br_pt"].networks}
    assert "eurojust" in {n.id for n in memos["de_us"].networks}
    text = " ".join(memos["de_us"].to_text().split())
    assert ("(Germany: member state; United States of America: liaison prosecutor)"
            in text)


# -- caveats, sources, what does not apply --------------------------------------------------


def test_caveats_name_unverified_provisions_party_gaps_and_modelling_sections(memos):
    kinds = {c.kind for c in memos["br_pt"].caveats}
    assert {"unverified", "modelling", "reading"} <= kinds
    links = {c.link for c in memos["br_pt"].caveats if c.kind == "modelling"}
    assert {"docs/modelling.md#budapest-convention", "docs/modelling.md#untoc",
            "docs/modelling.md#channels-without-a-treaty"} <= links
    unverified = next(c.text for c in memos["br_pt"].caveats if c.kind == "unverified")
    assert "Comity of nations (no instrument)" in unverified
    gaps = [c.text for c in memos["fr_it"].caveats if c.kind == "party_data"]
    assert any("listed as a Party in data as of" in g for g in gaps), gaps


def test_every_instrument_links_a_real_section_of_the_modelling_notes(kb):
    headings = {line[3:].strip() for line in
                (REPO / "docs" / "modelling.md").read_text(encoding="utf-8").splitlines()
                if line.startswith("## ")}
    assert set(kb.instruments) <= set(MODELLING_SECTIONS)
    for heading in MODELLING_SECTIONS.values():
        assert heading in headings
    assert modelling_link("ecma_1959") == (
        "docs/modelling.md#european-convention-on-mutual-assistance-1959")
    assert slug("Second Additional Protocol (CETS 224)") == "second-additional-protocol-cets-224"


def test_without_the_docs_the_modelling_link_names_the_repository(kb, monkeypatch):
    import coop_logic.practice.memo as memo_module

    monkeypatch.setattr(memo_module, "docs_available", lambda: False)
    m = memo(kb, NG_GH)
    text = next(c.text for c in m.caveats if c.kind == "modelling")
    assert text.endswith("(docs/modelling.md in the coop_logic source repository).")


def test_sources_put_the_official_text_first(memos):
    kinds = [s.kind for s in memos["br_pt"].sources]
    assert kinds[0] == "official"
    first_other = next(i for i, k in enumerate(kinds) if k != "official")
    assert "official" not in kinds[first_other:]
    assert all(s.url.startswith(("http://", "https://")) for s in memos["br_pt"].sources)
    urls = {s.url for s in memos["fr_it"].sources}
    assert any("32002F0584" in u or "2002/584" in u or "eur-lex" in u.lower() for u in urls)


def test_the_instruments_that_do_not_apply_are_one_line(memos):
    ids = [i for i, _ in memos["fr_it"].not_applicable]
    assert "budapest" in ids and "eu_eaw" not in ids
    md = memos["fr_it"].to_markdown()
    section = md.split("## Do not apply")[1].strip().splitlines()[0]
    assert "Budapest Convention (budapest)" in section


# -- renderings -----------------------------------------------------------------------------


URL_LINE = re.compile(r"^\s*https?://\S+$")


@pytest.mark.parametrize("name", ["br_pt", "de_us", "ng_gh", "fr_it"])
def test_text_wraps_at_80_columns(memos, name):
    for line in memos[name].to_text().splitlines():
        assert len(line) <= WIDTH or URL_LINE.match(line), line


def test_the_sections_come_in_order(memos):
    text = memos["ng_gh"].to_text()
    order = ["QUESTION", "SHORT ANSWER", "WHAT TO ASK NIGERIA", "HOW TO SEND IT", "CAVEATS",
             "SOURCES (OFFICIAL TEXT FIRST)", "DO NOT APPLY"]
    positions = [text.index(f"\n{title}\n") for title in order]
    assert positions == sorted(positions)


def test_the_html_is_self_contained_and_prints_on_a4(memos):
    page = memos["fr_it"].to_html()
    assert page.startswith("<!DOCTYPE html>")
    assert "@page { size: A4;" in page and "@media print" in page
    assert not re.search(r"<(script|link|img|iframe|object)\b", page)
    assert not re.search(r"(?i)https?:", re.sub(r'<a href="[^"]*"', "<a", page))
    assert "France asks Italy to extradite" in page


def test_question_text_handles_an_unknown_penalty():
    request = Request.from_dict(make_request("FR", "DE", "evidence_collection"))
    assert question_text(request) == (
        "France asks Germany to gather evidence (evidence_collection); offence not stated, "
        "maximum penalty not stated; 1 June 2026")


# -- through the command --------------------------------------------------------------------




def write(tmp_path: Path, request: dict[str, Any], name: str = "req.yaml") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(request), encoding="utf-8")
    return path


def test_the_command_prints_the_text_memo(tmp_path, memos):
    proc = run("memo", write(tmp_path, BR_PT))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == memos["br_pt"].to_text()


def test_the_command_writes_html_to_a_file(tmp_path):
    out = tmp_path / "memo.html"
    proc = run("memo", write(tmp_path, FR_IT), "--format", "html", "-o", out, "--closed-world")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    page = out.read_text(encoding="utf-8")
    assert "European Arrest Warrant" in page and "Art. 17(3)" in page


def test_the_command_gives_markdown_for_the_intruder(tmp_path):
    proc = run("memo", write(tmp_path, DE_US), "--format", "md")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("# Memo: Germany -> United States of America, extradition")
    assert "## What to ask Germany" in proc.stdout


def test_the_command_keeps_to_the_instruments_asked_for(tmp_path):
    proc = run("memo", write(tmp_path, NG_GH), "--instrument", "budapest")
    assert proc.returncode == 0, proc.stderr
    assert "UNTOC (untoc):" not in proc.stdout
    assert "Budapest Convention (budapest): must assist unless one of" in proc.stdout


@pytest.mark.parametrize("args", [("--instrument", "budapes"), ("--format", "pdf")])
def test_bad_options_exit_2_with_nothing_on_stdout(tmp_path, args):
    proc = run("memo", write(tmp_path, NG_GH), *args)
    assert proc.returncode == 2 and proc.stdout == ""


def test_a_bad_request_exits_2_naming_the_field(tmp_path):
    proc = run("memo", write(tmp_path, {**NG_GH, "measure": "hacking"}))
    assert proc.returncode == 2 and proc.stdout == ""
    assert "measure" in proc.stderr
