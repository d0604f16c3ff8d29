"""`coop-logic doc [SPEC ...]`: the review page of encoded instruments, for lawyers.

SPEC is an instrument id or a spec file or folder (loaded beside the bundled specs, as
`coop-logic test` does). Without SPEC, every loaded instrument. The page (review.py) lays
each instrument out article by article: summary, source, the logic in words, examples,
law tests and properties per rule, coverage, party data, what is not encoded.

Output: stdout, or `-o FILE` (one page: with several instruments, an index then a section
per instrument), or `-o DIR` naming an existing folder (one file per instrument,
`<id>.html` or `<id>.md`, and `index.html` / `index.md` linking them). The examples are run
to compute rule coverage.
"""

from __future__ import annotations

from pathlib import Path

import click

from coop_logic.cli import options

EXAMPLES = """\b
Examples:
  coop-logic doc budapest -o budapest.html
  coop-logic doc --format md my_mlat.yaml
  mkdir review && coop-logic doc -o review
"""


@click.command("doc", epilog=EXAMPLES)
@click.argument("specs", nargs=-1)
@options.output_format("html", "md", default="html")
@click.option("-o", "--output", "output", type=click.Path(), default=None,
              help="Write to FILE, or one file per instrument into an existing folder DIR "
                   "(default: stdout).")
@options.parties
def command(specs: tuple[str, ...], fmt: str, output: str | None,
            parties: tuple[str, ...]) -> None:
    """The review page of each instrument (SPEC: an instrument id, or a spec file or
    folder; default: every loaded instrument): articles in order, each rule's logic in
    words with its examples, law tests and properties, coverage, party data."""
    from coop_logic.cli.shell import EXIT_OK, emit, guarded

    def run() -> int:
        from coop_logic.analysis.review import repository_law_tests, review_instrument, to_html, to_markdown
        from coop_logic.analysis.spec_examples import instruments_in, run_examples
        from coop_logic.engine.knowledge_base import bundled_spec_dir, load, spec_files
        from coop_logic.errors import RequestError, did_you_mean

        paths = [s for s in specs if Path(s).exists()]
        ids = [s for s in specs if not Path(s).exists()]
        bundled = {p.resolve() for p in spec_files([bundled_spec_dir()])}
        extra = [str(p) for p in spec_files(paths) if p.resolve() not in bundled]
        kb = load(extra_specs=extra, parties=parties)
        for inst in ids:
            if inst not in kb.instruments:
                raise RequestError(
                    f"'{inst}' is neither a loaded instrument nor a spec file"
                    f"{did_you_mean(inst, kb.instruments)}", field="SPEC",
                    expected="an instrument id (" + ", ".join(kb.instruments)
                             + ") or a spec file or folder")
        chosen = list(dict.fromkeys([*instruments_in(kb, paths), *ids])) if specs \
            else list(kb.instruments)
        report = run_examples(kb, chosen)
        coverage = {c.instrument: c for c in report.coverage}
        tests = repository_law_tests()
        reviews = [review_instrument(kb.instruments[i], coverage=coverage[i],
                                     outcomes=[o for o in report.outcomes if o.instrument == i],
                                     law_tests_dir=tests) for i in chosen]
        render = to_html if fmt == "html" else to_markdown
        if output is not None and Path(output).is_dir():
            folder = Path(output)
            for r in reviews:
                (folder / f"{r.id}.{fmt}").write_text(render([r]), encoding="utf-8")
            (folder / f"index.{fmt}").write_text(_index(reviews, fmt), encoding="utf-8")
            click.echo(f"wrote {len(reviews) + 1} files to {folder}", err=True)
        else:
            emit(render(reviews), output)
        return EXIT_OK

    guarded(run)


def _index(reviews: list, fmt: str) -> str:
    import html

    if fmt == "md":
        lines = ["# Encoded instruments, for review", ""]
        lines += [f"- [{r.instrument.title}]({r.id}.md) ({r.id})" for r in reviews]
        return "\n".join(lines) + "\n"
    items = "".join(f'<li><a href="{html.escape(r.id)}.html">{html.escape(r.instrument.title)}'
                    f"</a> <code>{html.escape(r.id)}</code></li>" for r in reviews)
    return ('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            "<title>coop-logic review</title></head><body><h1>Encoded instruments, for review"
            f"</h1><ul>{items}</ul></body></html>\n")
