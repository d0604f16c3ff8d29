"""The review page (`coop-logic doc`, review.py): an encoding laid out along the treaty.

Articles in file order with each rule's logic in words, the examples, law tests and
properties that bear on it, coverage, party data, what is not encoded, and a flag on every
provision whose text was not verified; as Markdown and as one self-contained HTML page
(checked in headless Chromium when one is installed).
"""

from __future__ import annotations

import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

import coop_logic
from coop_logic.analysis.review import (
    LAW_TESTS_UNAVAILABLE,
    NOT_VERIFIED,
    article_refs,
    condition_outline,
    effect_words,
    repository_law_tests,
    review_instrument,
    to_html,
    to_markdown,
)
from coop_logic.analysis.spec_examples import run_examples
from coop_logic.model.conditions import parse_condition

EXE = Path(sys.executable).parent / "coop-logic"
ROOT = Path(__file__).resolve().parents[2]
MLAT = ROOT / "examples" / "mlat_au_pt.yaml"




@pytest.fixture(scope="module")
def untoc(kb: coop_logic.KnowledgeBase):
    report = run_examples(kb, ["untoc"])
    return review_instrument(kb.instruments["untoc"], coverage=report.coverage[0],
                             outcomes=report.outcomes, law_tests_dir=repository_law_tests())


def rule_review(review, rule_id: str):
    return next(rr for a in review.articles for rr in a.rules if rr.rule.id == rule_id)


# -- the logic in words -------------------------------------------------------------------------


def test_the_condition_is_printed_from_its_tree_with_definitions_expanded() -> None:
    covered = parse_condition("category in {money_laundering} or max_penalty_years >= 4")
    tree = parse_condition("covered and not (no_dual_criminality or bound(ecma_1959))",
                           {"covered": covered})
    assert condition_outline(tree) == (
        "all of:",
        "  - any of:",
        "      - offence category in {money_laundering}",
        "      - maximum penalty >= 4 years",
        "  - none of:",
        "      - no_dual_criminality",
        "      - both States bound by ecma_1959",
    )
    assert condition_outline(parse_condition("not political_offence")) == (
        "not political_offence",)


def test_the_effect_says_what_a_rule_does(kb: coop_logic.KnowledgeBase) -> None:
    budapest = kb.instruments["budapest"]
    closed = budapest.rule("budapest.art29.5")
    assert effect_words(closed).startswith("grounds (closed list): the requested State may "
                                           "refuse on political_offence, essential_interests")
    assert "no other ground is available" in effect_words(closed)
    obligatory = next(r for i in kb.instruments.values() for r in i.rules if r.obligatory)
    assert "obligatory" in effect_words(obligatory) and "must refuse" in effect_words(obligatory)
    assert effect_words(kb.instruments["untoc"].rule("untoc.art18.1")).startswith(
        "duty: the requested State must")
    assert effect_words(kb.instruments["untoc"].rule("untoc.art18.8")).startswith(
        "exclusion: the requested State may not refuse on bank_secrecy_only")


def test_citations_name_articles_and_paragraphs() -> None:
    assert article_refs("UNTOC, Art. 18(1) and (7)") == {("18", "1"), ("18", "7")}
    assert article_refs("UNTOC, Art. 16(4)-(5)") == {("16", "4"), ("16", "5")}
    assert article_refs("UNTOC, Arts. 3(1), 16(1) and 18(1)") == {
        ("3", "1"), ("16", "1"), ("18", "1")}
    assert article_refs("Comity") == set()


# -- the review of one instrument -----------------------------------------------------------


def test_rules_appear_in_file_order_grouped_by_citation(kb, untoc) -> None:
    inst = kb.instruments["untoc"]
    shown = [rr.rule.id for a in untoc.articles for rr in a.rules]
    assert sorted(shown) == sorted(r.id for r in inst.rules)
    for article in untoc.articles:
        assert {rr.rule.cite for rr in article.rules} == {article.cite}
    firsts = [next(r.id for r in inst.rules if r.cite == a.cite) for a in untoc.articles]
    order = [r.id for r in inst.rules]
    assert firsts == sorted(firsts, key=order.index)


def test_each_rule_lists_the_examples_law_tests_and_properties_that_bear_on_it(untoc) -> None:
    art16_4 = rule_review(untoc, "untoc.art16.4")
    assert "untoc.example.extradition_without_a_treaty_basis" in {
        e.example.id for e in art16_4.examples}
    assert all(e.passed for e in art16_4.examples)
    names = {t.name for t in art16_4.law_tests}
    assert "test_art16_4_gives_no_duty_without_a_treaty_basis" in names
    assert not any(re.search(r"art16_1[0-9]", n) for n in names)
    assert {p.id for p in art16_4.properties} == {
        "untoc.property.no_extradition_duty_without_treaty_basis"}
    bank = rule_review(untoc, "untoc.art18.8")
    assert "untoc.property.no_bank_secrecy" in {p.id for p in bank.properties}


def test_coverage_names_the_rules_no_example_exercises(kb) -> None:
    report = run_examples(kb, ["budapest"])
    coverage = report.coverage[0]
    review = review_instrument(kb.instruments["budapest"], coverage=coverage,
                               outcomes=report.outcomes)
    assert review.unexercised == coverage.unexercised
    for article in review.articles:
        for rr in article.rules:
            assert rr.exercised == (rr.rule.id not in coverage.unexercised)


