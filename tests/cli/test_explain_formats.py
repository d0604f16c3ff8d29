"""`explain --format md|html` and `Result.to_markdown()/to_html()/_repr_html_()`.

The Markdown and HTML documents carry the whole proof trace: every provision cited with a
link to its source, the status words, the unknowns of an undetermined verdict, party data
and reservations, and the disclaimer. Strings from a spec are escaped, so a spec cannot
inject markup into the page.
"""

from __future__ import annotations

import html
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

import coop_logic
from coop_logic.explain import markup as render
from coop_logic.explain.text import explanation_text, unless_all
from coop_logic.model.result import PartyStep, ProvisionStep, ReservationStep, Result
from tests.helpers import run_cli as run

EXE = Path(sys.executable).parent / "coop-logic"
ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "requests"
MLAT = ROOT / "examples" / "mlat_au_pt.yaml"
DISCLAIMER = "Decision support from encoded treaty law, not legal advice."
STATUS_WORDS = {
    "mandatory": ("MANDATORY", "the requested State must assist"),
    "refusable": ("REFUSABLE", "the requested State may lawfully refuse"),
    "discretionary": ("DISCRETIONARY", "imposes no duty to assist"),
    "not_applicable": ("NOT APPLICABLE", "the instrument does not govern this request"),
    "undetermined": ("UNDETERMINED", "the known facts leave more than one verdict open"),
}
UNVERIFIED = "text not verified"
MD_LINK = re.compile(r"\[((?:\\.|[^\]\\])*)\]\(<([^>\n]*)>\)")




# -- a small reader of the HTML ----------------------------------------------------------------

class Page(HTMLParser):
    """Every tag and attribute, and each provision <li> with the links inside it."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.provisions: list[dict[str, object]] = []
        self._stack: list[str] = []
        self._provision: dict[str, object] | None = None
        self._depth = 0
        self._in_a = False
        self.text_parts: list[str] = []
        self.feed(text)
        self.close()

    @property
    def text(self) -> str:
        return " ".join("".join(self.text_parts).split())

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag in {"meta", "link", "br", "img", "input", "hr"}:
            return
        self._stack.append(tag)
        classes = (attributes.get("class") or "").split()
        if tag == "li" and "provision" in classes and self._provision is None:
            self._provision = {"id": attributes.get("data-id"), "links": [], "text": []}
            self._depth = len(self._stack)
        if tag == "a" and self._provision is not None:
            self._provision["links"].append([attributes.get("href"), ""])  # type: ignore[union-attr]
            self._in_a = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._in_a = False
        if self._provision is not None and tag == "li" and len(self._stack) == self._depth:
            self.provisions.append(self._provision)
            self._provision = None
        if self._stack and self._stack[-1] == tag:
            self._stack.pop()

    def handle_data(self, data: str) -> None:
        self.text_parts.append(data)
        if self._provision is not None:
            self._provision["text"].append(data)  # type: ignore[union-attr]
            if self._in_a:
                self._provision["links"][-1][1] += data  # type: ignore[index]


def md_links(text: str) -> set[tuple[str, str]]:
    """(label, url) of every Markdown link, the label's backslash escapes undone."""
    return {(re.sub(r"\\(.)", r"\1", label), url) for label, url in MD_LINK.findall(text)}


def provisions(result: Result) -> list[ProvisionStep]:
    return [s for v in result.verdicts.values() for s in v.trace if isinstance(s, ProvisionStep)]


def norm(text: str) -> str:
    return " ".join(text.split())


# -- the requests ------------------------------------------------------------------------------

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))


@pytest.fixture(scope="module")
def mlat_kb() -> coop_logic.KnowledgeBase:
    return coop_logic.load(extra_specs=[MLAT])


@pytest.fixture(scope="module", params=[p.name for p in EXAMPLE_FILES])
def result(request, kb) -> Result:
    return kb.evaluate(coop_logic.Request.from_file(EXAMPLES / request.param))


@pytest.fixture(scope="module")
def preservation(kb) -> Result:
    """Undetermined overall, a refusable Budapest verdict with a reservation, digests."""
    return kb.evaluate(coop_logic.Request.from_file(EXAMPLES / "at-preservation-fraud.yaml"))


