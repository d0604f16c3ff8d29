"""The review page of an instrument: its encoding laid out along the treaty, for lawyers.

As Catala weaves law and code, `review_instrument` lays an encoded instrument out
article by article (the rules in file order, grouped by their citation), each rule with
our summary, its source, its logic in words (the effect, the measures, the `when`
condition printed from its parsed tree with definitions expanded), the spec examples and
law tests that exercise it, and the declared properties that bear on it; then the rule
coverage of the examples, the party data in brief, what is not encoded and why, and a
visible flag on every provision not checked against an official text. `to_markdown` and
`to_html` render one or more reviews (HTML: one self-contained page, inline CSS, no
scripts, nothing fetched).

It reads the loaded `Instrument` records and, when the repository is at hand, the law
test files (tests/law/test_<instrument>.py, read as Python syntax, never run). It must
not read spec YAML nor call the solver: the rule coverage, which needs the examples' proof
traces, is computed by the caller (`examples.run_examples`) and passed in.
"""

from __future__ import annotations

import ast
import datetime as dt
import html
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

import attrs

from coop_logic.analysis.spec_examples import Coverage, ExampleOutcome
from coop_logic.model.conditions import (
    And,
    Bound,
    BoundAny,
    CategoryIn,
    Condition,
    Const,
    Flag,
    GroundIs,
    MeasureIn,
    Not,
    Or,
    Penalty,
    Protocol,
    Reservation,
    StatusIs,
    walk,
)
from coop_logic.model.instrument import Example, Instrument, Property, Rule
from coop_logic.vocabulary import FACT_WORDING, OFFENCE_FLAG_WORDING

LAW_TESTS_UNAVAILABLE = "law tests not available (no tests/law folder beside the package)"
NOT_VERIFIED = "text not verified: encoded from a digest, not checked against the official text"


# -- records --------------------------------------------------------------------------------


@attrs.frozen
class LawTest:
    """A test function of tests/law/test_<instrument>.py (`body`: its source, for matching)."""

    name: str
    file: str
    line: int
    body: str = attrs.field(default="", eq=False, repr=False)


@attrs.frozen
class ExampleRef:
    """A spec example that exercises a rule, with its outcome when the examples were run."""

    example: Example
    passed: bool | None = None  # None: not run


@attrs.frozen
class RuleReview:
    rule: Rule
    effect: str  # the effect in words
    condition: tuple[str, ...]  # the `when` condition as an outline, one line each
    examples: tuple[ExampleRef, ...]
    law_tests: tuple[LawTest, ...] | None  # None: law tests not available
    properties: tuple[Property, ...]
    exercised: bool | None  # by some example (coverage); None: coverage not computed


@attrs.frozen
class Article:
    cite: str
    rules: tuple[RuleReview, ...]


@attrs.frozen
class PartySummary:
    parties: int  # States listed as bound (in force, not withdrawn) on `as_of`
    listed: int  # entries in the list
    as_of: dt.date | None
    completeness: str
    sources: tuple[str, ...]


@attrs.frozen
class InstrumentReview:
    instrument: Instrument
    articles: tuple[Article, ...]
    parties: PartySummary
    unexercised: tuple[str, ...] | None  # rules no example exercises; None: not computed
    law_tests_available: bool
    unverified: tuple[str, ...]  # ids of rules with text_verified false

    @property
    def id(self) -> str:
        return self.instrument.id


# -- building a review ----------------------------------------------------------------------


def repository_law_tests() -> Path | None:
    """tests/law of the source checkout this package runs from, or else of the repository
    it is run in (the current folder); None when there is none."""
    for root in (Path(__file__).resolve().parents[3], Path.cwd()):
        folder = root / "tests" / "law"
        if folder.is_dir() and any(folder.glob("test_*.py")):
            return folder
    return None


