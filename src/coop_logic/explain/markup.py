"""The proof trace as a document: Markdown and self-contained HTML.

Both renderers read only the result records (like `explain`, never the solver) and lay the
trace out as a nested argument: the verdict, *because* the provisions (each citation linked
to its source, with our summary and a flag when its text is not verified), *given* the facts,
party data and reservations it rests on. An undetermined verdict lists the statuses still
possible and the unknowns that decide between them.

Every string that comes from a request, a spec or party data is escaped: `html.escape` for
HTML, backslash escapes for Markdown. Only http(s) sources become links. The HTML is one
document with inline CSS, no scripts and nothing fetched from elsewhere; a Content Security
Policy forbids both, should anything slip through.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from urllib.parse import quote, urlsplit

from coop_logic.explain.text import STATUS_WORDS, grounds_phrase, status_words
from coop_logic.model.result import FactStep, PartyStep, ProvisionStep, ReservationStep, Result, Step, Verdict
from coop_logic.vocabulary import UNDETERMINED, unknown_question, value_clause

DISCLAIMER = "Decision support from encoded treaty law, not legal advice."
UNVERIFIED = "text not verified: encoded from a digest or secondary source"

# -- shared wording ----------------------------------------------------------------------------

def _status_parts(status: str, verdict: Verdict | None = None) -> tuple[str, str]:
    """('REFUSABLE', 'a duty applies, but ...') from the wording `explain` uses."""
    words = status_words(verdict) if verdict is not None else STATUS_WORDS.get(
        status, status.upper())
    label, _, gloss = words.partition(": ")
    return label, gloss


def _flat(text: object) -> str:
    """One line of text: a value from a spec may span lines."""
    return " ".join(str(text).split())


def link(url: str) -> str | None:
    """A safe http(s) link for `url`, or None when it is not one (never `javascript:` etc.)."""
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    # Percent-encode what may not stand in a URL (spaces, quotes, angle brackets, non-ASCII);
    # reserved characters and existing %-escapes are kept as they are.
    return quote(url, safe=":/?#[]@!$&'()*+,;=%~")


def _bool(value: object) -> str:
    if isinstance(value, bool) or value is None:
        return str(value).lower()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _fact_meaning(step: FactStep) -> str | None:
    return value_clause(step.id, step.value)


def _unknown_meaning(unknown: str) -> str:
    """What an entry of `depends_on` asks, in words."""
    return unknown_question(unknown) or "an unknown"


def _party_verb(value: bool | None) -> str:
    return {True: "is bound by", False: "is not bound by",
            None: "may or may not be bound by"}[value]


def _ordered(result: Result, instrument: str | None) -> tuple[list[Verdict], list[Verdict]]:
    """(instruments with a bearing on the request, instruments that do not govern it)."""
    if instrument is not None:
        return [result.verdicts[instrument]], []
    bearing = [v for v in result.verdicts.values() if v.status != "not_applicable"]
    idle = [v for v in result.verdicts.values() if v.status == "not_applicable"]
    return bearing, idle


def _request_line(result: Result) -> str:
    req = result.request
    return (f"{req.requesting_state} asks {req.requested_state} for "
            f"{req.measure.replace('_', ' ')}")


def _request_items(result: Result) -> list[tuple[str, str]]:
    """(name, value) of everything the request states; unknowns are left out."""
    req = result.request.to_dict()
    items = [("requesting State", req["requesting_state"]),
             ("requested State", req["requested_state"]),
             ("measure", req["measure"]), ("date", req["date"])]
    items += [(f"offence.{k}", _bool(v)) for k, v in req.get("offence", {}).items()]
    items += [(k, _bool(v)) for k, v in req.get("facts", {}).items()]
    if req.get("instruments"):
        items.append(("instruments", ", ".join(req["instruments"])))
    return items


def _split(trace: Iterable[Step]) -> tuple[list[ProvisionStep], list[Step]]:
    provisions = [s for s in trace if isinstance(s, ProvisionStep)]
    others = [s for s in trace if not isinstance(s, ProvisionStep)]
    return provisions, others


# -- Markdown ----------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")


def _md(text: object) -> str:
    """Text safe in Markdown: one line, every character with a meaning backslash-escaped."""
    return _MD_SPECIAL.sub(r"\\\1", _flat(text))


def _md_code(text: object) -> str:
    """A code span; code spans take no escapes, so a backtick in the text widens the fence."""
    text = _flat(text)
    if "`" not in text:
        return f"`{text}`"
    return f"`` {text.replace('``', '` `')} ``"


def _md_link(label: str, url: str) -> str:
    """[label](<url>) for an http(s) URL; the label alone (and the URL as text) otherwise."""
    safe = link(url)
    if safe is None:
        return f"{_md(label)} (source: {_md(url)})" if url.strip() else _md(label)
    return f"[{_md(label)}](<{safe}>)"


def to_markdown(result: Result, instrument: str | None = None, *,
                hide_not_applicable: bool = False) -> str:
    """The proof trace as Markdown: every instrument's verdict (or `instrument`'s only).
    `hide_not_applicable`: the instruments that do not apply named in one line only."""
    req = result.request
    out: list[str] = [f"# {_md(_request_line(result))}", "",
                      f"Date of the request: {_md(req.date.isoformat())}.  "]
    out.append("Closed world: every absent fact and offence flag is read as false."
               if result.closed_world else
               "Open world: a fact the request does not state is unknown, never false.")
    out += ["", f"> **Note:** {_md(DISCLAIMER)}", ""]
    out += ["**The request as read:** "
            + "; ".join(f"{_md(k)} = {_md(v)}" for k, v in _request_items(result)) + ".", ""]
    bearing, idle = _ordered(result, instrument)
    if instrument is None:
        ov = result.overall
        label, gloss = _status_parts(ov.status)
        line = f"## Overall: {label}"
        out += [line, ""]
        if ov.status == UNDETERMINED:
            out.append("The known facts leave the overall verdict open.")
        else:
            out.append(f"The strongest verdict of any instrument: {_md(gloss)}.")
        out.append("")
        if ov.basis:
            basis = ("basis (the instruments that could give the strongest possible verdict)"
                     if ov.status == UNDETERMINED else "basis (the instruments that give it)")
            out.append(f"- {basis}: " + ", ".join(_md_code(b) for b in ov.basis))
        if ov.status == UNDETERMINED:
            out.append("- still possible: " + ", ".join(f"**{p}**" for p in ov.possible))
            if ov.depends_on:
                out.append("- decided by the unknowns:")
                out += [f"  - {_md_code(u)}: {_md(_unknown_meaning(u))}" for u in ov.depends_on]
        out.append("")
        out += ["| instrument | verdict |", "|---|---|"]
        out += [f"| {_md(v.title)} ({_md_code(v.instrument)}) | {_md(_verdict_label(v))} |"
                for v in (*bearing, *([] if hide_not_applicable else idle))]
        out.append("")
    for verdict in bearing:
        out += _md_verdict(verdict, "##")
    if idle and hide_not_applicable:
        out += ["Not applicable (details left out): "
                + ", ".join(_md_code(v.instrument) for v in idle) + ".", ""]
    elif idle:
        out += ["## Instruments that do not govern this request", ""]
        for verdict in idle:
            out += _md_verdict(verdict, "###")
    out += ["---", "", f"*{_md(DISCLAIMER)}*", ""]
    return "\n".join(out)


def _either(statuses: Iterable[str]) -> str:
    """'mandatory, refusable or not applicable'."""
    words = [s.replace("_", " ") for s in statuses]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _verdict_label(verdict: Verdict) -> str:
    label, _ = _status_parts(verdict.status)
    if verdict.status == UNDETERMINED:
        return f"{label} ({_either(verdict.possible)})"
    return label


def _md_verdict(verdict: Verdict, level: str) -> list[str]:
    label, gloss = _status_parts(verdict.status, verdict)
    out = [f"{level} {_md(verdict.title)} ({_md_code(verdict.instrument)}): {label}", "",
           f"**{label}**: {_md(gloss)}", ""]
    if verdict.status == UNDETERMINED:
        out.append("- still possible: " + ", ".join(f"**{p}**" for p in verdict.possible))
        if verdict.depends_on:
            out.append("- decided by the unknowns:")
            out += [f"  - {_md_code(u)}: {_md(_unknown_meaning(u))}" for u in verdict.depends_on]
    if verdict.grounds:
        out.append("- refusal grounds established: " + _md(grounds_phrase(verdict)))
    provisions, others = _split(verdict.trace)
    if provisions:
        out.append("- **because**")
        for step in provisions:
            flag = "" if step.text_verified else f" **[{UNVERIFIED}]**"
            out.append(f"  - {_md_link(step.cite, step.source)}{flag}: {_md(step.summary)}"
                       f" ({_md_code(step.id)})")
    if others:
        out.append("- **given**")
        out += ["  - " + _md_given(step) for step in others]
    if not verdict.trace:
        out.append("- follows from the rules alone")
    if any(not s.text_verified for s in provisions):
        out += ["", "> This verdict relies on a provision not yet checked against the official "
                    "text."]
    out.append("")
    return out


def _md_given(step: Step) -> str:
    if isinstance(step, PartyStep):
        as_of = f"; party data as of {step.as_of.isoformat()}" if step.as_of else ""
        return (f"{_md(step.state)} {_party_verb(step.value)} {_md_code(step.instrument)}: "
                f"{_md(step.basis)} ({_md_link('source', step.source)}{as_of})")
    if isinstance(step, ReservationStep):
        unknown = "unknown whether it applies: " if step.value is None else ""
        return (f"reservation of {_md(step.state)} to {_md_code(step.instrument)}, "
                f"art. {_md(step.article)}: {unknown}{_md(step.basis)} "
                f"({_md_link('source', step.source)})")
    assert isinstance(step, FactStep)
    meaning = _fact_meaning(step)
    text = f"{_md_code(step.id)} = {_md_code(_bool(step.value))}"
    return f"{text}: {_md(meaning)}" if meaning else text


# -- HTML --------------------------------------------------------------------------------------

def _e(text: object) -> str:
    return html.escape(_flat(text), quote=True)


def _a(label: str, url: str) -> str:
    """<a href> for an http(s) URL; the escaped label and URL as text otherwise."""
    safe = link(url)
    if safe is None:
        if url.strip():
            return f'{_e(label)} <span class="nolink">(source: {_e(url)})</span>'
        return _e(label)
    return f'<a href="{html.escape(safe, quote=True)}" rel="noopener noreferrer">{_e(label)}</a>'


_CSS = """
.coop-logic { --ink: #1d2430; --muted: #5b6472; --line: #d9dee6; --paper: #ffffff;
  --bg: #f4f6f9; --mandatory: #1b7a3d; --refusable: #a35c00; --discretionary: #1f5fa8;
  --not_applicable: #6b7280; --undetermined: #8a2c8f; --warn: #8a5a00; --warnbg: #fff6e0;
  background: var(--bg); color: var(--ink); padding: 1.5rem 1.25rem 2.5rem; text-align: left;
  font: 15px/1.5 "Liberation Sans", "DejaVu Sans", Arial, Helvetica, sans-serif; }
