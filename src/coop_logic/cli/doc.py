"""`coop-logic doc [SPEC ...]`: the review page of encoded instruments, for lawyers.

SPEC is an instrument id or a spec file or folder (loaded beside the bundled specs, as
`coop-logic test` does). Without SPEC, every loaded instrument. The page (review.py) lays
each instrument out article by article: summary, source, the logic in words, examples,
law tests and properties per rule, coverage, party data, what is not encoded.

Output: stdout, or `-o FILE` (one page: with several instruments, an index then a section
per instrument), or `-o DIR` naming an existing folder (one file per instrument,
`<id>.html` or `<id>.md`, and `index.html` / `index.md` linking them). The examples are run
to compute rule coverage. Registered on the `coop-logic` group by the last lines of
`cli.py`. Exit codes as for the other commands: 0 the page was written, 2 bad input (an
unknown instrument, an unreadable spec), 1 an internal error.
"""

from __future__ import annotations

from pathlib import Path

import click


@click.command("doc")
@click.argument("specs", nargs=-1)
@click.option("--format", "fmt", type=click.Choice(["html", "md"]), default="html",
              show_default=True, help="html: one self-contained page; md: Markdown.")
@click.option("-o", "--output", "output", type=click.Path(), default=None,
              help="Write to FILE, or one file per instrument into an existing folder DIR "
                   "(default: stdout).")
@click.option("--parties", "parties", multiple=True, type=click.Path(),
              help="Party-data file correcting or adding to the loaded data (repeatable).")
def doc_command(specs: tuple[str, ...], fmt: str, output: str | None,
                parties: tuple[str, ...]) -> None:
    """The review page of each instrument (SPEC: an instrument id, or a spec file or
    folder; default: every loaded instrument): articles in order, each rule's logic in
    words with its examples, law tests and properties, coverage, party data."""
    from coop_logic.cli.shell import EXIT_OK, guarded

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
        elif output is not None:
            Path(output).write_text(render(reviews), encoding="utf-8")
        else:
            click.echo(render(reviews), nl=False)
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
