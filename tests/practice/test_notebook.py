"""Results in a notebook: every result type displays as HTML, and asking for what is not
there names what is."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

import coop_logic
from coop_logic.practice import cooperation_map as cm
from coop_logic.practice.ask import decisive_questions
from coop_logic.practice.plan import plan
from coop_logic.practice.whatif import what_if
from tests.helpers import make_request

# A user treaty whose words hold what HTML must escape: a title, citations, a channel, a
# content item and summaries with `<`, `>` and `&`.
TREATY = """\
spec_version: 1
id: mlat_xx_yy
title: Treaty <b>X & Y</b>
sources: [{url: https://example.org/treaty}]
parties: all
tags: [mla_treaty]
procedure:
  speed: 3
  channels:
    - {id: central_authority, measures: all, cite: "Art. 5 <central> & co",
       summary: "Send it <script>alert(1)</script> & wait.", text_verified: true}
  contents:
    - {id: facts, measures: all, text: "The facts <all of them> & more.", cite: Art. 6,
       text_verified: true}
  time_limits:
    - {id: answer, measures: all, kind: deadline, days: 30, cite: Art. 7,
       summary: Answer within 30 days., text_verified: true}
rules:
  - id: mlat_xx_yy.art1
    cite: "Treaty X & Y, Art. 1"
    summary: "Covers evidence <of any kind> & more."
    source: https://example.org/treaty
    text_verified: true
    effect: scope
    measures: [evidence_collection]
  - id: mlat_xx_yy.art2
    cite: "Treaty X & Y, Art. 2 <duty>"
    summary: "The parties shall assist <always> & promptly."
    source: https://example.org/treaty
    text_verified: true
    effect: duty
    measures: [evidence_collection]
  - id: mlat_xx_yy.art3
    cite: Treaty X & Y, Art. 3
    summary: Assistance may be refused for a political offence.
    source: https://example.org/treaty
    text_verified: true
    effect: grounds
    measures: [evidence_collection]
    grounds: [political_offence]
"""

ILLEGAL_ACCESS = {"category": "illegal_access", "max_penalty_years": 5}


@pytest.fixture(scope="module")
def kb_treaty(tmp_path_factory: pytest.TempPathFactory, load_kb: Any) -> coop_logic.KnowledgeBase:
    path = tmp_path_factory.mktemp("treaty") / "mlat_xx_yy.yaml"
    path.write_text(TREATY, encoding="utf-8")
    return load_kb(extra_specs=[path])


def political_evidence_request() -> dict[str, Any]:
    """PG asks TV for evidence under the user treaty; the offence is political."""
    return make_request("PG", "TV", "evidence_collection", facts={"political_offence": True},
                        instruments=["mlat_xx_yy"])


def assert_escaped(html: str) -> None:
    """No markup from the specs got through and nothing is fetched: every `<` opens one of
    the fragment's own tags (no script, style, link, img or a), every `&` starts an escape."""
    assert "<script" not in html and "<b>" not in html and "<central>" not in html
    tags = set(re.findall(r"<(/?[a-z]+)", html))
    assert tags <= {"div", "/div", "strong", "/strong", "dl", "/dl", "dt", "/dt", "dd", "/dd",
                    "code", "/code", "ul", "/ul", "li", "/li", "em", "/em"}, tags
    assert not re.search(r"&(?!amp;|lt;|gt;|quot;|#x27;)", html)


def key_error(lookup: Any) -> str:
    with pytest.raises(KeyError) as err:
        lookup()
    return str(err.value)


# -- verdicts and maps ----------------------------------------------------------------------


def test_a_verdict_displays_as_html_and_an_unknown_instrument_is_named(kb):
    result = kb.evaluate(make_request(offence={"category": "illegal_access"}), closed_world=True)
    html = result["budapest"]._repr_html_()
    assert "Budapest Convention" in html and "mandatory" in html
    with pytest.raises(KeyError) as err:
        result["budapset"]
    assert "did you mean 'budapest'" in str(err.value)
    assert "untoc" in str(err.value)


def test_a_map_displays_as_html_and_an_unknown_pair_is_named():
    cmap = cm.build_map("expedited_preservation", ["FR", "US", "JP"],
                        date=dt.date(2026, 6, 1), closed_world=True)
    assert "Cooperation map" in cmap._repr_html_()
    assert cmap["FR", "US"].status == cmap.cell("FR", "US").status
    with pytest.raises(KeyError) as err:
        cmap["FR", "DE"]
    assert "FR->DE" in str(err.value) and "FR->US" in str(err.value)


# -- plans ----------------------------------------------------------------------------------


def test_a_plan_shows_the_request_and_each_basis_with_its_cited_channels_contents_and_limits(kb):
    p = plan(kb, make_request(offence=ILLEGAL_ACCESS), closed_world=True)
    html = p._repr_html_()
    assert "FR asks US for expedited preservation on 2026-06-01" in html
    assert "illegal_access" in html and "closed world" in html
    assert html.index("1. Budapest Convention [budapest]: mandatory") < html.index("[comity]")
    assert "network_24_7" in html and "Budapest Convention, Art. 35" in html  # channel, cited
    assert "Budapest Convention, Art. 29(2)(a)" in html  # a content item, cited
    assert "60 days" in html and "Budapest Convention, Art. 29(7)" in html  # the time limit
    assert_escaped(html)


def test_a_plan_is_indexed_by_instrument_and_a_mistyped_id_names_the_close_one(kb):
    p = plan(kb, make_request(offence=ILLEGAL_ACCESS), closed_world=True)
    assert p["budapest"] is p.best
    assert "network_24_7" in p["budapest"]._repr_html_()
    message = key_error(lambda: p["budapst"])
    assert "did you mean 'budapest'" in message
    assert "budapest" in message and "comity" in message and "letters_rogatory" in message


def test_a_plan_says_an_instrument_that_does_not_apply_is_no_basis(kb):
    p = plan(kb, make_request(offence=ILLEGAL_ACCESS), closed_world=True)
    assert "eu_eio" in p.not_applicable
    message = key_error(lambda: p["eu_eio"])
    assert "not a basis" in message and "does not apply" in message and "budapest" in message


def test_a_plan_escapes_what_a_user_treaty_says(kb_treaty):
    p = plan(kb_treaty, political_evidence_request(), closed_world=True)
    html = p._repr_html_()
    assert "Treaty &lt;b&gt;X &amp; Y&lt;/b&gt; [mlat_xx_yy]: refusable" in html
    assert "Send it &lt;script&gt;alert(1)&lt;/script&gt; &amp; wait." in html
    assert "Art. 5 &lt;central&gt; &amp; co" in html
    assert "The facts &lt;all of them&gt; &amp; more." in html
    assert_escaped(html)


# -- decisive questions ---------------------------------------------------------------------


def open_preservation() -> dict[str, Any]:
    """Budapest, with the two Art. 29(5) grounds left open and every other fact false."""
    facts = {f: False for f in coop_logic.FACTS
             if f not in ("political_offence", "essential_interests")}
    return make_request(offence={**ILLEGAL_ACCESS, "transnational": True,
                                 "organized_criminal_group": False,
                                 "committed_by_computer": True, "electronic_evidence": True},
                        facts=facts, instruments=["budapest"])


def untoc_scope_open() -> dict[str, Any]:
    """UNTOC, stored data: every fact known false, the whole offence unknown."""
    return make_request(measure="stored_data_access",
                        facts=dict.fromkeys(coop_logic.FACTS, False), instruments=["untoc"])


def test_questions_are_worded_for_people_with_the_verdicts_they_settle_and_the_answers(kb):
    q = decisive_questions(kb, open_preservation())
    html = q._repr_html_()
    assert "the requested State regards the offence as political or connected with one?" in html
    assert q["political_offence"].instruments == ("budapest",)
    assert "helps settle" in html and "<dd>budapest</dd>" in html
    assert "political_offence = true</code></dt><dd>refusable" in html
    assert "political_offence = false</code></dt><dd>still mandatory or refusable" in html
    assert "open world: a fact not stated is unknown" in html
    assert_escaped(html)
    alone = q["political_offence"]._repr_html_()
    assert "political or connected with one?" in alone and "helps settle" in alone


def test_a_question_asked_jointly_says_with_which_answers_and_escapes_its_labels(kb):
    q = decisive_questions(kb, untoc_scope_open(), instrument="untoc")
    html = q._repr_html_()
    assert q["offence.category"].instruments == ("untoc",)  # outside depends_on, still untoc's
    assert "What is the maximum penalty in the requesting State, in years?" in html
    assert "asked jointly" in html and "only not_applicable remains possible" in html
    assert "offence.max_penalty_years &gt;= 1 and &lt; 3" in html  # a label with `<`
    assert "and < 3" not in html
    assert_escaped(html)


def test_a_mistyped_question_names_the_close_fact_and_the_questions_there_are(kb):
    q = decisive_questions(kb, open_preservation())
    message = key_error(lambda: q["politcal_offence"])
    assert "did you mean 'political_offence'" in message
    assert "essential_interests" in message


def test_a_determined_verdict_says_there_is_nothing_to_ask(kb):
    q = decisive_questions(kb, make_request(offence=ILLEGAL_ACCESS), closed_world=True)
    assert "nothing to ask" in q._repr_html_()
    assert "nothing to ask" in key_error(lambda: q["political_offence"])


# -- what-if --------------------------------------------------------------------------------


def test_a_what_if_answer_shows_the_change_and_marks_the_verdict_it_changes(kb):
    request = make_request(offence=ILLEGAL_ACCESS, facts={"political_offence": True})
    w = what_if(kb, request, "mandatory", closed_world=True)
    answer = w.of_kind("facts")[0]
    html = answer._repr_html_()
    assert "political_offence: true -&gt; false" in html
    assert "Budapest Convention [budapest]: refusable -&gt; mandatory (changed)" in html
    assert '<div class="changed"' in html
    assert "Budapest Convention, Art. 29(1)" in html  # the verdict after, cited
    assert answer["budapest"].status == "mandatory"
    assert "refusable -&gt; mandatory" in w._repr_html_()
    assert_escaped(html.replace('<div class="changed" style', "<div style"))


def test_an_instrument_considered_only_after_the_change_is_not_marked_changed(kb):
    request = make_request(offence={**ILLEGAL_ACCESS, "transnational": True,
                                    "organized_criminal_group": True},
                           facts={"political_offence": True}, instruments=["budapest"])
    w = what_if(kb, request, "mandatory", closed_world=True)
    answer = next(a for a in w.of_kind("instrument") if a.instrument == "untoc")
    html = answer._repr_html_()
    assert "under untoc alone" in html
    assert "UNTOC [untoc]: not considered -&gt; mandatory (unchanged)" in html
    assert 'class="changed"' not in html


def test_a_contrast_shows_why_not_the_target_and_escapes_the_treaty(kb_treaty):
    w = what_if(kb_treaty, political_evidence_request(), "mandatory", instrument="mlat_xx_yy",
                closed_world=True)
    contrast = w["mlat_xx_yy"]
    html = contrast._repr_html_()
    assert "Why mlat_xx_yy is refusable and not mandatory" in html
    assert "Treaty X &amp; Y, Art. 3: Assistance may be refused for a political offence." in html
    assert "Covers evidence &lt;of any kind&gt; &amp; more." in html
    assert "political_offence</code></dt><dd>true (the requested State regards" in html
    assert_escaped(html)
    after = w.answers[0]._repr_html_()
    assert "The parties shall assist &lt;always&gt; &amp; promptly." in after
    assert "Treaty X &amp; Y, Art. 2 &lt;duty&gt;" in after


def test_a_mistyped_instrument_in_a_what_if_names_the_close_one(kb):
    request = make_request(offence=ILLEGAL_ACCESS, facts={"political_offence": True})
    w = what_if(kb, request, "mandatory", instrument="budapest", closed_world=True)
    message = key_error(lambda: w.answers[0]["budapset"])
    assert "did you mean 'budapest'" in message and "there are: budapest" in message
    message = key_error(lambda: w["budapset"])
    assert "did you mean 'budapest'" in message and "budapest" in message


def test_a_what_if_whose_target_is_reached_says_there_is_no_contrast(kb):
    w = what_if(kb, make_request(offence=ILLEGAL_ACCESS), "mandatory", instrument="budapest",
                closed_world=True)
    assert w.reached and "already reached" in w._repr_html_()
    assert "already reached" in key_error(lambda: w["budapest"])


def test_a_lookup_in_an_empty_record_says_it_has_none():
    from coop_logic.model.result import unknown_key

    assert unknown_key("question", "urgent", []) == (
        "no question 'urgent' in this result: it has none")
    assert unknown_key("basis", "untco", ["untoc"]).endswith(
        "did you mean 'untoc'?; there are: untoc")