.coop-logic * { box-sizing: border-box; }
.coop-logic main { max-width: 60rem; margin: 0 auto; }
.coop-logic h1 { font-size: 1.5rem; margin: 0 0 .25rem; }
.coop-logic h2 { font-size: 1.2rem; margin: 0 0 .5rem; }
.coop-logic h3 { font-size: 1rem; margin: 1.5rem 0 .5rem; color: var(--muted); }
.coop-logic p { margin: .35rem 0; }
.coop-logic a { color: #1a4f9c; }
.coop-logic code { font-family: "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: .86em;
  background: #eef1f5; padding: 0 .25em; border-radius: 3px; overflow-wrap: anywhere; }
.coop-logic .meta { color: var(--muted); margin: 0; }
.coop-logic .disclaimer { border-left: 4px solid var(--warn); background: var(--warnbg);
  padding: .5rem .75rem; margin: 1rem 0; }
.coop-logic .card { background: var(--paper); border: 1px solid var(--line);
  border-left: 6px solid var(--c); border-radius: 6px; padding: 1rem 1.25rem; margin: 1rem 0; }
.coop-logic .card > h2, .coop-logic .card > h3 { margin: 0 0 .5rem; color: var(--ink); }
.coop-logic .badge { display: inline-block; color: #fff; background: var(--c); border-radius: 4px;
  padding: 0 .5em; font-size: .85em; font-weight: bold; letter-spacing: .03em;
  vertical-align: .1em; }
.coop-logic .status-mandatory { --c: var(--mandatory); }
.coop-logic .status-refusable { --c: var(--refusable); }
.coop-logic .status-discretionary { --c: var(--discretionary); }
.coop-logic .status-not_applicable { --c: var(--not_applicable); }
.coop-logic .status-undetermined { --c: var(--undetermined); }
.coop-logic .gloss { font-weight: bold; }
.coop-logic .argument { list-style: none; padding: 0; margin: .5rem 0 0; }
.coop-logic .argument > li { margin: .6rem 0 0; }
.coop-logic .argument > li > .word { font-weight: bold; font-variant: small-caps;
  letter-spacing: .05em; color: var(--c); }
.coop-logic .argument ul { margin: .2rem 0 0; padding-left: 1.1rem;
  border-left: 2px solid var(--line); }
.coop-logic .argument ul li { margin: .35rem 0 .35rem .6rem; }
.coop-logic .provision .cite { font-weight: bold; }
.coop-logic .provision .summary { display: block; }
.coop-logic .ref { color: var(--muted); font-size: .85em; }
.coop-logic .flag { display: inline-block; background: var(--warnbg); color: var(--warn);
  border: 1px solid #e7c77a; border-radius: 3px; font-size: .8em; padding: 0 .4em; }
.coop-logic .note { color: var(--warn); margin-top: .6rem; }
.coop-logic .nolink { color: var(--muted); }
.coop-logic table { border-collapse: collapse; width: 100%; background: var(--paper);
  margin: .75rem 0; }
.coop-logic th, .coop-logic td { text-align: left; padding: .3rem .6rem;
  border-bottom: 1px solid var(--line); }
.coop-logic th { font-size: .85em; color: var(--muted); }
.coop-logic dl.request { display: grid; grid-template-columns: max-content 1fr;
  gap: .1rem 1rem; margin: .5rem 0; }
.coop-logic dl.request dt { color: var(--muted); }
.coop-logic dl.request dd { margin: 0; }
.coop-logic details > summary { cursor: pointer; color: var(--muted); }
.coop-logic footer { color: var(--muted); font-size: .9em; border-top: 1px solid var(--line);
  margin-top: 2rem; padding-top: .75rem; }
@media print { .coop-logic { background: #fff; } .coop-logic .card { break-inside: avoid; } }
"""

_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; font-src 'none'; "
        "base-uri 'none'; form-action 'none'")


def to_html(result: Result, instrument: str | None = None, *,
            hide_not_applicable: bool = False) -> str:
    """The proof trace as one self-contained HTML document (inline CSS, no scripts).
    `hide_not_applicable`: the instruments that do not apply named in one line only."""
    req = result.request
    world = ("Closed world: every absent fact and offence flag is read as false."
             if result.closed_world else
             "Open world: a fact the request does not state is unknown, never false.")
    bearing, idle = _ordered(result, instrument)
    body: list[str] = [
        "<header>",
        f"<h1>{_e(_request_line(result))}</h1>",
        f'<p class="meta">Date of the request: {_e(req.date.isoformat())}. {_e(world)}</p>',
        f'<p class="disclaimer"><strong>Note:</strong> {_e(DISCLAIMER)}</p>',
        "<details><summary>The request as read</summary>",
        '<dl class="request">'
        + "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in _request_items(result))
        + "</dl></details>",
        "</header>",
    ]
    if instrument is None:
        body += _html_overall(result, [*bearing, *([] if hide_not_applicable else idle)])
    body += [_html_verdict(v, "h2") for v in bearing]
    if idle and hide_not_applicable:
        body.append('<p class="idle">Not applicable (details left out): '
                    + ", ".join(f"<code>{_e(v.instrument)}</code>" for v in idle) + ".</p>")
    elif idle:
        body.append('<section class="idle"><h2>Instruments that do not govern this request</h2>')
        body += [_html_verdict(v, "h3") for v in idle]
        body.append("</section>")
    body.append(f'<footer><p class="disclaimer-end">{_e(DISCLAIMER)} Generated by coop-logic '
                "from the proof trace of each verdict.</p></footer>")
    return _page(f"coop-logic: {_request_line(result)} ({req.date.isoformat()})", body)


def _page(title: str, body: list[str]) -> str:
    """One self-contained page: inline CSS, no script, nothing fetched (the CSP says so)."""
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
        '<meta name="referrer" content="no-referrer">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        # Every style is scoped to .coop-logic, so the page can also sit inside another one
        # (a notebook's output cell, through Result._repr_html_) without restyling it.
        '<body style="margin: 0"><div class="coop-logic"><main>',
        *body,
        "</main></div></body>",
        "</html>",
        "",
    ])


def _html_unknowns(depends_on: Iterable[str]) -> str:
    items = "".join(f"<li><code>{_e(u)}</code>: {_e(_unknown_meaning(u))}</li>"
                    for u in depends_on)
    return f'<ul class="unknowns">{items}</ul>'


def _html_overall(result: Result, verdicts: list[Verdict]) -> list[str]:
    ov = result.overall
    label, gloss = _status_parts(ov.status)
    out = [f'<section class="card overall status-{_e(ov.status)}" id="overall">',
           f'<h2>Overall: <span class="badge">{_e(label)}</span></h2>']
    if ov.status == UNDETERMINED:
        out.append(f'<p class="gloss">{_e(gloss[:1].upper() + gloss[1:])}.</p>')
        out.append("<p>Still possible: "
                   + ", ".join(f"<strong>{_e(p)}</strong>" for p in ov.possible) + ".</p>")
        if ov.depends_on:
            out.append("<p>Decided by the unknowns:</p>" + _html_unknowns(ov.depends_on))
    else:
        out.append(f'<p class="gloss">The strongest verdict of any instrument: {_e(gloss)}.</p>')
    if ov.basis:
        basis = ("Basis (the instruments that could give the strongest possible verdict)"
                 if ov.status == UNDETERMINED else "Basis (the instruments that give it)")
        out.append(f"<p>{basis}: " + ", ".join(
            f'<a href="#v-{_e(b)}"><code>{_e(b)}</code></a>' for b in ov.basis) + "</p>")
    rows = "".join(
        f'<tr class="status-{_e(v.status)}"><td><a href="#v-{_e(v.instrument)}">{_e(v.title)}</a> '
        f'<code>{_e(v.instrument)}</code></td><td><span class="badge">{_e(_status_parts(v.status)[0])}'
        f"</span>{' ' + _e(_either(v.possible)) if v.status == UNDETERMINED else ''}</td></tr>"
        for v in verdicts)
    out.append(f"<table><thead><tr><th>instrument</th><th>verdict</th></tr></thead>"
               f"<tbody>{rows}</tbody></table>")
    out.append("</section>")
    return out


def _html_verdict(verdict: Verdict, heading: str) -> str:
    label, gloss = _status_parts(verdict.status, verdict)
    out = [f'<section class="card verdict status-{_e(verdict.status)}" '
           f'id="v-{_e(verdict.instrument)}">',
           f"<{heading}>{_e(verdict.title)} <code>{_e(verdict.instrument)}</code> "
           f'<span class="badge">{_e(label)}</span></{heading}>',
           f'<p class="gloss">{_e(label)}: {_e(gloss)}.</p>']
    if verdict.status == UNDETERMINED:
        out.append("<p>Still possible: "
                   + ", ".join(f"<strong>{_e(p)}</strong>" for p in verdict.possible) + ".</p>")
        if verdict.depends_on:
            out.append("<p>Decided by the unknowns:</p>" + _html_unknowns(verdict.depends_on))
    if verdict.grounds:
        out.append("<p>Refusal grounds established: " + _e(grounds_phrase(verdict)) + ".</p>")
    provisions, others = _split(verdict.trace)
    parts: list[str] = []
    if provisions:
        items = "".join(_html_provision(step) for step in provisions)
        parts.append(f'<li><span class="word">because</span><ul>{items}</ul></li>')
    if others:
        items = "".join(_html_given(step) for step in others)
        parts.append(f'<li><span class="word">given</span><ul>{items}</ul></li>')
    if not verdict.trace:
        parts.append("<li>It follows from the rules alone.</li>")
    out.append(f'<ul class="argument">{"".join(parts)}</ul>')
    if any(not s.text_verified for s in provisions):
        out.append('<p class="note">This verdict relies on a provision not yet checked against '
                   "the official text.</p>")
    out.append("</section>")
    return "\n".join(out)


def _html_provision(step: ProvisionStep) -> str:
    flag = "" if step.text_verified else f' <span class="flag">{_e(UNVERIFIED)}</span>'
    return (f'<li class="provision" data-id="{_e(step.id)}"><span class="cite">'
            f"{_a(step.cite, step.source)}</span>{flag}"
            f'<span class="summary">{_e(step.summary)}</span>'
            f'<span class="ref">{_e(step.id)}</span></li>')


def _html_given(step: Step) -> str:
    if isinstance(step, PartyStep):
        as_of = f"; party data as of {_e(step.as_of.isoformat())}" if step.as_of else ""
        return (f'<li class="party">{_e(step.state)} {_e(_party_verb(step.value))} '
                f"<code>{_e(step.instrument)}</code>: {_e(step.basis)} "
                f'<span class="ref">({_a("source", step.source)}{as_of})</span></li>')
    if isinstance(step, ReservationStep):
        unknown = "unknown whether it applies: " if step.value is None else ""
        return (f'<li class="reservation">Reservation of {_e(step.state)} to '
                f"<code>{_e(step.instrument)}</code>, art. {_e(step.article)}: "
                f"{_e(unknown)}{_e(step.basis)} "
                f'<span class="ref">({_a("source", step.source)})</span></li>')
    assert isinstance(step, FactStep)
    meaning = _fact_meaning(step)
    text = f"<code>{_e(step.id)}</code> = <code>{_e(_bool(step.value))}</code>"
    if meaning:
        text += f': <span class="meaning">{_e(meaning)}</span>'
    return f'<li class="fact">{text}</li>'


# -- records in a notebook --------------------------------------------------------------------

def html_page(title: str, fragment: str) -> str:
    """One self-contained HTML page (inline CSS, no scripts, nothing fetched) around a
    notebook fragment: what `--format html` prints for plans, questions and what-ifs."""
    return _page(title, [f"<h1>{_e(title)}</h1>", fragment,
                         f'<footer><p class="disclaimer-end">{_e(DISCLAIMER)}</p></footer>'])


def record_html(title: str, data: object) -> str:
    """A record's JSON form (`to_dict()`) as a small HTML fragment for a notebook: mappings
    as definition lists, lists as bullet lists, values escaped. Used by the `_repr_html_`
    of the records that have no richer page (plans, questions, what-ifs, maps)."""
    return (f'<div class="coop-logic-record"><strong>{_e(title)}</strong>'
            f"{_record_value(data)}</div>")


def _record_value(value: object) -> str:
    if isinstance(value, dict):
        if not value:
            return "<em>none</em>"
        items = "".join(f"<dt><code>{_e(k)}</code></dt><dd>{_record_value(v)}</dd>"
                        for k, v in value.items())
        return f'<dl style="margin:.2em 0 .2em 1em">{items}</dl>'
    if isinstance(value, list | tuple):
        if not value:
            return "<em>none</em>"
        if all(not isinstance(v, dict | list | tuple) for v in value):
            return ", ".join(_e(_bool(v)) for v in value)
        return "<ul>" + "".join(f"<li>{_record_value(v)}</li>" for v in value) + "</ul>"
    return _e(_bool(value))