def review_instrument(inst: Instrument, *, coverage: Coverage | None = None,
                      outcomes: Iterable[ExampleOutcome] = (),
                      law_tests_dir: Path | None = None) -> InstrumentReview:
    """The review of one loaded instrument. `coverage` and `outcomes`: what running its
    examples gave (`examples.run_examples`); `law_tests_dir`: the folder holding
    test_<instrument>.py (None: law tests not available)."""
    passed = {o.example.id: o.passed for o in outcomes}
    tests = read_law_tests(law_tests_dir / f"test_{inst.id}.py") if law_tests_dir else None
    exercised = set(coverage.exercised) if coverage is not None else None
    groups: dict[str, list[RuleReview]] = {}
    for rule in inst.rules:
        examples = tuple(ExampleRef(e, passed.get(e.id)) for e in inst.examples
                         if e.illustrates == rule.id or rule.id in _cited(e, outcomes))
        groups.setdefault(rule.cite, []).append(RuleReview(
            rule, effect_words(rule), condition_outline(rule.when), examples,
            None if tests is None else tuple(t for t in tests if _tests_rule(t, rule)),
            tuple(p for p in inst.properties if _bears_on(p, rule)),
            None if exercised is None else rule.id in exercised,
        ))
    return InstrumentReview(
        inst, tuple(Article(cite, tuple(rules)) for cite, rules in groups.items()),
        party_summary(inst), coverage.unexercised if coverage is not None else None,
        tests is not None, tuple(r.id for r in inst.rules if not r.text_verified))


def _cited(example: Example, outcomes: Iterable[ExampleOutcome]) -> tuple[str, ...]:
    for o in outcomes:
        if o.example.id == example.id:
            return o.cited
    return ()


def party_summary(inst: Instrument) -> PartySummary:
    data = inst.parties
    when = data.as_of or dt.date.today()
    bound = [e for e in data.entries.values()
             if (e.in_force is None or e.in_force <= when)
             and (e.withdrawn is None or e.withdrawn > when)]
    sources = tuple(dict.fromkeys([*(s.url for s in data.sources),
                                   *([data.list_source] if data.list_source else [])]))
    return PartySummary(len(bound), len(data.entries), data.as_of, data.completeness, sources)


def effect_words(rule: Rule) -> str:
    """What the rule does when it fires, in words."""
    grounds = ", ".join(rule.grounds)
    if rule.effect == "scope":
        text = "scope: the request is within the instrument"
    elif rule.effect == "displacement":
        text = "displacement: the instrument gives way to another for the request"
    elif rule.effect == "duty":
        text = "duty: the requested State must give the assistance (subject to refusal grounds)"
    elif rule.effect == "discretion":
        text = "discretion: the requested State may give the assistance but need not"
    elif rule.effect == "grounds":
        kinds = [k for k, on in (("closed list", rule.only), ("obligatory", rule.obligatory)) if on]
        verb = "must refuse" if rule.obligatory else "may refuse"
        text = (f"grounds{' (' + ' / '.join(kinds) + ')' if kinds else ''}: the requested "
                f"State {verb} on {grounds}")
        if rule.only:
            text += "; no other ground is available"
    else:
        text = f"exclusion: the requested State may not refuse on {grounds}"
    if rule.overrides:
        text += f" (prevails over {', '.join(rule.overrides)})"
    return text


# -- conditions in words ----------------------------------------------------------------------


def atom_words(node: Condition) -> str | None:
    """A leaf of a condition tree (or a negated leaf) in words; None for And/Or."""
    if isinstance(node, Const):
        return "always" if node.value else "never"
    if isinstance(node, Flag):
        return node.name
    if isinstance(node, CategoryIn):
        return "offence category in {" + ", ".join(sorted(node.values)) + "}"
    if isinstance(node, MeasureIn):
        return "measure in {" + ", ".join(sorted(node.values)) + "}"
    if isinstance(node, Penalty):
        threshold = int(node.threshold) if node.threshold == int(node.threshold) else node.threshold
        return f"maximum penalty {node.op} {threshold} years"
    if isinstance(node, Bound):
        return f"both States bound by {node.instrument}"
    if isinstance(node, BoundAny):
        return f"both States bound by another instrument tagged {node.tag}"
    if isinstance(node, Reservation):
        return f"the requested State holds reservation {node.id}"
    if isinstance(node, Protocol):
        return f"both States bound by protocol {node.name}"
    if isinstance(node, StatusIs):
        return f"the verdict of {node.instrument or 'this instrument'} is {node.status}"
    if isinstance(node, GroundIs):
        kind = "obligatory ground" if node.obligatory else "ground"
        return f"{kind} {node.ground} established under {node.instrument or 'this instrument'}"
    if isinstance(node, Not):
        inner = atom_words(node.arg)
        return None if inner is None else f"not ({inner})" if " " in inner else f"not {inner}"
    return None


