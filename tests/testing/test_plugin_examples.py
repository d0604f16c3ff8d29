"""The pytest plugin runs the examples inside a user's spec file, one test item each."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "mlat_au_pt.yaml"


def run_pytest(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           "-p", "coop_logic.testing", *args],
                          cwd=folder, capture_output=True, text=True, timeout=300)


def test_each_example_of_a_spec_named_by_coop_spec_is_a_passing_test_item(tmp_path):
    shutil.copy(EXAMPLE, tmp_path / "mlat_au_pt.yaml")
    proc = run_pytest(tmp_path, "--coop-spec=mlat_au_pt.yaml", "mlat_au_pt.yaml")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "1 passed" in proc.stdout


def test_a_wrong_expectation_in_a_spec_fails_with_the_trace(tmp_path):
    text = EXAMPLE.read_text("utf-8").replace("expect: {status: mandatory}",
                                              "expect: {status: refusable}")
    (tmp_path / "mlat_au_pt.yaml").write_text(text, "utf-8")
    proc = run_pytest(tmp_path, "--coop-spec=mlat_au_pt.yaml", "mlat_au_pt.yaml")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "1 failed" in proc.stdout
    assert "mlat_au_pt.example.stored_data_fraud" in proc.stdout
    assert "mlat_au_pt.art1.1" in proc.stdout  # the duty provision, from the proof trace