def test_the_examples_cover_every_kind_of_step_and_status(kb):
    results = [kb.evaluate(coop_logic.Request.from_file(p)) for p in EXAMPLE_FILES]
    statuses = {v.status for r in results for v in r.verdicts.values()}
    assert statuses == set(STATUS_WORDS)
    kinds = {type(s) for r in results for v in r.verdicts.values() for s in v.trace}
    assert {ProvisionStep, PartyStep, ReservationStep} <= kinds
    assert any(not s.text_verified for r in results for s in provisions(r))


# -- Markdown ----------------------------------------------------------------------------------

def test_markdown_links_every_provision_to_its_source(result):
    text = render.to_markdown(result)
    links = md_links(text)
    for step in provisions(result):
        assert (norm(step.cite), step.source) in links, step.id


def test_markdown_has_the_status_words_unknowns_and_disclaimer(result):
    text = render.to_markdown(result)
    plain = re.sub(r"\\(.)", r"\1", text)
    assert DISCLAIMER in plain
    for verdict in [*result.verdicts.values()]:
        label, gloss = STATUS_WORDS[verdict.status]
        assert f"{verdict.title} (`{verdict.instrument}`): {label}" in plain
        assert gloss in plain
        for unknown in verdict.depends_on:
            assert f"`{unknown}`" in text
    label, _ = STATUS_WORDS[result.overall.status]
    assert f"## Overall: {label}" in text
    for possible in result.overall.possible if result.overall.status == "undetermined" else ():
        assert f"**{possible}**" in text


def test_markdown_cites_party_data_with_source_and_date(preservation):
    text = render.to_markdown(preservation)
    links = md_links(text)
    for verdict in preservation.verdicts.values():
        for step in verdict.trace:
            if isinstance(step, PartyStep):
                assert ("source", step.source) in links
                assert step.basis in re.sub(r"\\(.)", r"\1", text)
                if step.as_of:
                    assert f"party data as of {step.as_of.isoformat()}" in text
    assert "reservation of AT to `budapest`, art. 29(4)" in text


def test_markdown_flags_unverified_provisions(preservation):
    text = render.to_markdown(preservation)
    unverified = [s for s in provisions(preservation) if not s.text_verified]
    assert unverified
    assert text.count(UNVERIFIED) == len(unverified)
    # The flag stands on the provision's own line.
    for line in text.splitlines():
        if UNVERIFIED in line:
            assert any(f"(`{s.id}`)" in line for s in unverified), line


def test_markdown_of_one_instrument(preservation):
    text = render.to_markdown(preservation, "budapest")
    assert "## Budapest Convention (`budapest`): REFUSABLE" in text
    assert "Overall" not in text
    assert "`comity`" not in text
    assert DISCLAIMER in re.sub(r"\\(.)", r"\1", text)


# -- HTML --------------------------------------------------------------------------------------

def test_html_links_every_provision_to_its_source(result):
    page = Page(render.to_html(result))
    wanted = [(s.id, norm(s.cite), s.source) for s in provisions(result)]
    found = []
    for item in page.provisions:
        links = item["links"]
        assert len(links) == 1, item  # type: ignore[arg-type]
        href, label = links[0]  # type: ignore[index]
        assert href.startswith(("http://", "https://")), item
        found.append((item["id"], norm(label), href))
    assert sorted(found) == sorted(wanted)


def test_html_has_the_status_words_unknowns_and_disclaimer(result):
    page = Page(render.to_html(result))
    text = page.text
    assert DISCLAIMER in text
    for verdict in result.verdicts.values():
        label, gloss = STATUS_WORDS[verdict.status]
        assert f"{label}: {gloss}" in text or gloss in text
        assert f"{verdict.title} {verdict.instrument} {label}" in text
        for unknown in verdict.depends_on:
            assert unknown in text
        if verdict.status == "undetermined":
            assert "Still possible: " + ", ".join(verdict.possible) + "." in text
    label, _ = STATUS_WORDS[result.overall.status]
    assert f"Overall: {label}" in text


def test_html_gives_facts_with_their_meaning_and_party_data_with_source_and_date(preservation):
    page = Page(render.to_html(preservation))
    text = page.text
    assert ("no_dual_criminality = true: the conduct is not a criminal offence under the "
            "requested State's law") in text
    hrefs = {a.get("href") for tag, a in page.tags if tag == "a"}
    for verdict in preservation.verdicts.values():
        for step in verdict.trace:
            if isinstance(step, PartyStep | ReservationStep):
                assert step.source in hrefs
                assert step.basis in text
            if isinstance(step, PartyStep) and step.as_of:
                assert f"party data as of {step.as_of.isoformat()}" in text
    assert "Reservation of AT to budapest, art. 29(4)" in text