def condition_outline(condition: Condition, indent: str = "") -> tuple[str, ...]:
    """The parsed condition as an outline: 'all of:' / 'any of:' / 'none of:' headings over
    indented items, leaves in words; a leaf alone is one line."""
    leaf = atom_words(condition)
    if leaf is not None:
        return (indent + leaf,)
    if isinstance(condition, Not):
        arg = condition.arg
        head = "none of:" if isinstance(arg, Or) else "not all of:"
        items = arg.args  # type: ignore[union-attr]
    else:
        head = "all of:" if isinstance(condition, And) else "any of:"
        items = condition.args  # type: ignore[union-attr]
    lines = [indent + head]
    for item in items:
        sub = condition_outline(item, indent + "    ")
        lines.append(indent + "  - " + sub[0].lstrip())
        lines.extend(sub[1:])
    return tuple(lines)


def condition_facts(condition: Condition) -> tuple[tuple[str, str], ...]:
    """(name, what it means when true) for every fact or offence flag in the condition."""
    seen: dict[str, str] = {}
    for node in walk(condition):
        if isinstance(node, Flag) and node.name not in seen:
            wording = FACT_WORDING.get(node.name) or OFFENCE_FLAG_WORDING.get(node.name)
            seen[node.name] = wording.true if wording is not None else ""
    return tuple(seen.items())


# -- what bears on a rule ---------------------------------------------------------------------

_ARTICLE = re.compile(r"Arts?\.\s*(.+)", re.IGNORECASE)
_REF = re.compile(r"(\d+)((?:\(\d+\))?)|\((\d+)\)(?:-\((\d+)\))?")


def article_refs(cite: str) -> set[tuple[str, str | None]]:
    """(article, paragraph or None) named by a citation: 'Art. 18(1) and (7)' gives
    {('18', '1'), ('18', '7')}; 'Art. 16(4)-(5)' gives 16(4) and 16(5)."""
    match = _ARTICLE.search(cite)
    if not match:
        return set()
    refs: set[tuple[str, str | None]] = set()
    article: str | None = None
    text = re.sub(r"(\d+)(\(\d+\))-\((\d+)\)", r"\1\2 (\3)", match.group(1))
    for m in _REF.finditer(text):
        if m.group(1):
            article = m.group(1)
            para = m.group(2)[1:-1] if m.group(2) else None
            refs.add((article, para))
        elif article is not None:
            refs.add((article, m.group(3)))
    return refs


def _same_article(a: set[tuple[str, str | None]], b: set[tuple[str, str | None]]) -> bool:
    return any(x[0] == y[0] and (x[1] == y[1] or x[1] is None or y[1] is None)
               for x in a for y in b)


def _bears_on(prop: Property, rule: Rule) -> bool:
    """A property mentions the rule's grounds, or cites the rule's article."""
    grounds = set(rule.grounds)
    named = {n.ground for c in (prop.when, prop.then) for n in walk(c) if isinstance(n, GroundIs)}
    return bool(grounds & named) or _same_article(article_refs(prop.cite), article_refs(rule.cite))


def _name_tokens(rule: Rule) -> set[str]:
    """How a law test's name may name the rule's article: art16_4 for Art. 16(4) or for a
    rule id ending in art16.4."""
    tail = rule.id.split(".", 1)[1] if "." in rule.id else rule.id
    tokens = {tail.replace(".", "_")} if tail.startswith("art") else set()
    for article, para in article_refs(rule.cite):
        tokens.add(f"art{article}_{para}" if para else f"art{article}")
    return tokens


def _tests_rule(test: LawTest, rule: Rule) -> bool:
    if re.search(rf"{re.escape(rule.id)}(?![.\w])", test.body):
        return True
    return any(re.search(rf"(^|_){re.escape(t)}(?![0-9])", test.name) for t in _name_tokens(rule))


def read_law_tests(path: Path) -> tuple[LawTest, ...] | None:
    """The test functions of one law test file, each with its source text (for matching
    rule ids). None when the file does not exist."""
    if not path.is_file():
        return None
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source, filename=str(path))
    tests = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
            body = ast.get_source_segment(source, node) or ""
            tests.append(LawTest(node.name, str(path), node.lineno, body))
    return tuple(tests)


# -- Markdown -------------------------------------------------------------------------------


def _md(text: object) -> str:
    return re.sub(r"([\\`*_\[\]<>|])", r"\\\1", " ".join(str(text).split()))


