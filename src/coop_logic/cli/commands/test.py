"""`coop-logic test [SPEC ...]`: run the tests inside spec files (`examples:`).

Without SPEC, the examples of the bundled specs; with SPEC (spec files or folders, loaded
beside the bundled ones), the examples of those specs only. Prints each failing example
with the actual verdict and its proof trace, a summary, and the rule coverage per
instrument. Exit 0 when every example passes, 3 when one fails (as `verify`), 2 on bad
input, 1 on an internal error.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import click

from coop_logic.cli import options
from coop_logic.cli.shell import EXIT_FAILED, EXIT_OK, emit, guarded
from coop_logic.cli.terminal import Line, show

if TYPE_CHECKING:
    from coop_logic.analysis.spec_examples import ExampleReport


EXAMPLES = """\b
Examples:
  coop-logic test
  coop-logic test my_mlat.yaml --json -o examples.json
"""


@click.command("test", epilog=EXAMPLES)
@click.argument("specs", nargs=-1, type=click.Path())
@options.output_format("text", "json")
@options.output
@options.parties
def command(specs: tuple[str, ...], fmt: str, output: str | None,
            parties: tuple[str, ...]) -> None:
    """Run the examples written in the specs (the bundled ones, or SPEC files or folders
    loaded beside them): each failure with its verdict and proof trace, and rule coverage."""

    def run() -> int:
        from coop_logic.analysis.spec_examples import instruments_in, run_examples
        from coop_logic.engine.knowledge_base import bundled_spec_dir, load, spec_files

        # a bundled spec named on the command line is tested, not loaded twice
        bundled = {p.resolve() for p in spec_files([bundled_spec_dir()])}
        extra = [str(p) for p in spec_files(specs) if p.resolve() not in bundled]
        kb = load(extra_specs=extra, parties=parties)
        chosen = instruments_in(kb, specs) if specs else list(kb.instruments)
        report = run_examples(kb, chosen)
        if fmt == "json":
            emit(json.dumps(report.to_dict(), indent=2, ensure_ascii=False), output)
        else:
            show(_report_lines(report), output)
        return EXIT_OK if report.ok else EXIT_FAILED

    guarded(run)


def _report_lines(report: ExampleReport) -> list[Line]:
    from coop_logic.analysis.spec_examples import failure_text

    lines: list[Line] = []
    for outcome in report.failures:
        lines.append(("bold red", "FAIL " + outcome.example.id))
        lines += [("", line) for line in failure_text(outcome).splitlines()]
        lines.append(("", ""))
    lines.append(("bold green" if report.ok else "bold red",
                  f"{report.passed} passed, {report.failed} failed"))
    lines.append(("", ""))
    lines.append(("", "rule coverage (a rule some example's proof trace cites or `illustrates` "
                      "names):"))
    total = exercised = 0
    for cov in report.coverage:
        total += len(cov.rules)
        exercised += len(cov.exercised)
        lines.append(("", f"  {cov.instrument}: {len(cov.exercised)}/{len(cov.rules)} rules "
                          f"exercised by {cov.examples} example"
                          f"{'' if cov.examples == 1 else 's'}"))
        if cov.unexercised:
            lines.append(("", "    not exercised: " + ", ".join(cov.unexercised)))
        named_only = [r for r in cov.exercised if r not in cov.traced]
        if named_only:
            lines.append(("", "    named by `illustrates` but cited by no proof trace: "
                              + ", ".join(named_only)))
    if len(report.coverage) > 1:
        lines.append(("", f"  all: {exercised}/{total} rules exercised"))
    return lines
