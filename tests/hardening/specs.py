"""Small user specs (a bilateral MLAT between FR and US) built for the hardening tests."""

from __future__ import annotations

from pathlib import Path

HEAD = """\
spec_version: 1
id: mlat_us_fr
title: Treaty on Mutual Legal Assistance between the US and France (test fixture)
short_title: US-FR MLAT
sources:
  - {url: https://example.org/treaty, note: Test fixture.}
parties:
  as_of: 2026-01-01
  completeness: complete
  sources: [{url: https://example.org/treaty, note: Test fixture.}]
  parties:
    - {state: US, name: United States, in_force: 2001-12-01}
    - {state: FR, name: France, in_force: 2001-12-01}
tags: [mla_treaty]
"""

SCOPE = """\
  - id: mlat_us_fr.art1
    cite: US-FR MLAT, Art. 1
    summary: Covers assistance in criminal matters.
    source: https://example.org/treaty
    text_verified: false
    effect: scope
    measures: [evidence_collection]
"""


def rule(n: int, when: str, effect: str = "duty") -> str:
    return (f"  - id: mlat_us_fr.art{n}\n    cite: US-FR MLAT, Art. {n}\n"
            f"    summary: Rule {n}.\n    source: https://example.org/treaty\n"
            f"    text_verified: false\n    effect: {effect}\n"
            f"    measures: [evidence_collection]\n    when: \"{when}\"\n")


def spec(rules: list[str], definitions: dict[str, str] | None = None) -> str:
    text = HEAD
    if definitions:
        text += "definitions:\n" + "".join(f"  {k}: \"{v}\"\n" for k, v in definitions.items())
    return text + "rules:\n" + SCOPE + "".join(rules)


def thresholds_spec(count: int) -> str:
    """One rule comparing the penalty with `count` thresholds."""
    when = " or ".join(f"max_penalty_years >= {k + 1}.5" for k in range(count))
    return spec([rule(2, when)])


def write(folder: Path, text: str, name: str = "mlat_us_fr.yaml") -> Path:
    path = folder / name
    path.write_text(text)
    return path