def _expect(example: Example) -> str:
    e = example.expect
    parts = [e.status]
    if e.grounds is not None:
        parts.append("grounds: " + (", ".join(e.grounds) or "none"))
    if e.possible is not None:
        parts.append("possible: " + ", ".join(e.possible))
    return "; ".join(parts)


def _request_words(example: Example) -> str:
    r = example.request
    return (f"{r.requesting_state} asks {r.requested_state} for {r.measure} on "
            f"{r.date.isoformat()}{' (closed world)' if example.closed_world else ''}")


def _outcome(ref: ExampleRef) -> str:
    return {True: "passes", False: "FAILS", None: "not run"}[ref.passed]


def to_markdown(reviews: Sequence[InstrumentReview]) -> str:
    """One Markdown document: an index when there are several instruments, then each."""
    out: list[str] = []
    if len(reviews) > 1:
        out += ["# Encoded instruments, for review", ""]
        out += [f"- [{_md(r.instrument.title)}](#{r.id}) ({r.id})" for r in reviews]
        out.append("")
    for r in reviews:
        out += _md_review(r, "#" if len(reviews) == 1 else "##")
    return "\n".join(out).rstrip() + "\n"


def _md_review(r: InstrumentReview, h: str) -> list[str]:
    inst = r.instrument
    out = [f'{h} {_md(inst.title)} <a id="{r.id}"></a>', "",
           f"`{r.id}`, {_md(Path(inst.file).name)}. Adopted {_date(inst.adopted)}, in force "
           f"{_date(inst.entry_into_force)}.", ""]
    out += [f"- Source: <{s.url}>" + (f" ({_md(s.note)})" if s.note else "") for s in inst.sources]
    out.append("")
    if r.unverified:
        out += [f"> **{len(r.unverified)} of {len(inst.rules)} rules: {NOT_VERIFIED}.**", ""]
    out += [f"{h}# Articles", ""]
    for article in r.articles:
        out += [f"{h}## {_md(article.cite)}", ""]
        for rr in article.rules:
            out += _md_rule(rr)
    out += [f"{h}# Coverage by the spec examples", ""]
    if r.unexercised is None:
        out.append("Not computed.")
    elif r.unexercised:
        out.append("Rules no example exercises: " + ", ".join(f"`{x}`" for x in r.unexercised))
    else:
        out.append("Every rule is exercised by some example.")
    if not r.law_tests_available:
        out += ["", f"_{LAW_TESTS_UNAVAILABLE}._"]
    p = r.parties
    out += ["", f"{h}# Party data", "",
            f"- Parties: {p.parties} bound on {_date(p.as_of)} ({p.listed} listed)",
            f"- As of: {_date(p.as_of)}", f"- Completeness: {p.completeness}"]
    out += [f"- Source: <{s}>" if s.startswith("http") else f"- Source: {_md(s)}"
            for s in p.sources]
    out += ["", f"{h}# Not encoded", ""]
    out += [f"- **{_md(n.cite)}**: {_md(n.reason)}" for n in inst.not_encoded] or ["- nothing"]
    out.append("")
    return out


def _md_rule(rr: RuleReview) -> list[str]:
    rule = rr.rule
    out = [f"**`{rule.id}`**" + ("" if rule.text_verified else f" — ⚠ **{NOT_VERIFIED}**"), "",
           _md(rule.summary), "", f"- Source: <{rule.source}>",
           f"- Effect: {_md(rr.effect)}",
           "- Measures: " + ", ".join(sorted(rule.measures)),
           f"- When (as written: `{' '.join(rule.when_text.split())}`; definitions expanded "
           "below):" if rule.when_text else "- When:", "", "  ```text"]
    out += ["  " + line for line in rr.condition]
    out += ["  ```", ""]
    facts = condition_facts(rule.when)
    if facts:
        out.append("- Facts: " + "; ".join(f"`{n}`: {_md(m)}" for n, m in facts if m))
    if rr.examples:
        out.append("- Examples:")
        out += [f"  - `{e.example.id}` ({_outcome(e)}): {_md(e.example.summary)} "
                f"{_md(_request_words(e.example))}, expects {_md(_expect(e.example))}"
                for e in rr.examples]
    else:
        out.append("- Examples: none")
    if rr.law_tests is None:
        out.append(f"- Law tests: {LAW_TESTS_UNAVAILABLE}")
    else:
        out.append("- Law tests: " + (", ".join(f"`{t.name}`" for t in rr.law_tests) or "none"))
    if rr.properties:
        out.append("- Properties: " + "; ".join(f"`{p.id}` ({_md(p.cite)}): {_md(p.summary)}"
                                               for p in rr.properties))
    if rr.exercised is False:
        out.append("- Coverage: **no example exercises this rule**")
    out.append("")
    return out