def test_the_party_data_summary_counts_the_parties(kb, untoc) -> None:
    data = kb.instruments["untoc"].parties
    assert untoc.parties.listed == len(data.entries)
    assert 0 < untoc.parties.parties <= untoc.parties.listed
    assert untoc.parties.as_of == data.as_of
    assert untoc.parties.completeness == data.completeness
    assert data.sources[0].url in untoc.parties.sources


def test_markdown_shows_what_a_lawyer_reviews(kb, untoc) -> None:
    md = to_markdown([untoc])
    inst = kb.instruments["untoc"]
    for rule in inst.rules:
        assert f"**`{rule.id}`**" in md
        assert rule.source in md
    for item in inst.not_encoded:
        assert " ".join(item.reason.split())[:40].replace("_", r"\_") in md
    unverified = [r for r in inst.rules if not r.text_verified]
    assert unverified and md.count(NOT_VERIFIED) == len(unverified) + 1  # + the banner
    assert "## Party data" in md and "Completeness: " in md
    assert "test\\_art16\\_4\\_gives\\_no\\_duty" not in md  # names are code, not escaped
    assert "`test_art16_4_gives_no_duty_without_a_treaty_basis`" in md


def test_without_the_repository_the_page_says_law_tests_are_not_available(kb) -> None:
    review = review_instrument(kb.instruments["untoc"], law_tests_dir=None)
    assert not review.law_tests_available
    assert all(rr.law_tests is None for a in review.articles for rr in a.rules)
    assert LAW_TESTS_UNAVAILABLE in to_markdown([review])
    assert LAW_TESTS_UNAVAILABLE in to_html([review])


# -- HTML -----------------------------------------------------------------------------------


class Tags(HTMLParser):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def test_the_html_page_is_self_contained(kb, untoc) -> None:
    page = to_html([untoc])
    tags = Tags(page).tags
    assert not {t for t, _ in tags} & {"script", "link", "img", "iframe", "object"}
    # No URL anywhere but in a link (whose text may show it).
    assert not re.search(r"(?i)https?:", re.sub(r'<a href="[^"]*"[^>]*>[^<]*</a>', "", page))
    ids = {a.get("id") for _, a in tags}
    assert {r.id for r in kb.instruments["untoc"].rules} <= ids
    assert "<style>" in page and "Content-Security-Policy" in page


def test_a_spec_cannot_inject_markup(kb) -> None:
    import attrs

    inst = kb.instruments["untoc"]
    rule = attrs.evolve(inst.rules[0], summary="<script>alert(1)</script>",
                        source="javascript:alert(1)")
    page = to_html([review_instrument(attrs.evolve(inst, rules=(rule,)))])
    assert "<script>" not in page and 'href="javascript' not in page
    assert "&lt;script&gt;" in page


# -- the command ----------------------------------------------------------------------------


def test_doc_without_spec_gives_an_index_and_a_section_per_instrument(kb, tmp_path) -> None:
    out = tmp_path / "review.html"
    proc = run("doc", "-o", out)
    assert proc.returncode == 0, proc.stderr
    page = out.read_text(encoding="utf-8")
    for inst in kb.instruments.values():
        assert f'<section class="instrument" id="{inst.id}">' in page
        assert f'<a href="#{inst.id}">' in page


def test_doc_writes_one_file_per_instrument_into_a_folder(tmp_path) -> None:
    proc = run("doc", "untoc", "budapest", "--format", "md", "-o", tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["budapest.md", "index.md", "untoc.md"]
    assert "(untoc.md)" in (tmp_path / "index.md").read_text(encoding="utf-8")
    assert (tmp_path / "untoc.md").read_text(encoding="utf-8").startswith(
        "# United Nations Convention against Transnational Organized Crime")


def test_doc_of_a_spec_file_reviews_that_spec(tmp_path) -> None:
    proc = run("doc", MLAT, "--format", "md")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("# Treaty between the Republic of Portugal and Australia")
    assert "`mlat_au_pt`" in proc.stdout and "`budapest`" not in proc.stdout
    assert "- Law tests: " + LAW_TESTS_UNAVAILABLE in proc.stdout  # no tests/law file for it
    assert "## Articles" in proc.stdout and "## Coverage by the spec examples" in proc.stdout


def test_doc_refuses_an_unknown_instrument() -> None:
    proc = run("doc", "untok")
    assert proc.returncode == 2 and proc.stdout == ""
    assert "'untok' is neither a loaded instrument nor a spec file" in proc.stderr
    assert "untoc" in proc.stderr


# -- in a browser ---------------------------------------------------------------------------

from tests.cli import test_html_in_browser as browser  # noqa: E402
from tests.helpers import run_cli as run  # noqa: E402

needs_chromium = pytest.mark.skipif(browser.BROWSER is None,
                                    reason="no chromium or chromium-browser binary on PATH "
                                           "(apt-get install -y chromium)")


@needs_chromium
def test_the_review_page_renders_in_chromium_without_fetching(kb, untoc, tmp_path) -> None:
    page = tmp_path / "review.html"
    page.write_text(to_html([untoc]), encoding="utf-8")
    dom, requests = browser.load(page, tmp_path / "profile")
    assert requests == set()
    text = " ".join(re.sub(r"<[^>]+>", " ", dom).split())
    assert "United Nations Convention against Transnational Organized Crime" in text
    assert "duty: the requested State must give the assistance" in text
    assert NOT_VERIFIED in text
    shot = tmp_path / "review.png"
    browser.chromium(page, tmp_path / "profile2", "--hide-scrollbars", "--window-size=1100,1600",
                     f"--screenshot={shot}")
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert (int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")) == (1100, 1600)
    assert len(data) > 20_000  # a blank page compresses to a few kB; text and colour do not