def test_html_flags_unverified_provisions(preservation):
    page = Page(render.to_html(preservation))
    for item in page.provisions:
        step = next(s for s in provisions(preservation) if s.id == item["id"])
        flagged = UNVERIFIED in "".join(item["text"])  # type: ignore[arg-type]
        assert flagged == (not step.text_verified), step.id


def test_html_is_self_contained(result):
    doc = render.to_html(result)
    page = Page(doc)
    tags = [tag for tag, _ in page.tags]
    assert tags[0] == "html" and doc.startswith("<!DOCTYPE html>")
    assert not {"script", "img", "link", "iframe", "object", "embed", "base", "form"} & set(tags)
    for tag, attrs in page.tags:
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            if name == "src":
                pytest.fail(f"<{tag} src=...> in a self-contained page")
            if name == "href":
                assert tag == "a", tag
                assert value and value.startswith(("http://", "https://", "#")), value
    # No URL outside an <a href>: the style holds no url(), @import or remote font.
    without_links = re.sub(r'<a href="[^"]*"', "<a", doc)
    assert not re.search(r"(?i)https?:", without_links)
    assert "url(" not in doc and "@import" not in doc
    csp = next(a["content"] for t, a in page.tags
               if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in csp  # type: ignore[operator]
    anchors = {a["id"] for _, a in page.tags if "id" in a}
    for _, attrs in page.tags:
        if (attrs.get("href") or "").startswith("#"):
            assert attrs["href"][1:] in anchors  # type: ignore[index]


def test_html_of_one_instrument(preservation):
    page = Page(render.to_html(preservation, "eu_eio"))
    assert "Overall" not in page.text
    assert "European Investigation Order Directive eu_eio UNDETERMINED" in page.text
    assert "Still possible: mandatory, refusable." in page.text
    assert {p["id"] for p in page.provisions} == {
        s.id for s in preservation["eu_eio"].trace if isinstance(s, ProvisionStep)}


def test_result_methods_delegate_to_render(preservation):
    assert preservation._repr_html_() == render.to_html(preservation)
    assert preservation.to_html() == render.to_html(preservation)
    assert preservation.to_html("budapest") == render.to_html(preservation, "budapest")
    assert preservation.to_markdown() == render.to_markdown(preservation)
    assert preservation.to_markdown("comity") == render.to_markdown(preservation, "comity")


def test_a_user_treaty_is_rendered_with_its_own_citations(mlat_kb):
    request = coop_logic.Request.from_file(EXAMPLES / "pt_au_stored_data_fraud.yaml")
    result = mlat_kb.evaluate(request, closed_world=True)
    assert result["mlat_au_pt"].status == "mandatory"
    cites = {(p["id"], p["links"][0][0]) for p in Page(result.to_html()).provisions}  # type: ignore[index]
    assert ("mlat_au_pt.art1.1",
            "https://debates.parlamento.pt/catalogo/r3/dar/s2a/05/04/003/1990-10-19/38") in cites


# -- escaping ----------------------------------------------------------------------------------

EVIL = '<script>alert("x")</script> & <img src=x onerror=alert(1)> [link](javascript:alert(1))'


def evil_spec(tmp_path: Path) -> Path:
    """The Australia-Portugal MLAT with markup in its title, citations and summaries, and a
    `javascript:` source on one rule."""
    spec = yaml.safe_load(MLAT.read_text(encoding="utf-8"))
    spec["title"] = spec["short_title"] = "Evil <b>MLAT</b> " + EVIL
    for rule in spec["rules"]:
        rule["cite"] = rule["cite"] + " <i>cite</i>"
        rule["summary"] = rule["summary"] + " " + EVIL
    spec["rules"][0]["source"] = "javascript:alert(1)"
    path = tmp_path / "mlat_au_pt.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def test_html_escapes_what_a_spec_says(tmp_path):
    spec = evil_spec(tmp_path)
    proc = run("explain", EXAMPLES / "pt_au_stored_data_fraud.yaml", "--closed-world",
               "--spec", spec, "--format", "html")
    assert proc.returncode == 0, proc.stderr
    doc = proc.stdout
    page = Page(doc)
    tags = {tag for tag, _ in page.tags}
    assert not {"script", "img", "b", "i"} & tags
    assert "<script" not in doc.lower() and "<img" not in doc.lower()
    assert html.escape('<script>alert("x")</script>') in doc
    assert all(not name.startswith("on") for _, attrs in page.tags for name in attrs)
    hrefs = [a.get("href") or "" for t, a in page.tags if t == "a"]
    assert not [h for h in hrefs if "javascript" in h.lower()]
    # The text reads as the spec wrote it.
    assert 'Evil <b>MLAT</b> <script>alert("x")</script>' in page.text
    # The rule with a `javascript:` source is cited without a link, its source shown as text.
    [scope] = [p for p in page.provisions if p["id"] == "mlat_au_pt.art1.scope"]
    assert scope["links"] == []
    assert "(source: javascript:alert(1))" in "".join(scope["text"])  # type: ignore[arg-type]
    others = [p for p in page.provisions if p["id"] != "mlat_au_pt.art1.scope"]
    assert others and all(p["links"][0][0].startswith(("http://", "https://"))  # type: ignore[index]
                          for p in others)


def test_markdown_escapes_what_a_spec_says(tmp_path):
    spec = evil_spec(tmp_path)
    proc = run("explain", EXAMPLES / "pt_au_stored_data_fraud.yaml", "--closed-world",
               "--spec", spec, "--format", "md")
    assert proc.returncode == 0, proc.stderr
    text = proc.stdout
    # Every "<" is backslash-escaped (it renders as a literal "<"), but a link's "](<url>)".
    assert not re.search(r"(?<![\\(])<", text)
    assert r"\<script\>alert" in text and r"\<img src=x" in text
    assert all(not url.lower().startswith("javascript") for _, url in md_links(text))
    assert r"\[link\](javascript" in text  # escaped: no link
    assert not re.search(r"(?<!\\)\]\(javascript", text)


def test_markdown_renders_as_commonmark_without_markup_from_the_spec(tmp_path):
    """Through a CommonMark renderer (raw HTML allowed), the escaped text stays text and
    every provision is a link to its source."""
    markdown_it = pytest.importorskip("markdown_it")
    spec = evil_spec(tmp_path)
    kb = coop_logic.load(extra_specs=[spec])
    result = kb.evaluate(coop_logic.Request.from_file(EXAMPLES / "pt_au_stored_data_fraud.yaml"),
                         closed_world=True)
    rendered = markdown_it.MarkdownIt("commonmark").enable("table").render(result.to_markdown())
    page = Page(rendered)
    assert not {"script", "img", "b", "i"} & {tag for tag, _ in page.tags}
    assert 'Evil <b>MLAT</b> <script>alert("x")</script>' in page.text
    links = {(a.get("href"), None) for t, a in page.tags if t == "a"}
    assert not [h for h, _ in links if "javascript" in (h or "")]
    for step in provisions(result):
        if step.source.startswith("http"):
            assert (step.source, None) in links, step.id
            assert norm(step.cite) in page.text


# -- the command line --------------------------------------------------------------------------

def test_cli_markdown(kb):
    path = EXAMPLES / "at-preservation-fraud.yaml"
    proc = run("explain", path, "--format", "md")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert proc.stdout == render.to_markdown(kb.evaluate(coop_logic.Request.from_file(path)))
    assert "\x1b[" not in proc.stdout


def test_cli_html(kb):
    path = EXAMPLES / "fr-us-preservation.yaml"
    proc = run("explain", path, "--format", "html", "--instrument", "budapest")
    assert proc.returncode == 0, proc.stderr
    result = kb.evaluate(coop_logic.Request.from_file(path), instruments=["budapest"])
    assert proc.stdout == render.to_html(result, "budapest")
    page = Page(proc.stdout)
    assert "Budapest Convention budapest MANDATORY" in page.text
    assert page.provisions


def test_cli_text_is_the_default_and_unchanged(kb):
    path = EXAMPLES / "at-preservation-fraud.yaml"
    default, text = run("explain", path), run("explain", path, "--format", "text")
    assert default.returncode == text.returncode == 0
    assert default.stdout == text.stdout
    result = kb.evaluate(coop_logic.Request.from_file(path))
    assert default.stdout == explanation_text(result, unless_found=unless_all(kb, result))


def test_cli_refuses_an_unknown_format():
    proc = run("explain", EXAMPLES / "at-preservation-fraud.yaml", "--format", "pdf")
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "--format" in proc.stderr


def test_cli_bad_input_prints_nothing_on_stdout(tmp_path):
    proc = run("explain", tmp_path / "missing.yaml", "--format", "html")
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "missing.yaml" in proc.stderr