def _date(value: dt.date | None) -> str:
    return value.isoformat() if value else "unknown"


# -- HTML -----------------------------------------------------------------------------------

_CSS = """
body { margin: 0; background: #f4f6f9; color: #1d2430;
  font: 15px/1.5 "Liberation Sans", "DejaVu Sans", Arial, Helvetica, sans-serif; }
main { max-width: 62rem; margin: 0 auto; padding: 1.5rem 1.25rem 2.5rem; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; }
h2 { font-size: 1.3rem; margin: 2rem 0 .5rem; border-bottom: 2px solid #d9dee6; }
h3 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; color: #5b6472; }
h4 { font-size: 1rem; margin: 1.2rem 0 .4rem; }
a { color: #1a4f9c; }
code, pre { font-family: "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: .86em; }
code { background: #eef1f5; padding: 0 .25em; border-radius: 3px; overflow-wrap: anywhere; }
pre { background: #eef1f5; padding: .5rem .75rem; border-radius: 4px; white-space: pre-wrap;
  margin: .3rem 0; }
.meta { color: #5b6472; }
.rule { background: #fff; border: 1px solid #d9dee6; border-left: 6px solid #1f5fa8;
  border-radius: 6px; padding: .75rem 1rem; margin: .75rem 0; }
.rule.unverified { border-left-color: #a35c00; }
.rule dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: .5rem 0 0; }
.rule dt { color: #5b6472; }
.rule dd { margin: 0; }
.flag { display: inline-block; background: #fff6e0; color: #8a5a00; border: 1px solid #e7c77a;
  border-radius: 3px; font-size: .85em; padding: 0 .4em; font-weight: bold; }
.fail { color: #a01c1c; font-weight: bold; }
.uncovered { color: #8a5a00; font-weight: bold; }
.banner { border-left: 4px solid #8a5a00; background: #fff6e0; padding: .5rem .75rem; }
ul.compact { margin: .2rem 0; padding-left: 1.2rem; }
footer { color: #5b6472; font-size: .9em; border-top: 1px solid #d9dee6; margin-top: 2rem;
  padding-top: .75rem; }
"""

_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; font-src 'none'; "
        "base-uri 'none'; form-action 'none'")


def _e(text: object) -> str:
    return html.escape(" ".join(str(text).split()), quote=True)


def _a(url: str, label: str | None = None) -> str:
    from coop_logic.explain.markup import link

    safe = link(url)
    if safe is None:
        return _e(label or url)
    return (f'<a href="{html.escape(safe, quote=True)}" rel="noopener noreferrer">'
            f"{_e(label or url)}</a>")


def to_html(reviews: Sequence[InstrumentReview]) -> str:
    """One self-contained HTML page (inline CSS, no scripts, nothing fetched)."""
    body: list[str] = []
    title = (reviews[0].instrument.title if len(reviews) == 1
             else "Encoded instruments, for review")
    if len(reviews) > 1:
        body += [f"<h1>{_e(title)}</h1>", '<nav><ul class="compact">']
        body += [f'<li><a href="#{_e(r.id)}">{_e(r.instrument.title)}</a> '
                 f"<code>{_e(r.id)}</code></li>" for r in reviews]
        body.append("</ul></nav>")
    for r in reviews:
        body += _html_review(r, single=len(reviews) == 1)
    body.append("<footer>Generated by coop-logic from the loaded specs. Decision support "
                "from encoded treaty law, not legal advice.</footer>")
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
        '<meta name="referrer" content="no-referrer">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>coop-logic review: {_e(title)}</title>", f"<style>{_CSS}</style>",
        "</head>", "<body><main>", *body, "</main></body>", "</html>", ""])


