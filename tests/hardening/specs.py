"""Small user specs for the hardening tests, built with the shared builder of tests/helpers.py."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import SCOPE_RULE, US_FR_TREATY_HEADER, rule_text, spec_text

HEAD = US_FR_TREATY_HEADER
SCOPE = SCOPE_RULE
rule = rule_text
spec = spec_text


def thresholds_spec(count: int) -> str:
    """One rule comparing the penalty with `count` thresholds."""
    when = " or ".join(f"max_penalty_years >= {k + 1}.5" for k in range(count))
    return spec([rule(2, when)])


def write(folder: Path, text: str, name: str = "mlat_us_fr.yaml") -> Path:
    path = folder / name
    path.write_text(text)
    return path
