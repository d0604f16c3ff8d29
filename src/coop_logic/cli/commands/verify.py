"""`coop-logic verify [SPEC_DIR ...]`: formal checks of the specs (contract section 2).

Conflicts, dead rules, unreachable or shadowed grounds, article coverage and the declared
properties, each failure with a counterexample request. Exit 3 when a check fails.
"""

from __future__ import annotations

import json
from typing import Any

import click

from coop_logic.cli import options
from coop_logic.cli.shell import EXIT_FAILED, EXIT_OK, emit, guarded
from coop_logic.cli.terminal import show

EXAMPLES = """\b
Examples:
  coop-logic verify
  coop-logic verify my_specs/ --json -o report.json
  coop-logic verify --parties corrections.yaml
"""


@click.command("verify", epilog=EXAMPLES)
@click.argument("spec_dirs", nargs=-1, type=click.Path())
@options.output_format("text", "json")
@options.output
@options.parties
def command(spec_dirs: tuple[str, ...], fmt: str, output: str | None,
            parties: tuple[str, ...]) -> None:
    """Formal checks of the specs (the bundled ones, or SPEC_DIRS): conflicts, dead
    rules, unreachable grounds, each failure with a counterexample request."""

    def run() -> int:
        from coop_logic.analysis.verify import Verifier
        from coop_logic.engine.knowledge_base import load

        kb = load(parties=parties, spec_dirs=spec_dirs or None)
        findings = Verifier(kb.compiled).run()
        failed = [f for f in findings if not f.ok]
        if fmt == "json":
            emit(json.dumps({
                "checks": len(findings), "passed": len(findings) - len(failed),
                "failed": len(failed), "findings": [f.to_dict() for f in findings],
            }, indent=2), output)
        else:
            show(_finding_lines(findings), output)
        return EXIT_FAILED if failed else EXIT_OK

    guarded(run)


def _finding_lines(findings: list[Any]) -> list[tuple[str, str]]:
    import yaml

    lines: list[tuple[str, str]] = []
    by_check: dict[str, list[Any]] = {}
    for f in findings:
        by_check.setdefault(f.check, []).append(f)
    for f in findings:
        if f.ok:
            continue
        lines.append(("bold red", f"FAIL {f.instrument} {f.check} {f.subject}: {f.message}"))
        if f.counterexample:
            lines.append(("", "  counterexample request:"))
            text = yaml.safe_dump(f.counterexample, sort_keys=False)
            lines += [("", "    " + line) for line in text.splitlines()]
    for check_name, items in by_check.items():
        bad = sum(not f.ok for f in items)
        lines.append(("", f"{check_name}: {len(items) - bad} passed, {bad} failed"))
    failed = sum(not f.ok for f in findings)
    lines.append(("", f"{len(findings) - failed} passed, {failed} failed"))
    return lines