def _html_review(r: InstrumentReview, *, single: bool) -> list[str]:
    inst = r.instrument
    h = "h1" if single else "h2"
    out = [f'<section class="instrument" id="{_e(r.id)}">',
           f"<{h}>{_e(inst.title)}</{h}>",
           f'<p class="meta"><code>{_e(r.id)}</code> {_e(Path(inst.file).name)}. Adopted '
           f"{_date(inst.adopted)}, in force {_date(inst.entry_into_force)}.</p>",
           '<ul class="compact">']
    out += [f"<li>{_a(s.url)}" + (f" ({_e(s.note)})" if s.note else "") + "</li>"
            for s in inst.sources]
    out.append("</ul>")
    if r.unverified:
        out.append(f'<p class="banner"><span class="flag">{len(r.unverified)} of '
                   f"{len(inst.rules)} rules</span> {_e(NOT_VERIFIED)}.</p>")
    if not r.law_tests_available:
        out.append(f'<p class="meta">{_e(LAW_TESTS_UNAVAILABLE)}.</p>')
    out.append("<h3>Articles</h3>")
    for article in r.articles:
        out.append(f'<section class="article"><h4>{_e(article.cite)}</h4>')
        out += [_html_rule(rr) for rr in article.rules]
        out.append("</section>")
    out.append("<h3>Coverage by the spec examples</h3>")
    if r.unexercised is None:
        out.append("<p>Not computed.</p>")
    elif r.unexercised:
        out.append('<p class="uncovered">Rules no example exercises: '
                   + ", ".join(f"<code>{_e(x)}</code>" for x in r.unexercised) + "</p>")
    else:
        out.append("<p>Every rule is exercised by some example.</p>")
    p = r.parties
    out += ["<h3>Party data</h3>", '<ul class="compact">',
            f"<li>Parties: {p.parties} bound on {_date(p.as_of)} ({p.listed} listed)</li>",
            f"<li>As of: {_date(p.as_of)}</li>", f"<li>Completeness: {_e(p.completeness)}</li>"]
    out += [f"<li>Source: {_a(s)}</li>" for s in p.sources]
    out += ["</ul>", "<h3>Not encoded</h3>", '<ul class="compact">']
    out += [f"<li><strong>{_e(n.cite)}</strong>: {_e(n.reason)}</li>" for n in inst.not_encoded]
    if not inst.not_encoded:
        out.append("<li>nothing</li>")
    out += ["</ul>", "</section>"]
    return out


def _html_rule(rr: RuleReview) -> str:
    rule = rr.rule
    flag = "" if rule.text_verified else f' <span class="flag">{_e(NOT_VERIFIED)}</span>'
    rows = [("Source", _a(rule.source, rule.cite)), ("Effect", _e(rr.effect)),
            ("Measures", _e(", ".join(sorted(rule.measures)))),
            ("When", "<pre>" + html.escape("\n".join(rr.condition)) + "</pre>"
             + (f'<span class="meta">as written:</span> <code>{_e(rule.when_text)}</code>'
                if rule.when_text else ""))]
    facts = [(n, m) for n, m in condition_facts(rule.when) if m]
    if facts:
        rows.append(("Facts", "; ".join(f"<code>{_e(n)}</code>: {_e(m)}" for n, m in facts)))
    fails = '<span class="fail">FAILS</span>'
    examples = [f"<li><code>{_e(e.example.id)}</code> "
                f"({fails if e.passed is False else _outcome(e)})"
                f": {_e(e.example.summary)} {_e(_request_words(e.example))}, expects "
                f"{_e(_expect(e.example))}</li>" for e in rr.examples]
    rows.append(("Examples", f'<ul class="compact">{"".join(examples)}</ul>' if examples
                 else "none"))
    if rr.law_tests is None:
        rows.append(("Law tests", _e(LAW_TESTS_UNAVAILABLE)))
    else:
        rows.append(("Law tests", ", ".join(f"<code>{_e(t.name)}</code>" for t in rr.law_tests)
                     or "none"))
    if rr.properties:
        rows.append(("Properties", "".join(
            f"<div><code>{_e(p.id)}</code> ({_e(p.cite)}): {_e(p.summary)}</div>"
            for p in rr.properties)))
    if rr.exercised is False:
        rows.append(("Coverage", '<span class="uncovered">no example exercises this rule</span>'))
    cls = "rule" if rule.text_verified else "rule unverified"
    return (f'<div class="{cls}" id="{_e(rule.id)}"><p><code>{_e(rule.id)}</code>{flag}</p>'
            f"<p>{_e(rule.summary)}</p><dl>"
            + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows) + "</dl></div>")
